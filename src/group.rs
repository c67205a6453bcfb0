//! Diapason groups: at the bassin's level, 8 to 10 mandated people meet about seven times two hours on
//! one cross-cutting problem and end with recommendations that must be followed up (the seeds). A group
//! holds no personal data of the people supported: its members are professionals speaking for their
//! organisation, its words are about the territory.
//!
//! A group belongs to the team, not to a person: it is its own automerge document (root `kind` =
//! [`GROUP_KIND`]), synced sealed through the relay like the plans but with no consent to wait for, and
//! never erased with a person.

use autosurgeon::{Hydrate, Reconcile};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::app::Proxi;
use crate::clock::new_id;
use crate::domain::{Checks, NAME_MAX, NOTES_MAX, WORDS_MAX};
use crate::error::{Error, ErrorCode, Result};
use crate::territory::Bassin;

/// The root `kind` of a group's document (a plan's document has none).
pub const GROUP_KIND: &str = "diapasonGroup";

/// Version of the group document's layout.
pub const GROUP_SCHEMA: u64 = 1;

/// The whole document of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupDocument {
    #[ts(type = "number")]
    pub schema: u64,
    /// Always [`GROUP_KIND`].
    pub kind: String,
    pub group: Group,
}

/// A Diapason group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Group {
    pub id: Uuid,
    pub name: String,
    pub bassin: Option<Bassin>,
    /// The cross-cutting problem the group works on.
    pub problem: String,
    pub members: Vec<GroupMember>,
    pub meetings: Vec<GroupMeeting>,
    /// What the group saw on the ground, in its words.
    pub observations: Vec<Observation>,
    pub recommendations: Vec<Recommendation>,
    /// Closed: the group's work is over (its recommendations are still followed up).
    pub closed: bool,
    #[autosurgeon(with = "crate::domain::am_timestamp")]
    #[ts(type = "string")]
    pub created: Timestamp,
}

/// A member: a professional mandated by their organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupMember {
    #[key]
    pub id: Uuid,
    pub name: String,
    /// The sector (home care, hospital, social, mental health…), in words.
    pub sector: String,
    pub organisation: String,
    /// What the organisation mandated them for, in words.
    pub mandate: String,
    /// Left the group (kept: they were at earlier meetings).
    pub left: bool,
}

/// What a member is, as the window enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupMemberInput {
    pub name: String,
    pub sector: String,
    pub organisation: String,
    pub mandate: String,
}

/// A meeting of the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupMeeting {
    #[key]
    pub id: Uuid,
    #[autosurgeon(with = "crate::domain::am_date")]
    #[ts(type = "string")]
    pub date: Date,
    /// The members who came.
    pub present: Vec<Uuid>,
    pub notes: String,
}

/// An observation of the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Observation {
    #[key]
    pub id: Uuid,
    pub text: String,
    /// The meeting it was made at, when one.
    pub meeting: Option<Uuid>,
    pub closed: bool,
}

/// Where a recommendation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RecommendationStatus {
    Proposed,
    Adopted,
    InProgress,
    Done,
    Dropped,
}

impl RecommendationStatus {
    /// Done or dropped: nothing left to follow up.
    pub fn finished(self) -> bool {
        matches!(self, Self::Done | Self::Dropped)
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Adopted => "adopted",
            Self::InProgress => "inProgress",
            Self::Done => "done",
            Self::Dropped => "dropped",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Proposed,
            Self::Adopted,
            Self::InProgress,
            Self::Done,
            Self::Dropped,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A recommendation of the group, to be followed up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Recommendation {
    #[key]
    pub id: Uuid,
    pub text: String,
    /// Who carries it (a member, an organisation, an authority), in words.
    pub owner: String,
    pub status: RecommendationStatus,
    /// The dates it is to be looked at again, with what was found then.
    pub follow_ups: Vec<RecommendationFollowUp>,
}

/// A date a recommendation is looked at again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecommendationFollowUp {
    #[key]
    pub id: Uuid,
    #[autosurgeon(with = "crate::domain::am_date")]
    #[ts(type = "string")]
    pub due: Date,
    /// What was found, once looked at.
    pub note: String,
    /// The day it was looked at (none: still to do).
    #[autosurgeon(with = "crate::domain::am_opt_date")]
    #[ts(type = "string | null")]
    pub done_on: Option<Date>,
}

impl Recommendation {
    /// The first follow-up not done yet, when the recommendation is not finished.
    pub fn next_follow_up(&self) -> Option<&RecommendationFollowUp> {
        if self.status.finished() {
            return None;
        }
        self.follow_ups
            .iter()
            .filter(|f| f.done_on.is_none())
            .min_by_key(|f| f.due)
    }
}

/// A group's name, bassin and problem, as the window enters them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupInput {
    pub name: String,
    pub bassin: Option<Bassin>,
    pub problem: String,
}

