//! The encrypted store on real SQLCipher files: reopening, passphrases, versions, migrations, and no
//! plaintext on disk.

use std::fs;
use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use proxi::domain::{
    ActionInput, MemberInput, NetworkRole, PriorityInput, StatementInput, VisitInput, Who,
};
use proxi::store::{KdfParams, PeopleQuery, Store, key_file_path, latest_schema};
use proxi::{ErrorCode, StatementList};

use crate::support::{PASSPHRASE, clock, new_store, reopen, someone};

/// Opens the database with rusqlite alone, deriving the key from the key file as documented (format 1:
/// Argon2id of the passphrase; format 2: a random key sealed with XChaCha20-Poly1305 under it): this
/// checks the key file's contract and lets a test tamper with the file.
pub fn raw_connection(path: &Path, passphrase: &str) -> rusqlite::Connection {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let file: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(key_file_path(path)).expect("key file"))
            .expect("json");
    assert_eq!(file["kdf"], "argon2id");
    let n = |k: &str| u32::try_from(file[k].as_u64().expect(k)).expect(k);
    let params =
        Params::new(n("memoryKib"), n("iterations"), n("parallelism"), Some(32)).expect("params");
    let salt = hex::decode(file["salt"].as_str().expect("salt")).expect("hex");
    let mut kek = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &salt, &mut kek)
        .expect("argon2");
    let key = match file["format"].as_u64() {
        Some(1) => kek.to_vec(),
        Some(2) => {
            let seal = &file["passphraseSeal"];
            let nonce = hex::decode(seal["nonce"].as_str().expect("nonce")).expect("hex");
            let sealed =
                hex::decode(seal["ciphertext"].as_str().expect("ciphertext")).expect("hex");
            let cipher =
                chacha20poly1305::XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&kek));
            let payload = Payload {
                msg: &sealed,
                aad: b"proxi/store-key/v2/passphrase",
            };
            cipher
                .decrypt(chacha20poly1305::XNonce::from_slice(&nonce), payload)
                .expect("the seal opens")
        }
        other => panic!("unknown key file format {other:?}"),
    };
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(key)))
        .expect("key");
    conn
}

fn key_file(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(key_file_path(path)).expect("key file")).expect("json")
}

