//! Backups: one encrypted file, consistent while another process writes, restored only after every
//! check passed, the current store kept aside; damaged, foreign and newer backups refused with the
//! current store untouched.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proxi::ErrorCode;
use proxi::backup;
use proxi::domain::PriorityInput;
use proxi::store::{KdfParams, Store};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::support::{PASSPHRASE, new_store, reopen, someone};

fn digest(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).expect("readable")))
}

/// Everything in a folder, to see that a refused restore left nothing behind.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A store with one person whose name and words must never be readable in a backup.
fn store_with_secrets() -> (tempfile::TempDir, PathBuf, Uuid) {
    let (dir, path, mut app) = new_store();
    let person = app.create_person(someone("Zéphyrine")).expect("a person");
    app.add_priority(
        person,
        PriorityInput {
            words: "Retourner danser au Marolles".into(),
            ..PriorityInput::default()
        },
    )
    .expect("a priority");
    (dir, path, person)
}

#[test]
fn a_backup_is_encrypted_and_restores_the_same_plans_elsewhere() {
    let (dir, path, person) = store_with_secrets();
    let file = dir.path().join("usb").join("copy.proxibackup");
    let info = reopen(&path).store().backup_to(&file).expect("backup");
    assert!(info.bytes > 0 && info.bytes == std::fs::metadata(&file).expect("file").len());

    let bytes = std::fs::read(&file).expect("backup bytes");
    for secret in [
        "Zéphyrine",
        "Zephyrine",
        "Exemple",
        "Marolles",
        "danser",
        "Test Referent",
        "02 000",
    ] {
        let needle = secret.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the backup holds '{secret}' in clear"
        );
    }

    // Another folder, and another HOME: the backup alone (with the passphrase) gives the same plan.
    let other = tempfile::tempdir().expect("other dir");
    let restored = other.path().join("elsewhere").join("proxi.db");
    let out = Command::new(env!("CARGO_BIN_EXE_proxi"))
        .args(["--store", restored.to_str().expect("utf-8"), "restore"])
        .arg(&file)
        .env("PROXI_PASSPHRASE", PASSPHRASE)
        .env("HOME", other.path())
        .output()
        .expect("proxi restore");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = reopen(&path).plan(person).expect("plan before");
    let after = reopen(&restored).plan(person).expect("plan after");
    assert_eq!(before, after);
    assert_eq!(
        after.plan.priorities[0].words,
        "Retourner danser au Marolles"
    );
    Store::open(&restored, PASSPHRASE)
        .expect("opens")
        .integrity_check()
        .expect("sound");
}

#[test]
fn a_backup_made_while_another_process_writes_holds_one_consistent_moment() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("proxi.db");
    drop(Store::create(&path, PASSPHRASE, KdfParams::MINIMAL_FOR_TESTS, "Writer").expect("store"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_proxi"))
        .args(["--store", path.to_str().expect("utf-8"), "stress-edits"])
        .env("PROXI_PASSPHRASE", PASSPHRASE)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the writer");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let person: Uuid = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the writer starts")
        .strip_prefix("person ")
        .expect("person line")
        .parse()
        .expect("uuid");
    let mut acked = 0u64;
    let drain = |acked: &mut u64| {
        while let Ok(line) = rx.try_recv() {
            if let Some(n) = line.strip_prefix("ack ") {
                *acked = n.parse::<u64>().expect("number") + 1;
            }
        }
    };
    // A reader of its own, as the window is while the CLI writes.
    let reader = Store::open(&path, PASSPHRASE).expect("a second connection");
    let until = Instant::now() + Duration::from_secs(60);
    let mut backups = 0;
    while backups < 6 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(150));
        drain(&mut acked);
        if acked < 3 {
            continue;
        }
        let before = acked;
        let file = dir.path().join(format!("b{backups}.proxibackup"));
        reader.backup_to(&file).expect("a backup while writing");
        drain(&mut acked);
        let after = acked + 1; // the edit being written when the copy was taken may be in it

        let restored = dir.path().join(format!("r{backups}")).join("proxi.db");
        backup::restore(&file, PASSPHRASE, &restored).expect("restores");
        let store = Store::open(&restored, PASSPHRASE).expect("opens");
        store.integrity_check().expect("integrity_check is ok");
        drop(store);
        let plan = reopen(&restored).plan(person).expect("the person is there");
        let mut numbers: Vec<u64> = plan
            .plan
            .priorities
            .iter()
            .map(|p| {
                p.words
                    .strip_prefix("edit ")
                    .expect("edit n")
                    .parse()
                    .expect("n")
            })
            .collect();
        numbers.sort_unstable();
        let count = numbers.len() as u64;
        assert_eq!(
            numbers,
            (0..count).collect::<Vec<_>>(),
            "backup {backups}: the edits it holds are the first ones, with no gap"
        );
        assert!(
            (before..=after).contains(&count),
            "backup {backups}: holds {count} edits, {before} were acknowledged before it began and {after} at most after"
        );
        backups += 1;
    }
    child.kill().expect("stop the writer");
    child.wait().expect("reaped");
    assert_eq!(backups, 6, "six backups made while the writer ran");
}

