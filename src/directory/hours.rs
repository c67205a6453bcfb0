//! Opening hours: HSDS schedules (RFC 5545 weekly rules) read into weekly slots, and "is it open now",
//! always in Brussels time whatever the computer's zone, across the daylight-saving changes.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::hsds::Fields;

/// One weekly opening: on these days, from `opens` to `closes` (minutes after midnight, Brussels time),
/// between two optional dates. `closes` before `opens` runs past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Slot {
    /// Monday is bit 0, Sunday bit 6.
    pub days: u8,
    pub opens: u16,
    pub closes: u16,
    #[ts(type = "string | null")]
    pub valid_from: Option<Date>,
    #[ts(type = "string | null")]
    pub valid_to: Option<Date>,
}

const ALL_DAYS: u8 = 0b111_1111;

fn day_bit(day: Weekday) -> u8 {
    1 << (day.to_monday_zero_offset())
}

fn text<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    match fields.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim()),
        _ => None,
    }
}

fn minutes(text: &str) -> Option<u16> {
    let time: Time = text.parse().ok()?;
    Some(u16::try_from(time.hour()).ok()? * 60 + u16::try_from(time.minute()).ok()?)
}

/// Reads one HSDS schedule. Only what can be said of every week is read: weekly (or daily) rules with
/// an opening and a closing time. Anything else (monthly rules, a description only) gives `None`: the
/// card shows the schedule's own words and "open now" does not count it as open.
pub fn slot(fields: &Fields) -> Option<Slot> {
    let opens = minutes(text(fields, "opens_at")?)?;
    let closes = minutes(text(fields, "closes_at")?)?;
    let freq = text(fields, "freq").map(str::to_ascii_uppercase);
    let days = match (freq.as_deref(), text(fields, "byday")) {
        (Some("WEEKLY") | None, Some(byday)) => {
            let mut days = 0u8;
            for day in byday.split(',') {
                // "MO", or "1MO" in monthly rules, which are not read here.
                days |= match day.trim().to_ascii_uppercase().as_str() {
                    "MO" => 1,
                    "TU" => 1 << 1,
                    "WE" => 1 << 2,
                    "TH" => 1 << 3,
                    "FR" => 1 << 4,
                    "SA" => 1 << 5,
                    "SU" => 1 << 6,
                    _ => return None,
                };
            }
            days
        }
        (Some("DAILY"), None) => ALL_DAYS,
        _ => return None,
    };
    let date = |name| text(fields, name).and_then(|d| d.get(..10)?.parse::<Date>().ok());
    Some(Slot {
        days,
        opens,
        closes,
        valid_from: date("valid_from"),
        valid_to: date("valid_to").or_else(|| date("until")),
    })
}

impl Slot {
    fn valid_on(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|from| date >= from) && self.valid_to.is_none_or(|to| date <= to)
    }

    /// Open at this Brussels wall-clock date and minute?
    fn open_at(&self, date: Date, minute: u16) -> bool {
        let today = day_bit(date.weekday());
        if self.opens < self.closes {
            return self.days & today != 0
                && self.valid_on(date)
                && (self.opens..self.closes).contains(&minute);
        }
        // Past midnight: the evening of an opening day, or the small hours after one.
        let evening = self.days & today != 0 && self.valid_on(date) && minute >= self.opens;
        let yesterday = date.yesterday().ok();
        let night = yesterday.is_some_and(|y| {
            self.days & day_bit(y.weekday()) != 0 && self.valid_on(y) && minute < self.closes
        });
        evening || night
    }
}

/// Brussels wall-clock date and minute of an instant.
pub fn brussels(at: Timestamp) -> (Date, u16) {
    let zone = TimeZone::get("Europe/Brussels").unwrap_or(TimeZone::UTC);
    let local: Zoned = at.to_zoned(zone);
    let minute =
        u16::try_from(local.hour()).unwrap_or(0) * 60 + u16::try_from(local.minute()).unwrap_or(0);
    (local.date(), minute)
}

/// Is any of these slots open at this instant?
pub fn open_at(slots: &[Slot], at: Timestamp) -> bool {
    let (date, minute) = brussels(at);
    open_at_local(slots, date, minute)
}

/// Is any of these slots open at this Brussels date and minute after midnight?
pub fn open_at_local(slots: &[Slot], date: Date, minute: u16) -> bool {
    slots.iter().any(|s| s.open_at(date, minute))
}

const SLOT_BYTES: usize = 13;
const NO_DATE: i32 = i32::MIN;

fn date_code(date: Option<Date>) -> i32 {
    date.map_or(NO_DATE, |d| {
        i32::from(d.year()) * 10_000 + i32::from(d.month()) * 100 + i32::from(d.day())
    })
}

fn date_of(code: i32) -> Option<Date> {
    if code == NO_DATE {
        return None;
    }
    let year = i16::try_from(code / 10_000).ok()?;
    let month = i8::try_from(code / 100 % 100).ok()?;
    let day = i8::try_from(code % 100).ok()?;
    Date::new(year, month, day).ok()
}

/// Slots as the bytes the search index keeps per service (13 bytes a slot).
pub fn encode(slots: &[Slot]) -> Vec<u8> {
    let mut out = Vec::with_capacity(slots.len() * SLOT_BYTES);
    for s in slots {
        out.push(s.days);
        out.extend_from_slice(&s.opens.to_le_bytes());
        out.extend_from_slice(&s.closes.to_le_bytes());
        out.extend_from_slice(&date_code(s.valid_from).to_le_bytes());
        out.extend_from_slice(&date_code(s.valid_to).to_le_bytes());
    }
    out
}

