//! Diapason groups in the window: the team's groups, one group's work, its edits, the recommendations
//! whose follow-up is due, and the report saved in the sheets folder.

use proxi::error::ErrorReport;
use proxi::group::{Group, GroupEdit, GroupInput, GroupSummary, RecommendationDue};
use uuid::Uuid;

use super::session::{Session, locked};
use super::sheet::{SavedSheet, save_for};

#[tauri::command]
pub fn groups(session: tauri::State<'_, Session>) -> Result<Vec<GroupSummary>, ErrorReport> {
    let guard = session.guard();
    let app = guard.as_ref().ok_or_else(locked)?;
    Ok(app.groups()?)
}

#[tauri::command]
pub fn group(session: tauri::State<'_, Session>, id: Uuid) -> Result<Group, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    Ok(app.group(id)?)
}

/// Starts a group; returns its id.
#[tauri::command]
pub fn new_group(
    session: tauri::State<'_, Session>,
    input: GroupInput,
) -> Result<Uuid, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    Ok(app.new_group(input)?)
}

/// Applies one edit to a group; returns the group as it is now.
#[tauri::command]
pub fn edit_group(
    session: tauri::State<'_, Session>,
    id: Uuid,
    edit: GroupEdit,
) -> Result<Group, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    app.edit_group(id, edit)?;
    Ok(app.group(id)?)
}

/// The recommendations whose next follow-up falls on or before `horizon`.
#[tauri::command]
pub fn recommendations_due(
    session: tauri::State<'_, Session>,
    horizon: jiff::civil::Date,
) -> Result<Vec<RecommendationDue>, ErrorReport> {
    let guard = session.guard();
    let app = guard.as_ref().ok_or_else(locked)?;
    Ok(app.recommendations_due(horizon)?)
}

/// Saves the group's report in `lang` (French or Dutch) in the sheets folder.
#[tauri::command]
pub fn print_group(
    session: tauri::State<'_, Session>,
    id: Uuid,
    lang: String,
) -> Result<SavedSheet, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let pdf = app.group_report(id, &lang)?;
    let name = app.group(id)?.name;
    let path = save_for(&name, id, &format!("rapport {lang}"), "pdf", &pdf)?;
    Ok(SavedSheet {
        path: path.display().to_string(),
    })
}