/// A row of the groups list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupSummary {
    pub id: Uuid,
    pub name: String,
    pub bassin: Option<Bassin>,
    pub closed: bool,
    pub members: u32,
    pub meetings: u32,
    /// Recommendations neither done nor dropped.
    pub open_recommendations: u32,
}

/// A recommendation whose next follow-up is due by the horizon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecommendationDue {
    pub group_id: Uuid,
    pub group_name: String,
    pub recommendation_id: Uuid,
    pub text: String,
    pub owner: String,
    pub status: RecommendationStatus,
    #[ts(type = "string")]
    pub due: Date,
    pub overdue: bool,
}

/// One edit of one group.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum GroupEdit {
    Update {
        input: GroupInput,
    },
    SetClosed {
        closed: bool,
    },
    AddMember {
        input: GroupMemberInput,
    },
    EditMember {
        id: Uuid,
        input: GroupMemberInput,
    },
    SetMemberLeft {
        id: Uuid,
        left: bool,
    },
    AddMeeting {
        #[ts(type = "string")]
        date: Date,
    },
    /// A meeting's date, who came and its notes.
    EditMeeting {
        id: Uuid,
        #[ts(type = "string")]
        date: Date,
        present: Vec<Uuid>,
        notes: String,
    },
    AddObservation {
        text: String,
        meeting: Option<Uuid>,
    },
    EditObservation {
        id: Uuid,
        text: String,
    },
    CloseObservation {
        id: Uuid,
        closed: bool,
    },
    AddRecommendation {
        text: String,
        owner: String,
    },
    EditRecommendation {
        id: Uuid,
        text: String,
        owner: String,
    },
    SetRecommendationStatus {
        id: Uuid,
        status: RecommendationStatus,
    },
    AddFollowUp {
        recommendation: Uuid,
        #[ts(type = "string")]
        due: Date,
    },
    /// A follow-up looked at (with what was found) or reopened (`done` false).
    RecordFollowUp {
        recommendation: Uuid,
        id: Uuid,
        done: bool,
        note: String,
    },
    /// Undo this device's last edit of the group.
    Undo,
}

fn check_group(input: &GroupInput) -> Result<()> {
    let mut checks = Checks::default();
    checks
        .rule(
            input.name.trim().is_empty(),
            ErrorCode::GroupNameEmpty,
            "name",
        )
        .length(&input.name, NAME_MAX, "name")
        .length(&input.problem, WORDS_MAX, "problem");
    checks.finish()
}

fn check_member(input: &GroupMemberInput) -> Result<()> {
    let mut checks = Checks::default();
    checks
        .rule(
            input.name.trim().is_empty(),
            ErrorCode::MemberNameEmpty,
            "name",
        )
        .length(&input.name, NAME_MAX, "name")
        .length(&input.sector, NAME_MAX, "sector")
        .length(&input.organisation, NAME_MAX, "organisation")
        .length(&input.mandate, WORDS_MAX, "mandate");
    checks.finish()
}

fn check_text(text: &str, empty: ErrorCode, field: &str) -> Result<()> {
    let mut checks = Checks::default();
    checks
        .rule(text.trim().is_empty(), empty, field)
        .length(text, WORDS_MAX, field);
    checks.finish()
}

fn find<'a, T>(
    items: &'a mut [T],
    id: Uuid,
    kind: &'static str,
    key: fn(&T) -> Uuid,
) -> Result<&'a mut T> {
    items
        .iter_mut()
        .find(|i| key(i) == id)
        .ok_or(Error::ItemNotFound { kind, id })
}

fn recommendation(group: &mut Group, id: Uuid) -> Result<&mut Recommendation> {
    find(&mut group.recommendations, id, "recommendation", |r| r.id)
}

impl Proxi {
    /// Starts a Diapason group.
    ///
    /// # Errors
    /// [`ErrorCode::GroupNameEmpty`], [`ErrorCode::TextTooLong`]; [`Error::Storage`].
    pub fn new_group(&mut self, input: GroupInput) -> Result<Uuid> {
        check_group(&input)?;
        let now = self.now();
        let id = new_id(now);
        let doc = GroupDocument {
            schema: GROUP_SCHEMA,
            kind: GROUP_KIND.to_owned(),
            group: Group {
                id,
                name: input.name.trim().to_owned(),
                bassin: input.bassin,
                problem: input.problem.trim().to_owned(),
                members: Vec::new(),
                meetings: Vec::new(),
                observations: Vec::new(),
                recommendations: Vec::new(),
                closed: false,
                created: now,
            },
        };
        self.store_mut().commit_group(id, &doc, "group.new", now)?;
        Ok(id)
    }

