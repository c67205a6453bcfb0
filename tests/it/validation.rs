//! Every validation rule, broken through the use cases: the error names the rule and the field, and
//! nothing of the input is stored.

use jiff::civil::date;
use proxi::domain::{
    ActionInput, MemberInput, NetworkRole, PersonInput, PriorityInput, StatementInput, VisitInput,
    Who,
};
use proxi::{ErrorCode, Proxi, StatementList};
use uuid::Uuid;

use crate::support::{new_store, someone};

type Attempt = Box<dyn Fn(&mut Proxi, Uuid) -> proxi::Result<()>>;

fn person_with(f: impl Fn(&mut PersonInput) + 'static) -> Attempt {
    Box::new(move |app, id| {
        let mut input = someone("Valid");
        f(&mut input);
        app.update_person(id, input)
    })
}

fn action(what: &str, who: Who, due: Option<jiff::civil::Date>) -> ActionInput {
    ActionInput {
        what: what.into(),
        who,
        due,
        priority_id: None,
        outcome: String::new(),
    }
}

fn member(name: &str, phone: &str, email: &str) -> MemberInput {
    MemberInput {
        role: NetworkRole::Nurse,
        name: name.into(),
        organisation: String::new(),
        phone: phone.into(),
        email: email.into(),
    }
}

fn cases() -> Vec<(&'static str, Attempt, ErrorCode, &'static str)> {
    let long = "x".repeat(proxi::domain::NAME_MAX + 1);
    vec![
        (
            "blank display name",
            person_with(|p| p.display_name = "   ".into()),
            ErrorCode::DisplayNameEmpty,
            "displayName",
        ),
        (
            "overlong last name",
            person_with(move |p| p.last_name = long.clone()),
            ErrorCode::TextTooLong,
            "lastName",
        ),
        (
            "born in 1850",
            person_with(|p| p.birth_year = Some(1850)),
            ErrorCode::BirthYearOutOfRange,
            "birthYear",
        ),
        (
            "born next year",
            person_with(|p| p.birth_year = Some(2027)),
            ErrorCode::BirthYearOutOfRange,
            "birthYear",
        ),
        (
            "language as a name",
            person_with(|p| p.languages = vec!["French".into()]),
            ErrorCode::LanguageCodeInvalid,
            "languages",
        ),
        (
            "postal code of 3 digits",
            person_with(|p| p.address.postal_code = "100".into()),
            ErrorCode::PostalCodeInvalid,
            "address.postalCode",
        ),
        (
            "postal code with letters",
            person_with(|p| p.address.postal_code = "1OOO".into()),
            ErrorCode::PostalCodeInvalid,
            "address.postalCode",
        ),
        (
            "phone in words",
            person_with(|p| p.phone = "call my daughter".into()),
            ErrorCode::PhoneInvalid,
            "phone",
        ),
        (
            "priority without words",
            Box::new(|app, id| {
                app.add_priority(
                    id,
                    PriorityInput {
                        words: " ".into(),
                        ..Default::default()
                    },
                )
                .map(drop)
            }),
            ErrorCode::WordsEmpty,
            "words",
        ),
        (
            "priority with an unknown card",
            Box::new(|app, id| {
                let input = PriorityInput {
                    words: "Walk".into(),
                    card: Some("unicorn".into()),
                    review_date: None,
                };
                app.add_priority(id, input).map(drop)
            }),
            ErrorCode::CardUnknown,
            "card",
        ),
        (
            "priority reviewed before it was named",
            Box::new(|app, id| {
                let input = PriorityInput {
                    words: "Walk".into(),
                    card: None,
                    review_date: Some(date(2026, 1, 1)),
                };
                app.add_priority(id, input).map(drop)
            }),
            ErrorCode::ReviewDateBeforeCreation,
            "reviewDate",
        ),
        (
            "overlong priority",
            Box::new(|app, id| {
                let input = PriorityInput {
                    words: "é".repeat(proxi::domain::WORDS_MAX + 1),
                    ..Default::default()
                };
                app.add_priority(id, input).map(drop)
            }),
            ErrorCode::TextTooLong,
            "words",
        ),
        (
            "strength without words",
            Box::new(|app, id| {
                app.add_statement(id, StatementList::Strengths, StatementInput::default())
                    .map(drop)
            }),
            ErrorCode::WordsEmpty,
            "words",
        ),
        (
            "difficulty with an unknown card",
            Box::new(|app, id| {
                let input = StatementInput {
                    words: "Stairs".into(),
                    card: Some("".into()),
                };
                app.add_statement(id, StatementList::Difficulties, input)
                    .map(drop)
            }),
            ErrorCode::CardUnknown,
            "card",
        ),
        (
            "action without what",
            Box::new(|app, id| {
                app.add_action(id, action("", Who::Referent, None))
                    .map(drop)
            }),
            ErrorCode::ActionWhatEmpty,
            "what",
        ),
        (
            "action due yesterday",
            Box::new(|app, id| {
                app.add_action(id, action("Call", Who::Referent, Some(date(2026, 11, 22))))
                    .map(drop)
            }),
            ErrorCode::ActionDueInPast,
            "due",
        ),
        (
            "action for an unknown priority",
            Box::new(|app, id| {
                let input = ActionInput {
                    priority_id: Some(Uuid::nil()),
                    ..action("Call", Who::Person, None)
                };
                app.add_action(id, input).map(drop)
            }),
            ErrorCode::ActionPriorityUnknown,
            "priorityId",
        ),
        (
            "action by someone not in the network",
            Box::new(|app, id| {
                app.add_action(id, action("Call", Who::Member { id: Uuid::nil() }, None))
                    .map(drop)
            }),
            ErrorCode::ActionMemberUnknown,
            "who",
        ),
        (
            "action by a service without id",
            Box::new(|app, id| {
                app.add_action(id, action("Call", Who::Service { id: " ".into() }, None))
                    .map(drop)
            }),
            ErrorCode::ActionServiceEmpty,
            "who",
        ),
        (
            "action by an unnamed carer",
            Box::new(|app, id| {
                app.add_action(
                    id,
                    action("Call", Who::InformalCarer { name: "".into() }, None),
                )
                .map(drop)
            }),
            ErrorCode::MemberNameEmpty,
            "who",
        ),
        (
            "network member without a name",
            Box::new(|app, id| app.add_member(id, member(" ", "", "")).map(drop)),
            ErrorCode::MemberNameEmpty,
            "name",
        ),
        (
            "network member with a short phone",
            Box::new(|app, id| app.add_member(id, member("Nurse", "123", "")).map(drop)),
            ErrorCode::PhoneInvalid,
            "phone",
        ),
        (
            "network member with a broken email",
            Box::new(|app, id| {
                app.add_member(id, member("Nurse", "", "nurse@example"))
                    .map(drop)
            }),
            ErrorCode::EmailInvalid,
            "email",
        ),
        (
            "next visit on the day of the visit",
            Box::new(|app, id| {
                let d = date(2026, 11, 23);
                let input = VisitInput {
                    date: d,
                    place: "Home".into(),
                    notes: String::new(),
                    next_visit: Some(d),
                };
                app.add_visit(id, input).map(drop)
            }),
            ErrorCode::NextVisitNotAfterVisit,
            "nextVisit",
        ),
        (
            "reorder that forgets a priority",
            Box::new(|app, id| {
                app.add_priority(
                    id,
                    PriorityInput {
                        words: "One".into(),
                        ..Default::default()
                    },
                )?;
                app.reorder_priorities(id, &[])
            }),
            ErrorCode::ReorderMismatch,
            "order",
        ),
    ]
}

