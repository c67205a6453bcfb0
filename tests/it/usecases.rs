//! The use cases of the façade, on a real store.

use jiff::civil::date;
use proxi::app::ORIENTATION_STUCK_DAYS;
use proxi::domain::{
    ActionInput, ActionStatus, MemberInput, NetworkRole, PriorityInput, PriorityStatus,
    StatementInput, VisitInput, Who,
};
use proxi::edit::PlanEdit;
use proxi::store::PeopleQuery;
use proxi::territory::Bassin;
use proxi::{ErrorCode, StatementList};
use uuid::Uuid;

use crate::support::{new_store, someone};

fn names(app: &proxi::Proxi, text: &str) -> Vec<String> {
    let query = PeopleQuery {
        text: text.into(),
        include_archived: false,
        ..PeopleQuery::default()
    };
    app.people(&query)
        .expect("people")
        .into_iter()
        .map(|p| p.display_name)
        .collect()
}

#[test]
fn people_are_found_without_accents_or_case() {
    let (_dir, _path, mut app) = new_store();
    for name in ["Hervé", "Çelik", "Łucja", "Ștefan", "Hermine", "50%"] {
        app.create_person(someone(name)).expect("person");
    }
    assert_eq!(names(&app, "Herve"), vec!["Hervé"]);
    assert_eq!(names(&app, "HERVÉ"), vec!["Hervé"]);
    assert_eq!(names(&app, "celik"), vec!["Çelik"]);
    assert_eq!(names(&app, "lucja"), vec!["Łucja"]);
    assert_eq!(names(&app, "stefan exemple"), vec!["Ștefan"]);
    assert_eq!(names(&app, "  her  "), vec!["Hermine", "Hervé"]);
    assert_eq!(
        names(&app, "%"),
        vec!["50%"],
        "a % is a character, not a wildcard"
    );
    assert!(names(&app, "Zoé").is_empty());
    assert_eq!(names(&app, "").len(), 6);
}

#[test]
fn archived_people_leave_the_list_and_their_plan_is_read_only_until_restored() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    app.set_archived(id, true).expect("archive");
    assert!(names(&app, "").is_empty());
    let all = app
        .people(&PeopleQuery {
            text: String::new(),
            include_archived: true,
            ..PeopleQuery::default()
        })
        .expect("all");
    assert!(all[0].archived);
    let err = app
        .add_priority(
            id,
            PriorityInput {
                words: "Walk".into(),
                ..Default::default()
            },
        )
        .expect_err("archived");
    assert_eq!(err.code(), ErrorCode::PersonArchived);
    app.set_archived(id, false).expect("restore");
    app.add_priority(
        id,
        PriorityInput {
            words: "Walk".into(),
            ..Default::default()
        },
    )
    .expect("restored");
    assert_eq!(names(&app, ""), vec!["Hervé"]);
}

#[test]
fn priorities_are_ranked_reordered_and_closed() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    let ids: Vec<Uuid> = ["Walk", "Sleep", "Family"]
        .iter()
        .map(|w| {
            app.add_priority(
                id,
                PriorityInput {
                    words: (*w).into(),
                    ..Default::default()
                },
            )
            .expect("priority")
        })
        .collect();
    app.reorder_priorities(id, &[ids[2], ids[0], ids[1]])
        .expect("reorder");
    let ranked = |app: &mut proxi::Proxi| {
        let mut p = app.plan(id).expect("plan").plan.priorities;
        p.retain(|x| x.status == PriorityStatus::Active);
        p.sort_by_key(|x| x.rank);
        p.into_iter().map(|x| x.words).collect::<Vec<_>>()
    };
    assert_eq!(ranked(&mut app), vec!["Family", "Walk", "Sleep"]);
    app.set_priority_status(id, ids[2], PriorityStatus::Achieved)
        .expect("achieved");
    assert_eq!(ranked(&mut app), vec!["Walk", "Sleep"]);
    app.reorder_priorities(id, &[ids[1], ids[0]])
        .expect("reorder the active ones");
    assert_eq!(ranked(&mut app), vec!["Sleep", "Walk"]);
    let err = app
        .reorder_priorities(id, &[ids[1], ids[0], ids[2]])
        .expect_err("a closed one");
    assert_eq!(err.code(), ErrorCode::ReorderMismatch);
    app.edit_priority(
        id,
        ids[0],
        PriorityInput {
            words: "Walk to the market".into(),
            card: Some("moving".into()),
            review_date: Some(date(2027, 1, 1)),
        },
    )
    .expect("edit");
    assert_eq!(ranked(&mut app), vec!["Sleep", "Walk to the market"]);
    let err = app
        .edit_priority(
            id,
            Uuid::nil(),
            PriorityInput {
                words: "x".into(),
                ..Default::default()
            },
        )
        .expect_err("unknown");
    assert_eq!(err.code(), ErrorCode::ItemNotFound);
    assert_eq!(
        app.plan(Uuid::nil()).expect_err("nobody").code(),
        ErrorCode::PersonNotFound
    );
}

