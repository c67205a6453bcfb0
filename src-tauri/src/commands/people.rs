//! The people list.

use proxi::error::ErrorReport;
use proxi::store::{PeopleQuery, PersonSummary};

use super::session::{Session, locked};

#[tauri::command]
pub fn list_people(
    session: tauri::State<'_, Session>,
    query: PeopleQuery,
) -> Result<Vec<PersonSummary>, ErrorReport> {
    let guard = session.guard();
    let app = guard.as_ref().ok_or_else(locked)?;
    Ok(app.people(&query)?)
}
