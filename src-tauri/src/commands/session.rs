//! The open store of this window: where it is, and unlocking it with the passphrase.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use proxi::Proxi;
use proxi::clock::SystemClock;
use proxi::error::ErrorReport;
use proxi::os_keyring;
use proxi::store::Store;
use serde::Serialize;

/// The store of this app, locked until the passphrase is given.
#[derive(Debug)]
pub struct Session {
    path: PathBuf,
    app: Mutex<Option<Proxi>>,
    /// Seconds without a touch of the keyboard or mouse before the window locks itself.
    idle_seconds: u32,
}

impl Session {
    /// The store from `PROXI_STORE` (or the user's data directory); unlocked at once when
    /// `PROXI_PASSPHRASE` is set (demo and tests).
    pub fn from_env() -> Self {
        let path = std::env::var_os("PROXI_STORE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                directories::ProjectDirs::from("be", "Proxi", "Proxi")
                    .map(|d| d.data_dir().join("proxi.db"))
                    .unwrap_or_else(|| PathBuf::from("proxi.db"))
            });
        // Five minutes by default; `PROXI_IDLE_SECONDS` changes it (at least 1).
        let idle_seconds = std::env::var("PROXI_IDLE_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u32>().ok())
            .map_or(300, |s| s.max(1));
        let session = Session {
            path,
            app: Mutex::new(None),
            idle_seconds,
        };
        if let Ok(passphrase) = std::env::var("PROXI_PASSPHRASE") {
            // A failure leaves the store locked: the window then asks for the passphrase.
            let _ = session.unlock(&passphrase);
        }
        session
    }

    fn unlock(&self, passphrase: &str) -> Result<(), ErrorReport> {
        let store = Store::open(&self.path, passphrase)?;
        *self.guard() = Some(Proxi::new(store, Arc::new(SystemClock)));
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
#[ts(export, export_to = "../../ui/src/lib/bindings/")]
pub struct SessionState {
    pub store_path: String,
    pub unlocked: bool,
    pub idle_seconds: u32,
}

#[tauri::command]
pub fn session_state(session: tauri::State<'_, Session>) -> SessionState {
    SessionState {
        store_path: session.path.display().to_string(),
        unlocked: session.guard().is_some(),
        idle_seconds: session.idle_seconds,
    }
}

/// Whether this computer's keyring keeps the store's key ("remember on this computer").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../ui/src/lib/bindings/")]
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
#[ts(export, export_to = "../../ui/src/lib/bindings/")]
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
        let path = session.path.clone();
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
    let path = session.path.clone();
    let (store, keyring) = off_thread("opening the store", move || match os_keyring::open(&path) {
        Ok(Some(store)) => Ok((Some(store), KeyringState::Remembered)),
        Ok(None) => Ok((None, KeyringState::NotRemembered)),
        Err(proxi::error::Error::KeyringUnavailable(_)) => Ok((None, KeyringState::Unavailable)),
        Err(e) => Err(e),
    })
    .await?;
    let opened = store.is_some();
    if let Some(store) = store {
        *session.guard() = Some(Proxi::new(store, Arc::new(SystemClock)));
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
    let path = session.path.clone();
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
    *session.guard() = Some(Proxi::new(store, Arc::new(SystemClock)));
    Ok(keyring)
}

/// Whether this computer's keyring keeps the store's key.
#[tauri::command]
pub async fn keyring_status(
    session: tauri::State<'_, Session>,
) -> Result<KeyringState, ErrorReport> {
    let path = session.path.clone();
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
    let path = session.path.clone();
    off_thread("the keyring", move || os_keyring::forget(&path)).await?;
    Ok(KeyringState::NotRemembered)
}

/// Locks the store: the open store and every plan held in memory are dropped; the passphrase is needed
/// again.
#[tauri::command]
pub fn lock(session: tauri::State<'_, Session>) {
    *session.guard() = None;
}
