//! Teams and devices: create a team, invite a device, join, revoke, erase across the team, and sync.
//!
//! **The roster.** What the team knows of its devices travels as statements in sealed blobs of one
//! more document, whose id is the team's: a device announces itself (`member`), announces an
//! invitation (`invitation`, with the public key the invited device signs its first statement with),
//! revokes a device (`revoke`, with the new team key sealed for each remaining device), erases a plan
//! (`erase`). Every device reads the roster in log order before the plans of the same pull, so a new
//! colleague's changes open, and a revoked device's later blobs do not.
//!
//! **An invitation** is made on an enrolled device and handed over in person as a code:
//! `<relay address>#<invitation id and secret, base32>`. From the secret come, by HKDF, the key of
//! a package the relay keeps for the invited device (the team keys and the roster, sealed with
//! XChaCha20-Poly1305: the relay cannot open it) and the proof the relay asks to hand it over, once,
//! before it expires. A founding code (`proxi-relay add-team`) has no package: the team starts on the
//! device that redeems it.
//!
//! **Revocation** rotates the team key: the new epoch's key is sealed (X25519 sealed box) for every
//! remaining device; the revoked one keeps only what it already had.

use std::collections::BTreeMap;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{SigningKey, VerifyingKey};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::client::RelayClient;
use super::engine::{self, Identity};
use super::envelope::{self, BlobHeader, BlobKind, Keyring, TeamKey};
use crate::Proxi;
use crate::error::{Error, ErrorCode, Result};
use crate::store::Store;

/// How long an invitation code can be redeemed, unless told otherwise.
pub const INVITATION_MINUTES: u32 = 30;
/// The longest an invitation may live: it is meant to be used on the spot.
pub const MAX_INVITATION_MINUTES: u32 = 24 * 60;

const PACKAGE_FORMAT: &str = "proxi.invitation/2";

/// One statement of the team roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RosterEntry {
    /// A device announces itself: its name and public keys.
    #[serde(rename_all = "camelCase")]
    Member {
        device: Uuid,
        name: String,
        verifying: String,
        box_public: String,
        /// Its automerge actor (hex), so that plans' histories name the device.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        actor: Option<String>,
    },
    /// A device invites another: the key that signs the invited device's first statement.
    #[serde(rename_all = "camelCase")]
    Invitation { device: Uuid, key: String },
    /// A device is revoked; the team key of `epoch` is sealed for each remaining device.
    #[serde(rename_all = "camelCase")]
    Revoke {
        device: Uuid,
        epoch: u32,
        keys: BTreeMap<Uuid, String>,
    },
    /// A person's plan is erased on every device.
    #[serde(rename_all = "camelCase")]
    Erase { document: Uuid },
    /// A new team key of `epoch`, sealed for each device not revoked: minted when the newest key
    /// reached a device revoked since (two revocations at the same time, each minting a key that the
    /// other's revoked device can open).
    #[serde(rename_all = "camelCase")]
    Rotate {
        epoch: u32,
        keys: BTreeMap<Uuid, String>,
    },
}

/// A device of the team, as this device knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamMember {
    pub device: Uuid,
    pub name: String,
    /// Invited, not joined yet.
    pub invited: bool,
    pub revoked: bool,
    /// This device.
    pub me: bool,
}

/// This device's team, for the status screen and `proxi team status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamInfo {
    pub team: Uuid,
    pub device: Uuid,
    pub name: String,
    pub relay: String,
    pub epoch: u32,
    pub revoked: bool,
    pub members: Vec<TeamMember>,
}

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

/// Reaches the app in short turns: a sync never holds it while waiting for the network.
pub trait Access {
    /// Runs `f` on the open app.
    ///
    /// # Errors
    /// [`Error::StoreLocked`] when the app was locked meanwhile, or `f`'s error.
    fn with<R>(&self, f: impl FnOnce(&mut Proxi) -> Result<R>) -> Result<R>;
}

impl Access for std::sync::Mutex<Proxi> {
    fn with<R>(&self, f: impl FnOnce(&mut Proxi) -> Result<R>) -> Result<R> {
        let mut app = self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut app)
    }
}

pub use proxi_wire::invitation::{InvitationCode, redeem_hash};

/// Reads an invitation code as typed or pasted.
///
/// # Errors
/// [`Error::InvitationInvalid`] saying what is wrong with it.
pub fn parse_code(code: &str) -> Result<InvitationCode> {
    InvitationCode::parse(code).map_err(|e| Error::InvitationInvalid(e.0))
}

/// A new invitation code for a new device, at `relay`.
///
/// # Errors
/// [`Error::Storage`] when the system has no random source.
pub fn new_code(relay: &str) -> Result<InvitationCode> {
    InvitationCode::generate(relay).map_err(no_random)
}

/// Seals what an invited device receives under a key only the code gives.
fn seal_package(code: &InvitationCode, package: &Package) -> Result<String> {
    let key = code.derive("package");
    let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key[..]));
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(no_random)?;
    let plain =
        Zeroizing::new(serde_json::to_vec(package).map_err(|e| Error::Storage(e.to_string()))?);
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: code.device.as_bytes(),
            },
        )
        .map_err(|_| Error::Storage("the invitation could not be sealed".to_owned()))?;
    Ok(hex::encode([&nonce[..], &sealed].concat()))
}

/// Opens what the relay handed over for the code `code`.
fn open_package(code: &InvitationCode, sealed: &str) -> Result<Package> {
    let refused = || {
        Error::InvitationInvalid(
            "the relay handed over an invitation this code does not open: ask for a new code"
                .to_owned(),
        )
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
        return Err(Error::InvitationInvalid(format!(
            "this invitation was made by another version of Proxi ({}): update both laptops",
            package.format
        )));
    }
    Ok(package)
}

