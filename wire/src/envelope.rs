//! The sealed blob: how one automerge change (or snapshot) of one plan travels through the relay.
//!
//! The relay sees only the routing header (team, document, device, sequence, key epoch, kind) and
//! random-looking bytes. The plan bytes are encrypted with XChaCha20-Poly1305 under a per-document key
//! derived from the team key with HKDF-SHA256 (so a leaked document key opens one document of one
//! epoch), with the whole header as associated data (a blob moved to another document, device,
//! sequence or epoch no longer opens). The device signs the header and the ciphertext with its Ed25519
//! key, so peers know who wrote it and reject the blobs of unknown or revoked devices.
//!
//! Wire format, version 1 (integers big-endian):
//!
//! ```text
//! "PXB" 0x01 | kind u8 | team 16 | document 16 | device 16 | sequence u64 | epoch u32   header, 64 bytes
//! nonce 24 | length u32 | ciphertext (length bytes, plaintext + 16-byte tag) | signature 64
//! ```
//!
//! Every decoding error is a value, never a panic: these bytes come from the network.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hkdf::Hkdf;
use sha2::Sha256;
use uuid::Uuid;
use zeroize::Zeroizing;

const MAGIC: &[u8; 4] = b"PXB\x01";
const HEADER_LEN: usize = 4 + 1 + 16 + 16 + 16 + 8 + 4;
const NONCE_LEN: usize = 24;
const SIGNATURE_LEN: usize = 64;
const TAG_LEN: usize = 16;
/// What a blob adds to the bytes it carries: header, nonce, length, authentication tag, signature.
pub const OVERHEAD: usize = HEADER_LEN + NONCE_LEN + 4 + TAG_LEN + SIGNATURE_LEN;

/// The largest plaintext a blob carries (a snapshot of a very long plan is far below it).
pub const MAX_PLAINTEXT: usize = 16 * 1024 * 1024;

/// What a blob carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobKind {
    /// Automerge changes made by the device since its previous blob.
    Changes,
    /// A whole document, so that a new device starts from it instead of replaying every change.
    Snapshot,
}

impl BlobKind {
    fn byte(self) -> u8 {
        match self {
            BlobKind::Changes => 1,
            BlobKind::Snapshot => 2,
        }
    }
}

/// Where a blob belongs, in clear for the relay to route it; bound to the ciphertext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobHeader {
    pub kind: BlobKind,
    pub team: Uuid,
    pub document: Uuid,
    pub device: Uuid,
    /// 1, 2, 3… per (team, document, device): the relay's log position.
    pub sequence: u64,
    /// The team key's epoch: it rotates when a device is revoked.
    pub epoch: u32,
}

impl BlobHeader {
    fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[..4].copy_from_slice(MAGIC);
        out[4] = self.kind.byte();
        out[5..21].copy_from_slice(self.team.as_bytes());
        out[21..37].copy_from_slice(self.document.as_bytes());
        out[37..53].copy_from_slice(self.device.as_bytes());
        out[53..61].copy_from_slice(&self.sequence.to_be_bytes());
        out[61..65].copy_from_slice(&self.epoch.to_be_bytes());
        out
    }

    fn decode(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        if bytes.len() < HEADER_LEN {
            return Err(EnvelopeError::Truncated);
        }
        if bytes[..3] != MAGIC[..3] {
            return Err(EnvelopeError::NotABlob);
        }
        if bytes[3] != MAGIC[3] {
            return Err(EnvelopeError::UnsupportedVersion(bytes[3]));
        }
        let kind = match bytes[4] {
            1 => BlobKind::Changes,
            2 => BlobKind::Snapshot,
            other => return Err(EnvelopeError::UnknownKind(other)),
        };
        let uuid = |range: std::ops::Range<usize>| {
            Uuid::from_slice(&bytes[range]).map_err(|_| EnvelopeError::Truncated)
        };
        let mut sequence = [0u8; 8];
        sequence.copy_from_slice(&bytes[53..61]);
        let mut epoch = [0u8; 4];
        epoch.copy_from_slice(&bytes[61..65]);
        Ok(BlobHeader {
            kind,
            team: uuid(5..21)?,
            document: uuid(21..37)?,
            device: uuid(37..53)?,
            sequence: u64::from_be_bytes(sequence),
            epoch: u32::from_be_bytes(epoch),
        })
    }
}

