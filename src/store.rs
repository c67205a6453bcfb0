//! The local store: one SQLCipher file holding every plan document as automerge chunks, and the tables
//! derived from them, next to a small key file holding the (non-secret) key-derivation parameters.
//!
//! Invariants:
//! - the database is opened in exactly one function, [`connect`];
//! - a change to a document and the derived rows it implies are written in one transaction, so an
//!   acknowledged edit is never lost and the derived tables never disagree with the documents;
//! - derived tables can be rebuilt from the documents at any time ([`Store::rebuild_derived`]).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use argon2::{Algorithm, Argon2, Params, Version};
use automerge::{ActorId, AutoCommit};
use jiff::Timestamp;
use jiff::civil::Date;
use lru::LruCache;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::app::DueAction;
use crate::document;
use crate::domain::PlanDocument;
use crate::error::{Error, Result};
use crate::territory::{self, Bassin};
use crate::text::fold;

/// The migrations, in order; the schema version of a store is the number of migrations applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_actions_due",
        include_str!("../migrations/0002_actions_due.sql"),
    ),
    (
        "0003_audit_log",
        include_str!("../migrations/0003_audit_log.sql"),
    ),
    (
        "0004_directory",
        include_str!("../migrations/0004_directory.sql"),
    ),
    ("0005_sync", include_str!("../migrations/0005_sync.sql")),
    ("0006_team", include_str!("../migrations/0006_team.sql")),
    (
        "0007_team_key_candidates",
        include_str!("../migrations/0007_team_key_candidates.sql"),
    ),
    (
        "0008_erase_on",
        include_str!("../migrations/0008_erase_on.sql"),
    ),
    (
        "0009_orientation",
        include_str!("../migrations/0009_orientation.sql"),
    ),
    (
        "0010_person_bassin",
        include_str!("../migrations/0010_person_bassin.sql"),
    ),
];

/// Version of the derived tables' content. When the code derives rows differently, bump it: stores
/// rebuild their derived tables from the documents at the next open.
const DERIVED_VERSION: &str = "5";

/// How many documents (and plans) are kept in memory once read: more than a day of visits opens.
const CACHED_PLANS: std::num::NonZeroUsize = std::num::NonZeroUsize::new(16).expect("not zero");

/// The newest schema this build knows.
pub fn latest_schema() -> i64 {
    MIGRATIONS.len() as i64
}

/// Cost of the Argon2id key derivation, recorded in the key file next to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// What new stores use: 128 MiB, 3 passes, about 0.3 s on a 2-core laptop. Deliberately slow so
    /// that guessing passphrases on a stolen laptop is slow too.
    pub const RECOMMENDED: KdfParams = KdfParams {
        memory_kib: 128 * 1024,
        iterations: 3,
        parallelism: 1,
    };

    /// The cheapest Argon2id allows. Only for tests and throwaway stores: it protects nothing.
    pub const MINIMAL_FOR_TESTS: KdfParams = KdfParams {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
    };
}

/// What the key file holds: how to turn the passphrase into the store key. Nothing in it opens the
/// store without the passphrase (or the recovery key).
///
/// Format 1: the store key *is* Argon2id(passphrase, salt). Format 2: the store key is random and kept
/// sealed (XChaCha20-Poly1305) under Argon2id(passphrase, salt), and optionally under the recovery
/// key, so that changing the passphrase rewrites this file only. A format-1 file becomes format 2 at
/// the first change of passphrase or recovery key, keeping its store key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyFile {
    format: u32,
    kdf: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    passphrase_seal: Option<Seal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recovery_seal: Option<RecoverySeal>,
}

/// A store key sealed under a key-encryption key: nonce and ciphertext (with its tag), in hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Seal {
    nonce: String,
    ciphertext: String,
}

/// A store key sealed under Argon2id(recovery key, salt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecoverySeal {
    salt: String,
    #[serde(flatten)]
    seal: Seal,
}

const PASSPHRASE_AAD: &[u8] = b"proxi/store-key/v2/passphrase";
const RECOVERY_AAD: &[u8] = b"proxi/store-key/v2/recovery";

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| Error::Storage(format!("no random source: {e}")))?;
    Ok(bytes)
}

