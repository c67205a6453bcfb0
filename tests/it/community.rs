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

#[test]
fn a_community_resource_carries_an_action_on_the_sheet_in_fhir_and_from_the_command_line() {
    use proxi::domain::{ActionInput, ConsentInput, Who};
    let (_dir, path, mut app) = new_store();
    let the_baker = || baker("Boulangerie Exemple", Some(8), Some(Bassin::CentreOuest));
    let baker_id = app.add_community(the_baker()).expect("a resource");
    let gone = app
        .add_community(baker("Épicerie Fermée Exemple", None, None))
        .expect("a resource");
    app.edit_community(gone, baker("Épicerie Fermée Exemple", None, None), true)
        .expect("closed");
    let person = app
        .create_person(crate::support::someone("Hervé"))
        .expect("a person");
    let action = |who| ActionInput {
        what: "Garder un oeil sur les volets".into(),
        who,
        due: None,
        priority_id: None,
        outcome: String::new(),
    };
    // One no longer available, or one the team does not hold: refused on `who`, nothing added.
    for who in [
        Who::Community { id: gone },
        Who::Community {
            id: uuid::Uuid::nil(),
        },
    ] {
        let Err(Error::Invalid(v)) = app.add_action(person, action(who)) else {
            panic!("refused")
        };
        assert_eq!(
            v.iter()
                .map(|v| (v.code, v.field.as_str()))
                .collect::<Vec<_>>(),
            [(ErrorCode::ActionCommunityUnknown, "who")]
        );
    }
    assert!(app.plan(person).expect("plan").plan.actions.is_empty());
    app.add_action(person, action(Who::Community { id: baker_id }))
        .expect("given to the baker");

    // On the sheet: the resource's name and number as "who".
    let pdf = app.sheet(person, Some("fr"), None).expect("the sheet");
    let words = crate::support::pdf_words(&pdf);
    assert!(
        words.contains("Boulangerie Exemple, 02 000 00 77"),
        "{words}"
    );

    // Closed later, the action keeps its name.
    app.edit_community(baker_id, the_baker(), true)
        .expect("closed");
    let pdf = app.sheet(person, Some("fr"), None).expect("the sheet");
    assert!(crate::support::pdf_words(&pdf).contains("Boulangerie Exemple"));

    // To a professional the person agreed to share with: named, like an informal carer; the team's
    // id of the resource does not leave.
    app.record_consent(
        person,
        ConsentInput {
            recorded_on: jiff::civil::date(2026, 11, 2),
            keep_plan: true,
            share_with_team: true,
            professionals: vec!["Dr Exemple".into()],
        },
    )
    .expect("consent");
    let bundle = app.fhir_export(person, "Dr Exemple").expect("the bundle");
    let json = bundle.to_string();
    assert!(json.contains("\"RelatedPerson\""), "{json}");
    assert!(json.contains("Boulangerie Exemple"));
    assert!(
        !json.contains(&baker_id.to_string()),
        "the resource's id stays in the team"
    );
    drop(app);

    // The command line gives an action to a resource by its id.
    let mut app = reopen(&path);
    app.edit_community(baker_id, the_baker(), false)
        .expect("open again");
    drop(app);
    let out = proxi(
        &path,
        Some(PASSPHRASE),
        &[
            "plan",
            "add-action",
            &person.to_string(),
            "Apporter le pain le mardi",
            "--who",
            &format!("community:{baker_id}"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = proxi(
        &path,
        Some(PASSPHRASE),
        &["plan", "show", &person.to_string()],
    );
    assert!(
        text(&out.stdout).contains(&format!("Apporter le pain le mardi (community {baker_id}")),
        "{}",
        text(&out.stdout)
    );
    let out = proxi(
        &path,
        Some(PASSPHRASE),
        &[
            "plan",
            "add-action",
            &person.to_string(),
            "x",
            "--who",
            "community:nope",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("community:ID needs a community resource's id"));
}

#[test]
fn only_the_resources_marked_public_and_available_are_in_the_hsds_export_and_it_reads_back() {
    let (dir, _path, mut app) = new_store();
    let public = CommunityInput {
        public: true,
        ..baker(
            "Boulangerie Publique Exemple",
            Some(8),
            Some(Bassin::CentreOuest),
        )
    };
    app.add_community(public.clone()).expect("public");
    let closed = app
        .add_community(CommunityInput {
            public: true,
            ..baker("Épicerie Fermée Exemple", Some(8), None)
        })
        .expect("public, then closed");
    app.edit_community(
        closed,
        CommunityInput {
            public: true,
            ..baker("Épicerie Fermée Exemple", Some(8), None)
        },
        true,
    )
    .expect("closed");
    app.add_community(baker("Voisine Privée Exemple", Some(8), None))
        .expect("private");
    for json in [true, false] {
        let out = dir.path().join(if json { "json" } else { "csv" });
        let files = app.export_directory(&out, json).expect("exported");
        let mut all = String::new();
        for f in &files {
            all.push_str(&std::fs::read_to_string(f).expect("read"));
        }
        assert!(all.contains("Boulangerie Publique Exemple"), "{all}");
        assert!(all.contains("Quartier MAROLLES"), "placed at its quartier");
        assert!(all.contains("02 000 00 77"));
        assert!(
            !all.contains("Voisine Privée Exemple"),
            "private stays in the team"
        );
        assert!(
            !all.contains("Épicerie Fermée Exemple"),
            "closed is not listed"
        );
        // Another laptop (or another tool) reads the export as a directory.
        let (_d, _p, mut other) = new_store();
        other.import_directory(&out).expect("the export reads back");
        let found = other
            .search_services(&proxi::directory::index::ServiceQuery {
                text: "boulangerie".into(),
                ..Default::default()
            })
            .expect("search");
        assert_eq!(found.total, 1);
        assert_eq!(found.hits[0].quartier, Some(8));
        assert_eq!(
            found.hits[0].bassin, None,
            "no postal code: no commune nor bassin claimed"
        );
    }
}
