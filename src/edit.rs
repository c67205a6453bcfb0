//! Every edit of a plan as one value, so that the desktop shell needs a single command for them and
//! the UI a single typed call: `{ kind: "addPriority", input: {…} }`.

use jiff::civil::Date;
use serde::Deserialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::app::{Proxi, StatementList};
use crate::domain::{
    ActionInput, ActionStatus, ConsentInput, MemberInput, OrientationInput, PersonInput,
    PriorityInput, PriorityStatus, StatementInput, VisitInput,
};
use crate::error::Result;

/// One edit of one person's plan.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum PlanEdit {
    UpdatePerson {
        input: PersonInput,
    },
    SetArchived {
        archived: bool,
    },
    SetReviewDate {
        #[ts(type = "string | null")]
        date: Option<Date>,
    },
    AddPriority {
        input: PriorityInput,
    },
    EditPriority {
        id: Uuid,
        input: PriorityInput,
    },
    SetPriorityStatus {
        id: Uuid,
        status: PriorityStatus,
    },
    ReorderPriorities {
        order: Vec<Uuid>,
    },
    AddStatement {
        list: StatementList,
        input: StatementInput,
    },
    EditStatement {
        list: StatementList,
        id: Uuid,
        input: StatementInput,
    },
    CloseStatement {
        list: StatementList,
        id: Uuid,
        closed: bool,
    },
    ReorderStatements {
        list: StatementList,
        order: Vec<Uuid>,
    },
    AddAction {
        input: ActionInput,
    },
    EditAction {
        id: Uuid,
        input: ActionInput,
    },
    SetActionStatus {
        id: Uuid,
        status: ActionStatus,
        outcome: Option<String>,
    },
    SetOrientation {
        id: Uuid,
        input: OrientationInput,
    },
    AddMember {
        input: MemberInput,
    },
    EditMember {
        id: Uuid,
        input: MemberInput,
    },
    CloseMember {
        id: Uuid,
        closed: bool,
    },
    AddVisit {
        input: VisitInput,
    },
    EditVisit {
        id: Uuid,
        input: VisitInput,
    },
    /// What the person agreed to (keeping the plan, sharing it with the team, with named professionals).
    RecordConsent {
        input: ConsentInput,
    },
    /// An admission to hospital.
    AdmitStay {
        input: crate::hospital::StayInput,
    },
    /// A stay corrected, its discharge planned or recorded.
    EditStay {
        id: Uuid,
        input: crate::hospital::StayInput,
    },
    /// An item of a stay's return-home checklist, turned into an agreed action.
    ChecklistAction {
        stay: Uuid,
        item: crate::hospital::ChecklistItem,
        input: ActionInput,
    },
    /// An item of the checklist set aside as not needed, or taken back.
    SetChecklistNotNeeded {
        stay: Uuid,
        item: crate::hospital::ChecklistItem,
        not_needed: bool,
    },
    /// A hospital's proposal accepted into the plan.
    AcceptProposal {
        id: Uuid,
    },
    /// A hospital's proposal rejected.
    RejectProposal {
        id: Uuid,
    },
    /// A concertation organised around the person.
    NewConcertation {
        input: crate::concertation::ConcertationInput,
    },
    /// Someone invited to a concertation.
    AddParticipant {
        concertation: Uuid,
        input: crate::concertation::ParticipantInput,
    },
    RemoveParticipant {
        concertation: Uuid,
        id: Uuid,
    },
    /// A time offered (Brussels local time).
    AddSlot {
        concertation: Uuid,
        #[ts(type = "string")]
        start: jiff::civil::DateTime,
    },
    RemoveSlot {
        concertation: Uuid,
        slot: Uuid,
    },
    /// Whether a participant can come at a slot.
    SetAvailable {
        concertation: Uuid,
        participant: Uuid,
        slot: Uuid,
        available: bool,
    },
    /// The meeting recorded: who came, the notes per point, the next date.
    RecordMeeting {
        concertation: Uuid,
        input: crate::concertation::MeetingInput,
    },
    /// A decision of the meeting, as an agreed action with an owner among the participants.
    Decide {
        concertation: Uuid,
        owner: Uuid,
        what: String,
        #[ts(type = "string | null")]
        due: Option<jiff::civil::Date>,
    },
    /// The time decided (none: taken back).
    ChooseSlot {
        concertation: Uuid,
        slot: Option<Uuid>,
    },
    /// Undo this device's last edit of the plan.
    Undo,
}

