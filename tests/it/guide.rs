//! Focus guides: opened for a person, the services of their bassin first; printed in French and Dutch
//! and looked at as PNG; a guide checked over a year ago warns; newer files replace the shipped guides,
//! older or wrong ones are refused with the field and change nothing; the command line.

use std::sync::Arc;

use jiff::SignedDuration;
use proxi::Proxi;
use proxi::clock::SteppingClock;
use proxi::directory::demo;
use proxi::error::{Error, ErrorCode};
use proxi::store::Store;
use proxi::territory::Bassin;
use serde_json::{Value, json};

use crate::cli::{proxi, text};
use crate::support::{PASSPHRASE, new_store, pdf_file, pdf_words, reopen, someone, tool};

/// The shipped diabetes guide's file, as JSON to change.
fn diabetes_file() -> Value {
    serde_json::from_str(include_str!("../../data/guides/focus-diabete.json")).expect("json")
}

fn write(dir: &std::path::Path, name: &str, guide: &Value) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(guide).expect("json")).expect("write");
    path
}

/// A person living in Laeken (1020: bassin Nord).
fn person_in_laeken(app: &mut Proxi) -> uuid::Uuid {
    let mut input = someone("Zénobe");
    input.address.postal_code = "1020".into();
    input.address.bassin = Some(Bassin::Nord);
    app.create_person(input).expect("a person")
}

#[test]
fn a_guide_opened_from_a_plan_lists_the_services_of_the_persons_bassin_first() {
    let (_dir, _path, mut app) = new_store();
    app.import_directory_records(&demo::generate(300, 1))
        .expect("the directory");
    let person = person_in_laeken(&mut app);

    let v = app
        .guide("focus-diabete", Some(person), None)
        .expect("the guide");
    assert_eq!(v.bassin, Some(Bassin::Nord));
    assert!(!v.near.is_empty() && !v.elsewhere.is_empty(), "{v:?}");
    for h in &v.near {
        assert_eq!(h.bassin, Some(Bassin::Nord), "{}", h.name);
        assert!(h.themes.contains(&"diabetes".to_owned()), "{}", h.name);
    }
    for h in &v.elsewhere {
        assert_ne!(h.bassin, Some(Bassin::Nord), "{}", h.name);
        assert!(h.themes.contains(&"diabetes".to_owned()), "{}", h.name);
    }
    // Every diabetes service of the bassin is there (the demo directory holds fewer than 40).
    let all = app
        .search_services(&proxi::directory::index::ServiceQuery {
            themes: vec!["diabetes".into()],
            bassins: vec![Bassin::Nord],
            limit: Some(500),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(v.near.len() as u32, all.total);

    // Opened from the directory, another bassin can be chosen; with none, no order by bassin.
    let south = app
        .guide("focus-diabete", Some(person), Some(Bassin::Sud))
        .expect("the guide");
    assert!(south.near.iter().all(|h| h.bassin == Some(Bassin::Sud)));
    // No bassin confirmed: the quartier's (Marolles: Centre-Ouest), else the postal code's.
    let mut input = someone("Andrée");
    input.address.quartier = Some(8);
    let marolles = app.create_person(input).expect("a person");
    let by_quartier = app
        .guide("focus-diabete", Some(marolles), None)
        .expect("the guide");
    assert_eq!(by_quartier.bassin, Some(Bassin::CentreOuest));
    let mut input = someone("Jules");
    input.address.postal_code = "1180".into();
    let uccle = app.create_person(input).expect("a person");
    let by_postal_code = app
        .guide("focus-diabete", Some(uccle), None)
        .expect("the guide");
    assert_eq!(by_postal_code.bassin, Some(Bassin::Sud));
    let anywhere = app.guide("focus-diabete", None, None).expect("the guide");
    assert_eq!(anywhere.bassin, None);
    assert!(anywhere.elsewhere.is_empty());
    assert!(
        !anywhere.stale,
        "checked on 2026-12-07, the clock says 2026-11-23"
    );

    // On paper: the texts, the first service of the bassin before "elsewhere", and where it comes from.
    let pdf = app
        .guide_pdf("focus-diabete", Some(person), None, "fr")
        .expect("the PDF");
    let words = pdf_words(&pdf);
    for expected in [
        "Focus diabète",
        "Ce qui est remboursé",
        "Comment le demander ?",
        "Près de chez vous — bassin Nord",
        "Vérifié le 7 décembre 2026",
        "Sources",
        "www.mc.be",
    ] {
        assert!(words.contains(expected), "{expected} in {words}");
    }
    // The bassin's services fill the page's list first (eight at most); elsewhere only after them.
    let printed = v.near.len().min(8);
    let mut at = 0;
    for h in &v.near[..printed] {
        at = words[at..]
            .find(&h.name)
            .map(|i| at + i)
            .unwrap_or_else(|| panic!("{} in order", h.name));
    }
    match words.find("Ailleurs à Bruxelles") {
        Some(elsewhere) => assert!(printed < 8 && at < elsewhere),
        None => assert_eq!(printed, 8),
    }
    assert!(!words.contains("plus d’un an"), "not stale");

    let nl = pdf_words(
        &app.guide_pdf("focus-diabete", Some(person), None, "nl")
            .expect("the PDF in Dutch"),
    );
    for expected in [
        "Focus diabetes",
        "Wat wordt terugbetaald",
        "zorgzone Noord",
        "Bronnen",
    ] {
        assert!(nl.contains(expected), "{expected} in {nl}");
    }
    let e = app
        .guide_pdf("focus-diabete", Some(person), None, "ar")
        .expect_err("the guides speak French and Dutch");
    assert_eq!(e.code(), ErrorCode::SheetFailed);

    // Looked at as an image: every page renders.
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shots");
    std::fs::create_dir_all(&shots).expect("shots");
    let file = pdf_file(&pdf);
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            file.path().to_str().expect("path"),
            shots.join("guide-diabete").to_str().expect("path"),
        ],
    );
    assert!(shots.join("guide-diabete-1.png").exists());
}

