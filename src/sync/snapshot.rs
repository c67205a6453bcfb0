//! Snapshots: after a full pull, a plan with many blobs since its last snapshot is sealed whole, so
//! that a new device starts from it instead of replaying every change.

use jiff::Timestamp;
use uuid::Uuid;

use super::SyncError;
use super::client::RelayClient;
use super::engine::{self, Identity};
use super::envelope::{self, BlobHeader, BlobKind};
use super::roster::known;
use super::run::SyncReport;
use super::team::{Access, require};
use crate::error::{Error, Result};
use crate::store::Store;

/// A plan is snapshotted once this many blobs of it came after its last snapshot.
pub const SNAPSHOT_AFTER: u32 = 20;

pub(super) const SNAPSHOT_MAGIC: &[u8; 4] = b"PXS1";

/// What a snapshot carries: the plan's whole document, the changes still waiting for a dependency,
/// and how far it covers each device's blobs of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub covers: Vec<(Uuid, u64)>,
    pub waiting: Vec<Vec<u8>>,
    pub document: Vec<u8>,
}

impl Snapshot {
    /// `"PXS1" | count u32 | (device 16 | sequence u64)… | count u32 | (length u32 | bytes)… | document`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.document.len() + 64);
        out.extend_from_slice(SNAPSHOT_MAGIC);
        out.extend_from_slice(&u32::try_from(self.covers.len()).unwrap_or(0).to_be_bytes());
        for (device, seq) in &self.covers {
            out.extend_from_slice(device.as_bytes());
            out.extend_from_slice(&seq.to_be_bytes());
        }
        out.extend_from_slice(&u32::try_from(self.waiting.len()).unwrap_or(0).to_be_bytes());
        for w in &self.waiting {
            out.extend_from_slice(&u32::try_from(w.len()).unwrap_or(0).to_be_bytes());
            out.extend_from_slice(w);
        }
        out.extend_from_slice(&self.document);
        out
    }

    /// Reads a snapshot; `None` for bytes that are not one (never a panic: they come from afar).
    pub fn decode(bytes: &[u8]) -> Option<Snapshot> {
        fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
            if bytes.len() < n {
                return None;
            }
            let (head, rest) = bytes.split_at(n);
            *bytes = rest;
            Some(head)
        }
        fn count(bytes: &mut &[u8]) -> Option<usize> {
            let raw: [u8; 4] = take(bytes, 4)?.try_into().ok()?;
            usize::try_from(u32::from_be_bytes(raw)).ok()
        }
        let mut rest = bytes;
        if take(&mut rest, 4)? != SNAPSHOT_MAGIC {
            return None;
        }
        let n = count(&mut rest)?;
        if n > rest.len() / 24 {
            return None;
        }
        let mut covers = Vec::with_capacity(n);
        for _ in 0..n {
            let device = Uuid::from_slice(take(&mut rest, 16)?).ok()?;
            let seq: [u8; 8] = take(&mut rest, 8)?.try_into().ok()?;
            covers.push((device, u64::from_be_bytes(seq)));
        }
        let n = count(&mut rest)?;
        if n > rest.len() / 4 {
            return None;
        }
        let mut waiting = Vec::with_capacity(n);
        for _ in 0..n {
            let len = count(&mut rest)?;
            waiting.push(take(&mut rest, len)?.to_vec());
        }
        Some(Snapshot {
            covers,
            waiting,
            document: rest.to_vec(),
        })
    }
}