#[test]
fn strengths_difficulties_network_and_visits_are_edited_and_closed() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    let s1 = app
        .add_statement(
            id,
            StatementList::Strengths,
            StatementInput {
                words: "Daughter".into(),
                card: Some("family".into()),
            },
        )
        .expect("s1");
    let s2 = app
        .add_statement(
            id,
            StatementList::Strengths,
            StatementInput {
                words: "Cat".into(),
                card: Some("pet".into()),
            },
        )
        .expect("s2");
    let d1 = app
        .add_statement(
            id,
            StatementList::Difficulties,
            StatementInput {
                words: "Stairs".into(),
                card: None,
            },
        )
        .expect("d1");
    app.reorder_statements(id, StatementList::Strengths, &[s2, s1])
        .expect("reorder");
    app.edit_statement(
        id,
        StatementList::Difficulties,
        d1,
        StatementInput {
            words: "Stairs at the station".into(),
            card: Some("moving".into()),
        },
    )
    .expect("edit");
    app.close_statement(id, StatementList::Strengths, s1, true)
        .expect("close");
    let nurse = MemberInput {
        role: NetworkRole::Nurse,
        name: "Nurse Démo".into(),
        organisation: String::new(),
        phone: "02 000 00 02".into(),
        email: String::new(),
    };
    let m = app.add_member(id, nurse.clone()).expect("member");
    app.edit_member(
        id,
        m,
        MemberInput {
            phone: "+32 2 000 00 03".into(),
            ..nurse
        },
    )
    .expect("edit member");
    app.close_member(id, m, true).expect("close member");
    let v = app
        .add_visit(
            id,
            VisitInput {
                date: date(2026, 11, 23),
                place: "Home".into(),
                notes: String::new(),
                next_visit: None,
            },
        )
        .expect("visit");
    app.edit_visit(
        id,
        v,
        VisitInput {
            date: date(2026, 11, 23),
            place: "Home".into(),
            notes: "Cards went well".into(),
            next_visit: Some(date(2026, 12, 21)),
        },
    )
    .expect("edit visit");
    let plan = app.plan(id).expect("plan").plan;
    let s = |x: Uuid| plan.strengths.iter().find(|s| s.id == x).expect("strength");
    assert!(s(s1).closed && !s(s2).closed && s(s2).rank < s(s1).rank);
    assert_eq!(plan.difficulties[0].words, "Stairs at the station");
    assert_eq!(plan.network[0].phone, "+32 2 000 00 03");
    assert!(plan.network[0].closed);
    assert_eq!(plan.visits[0].next_visit, Some(date(2026, 12, 21)));
}

#[test]
fn actions_due_and_overdue_across_everyone() {
    let (_dir, _path, mut app) = new_store();
    let a = app.create_person(someone("Alice")).expect("a");
    let b = app.create_person(someone("Bruno")).expect("b");
    let c = app.create_person(someone("Chloé")).expect("c");
    let act = |what: &str, due| ActionInput {
        what: what.into(),
        who: Who::Referent,
        due,
        priority_id: None,
        outcome: String::new(),
    };
    // Today is 2026-11-23 in Brussels.
    app.add_action(a, act("today", Some(date(2026, 11, 23))))
        .expect("today");
    app.add_action(b, act("in six days", Some(date(2026, 11, 29))))
        .expect("in six days");
    app.add_action(b, act("next month", Some(date(2026, 12, 23))))
        .expect("later");
    app.add_action(b, act("no date", None)).expect("no date");
    let done = app
        .add_action(c, act("done already", Some(date(2026, 11, 24))))
        .expect("done");
    app.set_action_status(c, done, ActionStatus::Done, Some("Called".into()))
        .expect("status");
    let archived = app.create_person(someone("Zoé")).expect("z");
    app.add_action(archived, act("archived", Some(date(2026, 11, 24))))
        .expect("archived");
    app.set_archived(archived, true).expect("archive");

    let due = app.actions_due(7).expect("due");
    let whats: Vec<_> = due.iter().map(|d| d.what.as_str()).collect();
    assert_eq!(whats, vec!["today", "in six days"]);
    assert!(due.iter().all(|d| !d.overdue));

    // A week later, the same actions are overdue.
    let later = std::sync::Arc::new(proxi::clock::SteppingClock::new(
        "2026-12-01T08:00:00Z".parse().expect("instant"),
        jiff::SignedDuration::from_secs(1),
    ));
    let app = proxi::Proxi::new(app.into_store(), later);
    let due = app.actions_due(7).expect("due");
    assert_eq!(due.iter().filter(|d| d.overdue).count(), 2);
    assert_eq!(due[0].display_name, "Alice");
}

