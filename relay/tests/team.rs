//! Teams through a real relay process: founding, invitations, joining, revocation with a new team
//! key, erasure on every device and on the relay, and the command line alone.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use common::{Relay, RelayDb, cli, person, plan_json, priority, relay_holds};
use proxi::Proxi;
use proxi::clock::SystemClock;
use proxi::domain::PersonInput;
use proxi::error::{Error, ErrorCode};
use proxi::store::{PeopleQuery, Store};
use proxi::sync::SyncError;
use proxi::sync::{engine, envelope, team};
use uuid::Uuid;

use common::team_laptop as laptop;

fn with<R>(l: &Mutex<Proxi>, f: impl FnOnce(&mut Proxi) -> R) -> R {
    f(&mut l.lock().expect("not poisoned"))
}

fn names(l: &Mutex<Proxi>) -> Vec<String> {
    with(l, |app| {
        app.people(&PeopleQuery::default())
            .expect("people")
            .into_iter()
            .map(|p| p.display_name)
            .collect()
    })
}

fn founding_code(db: &Path, url: &str) -> String {
    let (ok, code) = cli(db, &["add-team", "--url", url]);
    assert!(ok, "{code}");
    code
}

#[test]
fn laptops_join_by_invitation_share_only_consented_plans_and_a_revoked_one_gets_nothing_new() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let (a, b, c) = (
        laptop(dir.path(), "anna"),
        laptop(dir.path(), "bert"),
        laptop(dir.path(), "chloe"),
    );
    let code = founding_code(&db, &relay.url);
    let info = team::create(&a, &code, "Anna").expect("the team starts on Anna's laptop");
    assert_eq!(info.members.len(), 1);
    assert_eq!(
        team::create(&b, &code, "Bert")
            .expect_err("a code works once")
            .code(),
        ErrorCode::RelayRefused
    );

    let code_b = team::invite(&a, 30).expect("an invitation");
    assert!(code_b.starts_with(&relay.url), "{code_b}");
    let joined = team::join(&b, &code_b, "Bert").expect("Bert joins");
    assert_eq!(joined.team, info.team);
    let code_c = team::invite(&a, 30).expect("another");
    let c_device = team::join(&c, &code_c, "Chloé")
        .expect("Chloé joins")
        .device;
    assert!(matches!(
        team::join(&laptop(dir.path(), "dora"), &code_c, "Dora"),
        Err(Error::Sync(SyncError::RelayRefused { status: 404, .. }))
    ));

    // Anna's plans: one the person agreed to share, one they did not.
    let zenobie = with(&a, |app| person(app, "Zénobie"));
    with(&a, |app| {
        priority(app, zenobie, "Retrouver le goût de cuisiner")
    });
    let private = with(&a, |app| {
        app.create_person(PersonInput {
            display_name: "Octave Privé".into(),
            ..PersonInput::default()
        })
        .expect("a person")
    });
    with(&a, |app| priority(app, private, "Ne le dire à personne"));
    let sent = team::sync(&a).expect("Anna syncs");
    assert!(sent.pushed >= 1);
    assert_eq!(
        with(&a, |app| team::status(app.store_mut()).expect("status")).private,
        1,
        "the plan without consent stays here, and says so"
    );
    for l in [&b, &c] {
        let report = team::sync(l).expect("syncs");
        assert!(report.refused.is_empty(), "{:?}", report.refused);
    }
    assert_eq!(names(&b), vec!["Zénobie".to_owned()]);
    assert_eq!(names(&c), vec!["Zénobie".to_owned()]);

    // Bert and Chloé edit the same plan offline; everyone converges.
    with(&b, |app| priority(app, zenobie, "Marcher jusqu'au parc"));
    with(&c, |app| priority(app, zenobie, "Appeler sa sœur"));
    for l in [&b, &c, &a, &b, &c] {
        team::sync(l).expect("syncs");
    }
    let merged = with(&a, |app| plan_json(app, zenobie));
    assert!(
        merged.contains("parc") && merged.contains("sœur"),
        "{merged}"
    );
    assert_eq!(with(&b, |app| plan_json(app, zenobie)), merged);
    assert_eq!(with(&c, |app| plan_json(app, zenobie)), merged);
    // The plan's history names the laptop each change came from.
    let devices: std::collections::BTreeSet<String> = with(&a, |app| app.history(zenobie))
        .expect("history")
        .into_iter()
        .filter_map(|e| e.device_name)
        .collect();
    assert_eq!(
        devices.into_iter().collect::<Vec<_>>(),
        vec!["Anna", "Bert", "Chloé"]
    );
    let status = with(&b, |app| team::status(app.store_mut()).expect("status"));
    let team_info = status.team.expect("in a team");
    assert_eq!(team_info.members.len(), 3, "{:?}", team_info.members);
    assert!(
        team_info.members.iter().all(|m| !m.invited && !m.revoked),
        "{:?}",
        team_info.members
    );
    assert!(status.last_ok.is_some() && status.problem.is_none());

    // Chloé's laptop is lost: Anna revokes it. The key rotates; Chloé gets nothing new.
    let before = with(&c, |app| {
        team::identity(app.store_mut())
            .expect("identity")
            .expect("in a team")
    });
    team::revoke(&a, c_device).expect("revoked");
    with(&a, |app| priority(app, zenobie, "Après la révocation"));
    team::sync(&a).expect("Anna syncs");
    team::sync(&b).expect("Bert syncs");
    assert!(with(&b, |app| plan_json(app, zenobie)).contains("Après la révocation"));
    let b_identity = with(&b, |app| {
        team::identity(app.store_mut()).expect("id").expect("team")
    });
    assert_eq!((before.epoch, b_identity.epoch), (1, 2), "the key rotated");
    // The relay refuses Chloé, and her laptop learns from it that it was removed: it says so in
    // words and stops trying.
    let refused = team::sync(&c).expect_err("the relay refuses Chloé");
    assert!(
        matches!(refused, Error::Sync(SyncError::DeviceRevoked)),
        "{refused}"
    );
    assert!(!with(&c, |app| plan_json(app, zenobie)).contains("Après la révocation"));
    let status = with(&c, |app| team::status(app.store_mut()).expect("status"));
    assert_eq!(
        status.problem.expect("the failure is recorded").code,
        ErrorCode::DeviceRevoked
    );
    assert!(status.team.expect("still shows its team").revoked);
    assert!(matches!(
        team::sync(&c),
        Err(Error::Sync(SyncError::DeviceRevoked))
    ));

    // A blob Chloé seals after her revocation, however it reaches Bert, is refused.
    with(&c, |app| {
        priority(app, zenobie, "Écrit après la révocation")
    });
    let late = with(&c, |app| {
        engine::outgoing(app.store_mut(), &before).expect("outgoing")
    });
    let late = late.last().expect("a blob").blob.clone();
    let position = with(&b, |app| {
        engine::pull_cursor(app.store_mut(), &b_identity).expect("cursor")
    }) + 1;
    let report = with(&b, |app| team::absorb(app, &[(position, late)])).expect("absorbs");
    assert_eq!(report.applied, 0);
    assert!(
        report.refused.iter().any(|r| r.contains("device")),
        "{:?}",
        report.refused
    );
    assert!(!with(&b, |app| plan_json(app, zenobie)).contains("Écrit après"));

    // Anna erases Zénobie: gone from Bert's laptop and from the relay.
    with(&a, |app| team::erase(app, zenobie)).expect("erased");
    team::sync(&a).expect("Anna syncs");
    team::sync(&b).expect("Bert syncs");
    assert!(names(&b).is_empty(), "{:?}", names(&b));
    assert!(matches!(
        with(&b, |app| app.plan(zenobie)),
        Err(Error::PersonNotFound(_))
    ));
    let left = RelayDb::open(&db).non_empty_blobs_of(zenobie);
    assert_eq!(left, 0, "the relay dropped the erased plan's blobs");
    // A late edit from a laptop that had not heard does not bring the plan back.
    let again = team::sync(&b).expect("Bert syncs again");
    assert!(again.refused.is_empty(), "{:?}", again.refused);
    assert!(names(&b).is_empty());

    drop(relay);
    for needle in [
        "Zénobie", "cuisiner", "parc", "Octave", "Anna", "Bert", "Chloé",
    ] {
        assert!(
            !relay_holds(dir.path(), &db, needle),
            "{needle} on the relay"
        );
    }
}

