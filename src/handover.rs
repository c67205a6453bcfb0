//! Handing a person's plan over to another referent (the person moves to another bassin, or changes
//! referent): the whole automerge document, with its history, as one file sealed for that colleague,
//! opened with a one-time code passed by phone. The colleague's Proxi continues the same document, so
//! later edits on both sides merge (through the team, or by handing the plan back).
//!
//! The crypto is the invitations': a 100-bit random code (20 letters of Crockford's base32, in five
//! groups), HKDF-SHA256 with the file's random salt to a key, XChaCha20-Poly1305 sealing the plan with
//! the file's header as associated data (a changed header does not open).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::app::Proxi;
use crate::error::{Error, Result};
use crate::store::AuditAction;

/// The file's format name.
pub const FORMAT: &str = "proxi.handover/1";
/// The code's alphabet: Crockford's base32 (no I, L, O, U), read aloud without doubt.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Letters in a code (5 bits each: 100 bits).
const CODE_LETTERS: usize = 20;
/// The largest handover file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The handover file: who hands over to whom, when, and the sealed plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    format: String,
    from: String,
    to: String,
    created: String,
    salt: String,
    nonce: String,
    sealed: String,
}

impl File {
    /// What the seal binds besides the plan: everything of the header.
    fn associated(&self) -> Vec<u8> {
        serde_json::to_vec(&[
            &self.format,
            &self.from,
            &self.to,
            &self.created,
            &self.salt,
        ])
        .unwrap_or_default()
    }
}

/// What is sealed: the person's id and their whole document.
#[derive(Serialize, Deserialize)]
struct Sealed {
    person: Uuid,
    document: String,
}

/// A plan ready to hand over: the file to give the colleague and the code to tell them.
#[derive(Debug, Clone)]
pub struct Handover {
    pub file: Vec<u8>,
    /// "K7QM-2XPA-…": five groups of four letters.
    pub code: String,
}

/// Who handed a plan over, read from a file before it is opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HandoverFrom {
    pub from: String,
    pub to: String,
    pub created: String,
}

fn random(n: usize) -> Result<Vec<u8>> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| Error::Storage(format!("no random source: {e}")))?;
    Ok(bytes)
}

fn new_code() -> Result<String> {
    let letters: Vec<u8> = random(CODE_LETTERS)?
        .into_iter()
        .map(|b| ALPHABET[usize::from(b & 31)])
        .collect();
    Ok(letters
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-"))
}

/// The code as typed: case, spaces and dashes do not matter; O is 0, I and L are 1.
fn normalize(code: &str) -> Option<String> {
    let letters: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    (letters.len() == CODE_LETTERS && letters.bytes().all(|b| ALPHABET.contains(&b)))
        .then_some(letters)
}

fn key(code: &str, salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let hk = Hkdf::<Sha256>::new(Some(salt), code.as_bytes());
    let mut out = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA256's limit: this cannot fail.
    let _ = hk.expand(b"proxi handover v1", &mut out[..]);
    out
}

fn invalid(why: &str) -> Error {
    Error::HandoverInvalid(why.to_owned())
}

fn read_file(bytes: &[u8]) -> Result<File> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(invalid("the file is too large to be a handover"));
    }
    let file: File =
        serde_json::from_slice(bytes).map_err(|_| invalid("this is not a Proxi handover file"))?;
    if file.format != FORMAT {
        return Err(invalid(&format!(
            "this file is a {}, not a {FORMAT}",
            file.format
        )));
    }
    Ok(file)
}

/// Who handed the plan over, to whom and when, as the file says (before the code is typed).
///
/// # Errors
/// [`Error::HandoverInvalid`].
pub fn peek(bytes: &[u8]) -> Result<HandoverFrom> {
    let file = read_file(bytes)?;
    Ok(HandoverFrom {
        from: file.from,
        to: file.to,
        created: file.created,
    })
}

