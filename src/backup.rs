//! Backups: one file that holds the store and its key file, still encrypted, so that the same
//! passphrase (or recovery key) opens it.
//!
//! The file is a tar archive of three entries: `manifest.json` (format, schema, date, sizes and
//! SHA-256 of the other two; no name, no word of a plan), `proxi.db` (a page-by-page copy of the
//! SQLCipher database made with SQLite's online backup API in one step, so a consistent snapshot even
//! while another process writes) and `proxi.db.kdf.json` (the key file: salts and sealed keys, nothing
//! that opens the store without the passphrase).
//!
//! Restoring checks everything before touching the current store: the archive, each entry's checksum,
//! the schema, the passphrase, and SQLite's integrity check of the restored copy. Only then is the
//! current store moved aside (never overwritten) and the restored one moved in.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::{Store, key_file_path, latest_schema, tries_file_path};

/// The format of backups this build writes, and the newest it reads.
pub const BACKUP_FORMAT: u32 = 1;

/// The file ending of backups, as the window proposes it.
pub const EXTENSION: &str = "proxibackup";

const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "proxi.db";
const KEY_FILE: &str = "proxi.db.kdf.json";
/// No entry of ours comes near this; a larger one is a damaged or foreign file, refused unread.
const MAX_ENTRY: u64 = 8 << 30;

/// What a backup says of itself (readable without the passphrase: it holds nothing personal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    format: u32,
    /// The Proxi version that wrote it.
    app_version: String,
    /// The store's schema version.
    schema: i64,
    created: Timestamp,
    database_bytes: u64,
    database_sha256: String,
    key_file_sha256: String,
}

/// A backup as the window and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupInfo {
    pub path: String,
    /// When it was made (RFC 3339, UTC).
    pub created: String,
    /// The size of the backup file, in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreReport {
    pub backup: BackupInfo,
    /// Where the store that was there before now is (renamed, untouched), if there was one.
    pub kept_aside: Option<String>,
}

fn invalid(why: impl Into<String>) -> Error {
    Error::BackupInvalid(why.into())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Storage(format!("{}: {e}", path.display()))
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A path next to `path`, with `suffix` added to its name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The folder a file lives in ("." for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

impl Store {
    /// Writes a backup of this store to `dest` (replaced whole if it exists: written aside, then
    /// renamed). Other connections may write meanwhile: the copy is the state of one moment.
    ///
    /// # Errors
    /// [`Error::Storage`] if the copy or the file cannot be written; [`Error::StoreCorrupt`] if the
    /// copy fails its integrity check.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupInfo> {
        let folder = folder_of(dest);
        fs::create_dir_all(folder).map_err(io(folder))?;
        // The copy is encrypted like the store: it can sit in the destination's folder while made.
        let work = tempfile::Builder::new()
            .prefix(".proxi-backup-")
            .tempdir_in(folder)
            .map_err(io(folder))?;
        let copy = work.path().join(DATABASE);
        self.copy_database_to(&copy)?;
        let database = fs::read(&copy).map_err(io(&copy))?;
        let key_path = key_file_path(self.path());
        let key_file = fs::read(&key_path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::KeyFileMissing(key_path.display().to_string()),
            _ => Error::Storage(format!("{}: {e}", key_path.display())),
        })?;
        let created = Timestamp::now();
        let manifest = Manifest {
            format: BACKUP_FORMAT,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema: self.schema()?,
            created,
            database_bytes: database.len() as u64,
            database_sha256: sha256(&database),
            key_file_sha256: sha256(&key_file),
        };
        let manifest =
            serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Storage(e.to_string()))?;
        let partial = work.path().join("backup.partial");
        {
            let file = fs::File::create(&partial).map_err(io(&partial))?;
            let mut archive = tar::Builder::new(std::io::BufWriter::new(file));
            for (name, bytes) in [
                (MANIFEST, &manifest[..]),
                (DATABASE, &database[..]),
                (KEY_FILE, &key_file[..]),
            ] {
                let mut header = tar::Header::new_gnu();
                header.set_size(bytes.len() as u64);
                header.set_mode(0o600);
                header.set_mtime(created.as_second().max(0).unsigned_abs());
                header.set_cksum();
                archive
                    .append_data(&mut header, name, bytes)
                    .map_err(io(&partial))?;
            }
            let mut writer = archive.into_inner().map_err(io(&partial))?;
            writer.flush().map_err(io(&partial))?;
            writer
                .into_inner()
                .map_err(|e| Error::Storage(format!("{}: {e}", partial.display())))?
                .sync_all()
                .map_err(io(&partial))?;
        }
        fs::rename(&partial, dest).map_err(io(dest))?;
        if let Ok(dir) = fs::File::open(folder) {
            let _ = dir.sync_all();
        }
        let bytes = fs::metadata(dest).map_err(io(dest))?.len();
        Ok(BackupInfo {
            path: dest.display().to_string(),
            created: created.to_string(),
            bytes,
        })
    }
}

