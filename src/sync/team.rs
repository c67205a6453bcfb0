//! Teams and devices, the use cases: create a team, invite a device, join, revoke, erase across the
//! team, and what the window shows of the team. The parts they are made of are siblings:
//! [`super::invitation`] (codes and the sealed package), [`super::roster`] (the team's statements),
//! [`super::keys`] (the team key's epochs), [`super::run`] (one sync, and its status),
//! [`super::snapshot`], over the relay's [`super::client`] and the [`super::engine`].
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::SyncError;
use super::client::RelayClient;
use super::engine::{self, Identity};
use super::envelope::{self, Keyring, TeamKey};
pub use super::invitation::{InvitationCode, new_code, parse_code, redeem_hash};
use super::invitation::{PACKAGE_FORMAT, Package, open_package, redeem, seal_package};
use super::keys::{install_key, key32, mint, new_box_secret, no_random, random32};
pub use super::roster::{RosterEntry, absorb};
use super::roster::{queue, self_entry};
use super::run::push_outbox;
pub use super::run::{SyncOptions, SyncProblem, SyncReport, SyncStatus, status, sync, sync_with};
pub use super::snapshot::{SNAPSHOT_AFTER, Snapshot};
use crate::Proxi;
use crate::error::{Error, Result};
use crate::store::{MemberRow, NewSelf, Store};

/// How long an invitation code can be redeemed, unless told otherwise.
pub const INVITATION_MINUTES: u32 = 30;
/// The longest an invitation may live: it is meant to be used on the spot.
pub const MAX_INVITATION_MINUTES: u32 = 24 * 60;

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

/// This device in its team, with its secrets (read from the encrypted store when needed).
pub(super) struct Membership {
    pub(super) identity: Identity,
    pub(super) name: String,
    pub(super) relay: String,
    pub(super) token: String,
    pub(super) box_secret: crypto_box::SecretKey,
    pub(super) revoked: bool,
}

