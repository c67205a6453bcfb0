//! The goal-oriented care plan: a person accompanied at home, what matters to them, their strengths and
//! difficulties, what was agreed, their network and the visits.
//!
//! These types are the plan document itself (mapped to automerge with autosurgeon, every list item keyed
//! by its id) and the data the UI receives. Inputs (`…Input`) are what a form sends; [`validate`] checks
//! them and names every broken rule with its [`ErrorCode`].

use autosurgeon::{Hydrate, Reconcile};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{ErrorCode, Violation};

/// Version of the plan document's shape. Documents carry it; a newer one is refused.
pub const DOCUMENT_SCHEMA: u64 = 1;

/// The picture cards (pictograms without text) a priority, strength or difficulty can be tied to.
/// The ids are a contract with the UI, the sheet and stored plans: only add.
pub const CARDS: &[&str] = &[
    "health",
    "pain",
    "medication",
    "sleep",
    "food",
    "moving",
    "home",
    "money",
    "paperwork",
    "family",
    "friends",
    "loneliness",
    "mood",
    "memory",
    "leisure",
    "transport",
    "safety",
    "help-at-home",
    "carer",
    "language",
    "hygiene",
    "breathing",
    "hearing",
    "sight",
    "work",
    "pet",
    "faith",
    "shopping",
];

/// One person accompanied and their plan: one automerge document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlanDocument {
    #[ts(type = "number")]
    pub schema: u64,
    pub person: Person,
    pub plan: CarePlan,
    /// What the person agreed to, as last recorded; none yet for a plan started without it (and in
    /// documents written before consent was recorded).
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub consent: Option<Consent>,
}

/// Days between a consent that refuses keeping the plan and the plan's erasure: time for the person
/// to change their mind (a new consent that says "keep" cancels it) and for an export first.
pub const KEEP_REFUSED_GRACE_DAYS: i64 = 30;

/// The day the plan is erased because the person did not agree to keep it; none while they agree (or
/// said nothing yet).
pub fn erase_on(plan: &PlanDocument) -> Option<Date> {
    let consent = plan.consent.as_ref().filter(|c| !c.keep_plan)?;
    consent
        .recorded_on
        .checked_add(jiff::Span::new().days(KEEP_REFUSED_GRACE_DAYS))
        .ok()
}

/// What the person agreed to about their plan, when, recorded by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Consent {
    #[autosurgeon(with = "am_date")]
    #[ts(type = "string")]
    pub recorded_on: Date,
    /// The referent who recorded it.
    pub recorded_by: String,
    /// That the plan is kept (on this laptop, encrypted).
    pub keep_plan: bool,
    /// That the plan is shared with the referent's team (synced to their devices).
    pub share_with_team: bool,
    /// Named professionals the person agreed to share the plan with.
    pub professionals: Vec<String>,
}

/// The person accompanied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Person {
    pub id: Uuid,
    /// How the person wants to be called, as printed on their sheet.
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    #[ts(type = "number | null")]
    pub birth_year: Option<i64>,
    /// Languages spoken, as ISO 639 codes (`fr`, `nl`, `ar`, `tr`…), the preferred one first.
    pub languages: Vec<String>,
    pub interpreter_needed: bool,
    pub address: Address,
    pub phone: String,
    pub notes: String,
    /// The Belgian national number (NISS/INSZ), 11 digits, only when the person gave it for a
    /// hospital's file; never needed by Proxi.
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub niss: Option<String>,
    pub archived: bool,
    #[autosurgeon(with = "am_timestamp")]
    #[ts(type = "string")]
    pub created: Timestamp,
}

/// Where the person lives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub commune: String,
    /// The bassin, as the referent confirmed or corrected what the postal code proposes; none: not
    /// confirmed (the postal code's proposal is used).
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub bassin: Option<crate::territory::Bassin>,
    /// The monitoring quartier (its code in the reference file), as the referent chose it.
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub quartier: Option<u32>,
}

