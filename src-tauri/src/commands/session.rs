//! The open store of this window: where it is, and unlocking it with the passphrase.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use proxi::Proxi;
use proxi::clock::SystemClock;
use proxi::error::ErrorReport;
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

/// Opens the store with the passphrase. The key derivation (about 0.3 s, on purpose) runs on a
/// blocking thread, so the window stays responsive and can say it is opening.
#[tauri::command]
pub async fn unlock(
    session: tauri::State<'_, Session>,
    passphrase: String,
) -> Result<(), ErrorReport> {
    let path = session.path.clone();
    // The wait after repeated wrong tries, and the key derivation, happen off the window's thread.
    let opened =
        tauri::async_runtime::spawn_blocking(move || Store::open_guarded(&path, &passphrase))
            .await
            .map_err(|e| ErrorReport {
                code: proxi::error::ErrorCode::Storage,
                message: format!("the store could not be opened ({e}): try again"),
                violations: Vec::new(),
            })?;
    let store = opened?;
    *session.guard() = Some(Proxi::new(store, Arc::new(SystemClock)));
    Ok(())
}

/// Locks the store: the open store and every plan held in memory are dropped; the passphrase is needed
/// again.
#[tauri::command]
pub fn lock(session: tauri::State<'_, Session>) {
    *session.guard() = None;
}