/// The team keys of every epoch a device knows: the current one seals, older ones still open the
/// blobs sealed before a revocation. Two laptops that rotate the key at the same time (each revoking
/// a device before hearing of the other) mint two keys of one epoch: both are kept, and a blob of that
/// epoch opens with whichever sealed it.
#[derive(Debug, Default)]
pub struct Keyring(std::collections::BTreeMap<u32, Vec<TeamKey>>);

impl Keyring {
    /// A keyring with one epoch's key.
    pub fn single(epoch: u32, key: TeamKey) -> Self {
        let mut ring = Keyring::default();
        ring.insert(epoch, key);
        ring
    }

    /// Adds a key of an epoch (a key already held is not added twice).
    pub fn insert(&mut self, epoch: u32, key: TeamKey) {
        let keys = self.0.entry(epoch).or_default();
        if !keys.iter().any(|k| k.to_bytes() == key.to_bytes()) {
            keys.push(key);
        }
    }

    /// The key of an epoch that seals (the first one added), if known.
    pub fn get(&self, epoch: u32) -> Option<&TeamKey> {
        self.0.get(&epoch).and_then(|keys| keys.first())
    }

    /// Every key of an epoch.
    pub fn candidates(&self, epoch: u32) -> &[TeamKey] {
        self.0.get(&epoch).map_or(&[], Vec::as_slice)
    }

    /// The newest epoch held.
    pub fn newest(&self) -> Option<u32> {
        self.0.keys().next_back().copied()
    }

    /// Every epoch and key, oldest epoch first.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &TeamKey)> {
        self.0
            .iter()
            .flat_map(|(e, keys)| keys.iter().map(move |k| (*e, k)))
    }
}

/// The secret every device of a team shares, for one key epoch. Never leaves the devices.
pub struct TeamKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for TeamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TeamKey(…)")
    }
}

impl TeamKey {
    /// A new random team key.
    ///
    /// # Errors
    /// When the system has no random source.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut bytes[..])?;
        Ok(TeamKey(bytes))
    }

    /// The key from its 32 bytes (as kept in the store).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        TeamKey(Zeroizing::new(bytes))
    }

    /// The key's 32 bytes, to keep in the encrypted store or an invitation.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        self.0.clone()
    }

    /// The key of one document in one epoch: HKDF-SHA256(team key; salt = team id;
    /// info = "proxi/doc-key/v1" ‖ epoch ‖ document id).
    fn document_key(&self, team: Uuid, document: Uuid, epoch: u32) -> Zeroizing<[u8; 32]> {
        let hk = Hkdf::<Sha256>::new(Some(team.as_bytes()), &self.0[..]);
        let mut info = Vec::with_capacity(16 + 4 + 16);
        info.extend_from_slice(b"proxi/doc-key/v1");
        info.extend_from_slice(&epoch.to_be_bytes());
        info.extend_from_slice(document.as_bytes());
        let mut key = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit of 255 × 32: this cannot fail.
        let _ = hk.expand(&info, &mut key[..]);
        key
    }
}

/// Why a blob was refused. Nothing of a refused blob is ever applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the blob is shorter than its format says: it was cut in transit")]
    Truncated,
    #[error("these bytes are not a Proxi blob")]
    NotABlob,
    #[error("the blob has format version {0}, which this Proxi does not know: update Proxi")]
    UnsupportedVersion(u8),
    #[error("the blob carries an unknown kind of content ({0})")]
    UnknownKind(u8),
    #[error("the blob is {0} bytes longer than its format says")]
    TrailingBytes(usize),
    #[error("the blob is larger than Proxi accepts ({0} bytes of content)")]
    TooLarge(usize),
    #[error("the blob was written by device {0}, which this team does not know or has revoked")]
    UnknownDevice(Uuid),
    #[error("the blob is sealed with the team key of epoch {0}, which this device does not hold")]
    UnknownEpoch(u32),
    #[error("the blob's signature does not match its content: it was altered, it is not applied")]
    BadSignature,
    #[error(
        "the blob does not open with this team's key: wrong team, epoch or document, or altered"
    )]
    CannotDecrypt,
    #[error("the blob belongs to team {found}, not to this team ({expected})")]
    WrongTeam { expected: Uuid, found: Uuid },
}

