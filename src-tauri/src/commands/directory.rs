//! The directory of services: search as the referent types, and one service's card.

use proxi::directory::ServiceCard;
use proxi::directory::index::{SearchResult, ServiceQuery};
use proxi::error::ErrorReport;

use super::session::Session;

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