#[test]
fn a_guide_checked_over_a_year_ago_says_so_in_the_list_and_on_paper() {
    let (_dir, path, app) = new_store();
    drop(app);
    let later = Arc::new(SteppingClock::new(
        "2028-01-10T08:00:00Z".parse().expect("an instant"),
        SignedDuration::from_secs(1),
    ));
    let mut app = Proxi::new(Store::open(&path, PASSPHRASE).expect("the store"), later);
    let guides = app.guides().expect("the guides");
    assert_eq!(guides.len(), 3);
    assert!(guides.iter().all(|g| g.stale), "{guides:?}");
    let v = app.guide("focus-palliatif", None, None).expect("the guide");
    assert!(v.stale);
    let words = pdf_words(
        &app.guide_pdf("focus-palliatif", None, None, "fr")
            .expect("pdf"),
    );
    assert!(words.contains("plus d’un an"), "{words}");
    assert!(
        words.contains("Pas encore de service"),
        "an empty directory says so: {words}"
    );
}

#[test]
fn a_newer_guide_file_replaces_the_shipped_one_and_an_older_one_changes_nothing() {
    let (dir, path, mut app) = new_store();
    let mut file = diabetes_file();
    file["version"] = json!(2);
    file["title"]["fr"] = json!("Focus diabète (édition 2027)");
    file["checked"] = json!("2026-11-20");
    // Any file name: the content says what it is.
    let v2 = write(dir.path(), "téléchargé (3).json", &file);
    let r = app.import_guide(&v2).expect("imported");
    assert_eq!((r.version, r.replaced, r.unchanged), (2, Some(1), false));

    let mut app = {
        drop(app);
        reopen(&path)
    };
    let g = app
        .guides()
        .expect("guides")
        .into_iter()
        .find(|g| g.id == "focus-diabete")
        .expect("the guide");
    assert_eq!((g.version, g.imported), (2, true));
    assert_eq!(g.title.fr, "Focus diabète (édition 2027)");

    // The same file again: nothing to do.
    assert!(app.import_guide(&v2).expect("again").unchanged);
    // The shipped version 1: older, refused.
    let v1 = write(dir.path(), "old.json", &diabetes_file());
    let e = app.import_guide(&v1).expect_err("older");
    assert_eq!(e.code(), ErrorCode::GuideFileInvalid);
    assert!(e.to_string().contains("older than the version 2"), "{e}");
    // Version 2 with other words: refused, the version must be raised.
    file["how"]["fr"] = json!("Autre texte");
    let other = write(dir.path(), "other.json", &file);
    let e = app.import_guide(&other).expect_err("same version");
    assert!(e.to_string().contains("raises its version"), "{e}");
    let g = app.guide("focus-diabete", None, None).expect("guide");
    assert_eq!(g.guide.title.fr, "Focus diabète (édition 2027)");
    assert_ne!(g.guide.how.fr, "Autre texte");

    // A new guide, naming one service the directory holds and one it does not.
    app.import_directory_records(&demo::generate(20, 1))
        .expect("the directory");
    let mut new = diabetes_file();
    new["id"] = json!("focus-demence");
    new["themes"] = json!([]);
    new["services"] = json!(["svc-3", "svc-nowhere"]);
    new["title"] = json!({"fr": "Focus démence", "nl": "Focus dementie"});
    app.import_guide(&write(dir.path(), "d.json", &new))
        .expect("a new guide");
    assert_eq!(app.guides().expect("guides").len(), 4);
    let v = app.guide("focus-demence", None, None).expect("guide");
    assert_eq!(v.missing, vec!["svc-nowhere".to_owned()]);
    assert_eq!(
        v.near.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["svc-3"]
    );
    assert!(matches!(
        app.guide("focus-nothing", None, None),
        Err(Error::GuideNotFound(_))
    ));
}