#[test]
fn invitation_codes_that_are_wrong_expired_or_of_the_wrong_kind_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let a = laptop(dir.path(), "anna");
    let b = laptop(dir.path(), "bert");
    for (code, says) in [
        ("ABCD-EFGH", "'#'"),
        ("ftp://x#ABCD", "relay's address"),
        ("http://127.0.0.1:1#ABCD-01", "letter"),
        ("http://127.0.0.1:1#ABCD-EFGH", "whole"),
    ] {
        let e = team::join(&b, code, "Bert").expect_err(code);
        assert_eq!(e.code(), ErrorCode::InvitationInvalid, "{code}");
        assert!(e.to_string().contains(says), "{code}: {e}");
    }
    let founding = founding_code(&db, &relay.url);
    let e = team::join(&b, &founding, "Bert").expect_err("a founding code joins nothing");
    assert_eq!(e.code(), ErrorCode::InvitationInvalid);
    team::create(&a, &founding, "Anna").expect("the team starts");
    assert_eq!(
        team::create(&a, &founding, "Anna")
            .expect_err("one team per store")
            .code(),
        ErrorCode::AlreadyInTeam
    );
    assert_eq!(
        team::create(&b, "http://x#A", " ")
            .expect_err("a name is needed")
            .code(),
        ErrorCode::InvitationInvalid
    );

    // A code whose secret is altered opens nothing at the relay.
    let code = team::invite(&a, 5).expect("an invitation");
    // (Not the last letter: it carries padding bits, which a decoder may refuse on its own.)
    let mut letters: Vec<char> = code.chars().collect();
    let at = letters.len() - 3;
    letters[at] = if letters[at] == 'A' { 'B' } else { 'A' };
    let altered: String = letters.into_iter().collect();
    assert!(matches!(
        team::join(&b, &altered, "Bert"),
        Err(Error::Sync(SyncError::RelayRefused { status: 404, .. }))
    ));
    // Past its time, a code is refused, and the package is gone from the relay.
    let mut relay_db = RelayDb::open(&db);
    relay_db.expire_invitations();
    assert!(matches!(
        team::join(&b, &code, "Bert"),
        Err(Error::Sync(SyncError::RelayRefused { status: 410, .. }))
    ));
    let kept = relay_db.packages_kept();
    assert_eq!(kept, 0);
    assert!(with(&b, |app| team::info(app.store_mut()).expect("info")).is_none());

    // No relay at that address: a clear error, nothing changed.
    let elsewhere = code.replacen(&relay.url, "http://127.0.0.1:9", 1);
    let e = team::join(&b, &elsewhere, "Bert").expect_err("no relay");
    assert_eq!(e.code(), ErrorCode::RelayUnreachable);
    assert!(with(&b, |app| team::info(app.store_mut()).expect("info")).is_none());
    assert_eq!(
        team::sync(&b).expect_err("no team").code(),
        ErrorCode::NoTeam
    );
}

