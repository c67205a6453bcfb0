//! The store's key: the key file beside the database (the store key sealed under the passphrase and
//! under the recovery key, with Argon2id), and the count of wrong tries.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

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
pub(super) struct KeyFile {
    pub(super) format: u32,
    pub(super) kdf: String,
    #[serde(flatten)]
    pub(super) params: KdfParams,
    pub(super) salt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) passphrase_seal: Option<Seal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) recovery_seal: Option<RecoverySeal>,
}

/// A store key sealed under a key-encryption key: nonce and ciphertext (with its tag), in hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Seal {
    pub(super) nonce: String,
    pub(super) ciphertext: String,
}

/// A store key sealed under Argon2id(recovery key, salt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RecoverySeal {
    pub(super) salt: String,
    #[serde(flatten)]
    pub(super) seal: Seal,
}

pub(super) const PASSPHRASE_AAD: &[u8] = b"proxi/store-key/v2/passphrase";
pub(super) const RECOVERY_AAD: &[u8] = b"proxi/store-key/v2/recovery";

pub(super) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| Error::Storage(format!("no random source: {e}")))?;
    Ok(bytes)
}

pub(super) fn seal(store_key: &StoreKey, kek: &StoreKey, aad: &[u8]) -> Result<Seal> {
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
pub(super) fn unseal(sealed: &Seal, kek: &StoreKey, aad: &[u8]) -> Option<StoreKey> {
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
pub(super) fn recovery_text(bytes: &[u8; 20]) -> String {
    hex::encode_upper(bytes)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The recovery key as typed: dashes, spaces and case do not matter.
pub(super) fn normalize_recovery(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The 256-bit key of a store, wiped from memory when dropped.
#[derive(Clone)]
pub struct StoreKey(pub(super) Zeroizing<[u8; 32]>);

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

pub(super) fn set_wrong_tries(store: &Path, tries: u32) {
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

pub(super) fn derive(passphrase: &str, params: KdfParams, salt: &[u8]) -> Result<StoreKey> {
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

pub(super) fn read_key_file(store: &Path) -> Result<KeyFile> {
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
pub(super) fn derive_with(
    path: &Path,
    secret: &str,
    params: KdfParams,
    salt: &str,
) -> Result<StoreKey> {
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
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
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
