//! Focus guides: the list, one guide with the services of a bassin first, its PDF saved in the sheets
//! folder, and guide files found where files arrive, imported.

use std::path::PathBuf;

use proxi::error::ErrorReport;
use proxi::guide::{GuideImport, GuideSummary, GuideView};
use proxi::territory::Bassin;
use uuid::Uuid;

use super::directory::first_bytes;
use super::hospital::{FoundFile, files_where};
use super::session::{Session, locked};
use super::sheet::{SavedSheet, save_for};

/// The guides, by title, with whether each was checked over a year ago.
#[tauri::command]
pub fn guides(session: tauri::State<'_, Session>) -> Result<Vec<GuideSummary>, ErrorReport> {
    let guard = session.guard();
    let app = guard.as_ref().ok_or_else(locked)?;
    Ok(app.guides()?)
}

/// One guide, with the directory's services of `bassin` (else of the person's bassin) first.
#[tauri::command]
pub fn guide(
    session: tauri::State<'_, Session>,
    id: String,
    person: Option<Uuid>,
    bassin: Option<Bassin>,
) -> Result<GuideView, ErrorReport> {
    session.with(|app| app.guide(&id, person, bassin))
}

/// Saves the guide in `lang` (fr or nl) in the sheets folder, to print or hand over.
#[tauri::command]
pub fn print_guide(
    session: tauri::State<'_, Session>,
    id: String,
    person: Option<Uuid>,
    bassin: Option<Bassin>,
    lang: String,
) -> Result<SavedSheet, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let pdf = app.guide_pdf(&id, person, bassin, &lang)?;
    let path = save_for(&id, person.unwrap_or_default(), lang.as_str(), "pdf", &pdf)?;
    Ok(SavedSheet {
        path: path.display().to_string(),
    })
}

/// The Focus guide files in the places files arrive, the newest first.
#[tauri::command]
pub fn guide_files() -> Vec<FoundFile> {
    files_where(is_guide_file)
}

/// A JSON file that names the guides' format at its start.
fn is_guide_file(path: &std::path::Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        && first_bytes(path).is_some_and(|head| head.contains(proxi::guide::GUIDE_FORMAT))
}

/// Imports a guide file: a new guide or a newer version; an older or wrong one changes nothing.
#[tauri::command]
pub fn import_guide(
    session: tauri::State<'_, Session>,
    path: String,
) -> Result<GuideImport, ErrorReport> {
    let path = PathBuf::from(path.trim());
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    Ok(app.import_guide(&path)?)
}

#[cfg(test)]
mod tests {
    use super::super::directory::looks_like_hsds;
    use super::is_guide_file;

    /// A guide file names `"services"` and `"id"` like an HSDS file: each finder keeps to its own.
    #[test]
    fn a_guide_file_is_found_as_a_guide_never_as_a_directory_file() {
        let dir = tempfile::tempdir().expect("a folder");
        let guide = dir.path().join("focus-diabete (1).json");
        std::fs::write(
            &guide,
            include_str!("../../../data/guides/focus-diabete.json"),
        )
        .expect("write");
        let hsds = dir.path().join("services.json");
        std::fs::write(
            &hsds,
            r#"[{"id": "s1", "name": "Service Exemple", "organization_id": "o1"}]"#,
        )
        .expect("write");
        assert!(is_guide_file(&guide));
        assert!(!looks_like_hsds(&guide));
        assert!(looks_like_hsds(&hsds));
        assert!(!is_guide_file(&hsds));
    }
}
