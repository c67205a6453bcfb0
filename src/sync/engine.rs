//! The sync engine, with no input or output of its own: it turns this device's new automerge changes
//! into sealed blobs to push, and blobs pulled from the relay into merged plans. Whoever moves the
//! bytes (the relay client, a test's simulated network) calls it.
//!
//! The rules that make it lose nothing and duplicate nothing:
//! - a blob is sealed once, kept in the outbox in the same transaction that records what it covers,
//!   and pushed byte for byte until the relay acknowledges it: a retry is the same blob, which the relay
//!   recognises by its (document, device, sequence);
//! - a document's blobs from one device are applied in sequence order, each once; the cursor moves in
//!   the same transaction as the merged document;
//! - a blob is opened (signature of a known device, then decryption) before anything of it is used;
//! - changes that depend on changes not received yet wait, stored, until those arrive.

//!
//! What it keeps between runs goes through a [`Ledger`]: the store in the app, memory in simulations.

use std::collections::BTreeMap;

use ed25519_dalek::{SigningKey, VerifyingKey};
use jiff::Timestamp;
use uuid::Uuid;

use super::SyncError;
use super::envelope::{self, BlobHeader, BlobKind, EnvelopeError, Keyring, TeamKey};
pub use super::ledger::Ledger;
use crate::error::{Error, Result};

/// Who this device is in its team, and the keys it seals with.
#[derive(Debug)]
pub struct Identity {
    pub team: Uuid,
    pub device: Uuid,
    /// The team key's current epoch: new blobs are sealed with its key.
    pub epoch: u32,
    /// The team keys of every epoch this device holds.
    pub keys: Keyring,
    pub signing: SigningKey,
}

impl Identity {
    /// The key new blobs are sealed with.
    ///
    /// # Errors
    /// [`SyncError::TeamKeyMissing`] when the current epoch's key is not in the store.
    pub fn team_key(&self) -> Result<&TeamKey> {
        self.keys
            .get(self.epoch)
            .ok_or(Error::Sync(SyncError::TeamKeyMissing(self.epoch)))
    }
}

/// A blob to push to the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub document: Uuid,
    pub sequence: u64,
    pub blob: Vec<u8>,
}

/// What applying a batch of pulled blobs did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Blobs applied now.
    pub applied: u32,
    /// Blobs already applied before (a duplicate or a retry): skipped.
    pub duplicates: u32,
    /// Blobs further on than the next expected one of their device: left for a later pull.
    pub ahead: u32,
    /// Blobs of erased plans (dropped by the relay, or late): passed over.
    pub erased: u32,
    /// Blobs refused, with why (bad signature, unknown device, another team…); nothing of them is used.
    pub refused: Vec<String>,
}

/// Seals this device's changes not yet sealed (one blob per changed document) into the outbox, and
/// returns the whole outbox: every blob the relay has not acknowledged, in the order to push them.
///
/// # Errors
/// [`Error::Storage`]; [`Error::DocumentInvalid`] if a document cannot be read.
pub fn outgoing<L: Ledger + ?Sized>(ledger: &mut L, me: &Identity) -> Result<Vec<Outgoing>> {
    let actor = ledger.actor();
    for id in ledger.dirty()? {
        let (last, sent_heads) = ledger.last_sent(id)?;
        let Some(doc) = ledger.document(id)? else {
            // Erased meanwhile: nothing to send.
            ledger.forget_dirty(id)?;
            continue;
        };
        // A plan leaves the device only with the person's consent to share it with the team; it
        // stays marked, and goes with its whole history once that consent is recorded. A group
        // belongs to the team: it always goes.
        if !crate::document::shared_with_team(doc) {
            continue;
        }
        let heads = doc.get_heads();
        // Only this device's own changes: the others' travel in their own devices' logs.
        let payload: Vec<u8> = doc
            .get_changes(&sent_heads)
            .into_iter()
            .filter(|c| c.actor_id() == &actor)
            .flat_map(|c| c.raw_bytes().to_vec())
            .collect();
        if payload.is_empty() {
            ledger.sealed(id, None)?;
            continue;
        }
        let sequence = last + 1;
        let header = BlobHeader {
            kind: BlobKind::Changes,
            team: me.team,
            document: id,
            device: me.device,
            sequence,
            epoch: me.epoch,
        };
        let blob = envelope::seal(me.team_key()?, &me.signing, &header, &payload)
            .map_err(|e| Error::Sync(SyncError::SealFailed(format!("sealing a blob: {e}"))))?;
        ledger.sealed(id, Some((sequence, &blob, &heads)))?;
    }
    ledger.outbox()
}

/// The relay holds this blob: it leaves the outbox.
///
/// # Errors
/// [`Error::Storage`].
pub fn acknowledge<L: Ledger + ?Sized>(
    ledger: &mut L,
    document: Uuid,
    sequence: u64,
) -> Result<()> {
    ledger.acknowledge(document, sequence)
}

/// Where to pull the team's log from: the relay's position of the last blob this device has read.
///
/// # Errors
/// [`Error::Storage`].
pub fn pull_cursor<L: Ledger + ?Sized>(ledger: &mut L, me: &Identity) -> Result<u64> {
    ledger.pull_cursor(me.team)
}

