//! What the sync engine keeps between runs, as a trait: the plans' documents, what changed since it
//! was sealed, the outbox, how far each device's blobs were applied, where the team's log was read to.
//! The engine sees nothing else, so that it runs the same over the encrypted store (the app) and over
//! memory (simulations, and whoever wants to test a protocol change without SQLite).
//!
//! Each method that writes is one atomic step: a ledger that crashes between two calls must still
//! hold everything acknowledged by the calls that returned.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{ActorId, AutoCommit, ChangeHash};
use jiff::Timestamp;
use uuid::Uuid;

use super::engine::Outgoing;
use crate::document;
use crate::domain::PlanDocument;
use crate::error::{Error, Result};
use crate::store::Store;

/// The engine's memory between runs. See the module's documentation.
pub trait Ledger {
    /// This device's automerge actor: the changes it sends are the ones made under it.
    fn actor(&self) -> ActorId;

    /// The documents changed here since their last blob was sealed.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn dirty(&mut self) -> Result<Vec<Uuid>>;

    /// The sequence of this device's last blob of `document` (0 before the first) and the heads it
    /// covered.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn last_sent(&mut self, document: Uuid) -> Result<(u64, Vec<ChangeHash>)>;

    /// A document, or `None` when it is not here (erased meanwhile).
    ///
    /// # Errors
    /// [`Error::Storage`], [`Error::DocumentInvalid`].
    fn document(&mut self, document: Uuid) -> Result<Option<&mut AutoCommit>>;

    /// `document` has nothing to seal (it is gone).
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn forget_dirty(&mut self, document: Uuid) -> Result<()>;

    /// In one step: the blob sealed for `document` (its sequence, bytes and the heads it covers)
    /// goes to the outbox, and `document` is no longer dirty. `None`: nothing of this device's to
    /// send, only no longer dirty.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn sealed(&mut self, document: Uuid, blob: Option<(u64, &[u8], &[ChangeHash])>) -> Result<()>;

    /// Every blob not acknowledged by the relay, in the order sealed.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn outbox(&mut self) -> Result<Vec<Outgoing>>;

    /// The relay holds this blob: it leaves the outbox.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn acknowledge(&mut self, document: Uuid, sequence: u64) -> Result<()>;

    /// The position in `team`'s log up to which this device has read.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn pull_cursor(&mut self, team: Uuid) -> Result<u64>;

    /// # Errors
    /// [`Error::Storage`].
    fn set_pull_cursor(&mut self, team: Uuid, cursor: u64) -> Result<()>;

    /// The plans the team erased.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn erased(&mut self) -> Result<BTreeSet<Uuid>>;

    /// The sequence of `device`'s last blob of `document` applied here.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn device_cursor(&mut self, document: Uuid, device: Uuid) -> Result<u64>;

    /// In one step: merges changes received from colleagues into `document` (a new one when not
    /// here), keeping those whose dependencies have not arrived for a later merge, and moves the
    /// devices' cursors of `document` to `cursors`. On an error nothing of it is kept.
    ///
    /// # Errors
    /// [`Error::DocumentInvalid`] for bytes automerge refuses, [`Error::Storage`].
    fn merge(
        &mut self,
        document: Uuid,
        payloads: &[&[u8]],
        cursors: &BTreeMap<Uuid, u64>,
        at: Timestamp,
    ) -> Result<()>;
}

fn heads_bytes(heads: &[ChangeHash]) -> Vec<u8> {
    heads.iter().flat_map(|h| h.0).collect()
}

fn heads_of(bytes: &[u8]) -> Vec<ChangeHash> {
    bytes
        .chunks_exact(32)
        .filter_map(|c| <[u8; 32]>::try_from(c).ok().map(ChangeHash))
        .collect()
}

/// The app's ledger: the encrypted store, through its named sync tables.
impl Ledger for Store {
    fn actor(&self) -> ActorId {
        Store::actor(self).clone()
    }

    fn dirty(&mut self) -> Result<Vec<Uuid>> {
        self.dirty_documents()
    }

    fn last_sent(&mut self, document: Uuid) -> Result<(u64, Vec<ChangeHash>)> {
        let (sequence, heads) = Store::last_sent(self, document)?;
        Ok((sequence, heads_of(&heads)))
    }

