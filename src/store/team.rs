//! The team's rows, by name: this device in its team with its secrets (`team_self`), the team keys
//! of every epoch (`team_key`) and which devices each reached (`team_key_reach`), and the roster
//! (`team_member`). Keys are kept as bytes: what they mean is the sync's business.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{Store, Writes};
use crate::error::Result;

fn position(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A device of the roster, as an invitation's package carries it (keys in hex).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberRow {
    pub device: Uuid,
    pub name: String,
    pub verifying: Option<String>,
    pub box_public: Option<String>,
    pub invitation_key: Option<String>,
    pub revoked_at: Option<i64>,
    #[serde(default)]
    pub actor: Option<String>,
}

/// A device of the roster, as the checks of incoming blobs need it (keys as bytes).
#[derive(Debug, Clone)]
pub struct KnownMember {
    pub device: Uuid,
    pub verifying: Option<Vec<u8>>,
    pub invitation: Option<Vec<u8>>,
    /// The team log's position after which its blobs are refused.
    pub revoked_at: Option<u64>,
}

/// This device in its team, with its secrets and the team keys it holds.
pub struct SelfRow {
    pub team: Uuid,
    pub device: Uuid,
    pub name: String,
    pub relay: String,
    pub token: String,
    pub signing: Zeroizing<Vec<u8>>,
    pub box_secret: Zeroizing<Vec<u8>>,
    pub epoch: u32,
    pub revoked: bool,
    /// Every team key this device holds, by epoch (several of one epoch when colleagues minted
    /// keys at once), in the order received.
    pub keys: Vec<(u32, Zeroizing<Vec<u8>>)>,
}

impl std::fmt::Debug for SelfRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SelfRow")
            .field("team", &self.team)
            .field("device", &self.device)
            .field("epoch", &self.epoch)
            .finish_non_exhaustive()
    }
}

/// What a device writes of itself as it enters a team.
pub struct NewSelf<'a> {
    pub team: Uuid,
    pub device: Uuid,
    pub name: &'a str,
    pub relay: &'a str,
    pub token: &'a str,
    pub signing: &'a [u8],
    pub box_secret: &'a [u8],
    pub epoch: u32,
}

impl std::fmt::Debug for NewSelf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSelf")
            .field("team", &self.team)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// This device in its team, if it is in one.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub(crate) fn team_self(&self) -> Result<Option<SelfRow>> {
        let row = self
            .conn
            .query_row(
                "SELECT team, device, name, relay, token, signing, box_secret, epoch, revoked
                 FROM team_self WHERE id = 1",
                [],
                |r| {
                    Ok(SelfRow {
                        team: r.get(0)?,
                        device: r.get(1)?,
                        name: r.get(2)?,
                        relay: r.get(3)?,
                        token: r.get(4)?,
                        signing: Zeroizing::new(r.get(5)?),
                        box_secret: Zeroizing::new(r.get(6)?),
                        epoch: r.get(7)?,
                        revoked: r.get(8)?,
                        keys: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut row) = row else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT epoch, key FROM team_key ORDER BY rowid")?;
        row.keys = stmt
            .query_map([], |r| Ok((r.get(0)?, Zeroizing::new(r.get(1)?))))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(row))
    }

    /// The roster, by name.
    pub(crate) fn team_members(&self) -> Result<Vec<MemberRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT device, name, verifying, box_public, invitation_key, revoked_at, actor
             FROM team_member ORDER BY name, device",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MemberRow {
                device: r.get(0)?,
                name: r.get(1)?,
                verifying: r.get::<_, Option<Vec<u8>>>(2)?.map(hex::encode),
                box_public: r.get::<_, Option<Vec<u8>>>(3)?.map(hex::encode),
                invitation_key: r.get::<_, Option<Vec<u8>>>(4)?.map(hex::encode),
                revoked_at: r.get(5)?,
                actor: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The roster with the keys incoming blobs are checked with.
    pub(crate) fn known_members(&self) -> Result<Vec<KnownMember>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT device, verifying, invitation_key, revoked_at FROM team_member",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(KnownMember {
                device: r.get(0)?,
                verifying: r.get(1)?,
                invitation: r.get(2)?,
                revoked_at: r
                    .get::<_, Option<i64>>(3)?
                    .map(|p| u64::try_from(p).unwrap_or(0)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The names of the team's devices by automerge actor (hex).
    pub(crate) fn device_names(&self) -> Result<BTreeMap<String, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT actor, name FROM team_member WHERE actor IS NOT NULL AND name <> ''",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a team key of `epoch` reached a device revoked since. The founding key (epoch 1)
    /// reached every device that ever joined; a minted one, those its statements name.
    pub(crate) fn key_reached_revoked(&self, epoch: u32) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT CASE WHEN ?1 = 1
                 THEN EXISTS (SELECT 1 FROM team_member WHERE revoked_at IS NOT NULL)
                 ELSE EXISTS (SELECT 1 FROM team_key_reach r JOIN team_member m ON m.device = r.device
                              WHERE r.epoch = ?1 AND m.revoked_at IS NOT NULL)
             END",
            [epoch],
            |r| r.get(0),
        )?)
    }

    /// The relay said this device is no longer in its team.
    pub(crate) fn set_self_revoked(&self) -> Result<()> {
        self.conn.execute("UPDATE team_self SET revoked = 1", [])?;
        Ok(())
    }
}