/// What an invited device receives, sealed: the team, its keys, its roster, the invitation's key.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Package {
    format: String,
    team: Uuid,
    epoch: u32,
    /// Every team key, with its epoch (an epoch may have two: see [`RosterEntry::Rotate`]).
    keys: Vec<(u32, String)>,
    members: Vec<MemberRow>,
    invitation_seed: String,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MemberRow {
    device: Uuid,
    name: String,
    verifying: Option<String>,
    box_public: Option<String>,
    invitation_key: Option<String>,
    revoked_at: Option<i64>,
    #[serde(default)]
    actor: Option<String>,
}

/// This device in its team, with its secrets (read from the encrypted store when needed).
struct Membership {
    identity: Identity,
    name: String,
    relay: String,
    token: String,
    box_secret: crypto_box::SecretKey,
    revoked: bool,
}

fn no_random(e: getrandom::Error) -> Error {
    Error::Storage(format!("no random source: {e}"))
}

fn key32(hex_text: &str) -> Option<[u8; 32]> {
    hex::decode(hex_text).ok()?.try_into().ok()
}

fn verifying_key(bytes: &[u8]) -> Option<VerifyingKey> {
    VerifyingKey::from_bytes(&<[u8; 32]>::try_from(bytes).ok()?).ok()
}

fn random32() -> Result<Zeroizing<[u8; 32]>> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut bytes[..]).map_err(no_random)?;
    Ok(bytes)
}

fn load(store: &mut Store) -> Result<Option<Membership>> {
    let conn = store.connection();
    let row = conn
        .query_row(
            "SELECT team, device, name, relay, token, signing, box_secret, epoch, revoked
             FROM team_self WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, Uuid>(0)?,
                    r.get::<_, Uuid>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    Zeroizing::new(r.get::<_, Vec<u8>>(5)?),
                    Zeroizing::new(r.get::<_, Vec<u8>>(6)?),
                    r.get::<_, u32>(7)?,
                    r.get::<_, bool>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((team, device, name, relay, token, signing, box_secret, epoch, revoked)) = row else {
        return Ok(None);
    };
    let damaged = || Error::Storage("this device's team record is damaged".to_owned());
    let signing: [u8; 32] = signing.as_slice().try_into().map_err(|_| damaged())?;
    let box_secret: [u8; 32] = box_secret.as_slice().try_into().map_err(|_| damaged())?;
    let mut keys = Keyring::default();
    {
        let mut stmt = conn.prepare_cached("SELECT epoch, key FROM team_key ORDER BY rowid")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, u32>(0)?, Zeroizing::new(r.get::<_, Vec<u8>>(1)?)))
        })?;
        for row in rows {
            let (epoch, key) = row?;
            let key: [u8; 32] = key.as_slice().try_into().map_err(|_| damaged())?;
            keys.insert(epoch, TeamKey::from_bytes(key));
        }
    }
    Ok(Some(Membership {
        identity: Identity {
            team,
            device,
            epoch,
            keys,
            signing: SigningKey::from_bytes(&signing),
        },
        name,
        relay,
        token,
        box_secret: crypto_box::SecretKey::from_bytes(box_secret),
        revoked,
    }))
}

/// This device's identity in its team (keys included), if it is in one: for tools that seal or open
/// blobs themselves (tests, benchmarks).
///
/// # Errors
/// [`Error::Storage`].
pub fn identity(store: &mut Store) -> Result<Option<Identity>> {
    Ok(load(store)?.map(|m| m.identity))
}

fn require(store: &mut Store) -> Result<Membership> {
    let me = load(store)?.ok_or(Error::NoTeam)?;
    if me.revoked {
        return Err(Error::DeviceRevoked);
    }
    Ok(me)
}