#[test]
fn a_wrong_guide_file_is_refused_with_its_field_and_changes_nothing() {
    let (dir, _path, mut app) = new_store();
    type Change = fn(&mut Value);
    let cases: &[(&str, Change)] = &[
        ("format", |g| g["format"] = json!("proxi-focus-guide/9")),
        ("id", |g| g["id"] = json!("Focus diabète")),
        ("version", |g| g["version"] = json!(0)),
        ("version", |g| g["version"] = json!("2")),
        ("title.fr", |g| g["title"]["fr"] = json!("  ")),
        ("nl", |g| {
            g["what"].as_object_mut().expect("object").remove("nl");
        }),
        ("reimbursed.nl", |g| {
            g["reimbursed"]["nl"] = json!("x".repeat(3001))
        }),
        ("colour", |g| g["colour"] = json!("red")),
        ("themes", |g| {
            g["themes"] = json!([]);
            g["services"] = json!([]);
        }),
        ("sources", |g| g["sources"] = json!([])),
        ("sources[0].url", |g| {
            g["sources"][0]["url"] = json!("ftp://example")
        }),
        ("checked", |g| g["checked"] = json!("2026-13-01")),
        ("checkedBy", |g| g["checkedBy"] = json!("")),
    ];
    for (n, (field, change)) in cases.iter().enumerate() {
        let mut file = diabetes_file();
        file["version"] = json!(5);
        change(&mut file);
        let path = write(dir.path(), &format!("wrong-{n}.json"), &file);
        let e = app.import_guide(&path).expect_err(field);
        assert_eq!(e.code(), ErrorCode::GuideFileInvalid, "{field}: {e}");
        assert!(e.to_string().contains(field), "{field}: {e}");
        assert!(e.to_string().contains(&format!("wrong-{n}.json")), "{e}");
    }
    let not_json = dir.path().join("notes.json");
    std::fs::write(&not_json, "Focus diabète, à relire").expect("write");
    assert_eq!(
        app.import_guide(&not_json).expect_err("not JSON").code(),
        ErrorCode::GuideFileInvalid
    );
    let guides = app.guides().expect("guides");
    assert_eq!(guides.len(), 3);
    assert!(guides.iter().all(|g| g.version == 1 && !g.imported));
}

#[test]
fn the_command_line_lists_shows_prints_and_imports_guides() {
    let (dir, path, mut app) = new_store();
    app.import_directory_records(&demo::generate(300, 1))
        .expect("the directory");
    let person = person_in_laeken(&mut app).to_string();
    drop(app);

    let out = proxi(&path, Some(PASSPHRASE), &["guide", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&out.stdout);
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(
        list.contains("focus-sante-mentale\tv1\t2026-12-07\tFocus santé mentale"),
        "{list}"
    );

    let out = proxi(
        &path,
        Some(PASSPHRASE),
        &["guide", "show", "focus-sante-mentale", "--person", &person],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("in bassin nord:"), "{shown}");
    assert!(
        shown.find("in bassin nord:") < shown.find("elsewhere:"),
        "{shown}"
    );

    let pdf = dir.path().join("guide.pdf");
    let out = proxi(
        &path,
        Some(PASSPHRASE),
        &[
            "guide",
            "print",
            "focus-palliatif",
            "--person",
            &person,
            "--lang",
            "nl",
            "--out",
            pdf.to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let words = pdf_words(&std::fs::read(&pdf).expect("the PDF"));
    assert!(
        words.contains("Focus palliatieve zorg en levenseinde"),
        "{words}"
    );

    let mut file = diabetes_file();
    file["version"] = json!(3);
    let v3 = write(dir.path(), "focus.json", &file);
    let out = proxi(
        &path,
        Some(PASSPHRASE),
        &["guide", "import", v3.to_str().expect("path")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("focus-diabete v3: imported (replaces v1)"));
    let out = proxi(&path, Some(PASSPHRASE), &["guide", "show", "focus-inconnu"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no Focus guide focus-inconnu"),
        "{}",
        text(&out.stderr)
    );
}
