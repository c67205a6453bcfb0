//! The relay as a real process on loopback, with two real app cores syncing through it.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use proxi::Proxi;
use proxi::clock::SystemClock;
use proxi::domain::{PersonInput, PriorityInput};
use proxi::store::{KdfParams, PeopleQuery, Store};
use proxi::sync::engine::{self, Identity};
use proxi::sync::envelope::{self, BlobHeader, BlobKind, TeamKey};
use proxi::sync::wire;
use uuid::Uuid;

const BIN: &str = env!("CARGO_BIN_EXE_proxi-relay");

struct Relay {
    db: PathBuf,
    child: Child,
    url: String,
}

impl Relay {
    fn start(db: &Path) -> Relay {
        let mut child = Command::new(BIN)
            .args([
                "--db",
                db.to_str().expect("path"),
                "serve",
                "--listen",
                "127.0.0.1:0",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the relay starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("the relay says where it listens");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .expect("an address")
            .to_owned();
        Relay {
            db: db.to_owned(),
            child,
            url: format!("http://{addr}"),
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn restart(&mut self) {
        self.kill();
        *self = Relay::start(&self.db.clone());
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.kill();
    }
}

fn cli(db: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(["--db", db.to_str().expect("path")])
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

struct Laptop {
    app: Proxi,
    me: Identity,
    token: String,
}

fn laptops(
    dir: &Path,
    db: &Path,
) -> (
    Laptop,
    Laptop,
    std::collections::BTreeMap<Uuid, ed25519_dalek::VerifyingKey>,
) {
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
                team_key: TeamKey::from_bytes(bytes),
                signing,
            },
            token,
        }
    };
    let a = make(1);
    let b = make(2);
    (a, b, keys)
}

fn push(url: &str, token: Option<&str>, blob: &[u8]) -> Result<(u16, String), String> {
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

fn pull(url: &str, token: &str, since: u64, limit: u32) -> (Vec<(u64, Vec<u8>)>, bool) {
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
fn sync(
    l: &mut Laptop,
    url: &str,
    keys: &std::collections::BTreeMap<Uuid, ed25519_dalek::VerifyingKey>,
) -> Result<(), String> {
    for out in engine::outgoing(l.app.store_mut(), &l.me).map_err(|e| e.to_string())? {
        let (status, body) = push(url, Some(&l.token), &out.blob)?;
        if status != 200 {
            return Err(format!("{status}: {body}"));
        }
        engine::acknowledge(l.app.store_mut(), out.document, out.sequence)
            .map_err(|e| e.to_string())?;
    }
    loop {
        let since = engine::pull_cursor(l.app.store_mut(), &l.me).map_err(|e| e.to_string())?;
        let (blobs, more) = pull(url, &l.token, since, 7);
        let applied = engine::apply(
            l.app.store_mut(),
            &l.me,
            &|id| keys.get(&id).copied(),
            &blobs,
            jiff::Timestamp::now(),
        )
        .map_err(|e| e.to_string())?;
        assert!(applied.refused.is_empty(), "{:?}", applied.refused);
        if !more {
            return Ok(());
        }
    }
}

fn person(app: &mut Proxi, name: &str) -> Uuid {
    app.create_person(PersonInput {
        display_name: name.into(),
        first_name: name.into(),
        last_name: "Exemple".into(),
        ..PersonInput::default()
    })
    .expect("a person")
}

fn priority(app: &mut Proxi, person: Uuid, words: &str) {
    app.add_priority(
        person,
        PriorityInput {
            words: words.into(),
            ..PriorityInput::default()
        },
    )
    .expect("a priority");
}

fn plan_json(app: &mut Proxi, id: Uuid) -> String {
    serde_json::to_string(&app.plan(id).expect("the plan")).expect("JSON")
}

fn files_containing(dir: &Path, prefix: &str, needle: &str) -> Vec<String> {
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

#[test]
fn offline_edits_on_two_laptops_merge_through_a_relay_that_holds_no_plaintext() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let (mut a, mut b, keys) = laptops(dir.path(), &db);
    let relay = Relay::start(&db);

    let zenobie = person(&mut a.app, "Zénobie");
    priority(&mut a.app, zenobie, "Retrouver le goût de cuisiner");
    sync(&mut a, &relay.url, &keys).expect("A syncs");
    sync(&mut b, &relay.url, &keys).expect("B syncs");
    assert_eq!(
        plan_json(&mut b.app, zenobie),
        plan_json(&mut a.app, zenobie)
    );

    // Both offline: each edits the same plan.
    priority(&mut a.app, zenobie, "Marcher jusqu'au parc");
    priority(&mut b.app, zenobie, "Appeler sa sœur le dimanche");
    sync(&mut a, &relay.url, &keys).expect("A syncs");
    sync(&mut b, &relay.url, &keys).expect("B syncs");
    sync(&mut a, &relay.url, &keys).expect("A syncs again");
    let merged = plan_json(&mut a.app, zenobie);
    assert_eq!(plan_json(&mut b.app, zenobie), merged);
    for words in ["cuisiner", "parc", "sœur"] {
        assert!(merged.contains(words), "{words} lost");
    }
    assert_eq!(
        b.app.people(&PeopleQuery::default()).expect("people").len(),
        1
    );

    drop(relay);
    for needle in [
        "Zénobie", "Zenobie", "cuisiner", "parc", "sœur", "dimanche", "Exemple",
    ] {
        assert_eq!(
            files_containing(dir.path(), "relay.db", needle),
            Vec::<String>::new(),
            "{needle}"
        );
    }
}

#[test]
fn missing_wrong_or_revoked_tokens_and_other_devices_blobs_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let (mut a, b, _) = laptops(dir.path(), &db);
    let relay = Relay::start(&db);
    let p = person(&mut a.app, "Octave");
    priority(&mut a.app, p, "Dormir mieux");
    let out = engine::outgoing(a.app.store_mut(), &a.me).expect("outgoing");
    let blob = &out[0].blob;

    assert_eq!(push(&relay.url, None, blob).expect("answer").0, 401);
    assert_eq!(
        push(&relay.url, Some("not-a-token"), blob)
            .expect("answer")
            .0,
        401
    );
    let (status, body) = push(&relay.url, Some(&b.token), blob).expect("answer");
    assert_eq!(
        (status, body.contains("only its own")),
        (403, true),
        "{body}"
    );
    let (status, body) = push(&relay.url, Some(&a.token), &[b'x'; 200]).expect("answer");
    assert_eq!(
        (status, body.contains("not a Proxi blob")),
        (400, true),
        "{body}"
    );
    assert_eq!(
        push(&relay.url, Some(&a.token), blob).expect("answer").0,
        200
    );

    let (ok, said) = cli(&db, &["revoke", "--device", &a.me.device.to_string()]);
    assert!(ok, "{said}");
    let (status, body) = push(&relay.url, Some(&a.token), blob).expect("answer");
    assert_eq!((status, body.contains("revoked")), (403, true), "{body}");
    let r = ureq::get(&format!("{}/v1/blobs", relay.url))
        .set("Authorization", &format!("Bearer {}", a.token))
        .call();
    assert!(matches!(r, Err(ureq::Error::Status(403, _))));
    let (ok, said) = cli(&db, &["revoke", "--device", &Uuid::new_v4().to_string()]);
    assert!(!ok && said.contains("no device"), "{said}");
}

#[test]
fn a_push_is_kept_once_in_order_and_pulled_page_by_page() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let (a, b, _) = laptops(dir.path(), &db);
    let relay = Relay::start(&db);
    let document = Uuid::new_v4();
    let blob = |sequence: u64, text: &[u8]| {
        let header = BlobHeader {
            kind: BlobKind::Changes,
            team: a.me.team,
            document,
            device: a.me.device,
            sequence,
            epoch: 1,
        };
        envelope::seal(&a.me.team_key, &a.me.signing, &header, text).expect("sealed")
    };
    let first = blob(1, b"one");
    assert_eq!(
        push(&relay.url, Some(&a.token), &first).expect("answer"),
        (200, r#"{"again":false,"position":1}"#.to_owned())
    );
    assert_eq!(
        push(&relay.url, Some(&a.token), &first).expect("answer"),
        (200, r#"{"again":true,"position":1}"#.to_owned())
    );
    let (status, body) = push(&relay.url, Some(&a.token), &blob(1, b"other")).expect("answer");
    assert_eq!(
        (status, body.contains("already taken")),
        (409, true),
        "{body}"
    );
    let (status, body) = push(&relay.url, Some(&a.token), &blob(3, b"three")).expect("answer");
    assert_eq!(
        (status, body.contains("expects sequence 2")),
        (409, true),
        "{body}"
    );
    for n in 2..=10 {
        assert_eq!(
            push(&relay.url, Some(&a.token), &blob(n, b"more"))
                .expect("answer")
                .0,
            200
        );
    }
    let (page, more) = pull(&relay.url, &b.token, 0, 4);
    assert_eq!(
        (page.iter().map(|(p, _)| *p).collect::<Vec<_>>(), more),
        (vec![1, 2, 3, 4], true)
    );
    assert_eq!(page[0].1, first);
    let (page, more) = pull(&relay.url, &b.token, 8, 4);
    assert_eq!(
        (page.iter().map(|(p, _)| *p).collect::<Vec<_>>(), more),
        (vec![9, 10], false)
    );
}

#[test]
fn killing_the_relay_during_pushes_loses_nothing_and_duplicates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let (mut a, mut b, keys) = laptops(dir.path(), &db);
    let mut relay = Relay::start(&db);
    let mut people = Vec::new();
    for n in 0..150 {
        let p = person(&mut a.app, &format!("Personne {n}"));
        priority(&mut a.app, p, &format!("Priorité {n}"));
        people.push(p);
    }
    let sealed = engine::outgoing(a.app.store_mut(), &a.me)
        .expect("outgoing")
        .len();
    assert_eq!(sealed, 150);
    // Push from another thread; kill the relay while it runs.
    let url = relay.url.clone();
    let token = a.token.clone();
    let blobs: Vec<Vec<u8>> = engine::outgoing(a.app.store_mut(), &a.me)
        .expect("outgoing")
        .into_iter()
        .map(|o| o.blob)
        .collect();
    let pusher = std::thread::spawn(move || {
        let mut acknowledged = 0;
        for blob in &blobs {
            match push(&url, Some(&token), blob) {
                Ok((200, _)) => acknowledged += 1,
                _ => break,
            }
        }
        acknowledged
    });
    std::thread::sleep(std::time::Duration::from_millis(30));
    relay.kill();
    let before_kill = pusher.join().expect("the pusher");
    assert!(
        before_kill < 40,
        "the relay died before the end ({before_kill} pushed)"
    );
    relay.restart();
    // Laptop A never acknowledged anything: it resends its whole outbox; the relay keeps each blob once.
    sync(&mut a, &relay.url, &keys).expect("A syncs after the restart");
    sync(&mut b, &relay.url, &keys).expect("B syncs");
    let (all, more) = pull(&relay.url, &b.token, 0, 1000);
    assert_eq!((all.len(), more), (150, false), "each blob once");
    for p in people {
        assert_eq!(plan_json(&mut b.app, p), plan_json(&mut a.app, p));
    }
    assert!(
        engine::outgoing(a.app.store_mut(), &a.me)
            .expect("outgoing")
            .is_empty()
    );
}
