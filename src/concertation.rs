//! A concertation around one person: the people who care for them gathered to agree on who does
//! what. Proxi helps with what stops it (the seeds: "arriver à réunir tous les acteurs concernés au même
//! moment n'est pas évident"): participants from the network, the person and their carers, or typed
//! in; the slots each can come to, as the organiser collects them; the slots that gather the most,
//! with who is missing; and the invitation as an iCalendar file (RFC 5545) in Brussels time.
//!
//! A concertation belongs to its person: it lives in their plan document, so consent, sync, handover
//! and erasure apply to it as to the plan.

use autosurgeon::{Hydrate, Reconcile};
use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::app::Proxi;
use crate::clock::new_id;
use crate::domain::{NAME_MAX, NOTES_MAX, PlanDocument};
use crate::error::{Error, ErrorCode, Result};

/// Who a participant is to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
#[ts(export)]
pub enum ParticipantKind {
    /// The person themself.
    Person,
    /// Someone of the person's network (a professional or an informal carer), by their id.
    Member { id: Uuid },
    /// Someone typed in for this concertation.
    Other,
}

/// Someone invited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Participant {
    #[key]
    pub id: Uuid,
    pub kind: ParticipantKind,
    pub name: String,
    /// Their role, in words (médecin traitant, infirmière, fille…).
    pub role: String,
    pub email: String,
    pub phone: String,
    /// The RIZIV/INAMI number, for the attendance sheet, when given.
    pub riziv: String,
    /// The slots they can come to, as collected.
    pub available: Vec<Uuid>,
    /// Whether they came, ticked during the meeting (none: not ticked yet).
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub present: Option<bool>,
}

/// A time the concertation could take place, in Brussels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeetingSlot {
    #[key]
    pub id: Uuid,
    /// Brussels local time, "2027-03-29T10:00".
    #[autosurgeon(with = "am_civil")]
    #[ts(type = "string")]
    pub start: DateTime,
}

/// A concertation around the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Concertation {
    #[key]
    pub id: Uuid,
    pub title: String,
    pub place: String,
    pub video_link: String,
    /// How long it lasts.
    pub minutes: u32,
    pub participants: Vec<Participant>,
    pub slots: Vec<MeetingSlot>,
    /// The slot chosen, once the organiser decided.
    pub chosen: Option<Uuid>,
    /// What was said on each point of the agenda, during the meeting.
    #[serde(default)]
    #[autosurgeon(missing = "Vec::new")]
    pub notes: Vec<PointNote>,
    /// The next concertation's date, when one was agreed.
    #[serde(default)]
    #[autosurgeon(missing = "Option::default", with = "crate::domain::am_opt_date")]
    #[ts(type = "string | null")]
    pub next_date: Option<jiff::civil::Date>,
    #[autosurgeon(with = "crate::domain::am_timestamp")]
    #[ts(type = "string")]
    pub created: Timestamp,
}

/// The points of a concertation's agenda, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AgendaPoint {
    /// What matters to the person: their priorities.
    WhatMatters,
    /// The open and overdue actions.
    Actions,
    /// What changed since last time.
    Changes,
    /// Who does what, by when: the decisions.
    Decisions,
}

/// What was said on one point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PointNote {
    #[key]
    pub point: AgendaPoint,
    pub note: String,
}

/// A slot, with who can come and who cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SlotChoice {
    pub slot: Uuid,
    #[ts(type = "string")]
    pub start: DateTime,
    /// The participants who can come, by name.
    pub present: Vec<String>,
    /// Those who cannot (or have not said), by name.
    pub missing: Vec<String>,
}

/// The offered slots, those that gather the most first (the earlier first among equals), each with
/// who is missing. With nobody available, every slot is listed with everyone missing.
pub fn rank_slots(c: &Concertation) -> Vec<SlotChoice> {
    let mut out: Vec<SlotChoice> = c
        .slots
        .iter()
        .map(|s| {
            let (present, missing): (Vec<&Participant>, Vec<&Participant>) = c
                .participants
                .iter()
                .partition(|p| p.available.contains(&s.id));
            SlotChoice {
                slot: s.id,
                start: s.start,
                present: present.iter().map(|p| p.name.clone()).collect(),
                missing: missing.iter().map(|p| p.name.clone()).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.present
            .len()
            .cmp(&a.present.len())
            .then(a.start.cmp(&b.start))
            .then(a.slot.cmp(&b.slot))
    });
    out
}

/// What the concertation form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConcertationInput {
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub video_link: String,
    pub minutes: u32,
}