#[test]
fn history_says_what_changed_when_and_by_whom() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    app.add_priority(
        id,
        PriorityInput {
            words: "Walk".into(),
            ..Default::default()
        },
    )
    .expect("priority");
    let mut input = someone("Hervé");
    input.phone = "02 999 99 99".into();
    app.update_person(id, input.clone()).expect("update");
    app.update_person(id, input)
        .expect("same again: no change recorded");
    let history = app.history(id).expect("history");
    let actions: Vec<_> = history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["person.update", "priority.add", "person.create"]
    );
    assert!(history.iter().all(|h| h.author == "Test Referent"));
    assert!(history[0].at > history[2].at);
    assert_eq!(history[0].at.to_string().get(..10), Some("2026-11-23"));
    let export = app.export(id).expect("export");
    assert_eq!(export["format"], "proxi.person/1");
    assert_eq!(export["plan"]["person"]["phone"], "02 999 99 99");
    assert_eq!(export["history"].as_array().expect("array").len(), 3);
    // Each line says what changed: the phone, from what to what.
    assert_eq!(history[0].changes.len(), 1);
    let phone = &history[0].changes[0];
    assert_eq!(
        (
            phone.item.as_str(),
            phone.label.as_str(),
            phone.field.as_str()
        ),
        ("person", "Hervé", "phone")
    );
    assert_eq!(
        (phone.old.as_str(), phone.new.as_str()),
        (Some("02 000 00 00"), Some("02 999 99 99"))
    );
    assert_eq!(history[1].changes[0].item, "priority");
    assert_eq!(history[1].changes[0].field, "", "an added item");
    assert!(history[2].changes.is_empty(), "the creation lists no field");
}

#[test]
fn the_history_gives_old_and_new_values_of_an_action_and_an_address() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Aline")).expect("person");
    let input = |due| ActionInput {
        what: "Appeler le CPAS".into(),
        who: Who::Referent,
        due: Some(due),
        priority_id: None,
        outcome: String::new(),
    };
    let action = app
        .add_action(id, input(date(2026, 12, 2)))
        .expect("action");
    app.edit_action(id, action, input(date(2026, 12, 9)))
        .expect("new due date");
    app.set_action_status(id, action, ActionStatus::Done, Some("RDV pris".into()))
        .expect("done");
    let mut moved = someone("Aline");
    moved.address.postal_code = "1090".into();
    moved.address.commune = "Jette".into();
    app.update_person(id, moved).expect("moved");

    let history = app.history(id).expect("history");
    let line = |i: usize| {
        history[i]
            .changes
            .iter()
            .map(|c| format!("{} {} {}: {} -> {}", c.item, c.label, c.field, c.old, c.new))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        line(0),
        vec![
            r#"person Aline address.commune: "Bruxelles" -> "Jette""#,
            r#"person Aline address.postalCode: "1000" -> "1090""#,
        ]
    );
    assert_eq!(
        line(1),
        vec![
            r#"action Appeler le CPAS outcome: "" -> "RDV pris""#,
            r#"action Appeler le CPAS status: "planned" -> "done""#,
        ]
    );
    assert_eq!(
        line(2),
        vec![r#"action Appeler le CPAS due: "2026-12-02" -> "2026-12-09""#]
    );
}

fn priority(words: &str, card: Option<&str>) -> PriorityInput {
    PriorityInput {
        words: words.into(),
        card: card.map(str::to_owned),
        review_date: None,
    }
}

