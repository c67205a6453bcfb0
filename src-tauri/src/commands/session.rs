//! The open store of this window: where it is, and unlocking it with the passphrase.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use proxi::Proxi;
use proxi::backup::BackupInfo;
use proxi::clock::SystemClock;
use proxi::error::ErrorReport;
use proxi::os_keyring;
use proxi::settings::Settings;
use proxi::store::Store;
use serde::Serialize;

/// The store of this app, locked until the passphrase is given: the referent's own, or the demo
/// store of fictional people (a separate file, never mixed with the real one).
#[derive(Debug)]
pub struct Session {
    /// The referent's store.
    real: PathBuf,
    /// The demo store, beside the real one in a folder of its own.
    demo: PathBuf,
    in_demo: AtomicBool,
    app: Mutex<Option<Proxi>>,
    /// `PROXI_IDLE_SECONDS`, for tests; else the referent's setting.
    idle_override: Option<u32>,
}

/// The demo store's passphrase: it holds only fictional people.
pub const DEMO_PASSPHRASE: &str = "demo";

impl Session {
    /// The store from `PROXI_STORE` (or the user's data directory); unlocked at once when
    /// `PROXI_PASSPHRASE` is set (demo and tests).
    pub fn from_env() -> Self {
        let real = std::env::var_os("PROXI_STORE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                directories::ProjectDirs::from("be", "Proxi", "Proxi")
                    .map(|d| d.data_dir().join("proxi.db"))
                    .unwrap_or_else(|| PathBuf::from("proxi.db"))
            });
        let demo = real
            .parent()
            .unwrap_or(Path::new("."))
            .join("demo")
            .join("proxi-demo.db");
        let idle_override = std::env::var("PROXI_IDLE_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u32>().ok())
            .map(|s| s.max(1));
        let session = Session {
            real,
            demo,
            in_demo: AtomicBool::new(false),
            app: Mutex::new(None),
            idle_override,
        };
        if let Ok(passphrase) = std::env::var("PROXI_PASSPHRASE") {
            // A failure leaves the store locked: the window then asks for the passphrase.
            let _ = session.unlock(&passphrase);
        }
        session
    }

    /// The store in use: the demo one while the referent tries Proxi, else their own.
    pub fn path(&self) -> PathBuf {
        if self.in_demo() {
            self.demo.clone()
        } else {
            self.real.clone()
        }
    }

    /// The referent's own store (settings, backups and restores are about it).
    pub fn real_path(&self) -> PathBuf {
        self.real.clone()
    }

    pub fn demo_path(&self) -> PathBuf {
        self.demo.clone()
    }

    pub fn in_demo(&self) -> bool {
        self.in_demo.load(Ordering::SeqCst)
    }

    /// Switches between the demo store and the real one; whatever was open is closed first.
    pub fn set_demo(&self, demo: bool) {
        let mut guard = self.guard();
        *guard = None;
        self.in_demo.store(demo, Ordering::SeqCst);
    }

    /// Puts an opened store in use.
    /// Plans whose person did not agree to keep them are erased here, once their grace days passed.
    pub fn install(&self, store: Store) {
        let mut app = Proxi::new(store, Arc::new(SystemClock));
        let today = proxi::clock::Clock::today(&SystemClock);
        match proxi::sync::team::erase_refused(&mut app, today) {
            Ok(erased) if !erased.is_empty() => eprintln!(
                "proxi: erased {} plan(s) whose person did not agree to keep them",
                erased.len()
            ),
            Ok(_) => {}
            Err(e) => eprintln!("proxi: the plans to erase could not be erased now: {e}"),
        }
        *self.guard() = Some(app);
    }

    fn unlock(&self, passphrase: &str) -> Result<(), ErrorReport> {
        let store = Store::open(&self.path(), passphrase)?;
        self.install(store);
        Ok(())
    }

    /// Runs `f` on the open store; a locked store is [`locked`].
    pub fn with<T, E>(&self, f: impl FnOnce(&mut Proxi) -> Result<T, E>) -> Result<T, ErrorReport>
    where
        ErrorReport: From<E>,
    {
        let mut guard = self.guard();
        let app = guard.as_mut().ok_or_else(locked)?;
        Ok(f(app)?)
    }