/// Seals `plaintext` for `header`, signed by the device's key.
///
/// # Errors
/// [`SealError::TooLarge`] above [`MAX_PLAINTEXT`] (the only way the cipher can refuse), and
/// [`SealError::NoRandom`] when the system gives no random nonce.
pub fn seal(
    team_key: &TeamKey,
    device_key: &SigningKey,
    header: &BlobHeader,
    plaintext: &[u8],
) -> Result<Vec<u8>, SealError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(SealError::TooLarge(plaintext.len()));
    }
    let head = header.encode();
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|e| SealError::NoRandom(e.to_string()))?;
    let key = team_key.document_key(header.team, header.document, header.epoch);
    let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key[..]));
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: &head,
            },
        )
        .map_err(|_| SealError::TooLarge(plaintext.len()))?;
    let length =
        u32::try_from(ciphertext.len()).map_err(|_| SealError::TooLarge(plaintext.len()))?;
    let mut out = Vec::with_capacity(HEADER_LEN + NONCE_LEN + 4 + ciphertext.len() + SIGNATURE_LEN);
    out.extend_from_slice(&head);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&ciphertext);
    let signature = device_key.sign(&out);
    out.extend_from_slice(&signature.to_bytes());
    Ok(out)
}

/// A new device signing key (its public half is what the team records for the device).
///
/// # Errors
/// When the system has no random source.
pub fn new_device_key() -> Result<SigningKey, getrandom::Error> {
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut seed[..])?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Why a blob could not be sealed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the content is too large to send ({0} bytes)")]
    TooLarge(usize),
    #[error("no random source to make a nonce: {0}")]
    NoRandom(String),
}

/// Reads only the routing header (what the relay may read), checking the frame's lengths.
///
/// # Errors
/// Every [`EnvelopeError`] about the frame: truncated, not a blob, unknown version or kind, trailing
/// bytes, too large.
pub fn peek(bytes: &[u8]) -> Result<BlobHeader, EnvelopeError> {
    frame(bytes).map(|(header, _, _)| header)
}

/// Splits a blob into its header, the signed part, and its signature, checking every length.
fn frame(bytes: &[u8]) -> Result<(BlobHeader, &[u8], &[u8]), EnvelopeError> {
    let header = BlobHeader::decode(bytes)?;
    let fixed = HEADER_LEN + NONCE_LEN + 4;
    if bytes.len() < fixed {
        return Err(EnvelopeError::Truncated);
    }
    let mut length = [0u8; 4];
    length.copy_from_slice(&bytes[HEADER_LEN + NONCE_LEN..fixed]);
    let length = u32::from_be_bytes(length) as usize;
    if length > MAX_PLAINTEXT + TAG_LEN {
        return Err(EnvelopeError::TooLarge(length));
    }
    let signed_end = fixed + length;
    let total = signed_end + SIGNATURE_LEN;
    if bytes.len() < total {
        return Err(EnvelopeError::Truncated);
    }
    if bytes.len() > total {
        return Err(EnvelopeError::TrailingBytes(bytes.len() - total));
    }
    Ok((header, &bytes[..signed_end], &bytes[signed_end..]))
}

