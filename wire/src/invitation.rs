//! The invitation code a referent hands to a colleague (`<relay>#ABCD-EFGH-…`, 77 letters after the
//! `#`): the new device's id and a 32-byte secret. The relay keeps a package sealed under a key
//! derived from the secret, and the SHA-256 of a redeem proof derived from it; it never sees the
//! secret. The relay operator's founding code is an invitation code too.

use data_encoding::BASE32_NOPAD;
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

/// Why a typed or pasted code is not an invitation code, in words that say what to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvitationError(pub String);

/// An invitation code, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationCode {
    pub relay: String,
    pub device: Uuid,
    secret: Zeroizing<[u8; 32]>,
}

impl InvitationCode {
    /// A new code for a new device, at `relay`.
    ///
    /// # Errors
    /// When the system has no random source.
    pub fn generate(relay: &str) -> Result<Self, getrandom::Error> {
        let mut secret = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut secret[..])?;
        Ok(InvitationCode {
            relay: relay.trim_end_matches('/').to_owned(),
            device: Uuid::new_v4(),
            secret,
        })
    }

    /// Reads a code as typed or pasted (spaces, dashes and case do not matter after the `#`).
    ///
    /// # Errors
    /// [`InvitationError`] saying what is wrong with it.
    pub fn parse(code: &str) -> Result<Self, InvitationError> {
        let invalid = |why: &str| InvitationError(why.to_owned());
        let code = code.trim();
        let (relay, body) = code.rsplit_once('#').ok_or_else(|| {
            invalid("an invitation code looks like http://relay…#ABCD-EFGH-…; this one has no '#'")
        })?;
        if !(relay.starts_with("http://") || relay.starts_with("https://")) {
            return Err(invalid(
                "the code must start with the relay's address (http:// or https://)",
            ));
        }
        let letters: String = body
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = BASE32_NOPAD.decode(letters.as_bytes()).map_err(|_| {
            invalid("the code has a character that is not a letter A–Z or a digit 2–7: check it")
        })?;
        if bytes.len() != 48 {
            return Err(InvitationError(format!(
                "the code is {} characters long where 77 are expected: check that it is whole",
                letters.len()
            )));
        }
        let mut secret = Zeroizing::new([0u8; 32]);
        secret.copy_from_slice(&bytes[16..]);
        Ok(InvitationCode {
            relay: relay.trim_end_matches('/').to_owned(),
            device: Uuid::from_slice(&bytes[..16]).map_err(|_| invalid("the code is damaged"))?,
            secret,
        })
    }

    /// The code to hand over: the relay's address, then groups of four letters.
    pub fn text(&self) -> String {
        let mut bytes = Vec::with_capacity(48);
        bytes.extend_from_slice(self.device.as_bytes());
        bytes.extend_from_slice(&self.secret[..]);
        let letters = BASE32_NOPAD.encode(&bytes);
        let groups: Vec<&str> = letters
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        format!("{}#{}", self.relay, groups.join("-"))
    }

    /// A key derived from the code for one use (`what`): "redeem" for the proof, "package" for the
    /// key that seals what the invited device receives.
    pub fn derive(&self, what: &str) -> Zeroizing<[u8; 32]> {
        let hk = Hkdf::<Sha256>::new(Some(self.device.as_bytes()), &self.secret[..]);
        let mut out = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit: this cannot fail.
        let _ = hk.expand(
            format!("proxi/invitation/{what}/v1").as_bytes(),
            &mut out[..],
        );
        out
    }

    /// The proof of holding the code that the relay checks (it keeps only its SHA-256).
    pub fn redeem(&self) -> String {
        hex::encode(&self.derive("redeem")[..])
    }

    /// SHA-256 of [`Self::redeem`], as the relay keeps it.
    pub fn redeem_hash(&self) -> String {
        redeem_hash(&self.redeem())
    }
}

/// SHA-256 of an invitation's redeem proof, hex: what the relay stores and compares.
pub fn redeem_hash(redeem: &str) -> String {
    hex::encode(Sha256::digest(redeem.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_code_reads_back_as_typed_by_hand() {
        let code = InvitationCode::generate("https://relais.exemple/").expect("a code");
        let text = code.text();
        assert!(text.starts_with("https://relais.exemple#"), "{text}");
        let (_, letters) = text.split_once('#').expect("#");
        assert_eq!(letters.replace('-', "").len(), 77);
        for typed in [
            text.clone(),
            text.to_lowercase(),
            text.replace('-', " "),
            format!("  {}  ", text.replace('-', "")),
        ] {
            let read = InvitationCode::parse(&typed).expect("reads");
            assert_eq!(read, code, "{typed}");
            assert_eq!(read.redeem(), code.redeem());
        }
    }

    #[test]
    fn a_wrong_code_says_what_to_check() {
        let code = InvitationCode::generate("https://relais.exemple").expect("a code");
        let text = code.text();
        let letters = text.split_once('#').expect("#").1.replace('-', "");
        let cases = [
            (text.replace('#', ""), "has no '#'"),
            (
                text.replace("https://", ""),
                "must start with the relay's address",
            ),
            (text.replace('#', "#1"), "not a letter A–Z"),
            (
                format!("{}#{}", code.relay, &letters[..64]),
                "where 77 are expected",
            ),
        ];
        for (typed, says) in cases {
            let why = InvitationCode::parse(&typed)
                .expect_err("refused")
                .to_string();
            assert!(why.contains(says), "{typed}: {why}");
        }
        assert_ne!(
            code.redeem_hash(),
            code.redeem(),
            "the relay keeps only a hash"
        );
        assert_eq!(code.redeem_hash(), redeem_hash(&code.redeem()));
    }

    proptest! {
        #[test]
        fn any_text_as_a_code_never_panics(text in "\\PC{0,120}", prefix in prop::sample::select(vec!["", "http://x#", "https://r.example#"])) {
            let _ = InvitationCode::parse(&format!("{prefix}{text}"));
        }
    }
}
