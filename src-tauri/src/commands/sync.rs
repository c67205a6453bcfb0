//! Team sync from the window: its status in words' raw material, "sync now", joining a team,
//! inviting a colleague's laptop and removing one.
//! Network work runs on a blocking thread and reaches the store only in short turns.

use proxi::error::ErrorReport;
use proxi::sync::team::{self, SyncReport, SyncStatus, TeamInfo};
use tauri::Manager;

use super::session::{Session, off_thread};

async fn off_the_window<T: Send + 'static>(
    app: tauri::AppHandle,
    work: impl FnOnce(&Session) -> proxi::error::Result<T> + Send + 'static,
) -> Result<T, ErrorReport> {
    off_thread("the sync", move || work(&app.state::<Session>())).await
}

/// Where sync stands: team, last sync, what waits, what went wrong.
#[tauri::command]
pub fn sync_status(session: tauri::State<'_, Session>) -> Result<SyncStatus, ErrorReport> {
    session.with(|app| team::status(app.store_mut()))
}

/// Syncs now (also called by the window when the network comes back, and every few minutes).
#[tauri::command]
pub async fn sync_now(app: tauri::AppHandle) -> Result<SyncReport, ErrorReport> {
    off_the_window(app, team::sync).await
}

/// Joins a team with an invitation code, then syncs a first time.
#[tauri::command]
pub async fn join_team(
    app: tauri::AppHandle,
    code: String,
    name: String,
) -> Result<TeamInfo, ErrorReport> {
    off_the_window(app, move |session| {
        let info = team::join(session, &code, &name)?;
        // The first sync may fail (network): the team is joined all the same, and says so.
        let _ = team::sync(session);
        Ok(info)
    })
    .await
}

/// Makes an invitation code for a colleague's laptop.
#[tauri::command]
pub async fn invite_to_team(app: tauri::AppHandle) -> Result<String, ErrorReport> {
    off_the_window(app, |session| {
        team::invite(session, team::INVITATION_MINUTES)
    })
    .await
}

/// Removes a colleague's laptop from the team (lost, stolen, or its referent left): the relay refuses
/// it at once, the team key rotates for the others, and a sync follows. A sync first, so that the new
/// key reaches every laptop that joined since the last one.
#[tauri::command]
pub async fn revoke_device(app: tauri::AppHandle, device: uuid::Uuid) -> Result<(), ErrorReport> {
    off_the_window(app, move |session| {
        let _ = team::sync(session);
        team::revoke(session, device)
    })
    .await
}
