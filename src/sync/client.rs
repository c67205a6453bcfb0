//! The relay's HTTP client (blocking: callers run it off the UI thread). It moves bytes and reports
//! what the relay said; the store is never touched here.

use std::io::Read;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::SyncError;
use super::wire;
use crate::error::{Error, Result};

/// A relay, by its base address (`http://127.0.0.1:7878`).
#[derive(Debug, Clone)]
pub struct RelayClient {
    base: String,
    agent: ureq::Agent,
}

/// What the relay answers to a device joining with an invitation.
#[derive(Debug, Clone, Deserialize)]
pub struct Joined {
    pub team: Uuid,
    pub token: String,
    /// The sealed invitation package (none for a founding invitation: the team starts here).
    pub package: Option<String>,
}

/// Blobs read from the relay, with their positions in the team's log.
pub type Pulled = Vec<(u64, Vec<u8>)>;

/// Reads an answer of framed blobs whole (at most 1 GiB).
fn frames(response: ureq::Response) -> Result<Pulled> {
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(1024 * 1024 * 1024)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Error::Sync(SyncError::RelayUnreachable(format!(
                "the answer was cut: {e}"
            )))
        })?;
    wire::decode(&bytes).map_err(|e| {
        Error::Sync(SyncError::RelayAnswerInvalid(format!(
            "an unreadable answer: {e}"
        )))
    })
}

/// The most blobs one pull asks for.
pub const PAGE: u32 = 500;

/// The certificate authorities a relay's HTTPS certificate is checked against: the usual public ones
/// (webpki-roots), and the one in the PEM file `PROXI_RELAY_CA` names, for a relay with a certificate
/// of the organisation's own authority.
fn tls_config() -> Result<std::sync::Arc<rustls::ClientConfig>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = std::env::var_os("PROXI_RELAY_CA") {
        let unreadable = |e: &dyn std::fmt::Display| {
            Error::Sync(SyncError::RelayUnreachable(format!(
                "the certificate authority {} (PROXI_RELAY_CA) could not be read: {e}",
                std::path::Path::new(&path).display()
            )))
        };
        let mut added = 0;
        for cert in CertificateDer::pem_file_iter(&path).map_err(|e| unreadable(&e))? {
            roots
                .add(cert.map_err(|e| unreadable(&e))?)
                .map_err(|e| unreadable(&e))?;
            added += 1;
        }
        if added == 0 {
            return Err(unreadable(&"it holds no certificate"));
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Error::Sync(SyncError::RelayUnreachable(e.to_string())))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(std::sync::Arc::new(config))
}