fn members(store: &mut Store) -> Result<Vec<MemberRow>> {
    let conn = store.connection();
    let mut stmt = conn.prepare_cached(
        "SELECT device, name, verifying, box_public, invitation_key, revoked_at, actor
         FROM team_member ORDER BY name, device",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(MemberRow {
            device: r.get(0)?,
            name: r.get(1)?,
            verifying: r.get::<_, Option<Vec<u8>>>(2)?.map(hex::encode),
            box_public: r.get::<_, Option<Vec<u8>>>(3)?.map(hex::encode),
            invitation_key: r.get::<_, Option<Vec<u8>>>(4)?.map(hex::encode),
            revoked_at: r.get(5)?,
            actor: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn insert_member(tx: &Transaction<'_>, m: &MemberRow) -> Result<()> {
    let bytes = |h: &Option<String>| h.as_deref().and_then(|h| hex::decode(h).ok());
    tx.execute(
        "INSERT INTO team_member
             (device, name, verifying, box_public, invitation_key, revoked_at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (device) DO NOTHING",
        params![
            m.device,
            m.name,
            bytes(&m.verifying),
            bytes(&m.box_public),
            bytes(&m.invitation_key),
            m.revoked_at,
            m.actor
        ],
    )?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn insert_self(
    tx: &Transaction<'_>,
    team: Uuid,
    device: Uuid,
    name: &str,
    relay: &str,
    token: &str,
    signing: &SigningKey,
    box_secret: &crypto_box::SecretKey,
    epoch: u32,
) -> Result<()> {
    tx.execute(
        "INSERT INTO team_self (id, team, device, name, relay, token, signing, box_secret, epoch)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            team,
            device,
            name,
            relay,
            token,
            &signing.to_bytes()[..],
            &box_secret.to_bytes()[..],
            epoch
        ],
    )?;
    Ok(())
}

/// Seals roster statements into the outbox, as this device's next roster blob.
fn queue(
    tx: &Transaction<'_>,
    me: &Identity,
    signer: &SigningKey,
    entries: &[RosterEntry],
) -> Result<()> {
    let last: i64 = tx
        .query_row(
            "SELECT seq FROM sync_sent WHERE doc_id = ?1",
            [me.team],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let sequence = u64::try_from(last).unwrap_or(0) + 1;
    let header = BlobHeader {
        kind: BlobKind::Changes,
        team: me.team,
        document: me.team,
        device: me.device,
        sequence,
        epoch: me.epoch,
    };
    let payload = serde_json::to_vec(entries).map_err(|e| Error::Storage(e.to_string()))?;
    let blob = envelope::seal(me.team_key()?, signer, &header, &payload)
        .map_err(|e| Error::Storage(format!("sealing the roster: {e}")))?;
    tx.execute(
        "INSERT INTO sync_outbox (doc_id, seq, blob) VALUES (?1, ?2, ?3)",
        params![me.team, last + 1, blob],
    )?;
    tx.execute(
        "INSERT INTO sync_sent (doc_id, seq, heads) VALUES (?1, ?2, x'')
         ON CONFLICT (doc_id) DO UPDATE SET seq = excluded.seq",
        params![me.team, last + 1],
    )?;
    Ok(())
}

fn self_entry(
    store: &Store,
    device: Uuid,
    name: &str,
    signing: &SigningKey,
    boxed: &crypto_box::SecretKey,
) -> RosterEntry {
    RosterEntry::Member {
        device,
        name: name.to_owned(),
        verifying: hex::encode(signing.verifying_key().to_bytes()),
        box_public: hex::encode(boxed.public_key().as_bytes()),
        actor: Some(store.actor().to_hex_string()),
    }
}

/// The names of the team's devices by automerge actor (hex), for plans' histories.
///
/// # Errors
/// [`Error::Storage`].
pub fn device_names(store: &mut Store) -> Result<BTreeMap<String, String>> {
    let conn = store.connection();
    let mut stmt = conn.prepare_cached(
        "SELECT actor, name FROM team_member WHERE actor IS NOT NULL AND name <> ''",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn new_box_secret() -> Result<crypto_box::SecretKey> {
    Ok(crypto_box::SecretKey::from_bytes(*random32()?))
}

fn check_name(name: &str) -> Result<String> {
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
fn redeem(
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
            return Err(Error::AlreadyInTeam);
        }
        Ok(())
    })?;
    let joined = RelayClient::new(&code.relay)?.join(code.device, &code.redeem(), founding)?;
    Ok((code, name, joined))
}

/// Starts a team on this device with a founding code from the relay's operator
/// (`proxi-relay add-team`): the team key is made here and never leaves the team's devices.
///
/// # Errors
/// [`Error::AlreadyInTeam`], [`Error::InvitationInvalid`], [`Error::RelayUnreachable`],
/// [`Error::RelayRefused`], [`Error::Storage`].
pub fn create(access: &impl Access, code: &str, device_name: &str) -> Result<TeamInfo> {
    let (code, name, joined) = redeem(access, code, device_name, true)?;
    if joined.package.is_some() {
        return Err(Error::InvitationInvalid(
            "this code invites into an existing team: use “join” rather than “create”".to_owned(),
        ));
    }
    let key = TeamKey::generate().map_err(no_random)?;
    let first = Enrolment {
        team: joined.team,
        token: &joined.token,
        epoch: 1,
        keys: Keyring::single(1, key),
        members: &[],
        first_signer: None,
    };
    enrol(access, &code, &name, first)
}

/// Makes an invitation for one more device of this team, valid `minutes`, and returns its code, to
/// hand over in person. Needs the relay (it keeps the sealed package until the code is used).
///
/// # Errors
/// [`Error::NoTeam`], [`Error::DeviceRevoked`], [`Error::RelayUnreachable`],
/// [`Error::RelayRefused`], [`Error::Storage`].
pub fn invite(access: &impl Access, minutes: u32) -> Result<String> {
    let minutes = minutes.clamp(1, MAX_INVITATION_MINUTES);
    let (code, package, relay, token) = access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let code = new_code(&me.relay)?;
        let invitation = SigningKey::from_bytes(&*random32()?);
        let mut roster = members(store)?;
        roster.push(MemberRow {
            device: code.device,
            name: String::new(),
            verifying: None,
            box_public: None,
            invitation_key: Some(hex::encode(invitation.verifying_key().to_bytes())),
            revoked_at: None,
            actor: None,
        });
        let package = Package {
            format: PACKAGE_FORMAT.to_owned(),
            team: me.identity.team,
            epoch: me.identity.epoch,
            keys: me
                .identity
                .keys
                .iter()
                .map(|(e, k)| (e, hex::encode(&k.to_bytes()[..])))
                .collect(),
            members: roster,
            invitation_seed: hex::encode(invitation.to_bytes()),
        };
        let sealed = seal_package(&code, &package)?;
        let tx = store.connection().transaction()?;
        insert_member(&tx, package.members.last().ok_or(Error::NoTeam)?)?;
        queue(
            &tx,
            &me.identity,
            &me.identity.signing,
            &[RosterEntry::Invitation {
                device: code.device,
                key: hex::encode(invitation.verifying_key().to_bytes()),
            }],
        )?;
        tx.commit()?;
        Ok((code, sealed, me.relay, me.token))
    })?;
    // The invitation's statement must be on the relay before the new device's first one.
    push_outbox(access)?;
    RelayClient::new(&relay)?.invite(
        &token,
        code.device,
        &code.redeem_hash(),
        minutes,
        &package,
    )?;
    Ok(code.text())
}

/// Joins a team with an invitation code made on one of its devices.
///
/// # Errors
/// [`Error::AlreadyInTeam`], [`Error::InvitationInvalid`], [`Error::RelayUnreachable`],
/// [`Error::RelayRefused`], [`Error::Storage`].
pub fn join(access: &impl Access, code: &str, device_name: &str) -> Result<TeamInfo> {
    let (code, name, joined) = redeem(access, code, device_name, false)?;
    let sealed = joined.package.as_deref().ok_or_else(|| {
        Error::InvitationInvalid(
            "this is a founding code: it starts a new team (“create”), it joins none".to_owned(),
        )
    })?;
    let package = open_package(&code, sealed)?;
    let damaged =
        || Error::InvitationInvalid("the invitation is damaged: ask for a new code".to_owned());
    if package.team != joined.team {
        return Err(damaged());
    }
    let invitation = SigningKey::from_bytes(&key32(&package.invitation_seed).ok_or_else(damaged)?);
    let mut keys = Keyring::default();
    for (epoch, key) in &package.keys {
        keys.insert(*epoch, TeamKey::from_bytes(key32(key).ok_or_else(damaged)?));
    }
    let joining = Enrolment {
        team: package.team,
        token: &joined.token,
        epoch: package.epoch,
        keys,
        members: &package.members,
        // The first statement is signed with the invitation's key, which the team already trusts.
        first_signer: Some(&invitation),
    };
    enrol(access, &code, &name, joining)
}

/// What a device needs to write itself into a team.
struct Enrolment<'a> {
    team: Uuid,
    token: &'a str,
    epoch: u32,
    keys: Keyring,
    /// The roster as the inviter knew it (none when founding).
    members: &'a [MemberRow],
    /// Signs the first roster statement; the device's own new key when none.
    first_signer: Option<&'a SigningKey>,
}

/// What this device knew of a team it was removed from, forgotten as it joins again: its keys, roster,
/// cursors and unsent blobs (every plan is sent again, whole, to the team it joins). The plans stay, and
/// so does the list of plans the team erased (they never come back).
fn forget_team(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM team_self; DELETE FROM team_key; DELETE FROM team_key_reach;
         DELETE FROM team_member; DELETE FROM sync_outbox; DELETE FROM sync_sent;
         DELETE FROM sync_cursor; DELETE FROM sync_pending; DELETE FROM sync_relay;
         DELETE FROM sync_erase_pending; DELETE FROM sync_status;
         INSERT OR IGNORE INTO sync_dirty (doc_id) SELECT DISTINCT doc_id FROM doc_chunk;",
    )?;
    Ok(())
}

