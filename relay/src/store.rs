//! The relay's storage (SQLite): device tokens, and the team logs of sealed blobs. The relay reads only
//! a blob's routing header (team, document, device, sequence); the rest is ciphertext to it.

use std::path::Path;

use proxi_wire::envelope::{self, BlobHeader};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
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
CREATE TABLE IF NOT EXISTS invitation (
    device      BLOB PRIMARY KEY NOT NULL,
    team        BLOB NOT NULL,
    redeem_hash TEXT NOT NULL,
    expires     INTEGER NOT NULL,
    package     TEXT
);
CREATE TABLE IF NOT EXISTS erased (
    team     BLOB NOT NULL,
    document BLOB NOT NULL,
    PRIMARY KEY (team, document)
);
CREATE TABLE IF NOT EXISTS snapshot (
    team     BLOB NOT NULL,
    document BLOB NOT NULL,
    position INTEGER NOT NULL,
    serial   INTEGER NOT NULL,
    bytes    BLOB NOT NULL,
    PRIMARY KEY (team, document)
);
";

/// What became of an invitation redeemed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// The device is registered: its team, token, and the sealed package (none when founding).
    Joined {
        team: Uuid,
        token: String,
        package: Option<String>,
    },
    /// No such invitation, or already used, or the proof does not match.
    Unknown,
    /// Past its time.
    Expired,
    /// A founding code used to join, or an invitation used to found: kept for the right use.
    WrongKind { founding: bool },
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

pub(crate) fn new_token() -> anyhow::Result<String> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
    Ok(hex::encode(secret))
}

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

/// Blobs with their positions (or, for snapshots, the position each covers).
pub type Positioned = Vec<(u64, Vec<u8>)>;

/// Where the relay keeps its devices, invitations and team logs: SQLite ([`RelayStore`], one process)
/// or PostgreSQL ([`crate::pg::PgStore`], several relay processes on one database). Both pass the
/// same acceptance suite (`relay/tests`).
pub trait Backend: Send {
    /// Registers a device of a team and returns its bearer token (kept only as a hash).
    ///
    /// # Errors
    /// When the device is already registered, or on a storage error.
    fn add_device(&mut self, team: Uuid, device: Uuid) -> anyhow::Result<String>;
    /// Keeps an invitation for `device` into `team`, redeemable once with the proof whose SHA-256 is
    /// `redeem_hash`, until `minutes` from now; returns when it expires (ms since the epoch).
    ///
    /// # Errors
    /// When the device id is already registered or invited, or on a storage error.
    fn invite(
        &mut self,
        team: Uuid,
        device: Uuid,
        redeem_hash: &str,
        minutes: u32,
        package: Option<&str>,
    ) -> anyhow::Result<i64>;
    /// Redeems an invitation, once.
    ///
    /// # Errors
    /// On a storage error.
    fn redeem(&mut self, device: Uuid, redeem: &str, founding: bool) -> anyhow::Result<Redeemed>;
    /// Empties every blob of a document of the team, and its later pushes.
    ///
    /// # Errors
    /// On a storage error.
    fn erase(&mut self, team: Uuid, document: Uuid) -> anyhow::Result<usize>;
    /// The team of a registered device.
    ///
    /// # Errors
    /// On a storage error.
    fn team_of(&mut self, device: Uuid) -> anyhow::Result<Option<Uuid>>;
    /// Revokes a device; whether it was known.
    ///
    /// # Errors
    /// On a storage error.
    fn revoke(&mut self, device: Uuid) -> anyhow::Result<bool>;
    /// The device a token belongs to.
    ///
    /// # Errors
    /// On a storage error.
    fn device(&mut self, token: &str) -> anyhow::Result<Option<Device>>;
    /// Appends a blob to its team's log, once.
    ///
    /// # Errors
    /// On a storage error (nothing is kept then).
    fn push(&mut self, header: &BlobHeader, blob: &[u8]) -> anyhow::Result<Pushed>;
    /// The team's blobs after `since`, oldest first, at most `limit`. With `snapshots` (the serial
    /// of the snapshots a new device started from), a blob that a snapshot of serial ≤ `snapshots`
    /// covers comes empty: the device already holds it.
    ///
    /// # Errors
    /// On a storage error.
    fn pull(
        &mut self,
        team: Uuid,
        since: u64,
        limit: u32,
        snapshots: Option<u64>,
    ) -> anyhow::Result<Vec<(u64, Vec<u8>)>>;
    /// Keeps a sealed snapshot of a document covering the team's log up to `header.sequence`, if it
    /// covers more than the one kept; whether it was kept.
    ///
    /// # Errors
    /// On a storage error.
    fn put_snapshot(&mut self, header: &BlobHeader, blob: &[u8]) -> anyhow::Result<bool>;
    /// The latest snapshot of every document (position covered, blob), and the highest serial.
    ///
    /// # Errors
    /// On a storage error.
    fn snapshots(&mut self, team: Uuid) -> anyhow::Result<(u64, Positioned)>;
    /// Documents with at least `min` blobs after their snapshot (or without one).
    ///
    /// # Errors
    /// On a storage error.
    fn stale(&mut self, team: Uuid, min: u32) -> anyhow::Result<Vec<Uuid>>;
}

