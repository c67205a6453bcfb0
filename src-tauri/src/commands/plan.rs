//! One person's plan: open it, edit it (every edit is saved at once), read its history.

use proxi::document::HistoryEntry;
use proxi::domain::{PersonInput, PlanDocument};
use proxi::edit::PlanEdit;
use proxi::error::ErrorReport;
use proxi::store::AuditEntry;
use uuid::Uuid;

use super::session::Session;

/// Creates a person with an empty plan and returns their id.
#[tauri::command]
pub fn create_person(
    session: tauri::State<'_, Session>,
    input: PersonInput,
) -> Result<Uuid, ErrorReport> {
    session.with(|app| app.create_person(input))
}

/// The plan of one person, for the screen (the opening is written to the audit log).
#[tauri::command]
pub fn open_plan(
    session: tauri::State<'_, Session>,
    person: Uuid,
) -> Result<PlanDocument, ErrorReport> {
    session.with(|app| app.open_plan(person))
}

/// Applies one edit, saved before this returns, and gives back the plan as it now is.
#[tauri::command]
pub fn edit_plan(
    session: tauri::State<'_, Session>,
    person: Uuid,
    edit: PlanEdit,
) -> Result<PlanDocument, ErrorReport> {
    session.with(|app| {
        app.apply(person, edit)?;
        app.plan(person)
    })
}

/// What changed in the plan, newest first, with who and which device.
#[tauri::command]
pub fn plan_history(
    session: tauri::State<'_, Session>,
    person: Uuid,
) -> Result<Vec<HistoryEntry>, ErrorReport> {
    session.with(|app| app.history(person))
}

/// Who opened, printed, exported or erased this person's plan, and when (newest first).
#[tauri::command]
pub fn audit_log(
    session: tauri::State<'_, Session>,
    person: Uuid,
) -> Result<Vec<AuditEntry>, ErrorReport> {
    session.with(|app| app.audit_log(Some(person), 100))
}
