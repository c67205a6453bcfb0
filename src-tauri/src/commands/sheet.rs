//! The priority sheet: printed to a PDF file the referent can open, print or hand over.

use std::path::PathBuf;

use proxi::error::{ErrorCode, ErrorReport};
use serde::Serialize;
use uuid::Uuid;

use proxi::printing::{self, Printer};

use super::session::{Session, locked, off_thread};

/// Where a sheet was saved.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedSheet {
    pub path: String,
}

/// The folder sheets go to: `PROXI_SHEETS_DIR`, else Documents/Proxi, else the home folder.
pub fn sheets_dir() -> PathBuf {
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

/// A name as it goes in a file name: letters, digits, dashes and spaces.
pub fn file_name_part(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ')
        .collect()
}

/// Writes `bytes` in the sheets folder as "<name> <what> <today> <last four of the id>.<ext>": who,
/// what, when, and a few characters of the id for namesakes; returns the path.
pub fn save_for(
    name: &str,
    person: uuid::Uuid,
    what: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<PathBuf, ErrorReport> {
    let today = proxi::clock::Clock::today(&proxi::clock::SystemClock);
    let id = person.simple().to_string();
    let dir = sheets_dir();
    std::fs::create_dir_all(&dir).map_err(io_error)?;
    let path = dir.join(format!(
        "{} {what} {today} {}.{ext}",
        file_name_part(name),
        &id[id.len() - 4..]
    ));
    std::fs::write(&path, bytes).map_err(io_error)?;
    Ok(path)
}

pub fn io_error(e: std::io::Error) -> ErrorReport {
    ErrorReport {
        code: ErrorCode::SheetFailed,
        message: format!(
            "the sheet could not be saved ({e}): check that the Documents folder is writable"
        ),
        violations: Vec::new(),
    }
}

/// The voice reading a sheet now, if any (one at a time: a new reading stops the last).
static READING: std::sync::Mutex<Option<std::process::Child>> = std::sync::Mutex::new(None);

/// Reads the person's sheet aloud in `lang` (by default theirs), for a person who cannot read; returns
/// at once, the voice goes on until the end or [`stop_reading`].
#[tauri::command]
pub fn read_sheet_aloud(
    session: tauri::State<'_, Session>,
    person: Uuid,
    lang: Option<String>,
) -> Result<(), ErrorReport> {
    let (script, lang) = session.with(|app| app.sheet_script(person, lang.as_deref()))?;
    let child = proxi::sheet::speech::speak(&script, &lang, None).map_err(proxi::Error::from)?;
    let mut reading = READING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(mut last) = reading.replace(child) {
        let _ = last.kill();
        let _ = last.wait();
    }
    Ok(())
}

/// Stops the voice reading a sheet, if one is.
#[tauri::command]
pub fn stop_reading() {
    let mut reading = READING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(mut child) = reading.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The languages the sheet is printed in, with their names and whether a native speaker checked them.
#[tauri::command]
pub fn sheet_languages() -> Result<Vec<proxi::sheet::SheetLanguage>, ErrorReport> {
    Ok(proxi::sheet::sheet_languages().map_err(proxi::Error::from)?)
}

/// Makes the sheet and saves it in the sheets folder: the person's (in `lang`, by default the
/// person's language; with no language noted, `fallback`, the window's) or, with no person, the blank
/// sheet for a first visit on paper.
#[tauri::command]
pub fn print_sheet(
    session: tauri::State<'_, Session>,
    person: Option<Uuid>,
    lang: Option<String>,
    fallback: Option<String>,
) -> Result<SavedSheet, ErrorReport> {
    let today = proxi::clock::Clock::today(&proxi::clock::SystemClock);
    let (pdf, name) = match person {
        None => {
            let lang = lang.as_deref().unwrap_or("fr");
            let pdf = proxi::sheet::render_blank(lang, today).map_err(proxi::Error::from)?;
            (pdf, format!("fiche vierge {lang} {today}.pdf"))
        }
        Some(person) => {
            let mut guard = session.guard();
            let app = guard.as_mut().ok_or_else(locked)?;
            // No language noted for the person: the window's (`fallback`), which the window says.
            let pdf = match app.sheet(person, lang.as_deref(), None) {
                Err(proxi::Error::SheetLanguageMissing(noted)) if noted.is_empty() => {
                    app.sheet(person, fallback.as_deref(), None)?
                }
                other => other?,
            };
            let first: String = app
                .plan(person)?
                .person
                .first_name
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            let first = if first.is_empty() {
                "fiche".to_owned()
            } else {
                first
            };
            // "Hervé 2026-11-23 5327.pdf": who, when, and a few characters of the id for namesakes.
            let id = person.simple().to_string();
            let suffix = lang.map(|l| format!(" {l}")).unwrap_or_default();
            (
                pdf,
                format!("{first} {today} {}{suffix}.pdf", &id[id.len() - 4..]),
            )
        }
    };
    let dir = sheets_dir();
    std::fs::create_dir_all(&dir).map_err(io_error)?;
    let path = dir.join(name);
    std::fs::write(&path, pdf).map_err(io_error)?;
    Ok(SavedSheet {
        path: path.display().to_string(),
    })
}

/// Where the recovery key's page waits while it is printed: a folder of this user's alone (the
/// session's runtime folder where there is one), never next to the store, emptied once the referent
/// confirmed they kept the key.
pub fn recovery_dir() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join(format!("proxi-recovery-{}", std::process::id()))
}

/// A saved sheet, checked to be one of ours (in the sheets folder or the recovery page's, a PDF).
fn saved_sheet(path: &str) -> Result<PathBuf, ErrorReport> {
    let path = PathBuf::from(path);
    let ours = path
        .parent()
        .is_some_and(|p| p == sheets_dir() || p == recovery_dir())
        && path.extension().is_some_and(|e| e == "pdf")
        && path.is_file();
    if ours {
        Ok(path)
    } else {
        Err(ErrorReport {
            code: ErrorCode::SheetFailed,
            message: format!(
                "{} is not a sheet saved by Proxi: make it again",
                path.display()
            ),
            violations: Vec::new(),
        })
    }
}

/// The printers of this computer, the default one first.
#[tauri::command]
pub async fn list_printers() -> Result<Vec<Printer>, ErrorReport> {
    off_thread("listing the printers", || Ok(printing::printers())).await
}

/// Sends a saved sheet to a printer; gives the print job's id.
#[tauri::command]
pub async fn send_to_printer(path: String, printer: String) -> Result<String, ErrorReport> {
    let path = saved_sheet(&path)?;
    off_thread("printing", move || {
        printing::print_file(&path, &printer, "Proxi")
    })
    .await
}

/// Opens a saved sheet in the system's PDF viewer, to look at it before printing.
#[tauri::command]
pub fn open_sheet(path: String) -> Result<(), ErrorReport> {
    let path = saved_sheet(&path)?;
    std::process::Command::new("xdg-open")
        .arg(&path)
        .spawn()
        .map(|_| ())
        .map_err(|e| ErrorReport {
            code: ErrorCode::SheetFailed,
            message: format!(
                "no PDF viewer could be opened ({e}): the sheet is saved at {}",
                path.display()
            ),
            violations: Vec::new(),
        })
}
