//! The directory's tables: each record of an import as JSON by (table, id) (`directory_record`),
//! which records point at which (`directory_link`, from the `*_id` fields), and the import's
//! generation (`directory_state`). What a record means is the directory's business.

use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::Store;
use crate::directory::ImportReport;
use crate::directory::hsds::RecordSet;
use crate::error::{Error, Result};

impl Store {
    /// The import generation of the store's directory (0 before any import).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub(crate) fn directory_generation(&self) -> Result<u64> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM directory_state WHERE key = 'generation'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// Writes the records of an import in one transaction: a record already there (same table and
    /// id) is replaced by the imported one, never duplicated. Checks the references first; on any
    /// error nothing is written.
    ///
    /// # Errors
    /// [`Error::DirectoryFile`] for a broken reference, [`Error::Storage`].
    pub(crate) fn import_directory(&mut self, set: &RecordSet) -> Result<ImportReport> {
        let tx = self.conn.transaction()?;
        let dangling = {
            // A read error counts as unknown: the import is then refused, never half-written.
            let known = |kind: &str, id: &str| {
                tx.prepare_cached("SELECT 1 FROM directory_record WHERE kind = ?1 AND id = ?2")
                    .and_then(|mut stmt| stmt.exists(params![kind, id]))
                    .unwrap_or(false)
            };
            set.check_references(&known)?;
            set.dangling(&known)
        };
        let (mut added, mut updated) = (0u32, 0u32);
        {
            let mut exists =
                tx.prepare_cached("SELECT 1 FROM directory_record WHERE kind = ?1 AND id = ?2")?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO directory_record (kind, id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
            )?;
            let mut unlink =
                tx.prepare_cached("DELETE FROM directory_link WHERE kind = ?1 AND id = ?2")?;
            let mut link = tx.prepare_cached(
                "INSERT OR IGNORE INTO directory_link (target, kind, id) VALUES (?1, ?2, ?3)",
            )?;
            for (kind, id, fields) in set.iter() {
                if exists.exists(params![kind, id])? {
                    updated += 1;
                    unlink.execute(params![kind, id])?;
                } else {
                    added += 1;
                }
                let body =
                    serde_json::to_string(fields).map_err(|e| Error::Storage(e.to_string()))?;
                upsert.execute(params![kind, id, body])?;
                for (field, value) in fields {
                    if let (true, Value::String(target)) = (field.ends_with("_id"), value) {
                        link.execute(params![target, kind, id])?;
                    }
                }
            }
        }
        tx.execute(
            "UPDATE directory_state SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
             WHERE key = 'generation'",
            [],
        )?;
        let services: i64 = tx.query_row(
            "SELECT count(*) FROM directory_record WHERE kind = 'service'",
            [],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(ImportReport {
            records: u32::try_from(set.len()).unwrap_or(u32::MAX),
            added,
            updated,
            services: u32::try_from(services).unwrap_or(u32::MAX),
            dangling,
            missing: set.missing(),
            guessed: set.guessed(),
        })
    }

    /// One record's JSON, if it is there.
    pub(crate) fn directory_record(&self, kind: &str, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT body FROM directory_record WHERE kind = ?1 AND id = ?2")?
            .query_row(params![kind, id], |r| r.get(0))
            .optional()?)
    }

    /// The (table, id) of the records that point at `target`.
    pub(crate) fn directory_links(&self, target: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, id FROM directory_link WHERE target = ?1")?;
        let rows = stmt.query_map([target], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every record: (table, id, JSON).
    pub(crate) fn directory_records(&self) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, id, body FROM directory_record")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