/// Writes a backup file whose manifest says `field` = `value`, the rest as in `source`.
fn rewrite_manifest(source: &Path, dest: &Path, field: &str, value: serde_json::Value) {
    let mut archive = tar::Archive::new(std::fs::File::open(source).expect("source"));
    let mut out = tar::Builder::new(std::fs::File::create(dest).expect("dest"));
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let name = entry.path().expect("name").to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        if name == "manifest.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
            manifest[field] = value.clone();
            bytes = serde_json::to_vec(&manifest).expect("json");
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        out.append_data(&mut header, &name, &bytes[..])
            .expect("append");
    }
    out.finish().expect("finish");
}

#[test]
fn damaged_foreign_newer_and_wrongly_opened_backups_are_refused_and_touch_nothing() {
    let (dir, path, person) = store_with_secrets();
    let good = dir.path().join("good.proxibackup");
    reopen(&path).store().backup_to(&good).expect("backup");
    let bytes = std::fs::read(&good).expect("bytes");

    // The store a restore would replace: another one, with its own person.
    let current_dir = tempfile::tempdir().expect("dir");
    let current = current_dir.path().join("proxi.db");
    let mut app = proxi::Proxi::new(
        Store::create(&current, PASSPHRASE, KdfParams::MINIMAL_FOR_TESTS, "Now").expect("store"),
        crate::support::clock(),
    );
    let mine = app.create_person(someone("Aujourd'hui")).expect("person");
    drop(app);
    let before = (digest(&current), listing(current_dir.path()));

    let truncated = dir.path().join("truncated.proxibackup");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let altered = dir.path().join("altered.proxibackup");
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    std::fs::write(&altered, &flipped).expect("write");
    let foreign = dir.path().join("holiday.jpg");
    std::fs::write(&foreign, b"\xFF\xD8\xFF\xE0 not a backup at all").expect("write");
    let newer_format = dir.path().join("newer-format.proxibackup");
    rewrite_manifest(&good, &newer_format, "format", serde_json::json!(99));
    let newer_schema = dir.path().join("newer-schema.proxibackup");
    rewrite_manifest(&good, &newer_schema, "schema", serde_json::json!(999));
    let missing = dir.path().join("nowhere.proxibackup");

    for (file, passphrase, code) in [
        (&truncated, PASSPHRASE, ErrorCode::BackupInvalid),
        (&altered, PASSPHRASE, ErrorCode::BackupInvalid),
        (&foreign, PASSPHRASE, ErrorCode::BackupInvalid),
        (&missing, PASSPHRASE, ErrorCode::BackupInvalid),
        (&newer_format, PASSPHRASE, ErrorCode::BackupTooNew),
        (&newer_schema, PASSPHRASE, ErrorCode::BackupTooNew),
        (&good, "not the passphrase", ErrorCode::WrongPassphrase),
    ] {
        let err = backup::restore(file, passphrase, &current)
            .expect_err(&format!("{} is refused", file.display()));
        assert_eq!(err.code(), code, "{}: {err}", file.display());
        assert!(
            err.to_string().contains("nothing was changed") || code == ErrorCode::WrongPassphrase
        );
        assert_eq!(
            (digest(&current), listing(current_dir.path())),
            before,
            "{}: the current store and its folder are untouched",
            file.display()
        );
    }
    // The CLI says it in words, with the code, and fails.
    let out = Command::new(env!("CARGO_BIN_EXE_proxi"))
        .args(["--store", current.to_str().expect("utf-8"), "restore"])
        .arg(&truncated)
        .env("PROXI_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("proxi restore");
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("damaged") && said.contains("[BackupInvalid]"),
        "{said}"
    );
    assert!(reopen(&current).plan(mine).is_ok());

    // The good one restores; what was there is kept aside, whole, and still opens.
    let report = backup::restore(&good, PASSPHRASE, &current).expect("restores");
    let aside = PathBuf::from(report.kept_aside.expect("the old store kept aside"));
    assert!(reopen(&current).plan(person).is_ok());
    assert!(reopen(&current).plan(mine).is_err());
    assert!(
        reopen(&aside).plan(mine).is_ok(),
        "the old store opens where it was put"
    );
}

#[test]
fn backups_into_a_folder_keep_the_newest_ones() {
    let (dir, path, _) = store_with_secrets();
    let folder = dir.path().join("stick");
    std::fs::create_dir_all(&folder).expect("dir");
    std::fs::write(folder.join("notes.txt"), "mine").expect("a file of the referent's");
    let app = reopen(&path);
    for _ in 0..4 {
        backup::backup_into(app.store(), &folder, 2).expect("backup");
    }
    let names = listing(&folder);
    let backups: Vec<&String> = names
        .iter()
        .filter(|n| n.ends_with(".proxibackup"))
        .collect();
    assert_eq!(backups.len(), 2, "{names:?}");
    assert!(
        names.contains(&"notes.txt".to_owned()),
        "other files are left alone"
    );
    for b in backups {
        backup::inspect(&folder.join(b)).expect("each is sound");
    }
}