    /// One group, as its document holds it.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`] when no group has this id; [`Error::DocumentInvalid`].
    pub fn group(&mut self, id: Uuid) -> Result<Group> {
        Ok(self.store_mut().group(id)?.group)
    }

    /// Every group of the team, by name.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn groups(&self) -> Result<Vec<GroupSummary>> {
        self.store().group_summaries()
    }

    /// The recommendations whose next follow-up falls on or before `horizon`, earliest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn recommendations_due(&self, horizon: Date) -> Result<Vec<RecommendationDue>> {
        let today = self.today();
        self.store().recommendations_due(horizon, today)
    }

    /// Reads, changes and records one group.
    fn change_group<T>(
        &mut self,
        id: Uuid,
        action: &str,
        f: impl FnOnce(&mut Group, Timestamp) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let mut doc = self.store_mut().group(id)?;
        let out = f(&mut doc.group, now)?;
        self.store_mut().commit_group(id, &doc, action, now)?;
        Ok(out)
    }

    /// Applies one edit to group `id`. Returns the id of what it added, if anything.
    ///
    /// # Errors
    /// The validation codes of the edit; [`Error::ItemNotFound`]; [`Error::NothingToUndo`];
    /// [`Error::Storage`].
    pub fn edit_group(&mut self, id: Uuid, edit: GroupEdit) -> Result<Option<Uuid>> {
        match edit {
            GroupEdit::Update { input } => {
                check_group(&input)?;
                self.change_group(id, "group.update", |g, _| {
                    g.name = input.name.trim().to_owned();
                    g.bassin = input.bassin;
                    g.problem = input.problem.trim().to_owned();
                    Ok(None)
                })
            }
            GroupEdit::SetClosed { closed } => self.change_group(id, "group.close", |g, _| {
                g.closed = closed;
                Ok(None)
            }),
            GroupEdit::AddMember { input } => {
                check_member(&input)?;
                self.change_group(id, "group.member.add", |g, now| {
                    let new = new_id(now);
                    g.members.push(member(new, input));
                    Ok(Some(new))
                })
            }
            GroupEdit::EditMember { id: m, input } => {
                check_member(&input)?;
                self.change_group(id, "group.member.edit", |g, _| {
                    let found = find(&mut g.members, m, "member", |x| x.id)?;
                    let left = found.left;
                    *found = GroupMember {
                        left,
                        ..member(m, input)
                    };
                    Ok(None)
                })
            }
            GroupEdit::SetMemberLeft { id: m, left } => {
                self.change_group(id, "group.member.left", |g, _| {
                    find(&mut g.members, m, "member", |x| x.id)?.left = left;
                    Ok(None)
                })
            }
            GroupEdit::AddMeeting { date } => {
                self.change_group(id, "group.meeting.add", |g, now| {
                    let new = new_id(now);
                    g.meetings.push(GroupMeeting {
                        id: new,
                        date,
                        present: Vec::new(),
                        notes: String::new(),
                    });
                    g.meetings.sort_by_key(|m| m.date);
                    Ok(Some(new))
                })
            }
            GroupEdit::EditMeeting {
                id: m,
                date,
                present,
                notes,
            } => {
                let mut checks = Checks::default();
                checks.length(&notes, NOTES_MAX, "notes");
                checks.finish()?;
                self.change_group(id, "group.meeting.edit", |g, _| {
                    if let Some(unknown) = present
                        .iter()
                        .find(|p| !g.members.iter().any(|x| x.id == **p))
                    {
                        return Err(Error::ItemNotFound {
                            kind: "member",
                            id: *unknown,
                        });
                    }
                    let found = find(&mut g.meetings, m, "meeting", |x| x.id)?;
                    found.date = date;
                    found.present = present;
                    found.notes = notes;
                    g.meetings.sort_by_key(|x| x.date);
                    Ok(None)
                })
            }
            GroupEdit::AddObservation { text, meeting } => {
                check_text(&text, ErrorCode::ObservationEmpty, "text")?;
                self.change_group(id, "group.observation.add", |g, now| {
                    if let Some(m) = meeting
                        && !g.meetings.iter().any(|x| x.id == m)
                    {
                        return Err(Error::ItemNotFound {
                            kind: "meeting",
                            id: m,
                        });
                    }
                    let new = new_id(now);
                    g.observations.push(Observation {
                        id: new,
                        text: text.trim().to_owned(),
                        meeting,
                        closed: false,
                    });
                    Ok(Some(new))
                })
            }
            GroupEdit::EditObservation { id: o, text } => {
                check_text(&text, ErrorCode::ObservationEmpty, "text")?;
                self.change_group(id, "group.observation.edit", |g, _| {
                    find(&mut g.observations, o, "observation", |x| x.id)?.text =
                        text.trim().to_owned();
                    Ok(None)
                })
            }
            GroupEdit::CloseObservation { id: o, closed } => {
                self.change_group(id, "group.observation.close", |g, _| {
                    find(&mut g.observations, o, "observation", |x| x.id)?.closed = closed;
                    Ok(None)
                })
            }
            GroupEdit::AddRecommendation { text, owner } => {
                check_recommendation(&text, &owner)?;
                self.change_group(id, "group.recommendation.add", |g, now| {
                    let new = new_id(now);
                    g.recommendations.push(Recommendation {
                        id: new,
                        text: text.trim().to_owned(),
                        owner: owner.trim().to_owned(),
                        status: RecommendationStatus::Proposed,
                        follow_ups: Vec::new(),
                    });
                    Ok(Some(new))
                })
            }
            GroupEdit::EditRecommendation { id: r, text, owner } => {
                check_recommendation(&text, &owner)?;
                self.change_group(id, "group.recommendation.edit", |g, _| {
                    let found = recommendation(g, r)?;
                    found.text = text.trim().to_owned();
                    found.owner = owner.trim().to_owned();
                    Ok(None)
                })
            }
            GroupEdit::SetRecommendationStatus { id: r, status } => {
                self.change_group(id, "group.recommendation.status", |g, _| {
                    recommendation(g, r)?.status = status;
                    Ok(None)
                })
            }
            GroupEdit::AddFollowUp {
                recommendation: r,
                due,
            } => self.change_group(id, "group.followUp.add", |g, now| {
                let new = new_id(now);
                let found = recommendation(g, r)?;
                found.follow_ups.push(RecommendationFollowUp {
                    id: new,
                    due,
                    note: String::new(),
                    done_on: None,
                });
                found.follow_ups.sort_by_key(|f| f.due);
                Ok(Some(new))
            }),
            GroupEdit::RecordFollowUp {
                recommendation: r,
                id: f,
                done,
                note,
            } => {
                let mut checks = Checks::default();
                checks.length(&note, WORDS_MAX, "note");
                checks.finish()?;
                let today = self.today();
                self.change_group(id, "group.followUp.record", |g, _| {
                    let found = find(&mut recommendation(g, r)?.follow_ups, f, "follow-up", |x| {
                        x.id
                    })?;
                    found.done_on = done.then_some(found.done_on.unwrap_or(today));
                    found.note = note.trim().to_owned();
                    Ok(None)
                })
            }
            GroupEdit::Undo => {
                let before = self
                    .store_mut()
                    .group_before_last_change(id)?
                    .ok_or(Error::NothingToUndo)?;
                self.change_group(id, "undo", |g, _| {
                    *g = before.group;
                    Ok(None)
                })
            }
        }
    }

    /// The group's report as PDF in `lang` (fr, nl, en): the problem, the members and their
    /// presence, the observations, the recommendations with their owner, status and follow-ups.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`]; [`Error::Sheet`] for another language.
    pub fn group_report(&mut self, id: Uuid, lang: &str) -> Result<Vec<u8>> {
        let group = self.group(id)?;
        let today = self.today();
        Ok(crate::sheet::render_group_report(&group, lang, today)?)
    }
}

fn member(id: Uuid, input: GroupMemberInput) -> GroupMember {
    GroupMember {
        id,
        name: input.name.trim().to_owned(),
        sector: input.sector.trim().to_owned(),
        organisation: input.organisation.trim().to_owned(),
        mandate: input.mandate.trim().to_owned(),
        left: false,
    }
}

fn check_recommendation(text: &str, owner: &str) -> Result<()> {
    let mut checks = Checks::default();
    checks
        .rule(
            text.trim().is_empty(),
            ErrorCode::RecommendationEmpty,
            "text",
        )
        .length(text, WORDS_MAX, "text")
        .length(owner, NAME_MAX, "owner");
    checks.finish()
}
