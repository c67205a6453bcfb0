//! `proxi-relay`: the sync relay. It keeps, for each team, an append-only log of sealed blobs and hands
//! them to the team's devices; it holds no key and can read no plan.
//!
//! HTTP API (bearer token of a device in `Authorization`):
//! - `POST /v1/blobs`, body = one sealed blob of this device → `{"position": n, "again": bool}`;
//!   409 for a sequence out of order or reused with other bytes; 400 for bytes that are not a blob;
//!   403 for a blob of another team or device, or a revoked token; 401 without a known token.
//! - `GET /v1/blobs?since=n&limit=m` → the team's blobs after position n, as frames
//!   `position: u64 BE | length: u32 BE | blob`; `X-Proxi-More: true` when more remain. A blob of an
//!   erased plan comes empty (length 0): its position stays so that cursors keep counting.
//! - `POST /v1/invitations` `{"device", "redeemHash", "minutes", "package"}`: an enrolled device leaves
//!   a sealed invitation package for a new device of its team.
//! - `POST /v1/join` `{"device", "redeem"}` (no token): redeems an invitation once, before it
//!   expires → `{"team", "token", "package"}`; 404 unknown or used, 410 expired.
//! - `POST /v1/devices/{id}/revoke`: a device of the team revokes another (or itself).
//! - `POST /v1/documents/{id}/erase`: a device of the team erases a plan: its blobs are dropped.
//! - `POST /v1/snapshots`, body = a sealed snapshot of one plan covering the team's log up to the
//!   position in its header's sequence → `{"kept": bool}` (kept when it covers more than the last one).
//! - `GET /v1/snapshots` → the latest snapshot of every plan, framed like a pull (position = what it
//!   covers), with `X-Proxi-Snapshots: <serial>`; a new device starts from them and pulls with
//!   `&snapshots=<serial>`, which empties the blobs they cover.
//! - `GET /v1/snapshots/stale?min=n` → `{"documents": [...]}`: plans with n blobs or more since their
//!   last snapshot, for a device to snapshot.

mod pg;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clap::{Parser, Subcommand};
use serde::Deserialize;
use store::{Backend, Device, Pushed, Redeemed, RelayStore};
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(
    name = "proxi-relay",
    version,
    about = "Proxi's sync relay: stores and forwards sealed blobs"
)]
struct Cli {
    /// The relay's database file
    #[arg(long, env = "PROXI_RELAY_DB", default_value = "proxi-relay.db")]
    db: PathBuf,
    /// A PostgreSQL database instead of the SQLite file (`postgres://user:password@host/db`), for
    /// several relay processes sharing one database
    #[arg(long, env = "PROXI_RELAY_DATABASE")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the relay: HTTPS with a certificate, or plain HTTP on loopback only
    Serve {
        #[arg(long, default_value = "127.0.0.1:7878")]
        listen: SocketAddr,
        /// The certificate chain (PEM): the relay then speaks HTTPS only (TLS 1.2 and 1.3, rustls)
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM)
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Register a device of a team; prints its token (shown once, kept only as a hash)
    AddDevice {
        #[arg(long)]
        team: Uuid,
        #[arg(long)]
        device: Uuid,
    },
    /// Make a founding code: whoever redeems it (`proxi team create <code>`) starts a new team
    AddTeam {
        /// The relay's address as the devices reach it
        #[arg(long, default_value = "http://127.0.0.1:7878")]
        url: String,
        /// How long the code can be used
        #[arg(long, default_value_t = 24)]
        hours: u32,
    },
    /// Revoke a device: its token opens nothing any more
    Revoke {
        #[arg(long)]
        device: Uuid,
    },
}

type Shared = Arc<Mutex<Box<dyn Backend>>>;

/// The SQLite file, or the PostgreSQL database when one is given.
fn open_backend(cli: &Cli) -> anyhow::Result<Box<dyn Backend>> {
    Ok(match &cli.database {
        Some(url) => {
            Box::new(pg::PgStore::connect(url).context("connecting to the PostgreSQL database")?)
        }
        None => Box::new(
            RelayStore::open(&cli.db).with_context(|| format!("opening {}", cli.db.display()))?,
        ),
    })
}

