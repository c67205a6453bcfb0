//! One automerge document per person: the plan as a CRDT, so that edits made apart merge with none lost.
//!
//! Each change carries a small JSON message (what was done, by whom) and the time from the [`Clock`];
//! [`history`] reads them back.
//!
//! [`Clock`]: crate::clock::Clock

use automerge::transaction::CommitOptions;
use automerge::{ActorId, AutoCommit, ChangeHash, ReadDoc};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::community::{COMMUNITY_SCHEMA, CommunityDocument};
use crate::domain::{DOCUMENT_SCHEMA, PlanDocument};
use crate::error::{Error, Result};
use crate::group::{GROUP_SCHEMA, GroupDocument};

/// What a change says about itself, stored as its automerge message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ChangeNote {
    /// Format of this note.
    v: u32,
    /// The use case that made the change (`priority.add`, `person.update`…).
    action: String,
    /// The person who made it (the referent's name as set on the device).
    author: String,
}

/// One change in a plan's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryEntry {
    /// The change's hash, as hex.
    pub change: String,
    #[ts(type = "string")]
    pub at: Timestamp,
    pub author: String,
    /// The device that made the change (its automerge actor, as hex).
    pub device: String,
    /// The device's name in the team (as it announced itself), when this device knows it.
    pub device_name: Option<String>,
    pub action: String,
    /// What the change changed, field by field (empty for the plan's creation).
    pub changes: Vec<crate::diff::FieldChange>,
}

/// Reads the plan out of a document.
///
/// # Errors
/// [`Error::DocumentInvalid`] when the document does not hold a plan of a known schema.
pub fn read(doc: &AutoCommit) -> Result<PlanDocument> {
    let plan: PlanDocument =
        autosurgeon::hydrate(doc).map_err(|e| Error::DocumentInvalid(e.to_string()))?;
    if plan.schema > DOCUMENT_SCHEMA {
        return Err(Error::DocumentInvalid(format!(
            "plan schema {} is newer than this Proxi's {DOCUMENT_SCHEMA}",
            plan.schema
        )));
    }
    Ok(plan)
}

/// Writes `plan` into `doc` as one change (only what differs is written) and returns the heads before
/// it, so the caller can save just that change. Nothing is committed when nothing differs.
///
/// `previous`, when given, must be what `doc` holds now (as [`read`] would return it): then only the
/// parts that differ from it are walked, which keeps an edit cheap however large the plan.
///
/// # Errors
/// [`Error::DocumentInvalid`] if automerge refuses the change.
pub fn write(
    doc: &mut AutoCommit,
    plan: &PlanDocument,
    previous: Option<&PlanDocument>,
    action: &str,
    author: &str,
    at: Timestamp,
) -> Result<Vec<ChangeHash>> {
    let before = doc.get_heads();
    reconcile_changes(doc, plan, previous).map_err(|e| Error::DocumentInvalid(e.to_string()))?;
    commit(doc, action, author, at)?;
    Ok(before)
}

/// Commits what was reconciled into `doc` as one change, with its note and time.
fn commit(doc: &mut AutoCommit, action: &str, author: &str, at: Timestamp) -> Result<()> {
    let note = ChangeNote {
        v: 1,
        action: action.to_owned(),
        author: author.to_owned(),
    };
    let message =
        serde_json::to_string(&note).map_err(|e| Error::DocumentInvalid(e.to_string()))?;
    doc.commit_with(
        CommitOptions::default()
            .with_message(message)
            .with_time(at.as_second()),
    );
    Ok(())
}

/// What a document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A person's plan (its root has no `kind`).
    Plan,
    /// A Diapason group of the team.
    Group,
    /// A community resource the team recorded (a neighbour who shops, a community connector…).
    Community,
    /// A kind this Proxi does not know (a newer one's): kept as received, never read nor sent.
    Other,
}

/// What `doc` holds, from its root's `kind`.
pub fn kind(doc: &AutoCommit) -> Kind {
    match doc.get(automerge::ROOT, "kind") {
        Ok(None) => Kind::Plan,
        Ok(Some((automerge::Value::Scalar(s), _))) => match s.as_ref() {
            automerge::ScalarValue::Str(k) if k.as_str() == crate::group::GROUP_KIND => Kind::Group,
            automerge::ScalarValue::Str(k) if k.as_str() == crate::community::COMMUNITY_KIND => {
                Kind::Community
            }
            _ => Kind::Other,
        },
        _ => Kind::Other,
    }
}

/// Whether `doc` may leave this device for the team: a plan only with the person's consent to keep it
/// and share it with the team; a group or a community resource always (they belong to the team and
/// hold no one's health data).
pub fn shared_with_team(doc: &AutoCommit) -> bool {
    match kind(doc) {
        Kind::Plan => read(doc)
            .ok()
            .and_then(|plan| plan.consent)
            .is_some_and(|c| c.keep_plan && c.share_with_team),
        Kind::Group | Kind::Community => true,
        Kind::Other => false,
    }
}

