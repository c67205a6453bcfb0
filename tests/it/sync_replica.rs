//! What a simulated laptop keeps, for the sync simulation: the app on a store file (real files, restarts
//! that keep only what is on disk), or the engine's ledger in memory; and the few edits the simulation
//! makes, written the app's way on the first and straight into the plan on the second.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proxi::Proxi;
use proxi::domain::{
    Address, CarePlan, Consent, DOCUMENT_SCHEMA, Person, PersonInput, PlanDocument, Priority,
    PriorityInput, PriorityStatus,
};
use proxi::store::{PeopleQuery, Store};
use proxi::sync::engine::Ledger;
use proxi::sync::ledger::MemoryLedger;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::support::{PASSPHRASE, clock, share, start};

/// What a device keeps: the app on a store file, or the engine's ledger in memory.
pub(crate) enum Replica {
    Store { path: PathBuf, app: Box<Proxi> },
    Memory(Box<MemoryLedger>),
}

/// The two ledgers the suite runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Store,
    Memory,
}

impl Replica {
    pub(crate) fn ledger(&mut self) -> &mut dyn Ledger {
        match self {
            Replica::Store { app, .. } => app.store_mut(),
            Replica::Memory(ledger) => &mut **ledger,
        }
    }

    pub(crate) fn people(&mut self) -> Vec<Uuid> {
        match self {
            Replica::Store { app, .. } => app
                .people(&PeopleQuery::default())
                .expect("people")
                .into_iter()
                .map(|p| p.id)
                .collect(),
            Replica::Memory(ledger) => ledger.ids(),
        }
    }

    /// A new person, whose plan the person agreed to share with the team.
    pub(crate) fn create(&mut self, name: String, rng: &mut ChaCha8Rng) {
        match self {
            Replica::Store { app, .. } => {
                let person = app
                    .create_person(PersonInput {
                        display_name: name,
                        ..PersonInput::default()
                    })
                    .expect("a person");
                share(app, person);
            }
            Replica::Memory(ledger) => {
                let id = Uuid::from_u128(rng.random());
                let plan = PlanDocument {
                    schema: DOCUMENT_SCHEMA,
                    person: Person {
                        id,
                        display_name: name,
                        first_name: String::new(),
                        last_name: String::new(),
                        birth_year: None,
                        languages: Vec::new(),
                        interpreter_needed: false,
                        address: Address::default(),
                        phone: String::new(),
                        notes: String::new(),
                        niss: None,
                        archived: false,
                        created: start(),
                    },
                    plan: CarePlan::default(),
                    consent: Some(Consent {
                        recorded_on: jiff::civil::date(2026, 11, 2),
                        recorded_by: "Referent".to_owned(),
                        keep_plan: true,
                        share_with_team: true,
                        professionals: Vec::new(),
                    }),
                };
                ledger
                    .commit(id, &plan, "person.create", start())
                    .expect("a person");
            }
        }
    }

    pub(crate) fn set_phone(&mut self, person: Uuid, phone: String) {
        match self {
            Replica::Store { app, .. } => {
                let mut input = person_input(app, person);
                input.phone = phone;
                app.update_person(person, input).expect("an update");
            }
            Replica::Memory(ledger) => {
                let mut plan = ledger.plan(person).expect("the plan");
                plan.person.phone = phone;
                ledger
                    .commit(person, &plan, "person.update", start())
                    .expect("an update");
            }
        }
    }

    pub(crate) fn add_priority(&mut self, person: Uuid, words: String, rng: &mut ChaCha8Rng) {
        match self {
            Replica::Store { app, .. } => {
                app.add_priority(
                    person,
                    PriorityInput {
                        words,
                        ..PriorityInput::default()
                    },
                )
                .expect("a priority");
            }
            Replica::Memory(ledger) => {
                let mut plan = ledger.plan(person).expect("the plan");
                let rank = plan
                    .plan
                    .priorities
                    .iter()
                    .map(|p| p.rank)
                    .max()
                    .unwrap_or(0)
                    + 1;
                plan.plan.priorities.push(Priority {
                    id: Uuid::from_u128(rng.random()),
                    words,
                    rank,
                    card: None,
                    status: PriorityStatus::Active,
                    created: start(),
                    review_date: None,
                    source: None,
                });
                ledger
                    .commit(person, &plan, "priority.add", start())
                    .expect("a priority");
            }
        }
    }

    /// The laptop restarts: only what is on disk remains (memory has nothing else to lose).
    pub(crate) fn restart(&mut self) {
        if let Replica::Store { path, app } = self {
            **app = open(path);
        }
    }

    /// Every plan, as JSON, by person.
    pub(crate) fn plans(&mut self) -> BTreeMap<Uuid, String> {
        match self {
            Replica::Store { app, .. } => plans(app),
            Replica::Memory(ledger) => ledger
                .ids()
                .into_iter()
                .map(|id| {
                    let plan = ledger.plan(id).expect("the plan");
                    (id, serde_json::to_string(&plan).expect("JSON"))
                })
                .collect(),
        }
    }

    pub(crate) fn priorities(&mut self, person: Uuid) -> Vec<String> {
        let plan = match self {
            Replica::Store { app, .. } => app.plan(person).expect("the plan"),
            Replica::Memory(ledger) => ledger.plan(person).expect("the plan"),
        };
        plan.plan.priorities.into_iter().map(|p| p.words).collect()
    }
}

pub(crate) fn open(path: &std::path::Path) -> Proxi {
    Proxi::new(
        Store::open(path, PASSPHRASE).expect("the store reopens"),
        clock(),
    )
}

pub(crate) fn person_input(app: &mut Proxi, person: Uuid) -> PersonInput {
    let p = app.plan(person).expect("the plan").person;
    PersonInput {
        display_name: p.display_name,
        first_name: p.first_name,
        last_name: p.last_name,
        birth_year: p.birth_year,
        languages: p.languages,
        interpreter_needed: p.interpreter_needed,
        address: p.address,
        phone: p.phone,
        notes: p.notes,
        niss: p.niss,
    }
}

/// Every plan of a device, as JSON, by person.
pub(crate) fn plans(app: &mut Proxi) -> BTreeMap<Uuid, String> {
    let ids = app.store().document_ids().expect("ids");
    ids.into_iter()
        .map(|id| {
            let plan = app.plan(id).expect("the plan");
            (id, serde_json::to_string(&plan).expect("JSON"))
        })
        .collect()
}