/// The entries of a backup file, checked: the manifest readable and of a format and schema this
/// build knows, each entry present with its checksum.
struct Unpacked {
    manifest: Manifest,
    database: Vec<u8>,
    key_file: Vec<u8>,
    bytes: u64,
}

fn unpack(file: &Path) -> Result<Unpacked> {
    let handle = fs::File::open(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => invalid(format!("there is no file at {}", file.display())),
        _ => Error::Storage(format!("{}: {e}", file.display())),
    })?;
    let bytes = handle.metadata().map_err(io(file))?.len();
    let mut archive = tar::Archive::new(handle);
    let (mut manifest, mut database, mut key_file) = (None, None, None);
    let entries = archive
        .entries()
        .map_err(|_| invalid("this file is not a Proxi backup"))?;
    for entry in entries {
        let mut entry =
            entry.map_err(|_| invalid("this backup is damaged (it cannot be read to its end)"))?;
        let name = entry
            .path()
            .map_err(|_| invalid("this file is not a Proxi backup"))?
            .to_string_lossy()
            .into_owned();
        let size = entry.size();
        if size > MAX_ENTRY {
            return Err(invalid("this file is not a Proxi backup"));
        }
        let mut content = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        entry
            .read_to_end(&mut content)
            .map_err(|_| invalid("this backup is damaged (it stops before its end)"))?;
        if content.len() as u64 != size {
            return Err(invalid("this backup is damaged (it stops before its end)"));
        }
        match name.as_str() {
            MANIFEST => manifest = Some(content),
            DATABASE => database = Some(content),
            KEY_FILE => key_file = Some(content),
            _ => {}
        }
    }
    let manifest = manifest.ok_or_else(|| invalid("this file is not a Proxi backup"))?;
    // The format first: a newer Proxi may write a manifest this one cannot read whole.
    let format = serde_json::from_slice::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|v| v.get("format").and_then(serde_json::Value::as_u64))
        .ok_or_else(|| invalid("this file is not a Proxi backup"))?;
    if format > u64::from(BACKUP_FORMAT) {
        return Err(Error::BackupTooNew(format!("backup format {format}")));
    }
    let manifest: Manifest = serde_json::from_slice(&manifest)
        .map_err(|e| invalid(format!("its description cannot be read ({e})")))?;
    if manifest.schema > latest_schema() {
        return Err(Error::BackupTooNew(format!(
            "store schema {}, this Proxi knows up to {}",
            manifest.schema,
            latest_schema()
        )));
    }
    let database = database.ok_or_else(|| invalid("this backup is damaged (no store in it)"))?;
    let key_file = key_file.ok_or_else(|| invalid("this backup is damaged (no key file in it)"))?;
    if sha256(&database) != manifest.database_sha256
        || sha256(&key_file) != manifest.key_file_sha256
    {
        return Err(invalid(
            "this backup is damaged (its content does not match its checksum)",
        ));
    }
    Ok(Unpacked {
        manifest,
        database,
        key_file,
        bytes,
    })
}

/// Reads a backup's date and size, checking its archive and checksums (no passphrase needed).
///
/// # Errors
/// [`Error::BackupInvalid`] for a damaged or foreign file, [`Error::BackupTooNew`].
pub fn inspect(file: &Path) -> Result<BackupInfo> {
    let unpacked = unpack(file)?;
    Ok(BackupInfo {
        path: file.display().to_string(),
        created: unpacked.manifest.created.to_string(),
        bytes: unpacked.bytes,
    })
}

/// Unpacks a backup into a new folder inside `folder` and opens it with `passphrase`: the checks of a
/// restore, all done before anything else is touched.
fn unpack_and_open(
    file: &Path,
    passphrase: &str,
    folder: &Path,
) -> Result<(Unpacked, tempfile::TempDir)> {
    let unpacked = unpack(file)?;
    let work = tempfile::Builder::new()
        .prefix(".proxi-restore-")
        .tempdir_in(folder)
        .map_err(io(folder))?;
    let candidate = work.path().join(DATABASE);
    fs::write(&candidate, &unpacked.database).map_err(io(&candidate))?;
    fs::write(key_file_path(&candidate), &unpacked.key_file).map_err(io(&candidate))?;
    {
        let opened = Store::open(&candidate, passphrase)?;
        opened.integrity_check()?;
    }
    Ok((unpacked, work))
}

