//! Time and identifiers, passed in rather than read from the environment, so that logic and tests
//! are deterministic (STYLE: no ambient time in logic).

use std::sync::Mutex;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

/// The time zone every date of a plan is read in: the referents work in Brussels.
pub fn brussels() -> TimeZone {
    TimeZone::get("Europe/Brussels").unwrap_or(TimeZone::UTC)
}

/// Where "now" comes from.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> Timestamp;

    /// Today's date in Brussels.
    fn today(&self) -> Date {
        self.now().to_zoned(brussels()).date()
    }
}

/// The real clock of the machine.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock for tests and demos: starts at a fixed instant and moves forward by a fixed step at each
/// reading, so that successive changes have distinct, ordered times.
#[derive(Debug)]
pub struct SteppingClock {
    next: Mutex<Timestamp>,
    step: SignedDuration,
}

impl SteppingClock {
    /// A clock that answers `start`, then `start + step`, and so on.
    pub fn new(start: Timestamp, step: SignedDuration) -> Self {
        Self {
            next: Mutex::new(start),
            step,
        }
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> Timestamp {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let now = *next;
        *next = now.checked_add(self.step).unwrap_or(now);
        now
    }
}

/// A new UUIDv7 for `now`: ordered by creation time, unique thanks to its random bits.
pub fn new_id(now: Timestamp) -> Uuid {
    let mut random = [0u8; 10];
    // The OS random source only fails on a broken system; the timestamp still orders the id.
    let _ = getrandom::fill(&mut random);
    let millis = u64::try_from(now.as_millisecond()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}
