//! The first run and the care of the store: creating it, trying Proxi on fictional people, the
//! referent's settings, backups and restores. Everything a referent needs without a terminal.

use std::path::{Path, PathBuf};

use proxi::backup::{self, BackupInfo, RestoreReport};
use proxi::clock::{Clock, SystemClock};
use proxi::error::{Error, ErrorReport};
use proxi::passphrase::{self, Strength};
use proxi::settings::Settings;
use proxi::store::{KdfParams, Store};
use serde::Serialize;

use super::session::{DEMO_PASSPHRASE, Session, locked, off_thread};

/// How hard the passphrase being chosen is to guess, as it is typed.
#[tauri::command]
pub fn passphrase_strength(passphrase: String, author: String) -> Strength {
    passphrase::strength(&passphrase, &[&author])
}

/// Creates the referent's store: refuses a passphrase too easy to guess and an empty name, then
/// makes the store and its recovery key, and opens it. Returns the recovery key, shown once.
#[tauri::command]
pub async fn create_store(
    session: tauri::State<'_, Session>,
    passphrase: String,
    author: String,
) -> Result<String, ErrorReport> {
    let author = author.trim().to_owned();
    if author.is_empty() {
        return Err(Error::AuthorEmpty.into());
    }
    passphrase::check_new(&passphrase, &[&author])?;
    session.set_demo(false);
    let path = session.real_path();
    let (store, recovery) = off_thread("creating the store", move || {
        let mut store = Store::create(&path, &passphrase, KdfParams::RECOMMENDED, &author)?;
        let recovery = store.new_recovery_key()?;
        Ok((store, recovery))
    })
    .await?;
    session.install(store);
    Ok(recovery)
}

/// Opens the demo store of fictional people (made at its first use), apart from the referent's own.
#[tauri::command]
pub async fn open_demo(session: tauri::State<'_, Session>) -> Result<(), ErrorReport> {
    session.set_demo(true);
    let path = session.demo_path();
    let store = off_thread("opening the demo", move || {
        if path.exists() {
            return Store::open(&path, DEMO_PASSPHRASE);
        }
        let store = Store::create(
            &path,
            DEMO_PASSPHRASE,
            KdfParams::RECOMMENDED,
            "Référent démo",
        )?;
        drop(proxi::demo::fill(store, SystemClock.now(), 300)?);
        Store::open(&path, DEMO_PASSPHRASE)
    })
    .await;
    match store {
        Ok(store) => {
            session.install(store);
            Ok(())
        }
        Err(e) => {
            session.set_demo(false);
            Err(e)
        }
    }
}

/// Leaves the demo: it is closed, and the referent's own store is asked for (or created).
#[tauri::command]
pub fn leave_demo(session: tauri::State<'_, Session>) {
    session.set_demo(false);
}

/// Keeps the referent's choices for this computer; gives them back as kept (within the bounds).
#[tauri::command]
pub fn save_settings(
    session: tauri::State<'_, Session>,
    settings: Settings,
) -> Result<Settings, ErrorReport> {
    let path = session.real_path();
    settings.save(&path)?;
    if !settings.reminders {
        // Off means off: not even the dates stay beside the store.
        proxi::reminders::DueDates::forget(&path)?;
    }
    Ok(Settings::load(&path))
}

/// A place where backups can go: a USB stick, or the documents folder.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupPlace {
    pub path: String,
    /// The stick's name, or the folder's.
    pub label: String,
    /// A removable disk (a USB stick), as the system mounted it.
    pub removable: bool,
}

/// Where backups can go, and the backups found there.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupPlaces {
    pub places: Vec<BackupPlace>,
    /// Sound Proxi backups found in those places, newest first.
    pub found: Vec<BackupInfo>,
}

/// The default folder for backups: Documents/Proxi/Sauvegardes (or `PROXI_BACKUP_DIR`).
fn default_backup_folder() -> PathBuf {
    if let Some(dir) = std::env::var_os("PROXI_BACKUP_DIR") {
        return PathBuf::from(dir);
    }
    let user = directories::UserDirs::new();
    user.as_ref()
        .and_then(|u| u.document_dir().map(PathBuf::from))
        .or_else(|| user.as_ref().map(|u| u.home_dir().to_path_buf()))
        .unwrap_or_else(std::env::temp_dir)
        .join("Proxi")
        .join("Sauvegardes")
}

/// Disks the desktop mounted for this user (USB sticks): /media/USER/* and /run/media/USER/*.
pub(crate) fn removable_disks() -> Vec<BackupPlace> {
    let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    let mut places = Vec::new();
    for base in [
        PathBuf::from("/media").join(&user),
        PathBuf::from("/run/media").join(&user),
    ] {
        let Ok(entries) = std::fs::read_dir(&base) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                places.push(BackupPlace {
                    label: entry.file_name().to_string_lossy().into_owned(),
                    path: path.display().to_string(),
                    removable: true,
                });
            }
        }
    }
    places.sort_by(|a, b| a.label.cmp(&b.label));
    places
}