impl RelayClient {
    /// A client of the relay at `base`: `https://…`, or `http://…` on loopback (a relay serves plain
    /// HTTP nowhere else).
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`] when `PROXI_RELAY_CA` names a file that is not a certificate.
    pub fn new(base: &str) -> Result<Self> {
        Ok(RelayClient {
            base: base.trim_end_matches('/').to_owned(),
            agent: ureq::AgentBuilder::new()
                .timeout_connect(Duration::from_secs(5))
                .timeout(Duration::from_secs(60))
                .tls_config(tls_config()?)
                .build(),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn answer(result: std::result::Result<ureq::Response, ureq::Error>) -> Result<ureq::Response> {
        match result {
            Ok(r) => Ok(r),
            Err(ureq::Error::Status(status, r)) => {
                let body = r.into_string().unwrap_or_default();
                let message = serde_json::from_str::<Value>(&body)
                    .ok()
                    .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or(body);
                Err(Error::Sync(SyncError::RelayRefused { status, message }))
            }
            Err(e) => Err(Error::Sync(SyncError::RelayUnreachable(e.to_string()))),
        }
    }

    fn post_bytes(&self, path: &str, token: &str, blob: &[u8]) -> Result<Value> {
        Self::answer(
            self.agent
                .post(&self.url(path))
                .set("Authorization", &format!("Bearer {token}"))
                .set("Content-Type", "application/octet-stream")
                .send_bytes(blob),
        )?
        .into_json()
        .map_err(|e| {
            Error::Sync(SyncError::RelayAnswerInvalid(format!(
                "an unreadable answer: {e}"
            )))
        })
    }

    fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Result<Value> {
        let mut request = self.agent.post(&self.url(path));
        if let Some(token) = token {
            request = request.set("Authorization", &format!("Bearer {token}"));
        }
        let response = Self::answer(request.send_json(body))?;
        response.into_json().map_err(|e| {
            Error::Sync(SyncError::RelayAnswerInvalid(format!(
                "an unreadable answer: {e}"
            )))
        })
    }

    /// Pushes one sealed blob; returns its position in the team's log.
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`], [`SyncError::RelayRefused`].
    pub fn push(&self, token: &str, blob: &[u8]) -> Result<u64> {
        self.post_bytes("/v1/blobs", token, blob)?
            .get("position")
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                Error::Sync(SyncError::RelayAnswerInvalid(
                    "an answer without a position".to_owned(),
                ))
            })
    }

    /// The team's blobs after `since` (at most [`PAGE`]), and whether more remain.
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`] (also for an answer that does not read whole),
    /// [`SyncError::RelayRefused`].
    pub fn pull(&self, token: &str, since: u64, snapshots: Option<u64>) -> Result<(Pulled, bool)> {
        let started = snapshots.map_or_else(String::new, |s| format!("&snapshots={s}"));
        let response = Self::answer(
            self.agent
                .get(&self.url(&format!("/v1/blobs?since={since}&limit={PAGE}{started}")))
                .set("Authorization", &format!("Bearer {token}"))
                .call(),
        )?;
        let more = response.header("x-proxi-more") == Some("true");
        Ok((frames(response)?, more))
    }

    /// Leaves a sealed invitation package for `device`, redeemable once with the secret whose
    /// SHA-256 is `redeem_hash`, for `minutes`.
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`], [`SyncError::RelayRefused`].
    pub fn invite(
        &self,
        token: &str,
        device: Uuid,
        redeem_hash: &str,
        minutes: u32,
        package: &str,
    ) -> Result<()> {
        self.post_json(
            "/v1/invitations",
            Some(token),
            &json!({"device": device, "redeemHash": redeem_hash, "minutes": minutes, "package": package}),
        )?;
        Ok(())
    }

    /// Redeems an invitation: the relay registers the device and gives its token (once).
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`], [`SyncError::RelayRefused`] (unknown, used or expired invitation).
    /// [`SyncError::InvitationInvalid`] for a founding code used to join or the reverse (the code stays
    /// good for its right use).
    pub fn join(&self, device: Uuid, redeem: &str, founding: bool) -> Result<Joined> {
        let answer = self
            .post_json(
                "/v1/join",
                None,
                &json!({"device": device, "redeem": redeem, "founding": founding}),
            )
            .map_err(|e| match e {
                Error::Sync(SyncError::RelayRefused {
                    status: 409,
                    message,
                }) => Error::Sync(SyncError::InvitationInvalid(message)),
                e => e,
            })?;
        serde_json::from_value(answer).map_err(|e| {
            Error::Sync(SyncError::RelayAnswerInvalid(format!(
                "an unreadable answer: {e}"
            )))
        })
    }

    /// Revokes a device of the team: its token opens nothing any more.
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`], [`SyncError::RelayRefused`].
    pub fn revoke(&self, token: &str, device: Uuid) -> Result<()> {
        self.post_json(
            &format!("/v1/devices/{device}/revoke"),
            Some(token),
            &json!({}),
        )?;
        Ok(())
    }

    /// Asks the relay to drop every blob of an erased plan.
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`], [`SyncError::RelayRefused`].
    pub fn erase(&self, token: &str, document: Uuid) -> Result<()> {
        self.post_json(
            &format!("/v1/documents/{document}/erase"),
            Some(token),
            &json!({}),
        )?;
        Ok(())
    }

    /// Leaves a sealed snapshot of one plan; whether the relay kept it (it keeps the one covering
    /// the most).
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`], [`SyncError::RelayRefused`].
    pub fn put_snapshot(&self, token: &str, blob: &[u8]) -> Result<bool> {
        let answer = self.post_bytes("/v1/snapshots", token, blob)?;
        Ok(answer.get("kept").and_then(Value::as_bool).unwrap_or(false))
    }

    /// The latest snapshot of every plan of the team, and their serial.
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`] (also for an answer that does not read whole),
    /// [`SyncError::RelayRefused`].
    pub fn snapshots(&self, token: &str) -> Result<(u64, Vec<Vec<u8>>)> {
        let response = Self::answer(
            self.agent
                .get(&self.url("/v1/snapshots"))
                .set("Authorization", &format!("Bearer {token}"))
                .call(),
        )?;
        let serial = response
            .header("x-proxi-snapshots")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let blobs = frames(response)?;
        Ok((serial, blobs.into_iter().map(|(_, b)| b).collect()))
    }

    /// Plans with `min` blobs or more since their last snapshot.
    ///
    /// # Errors
    /// [`SyncError::RelayUnreachable`], [`SyncError::RelayRefused`].
    pub fn stale(&self, token: &str, min: u32) -> Result<Vec<Uuid>> {
        let response = Self::answer(
            self.agent
                .get(&self.url(&format!("/v1/snapshots/stale?min={min}")))
                .set("Authorization", &format!("Bearer {token}"))
                .call(),
        )?;
        let answer: Value = response.into_json().map_err(|e| {
            Error::Sync(SyncError::RelayAnswerInvalid(format!(
                "an unreadable answer: {e}"
            )))
        })?;
        Ok(answer
            .get("documents")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str().and_then(|d| Uuid::parse_str(d).ok()))
                    .collect()
            })
            .unwrap_or_default())
    }
}
