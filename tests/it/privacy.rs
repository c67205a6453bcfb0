//! Erasure leaves no trace in the store; the audit log says who opened, printed, exported or erased.

use std::path::Path;

use proxi::ErrorCode;
use proxi::domain::PriorityInput;
use proxi::store::{AuditAction, PeopleQuery, key_file_path};

use crate::support::{PASSPHRASE, new_store, reopen, someone};

/// The store's live content, decrypted into a plain SQLite file (SQLCipher's own export), as bytes.
fn decrypted(path: &Path, dir: &Path) -> Vec<u8> {
    let conn = crate::store::raw_connection(path, PASSPHRASE);
    let plain = dir.join("plain.db");
    let _ = std::fs::remove_file(&plain);
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{}' AS plain KEY ''; SELECT sqlcipher_export('plain'); DETACH DATABASE plain;",
        plain.display()
    ))
    .expect("export");
    std::fs::read(&plain).expect("plain copy")
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn an_erased_person_leaves_no_trace_in_the_store() {
    let (dir, path, mut app) = new_store();
    let gone = app.create_person(someone("Zorglubette")).expect("person");
    app.add_priority(
        gone,
        PriorityInput {
            words: "Quokkamarmelade".into(),
            ..Default::default()
        },
    )
    .expect("priority");
    let kept = app.create_person(someone("Hervé")).expect("person");
    app.add_priority(
        kept,
        PriorityInput {
            words: "Walk to the market".into(),
            ..Default::default()
        },
    )
    .expect("priority");
    let scratch = tempfile::tempdir().expect("scratch");
    // The control: before erasure, the decrypted store holds the name.
    assert!(
        contains(&decrypted(&path, scratch.path()), "Zorglubette"),
        "the check would see the name"
    );

    app.erase_person(gone).expect("erase");
    assert_eq!(
        app.plan(gone).expect_err("gone").code(),
        ErrorCode::PersonNotFound
    );
    assert_eq!(
        app.erase_person(gone).expect_err("twice").code(),
        ErrorCode::PersonNotFound
    );
    let names: Vec<String> = app
        .people(&PeopleQuery::default())
        .expect("people")
        .into_iter()
        .map(|p| p.display_name)
        .collect();
    assert_eq!(names, vec!["Hervé"]);
    drop(app);

    let plain = decrypted(&path, scratch.path());
    for needle in ["Zorglubette", "zorglubette", "Quokkamarmelade"] {
        assert!(!contains(&plain, needle), "{needle} is still in the store");
    }
    assert!(contains(&plain, "Herv"), "the other person is still there");
    let conn = crate::store::raw_connection(&path, PASSPHRASE);
    let free: i64 = conn
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .expect("freelist");
    assert_eq!(free, 0, "no free pages left with old content");
    drop(conn);
    let wal = path.with_extension("db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).expect("wal").len() == 0,
        "the log was emptied"
    );
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        assert!(!contains(&bytes, "Zorglubette"));
    }
    assert!(key_file_path(&path).exists());

    let mut again = reopen(&path);
    again.store().integrity_check().expect("integrity");
    assert_eq!(
        again.plan(kept).expect("kept").plan.priorities[0].words,
        "Walk to the market"
    );
}

#[test]
fn opening_printing_exporting_and_erasing_are_audited() {
    let (_dir, path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    app.plan(id)
        .expect("reading for the app's own needs is not an opening");
    app.open_plan(id).expect("open");
    app.sheet(id, None, None).expect("print");
    app.export(id).expect("export");
    let log = app.audit_log(Some(id), 10).expect("log");
    let actions: Vec<AuditAction> = log.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        vec![AuditAction::Export, AuditAction::Print, AuditAction::Open]
    );
    assert!(
        log.iter()
            .all(|e| e.author == "Test Referent" && e.display_name.as_deref() == Some("Hervé"))
    );
    app.erase_person(id).expect("erase");
    drop(app);
    let app = reopen(&path);
    let log = app.audit_log(None, 10).expect("log");
    assert_eq!(log[0].action, AuditAction::Erase);
    assert_eq!(log[0].person_id, id);
    assert!(
        log.iter().all(|e| e.display_name.is_none()),
        "no name stays with an erased person's entries"
    );
    assert_eq!(log.len(), 4);
}