/// The `proxi` binary, built beside the relay's by `cargo test --workspace`.
fn proxi_bin() -> std::path::PathBuf {
    let bin = Path::new(common::BIN).with_file_name("proxi");
    assert!(
        bin.exists(),
        "{} is missing: build it first (cargo build -p proxi --bin proxi)",
        bin.display()
    );
    bin
}

fn proxi(store: &Path, args: &[&str]) -> (bool, String) {
    proxi_env(store, args, &[])
}

fn proxi_env(store: &Path, args: &[&str], env: &[(&str, &Path)]) -> (bool, String) {
    let out = Command::new(proxi_bin())
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("PROXI_PASSPHRASE", "pw")
        .env_remove("PROXI_STORE")
        .output()
        .expect("proxi runs");
    let text = String::from_utf8_lossy(if out.status.success() {
        &out.stdout
    } else {
        &out.stderr
    })
    .into_owned();
    (out.status.success(), text)
}

#[test]
fn two_stores_sync_through_a_relay_with_the_command_line_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let (ok, out) = proxi(&b, &["init"]);
    assert!(ok, "{out}");
    let (ok, out) = proxi(&a, &["demo"]);
    assert!(ok, "{out}");
    // Three of the demo people agreed to share their plan with the team.
    let shared: Vec<String> = {
        let store = Store::open(&a, "pw").expect("opens");
        let mut app = Proxi::new(store, Arc::new(SystemClock));
        let people = app.people(&PeopleQuery::default()).expect("people");
        people
            .iter()
            .take(3)
            .map(|p| {
                common::share(&mut app, p.id);
                p.display_name.clone()
            })
            .collect()
    };

    let (ok, out) = proxi(&a, &["sync"]);
    assert!(!ok && out.contains("not in a team"), "{out}");
    let code = founding_code(&db, &relay.url);
    let (ok, out) = proxi(&a, &["team", "create", &code, "--name", "Anna"]);
    assert!(ok, "{out}");
    let (ok, out) = proxi(&a, &["team", "invite", "--minutes", "10"]);
    assert!(ok, "{out}");
    let invitation = out
        .lines()
        .find_map(|l| l.trim().starts_with("http://").then(|| l.trim().to_owned()))
        .expect("the code is printed");
    let (ok, out) = proxi(&b, &["team", "join", &invitation, "--name", "Bert"]);
    assert!(ok, "{out}");
    let (ok, out) = proxi(&a, &["sync"]);
    assert!(ok, "{out}");
    assert!(out.contains("21 plan(s) stay on this laptop"), "{out}");
    let (ok, out) = proxi(&b, &["sync"]);
    assert!(ok, "{out}");
    let (ok, list) = proxi(&b, &["person", "list"]);
    assert!(ok, "{list}");
    assert_eq!(list.lines().count(), 3, "{list}");
    for name in &shared {
        assert!(list.contains(name.as_str()), "{name} missing: {list}");
    }
    let (ok, status) = proxi(&b, &["team", "status"]);
    assert!(ok, "{status}");
    assert!(
        status.contains("Anna") && status.contains("Bert  (this laptop)"),
        "{status}"
    );
    assert!(status.contains("Plans waiting to be sent: 0"), "{status}");
    let revoked = Uuid::new_v4().to_string();
    let (ok, out) = proxi(&a, &["team", "revoke", &revoked]);
    assert!(!ok && out.contains("--yes"), "{out}");
}