#[test]
fn every_rule_is_rejected_with_its_code_and_field_and_stores_nothing() {
    let (_dir, _path, mut app) = new_store();
    for (what, attempt, code, field) in cases() {
        let id = app.create_person(someone("Valid")).expect("a valid person");
        // The reorder case adds a valid priority first; everything else leaves the plan as it was.
        let unchanged = code != ErrorCode::ReorderMismatch;
        refused_storing_nothing(&mut app, id, what, &attempt, code, field, unchanged);
    }
}

/// `attempt` is refused with `code` on `field`; when `unchanged`, the plan and its history are as
/// they were before it.
fn refused_storing_nothing(
    app: &mut Proxi,
    id: Uuid,
    what: &str,
    attempt: &Attempt,
    code: ErrorCode,
    field: &str,
    unchanged: bool,
) {
    let before = app.plan(id).expect("plan");
    let history_before = app.history(id).expect("history").len();
    let err = attempt(app, id).expect_err(what);
    assert_eq!(err.code(), code, "{what}: {err}");
    assert!(
        err.violations()
            .iter()
            .any(|v| v.code == code && v.field == field),
        "{what}: {:?}",
        err.violations()
    );
    if unchanged {
        assert_eq!(
            before,
            app.plan(id).expect("plan"),
            "{what}: the plan changed"
        );
        assert_eq!(
            history_before,
            app.history(id).expect("history").len(),
            "{what}: a change was recorded"
        );
    }
}