#[test]
fn the_people_list_filters_by_bassin_review_due_and_overdue_actions() {
    let (_dir, _path, mut app) = new_store();
    let mut in_jette = someone("Jeanne");
    in_jette.address.postal_code = "1090".into();
    in_jette.address.commune = "Jette".into();
    let jeanne = app.create_person(in_jette).expect("Jeanne");
    let mut in_uccle = someone("Ursule");
    in_uccle.address.postal_code = "1180".into();
    let ursule = app.create_person(in_uccle).expect("Ursule");
    let mut abroad = someone("Oscar");
    abroad.address.postal_code = "4000".into();
    app.create_person(abroad).expect("Oscar");
    // Ursule's review was yesterday; Jeanne has an action whose date passed.
    app.set_review_date(ursule, Some(date(2026, 11, 22)))
        .expect("review");
    app.set_review_date(jeanne, Some(date(2026, 12, 22)))
        .expect("review");
    let action = ActionInput {
        what: "Appeler la mutuelle".into(),
        who: Who::Referent,
        due: Some(date(2026, 11, 24)),
        priority_id: None,
        outcome: String::new(),
    };
    app.add_action(jeanne, action).expect("action");

    let list = |q: PeopleQuery, app: &proxi::Proxi| -> Vec<String> {
        app.people(&q)
            .expect("people")
            .into_iter()
            .map(|p| p.display_name)
            .collect()
    };
    let all = app.people(&PeopleQuery::default()).expect("all");
    let bassins: Vec<Option<Bassin>> = all.iter().map(|p| p.bassin).collect();
    assert_eq!(
        bassins,
        vec![Some(Bassin::Nord), None, Some(Bassin::Sud)],
        "Jeanne, Oscar (not in Brussels), Ursule"
    );
    let nord = PeopleQuery {
        bassin: Some(Bassin::Nord),
        ..PeopleQuery::default()
    };
    assert_eq!(list(nord, &app), vec!["Jeanne"]);
    let due = PeopleQuery {
        review_due: true,
        ..PeopleQuery::default()
    };
    assert_eq!(list(due, &app), vec!["Ursule"]);
    let overdue = PeopleQuery {
        overdue: true,
        ..PeopleQuery::default()
    };
    assert!(
        list(overdue.clone(), &app).is_empty(),
        "due tomorrow: not yet late"
    );

    // Two days later (a new clock over the same store), the action is overdue.
    let path = app.store().path().to_path_buf();
    drop(app);
    let later = proxi::Proxi::new(
        proxi::store::Store::open(&path, crate::support::PASSPHRASE).expect("reopen"),
        std::sync::Arc::new(proxi::clock::SteppingClock::new(
            "2026-11-25T08:00:00Z".parse().expect("instant"),
            jiff::SignedDuration::from_secs(1),
        )),
    );
    assert_eq!(list(overdue, &later), vec!["Jeanne"]);
    let jeanne_row = later
        .people(&PeopleQuery::default())
        .expect("people")
        .into_iter()
        .find(|p| p.id == jeanne)
        .expect("Jeanne");
    assert_eq!(jeanne_row.overdue_actions, 1);
}

