//! Any plan survives plan → automerge document → plan unchanged, and through the document's bytes.

use automerge::AutoCommit;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proxi::document;
use proxi::domain::*;
use proxi::fhir::import::{Proposal, ProposalStatus, ProposedItem, ProposedOwner};
use proxi::hospital::{ChecklistItem, ItemSource, Stay};
use uuid::Uuid;

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,30}"
}

fn day() -> impl Strategy<Value = Date> {
    (1900i16..2100, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
}

fn instant() -> impl Strategy<Value = Timestamp> {
    (0i64..4_102_444_800_000).prop_map(|ms| Timestamp::from_millisecond(ms).expect("in range"))
}

fn card() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(proptest::sample::select(CARDS).prop_map(str::to_owned))
}

fn priority() -> impl Strategy<Value = Priority> {
    let status = prop_oneof![
        Just(PriorityStatus::Active),
        Just(PriorityStatus::Achieved),
        Just(PriorityStatus::LetGo)
    ];
    (
        text(),
        any::<u32>(),
        card(),
        status,
        instant(),
        proptest::option::of(day()),
    )
        .prop_map(
            |(words, rank, card, status, created, review_date)| Priority {
                id: Uuid::nil(),
                words,
                rank,
                card,
                status,
                created,
                review_date,
                source: None,
            },
        )
}

fn statement() -> impl Strategy<Value = Statement> {
    (text(), any::<u32>(), card(), any::<bool>(), instant()).prop_map(
        |(words, rank, card, closed, created)| Statement {
            id: Uuid::nil(),
            words,
            rank,
            card,
            closed,
            created,
        },
    )
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        Just(Who::Person),
        Just(Who::Referent),
        text().prop_map(|name| Who::InformalCarer { name }),
        any::<u128>().prop_map(|id| Who::Member {
            id: Uuid::from_u128(id)
        }),
        text().prop_map(|id| Who::Service { id }),
    ]
}

fn action() -> impl Strategy<Value = AgreedAction> {
    let status = prop_oneof![
        Just(ActionStatus::Planned),
        Just(ActionStatus::Doing),
        Just(ActionStatus::Done),
        Just(ActionStatus::Dropped)
    ];
    (
        text(),
        who(),
        proptest::option::of(day()),
        status,
        proptest::option::of(any::<u128>()),
        text(),
        instant(),
        proptest::option::of(orientation()),
        proptest::option::of(source()),
    )
        .prop_map(
            |(what, who, due, status, priority, outcome, created, orientation, source)| {
                AgreedAction {
                    id: Uuid::nil(),
                    what,
                    who,
                    due,
                    status,
                    priority_id: priority.map(Uuid::from_u128),
                    outcome,
                    created,
                    orientation,
                    source,
                }
            },
        )
}

fn checklist_item() -> impl Strategy<Value = ChecklistItem> {
    proptest::sample::select(ChecklistItem::ALL.to_vec())
}

fn source() -> impl Strategy<Value = ItemSource> {
    prop_oneof![
        (any::<u128>(), checklist_item()).prop_map(|(stay, item)| ItemSource::Checklist {
            stay: Uuid::from_u128(stay),
            item
        }),
        any::<u128>().prop_map(|c| ItemSource::Concertation {
            concertation: Uuid::from_u128(c)
        }),
        (text(), text(), day()).prop_map(|(bundle, resource, accepted_on)| {
            ItemSource::Hospital {
                bundle,
                resource,
                accepted_on,
            }
        }),
    ]
}

