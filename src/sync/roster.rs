//! The roster: what the team knows of its devices travels as statements in sealed blobs of one more
//! document, whose id is the team's: a device announces itself (`member`), announces an invitation
//! (`invitation`, with the public key the invited device signs its first statement with), revokes a
//! device (`revoke`, with the new team key sealed for each remaining device), rotates the key
//! (`rotate`), erases a plan (`erase`). Every device reads the roster in log order before the plans of
//! the same pull, so a new colleague's changes open, and a revoked device's later blobs do not.

use std::collections::BTreeMap;

use ed25519_dalek::{SigningKey, VerifyingKey};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::SyncError;
use super::engine::{self, Identity};
use super::envelope::{self, BlobHeader, BlobKind};
use super::keys::{key32, receive_key, verifying_key};
use super::team::{Membership, require};
use crate::Proxi;
use crate::error::{Error, Result};
use crate::store::{Store, Writes};

/// One statement of the team roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RosterEntry {
    /// A device announces itself: its name and public keys.
    #[serde(rename_all = "camelCase")]
    Member {
        device: Uuid,
        name: String,
        verifying: String,
        box_public: String,
        /// Its automerge actor (hex), so that plans' histories name the device.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        actor: Option<String>,
    },
    /// A device invites another: the key that signs the invited device's first statement.
    #[serde(rename_all = "camelCase")]
    Invitation { device: Uuid, key: String },
    /// A device is revoked; the team key of `epoch` is sealed for each remaining device.
    #[serde(rename_all = "camelCase")]
    Revoke {
        device: Uuid,
        epoch: u32,
        keys: BTreeMap<Uuid, String>,
    },
    /// A person's plan is erased on every device.
    #[serde(rename_all = "camelCase")]
    Erase { document: Uuid },
    /// A new team key of `epoch`, sealed for each device not revoked: minted when the newest key
    /// reached a device revoked since (two revocations at the same time, each minting a key that the
    /// other's revoked device can open).
    #[serde(rename_all = "camelCase")]
    Rotate {
        epoch: u32,
        keys: BTreeMap<Uuid, String>,
    },
}

/// Seals roster statements into the outbox, as this device's next roster blob.
pub(super) fn queue(
    writes: &Writes<'_>,
    me: &Identity,
    signer: &SigningKey,
    entries: &[RosterEntry],
) -> Result<()> {
    let sequence = writes.last_sent_sequence(me.team)? + 1;
    let header = BlobHeader {
        kind: BlobKind::Changes,
        team: me.team,
        document: me.team,
        device: me.device,
        sequence,
        epoch: me.epoch,
    };
    let payload = serde_json::to_vec(entries)
        .map_err(|e| Error::Sync(SyncError::SealFailed(e.to_string())))?;
    let blob = envelope::seal(me.team_key()?, signer, &header, &payload)
        .map_err(|e| Error::Sync(SyncError::SealFailed(format!("sealing the roster: {e}"))))?;
    // The roster's own changes have no automerge heads.
    writes.queue_blob(me.team, sequence, &blob, &[])
}

pub(super) fn self_entry(
    store: &Store,
    device: Uuid,
    name: &str,
    signing: &SigningKey,
    boxed: &crypto_box::SecretKey,
) -> RosterEntry {
    RosterEntry::Member {
        device,
        name: name.to_owned(),
        verifying: hex::encode(signing.verifying_key().to_bytes()),
        box_public: hex::encode(boxed.public_key().as_bytes()),
        actor: Some(store.actor().to_hex_string()),
    }
}

/// A roster member as the checks need it.
pub(super) struct Known {
    pub(super) verifying: Option<VerifyingKey>,
    pub(super) invitation: Option<VerifyingKey>,
    pub(super) revoked_at: Option<u64>,
}

pub(super) fn known(store: &mut Store) -> Result<BTreeMap<Uuid, Known>> {
    Ok(store
        .known_members()?
        .into_iter()
        .map(|m| {
            let known = Known {
                verifying: m.verifying.as_deref().and_then(verifying_key),
                invitation: m.invitation.as_deref().and_then(verifying_key),
                revoked_at: m.revoked_at,
            };
            (m.device, known)
        })
        .collect())
}

