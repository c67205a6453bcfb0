//! What the relay's tests and benchmark share: the relay as a real process, laptops with real stores,
//! and one sync over HTTP.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use proxi::Proxi;
use proxi::clock::SystemClock;
use proxi::domain::{PersonInput, PriorityInput};
use proxi::store::{KdfParams, Store};
use proxi::sync::engine::{self, Identity};
use proxi::sync::envelope::{Keyring, TeamKey};
use proxi::sync::wire;
use uuid::Uuid;

pub const BIN: &str = env!("CARGO_BIN_EXE_proxi-relay");

/// With `PROXI_TEST_POSTGRES` set to a PostgreSQL server's address
/// (`postgres://user:password@127.0.0.1:5432/postgres`), every relay of these tests keeps its data in
/// a database of its own on that server instead of the SQLite file `db`: the same acceptance suite
/// runs on both backends (`make test` runs it twice).
pub fn postgres_url(db: &Path) -> Option<String> {
    use std::hash::{Hash, Hasher};
    let admin = std::env::var("PROXI_TEST_POSTGRES").ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    db.hash(&mut hasher);
    let name = format!("proxi_test_{:016x}", hasher.finish());
    let mut client =
        postgres::Client::connect(&admin, postgres::NoTls).expect("the PostgreSQL server answers");
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .expect("a query")
        .is_some();
    if !exists {
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("a test database");
    }
    let (server, _) = admin.rsplit_once('/').expect("postgres://…/database");
    Some(format!("{server}/{name}"))
}

/// The arguments that point the relay at its storage for `db`.
pub fn storage_args(db: &Path) -> Vec<String> {
    match postgres_url(db) {
        Some(url) => vec!["--database".to_owned(), url],
        None => vec!["--db".to_owned(), db.display().to_string()],
    }
}

/// The relay's database, opened by the test to look inside it.
pub enum RelayDb {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

impl RelayDb {
    pub fn open(db: &Path) -> RelayDb {
        match postgres_url(db) {
            Some(url) => RelayDb::Postgres(
                postgres::Client::connect(&url, postgres::NoTls).expect("the relay's database"),
            ),
            None => RelayDb::Sqlite(rusqlite::Connection::open(db).expect("the relay's database")),
        }
    }

    /// Blobs of `document` that still hold bytes.
    pub fn non_empty_blobs_of(&mut self, document: Uuid) -> i64 {
        match self {
            RelayDb::Sqlite(c) => c
                .query_row(
                    "SELECT count(*) FROM blob WHERE document = ?1 AND length(bytes) > 0",
                    [document],
                    |r| r.get(0),
                )
                .expect("count"),
            RelayDb::Postgres(c) => c
                .query_one(
                    "SELECT count(*) FROM blob WHERE document = $1 AND length(bytes) > 0",
                    &[&document],
                )
                .expect("count")
                .get(0),
        }
    }

    /// Makes every pending invitation out of date.
    pub fn expire_invitations(&mut self) {
        match self {
            RelayDb::Sqlite(c) => {
                c.execute("UPDATE invitation SET expires = 0", [])
                    .expect("expired");
            }
            RelayDb::Postgres(c) => {
                c.execute("UPDATE invitation SET expires = 0", &[])
                    .expect("expired");
            }
        }
    }

    /// Snapshots the relay keeps (of `document`, or of every plan).
    pub fn snapshots_of(&mut self, document: Option<Uuid>) -> i64 {
        match self {
            RelayDb::Sqlite(c) => c
                .query_row(
                    "SELECT count(*) FROM snapshot WHERE ?1 IS NULL OR document = ?1",
                    [document],
                    |r| r.get(0),
                )
                .expect("count"),
            RelayDb::Postgres(c) => c
                .query_one(
                    "SELECT count(*) FROM snapshot WHERE $1::uuid IS NULL OR document = $1",
                    &[&document],
                )
                .expect("count")
                .get(0),
        }
    }

    /// Bytes of every blob of the team logs, with their framing: what a pull of everything reads.
    pub fn log_bytes(&mut self) -> i64 {
        let sql = "SELECT coalesce(sum(12 + length(bytes)), 0) FROM blob";
        match self {
            RelayDb::Sqlite(c) => c.query_row(sql, [], |r| r.get(0)).expect("sum"),
            RelayDb::Postgres(c) => c.query_one(sql, &[]).expect("sum").get(0),
        }
    }

