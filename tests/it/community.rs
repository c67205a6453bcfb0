//! Community resources: recorded for the team, checked, listed by bassin and quartier, kept across a
//! reopening and a rebuild, never in the directory, and from the command line.

use proxi::community::{CommunityInput, CommunityKind};
use proxi::error::{Error, ErrorCode};
use proxi::territory::Bassin;

use crate::cli::{proxi, text};
use crate::support::{PASSPHRASE, new_store, reopen};

fn baker(name: &str, quartier: Option<u32>, bassin: Option<Bassin>) -> CommunityInput {
    CommunityInput {
        kind: CommunityKind::Shop,
        name: name.into(),
        offers: "Garde un oeil, appelle si les volets restent fermés".into(),
        phone: "02 000 00 77".into(),
        quartier,
        bassin,
        public: false,
    }
}

#[test]
fn community_resources_are_checked_listed_by_place_and_kept() {
    let (_dir, path, mut app) = new_store();
    let wrong = app
        .add_community(CommunityInput {
            phone: "pas de numéro".into(),
            quartier: Some(4242),
            ..baker(" ", None, None)
        })
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
            (ErrorCode::PhoneInvalid, "phone"),
            (ErrorCode::QuartierUnknown, "quartier")
        ]
    );
    assert!(app.community().expect("list").is_empty(), "nothing kept");
    let sud = app
        .add_community(baker("Épicerie Fictive", Some(50), Some(Bassin::Sud)))
        .expect("one");
    let centre = app
        .add_community(baker(
            "Boulangerie Exemple",
            Some(8),
            Some(Bassin::CentreOuest),
        ))
        .expect("two");
    let names = |app: &mut proxi::Proxi| {
        app.community()
            .expect("list")
            .into_iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&mut app),
        vec!["Boulangerie Exemple", "Épicerie Fictive"]
    );
    app.edit_community(
        centre,
        baker("Boulangerie Exemple", Some(8), Some(Bassin::CentreOuest)),
        true,
    )
    .expect("closed");
    // Closed ones come last; a resource is neither a person nor a group.
    assert_eq!(
        names(&mut app),
        vec!["Épicerie Fictive", "Boulangerie Exemple"]
    );
    assert!(app.people(&Default::default()).expect("people").is_empty());
    assert_eq!(
        app.group(sud).expect_err("not a group").code(),
        ErrorCode::ItemNotFound
    );
    assert_eq!(
        app.erase_person(sud).expect_err("not a person").code(),
        ErrorCode::PersonNotFound
    );
    drop(app);
    let mut app = reopen(&path);
    app.store_mut().rebuild_derived().expect("rebuilt");
    let kept = app.community().expect("list");
    assert_eq!((kept[0].quartier, kept[1].closed), (Some(50), true));
    assert!(
        proxi::directory::tables(app.store_mut())
            .expect("directory")
            .is_empty()
    );
}

#[test]
fn the_command_line_records_lists_and_closes_community_resources() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("proxi.db");
    let run = |args: &[&str]| {
        let out = proxi(&store, Some(PASSPHRASE), args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout).trim().to_owned()
    };
    run(&["init", "--author", "Anna"]);
    let id = run(&[
        "community",
        "add",
        "Voisine Exemple",
        "--kind",
        "neighbour",
        "--quartier",
        "72",
        "--bassin",
        "nord",
    ]);
    assert_eq!(
        run(&["community", "list"]),
        format!("{id}\tneighbour\tVoisine Exemple\t72\tnord")
    );
    run(&["community", "close", &id]);
    assert!(run(&["community", "list"]).ends_with("\tclosed"));
    let bad = proxi(
        &store,
        Some(PASSPHRASE),
        &["community", "add", "X", "--kind", "baker"],
    );
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("one of neighbour, shop, connector, infoPoint, other"));
}