impl Address {
    /// The bassin the person lives in: the one confirmed for them, else their quartier's (which
    /// splits Brussels-City), else their postal code's proposal.
    pub fn bassin_placed(&self) -> Option<crate::territory::Bassin> {
        self.bassin
            .or_else(|| self.quartier.and_then(crate::territory::bassin_of_quartier))
            .or_else(|| crate::territory::lookup(self.postal_code.trim()).map(|a| a.bassin))
    }
}

/// The goal-oriented care plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CarePlan {
    /// What matters to me. The list keeps insertion order; `rank` gives the person's order, so that
    /// a reorder on one device never drops an edit made to a moved item on another.
    pub priorities: Vec<Priority>,
    pub strengths: Vec<Strength>,
    pub difficulties: Vec<Difficulty>,
    pub actions: Vec<AgreedAction>,
    pub network: Vec<NetworkMember>,
    pub visits: Vec<Visit>,
    /// When the plan is looked at again with the person.
    #[autosurgeon(with = "am_opt_date")]
    #[ts(type = "string | null")]
    pub review_date: Option<Date>,
    /// Stays in hospital, oldest first (none in documents written before stays were kept).
    #[serde(default)]
    #[autosurgeon(missing = "Vec::new")]
    pub stays: Vec<crate::hospital::Stay>,
    /// Items a hospital's file proposed, accepted, rejected or waiting for the referent.
    #[serde(default)]
    #[autosurgeon(missing = "Vec::new")]
    pub proposals: Vec<crate::fhir::import::Proposal>,
    /// Concertations organised around the person.
    #[serde(default)]
    #[autosurgeon(missing = "Vec::new")]
    pub concertations: Vec<crate::concertation::Concertation>,
}

/// Where a priority stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PriorityStatus {
    Active,
    Achieved,
    LetGo,
}

/// Something that matters to the person, in their own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Priority {
    #[key]
    pub id: Uuid,
    pub words: String,
    /// 1 is what matters most.
    pub rank: u32,
    pub card: Option<String>,
    pub status: PriorityStatus,
    #[autosurgeon(with = "am_timestamp")]
    #[ts(type = "string")]
    pub created: Timestamp,
    #[autosurgeon(with = "am_opt_date")]
    #[ts(type = "string | null")]
    pub review_date: Option<Date>,
    /// Where it came from when not from the person's words in this plan (a hospital's file).
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub source: Option<crate::hospital::ItemSource>,
}

/// A strength or resource, or a difficulty or need: words, a picture, an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Statement {
    #[key]
    pub id: Uuid,
    pub words: String,
    pub rank: u32,
    pub card: Option<String>,
    /// No longer current; kept for the history of the plan.
    pub closed: bool,
    #[autosurgeon(with = "am_timestamp")]
    #[ts(type = "string")]
    pub created: Timestamp,
}

/// My strengths and resources.
pub type Strength = Statement;
/// My difficulties and needs.
pub type Difficulty = Statement;

/// Who carries out an agreed action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum Who {
    /// The person themself.
    Person,
    /// An informal carer (aidant proche), named.
    InformalCarer { name: String },
    /// Someone of the person's network.
    Member { id: Uuid },
    /// The proximity referent.
    Referent,
    /// A service of the local directory, by its id.
    Service { id: String },
    /// A community resource of the team (a neighbour, a shop, a connector), by its id.
    Community { id: Uuid },
}

/// Where an agreed action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ActionStatus {
    Planned,
    Doing,
    Done,
    Dropped,
}

impl ActionStatus {
    /// Still to be done.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::Doing)
    }

    /// The stable name stored in derived tables.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Planned => "planned",
            ActionStatus::Doing => "doing",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }
}

/// What we agreed: who does what, by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AgreedAction {
    #[key]
    pub id: Uuid,
    pub what: String,
    pub who: Who,
    #[autosurgeon(with = "am_opt_date")]
    #[ts(type = "string | null")]
    pub due: Option<Date>,
    pub status: ActionStatus,
    pub priority_id: Option<Uuid>,
    pub outcome: String,
    #[autosurgeon(with = "am_timestamp")]
    #[ts(type = "string")]
    pub created: Timestamp,
    /// When the action orients the person to a service: where that stands (none for other actions,
    /// and in documents written before orientations were followed).
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub orientation: Option<Orientation>,
    /// Where the action came from: a stay's return-home checklist, a hospital's proposal; none for
    /// an action written in the plan.
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub source: Option<crate::hospital::ItemSource>,
}

