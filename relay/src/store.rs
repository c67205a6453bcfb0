//! The relay's storage (SQLite): device tokens, and the team logs of sealed blobs. The relay reads only
//! a blob's routing header (team, document, device, sequence); the rest is ciphertext to it.

use std::path::Path;

use proxi::sync::envelope::{self, BlobHeader};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};
use uuid::Uuid;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS device (
    token_hash BLOB PRIMARY KEY NOT NULL,
    team       BLOB NOT NULL,
    device     BLOB NOT NULL UNIQUE,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS blob (
    team     BLOB NOT NULL,
    position INTEGER NOT NULL,
    document BLOB NOT NULL,
    device   BLOB NOT NULL,
    seq      INTEGER NOT NULL,
    bytes    BLOB NOT NULL,
    PRIMARY KEY (team, position),
    UNIQUE (team, document, device, seq)
);
";

/// A device the relay knows, found by its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    pub team: Uuid,
    pub device: Uuid,
    pub revoked: bool,
}

/// What became of a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// Kept at this position of the team's log.
    Kept(u64),
    /// Already kept at this position, byte for byte (a retry).
    Again(u64),
    /// Another blob already holds this sequence.
    Conflict,
    /// Not the next sequence of this device for this document: the one expected.
    Gap { expected: u64 },
}

/// Why a push is refused before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotABlob(String),
    OtherTeam,
    OtherDevice,
}

pub struct RelayStore {
    conn: Connection,
}

impl std::fmt::Debug for RelayStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayStore").finish_non_exhaustive()
    }
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

impl RelayStore {
    /// Opens (or creates) the relay's database: WAL, full sync, so that an acknowledged push survives
    /// a crash of the relay.
    ///
    /// # Errors
    /// When the file cannot be opened or written.
    pub fn open(path: &Path) -> rusqlite::Result<RelayStore> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(RelayStore { conn })
    }

    /// Registers a device of a team and returns its bearer token (kept only as a hash).
    ///
    /// # Errors
    /// When the device is already registered, or on a storage error.
    pub fn add_device(&mut self, team: Uuid, device: Uuid) -> anyhow::Result<String> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
        let token = hex::encode(secret);
        self.conn.execute(
            "INSERT INTO device (token_hash, team, device) VALUES (?1, ?2, ?3)",
            params![hash(&token), team, device],
        )?;
        Ok(token)
    }

    /// Revokes a device: its token opens nothing any more. Returns whether it was known.
    ///
    /// # Errors
    /// On a storage error.
    pub fn revoke(&mut self, device: Uuid) -> rusqlite::Result<bool> {
        Ok(self
            .conn
            .execute("UPDATE device SET revoked = 1 WHERE device = ?1", [device])?
            > 0)
    }

    /// The device a token belongs to.
    ///
    /// # Errors
    /// On a storage error.
    pub fn device(&self, token: &str) -> rusqlite::Result<Option<Device>> {
        self.conn
            .query_row(
                "SELECT team, device, revoked FROM device WHERE token_hash = ?1",
                [hash(token)],
                |r| {
                    Ok(Device {
                        team: r.get(0)?,
                        device: r.get(1)?,
                        revoked: r.get::<_, i64>(2)? != 0,
                    })
                },
            )
            .optional()
    }

    /// Checks a blob's header against the device pushing it.
    pub fn check(blob: &[u8], by: &Device) -> Result<BlobHeader, Refusal> {
        let header = envelope::peek(blob).map_err(|e| Refusal::NotABlob(e.to_string()))?;
        if header.team != by.team {
            return Err(Refusal::OtherTeam);
        }
        if header.device != by.device {
            return Err(Refusal::OtherDevice);
        }
        Ok(header)
    }

    /// Appends a blob to its team's log, once: the next sequence of (document, device) is kept at the
    /// next position; a retry of a kept one answers its position again.
    ///
    /// # Errors
    /// On a storage error (nothing is kept then).
    pub fn push(&mut self, header: &BlobHeader, blob: &[u8]) -> rusqlite::Result<Pushed> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = i64::try_from(header.sequence).unwrap_or(i64::MAX);
        let existing: Option<(i64, Vec<u8>)> = tx
            .query_row(
                "SELECT position, bytes FROM blob
                 WHERE team = ?1 AND document = ?2 AND device = ?3 AND seq = ?4",
                params![header.team, header.document, header.device, seq],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((position, bytes)) = existing {
            let position = u64::try_from(position).unwrap_or(0);
            return Ok(if bytes == blob {
                Pushed::Again(position)
            } else {
                Pushed::Conflict
            });
        }
        let last: i64 = tx.query_row(
            "SELECT coalesce(max(seq), 0) FROM blob WHERE team = ?1 AND document = ?2 AND device = ?3",
            params![header.team, header.document, header.device],
            |r| r.get(0),
        )?;
        if seq != last + 1 {
            return Ok(Pushed::Gap {
                expected: u64::try_from(last + 1).unwrap_or(1),
            });
        }
        let position: i64 = tx.query_row(
            "SELECT coalesce(max(position), 0) + 1 FROM blob WHERE team = ?1",
            [header.team],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO blob (team, position, document, device, seq, bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                header.team,
                position,
                header.document,
                header.device,
                seq,
                blob
            ],
        )?;
        tx.commit()?;
        Ok(Pushed::Kept(u64::try_from(position).unwrap_or(0)))
    }

    /// The team's blobs after `since`, oldest first, at most `limit`.
    ///
    /// # Errors
    /// On a storage error.
    pub fn pull(
        &self,
        team: Uuid,
        since: u64,
        limit: u32,
    ) -> rusqlite::Result<Vec<(u64, Vec<u8>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, bytes FROM blob WHERE team = ?1 AND position > ?2
             ORDER BY position LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![team, i64::try_from(since).unwrap_or(i64::MAX), limit],
            |r| Ok((u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0), r.get(1)?)),
        )?;
        rows.collect()
    }
}