/// The largest body a push accepts: the largest blob the envelope allows, and its framing.
const MAX_BODY: usize = proxi_wire::envelope::MAX_PLAINTEXT + 1024;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            listen,
            ref tls_cert,
            ref tls_key,
        } => {
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(tls_config(cert, key)?),
                _ if !listen.ip().is_loopback() => bail!(
                    "{listen} is not a loopback address: plain HTTP would expose the tokens; give \
                     --tls-cert and --tls-key to serve HTTPS, or serve on 127.0.0.1"
                ),
                _ => None,
            };
            let store = open_backend(&cli)?;
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(serve(listen, tls, Arc::new(Mutex::new(store))))
        }
        Command::AddDevice { team, device } => {
            let mut store = open_backend(&cli)?;
            println!("{}", store.add_device(team, device)?);
            Ok(())
        }
        Command::AddTeam { ref url, hours } => {
            let mut store = open_backend(&cli)?;
            let code = proxi_wire::invitation::InvitationCode::generate(url)?;
            let team = Uuid::new_v4();
            store.invite(
                team,
                code.device,
                &code.redeem_hash(),
                hours.clamp(1, 24 * 14) * 60,
                None,
            )?;
            println!("{}", code.text());
            Ok(())
        }
        Command::Revoke { device } => {
            let mut store = open_backend(&cli)?;
            if !store.revoke(device)? {
                bail!("no device {device} is registered on this relay");
            }
            println!("revoked {device}");
            Ok(())
        }
    }
}

