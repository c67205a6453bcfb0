//! The use cases, in one façade that the desktop shell and the CLI both call.
//!
//! Every edit follows one path: read the plan from its document, check the input, change the plan,
//! and hand it to the store, which writes the change and its derived rows in one transaction.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::clock::{Clock, new_id};
use crate::directory::hsds::{self, RecordSet};
use crate::directory::index::{self, DirectoryIndex, SearchResult, ServiceQuery};
use crate::directory::{self as dir, ImportReport, ServiceCard};
use crate::document::{self, HistoryEntry};
use crate::domain::{
    ActionInput, ActionStatus, AgreedAction, CarePlan, Consent, ConsentInput, DOCUMENT_SCHEMA,
    MemberInput, NetworkMember, Orientation, OrientationInput, OrientationStep, Person,
    PersonInput, PlanDocument, Priority, PriorityInput, PriorityStatus, Statement, StatementInput,
    Visit, VisitInput, Who, check_action, check_consent, check_member, check_orientation,
    check_person, check_priority, check_statement, check_visit,
};
use crate::error::{Error, ErrorCode, Result, Violation};
pub use crate::store::DueAction;
use crate::store::{AuditAction, AuditEntry, PeopleQuery, PersonSummary, Store};

/// Items of a plan's lists, found by id.
trait Keyed {
    fn key(&self) -> Uuid;
}

/// Items the person puts in an order.
trait Ranked: Keyed {
    fn rank_mut(&mut self) -> &mut u32;
    fn is_current(&self) -> bool;
}

macro_rules! keyed {
    ($($t:ty),*) => { $(impl Keyed for $t { fn key(&self) -> Uuid { self.id } })* };
}
keyed!(Priority, Statement, AgreedAction, NetworkMember, Visit);

impl Ranked for Priority {
    fn rank_mut(&mut self) -> &mut u32 {
        &mut self.rank
    }
    fn is_current(&self) -> bool {
        self.status == PriorityStatus::Active
    }
}

impl Ranked for Statement {
    fn rank_mut(&mut self) -> &mut u32 {
        &mut self.rank
    }
    fn is_current(&self) -> bool {
        !self.closed
    }
}

fn find<'a, T: Keyed>(list: &'a mut [T], id: Uuid, kind: &'static str) -> Result<&'a mut T> {
    list.iter_mut()
        .find(|x| x.key() == id)
        .ok_or(Error::ItemNotFound { kind, id })
}

fn next_rank<T: Ranked>(list: &mut [T]) -> u32 {
    list.iter_mut().map(|x| *x.rank_mut()).max().unwrap_or(0) + 1
}

/// Gives the current items the ranks 1, 2, 3… in the order of `order`, which must name each current
/// item exactly once.
fn reorder<T: Ranked>(list: &mut [T], order: &[Uuid]) -> Result<()> {
    let mut current: Vec<Uuid> = list
        .iter()
        .filter(|x| x.is_current())
        .map(Keyed::key)
        .collect();
    let mut asked = order.to_vec();
    current.sort();
    asked.sort();
    if current != asked {
        return Err(Error::Invalid(vec![Violation::new(
            ErrorCode::ReorderMismatch,
            "order",
        )]));
    }
    for (rank, id) in (1u32..).zip(order) {
        if let Some(item) = list.iter_mut().find(|x| x.key() == *id) {
            *item.rank_mut() = rank;
        }
    }
    Ok(())
}

/// Which of a plan's two statement lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum StatementList {
    Strengths,
    Difficulties,
}

impl StatementList {
    fn of(self, plan: &mut CarePlan) -> &mut Vec<Statement> {
        match self {
            StatementList::Strengths => &mut plan.strengths,
            StatementList::Difficulties => &mut plan.difficulties,
        }
    }

    fn name(self) -> &'static str {
        match self {
            StatementList::Strengths => "strength",
            StatementList::Difficulties => "difficulty",
        }
    }
}

/// What needs doing soon, across everyone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowUp {
    #[ts(type = "string")]
    pub today: Date,
    /// The last day the list looks at.
    #[ts(type = "string")]
    pub until: Date,
    /// Open actions due by `until`, overdue first (oldest date first).
    pub actions: Vec<DueAction>,
    /// People whose plan is to be reviewed by `until`, earliest first.
    pub reviews: Vec<PersonSummary>,
    /// Orientations at one step for `stuck_after_days` days or more, the longest first.
    pub stuck: Vec<crate::store::StuckOrientation>,
    /// After how many days at one step an orientation is listed in `stuck`.
    pub stuck_after_days: u32,
    /// People in hospital today, the longest there first.
    pub in_hospital: Vec<crate::hospital::StaySummary>,
    /// People leaving hospital by `until` (and who left in the last days with the return home not
    /// prepared), soonest first.
    pub discharges: Vec<crate::hospital::StaySummary>,
    /// Diapason groups' recommendations whose follow-up falls by `until`, earliest first.
    pub recommendations: Vec<crate::group::RecommendationDue>,
}

