//! The people list.

use proxi::error::{ErrorCode, ErrorReport};
use proxi::store::{PeopleQuery, PersonSummary};

use super::session::Session;

fn locked() -> ErrorReport {
    ErrorReport {
        code: ErrorCode::StoreLocked,
        message: "the store is locked: enter the passphrase first".into(),
        violations: Vec::new(),
    }
}

#[tauri::command]
pub fn list_people(
    session: tauri::State<'_, Session>,
    query: PeopleQuery,
) -> Result<Vec<PersonSummary>, ErrorReport> {
    let guard = session.guard();
    let app = guard.as_ref().ok_or_else(locked)?;
    Ok(app.people(&query)?)
}