/// Opens a blob with the keys of its epoch held in `keys` (see [`open`]).
///
/// # Errors
/// [`EnvelopeError::UnknownEpoch`] when no key of its epoch is held; otherwise as [`open`], with the
/// error of the last key tried.
pub fn open_with(
    bytes: &[u8],
    team: Uuid,
    keys: &Keyring,
    device_key: impl Fn(Uuid) -> Option<VerifyingKey>,
) -> Result<(BlobHeader, Vec<u8>), EnvelopeError> {
    let epoch = peek(bytes)?.epoch;
    let mut last = EnvelopeError::UnknownEpoch(epoch);
    for key in keys.candidates(epoch) {
        match open(bytes, team, key, &device_key) {
            Ok(opened) => return Ok(opened),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Opens a blob of `team`: checks the frame, the device's signature (`device_key` says which devices
/// the team knows and trusts), then decrypts. Returns the header and the plaintext.
///
/// # Errors
/// Any [`EnvelopeError`]; nothing of a refused blob is returned.
pub fn open(
    bytes: &[u8],
    team: Uuid,
    team_key: &TeamKey,
    device_key: impl Fn(Uuid) -> Option<VerifyingKey>,
) -> Result<(BlobHeader, Vec<u8>), EnvelopeError> {
    let (header, signed, signature) = frame(bytes)?;
    if header.team != team {
        return Err(EnvelopeError::WrongTeam {
            expected: team,
            found: header.team,
        });
    }
    let verifying = device_key(header.device).ok_or(EnvelopeError::UnknownDevice(header.device))?;
    let signature = Signature::from_slice(signature).map_err(|_| EnvelopeError::BadSignature)?;
    verifying
        .verify(signed, &signature)
        .map_err(|_| EnvelopeError::BadSignature)?;
    let nonce = &signed[HEADER_LEN..HEADER_LEN + NONCE_LEN];
    let ciphertext = &signed[HEADER_LEN + NONCE_LEN + 4..];
    let key = team_key.document_key(header.team, header.document, header.epoch);
    let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key[..]));
    let plaintext = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: &signed[..HEADER_LEN],
            },
        )
        .map_err(|_| EnvelopeError::CannotDecrypt)?;
    Ok((header, plaintext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct Fixture {
        team: Uuid,
        key: TeamKey,
        device: SigningKey,
        header: BlobHeader,
    }

    fn fixture() -> Fixture {
        let team = Uuid::from_u128(0x7ea3);
        let header = BlobHeader {
            kind: BlobKind::Changes,
            team,
            document: Uuid::from_u128(0xd0c),
            device: Uuid::from_u128(0xde1),
            sequence: 7,
            epoch: 2,
        };
        Fixture {
            team,
            key: TeamKey::from_bytes([9; 32]),
            device: new_device_key().expect("random"),
            header,
        }
    }

    fn known(f: &Fixture) -> impl Fn(Uuid) -> Option<VerifyingKey> + '_ {
        move |id| (id == f.header.device).then(|| f.device.verifying_key())
    }

    const PLAN: &[u8] = b"Priorite: Rester chez moi (Herve Exemple)";

    #[test]
    fn a_sealed_blob_opens_for_the_team_and_shows_the_relay_only_its_routing() {
        let f = fixture();
        let blob = seal(&f.key, &f.device, &f.header, PLAN).expect("seal");
        assert_eq!(peek(&blob).expect("header"), f.header);
        assert!(
            !blob.windows(6).any(|w| w == b"Herve " || w == b"Rester"),
            "no plaintext on the wire"
        );
        let (header, plain) = open(&blob, f.team, &f.key, known(&f)).expect("open");
        assert_eq!(header, f.header);
        assert_eq!(plain, PLAN);
        // Two seals of the same content differ (random nonce).
        assert_ne!(
            blob,
            seal(&f.key, &f.device, &f.header, PLAN).expect("seal")
        );
    }

    #[test]
    fn changing_any_single_byte_is_refused_and_nothing_is_returned() {
        let f = fixture();
        let blob = seal(&f.key, &f.device, &f.header, PLAN).expect("seal");
        for i in 0..blob.len() {
            let mut bad = blob.clone();
            bad[i] ^= 0x01;
            assert!(
                open(&bad, f.team, &f.key, known(&f)).is_err(),
                "byte {i} altered and still opened"
            );
        }
    }

    #[test]
    fn the_header_binds_team_document_device_sequence_and_epoch() {
        let f = fixture();
        let blob = seal(&f.key, &f.device, &f.header, PLAN).expect("seal");
        // Wrong team expected by the reader.
        assert!(matches!(
            open(&blob, Uuid::from_u128(1), &f.key, known(&f)),
            Err(EnvelopeError::WrongTeam { .. })
        ));
        // Another team key (or a revoked epoch's key) cannot decrypt, even with a valid signature.
        assert_eq!(
            open(&blob, f.team, &TeamKey::from_bytes([8; 32]), known(&f)),
            Err(EnvelopeError::CannotDecrypt)
        );
        // An unknown or revoked device is refused before anything is decrypted.
        assert_eq!(
            open(&blob, f.team, &f.key, |_| None),
            Err(EnvelopeError::UnknownDevice(f.header.device))
        );
        // A relay that moves a blob to another sequence or document, and re-signs it with a key it
        // holds, still cannot make it open: the ciphertext is bound to the original header.
        let forger = new_device_key().expect("random");
        for moved in [
            BlobHeader {
                sequence: 8,
                ..f.header
            },
            BlobHeader {
                document: Uuid::from_u128(0xd0d),
                ..f.header
            },
            BlobHeader {
                epoch: 3,
                ..f.header
            },
        ] {
            let mut bytes = blob[..blob.len() - SIGNATURE_LEN].to_vec();
            bytes[..HEADER_LEN].copy_from_slice(&moved.encode());
            let signature = forger.sign(&bytes);
            bytes.extend_from_slice(&signature.to_bytes());
            let result = open(&bytes, f.team, &f.key, |_| Some(forger.verifying_key()));
            assert_eq!(result, Err(EnvelopeError::CannotDecrypt), "{moved:?}");
        }
    }

    #[test]
    fn broken_frames_get_their_own_error() {
        let f = fixture();
        let blob = seal(&f.key, &f.device, &f.header, PLAN).expect("seal");
        assert_eq!(peek(&blob[..10]), Err(EnvelopeError::Truncated));
        assert_eq!(peek(&blob[..blob.len() - 1]), Err(EnvelopeError::Truncated));
        let mut longer = blob.clone();
        longer.push(0);
        assert_eq!(peek(&longer), Err(EnvelopeError::TrailingBytes(1)));
        let mut other = blob.clone();
        other[..3].copy_from_slice(b"GIF");
        assert_eq!(peek(&other), Err(EnvelopeError::NotABlob));
        let mut newer = blob.clone();
        newer[3] = 2;
        assert_eq!(peek(&newer), Err(EnvelopeError::UnsupportedVersion(2)));
        let mut kind = blob.clone();
        kind[4] = 9;
        assert_eq!(peek(&kind), Err(EnvelopeError::UnknownKind(9)));
        let mut huge = blob;
        huge[HEADER_LEN + NONCE_LEN..HEADER_LEN + NONCE_LEN + 4]
            .copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(peek(&huge), Err(EnvelopeError::TooLarge(_))));
        assert_eq!(
            seal(&f.key, &f.device, &f.header, &vec![0; MAX_PLAINTEXT + 1]),
            Err(SealError::TooLarge(MAX_PLAINTEXT + 1))
        );
    }

    proptest! {
        // Network bytes: any input gives a value, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let f = fixture();
            let _ = peek(&bytes);
            let _ = open(&bytes, f.team, &f.key, known(&f));
        }

        // Arbitrary bytes behind a valid magic and kind reach the deeper checks, still without panic.
        #[test]
        fn arbitrary_bodies_behind_a_valid_start_never_panic(
            body in proptest::collection::vec(any::<u8>(), 0..400),
            kind in 0u8..4,
        ) {
            let f = fixture();
            let mut bytes = MAGIC.to_vec();
            bytes.push(kind);
            bytes.extend_from_slice(&body);
            let _ = peek(&bytes);
            prop_assert!(open(&bytes, f.team, &f.key, known(&f)).is_err());
        }

        #[test]
        fn any_plan_bytes_round_trip(plain in proptest::collection::vec(any::<u8>(), 0..2000), seq in any::<u64>()) {
            let f = fixture();
            let header = BlobHeader { sequence: seq, ..f.header };
            let blob = seal(&f.key, &f.device, &header, &plain).expect("seal");
            let (h, p) = open(&blob, f.team, &f.key, known(&f)).expect("open");
            prop_assert_eq!(h, header);
            prop_assert_eq!(p, plain);
        }
    }
}
