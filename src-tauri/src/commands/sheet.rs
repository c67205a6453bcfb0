//! The priority sheet: printed to a PDF file the referent can open, print or hand over.

use std::path::PathBuf;

use proxi::error::{ErrorCode, ErrorReport};
use serde::Serialize;
use uuid::Uuid;

use super::session::{Session, locked};

/// Where a sheet was saved.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/lib/bindings/")]
pub struct SavedSheet {
    pub path: String,
}

/// The folder sheets go to: `PROXI_SHEETS_DIR`, else Documents/Proxi, else the home folder.
fn sheets_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PROXI_SHEETS_DIR") {
        return PathBuf::from(dir);
    }
    let user = directories::UserDirs::new();
    let base = user
        .as_ref()
        .and_then(|u| u.document_dir().map(PathBuf::from))
        .or_else(|| user.as_ref().map(|u| u.home_dir().to_path_buf()))
        .unwrap_or_else(std::env::temp_dir);
    base.join("Proxi")
}

fn io_error(e: std::io::Error) -> ErrorReport {
    ErrorReport {
        code: ErrorCode::SheetFailed,
        message: format!(
            "the sheet could not be saved ({e}): check that the Documents folder is writable"
        ),
        violations: Vec::new(),
    }
}

#[tauri::command]
pub fn print_sheet(
    session: tauri::State<'_, Session>,
    person: Uuid,
) -> Result<SavedSheet, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let pdf = app.sheet(person, None, None)?;
    let name: String = app
        .plan(person)?
        .person
        .first_name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    let dir = sheets_dir();
    std::fs::create_dir_all(&dir).map_err(io_error)?;
    // "Hervé 2026-11-23 5327.pdf": who, when, and a few characters of the id for namesakes.
    let id = person.simple().to_string();
    let today = proxi::clock::Clock::today(&proxi::clock::SystemClock);
    let name = if name.is_empty() {
        "fiche".to_owned()
    } else {
        name
    };
    let path = dir.join(format!("{name} {today} {}.pdf", &id[id.len() - 4..]));
    std::fs::write(&path, pdf).map_err(io_error)?;
    Ok(SavedSheet {
        path: path.display().to_string(),
    })
}