/// Writes this device into its team in one transaction: itself with new keys, the team keys, the
/// roster, and its first roster statement (announcing its name, keys and automerge actor).
fn enrol(
    access: &impl Access,
    code: &InvitationCode,
    name: &str,
    enrolment: Enrolment<'_>,
) -> Result<TeamInfo> {
    let signing = envelope::new_device_key().map_err(no_random)?;
    let boxed = new_box_secret()?;
    access.with(|app| {
        let store = app.store_mut();
        let entry = self_entry(store, code.device, name, &signing, &boxed);
        let actor = store.actor().to_hex_string();
        let tx = store.connection().transaction()?;
        forget_team(&tx)?;
        insert_self(
            &tx,
            enrolment.team,
            code.device,
            name,
            &code.relay,
            enrolment.token,
            &signing,
            &boxed,
            enrolment.epoch,
        )?;
        for (epoch, key) in enrolment.keys.iter() {
            tx.execute(
                "INSERT INTO team_key (epoch, key) VALUES (?1, ?2)",
                params![epoch, &key.to_bytes()[..]],
            )?;
        }
        for member in enrolment.members {
            insert_member(&tx, member)?;
        }
        tx.execute(
            "INSERT INTO team_member (device, name) VALUES (?1, ?2) ON CONFLICT (device) DO NOTHING",
            params![code.device, name],
        )?;
        tx.execute(
            "UPDATE team_member SET name = ?2, verifying = ?3, box_public = ?4, actor = ?5
             WHERE device = ?1",
            params![
                code.device,
                name,
                &signing.verifying_key().to_bytes()[..],
                &boxed.public_key().as_bytes()[..],
                actor
            ],
        )?;
        let me = Identity {
            team: enrolment.team,
            device: code.device,
            epoch: enrolment.epoch,
            keys: enrolment.keys,
            signing: signing.clone(),
        };
        queue(&tx, &me, enrolment.first_signer.unwrap_or(&signing), &[entry])?;
        tx.commit()?;
        info(store)?.ok_or(Error::NoTeam)
    })
}

/// Revokes a device of this team: the relay refuses its token at once, the team key rotates (the
/// new one sealed for every remaining device this device knows of: sync first, as the CLI and the
/// window do, so that it knows of every one), and peers refuse its later blobs. Needs the relay.
///
/// # Errors
/// [`Error::NoTeam`], [`Error::DeviceRevoked`], [`Error::ItemNotFound`] for a device not in the
/// team, [`Error::RelayUnreachable`], [`Error::RelayRefused`], [`Error::Storage`].
pub fn revoke(access: &impl Access, device: Uuid) -> Result<()> {
    let (relay, token) = access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let known = members(store)?
            .iter()
            .any(|m| m.device == device && m.revoked_at.is_none());
        if !known {
            return Err(Error::ItemNotFound {
                kind: "device",
                id: device,
            });
        }
        Ok((me.relay, me.token))
    })?;
    RelayClient::new(&relay)?.revoke(&token, device)?;
    access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let (epoch, key, sealed) = mint(store, &me, Some(device))?;
        let cursor = engine::pull_cursor(store, &me.identity)?;
        let tx = store.connection().transaction()?;
        // Until this statement's own position is known, refuse what the device pushes after what
        // this device has read (the relay refuses its pushes from now on anyway).
        tx.execute(
            "UPDATE team_member SET revoked_at = ?2 WHERE device = ?1",
            params![device, i64::try_from(cursor).unwrap_or(i64::MAX)],
        )?;
        queue(
            &tx,
            &me.identity,
            &me.identity.signing,
            &[RosterEntry::Revoke {
                device,
                epoch,
                keys: sealed.clone(),
            }],
        )?;
        install_key(&tx, epoch, &key, sealed.keys())?;
        tx.commit()?;
        Ok(())
    })?;
    sync(access).map(|_| ())
}