/// A rustls server configuration from PEM files (ring as the cryptography provider).
fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain = CertificateDer::pem_file_iter(cert)
        .with_context(|| format!("reading the certificate {}", cert.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("reading the certificate {}", cert.display()))?;
    if chain.is_empty() {
        bail!("{} holds no certificate", cert.display());
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .with_context(|| format!("reading the private key {}", key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .context("the certificate and the key do not go together")?;
    Ok(Arc::new(config))
}

async fn serve(
    listen: SocketAddr,
    tls: Option<Arc<rustls::ServerConfig>>,
    store: Shared,
) -> anyhow::Result<()> {
    let app = Router::new()
        .route("/v1/blobs", post(push).get(pull))
        .route("/v1/invitations", post(invite))
        .route("/v1/join", post(join))
        .route("/v1/devices/{id}/revoke", post(revoke))
        .route("/v1/documents/{id}/erase", post(erase))
        .route("/v1/snapshots", post(put_snapshot).get(snapshots))
        .route("/v1/snapshots/stale", get(stale))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(store);
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    // The address actually bound (port 0 asks the system for a free one), for whoever started it.
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("listening on {scheme}://{}", listener.local_addr()?);
    match tls {
        Some(config) => {
            let config = axum_server::tls_rustls::RustlsConfig::from_config(config);
            axum_server::from_tcp_rustls(listener, config)
                .serve(app.into_make_service())
                .await?;
        }
        None => {
            axum::serve(tokio::net::TcpListener::from_std(listener)?, app).await?;
        }
    }
    Ok(())
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// The device behind the request's bearer token, or the status and reason refusing it.
fn caller(store: &mut dyn Backend, headers: &HeaderMap) -> Result<Device, (StatusCode, String)> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or((
            StatusCode::UNAUTHORIZED,
            "a device token is needed".to_owned(),
        ))?;
    let device = store
        .device(token.trim())
        .map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?
        .ok_or((
            StatusCode::UNAUTHORIZED,
            "this token is not known here".to_owned(),
        ))?;
    if device.revoked {
        return Err((
            StatusCode::FORBIDDEN,
            proxi_wire::frame::REVOKED_DEVICE.to_owned(),
        ));
    }
    Ok(device)
}

async fn push(State(store): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    blocking(store, move |store| {
        let device = caller(store, &headers)?;
        let header = match store::check(&body, &device) {
            Ok(h) if h.kind == proxi_wire::envelope::BlobKind::Changes => h,
            Ok(_) => {
                return Err(no(
                    StatusCode::BAD_REQUEST,
                    "a snapshot goes to /v1/snapshots, not into the log",
                ));
            }
            Err(store::Refusal::NotABlob(why)) => return Err(no(StatusCode::BAD_REQUEST, &why)),
            Err(store::Refusal::OtherTeam) => {
                return Err(no(
                    StatusCode::FORBIDDEN,
                    "this blob belongs to another team",
                ));
            }
            Err(store::Refusal::OtherDevice) => {
                return Err(no(
                    StatusCode::FORBIDDEN,
                    "a device pushes only its own blobs",
                ));
            }
        };
        let kept = |position, again| {
            axum::Json(serde_json::json!({"position": position, "again": again})).into_response()
        };
        match store.push(&header, &body) {
            Ok(Pushed::Kept(position)) => Ok(kept(position, false)),
            Ok(Pushed::Again(position)) => Ok(kept(position, true)),
            Ok(Pushed::Conflict) => Err(no(
                StatusCode::CONFLICT,
                "this sequence is already taken by another blob",
            )),
            Ok(Pushed::Gap { expected }) => Err(no(
                StatusCode::CONFLICT,
                &format!("out of order: the relay expects sequence {expected} first"),
            )),
            Err(e) => Err(no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())),
        }
    })
    .await
}

#[derive(Debug, Deserialize)]
struct PullQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u32>,
    /// The serial of the snapshots the device started from: the blobs they cover come empty.
    snapshots: Option<u64>,
}

async fn pull(
    State(store): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> Response {
    blocking(store, move |store| {
        let device = caller(store, &headers)?;
        let limit = q.limit.unwrap_or(500).clamp(1, 5_000);
        let blobs = store
            .pull(device.team, q.since, limit + 1, q.snapshots)
            .map_err(|e| no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()))?;
        let more = blobs.len() > limit as usize;
        let body = proxi_wire::frame::encode(&blobs[..blobs.len().min(limit as usize)]);
        Ok((
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                (
                    header::HeaderName::from_static("x-proxi-more"),
                    if more { "true" } else { "false" },
                ),
            ],
            body,
        )
            .into_response())
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InviteBody {
    device: Uuid,
    redeem_hash: String,
    minutes: u32,
    package: String,
}

/// The longest an invitation may wait for its device: it is meant to be used on the spot.
const MAX_INVITATION_MINUTES: u32 = 24 * 60;

async fn invite(
    State(store): State<Shared>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<InviteBody>,
) -> Response {
    blocking(store, move |store| {
        let device = caller(store, &headers)?;
        if body.redeem_hash.len() != 64 || body.package.is_empty() {
            return Err(no(StatusCode::BAD_REQUEST, "an incomplete invitation"));
        }
        let minutes = body.minutes.clamp(1, MAX_INVITATION_MINUTES);
        match store.invite(
            device.team,
            body.device,
            &body.redeem_hash,
            minutes,
            Some(&body.package),
        ) {
            Ok(expires) => Ok(axum::Json(serde_json::json!({"expires": expires})).into_response()),
            Err(e) => Err(no(StatusCode::CONFLICT, &e.to_string())),
        }
    })
    .await
}

#[derive(Debug, Deserialize)]
struct JoinBody {
    device: Uuid,
    redeem: String,
    /// The device means to start a team (a founding code), not to join one.
    #[serde(default)]
    founding: bool,
}

async fn join(State(store): State<Shared>, axum::Json(body): axum::Json<JoinBody>) -> Response {
    blocking(store, move |store| {
        match store.redeem(body.device, &body.redeem, body.founding) {
            Ok(Redeemed::Joined {
                team,
                token,
                package,
            }) => Ok(axum::Json(
                serde_json::json!({"team": team, "token": token, "package": package}),
            )
            .into_response()),
            Ok(Redeemed::Unknown) => Err(no(
                StatusCode::NOT_FOUND,
                "this invitation is unknown here or was already used: ask for a new code",
            )),
            Ok(Redeemed::WrongKind { founding: true }) => Err(no(
                StatusCode::CONFLICT,
                "this is a founding code: it starts a new team (“create”), it joins none",
            )),
            Ok(Redeemed::WrongKind { founding: false }) => Err(no(
                StatusCode::CONFLICT,
                "this code invites into an existing team: use “join” rather than “create”",
            )),
            Ok(Redeemed::Expired) => Err(no(
                StatusCode::GONE,
                "this invitation has expired: ask for a new code",
            )),
            Err(e) => Err(no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())),
        }
    })
    .await
}

async fn revoke(State(store): State<Shared>, headers: HeaderMap, Path(id): Path<Uuid>) -> Response {
    blocking(store, move |store| {
        let device = caller(store, &headers)?;
        match store.team_of(id) {
            Ok(Some(team)) if team == device.team => {}
            Ok(_) => return Err(no(StatusCode::NOT_FOUND, "no such device in this team")),
            Err(e) => return Err(no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())),
        }
        store
            .revoke(id)
            .map_err(|e| no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()))?;
        Ok(axum::Json(serde_json::json!({"revoked": id})).into_response())
    })
    .await
}