/// Checks that a backup is sound and opens with `passphrase` (in a temporary folder; nothing else
/// is touched).
///
/// # Errors
/// As [`restore`].
pub fn verify(file: &Path, passphrase: &str) -> Result<BackupInfo> {
    let (unpacked, _work) = unpack_and_open(file, passphrase, &std::env::temp_dir())?;
    Ok(BackupInfo {
        path: file.display().to_string(),
        created: unpacked.manifest.created.to_string(),
        bytes: unpacked.bytes,
    })
}

/// The files that make up a store, besides the database itself.
fn companions(store: &Path) -> [PathBuf; 3] {
    [
        key_file_path(store),
        beside(store, "-wal"),
        beside(store, "-shm"),
    ]
}

/// Restores the backup `file` as the store at `store`, after checking it opens with `passphrase`
/// and passes SQLite's integrity check. A store already at `store` is renamed aside first (never
/// overwritten); the search index of the directory is rebuilt at the next search. The store must not
/// be open (the window locks it first).
///
/// # Errors
/// [`Error::BackupInvalid`], [`Error::BackupTooNew`], [`Error::WrongPassphrase`] (nothing touched
/// then); [`Error::Storage`] if the files cannot be moved.
pub fn restore(file: &Path, passphrase: &str, store: &Path) -> Result<RestoreReport> {
    let folder = folder_of(store);
    fs::create_dir_all(folder).map_err(io(folder))?;
    // Checked in a folder beside the store: same disk, so moving it in is a rename.
    let (unpacked, work) = unpack_and_open(file, passphrase, folder)?;
    let candidate = work.path().join(DATABASE);
    let kept_aside = if store.exists() {
        let stamp = Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
        let mut aside = beside(store, &format!(".before-restore-{stamp}"));
        let mut n = 1;
        while aside.exists() {
            n += 1;
            aside = beside(store, &format!(".before-restore-{stamp}-{n}"));
        }
        for companion in companions(store) {
            if companion.exists() {
                let suffix = companion
                    .as_os_str()
                    .to_string_lossy()
                    .strip_prefix(&*store.as_os_str().to_string_lossy())
                    .unwrap_or_default()
                    .to_owned();
                let target = beside(&aside, &suffix);
                fs::rename(&companion, &target).map_err(io(&companion))?;
            }
        }
        fs::rename(store, &aside).map_err(io(store))?;
        Some(aside.display().to_string())
    } else {
        None
    };
    // The key file first: a crash between the two renames leaves a key file without a store, which
    // `proxi init` refuses to overwrite and the next restore replaces.
    fs::rename(key_file_path(&candidate), key_file_path(store)).map_err(io(store))?;
    fs::rename(&candidate, store).map_err(io(store))?;
    if let Ok(dir) = fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    let _ = fs::remove_file(tries_file_path(store));
    let _ = fs::remove_dir_all(crate::directory::index::folder_for(store));
    Ok(RestoreReport {
        backup: BackupInfo {
            path: file.display().to_string(),
            created: unpacked.manifest.created.to_string(),
            bytes: unpacked.bytes,
        },
        kept_aside,
    })
}

/// Writes a backup named by its date into `folder` and keeps the newest `keep` of them there (older
/// Proxi backups in that folder are deleted; other files are left alone).
///
/// # Errors
/// As [`Store::backup_to`].
pub fn backup_into(store: &Store, folder: &Path, keep: usize) -> Result<BackupInfo> {
    // Named in Brussels time, as the referent reads the date in the window.
    let now = Timestamp::now();
    let stamp = now.in_tz("Europe/Brussels").map_or_else(
        |_| now.strftime("%Y-%m-%d-%H%M%S").to_string(),
        |z| z.strftime("%Y-%m-%d-%H%M%S").to_string(),
    );
    let mut dest = folder.join(format!("proxi-{stamp}.{EXTENSION}"));
    let mut n = 1;
    while dest.exists() {
        n += 1;
        dest = folder.join(format!("proxi-{stamp}-{n}.{EXTENSION}"));
    }
    let info = store.backup_to(&dest)?;
    let mut ours: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(io(folder))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("proxi-") && n.ends_with(&format!(".{EXTENSION}")))
        })
        .collect();
    // Names carry the date: sorted by name is sorted by age.
    ours.sort();
    let surplus = ours.len().saturating_sub(keep.max(1));
    for old in ours.into_iter().take(surplus) {
        let _ = fs::remove_file(old);
    }
    Ok(info)
}
