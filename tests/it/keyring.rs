//! "Remember on this computer": the store key in the OS keyring, against a real Secret Service.
//!
//! `make test` runs the core tests inside `.ci/keyring-session.sh` (a D-Bus session with GNOME
//! Keyring unlocked). Without a keyring these tests fail and say so: they are not skipped.

use proxi::error::Error;
use proxi::os_keyring;
use proxi::store::{KdfParams, Store};

use crate::support::{PASSPHRASE, new_store, someone};

fn require_keyring() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session, so no OS keyring: run these tests with `make test` \
         (or `bash .ci/keyring-session.sh cargo test`)"
    );
}

fn opened(path: &std::path::Path) -> Store {
    os_keyring::open(path)
        .expect("the keyring answers")
        .unwrap_or_else(|| panic!("nothing remembered for {}", path.display()))
}

#[test]
fn a_remembered_store_opens_without_the_passphrase_until_forgotten() {
    require_keyring();
    let (_dir, path, mut app) = new_store();
    let id = app.create_person(someone("Zénobe")).expect("created");
    assert!(!os_keyring::is_remembered(&path).expect("the keyring answers"));
    assert!(
        os_keyring::open(&path)
            .expect("the keyring answers")
            .is_none()
    );

    os_keyring::remember(app.store()).expect("remembered");
    drop(app);
    assert!(os_keyring::is_remembered(&path).expect("the keyring answers"));
    let store = opened(&path);
    let mut app = proxi::Proxi::new(store, crate::support::clock());
    let plan = app.plan(id).expect("still there");
    assert_eq!(plan.person.display_name, "Zénobe");
    drop(app);

    os_keyring::forget(&path).expect("forgotten");
    assert!(!os_keyring::is_remembered(&path).expect("the keyring answers"));
    assert!(
        os_keyring::open(&path)
            .expect("the keyring answers")
            .is_none()
    );
    // Forgetting twice is not an error; the passphrase still opens the store.
    os_keyring::forget(&path).expect("forgotten again");
    Store::open(&path, PASSPHRASE).expect("the passphrase opens it");
}

#[test]
fn a_changed_passphrase_keeps_the_remembered_key_working() {
    require_keyring();
    let (_dir, path, app) = new_store();
    os_keyring::remember(app.store()).expect("remembered");
    drop(app);
    let mut store = Store::open(&path, PASSPHRASE).expect("opens");
    store
        .change_passphrase("another one entirely", KdfParams::MINIMAL_FOR_TESTS)
        .expect("changed");
    drop(store);
    drop(opened(&path));
    assert!(matches!(
        Store::open(&path, PASSPHRASE),
        Err(Error::WrongPassphrase)
    ));
    os_keyring::forget(&path).expect("forgotten");
}

#[test]
fn a_key_that_no_longer_fits_is_forgotten_and_the_store_is_untouched() {
    require_keyring();
    let (dir, path, app) = new_store();
    os_keyring::remember(app.store()).expect("remembered");
    drop(app);
    // Another store takes the place of the first one (same path, another key).
    std::fs::remove_file(&path).expect("removed");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("proxi.db{suffix}")));
    }
    std::fs::remove_file(proxi::store::key_file_path(&path)).expect("removed");
    let store = Store::create(&path, "the new one", KdfParams::MINIMAL_FOR_TESTS, "Other")
        .expect("created");
    drop(store);

    assert!(
        os_keyring::open(&path)
            .expect("the keyring answers")
            .is_none()
    );
    assert!(
        !os_keyring::is_remembered(&path).expect("the keyring answers"),
        "the stale key is still kept"
    );
    Store::open(&path, "the new one").expect("the new store opens with its passphrase");
}

#[test]
fn two_stores_keep_two_keys() {
    require_keyring();
    let (_a, path_a, app_a) = new_store();
    let (_b, path_b, app_b) = new_store();
    os_keyring::remember(app_a.store()).expect("remembered");
    os_keyring::remember(app_b.store()).expect("remembered");
    drop((app_a, app_b));
    drop(opened(&path_a));
    drop(opened(&path_b));
    os_keyring::forget(&path_a).expect("forgotten");
    assert!(os_keyring::is_remembered(&path_b).expect("the keyring answers"));
    os_keyring::forget(&path_b).expect("forgotten");
}

#[test]
fn the_command_line_remembers_and_forgets() {
    use crate::cli::{proxi, text};
    require_keyring();
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("cli.db");
    assert!(proxi(&store, Some(PASSPHRASE), &["demo"]).status.success());
    let listed = proxi(&store, Some(PASSPHRASE), &["person", "list"]).stdout;
    assert!(!listed.is_empty());

    // Not remembered: without a passphrase and without a terminal, proxi says what is missing.
    let out = proxi(&store, None, &["person", "list"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no passphrase"),
        "{}",
        text(&out.stderr)
    );

    let out = proxi(&store, Some(PASSPHRASE), &["passphrase", "remember"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("without the passphrase"));
    let out = proxi(&store, None, &["person", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout, listed);

    let out = proxi(&store, None, &["passphrase", "forget"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = proxi(&store, None, &["person", "list"]);
    assert!(!out.status.success(), "still opens without the passphrase");
}

#[test]
fn a_wrong_passphrase_is_not_remembered() {
    use crate::cli::{proxi, text};
    require_keyring();
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("cli.db");
    assert!(proxi(&store, Some(PASSPHRASE), &["init"]).status.success());
    let out = proxi(
        &store,
        Some("not the passphrase"),
        &["passphrase", "remember"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("WrongPassphrase"),
        "{}",
        text(&out.stderr)
    );
    assert!(!os_keyring::is_remembered(&store).expect("the keyring answers"));
}

#[test]
fn without_a_keyring_remembering_fails_clearly_and_changes_nothing() {
    use crate::cli::text;
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("cli.db");
    let (_keep, path, app) = new_store();
    drop(app);
    std::fs::copy(&path, &store).expect("copied");
    std::fs::copy(
        proxi::store::key_file_path(&path),
        proxi::store::key_file_path(&store),
    )
    .expect("copied");
    // A session bus that is not there: as on a machine without a keyring service.
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_proxi"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .stdin(std::process::Stdio::null())
            .env("PROXI_PASSPHRASE", PASSPHRASE)
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/proxi-bus",
            )
            .output()
            .expect("run proxi")
    };
    let out = run(&["passphrase", "remember"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("keyring could not be used"), "{err}");
    assert!(err.contains("KeyringUnavailable"), "{err}");
    // The passphrase works as before.
    let out = run(&["person", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
