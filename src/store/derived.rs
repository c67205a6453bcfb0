//! The derived tables: rows read off the plans (people, open actions, unmet needs) for lists and
//! searches that must not open every document. Written with each change; rebuilt from the documents.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::Store;
use crate::community::CommunityResource;
use crate::document;
use crate::domain::PlanDocument;
use crate::error::{Error, Result};
use crate::group::{Group, GroupSummary, RecommendationDue, RecommendationStatus};
use crate::hospital::StaySummary;
use crate::territory::{self, Bassin};
use crate::text::fold;

/// Version of the derived tables' content. When the code derives rows differently, bump it: stores
/// rebuild their derived tables from the documents at the next open.
pub(super) const DERIVED_VERSION: &str = "8";

/// An open action, with the person it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DueAction {
    pub person_id: Uuid,
    pub display_name: String,
    pub action_id: Uuid,
    pub what: String,
    #[ts(type = "string")]
    pub due: Date,
    pub overdue: bool,
}

/// An orientation that has not moved for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StuckOrientation {
    pub person_id: Uuid,
    pub display_name: String,
    pub action_id: Uuid,
    pub what: String,
    pub step: crate::domain::OrientationStep,
    /// The day it reached that step.
    #[ts(type = "string")]
    pub since: Date,
}

/// A need for which no service was found: what, and where the person lives (no one named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnmetNeed {
    /// A directory theme code, when the referent chose one.
    pub theme: Option<String>,
    pub postal_code: String,
    pub commune: String,
    pub bassin: Option<Bassin>,
    pub since: String,
}

/// A row of the people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PersonSummary {
    pub id: Uuid,
    pub display_name: String,
    pub full_name: String,
    pub postal_code: String,
    pub commune: String,
    pub archived: bool,
    pub review_date: Option<String>,
    pub active_priorities: u32,
    pub open_actions: u32,
    /// Open actions whose date has passed.
    pub overdue_actions: u32,
    /// The bassin as the referent confirmed it, else as the postal code proposes it (Brussels codes).
    pub bassin: Option<Bassin>,
}

/// Which people to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct PeopleQuery {
    /// Words of the name, in any case, with or without accents.
    pub text: String,
    pub include_archived: bool,
    /// Only the people whose postal code lies in this bassin.
    pub bassin: Option<Bassin>,
    /// Only the people whose plan is due for review (today or before).
    pub review_due: bool,
    /// Only the people with an open action past its date.
    pub overdue: bool,
}