/// After this many days at one step (proposed, contacted, waiting for the appointment), an
/// orientation shows in the follow-up list, unless the referent chose another number.
pub const ORIENTATION_STUCK_DAYS: u32 = 14;

/// Proxi's use cases over one open store.
#[derive(Debug)]
pub struct Proxi {
    store: Store,
    clock: Arc<dyn Clock>,
    /// The directory's search index, opened (or rebuilt) at the first search.
    directory: Option<DirectoryIndex>,
}

impl Proxi {
    /// The use cases over `store`, with time from `clock`.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            directory: None,
        }
    }

    /// The store underneath.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store underneath, for maintenance.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Hands the store back.
    pub fn into_store(self) -> Store {
        self.store
    }

    /// Today in Brussels, on the clock.
    pub(crate) fn today(&self) -> Date {
        self.clock.today()
    }

    /// Now, to the millisecond: the precision instants are kept at in documents.
    pub(crate) fn now(&self) -> Timestamp {
        let now = self.clock.now();
        Timestamp::from_millisecond(now.as_millisecond()).unwrap_or(now)
    }

    fn this_year(&self) -> i64 {
        i64::from(self.clock.today().year())
    }

    /// Reads, changes and records one plan. `f` gets the plan and the time of the change.
    pub(crate) fn change<T>(
        &mut self,
        person: Uuid,
        action: &str,
        f: impl FnOnce(&mut PlanDocument, Timestamp, Date) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let today = self.clock.today();
        let mut plan = self.store.plan(person)?;
        // An archived plan is read-only, but for restoring it and for undoing its archiving.
        if plan.person.archived && action != "person.restore" && action != "undo" {
            return Err(Error::PersonArchived);
        }
        let out = f(&mut plan, now, today)?;
        self.store.commit(person, &plan, action, now)?;
        Ok(out)
    }

    // --- Directory ----------------------------------------------------------------------------

    /// Imports HSDS files (a JSON file, a folder of JSON files, or a CSV datapackage folder) into the
    /// directory, all or nothing, and rebuilds the search index.
    ///
    /// # Errors
    /// [`Error::DirectoryFile`] naming the file, line and field of the first problem (nothing is
    /// imported); [`Error::Storage`]; [`Error::DirectoryIndex`].
    pub fn import_directory(&mut self, path: &std::path::Path) -> Result<ImportReport> {
        let set = hsds::read_path(path)?;
        self.import_directory_records(&set)
    }

    /// Imports records already read (or generated), all or nothing, and rebuilds the search index.
    ///
    /// # Errors
    /// As [`Proxi::import_directory`].
    pub fn import_directory_records(&mut self, set: &RecordSet) -> Result<ImportReport> {
        let report = dir::import(&mut self.store, set)?;
        self.directory = None;
        self.rebuild_directory_index()?;
        Ok(report)
    }

    /// Writes the directory as a CSV datapackage (`csv`) or as HSDS JSON (`json`) into `folder`,
    /// with the team's community resources marked public and still available (and none other).
    ///
    /// # Errors
    /// [`Error::Storage`] when a file cannot be written.
    pub fn export_directory(
        &mut self,
        folder: &std::path::Path,
        json: bool,
    ) -> Result<Vec<std::path::PathBuf>> {
        let mut tables = dir::tables(&mut self.store)?;
        let public: Vec<_> = self
            .community()?
            .into_iter()
            .filter(|r| r.public && !r.closed)
            .collect();
        crate::community::add_to_hsds(&mut tables, &public);
        let written = if json {
            hsds::write_json(&tables, folder)
        } else {
            hsds::write_csv(&tables, folder)
        };
        written.map_err(|e| Error::Storage(format!("{}: {e}", folder.display())))
    }

    /// Searches the directory (see [`DirectoryIndex::search`]); "open now" is now on the clock.
    ///
    /// # Errors
    /// [`Error::DirectoryIndex`], [`Error::Storage`].
    pub fn search_services(&mut self, query: &ServiceQuery) -> Result<SearchResult> {
        let now = self.clock.now();
        self.directory_index()?.search(query, now)
    }

    /// Every language the directory's services declare (see [`DirectoryIndex::languages`]).
    ///
    /// # Errors
    /// [`Error::DirectoryIndex`], [`Error::Storage`].
    pub fn directory_languages(&mut self) -> Result<Vec<String>> {
        self.directory_index()?.languages()
    }

    /// The card of one service of the directory.
    ///
    /// # Errors
    /// [`Error::ServiceNotFound`], [`Error::Storage`].
    pub fn service(&mut self, id: &str) -> Result<ServiceCard> {
        let tables = dir::service_tables(&mut self.store, id)?;
        dir::card(&tables, id)
    }

    /// An action is oriented only to a service the directory holds (an empty id is the form's own
    /// error), and given only to a community resource of the team that is still available.
    fn check_service(&mut self, who: &Who) -> Result<()> {
        match who {
            Who::Service { id } if !id.trim().is_empty() => {
                dir::service_tables(&mut self.store, id).map(|_| ())
            }
            Who::Community { id } => {
                let open = self.community()?.iter().any(|r| r.id == *id && !r.closed);
                if open {
                    Ok(())
                } else {
                    Err(Error::Invalid(vec![crate::error::Violation::new(
                        crate::error::ErrorCode::ActionCommunityUnknown,
                        "who",
                    )]))
                }
            }
            _ => Ok(()),
        }
    }

    /// The search index, reused when it was built from the directory as it is, rebuilt otherwise.
    fn directory_index(&mut self) -> Result<&DirectoryIndex> {
        let generation = dir::generation(&mut self.store)?;
        if self
            .directory
            .as_ref()
            .is_none_or(|i| i.generation() != generation)
        {
            let folder = index::folder_for(self.store.path());
            self.directory = match DirectoryIndex::open(&folder, generation) {
                Some(found) => Some(found),
                None => Some(self.build_directory_index(generation)?),
            };
        }
        self.directory
            .as_ref()
            .ok_or_else(|| Error::DirectoryIndex("no index".to_owned()))
    }

    fn rebuild_directory_index(&mut self) -> Result<()> {
        let generation = dir::generation(&mut self.store)?;
        self.directory = Some(self.build_directory_index(generation)?);
        Ok(())
    }

    fn build_directory_index(&mut self, generation: u64) -> Result<DirectoryIndex> {
        let tables = dir::tables(&mut self.store)?;
        let cards = dir::cards(&tables);
        DirectoryIndex::build(&index::folder_for(self.store.path()), generation, &cards)
    }

    /// The search index in use: the import generation it was built from, and whether it was found as
    /// an earlier run left it rather than rebuilt. `None` before the first search.
    pub fn directory_index_state(&self) -> Option<(u64, bool)> {
        self.directory
            .as_ref()
            .map(|i| (i.generation(), i.reused()))
    }

    // --- People -------------------------------------------------------------------------------

    /// Creates a person with an empty plan.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every broken rule; [`Error::Storage`].
    pub fn create_person(&mut self, input: PersonInput) -> Result<Uuid> {
        check_person(&input, self.this_year()).finish()?;
        let now = self.now();
        let id = new_id(now);
        let plan = PlanDocument {
            schema: DOCUMENT_SCHEMA,
            person: person_from(id, input, now),
            plan: CarePlan::default(),
            consent: None,
        };
        self.store.commit(id, &plan, "person.create", now)?;
        Ok(id)
    }

    /// Changes a person's details.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn update_person(&mut self, id: Uuid, input: PersonInput) -> Result<()> {
        check_person(&input, self.this_year()).finish()?;
        self.change(id, "person.update", |plan, _, _| {
            let p = &plan.person;
            plan.person = Person {
                archived: p.archived,
                created: p.created,
                ..person_from(id, input, p.created)
            };
            Ok(())
        })
    }

    /// Archives a person (the plan is kept, out of the lists) or restores them.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`], [`Error::Storage`].
    pub fn set_archived(&mut self, id: Uuid, archived: bool) -> Result<()> {
        let action = if archived {
            "person.archive"
        } else {
            "person.restore"
        };
        self.change(id, action, |plan, _, _| {
            plan.person.archived = archived;
            Ok(())
        })
    }

    /// A person's whole plan.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`], [`Error::DocumentInvalid`].
    pub fn plan(&mut self, id: Uuid) -> Result<PlanDocument> {
        self.store.plan(id)
    }

    /// The people list.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn people(&self, query: &PeopleQuery) -> Result<Vec<PersonSummary>> {
        self.store.people(query, self.clock.today())
    }

    /// The open actions due this week (up to `days` from today) and those overdue, across everyone.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn actions_due(&self, days: i64) -> Result<Vec<DueAction>> {
        let today = self.clock.today();
        let until = today
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(today);
        self.store.actions_due(today, until)
    }

    /// The follow-up list across everyone: open actions due within `days` or overdue, the plans
    /// whose review falls within `days` or has passed, and the orientations at one step for
    /// `stuck_after_days` days or more.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn follow_up(&self, days: i64, stuck_after_days: u32) -> Result<FollowUp> {
        let today = self.clock.today();
        let until = today
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(today);
        let until_text = until.to_string();
        let mut reviews: Vec<PersonSummary> = self
            .people(&PeopleQuery::default())?
            .into_iter()
            .filter(|p| p.review_date.as_ref().is_some_and(|d| *d <= until_text))
            .collect();
        reviews.sort_by(|a, b| a.review_date.cmp(&b.review_date));
        let stuck_since = today
            .checked_sub(jiff::Span::new().days(i64::from(stuck_after_days)))
            .unwrap_or(today);
        Ok(FollowUp {
            today,
            until,
            actions: self.store.actions_due(today, until)?,
            reviews,
            stuck: self.store.stuck_orientations(stuck_since)?,
            stuck_after_days,
            in_hospital: self.store.in_hospital(today)?,
            discharges: self.store.discharges(today, until)?,
            recommendations: self.store.recommendations_due(until, today)?,
        })
    }

    /// What changed in a plan, newest first.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`].
    pub fn history(&mut self, id: Uuid) -> Result<Vec<HistoryEntry>> {
        let mut entries = document::history(self.store.document(id)?);
        let names = self.store.device_names()?;
        for e in &mut entries {
            e.device_name = names.get(&e.device).cloned();
        }
        Ok(entries)
    }

    /// Everything about one person, as JSON: `{ format: "proxi.person/1", plan, history }`.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`].
    pub fn export(&mut self, id: Uuid) -> Result<serde_json::Value> {
        let plan = self.plan(id)?;
        let history = self.history(id)?;
        self.store.audit(self.now(), AuditAction::Export, id)?;
        Ok(serde_json::json!({ "format": "proxi.person/1", "plan": plan, "history": history }))
    }

    /// Everything about one person as a readable PDF for them, in `lang` or else their language: who
    /// they are, every item of the plan, the consent, every change with what it changed. Recorded in
    /// the audit log as an export.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`]; [`Error::Sheet`] for a language the sheet does not speak.
    pub fn record(&mut self, id: Uuid, lang: Option<&str>) -> Result<Vec<u8>> {
        let plan = self.plan(id)?;
        let history = self.history(id)?;
        let lang = record_language(&plan, lang)?;
        let pdf = crate::sheet::render_record(&plan, &history, lang, self.clock.today())?;
        self.store.audit(self.now(), AuditAction::Export, id)?;
        Ok(pdf)
    }

    /// The person's priority sheet as PDF, dated `date` (default today), in `lang` or else the person's
    /// language. Printing is recorded in the audit log.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`]; [`Error::Sheet`] for a language the sheet does not speak.
    pub fn sheet(&mut self, id: Uuid, lang: Option<&str>, date: Option<Date>) -> Result<Vec<u8>> {
        let plan = self.plan(id)?;
        let lang = sheet_language(&plan, lang)?;
        let services = self.sheet_services(&plan, lang);
        let today = self.clock.today();
        let helpdesk = self.helpdesk()?;
        let pdf = crate::sheet::render_full(
            &plan,
            lang,
            date.unwrap_or(today),
            &services,
            helpdesk.as_ref(),
        )?;
        self.store.audit(self.now(), AuditAction::Print, id)?;
        Ok(pdf)
    }

    /// The words of the person's sheet, to be read aloud (see [`crate::sheet::speech`]), in `lang` or
    /// else the person's language; with the language the sheet is in. Recorded like a print.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`]; [`Error::SheetLanguageMissing`]; [`Error::Sheet`].
    pub fn sheet_script(&mut self, id: Uuid, lang: Option<&str>) -> Result<(String, String)> {
        let plan = self.plan(id)?;
        let lang = sheet_language(&plan, lang)?;
        let services = self.sheet_services(&plan, lang);
        let script = crate::sheet::speech::script(&plan, lang, &services)?;
        self.store.audit(self.now(), AuditAction::Print, id)?;
        Ok((script, lang.to_owned()))
    }

    /// How the sheet names the services a plan's actions point at, in `lang`: "name, phone".
    pub(crate) fn sheet_services(
        &mut self,
        plan: &PlanDocument,
        lang: &str,
    ) -> crate::sheet::Services {
        let mut services = crate::sheet::Services::new();
        for action in &plan.plan.actions {
            if let Who::Service { id } = &action.who
                && let Ok(card) = self.service(id)
            {
                let name = match (lang, &card.name_nl) {
                    ("nl", Some(nl)) => nl.clone(),
                    _ => card.name.clone(),
                };
                let label = match card.phones.first() {
                    Some(phone) => format!("{name}, {phone}"),
                    None => name,
                };
                services.insert(id.clone(), label);
            }
        }
        // Community resources are named like services: "name, phone" (closed ones too: the action
        // was agreed with them).
        let named: Vec<Uuid> = plan
            .plan
            .actions
            .iter()
            .filter_map(|a| match a.who {
                Who::Community { id } => Some(id),
                _ => None,
            })
            .collect();
        if !named.is_empty() {
            for r in self.community().unwrap_or_default() {
                if named.contains(&r.id) {
                    let label = if r.phone.is_empty() {
                        r.name
                    } else {
                        format!("{}, {}", r.name, r.phone)
                    };
                    services.insert(r.id.to_string(), label);
                }
            }
        }
        services
    }

    /// A person's plan, opened to be read by someone: recorded in the audit log.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`], [`Error::Storage`].
    pub fn open_plan(&mut self, id: Uuid) -> Result<PlanDocument> {
        let plan = self.plan(id)?;
        self.store.audit(self.now(), AuditAction::Open, id)?;
        Ok(plan)
    }

    /// Erases a person from this store: their plan, its history, every row derived from it; no trace
    /// stays in the store file or its log. Only the erasure itself is kept in the audit log, by id.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`], [`Error::Storage`].
    pub fn erase_person(&mut self, id: Uuid) -> Result<()> {
        self.erase_person_and(id, |_| Ok(()))
    }

    /// [`Self::erase_person`], with `also` written in the erasure's transaction (the team's marks).
    pub(crate) fn erase_person_and(
        &mut self,
        id: Uuid,
        also: impl FnOnce(&crate::store::Writes<'_>) -> Result<()>,
    ) -> Result<()> {
        // A group is the team's, not a person's: erasing a person never takes one away.
        if crate::document::kind(self.store.document(id)?) != crate::document::Kind::Plan {
            return Err(Error::PersonNotFound(id));
        }
        let now = self.now();
        self.store.erase(id, now, also)
    }

    /// Who opened, printed, exported or erased which plan, newest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn audit_log(&self, person: Option<Uuid>, limit: u32) -> Result<Vec<AuditEntry>> {
        self.store.audit_log(person, limit)
    }

    /// Records what the person agreed to (keeping the plan, sharing it with the team, with named
    /// professionals), signed by this device's author.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn record_consent(&mut self, person: Uuid, input: ConsentInput) -> Result<()> {
        check_consent(&input, self.clock.today()).finish()?;
        let author = self.store.author().to_owned();
        self.change(person, "consent.record", |plan, _, _| {
            plan.consent = Some(Consent {
                recorded_on: input.recorded_on,
                recorded_by: author,
                keep_plan: input.keep_plan,
                share_with_team: input.share_with_team,
                professionals: input
                    .professionals
                    .into_iter()
                    .map(|p| p.trim().to_owned())
                    .collect(),
            });
            Ok(())
        })
    }

    /// Whether the plan may leave this device for the team: only with the person's recorded consent.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`].
    pub fn may_share_with_team(&mut self, person: Uuid) -> Result<bool> {
        Ok(self
            .plan(person)?
            .consent
            .is_some_and(|c| c.keep_plan && c.share_with_team))
    }

    /// The review date of the whole plan.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn set_review_date(&mut self, person: Uuid, date: Option<Date>) -> Result<()> {
        self.change(person, "plan.review", |plan, _, _| {
            plan.plan.review_date = date;
            Ok(())
        })
    }

    // --- Priorities ---------------------------------------------------------------------------

    /// Adds a priority after the others.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn add_priority(&mut self, person: Uuid, input: PriorityInput) -> Result<Uuid> {
        self.change(person, "priority.add", |plan, now, today| {
            check_priority(&input, today).finish()?;
            let id = new_id(now);
            let rank = next_rank(&mut plan.plan.priorities);
            plan.plan.priorities.push(Priority {
                id,
                words: input.words,
                rank,
                card: input.card,
                status: PriorityStatus::Active,
                created: now,
                review_date: input.review_date,
                source: None,
            });
            Ok(id)
        })
    }

    /// Rewords a priority, changes its picture or review date.
    ///
    /// # Errors
    /// As [`Proxi::add_priority`], and [`Error::ItemNotFound`].
    pub fn edit_priority(&mut self, person: Uuid, id: Uuid, input: PriorityInput) -> Result<()> {
        self.change(person, "priority.edit", |plan, _, _| {
            let item = find(&mut plan.plan.priorities, id, "priority")?;
            let created = item.created.to_zoned(crate::clock::brussels()).date();
            check_priority(&input, created).finish()?;
            item.words = input.words;
            item.card = input.card;
            item.review_date = input.review_date;
            Ok(())
        })
    }

    /// Undoes this device's last edit of the plan, as a new change (so an undo is itself undone by the
    /// next undo); returns what the undone change did (`priority.add`, …).
    ///
    /// # Errors
    /// [`Error::NothingToUndo`] when the plan's last change is not this device's own (a colleague's
    /// change came on top) or the plan has only its creation; [`Error::PersonNotFound`],
    /// [`Error::Storage`]. Undoing the archiving of a plan is allowed (it is how it is taken back).
    pub fn undo(&mut self, person: Uuid) -> Result<String> {
        let (before, action) = self
            .store
            .before_last_change(person)?
            .ok_or(Error::NothingToUndo)?;
        self.change(person, "undo", |plan, _, _| {
            *plan = before;
            Ok(())
        })?;
        Ok(action)
    }

    /// Marks a priority achieved or let go (or active again).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn set_priority_status(
        &mut self,
        person: Uuid,
        id: Uuid,
        status: PriorityStatus,
    ) -> Result<()> {
        self.change(person, "priority.status", |plan, _, _| {
            let next = next_rank(&mut plan.plan.priorities);
            let item = find(&mut plan.plan.priorities, id, "priority")?;
            if status == PriorityStatus::Active && item.status != PriorityStatus::Active {
                item.rank = next;
            }
            item.status = status;
            Ok(())
        })
    }

    /// Puts the active priorities in the person's order (`order` names each exactly once).
    ///
    /// # Errors
    /// [`ErrorCode::ReorderMismatch`] if `order` does not name exactly the active priorities.
    pub fn reorder_priorities(&mut self, person: Uuid, order: &[Uuid]) -> Result<()> {
        self.change(person, "priority.reorder", |plan, _, _| {
            reorder(&mut plan.plan.priorities, order)
        })
    }

    // --- Strengths and difficulties -----------------------------------------------------------

    /// Adds a strength or a difficulty.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn add_statement(
        &mut self,
        person: Uuid,
        list: StatementList,
        input: StatementInput,
    ) -> Result<Uuid> {
        check_statement(&input).finish()?;
        let action = format!("{}.add", list.name());
        self.change(person, &action, |plan, now, _| {
            let id = new_id(now);
            let items = list.of(&mut plan.plan);
            let rank = next_rank(items);
            items.push(Statement {
                id,
                words: input.words,
                rank,
                card: input.card,
                closed: false,
                created: now,
            });
            Ok(id)
        })
    }

    /// Rewords a strength or a difficulty.
    ///
    /// # Errors
    /// As [`Proxi::add_statement`], and [`Error::ItemNotFound`].
    pub fn edit_statement(
        &mut self,
        person: Uuid,
        list: StatementList,
        id: Uuid,
        input: StatementInput,
    ) -> Result<()> {
        check_statement(&input).finish()?;
        let action = format!("{}.edit", list.name());
        self.change(person, &action, |plan, _, _| {
            let item = find(list.of(&mut plan.plan), id, list.name())?;
            item.words = input.words;
            item.card = input.card;
            Ok(())
        })
    }

    /// Closes a strength or difficulty that no longer holds (or reopens it).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn close_statement(
        &mut self,
        person: Uuid,
        list: StatementList,
        id: Uuid,
        closed: bool,
    ) -> Result<()> {
        let action = format!("{}.close", list.name());
        self.change(person, &action, |plan, _, _| {
            find(list.of(&mut plan.plan), id, list.name())?.closed = closed;
            Ok(())
        })
    }

    /// Puts the current strengths or difficulties in order.
    ///
    /// # Errors
    /// [`ErrorCode::ReorderMismatch`] if `order` does not name exactly the current items.
    pub fn reorder_statements(
        &mut self,
        person: Uuid,
        list: StatementList,
        order: &[Uuid],
    ) -> Result<()> {
        let action = format!("{}.reorder", list.name());
        self.change(person, &action, |plan, _, _| {
            reorder(list.of(&mut plan.plan), order)
        })
    }

    // --- Agreed actions -----------------------------------------------------------------------

    /// Adds an agreed action: who does what, by when. An action can orient the person to a service of
    /// the directory (`Who::Service`).
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::PersonNotFound`], [`Error::PersonArchived`],
    /// [`Error::ServiceNotFound`] for a service the directory does not hold, [`Error::Storage`].
    pub fn add_action(&mut self, person: Uuid, input: ActionInput) -> Result<Uuid> {
        self.add_action_from(person, input, None)
    }

    /// [`Self::add_action`], remembering where the action came from.
    pub(crate) fn add_action_from(
        &mut self,
        person: Uuid,
        input: ActionInput,
        source: Option<crate::hospital::ItemSource>,
    ) -> Result<Uuid> {
        self.check_service(&input.who)?;
        self.change(person, "action.add", |plan, now, today| {
            check_action(&input, &plan.plan, Some(today)).finish()?;
            let id = new_id(now);
            let orients = matches!(input.who, Who::Service { .. });
            plan.plan.actions.push(AgreedAction {
                id,
                what: input.what,
                who: input.who,
                due: input.due,
                status: ActionStatus::Planned,
                priority_id: input.priority_id,
                outcome: input.outcome,
                created: now,
                // An action that sends the person to a service is an orientation, followed from here.
                orientation: orients.then(|| Orientation {
                    step: OrientationStep::Proposed,
                    since: today,
                    appointment: None,
                    note: String::new(),
                    theme: None,
                }),
                source,
            });
            Ok(id)
        })
    }

    /// Changes an agreed action. A due date already in the past may stay; a new one may not.
    ///
    /// # Errors
    /// As [`Proxi::add_action`], and [`Error::ItemNotFound`].
    pub fn edit_action(&mut self, person: Uuid, id: Uuid, input: ActionInput) -> Result<()> {
        self.check_service(&input.who)?;
        self.change(person, "action.edit", |plan, _, today| {
            let old_due = find(&mut plan.plan.actions, id, "action")?.due;
            let floor = if input.due == old_due {
                None
            } else {
                Some(today)
            };
            check_action(&input, &plan.plan, floor).finish()?;
            let item = find(&mut plan.plan.actions, id, "action")?;
            item.what = input.what;
            item.who = input.who;
            item.due = input.due;
            item.priority_id = input.priority_id;
            item.outcome = input.outcome;
            Ok(())
        })
    }

    /// Moves an action along: doing, done, dropped; with how it went.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::Invalid`] for an overlong outcome, [`Error::Storage`].
    pub fn set_action_status(
        &mut self,
        person: Uuid,
        id: Uuid,
        status: ActionStatus,
        outcome: Option<String>,
    ) -> Result<()> {
        self.change(person, "action.status", |plan, _, _| {
            let item = find(&mut plan.plan.actions, id, "action")?;
            if let Some(outcome) = outcome {
                if outcome.chars().count() > crate::domain::NOTES_MAX {
                    return Err(Error::Invalid(vec![Violation::new(
                        ErrorCode::TextTooLong,
                        "outcome",
                    )]));
                }
                item.outcome = outcome;
            }
            item.status = status;
            Ok(())
        })
    }

    /// Records where an orientation stands (proposed, contacted, appointment with its date, seen, or
    /// refused, no place, no service found), with a note; any action can become one. The action
    /// follows: in progress while contacted or waiting for the appointment, done once seen, dropped
    /// when it could not happen (the note becomes its outcome if it has none). "No service found"
    /// keeps the need (its theme) as an unmet need of the person's place.
    ///
    /// # Errors
    /// [`Error::Invalid`] (an appointment without its date), [`Error::ItemNotFound`],
    /// [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn set_orientation(
        &mut self,
        person: Uuid,
        id: Uuid,
        input: OrientationInput,
    ) -> Result<()> {
        check_orientation(&input).finish()?;
        self.change(person, "action.orientation", |plan, _, today| {
            let item = find(&mut plan.plan.actions, id, "action")?;
            let theme = input
                .theme
                .clone()
                .or_else(|| item.orientation.as_ref().and_then(|o| o.theme.clone()));
            let since = match &item.orientation {
                Some(o) if o.step == input.step => o.since,
                _ => today,
            };
            item.orientation = Some(Orientation {
                step: input.step,
                since,
                appointment: input.appointment,
                note: input.note.clone(),
                theme,
            });
            item.status = match input.step {
                OrientationStep::Proposed => item.status,
                OrientationStep::Contacted | OrientationStep::Appointment => ActionStatus::Doing,
                OrientationStep::Seen => ActionStatus::Done,
                _ => ActionStatus::Dropped,
            };
            if input.step.is_final() && item.outcome.is_empty() {
                item.outcome = input.note.clone();
            }
            Ok(())
        })
    }

    // --- Network ------------------------------------------------------------------------------

    /// Adds someone to the person's network.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn add_member(&mut self, person: Uuid, input: MemberInput) -> Result<Uuid> {
        check_member(&input).finish()?;
        self.change(person, "network.add", |plan, now, _| {
            let id = new_id(now);
            plan.plan.network.push(NetworkMember {
                id,
                role: input.role,
                name: input.name,
                organisation: input.organisation,
                phone: input.phone,
                email: input.email,
                closed: false,
                source: None,
            });
            Ok(id)
        })
    }

    /// Changes a network member's details.
    ///
    /// # Errors
    /// As [`Proxi::add_member`], and [`Error::ItemNotFound`].
    pub fn edit_member(&mut self, person: Uuid, id: Uuid, input: MemberInput) -> Result<()> {
        check_member(&input).finish()?;
        self.change(person, "network.edit", |plan, _, _| {
            let item = find(&mut plan.plan.network, id, "network member")?;
            item.role = input.role;
            item.name = input.name;
            item.organisation = input.organisation;
            item.phone = input.phone;
            item.email = input.email;
            Ok(())
        })
    }

    /// Marks someone as no longer part of the network (or back in it).
    ///
    /// # Errors
    /// [`Error::ItemNotFound`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn close_member(&mut self, person: Uuid, id: Uuid, closed: bool) -> Result<()> {
        self.change(person, "network.close", |plan, _, _| {
            find(&mut plan.plan.network, id, "network member")?.closed = closed;
            Ok(())
        })
    }

    // --- Visits -------------------------------------------------------------------------------

    /// Records a visit.
    ///
    /// # Errors
    /// [`Error::Invalid`], [`Error::PersonNotFound`], [`Error::PersonArchived`], [`Error::Storage`].
    pub fn add_visit(&mut self, person: Uuid, input: VisitInput) -> Result<Uuid> {
        check_visit(&input).finish()?;
        self.change(person, "visit.add", |plan, now, _| {
            let id = new_id(now);
            plan.plan.visits.push(Visit {
                id,
                date: input.date,
                place: input.place,
                notes: input.notes,
                next_visit: input.next_visit,
            });
            Ok(id)
        })
    }

    /// Changes a visit's record.
    ///
    /// # Errors
    /// As [`Proxi::add_visit`], and [`Error::ItemNotFound`].
    pub fn edit_visit(&mut self, person: Uuid, id: Uuid, input: VisitInput) -> Result<()> {
        check_visit(&input).finish()?;
        self.change(person, "visit.edit", |plan, _, _| {
            let item = find(&mut plan.plan.visits, id, "visit")?;
            item.date = input.date;
            item.place = input.place;
            item.notes = input.notes;
            item.next_visit = input.next_visit;
            Ok(())
        })
    }
}