/// A plan handed over to a colleague of the same team (`proxi handover`) is the same automerge
/// document: once the person agrees to share it with the team, edits made on both laptops after the
/// handover merge through the relay.
#[test]
fn a_plan_handed_over_in_a_team_merges_later_edits_on_both_laptops_through_the_relay() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let run = |store: &Path, args: &[&str]| {
        let (ok, out) = proxi(store, args);
        assert!(ok, "{args:?}: {out}");
        out
    };
    run(&a, &["init", "--author", "Anna"]);
    run(&b, &["init", "--author", "Bert"]);
    let person = run(
        &a,
        &[
            "person",
            "add",
            "--first-name",
            "Zénobe",
            "--language",
            "fr",
        ],
    );
    let person = person.trim();
    run(&a, &["plan", "add-priority", person, "Rester chez moi"]);
    let code = founding_code(&db, &relay.url);
    run(&a, &["team", "create", &code, "--name", "Anna"]);
    let out = run(&a, &["team", "invite", "--minutes", "10"]);
    let invitation = out
        .lines()
        .find_map(|l| l.trim().starts_with("http://").then(|| l.trim().to_owned()))
        .expect("the code is printed");
    run(&b, &["team", "join", &invitation, "--name", "Bert"]);

    // Handed over, then edited on both sides while apart.
    let file = dir.path().join("zenobe.proxihandover");
    let told = run(
        &a,
        &[
            "handover",
            "out",
            person,
            "--to",
            "Bert",
            "-o",
            file.to_str().expect("path"),
        ],
    );
    let opened = run(
        &b,
        &[
            "handover",
            "in",
            file.to_str().expect("path"),
            "--code",
            told.trim(),
        ],
    );
    assert_eq!(opened.trim(), person);
    run(&a, &["plan", "add-priority", person, "Revoir mes voisins"]);
    run(
        &b,
        &[
            "plan",
            "add-action",
            person,
            "Appeler la mutuelle",
            "--who",
            "referent",
        ],
    );
    // The person agrees to share the plan with the team (recorded on both laptops).
    for store in [&a, &b] {
        run(store, &["plan", "consent", person, "--keep", "--share"]);
    }
    for store in [&a, &b, &a] {
        run(store, &["sync"]);
    }
    let (on_a, on_b) = (
        run(&a, &["plan", "show", person]),
        run(&b, &["plan", "show", person]),
    );
    for words in [
        "Rester chez moi",
        "Revoir mes voisins",
        "Appeler la mutuelle",
    ] {
        assert!(
            on_a.contains(words) && on_b.contains(words),
            "{words}: {on_a} / {on_b}"
        );
    }
    assert_eq!(on_a, on_b);
}

