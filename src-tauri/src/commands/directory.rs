//! The directory of services: search as the referent types, and one service's card.

use std::path::{Path, PathBuf};

use proxi::directory::index::{SearchResult, ServiceQuery};
use proxi::directory::{ImportReport, ServiceCard};
use proxi::error::ErrorReport;

use super::hospital::{FoundFile, files_where};
use super::session::{Session, locked};

/// Services matching the words and filters, best first ("open now" in Brussels time).
#[tauri::command]
pub fn search_services(
    session: tauri::State<'_, Session>,
    query: ServiceQuery,
) -> Result<SearchResult, ErrorReport> {
    session.with(|app| app.search_services(&query))
}

/// Every language the directory's services declare, for its language filter.
#[tauri::command]
pub fn directory_languages(session: tauri::State<'_, Session>) -> Result<Vec<String>, ErrorReport> {
    session.with(|app| app.directory_languages())
}

/// Everything about one service, to orient someone to it.
#[tauri::command]
pub fn service_card(
    session: tauri::State<'_, Session>,
    id: String,
) -> Result<ServiceCard, ErrorReport> {
    session.with(|app| app.service(&id))
}

/// The 145 monitoring quartiers as SVG outlines, for the directory's map (reference data, not personal).
#[tauri::command]
pub fn territory_map() -> proxi::territory::TerritoryMap {
    proxi::territory::map().clone()
}

/// The directory files in the places files arrive: HSDS JSON files (a Proxi backup or a handover is
/// not one) and folders holding CSV tables, the newest first.
#[tauri::command]
pub fn directory_files() -> Vec<FoundFile> {
    files_where(|path| {
        if path.is_dir() {
            return holds_csv_tables(path);
        }
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            && looks_like_hsds(path)
    })
}

/// A folder with a CSV file whose header has an `id` column (a datapackage's tables).
fn holds_csv_tables(folder: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        path.extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
            && first_bytes(&path).is_some_and(|head| {
                head.lines().next().is_some_and(|h| {
                    h.split(',')
                        .any(|c| c.trim().trim_start_matches('\u{feff}') == "id")
                })
            })
    })
}

/// The start of a JSON file that holds directory records: ids and a word of HSDS, not a FHIR Bundle
/// (nor a person's record exported by Proxi, which names none of these).
pub(super) fn looks_like_hsds(path: &Path) -> bool {
    const HSDS: &[&str] = &[
        "\"contents\"",
        "\"organization",
        "\"service",
        "\"location",
        "\"address_1\"",
        "\"taxonomy",
    ];
    first_bytes(path).is_some_and(|head| {
        head.contains("\"id\"")
            && !head.contains("\"resourceType\"")
            && !head.contains(proxi::guide::GUIDE_FORMAT)
            && HSDS.iter().any(|word| head.contains(word))
    })
}

pub(super) fn first_bytes(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = vec![0u8; 4096];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut head).ok()?;
    head.truncate(n);
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// Imports a directory file or folder, all or nothing; what it did, with what was missing or filled in.
#[tauri::command]
pub fn import_directory(
    session: tauri::State<'_, Session>,
    path: String,
) -> Result<ImportReport, ErrorReport> {
    let path = PathBuf::from(path.trim());
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    Ok(app.import_directory(&path)?)
}