#[test]
fn changing_the_passphrase_rewrites_only_the_key_file() {
    let (_dir, path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    let before = app.plan(id).expect("plan");
    let mut store = app.into_store();
    store.forget_cached();
    drop(store);
    let db_before = fs::read(&path).expect("db");
    let mut store = Store::open(&path, PASSPHRASE).expect("open");
    store
        .change_passphrase("a new passphrase", KdfParams::MINIMAL_FOR_TESTS)
        .expect("change");
    drop(store);
    assert_eq!(
        fs::read(&path).expect("db"),
        db_before,
        "the database was not rewritten"
    );
    assert_eq!(
        Store::open(&path, PASSPHRASE).expect_err("old").code(),
        ErrorCode::WrongPassphrase
    );
    let store = Store::open(&path, "a new passphrase").expect("new");
    let mut app = proxi::Proxi::new(store, clock());
    assert_eq!(app.plan(id).expect("plan"), before);
    assert_eq!(key_file(&path)["format"], 2);
}

#[test]
fn the_recovery_key_opens_a_store_whose_passphrase_is_forgotten() {
    let (_dir, path, app) = new_store();
    let mut store = app.into_store();
    let recovery = store.new_recovery_key().expect("recovery key");
    drop(store);
    assert_eq!(recovery.len(), 49, "{recovery}");
    assert_eq!(recovery.split('-').count(), 10);
    let wrong = recovery.replace(&recovery[..4], "0000");
    assert_eq!(
        Store::open_with_recovery(&path, &wrong)
            .expect_err("wrong")
            .code(),
        ErrorCode::WrongRecoveryKey
    );
    // Typed in lower case, with spaces instead of dashes: still the key.
    let typed = recovery.to_lowercase().replace('-', " ");
    let mut store = Store::open_with_recovery(&path, &typed).expect("recovered");
    store
        .change_passphrase("chosen again", KdfParams::MINIMAL_FOR_TESTS)
        .expect("new passphrase");
    drop(store);
    Store::open(&path, "chosen again").expect("the new passphrase opens");
    Store::open_with_recovery(&path, &recovery).expect("and the recovery key still does");
}

#[test]
fn a_tampered_key_file_is_refused_without_touching_the_store() {
    let (_dir, path, app) = new_store();
    drop(app);
    let mut file = key_file(&path);
    let sealed = file["passphraseSeal"]["ciphertext"]
        .as_str()
        .expect("ciphertext")
        .to_owned();
    let flipped = format!(
        "{}{}",
        if sealed.starts_with('0') { "1" } else { "0" },
        &sealed[1..]
    );
    file["passphraseSeal"]["ciphertext"] = serde_json::Value::String(flipped);
    fs::write(
        key_file_path(&path),
        serde_json::to_vec(&file).expect("json"),
    )
    .expect("write");
    assert_eq!(
        Store::open(&path, PASSPHRASE).expect_err("tampered").code(),
        ErrorCode::WrongPassphrase
    );
}

#[test]
fn reopening_keeps_every_part_of_every_plan() {
    let (_dir, path, mut app) = new_store();
    let mut ids = Vec::new();
    for name in ["Hervé", "Ayşe", "Łucja"] {
        let id = app.create_person(someone(name)).expect("person");
        let p = app
            .add_priority(
                id,
                PriorityInput {
                    words: format!("{name} wants to walk"),
                    card: Some("moving".into()),
                    review_date: None,
                },
            )
            .expect("priority");
        app.add_statement(
            id,
            StatementList::Strengths,
            StatementInput {
                words: "Daughter".into(),
                card: Some("family".into()),
            },
        )
        .expect("strength");
        app.add_statement(
            id,
            StatementList::Difficulties,
            StatementInput {
                words: "Stairs".into(),
                card: None,
            },
        )
        .expect("difficulty");
        let m = app
            .add_member(
                id,
                MemberInput {
                    role: NetworkRole::Gp,
                    name: "Dr Exemple".into(),
                    organisation: "MM".into(),
                    phone: "02 000 00 01".into(),
                    email: String::new(),
                },
            )
            .expect("member");
        app.add_action(
            id,
            ActionInput {
                what: "Call".into(),
                who: Who::Member { id: m },
                due: Some(jiff::civil::date(2026, 12, 1)),
                priority_id: Some(p),
                outcome: String::new(),
            },
        )
        .expect("action");
        app.add_visit(
            id,
            VisitInput {
                date: jiff::civil::date(2026, 11, 23),
                place: "Home".into(),
                notes: "First visit".into(),
                next_visit: None,
            },
        )
        .expect("visit");
        ids.push(id);
    }
    // Enough edits on one plan to go through several compactions of its chunks.
    for n in 0..150 {
        app.add_priority(
            ids[0],
            PriorityInput {
                words: format!("extra {n}"),
                ..Default::default()
            },
        )
        .expect("priority");
    }
    let plans: Vec<_> = ids.iter().map(|id| app.plan(*id).expect("plan")).collect();
    let histories: Vec<_> = ids
        .iter()
        .map(|id| app.history(*id).expect("history"))
        .collect();
    let people = app.people(&PeopleQuery::default()).expect("people");
    drop(app);

    let mut again = reopen(&path);
    assert_eq!(
        again.people(&PeopleQuery::default()).expect("people"),
        people
    );
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(again.plan(*id).expect("plan"), plans[i]);
        assert_eq!(again.history(*id).expect("history"), histories[i]);
    }
    assert_eq!(again.plan(ids[0]).expect("plan").plan.priorities.len(), 151);
    again.store().integrity_check().expect("integrity");
}

#[test]
fn a_wrong_passphrase_is_refused_clearly_and_changes_nothing() {
    let (_dir, path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    drop(app);
    let before = fs::read(&path).expect("file");
    for wrong in [
        "",
        "correct horse battery stapl",
        "CORRECT HORSE BATTERY STAPLE",
    ] {
        let err = Store::open(&path, wrong).expect_err("wrong passphrase");
        assert_eq!(err.code(), ErrorCode::WrongPassphrase, "{wrong:?}");
        assert!(
            err.to_string()
                .contains("passphrase does not open the store"),
            "{err}"
        );
    }
    assert_eq!(
        fs::read(&path).expect("file"),
        before,
        "a failed open wrote to the store"
    );
    assert_eq!(
        reopen(&path)
            .plan(id)
            .expect("still there")
            .person
            .display_name,
        "Hervé"
    );
}

#[test]
fn missing_store_missing_or_broken_key_file_and_existing_store_say_so() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("none.db");
    assert_eq!(
        Store::open(&missing, PASSPHRASE)
            .expect_err("missing")
            .code(),
        ErrorCode::StoreNotFound
    );

    let (_d, path, app) = new_store();
    drop(app);
    let again =
        Store::create(&path, PASSPHRASE, KdfParams::MINIMAL_FOR_TESTS, "x").expect_err("exists");
    assert_eq!(again.code(), ErrorCode::StoreExists);

    let key_file = key_file_path(&path);
    let saved = fs::read(&key_file).expect("key file");
    fs::write(&key_file, b"{ not json").expect("write");
    assert_eq!(
        Store::open(&path, PASSPHRASE).expect_err("broken").code(),
        ErrorCode::KeyFileInvalid
    );
    fs::remove_file(&key_file).expect("remove");
    let err = Store::open(&path, PASSPHRASE).expect_err("missing key file");
    assert_eq!(err.code(), ErrorCode::KeyFileMissing);
    assert!(
        err.to_string().contains("must stay next to the store"),
        "{err}"
    );
    fs::write(&key_file, saved).expect("restore");
    reopen(&path);
}