#[test]
fn consent_is_recorded_and_gates_sharing() {
    use jiff::civil::date;
    use proxi::domain::ConsentInput;
    let (_dir, path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    assert!(
        !app.may_share_with_team(id).expect("no consent yet"),
        "no consent, no sharing"
    );
    let input = ConsentInput {
        recorded_on: date(2026, 11, 23),
        keep_plan: true,
        share_with_team: false,
        professionals: vec![" Dr Exemple ".into()],
    };
    app.record_consent(id, input.clone()).expect("consent");
    assert!(!app.may_share_with_team(id).expect("kept, not shared"));
    app.record_consent(
        id,
        ConsentInput {
            share_with_team: true,
            ..input.clone()
        },
    )
    .expect("consent");
    assert!(app.may_share_with_team(id).expect("shared"));
    let future = app.record_consent(
        id,
        ConsentInput {
            recorded_on: date(2026, 11, 24),
            ..input.clone()
        },
    );
    assert_eq!(
        future.expect_err("future").code(),
        ErrorCode::ConsentDateInFuture
    );
    let blank = app.record_consent(
        id,
        ConsentInput {
            professionals: vec!["  ".into()],
            ..input
        },
    );
    assert_eq!(
        blank.expect_err("blank name").code(),
        ErrorCode::MemberNameEmpty
    );
    drop(app);
    let mut again = reopen(&path);
    let consent = again.plan(id).expect("plan").consent.expect("kept");
    assert_eq!(consent.recorded_by, "Test Referent");
    assert_eq!(consent.professionals, vec!["Dr Exemple".to_owned()]);
    assert!(consent.share_with_team);
    assert_eq!(
        again.history(id).expect("history")[0].action,
        "consent.record"
    );
}

/// The documented schema of `proxi export` (docs/export), compiled once per test.
fn export_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/export/proxi.person-1.schema.json"),
    )
    .expect("the schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid JSON Schema")
}

