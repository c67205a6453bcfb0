//! The person's rights, in the window: everything about them exported (the `proxi.person/1` JSON
//! and a readable PDF), and erasure everywhere.

use proxi::error::ErrorReport;
use serde::Serialize;
use uuid::Uuid;

use super::session::{Session, locked};
use super::sheet::{io_error, sheets_dir};

/// Where the person's record was saved.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportedRecord {
    /// The whole record as JSON (`proxi.person/1`), for another system or a lawyer.
    pub json: String,
    /// The same, readable, in the person's language.
    pub pdf: String,
}

/// What erasing did.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ErasedReport {
    /// This laptop is in a team: the colleagues' laptops and the relay erase the plan at their next
    /// sync.
    pub in_team: bool,
}

/// Saves everything about `person` in the sheets folder, as JSON and as a PDF to hand over. The PDF is
/// in the person's language when it is French, Dutch or English, else in the window's (`lang`): the
/// referent reads it with them, or with an interpreter.
#[tauri::command]
pub fn export_person(
    session: tauri::State<'_, Session>,
    person: Uuid,
    lang: Option<String>,
) -> Result<ExportedRecord, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let theirs = proxi::sheet::record_language_for(&app.plan(person)?);
    let pdf = app.record(person, theirs.or(lang.as_deref()))?;
    let json = serde_json::to_string_pretty(&app.export(person)?).map_err(|e| ErrorReport {
        code: proxi::ErrorCode::Storage,
        message: e.to_string(),
        violations: Vec::new(),
    })?;
    let first: String = app
        .plan(person)?
        .person
        .display_name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    let today = proxi::clock::Clock::today(&proxi::clock::SystemClock);
    let id = person.simple().to_string();
    let stem = format!("{first} dossier {today} {}", &id[id.len() - 4..]);
    let dir = sheets_dir();
    std::fs::create_dir_all(&dir).map_err(io_error)?;
    let (json_path, pdf_path) = (
        dir.join(format!("{stem}.json")),
        dir.join(format!("{stem}.pdf")),
    );
    std::fs::write(&json_path, json + "\n").map_err(io_error)?;
    std::fs::write(&pdf_path, pdf).map_err(io_error)?;
    Ok(ExportedRecord {
        json: json_path.display().to_string(),
        pdf: pdf_path.display().to_string(),
    })
}

/// Erases `person` from this laptop now, and from the team's laptops and the relay at their next
/// sync. The window asks twice, with the name typed, before calling this.
#[tauri::command]
pub fn erase_person(
    session: tauri::State<'_, Session>,
    person: Uuid,
) -> Result<ErasedReport, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    proxi::sync::team::erase(app, person)?;
    let in_team = proxi::sync::team::info(app.store_mut())?.is_some();
    Ok(ErasedReport { in_team })
}