/// Reads a Diapason group out of a document.
///
/// # Errors
/// [`Error::DocumentInvalid`] when the document does not hold a group of a known schema.
pub fn read_group(doc: &AutoCommit) -> Result<GroupDocument> {
    if kind(doc) != Kind::Group {
        return Err(Error::DocumentInvalid("not a group's document".into()));
    }
    let group: GroupDocument =
        autosurgeon::hydrate(doc).map_err(|e| Error::DocumentInvalid(e.to_string()))?;
    if group.schema > GROUP_SCHEMA {
        return Err(Error::DocumentInvalid(format!(
            "group schema {} is newer than this Proxi's {GROUP_SCHEMA}",
            group.schema
        )));
    }
    Ok(group)
}

/// Reads a community resource out of a document.
///
/// # Errors
/// [`Error::DocumentInvalid`] when the document does not hold one of a known schema.
pub fn read_community(doc: &AutoCommit) -> Result<CommunityDocument> {
    if kind(doc) != Kind::Community {
        return Err(Error::DocumentInvalid(
            "not a community resource's document".into(),
        ));
    }
    let resource: CommunityDocument =
        autosurgeon::hydrate(doc).map_err(|e| Error::DocumentInvalid(e.to_string()))?;
    if resource.schema > COMMUNITY_SCHEMA {
        return Err(Error::DocumentInvalid(format!(
            "community resource schema {} is newer than this Proxi's {COMMUNITY_SCHEMA}",
            resource.schema
        )));
    }
    Ok(resource)
}

/// Writes a team document (a group, a community resource) into `doc` as one change and returns the
/// heads before it (such a document is small: it is reconciled whole, automerge writing only what
/// differs).
///
/// # Errors
/// [`Error::DocumentInvalid`] if automerge refuses the change.
pub fn write_whole<T: autosurgeon::Reconcile>(
    doc: &mut AutoCommit,
    value: &T,
    action: &str,
    author: &str,
    at: Timestamp,
) -> Result<Vec<ChangeHash>> {
    let before = doc.get_heads();
    autosurgeon::reconcile(doc, value).map_err(|e| Error::DocumentInvalid(e.to_string()))?;
    commit(doc, action, author, at)?;
    Ok(before)
}

/// Reconciles only the parts of `plan` that differ from `previous` (all of it without `previous`).
fn reconcile_changes(
    doc: &mut AutoCommit,
    plan: &PlanDocument,
    previous: Option<&PlanDocument>,
) -> Result<(), autosurgeon::ReconcileError> {
    use autosurgeon::reconcile_prop;
    // Every top-level field of `PlanDocument` is handled below: the round-trip property test rewrites
    // one plan over another through this path and fails if one is forgotten.
    let Some(old) = previous else {
        return autosurgeon::reconcile(doc, plan);
    };
    if old.schema != plan.schema {
        reconcile_prop(doc, automerge::ROOT, "schema", plan.schema)?;
    }
    if old.person != plan.person {
        reconcile_prop(doc, automerge::ROOT, "person", &plan.person)?;
    }
    if old.consent != plan.consent {
        reconcile_prop(doc, automerge::ROOT, "consent", &plan.consent)?;
    }
    let (new, old) = (&plan.plan, &old.plan);
    if new == old {
        return Ok(());
    }
    let plan_obj = match doc.get(automerge::ROOT, "plan") {
        Ok(Some((_, id))) if new.review_date == old.review_date => id,
        // No plan object yet, or the review date changed (written through its own mapping).
        _ => return reconcile_prop(doc, automerge::ROOT, "plan", new),
    };
    macro_rules! lists {
        ($($field:ident),*) => {$(
            if new.$field != old.$field {
                reconcile_prop(doc, &plan_obj, stringify!($field), &new.$field)?;
            }
        )*};
    }
    lists!(
        priorities,
        strengths,
        difficulties,
        actions,
        network,
        visits,
        stays,
        proposals,
        concertations
    );
    Ok(())
}

/// The plan as it was before the document's last change, with what that change did, when the last
/// change is this device's own and nothing came after it; `None` otherwise (nothing of ours to undo,
/// or a colleague's change came on top and undoing would overwrite it).
///
/// # Errors
/// [`Error::DocumentInvalid`] if the earlier state cannot be read.
pub fn before_last_change(doc: &mut AutoCommit) -> Result<Option<(PlanDocument, String)>> {
    before_last(doc, read)
}

/// The group before this device's last change to it, as [`before_last_change`] for a plan.
///
/// # Errors
/// [`Error::DocumentInvalid`] if the earlier state cannot be read.
pub fn group_before_last_change(doc: &mut AutoCommit) -> Result<Option<GroupDocument>> {
    Ok(before_last(doc, read_group)?.map(|(g, _)| g))
}