/// The sheet's language: the one asked for, else the first of the person's languages that the sheet
/// speaks; none of them: [`Error::SheetLanguageMissing`], for the window to ask (never a silent French).
fn sheet_language<'a>(plan: &PlanDocument, lang: Option<&'a str>) -> Result<&'a str> {
    match lang {
        Some(lang) => Ok(lang),
        None => crate::sheet::language_for(plan)
            .ok_or_else(|| Error::SheetLanguageMissing(plan.person.languages.join(", "))),
    }
}

/// The record's language: the one asked for, else the first of the person's languages it is written
/// in (French, Dutch, English); none: [`Error::SheetLanguageMissing`].
fn record_language<'a>(plan: &PlanDocument, lang: Option<&'a str>) -> Result<&'a str> {
    match lang {
        Some(lang) => Ok(lang),
        None => crate::sheet::record_language_for(plan)
            .ok_or_else(|| Error::SheetLanguageMissing(plan.person.languages.join(", "))),
    }
}

fn person_from(id: Uuid, input: PersonInput, created: Timestamp) -> Person {
    Person {
        id,
        display_name: input.display_name.trim().to_owned(),
        first_name: input.first_name.trim().to_owned(),
        last_name: input.last_name.trim().to_owned(),
        birth_year: input.birth_year,
        languages: input.languages,
        interpreter_needed: input.interpreter_needed,
        address: input.address,
        phone: input.phone.trim().to_owned(),
        notes: input.notes,
        niss: input
            .niss
            .as_deref()
            .and_then(crate::domain::normalize_niss),
        archived: false,
        created,
    }
}
