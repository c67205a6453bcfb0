//! The relay's storage on PostgreSQL, for a region-wide deployment with several relay processes on one
//! database. Positions in a team's log are handed out under a lock on the team's row, held until the
//! push commits: pushes of one team are serialised across processes, commit in position order, and a
//! pull never sees a later position before an earlier one.

use postgres::{Client, NoTls};
use proxi_wire::envelope::BlobHeader;
use uuid::Uuid;

use crate::store::{Backend, Device, Positioned, Pushed, Redeemed, hash_token, new_token, now_ms};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS device (
    token_hash BYTEA PRIMARY KEY,
    team       UUID NOT NULL,
    device     UUID NOT NULL UNIQUE,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE IF NOT EXISTS team_log (
    team UUID PRIMARY KEY,
    last BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS blob (
    team     UUID NOT NULL,
    position BIGINT NOT NULL,
    document UUID NOT NULL,
    device   UUID NOT NULL,
    seq      BIGINT NOT NULL,
    bytes    BYTEA NOT NULL,
    PRIMARY KEY (team, position),
    UNIQUE (team, document, device, seq)
);
CREATE TABLE IF NOT EXISTS invitation (
    device      UUID PRIMARY KEY,
    team        UUID NOT NULL,
    redeem_hash TEXT NOT NULL,
    expires     BIGINT NOT NULL,
    package     TEXT
);
CREATE TABLE IF NOT EXISTS erased (
    team     UUID NOT NULL,
    document UUID NOT NULL,
    PRIMARY KEY (team, document)
);
CREATE TABLE IF NOT EXISTS snapshot (
    team     UUID NOT NULL,
    document UUID NOT NULL,
    position BIGINT NOT NULL,
    serial   BIGINT NOT NULL,
    bytes    BYTEA NOT NULL,
    PRIMARY KEY (team, document)
);
";

/// An arbitrary key for the advisory lock that lets one relay process create the schema at a time.
const SCHEMA_LOCK: i64 = 0x7072_6f78_6900_0001;

pub struct PgStore {
    client: Client,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host/database`) and creates the tables if needed.
    ///
    /// # Errors
    /// When the server cannot be reached or refuses.
    pub fn connect(url: &str) -> anyhow::Result<PgStore> {
        let mut client = Client::connect(url, NoTls)?;
        client.execute("SELECT pg_advisory_lock($1)", &[&SCHEMA_LOCK])?;
        let created = client.batch_execute(SCHEMA);
        client.execute("SELECT pg_advisory_unlock($1)", &[&SCHEMA_LOCK])?;
        created?;
        Ok(PgStore { client })
    }
}

/// Locks the team's row until the transaction ends: one push or snapshot of this team at a time, on
/// every relay process, so positions and serials are handed out in commit order.
fn lock_team(tx: &mut postgres::Transaction<'_>, team: Uuid) -> Result<(), postgres::Error> {
    tx.execute(
        "INSERT INTO team_log (team, last) VALUES ($1, 0)
         ON CONFLICT (team) DO UPDATE SET last = team_log.last",
        &[&team],
    )?;
    Ok(())
}

fn seq(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn unsigned(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Backend for PgStore {
    fn add_device(&mut self, team: Uuid, device: Uuid) -> anyhow::Result<String> {
        let token = new_token()?;
        self.client.execute(
            "INSERT INTO device (token_hash, team, device) VALUES ($1, $2, $3)",
            &[&hash_token(&token), &team, &device],
        )?;
        Ok(token)
    }

    fn invite(
        &mut self,
        team: Uuid,
        device: Uuid,
        redeem_hash: &str,
        minutes: u32,
        package: Option<&str>,
    ) -> anyhow::Result<i64> {
        let mut tx = self.client.transaction()?;
        let taken: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM device WHERE device = $1)
                     OR EXISTS (SELECT 1 FROM invitation WHERE device = $1)",
                &[&device],
            )?
            .get(0);
        if taken {
            anyhow::bail!("device {device} is already registered or invited");
        }
        let expires = now_ms() + i64::from(minutes) * 60_000;
        tx.execute(
            "INSERT INTO invitation (device, team, redeem_hash, expires, package)
             VALUES ($1, $2, $3, $4, $5)",
            &[&device, &team, &redeem_hash, &expires, &package],
        )?;
        tx.commit()?;
        Ok(expires)
    }

    fn redeem(&mut self, device: Uuid, redeem: &str, founding: bool) -> anyhow::Result<Redeemed> {
        let mut tx = self.client.transaction()?;
        let Some(row) = tx.query_opt(
            "SELECT team, redeem_hash, expires, package FROM invitation WHERE device = $1 FOR UPDATE",
            &[&device],
        )?
        else {
            return Ok(Redeemed::Unknown);
        };
        let (team, hash, expires, package): (Uuid, String, i64, Option<String>) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let proof = proxi_wire::invitation::redeem_hash(redeem);
        if bool::from(subtle::ConstantTimeEq::ct_ne(
            proof.as_bytes(),
            hash.as_bytes(),
        )) {
            return Ok(Redeemed::Unknown);
        }
        if package.is_none() != founding {
            return Ok(Redeemed::WrongKind {
                founding: package.is_none(),
            });
        }
        tx.execute("DELETE FROM invitation WHERE device = $1", &[&device])?;
        if expires < now_ms() {
            tx.commit()?;
            return Ok(Redeemed::Expired);
        }
        let token = new_token()?;
        tx.execute(
            "INSERT INTO device (token_hash, team, device) VALUES ($1, $2, $3)",
            &[&hash_token(&token), &team, &device],
        )?;
        tx.commit()?;
        Ok(Redeemed::Joined {
            team,
            token,
            package,
        })
    }

    fn erase(&mut self, team: Uuid, document: Uuid) -> anyhow::Result<usize> {
        let mut tx = self.client.transaction()?;
        tx.execute(
            "INSERT INTO erased (team, document) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&team, &document],
        )?;
        let n = tx.execute(
            "UPDATE blob SET bytes = ''::bytea WHERE team = $1 AND document = $2",
            &[&team, &document],
        )?;
        tx.execute(
            "DELETE FROM snapshot WHERE team = $1 AND document = $2",
            &[&team, &document],
        )?;
        tx.commit()?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn team_of(&mut self, device: Uuid) -> anyhow::Result<Option<Uuid>> {
        Ok(self
            .client
            .query_opt("SELECT team FROM device WHERE device = $1", &[&device])?
            .map(|r| r.get(0)))
    }

    fn revoke(&mut self, device: Uuid) -> anyhow::Result<bool> {
        Ok(self.client.execute(
            "UPDATE device SET revoked = TRUE WHERE device = $1",
            &[&device],
        )? > 0)
    }

    fn device(&mut self, token: &str) -> anyhow::Result<Option<Device>> {
        Ok(self
            .client
            .query_opt(
                "SELECT team, device, revoked FROM device WHERE token_hash = $1",
                &[&hash_token(token)],
            )?
            .map(|r| Device {
                team: r.get(0),
                device: r.get(1),
                revoked: r.get(2),
            }))
    }

    fn push(&mut self, header: &BlobHeader, blob: &[u8]) -> anyhow::Result<Pushed> {
        let mut tx = self.client.transaction()?;
        lock_team(&mut tx, header.team)?;
        let sequence = seq(header.sequence);
        let erased: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM erased WHERE team = $1 AND document = $2)",
                &[&header.team, &header.document],
            )?
            .get(0);
        if let Some(row) = tx.query_opt(
            "SELECT position, bytes FROM blob
             WHERE team = $1 AND document = $2 AND device = $3 AND seq = $4",
            &[&header.team, &header.document, &header.device, &sequence],
        )? {
            let (position, bytes): (i64, Vec<u8>) = (row.get(0), row.get(1));
            return Ok(if bytes == blob || erased {
                Pushed::Again(unsigned(position))
            } else {
                Pushed::Conflict
            });
        }
        let last: i64 = tx
            .query_one(
                "SELECT coalesce(max(seq), 0) FROM blob
                 WHERE team = $1 AND document = $2 AND device = $3",
                &[&header.team, &header.document, &header.device],
            )?
            .get(0);
        if sequence != last + 1 {
            return Ok(Pushed::Gap {
                expected: unsigned(last + 1).max(1),
            });
        }
        let position: i64 = tx
            .query_one(
                "UPDATE team_log SET last = last + 1 WHERE team = $1 RETURNING last",
                &[&header.team],
            )?
            .get(0);
        let kept: &[u8] = if erased { &[] } else { blob };
        tx.execute(
            "INSERT INTO blob (team, position, document, device, seq, bytes)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &header.team,
                &position,
                &header.document,
                &header.device,
                &sequence,
                &kept,
            ],
        )?;
        tx.commit()?;
        Ok(Pushed::Kept(unsigned(position)))
    }

    fn pull(
        &mut self,
        team: Uuid,
        since: u64,
        limit: u32,
        snapshots: Option<u64>,
    ) -> anyhow::Result<Vec<(u64, Vec<u8>)>> {
        let serial = snapshots.map_or(-1, seq);
        let rows = self.client.query(
            "SELECT b.position,
                    CASE WHEN s.serial <= $4 AND s.position >= b.position THEN ''::bytea ELSE b.bytes END
             FROM blob b LEFT JOIN snapshot s ON s.team = b.team AND s.document = b.document
             WHERE b.team = $1 AND b.position > $2
             ORDER BY b.position LIMIT $3",
            &[&team, &seq(since), &i64::from(limit), &serial],
        )?;
        Ok(rows
            .into_iter()
            .map(|r| (unsigned(r.get(0)), r.get(1)))
            .collect())
    }

    fn put_snapshot(&mut self, header: &BlobHeader, blob: &[u8]) -> anyhow::Result<bool> {
        let mut tx = self.client.transaction()?;
        lock_team(&mut tx, header.team)?;
        let position = seq(header.sequence);
        let row = tx.query_one(
            "SELECT EXISTS (SELECT 1 FROM erased WHERE team = $1 AND document = $2),
                    (SELECT coalesce(max(position), 0) FROM blob WHERE team = $1),
                    (SELECT coalesce(max(position), -1) FROM snapshot WHERE team = $1 AND document = $2),
                    (SELECT coalesce(max(serial), 0) + 1 FROM snapshot WHERE team = $1)",
            &[&header.team, &header.document],
        )?;
        let (erased, end, kept, serial): (bool, i64, i64, i64) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        if erased || header.document == header.team || position > end || position <= kept {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO snapshot (team, document, position, serial, bytes) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (team, document) DO UPDATE SET position = excluded.position,
                 serial = excluded.serial, bytes = excluded.bytes",
            &[&header.team, &header.document, &position, &serial, &blob],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn snapshots(&mut self, team: Uuid) -> anyhow::Result<(u64, Positioned)> {
        let rows = self.client.query(
            "SELECT position, serial, bytes FROM snapshot WHERE team = $1 ORDER BY document",
            &[&team],
        )?;
        let serial = rows.iter().map(|r| unsigned(r.get(1))).max().unwrap_or(0);
        Ok((
            serial,
            rows.into_iter()
                .map(|r| (unsigned(r.get(0)), r.get(2)))
                .collect(),
        ))
    }

    fn stale(&mut self, team: Uuid, min: u32) -> anyhow::Result<Vec<Uuid>> {
        let rows = self.client.query(
            "SELECT b.document FROM blob b
             LEFT JOIN snapshot s ON s.team = b.team AND s.document = b.document
             WHERE b.team = $1 AND b.document <> $1 AND b.position > coalesce(s.position, 0)
                 AND length(b.bytes) > 0
             GROUP BY b.document HAVING count(*) >= $2",
            &[&team, &i64::from(min)],
        )?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }
}