pub struct RelayStore {
    conn: Connection,
}

impl std::fmt::Debug for RelayStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayStore").finish_non_exhaustive()
    }
}

pub(crate) fn hash_token(token: &str) -> Vec<u8> {
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
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(RelayStore { conn })
    }
}

impl Backend for RelayStore {
    /// Registers a device of a team and returns its bearer token (kept only as a hash).
    ///
    /// # Errors
    /// When the device is already registered, or on a storage error.
    fn add_device(&mut self, team: Uuid, device: Uuid) -> anyhow::Result<String> {
        let token = new_token()?;
        self.conn.execute(
            "INSERT INTO device (token_hash, team, device) VALUES (?1, ?2, ?3)",
            params![hash_token(&token), team, device],
        )?;
        Ok(token)
    }

    /// Keeps an invitation for `device` into `team`, redeemable once with the proof whose SHA-256 is
    /// `redeem_hash`, until `minutes` from now; `package` is what the device receives (sealed).
    ///
    /// # Errors
    /// When the device id is already registered or invited, or on a storage error.
    fn invite(
        &mut self,
        team: Uuid,
        device: Uuid,
        redeem_hash: &str,
        minutes: u32,
        package: Option<&str>,
    ) -> anyhow::Result<i64> {
        let taken: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM device WHERE device = ?1)
                 OR EXISTS (SELECT 1 FROM invitation WHERE device = ?1)",
            [device],
            |r| r.get(0),
        )?;
        if taken {
            anyhow::bail!("device {device} is already registered or invited");
        }
        let expires = now_ms() + i64::from(minutes) * 60_000;
        self.conn.execute(
            "INSERT INTO invitation (device, team, redeem_hash, expires, package)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![device, team, redeem_hash, expires, package],
        )?;
        Ok(expires)
    }

    /// Redeems an invitation, once: registers the device with a new token; the package is handed
    /// over and forgotten.
    ///
    /// # Errors
    /// On a storage error.
    fn redeem(&mut self, device: Uuid, redeem: &str, founding: bool) -> anyhow::Result<Redeemed> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<(Uuid, String, i64, Option<String>)> = tx
            .query_row(
                "SELECT team, redeem_hash, expires, package FROM invitation WHERE device = ?1",
                [device],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((team, hash, expires, package)) = found else {
            return Ok(Redeemed::Unknown);
        };
        let proof = proxi_wire::invitation::redeem_hash(redeem);
        if bool::from(proof.as_bytes().ct_ne(hash.as_bytes())) {
            return Ok(Redeemed::Unknown);
        }
        if package.is_none() != founding {
            return Ok(Redeemed::WrongKind {
                founding: package.is_none(),
            });
        }
        if expires < now_ms() {
            tx.execute("DELETE FROM invitation WHERE device = ?1", [device])?;
            tx.commit()?;
            return Ok(Redeemed::Expired);
        }
        let token = new_token()?;
        tx.execute("DELETE FROM invitation WHERE device = ?1", [device])?;
        tx.execute(
            "INSERT INTO device (token_hash, team, device) VALUES (?1, ?2, ?3)",
            params![hash_token(&token), team, device],
        )?;
        tx.commit()?;
        Ok(Redeemed::Joined {
            team,
            token,
            package,
        })
    }

    /// Drops every blob of a document of the team (their positions stay, empty, so that devices'
    /// cursors keep counting), and drops the document's later pushes too.
    ///
    /// # Errors
    /// On a storage error.
    fn erase(&mut self, team: Uuid, document: Uuid) -> anyhow::Result<usize> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO erased (team, document) VALUES (?1, ?2)",
            params![team, document],
        )?;
        let n = tx.execute(
            "UPDATE blob SET bytes = x'' WHERE team = ?1 AND document = ?2",
            params![team, document],
        )?;
        tx.execute(
            "DELETE FROM snapshot WHERE team = ?1 AND document = ?2",
            params![team, document],
        )?;
        tx.commit()?;
        Ok(n)
    }

    /// The team of a registered device.
    ///
    /// # Errors
    /// On a storage error.
    fn team_of(&mut self, device: Uuid) -> anyhow::Result<Option<Uuid>> {
        Ok(self
            .conn
            .query_row("SELECT team FROM device WHERE device = ?1", [device], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Revokes a device: its token opens nothing any more. Returns whether it was known.
    ///
    /// # Errors
    /// On a storage error.
    fn revoke(&mut self, device: Uuid) -> anyhow::Result<bool> {
        Ok(self
            .conn
            .execute("UPDATE device SET revoked = 1 WHERE device = ?1", [device])?
            > 0)
    }

    /// The device a token belongs to.
    ///
    /// # Errors
    /// On a storage error.
    fn device(&mut self, token: &str) -> anyhow::Result<Option<Device>> {
        Ok(self
            .conn
            .query_row(
                "SELECT team, device, revoked FROM device WHERE token_hash = ?1",
                [hash_token(token)],
                |r| {
                    Ok(Device {
                        team: r.get(0)?,
                        device: r.get(1)?,
                        revoked: r.get::<_, i64>(2)? != 0,
                    })
                },
            )
            .optional()?)
    }

    /// Appends a blob to its team's log, once: the next sequence of (document, device) is kept at the
    /// next position; a retry of a kept one answers its position again.
    ///
    /// # Errors
    /// On a storage error (nothing is kept then).
    fn push(&mut self, header: &BlobHeader, blob: &[u8]) -> anyhow::Result<Pushed> {
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
        let erased: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM erased WHERE team = ?1 AND document = ?2)",
            params![header.team, header.document],
            |r| r.get(0),
        )?;
        if let Some((position, bytes)) = existing {
            let position = u64::try_from(position).unwrap_or(0);
            return Ok(if bytes == blob || erased {
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
                if erased { &[][..] } else { blob }
            ],
        )?;
        tx.commit()?;
        Ok(Pushed::Kept(u64::try_from(position).unwrap_or(0)))
    }

    /// The team's blobs after `since`, oldest first, at most `limit`.
    ///
    /// # Errors
    /// On a storage error.
    fn pull(
        &mut self,
        team: Uuid,
        since: u64,
        limit: u32,
        snapshots: Option<u64>,
    ) -> anyhow::Result<Vec<(u64, Vec<u8>)>> {
        let serial = snapshots.map_or(-1, |s| i64::try_from(s).unwrap_or(i64::MAX));
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.position,
                    CASE WHEN s.serial <= ?4 AND s.position >= b.position THEN x'' ELSE b.bytes END
             FROM blob b LEFT JOIN snapshot s ON s.team = b.team AND s.document = b.document
             WHERE b.team = ?1 AND b.position > ?2
             ORDER BY b.position LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![
                team,
                i64::try_from(since).unwrap_or(i64::MAX),
                limit,
                serial
            ],
            |r| Ok((u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0), r.get(1)?)),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_snapshot(&mut self, header: &BlobHeader, blob: &[u8]) -> anyhow::Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let position = i64::try_from(header.sequence).unwrap_or(i64::MAX);
        let (erased, end, kept, serial): (bool, i64, i64, i64) = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM erased WHERE team = ?1 AND document = ?2),
                    (SELECT coalesce(max(position), 0) FROM blob WHERE team = ?1),
                    (SELECT coalesce(max(position), -1) FROM snapshot WHERE team = ?1 AND document = ?2),
                    (SELECT coalesce(max(serial), 0) + 1 FROM snapshot WHERE team = ?1)",
            params![header.team, header.document],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        if erased || header.document == header.team || position > end || position <= kept {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO snapshot (team, document, position, serial, bytes) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (team, document) DO UPDATE SET position = excluded.position,
                 serial = excluded.serial, bytes = excluded.bytes",
            params![header.team, header.document, position, serial, blob],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn snapshots(&mut self, team: Uuid) -> anyhow::Result<(u64, Positioned)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, serial, bytes FROM snapshot WHERE team = ?1 ORDER BY document",
        )?;
        let rows = stmt
            .query_map([team], |r| {
                Ok((
                    u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                    u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let serial = rows.iter().map(|(_, s, _)| *s).max().unwrap_or(0);
        Ok((serial, rows.into_iter().map(|(p, _, b)| (p, b)).collect()))
    }

    fn stale(&mut self, team: Uuid, min: u32) -> anyhow::Result<Vec<Uuid>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.document FROM blob b
             LEFT JOIN snapshot s ON s.team = b.team AND s.document = b.document
             WHERE b.team = ?1 AND b.document <> ?1 AND b.position > coalesce(s.position, 0)
                 AND length(b.bytes) > 0
             GROUP BY b.document HAVING count(*) >= ?2",
        )?;
        let rows = stmt.query_map(params![team, min], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
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
