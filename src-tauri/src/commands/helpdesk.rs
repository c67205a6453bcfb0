//! The organisation's helpdesk: shown in the window, set in the settings.

use proxi::error::ErrorReport;
use proxi::helpdesk::Helpdesk;

use super::session::{Session, locked};

#[tauri::command]
pub fn helpdesk(session: tauri::State<'_, Session>) -> Result<Option<Helpdesk>, ErrorReport> {
    let guard = session.guard();
    let app = guard.as_ref().ok_or_else(locked)?;
    Ok(app.helpdesk()?)
}

/// Sets the helpdesk (none: takes it away); gives it back as kept.
#[tauri::command]
pub fn set_helpdesk(
    session: tauri::State<'_, Session>,
    helpdesk: Option<Helpdesk>,
) -> Result<Option<Helpdesk>, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    app.set_helpdesk(helpdesk)?;
    Ok(app.helpdesk()?)
}
