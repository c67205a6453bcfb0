//! The desktop shell: the Tauri builder only. Commands live in `commands/`, one file per feature; each
//! maps its arguments, calls the core, and maps the result.

mod commands;

use commands::session::Session;

/// Starts the desktop app.
///
/// # Panics
/// If the window system cannot be started (nothing to show then).
pub fn run() {
    limit_web_memory();
    tauri::Builder::default()
        .manage(Session::from_env())
        .setup(|app| {
            commands::reminders::start(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::session_state,
            commands::session::unlock,
            commands::session::open_remembered,
            commands::session::keyring_status,
            commands::session::forget_remembered,
            commands::session::lock,
            commands::session::take_unsaved,
            commands::setup::passphrase_strength,
            commands::setup::create_store,
            commands::setup::open_demo,
            commands::setup::leave_demo,
            commands::setup::save_settings,
            commands::setup::backup_places,
            commands::setup::backup_now,
            commands::setup::inspect_backup,
            commands::setup::restore_backup,
            commands::setup::recovery_page,
            commands::setup::discard_recovery_page,
            commands::reminders::remind_now,
            commands::people::list_people,
            commands::people::follow_up,
            commands::people::postal_areas,
            commands::plan::create_person,
            commands::plan::open_plan,
            commands::plan::edit_plan,
            commands::plan::plan_history,
            commands::plan::audit_log,
            commands::sheet::print_sheet,
            commands::sheet::sheet_languages,
            commands::sheet::read_sheet_aloud,
            commands::sheet::stop_reading,
            commands::sheet::list_printers,
            commands::sheet::send_to_printer,
            commands::sheet::open_sheet,
            commands::rights::export_person,
            commands::hospital::fhir_export,
            commands::hospital::print_liaison,
            commands::hospital::hospital_files,
            commands::hospital::fhir_import,
            commands::hospital::handover_files,
            commands::hospital::handover_out,
            commands::hospital::handover_peek,
            commands::hospital::handover_in,
            commands::hospital::concertation_times,
            commands::hospital::save_invitation,
            commands::hospital::print_concertation,
            commands::group::groups,
            commands::group::group,
            commands::group::new_group,
            commands::group::edit_group,
            commands::group::recommendations_due,
            commands::group::print_group,
            commands::guide::guides,
            commands::guide::guide,
            commands::guide::print_guide,
            commands::guide::guide_files,
            commands::guide::import_guide,
            commands::helpdesk::helpdesk,
            commands::helpdesk::set_helpdesk,
            commands::needs::needs_watch,
            commands::needs::save_needs_csv,
            commands::community::community_list,
            commands::community::add_community,
            commands::community::edit_community,
            commands::rights::erase_person,
            commands::directory::search_services,
            commands::directory::directory_languages,
            commands::directory::service_card,
            commands::directory::territory_map,
            commands::directory::directory_files,
            commands::directory::import_directory,
            commands::sync::sync_status,
            commands::sync::sync_now,
            commands::sync::join_team,
            commands::sync::invite_to_team,
            commands::sync::revoke_device,
        ])
        .run(tauri::generate_context!())
        .expect("the desktop app could not start");
}

/// Asks WebKit's web process to give memory back once it holds more than 100 MB (and to collect its
/// whole heap above 150 MB), checked every 5 s: by default it only starts at a third of the machine's
/// memory, so a window that opened 50 plans kept ~150 MB it could have released (README, "Memory").
/// `PROXI_WEB_MEMORY_LIMIT_MB` sets another limit (0: WebKit's default), for `make measure-ui`.
#[cfg(target_os = "linux")]
fn limit_web_memory() {
    let limit_mb = std::env::var("PROXI_WEB_MEMORY_LIMIT_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    if limit_mb > 0 {
        wry::set_web_memory_pressure(wry::WebMemoryPressure {
            limit_mb,
            conservative: 0.33,
            strict: 0.5,
            poll_seconds: 5.0,
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn limit_web_memory() {}
