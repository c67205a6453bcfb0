//! Desktop reminders, sent by the running app (not by a separate autostarted process): only the app
//! holds the open store, so only it can name people and what is due. While the store is locked (and
//! at launch, before the passphrase), it counts from the due dates it kept beside the store at the
//! last lock: dates only, never a name (`proxi::reminders::DueDates`).
//!
//! When: once at launch, then every day at the time the referent chose (`Settings::reminder_time`),
//! as long as the window runs. Clicking a reminder brings the window forward and opens the plan.

use std::time::Duration;

use jiff::Zoned;
use proxi::Proxi;
use proxi::clock::brussels;
use proxi::error::ErrorReport;
use proxi::reminders::{self, DueDates, Notice};
use proxi::settings::Settings;
use tauri::{AppHandle, Emitter, Manager};

use super::session::Session;

/// The event the window listens to: the plan to open (a person's id), or `null` for the follow-up list.
pub const OPEN_EVENT: &str = "reminder-open";

/// How far ahead the kept dates look (days pass while the window is locked).
const DATES_AHEAD_DAYS: i64 = 365;

/// Keeps the due dates of `app`'s store beside it, for the counts of a locked window. Reminders
/// switched off: the file is removed instead.
pub fn keep_due_dates(app: &Proxi, settings: &Settings) -> proxi::error::Result<()> {
    let path = app.store().path().to_path_buf();
    if !settings.reminders {
        return DueDates::forget(&path);
    }
    DueDates::of(&app.follow_up(DATES_AHEAD_DAYS, settings.stuck_days)?).save(&path)
}

/// The notices due now: by name when the store is open, counts only when it is locked. The demo
/// store of fictional people reminds nothing.
fn notices(session: &Session, settings: &Settings) -> proxi::error::Result<Vec<Notice>> {
    if session.in_demo() {
        return Ok(Vec::new());
    }
    let lang = settings.language.as_deref().unwrap_or("fr");
    let mut guard = session.guard();
    if let Some(app) = guard.as_mut() {
        keep_due_dates(app, settings)?;
        return Ok(reminders::unlocked(
            &app.follow_up(0, settings.stuck_days)?,
            lang,
        ));
    }
    drop(guard);
    let today = Zoned::now().with_time_zone(brussels()).date();
    Ok(DueDates::load(&session.real_path())
        .and_then(|dates| reminders::locked(dates.counts(today), lang))
        .into_iter()
        .collect())
}

/// Shows what is due now; gives how many notices were shown.
fn remind(handle: &AppHandle) -> proxi::error::Result<u32> {
    let session = handle.state::<Session>();
    let settings = Settings::load(&session.real_path());
    let notices = notices(&session, &settings)?;
    for notice in &notices {
        let handle = handle.clone();
        reminders::show(notice, move |person| open(&handle, person))?;
    }
    Ok(u32::try_from(notices.len()).unwrap_or(u32::MAX))
}

/// A reminder was clicked: the window comes forward and opens the plan (after the unlock, if locked).
fn open(handle: &AppHandle, person: Option<uuid::Uuid>) {
    if let Some(window) = handle.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let _ = handle.emit(OPEN_EVENT, person.map(|p| p.to_string()));
}

/// "Show the reminders now", from the settings: what is due, at once; how many notices were shown.
#[tauri::command]
pub async fn remind_now(handle: AppHandle) -> Result<u32, ErrorReport> {
    super::session::off_thread("the reminders", move || remind(&handle)).await
}

/// Starts the reminders' clock: once at launch, then daily at the chosen time, while the app runs.
pub fn start(handle: AppHandle) {
    let spawned = std::thread::Builder::new()
        .name("proxi-reminders".into())
        .spawn(move || {
            // Let the window appear first (and the keyring open the store, if the referent chose so).
            // `PROXI_REMIND_AFTER_SECONDS`, for tests.
            let delay = std::env::var("PROXI_REMIND_AFTER_SECONDS")
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(8);
            std::thread::sleep(Duration::from_secs(delay));
            let mut last = Zoned::now();
            if Settings::load(&handle.state::<Session>().real_path()).reminders {
                report(remind(&handle));
            }
            loop {
                std::thread::sleep(Duration::from_secs(20));
                let settings = Settings::load(&handle.state::<Session>().real_path());
                let now = Zoned::now();
                if settings.reminders && crossed(&settings, &last, &now) {
                    report(remind(&handle));
                }
                last = now;
            }
        });
    if let Err(e) = spawned {
        eprintln!("proxi: the reminders could not start: {e}");
    }
}

/// Whether the chosen time of day fell between `last` and `now` (exclusive, inclusive).
fn crossed(settings: &Settings, last: &Zoned, now: &Zoned) -> bool {
    let Some(at) = settings.reminder_at() else {
        return false;
    };
    let Ok(due) = now.date().to_datetime(at).to_zoned(now.time_zone().clone()) else {
        return false;
    };
    *last < due && due <= *now
}

fn report(outcome: proxi::error::Result<u32>) {
    if let Err(e) = outcome {
        // No notification service (a desktop without one): the follow-up list still says it all.
        eprintln!("proxi: reminders: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Zoned {
        text.parse().expect("a zoned time")
    }

    #[test]
    fn the_daily_reminder_fires_once_when_its_time_is_crossed() {
        let settings = Settings {
            reminder_time: "09:00".into(),
            ..Settings::default()
        };
        let day = |h: &str| at(&format!("2026-12-03T{h}[Europe/Brussels]"));
        assert!(crossed(&settings, &day("08:59:50"), &day("09:00:10")));
        assert!(crossed(&settings, &day("08:59:50"), &day("09:00:00")));
        assert!(!crossed(&settings, &day("09:00:00"), &day("09:00:20")));
        assert!(!crossed(&settings, &day("08:30:00"), &day("08:59:59")));
        // The laptop slept through 9:00: it reminds when it wakes the same day.
        assert!(crossed(&settings, &day("07:00:00"), &day("11:00:00")));
        // Past midnight, the new day's time is ahead.
        assert!(!crossed(
            &settings,
            &day("23:59:50"),
            &at("2026-12-04T00:00:10[Europe/Brussels]")
        ));
    }
}
