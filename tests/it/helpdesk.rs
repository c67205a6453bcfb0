//! The organisation's helpdesk: checked when set, kept in the store, last in every sheet's "who to call".

use proxi::error::{Error, ErrorCode};
use proxi::helpdesk::Helpdesk;

use crate::cli::{proxi, text};
use crate::support::{PASSPHRASE, new_store, pdf_file, reopen, someone, tool};

fn words(pdf: &[u8]) -> String {
    let file = pdf_file(pdf);
    tool("pdftotext", &[file.path().to_str().expect("path"), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_helpdesk_is_checked_kept_and_printed_last_in_who_to_call() {
    let (_dir, path, mut app) = new_store();
    assert_eq!(app.helpdesk().expect("reads"), None);
    let wrong = app
        .set_helpdesk(Some(Helpdesk {
            name: " ".into(),
            phone: "call us".into(),
            hours: String::new(),
        }))
        .expect_err("refused");
    let Error::Invalid(v) = wrong else {
        panic!("{wrong}")
    };
    assert_eq!(
        v.iter()
            .map(|v| (v.code, v.field.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (ErrorCode::MemberNameEmpty, "name"),
            (ErrorCode::PhoneInvalid, "phone")
        ]
    );
    assert_eq!(app.helpdesk().expect("reads"), None, "nothing kept");
    let desk = Helpdesk {
        name: "Permanence Proxi (fictive)".into(),
        phone: "02 000 00 99".into(),
        hours: "du lundi au vendredi, de 9 h à 17 h".into(),
    };
    app.set_helpdesk(Some(desk.clone())).expect("set");
    let person = app.create_person(someone("Zénobe")).expect("a person");
    let sheet = words(&app.sheet(person, Some("fr"), None).expect("sheet"));
    assert!(sheet.contains("Qui appeler"), "{sheet}");
    assert!(
        sheet.contains(
            "Permanence Proxi (fictive) 02 000 00 99 du lundi au vendredi, de 9 h à 17 h"
        ),
        "{sheet}"
    );
    drop(app);
    let mut app = reopen(&path);
    assert_eq!(app.helpdesk().expect("reads"), Some(desk));
    app.set_helpdesk(None).expect("taken away");
    let sheet = words(&app.sheet(person, Some("fr"), None).expect("sheet"));
    assert!(!sheet.contains("Permanence Proxi"), "{sheet}");
}

#[test]
fn the_command_line_shows_sets_and_clears_the_helpdesk() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("proxi.db");
    let run = |args: &[&str]| proxi(&store, Some(PASSPHRASE), args);
    assert!(run(&["init", "--author", "Anna"]).status.success());
    assert_eq!(text(&run(&["helpdesk"]).stdout).trim(), "no helpdesk set");
    let out = run(&[
        "helpdesk",
        "--name",
        "Permanence",
        "--phone",
        "02 000 00 99",
        "--hours",
        "9-17",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "Permanence\t02 000 00 99\t9-17");
    let bad = run(&["helpdesk", "--name", "Permanence", "--phone", "nope"]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("PhoneInvalid"),
        "{}",
        text(&bad.stderr)
    );
    assert_eq!(
        text(&run(&["helpdesk"]).stdout).trim(),
        "Permanence\t02 000 00 99\t9-17"
    );
    assert_eq!(
        text(&run(&["helpdesk", "--clear"]).stdout).trim(),
        "no helpdesk set"
    );
}