pub(super) fn load(store: &mut Store) -> Result<Option<Membership>> {
    let Some(row) = store.team_self()? else {
        return Ok(None);
    };
    let damaged = |what: &str| {
        Error::Sync(SyncError::TeamRecordDamaged(format!(
            "its {what} is not 32 bytes"
        )))
    };
    let signing: [u8; 32] = row
        .signing
        .as_slice()
        .try_into()
        .map_err(|_| damaged("signing key"))?;
    let box_secret: [u8; 32] = row
        .box_secret
        .as_slice()
        .try_into()
        .map_err(|_| damaged("sealed-box key"))?;
    let mut keys = Keyring::default();
    for (epoch, key) in &row.keys {
        let key: [u8; 32] = key
            .as_slice()
            .try_into()
            .map_err(|_| damaged(&format!("team key of epoch {epoch}")))?;
        keys.insert(*epoch, TeamKey::from_bytes(key));
    }
    Ok(Some(Membership {
        identity: Identity {
            team: row.team,
            device: row.device,
            epoch: row.epoch,
            keys,
            signing: SigningKey::from_bytes(&signing),
        },
        name: row.name.clone(),
        relay: row.relay.clone(),
        token: row.token.clone(),
        box_secret: crypto_box::SecretKey::from_bytes(box_secret),
        revoked: row.revoked,
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

pub(super) fn require(store: &mut Store) -> Result<Membership> {
    let me = load(store)?.ok_or(Error::Sync(SyncError::NoTeam))?;
    if me.revoked {
        return Err(Error::Sync(SyncError::DeviceRevoked));
    }
    Ok(me)
}

pub(super) fn members(store: &mut Store) -> Result<Vec<MemberRow>> {
    store.team_members()
}

/// Starts a team on this device with a founding code from the relay's operator
/// (`proxi-relay add-team`): the team key is made here and never leaves the team's devices.
///
/// # Errors
/// [`SyncError::AlreadyInTeam`], [`SyncError::InvitationInvalid`], [`SyncError::RelayUnreachable`],
/// [`SyncError::RelayRefused`], [`Error::Storage`].
pub fn create(access: &impl Access, code: &str, device_name: &str) -> Result<TeamInfo> {
    let (code, name, joined) = redeem(access, code, device_name, true)?;
    if joined.package.is_some() {
        return Err(Error::Sync(SyncError::InvitationInvalid(
            "this code invites into an existing team: use “join” rather than “create”".to_owned(),
        )));
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
/// [`SyncError::NoTeam`], [`SyncError::DeviceRevoked`], [`SyncError::RelayUnreachable`],
/// [`SyncError::RelayRefused`], [`Error::Storage`].
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
        let writes = store.writes()?;
        writes.insert_member(
            package
                .members
                .last()
                .ok_or(Error::Sync(SyncError::NoTeam))?,
        )?;
        queue(
            &writes,
            &me.identity,
            &me.identity.signing,
            &[RosterEntry::Invitation {
                device: code.device,
                key: hex::encode(invitation.verifying_key().to_bytes()),
            }],
        )?;
        writes.commit()?;
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
/// [`SyncError::AlreadyInTeam`], [`SyncError::InvitationInvalid`], [`SyncError::RelayUnreachable`],
/// [`SyncError::RelayRefused`], [`Error::Storage`].
pub fn join(access: &impl Access, code: &str, device_name: &str) -> Result<TeamInfo> {
    let (code, name, joined) = redeem(access, code, device_name, false)?;
    let sealed = joined.package.as_deref().ok_or_else(|| {
        Error::Sync(SyncError::InvitationInvalid(
            "this is a founding code: it starts a new team (“create”), it joins none".to_owned(),
        ))
    })?;
    let package = open_package(&code, sealed)?;
    let damaged = || {
        Error::Sync(SyncError::InvitationInvalid(
            "the invitation is damaged: ask for a new code".to_owned(),
        ))
    };
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
pub(super) struct Enrolment<'a> {
    pub(super) team: Uuid,
    pub(super) token: &'a str,
    pub(super) epoch: u32,
    pub(super) keys: Keyring,
    /// The roster as the inviter knew it (none when founding).
    pub(super) members: &'a [MemberRow],
    /// Signs the first roster statement; the device's own new key when none.
    pub(super) first_signer: Option<&'a SigningKey>,
}

/// Writes this device into its team in one transaction: itself with new keys, the team keys, the
/// roster, and its first roster statement (announcing its name, keys and automerge actor).
pub(super) fn enrol(
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
        let writes = store.writes()?;
        // What it knew of a team it was removed from is forgotten as it joins again.
        writes.forget_team()?;
        writes.insert_self(&NewSelf {
            team: enrolment.team,
            device: code.device,
            name,
            relay: &code.relay,
            token: enrolment.token,
            signing: &signing.to_bytes(),
            box_secret: &boxed.to_bytes(),
            epoch: enrolment.epoch,
        })?;
        for (epoch, key) in enrolment.keys.iter() {
            writes.install_team_key(epoch, &key.to_bytes()[..])?;
        }
        for member in enrolment.members {
            writes.insert_member(member)?;
        }
        writes.write_self_member(
            code.device,
            name,
            &signing.verifying_key().to_bytes(),
            boxed.public_key().as_bytes(),
            &actor,
        )?;
        let me = Identity {
            team: enrolment.team,
            device: code.device,
            epoch: enrolment.epoch,
            keys: enrolment.keys,
            signing: signing.clone(),
        };
        queue(
            &writes,
            &me,
            enrolment.first_signer.unwrap_or(&signing),
            &[entry],
        )?;
        writes.commit()?;
        info(store)?.ok_or(Error::Sync(SyncError::NoTeam))
    })
}

/// Revokes a device of this team: the relay refuses its token at once, the team key rotates (the
/// new one sealed for every remaining device this device knows of: sync first, as the CLI and the
/// window do, so that it knows of every one), and peers refuse its later blobs. Needs the relay.
///
/// # Errors
/// [`SyncError::NoTeam`], [`SyncError::DeviceRevoked`], [`Error::ItemNotFound`] for a device not in the
/// team, [`SyncError::RelayUnreachable`], [`SyncError::RelayRefused`], [`Error::Storage`].
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
        let writes = store.writes()?;
        // Until this statement's own position is known, refuse what the device pushes after what
        // this device has read (the relay refuses its pushes from now on anyway).
        writes.revoke_member(device, cursor)?;
        queue(
            &writes,
            &me.identity,
            &me.identity.signing,
            &[RosterEntry::Revoke {
                device,
                epoch,
                keys: sealed.clone(),
            }],
        )?;
        install_key(&writes, epoch, &key, sealed.keys())?;
        writes.commit()?;
        Ok(())
    })?;
    sync(access).map(|_| ())
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
    app.erase_person_and(person, |writes| {
        writes.mark_erased(person)?;
        if let Some(me) = me.filter(|m| !m.revoked) {
            writes.ask_erasure(person)?;
            queue(
                writes,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::sync::snapshot::SNAPSHOT_MAGIC;
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