#[test]
fn the_relay_speaks_https_with_a_certificate_and_plain_http_only_on_loopback() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    // The organisation's own certificate authority: here, a self-signed certificate.
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
        .expect("a certificate");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).expect("written");
    std::fs::write(&key, made.signing_key.serialize_pem()).expect("written");

    let (ok, said) = cli(&db, &["serve", "--listen", "0.0.0.0:0"]);
    assert!(!ok && said.contains("not a loopback address"), "{said}");
    let (ok, said) = cli(
        &db,
        &[
            "serve",
            "--tls-cert",
            cert.to_str().expect("path"),
            "--tls-key",
            cert.to_str().expect("path"),
        ],
    );
    assert!(!ok && said.contains("private key"), "{said}");

    let relay = Relay::start_with(
        &db,
        &[
            "--tls-cert",
            cert.to_str().expect("path"),
            "--tls-key",
            key.to_str().expect("path"),
        ],
    );
    assert!(relay.url.starts_with("https://127.0.0.1:"), "{}", relay.url);
    let code = founding_code(&db, &relay.url);
    let store = dir.path().join("a.db");
    let (ok, out) = proxi(&store, &["init"]);
    assert!(ok, "{out}");
    // A certificate no known authority signed is refused, and the code is not used up.
    let (ok, out) = proxi(&store, &["team", "create", &code, "--name", "Anna"]);
    assert!(!ok && out.contains("could not be reached"), "{out}");
    assert!(
        out.to_lowercase().contains("certificate") || out.contains("UnknownIssuer"),
        "{out}"
    );
    let ca = [("PROXI_RELAY_CA", cert.as_path())];
    let (ok, out) = proxi_env(&store, &["team", "create", &code, "--name", "Anna"], &ca);
    assert!(ok, "{out}");
    let (ok, out) = proxi_env(&store, &["sync"], &ca);
    assert!(ok && out.starts_with("Synced"), "{out}");
    let (ok, out) = proxi_env(&store, &["sync"], &[("PROXI_RELAY_CA", key.as_path())]);
    assert!(!ok && out.contains("PROXI_RELAY_CA"), "{out}");
}

#[test]
fn a_new_laptop_starts_from_snapshots_and_pulls_only_what_they_do_not_cover() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let (a, b) = (laptop(dir.path(), "anna"), laptop(dir.path(), "bert"));
    team::create(&a, &founding_code(&db, &relay.url), "Anna").expect("a team");
    let people: Vec<Uuid> = (0..4)
        .map(|n| with(&a, |app| person(app, &format!("Personne {n}"))))
        .collect();
    // Many small syncs: each plan's log grows past the snapshot threshold.
    for round in 0..=team::SNAPSHOT_AFTER {
        for p in &people {
            with(&a, |app| priority(app, *p, &format!("étape {round}")));
        }
        team::sync(&a).expect("Anna syncs");
    }
    let mut relay_db = RelayDb::open(&db);
    assert_eq!(relay_db.snapshots_of(None), 4, "one snapshot per plan");
    // One more change after the snapshots: it must reach the new laptop too.
    with(&a, |app| priority(app, people[0], "après l'instantané"));
    team::sync(&a).expect("Anna syncs");

    team::join(&b, &team::invite(&a, 5).expect("a code"), "Bert").expect("joins");
    let first = team::sync(&b).expect("Bert's first sync");
    assert!(first.refused.is_empty(), "{:?}", first.refused);
    for p in &people {
        assert_eq!(
            with(&b, |app| plan_json(app, *p)),
            with(&a, |app| plan_json(app, *p))
        );
    }
    let whole = u64::try_from(relay_db.log_bytes()).expect("bytes");
    assert!(
        first.pulled_bytes * 2 < whole,
        "started from snapshots: {} bytes read, the whole log is {whole}",
        first.pulled_bytes
    );

    // Both go on editing: the cursors the snapshots set let every later change through.
    with(&b, |app| priority(app, people[1], "de Bert"));
    with(&a, |app| priority(app, people[1], "d'Anna"));
    for l in [&b, &a, &b] {
        team::sync(l).expect("syncs");
    }
    let merged = with(&a, |app| plan_json(app, people[1]));
    assert!(
        merged.contains("de Bert") && merged.contains("d'Anna"),
        "{merged}"
    );
    assert_eq!(with(&b, |app| plan_json(app, people[1])), merged);

    // Erasing a plan drops its snapshot from the relay.
    with(&a, |app| team::erase(app, people[2])).expect("erased");
    team::sync(&a).expect("syncs");
    assert_eq!(relay_db.snapshots_of(Some(people[2])), 0);
    assert_eq!(relay_db.snapshots_of(None), 3);
}

