//! Two forks of one plan, edited apart (different fields, the same list, the same field), merge with
//! no edit lost: both devices end with the same plan, holding every edit; where both wrote the same
//! field, one value wins on both and the other stays readable in the document as a conflict.

use std::collections::HashMap;

use automerge::{ActorId, AutoCommit};
use jiff::Timestamp;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proxi::document;
use proxi::domain::{ActionStatus, AgreedAction, PlanDocument, Priority, PriorityStatus, Who};
use uuid::Uuid;

use crate::roundtrip::plan_document;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Phone,
    Street,
    Notes,
    DisplayName,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::Phone => "phone",
            Field::Street => "street",
            Field::Notes => "notes",
            Field::DisplayName => "display_name",
        }
    }

    fn slot(self, plan: &mut PlanDocument) -> &mut String {
        match self {
            Field::Phone => &mut plan.person.phone,
            Field::Street => &mut plan.person.address.street,
            Field::Notes => &mut plan.person.notes,
            Field::DisplayName => &mut plan.person.display_name,
        }
    }

    fn path(self) -> Vec<&'static str> {
        match self {
            Field::Street => vec!["person", "address", "street"],
            f => vec!["person", f.key()],
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    SetField(Field, String),
    AddPriority(String),
    AddAction(String),
    /// Rewords the n-th priority of the starting plan (if it has one).
    Reword(usize, String),
    /// Marks the n-th action of the starting plan done.
    CloseAction(usize),
    /// Corrections (issue 16): an action's due date and outcome, a member's email and removal, a
    /// priority let go, a visit's notes, the person archived or restored.
    Due(usize, i8),
    Outcome(usize, String),
    MemberEmail(usize, String),
    RemoveMember(usize),
    LetGo(usize),
    VisitNotes(usize, String),
    Archive(bool),
}

fn edit() -> impl Strategy<Value = Edit> {
    let field = prop_oneof![
        Just(Field::Phone),
        Just(Field::Street),
        Just(Field::Notes),
        Just(Field::DisplayName)
    ];
    let words = "[a-zé ]{1,12}";
    prop_oneof![
        (field, words).prop_map(|(f, v)| Edit::SetField(f, v)),
        words.prop_map(Edit::AddPriority),
        words.prop_map(Edit::AddAction),
        (0usize..6, words).prop_map(|(n, v)| Edit::Reword(n, v)),
        (0usize..6).prop_map(Edit::CloseAction),
        (0usize..6, 1i8..28).prop_map(|(n, d)| Edit::Due(n, d)),
        (0usize..6, words).prop_map(|(n, v)| Edit::Outcome(n, v)),
        (0usize..6, "[a-z]{1,6}@[a-z]{1,6}\\.be").prop_map(|(n, v)| Edit::MemberEmail(n, v)),
        (0usize..6).prop_map(Edit::RemoveMember),
        (0usize..6).prop_map(Edit::LetGo),
        (0usize..6, words).prop_map(|(n, v)| Edit::VisitNotes(n, v)),
        any::<bool>().prop_map(Edit::Archive),
    ]
}

/// The value of one corrected field in a plan, as text (`None`: the item is not there).
fn value_of(plan: &PlanDocument, id: Uuid, field: &str) -> Option<String> {
    let action = || plan.plan.actions.iter().find(|a| a.id == id);
    let member = || plan.plan.network.iter().find(|m| m.id == id);
    Some(match field {
        "due" => action()?.due.map(|d| d.to_string()).unwrap_or_default(),
        "outcome" => action()?.outcome.clone(),
        "email" => member()?.email.clone(),
        "closed" => member()?.closed.to_string(),
        "status" => format!(
            "{:?}",
            plan.plan.priorities.iter().find(|p| p.id == id)?.status
        ),
        "notes" => plan.plan.visits.iter().find(|v| v.id == id)?.notes.clone(),
        "archived" => plan.person.archived.to_string(),
        _ => return None,
    })
}