/// Applies blobs pulled from the relay, given with their position in the team's log, in any order
/// and with any duplicates or holes: each document's blobs from each device are applied once, in
/// sequence, the document's cursor moving with the merged document. The pull cursor then moves to
/// the end of the unbroken run of positions after it (a hole is pulled again next time).
///
/// `devices` gives the public key a blob of a device at a log position must be signed with (none for
/// a device the team does not trust there: unknown yet, or revoked before that position). Blobs of
/// the team roster (document = team id) are read by [`super::team`] before, and passed over here;
/// so are blobs the relay dropped for an erasure (empty), and late blobs of an erased plan.
///
/// # Errors
/// [`Error::Storage`]; [`Error::DocumentInvalid`] when a blob that opened holds bytes automerge
/// refuses (then nothing of that document's batch is written).
pub fn apply<L: Ledger + ?Sized>(
    ledger: &mut L,
    me: &Identity,
    devices: &dyn Fn(Uuid, u64) -> Option<VerifyingKey>,
    pulled: &[(u64, Vec<u8>)],
    at: Timestamp,
) -> Result<Applied> {
    let mut report = Applied::default();
    let from = ledger.pull_cursor(me.team)?;
    let mut positions: Vec<u64> = pulled
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| *p > from)
        .collect();
    positions.sort_unstable();
    positions.dedup();
    let mut reach = from;
    for p in positions {
        if p != reach + 1 {
            break;
        }
        reach = p;
    }
    let blobs: Vec<(u64, &Vec<u8>)> = pulled
        .iter()
        .filter(|(p, _)| *p > from && *p <= reach)
        .map(|(p, b)| (*p, b))
        .collect();
    // A blob of a device this one does not know yet (its enrolment has not arrived) is read again
    // next time: the cursor stops before it. A blob that fails its signature or decryption never
    // will pass: it is reported and passed over.
    let mut hold = u64::MAX;
    // (document, device) → sequence → payload, opened and checked first.
    let mut streams: BTreeMap<(Uuid, Uuid), BTreeMap<u64, Vec<u8>>> = BTreeMap::new();
    let erased = ledger.erased()?;
    for (position, blob) in blobs {
        if blob.is_empty() {
            report.erased += 1;
            continue;
        }
        let epoch = match envelope::peek(blob) {
            Ok(h) if h.team == me.team && h.document == me.team => continue,
            Ok(h) if h.kind != BlobKind::Changes => {
                report.refused.push(format!(
                    "a {:?} blob in the log of changes: passed over",
                    h.kind
                ));
                continue;
            }
            Ok(h) if erased.contains(&h.document) => {
                report.erased += 1;
                continue;
            }
            Ok(h) => h.epoch,
            Err(e) => {
                report.refused.push(refusal(blob, &e));
                continue;
            }
        };
        if me.keys.candidates(epoch).is_empty() {
            report
                .refused
                .push(refusal(blob, &EnvelopeError::UnknownEpoch(epoch)));
            continue;
        }
        match envelope::open_with(blob, me.team, &me.keys, |device| devices(device, position)) {
            Ok((header, _)) if header.device == me.device => report.duplicates += 1,
            Ok((header, payload)) => {
                streams
                    .entry((header.document, header.device))
                    .or_default()
                    .insert(header.sequence, payload);
            }
            Err(e) => {
                if matches!(e, EnvelopeError::UnknownDevice(_)) {
                    hold = hold.min(position);
                }
                report.refused.push(refusal(blob, &e));
            }
        }
    }
    let reach = reach.min(hold.saturating_sub(1));
    let mut by_document: BTreeMap<Uuid, Vec<(Uuid, u64, Vec<u8>)>> = BTreeMap::new();
    for ((document, device), blobs) in streams {
        let cursor = ledger.device_cursor(document, device)?;
        let mut next = cursor + 1;
        for (sequence, payload) in blobs {
            if sequence < next {
                report.duplicates += 1;
            } else if sequence == next {
                by_document
                    .entry(document)
                    .or_default()
                    .push((device, sequence, payload));
                next += 1;
            } else {
                // Cannot happen with a relay that keeps each device's blobs in order; kept for a
                // later pull rather than applied out of order.
                report.ahead += 1;
            }
        }
    }
    for (document, blobs) in by_document {
        let payloads: Vec<&[u8]> = blobs.iter().map(|(_, _, p)| p.as_slice()).collect();
        let mut last: BTreeMap<Uuid, u64> = BTreeMap::new();
        for (device, sequence, _) in &blobs {
            last.insert(*device, *sequence);
        }
        ledger.merge(document, &payloads, &last, at)?;
        report.applied += u32::try_from(blobs.len()).unwrap_or(u32::MAX);
    }
    if report.ahead == 0 && reach > from {
        ledger.set_pull_cursor(me.team, reach)?;
    }
    Ok(report)
}

fn refusal(blob: &[u8], e: &EnvelopeError) -> String {
    match envelope::peek(blob) {
        Ok(h) => format!(
            "blob {} of device {} for document {}: {e}",
            h.sequence, h.device, h.document
        ),
        Err(_) => format!("a blob: {e}"),
    }
}