#[test]
fn two_revocations_at_the_same_time_leave_no_new_key_to_either_revoked_laptop() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let [a, b, c, x, y] =
        ["anna", "bert", "chloe", "xavier", "yasmine"].map(|n| laptop(dir.path(), n));
    team::create(&a, &founding_code(&db, &relay.url), "Anna").expect("founded");
    let mut devices = Vec::new();
    for (l, name) in [(&b, "Bert"), (&c, "Chloé"), (&x, "Xavier"), (&y, "Yasmine")] {
        let code = team::invite(&a, 30).expect("an invitation");
        devices.push(team::join(l, &code, name).expect("joins").device);
    }
    let (b_device, x_device, y_device) = (devices[0], devices[2], devices[3]);
    let zenobie = with(&a, |app| person(app, "Zénobie"));
    // Twice: everyone hears of everyone (each laptop's first statement gives its public keys).
    for l in [&a, &b, &c, &x, &y, &a, &b] {
        team::sync(l).expect("syncs");
    }

    // Two laptops are lost the same day. Anna removes Xavier's; Bert, who has not heard of it yet,
    // removes Yasmine's. Each mints a key of epoch 2, and each sealed it for the other's lost laptop.
    team::revoke(&a, x_device).expect("Anna revokes Xavier");
    team::revoke(&b, y_device).expect("Bert revokes Yasmine");
    for l in [&a, &c, &b, &a, &c] {
        let report = team::sync(l).expect("syncs");
        assert!(report.refused.is_empty(), "{:?}", report.refused);
    }
    // Bert saw both revocations first and minted a key of epoch 3 for the three that remain.
    let epochs: Vec<u32> = [&a, &b, &c]
        .map(|l| {
            with(l, |app| {
                team::identity(app.store_mut())
                    .expect("id")
                    .expect("team")
                    .epoch
            })
        })
        .into();
    assert_eq!(epochs, vec![3, 3, 3]);

    with(&a, |app| priority(app, zenobie, "Après les deux pertes"));
    team::sync(&a).expect("Anna syncs");
    for l in [&b, &c] {
        let report = team::sync(l).expect("syncs");
        assert!(report.refused.is_empty(), "{:?}", report.refused);
        assert!(with(l, |app| plan_json(app, zenobie)).contains("Après les deux pertes"));
    }

    // A relay operator hands Yasmine's laptop every blob, but spoils those of Bert's statements that
    // say she was revoked: it learns Anna's key of epoch 2 (sealed for it before Anna knew of Bert's
    // revocation), but not the key of epoch 3 that Anna now seals with.
    let team_id = with(&a, |app| {
        team::identity(app.store_mut())
            .expect("id")
            .expect("team")
            .team
    });
    let leaked: Vec<(u64, Vec<u8>)> = RelayDb::open(&db)
        .blobs()
        .into_iter()
        .map(|(position, mut blob)| {
            let h = envelope::peek(&blob).expect("a header");
            if h.document == team_id && h.device == b_device && h.sequence >= 2 {
                let last = blob.len() - 1;
                blob[last] ^= 1;
            }
            (position, blob)
        })
        .collect();
    let report = with(&y, |app| team::absorb(app, &leaked)).expect("absorbs");
    assert!(
        report.refused.iter().any(|r| r.contains("epoch 3")),
        "{:?}",
        report.refused
    );
    let y_keys = with(&y, |app| {
        team::identity(app.store_mut()).expect("id").expect("team")
    });
    assert!(
        y_keys.keys.candidates(2).len() == 1 && y_keys.keys.candidates(3).is_empty(),
        "Yasmine holds Anna's key of epoch 2 and no key of epoch 3"
    );
    assert!(!with(&y, |app| plan_json(app, zenobie)).contains("Après les deux pertes"));

    // Xavier's laptop is found again. Removed, it says so and stops; a new invitation brings it
    // back, and it receives what the team wrote meanwhile, with the newest key.
    assert!(matches!(
        team::sync(&x),
        Err(Error::Sync(SyncError::DeviceRevoked))
    ));
    let code = team::invite(&a, 30).expect("an invitation");
    team::join(&x, &code, "Xavier (retrouvé)").expect("Xavier rejoins");
    team::sync(&x).expect("Xavier syncs");
    assert!(with(&x, |app| plan_json(app, zenobie)).contains("Après les deux pertes"));
    with(&x, |app| priority(app, zenobie, "De retour"));
    team::sync(&x).expect("Xavier syncs");
    let report = team::sync(&a).expect("Anna syncs");
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert!(with(&a, |app| plan_json(app, zenobie)).contains("De retour"));
}