#[test]
fn a_store_written_by_a_newer_proxi_is_refused_untouched() {
    let (_dir, path, app) = new_store();
    drop(app);
    let newer = latest_schema() + 1;
    raw_connection(&path, PASSPHRASE)
        .pragma_update(None, "user_version", newer)
        .expect("set version");
    let err = Store::open(&path, PASSPHRASE).expect_err("newer");
    assert_eq!(err.code(), ErrorCode::StoreTooNew);
    assert!(
        err.to_string().contains("install the latest Proxi"),
        "{err}"
    );
    let version: i64 = raw_connection(&path, PASSPHRASE)
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, newer, "the refused store was changed");
}

#[test]
fn the_first_schema_fixture_migrates_and_rebuilds_its_derived_tables() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("proxi.db");
    fs::copy(fixture.join("proxi.db"), &path).expect("copy");
    fs::copy(fixture.join("proxi.db.kdf.json"), key_file_path(&path)).expect("copy key file");
    let version: i64 = raw_connection(&path, "fixture-v1")
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, 1, "the fixture is of the first schema");

    let store = Store::open(&path, "fixture-v1").expect("the first schema opens");
    assert_eq!(store.schema().expect("schema"), latest_schema());
    store.integrity_check().expect("integrity");
    let mut app = proxi::Proxi::new(store, clock());
    let people = app.people(&PeopleQuery::default()).expect("people");
    assert_eq!(people.len(), 24);
    let herve = people
        .iter()
        .find(|p| p.display_name == "Hervé")
        .expect("Hervé");
    let plan = app.plan(herve.id).expect("plan");
    assert_eq!(plan.plan.priorities.len(), 2);
    // The actions-due table did not exist in schema 1: it was rebuilt from the documents.
    let due = app.actions_due(3650).expect("actions due");
    let open_actions: usize = people.iter().map(|p| p.open_actions as usize).sum();
    assert_eq!(due.len(), open_actions);
    assert!(
        due.iter()
            .any(|a| a.person_id == herve.id && a.what == "Demander un pilulier à la pharmacie")
    );
    // And the migrated store keeps working.
    app.add_priority(
        herve.id,
        PriorityInput {
            words: "Après la migration".into(),
            ..Default::default()
        },
    )
    .expect("edit");
    // Its key file (format 1) moves to format 2, keeping the store key, when a recovery key is made.
    assert_eq!(key_file(&path)["format"], 1);
    let mut store = app.into_store();
    let recovery = store.new_recovery_key().expect("recovery key");
    drop(store);
    assert_eq!(key_file(&path)["format"], 2);
    Store::open(&path, "fixture-v1").expect("the passphrase still opens");
    Store::open_with_recovery(&path, &recovery).expect("so does the recovery key");
}

fn assert_no_plaintext(dir: &Path, needles: &[&str]) {
    for entry in fs::read_dir(dir).expect("dir") {
        let file = entry.expect("entry").path();
        let bytes = fs::read(&file).expect("read");
        for needle in needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in {}",
                file.display()
            );
        }
    }
}

#[test]
fn nothing_readable_reaches_the_disk() {
    let (dir, path, mut app) = new_store();
    let id = app.create_person(someone("Zorglubette")).expect("person");
    app.add_priority(
        id,
        PriorityInput {
            words: "Quokkamarmelade".into(),
            ..Default::default()
        },
    )
    .expect("priority");
    let needles = ["Zorglubette", "Quokkamarmelade", "SQLite format"];
    assert!(
        path.with_extension("db-wal").exists(),
        "the write-ahead log is in use"
    );
    assert_no_plaintext(dir.path(), &needles);
    drop(app);
    assert_no_plaintext(dir.path(), &needles);
}

#[test]
fn unsaved_work_stashed_at_a_lock_waits_encrypted_and_is_taken_once() {
    let (_dir, path, app) = crate::support::new_store();
    let stash = r#"{"person":"x","drafts":[{"card":"sleep","words":"Dormir sans réveil"}]}"#;
    app.store().stash_unsaved(stash).expect("stashed");
    drop(app);
    // Encrypted at rest: the words are not in the file.
    let bytes = std::fs::read(&path).expect("store bytes");
    assert!(!bytes.windows(6).any(|w| w == b"Dormir"));
    let mut app = crate::support::reopen(&path);
    assert_eq!(
        app.store_mut().take_unsaved().expect("taken").as_deref(),
        Some(stash)
    );
    assert_eq!(app.store_mut().take_unsaved().expect("taken again"), None);
}