fn proposal() -> impl Strategy<Value = Proposal> {
    let owner = prop_oneof![
        Just(ProposedOwner::Person),
        Just(ProposedOwner::Referent),
        text().prop_map(|name| ProposedOwner::Carer { name }),
        text().prop_map(|name| ProposedOwner::Named {
            name,
            role: NetworkRole::Nurse
        }),
        (text(), text()).prop_map(|(id, name)| ProposedOwner::Service { id, name }),
    ];
    let item = prop_oneof![
        (text(), any::<u32>(), proptest::option::of(day())).prop_map(
            |(words, rank, review_date)| {
                ProposedItem::Goal {
                    words,
                    rank,
                    status: PriorityStatus::Achieved,
                    review_date,
                }
            }
        ),
        (
            text(),
            owner,
            proptest::option::of(day()),
            proptest::option::of(any::<u128>()),
            text()
        )
            .prop_map(|(what, owner, due, goal, outcome)| ProposedItem::Activity {
                what,
                owner,
                due,
                status: ActionStatus::Doing,
                goal: goal.map(Uuid::from_u128),
                outcome,
            }),
        (text(), text()).prop_map(|(name, phone)| ProposedItem::Member {
            role: NetworkRole::Gp,
            name,
            phone,
        }),
    ];
    (
        text(),
        text(),
        day(),
        prop_oneof![
            Just(ProposalStatus::Pending),
            Just(ProposalStatus::Accepted),
            Just(ProposalStatus::Rejected)
        ],
        item,
        proptest::option::of(any::<u128>()),
    )
        .prop_map(
            |(bundle, resource, received, status, item, accepted)| Proposal {
                id: Uuid::nil(),
                bundle,
                resource,
                received,
                status,
                item,
                accepted_as: accepted.map(Uuid::from_u128),
            },
        )
}

fn stay() -> impl Strategy<Value = Stay> {
    (
        (day(), text(), proptest::option::of(text()), text(), text()),
        (
            text(),
            text(),
            proptest::option::of(day()),
            text(),
            any::<bool>(),
        ),
        proptest::collection::vec(checklist_item(), 0..3),
        instant(),
    )
        .prop_map(
            |(
                (admitted, hospital, hospital_service, ward, hospital_contact),
                (reason, told, discharge_on, discharge_to, discharged),
                not_needed,
                created,
            )| Stay {
                id: Uuid::nil(),
                admitted,
                hospital,
                hospital_service,
                ward,
                hospital_contact,
                reason,
                told,
                discharge_on,
                discharge_to,
                discharged,
                not_needed,
                created,
            },
        )
}

fn orientation() -> impl Strategy<Value = Orientation> {
    let step = proptest::sample::select(vec![
        OrientationStep::Proposed,
        OrientationStep::Contacted,
        OrientationStep::Appointment,
        OrientationStep::Seen,
        OrientationStep::Refused,
        OrientationStep::NoPlace,
        OrientationStep::NoServiceFound,
    ]);
    (
        step,
        day(),
        proptest::option::of(day()),
        text(),
        proptest::option::of(text()),
    )
        .prop_map(|(step, since, appointment, note, theme)| Orientation {
            step,
            since,
            appointment,
            note,
            theme,
        })
}

fn member() -> impl Strategy<Value = NetworkMember> {
    let role = proptest::sample::select(vec![
        NetworkRole::InformalCarer,
        NetworkRole::Family,
        NetworkRole::Gp,
        NetworkRole::Nurse,
        NetworkRole::Pharmacist,
        NetworkRole::SocialWorker,
        NetworkRole::HomeHelp,
        NetworkRole::Physiotherapist,
        NetworkRole::Psychologist,
        NetworkRole::HospitalReferent,
        NetworkRole::Other,
    ]);
    (role, text(), text(), text(), text(), any::<bool>()).prop_map(
        |(role, name, organisation, phone, email, closed)| NetworkMember {
            id: Uuid::nil(),
            role,
            name,
            organisation,
            phone,
            email,
            closed,
            source: None,
        },
    )
}

fn visit() -> impl Strategy<Value = Visit> {
    (day(), text(), text(), proptest::option::of(day())).prop_map(
        |(date, place, notes, next_visit)| Visit {
            id: Uuid::nil(),
            date,
            place,
            notes,
            next_visit,
        },
    )
}

fn consent() -> impl Strategy<Value = Consent> {
    (
        day(),
        text(),
        any::<bool>(),
        any::<bool>(),
        vec(text(), 0..3),
    )
        .prop_map(
            |(recorded_on, recorded_by, keep_plan, share_with_team, professionals)| Consent {
                recorded_on,
                recorded_by,
                keep_plan,
                share_with_team,
                professionals,
            },
        )
}

fn person() -> impl Strategy<Value = Person> {
    (
        (
            any::<u128>(),
            text(),
            text(),
            text(),
            proptest::option::of(any::<i64>()),
        ),
        (
            vec(text(), 0..4),
            any::<bool>(),
            (text(), text(), text()),
            text(),
            text(),
            any::<bool>(),
            instant(),
        ),
    )
        .prop_map(
            |(
                (id, display_name, first_name, last_name, birth_year),
                (
                    languages,
                    interpreter_needed,
                    (street, postal_code, commune),
                    phone,
                    notes,
                    archived,
                    created,
                ),
            )| Person {
                id: Uuid::from_u128(id),
                display_name,
                first_name,
                last_name,
                birth_year,
                languages,
                interpreter_needed,
                address: Address {
                    street,
                    postal_code,
                    commune,
                    bassin: None,
                    quartier: None,
                },
                phone,
                notes,
                niss: None,
                archived,
                created,
            },
        )
}