/// A new team key of the next epoch, sealed (X25519 sealed box) for each device of the team that is
/// not revoked, but `excluding`.
fn mint(
    store: &mut Store,
    me: &Membership,
    excluding: Option<Uuid>,
) -> Result<(u32, TeamKey, BTreeMap<Uuid, String>)> {
    let epoch = me.identity.keys.newest().unwrap_or(0) + 1;
    let key = TeamKey::generate().map_err(no_random)?;
    let mut sealed = BTreeMap::new();
    for m in members(store)? {
        if Some(m.device) == excluding || m.revoked_at.is_some() {
            continue;
        }
        let Some(public) = m.box_public.as_deref().and_then(key32) else {
            continue;
        };
        let boxed = crypto_box::PublicKey::from_bytes(public)
            .seal(&mut crypto_box::aead::OsRng, &key.to_bytes()[..])
            .map_err(|_| Error::Storage("sealing the new team key".to_owned()))?;
        sealed.insert(m.device, hex::encode(boxed));
    }
    Ok((epoch, key, sealed))
}

/// Keeps a team key of `epoch` (the newest epoch is the one this device seals with), and records which
/// devices it reached.
fn install_key<'a>(
    tx: &Transaction<'_>,
    epoch: u32,
    key: &TeamKey,
    reached: impl Iterator<Item = &'a Uuid>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO team_key (epoch, key) VALUES (?1, ?2) ON CONFLICT (epoch, key) DO NOTHING",
        params![epoch, &key.to_bytes()[..]],
    )?;
    tx.execute("UPDATE team_self SET epoch = max(epoch, ?1)", [epoch])?;
    record_reach(tx, epoch, reached)
}

fn record_reach<'a>(
    tx: &Transaction<'_>,
    epoch: u32,
    reached: impl Iterator<Item = &'a Uuid>,
) -> Result<()> {
    for device in reached {
        tx.execute(
            "INSERT OR IGNORE INTO team_key_reach (epoch, device) VALUES (?1, ?2)",
            params![epoch, device],
        )?;
    }
    Ok(())
}

/// A key minted by a colleague (revocation or rotation): kept when it was sealed for this device;
/// which devices it reached is recorded either way.
fn receive_key(
    tx: &Transaction<'_>,
    me: &Membership,
    epoch: u32,
    keys: &BTreeMap<Uuid, String>,
) -> Result<()> {
    if let Some(sealed) = keys
        .get(&me.identity.device)
        .and_then(|k| hex::decode(k).ok())
        && let Ok(key) = me.box_secret.unseal(&sealed)
        && let Ok(key) = <[u8; 32]>::try_from(key.as_slice())
    {
        install_key(tx, epoch, &TeamKey::from_bytes(key), keys.keys())
    } else {
        record_reach(tx, epoch, keys.keys())
    }
}

/// When the newest team key reached a device revoked since (two revocations at the same time: each
/// minted a key for the device the other revoked), mints a new one for the devices not revoked, so
/// that nothing sealed from now on opens for a revoked device. Several devices doing so at once mint
/// several keys of one epoch, each reaching only devices not revoked: no further round is needed.
/// Returns whether it minted one.
fn rotate_if_reached_revoked(access: &impl Access) -> Result<bool> {
    access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let Some(newest) = me.identity.keys.newest() else {
            return Ok(false);
        };
        // The founding key reached every device that ever joined; a minted one, those its
        // statements name (none known yet on a device that just joined: it trusts its inviter).
        let reached_revoked: bool = store.connection().query_row(
            "SELECT CASE WHEN ?1 = 1
                 THEN EXISTS (SELECT 1 FROM team_member WHERE revoked_at IS NOT NULL)
                 ELSE EXISTS (SELECT 1 FROM team_key_reach r JOIN team_member m ON m.device = r.device
                              WHERE r.epoch = ?1 AND m.revoked_at IS NOT NULL)
             END",
            [newest],
            |r| r.get(0),
        )?;
        if !reached_revoked {
            return Ok(false);
        }
        let (epoch, key, sealed) = mint(store, &me, None)?;
        let tx = store.connection().transaction()?;
        queue(
            &tx,
            &me.identity,
            &me.identity.signing,
            &[RosterEntry::Rotate {
                epoch,
                keys: sealed.clone(),
            }],
        )?;
        install_key(&tx, epoch, &key, sealed.keys())?;
        tx.commit()?;
        Ok(true)
    })
}

/// Erases the plans whose person did not agree to keep them, once the grace days after that consent
/// have passed ([`crate::domain::KEEP_REFUSED_GRACE_DAYS`]): here, and in the team like [`erase`].
/// Gives the ids erased.
///
/// # Errors
/// [`Error::Storage`].
pub fn erase_refused(app: &mut Proxi, today: jiff::civil::Date) -> Result<Vec<Uuid>> {
    let due = app.store().erase_due(today)?;
    for id in &due {
        erase(app, *id)?;
    }
    Ok(due)
}