fn backups_in(folder: &Path, found: &mut Vec<BackupInfo>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) == Some(backup::EXTENSION)
            && let Ok(info) = backup::inspect(&path)
        {
            found.push(info);
        }
    }
}

/// Where backups can go (USB sticks first, then the documents folder) and the backups already there.
#[tauri::command]
pub async fn backup_places() -> Result<BackupPlaces, ErrorReport> {
    off_thread("looking for backups", || {
        let mut places = removable_disks();
        let documents = default_backup_folder();
        places.push(BackupPlace {
            label: documents
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: documents.display().to_string(),
            removable: false,
        });
        let mut found = Vec::new();
        for place in &places {
            let folder = Path::new(&place.path);
            backups_in(folder, &mut found);
            // A stick's backups may sit in a folder named as Proxi names them.
            backups_in(&folder.join("Proxi"), &mut found);
        }
        found.sort_by(|a, b| b.created.cmp(&a.created));
        found.dedup_by(|a, b| a.path == b.path);
        Ok(BackupPlaces { places, found })
    })
    .await
}

/// Writes a backup of the open store into `folder`, named by its date (other backups are kept).
#[tauri::command]
pub async fn backup_now(
    session: tauri::State<'_, Session>,
    folder: String,
) -> Result<BackupInfo, ErrorReport> {
    if session.in_demo() {
        return Err(ErrorReport {
            code: proxi::ErrorCode::StoreLocked,
            message: "the demo is not backed up: it holds only fictional people".into(),
            violations: Vec::new(),
        });
    }
    let folder = PathBuf::from(folder.trim());
    // The copy is made on a connection of its own: the window's store stays usable meanwhile.
    let path = session.path();
    let key = {
        let guard = session.guard();
        guard.as_ref().ok_or_else(locked)?.store().key().clone()
    };
    off_thread("the backup", move || {
        let store = Store::open_with_key(&path, &key)?;
        backup::backup_into(&store, &folder, usize::MAX)
    })
    .await
}

/// Checks a backup file and says its date and size, without the passphrase.
#[tauri::command]
pub async fn inspect_backup(file: String) -> Result<BackupInfo, ErrorReport> {
    off_thread("reading the backup", move || {
        backup::inspect(Path::new(file.trim()))
    })
    .await
}

/// Restores a backup as the referent's store: checked whole (file, passphrase, integrity) before
/// anything is touched; the store that was there is renamed aside, never overwritten; the restored
/// store is then open.
#[tauri::command]
pub async fn restore_backup(
    session: tauri::State<'_, Session>,
    file: String,
    passphrase: String,
) -> Result<RestoreReport, ErrorReport> {
    let real = session.real_path();
    let file = PathBuf::from(file.trim());
    // Checked whole before the open store is closed: a refused backup changes nothing at all.
    {
        let (file, passphrase) = (file.clone(), passphrase.clone());
        off_thread("checking the backup", move || {
            backup::verify(&file, &passphrase)
        })
        .await?;
    }
    session.set_demo(false);
    let (report, store) = off_thread("restoring the backup", move || {
        let report = backup::restore(&file, &passphrase, &real)?;
        let store = Store::open(&real, &passphrase)?;
        Ok((report, store))
    })
    .await?;
    session.install(store);
    Ok(report)
}

/// The recovery key's page as a PDF to print at once (in the window's language), in a private
/// folder; [`discard_recovery_page`] removes it.
#[tauri::command]
pub fn recovery_page(
    session: tauri::State<'_, Session>,
    key: String,
    lang: String,
) -> Result<super::sheet::SavedSheet, ErrorReport> {
    let author = session.with(|app| Ok::<_, Error>(app.store().author().to_owned()))?;
    let pdf = proxi::sheet::render_recovery(&key, &author, &lang, SystemClock.today())
        .map_err(Error::from)?;
    let dir = super::sheet::recovery_dir();
    let io =
        |e: std::io::Error| ErrorReport::from(Error::Storage(format!("{}: {e}", dir.display())));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir).map_err(io)?;
    let path = dir.join("proxi-recovery-key.pdf");
    std::fs::write(&path, pdf).map_err(io)?;
    Ok(super::sheet::SavedSheet {
        path: path.display().to_string(),
    })
}

/// Removes the recovery key's page (once the referent has kept the key).
#[tauri::command]
pub fn discard_recovery_page() {
    let _ = std::fs::remove_dir_all(super::sheet::recovery_dir());
}