/// The steps of an orientation to a service, as a referent follows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OrientationStep {
    Proposed,
    Contacted,
    Appointment,
    Seen,
    Refused,
    NoPlace,
    NoServiceFound,
}

impl OrientationStep {
    /// The orientation is over (seen, or it could not happen).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OrientationStep::Seen
                | OrientationStep::Refused
                | OrientationStep::NoPlace
                | OrientationStep::NoServiceFound
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrientationStep::Proposed => "proposed",
            OrientationStep::Contacted => "contacted",
            OrientationStep::Appointment => "appointment",
            OrientationStep::Seen => "seen",
            OrientationStep::Refused => "refused",
            OrientationStep::NoPlace => "noPlace",
            OrientationStep::NoServiceFound => "noServiceFound",
        }
    }
}

/// An orientation to a service, followed step by step: where it stands, since when, the appointment,
/// a note; and the need (a theme of the directory), kept when no service was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Orientation {
    pub step: OrientationStep,
    /// The day it reached this step.
    #[autosurgeon(with = "am_date")]
    #[ts(type = "string")]
    pub since: Date,
    #[autosurgeon(with = "am_opt_date")]
    #[ts(type = "string | null")]
    pub appointment: Option<Date>,
    pub note: String,
    /// The need, as a directory theme code.
    pub theme: Option<String>,
}

/// A step of an orientation, as the referent records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrientationInput {
    pub step: OrientationStep,
    #[ts(type = "string | null")]
    #[serde(default)]
    pub appointment: Option<Date>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub theme: Option<String>,
}

/// The role of someone in the person's network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NetworkRole {
    InformalCarer,
    Family,
    Gp,
    Nurse,
    Pharmacist,
    SocialWorker,
    HomeHelp,
    Physiotherapist,
    Psychologist,
    HospitalReferent,
    Other,
}

/// Someone in my network: a professional or an informal carer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NetworkMember {
    #[key]
    pub id: Uuid,
    pub role: NetworkRole,
    pub name: String,
    pub organisation: String,
    pub phone: String,
    pub email: String,
    /// No longer part of the network; kept for the history.
    pub closed: bool,
    /// Where it came from when not typed in this plan (a hospital's file).
    #[serde(default)]
    #[autosurgeon(missing = "Option::default")]
    pub source: Option<crate::hospital::ItemSource>,
}

/// A home visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Visit {
    #[key]
    pub id: Uuid,
    #[autosurgeon(with = "am_date")]
    #[ts(type = "string")]
    pub date: Date,
    pub place: String,
    pub notes: String,
    #[autosurgeon(with = "am_opt_date")]
    #[ts(type = "string | null")]
    pub next_visit: Option<Date>,
}

// ---------------------------------------------------------------------------------------------
// Inputs, as forms send them.

/// The editable fields of a person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct PersonInput {
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    #[ts(type = "number | null")]
    pub birth_year: Option<i64>,
    pub languages: Vec<String>,
    pub interpreter_needed: bool,
    pub address: Address,
    pub phone: String,
    pub notes: String,
    /// The national number (NISS/INSZ), optional; spaces, dots and dashes are allowed.
    pub niss: Option<String>,
}

/// What a consent form sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConsentInput {
    #[ts(type = "string")]
    pub recorded_on: Date,
    pub keep_plan: bool,
    pub share_with_team: bool,
    #[serde(default)]
    pub professionals: Vec<String>,
}

/// The editable fields of a priority.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct PriorityInput {
    pub words: String,
    pub card: Option<String>,
    #[ts(type = "string | null")]
    pub review_date: Option<Date>,
}

