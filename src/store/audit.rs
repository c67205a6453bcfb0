//! The audit log: who opened, printed, exported or erased whose plan, and when.

use jiff::Timestamp;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::Store;
use crate::error::{Error, Result};

/// What the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AuditAction {
    Open,
    Print,
    Export,
    Erase,
    /// The plan sent to a hospital professional (FHIR), with the person's consent.
    Share,
    /// A FHIR export refused: the person did not agree to share with that professional.
    ShareRefused,
    /// The plan handed over to another referent.
    Handover,
    /// A hospital's file read into the plan as proposals.
    Import,
}

impl AuditAction {
    fn as_str(self) -> &'static str {
        match self {
            AuditAction::Open => "open",
            AuditAction::Print => "print",
            AuditAction::Export => "export",
            AuditAction::Erase => "erase",
            AuditAction::Share => "share",
            AuditAction::ShareRefused => "share-refused",
            AuditAction::Handover => "handover",
            AuditAction::Import => "import",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            AuditAction::Open,
            AuditAction::Print,
            AuditAction::Export,
            AuditAction::Erase,
            AuditAction::Share,
            AuditAction::ShareRefused,
            AuditAction::Handover,
            AuditAction::Import,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "string")]
    pub at: Timestamp,
    pub author: String,
    pub action: AuditAction,
    pub person_id: Uuid,
    /// The person's name, while they are in the store.
    pub display_name: Option<String>,
    /// To or from whom the plan went (a professional, a colleague), for shares and handovers.
    pub party: Option<String>,
}

impl Store {
    /// Records that the plan of `person` was opened, printed, exported or erased.
    pub(crate) fn audit(&self, at: Timestamp, action: AuditAction, person: Uuid) -> Result<()> {
        self.audit_with(at, action, person, None)
    }

    /// [`Self::audit`], naming to or from whom the plan went.
    pub(crate) fn audit_with(
        &self,
        at: Timestamp,
        action: AuditAction,
        person: Uuid,
        party: Option<&str>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO audit_log (at, author, action, person_id, party)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                at.as_millisecond(),
                self.author,
                action.as_str(),
                person,
                party
            ])?;
        Ok(())
    }

    /// The audit log, newest first, for one person or everyone; names of people since erased are gone.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn audit_log(&self, person: Option<Uuid>, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.at, l.author, l.action, l.person_id, p.display_name, l.party
             FROM audit_log l LEFT JOIN person_row p ON p.id = l.person_id
             WHERE ?1 IS NULL OR l.person_id = ?1
             ORDER BY l.seq DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![person, limit], |r| {
            let at: i64 = r.get(0)?;
            let action: String = r.get(2)?;
            Ok((at, r.get(1)?, action, r.get(3)?, r.get(4)?, r.get(5)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, author, action, person_id, display_name, party) = row?;
            let action = AuditAction::parse(&action)
                .ok_or_else(|| Error::StoreCorrupt(format!("audit action '{action}'")))?;
            let at =
                Timestamp::from_millisecond(at).map_err(|e| Error::StoreCorrupt(e.to_string()))?;
            out.push(AuditEntry {
                at,
                author,
                action,
                person_id,
                display_name,
                party,
            });
        }
        Ok(out)
    }
}