    fn document(&mut self, document: Uuid) -> Result<Option<&mut AutoCommit>> {
        match Store::document(self, document) {
            Ok(doc) => Ok(Some(doc)),
            Err(Error::PersonNotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn forget_dirty(&mut self, document: Uuid) -> Result<()> {
        Store::forget_dirty(self, document)
    }

    fn sealed(&mut self, document: Uuid, blob: Option<(u64, &[u8], &[ChangeHash])>) -> Result<()> {
        let writes = self.writes()?;
        if let Some((sequence, blob, heads)) = blob {
            writes.queue_blob(document, sequence, blob, &heads_bytes(heads))?;
        }
        writes.forget_dirty(document)?;
        writes.commit()
    }

    fn outbox(&mut self) -> Result<Vec<Outgoing>> {
        Ok(Store::outbox(self)?
            .into_iter()
            .map(|q| Outgoing {
                document: q.document,
                sequence: q.sequence,
                blob: q.blob,
            })
            .collect())
    }

    fn acknowledge(&mut self, document: Uuid, sequence: u64) -> Result<()> {
        Store::acknowledge(self, document, sequence)
    }

    fn pull_cursor(&mut self, team: Uuid) -> Result<u64> {
        self.relay_cursor(team)
    }

    fn set_pull_cursor(&mut self, team: Uuid, cursor: u64) -> Result<()> {
        self.set_relay_cursor(team, cursor)
    }

    fn erased(&mut self) -> Result<BTreeSet<Uuid>> {
        self.erased_documents()
    }

    fn device_cursor(&mut self, document: Uuid, device: Uuid) -> Result<u64> {
        Store::device_cursor(self, document, device)
    }

    fn merge(
        &mut self,
        document: Uuid,
        payloads: &[&[u8]],
        cursors: &BTreeMap<Uuid, u64>,
        at: Timestamp,
    ) -> Result<()> {
        self.merge_received(document, payloads, at, |writes| {
            for (device, sequence) in cursors {
                writes.set_device_cursor(document, *device, *sequence)?;
            }
            Ok(())
        })
    }
}

/// A ledger in memory, with the same rules as the store's: for simulations and tests of the
/// protocol. [`MemoryLedger::commit`] edits a plan as the app would.
#[derive(Debug)]
pub struct MemoryLedger {
    actor: ActorId,
    author: String,
    docs: BTreeMap<Uuid, AutoCommit>,
    dirty: BTreeSet<Uuid>,
    sent: BTreeMap<Uuid, (u64, Vec<ChangeHash>)>,
    outbox: Vec<Outgoing>,
    relay: BTreeMap<Uuid, u64>,
    cursors: BTreeMap<(Uuid, Uuid), u64>,
    waiting: BTreeMap<Uuid, Vec<Vec<u8>>>,
    erased: BTreeSet<Uuid>,
}

impl MemoryLedger {
    /// An empty ledger for a device whose changes are signed `author` in plans' histories.
    pub fn new(author: &str) -> MemoryLedger {
        MemoryLedger {
            actor: ActorId::random(),
            author: author.to_owned(),
            docs: BTreeMap::new(),
            dirty: BTreeSet::new(),
            sent: BTreeMap::new(),
            outbox: Vec::new(),
            relay: BTreeMap::new(),
            cursors: BTreeMap::new(),
            waiting: BTreeMap::new(),
            erased: BTreeSet::new(),
        }
    }

    /// Records `plan` as the new state of `id` (a new document when there is none), as one change,
    /// to be sent: what [`Store`] does for an edit in the app.
    ///
    /// # Errors
    /// [`Error::DocumentInvalid`] if automerge refuses the change.
    pub fn commit(
        &mut self,
        id: Uuid,
        plan: &PlanDocument,
        action: &str,
        at: Timestamp,
    ) -> Result<()> {
        let actor = self.actor.clone();
        let doc = self
            .docs
            .entry(id)
            .or_insert_with(|| document::new_document(&actor));
        let previous = if doc.get_heads().is_empty() {
            None
        } else {
            Some(document::read(doc)?)
        };
        document::write(doc, plan, previous.as_ref(), action, &self.author, at)?;
        self.dirty.insert(id);
        Ok(())
    }

    /// The plan of `id`.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`], [`Error::DocumentInvalid`].
    pub fn plan(&self, id: Uuid) -> Result<PlanDocument> {
        document::read(self.docs.get(&id).ok_or(Error::PersonNotFound(id))?)
    }

    /// The ids of the plans held (those that read: a document still waiting for its first
    /// change is not one yet).
    pub fn ids(&mut self) -> Vec<Uuid> {
        self.docs
            .iter_mut()
            .filter_map(|(id, doc)| (!doc.get_heads().is_empty()).then_some(*id))
            .collect()
    }

    /// The team erased `id`: gone here, and its late blobs are passed over.
    pub fn erase(&mut self, id: Uuid) {
        self.docs.remove(&id);
        self.dirty.remove(&id);
        self.sent.remove(&id);
        self.waiting.remove(&id);
        self.outbox.retain(|o| o.document != id);
        self.cursors.retain(|(doc, _), _| *doc != id);
        self.erased.insert(id);
    }
}

impl Ledger for MemoryLedger {
    fn actor(&self) -> ActorId {
        self.actor.clone()
    }

    fn dirty(&mut self) -> Result<Vec<Uuid>> {
        Ok(self.dirty.iter().copied().collect())
    }

    fn last_sent(&mut self, document: Uuid) -> Result<(u64, Vec<ChangeHash>)> {
        Ok(self.sent.get(&document).cloned().unwrap_or_default())
    }

    fn document(&mut self, document: Uuid) -> Result<Option<&mut AutoCommit>> {
        let Some(doc) = self.docs.get_mut(&document) else {
            return Ok(None);
        };
        if doc.get_heads().is_empty() {
            return Ok(None);
        }
        Ok(Some(doc))
    }

    fn forget_dirty(&mut self, document: Uuid) -> Result<()> {
        self.dirty.remove(&document);
        Ok(())
    }

    fn sealed(&mut self, document: Uuid, blob: Option<(u64, &[u8], &[ChangeHash])>) -> Result<()> {
        if let Some((sequence, blob, heads)) = blob {
            self.outbox.push(Outgoing {
                document,
                sequence,
                blob: blob.to_vec(),
            });
            self.sent.insert(document, (sequence, heads.to_vec()));
        }
        self.dirty.remove(&document);
        Ok(())
    }

    fn outbox(&mut self) -> Result<Vec<Outgoing>> {
        Ok(self.outbox.clone())
    }

    fn acknowledge(&mut self, document: Uuid, sequence: u64) -> Result<()> {
        self.outbox
            .retain(|o| !(o.document == document && o.sequence == sequence));
        Ok(())
    }

    fn pull_cursor(&mut self, team: Uuid) -> Result<u64> {
        Ok(self.relay.get(&team).copied().unwrap_or(0))
    }

    fn set_pull_cursor(&mut self, team: Uuid, cursor: u64) -> Result<()> {
        self.relay.insert(team, cursor);
        Ok(())
    }

    fn erased(&mut self) -> Result<BTreeSet<Uuid>> {
        Ok(self.erased.clone())
    }

    fn device_cursor(&mut self, document: Uuid, device: Uuid) -> Result<u64> {
        Ok(self.cursors.get(&(document, device)).copied().unwrap_or(0))
    }

    fn merge(
        &mut self,
        document: Uuid,
        payloads: &[&[u8]],
        cursors: &BTreeMap<Uuid, u64>,
        _at: Timestamp,
    ) -> Result<()> {
        // Worked on a copy: on an error, the ledger is as before.
        let mut doc = match self.docs.get(&document) {
            Some(doc) => doc.clone(),
            None => AutoCommit::new().with_actor(self.actor.clone()),
        };
        let waiting = self.waiting.get(&document).cloned().unwrap_or_default();
        let keep = document::load_received(&mut doc, &waiting, payloads)?;
        if keep.is_empty() {
            self.waiting.remove(&document);
        } else {
            self.waiting.insert(document, keep);
        }
        self.docs.insert(document, doc);
        for (device, sequence) in cursors {
            self.cursors.insert((document, *device), *sequence);
        }
        Ok(())
    }
}