/// Gives the items of each list distinct ids, as the use cases do.
fn with_ids<T>(mut items: Vec<T>, salt: u128, set: impl Fn(&mut T, Uuid)) -> Vec<T> {
    for (i, item) in items.iter_mut().enumerate() {
        set(item, Uuid::from_u128((salt << 64) | (i as u128 + 1)));
    }
    items
}

pub fn plan_document() -> impl Strategy<Value = PlanDocument> {
    (
        person(),
        vec(priority(), 0..6),
        vec(statement(), 0..4),
        vec(statement(), 0..4),
        vec(action(), 0..6),
        vec(member(), 0..4),
        vec(visit(), 0..3),
        proptest::option::of(day()),
        proptest::option::of(consent()),
        (vec(stay(), 0..3), vec(proposal(), 0..3)),
    )
        .prop_map(
            |(
                person,
                priorities,
                strengths,
                difficulties,
                actions,
                network,
                visits,
                review_date,
                consent,
                (stays, proposals),
            )| {
                PlanDocument {
                    schema: DOCUMENT_SCHEMA,
                    person,
                    plan: CarePlan {
                        priorities: with_ids(priorities, 1, |x, id| x.id = id),
                        strengths: with_ids(strengths, 2, |x, id| x.id = id),
                        difficulties: with_ids(difficulties, 3, |x, id| x.id = id),
                        actions: with_ids(actions, 4, |x, id| x.id = id),
                        network: with_ids(network, 5, |x, id| x.id = id),
                        visits: with_ids(visits, 6, |x, id| x.id = id),
                        review_date,
                        stays: with_ids(stays, 7, |x, id| x.id = id),
                        proposals: with_ids(proposals, 8, |x, id| x.id = id),
                        concertations: Vec::new(),
                    },
                    consent,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_plan_survives_the_document_and_its_bytes(plan in plan_document()) {
        let mut doc = AutoCommit::new();
        document::write(&mut doc, &plan, None, "test", "Tester", Timestamp::UNIX_EPOCH).expect("write");
        prop_assert_eq!(&document::read(&doc).expect("read"), &plan);
        let loaded = AutoCommit::load(&doc.save()).expect("load");
        prop_assert_eq!(&document::read(&loaded).expect("read"), &plan);
        prop_assert_eq!(document::schema(&loaded), Some(DOCUMENT_SCHEMA));
    }

    #[test]
    fn rewriting_a_plan_into_a_document_holding_another_gives_the_new_one(
        a in plan_document(),
        b in plan_document(),
        same_person in any::<bool>(),
    ) {
        // Half the time only the plan differs, so the targeted write skips the person.
        let b = if same_person { PlanDocument { person: a.person.clone(), ..b } } else { b };
        for targeted in [false, true] {
            let mut doc = AutoCommit::new();
            document::write(&mut doc, &a, None, "test", "Tester", Timestamp::UNIX_EPOCH).expect("write a");
            let previous = targeted.then_some(&a);
            document::write(&mut doc, &b, previous, "test", "Tester", Timestamp::UNIX_EPOCH).expect("write b");
            prop_assert_eq!(&document::read(&doc).expect("read"), &b);
            let reloaded = AutoCommit::load(&doc.save()).expect("load");
            prop_assert_eq!(&document::read(&reloaded).expect("read"), &b);
        }
    }
}

#[test]
fn a_document_from_a_newer_schema_is_refused() {
    let mut doc = AutoCommit::new();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut plan = plan_document()
        .new_tree(&mut runner)
        .expect("a plan")
        .current();
    plan.schema = DOCUMENT_SCHEMA + 1;
    document::write(
        &mut doc,
        &plan,
        None,
        "test",
        "Tester",
        Timestamp::UNIX_EPOCH,
    )
    .expect("write");
    let err = document::read(&doc).expect_err("newer schema");
    assert_eq!(err.code(), proxi::ErrorCode::DocumentInvalid);
}