    /// Every blob of the team logs with its position, oldest first: what a relay operator could hand
    /// to anyone, a revoked device included.
    pub fn blobs(&mut self) -> Vec<(u64, Vec<u8>)> {
        let sql = "SELECT position, bytes FROM blob ORDER BY position";
        match self {
            RelayDb::Sqlite(c) => c
                .prepare(sql)
                .expect("query")
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
                .expect("rows")
                .map(|r| r.expect("a row"))
                .map(|(p, b)| (u64::try_from(p).expect("a position"), b))
                .collect(),
            RelayDb::Postgres(c) => c
                .query(sql, &[])
                .expect("rows")
                .into_iter()
                .map(|r| {
                    let position: i64 = r.get(0);
                    (u64::try_from(position).expect("a position"), r.get(1))
                })
                .collect(),
        }
    }

    /// Invitation packages the relay still keeps.
    pub fn packages_kept(&mut self) -> i64 {
        let sql = "SELECT count(*) FROM invitation WHERE package IS NOT NULL";
        match self {
            RelayDb::Sqlite(c) => c.query_row(sql, [], |r| r.get(0)).expect("count"),
            RelayDb::Postgres(c) => c.query_one(sql, &[]).expect("count").get(0),
        }
    }
}

/// Whether the relay's storage holds `needle` anywhere: every file of the SQLite database (with its
/// WAL and shared memory) byte for byte, or every row of every table of the PostgreSQL one.
pub fn relay_holds(dir: &Path, db: &Path, needle: &str) -> bool {
    match RelayDb::open(db) {
        RelayDb::Sqlite(_) => !files_containing(dir, "relay.db", needle).is_empty(),
        RelayDb::Postgres(mut c) => {
            let tables = ["device", "team_log", "blob", "invitation", "erased"];
            tables.iter().any(|t| {
                let rows = c
                    .query(&format!("SELECT t::text FROM {t} t"), &[])
                    .expect("rows");
                let blobs = if *t == "blob" {
                    c.query_one(
                        "SELECT count(*) FROM blob WHERE position($1::bytea in bytes) > 0",
                        &[&needle.as_bytes()],
                    )
                    .expect("count")
                    .get::<_, i64>(0)
                } else {
                    0
                };
                blobs > 0 || rows.iter().any(|r| r.get::<_, String>(0).contains(needle))
            })
        }
    }
}

pub struct Relay {
    db: PathBuf,
    child: Child,
    pub url: String,
}

impl Relay {
    pub fn start(db: &Path) -> Relay {
        Relay::start_with(db, &[])
    }

    /// A relay started with more options of `serve` (a certificate…).
    pub fn start_with(db: &Path, options: &[&str]) -> Relay {
        Relay::spawn(db, "127.0.0.1:0", options)
    }

    /// A relay listening at `listen` (restarted at the same address, its teams keep their URL).
    pub fn start_at(db: &Path, listen: &str) -> Relay {
        Relay::spawn(db, listen, &[])
    }