impl Writes<'_> {
    /// Forgets what this device knew of a team it was removed from: its keys, roster, cursors and
    /// unsent blobs (every plan is marked to be sent again, whole). The plans stay, and so does the
    /// list of plans the team erased (they never come back).
    pub(crate) fn forget_team(&self) -> Result<()> {
        self.tx.execute_batch(
            "DELETE FROM team_self; DELETE FROM team_key; DELETE FROM team_key_reach;
             DELETE FROM team_member; DELETE FROM sync_outbox; DELETE FROM sync_sent;
             DELETE FROM sync_cursor; DELETE FROM sync_pending; DELETE FROM sync_relay;
             DELETE FROM sync_erase_pending; DELETE FROM sync_status;
             INSERT OR IGNORE INTO sync_dirty (doc_id) SELECT DISTINCT doc_id FROM doc_chunk;",
        )?;
        Ok(())
    }

    pub(crate) fn insert_self(&self, me: &NewSelf<'_>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO team_self (id, team, device, name, relay, token, signing, box_secret, epoch)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                me.team,
                me.device,
                me.name,
                me.relay,
                me.token,
                me.signing,
                me.box_secret,
                me.epoch
            ],
        )?;
        Ok(())
    }

    /// Keeps a team key of `epoch`; the newest epoch is the one this device seals with.
    pub(crate) fn install_team_key(&self, epoch: u32, key: &[u8]) -> Result<()> {
        self.tx.execute(
            "INSERT INTO team_key (epoch, key) VALUES (?1, ?2) ON CONFLICT (epoch, key) DO NOTHING",
            params![epoch, key],
        )?;
        self.tx
            .execute("UPDATE team_self SET epoch = max(epoch, ?1)", [epoch])?;
        Ok(())
    }

    /// The key of `epoch` reached `device`.
    pub(crate) fn record_reach(&self, epoch: u32, device: Uuid) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO team_key_reach (epoch, device) VALUES (?1, ?2)",
            params![epoch, device],
        )?;
        Ok(())
    }

    /// A device of the roster, unless it is there already.
    pub(crate) fn insert_member(&self, m: &MemberRow) -> Result<()> {
        let bytes = |h: &Option<String>| h.as_deref().and_then(|h| hex::decode(h).ok());
        self.tx.execute(
            "INSERT INTO team_member
                 (device, name, verifying, box_public, invitation_key, revoked_at, actor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (device) DO NOTHING",
            params![
                m.device,
                m.name,
                bytes(&m.verifying),
                bytes(&m.box_public),
                bytes(&m.invitation_key),
                m.revoked_at,
                m.actor
            ],
        )?;
        Ok(())
    }

    /// This device in the roster, with its name, keys and automerge actor.
    pub(crate) fn write_self_member(
        &self,
        device: Uuid,
        name: &str,
        verifying: &[u8],
        box_public: &[u8],
        actor: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO team_member (device, name) VALUES (?1, ?2) ON CONFLICT (device) DO NOTHING",
            params![device, name],
        )?;
        self.tx.execute(
            "UPDATE team_member SET name = ?2, verifying = ?3, box_public = ?4, actor = ?5
             WHERE device = ?1",
            params![device, name, verifying, box_public, actor],
        )?;
        Ok(())
    }

    /// A colleague announced itself: its name, and its keys when `first` (its first statement) or
    /// when none were known.
    pub(crate) fn member_announced(
        &self,
        device: Uuid,
        name: &str,
        verifying: &[u8],
        box_public: &[u8],
        first: bool,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE team_member SET name = ?2,
                 verifying = CASE WHEN ?5 OR verifying IS NULL THEN ?3 ELSE verifying END,
                 box_public = CASE WHEN ?5 OR box_public IS NULL THEN ?4 ELSE box_public END
             WHERE device = ?1",
            params![device, name, verifying, box_public, first],
        )?;
        Ok(())
    }

    pub(crate) fn set_member_actor(&self, device: Uuid, actor: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE team_member SET actor = ?2 WHERE device = ?1",
            params![device, actor],
        )?;
        Ok(())
    }

    /// A device was invited, with the key its first statement is signed with.
    pub(crate) fn member_invited(&self, device: Uuid, key: &[u8]) -> Result<()> {
        self.tx.execute(
            "INSERT INTO team_member (device, name, invitation_key) VALUES (?1, '', ?2)
             ON CONFLICT (device) DO NOTHING",
            params![device, key],
        )?;
        Ok(())
    }

    /// `device`'s blobs after position `after` of the team's log are refused.
    pub(crate) fn revoke_member(&self, device: Uuid, after: u64) -> Result<()> {
        self.tx.execute(
            "UPDATE team_member SET revoked_at = ?2 WHERE device = ?1",
            params![device, position(after)],
        )?;
        Ok(())
    }

    /// This device is no longer in its team.
    pub(crate) fn set_self_revoked(&self) -> Result<()> {
        self.tx.execute("UPDATE team_self SET revoked = 1", [])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::store::KdfParams;

    #[test]
    fn a_damaged_team_record_is_said_as_such_not_as_a_disk_problem() {
        let dir = tempfile::tempdir().expect("a folder");
        let mut store = Store::create(
            &dir.path().join("proxi.db"),
            "correct horse battery staple",
            KdfParams::MINIMAL_FOR_TESTS,
            "Référente",
        )
        .expect("a store");
        let writes = store.writes().expect("a transaction");
        writes
            .insert_self(&NewSelf {
                team: Uuid::from_u128(1),
                device: Uuid::from_u128(2),
                name: "Portable",
                relay: "http://127.0.0.1:1",
                token: "token",
                // A signing key cut short.
                signing: &[7; 12],
                box_secret: &[8; 32],
                epoch: 1,
            })
            .expect("written");
        writes.commit().expect("committed");
        let err = crate::sync::team::identity(&mut store).expect_err("the record does not read");
        assert_eq!(err.code(), ErrorCode::TeamRecordDamaged);
        assert!(err.to_string().contains("signing key"), "{err}");
        assert!(err.to_string().contains("invite it again"), "{err}");
    }
}