/// Seals a snapshot of plan `id` covering the team's log up to `position` (this device's pull
/// cursor: every blob of the plan up to there is merged here). None for a plan that is not here or
/// has no consent to be shared.
pub(super) fn seal_snapshot(
    store: &mut Store,
    me: &Identity,
    id: Uuid,
    position: u64,
) -> Result<Option<Vec<u8>>> {
    let shared = match store.document(id) {
        Ok(doc) => crate::document::shared_with_team(doc),
        Err(Error::PersonNotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    if !shared {
        return Ok(None);
    }
    let document = store.document_bytes(id)?;
    let mut covers = store.device_cursors(id)?;
    let (own, _) = store.last_sent(id)?;
    if own > 0 {
        covers.push((me.device, own));
    }
    let waiting = store.waiting_changes(id)?;
    let payload = Snapshot {
        covers,
        waiting,
        document,
    }
    .encode();
    let header = BlobHeader {
        kind: BlobKind::Snapshot,
        team: me.team,
        document: id,
        device: me.device,
        sequence: position,
        epoch: me.epoch,
    };
    envelope::seal(me.team_key()?, &me.signing, &header, &payload)
        .map(Some)
        .map_err(|e| Error::Sync(SyncError::SealFailed(format!("sealing a snapshot: {e}"))))
}

/// After a full pull: snapshots the plans the relay says have many blobs since their last one, so
/// that a new device starts from them instead of replaying every change.
pub(super) fn compact(access: &impl Access, client: &RelayClient, token: &str) -> Result<()> {
    let stale = client.stale(token, SNAPSHOT_AFTER)?;
    for id in stale {
        let blob = access.with(|app| {
            let store = app.store_mut();
            let me = require(store)?;
            let position = engine::pull_cursor(store, &me.identity)?;
            seal_snapshot(store, &me.identity, id, position)
        })?;
        if let Some(blob) = blob {
            client.put_snapshot(token, &blob)?;
        }
    }
    Ok(())
}

/// A device that holds nothing of the team yet starts from the relay's snapshots; it then pulls the
/// log with their serial, so that the blobs they cover come empty. Returns that serial when every
/// snapshot was used (otherwise the log comes whole: what a snapshot covered is then merged twice,
/// which changes nothing).
pub(super) fn bootstrap(
    access: &impl Access,
    client: &RelayClient,
    token: &str,
    report: &mut SyncReport,
) -> Result<Option<u64>> {
    let fresh = access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let cursor = engine::pull_cursor(store, &me.identity)?;
        Ok(cursor == 0 && !store.has_device_cursors()? && store.document_ids()?.is_empty())
    })?;
    if !fresh {
        return Ok(None);
    }
    let (serial, blobs) = client.snapshots(token)?;
    report.pulled_bytes += blobs.iter().map(|b| 12 + b.len() as u64).sum::<u64>();
    if blobs.is_empty() {
        return Ok(None);
    }
    let at = Timestamp::now();
    let used = access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let members = known(store)?;
        let mut all = true;
        for blob in &blobs {
            let opened = envelope::peek(blob).ok().and_then(|h| {
                let author = members.get(&h.device)?;
                if h.kind != BlobKind::Snapshot || author.revoked_at.is_some() {
                    return None;
                }
                let (h, payload) =
                    envelope::open_with(blob, me.identity.team, &me.identity.keys, |_| {
                        author.verifying
                    })
                    .ok()?;
                Some((h, Snapshot::decode(&payload)?))
            });
            let Some((header, snapshot)) = opened else {
                all = false;
                report
                    .refused
                    .push("a snapshot this device cannot use: the plan comes whole".to_owned());
                continue;
            };
            let mut parts: Vec<&[u8]> = vec![&snapshot.document];
            parts.extend(snapshot.waiting.iter().map(Vec::as_slice));
            let merged = store.merge_received(header.document, &parts, at, |writes| {
                for (device, seq) in &snapshot.covers {
                    writes.raise_device_cursor(header.document, *device, *seq)?;
                }
                Ok(())
            });
            match merged {
                Ok(()) => report.applied += 1,
                // Nothing of it was written: the plan comes whole from the log.
                Err(Error::DocumentInvalid(why)) => {
                    all = false;
                    report
                        .refused
                        .push(format!("a snapshot that does not read: {why}"));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(all)
    })?;
    Ok(used.then_some(serial))
}
