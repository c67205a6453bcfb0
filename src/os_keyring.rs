//! Opening the store without typing the passphrase, when the referent asks for it: the store key kept
//! in the operating system's keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), through the `keyring` crate.
//!
//! Off by default. What it changes (README, "Privacy"): whoever can use this computer's open session
//! opens Proxi at launch. The idle lock still asks for the passphrase, so a laptop left open at a
//! visit stays protected; the keyring only spares typing at launch.
//!
//! The entry holds the store key itself (not the passphrase, which may be used elsewhere too), under
//! the service [`SERVICE`] and the store's absolute path. Changing the passphrase leaves it valid (the
//! store key does not change); an entry that no longer opens the store is deleted.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::store::{Store, StoreKey};

/// The keyring service under which Proxi keeps store keys.
pub const SERVICE: &str = "be.proxi.store";

/// The keyring entry of the store at `path`: one per store, named by its absolute path.
fn entry(path: &Path) -> Result<keyring::Entry> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| PathBuf::from(path));
    keyring::Entry::new(SERVICE, &absolute.display().to_string()).map_err(unavailable)
}

fn unavailable(e: keyring::Error) -> Error {
    Error::KeyringUnavailable(e.to_string())
}

/// Keeps the key of the open `store` in the keyring, so that the next launch opens it without the
/// passphrase.
///
/// # Errors
/// [`Error::KeyringUnavailable`] when the system keyring cannot be reached or refuses.
pub fn remember(store: &Store) -> Result<()> {
    entry(store.path())?
        .set_secret(store.key().as_bytes())
        .map_err(unavailable)
}

/// Forgets the key of the store at `path` (nothing remembered is not an error).
///
/// # Errors
/// [`Error::KeyringUnavailable`] when the system keyring cannot be reached or refuses.
pub fn forget(path: &Path) -> Result<()> {
    match entry(path)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}

/// Whether a key is remembered for the store at `path`.
///
/// # Errors
/// [`Error::KeyringUnavailable`] when the system keyring cannot be reached or refuses.
pub fn is_remembered(path: &Path) -> Result<bool> {
    match entry(path)?.get_secret() {
        Ok(secret) => {
            drop(Zeroizing::new(secret));
            Ok(true)
        }
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(unavailable(e)),
    }
}

/// Opens the store at `path` with the key remembered for it; `None` when nothing is remembered. A
/// remembered key that does not open it (the store was replaced by another at the same place) is
/// forgotten, and `None` returned.
///
/// # Errors
/// [`Error::KeyringUnavailable`]; the store's own errors ([`Error::StoreNotFound`], …) as
/// [`Store::open`].
pub fn open(path: &Path) -> Result<Option<Store>> {
    let entry = entry(path)?;
    let secret = match entry.get_secret() {
        Ok(secret) => Zeroizing::new(secret),
        Err(keyring::Error::NoEntry) => return Ok(None),
        Err(e) => return Err(unavailable(e)),
    };
    let Some(key) = StoreKey::from_bytes(&secret) else {
        let _ = entry.delete_credential();
        return Ok(None);
    };
    match Store::open_with_key(path, &key) {
        Ok(store) => Ok(Some(store)),
        Err(Error::WrongPassphrase) => {
            let _ = entry.delete_credential();
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
