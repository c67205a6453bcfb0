//! Diapason groups: members, meetings, observations, recommendations and their follow-ups, the
//! follow-up list, the report, undo, wrong input, and the command line.

use jiff::civil::date;
use proxi::error::{Error, ErrorCode};
use proxi::group::{GroupEdit, GroupInput, GroupMemberInput, RecommendationStatus as Status};
use proxi::territory::Bassin;
use uuid::Uuid;

use crate::cli::{proxi, text};
use crate::support::{PASSPHRASE, new_store, pdf_words, reopen, someone};

fn input(name: &str) -> GroupInput {
    GroupInput {
        name: name.into(),
        bassin: Some(Bassin::NordEst),
        problem: "Les sorties d'hôpital le vendredi soir, sans relais au domicile".into(),
    }
}

fn member(name: &str, organisation: &str) -> GroupMemberInput {
    GroupMemberInput {
        name: name.into(),
        sector: "soins à domicile".into(),
        organisation: organisation.into(),
        mandate: "porter la voix des infirmières".into(),
    }
}

fn added(app: &mut proxi::Proxi, group: Uuid, edit: GroupEdit) -> Uuid {
    app.edit_group(group, edit)
        .expect("the edit is accepted")
        .expect("it names what it added")
}

fn codes(e: &Error) -> Vec<(ErrorCode, String)> {
    match e {
        Error::Invalid(v) => v.iter().map(|v| (v.code, v.field.clone())).collect(),
        other => vec![(other.code(), String::new())],
    }
}