    pub fn guard(&self) -> MutexGuard<'_, Option<Proxi>> {
        self.app.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Sync reaches the store in short turns, never across a network call: the window stays usable.
impl proxi::sync::team::Access for Session {
    fn with<R>(
        &self,
        f: impl FnOnce(&mut Proxi) -> proxi::error::Result<R>,
    ) -> proxi::error::Result<R> {
        let mut guard = self.guard();
        let app = guard.as_mut().ok_or(proxi::error::Error::StoreLocked)?;
        f(app)
    }
}

/// The error of a command that needs the store while it is locked.
pub fn locked() -> ErrorReport {
    ErrorReport {
        code: proxi::error::ErrorCode::StoreLocked,
        message: "the store is locked: enter the passphrase first".into(),
        violations: Vec::new(),
    }
}

/// What the window needs to know at start.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SessionState {
    pub store_path: String,
    pub unlocked: bool,
    pub idle_seconds: u32,
    /// Whether the referent's store exists: if not, the window shows the first-run choices.
    pub store_exists: bool,
    /// The demo store of fictional people is in use.
    pub demo: bool,
    pub settings: Settings,
}

#[tauri::command]
pub fn session_state(session: tauri::State<'_, Session>) -> SessionState {
    let settings = Settings::load(&session.real_path());
    SessionState {
        store_path: session.path().display().to_string(),
        unlocked: session.guard().is_some(),
        idle_seconds: session
            .idle_override
            .unwrap_or(settings.idle_minutes.saturating_mul(60)),
        store_exists: session.real_path().exists(),
        demo: session.in_demo(),
        settings,
    }
}

/// Whether this computer's keyring keeps the store's key ("remember on this computer").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum KeyringState {
    /// The store opens at launch without the passphrase.
    Remembered,
    /// The passphrase is asked at launch.
    NotRemembered,
    /// No keyring could be reached on this computer: the choice is not offered.
    Unavailable,
}

/// What the keyring did at launch.
#[derive(Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LaunchUnlock {
    /// The store is open: the people list can be shown at once.
    pub opened: bool,
    pub keyring: KeyringState,
}

/// Runs a blocking call (key derivation, keyring over D-Bus, the network) off the window's thread;
/// `what` names it in the sentence shown if that thread itself fails.
pub async fn off_thread<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> proxi::error::Result<T> + Send + 'static,
) -> Result<T, ErrorReport> {
    let joined = tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| ErrorReport {
            code: proxi::error::ErrorCode::Storage,
            message: format!("{what} stopped unexpectedly ({e}): try again"),
            violations: Vec::new(),
        })?;
    Ok(joined?)
}

fn keyring_state(result: proxi::error::Result<bool>) -> KeyringState {
    match result {
        Ok(true) => KeyringState::Remembered,
        Ok(false) => KeyringState::NotRemembered,
        Err(_) => KeyringState::Unavailable,
    }
}

/// At launch: opens the store with the key this computer's keyring keeps for it, if the referent
/// chose so. A keyring that cannot be reached only means the passphrase is asked.
#[tauri::command]
pub async fn open_remembered(
    session: tauri::State<'_, Session>,
) -> Result<LaunchUnlock, ErrorReport> {
    if session.guard().is_some() {
        let path = session.path();
        let keyring = keyring_state(
            off_thread("reading the keyring", move || {
                Ok(os_keyring::is_remembered(&path))
            })
            .await?,
        );
        return Ok(LaunchUnlock {
            opened: true,
            keyring,
        });
    }
    let path = session.path();
    if !path.exists() {
        // First run: nothing to open yet; the window offers to create or restore a store.
        return Ok(LaunchUnlock {
            opened: false,
            keyring: KeyringState::NotRemembered,
        });
    }
    let (store, keyring) = off_thread("opening the store", move || match os_keyring::open(&path) {
        Ok(Some(store)) => Ok((Some(store), KeyringState::Remembered)),
        Ok(None) => Ok((None, KeyringState::NotRemembered)),
        Err(proxi::error::Error::KeyringUnavailable(_)) => Ok((None, KeyringState::Unavailable)),
        Err(e) => Err(e),
    })
    .await?;
    let opened = store.is_some();
    if let Some(store) = store {
        session.install(store);
    }
    Ok(LaunchUnlock { opened, keyring })
}

