//! The local store: one SQLCipher file holding every plan document as automerge chunks, and the tables
//! derived from them, next to a small key file holding the (non-secret) key-derivation parameters.
//!
//! The only owner of SQL in the core: no other module sees the connection. Its parts:
//! - here: the connection (open, migrate), documents (commit, merge what colleagues sent, erase);
//! - [`keyfile`]: the key file, the key derivation, the recovery key, wrong tries;
//! - [`derived`]: the rows read off the plans (people, open actions, unmet needs);
//! - [`audit`]: who opened, printed, exported or erased a plan.
//!
//! Invariants:
//! - the database is opened in exactly one function, [`connect`];
//! - a change to a document and the derived rows it implies are written in one transaction, so an
//!   acknowledged edit is never lost and the derived tables never disagree with the documents;
//! - derived tables can be rebuilt from the documents at any time ([`Store::rebuild_derived`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use automerge::{ActorId, AutoCommit};
use jiff::Timestamp;
use lru::LruCache;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::community::CommunityDocument;
use crate::document;
use crate::domain::PlanDocument;
use crate::error::{Error, Result};
use crate::group::GroupDocument;

mod audit;
mod derived;
mod directory;
mod keyfile;
mod ledger;
mod team;

pub use audit::{AuditAction, AuditEntry};
use derived::{DERIVED_VERSION, write_derived};
pub use derived::{DueAction, PeopleQuery, PersonSummary, StuckOrientation, UnmetNeed};
pub use keyfile::{
    KdfParams, StoreKey, delay_after, derive_key, derive_key_from_recovery, key_file_path,
    tries_file_path, wrong_tries,
};
use keyfile::{
    KeyFile, PASSPHRASE_AAD, RECOVERY_AAD, RecoverySeal, derive, normalize_recovery, random,
    read_key_file, recovery_text, seal, set_wrong_tries, write_atomically,
};
pub use ledger::{QueuedBlob, SyncRecord};
pub use team::{KnownMember, MemberRow, NewSelf, SelfRow};

/// The migrations, in order; the schema version of a store is the number of migrations applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/0001_init.sql")),
    (
        "0002_actions_due",
        include_str!("../../migrations/0002_actions_due.sql"),
    ),
    (
        "0003_audit_log",
        include_str!("../../migrations/0003_audit_log.sql"),
    ),
    (
        "0004_directory",
        include_str!("../../migrations/0004_directory.sql"),
    ),
    ("0005_sync", include_str!("../../migrations/0005_sync.sql")),
    ("0006_team", include_str!("../../migrations/0006_team.sql")),
    (
        "0007_team_key_candidates",
        include_str!("../../migrations/0007_team_key_candidates.sql"),
    ),
    (
        "0008_erase_on",
        include_str!("../../migrations/0008_erase_on.sql"),
    ),
    (
        "0009_orientation",
        include_str!("../../migrations/0009_orientation.sql"),
    ),
    (
        "0010_person_bassin",
        include_str!("../../migrations/0010_person_bassin.sql"),
    ),
    (
        "0011_stays",
        include_str!("../../migrations/0011_stays.sql"),
    ),
    (
        "0012_groups",
        include_str!("../../migrations/0012_groups.sql"),
    ),
    (
        "0013_community",
        include_str!("../../migrations/0013_community.sql"),
    ),
];

/// How many documents (and plans) are kept in memory once read: more than a day of visits opens.
const CACHED_PLANS: std::num::NonZeroUsize = std::num::NonZeroUsize::new(16).expect("not zero");

/// The newest schema this build knows.
pub fn latest_schema() -> i64 {
    MIGRATIONS.len() as i64
}