#[test]
fn a_group_keeps_its_work_and_its_recommendations_due_come_up_for_follow_up() {
    let (_dir, path, mut app) = new_store();
    let id = app.new_group(input("Groupe Lanterne")).expect("a group");
    let anna = added(
        &mut app,
        id,
        GroupEdit::AddMember {
            input: member("Anna Fictive", "Soins Exemple"),
        },
    );
    let bert = added(
        &mut app,
        id,
        GroupEdit::AddMember {
            input: member("Bert Imaginaire", "CPAS Exemple"),
        },
    );
    let meeting = added(
        &mut app,
        id,
        GroupEdit::AddMeeting {
            date: date(2026, 11, 12),
        },
    );
    app.edit_group(
        id,
        GroupEdit::EditMeeting {
            id: meeting,
            date: date(2026, 11, 12),
            present: vec![anna, bert],
            notes: "Premier tour de table".into(),
        },
    )
    .expect("the meeting recorded");
    added(
        &mut app,
        id,
        GroupEdit::AddObservation {
            text: "Trois sorties sur dix tombent un vendredi après 17 h".into(),
            meeting: Some(meeting),
        },
    );
    let soon = added(
        &mut app,
        id,
        GroupEdit::AddRecommendation {
            text: "Une permanence téléphonique le vendredi soir".into(),
            owner: "CPAS Exemple".into(),
        },
    );
    let later = added(
        &mut app,
        id,
        GroupEdit::AddRecommendation {
            text: "Prévenir le référent la veille de la sortie".into(),
            owner: "Hôpitaux du bassin".into(),
        },
    );
    let dropped = added(
        &mut app,
        id,
        GroupEdit::AddRecommendation {
            text: "Un taxi social gratuit".into(),
            owner: String::new(),
        },
    );
    for (r, status) in [
        (soon, Status::Adopted),
        (later, Status::InProgress),
        (dropped, Status::Dropped),
    ] {
        app.edit_group(id, GroupEdit::SetRecommendationStatus { id: r, status })
            .expect("status");
    }
    // Follow-ups: one past (overdue), one in three weeks, one far away; the dropped one's never comes up.
    let past = added(
        &mut app,
        id,
        GroupEdit::AddFollowUp {
            recommendation: soon,
            due: date(2026, 11, 20),
        },
    );
    added(
        &mut app,
        id,
        GroupEdit::AddFollowUp {
            recommendation: soon,
            due: date(2027, 2, 1),
        },
    );
    added(
        &mut app,
        id,
        GroupEdit::AddFollowUp {
            recommendation: later,
            due: date(2026, 12, 14),
        },
    );
    added(
        &mut app,
        id,
        GroupEdit::AddFollowUp {
            recommendation: dropped,
            due: date(2026, 11, 25),
        },
    );

    let due = app.recommendations_due(date(2026, 12, 31)).expect("due");
    let seen: Vec<(&str, bool)> = due.iter().map(|d| (d.text.as_str(), d.overdue)).collect();
    assert_eq!(
        seen,
        vec![
            ("Une permanence téléphonique le vendredi soir", true),
            ("Prévenir le référent la veille de la sortie", false),
        ]
    );
    assert_eq!(due[0].group_name, "Groupe Lanterne");
    // Looked at: the next follow-up of that recommendation is the February one, past the horizon.
    app.edit_group(
        id,
        GroupEdit::RecordFollowUp {
            recommendation: soon,
            id: past,
            done: true,
            note: "Accord de principe du CPAS".into(),
        },
    )
    .expect("looked at");
    let due = app.recommendations_due(date(2026, 12, 31)).expect("due");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].recommendation_id, later);
    // Done: nothing more to follow up.
    app.edit_group(
        id,
        GroupEdit::SetRecommendationStatus {
            id: later,
            status: Status::Done,
        },
    )
    .expect("done");
    assert!(
        app.recommendations_due(date(2027, 12, 31))
            .expect("due")
            .iter()
            .all(|d| d.recommendation_id == soon)
    );

    let summary = app.groups().expect("groups");
    assert_eq!(summary.len(), 1);
    assert_eq!(
        (
            summary[0].members,
            summary[0].meetings,
            summary[0].open_recommendations
        ),
        (2, 1, 1)
    );
    // A group is nobody's plan: not in the people list.
    assert!(app.people(&Default::default()).expect("people").is_empty());

    // Reopened, and with every derived table rebuilt from the documents: the same.
    let before = app.group(id).expect("group");
    drop(app);
    let mut app = reopen(&path);
    assert_eq!(app.group(id).expect("group"), before);
    assert_eq!(app.groups().expect("groups"), summary);
    app.store_mut().rebuild_derived().expect("rebuilt");
    assert_eq!(app.groups().expect("groups"), summary);
    assert_eq!(before.observations[0].meeting, Some(meeting));
    let f = &before.recommendations[0].follow_ups[0];
    assert_eq!(
        (f.done_on, f.note.as_str()),
        (Some(date(2026, 11, 23)), "Accord de principe du CPAS")
    );

    // The report, in French and Dutch: every member, the observation, every recommendation.
    let fr = pdf_words(&app.group_report(id, "fr").expect("report"));
    for words in [
        "Groupe Diapason « Groupe Lanterne » — rapport",
        "Bassin : Nord-Est",
        "Les sorties d'hôpital le vendredi soir",
        "Anna Fictive — Soins Exemple (soins à domicile)",
        "Mandat : porter la voix des infirmières",
        "Le 12 novembre 2026 — présents : 2",
        "Premier tour de table",
        "Trois sorties sur dix",
        "1. Une permanence téléphonique le vendredi soir",
        "Portée par : CPAS Exemple — adoptée",
        "Revue le 23 novembre 2026 : Accord de principe du CPAS",
        "À revoir le 1er février 2027",
        "2. Prévenir le référent la veille de la sortie",
        "réalisée",
        "3. Un taxi social gratuit",
        "abandonnée",
    ] {
        assert!(fr.contains(words), "{words:?} in {fr}");
    }
    let nl = pdf_words(&app.group_report(id, "nl").expect("report"));
    for words in [
        "verslag",
        "Zorgzone: Noord-Oost",
        "De aanbevelingen",
        "aangenomen",
    ] {
        assert!(nl.contains(words), "{words:?} in {nl}");
    }
    assert_eq!(
        app.group_report(id, "ar")
            .expect_err("not in Arabic")
            .code(),
        ErrorCode::SheetFailed
    );
}