fn seal(store_key: &StoreKey, kek: &StoreKey, aad: &[u8]) -> Result<Seal> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let cipher =
        chacha20poly1305::XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&kek.0[..]));
    let nonce = random::<24>()?;
    let ciphertext = cipher
        .encrypt(
            chacha20poly1305::XNonce::from_slice(&nonce),
            Payload {
                msg: &store_key.0[..],
                aad,
            },
        )
        .map_err(|_| Error::Storage("the store key could not be sealed".into()))?;
    Ok(Seal {
        nonce: hex::encode(nonce),
        ciphertext: hex::encode(ciphertext),
    })
}

/// Opens a seal; `None` when the key-encryption key is wrong (or the seal was tampered with).
fn unseal(sealed: &Seal, kek: &StoreKey, aad: &[u8]) -> Option<StoreKey> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let cipher =
        chacha20poly1305::XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&kek.0[..]));
    let nonce = hex::decode(&sealed.nonce).ok().filter(|n| n.len() == 24)?;
    let ciphertext = hex::decode(&sealed.ciphertext).ok()?;
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                chacha20poly1305::XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad,
                },
            )
            .ok()?,
    );
    let mut key = Zeroizing::new([0u8; 32]);
    if plain.len() != 32 {
        return None;
    }
    key.copy_from_slice(&plain);
    Some(StoreKey(key))
}

/// The recovery key as people copy it: 40 hexadecimal digits in groups of four.
fn recovery_text(bytes: &[u8; 20]) -> String {
    hex::encode_upper(bytes)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The recovery key as typed: dashes, spaces and case do not matter.
fn normalize_recovery(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The 256-bit key of a store, wiped from memory when dropped.
#[derive(Clone)]
pub struct StoreKey(Zeroizing<[u8; 32]>);

impl StoreKey {
    /// A key from its 32 bytes (as kept in the OS keyring); `None` for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Option<StoreKey> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(StoreKey(Zeroizing::new(array)))
    }

    /// The key's 32 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0[..]
    }
}

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(..)")
    }
}

/// The path of the key file that goes with a store.
pub fn key_file_path(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".kdf.json");
    PathBuf::from(name)
}

/// The file next to the store counting wrong passphrases in a row (a number, nothing secret).
pub fn tries_file_path(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".tries");
    PathBuf::from(name)
}

/// Wrong passphrases given in a row for this store, across restarts of the app.
pub fn wrong_tries(store: &Path) -> u32 {
    std::fs::read_to_string(tries_file_path(store))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// How long the next try waits after `tries` wrong passphrases in a row: not at all for the first
/// three, then 1, 2, 4, 8, 16 and at most 30 seconds. Nothing is ever deleted because of them.
pub fn delay_after(tries: u32) -> std::time::Duration {
    match tries {
        0..=2 => std::time::Duration::ZERO,
        n => std::time::Duration::from_secs((1u64 << (n - 3).min(5)).min(30)),
    }
}

fn set_wrong_tries(store: &Path, tries: u32) {
    let path = tries_file_path(store);
    if tries == 0 {
        let _ = std::fs::remove_file(path);
        return;
    }
    // Written whole, then renamed: a crash leaves the old count or the new one. A failure to write
    // (read-only folder) only loses the slow-down, never the store.
    let temporary = path.with_extension("tries.new");
    if std::fs::write(&temporary, tries.to_string()).is_ok() {
        let _ = std::fs::rename(&temporary, &path);
    }
}

fn derive(passphrase: &str, params: KdfParams, salt: &[u8]) -> Result<StoreKey> {
    let invalid = |e: argon2::Error| Error::KeyFileInvalid {
        path: String::new(),
        reason: e.to_string(),
    };
    let argon_params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )
    .map_err(invalid)?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut key[..])
        .map_err(invalid)?;
    Ok(StoreKey(key))
}

