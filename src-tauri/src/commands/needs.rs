//! The bassin's needs watch in the window: one table at a time, small counts hidden, saved as CSV for
//! the bassin's coordination.

use proxi::error::ErrorReport;
use proxi::needs::{K, NeedsQuery, NeedsTable};

use super::session::{Session, locked};
use super::sheet::{file_name_part, io_error, sheets_dir};

#[tauri::command]
pub fn needs_watch(
    session: tauri::State<'_, Session>,
    query: NeedsQuery,
) -> Result<NeedsTable, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    Ok(app.needs_watch(&query, K)?)
}

/// Saves the table as CSV in the sheets folder; returns where.
#[tauri::command]
pub fn save_needs_csv(
    session: tauri::State<'_, Session>,
    query: NeedsQuery,
) -> Result<String, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let table = app.needs_watch(&query, K)?;
    let csv = proxi::needs::to_csv(&table).map_err(|e| ErrorReport {
        code: proxi::ErrorCode::Storage,
        message: e.to_string(),
        violations: Vec::new(),
    })?;
    let name = |v: serde_json::Result<serde_json::Value>| {
        v.ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let dir = sheets_dir();
    std::fs::create_dir_all(&dir).map_err(io_error)?;
    let path = dir.join(format!(
        "besoins {} {} {}.csv",
        name(serde_json::to_value(table.kind)),
        name(serde_json::to_value(table.level)),
        file_name_part(&table.period)
    ));
    std::fs::write(&path, csv).map_err(io_error)?;
    Ok(path.display().to_string())
}