/// Opens the database: key, pragmas, migrations. The only place a connection is made.
fn connect(path: &Path, key: &StoreKey, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags)?;
    // A wrong key is reported through our error, not as SQLCipher's log lines on stderr.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let pragma = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex::encode(&key.0[..])));
    conn.execute_batch(&pragma)?;
    // SQLCipher only notices a wrong key at the first read of a page.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(Error::WrongPassphrase);
        }
        Err(e) => return Err(e.into()),
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Applies the migrations this store lacks, all in one transaction; refuses a newer store.
fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = latest_schema();
    if found > known {
        return Err(Error::StoreTooNew { found, known });
    }
    let tx = conn.transaction()?;
    for (version, (_, sql)) in (1i64..).zip(MIGRATIONS) {
        if version > found {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// One transaction on the store, seen through named writes (the sync ledger's, the team's): what
/// must land together does, and no SQL is written outside the store.
#[derive(Debug)]
pub struct Writes<'c> {
    tx: Transaction<'c>,
}

impl Writes<'_> {
    /// Makes every write of this transaction durable at once.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub(crate) fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    actor: ActorId,
    author: String,
    /// The documents read lately (the disk holds them all: a document dropped from here is read
    /// again when needed). Bounded, so that a sync touching every plan of a team, or a day opening
    /// many plans, does not keep them all in memory.
    docs: LruCache<Uuid, AutoCommit>,
    /// The plans as read from `docs`, kept in step with them.
    plans: LruCache<Uuid, PlanDocument>,
    /// The store key, to seal it anew when the passphrase or recovery key changes.
    key: StoreKey,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("cached", &self.docs.len())
            .finish()
    }
}