impl Store {
    /// The people whose plan is to be erased by `today`: their consent says the plan is not to be kept,
    /// and the grace days have passed.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn erase_due(&self, today: Date) -> Result<Vec<Uuid>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM person_row WHERE erase_on IS NOT NULL AND erase_on <= ?1 ORDER BY id",
        )?;
        let ids = stmt
            .query_map([today.to_string()], |r| r.get::<_, Uuid>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// Rebuilds every derived table from the documents, in one transaction.
    ///
    /// # Errors
    /// [`Error::Storage`], or [`Error::DocumentInvalid`] if a document cannot be read.
    pub fn rebuild_derived(&mut self) -> Result<()> {
        let ids = self.document_ids()?;
        let mut plans = Vec::with_capacity(ids.len());
        let mut groups = Vec::new();
        let mut community = Vec::new();
        for id in ids {
            let mut doc = self.load(id)?;
            let updated = doc
                .get_changes(&[])
                .iter()
                .map(|c| c.timestamp())
                .max()
                .and_then(|s| Timestamp::from_second(s).ok())
                .unwrap_or(Timestamp::UNIX_EPOCH);
            match document::kind(&doc) {
                document::Kind::Plan => plans.push((document::read(&doc)?, updated)),
                document::Kind::Group => groups.push((document::read_group(&doc)?.group, updated)),
                document::Kind::Community => {
                    community.push((document::read_community(&doc)?.resource, updated));
                }
                document::Kind::Other => {}
            }
        }
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM action_row; DELETE FROM person_row; DELETE FROM unmet_need; DELETE FROM stay_row;
             DELETE FROM group_row; DELETE FROM recommendation_row; DELETE FROM community_row;",
        )?;
        for (plan, updated) in &plans {
            write_derived(&tx, plan, *updated)?;
        }
        for (group, updated) in &groups {
            write_group_derived(&tx, group, *updated)?;
        }
        for (resource, updated) in &community {
            write_community_derived(&tx, resource, *updated)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('derived_version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [DERIVED_VERSION],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The people list, sorted by name.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn people(&self, query: &PeopleQuery, today: Date) -> Result<Vec<PersonSummary>> {
        let escape = |w: &str| {
            format!(
                "%{}%",
                w.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        };
        let mut values: Vec<Box<dyn rusqlite::ToSql>> = vec![
            Box::new(query.include_archived),
            Box::new(today.to_string()),
        ];
        let mut sql = String::from(
            "SELECT id, display_name, full_name, postal_code, commune, archived, review_date,
                    active_priorities, open_actions,
                    (SELECT count(*) FROM action_row a
                     WHERE a.person_id = p.id AND a.due IS NOT NULL AND a.due < ?2) AS overdue,
                    bassin
             FROM person_row p WHERE (archived = 0 OR ?1)",
        );
        for word in fold(&query.text).split(' ').filter(|w| !w.is_empty()) {
            values.push(Box::new(escape(word)));
            sql.push_str(&format!(
                " AND search_key LIKE ?{} ESCAPE '\\'",
                values.len()
            ));
        }
        if let Some(bassin) = query.bassin {
            values.push(Box::new(bassin.code()));
            sql.push_str(&format!(" AND bassin = ?{}", values.len()));
        }
        if query.review_due {
            sql.push_str(" AND review_date IS NOT NULL AND review_date <= ?2");
        }
        if query.overdue {
            sql.push_str(" AND overdue > 0");
        }
        sql.push_str(" ORDER BY search_key, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn rusqlite::ToSql> = values.iter().map(AsRef::as_ref).collect();
        let rows = stmt.query_map(params.as_slice(), |r| {
            let bassin: Option<String> = r.get(10)?;
            Ok(PersonSummary {
                id: r.get(0)?,
                display_name: r.get(1)?,
                full_name: r.get(2)?,
                bassin: bassin.as_deref().and_then(Bassin::from_code),
                postal_code: r.get(3)?,
                commune: r.get(4)?,
                archived: r.get(5)?,
                review_date: r.get(6)?,
                active_priorities: r.get(7)?,
                open_actions: r.get(8)?,
                overdue_actions: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Orientations that have not moved since `before` (proposed, contacted or waiting for an
    /// appointment), across every person not archived, the longest stuck first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn stuck_orientations(&self, before: Date) -> Result<Vec<StuckOrientation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.person_id, p.display_name, a.id, a.what, a.orientation_step, a.orientation_since
             FROM action_row a JOIN person_row p ON p.id = a.person_id
             WHERE p.archived = 0 AND a.orientation_step IN ('proposed', 'contacted', 'appointment')
               AND a.orientation_since <= ?1
             ORDER BY a.orientation_since, p.search_key, a.id",
        )?;
        let rows = stmt.query_map([before.to_string()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, display_name, action_id, what, step, since) = row?;
            out.push(StuckOrientation {
                person_id,
                display_name,
                action_id,
                what,
                step: serde_json::from_value(serde_json::Value::String(step.clone()))
                    .map_err(|_| Error::StoreCorrupt(format!("orientation step '{step}'")))?,
                since: since
                    .parse()
                    .map_err(|_| Error::StoreCorrupt(format!("orientation date '{since}'")))?,
            });
        }
        Ok(out)
    }

    /// The people in hospital on `today` (admitted by then, not discharged, their discharge not
    /// passed), across every person not archived, the longest there first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn in_hospital(&self, today: Date) -> Result<Vec<StaySummary>> {
        self.stays(
            "s.admitted <= ?1 AND s.discharged = 0 AND (s.discharge_on IS NULL OR s.discharge_on >= ?1)
             ORDER BY s.admitted",
            &[today],
        )
    }

    /// The discharges planned from `today` to `until`, and those of the last week whose return home
    /// still has checklist items to prepare, soonest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn discharges(&self, today: Date, until: Date) -> Result<Vec<StaySummary>> {
        let week_ago = today
            .checked_sub(jiff::Span::new().days(7))
            .unwrap_or(today);
        self.stays(
            "s.discharge_on IS NOT NULL AND s.discharge_on <= ?2
             AND (s.discharge_on >= ?3 OR (s.discharge_on >= ?1 AND s.checklist_open > 0))
             ORDER BY s.discharge_on",
            &[week_ago, until, today],
        )
    }

    /// The stays whose row passes `filter` (an SQL condition and its order, on `s`, with `dates` as
    /// ?1, ?2…).
    fn stays(&self, filter: &str, dates: &[Date]) -> Result<Vec<StaySummary>> {
        let sql = format!(
            "SELECT s.person_id, p.display_name, s.id, s.hospital, s.admitted, s.discharge_on,
                    s.checklist_open
             FROM stay_row s JOIN person_row p ON p.id = s.person_id
             WHERE p.archived = 0 AND {filter}, p.search_key, s.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let bad = |what: &str| Error::StoreCorrupt(format!("stay date '{what}'"));
        let rows = stmt.query_map(
            rusqlite::params_from_iter(dates.iter().map(Date::to_string)),
            |r| {
                Ok((
                    r.get::<_, Uuid>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Uuid>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, u32>(6)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, display_name, stay_id, hospital, admitted, discharge_on, open) = row?;
            out.push(StaySummary {
                person_id,
                display_name,
                stay_id,
                hospital,
                admitted: admitted.parse().map_err(|_| bad(&admitted))?,
                discharge_on: discharge_on
                    .map(|d| d.parse().map_err(|_| bad(&d)))
                    .transpose()?,
                checklist_open: open,
            });
        }
        Ok(out)
    }

    /// The needs for which no service was found, with the place of the person (for the bassin's
    /// needs watch), newest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn unmet_needs(&self) -> Result<Vec<UnmetNeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT theme, postal_code, commune, since FROM unmet_need ORDER BY since DESC, action_id",
        )?;
        let rows = stmt.query_map([], |r| {
            let postal_code: String = r.get(1)?;
            Ok(UnmetNeed {
                theme: r.get(0)?,
                bassin: territory::lookup(&postal_code).map(|a| a.bassin),
                postal_code,
                commune: r.get(2)?,
                since: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The open actions due on or before `until`, across every person not archived, oldest first;
    /// those due before `today` are overdue.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn actions_due(&self, today: Date, until: Date) -> Result<Vec<DueAction>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.person_id, p.display_name, a.id, a.what, a.due
             FROM action_row a JOIN person_row p ON p.id = a.person_id
             WHERE p.archived = 0 AND a.due IS NOT NULL AND a.due <= ?1
             ORDER BY a.due, p.search_key, a.id",
        )?;
        let rows = stmt.query_map([until.to_string()], |r| {
            let due: String = r.get(4)?;
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, due))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, display_name, action_id, what, due) = row?;
            let due: Date = due
                .parse()
                .map_err(|_| Error::StoreCorrupt(format!("due date '{due}'")))?;
            out.push(DueAction {
                person_id,
                display_name,
                action_id,
                what,
                due,
                overdue: due < today,
            });
        }
        Ok(out)
    }
}

/// Writes the derived row of one community resource.
pub(super) fn write_community_derived(
    tx: &Transaction<'_>,
    r: &CommunityResource,
    updated: Timestamp,
) -> Result<()> {
    tx.execute(
        "INSERT INTO community_row (id, name, kind, quartier, bassin, public, closed, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
           quartier = excluded.quartier, bassin = excluded.bassin, public = excluded.public,
           closed = excluded.closed, updated_at = excluded.updated_at",
        params![
            r.id,
            r.name,
            r.kind.code(),
            r.quartier,
            r.bassin.map(Bassin::code),
            r.public,
            r.closed,
            updated.as_millisecond()
        ],
    )?;
    Ok(())
}

impl Store {
    /// The team's community resources, open ones first, by bassin, quartier and name.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn community_ids(&self) -> Result<Vec<Uuid>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM community_row ORDER BY closed, bassin, quartier, lower(name), id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Writes the derived rows of one Diapason group.
pub(super) fn write_group_derived(
    tx: &Transaction<'_>,
    g: &Group,
    updated: Timestamp,
) -> Result<()> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    tx.execute(
        "INSERT INTO group_row (id, name, bassin, closed, members, meetings, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, bassin = excluded.bassin,
           closed = excluded.closed, members = excluded.members, meetings = excluded.meetings,
           updated_at = excluded.updated_at",
        params![
            g.id,
            g.name,
            g.bassin.map(Bassin::code),
            g.closed,
            count(g.members.iter().filter(|m| !m.left).count()),
            count(g.meetings.len()),
            updated.as_millisecond()
        ],
    )?;
    tx.execute("DELETE FROM recommendation_row WHERE group_id = ?1", [g.id])?;
    for r in &g.recommendations {
        tx.execute(
            "INSERT INTO recommendation_row (id, group_id, text, owner, status, next_due)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                r.id,
                g.id,
                r.text,
                r.owner,
                r.status.code(),
                r.next_follow_up().map(|f| f.due.to_string())
            ],
        )?;
    }
    Ok(())
}

impl Store {
    /// Every Diapason group, by name.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn group_summaries(&self) -> Result<Vec<GroupSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT g.id, g.name, g.bassin, g.closed, g.members, g.meetings,
                    (SELECT count(*) FROM recommendation_row r
                     WHERE r.group_id = g.id AND r.status NOT IN ('done', 'dropped'))
             FROM group_row g ORDER BY g.closed, lower(g.name), g.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let bassin: Option<String> = r.get(2)?;
            Ok(GroupSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                bassin: bassin.as_deref().and_then(Bassin::from_code),
                closed: r.get(3)?,
                members: r.get(4)?,
                meetings: r.get(5)?,
                open_recommendations: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The recommendations whose next follow-up falls on or before `horizon`, earliest first; overdue
    /// when before `today`.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn recommendations_due(
        &self,
        horizon: Date,
        today: Date,
    ) -> Result<Vec<RecommendationDue>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.group_id, g.name, r.id, r.text, r.owner, r.status, r.next_due
             FROM recommendation_row r JOIN group_row g ON g.id = r.group_id
             WHERE r.next_due IS NOT NULL AND r.next_due <= ?1
             ORDER BY r.next_due, lower(g.name), r.id",
        )?;
        let rows = stmt.query_map([horizon.to_string()], |r| {
            let status: String = r.get(5)?;
            let due: String = r.get(6)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                status,
                due,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (group_id, group_name, recommendation_id, text, owner, status, due) = row?;
            let due: Date = due
                .parse()
                .map_err(|e| Error::Storage(format!("recommendation_row.next_due: {e}")))?;
            out.push(RecommendationDue {
                group_id,
                group_name,
                recommendation_id,
                text,
                owner,
                status: RecommendationStatus::from_code(&status).ok_or_else(|| {
                    Error::Storage(format!("recommendation_row.status: {status}"))
                })?,
                due,
                overdue: due < today,
            });
        }
        Ok(out)
    }
}

pub(super) fn write_derived(
    tx: &Transaction<'_>,
    plan: &PlanDocument,
    updated: Timestamp,
) -> Result<()> {
    let p = &plan.person;
    let full_name = format!("{} {}", p.first_name.trim(), p.last_name.trim())
        .trim()
        .to_owned();
    let search_key = fold(&format!(
        "{} {} {}",
        p.display_name, p.first_name, p.last_name
    ));
    let active = plan
        .plan
        .priorities
        .iter()
        .filter(|x| x.status == crate::domain::PriorityStatus::Active)
        .count() as i64;
    let open = plan
        .plan
        .actions
        .iter()
        .filter(|a| a.status.is_open())
        .count() as i64;
    let erase_on = crate::domain::erase_on(plan).map(|d| d.to_string());
    let bassin = p
        .address
        .bassin
        .or_else(|| territory::lookup(&p.address.postal_code).map(|a| a.bassin))
        .map(Bassin::code);
    tx.execute(
        "INSERT INTO person_row (id, display_name, full_name, search_key, postal_code, commune, archived,
                                 review_date, active_priorities, open_actions, updated_at, erase_on, bassin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET
            display_name = excluded.display_name, full_name = excluded.full_name,
            search_key = excluded.search_key, postal_code = excluded.postal_code,
            commune = excluded.commune, archived = excluded.archived,
            review_date = excluded.review_date, active_priorities = excluded.active_priorities,
            open_actions = excluded.open_actions, updated_at = excluded.updated_at,
            erase_on = excluded.erase_on, bassin = excluded.bassin",
        params![
            p.id,
            p.display_name,
            full_name,
            search_key,
            p.address.postal_code,
            p.address.commune,
            p.archived,
            plan.plan.review_date.map(|d| d.to_string()),
            active,
            open,
            updated.as_millisecond(),
            erase_on,
            bassin,
        ],
    )?;
    tx.execute("DELETE FROM action_row WHERE person_id = ?1", [p.id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO action_row (id, person_id, what, due, status, orientation_step, orientation_since)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for a in plan.plan.actions.iter().filter(|a| a.status.is_open()) {
        insert.execute(params![
            a.id,
            p.id,
            a.what,
            a.due.map(|d| d.to_string()),
            a.status.as_str(),
            a.orientation.as_ref().map(|o| o.step.as_str()),
            a.orientation.as_ref().map(|o| o.since.to_string()),
        ])?;
    }
    tx.execute("DELETE FROM stay_row WHERE person_id = ?1", [p.id])?;
    let mut stay_row = tx.prepare_cached(
        "INSERT INTO stay_row (id, person_id, hospital, admitted, discharge_on, discharged, checklist_open)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for stay in &plan.plan.stays {
        stay_row.execute(params![
            stay.id,
            p.id,
            stay.hospital,
            stay.admitted.to_string(),
            stay.discharge_on.map(|d| d.to_string()),
            stay.discharged,
            crate::hospital::checklist_open(stay, &plan.plan.actions).len() as i64,
        ])?;
    }
    tx.execute("DELETE FROM unmet_need WHERE person_id = ?1", [p.id])?;
    let mut need = tx.prepare_cached(
        "INSERT INTO unmet_need (action_id, person_id, theme, postal_code, commune, since)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (a, o) in plan
        .plan
        .actions
        .iter()
        .filter_map(|a| Some((a, a.orientation.as_ref()?)))
        .filter(|(_, o)| o.step == crate::domain::OrientationStep::NoServiceFound)
    {
        need.execute(params![
            a.id,
            p.id,
            o.theme,
            p.address.postal_code,
            p.address.commune,
            o.since.to_string()
        ])?;
    }
    Ok(())
}