/// What a participant form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ParticipantInput {
    pub kind: ParticipantKind,
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub riziv: String,
}

fn check_concertation(input: &ConcertationInput) -> crate::domain::Checks {
    let mut c = crate::domain::Checks::default();
    c.rule(
        input.title.trim().is_empty(),
        ErrorCode::WordsEmpty,
        "title",
    )
    .length(&input.title, NAME_MAX, "title")
    .length(&input.place, NAME_MAX, "place")
    .length(&input.video_link, NOTES_MAX, "videoLink")
    .rule(
        !(15..=480).contains(&input.minutes),
        ErrorCode::ConcertationLengthInvalid,
        "minutes",
    );
    c
}

fn check_participant(input: &ParticipantInput, plan: &PlanDocument) -> crate::domain::Checks {
    let mut c = crate::domain::Checks::default();
    let unknown = matches!(&input.kind, ParticipantKind::Member { id }
        if !plan.plan.network.iter().any(|m| m.id == *id));
    c.rule(
        input.name.trim().is_empty(),
        ErrorCode::MemberNameEmpty,
        "name",
    )
    .length(&input.name, NAME_MAX, "name")
    .length(&input.role, NAME_MAX, "role")
    .length(&input.phone, NAME_MAX, "phone")
    .length(&input.riziv, NAME_MAX, "riziv")
    .rule(unknown, ErrorCode::ActionMemberUnknown, "kind")
    .rule(
        !input.email.trim().is_empty() && !crate::domain::is_email(&input.email),
        ErrorCode::EmailInvalid,
        "email",
    );
    c
}

fn find(plan: &mut PlanDocument, id: Uuid) -> Result<&mut Concertation> {
    plan.plan
        .concertations
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or(Error::ItemNotFound {
            kind: "concertation",
            id,
        })
}

/// What the meeting records, as its form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MeetingInput {
    /// The participants who came (the others did not).
    pub present: Vec<Uuid>,
    pub notes: Vec<PointNote>,
    #[ts(type = "string | null")]
    pub next_date: Option<jiff::civil::Date>,
}

impl Proxi {
    /// Starts organising a concertation around `person`.
    ///
    /// # Errors
    /// [`Error::Invalid`]; [`Error::PersonNotFound`]; [`Error::PersonArchived`]; [`Error::Storage`].
    pub fn new_concertation(&mut self, person: Uuid, input: ConcertationInput) -> Result<Uuid> {
        check_concertation(&input).finish()?;
        self.change(person, "concertation.add", |plan, now, _| {
            let id = new_id(now);
            plan.plan.concertations.push(Concertation {
                id,
                title: input.title.trim().to_owned(),
                place: input.place,
                video_link: input.video_link,
                minutes: input.minutes,
                participants: Vec::new(),
                slots: Vec::new(),
                chosen: None,
                notes: Vec::new(),
                next_date: None,
                created: now,
            });
            Ok(id)
        })
    }

    /// Invites someone: the person, someone of their network, or someone typed in.
    ///
    /// # Errors
    /// [`Error::Invalid`]; [`Error::ItemNotFound`]; [`Error::PersonArchived`]; [`Error::Storage`].
    pub fn add_participant(
        &mut self,
        person: Uuid,
        concertation: Uuid,
        input: ParticipantInput,
    ) -> Result<Uuid> {
        self.change(person, "concertation.participant", |plan, now, _| {
            check_participant(&input, plan).finish()?;
            let c = find(plan, concertation)?;
            let id = new_id(now);
            c.participants.push(Participant {
                id,
                kind: input.kind,
                name: input.name.trim().to_owned(),
                role: input.role.trim().to_owned(),
                email: input.email.trim().to_owned(),
                phone: input.phone.trim().to_owned(),
                riziv: input.riziv.trim().to_owned(),
                available: Vec::new(),
                present: None,
            });
            Ok(id)
        })
    }

    /// Removes someone invited.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::PersonArchived`]; [`Error::Storage`].
    pub fn remove_participant(&mut self, person: Uuid, concertation: Uuid, id: Uuid) -> Result<()> {
        self.change(person, "concertation.participant", |plan, _, _| {
            let c = find(plan, concertation)?;
            let before = c.participants.len();
            c.participants.retain(|p| p.id != id);
            if c.participants.len() == before {
                return Err(Error::ItemNotFound {
                    kind: "participant",
                    id,
                });
            }
            Ok(())
        })
    }