impl Store {
    /// Creates a new encrypted store at `path` (and its key file), keyed by `passphrase`.
    ///
    /// # Errors
    /// [`Error::StoreExists`] if a store is already there; [`Error::Storage`] if it cannot be written.
    pub fn create(path: &Path, passphrase: &str, params: KdfParams, author: &str) -> Result<Store> {
        if path.exists() {
            return Err(Error::StoreExists(path.display().to_string()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)
                .map_err(|e| Error::Storage(format!("{}: {e}", dir.display())))?;
        }
        // Format 2: a random store key, sealed under Argon2id(passphrase).
        let salt = random::<16>()?;
        let kek = derive(passphrase, params, &salt)?;
        let key = StoreKey(Zeroizing::new(random::<32>()?));
        let file = KeyFile {
            format: 2,
            kdf: "argon2id".into(),
            params,
            salt: hex::encode(salt),
            passphrase_seal: Some(seal(&key, &kek, PASSPHRASE_AAD)?),
            recovery_seal: None,
        };
        let json = serde_json::to_vec_pretty(&file).map_err(|e| Error::Storage(e.to_string()))?;
        write_atomically(&key_file_path(path), &json)?;
        let conn = connect(path, &key, true)?;
        let actor = ActorId::random();
        conn.execute_batch("BEGIN")?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('actor', ?1)",
            [actor.to_hex_string()],
        )?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('author', ?1)",
            [author],
        )?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('derived_version', ?1)",
            [DERIVED_VERSION],
        )?;
        conn.execute_batch("COMMIT")?;
        Self::from_connection(conn, path, &key)
    }

    /// Opens the store at `path` with its passphrase.
    ///
    /// # Errors
    /// [`Error::WrongPassphrase`], [`Error::StoreNotFound`], [`Error::StoreTooNew`], key file errors.
    pub fn open(path: &Path, passphrase: &str) -> Result<Store> {
        let key = derive_key(path, passphrase)?;
        Self::open_with_key(path, &key)
    }

    /// Opens the store as a person at the keyboard does: after three wrong passphrases in a row the
    /// next try first waits ([`delay_after`]); the count is kept next to the store, so that closing
    /// and reopening the app does not reset it, and is cleared by the right passphrase.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_guarded(path: &Path, passphrase: &str) -> Result<Store> {
        let tries = wrong_tries(path);
        std::thread::sleep(delay_after(tries));
        match Self::open(path, passphrase) {
            Ok(store) => {
                set_wrong_tries(path, 0);
                Ok(store)
            }
            Err(Error::WrongPassphrase) => {
                set_wrong_tries(path, tries.saturating_add(1));
                Err(Error::WrongPassphrase)
            }
            Err(e) => Err(e),
        }
    }

    /// Opens the store at `path` with a key already derived (see [`derive_key`]).
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_with_key(path: &Path, key: &StoreKey) -> Result<Store> {
        if !path.exists() {
            return Err(Error::StoreNotFound(path.display().to_string()));
        }
        let conn = connect(path, key, false)?;
        let mut store = Self::from_connection(conn, path, key)?;
        let derived: Option<String> = store
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'derived_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if derived.as_deref() != Some(DERIVED_VERSION) {
            store.rebuild_derived()?;
        }
        Ok(store)
    }

    /// Opens the store at `path` with its recovery key (when the passphrase is lost); set a new
    /// passphrase next with [`Store::change_passphrase`].
    ///
    /// # Errors
    /// [`Error::WrongRecoveryKey`], and as [`Store::open`].
    pub fn open_with_recovery(path: &Path, recovery: &str) -> Result<Store> {
        let key = derive_key_from_recovery(path, recovery)?;
        Self::open_with_key(path, &key)
    }

    /// Seals the store key under a new passphrase (new salt, `params` cost) and replaces the key file
    /// in one atomic rename: a crash leaves the old or the new passphrase working, never neither. The
    /// recovery key, if any, keeps working. The database itself is not rewritten.
    ///
    /// # Errors
    /// [`Error::Storage`] if the key file cannot be written; key file errors.
    pub fn change_passphrase(&mut self, new_passphrase: &str, params: KdfParams) -> Result<()> {
        let mut file = read_key_file(&self.path)?;
        let salt = random::<16>()?;
        let kek = derive(new_passphrase, params, &salt)?;
        file.format = 2;
        file.params = params;
        file.salt = hex::encode(salt);
        file.passphrase_seal = Some(seal(&self.key, &kek, PASSPHRASE_AAD)?);
        self.write_key_file(&file)
    }

    /// Makes a new recovery key (replacing any earlier one) and returns it, to be written down once
    /// and kept apart from the laptop: it opens the store if the passphrase is forgotten.
    ///
    /// # Errors
    /// [`Error::Storage`] if the key file cannot be written; key file errors.
    pub fn new_recovery_key(&mut self) -> Result<String> {
        let mut file = read_key_file(&self.path)?;
        if file.passphrase_seal.is_none() {
            // Format 1: the store key is the passphrase's key; seal it under itself to move to format 2.
            file.passphrase_seal = Some(seal(&self.key, &self.key, PASSPHRASE_AAD)?);
            file.format = 2;
        }
        let secret = random::<20>()?;
        let text = recovery_text(&secret);
        let salt = random::<16>()?;
        let kek = derive(&normalize_recovery(&text), file.params, &salt)?;
        file.recovery_seal = Some(RecoverySeal {
            salt: hex::encode(salt),
            seal: seal(&self.key, &kek, RECOVERY_AAD)?,
        });
        self.write_key_file(&file)?;
        Ok(text)
    }

    fn write_key_file(&self, file: &KeyFile) -> Result<()> {
        let json = serde_json::to_vec_pretty(file).map_err(|e| Error::Storage(e.to_string()))?;
        write_atomically(&key_file_path(&self.path), &json)
    }

    fn from_connection(conn: Connection, path: &Path, key: &StoreKey) -> Result<Store> {
        let meta = |key: &str| -> Result<String> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Error::StoreCorrupt(format!("setting '{key}' is missing")))
        };
        let actor_hex = meta("actor")?;
        let actor = hex::decode(&actor_hex)
            .map(ActorId::from)
            .map_err(|e| Error::StoreCorrupt(format!("device actor: {e}")))?;
        let author = meta("author")?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            actor,
            author,
            docs: LruCache::new(CACHED_PLANS),
            plans: LruCache::new(CACHED_PLANS),
            key: key.clone(),
        })
    }

    /// The store key (to keep it in the OS keyring when the referent asks, see [`crate::os_keyring`]).
    pub fn key(&self) -> &StoreKey {
        &self.key
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open store.
    ///
    /// # Errors
    /// [`Error::Storage`] if it cannot be read.
    pub fn schema(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The name this device signs its changes with.
    pub fn author(&self) -> &str {
        &self.author
    }

    /// A store-wide setting (the helpdesk…), when set.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// The store-wide settings whose keys start with `prefix`, by key.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub(crate) fn meta_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT key, value FROM meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
        )?;
        let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets (or, with none, removes) a store-wide setting.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub(crate) fn set_meta(&self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, v],
            )?,
            None => self
                .conn
                .execute("DELETE FROM meta WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// Keeps what the window had not saved yet (picture-card drafts, half-typed fields) when it locks
    /// itself: in the encrypted store, so it waits safely for the passphrase. One stash at a time;
    /// a new one replaces it.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn stash_unsaved(&self, json: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('unsaved', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json],
        )?;
        Ok(())
    }

    /// Takes the stash back (it is gone from the store afterwards), if there is one.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn take_unsaved(&mut self) -> Result<Option<String>> {
        let tx = self.conn.transaction()?;
        let found: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = 'unsaved'", [], |r| {
                r.get(0)
            })
            .optional()?;
        tx.execute("DELETE FROM meta WHERE key = 'unsaved'", [])?;
        tx.commit()?;
        Ok(found)
    }

    /// `PRAGMA integrity_check`.
    ///
    /// # Errors
    /// [`Error::StoreCorrupt`] with SQLite's findings.
    pub fn integrity_check(&self) -> Result<()> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(Error::StoreCorrupt(verdict))
        }
    }

    /// Copies the whole database, encrypted with the same key, to a new file at `copy`, and checks
    /// the copy's integrity. One step copies every page under one read transaction: a consistent
    /// snapshot, which a writer in WAL mode does not wait for.
    ///
    /// # Errors
    /// [`Error::Storage`]; [`Error::StoreCorrupt`] if the copy fails its integrity check.
    pub(crate) fn copy_database_to(&self, copy: &Path) -> Result<()> {
        let mut target = Connection::open(copy)?;
        target.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        let pragma = Zeroizing::new(format!(
            "PRAGMA key = \"x'{}'\";",
            hex::encode(self.key().as_bytes())
        ));
        target.execute_batch(&pragma)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
        backup.step(-1)?;
        drop(backup);
        let verdict: String = target.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict != "ok" {
            return Err(Error::StoreCorrupt(verdict));
        }
        Ok(())
    }

    /// The ids of every document in the store.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn document_ids(&self) -> Result<Vec<Uuid>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT doc_id FROM doc_chunk ORDER BY doc_id")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, Uuid>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    /// A transaction for writes that must land together ([`Writes`]).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub(crate) fn writes(&mut self) -> Result<Writes<'_>> {
        Ok(Writes {
            tx: self.conn.transaction()?,
        })
    }

    /// The document of one person, loaded once and then kept in memory.
    pub(crate) fn document(&mut self, id: Uuid) -> Result<&mut AutoCommit> {
        if !self.docs.contains(&id) {
            let doc = self.load(id)?;
            self.docs.put(id, doc);
        }
        self.docs.get_mut(&id).ok_or(Error::PersonNotFound(id))
    }

    /// How many documents are in memory now (at most 16; the measures and tests read it).
    pub fn cached_documents(&self) -> usize {
        self.docs.len()
    }

    /// The plan of one person, read once from its document and then kept in memory.
    pub(crate) fn plan(&mut self, id: Uuid) -> Result<PlanDocument> {
        if let Some(plan) = self.plans.get(&id) {
            return Ok(plan.clone());
        }
        let plan = document::read(self.document(id)?)?;
        self.plans.put(id, plan.clone());
        Ok(plan)
    }

    /// The plan before this device's last change to it, and what that change did (see
    /// [`document::before_last_change`]).
    pub(crate) fn before_last_change(
        &mut self,
        id: Uuid,
    ) -> Result<Option<(PlanDocument, String)>> {
        document::before_last_change(self.document(id)?)
    }

    fn load(&self, id: Uuid) -> Result<AutoCommit> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT bytes FROM doc_chunk WHERE doc_id = ?1 ORDER BY seq")?;
        let mut bytes = Vec::new();
        let mut rows = stmt.query([id])?;
        while let Some(row) = rows.next()? {
            bytes.extend_from_slice(&row.get::<_, Vec<u8>>(0)?);
        }
        if bytes.is_empty() {
            return Err(Error::PersonNotFound(id));
        }
        let mut doc = AutoCommit::load(&bytes)?;
        doc.set_actor(self.actor.clone());
        Ok(doc)
    }

    /// Records `plan` as the new state of document `id` (a new document if `id` has none): writes the
    /// change, its derived rows and, when due, a compacted snapshot, in one transaction.
    pub(crate) fn commit(
        &mut self,
        id: Uuid,
        plan: &PlanDocument,
        action: &str,
        at: Timestamp,
    ) -> Result<()> {
        // The cached plan is only a valid "previous" for the cached document.
        let previous = self.plans.pop(&id);
        let (mut doc, previous) = match self.docs.pop(&id) {
            Some(doc) => (doc, previous),
            None => match self.load(id) {
                Ok(doc) => (doc, None),
                Err(Error::PersonNotFound(_)) => (document::new_document(&self.actor), None),
                Err(e) => return Err(e),
            },
        };
        // On any failure the document and plan in memory are dropped: the next read reloads the disk.
        let before = document::write(&mut doc, plan, previous.as_ref(), action, &self.author, at)?;
        let change = doc.save_after(&before);
        if !change.is_empty() {
            self.write_change(id, &mut doc, &change, |tx| write_derived(tx, plan, at))?;
        }
        self.docs.put(id, doc);
        self.plans.put(id, plan.clone());
        Ok(())
    }

    /// The document of one Diapason group.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`] when no document has this id, [`Error::DocumentInvalid`] when it is not
    /// a group's.
    pub(crate) fn group(&mut self, id: Uuid) -> Result<GroupDocument> {
        match self.document(id) {
            Ok(doc) if document::kind(doc) == document::Kind::Group => document::read_group(doc),
            Ok(_) | Err(Error::PersonNotFound(_)) => Err(Error::ItemNotFound { kind: "group", id }),
            Err(e) => Err(e),
        }
    }

    /// The group before this device's last change to it (see [`document::before_last_change`]).
    pub(crate) fn group_before_last_change(&mut self, id: Uuid) -> Result<Option<GroupDocument>> {
        self.group(id)?;
        document::group_before_last_change(self.document(id)?)
    }

    /// Records `group` as the new state of document `id` (a new document if `id` has none), with its
    /// derived rows, in one transaction.
    pub(crate) fn commit_group(
        &mut self,
        id: Uuid,
        group: &GroupDocument,
        action: &str,
        at: Timestamp,
    ) -> Result<()> {
        self.commit_whole(id, group, action, at, |tx| {
            derived::write_group_derived(tx, &group.group, at)
        })
    }

    /// One community resource.
    ///
    /// # Errors
    /// [`Error::ItemNotFound`] when no community resource has this id, [`Error::DocumentInvalid`].
    pub(crate) fn community(&mut self, id: Uuid) -> Result<CommunityDocument> {
        match self.document(id) {
            Ok(doc) if document::kind(doc) == document::Kind::Community => {
                document::read_community(doc)
            }
            Ok(_) | Err(Error::PersonNotFound(_)) => Err(Error::ItemNotFound {
                kind: "community resource",
                id,
            }),
            Err(e) => Err(e),
        }
    }

    /// Records a community resource as the new state of document `id`, with its derived row.
    pub(crate) fn commit_community(
        &mut self,
        id: Uuid,
        resource: &CommunityDocument,
        action: &str,
        at: Timestamp,
    ) -> Result<()> {
        self.commit_whole(id, resource, action, at, |tx| {
            derived::write_community_derived(tx, &resource.resource, at)
        })
    }

    /// Records a team document written whole, with `derived` in the same transaction.
    fn commit_whole<T: autosurgeon::Reconcile>(
        &mut self,
        id: Uuid,
        value: &T,
        action: &str,
        at: Timestamp,
        derived: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut doc = match self.docs.pop(&id) {
            Some(doc) => doc,
            None => match self.load(id) {
                Ok(doc) => doc,
                Err(Error::PersonNotFound(_)) => document::new_document(&self.actor),
                Err(e) => return Err(e),
            },
        };
        let before = document::write_whole(&mut doc, value, action, &self.author, at)?;
        let change = doc.save_after(&before);
        if !change.is_empty() {
            self.write_change(id, &mut doc, &change, derived)?;
        }
        self.docs.put(id, doc);
        Ok(())
    }

    fn write_change(
        &mut self,
        id: Uuid,
        doc: &mut AutoCommit,
        change: &[u8],
        derived: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        append_chunk(&tx, id, doc, change)?;
        tx.execute(
            "INSERT OR IGNORE INTO sync_dirty (doc_id) VALUES (?1)",
            [id],
        )?;
        derived(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The whole automerge document of one person, as `save()` writes it (what sending whole documents
    /// would send; the sync benchmark's baseline).
    ///
    /// # Errors
    /// [`Error::PersonNotFound`], [`Error::Storage`].
    pub fn document_bytes(&mut self, id: Uuid) -> Result<Vec<u8>> {
        Ok(self.document(id)?.save())
    }

    /// This device's automerge actor: the changes it sends are the ones made under it.
    pub(crate) fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// Applies automerge changes received from other devices to document `id` (a new document when
    /// this store has none: a colleague's new person), and records them, the plan's derived rows and
    /// the caller's sync bookkeeping in one transaction. Changes whose dependencies have not arrived
    /// yet wait inside the document until they do; the plan is written once it reads.
    ///
    /// # Errors
    /// [`Error::DocumentInvalid`] for bytes automerge refuses (nothing is written), [`Error::Storage`].
    pub(crate) fn merge_received(
        &mut self,
        id: Uuid,
        payloads: &[&[u8]],
        at: Timestamp,
        bookkeeping: impl FnOnce(&Writes<'_>) -> Result<()>,
    ) -> Result<()> {
        self.plans.pop(&id);
        let mut doc = match self.docs.pop(&id) {
            Some(doc) => doc,
            None => match self.load(id) {
                Ok(doc) => doc,
                // Not `document::new_document` with its own root: the received history brings it.
                Err(Error::PersonNotFound(_)) => AutoCommit::new().with_actor(self.actor.clone()),
                Err(e) => return Err(e),
            },
        };
        let before = doc.get_heads();
        let waiting = self.waiting_changes(id)?;
        // Changes still missing a dependency are kept as received, for the next merge.
        let keep = document::load_received(&mut doc, &waiting, payloads)?;
        let change = doc.save_after(&before);
        let received = if doc.get_heads().is_empty() {
            Received::Nothing
        } else {
            match document::kind(&doc) {
                document::Kind::Plan => {
                    document::read(&doc).map_or(Received::Nothing, |p| Received::Plan(Box::new(p)))
                }
                document::Kind::Group => document::read_group(&doc)
                    .map_or(Received::Nothing, |g| Received::Group(g.group)),
                document::Kind::Community => document::read_community(&doc)
                    .map_or(Received::Nothing, |c| Received::Community(c.resource)),
                document::Kind::Other => Received::Nothing,
            }
        };
        let tx = self.conn.transaction()?;
        if !change.is_empty() {
            append_chunk(&tx, id, &mut doc, &change)?;
        }
        match &received {
            Received::Plan(plan) => write_derived(&tx, plan, at)?,
            Received::Group(group) => derived::write_group_derived(&tx, group, at)?,
            Received::Community(resource) => derived::write_community_derived(&tx, resource, at)?,
            Received::Nothing => {}
        }
        tx.execute("DELETE FROM sync_pending WHERE doc_id = ?1", [id])?;
        for (n, bytes) in (0i64..).zip(&keep) {
            tx.execute(
                "INSERT INTO sync_pending (doc_id, n, bytes) VALUES (?1, ?2, ?3)",
                params![id, n, bytes],
            )?;
        }
        let writes = Writes { tx };
        bookkeeping(&writes)?;
        writes.commit()?;
        if !matches!(received, Received::Nothing) {
            self.docs.put(id, doc);
        }
        Ok(())
    }

    /// Erases one person: their document, their derived rows, from memory and from disk. Freed pages
    /// are zeroed (`secure_delete`), the write-ahead log is emptied and the file rebuilt (`VACUUM`), so
    /// that no trace of the plan stays in the store's pages. The erasure itself is audited (by id).
    /// `also` writes, in the same transaction, what must never be apart from the erasure (the team's
    /// erased mark and the statement that tells the team): a crash leaves both or neither.
    pub(crate) fn erase(
        &mut self,
        id: Uuid,
        at: Timestamp,
        also: impl FnOnce(&Writes<'_>) -> Result<()>,
    ) -> Result<()> {
        self.docs.pop(&id);
        self.plans.pop(&id);
        let tx = self.conn.transaction()?;
        let chunks = tx.execute("DELETE FROM doc_chunk WHERE doc_id = ?1", [id])?;
        if chunks == 0 {
            return Err(Error::PersonNotFound(id));
        }
        tx.execute("DELETE FROM person_row WHERE id = ?1", [id])?;
        tx.execute("DELETE FROM action_row WHERE person_id = ?1", [id])?;
        tx.execute("DELETE FROM unmet_need WHERE person_id = ?1", [id])?;
        tx.execute("DELETE FROM stay_row WHERE person_id = ?1", [id])?;
        for table in [
            "sync_outbox",
            "sync_sent",
            "sync_cursor",
            "sync_pending",
            "sync_dirty",
        ] {
            tx.execute(&format!("DELETE FROM {table} WHERE doc_id = ?1"), [id])?;
        }
        tx.execute(
            "INSERT INTO audit_log (at, author, action, person_id) VALUES (?1, ?2, 'erase', ?3)",
            params![at.as_millisecond(), self.author, id],
        )?;
        let writes = Writes { tx };
        also(&writes)?;
        writes.commit()?;
        self.conn.execute_batch(
            "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);",
        )?;
        Ok(())
    }

    /// Drops the documents kept in memory (they are reloaded from disk when next needed).
    pub fn forget_cached(&mut self) {
        self.docs.clear();
        self.plans.clear();
    }
}

/// What a merge brought, read for its derived rows.
enum Received {
    Plan(Box<PlanDocument>),
    Group(crate::group::Group),
    Community(crate::community::CommunityResource),
    /// Not readable yet (changes still waiting for theirs), or of a kind this Proxi does not know.
    Nothing,
}

/// Appends `change` to document `id`'s chunks, or replaces them all by one snapshot of `doc` when the
/// increments have outgrown the last snapshot.
fn append_chunk(tx: &Transaction<'_>, id: Uuid, doc: &mut AutoCommit, change: &[u8]) -> Result<()> {
    let (snapshot, incremental, last): (i64, i64, Option<i64>) = tx.query_row(
        "SELECT coalesce(sum(CASE kind WHEN 'snapshot' THEN length(bytes) END), 0),
                coalesce(sum(CASE kind WHEN 'incremental' THEN length(bytes) END), 0),
                max(seq)
         FROM doc_chunk WHERE doc_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let seq = last.map_or(0, |s| s + 1);
    let change_len = i64::try_from(change.len()).unwrap_or(i64::MAX);
    if last.is_none() || incremental + change_len > snapshot.max(4096) {
        // Compaction: one snapshot replaces every chunk of the document.
        tx.execute("DELETE FROM doc_chunk WHERE doc_id = ?1", [id])?;
        tx.execute(
            "INSERT INTO doc_chunk (doc_id, seq, kind, bytes) VALUES (?1, ?2, 'snapshot', ?3)",
            params![id, seq, doc.save()],
        )?;
    } else {
        tx.execute(
            "INSERT INTO doc_chunk (doc_id, seq, kind, bytes) VALUES (?1, ?2, 'incremental', ?3)",
            params![id, seq, change],
        )?;
    }
    Ok(())
}