/// The editable fields of a strength or a difficulty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct StatementInput {
    pub words: String,
    pub card: Option<String>,
}

/// The editable fields of an agreed action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActionInput {
    pub what: String,
    pub who: Who,
    #[ts(type = "string | null")]
    pub due: Option<Date>,
    pub priority_id: Option<Uuid>,
    #[serde(default)]
    pub outcome: String,
}

/// The editable fields of a network member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberInput {
    pub role: NetworkRole,
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

/// The editable fields of a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VisitInput {
    #[ts(type = "string")]
    pub date: Date,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub notes: String,
    #[ts(type = "string | null")]
    pub next_visit: Option<Date>,
}

// ---------------------------------------------------------------------------------------------
// Validation: one rule, one code.

/// Longest name, in characters.
pub const NAME_MAX: usize = 200;
/// Longest set of words (a priority, an action…), in characters.
pub const WORDS_MAX: usize = 4_000;
/// Longest note, in characters.
pub const NOTES_MAX: usize = 20_000;

/// Collects the broken rules of one input.
#[derive(Debug, Default)]
pub struct Checks(Vec<Violation>);

impl Checks {
    pub(crate) fn rule(&mut self, broken: bool, code: ErrorCode, field: &str) -> &mut Self {
        if broken {
            self.0.push(Violation::new(code, field));
        }
        self
    }

    pub(crate) fn length(&mut self, value: &str, max: usize, field: &str) -> &mut Self {
        self.rule(value.chars().count() > max, ErrorCode::TextTooLong, field)
    }

    fn phone(&mut self, value: &str, field: &str) -> &mut Self {
        self.rule(
            !value.trim().is_empty() && !is_phone(value),
            ErrorCode::PhoneInvalid,
            field,
        )
    }

    fn card(&mut self, card: Option<&String>, field: &str) -> &mut Self {
        self.rule(
            card.is_some_and(|c| !CARDS.contains(&c.as_str())),
            ErrorCode::CardUnknown,
            field,
        )
    }

    /// The broken rules, or `Ok` when there are none.
    pub fn finish(self) -> crate::Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Invalid(self.0))
        }
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A phone number as people write them: digits with spaces, dots, slashes, dashes, parentheses and a
/// leading `+`; between 6 and 15 digits.
pub(crate) fn is_phone(s: &str) -> bool {
    let s = s.trim();
    let body = s.strip_prefix('+').unwrap_or(s);
    let allowed = body
        .chars()
        .all(|c| c.is_ascii_digit() || " ./-()".contains(c));
    let digits = body.chars().filter(char::is_ascii_digit).count();
    allowed && (6..=15).contains(&digits)
}

pub(crate) fn is_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|p| !p.is_empty())
}

fn is_language_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase())
}

/// Belgian postal codes: four digits, 1000 to 9999.
fn is_postal_code(s: &str) -> bool {
    s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) && !s.starts_with('0')
}

/// Checks a person's fields; `this_year` bounds the birth year.
pub fn check_person(input: &PersonInput, this_year: i64) -> Checks {
    let mut c = Checks::default();
    c.rule(
        blank(&input.display_name),
        ErrorCode::DisplayNameEmpty,
        "displayName",
    )
    .length(&input.display_name, NAME_MAX, "displayName")
    .length(&input.first_name, NAME_MAX, "firstName")
    .length(&input.last_name, NAME_MAX, "lastName")
    .rule(
        input
            .birth_year
            .is_some_and(|y| !(1900..=this_year).contains(&y)),
        ErrorCode::BirthYearOutOfRange,
        "birthYear",
    )
    .rule(
        !input.languages.iter().all(|l| is_language_code(l)),
        ErrorCode::LanguageCodeInvalid,
        "languages",
    )
    .rule(
        input
            .address
            .quartier
            .is_some_and(|q| !crate::territory::quartiers().iter().any(|x| x.code == q)),
        ErrorCode::QuartierUnknown,
        "address.quartier",
    )
    .rule(
        !blank(&input.address.postal_code) && !is_postal_code(input.address.postal_code.trim()),
        ErrorCode::PostalCodeInvalid,
        "address.postalCode",
    )
    .length(&input.address.street, NAME_MAX, "address.street")
    .length(&input.address.commune, NAME_MAX, "address.commune")
    .phone(&input.phone, "phone")
    .length(&input.notes, NOTES_MAX, "notes")
    .rule(
        input
            .niss
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty() && normalize_niss(n).is_none()),
        ErrorCode::NissInvalid,
        "niss",
    );
    c
}

