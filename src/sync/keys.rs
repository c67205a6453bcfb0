//! The team key's epochs: a new key is minted at each revocation (sealed, X25519 sealed box, for
//! every remaining device; the revoked one keeps only what it already had), and again when a key
//! reached a device revoked since; keys minted by colleagues are kept when sealed for this device.

use std::collections::BTreeMap;

use ed25519_dalek::VerifyingKey;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::SyncError;
use super::envelope::TeamKey;
use super::roster::{RosterEntry, queue};
use super::team::{Access, Membership, members, require};
use crate::error::{Error, Result};
use crate::store::{Store, Writes};

pub(super) fn no_random(e: getrandom::Error) -> Error {
    Error::Sync(SyncError::SealFailed(format!("no random source: {e}")))
}

pub(super) fn key32(hex_text: &str) -> Option<[u8; 32]> {
    hex::decode(hex_text).ok()?.try_into().ok()
}

pub(super) fn verifying_key(bytes: &[u8]) -> Option<VerifyingKey> {
    VerifyingKey::from_bytes(&<[u8; 32]>::try_from(bytes).ok()?).ok()
}

pub(super) fn random32() -> Result<Zeroizing<[u8; 32]>> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut bytes[..]).map_err(no_random)?;
    Ok(bytes)
}

pub(super) fn new_box_secret() -> Result<crypto_box::SecretKey> {
    Ok(crypto_box::SecretKey::from_bytes(*random32()?))
}

/// A new team key of the next epoch, sealed (X25519 sealed box) for each device of the team that is
/// not revoked, but `excluding`.
pub(super) fn mint(
    store: &mut Store,
    me: &Membership,
    excluding: Option<Uuid>,
) -> Result<(u32, TeamKey, BTreeMap<Uuid, String>)> {
    let epoch = me.identity.keys.newest().unwrap_or(0) + 1;
    let key = TeamKey::generate().map_err(no_random)?;
    let mut sealed = BTreeMap::new();
    for m in members(store)? {
        if Some(m.device) == excluding || m.revoked_at.is_some() {
            continue;
        }
        let Some(public) = m.box_public.as_deref().and_then(key32) else {
            continue;
        };
        let boxed = crypto_box::PublicKey::from_bytes(public)
            .seal(&mut crypto_box::aead::OsRng, &key.to_bytes()[..])
            .map_err(|_| {
                Error::Sync(SyncError::SealFailed("sealing the new team key".to_owned()))
            })?;
        sealed.insert(m.device, hex::encode(boxed));
    }
    Ok((epoch, key, sealed))
}

/// Keeps a team key of `epoch` (the newest epoch is the one this device seals with), and records which
/// devices it reached.
pub(super) fn install_key<'a>(
    writes: &Writes<'_>,
    epoch: u32,
    key: &TeamKey,
    reached: impl Iterator<Item = &'a Uuid>,
) -> Result<()> {
    writes.install_team_key(epoch, &key.to_bytes()[..])?;
    record_reach(writes, epoch, reached)
}

pub(super) fn record_reach<'a>(
    writes: &Writes<'_>,
    epoch: u32,
    reached: impl Iterator<Item = &'a Uuid>,
) -> Result<()> {
    for device in reached {
        writes.record_reach(epoch, *device)?;
    }
    Ok(())
}

/// A key minted by a colleague (revocation or rotation): kept when it was sealed for this device;
/// which devices it reached is recorded either way.
pub(super) fn receive_key(
    writes: &Writes<'_>,
    me: &Membership,
    epoch: u32,
    keys: &BTreeMap<Uuid, String>,
) -> Result<()> {
    if let Some(sealed) = keys
        .get(&me.identity.device)
        .and_then(|k| hex::decode(k).ok())
        && let Ok(key) = me.box_secret.unseal(&sealed)
        && let Ok(key) = <[u8; 32]>::try_from(key.as_slice())
    {
        install_key(writes, epoch, &TeamKey::from_bytes(key), keys.keys())
    } else {
        record_reach(writes, epoch, keys.keys())
    }
}

/// When the newest team key reached a device revoked since (two revocations at the same time: each
/// minted a key for the device the other revoked), mints a new one for the devices not revoked, so
/// that nothing sealed from now on opens for a revoked device. Several devices doing so at once mint
/// several keys of one epoch, each reaching only devices not revoked: no further round is needed.
/// Returns whether it minted one.
pub(super) fn rotate_if_reached_revoked(access: &impl Access) -> Result<bool> {
    access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let Some(newest) = me.identity.keys.newest() else {
            return Ok(false);
        };
        // The founding key reached every device that ever joined; a minted one, those its
        // statements name (none known yet on a device that just joined: it trusts its inviter).
        if !store.key_reached_revoked(newest)? {
            return Ok(false);
        }
        let (epoch, key, sealed) = mint(store, &me, None)?;
        let writes = store.writes()?;
        queue(
            &writes,
            &me.identity,
            &me.identity.signing,
            &[RosterEntry::Rotate {
                epoch,
                keys: sealed.clone(),
            }],
        )?;
        install_key(&writes, epoch, &key, sealed.keys())?;
        writes.commit()?;
        Ok(true)
    })
}