    fn spawn(db: &Path, listen: &str, options: &[&str]) -> Relay {
        let mut child = Command::new(BIN)
            .args(storage_args(db))
            .args(["serve", "--listen", listen])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the relay starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("the relay says where it listens");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .expect("an address")
            .to_owned();
        Relay {
            db: db.to_owned(),
            child,
            url,
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn restart(&mut self) {
        self.kill();
        *self = Relay::start(&self.db.clone());
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn cli(db: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(storage_args(db))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(if out.status.success() {
            &out.stdout
        } else {
            &out.stderr
        })
        .trim()
        .to_owned(),
    )
}

/// A laptop with a real store, reached as the sync reaches it (for the team API).
pub fn team_laptop(dir: &Path, name: &str) -> std::sync::Mutex<Proxi> {
    let store = Store::create(
        &dir.join(format!("{name}.db")),
        "pw",
        KdfParams::MINIMAL_FOR_TESTS,
        name,
    )
    .expect("a store");
    std::sync::Mutex::new(Proxi::new(store, Arc::new(SystemClock)))
}

pub struct Laptop {
    pub app: Proxi,
    pub me: Identity,
    pub token: String,
}

/// `count` laptops of one new team, each registered on the relay whose database is `db`.
pub fn laptops(dir: &Path, db: &Path, count: u8) -> (Vec<Laptop>, Keys) {
    let team = Uuid::new_v4();
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("random");
    let mut keys = std::collections::BTreeMap::new();
    let mut make = |n: u8| {
        let path = dir.join(format!("laptop-{n}.db"));
        let store = Store::create(
            &path,
            "pw",
            KdfParams::MINIMAL_FOR_TESTS,
            &format!("Referent {n}"),
        )
        .expect("store");
        let device = Uuid::new_v4();
        let signing = SigningKey::from_bytes(&[n; 32]);
        keys.insert(device, signing.verifying_key());
        let (ok, token) = cli(
            db,
            &[
                "add-device",
                "--team",
                &team.to_string(),
                "--device",
                &device.to_string(),
            ],
        );
        assert!(ok, "{token}");
        Laptop {
            app: Proxi::new(store, Arc::new(SystemClock)),
            me: Identity {
                team,
                device,
                epoch: 1,
                keys: Keyring::single(1, TeamKey::from_bytes(bytes)),
                signing,
            },
            token,
        }
    };
    let all = (1..=count).map(&mut make).collect();
    (all, keys)
}

/// The public keys of a team's devices.
pub type Keys = std::collections::BTreeMap<Uuid, ed25519_dalek::VerifyingKey>;

pub fn push(url: &str, token: Option<&str>, blob: &[u8]) -> Result<(u16, String), String> {
    let mut request = ureq::post(&format!("{url}/v1/blobs"));
    if let Some(token) = token {
        request = request.set("Authorization", &format!("Bearer {token}"));
    }
    match request.send_bytes(blob) {
        Ok(r) => Ok((r.status(), r.into_string().unwrap_or_default())),
        Err(ureq::Error::Status(code, r)) => Ok((code, r.into_string().unwrap_or_default())),
        Err(e) => Err(e.to_string()),
    }
}

pub fn pull(url: &str, token: &str, since: u64, limit: u32) -> (Vec<(u64, Vec<u8>)>, bool) {
    let r = ureq::get(&format!("{url}/v1/blobs?since={since}&limit={limit}"))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("a pull");
    let more = r.header("x-proxi-more") == Some("true");
    let mut bytes = Vec::new();
    r.into_reader().read_to_end(&mut bytes).expect("the body");
    (wire::decode(&bytes).expect("frames"), more)
}

/// One sync: push the outbox (stopping at the first failure), then pull until nothing more.
pub fn sync(l: &mut Laptop, url: &str, keys: &Keys) -> Result<(), String> {
    sync_paged(l, url, keys, 7).map(|_| ())
}

/// Bytes a sync sent and received (blobs and their framing; not HTTP headers).
#[derive(Debug, Default, Clone, Copy)]
pub struct Traffic {
    pub pushed: usize,
    pub pulled: usize,
}

/// One sync pulling `page` blobs a request.
pub fn sync_paged(l: &mut Laptop, url: &str, keys: &Keys, page: u32) -> Result<Traffic, String> {
    let mut traffic = Traffic::default();
    for out in engine::outgoing(l.app.store_mut(), &l.me).map_err(|e| e.to_string())? {
        traffic.pushed += out.blob.len();
        let (status, body) = push(url, Some(&l.token), &out.blob)?;
        if status != 200 {
            return Err(format!("{status}: {body}"));
        }
        engine::acknowledge(l.app.store_mut(), out.document, out.sequence)
            .map_err(|e| e.to_string())?;
    }
    loop {
        let since = engine::pull_cursor(l.app.store_mut(), &l.me).map_err(|e| e.to_string())?;
        let (blobs, more) = pull(url, &l.token, since, page);
        traffic.pulled += blobs.iter().map(|(_, b)| 12 + b.len()).sum::<usize>();
        let applied = engine::apply(
            l.app.store_mut(),
            &l.me,
            &|id, _| keys.get(&id).copied(),
            &blobs,
            jiff::Timestamp::now(),
        )
        .map_err(|e| e.to_string())?;
        assert!(applied.refused.is_empty(), "{:?}", applied.refused);
        if !more {
            return Ok(traffic);
        }
    }
}

pub fn person(app: &mut Proxi, name: &str) -> Uuid {
    let id = app
        .create_person(PersonInput {
            display_name: name.into(),
            first_name: name.into(),
            last_name: "Exemple".into(),
            ..PersonInput::default()
        })
        .expect("a person");
    share(app, id);
    id
}

/// Records the person's consent to share their plan with the team: only then does it leave.
pub fn share(app: &mut Proxi, person: Uuid) {
    app.record_consent(
        person,
        proxi::domain::ConsentInput {
            recorded_on: jiff::civil::date(2026, 1, 5),
            keep_plan: true,
            share_with_team: true,
            professionals: Vec::new(),
        },
    )
    .expect("consent recorded");
}

pub fn priority(app: &mut Proxi, person: Uuid, words: &str) {
    app.add_priority(
        person,
        PriorityInput {
            words: words.into(),
            ..PriorityInput::default()
        },
    )
    .expect("a priority");
}

pub fn plan_json(app: &mut Proxi, id: Uuid) -> String {
    serde_json::to_string(&app.plan(id).expect("the plan")).expect("JSON")
}

pub fn files_containing(dir: &Path, prefix: &str, needle: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .filter(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}
