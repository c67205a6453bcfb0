//! Invitations: the code handed over in person (`<relay address>#<invitation id and secret, base32>`,
//! checked by `proxi-wire`), and the package the relay keeps for the invited device: the team keys and
//! the roster, sealed with XChaCha20-Poly1305 under a key derived from the code's secret (the relay
//! cannot open it). A founding code (`proxi-relay add-team`) has no package.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::SyncError;
use super::client::RelayClient;
use super::keys::no_random;
use super::team::{Access, load};
use crate::error::{Error, ErrorCode, Result};
use crate::store::MemberRow;

pub(super) const PACKAGE_FORMAT: &str = "proxi.invitation/2";

pub use proxi_wire::invitation::{InvitationCode, redeem_hash};

/// Reads an invitation code as typed or pasted.
///
/// # Errors
/// [`SyncError::InvitationInvalid`] saying what is wrong with it.
pub fn parse_code(code: &str) -> Result<InvitationCode> {
    InvitationCode::parse(code).map_err(|e| Error::Sync(SyncError::InvitationInvalid(e.0)))
}

/// A new invitation code for a new device, at `relay`.
///
/// # Errors
/// [`Error::Storage`] when the system has no random source.
pub fn new_code(relay: &str) -> Result<InvitationCode> {
    InvitationCode::generate(relay).map_err(no_random)
}

/// Seals what an invited device receives under a key only the code gives.
pub(super) fn seal_package(code: &InvitationCode, package: &Package) -> Result<String> {
    let key = code.derive("package");
    let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key[..]));
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(no_random)?;
    let plain = Zeroizing::new(
        serde_json::to_vec(package)
            .map_err(|e| Error::Sync(SyncError::SealFailed(e.to_string())))?,
    );
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: code.device.as_bytes(),
            },
        )
        .map_err(|_| {
            Error::Sync(SyncError::SealFailed(
                "the invitation could not be sealed".to_owned(),
            ))
        })?;
    Ok(hex::encode([&nonce[..], &sealed].concat()))
}

/// Opens what the relay handed over for the code `code`.
pub(super) fn open_package(code: &InvitationCode, sealed: &str) -> Result<Package> {
    let refused = || {
        Error::Sync(SyncError::InvitationInvalid(
            "the relay handed over an invitation this code does not open: ask for a new code"
                .to_owned(),
        ))
    };
    let bytes = hex::decode(sealed).map_err(|_| refused())?;
    if bytes.len() < 24 {
        return Err(refused());
    }
    let key = code.derive("package");
    let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key[..]));
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&bytes[..24]),
                Payload {
                    msg: &bytes[24..],
                    aad: code.device.as_bytes(),
                },
            )
            .map_err(|_| refused())?,
    );
    let package: Package = serde_json::from_slice(&plain).map_err(|_| refused())?;
    if package.format != PACKAGE_FORMAT {
        return Err(Error::Sync(SyncError::InvitationInvalid(format!(
            "this invitation was made by another version of Proxi ({}): update both laptops",
            package.format
        ))));
    }
    Ok(package)
}

/// What an invited device receives, sealed: the team, its keys, its roster, the invitation's key.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Package {
    pub(super) format: String,
    pub(super) team: Uuid,
    pub(super) epoch: u32,
    /// Every team key, with its epoch (an epoch may have two: see [`RosterEntry::Rotate`]).
    pub(super) keys: Vec<(u32, String)>,
    pub(super) members: Vec<MemberRow>,
    pub(super) invitation_seed: String,
}

impl std::fmt::Debug for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package")
            .field("team", &self.team)
            .field("epoch", &self.epoch)
            .field("members", &self.members.len())
            .finish_non_exhaustive()
    }
}

pub(super) fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::Invalid(vec![crate::error::Violation::new(
            if name.is_empty() {
                ErrorCode::DisplayNameEmpty
            } else {
                ErrorCode::TextTooLong
            },
            "deviceName",
        )]));
    }
    Ok(name.to_owned())
}

/// Reads a code and a device name, checks this store is in no team yet, and redeems the code at its
/// relay (a founding code, or an invitation into a team).
pub(super) fn redeem(
    access: &impl Access,
    code: &str,
    device_name: &str,
    founding: bool,
) -> Result<(InvitationCode, String, super::client::Joined)> {
    let code = parse_code(code)?;
    let name = check_name(device_name)?;
    access.with(|app| {
        // A laptop removed from its team may come back with a new code (found again, say).
        if load(app.store_mut())?.is_some_and(|me| !me.revoked) {
            return Err(Error::Sync(SyncError::AlreadyInTeam));
        }
        Ok(())
    })?;
    let joined = RelayClient::new(&code.relay)?.join(code.device, &code.redeem(), founding)?;
    Ok((code, name, joined))
}