    /// Offers a time (Brussels local time). A time that does not exist in Brussels (the hour skipped
    /// when clocks go forward) is refused.
    ///
    /// # Errors
    /// [`Error::Invalid`]; [`Error::ItemNotFound`]; [`Error::PersonArchived`]; [`Error::Storage`].
    pub fn add_slot(&mut self, person: Uuid, concertation: Uuid, start: DateTime) -> Result<Uuid> {
        let exists = start
            .to_zoned(crate::clock::brussels())
            .is_ok_and(|z| z.datetime() == start);
        let mut checks = crate::domain::Checks::default();
        checks.rule(!exists, ErrorCode::SlotNotInBrussels, "start");
        checks.finish()?;
        self.change(person, "concertation.slot", |plan, now, _| {
            let c = find(plan, concertation)?;
            if let Some(same) = c.slots.iter().find(|s| s.start == start) {
                return Ok(same.id);
            }
            let id = new_id(now);
            c.slots.push(MeetingSlot { id, start });
            c.slots.sort_by_key(|s| s.start);
            Ok(id)
        })
    }

    /// Withdraws an offered time (and the availabilities said for it).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::PersonArchived`]; [`Error::Storage`].
    pub fn remove_slot(&mut self, person: Uuid, concertation: Uuid, slot: Uuid) -> Result<()> {
        self.change(person, "concertation.slot", |plan, _, _| {
            let c = find(plan, concertation)?;
            c.slots.retain(|s| s.id != slot);
            for p in &mut c.participants {
                p.available.retain(|s| *s != slot);
            }
            if c.chosen == Some(slot) {
                c.chosen = None;
            }
            Ok(())
        })
    }

    /// Records whether a participant can come at a slot, as they said.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::PersonArchived`]; [`Error::Storage`].
    pub fn set_available(
        &mut self,
        person: Uuid,
        concertation: Uuid,
        participant: Uuid,
        slot: Uuid,
        available: bool,
    ) -> Result<()> {
        self.change(person, "concertation.available", |plan, _, _| {
            let c = find(plan, concertation)?;
            if !c.slots.iter().any(|s| s.id == slot) {
                return Err(Error::ItemNotFound {
                    kind: "slot",
                    id: slot,
                });
            }
            let p = c
                .participants
                .iter_mut()
                .find(|p| p.id == participant)
                .ok_or(Error::ItemNotFound {
                    kind: "participant",
                    id: participant,
                })?;
            p.available.retain(|s| *s != slot);
            if available {
                p.available.push(slot);
            }
            Ok(())
        })
    }

    /// Decides the time (or takes the decision back with `None`).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::PersonArchived`]; [`Error::Storage`].
    pub fn choose_slot(
        &mut self,
        person: Uuid,
        concertation: Uuid,
        slot: Option<Uuid>,
    ) -> Result<()> {
        self.change(person, "concertation.choose", |plan, _, _| {
            let c = find(plan, concertation)?;
            if let Some(s) = slot
                && !c.slots.iter().any(|x| x.id == s)
            {
                return Err(Error::ItemNotFound {
                    kind: "slot",
                    id: s,
                });
            }
            c.chosen = slot;
            Ok(())
        })
    }

    /// Records the meeting: who came, what was said on each point, the next date.
    ///
    /// # Errors
    /// [`Error::Invalid`] for an overlong note; [`Error::ItemNotFound`]; [`Error::PersonArchived`];
    /// [`Error::Storage`].
    pub fn record_meeting(
        &mut self,
        person: Uuid,
        concertation: Uuid,
        input: MeetingInput,
    ) -> Result<()> {
        let mut checks = crate::domain::Checks::default();
        for n in &input.notes {
            checks.length(&n.note, NOTES_MAX, "notes");
        }
        checks.finish()?;
        self.change(person, "concertation.meeting", |plan, _, _| {
            let c = find(plan, concertation)?;
            for p in &mut c.participants {
                p.present = Some(input.present.contains(&p.id));
            }
            c.notes = input
                .notes
                .into_iter()
                .filter(|n| !n.note.trim().is_empty())
                .collect();
            c.next_date = input.next_date;
            Ok(())
        })
    }