/// Erases a person on this device now, and on every device of the team and the relay at the next
/// syncs; late changes to the plan from a device that had not heard yet never bring it back.
///
/// # Errors
/// [`Error::PersonNotFound`], [`Error::Storage`].
pub fn erase(app: &mut Proxi, person: Uuid) -> Result<()> {
    let me = load(app.store_mut())?;
    // The local erasure, the erased mark (late blobs never bring the plan back) and the statement
    // that tells the team are one transaction: a crash leaves all of them or none.
    app.erase_person_and(person, |tx| {
        tx.execute(
            "INSERT OR IGNORE INTO sync_erased (doc_id) VALUES (?1)",
            [person],
        )?;
        if let Some(me) = me.filter(|m| !m.revoked) {
            tx.execute(
                "INSERT OR IGNORE INTO sync_erase_pending (doc_id) VALUES (?1)",
                [person],
            )?;
            queue(
                tx,
                &me.identity,
                &me.identity.signing,
                &[RosterEntry::Erase { document: person }],
            )?;
        }
        Ok(())
    })
}

/// This device's team, if it is in one.
///
/// # Errors
/// [`Error::Storage`].
pub fn info(store: &mut Store) -> Result<Option<TeamInfo>> {
    let Some(me) = load(store)? else {
        return Ok(None);
    };
    let members = members(store)?
        .into_iter()
        .map(|m| TeamMember {
            me: m.device == me.identity.device,
            invited: m.verifying.is_none(),
            revoked: m.revoked_at.is_some(),
            name: m.name,
            device: m.device,
        })
        .collect();
    Ok(Some(TeamInfo {
        team: me.identity.team,
        device: me.identity.device,
        name: me.name,
        relay: me.relay,
        epoch: me.identity.epoch,
        revoked: me.revoked,
        members,
    }))
}

