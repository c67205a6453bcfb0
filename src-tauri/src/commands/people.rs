//! The people list, the follow-up list across everyone, and the territory a postal code proposes.

use proxi::app::FollowUp;
use proxi::error::ErrorReport;
use proxi::settings::Settings;
use proxi::store::{PeopleQuery, PersonSummary};
use proxi::territory::PostalArea;

use super::session::Session;

#[tauri::command]
pub fn list_people(
    session: tauri::State<'_, Session>,
    query: PeopleQuery,
) -> Result<Vec<PersonSummary>, ErrorReport> {
    session.with(|app| app.people(&query))
}

/// Actions due this week or overdue, plans due for review, and orientations without news for as
/// many days as the referent chose, across everyone.
#[tauri::command]
pub fn follow_up(session: tauri::State<'_, Session>) -> Result<FollowUp, ErrorReport> {
    let stuck_days = Settings::load(&session.real_path()).stuck_days;
    session.with(|app| app.follow_up(7, stuck_days))
}

/// Every Brussels postal code with the commune and bassin it proposes (reference data, not personal).
#[tauri::command]
pub fn postal_areas() -> Vec<PostalArea> {
    proxi::territory::areas().to_vec()
}