fn read_key_file(store: &Path) -> Result<KeyFile> {
    let path = key_file_path(store);
    let shown = path.display().to_string();
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::KeyFileMissing(shown));
        }
        Err(e) => {
            return Err(Error::KeyFileInvalid {
                path: shown,
                reason: e.to_string(),
            });
        }
    };
    let file: KeyFile = serde_json::from_str(&text).map_err(|e| Error::KeyFileInvalid {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let sealed_ok = match file.format {
        1 => file.passphrase_seal.is_none(),
        2 => file.passphrase_seal.is_some(),
        _ => false,
    };
    if !sealed_ok || file.kdf != "argon2id" {
        let reason = format!("unknown format {} / {}", file.format, file.kdf);
        return Err(Error::KeyFileInvalid {
            path: shown,
            reason,
        });
    }
    Ok(file)
}

/// Derives the key of the store at `path` from the passphrase (deliberately slow: Argon2id with the
/// parameters recorded in the key file).
///
/// # Errors
/// [`Error::StoreNotFound`], [`Error::KeyFileMissing`] or [`Error::KeyFileInvalid`].
pub fn derive_key(path: &Path, passphrase: &str) -> Result<StoreKey> {
    if !path.exists() {
        return Err(Error::StoreNotFound(path.display().to_string()));
    }
    let file = read_key_file(path)?;
    let kek = derive_with(path, passphrase, file.params, &file.salt)?;
    match &file.passphrase_seal {
        None => Ok(kek),
        Some(sealed) => unseal(sealed, &kek, PASSPHRASE_AAD).ok_or(Error::WrongPassphrase),
    }
}

/// Argon2id of `secret` with the hex `salt` of the key file of `path`.
fn derive_with(path: &Path, secret: &str, params: KdfParams, salt: &str) -> Result<StoreKey> {
    let invalid = |reason: String| Error::KeyFileInvalid {
        path: key_file_path(path).display().to_string(),
        reason,
    };
    let salt = hex::decode(salt).map_err(|e| invalid(e.to_string()))?;
    derive(secret, params, &salt).map_err(|e| match e {
        Error::KeyFileInvalid { reason, .. } => invalid(reason),
        other => other,
    })
}

/// Unseals the store key of `path` with its recovery key.
///
/// # Errors
/// [`Error::WrongRecoveryKey`] when the key does not fit or the store has none.
pub fn derive_key_from_recovery(path: &Path, recovery: &str) -> Result<StoreKey> {
    if !path.exists() {
        return Err(Error::StoreNotFound(path.display().to_string()));
    }
    let file = read_key_file(path)?;
    let sealed = file.recovery_seal.as_ref().ok_or(Error::WrongRecoveryKey)?;
    let kek = derive_with(
        path,
        &normalize_recovery(recovery),
        file.params,
        &sealed.salt,
    )?;
    unseal(&sealed.seal, &kek, RECOVERY_AAD).ok_or(Error::WrongRecoveryKey)
}

/// Writes a file so that it is either wholly there or not at all.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let io = |e: std::io::Error| Error::Storage(format!("{}: {e}", path.display()));
    let mut file = fs::File::create(&tmp).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    fs::rename(&tmp, path).map_err(io)?;
    // The rename itself is durable once the directory is synced (where the OS allows opening it).
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
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

/// An orientation that has not moved for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StuckOrientation {
    pub person_id: Uuid,
    pub display_name: String,
    pub action_id: Uuid,
    pub what: String,
    pub step: crate::domain::OrientationStep,
    /// The day it reached that step.
    #[ts(type = "string")]
    pub since: Date,
}

/// A need for which no service was found: what, and where the person lives (no one named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnmetNeed {
    /// A directory theme code, when the referent chose one.
    pub theme: Option<String>,
    pub postal_code: String,
    pub commune: String,
    pub bassin: Option<Bassin>,
    pub since: String,
}

/// A row of the people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PersonSummary {
    pub id: Uuid,
    pub display_name: String,
    pub full_name: String,
    pub postal_code: String,
    pub commune: String,
    pub archived: bool,
    pub review_date: Option<String>,
    pub active_priorities: u32,
    pub open_actions: u32,
    /// Open actions whose date has passed.
    pub overdue_actions: u32,
    /// The bassin as the referent confirmed it, else as the postal code proposes it (Brussels codes).
    pub bassin: Option<Bassin>,
}

/// What the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AuditAction {
    Open,
    Print,
    Export,
    Erase,
}

impl AuditAction {
    fn as_str(self) -> &'static str {
        match self {
            AuditAction::Open => "open",
            AuditAction::Print => "print",
            AuditAction::Export => "export",
            AuditAction::Erase => "erase",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            AuditAction::Open,
            AuditAction::Print,
            AuditAction::Export,
            AuditAction::Erase,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "string")]
    pub at: Timestamp,
    pub author: String,
    pub action: AuditAction,
    pub person_id: Uuid,
    /// The person's name, while they are in the store.
    pub display_name: Option<String>,
}