async fn erase(State(store): State<Shared>, headers: HeaderMap, Path(id): Path<Uuid>) -> Response {
    blocking(store, move |store| {
        let device = caller(store, &headers)?;
        let n = store
            .erase(device.team, id)
            .map_err(|e| no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()))?;
        Ok(axum::Json(serde_json::json!({"erased": n})).into_response())
    })
    .await
}

/// A refusal: the status and the reason sent back.
type Refusal = (StatusCode, String);

fn no(status: StatusCode, why: &str) -> Refusal {
    (status, why.to_owned())
}

/// Runs `work` on the store off the async threads; its `Err` is the refusal to send.
async fn blocking(
    store: Shared,
    work: impl FnOnce(&mut dyn Backend) -> Result<Response, Refusal> + Send + 'static,
) -> Response {
    tokio::task::spawn_blocking(move || {
        let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
        work(store.as_mut()).unwrap_or_else(|(status, why)| refuse(status, &why))
    })
    .await
    .unwrap_or_else(|e| refuse(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))
}

async fn put_snapshot(State(store): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    blocking(store, move |store| {
        let device = caller(store, &headers)?;
        let header = match store::check(&body, &device) {
            Ok(h) if h.kind == proxi_wire::envelope::BlobKind::Snapshot => h,
            Ok(_) => return Err(no(StatusCode::BAD_REQUEST, "this blob is not a snapshot")),
            Err(store::Refusal::NotABlob(why)) => return Err(no(StatusCode::BAD_REQUEST, &why)),
            Err(_) => {
                return Err(no(
                    StatusCode::FORBIDDEN,
                    "a device sends only its own team's snapshots",
                ));
            }
        };
        let kept = store
            .put_snapshot(&header, &body)
            .map_err(|e| no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()))?;
        Ok(axum::Json(serde_json::json!({"kept": kept})).into_response())
    })
    .await
}

async fn snapshots(State(store): State<Shared>, headers: HeaderMap) -> Response {
    blocking(store, move |store| {
        let device = caller(store, &headers)?;
        let (serial, all) = store
            .snapshots(device.team)
            .map_err(|e| no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()))?;
        let serial = serial.to_string();
        Ok((
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
                (header::HeaderName::from_static("x-proxi-snapshots"), serial),
            ],
            // Framed like a pull, numbered 1, 2, 3…: the position each covers is in its header.
            proxi_wire::frame::encode(
                &(1u64..)
                    .zip(all.into_iter().map(|(_, b)| b))
                    .collect::<Vec<_>>(),
            ),
        )
            .into_response())
    })
    .await
}

#[derive(Debug, Deserialize)]
struct StaleQuery {
    min: Option<u32>,
}

async fn stale(
    State(store): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<StaleQuery>,
) -> Response {
    blocking(store, move |store| {
        let device = caller(store, &headers)?;
        let documents = store
            .stale(device.team, q.min.unwrap_or(20).max(1))
            .map_err(|e| no(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()))?;
        Ok(axum::Json(serde_json::json!({"documents": documents})).into_response())
    })
    .await
}