/// A national number (NISS/INSZ) as its 11 digits, when it is one: the check number is 97 minus the
/// first nine digits modulo 97 (with a 2 in front for people born from 2000).
pub fn normalize_niss(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let allowed = s.chars().all(|c| c.is_ascii_digit() || " .-".contains(c));
    if !allowed || digits.len() != 11 {
        return None;
    }
    let body: u64 = digits[..9].parse().ok()?;
    let check: u64 = digits[9..].parse().ok()?;
    let ok = |n: u64| 97 - n % 97 == check;
    (ok(body) || ok(2_000_000_000 + body)).then_some(digits)
}

/// Checks a priority's fields; `created` is the day the priority was named.
pub fn check_priority(input: &PriorityInput, created: Date) -> Checks {
    let mut c = Checks::default();
    c.rule(blank(&input.words), ErrorCode::WordsEmpty, "words")
        .length(&input.words, WORDS_MAX, "words")
        .card(input.card.as_ref(), "card")
        .rule(
            input.review_date.is_some_and(|d| d < created),
            ErrorCode::ReviewDateBeforeCreation,
            "reviewDate",
        );
    c
}

/// Checks a strength's or difficulty's fields.
pub fn check_statement(input: &StatementInput) -> Checks {
    let mut c = Checks::default();
    c.rule(blank(&input.words), ErrorCode::WordsEmpty, "words")
        .length(&input.words, WORDS_MAX, "words")
        .card(input.card.as_ref(), "card");
    c
}

/// Checks an action against the plan it goes into. `due_floor` is the earliest acceptable due date
/// (today for a new due date; an unchanged old one is not checked again).
pub fn check_action(input: &ActionInput, plan: &CarePlan, due_floor: Option<Date>) -> Checks {
    let mut c = Checks::default();
    let member_unknown = match &input.who {
        Who::Member { id } => !plan.network.iter().any(|m| m.id == *id),
        _ => false,
    };
    let service_empty = matches!(&input.who, Who::Service { id } if blank(id));
    let carer_empty = matches!(&input.who, Who::InformalCarer { name } if blank(name));
    c.rule(blank(&input.what), ErrorCode::ActionWhatEmpty, "what")
        .length(&input.what, WORDS_MAX, "what")
        .length(&input.outcome, NOTES_MAX, "outcome")
        .rule(
            matches!((input.due, due_floor), (Some(d), Some(floor)) if d < floor),
            ErrorCode::ActionDueInPast,
            "due",
        )
        .rule(
            input
                .priority_id
                .is_some_and(|p| !plan.priorities.iter().any(|x| x.id == p)),
            ErrorCode::ActionPriorityUnknown,
            "priorityId",
        )
        .rule(member_unknown, ErrorCode::ActionMemberUnknown, "who")
        .rule(service_empty, ErrorCode::ActionServiceEmpty, "who")
        .rule(carer_empty, ErrorCode::MemberNameEmpty, "who");
    c
}

/// Checks a step of an orientation: an appointment has its date; the note fits.
pub fn check_orientation(input: &OrientationInput) -> Checks {
    let mut c = Checks::default();
    c.rule(
        input.step == OrientationStep::Appointment && input.appointment.is_none(),
        ErrorCode::AppointmentDateMissing,
        "appointment",
    )
    .length(&input.note, NOTES_MAX, "note");
    c
}