/// Applies pulled blobs: the roster's statements first, in log order, then the plans' changes with
/// the keys the roster gives.
///
/// # Errors
/// [`SyncError::NoTeam`], [`SyncError::DeviceRevoked`], [`Error::Storage`], [`Error::DocumentInvalid`].
pub fn absorb(app: &mut Proxi, pulled: &[(u64, Vec<u8>)]) -> Result<engine::Applied> {
    let at = Timestamp::now();
    let store = app.store_mut();
    let me = require(store)?;
    let from = engine::pull_cursor(store, &me.identity)?;
    let mut refused = Vec::new();
    let mut ordered: Vec<&(u64, Vec<u8>)> = pulled.iter().filter(|(p, _)| *p > from).collect();
    ordered.sort_by_key(|(p, _)| *p);
    for (position, blob) in ordered {
        let Ok(header) = envelope::peek(blob) else {
            continue;
        };
        if header.team != me.identity.team || header.document != me.identity.team {
            continue;
        }
        // Read afresh for each statement: the one before may have given a new key that this one
        // is sealed with.
        let me = require(store)?;
        if let Err(why) = roster_blob(store, &me, *position, &header, blob, at)? {
            refused.push(why);
        }
    }
    // Plans the team erased and still here (the erasure was cut short): erased now.
    for document in store.erased_still_here()? {
        store.erase(document, at, |_| Ok(()))?;
    }
    // The roster may have rotated the key or revoked this device.
    let me = require(store)?;
    let members = known(store)?;
    let mut applied = engine::apply(
        store,
        &me.identity,
        &|device, position| {
            let m = members.get(&device)?;
            if m.revoked_at.is_some_and(|r| position > r) {
                return None;
            }
            m.verifying
        },
        pulled,
        at,
    )?;
    refused.append(&mut applied.refused);
    applied.refused = refused;
    Ok(applied)
}

/// Reads one roster blob; `Ok(Err(why))` when it is refused (nothing of it is used).
pub(super) fn roster_blob(
    store: &mut Store,
    me: &Membership,
    position: u64,
    header: &BlobHeader,
    blob: &[u8],
    at: Timestamp,
) -> Result<std::result::Result<(), String>> {
    let applied = store.device_cursor(header.document, header.device)?;
    if header.sequence != applied + 1 {
        // Read before (a duplicate), or ahead of a hole: read when its turn comes.
        return Ok(Ok(()));
    }
    let members = known(store)?;
    let Some(member) = members.get(&header.device) else {
        return Ok(Err(format!(
            "a roster statement of device {}, which the team does not know",
            header.device
        )));
    };
    if member.revoked_at.is_some_and(|r| position > r) {
        return Ok(Err(format!(
            "a roster statement of device {}, revoked before it",
            header.device
        )));
    }
    // An invited device's first statement is signed with its invitation's key.
    let key = if header.sequence == 1 && member.invitation.is_some() {
        member.invitation
    } else {
        member.verifying
    };
    if me.identity.keys.candidates(header.epoch).is_empty() {
        return Ok(Err(format!(
            "a roster statement sealed with epoch {}, which this device does not hold",
            header.epoch
        )));
    }
    let payload = match envelope::open_with(blob, me.identity.team, &me.identity.keys, |_| key) {
        Ok((_, payload)) => payload,
        Err(e) => return Ok(Err(format!("a roster statement of {}: {e}", header.device))),
    };
    let Ok(entries) = serde_json::from_slice::<Vec<RosterEntry>>(&payload) else {
        return Ok(Err(format!(
            "a roster statement of {} that this version cannot read",
            header.device
        )));
    };
    let mut erase = Vec::new();
    let writes = store.writes()?;
    for entry in entries {
        match entry {
            RosterEntry::Member {
                device,
                name,
                verifying,
                box_public,
                actor,
            } => {
                // A device speaks only for itself.
                if device != header.device {
                    continue;
                }
                let (Some(v), Some(b)) = (key32(&verifying), key32(&box_public)) else {
                    continue;
                };
                let first = header.sequence == 1;
                writes.member_announced(device, &name, &v, &b, first)?;
                if let Some(actor) = actor.filter(|a| a.len() <= 64 && hex::decode(a).is_ok()) {
                    writes.set_member_actor(device, &actor)?;
                }
            }
            RosterEntry::Invitation { device, key } => {
                if let Some(k) = key32(&key) {
                    writes.member_invited(device, &k)?;
                }
            }
            RosterEntry::Revoke {
                device,
                epoch,
                keys,
            } => {
                writes.revoke_member(device, position)?;
                if device == me.identity.device {
                    writes.set_self_revoked()?;
                } else {
                    receive_key(&writes, me, epoch, &keys)?;
                }
            }
            RosterEntry::Rotate { epoch, keys } => receive_key(&writes, me, epoch, &keys)?,
            RosterEntry::Erase { document } => {
                writes.mark_erased(document)?;
                erase.push(document);
            }
        }
    }
    writes.set_device_cursor(header.document, header.device, header.sequence)?;
    writes.commit()?;
    for document in erase {
        match store.erase(document, at, |_| Ok(())) {
            Ok(()) | Err(Error::PersonNotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Ok(()))
}