#[test]
fn a_person_with_every_field_wrong_gets_every_rule_at_once() {
    let (_dir, _path, mut app) = new_store();
    let mut bad = someone("");
    bad.birth_year = Some(1800);
    bad.languages = vec!["FR".into()];
    bad.address.postal_code = "12".into();
    bad.phone = "?".into();
    let err = app.create_person(bad).expect_err("invalid");
    let codes: Vec<ErrorCode> = err.violations().iter().map(|v| v.code).collect();
    for code in [
        ErrorCode::DisplayNameEmpty,
        ErrorCode::BirthYearOutOfRange,
        ErrorCode::LanguageCodeInvalid,
        ErrorCode::PostalCodeInvalid,
        ErrorCode::PhoneInvalid,
    ] {
        assert!(codes.contains(&code), "{code:?} missing from {codes:?}");
    }
    assert!(
        app.people(&Default::default()).expect("list").is_empty(),
        "nothing was created"
    );
}

#[test]
fn an_old_due_date_may_stay_but_a_new_one_may_not_be_in_the_past() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Valid")).expect("person");
    let due = Some(date(2026, 11, 30));
    let action_id = app
        .add_action(id, action("Call", Who::Referent, due))
        .expect("action");
    // Rewording it later keeps its (by then possibly past) due date without complaint.
    app.edit_action(id, action_id, action("Call the GP", Who::Referent, due))
        .expect("edit");
    let err = app
        .edit_action(
            id,
            action_id,
            action("Call the GP", Who::Referent, Some(date(2026, 11, 1))),
        )
        .expect_err("a new past date");
    assert_eq!(err.code(), ErrorCode::ActionDueInPast);
}

/// Corrections are held to the same rules as creations: each broken input is refused with its code
/// and field, and the plan (and its history) stays as it was.
#[test]
fn every_correction_is_checked_like_its_creation_and_stores_nothing() {
    let (_dir, _path, mut app) = new_store();
    let id = app.create_person(someone("Valid")).expect("a valid person");
    let due = Some(date(2026, 12, 20));
    let priority = app
        .add_priority(
            id,
            PriorityInput {
                words: "Walk".into(),
                ..Default::default()
            },
        )
        .expect("priority");
    let strength = app
        .add_statement(
            id,
            StatementList::Strengths,
            StatementInput {
                words: "Neighbour".into(),
                card: None,
            },
        )
        .expect("strength");
    let act = app
        .add_action(id, action("Call", Who::Referent, due))
        .expect("action");
    let nurse = app
        .add_member(id, member("Inès", "02 000 00 02", ""))
        .expect("member");
    let d = date(2026, 11, 23);
    let visit = app
        .add_visit(
            id,
            VisitInput {
                date: d,
                place: String::new(),
                notes: String::new(),
                next_visit: None,
            },
        )
        .expect("visit");
    let tries: Vec<(&str, Attempt, ErrorCode, &str)> = vec![
        (
            "priority reworded to nothing",
            Box::new(move |app, id| {
                app.edit_priority(
                    id,
                    priority,
                    PriorityInput {
                        words: "  ".into(),
                        ..Default::default()
                    },
                )
            }),
            ErrorCode::WordsEmpty,
            "words",
        ),
        (
            "strength reworded to nothing",
            Box::new(move |app, id| {
                app.edit_statement(
                    id,
                    StatementList::Strengths,
                    strength,
                    StatementInput {
                        words: String::new(),
                        card: None,
                    },
                )
            }),
            ErrorCode::WordsEmpty,
            "words",
        ),
        (
            "action corrected to no words",
            Box::new(move |app, id| app.edit_action(id, act, action(" ", Who::Referent, due))),
            ErrorCode::ActionWhatEmpty,
            "what",
        ),
        (
            "action given to an unknown member",
            Box::new(move |app, id| {
                app.edit_action(
                    id,
                    act,
                    action("Call", Who::Member { id: Uuid::nil() }, due),
                )
            }),
            ErrorCode::ActionMemberUnknown,
            "who",
        ),
        (
            "member corrected with a wrong email",
            Box::new(move |app, id| app.edit_member(id, nurse, member("Inès", "", "not-an-email"))),
            ErrorCode::EmailInvalid,
            "email",
        ),
        (
            "member corrected with a wrong phone",
            Box::new(move |app, id| app.edit_member(id, nurse, member("Inès", "call me", ""))),
            ErrorCode::PhoneInvalid,
            "phone",
        ),
        (
            "visit corrected with its next visit the same day",
            Box::new(move |app, id| {
                app.edit_visit(
                    id,
                    visit,
                    VisitInput {
                        date: d,
                        place: String::new(),
                        notes: String::new(),
                        next_visit: Some(d),
                    },
                )
            }),
            ErrorCode::NextVisitNotAfterVisit,
            "nextVisit",
        ),
    ];
    for (what, attempt, code, field) in tries {
        refused_storing_nothing(&mut app, id, what, &attempt, code, field, true);
    }
}