fn slot_of(c: &[u8]) -> Slot {
    let u16_at = |i: usize| u16::from_le_bytes([c[i], c[i + 1]]);
    let i32_at = |i: usize| i32::from_le_bytes([c[i], c[i + 1], c[i + 2], c[i + 3]]);
    Slot {
        days: c[0],
        opens: u16_at(1),
        closes: u16_at(3),
        valid_from: date_of(i32_at(5)),
        valid_to: date_of(i32_at(9)),
    }
}

/// The slots of [`encode`]; bytes that do not make whole slots are ignored.
pub fn decode(bytes: &[u8]) -> Vec<Slot> {
    bytes.chunks_exact(SLOT_BYTES).map(slot_of).collect()
}

/// [`open_at_local`] straight on encoded slots, without allocating: the search runs it on every
/// matching service when "open now" is asked.
pub fn open_encoded(bytes: &[u8], date: Date, minute: u16) -> bool {
    bytes
        .chunks_exact(SLOT_BYTES)
        .any(|c| slot_of(c).open_at(date, minute))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(json: serde_json::Value) -> Fields {
        match json {
            Value::Object(map) => map,
            _ => Fields::new(),
        }
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a timestamp")
    }

    #[test]
    fn monday_nine_to_twelve_in_brussels_time_across_the_daylight_saving_change() {
        let slots = vec![
            slot(&schedule(serde_json::json!({
                "id": "s", "freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "12:00"
            })))
            .expect("weekly"),
        ];
        // Winter (UTC+1): Monday 23 March 2026.
        assert!(
            open_at(&slots, at("2026-03-23T09:00:00Z")),
            "10:00 in Brussels"
        );
        assert!(
            !open_at(&slots, at("2026-03-23T11:30:00Z")),
            "12:30 in Brussels"
        );
        assert!(
            open_at(&slots, at("2026-03-23T10:30:00Z")),
            "11:30 in Brussels"
        );
        // Summer (UTC+2) from Sunday 29 March: the same wall-clock hours, other UTC hours.
        assert!(
            open_at(&slots, at("2026-03-30T08:00:00Z")),
            "10:00 in Brussels"
        );
        assert!(
            !open_at(&slots, at("2026-03-30T10:30:00Z")),
            "12:30 in Brussels"
        );
        assert!(
            !open_at(&slots, at("2026-03-30T06:30:00Z")),
            "08:30 in Brussels"
        );
        // Back to winter on Sunday 25 October 2026; Monday 26 October.
        assert!(
            open_at(&slots, at("2026-10-26T10:30:00Z")),
            "11:30 in Brussels"
        );
        assert!(
            !open_at(&slots, at("2026-10-26T11:30:00Z")),
            "12:30 in Brussels"
        );
        // Not on a Tuesday.
        assert!(!open_at(&slots, at("2026-03-24T09:00:00Z")));
    }

    #[test]
    fn opening_times_with_seconds_nights_and_validity_dates() {
        let night = slot(&schedule(serde_json::json!({
            "id": "n", "freq": "WEEKLY", "byday": "FR,SA", "opens_at": "22:00:00", "closes_at": "06:00:00"
        })))
        .expect("night");
        // Saturday 28 March 2026, 03:00 in Brussels (02:00 UTC): Friday's night.
        assert!(open_at(&[night], at("2026-03-28T02:00:00Z")));
        // Monday 30 March, 03:00 in Brussels: Sunday has no night.
        assert!(!open_at(&[night], at("2026-03-30T01:00:00Z")));
        let until = slot(&schedule(serde_json::json!({
            "id": "u", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00",
            "valid_to": "2026-03-27"
        })))
        .expect("bounded");
        assert!(open_at(&[until], at("2026-03-27T10:00:00Z")));
        assert!(!open_at(&[until], at("2026-03-30T10:00:00Z")));
    }

    #[test]
    fn schedules_that_say_nothing_of_every_week_are_not_read() {
        let monthly = schedule(serde_json::json!({
            "id": "m", "freq": "MONTHLY", "bymonthday": "2,3,4", "opens_at": "10:00", "closes_at": "18:00"
        }));
        assert_eq!(slot(&monthly), None);
        let words = schedule(serde_json::json!({"id": "w", "description": "sur rendez-vous"}));
        assert_eq!(slot(&words), None);
        let bad_day = schedule(serde_json::json!({
            "id": "b", "freq": "WEEKLY", "byday": "XX", "opens_at": "10:00", "closes_at": "18:00"
        }));
        assert_eq!(slot(&bad_day), None);
    }

    #[test]
    fn slots_survive_their_encoding() {
        let slots = vec![
            Slot {
                days: 0b1_0101,
                opens: 540,
                closes: 720,
                valid_from: None,
                valid_to: Date::new(2027, 6, 30).ok(),
            },
            Slot {
                days: ALL_DAYS,
                opens: 1320,
                closes: 360,
                valid_from: Date::new(2026, 1, 1).ok(),
                valid_to: None,
            },
        ];
        assert_eq!(decode(&encode(&slots)), slots);
        // Wednesday 25 November 2026, 10:00: the first slot (Monday, Wednesday, Friday 9–12) is open.
        let wednesday = Date::new(2026, 11, 25).expect("a date");
        assert!(open_encoded(&encode(&slots), wednesday, 600));
        assert!(!open_encoded(&encode(&slots[..1]), wednesday, 730));
        assert!(decode(&[1, 2, 3]).is_empty());
    }
}