#[test]
fn undo_takes_back_the_last_edit_and_a_second_undo_redoes_it() {
    let (_dir, path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    assert_eq!(
        app.undo(id).expect_err("only the creation").code(),
        ErrorCode::NothingToUndo,
        "creating the person is not undone: archive them instead"
    );
    let first = app
        .add_priority(id, priority("Rester chez moi", Some("home")))
        .expect("p1");
    let second = app
        .add_priority(id, priority("Voir ma fille", Some("family")))
        .expect("p2");
    app.reorder_priorities(id, &[second, first])
        .expect("reorder");

    assert_eq!(app.undo(id).expect("undo"), "priority.reorder");
    let ranks = |app: &mut proxi::Proxi| -> Vec<(String, u32)> {
        let mut p: Vec<(String, u32)> = app
            .plan(id)
            .expect("plan")
            .plan
            .priorities
            .into_iter()
            .map(|p| (p.words, p.rank))
            .collect();
        p.sort_by_key(|x| x.1);
        p
    };
    assert_eq!(
        ranks(&mut app),
        vec![("Rester chez moi".into(), 1), ("Voir ma fille".into(), 2)]
    );
    // The undo is a change of its own: undoing it again puts the reorder back.
    assert_eq!(app.undo(id).expect("redo"), "undo");
    assert_eq!(ranks(&mut app)[0].0, "Voir ma fille");
    // Undo survives a restart, and the history keeps every step.
    drop(app);
    let mut again = crate::support::reopen(&path);
    assert_eq!(again.undo(id).expect("undo after reopen"), "undo");
    assert_eq!(ranks(&mut again)[0].0, "Rester chez moi");
    let actions: Vec<String> = again
        .history(id)
        .expect("history")
        .into_iter()
        .map(|h| h.action)
        .collect();
    assert_eq!(
        actions,
        vec![
            "undo",
            "undo",
            "undo",
            "priority.reorder",
            "priority.add",
            "priority.add",
            "person.create"
        ]
    );
}

#[test]
fn archiving_can_be_undone_but_nothing_else_changes_an_archived_plan() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    app.add_priority(id, priority("Rester chez moi", None))
        .expect("p");
    app.set_archived(id, true).expect("archive");
    assert_eq!(
        app.add_priority(id, priority("Autre", None))
            .expect_err("archived")
            .code(),
        ErrorCode::PersonArchived
    );
    assert_eq!(app.undo(id).expect("undo the archiving"), "person.archive");
    assert!(!app.plan(id).expect("plan").person.archived);
    app.add_priority(id, priority("Autre", None))
        .expect("editable again");
}

#[test]
fn every_edit_goes_through_one_typed_value() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Hervé")).expect("person");
    let edit: PlanEdit = serde_json::from_value(serde_json::json!({
        "kind": "addStatement",
        "list": "strengths",
        "input": { "words": "Ma voisine passe chaque jour", "card": "friends" }
    }))
    .expect("the UI's shape");
    app.apply(id, edit).expect("apply");
    let edit: PlanEdit = serde_json::from_value(serde_json::json!({
        "kind": "setReviewDate", "date": "2027-02-01"
    }))
    .expect("a date");
    app.apply(id, edit).expect("apply");
    let plan = app.plan(id).expect("plan").plan;
    assert_eq!(plan.strengths[0].words, "Ma voisine passe chaque jour");
    assert_eq!(plan.review_date, Some(date(2027, 2, 1)));
    // Invalid input is refused by the same rules as the direct call, and nothing is written.
    let edit: PlanEdit = serde_json::from_value(serde_json::json!({
        "kind": "addPriority", "input": { "words": "  ", "card": "nope", "reviewDate": null }
    }))
    .expect("well-formed");
    let err = app.apply(id, edit).expect_err("invalid");
    let codes: Vec<ErrorCode> = err.violations().iter().map(|v| v.code).collect();
    assert_eq!(codes, vec![ErrorCode::WordsEmpty, ErrorCode::CardUnknown]);
    assert!(app.plan(id).expect("plan").plan.priorities.is_empty());
    // An unknown kind is a decoding error, before anything is touched.
    assert!(
        serde_json::from_value::<PlanEdit>(serde_json::json!({ "kind": "dropTable" })).is_err()
    );
}

#[test]
fn the_follow_up_lists_actions_due_this_week_and_reviews_due() {
    let (_dir, _path, mut app) = new_store();
    let a = app.create_person(someone("Amélie")).expect("a");
    let b = app.create_person(someone("Bruno")).expect("b");
    let soon = |what: &str, due| ActionInput {
        what: what.into(),
        who: Who::Person,
        due: Some(due),
        priority_id: None,
        outcome: String::new(),
    };
    app.add_action(a, soon("Prendre rendez-vous", date(2026, 11, 27)))
        .expect("this week");
    app.add_action(b, soon("Renouveler la carte", date(2026, 12, 15)))
        .expect("later");
    app.set_review_date(b, Some(date(2026, 11, 30)))
        .expect("review in 7 days");
    app.set_review_date(a, Some(date(2026, 12, 1)))
        .expect("review in 8 days");
    let list = app.follow_up(7, ORIENTATION_STUCK_DAYS).expect("follow-up");
    assert_eq!(list.today, date(2026, 11, 23));
    let whats: Vec<&str> = list.actions.iter().map(|x| x.what.as_str()).collect();
    assert_eq!(whats, vec!["Prendre rendez-vous"]);
    let reviews: Vec<&str> = list
        .reviews
        .iter()
        .map(|p| p.display_name.as_str())
        .collect();
    assert_eq!(reviews, vec!["Bruno"]);
}

