//! Community resources in the window: the team's list, a new one, a change (or no longer available).

use proxi::community::{CommunityInput, CommunityResource};
use proxi::error::ErrorReport;
use uuid::Uuid;

use super::session::{Session, locked};

#[tauri::command]
pub fn community_list(
    session: tauri::State<'_, Session>,
) -> Result<Vec<CommunityResource>, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    Ok(app.community()?)
}

/// Records a resource; gives back the list.
#[tauri::command]
pub fn add_community(
    session: tauri::State<'_, Session>,
    input: CommunityInput,
) -> Result<Vec<CommunityResource>, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    app.add_community(input)?;
    Ok(app.community()?)
}

/// Changes a resource (closed: no longer available); gives back the list.
#[tauri::command]
pub fn edit_community(
    session: tauri::State<'_, Session>,
    id: Uuid,
    input: CommunityInput,
    closed: bool,
) -> Result<Vec<CommunityResource>, ErrorReport> {
    let mut guard = session.guard();
    let app = guard.as_mut().ok_or_else(locked)?;
    app.edit_community(id, input, closed)?;
    Ok(app.community()?)
}
