//! Hospital liaison and concertation in the window: the plan sent to a hospital professional as a FHIR
//! file (with the person's consent), a hospital's discharge file received as proposals, a plan handed
//! over to a colleague, and a concertation's times and invitation.

use std::path::{Path, PathBuf};

use proxi::error::ErrorReport;
use proxi::fhir::import::ImportSummary;
use serde::Serialize;
use uuid::Uuid;

use super::session::{Session, locked};
use super::setup::removable_disks;
use super::sheet::{file_name_part, save_for, sheets_dir};

/// A FHIR file found where files from hospitals arrive.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FoundFile {
    pub path: String,
    /// The file's name, as shown.
    pub name: String,
    /// When it was last written (RFC 3339), for the newest first.
    pub modified: String,
}

/// Saves the plan of `person` as a FHIR file for `to` (a professional the person agreed to share
/// with) in the sheets folder; returns where. Refused and audited without that consent.
#[tauri::command]
pub fn fhir_export(
    session: tauri::State<'_, Session>,
    person: Uuid,
    to: String,
) -> Result<String, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let bundle = app.fhir_export(person, &to)?;
    let text = serde_json::to_string_pretty(&bundle).map_err(|e| ErrorReport {
        code: proxi::ErrorCode::Storage,
        message: e.to_string(),
        violations: Vec::new(),
    })?;
    let name = app.plan(person)?.person.display_name;
    let path = save_for(
        &name,
        person,
        "plan pour l'hôpital",
        "json",
        (text + "\n").as_bytes(),
    )?;
    Ok(path.display().to_string())
}

/// Saves the one-page liaison sheet for the hospital ward (in `lang`: French or Dutch, the hospital's
/// language) in the sheets folder.
#[tauri::command]
pub fn print_liaison(
    session: tauri::State<'_, Session>,
    person: Uuid,
    lang: String,
) -> Result<super::sheet::SavedSheet, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let pdf = app.liaison_sheet(person, &lang)?;
    let first = app.plan(person)?.person.first_name;
    let path = save_for(&first, person, &format!("liaison {lang}"), "pdf", &pdf)?;
    Ok(super::sheet::SavedSheet {
        path: path.display().to_string(),
    })
}

/// The JSON files that look like FHIR Bundles in the places files arrive: the Downloads and Documents
/// folders, Proxi's folder, USB sticks; the newest first.
#[tauri::command]
pub fn hospital_files() -> Vec<FoundFile> {
    files_where(|path| {
        path.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            && looks_like_bundle(path)
    })
}

/// The handover files (`.proxihandover`) in the places files arrive, the newest first.
#[tauri::command]
pub fn handover_files() -> Vec<FoundFile> {
    files_where(|path| {
        path.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("proxihandover"))
    })
}

/// Where a plan was sealed for a colleague, and the code to tell them.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HandoverSaved {
    pub path: String,
    pub code: String,
}

/// Seals `person`'s whole plan for the colleague `to` in the sheets folder; the window shows the
/// one-time code to tell them by phone.
#[tauri::command]
pub fn handover_out(
    session: tauri::State<'_, Session>,
    person: Uuid,
    to: String,
) -> Result<HandoverSaved, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let handed = app.handover_out(person, &to)?;
    let name = app.plan(person)?.person.display_name;
    let what = format!("pour {}", file_name_part(&to));
    let path = save_for(&name, person, &what, "proxihandover", &handed.file)?;
    Ok(HandoverSaved {
        path: path.display().to_string(),
        code: handed.code,
    })
}

/// Who handed a plan over, to whom and when, as the file says (before the code is typed).
#[tauri::command]
pub fn handover_peek(file: String) -> Result<proxi::handover::HandoverFrom, ErrorReport> {
    let bytes = read_handover(&file)?;
    Ok(proxi::handover::peek(&bytes)?)
}

/// Opens a colleague's handover file with the code they told; returns the person's id.
#[tauri::command]
pub fn handover_in(
    session: tauri::State<'_, Session>,
    file: String,
    code: String,
) -> Result<Uuid, ErrorReport> {
    let bytes = read_handover(&file)?;
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    Ok(app.handover_in(&bytes, &code)?)
}

fn read_handover(file: &str) -> Result<Vec<u8>, ErrorReport> {
    let path = PathBuf::from(file.trim());
    let refused = |why: String| -> ErrorReport { proxi::Error::HandoverInvalid(why).into() };
    let size = std::fs::metadata(&path)
        .map_err(|e| refused(format!("{} cannot be read ({e})", path.display())))?
        .len();
    if size > proxi::handover::MAX_FILE_BYTES {
        return Err(refused("the file is too large to be a handover".into()));
    }
    std::fs::read(&path).map_err(|e| refused(format!("{} cannot be read ({e})", path.display())))
}