/// What one side did, to check it against the merge.
#[derive(Debug, Default)]
struct Done {
    fields: HashMap<Field, String>,
    priorities: Vec<(Uuid, String)>,
    actions: Vec<(Uuid, String)>,
    reworded: HashMap<Uuid, String>,
    closed: Vec<Uuid>,
    /// Corrected fields: (item, field) → the value written last on this side.
    set: HashMap<(Uuid, &'static str), String>,
}

fn apply(doc: &mut AutoCommit, side: u128, edits: &[Edit], base: &PlanDocument) -> Done {
    let mut done = Done::default();
    for (n, edit) in edits.iter().enumerate() {
        let mut plan = document::read(doc).expect("read");
        let previous = plan.clone();
        let id = Uuid::from_u128((side << 96) | (n as u128 + 1));
        match edit {
            Edit::SetField(f, v) => {
                *f.slot(&mut plan) = v.clone();
                done.fields.insert(*f, v.clone());
            }
            Edit::AddPriority(words) => {
                plan.plan.priorities.push(Priority {
                    id,
                    words: words.clone(),
                    rank: 99,
                    card: None,
                    status: PriorityStatus::Active,
                    created: Timestamp::UNIX_EPOCH,
                    review_date: None,
                    source: None,
                });
                done.priorities.push((id, words.clone()));
            }
            Edit::AddAction(what) => {
                plan.plan.actions.push(AgreedAction {
                    id,
                    what: what.clone(),
                    who: Who::Referent,
                    due: None,
                    status: ActionStatus::Planned,
                    priority_id: None,
                    outcome: String::new(),
                    created: Timestamp::UNIX_EPOCH,
                    orientation: None,
                    source: None,
                });
                done.actions.push((id, what.clone()));
            }
            Edit::Reword(i, words) => {
                let Some(target) = base.plan.priorities.get(*i).map(|p| p.id) else {
                    continue;
                };
                if let Some(p) = plan.plan.priorities.iter_mut().find(|p| p.id == target) {
                    p.words = words.clone();
                    done.reworded.insert(target, words.clone());
                }
            }
            Edit::CloseAction(i) => {
                let Some(target) = base.plan.actions.get(*i).map(|a| a.id) else {
                    continue;
                };
                if let Some(a) = plan.plan.actions.iter_mut().find(|a| a.id == target) {
                    a.status = ActionStatus::Done;
                    done.closed.push(target);
                }
            }
            Edit::Due(i, day) => {
                let Some(target) = base.plan.actions.get(*i).map(|a| a.id) else {
                    continue;
                };
                let due = jiff::civil::date(2027, 1, *day);
                if let Some(a) = plan.plan.actions.iter_mut().find(|a| a.id == target) {
                    a.due = Some(due);
                    done.set.insert((target, "due"), due.to_string());
                }
            }
            Edit::Outcome(i, words) => {
                let Some(target) = base.plan.actions.get(*i).map(|a| a.id) else {
                    continue;
                };
                if let Some(a) = plan.plan.actions.iter_mut().find(|a| a.id == target) {
                    a.outcome = words.clone();
                    done.set.insert((target, "outcome"), words.clone());
                }
            }
            Edit::MemberEmail(i, email) => {
                let Some(target) = base.plan.network.get(*i).map(|m| m.id) else {
                    continue;
                };
                if let Some(m) = plan.plan.network.iter_mut().find(|m| m.id == target) {
                    m.email = email.clone();
                    done.set.insert((target, "email"), email.clone());
                }
            }
            Edit::RemoveMember(i) => {
                let Some(target) = base.plan.network.get(*i).map(|m| m.id) else {
                    continue;
                };
                if let Some(m) = plan.plan.network.iter_mut().find(|m| m.id == target) {
                    m.closed = true;
                    done.set.insert((target, "closed"), "true".into());
                }
            }
            Edit::LetGo(i) => {
                let Some(target) = base.plan.priorities.get(*i).map(|p| p.id) else {
                    continue;
                };
                if let Some(p) = plan.plan.priorities.iter_mut().find(|p| p.id == target) {
                    p.status = PriorityStatus::LetGo;
                    done.set.insert((target, "status"), "LetGo".into());
                }
            }
            Edit::VisitNotes(i, words) => {
                let Some(target) = base.plan.visits.get(*i).map(|v| v.id) else {
                    continue;
                };
                if let Some(v) = plan.plan.visits.iter_mut().find(|v| v.id == target) {
                    v.notes = words.clone();
                    done.set.insert((target, "notes"), words.clone());
                }
            }
            Edit::Archive(archived) => {
                plan.person.archived = *archived;
                done.set
                    .insert((Uuid::nil(), "archived"), archived.to_string());
            }
        }
        document::write(
            doc,
            &plan,
            Some(&previous),
            "edit",
            "Tester",
            Timestamp::UNIX_EPOCH,
        )
        .expect("write");
    }
    done
}

fn check_side(
    merged: &PlanDocument,
    merged_doc: &AutoCommit,
    mine: &Done,
    theirs: &Done,
) -> Result<(), TestCaseError> {
    for (id, words) in &mine.priorities {
        prop_assert!(
            merged
                .plan
                .priorities
                .iter()
                .any(|p| p.id == *id && p.words == *words),
            "priority {words} lost"
        );
    }
    for (id, what) in &mine.actions {
        prop_assert!(
            merged
                .plan
                .actions
                .iter()
                .any(|a| a.id == *id && a.what == *what),
            "action {what} lost"
        );
    }
    for id in &mine.closed {
        let a = merged
            .plan
            .actions
            .iter()
            .find(|a| a.id == *id)
            .expect("closed action present");
        prop_assert_eq!(a.status, ActionStatus::Done);
    }
    for (id, words) in &mine.reworded {
        let p = merged
            .plan
            .priorities
            .iter()
            .find(|p| p.id == *id)
            .expect("reworded priority present");
        match theirs.reworded.get(id) {
            None => prop_assert_eq!(&p.words, words),
            Some(other) => prop_assert!(p.words == *words || p.words == *other),
        }
    }
    for ((id, field), value) in &mine.set {
        let now = value_of(merged, *id, field);
        prop_assert!(now.is_some(), "{} of {} is gone", field, id);
        let now = now.unwrap_or_default();
        match theirs.set.get(&(*id, *field)) {
            None => prop_assert_eq!(&now, value, "{} of {} lost", field, id),
            Some(other) => prop_assert!(
                now == *value || now == *other,
                "{} of {}: {}",
                field,
                id,
                now
            ),
        }
    }
    for (field, value) in &mine.fields {
        let mut merged_plan = merged.clone();
        let now = field.slot(&mut merged_plan).clone();
        match theirs.fields.get(field) {
            None => prop_assert_eq!(&now, value, "{:?} lost", field),
            Some(other) => {
                prop_assert!(now == *value || now == *other);
                let kept =
                    document::conflicting_values(merged_doc, &field.path()).expect("conflicts");
                prop_assert!(
                    kept.contains(value),
                    "{:?}: {} not kept in {:?}",
                    field,
                    value,
                    kept
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn concurrent_edits_merge_with_none_lost(
        base in plan_document(),
        edits_a in proptest::collection::vec(edit(), 0..12),
        edits_b in proptest::collection::vec(edit(), 0..12),
    ) {
        let mut a = AutoCommit::new().with_actor(ActorId::from(vec![0xA; 16]));
        document::write(&mut a, &base, None, "create", "Tester", Timestamp::UNIX_EPOCH).expect("write");
        let mut b = a.fork().with_actor(ActorId::from(vec![0xB; 16]));
        let done_a = apply(&mut a, 0xA, &edits_a, &base);
        let done_b = apply(&mut b, 0xB, &edits_b, &base);
        let mut a_then_b = a.clone();
        a_then_b.merge(&mut b.clone()).expect("merge");
        let mut b_then_a = b.clone();
        b_then_a.merge(&mut a.clone()).expect("merge");
        let merged = document::read(&a_then_b).expect("read");
        prop_assert_eq!(&merged, &document::read(&b_then_a).expect("read"), "the two devices disagree");
        check_side(&merged, &a_then_b, &done_a, &done_b)?;
        check_side(&merged, &a_then_b, &done_b, &done_a)?;
    }
}

#[test]
fn same_field_both_sides_keeps_the_loser_as_a_conflict() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let base = plan_document()
        .new_tree(&mut runner)
        .expect("plan")
        .current();
    let mut a = AutoCommit::new().with_actor(ActorId::from(vec![0xA; 16]));
    document::write(
        &mut a,
        &base,
        None,
        "create",
        "Tester",
        Timestamp::UNIX_EPOCH,
    )
    .expect("write");
    let mut b = a.fork().with_actor(ActorId::from(vec![0xB; 16]));
    apply(
        &mut a,
        0xA,
        &[Edit::SetField(Field::Phone, "02 111 11 11".into())],
        &base,
    );
    apply(
        &mut b,
        0xB,
        &[Edit::SetField(Field::Phone, "02 222 22 22".into())],
        &base,
    );
    a.merge(&mut b).expect("merge");
    let mut kept = document::conflicting_values(&a, &["person", "phone"]).expect("conflicts");
    kept.sort();
    assert_eq!(
        kept,
        vec!["02 111 11 11".to_owned(), "02 222 22 22".to_owned()]
    );
}