fn before_last<T>(
    doc: &mut AutoCommit,
    read: fn(&AutoCommit) -> Result<T>,
) -> Result<Option<(T, String)>> {
    let heads = doc.get_heads();
    let [head] = heads.as_slice() else {
        return Ok(None);
    };
    let actor = doc.get_actor().clone();
    let Some(change) = doc.get_change_by_hash(head) else {
        return Ok(None);
    };
    if change.actor_id() != &actor || change.deps().is_empty() {
        return Ok(None);
    }
    let action = change
        .message()
        .and_then(|m| serde_json::from_str::<ChangeNote>(m).ok())
        .map(|n| n.action)
        .unwrap_or_default();
    let deps = change.deps().to_vec();
    let earlier = doc.fork_at(&deps)?;
    Ok(Some((read(&earlier)?, action)))
}

/// Loads changes received from colleagues into `doc`: first those kept from earlier merges because a
/// change they depend on had not arrived, then `payloads`. Returns the changes to keep for the next
/// merge: all of them when some still miss a dependency, none otherwise. Both ledgers (the store and
/// memory) merge through here, so they keep the same rule.
///
/// # Errors
/// [`Error::DocumentInvalid`] for bytes automerge refuses.
pub fn load_received(
    doc: &mut AutoCommit,
    waiting: &[Vec<u8>],
    payloads: &[&[u8]],
) -> Result<Vec<Vec<u8>>> {
    let all: Vec<&[u8]> = waiting
        .iter()
        .map(Vec::as_slice)
        .chain(payloads.iter().copied())
        .collect();
    for payload in &all {
        doc.load_incremental(payload)
            .map_err(|e| Error::DocumentInvalid(format!("received changes: {e}")))?;
    }
    if doc.get_missing_deps(&[]).is_empty() {
        Ok(Vec::new())
    } else {
        Ok(all.iter().map(|p| p.to_vec()).collect())
    }
}

/// A new, empty document for a device.
pub fn new_document(actor: &ActorId) -> AutoCommit {
    let mut doc = AutoCommit::new();
    doc.set_actor(actor.clone());
    doc
}

/// The plan's changes, newest first.
pub fn history(doc: &mut AutoCommit) -> Vec<HistoryEntry> {
    // The changes are replayed in order into a fresh document: the plan after each one, compared with
    // the plan before it, says what it changed.
    let mut replay = AutoCommit::new();
    let mut state = serde_json::Value::Null;
    let mut entries: Vec<HistoryEntry> = doc
        .get_changes(&[])
        .into_iter()
        .map(|change| {
            let after = replay
                .apply_changes([change.clone()])
                .ok()
                .and_then(|()| read(&replay).ok())
                .and_then(|plan| serde_json::to_value(plan).ok())
                .unwrap_or(serde_json::Value::Null);
            let changes = if state.is_null() || after.is_null() {
                Vec::new()
            } else {
                crate::diff::between(&state, &after)
            };
            if !after.is_null() {
                state = after;
            }
            let note = change
                .message()
                .and_then(|m| serde_json::from_str::<ChangeNote>(m).ok())
                .unwrap_or_else(|| ChangeNote {
                    v: 1,
                    action: change.message().map(str::to_owned).unwrap_or_default(),
                    author: String::new(),
                });
            HistoryEntry {
                change: change.hash().to_string(),
                at: Timestamp::from_second(change.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH),
                author: note.author,
                device: change.actor_id().to_hex_string(),
                device_name: None,
                action: note.action,
                changes,
            }
        })
        .collect();
    entries.reverse();
    entries
}

/// The values one field holds after a merge of concurrent writes (more than one means a conflict that
/// automerge resolved by picking a winner; the others are kept and readable here).
pub fn conflicting_values(doc: &AutoCommit, path: &[&str]) -> Result<Vec<String>> {
    let (last, parents) = path
        .split_last()
        .ok_or_else(|| Error::DocumentInvalid("empty path".into()))?;
    let mut obj = automerge::ROOT;
    for key in parents {
        match doc.get(&obj, *key)? {
            Some((_, id)) => obj = id,
            None => return Ok(Vec::new()),
        }
    }
    Ok(doc
        .get_all(&obj, *last)?
        .into_iter()
        .map(|(value, _)| match value.as_str() {
            Some(s) => s.to_owned(),
            None => value.to_string(),
        })
        .collect())
}

/// Does a plan read from `doc` still carry `read`'s schema marker? Used by tests of the contract.
pub fn schema(doc: &AutoCommit) -> Option<u64> {
    match doc.get(automerge::ROOT, "schema").ok().flatten() {
        Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
            automerge::ScalarValue::Uint(u) => Some(*u),
            automerge::ScalarValue::Int(i) => u64::try_from(*i).ok(),
            _ => None,
        },
        _ => None,
    }
}
