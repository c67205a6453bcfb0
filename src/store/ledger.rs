//! The sync ledger's tables, by name: what changed since it was sealed (`sync_dirty`), what was sealed
//! and not yet acknowledged (`sync_outbox`), how far this device's own changes were sealed
//! (`sync_sent`), how far each colleague's blobs were applied (`sync_cursor`), where the team's log
//! was read to (`sync_relay`), changes waiting for a dependency (`sync_pending`), plans the team erased
//! (`sync_erased`, `sync_erase_pending`), and the last sync's outcome (`sync_status`).
//!
//! Reads and single writes are methods of [`Store`]; writes that must land together with others are
//! methods of [`Writes`], one transaction.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::{Store, Writes};
use crate::error::Result;

fn position(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The outcome of the last sync, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncRecord {
    /// Milliseconds since the epoch.
    pub last_try: Option<i64>,
    pub last_ok: Option<i64>,
    /// The problem of the last try, as JSON.
    pub problem: Option<String>,
}

/// A sealed blob waiting for the relay's acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedBlob {
    pub document: Uuid,
    pub sequence: u64,
    pub blob: Vec<u8>,
}

impl Store {
    /// The ids a query of one column gives.
    fn ids(&self, sql: &str) -> Result<Vec<Uuid>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        Ok(stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The documents changed here since their last blob was sealed.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub(crate) fn dirty_documents(&self) -> Result<Vec<Uuid>> {
        self.ids("SELECT doc_id FROM sync_dirty")
    }

    /// The sequence of this device's last blob of `document`, and the heads it covered (32 bytes
    /// each); (0, empty) before the first.
    pub(crate) fn last_sent(&self, document: Uuid) -> Result<(u64, Vec<u8>)> {
        let sent: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT seq, heads FROM sync_sent WHERE doc_id = ?1",
                [document],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(sent.map_or((0, Vec::new()), |(s, h)| (count(s), h)))
    }

    /// `document` has nothing left to seal (it was erased meanwhile).
    pub(crate) fn forget_dirty(&self, document: Uuid) -> Result<()> {
        self.conn
            .execute("DELETE FROM sync_dirty WHERE doc_id = ?1", [document])?;
        Ok(())
    }

    /// Every blob the relay has not acknowledged, in the order they were sealed.
    pub(crate) fn outbox(&self) -> Result<Vec<QueuedBlob>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT doc_id, seq, blob FROM sync_outbox ORDER BY rowid")?;
        let rows = stmt.query_map([], |r| {
            Ok(QueuedBlob {
                document: r.get(0)?,
                sequence: count(r.get(1)?),
                blob: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The documents with a blob in the outbox.
    pub(crate) fn outbox_documents(&self) -> Result<Vec<Uuid>> {
        self.ids("SELECT DISTINCT doc_id FROM sync_outbox")
    }

    /// The relay holds this blob: it leaves the outbox.
    pub(crate) fn acknowledge(&self, document: Uuid, sequence: u64) -> Result<()> {
        self.conn.execute(
            "DELETE FROM sync_outbox WHERE doc_id = ?1 AND seq = ?2",
            params![document, position(sequence)],
        )?;
        Ok(())
    }

    /// The position in `team`'s log up to which this device has read (0 before the first pull).
    pub(crate) fn relay_cursor(&self, team: Uuid) -> Result<u64> {
        let cursor: Option<i64> = self
            .conn
            .query_row(
                "SELECT cursor FROM sync_relay WHERE team = ?1",
                [team],
                |r| r.get(0),
            )
            .optional()?;
        Ok(cursor.map_or(0, count))
    }

    pub(crate) fn set_relay_cursor(&self, team: Uuid, cursor: u64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_relay (team, cursor) VALUES (?1, ?2)
             ON CONFLICT (team) DO UPDATE SET cursor = excluded.cursor",
            params![team, position(cursor)],
        )?;
        Ok(())
    }

    /// The sequence of `device`'s last blob of `document` applied here (0 before the first).
    pub(crate) fn device_cursor(&self, document: Uuid, device: Uuid) -> Result<u64> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq FROM sync_cursor WHERE doc_id = ?1 AND device = ?2",
                params![document, device],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map_or(0, count))
    }

    /// How far each colleague's blobs of `document` are applied here.
    pub(crate) fn device_cursors(&self, document: Uuid) -> Result<Vec<(Uuid, u64)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT device, seq FROM sync_cursor WHERE doc_id = ?1")?;
        let rows = stmt.query_map([document], |r| Ok((r.get(0)?, count(r.get(1)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether any colleague's blob was ever applied here.
    pub(crate) fn has_device_cursors(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM sync_cursor)", [], |r| {
                r.get(0)
            })?)
    }

    /// Received changes of `document` still waiting for a change they depend on, in arrival order.
    pub(crate) fn waiting_changes(&self, document: Uuid) -> Result<Vec<Vec<u8>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT bytes FROM sync_pending WHERE doc_id = ?1 ORDER BY n")?;
        Ok(stmt
            .query_map([document], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The plans the team erased: their late blobs are passed over.
    pub(crate) fn erased_documents(&self) -> Result<BTreeSet<Uuid>> {
        self.ids("SELECT doc_id FROM sync_erased")
            .map(|ids| ids.into_iter().collect())
    }

    /// Plans the team erased that are still here (an erasure cut short).
    pub(crate) fn erased_still_here(&self) -> Result<Vec<Uuid>> {
        self.ids("SELECT doc_id FROM sync_erased WHERE doc_id IN (SELECT doc_id FROM doc_chunk)")
    }

    /// Erasures the relay has not been asked for yet.
    pub(crate) fn erasures_to_ask(&self) -> Result<Vec<Uuid>> {
        self.ids("SELECT doc_id FROM sync_erase_pending")
    }

    /// The relay has dropped `document`'s blobs.
    pub(crate) fn erasure_asked(&self, document: Uuid) -> Result<()> {
        self.conn.execute(
            "DELETE FROM sync_erase_pending WHERE doc_id = ?1",
            [document],
        )?;
        Ok(())
    }

    /// The last sync's outcome.
    pub(crate) fn sync_record(&self) -> Result<SyncRecord> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_try, last_ok, problem FROM sync_status WHERE id = 1",
                [],
                |r| {
                    Ok(SyncRecord {
                        last_try: r.get(0)?,
                        last_ok: r.get(1)?,
                        problem: r.get(2)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Records a sync tried at `at` (milliseconds): its problem, or none when it went through.
    pub(crate) fn record_sync(&self, at: i64, problem: Option<&str>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_status (id, last_try, last_ok, problem) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET last_try = excluded.last_try,
                 last_ok = coalesce(excluded.last_ok, last_ok), problem = excluded.problem",
            params![at, problem.is_none().then_some(at), problem],
        )?;
        Ok(())
    }
}

impl Writes<'_> {
    /// The sequence of this device's last blob of `document` (0 before the first).
    pub(crate) fn last_sent_sequence(&self, document: Uuid) -> Result<u64> {
        Ok(self
            .tx
            .query_row(
                "SELECT seq FROM sync_sent WHERE doc_id = ?1",
                [document],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map_or(0, count))
    }

    /// Puts a sealed blob in the outbox and records how far it covers this device's changes.
    pub(crate) fn queue_blob(
        &self,
        document: Uuid,
        sequence: u64,
        blob: &[u8],
        heads: &[u8],
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sync_outbox (doc_id, seq, blob) VALUES (?1, ?2, ?3)",
            params![document, position(sequence), blob],
        )?;
        self.tx.execute(
            "INSERT INTO sync_sent (doc_id, seq, heads) VALUES (?1, ?2, ?3)
             ON CONFLICT (doc_id) DO UPDATE SET seq = excluded.seq, heads = excluded.heads",
            params![document, position(sequence), heads],
        )?;
        Ok(())
    }

    /// `document` has nothing left to seal.
    pub(crate) fn forget_dirty(&self, document: Uuid) -> Result<()> {
        self.tx
            .execute("DELETE FROM sync_dirty WHERE doc_id = ?1", [document])?;
        Ok(())
    }

    /// `device`'s blobs of `document` are applied up to `sequence`.
    pub(crate) fn set_device_cursor(
        &self,
        document: Uuid,
        device: Uuid,
        sequence: u64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sync_cursor (doc_id, device, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (doc_id, device) DO UPDATE SET seq = excluded.seq",
            params![document, device, position(sequence)],
        )?;
        Ok(())
    }

    /// `device`'s blobs of `document` are applied up to `sequence` at least (a snapshot's cover).
    pub(crate) fn raise_device_cursor(
        &self,
        document: Uuid,
        device: Uuid,
        sequence: u64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sync_cursor (doc_id, device, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (doc_id, device) DO UPDATE SET seq = max(seq, excluded.seq)",
            params![document, device, position(sequence)],
        )?;
        Ok(())
    }

    /// The team erased `document`: its late blobs never bring it back.
    pub(crate) fn mark_erased(&self, document: Uuid) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO sync_erased (doc_id) VALUES (?1)",
            [document],
        )?;
        Ok(())
    }

    /// The relay is to drop `document`'s blobs at the next sync.
    pub(crate) fn ask_erasure(&self, document: Uuid) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO sync_erase_pending (doc_id) VALUES (?1)",
            [document],
        )?;
        Ok(())
    }
}
