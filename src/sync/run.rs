//! One sync with the relay, in short turns on the app (never across a network call): erasures asked,
//! this device's blobs pushed, the team's new blobs pulled and merged, snapshots made; and where sync
//! stands, for the window.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::SyncError;
use super::client::RelayClient;
use super::engine::{self};
use super::keys::rotate_if_reached_revoked;
use super::roster::absorb;
use super::snapshot::{bootstrap, compact};
use super::team::{Access, TeamInfo, info, require};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{Store, SyncRecord};

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncReport {
    /// Blobs of this device the relay now holds.
    pub pushed: u32,
    /// Blobs read from the relay.
    pub pulled: u32,
    /// Colleagues' changes merged into plans here (and snapshots a new device started from).
    pub applied: u32,
    /// Bytes of blobs and snapshots received.
    #[ts(type = "number")]
    pub pulled_bytes: u64,
    /// Blobs refused (tampered, unknown or revoked device), with why: nothing of them was used.
    pub refused: Vec<String>,
}

/// The sync status in words' raw material: when it last worked, what waits, what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncStatus {
    /// None when this device is in no team.
    pub team: Option<TeamInfo>,
    /// Milliseconds since the epoch of the last sync that went through.
    #[ts(type = "number | null")]
    pub last_ok: Option<i64>,
    #[ts(type = "number | null")]
    pub last_try: Option<i64>,
    /// What went wrong at the last try, if it did.
    pub problem: Option<SyncProblem>,
    /// Plans with changes not yet on the relay.
    pub waiting: u32,
    /// Plans changed here that stay on this device: no consent to share them with the team.
    pub private: u32,
}

/// Why the last sync did not go through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncProblem {
    pub code: ErrorCode,
    pub message: String,
}

/// Where sync stands, in numbers the UI words.
///
/// # Errors
/// [`Error::Storage`].
pub fn status(store: &mut Store) -> Result<SyncStatus> {
    let team = info(store)?;
    let SyncRecord {
        last_try,
        last_ok,
        problem,
    } = store.sync_record()?;
    let outbox = store.outbox_documents()?;
    let dirty = store.dirty_documents()?;
    let roster = team.as_ref().map(|t| t.team);
    let mut waiting = outbox.iter().filter(|d| Some(**d) != roster).count();
    let mut private = 0;
    for id in dirty {
        if outbox.contains(&id) {
            continue;
        }
        let shared = store
            .document(id)
            .ok()
            .is_some_and(|doc| crate::document::shared_with_team(doc));
        if shared {
            waiting += 1;
        } else {
            private += 1;
        }
    }
    Ok(SyncStatus {
        team,
        last_ok,
        last_try,
        problem: problem.and_then(|p| serde_json::from_str(&p).ok()),
        waiting: u32::try_from(waiting).unwrap_or(u32::MAX),
        private,
    })
}

pub(super) fn record(store: &mut Store, at: Timestamp, outcome: &Result<SyncReport>) -> Result<()> {
    let problem = match outcome {
        Ok(_) => None,
        Err(e) => Some(
            serde_json::to_string(&SyncProblem {
                code: e.code(),
                message: e.to_string(),
            })
            .map_err(|e| Error::Storage(e.to_string()))?,
        ),
    };
    store.record_sync(at.as_millisecond(), problem.as_deref())
}

/// Pushes the outbox only (the blobs the relay has not acknowledged), oldest first.
pub(super) fn push_outbox(access: &impl Access) -> Result<u32> {
    let (relay, token, out) = access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let out = engine::outgoing(store, &me.identity)?;
        Ok((me.relay, me.token, out))
    })?;
    let client = RelayClient::new(&relay)?;
    let mut pushed = 0;
    for blob in out {
        client.push(&token, &blob.blob)?;
        access.with(|app| engine::acknowledge(app.store_mut(), blob.document, blob.sequence))?;
        pushed += 1;
    }
    Ok(pushed)
}

/// One sync with the relay: erasures asked of it, this device's blobs pushed, the team's new blobs
/// pulled and merged. The app is reached in short turns, never across a network call; the outcome is
/// recorded for the status.
///
/// # Errors
/// [`SyncError::NoTeam`], [`SyncError::DeviceRevoked`], [`SyncError::RelayUnreachable`],
/// [`SyncError::RelayRefused`], [`Error::Storage`]; what was done before the error stays done.
pub fn sync(access: &impl Access) -> Result<SyncReport> {
    sync_with(access, SyncOptions::default())
}

/// How a sync goes about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// A device that holds nothing of the team yet starts from the relay's snapshots (the default);
    /// without, it replays the whole log (the benchmark's baseline).
    pub start_from_snapshots: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            start_from_snapshots: true,
        }
    }
}

/// [`sync`], with options.
///
/// # Errors
/// As [`sync`].
pub fn sync_with(access: &impl Access, options: SyncOptions) -> Result<SyncReport> {
    let outcome = match sync_steps(access, options) {
        // Removed from the team by a colleague: the relay says so, and this device stops trying.
        Err(Error::Sync(SyncError::RelayRefused {
            status: 403,
            message,
        })) if message == crate::sync::wire::REVOKED_DEVICE => {
            access.with(|app| app.store_mut().set_self_revoked())?;
            Err(Error::Sync(SyncError::DeviceRevoked))
        }
        other => other,
    };
    let at = Timestamp::now();
    access.with(|app| record(app.store_mut(), at, &outcome))?;
    outcome
}

pub(super) fn sync_steps(access: &impl Access, options: SyncOptions) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let (relay, token, erasures) = access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let erasures = store.erasures_to_ask()?;
        Ok((me.relay, me.token, erasures))
    })?;
    let client = RelayClient::new(&relay)?;
    for document in erasures {
        client.erase(&token, document)?;
        access.with(|app| app.store_mut().erasure_asked(document))?;
    }
    rotate_if_reached_revoked(access)?;
    report.pushed = push_outbox(access)?;
    let started = if options.start_from_snapshots {
        bootstrap(access, &client, &token, &mut report)?
    } else {
        None
    };
    loop {
        let since = access.with(|app| {
            let store = app.store_mut();
            let me = require(store)?;
            engine::pull_cursor(store, &me.identity)
        })?;
        let (blobs, more) = client.pull(&token, since, started)?;
        report.pulled += u32::try_from(blobs.len()).unwrap_or(u32::MAX);
        report.pulled_bytes += blobs.iter().map(|(_, b)| 12 + b.len() as u64).sum::<u64>();
        let applied = access.with(|app| absorb(app, &blobs))?;
        report.applied += applied.applied;
        report.refused.extend(applied.refused);
        if !more || blobs.is_empty() {
            break;
        }
    }
    if rotate_if_reached_revoked(access)? {
        report.pushed += push_outbox(access)?;
    }
    compact(access, &client, &token)?;
    Ok(report)
}