#[test]
fn wrong_group_input_is_refused_with_its_field_and_changes_nothing() {
    let (_dir, _path, mut app) = new_store();
    let e = app
        .new_group(GroupInput {
            name: "  ".into(),
            bassin: None,
            problem: "x".repeat(4_001),
        })
        .expect_err("no name, too long");
    assert_eq!(
        codes(&e),
        vec![
            (ErrorCode::GroupNameEmpty, "name".into()),
            (ErrorCode::TextTooLong, "problem".into())
        ]
    );
    assert!(
        app.groups().expect("groups").is_empty(),
        "nothing was created"
    );

    let id = app.new_group(input("Groupe Boussole")).expect("a group");
    let m = added(
        &mut app,
        id,
        GroupEdit::AddMember {
            input: member("Chloé Exemple", "Réseau Fictif"),
        },
    );
    let meeting = added(
        &mut app,
        id,
        GroupEdit::AddMeeting {
            date: date(2026, 11, 19),
        },
    );
    let r = added(
        &mut app,
        id,
        GroupEdit::AddRecommendation {
            text: "Un annuaire partagé".into(),
            owner: String::new(),
        },
    );
    let before = app.group(id).expect("group");
    let stranger = Uuid::now_v7();
    let wrong: Vec<(GroupEdit, Vec<(ErrorCode, String)>)> = vec![
        (
            GroupEdit::Update {
                input: GroupInput {
                    name: String::new(),
                    ..input("x")
                },
            },
            vec![(ErrorCode::GroupNameEmpty, "name".into())],
        ),
        (
            GroupEdit::AddMember {
                input: member(" ", "x"),
            },
            vec![(ErrorCode::MemberNameEmpty, "name".into())],
        ),
        (
            GroupEdit::AddObservation {
                text: "\n".into(),
                meeting: None,
            },
            vec![(ErrorCode::ObservationEmpty, "text".into())],
        ),
        (
            GroupEdit::AddObservation {
                text: "Vu".into(),
                meeting: Some(stranger),
            },
            vec![(ErrorCode::ItemNotFound, String::new())],
        ),
        (
            GroupEdit::AddRecommendation {
                text: String::new(),
                owner: "x".repeat(201),
            },
            vec![
                (ErrorCode::RecommendationEmpty, "text".into()),
                (ErrorCode::TextTooLong, "owner".into()),
            ],
        ),
        (
            GroupEdit::EditMeeting {
                id: meeting,
                date: date(2026, 11, 19),
                present: vec![m, stranger],
                notes: String::new(),
            },
            vec![(ErrorCode::ItemNotFound, String::new())],
        ),
        (
            GroupEdit::EditMeeting {
                id: meeting,
                date: date(2026, 11, 19),
                present: vec![],
                notes: "x".repeat(20_001),
            },
            vec![(ErrorCode::TextTooLong, "notes".into())],
        ),
        (
            GroupEdit::SetRecommendationStatus {
                id: stranger,
                status: Status::Done,
            },
            vec![(ErrorCode::ItemNotFound, String::new())],
        ),
        (
            GroupEdit::AddFollowUp {
                recommendation: stranger,
                due: date(2027, 1, 1),
            },
            vec![(ErrorCode::ItemNotFound, String::new())],
        ),
        (
            GroupEdit::RecordFollowUp {
                recommendation: r,
                id: stranger,
                done: true,
                note: String::new(),
            },
            vec![(ErrorCode::ItemNotFound, String::new())],
        ),
        (
            GroupEdit::SetMemberLeft {
                id: stranger,
                left: true,
            },
            vec![(ErrorCode::ItemNotFound, String::new())],
        ),
    ];
    for (edit, expected) in wrong {
        let described = format!("{edit:?}");
        let e = app.edit_group(id, edit).expect_err(&described);
        assert_eq!(codes(&e), expected, "{described}");
        assert_eq!(
            app.group(id).expect("group"),
            before,
            "{described} changed nothing"
        );
    }
    // A person's plan is not a group, and a group is not a plan.
    let person = app.create_person(someone("Zénobe")).expect("a person");
    assert_eq!(
        app.group(person).expect_err("a plan").code(),
        ErrorCode::ItemNotFound
    );
    assert_eq!(
        app.edit_group(person, GroupEdit::SetClosed { closed: true })
            .expect_err("a plan")
            .code(),
        ErrorCode::ItemNotFound
    );
    assert!(app.plan(id).is_err());
    assert_eq!(
        app.erase_person(id).expect_err("not a person").code(),
        ErrorCode::PersonNotFound
    );
    assert_eq!(app.group(id).expect("still there"), before);
    assert_eq!(
        app.group(stranger).expect_err("nothing").code(),
        ErrorCode::ItemNotFound
    );
}