/// Opens the store with the passphrase, and keeps its key in this computer's keyring or takes it out,
/// as `remember` says. The wait after repeated wrong tries, the key derivation (about 0.3 s, on
/// purpose) and the keyring run off the window's thread, so it stays responsive and can say it is
/// opening. A keyring that fails does not stop the store from opening: the answer says so.
#[tauri::command]
pub async fn unlock(
    session: tauri::State<'_, Session>,
    passphrase: String,
    remember: bool,
) -> Result<KeyringState, ErrorReport> {
    let path = session.path();
    let (store, keyring) = off_thread("opening the store", move || {
        let store = Store::open_guarded(&path, &passphrase)?;
        let kept = if remember {
            os_keyring::remember(&store).map(|()| true)
        } else {
            os_keyring::forget(&path).map(|()| false)
        };
        Ok((store, keyring_state(kept)))
    })
    .await?;
    session.install(store);
    Ok(keyring)
}

/// Whether this computer's keyring keeps the store's key.
#[tauri::command]
pub async fn keyring_status(
    session: tauri::State<'_, Session>,
) -> Result<KeyringState, ErrorReport> {
    let path = session.path();
    Ok(keyring_state(
        off_thread("reading the keyring", move || {
            Ok(os_keyring::is_remembered(&path))
        })
        .await?,
    ))
}

/// Takes the store's key out of this computer's keyring: the passphrase is asked at the next launch.
#[tauri::command]
pub async fn forget_remembered(
    session: tauri::State<'_, Session>,
) -> Result<KeyringState, ErrorReport> {
    let path = session.path();
    off_thread("the keyring", move || os_keyring::forget(&path)).await?;
    Ok(KeyringState::NotRemembered)
}

/// What the window had not saved when it locked, given back once after the unlock.
#[tauri::command]
pub fn take_unsaved(session: tauri::State<'_, Session>) -> Result<Option<String>, ErrorReport> {
    session.with(|app| app.store_mut().take_unsaved())
}

/// What locking did besides locking.
#[derive(Debug, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LockReport {
    /// The automatic backup written at this lock, when the referent chose a folder for them.
    pub backup: Option<BackupInfo>,
    /// Why that backup could not be written (the lock itself always happens).
    pub backup_problem: Option<ErrorReport>,
}

/// Locks the store: the open store and every plan held in memory are dropped; the passphrase is needed
/// again. When the referent chose a folder for automatic backups, one is written there first (the
/// newest ones kept, as many as they chose); the demo store is never backed up.
#[tauri::command]
pub async fn lock(
    session: tauri::State<'_, Session>,
    unsaved: Option<String>,
) -> Result<LockReport, ErrorReport> {
    let Some(app) = session.guard().take() else {
        return Ok(LockReport::default());
    };
    // What the window had not saved (card drafts, half-typed fields) waits in the encrypted store.
    if let Some(json) = unsaved.filter(|j| !j.is_empty()) {
        app.store().stash_unsaved(&json)?;
    }
    let settings = Settings::load(&session.real_path());
    // The due dates (no names) stay beside the store, so the locked window can still remind.
    if !session.in_demo()
        && let Err(e) = super::reminders::keep_due_dates(&app, &settings)
    {
        eprintln!("proxi: the reminders' dates could not be kept: {e}");
    }
    let folder = match settings.backup_folder {
        Some(folder) if !session.in_demo() => PathBuf::from(folder),
        _ => return Ok(LockReport::default()),
    };
    let keep = settings.backup_keep as usize;
    let made = off_thread("the backup", move || {
        proxi::backup::backup_into(app.store(), &folder, keep)
    })
    .await;
    Ok(match made {
        Ok(info) => LockReport {
            backup: Some(info),
            backup_problem: None,
        },
        Err(problem) => LockReport {
            backup: None,
            backup_problem: Some(problem),
        },
    })
}