/// Where sync stands, in numbers the UI words.
///
/// # Errors
/// [`Error::Storage`].
pub fn status(store: &mut Store) -> Result<SyncStatus> {
    let team = info(store)?;
    let (last_try, last_ok, problem): (Option<i64>, Option<i64>, Option<String>) = store
        .connection()
        .query_row(
            "SELECT last_try, last_ok, problem FROM sync_status WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .unwrap_or((None, None, None));
    let outbox: Vec<Uuid> = {
        let conn = store.connection();
        let mut stmt = conn.prepare_cached("SELECT DISTINCT doc_id FROM sync_outbox")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let dirty: Vec<Uuid> = {
        let conn = store.connection();
        let mut stmt = conn.prepare_cached("SELECT doc_id FROM sync_dirty")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
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
            .and_then(|doc| crate::document::read(doc).ok())
            .and_then(|plan| plan.consent)
            .is_some_and(|c| c.keep_plan && c.share_with_team);
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

fn record(store: &mut Store, at: Timestamp, outcome: &Result<SyncReport>) -> Result<()> {
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
    store.connection().execute(
        "INSERT INTO sync_status (id, last_try, last_ok, problem) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET last_try = excluded.last_try,
             last_ok = coalesce(excluded.last_ok, last_ok), problem = excluded.problem",
        params![
            at.as_millisecond(),
            outcome.is_ok().then(|| at.as_millisecond()),
            problem
        ],
    )?;
    Ok(())
}

/// Pushes the outbox only (the blobs the relay has not acknowledged), oldest first.
fn push_outbox(access: &impl Access) -> Result<u32> {
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
/// [`Error::NoTeam`], [`Error::DeviceRevoked`], [`Error::RelayUnreachable`],
/// [`Error::RelayRefused`], [`Error::Storage`]; what was done before the error stays done.
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
        Err(Error::RelayRefused {
            status: 403,
            message,
        }) if message == crate::sync::wire::REVOKED_DEVICE => {
            access.with(|app| {
                app.store_mut()
                    .connection()
                    .execute("UPDATE team_self SET revoked = 1", [])?;
                Ok(())
            })?;
            Err(Error::DeviceRevoked)
        }
        other => other,
    };
    let at = Timestamp::now();
    access.with(|app| record(app.store_mut(), at, &outcome))?;
    outcome
}

fn sync_steps(access: &impl Access, options: SyncOptions) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let (relay, token, erasures) = access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let erasures: Vec<Uuid> = {
            let conn = store.connection();
            let mut stmt = conn.prepare_cached("SELECT doc_id FROM sync_erase_pending")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        Ok((me.relay, me.token, erasures))
    })?;
    let client = RelayClient::new(&relay)?;
    for document in erasures {
        client.erase(&token, document)?;
        access.with(|app| {
            app.store_mut().connection().execute(
                "DELETE FROM sync_erase_pending WHERE doc_id = ?1",
                [document],
            )?;
            Ok(())
        })?;
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

/// A plan is snapshotted once this many blobs of it came after its last snapshot.
pub const SNAPSHOT_AFTER: u32 = 20;

const SNAPSHOT_MAGIC: &[u8; 4] = b"PXS1";

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
fn seal_snapshot(
    store: &mut Store,
    me: &Identity,
    id: Uuid,
    position: u64,
) -> Result<Option<Vec<u8>>> {
    let shared = match store.document(id) {
        Ok(doc) => crate::document::read(doc)
            .ok()
            .and_then(|plan| plan.consent)
            .is_some_and(|c| c.keep_plan && c.share_with_team),
        Err(Error::PersonNotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    if !shared {
        return Ok(None);
    }
    let document = store.document_bytes(id)?;
    let conn = store.connection();
    let mut covers: Vec<(Uuid, u64)> = {
        let mut stmt =
            conn.prepare_cached("SELECT device, seq FROM sync_cursor WHERE doc_id = ?1")?;
        stmt.query_map([id], |r| {
            Ok((r.get(0)?, u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0)))
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    let own: Option<i64> = conn
        .query_row("SELECT seq FROM sync_sent WHERE doc_id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(own) = own {
        covers.push((me.device, u64::try_from(own).unwrap_or(0)));
    }
    let waiting: Vec<Vec<u8>> = {
        let mut stmt =
            conn.prepare_cached("SELECT bytes FROM sync_pending WHERE doc_id = ?1 ORDER BY n")?;
        stmt.query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
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
        .map_err(|e| Error::Storage(format!("sealing a snapshot: {e}")))
}

/// After a full pull: snapshots the plans the relay says have many blobs since their last one, so
/// that a new device starts from them instead of replaying every change.
fn compact(access: &impl Access, client: &RelayClient, token: &str) -> Result<()> {
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
fn bootstrap(
    access: &impl Access,
    client: &RelayClient,
    token: &str,
    report: &mut SyncReport,
) -> Result<Option<u64>> {
    let fresh = access.with(|app| {
        let store = app.store_mut();
        let me = require(store)?;
        let cursor = engine::pull_cursor(store, &me.identity)?;
        let cursors: i64 =
            store
                .connection()
                .query_row("SELECT count(*) FROM sync_cursor", [], |r| r.get(0))?;
        Ok(cursor == 0 && cursors == 0 && store.document_ids()?.is_empty())
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
            let merged = store.merge_received(header.document, &parts, at, |tx| {
                for (device, seq) in &snapshot.covers {
                    tx.execute(
                        "INSERT INTO sync_cursor (doc_id, device, seq) VALUES (?1, ?2, ?3)
                         ON CONFLICT (doc_id, device) DO UPDATE SET seq = max(seq, excluded.seq)",
                        params![
                            header.document,
                            device,
                            i64::try_from(*seq).unwrap_or(i64::MAX)
                        ],
                    )?;
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

/// A roster member as the checks need it.
struct Known {
    verifying: Option<VerifyingKey>,
    invitation: Option<VerifyingKey>,
    revoked_at: Option<u64>,
}

fn known(store: &mut Store) -> Result<BTreeMap<Uuid, Known>> {
    let conn = store.connection();
    let mut stmt = conn
        .prepare_cached("SELECT device, verifying, invitation_key, revoked_at FROM team_member")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, Uuid>(0)?,
            r.get::<_, Option<Vec<u8>>>(1)?,
            r.get::<_, Option<Vec<u8>>>(2)?,
            r.get::<_, Option<i64>>(3)?,
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (device, verifying, invitation, revoked_at) = row?;
        out.insert(
            device,
            Known {
                verifying: verifying.as_deref().and_then(verifying_key),
                invitation: invitation.as_deref().and_then(verifying_key),
                revoked_at: revoked_at.map(|r| u64::try_from(r).unwrap_or(0)),
            },
        );
    }
    Ok(out)
}

/// Applies pulled blobs: the roster's statements first, in log order, then the plans' changes with
/// the keys the roster gives.
///
/// # Errors
/// [`Error::NoTeam`], [`Error::DeviceRevoked`], [`Error::Storage`], [`Error::DocumentInvalid`].
pub fn absorb(app: &mut Proxi, pulled: &[(u64, Vec<u8>)]) -> Result<engine::Applied> {
    let at = Timestamp::now();
    let store = app.store_mut();
    let me = require(store)?;
    let from = engine::pull_cursor(store, &me.identity)?;
    let mut refused = Vec::new();
    let mut ordered: Vec<&(u64, Vec<u8>)> = pulled.iter().filter(|(p, _)| *p > from).collect();
    ordered.sort_by_key(|(p, _)| *p);
    for (position, blob) in ordered {
        let Ok(header) = envelope::peek(blob) else {
            continue;
        };
        if header.team != me.identity.team || header.document != me.identity.team {
            continue;
        }
        // Read afresh for each statement: the one before may have given a new key that this one
        // is sealed with.
        let me = require(store)?;
        if let Err(why) = roster_blob(store, &me, *position, &header, blob, at)? {
            refused.push(why);
        }
    }
    // Plans the team erased and still here (the erasure was cut short): erased now.
    let leftovers: Vec<Uuid> = {
        let conn = store.connection();
        let mut stmt = conn.prepare_cached(
            "SELECT doc_id FROM sync_erased WHERE doc_id IN (SELECT doc_id FROM doc_chunk)",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for document in leftovers {
        store.erase(document, at, |_| Ok(()))?;
    }
    // The roster may have rotated the key or revoked this device.
    let me = require(store)?;
    let members = known(store)?;
    let mut applied = engine::apply(
        store,
        &me.identity,
        &|device, position| {
            let m = members.get(&device)?;
            if m.revoked_at.is_some_and(|r| position > r) {
                return None;
            }
            m.verifying
        },
        pulled,
        at,
    )?;
    refused.append(&mut applied.refused);
    applied.refused = refused;
    Ok(applied)
}

/// Reads one roster blob; `Ok(Err(why))` when it is refused (nothing of it is used).
fn roster_blob(
    store: &mut Store,
    me: &Membership,
    position: u64,
    header: &BlobHeader,
    blob: &[u8],
    at: Timestamp,
) -> Result<std::result::Result<(), String>> {
    let applied: u64 = store
        .connection()
        .query_row(
            "SELECT seq FROM sync_cursor WHERE doc_id = ?1 AND device = ?2",
            params![header.document, header.device],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .map_or(0, |s| u64::try_from(s).unwrap_or(0));
    if header.sequence != applied + 1 {
        // Read before (a duplicate), or ahead of a hole: read when its turn comes.
        return Ok(Ok(()));
    }
    let members = known(store)?;
    let Some(member) = members.get(&header.device) else {
        return Ok(Err(format!(
            "a roster statement of device {}, which the team does not know",
            header.device
        )));
    };
    if member.revoked_at.is_some_and(|r| position > r) {
        return Ok(Err(format!(
            "a roster statement of device {}, revoked before it",
            header.device
        )));
    }
    // An invited device's first statement is signed with its invitation's key.
    let key = if header.sequence == 1 && member.invitation.is_some() {
        member.invitation
    } else {
        member.verifying
    };
    if me.identity.keys.candidates(header.epoch).is_empty() {
        return Ok(Err(format!(
            "a roster statement sealed with epoch {}, which this device does not hold",
            header.epoch
        )));
    }
    let payload = match envelope::open_with(blob, me.identity.team, &me.identity.keys, |_| key) {
        Ok((_, payload)) => payload,
        Err(e) => return Ok(Err(format!("a roster statement of {}: {e}", header.device))),
    };
    let Ok(entries) = serde_json::from_slice::<Vec<RosterEntry>>(&payload) else {
        return Ok(Err(format!(
            "a roster statement of {} that this version cannot read",
            header.device
        )));
    };
    let mut erase = Vec::new();
    let tx = store.connection().transaction()?;
    for entry in entries {
        match entry {
            RosterEntry::Member {
                device,
                name,
                verifying,
                box_public,
                actor,
            } => {
                // A device speaks only for itself.
                if device != header.device {
                    continue;
                }
                let (Some(v), Some(b)) = (key32(&verifying), key32(&box_public)) else {
                    continue;
                };
                let first = header.sequence == 1;
                tx.execute(
                    "UPDATE team_member SET name = ?2,
                         verifying = CASE WHEN ?5 OR verifying IS NULL THEN ?3 ELSE verifying END,
                         box_public = CASE WHEN ?5 OR box_public IS NULL THEN ?4 ELSE box_public END
                     WHERE device = ?1",
                    params![device, name, &v[..], &b[..], first],
                )?;
                if let Some(actor) = actor.filter(|a| a.len() <= 64 && hex::decode(a).is_ok()) {
                    tx.execute(
                        "UPDATE team_member SET actor = ?2 WHERE device = ?1",
                        params![device, actor],
                    )?;
                }
            }
            RosterEntry::Invitation { device, key } => {
                if let Some(k) = key32(&key) {
                    tx.execute(
                        "INSERT INTO team_member (device, name, invitation_key) VALUES (?1, '', ?2)
                         ON CONFLICT (device) DO NOTHING",
                        params![device, &k[..]],
                    )?;
                }
            }
            RosterEntry::Revoke {
                device,
                epoch,
                keys,
            } => {
                tx.execute(
                    "UPDATE team_member SET revoked_at = ?2 WHERE device = ?1",
                    params![device, i64::try_from(position).unwrap_or(i64::MAX)],
                )?;
                if device == me.identity.device {
                    tx.execute("UPDATE team_self SET revoked = 1", [])?;
                } else {
                    receive_key(&tx, me, epoch, &keys)?;
                }
            }
            RosterEntry::Rotate { epoch, keys } => receive_key(&tx, me, epoch, &keys)?,
            RosterEntry::Erase { document } => {
                tx.execute(
                    "INSERT OR IGNORE INTO sync_erased (doc_id) VALUES (?1)",
                    [document],
                )?;
                erase.push(document);
            }
        }
    }
    tx.execute(
        "INSERT INTO sync_cursor (doc_id, device, seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (doc_id, device) DO UPDATE SET seq = excluded.seq",
        params![
            header.document,
            header.device,
            i64::try_from(header.sequence).unwrap_or(i64::MAX)
        ],
    )?;
    tx.commit()?;
    for document in erase {
        match store.erase(document, at, |_| Ok(())) {
            Ok(()) | Err(Error::PersonNotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_package_opens_only_with_its_own_code() {
        let code = InvitationCode::generate("http://127.0.0.1:7878").expect("a code");
        let package = Package {
            format: PACKAGE_FORMAT.to_owned(),
            team: Uuid::new_v4(),
            epoch: 1,
            keys: vec![(1, hex::encode([7u8; 32]))],
            members: Vec::new(),
            invitation_seed: hex::encode([9u8; 32]),
        };
        let sealed = seal_package(&code, &package).expect("sealed");
        assert!(
            !sealed.contains(&hex::encode([7u8; 32])),
            "the team key is not readable"
        );
        assert_eq!(
            open_package(&code, &sealed).expect("opens").team,
            package.team
        );
        let other = InvitationCode::generate("http://127.0.0.1:7878").expect("a code");
        assert_eq!(
            open_package(&other, &sealed)
                .expect_err("not with another code")
                .code(),
            ErrorCode::InvitationInvalid
        );
        let mut altered = sealed.into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'0' { b'1' } else { b'0' };
        let altered = String::from_utf8(altered).expect("hex");
        assert!(open_package(&code, &altered).is_err());
    }

    proptest! {
        #[test]
        fn any_bytes_as_a_package_never_panic_and_never_open(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let code = InvitationCode::generate("http://127.0.0.1:1").expect("a code");
            prop_assert!(open_package(&code, &hex::encode(&bytes)).is_err());
            prop_assert!(open_package(&code, &String::from_utf8_lossy(&bytes)).is_err());
        }

        #[test]
        fn any_bytes_as_a_snapshot_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = Snapshot::decode(&bytes);
            let mut framed = SNAPSHOT_MAGIC.to_vec();
            framed.extend_from_slice(&bytes);
            let _ = Snapshot::decode(&framed);
        }

        #[test]
        fn any_snapshot_reads_back(
            covers in proptest::collection::vec((any::<u128>(), any::<u64>()), 0..5),
            waiting in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..4),
            document in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let snapshot = Snapshot {
                covers: covers.into_iter().map(|(d, s)| (Uuid::from_u128(d), s)).collect(),
                waiting,
                document,
            };
            prop_assert_eq!(Snapshot::decode(&snapshot.encode()), Some(snapshot));
        }

        #[test]
        fn any_bytes_as_roster_statements_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = serde_json::from_slice::<Vec<RosterEntry>>(&bytes);
        }
    }
}