/// Which people to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct PeopleQuery {
    /// Words of the name, in any case, with or without accents.
    pub text: String,
    pub include_archived: bool,
    /// Only the people whose postal code lies in this bassin.
    pub bassin: Option<Bassin>,
    /// Only the people whose plan is due for review (today or before).
    pub review_due: bool,
    /// Only the people with an open action past its date.
    pub overdue: bool,
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

    /// The document of one person, loaded once and then kept in memory.
    /// The connection, for the directory's own tables (never for plan documents: they go through
    /// [`Store::commit`]).
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }

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
            self.write_change(id, &mut doc, &change, plan, at)?;
        }
        self.docs.put(id, doc);
        self.plans.put(id, plan.clone());
        Ok(())
    }

    fn write_change(
        &mut self,
        id: Uuid,
        doc: &mut AutoCommit,
        change: &[u8],
        plan: &PlanDocument,
        at: Timestamp,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        append_chunk(&tx, id, doc, change)?;
        tx.execute(
            "INSERT OR IGNORE INTO sync_dirty (doc_id) VALUES (?1)",
            [id],
        )?;
        write_derived(&tx, plan, at)?;
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
        bookkeeping: impl FnOnce(&Transaction<'_>) -> Result<()>,
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
        let waiting: Vec<Vec<u8>> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT bytes FROM sync_pending WHERE doc_id = ?1 ORDER BY n")?;
            stmt.query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let all: Vec<&[u8]> = waiting
            .iter()
            .map(Vec::as_slice)
            .chain(payloads.iter().copied())
            .collect();
        for payload in &all {
            doc.load_incremental(payload)
                .map_err(|e| Error::DocumentInvalid(format!("received changes: {e}")))?;
        }
        // Changes still missing a dependency are kept as received, for the next merge.
        let still_waiting = !doc.get_missing_deps(&[]).is_empty();
        let change = doc.save_after(&before);
        let plan = if doc.get_heads().is_empty() {
            None
        } else {
            document::read(&doc).ok()
        };
        let tx = self.conn.transaction()?;
        if !change.is_empty() {
            append_chunk(&tx, id, &mut doc, &change)?;
        }
        if let Some(plan) = &plan {
            write_derived(&tx, plan, at)?;
        }
        tx.execute("DELETE FROM sync_pending WHERE doc_id = ?1", [id])?;
        if still_waiting {
            for (n, bytes) in (0i64..).zip(&all) {
                tx.execute(
                    "INSERT INTO sync_pending (doc_id, n, bytes) VALUES (?1, ?2, ?3)",
                    params![id, n, bytes],
                )?;
            }
        }
        bookkeeping(&tx)?;
        tx.commit()?;
        if plan.is_some() {
            self.docs.put(id, doc);
        }
        Ok(())
    }

    /// The people whose plan is to be erased by `today`: their consent says the plan is not to be kept,
    /// and the grace days have passed.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn erase_due(&self, today: Date) -> Result<Vec<Uuid>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM person_row WHERE erase_on IS NOT NULL AND erase_on <= ?1 ORDER BY id",
        )?;
        let ids = stmt
            .query_map([today.to_string()], |r| r.get::<_, Uuid>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// Rebuilds every derived table from the documents, in one transaction.
    ///
    /// # Errors
    /// [`Error::Storage`], or [`Error::DocumentInvalid`] if a document cannot be read.
    pub fn rebuild_derived(&mut self) -> Result<()> {
        let ids = self.document_ids()?;
        let mut plans = Vec::with_capacity(ids.len());
        for id in ids {
            let mut doc = self.load(id)?;
            let updated = doc
                .get_changes(&[])
                .iter()
                .map(|c| c.timestamp())
                .max()
                .and_then(|s| Timestamp::from_second(s).ok())
                .unwrap_or(Timestamp::UNIX_EPOCH);
            plans.push((document::read(&doc)?, updated));
        }
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM action_row; DELETE FROM person_row; DELETE FROM unmet_need;",
        )?;
        for (plan, updated) in &plans {
            write_derived(&tx, plan, *updated)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('derived_version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [DERIVED_VERSION],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The people list, sorted by name.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn people(&self, query: &PeopleQuery, today: Date) -> Result<Vec<PersonSummary>> {
        let escape = |w: &str| {
            format!(
                "%{}%",
                w.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        };
        let mut values: Vec<Box<dyn rusqlite::ToSql>> = vec![
            Box::new(query.include_archived),
            Box::new(today.to_string()),
        ];
        let mut sql = String::from(
            "SELECT id, display_name, full_name, postal_code, commune, archived, review_date,
                    active_priorities, open_actions,
                    (SELECT count(*) FROM action_row a
                     WHERE a.person_id = p.id AND a.due IS NOT NULL AND a.due < ?2) AS overdue,
                    bassin
             FROM person_row p WHERE (archived = 0 OR ?1)",
        );
        for word in fold(&query.text).split(' ').filter(|w| !w.is_empty()) {
            values.push(Box::new(escape(word)));
            sql.push_str(&format!(
                " AND search_key LIKE ?{} ESCAPE '\\'",
                values.len()
            ));
        }
        if let Some(bassin) = query.bassin {
            values.push(Box::new(bassin.code()));
            sql.push_str(&format!(" AND bassin = ?{}", values.len()));
        }
        if query.review_due {
            sql.push_str(" AND review_date IS NOT NULL AND review_date <= ?2");
        }
        if query.overdue {
            sql.push_str(" AND overdue > 0");
        }
        sql.push_str(" ORDER BY search_key, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn rusqlite::ToSql> = values.iter().map(AsRef::as_ref).collect();
        let rows = stmt.query_map(params.as_slice(), |r| {
            let bassin: Option<String> = r.get(10)?;
            Ok(PersonSummary {
                id: r.get(0)?,
                display_name: r.get(1)?,
                full_name: r.get(2)?,
                bassin: bassin.as_deref().and_then(Bassin::from_code),
                postal_code: r.get(3)?,
                commune: r.get(4)?,
                archived: r.get(5)?,
                review_date: r.get(6)?,
                active_priorities: r.get(7)?,
                open_actions: r.get(8)?,
                overdue_actions: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Orientations that have not moved since `before` (proposed, contacted or waiting for an
    /// appointment), across every person not archived, the longest stuck first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn stuck_orientations(&self, before: Date) -> Result<Vec<StuckOrientation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.person_id, p.display_name, a.id, a.what, a.orientation_step, a.orientation_since
             FROM action_row a JOIN person_row p ON p.id = a.person_id
             WHERE p.archived = 0 AND a.orientation_step IN ('proposed', 'contacted', 'appointment')
               AND a.orientation_since <= ?1
             ORDER BY a.orientation_since, p.search_key, a.id",
        )?;
        let rows = stmt.query_map([before.to_string()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, display_name, action_id, what, step, since) = row?;
            out.push(StuckOrientation {
                person_id,
                display_name,
                action_id,
                what,
                step: serde_json::from_value(serde_json::Value::String(step.clone()))
                    .map_err(|_| Error::StoreCorrupt(format!("orientation step '{step}'")))?,
                since: since
                    .parse()
                    .map_err(|_| Error::StoreCorrupt(format!("orientation date '{since}'")))?,
            });
        }
        Ok(out)
    }

    /// The needs for which no service was found, with the place of the person (for the bassin's
    /// needs watch), newest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn unmet_needs(&self) -> Result<Vec<UnmetNeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT theme, postal_code, commune, since FROM unmet_need ORDER BY since DESC, action_id",
        )?;
        let rows = stmt.query_map([], |r| {
            let postal_code: String = r.get(1)?;
            Ok(UnmetNeed {
                theme: r.get(0)?,
                bassin: territory::lookup(&postal_code).map(|a| a.bassin),
                postal_code,
                commune: r.get(2)?,
                since: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The open actions due on or before `until`, across every person not archived, oldest first;
    /// those due before `today` are overdue.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn actions_due(&self, today: Date, until: Date) -> Result<Vec<DueAction>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.person_id, p.display_name, a.id, a.what, a.due
             FROM action_row a JOIN person_row p ON p.id = a.person_id
             WHERE p.archived = 0 AND a.due IS NOT NULL AND a.due <= ?1
             ORDER BY a.due, p.search_key, a.id",
        )?;
        let rows = stmt.query_map([until.to_string()], |r| {
            let due: String = r.get(4)?;
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, due))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, display_name, action_id, what, due) = row?;
            let due: Date = due
                .parse()
                .map_err(|_| Error::StoreCorrupt(format!("due date '{due}'")))?;
            out.push(DueAction {
                person_id,
                display_name,
                action_id,
                what,
                due,
                overdue: due < today,
            });
        }
        Ok(out)
    }

    /// Records that the plan of `person` was opened, printed, exported or erased.
    pub(crate) fn audit(&self, at: Timestamp, action: AuditAction, person: Uuid) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO audit_log (at, author, action, person_id) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                at.as_millisecond(),
                self.author,
                action.as_str(),
                person
            ])?;
        Ok(())
    }

    /// The audit log, newest first, for one person or everyone; names of people since erased are gone.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn audit_log(&self, person: Option<Uuid>, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.at, l.author, l.action, l.person_id, p.display_name
             FROM audit_log l LEFT JOIN person_row p ON p.id = l.person_id
             WHERE ?1 IS NULL OR l.person_id = ?1
             ORDER BY l.seq DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![person, limit], |r| {
            let at: i64 = r.get(0)?;
            let action: String = r.get(2)?;
            Ok((at, r.get(1)?, action, r.get(3)?, r.get(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, author, action, person_id, display_name) = row?;
            let action = AuditAction::parse(&action)
                .ok_or_else(|| Error::StoreCorrupt(format!("audit action '{action}'")))?;
            let at =
                Timestamp::from_millisecond(at).map_err(|e| Error::StoreCorrupt(e.to_string()))?;
            out.push(AuditEntry {
                at,
                author,
                action,
                person_id,
                display_name,
            });
        }
        Ok(out)
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
        also: impl FnOnce(&Transaction<'_>) -> Result<()>,
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
        also(&tx)?;
        tx.commit()?;
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

/// Writes the derived rows of one plan.
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

fn write_derived(tx: &Transaction<'_>, plan: &PlanDocument, updated: Timestamp) -> Result<()> {
    let p = &plan.person;
    let full_name = format!("{} {}", p.first_name.trim(), p.last_name.trim())
        .trim()
        .to_owned();
    let search_key = fold(&format!(
        "{} {} {}",
        p.display_name, p.first_name, p.last_name
    ));
    let active = plan
        .plan
        .priorities
        .iter()
        .filter(|x| x.status == crate::domain::PriorityStatus::Active)
        .count() as i64;
    let open = plan
        .plan
        .actions
        .iter()
        .filter(|a| a.status.is_open())
        .count() as i64;
    let erase_on = crate::domain::erase_on(plan).map(|d| d.to_string());
    let bassin = p
        .address
        .bassin
        .or_else(|| territory::lookup(&p.address.postal_code).map(|a| a.bassin))
        .map(Bassin::code);
    tx.execute(
        "INSERT INTO person_row (id, display_name, full_name, search_key, postal_code, commune, archived,
                                 review_date, active_priorities, open_actions, updated_at, erase_on, bassin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET
            display_name = excluded.display_name, full_name = excluded.full_name,
            search_key = excluded.search_key, postal_code = excluded.postal_code,
            commune = excluded.commune, archived = excluded.archived,
            review_date = excluded.review_date, active_priorities = excluded.active_priorities,
            open_actions = excluded.open_actions, updated_at = excluded.updated_at,
            erase_on = excluded.erase_on, bassin = excluded.bassin",
        params![
            p.id,
            p.display_name,
            full_name,
            search_key,
            p.address.postal_code,
            p.address.commune,
            p.archived,
            plan.plan.review_date.map(|d| d.to_string()),
            active,
            open,
            updated.as_millisecond(),
            erase_on,
            bassin,
        ],
    )?;
    tx.execute("DELETE FROM action_row WHERE person_id = ?1", [p.id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO action_row (id, person_id, what, due, status, orientation_step, orientation_since)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for a in plan.plan.actions.iter().filter(|a| a.status.is_open()) {
        insert.execute(params![
            a.id,
            p.id,
            a.what,
            a.due.map(|d| d.to_string()),
            a.status.as_str(),
            a.orientation.as_ref().map(|o| o.step.as_str()),
            a.orientation.as_ref().map(|o| o.since.to_string()),
        ])?;
    }
    tx.execute("DELETE FROM unmet_need WHERE person_id = ?1", [p.id])?;
    let mut need = tx.prepare_cached(
        "INSERT INTO unmet_need (action_id, person_id, theme, postal_code, commune, since)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (a, o) in plan
        .plan
        .actions
        .iter()
        .filter_map(|a| Some((a, a.orientation.as_ref()?)))
        .filter(|(_, o)| o.step == crate::domain::OrientationStep::NoServiceFound)
    {
        need.execute(params![
            a.id,
            p.id,
            o.theme,
            p.address.postal_code,
            p.address.commune,
            o.since.to_string()
        ])?;
    }
    Ok(())
}
