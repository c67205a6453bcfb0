//! A hospital's proposals in a plan: what a discharge file proposed (a goal, an activity, someone for
//! the network), waiting for the referent, then accepted into the plan with its source or rejected.

use autosurgeon::{Hydrate, Reconcile};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::app::Proxi;
use crate::domain::{
    ActionStatus, AgreedAction, NetworkMember, NetworkRole, PlanDocument, Priority, PriorityStatus,
    Who,
};
use crate::error::{Error, Result};
use crate::hospital::ItemSource;
use crate::text::fold;

/// Who a hospital's file says carries out an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
#[ts(export)]
pub enum ProposedOwner {
    Person,
    /// The proximity referent, or nobody named (the referent decides).
    Referent,
    /// An informal carer, not in the network.
    Carer {
        name: String,
    },
    /// A professional or a relative, joined to the network by name when accepted.
    Named {
        name: String,
        role: NetworkRole,
    },
    /// A service of the directory.
    Service {
        id: String,
        name: String,
    },
}

/// What a proposal would add to the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
#[ts(export)]
pub enum ProposedItem {
    /// A priority, in the words of the file.
    Goal {
        words: String,
        rank: u32,
        status: PriorityStatus,
        #[autosurgeon(with = "crate::domain::am_opt_date")]
        #[ts(type = "string | null")]
        review_date: Option<Date>,
    },
    /// An agreed action.
    Activity {
        what: String,
        owner: ProposedOwner,
        #[autosurgeon(with = "crate::domain::am_opt_date")]
        #[ts(type = "string | null")]
        due: Option<Date>,
        status: ActionStatus,
        /// The proposal of the goal it serves, when the file says.
        goal: Option<Uuid>,
        outcome: String,
    },
    /// Someone for the network.
    Member {
        role: NetworkRole,
        name: String,
        phone: String,
    },
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ProposalStatus {
    Pending,
    Accepted,
    Rejected,
}

/// An item of a hospital's file, waiting for the referent's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Proposal {
    #[key]
    pub id: Uuid,
    /// The Bundle it came from (its identifier, else its id).
    pub bundle: String,
    /// The resource in the Bundle (`Goal/…`, `CarePlan/…#activity[2]`, `CareTeam/…#participant[1]`).
    pub resource: String,
    #[autosurgeon(with = "crate::domain::am_date")]
    #[ts(type = "string")]
    pub received: Date,
    pub status: ProposalStatus,
    pub item: ProposedItem,
    /// The plan's item it became, once accepted.
    pub accepted_as: Option<Uuid>,
}

impl Proxi {
    /// Accepts a hospital's proposal: it becomes an item of the plan that keeps its source. An
    /// activity's owner who is not in the network yet joins it; the goal it serves is linked when that
    /// proposal was accepted first.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::ProposalDecided`]; [`Error::PersonArchived`];
    /// [`Error::Storage`].
    pub fn accept_proposal(&mut self, person: Uuid, id: Uuid) -> Result<Uuid> {
        self.change(person, "hospital.accept", |plan, now, today| {
            let p = pending(plan, id)?.clone();
            let source = ItemSource::Hospital {
                bundle: p.bundle.clone(),
                resource: p.resource.clone(),
                accepted_on: today,
            };
            let created = match p.item {
                ProposedItem::Goal {
                    words,
                    status,
                    review_date,
                    ..
                } => {
                    let id = crate::clock::new_id(now);
                    let rank = plan
                        .plan
                        .priorities
                        .iter()
                        .map(|x| x.rank)
                        .max()
                        .unwrap_or(0)
                        + 1;
                    plan.plan.priorities.push(Priority {
                        id,
                        words,
                        rank,
                        card: None,
                        status,
                        created: now,
                        review_date,
                        source: Some(source),
                    });
                    id
                }
                ProposedItem::Member { role, name, phone } => {
                    member_for(plan, &name, role, &phone, &source, now)
                }
                ProposedItem::Activity {
                    what,
                    owner,
                    due,
                    status,
                    goal,
                    outcome,
                } => {
                    let who = match owner {
                        ProposedOwner::Person => Who::Person,
                        ProposedOwner::Referent => Who::Referent,
                        ProposedOwner::Carer { name } => Who::InformalCarer { name },
                        ProposedOwner::Service { id, .. } => Who::Service { id },
                        ProposedOwner::Named { name, role } => Who::Member {
                            id: member_for(plan, &name, role, "", &source, now),
                        },
                    };
                    let priority_id = goal.and_then(|g| {
                        plan.plan
                            .proposals
                            .iter()
                            .find(|x| x.id == g && x.status == ProposalStatus::Accepted)
                            .and_then(|x| x.accepted_as)
                    });
                    let id = crate::clock::new_id(now);
                    plan.plan.actions.push(AgreedAction {
                        id,
                        what,
                        who,
                        due,
                        status,
                        priority_id,
                        outcome,
                        created: now,
                        orientation: None,
                        source: Some(source),
                    });
                    id
                }
            };
            let p = pending(plan, id)?;
            p.status = ProposalStatus::Accepted;
            p.accepted_as = Some(created);
            Ok(created)
        })
    }

    /// Rejects a hospital's proposal: it stays in the list, marked, and nothing enters the plan.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::ProposalDecided`]; [`Error::PersonArchived`];
    /// [`Error::Storage`].
    pub fn reject_proposal(&mut self, person: Uuid, id: Uuid) -> Result<()> {
        self.change(person, "hospital.reject", |plan, _, _| {
            pending(plan, id)?.status = ProposalStatus::Rejected;
            Ok(())
        })
    }
}

fn pending(plan: &mut PlanDocument, id: Uuid) -> Result<&mut Proposal> {
    let p = plan
        .plan
        .proposals
        .iter_mut()
        .find(|p| p.id == id)
        .ok_or(Error::ItemNotFound {
            kind: "proposal",
            id,
        })?;
    match p.status {
        ProposalStatus::Pending => Ok(p),
        ProposalStatus::Accepted => Err(Error::ProposalDecided("accepted")),
        ProposalStatus::Rejected => Err(Error::ProposalDecided("rejected")),
    }
}

/// The network member named `name` (by name, without case or accents), added when not there.
fn member_for(
    plan: &mut PlanDocument,
    name: &str,
    role: NetworkRole,
    phone: &str,
    source: &ItemSource,
    now: jiff::Timestamp,
) -> Uuid {
    if let Some(m) = plan
        .plan
        .network
        .iter()
        .find(|m| !m.closed && fold(&m.name) == fold(name))
    {
        return m.id;
    }
    let id = crate::clock::new_id(now);
    plan.plan.network.push(NetworkMember {
        id,
        role,
        name: name.trim().to_owned(),
        organisation: String::new(),
        phone: phone.to_owned(),
        email: String::new(),
        closed: false,
        source: Some(source.clone()),
    });
    id
}