/// The files in the places files arrive that `wanted` accepts, the newest first.
/// The files where files arrive (Downloads, Documents, the home folder, Proxi's folder, USB sticks)
/// that `wanted` keeps (it also sees folders: `wanted` says whether one is wanted), the newest first.
pub(super) fn files_where(wanted: impl Fn(&Path) -> bool) -> Vec<FoundFile> {
    let mut folders: Vec<PathBuf> = Vec::new();
    if let Some(user) = directories::UserDirs::new() {
        folders.extend(user.download_dir().map(Path::to_path_buf));
        folders.extend(user.document_dir().map(Path::to_path_buf));
        folders.push(user.home_dir().to_path_buf());
    }
    folders.push(sheets_dir());
    folders.extend(removable_disks().into_iter().map(|p| PathBuf::from(p.path)));
    let mut found = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if !wanted(&path) {
                continue;
            }
            let modified = meta
                .modified()
                .ok()
                .and_then(|m| jiff::Timestamp::try_from(m).ok())
                .map(|t| t.to_string())
                .unwrap_or_default();
            found.push(FoundFile {
                name: entry.file_name().to_string_lossy().into_owned(),
                path: path.display().to_string(),
                modified,
            });
        }
    }
    found.sort_by(|a, b| b.modified.cmp(&a.modified));
    found.dedup_by(|a, b| a.path == b.path);
    found
}

/// The start of the file names a FHIR Bundle.
fn looks_like_bundle(path: &Path) -> bool {
    use std::io::Read;
    let mut head = vec![0u8; 4096];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.contains("\"resourceType\"") && head.contains("\"Bundle\"")
}

/// Reads a hospital's discharge file into proposals for `person`'s plan (all or nothing).
#[tauri::command]
pub fn fhir_import(
    session: tauri::State<'_, Session>,
    person: Uuid,
    file: String,
) -> Result<ImportSummary, ErrorReport> {
    let path = PathBuf::from(file.trim());
    let size = std::fs::metadata(&path)
        .map_err(|e| file_error(&path, &e))?
        .len();
    if size > proxi::fhir::MAX_FILE_BYTES {
        return Err(proxi::Error::FhirFile {
            path: "$".into(),
            rule: format!(
                "the file is {} MB; a discharge file is at most {} MB",
                size / (1024 * 1024),
                proxi::fhir::MAX_FILE_BYTES / (1024 * 1024)
            ),
        }
        .into());
    }
    let bytes = std::fs::read(&path).map_err(|e| file_error(&path, &e))?;
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    Ok(app.fhir_import(person, &bytes)?)
}

fn file_error(path: &Path, e: &std::io::Error) -> ErrorReport {
    proxi::Error::FhirFile {
        path: "$".into(),
        rule: format!("{} cannot be read ({e})", path.display()),
    }
    .into()
}

/// The offered times of a concertation, those that gather the most first, with who is missing.
#[tauri::command]
pub fn concertation_times(
    session: tauri::State<'_, Session>,
    person: Uuid,
    concertation: Uuid,
) -> Result<Vec<proxi::concertation::SlotChoice>, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let plan = app.plan(person)?;
    let c = plan
        .plan
        .concertations
        .iter()
        .find(|c| c.id == concertation)
        .ok_or(proxi::Error::ItemNotFound {
            kind: "concertation",
            id: concertation,
        })?;
    Ok(proxi::concertation::rank_slots(c))
}

/// Saves the invitation (iCalendar) to a concertation, for everyone or one participant, in the
/// sheets folder; returns where.
#[tauri::command]
pub fn save_invitation(
    session: tauri::State<'_, Session>,
    person: Uuid,
    concertation: Uuid,
    participant: Option<Uuid>,
    lang: String,
) -> Result<String, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let ics = app.invitation(person, concertation, participant, &lang)?;
    let plan = app.plan(person)?;
    let who = participant
        .and_then(|id| {
            plan.plan
                .concertations
                .iter()
                .flat_map(|c| &c.participants)
                .find(|p| p.id == id)
                .map(|p| format!(" pour {}", file_name_part(&p.name)))
        })
        .unwrap_or_default();
    let path = save_for(
        &plan.person.display_name,
        person,
        &format!("invitation{who}"),
        "ics",
        ics.as_bytes(),
    )?;
    Ok(path.display().to_string())
}

/// Saves a concertation's report (or, with `attendance`, its attendance sheet) in `lang` (French or
/// Dutch) in the sheets folder.
#[tauri::command]
pub fn print_concertation(
    session: tauri::State<'_, Session>,
    person: Uuid,
    concertation: Uuid,
    attendance: bool,
    lang: String,
) -> Result<super::sheet::SavedSheet, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    let pdf = app.concertation_paper(person, concertation, attendance, &lang)?;
    let name = app.plan(person)?.person.display_name;
    let what = if attendance {
        "présences"
    } else {
        "compte rendu"
    };
    let path = save_for(
        &name,
        person,
        &format!("concertation {what} {lang}"),
        "pdf",
        &pdf,
    )?;
    Ok(super::sheet::SavedSheet {
        path: path.display().to_string(),
    })
}
