//! Shared helpers: throwaway stores on real SQLCipher files, a clock that does not move by itself.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use proxi::Proxi;
use proxi::clock::SteppingClock;
use proxi::domain::{Address, PersonInput};
use proxi::store::{KdfParams, Store};
use tempfile::TempDir;

pub const PASSPHRASE: &str = "correct horse battery staple";

/// 2026-11-23 09:00 in Brussels.
pub fn start() -> Timestamp {
    "2026-11-23T08:00:00Z".parse().expect("a valid instant")
}

pub fn clock() -> Arc<SteppingClock> {
    Arc::new(SteppingClock::new(start(), SignedDuration::from_secs(1)))
}

/// A new store in a temporary directory (kept alive by the returned `TempDir`).
pub fn new_store() -> (TempDir, PathBuf, Proxi) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("proxi.db");
    let store = Store::create(
        &path,
        PASSPHRASE,
        KdfParams::MINIMAL_FOR_TESTS,
        "Test Referent",
    )
    .expect("a new store");
    (dir, path, Proxi::new(store, clock()))
}

pub fn reopen(path: &std::path::Path) -> Proxi {
    Proxi::new(
        Store::open(path, PASSPHRASE).expect("the store reopens"),
        clock(),
    )
}

pub fn someone(name: &str) -> PersonInput {
    PersonInput {
        display_name: name.into(),
        first_name: name.into(),
        last_name: "Exemple".into(),
        birth_year: Some(1950),
        languages: vec!["fr".into()],
        interpreter_needed: false,
        address: Address {
            street: "Rue de l'Exemple 1".into(),
            postal_code: "1000".into(),
            commune: "Bruxelles".into(),
            bassin: None,
            quartier: None,
        },
        phone: "02 000 00 00".into(),
        notes: String::new(),
        niss: None,
    }
}

/// Records the person's consent to keep their plan and share it with the team: only then does the
/// plan leave the device.
pub fn share(app: &mut proxi::Proxi, person: uuid::Uuid) {
    app.record_consent(
        person,
        proxi::domain::ConsentInput {
            recorded_on: jiff::civil::date(2026, 11, 2),
            keep_plan: true,
            share_with_team: true,
            professionals: Vec::new(),
        },
    )
    .expect("consent recorded");
}

/// Runs a tool a printer's world uses (qpdf, pdftotext, pdfinfo) and gives its output.
pub fn tool(name: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed: {e}"));
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `pdf` in a temporary file, for the tools.
pub fn pdf_file(pdf: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("a file");
    std::fs::write(file.path(), pdf).expect("write");
    file
}

/// The words of `pdf` as `pdftotext` reads them (checked by `qpdf` first), one space between each,
/// narrow no-break spaces as plain ones.
pub fn pdf_words(pdf: &[u8]) -> String {
    let file = pdf_file(pdf);
    let f = file.path().to_str().expect("path");
    tool("qpdf", &["--check", f]);
    tool("pdftotext", &[f, "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\u{202f}', " ")
}