/// An orientation to a service is followed step by step: proposed when agreed, contacted, an
/// appointment (its date required), seen; or it ends without a service, and the need is kept (theme,
/// place, no name) for the bassin's needs watch. Orientations at one step for two weeks show in the
/// follow-up list.
#[test]
fn orientations_go_through_their_steps_and_unmet_needs_are_kept() {
    use proxi::domain::{OrientationInput, OrientationStep};
    let (_dir, path, mut app) = new_store();
    app.import_directory_records(&proxi::directory::demo::generate(5, 7))
        .expect("a directory");
    let service = app
        .search_services(&Default::default())
        .expect("search")
        .hits[0]
        .id
        .clone();
    let mut jette = someone("Aline");
    jette.address.postal_code = "1090".into();
    jette.address.commune = "Jette".into();
    let id = app.create_person(jette).expect("person");
    let to_service = app
        .add_action(
            id,
            ActionInput {
                what: "Prendre contact avec le service".into(),
                who: Who::Service { id: service },
                due: None,
                priority_id: None,
                outcome: String::new(),
            },
        )
        .expect("orientation");
    let helper = app
        .add_action(
            id,
            ActionInput {
                what: "Trouver une aide pour le ménage".into(),
                who: Who::Referent,
                due: None,
                priority_id: None,
                outcome: String::new(),
            },
        )
        .expect("action");
    let plan = app.plan(id).expect("plan");
    let o = plan.plan.actions[0]
        .orientation
        .as_ref()
        .expect("an orientation");
    assert_eq!(
        (o.step, o.since),
        (OrientationStep::Proposed, date(2026, 11, 23))
    );
    assert!(plan.plan.actions[1].orientation.is_none());

    let step = |step, appointment, note: &str| OrientationInput {
        step,
        appointment,
        note: note.into(),
        theme: None,
    };
    // An appointment needs its date: refused, nothing stored.
    let err = app
        .set_orientation(id, to_service, step(OrientationStep::Appointment, None, ""))
        .expect_err("no date");
    assert_eq!(err.code(), ErrorCode::AppointmentDateMissing);
    assert_eq!(err.violations()[0].field, "appointment");
    assert_eq!(app.plan(id).expect("plan"), plan);

    app.set_orientation(
        id,
        to_service,
        step(OrientationStep::Contacted, None, "Message laissé"),
    )
    .expect("contacted");
    app.set_orientation(
        id,
        to_service,
        step(OrientationStep::Appointment, Some(date(2026, 12, 4)), ""),
    )
    .expect("appointment");
    let a = &app.plan(id).expect("plan").plan.actions[0];
    assert_eq!(a.status, ActionStatus::Doing);
    assert_eq!(
        a.orientation.as_ref().and_then(|o| o.appointment),
        Some(date(2026, 12, 4))
    );

    // No service found for the other need: kept with its theme and place, without a name.
    app.set_orientation(
        id,
        helper,
        OrientationInput {
            step: OrientationStep::NoServiceFound,
            appointment: None,
            note: "Aucun service avec de la place à Jette".into(),
            theme: Some("home-help".into()),
        },
    )
    .expect("no service");
    let a = &app.plan(id).expect("plan").plan.actions[1];
    assert_eq!(a.status, ActionStatus::Dropped);
    assert_eq!(a.outcome, "Aucun service avec de la place à Jette");
    let needs = app.store().unmet_needs().expect("needs");
    assert_eq!(needs.len(), 1);
    assert_eq!(needs[0].theme.as_deref(), Some("home-help"));
    assert_eq!(
        (needs[0].postal_code.as_str(), needs[0].commune.as_str()),
        ("1090", "Jette")
    );
    assert_eq!(needs[0].bassin, Some(proxi::territory::Bassin::Nord));

    // Two weeks later, the appointment step has not moved: the follow-up list says so.
    let later = std::sync::Arc::new(proxi::clock::SteppingClock::new(
        "2026-12-07T08:00:00Z".parse().expect("instant"),
        jiff::SignedDuration::from_secs(1),
    ));
    let app = proxi::Proxi::new(app.into_store(), later);
    let follow = app.follow_up(7, ORIENTATION_STUCK_DAYS).expect("follow-up");
    assert_eq!(follow.stuck.len(), 1);
    assert_eq!(follow.stuck[0].action_id, to_service);
    assert_eq!(follow.stuck[0].step, OrientationStep::Appointment);
    assert_eq!(follow.stuck_after_days, ORIENTATION_STUCK_DAYS);
    // A referent who chose to be told after 30 days is not told yet.
    let patient = app.follow_up(7, 30).expect("follow-up");
    assert!(patient.stuck.is_empty(), "{:?}", patient.stuck);
    let _ = path;
}