impl Proxi {
    /// Seals `person`'s whole plan, with its history, for the colleague `to`; returns the file and the
    /// one-time code to tell them by phone. Recorded in the audit log: handed over, to whom, when.
    ///
    /// # Errors
    /// [`Error::PersonNotFound`]; [`Error::Invalid`] for an empty colleague's name; [`Error::Storage`].
    pub fn handover_out(&mut self, person: Uuid, to: &str) -> Result<Handover> {
        let to = to.trim();
        if to.is_empty() {
            return Err(Error::Invalid(vec![crate::error::Violation::new(
                crate::ErrorCode::MemberNameEmpty,
                "to",
            )]));
        }
        let document = self.store_mut().document_bytes(person)?;
        let code = new_code()?;
        let salt = random(16)?;
        let nonce = random(24)?;
        let now = self.now();
        let mut file = File {
            format: FORMAT.to_owned(),
            from: self.store().author().to_owned(),
            to: to.to_owned(),
            created: now.to_string(),
            salt: hex::encode(&salt),
            nonce: hex::encode(&nonce),
            sealed: String::new(),
        };
        let plain = Zeroizing::new(
            serde_json::to_vec(&Sealed {
                person,
                document: data_encoding::BASE64.encode(&document),
            })
            .map_err(|e| Error::Storage(e.to_string()))?,
        );
        let letters = normalize(&code).expect("a new code reads");
        let cipher =
            XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key(&letters, &salt)[..]));
        let aad = file.associated();
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .map_err(|_| Error::Storage("the plan could not be sealed".into()))?;
        file.sealed = data_encoding::BASE64.encode(&sealed);
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| Error::Storage(e.to_string()))?;
        self.store()
            .audit_with(now, AuditAction::Handover, person, Some(to))?;
        Ok(Handover { file: bytes, code })
    }

    /// Opens a handover file with its code and takes the plan in: a new person with the same id and
    /// the whole history, or, when this store already holds that plan, its changes merged in. Nothing
    /// is written unless the file opens and holds a plan. Recorded in the audit log, from whom.
    ///
    /// # Errors
    /// [`Error::HandoverInvalid`] (not a handover file, damaged); [`Error::HandoverCodeWrong`] (the code
    /// does not open it); [`Error::DocumentInvalid`]; [`Error::Storage`].
    pub fn handover_in(&mut self, bytes: &[u8], code: &str) -> Result<Uuid> {
        let file = read_file(bytes)?;
        let letters = normalize(code).ok_or(Error::HandoverCodeWrong)?;
        let salt = hex::decode(&file.salt).map_err(|_| invalid("its salt is damaged"))?;
        let nonce = hex::decode(&file.nonce)
            .ok()
            .filter(|n| n.len() == 24)
            .ok_or_else(|| invalid("its nonce is damaged"))?;
        let sealed = data_encoding::BASE64
            .decode(file.sealed.as_bytes())
            .map_err(|_| invalid("its sealed part is damaged"))?;
        let cipher =
            XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key(&letters, &salt)[..]));
        let aad = file.associated();
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &sealed,
                        aad: &aad,
                    },
                )
                .map_err(|_| Error::HandoverCodeWrong)?,
        );
        let inner: Sealed =
            serde_json::from_slice(&plain).map_err(|_| invalid("its plan is damaged"))?;
        let document = data_encoding::BASE64
            .decode(inner.document.as_bytes())
            .map_err(|_| invalid("its plan is damaged"))?;
        // The document must read as this person's plan before anything is written.
        let doc = automerge::AutoCommit::load(&document)
            .map_err(|e| Error::DocumentInvalid(format!("the handed-over plan: {e}")))?;
        let plan = crate::document::read(&doc)?;
        if plan.person.id != inner.person {
            return Err(invalid("its plan is not the person it names"));
        }
        let now = self.now();
        self.store_mut()
            .merge_received(inner.person, &[&document], now, |_| Ok(()))?;
        self.store()
            .audit_with(now, AuditAction::Handover, inner.person, Some(&file.from))?;
        Ok(inner.person)
    }
}