fn schema_errors(validator: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_export_follows_its_documented_schema_and_the_schema_is_strict() {
    let validator = export_schema();
    let (_dir, _path, app) = new_store();
    let store = proxi::demo::fill(app.into_store(), crate::support::start(), 300).expect("demo");
    let mut app = proxi::Proxi::new(store, crate::support::clock());
    let people = app.people(&PeopleQuery::default()).expect("people");
    assert_eq!(people.len(), 24);
    // Consent, an undo and an archived plan: every field and every kind of change appears somewhere.
    let first = people[0].id;
    app.record_consent(
        first,
        proxi::domain::ConsentInput {
            recorded_on: jiff::civil::date(2026, 11, 20),
            keep_plan: true,
            share_with_team: true,
            professionals: vec!["Dr Exemple".into()],
        },
    )
    .expect("consent");
    app.undo(first).expect("undo");
    app.set_archived(people[1].id, true).expect("archive");
    // A stay with a checklist action, and a hospital's proposals (one accepted, one rejected).
    let (giver, taker) = (people[2].id, people[3].id);
    app.record_consent(
        giver,
        proxi::domain::ConsentInput {
            recorded_on: jiff::civil::date(2026, 11, 20),
            keep_plan: true,
            share_with_team: false,
            professionals: vec!["Dr Exemple".into()],
        },
    )
    .expect("consent");
    let bundle = app.fhir_export(giver, "Dr Exemple").expect("bundle");
    app.fhir_import(taker, &serde_json::to_vec(&bundle).expect("bytes"))
        .expect("proposals");
    let proposals = app.plan(taker).expect("plan").plan.proposals;
    app.accept_proposal(taker, proposals[0].id)
        .expect("accepted");
    app.reject_proposal(taker, proposals[1].id)
        .expect("rejected");
    let stay = app
        .admit(
            taker,
            proxi::hospital::StayInput {
                admitted: jiff::civil::date(2026, 11, 20),
                hospital: "Hôpital Fictif".into(),
                hospital_service: None,
                ward: String::new(),
                hospital_contact: String::new(),
                reason: String::new(),
                told: String::new(),
                discharge_on: Some(jiff::civil::date(2026, 11, 27)),
                discharge_to: "Domicile".into(),
                discharged: false,
            },
        )
        .expect("stay");
    app.checklist_action(
        taker,
        stay,
        proxi::hospital::ChecklistItem::Meals,
        proxi::domain::ActionInput {
            what: "Repas livrés".into(),
            who: proxi::domain::Who::Referent,
            due: Some(jiff::civil::date(2026, 11, 27)),
            priority_id: None,
            outcome: String::new(),
        },
    )
    .expect("checklist action");
    app.set_checklist_not_needed(taker, stay, proxi::hospital::ChecklistItem::Equipment, true)
        .expect("not needed");
    // A national number, given for a hospital's file.
    let p = app.plan(taker).expect("plan").person;
    app.update_person(
        taker,
        proxi::domain::PersonInput {
            display_name: p.display_name,
            first_name: p.first_name,
            last_name: p.last_name,
            birth_year: p.birth_year,
            languages: p.languages,
            interpreter_needed: p.interpreter_needed,
            address: p.address,
            phone: p.phone,
            notes: p.notes,
            niss: Some("85.07.30-033.28".into()),
        },
    )
    .expect("niss");
    assert_eq!(
        app.plan(taker).expect("plan").person.niss.as_deref(),
        Some("85073003328")
    );
    // A concertation with a participant, a time chosen, the meeting and a decision.
    let c = app
        .new_concertation(
            taker,
            proxi::concertation::ConcertationInput {
                title: "Concertation".into(),
                place: "Maison médicale Fictive".into(),
                video_link: String::new(),
                minutes: 60,
            },
        )
        .expect("concertation");
    let who = app
        .add_participant(
            taker,
            c,
            proxi::concertation::ParticipantInput {
                kind: proxi::concertation::ParticipantKind::Person,
                name: "La personne".into(),
                role: String::new(),
                email: String::new(),
                phone: String::new(),
                riziv: String::new(),
            },
        )
        .expect("participant");
    let slot = app
        .add_slot(taker, c, jiff::civil::date(2027, 1, 12).at(10, 0, 0, 0))
        .expect("slot");
    app.set_available(taker, c, who, slot, true)
        .expect("available");
    app.choose_slot(taker, c, Some(slot)).expect("chosen");
    app.record_meeting(
        taker,
        c,
        proxi::concertation::MeetingInput {
            present: vec![who],
            notes: vec![proxi::concertation::PointNote {
                point: proxi::concertation::AgendaPoint::Decisions,
                note: "Tout le monde d'accord.".into(),
            }],
            next_date: Some(jiff::civil::date(2027, 3, 1)),
        },
    )
    .expect("meeting");
    app.decide(taker, c, who, "Essayer le club du jeudi".into(), None)
        .expect("decision");
    let mut exported = Vec::new();
    for p in &people {
        let export = app.export(p.id).expect("export");
        let errors = schema_errors(&validator, &export);
        assert!(errors.is_empty(), "{}: {errors:#?}", p.display_name);
        exported.push(export);
    }
    let kinds: std::collections::BTreeSet<String> = exported
        .iter()
        .flat_map(|e| {
            e["plan"]["plan"]["actions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|a| a["who"]["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        kinds.len() >= 3,
        "the demo exercises several kinds of who: {kinds:?}"
    );

    // The schema refuses what it does not describe: a new field, a wrong format, a bad card, a bad date.
    let sample = exported[0].clone();
    let broken = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = sample.clone();
        edit(&mut v);
        schema_errors(&validator, &v)
    };
    assert!(!broken(&|v| v["format"] = "proxi.person/2".into()).is_empty());
    assert!(!broken(&|v| v["plan"]["person"]["secret"] = "x".into()).is_empty());
    assert!(!broken(&|v| v["plan"]["plan"]["priorities"][0]["card"] = "unicorn".into()).is_empty());
    assert!(!broken(&|v| v["plan"]["plan"]["reviewDate"] = "23/11/2026".into()).is_empty());
    assert!(!broken(&|v| v["history"][0]["change"] = "not-a-hash".into()).is_empty());
}

#[test]
fn wrong_passphrases_slow_the_next_tries_across_restarts_and_delete_nothing() {
    use proxi::store::{Store, delay_after, tries_file_path, wrong_tries};
    use std::time::Duration;

    let waits: Vec<u64> = (0..12).map(|n| delay_after(n).as_secs()).collect();
    assert_eq!(waits, vec![0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30, 30]);
    assert_eq!(delay_after(u32::MAX), Duration::from_secs(30));

    let (_dir, path, mut app) = new_store();
    let id = app.create_person(someone("Odile")).expect("a person");
    drop(app);
    let size = std::fs::metadata(&path).expect("the store").len();
    for n in 1..=3 {
        let e = Store::open_guarded(&path, "not it").expect_err("wrong");
        assert_eq!(e.code(), ErrorCode::WrongPassphrase);
        // Each try is counted next to the store: closing the app does not start the count again.
        assert_eq!(wrong_tries(&path), n);
    }
    assert_eq!(delay_after(wrong_tries(&path)), Duration::from_secs(1));
    let counted = std::fs::read_to_string(tries_file_path(&path)).expect("the count");
    assert_eq!(counted, "3", "a number, nothing else");
    // The right passphrase (after its wait) opens the store, whole, and clears the count.
    let mut app = proxi::Proxi::new(
        Store::open_guarded(&path, PASSPHRASE).expect("opens"),
        crate::support::clock(),
    );
    assert_eq!(
        app.plan(id).expect("still there").person.display_name,
        "Odile"
    );
    assert_eq!(wrong_tries(&path), 0);
    assert!(!tries_file_path(&path).exists());
    assert!(std::fs::metadata(&path).expect("the store").len() >= size);
}

/// "Keep the plan: no" does something: the plan is erased 30 days after that consent unless a new
/// consent says keep; here and in the team, at the next opening of the store.
#[test]
fn a_plan_the_person_did_not_agree_to_keep_is_erased_after_the_grace_days() {
    use jiff::civil::date;
    use proxi::domain::ConsentInput;
    let (_dir, path, mut app) = new_store();
    let consent = |on, keep| ConsentInput {
        recorded_on: on,
        keep_plan: keep,
        share_with_team: false,
        professionals: Vec::new(),
    };
    // Today is 2026-11-23.
    let refused_long_ago = app.create_person(someone("Anouk")).expect("person");
    app.record_consent(refused_long_ago, consent(date(2026, 10, 1), false))
        .expect("consent");
    let refused_lately = app.create_person(someone("Basile")).expect("person");
    app.record_consent(refused_lately, consent(date(2026, 11, 20), false))
        .expect("consent");
    let changed_mind = app.create_person(someone("Cyril")).expect("person");
    app.record_consent(changed_mind, consent(date(2026, 10, 1), false))
        .expect("consent");
    app.record_consent(changed_mind, consent(date(2026, 10, 15), true))
        .expect("renewed");
    let keeps = app.create_person(someone("Dora")).expect("person");
    app.record_consent(keeps, consent(date(2026, 10, 1), true))
        .expect("consent");

    assert_eq!(
        app.store().erase_due(date(2026, 11, 23)).expect("due"),
        vec![refused_long_ago]
    );
    let erased = proxi::sync::team::erase_refused(&mut app, date(2026, 11, 23)).expect("erased");
    assert_eq!(erased, vec![refused_long_ago]);
    assert_eq!(
        app.plan(refused_long_ago).expect_err("gone").code(),
        ErrorCode::PersonNotFound
    );
    drop(app);

    // A month later, the second one goes too; the others stay.
    let mut app = reopen(&path);
    let erased = proxi::sync::team::erase_refused(&mut app, date(2026, 12, 20)).expect("erased");
    assert_eq!(erased, vec![refused_lately]);
    let left: Vec<String> = app
        .people(&PeopleQuery {
            include_archived: true,
            ..PeopleQuery::default()
        })
        .expect("people")
        .into_iter()
        .map(|p| p.display_name)
        .collect();
    assert_eq!(left, vec!["Cyril", "Dora"]);
}