impl Proxi {
    /// Applies one edit to the plan of `person` through its use case.
    ///
    /// # Errors
    /// Those of the use case the edit names.
    pub fn apply(&mut self, person: Uuid, edit: PlanEdit) -> Result<()> {
        match edit {
            PlanEdit::UpdatePerson { input } => self.update_person(person, input),
            PlanEdit::SetArchived { archived } => self.set_archived(person, archived),
            PlanEdit::SetReviewDate { date } => self.set_review_date(person, date),
            PlanEdit::AddPriority { input } => self.add_priority(person, input).map(drop),
            PlanEdit::EditPriority { id, input } => self.edit_priority(person, id, input),
            PlanEdit::SetPriorityStatus { id, status } => {
                self.set_priority_status(person, id, status)
            }
            PlanEdit::ReorderPriorities { order } => self.reorder_priorities(person, &order),
            PlanEdit::AddStatement { list, input } => {
                self.add_statement(person, list, input).map(drop)
            }
            PlanEdit::EditStatement { list, id, input } => {
                self.edit_statement(person, list, id, input)
            }
            PlanEdit::CloseStatement { list, id, closed } => {
                self.close_statement(person, list, id, closed)
            }
            PlanEdit::ReorderStatements { list, order } => {
                self.reorder_statements(person, list, &order)
            }
            PlanEdit::AddAction { input } => self.add_action(person, input).map(drop),
            PlanEdit::NewConcertation { input } => self.new_concertation(person, input).map(drop),
            PlanEdit::AddParticipant {
                concertation,
                input,
            } => self.add_participant(person, concertation, input).map(drop),
            PlanEdit::RemoveParticipant { concertation, id } => {
                self.remove_participant(person, concertation, id)
            }
            PlanEdit::AddSlot {
                concertation,
                start,
            } => self.add_slot(person, concertation, start).map(drop),
            PlanEdit::RemoveSlot { concertation, slot } => {
                self.remove_slot(person, concertation, slot)
            }
            PlanEdit::SetAvailable {
                concertation,
                participant,
                slot,
                available,
            } => self.set_available(person, concertation, participant, slot, available),
            PlanEdit::RecordMeeting {
                concertation,
                input,
            } => self.record_meeting(person, concertation, input),
            PlanEdit::Decide {
                concertation,
                owner,
                what,
                due,
            } => self
                .decide(person, concertation, owner, what, due)
                .map(drop),
            PlanEdit::ChooseSlot { concertation, slot } => {
                self.choose_slot(person, concertation, slot)
            }
            PlanEdit::AcceptProposal { id } => self.accept_proposal(person, id).map(drop),
            PlanEdit::RejectProposal { id } => self.reject_proposal(person, id),
            PlanEdit::AdmitStay { input } => self.admit(person, input).map(drop),
            PlanEdit::EditStay { id, input } => self.edit_stay(person, id, input),
            PlanEdit::ChecklistAction { stay, item, input } => {
                self.checklist_action(person, stay, item, input).map(drop)
            }
            PlanEdit::SetChecklistNotNeeded {
                stay,
                item,
                not_needed,
            } => self.set_checklist_not_needed(person, stay, item, not_needed),
            PlanEdit::EditAction { id, input } => self.edit_action(person, id, input),
            PlanEdit::SetActionStatus {
                id,
                status,
                outcome,
            } => self.set_action_status(person, id, status, outcome),
            PlanEdit::SetOrientation { id, input } => self.set_orientation(person, id, input),
            PlanEdit::AddMember { input } => self.add_member(person, input).map(drop),
            PlanEdit::EditMember { id, input } => self.edit_member(person, id, input),
            PlanEdit::CloseMember { id, closed } => self.close_member(person, id, closed),
            PlanEdit::AddVisit { input } => self.add_visit(person, input).map(drop),
            PlanEdit::EditVisit { id, input } => self.edit_visit(person, id, input),
            PlanEdit::RecordConsent { input } => self.record_consent(person, input),
            PlanEdit::Undo => self.undo(person).map(drop),
        }
    }
}