/// The bassin the postal code proposes can be corrected by the referent and is then the person's (in
/// the list and its filter); a quartier is one of the region's, or refused.
#[test]
fn the_referent_confirms_or_corrects_the_bassin_and_chooses_the_quartier() {
    use proxi::territory::Bassin;
    let (_dir, _path, mut app) = new_store();
    // 1090 Jette proposes the bassin Nord.
    let mut input = someone("Jeanne");
    input.address.postal_code = "1090".into();
    input.address.commune = "Jette".into();
    let id = app.create_person(input.clone()).expect("person");
    let bassin = |app: &proxi::Proxi| names_in(app, Some(Bassin::Nord));
    assert_eq!(bassin(&app), vec!["Jeanne"]);

    // The person lives on the edge: the referent's team is the centre-ouest one.
    input.address.bassin = Some(Bassin::CentreOuest);
    let quartier = proxi::territory::quartiers()[0].code;
    input.address.quartier = Some(quartier);
    app.update_person(id, input.clone()).expect("corrected");
    assert!(bassin(&app).is_empty());
    assert_eq!(names_in(&app, Some(Bassin::CentreOuest)), vec!["Jeanne"]);
    let plan = app.plan(id).expect("plan");
    assert_eq!(plan.person.address.quartier, Some(quartier));
    assert_eq!(
        app.people(&PeopleQuery::default()).expect("people")[0].bassin,
        Some(Bassin::CentreOuest)
    );

    // A quartier that does not exist is refused, nothing stored.
    input.address.quartier = Some(99_999);
    let err = app.update_person(id, input).expect_err("no such quartier");
    assert_eq!(err.code(), ErrorCode::QuartierUnknown);
    assert_eq!(err.violations()[0].code, ErrorCode::QuartierUnknown);
    assert_eq!(err.violations()[0].field, "address.quartier");
    assert_eq!(app.plan(id).expect("plan"), plan);
}

fn names_in(app: &proxi::Proxi, bassin: Option<proxi::territory::Bassin>) -> Vec<String> {
    app.people(&PeopleQuery {
        bassin,
        ..PeopleQuery::default()
    })
    .expect("people")
    .into_iter()
    .map(|p| p.display_name)
    .collect()
}

/// Opening many plans keeps only the last ones in memory; a plan dropped from memory is read again
/// from the disk, whole, and edited as if it had never left.
#[test]
fn many_plans_opened_keep_memory_bounded_and_lose_nothing() {
    let (_dir, _path, mut app) = new_store();
    let mut people = Vec::new();
    for i in 0..40 {
        let id = app
            .create_person(someone(&format!("Personne {i}")))
            .expect("person");
        app.add_priority(
            id,
            proxi::domain::PriorityInput {
                words: format!("Priorité {i}"),
                card: None,
                review_date: None,
            },
        )
        .expect("priority");
        people.push(id);
    }
    for id in &people {
        app.open_plan(*id).expect("opens");
    }
    assert!(
        app.store().cached_documents() <= 16,
        "{}",
        app.store().cached_documents()
    );
    // The first one left memory long ago: it reads back whole, takes an edit and undoes it.
    let first = people[0];
    app.add_priority(
        first,
        proxi::domain::PriorityInput {
            words: "Encore une".into(),
            card: None,
            review_date: None,
        },
    )
    .expect("edit of a plan read again");
    let plan = app.open_plan(first).expect("opens");
    let words: Vec<&str> = plan
        .plan
        .priorities
        .iter()
        .map(|p| p.words.as_str())
        .collect();
    assert_eq!(words, ["Priorité 0", "Encore une"]);
    app.undo(first).expect("undo");
    assert_eq!(
        app.open_plan(first).expect("opens").plan.priorities.len(),
        1
    );
    assert_eq!(app.history(first).expect("history").len(), 4);
}