#[test]
fn undo_takes_back_the_last_edit_of_a_group_and_nothing_before_its_start() {
    let (_dir, _path, mut app) = new_store();
    let id = app.new_group(input("Groupe Ancre")).expect("a group");
    assert_eq!(
        app.edit_group(id, GroupEdit::Undo)
            .expect_err("nothing to undo")
            .code(),
        ErrorCode::NothingToUndo
    );
    let r = added(
        &mut app,
        id,
        GroupEdit::AddRecommendation {
            text: "Un relais le week-end".into(),
            owner: String::new(),
        },
    );
    let before = app.group(id).expect("group");
    app.edit_group(
        id,
        GroupEdit::SetRecommendationStatus {
            id: r,
            status: Status::Dropped,
        },
    )
    .expect("dropped by mistake");
    app.edit_group(id, GroupEdit::Undo).expect("undone");
    assert_eq!(app.group(id).expect("group"), before);
    assert_eq!(app.groups().expect("groups")[0].open_recommendations, 1);
}

#[test]
fn the_command_line_runs_a_group_from_start_to_report() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("proxi.db");
    let run = |args: &[&str]| {
        let out = proxi(&store, Some(PASSPHRASE), args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout).trim().to_owned()
    };
    run(&["init", "--author", "Anna"]);
    let id = run(&[
        "group",
        "new",
        "Groupe Phare",
        "--bassin",
        "sud",
        "--problem",
        "Les aidants épuisés",
    ]);
    let m = run(&[
        "group",
        "member",
        &id,
        "Dora Exemple",
        "--organisation",
        "Maison Fictive",
        "--sector",
        "social",
    ]);
    run(&[
        "group",
        "meeting",
        &id,
        "2026-11-05",
        "--present",
        &m,
        "--notes",
        "Lancement",
    ]);
    let r = run(&[
        "group",
        "recommend",
        &id,
        "Un répit d'un jour par mois",
        "--owner",
        "Maison Fictive",
    ]);
    run(&["group", "status", &id, &r, "adopted"]);
    let today = jiff::Zoned::now()
        .with_time_zone(proxi::clock::brussels())
        .date();
    let f = run(&["group", "follow-up", &id, &r, &today.to_string()]);
    let due = run(&["group", "due", "--days", "7"]);
    assert!(
        due.contains("Un répit d'un jour par mois") && due.contains("adopted"),
        "{due}"
    );
    run(&[
        "group",
        "looked-at",
        &id,
        &r,
        &f,
        "--note",
        "En cours au CPAS",
    ]);
    assert!(run(&["group", "due", "--days", "7"]).is_empty());
    let shown = run(&["group", "show", &id]);
    assert!(
        shown.contains("Dora Exemple") && shown.contains("looked at"),
        "{shown}"
    );
    assert!(
        run(&["group", "list"])
            .contains("Groupe Phare\t1 members\t1 meetings\t1 open recommendations")
    );
    let pdf = dir.path().join("rapport.pdf");
    run(&["group", "report", &id, "-o", pdf.to_str().expect("path")]);
    let words = pdf_words(&std::fs::read(&pdf).expect("the report"));
    assert!(
        words.contains("Un répit d'un jour par mois") && words.contains("Lancement"),
        "{words}"
    );

    // Wrong words are refused in words, and nothing is written.
    for (args, says) in [
        (
            vec!["group", "status", &id, &r, "finished"],
            "one of proposed, adopted, inProgress, done, dropped",
        ),
        (
            vec!["group", "new", "X", "--bassin", "ouest"],
            "one of nord, nordEst, centreOuest, sud, sudEst",
        ),
        (vec!["group", "recommend", &id, " "], "RecommendationEmpty"),
        (
            vec!["group", "meeting", &id, "2026-11-06", "--present", &r],
            "member",
        ),
    ] {
        let out = proxi(&store, Some(PASSPHRASE), &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let shown = run(&["group", "show", &id]);
    assert_eq!(
        shown.matches("meeting ").count(),
        1,
        "the refused meeting was not kept: {shown}"
    );
}