/// Checks a network member's fields.
pub fn check_member(input: &MemberInput) -> Checks {
    let mut c = Checks::default();
    c.rule(blank(&input.name), ErrorCode::MemberNameEmpty, "name")
        .length(&input.name, NAME_MAX, "name")
        .length(&input.organisation, NAME_MAX, "organisation")
        .phone(&input.phone, "phone")
        .rule(
            !blank(&input.email) && !is_email(&input.email),
            ErrorCode::EmailInvalid,
            "email",
        );
    c
}

/// Checks a consent record; `today` bounds its date.
pub fn check_consent(input: &ConsentInput, today: Date) -> Checks {
    let mut c = Checks::default();
    c.rule(
        input.recorded_on > today,
        ErrorCode::ConsentDateInFuture,
        "recordedOn",
    )
    .rule(
        input.professionals.iter().any(|p| blank(p)),
        ErrorCode::MemberNameEmpty,
        "professionals",
    )
    .rule(
        input
            .professionals
            .iter()
            .any(|p| p.chars().count() > NAME_MAX),
        ErrorCode::TextTooLong,
        "professionals",
    );
    c
}

/// Checks a visit's fields.
pub fn check_visit(input: &VisitInput) -> Checks {
    let mut c = Checks::default();
    c.length(&input.place, NAME_MAX, "place")
        .length(&input.notes, NOTES_MAX, "notes")
        .rule(
            input.next_visit.is_some_and(|n| n <= input.date),
            ErrorCode::NextVisitNotAfterVisit,
            "nextVisit",
        );
    c
}

// ---------------------------------------------------------------------------------------------
// How dates and instants are written in the document: ISO dates as strings, instants as
// milliseconds since the epoch (readable by any automerge client).

pub(crate) mod am_date {
    use autosurgeon::{HydrateError, Prop, ReadDoc, Reconcile, Reconciler};
    use jiff::civil::Date;

    pub(crate) fn reconcile<R: Reconciler>(date: &Date, reconciler: R) -> Result<(), R::Error> {
        date.to_string().reconcile(reconciler)
    }

    pub(crate) fn hydrate<D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<Date, HydrateError> {
        let text: String = autosurgeon::hydrate_prop(doc, obj, prop)?;
        text.parse()
            .map_err(|_| HydrateError::unexpected("an ISO date", text))
    }
}

pub(crate) mod am_opt_date {
    use autosurgeon::{HydrateError, Prop, ReadDoc, Reconcile, Reconciler};
    use jiff::civil::Date;

    pub(crate) fn reconcile<R: Reconciler>(
        date: &Option<Date>,
        reconciler: R,
    ) -> Result<(), R::Error> {
        date.map(|d| d.to_string()).reconcile(reconciler)
    }

    pub(crate) fn hydrate<D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<Option<Date>, HydrateError> {
        let text: Option<String> = autosurgeon::hydrate_prop(doc, obj, prop)?;
        text.map(|t| {
            t.parse()
                .map_err(|_| HydrateError::unexpected("an ISO date", t))
        })
        .transpose()
    }
}

pub(crate) mod am_timestamp {
    use autosurgeon::{HydrateError, Prop, ReadDoc, Reconcile, Reconciler};
    use jiff::Timestamp;

    pub(crate) fn reconcile<R: Reconciler>(at: &Timestamp, reconciler: R) -> Result<(), R::Error> {
        at.as_millisecond().reconcile(reconciler)
    }

    pub(crate) fn hydrate<D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<Timestamp, HydrateError> {
        let millis: i64 = autosurgeon::hydrate_prop(doc, obj, prop)?;
        Timestamp::from_millisecond(millis)
            .map_err(|_| HydrateError::unexpected("milliseconds since 1970", millis.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_as_people_write_them() {
        for ok in [
            "02 123 45 67",
            "+32 470/12.34.56",
            "0470-12-34-56",
            "(02) 511 00 00",
        ] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in [
            "abc",
            "12",
            "+32 470 12 34 56 78 90 12 34",
            "02 123 45 67 ext",
        ] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(is_email("a.b@cpas-exemple.be"));
        for bad in ["a@b", "@b.be", "a b@c.be", "a@@b.be", "a@b..be"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