    /// A decision of the concertation, as an agreed action of the plan linked to it. Its owner is a
    /// participant: the person, someone of the network, or someone typed in (who then joins the
    /// network, as someone the person's care counts on).
    ///
    /// # Errors
    /// As [`Proxi::add_action`]; [`Error::ItemNotFound`] for an unknown concertation or participant.
    pub fn decide(
        &mut self,
        person: Uuid,
        concertation: Uuid,
        owner: Uuid,
        what: String,
        due: Option<jiff::civil::Date>,
    ) -> Result<Uuid> {
        let mut checks = crate::domain::Checks::default();
        checks
            .rule(what.trim().is_empty(), ErrorCode::ActionWhatEmpty, "what")
            .rule(
                due.is_some_and(|d| d < self.now().to_zoned(crate::clock::brussels()).date()),
                ErrorCode::ActionDueInPast,
                "due",
            );
        checks.finish()?;
        let mut plan = self.plan(person)?;
        let c = find(&mut plan, concertation)?;
        let p = c
            .participants
            .iter()
            .find(|p| p.id == owner)
            .cloned()
            .ok_or(Error::ItemNotFound {
                kind: "participant",
                id: owner,
            })?;
        let who = match p.kind {
            ParticipantKind::Person => crate::domain::Who::Person,
            ParticipantKind::Member { id } => crate::domain::Who::Member { id },
            ParticipantKind::Other => {
                let input = crate::domain::MemberInput {
                    role: crate::domain::NetworkRole::Other,
                    name: p.name.clone(),
                    organisation: p.role.clone(),
                    phone: p.phone.clone(),
                    email: p.email.clone(),
                };
                let existing = plan
                    .plan
                    .network
                    .iter()
                    .find(|m| !m.closed && crate::text::fold(&m.name) == crate::text::fold(&p.name))
                    .map(|m| m.id);
                let id = match existing {
                    Some(id) => id,
                    None => self.add_member(person, input)?,
                };
                crate::domain::Who::Member { id }
            }
        };
        let input = crate::domain::ActionInput {
            what,
            who,
            due,
            priority_id: None,
            outcome: String::new(),
        };
        self.add_action_from(
            person,
            input,
            Some(crate::hospital::ItemSource::Concertation { concertation }),
        )
    }

    /// The concertation's report (`attendance` false) or its attendance sheet, as PDF in `lang` (fr, nl,
    /// en). Recorded in the audit log as a print.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::Sheet`] for another language.
    pub fn concertation_paper(
        &mut self,
        person: Uuid,
        concertation: Uuid,
        attendance: bool,
        lang: &str,
    ) -> Result<Vec<u8>> {
        let mut plan = self.plan(person)?;
        let c = find(&mut plan, concertation)?.clone();
        let pdf = if attendance {
            crate::sheet::render_attendance(&plan, &c, lang)?
        } else {
            let services = self.sheet_services(&plan, lang);
            let referent = self.store().author().to_owned();
            crate::sheet::render_report(&plan, &c, lang, &referent, &services)?
        };
        let now = self.now();
        self.store()
            .audit(now, crate::store::AuditAction::Print, person)?;
        Ok(pdf)
    }

    /// The invitation as an iCalendar file (RFC 5545) in Brussels time, for everyone or for one
    /// participant. It carries the title, place, video link and the agenda's headings, never the
    /// plan's words: it may travel by ordinary email.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::ConcertationNoTime`] before a time is chosen.
    pub fn invitation(
        &mut self,
        person: Uuid,
        concertation: Uuid,
        participant: Option<Uuid>,
        lang: &str,
    ) -> Result<String> {
        let mut plan = self.plan(person)?;
        let now = self.now();
        let c = find(&mut plan, concertation)?.clone();
        let slot = c
            .chosen
            .and_then(|id| c.slots.iter().find(|s| s.id == id))
            .ok_or(Error::ConcertationNoTime)?;
        let invited: Vec<&Participant> = c
            .participants
            .iter()
            .filter(|p| participant.is_none_or(|id| p.id == id))
            .collect();
        if let Some(id) = participant
            && invited.is_empty()
        {
            return Err(Error::ItemNotFound {
                kind: "participant",
                id,
            });
        }
        Ok(crate::concertation::ics::invitation(
            &c, slot.start, &invited, now, lang,
        ))
    }
}

pub mod ics;

pub(crate) mod am_civil {
    use autosurgeon::{HydrateError, Prop, ReadDoc, Reconcile, Reconciler};
    use jiff::civil::DateTime;

    pub(crate) fn reconcile<R: Reconciler>(at: &DateTime, reconciler: R) -> Result<(), R::Error> {
        at.strftime("%Y-%m-%dT%H:%M")
            .to_string()
            .reconcile(reconciler)
    }

    pub(crate) fn hydrate<D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<DateTime, HydrateError> {
        let text: String = autosurgeon::hydrate_prop(doc, obj, prop)?;
        text.parse()
            .map_err(|_| HydrateError::unexpected("a local date and time", text))
    }
}
