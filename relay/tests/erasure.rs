//! Erasing a person in a team, killed at any moment: the plan, the team's "erased" mark and the
//! statement that tells the team are written in one transaction, so a laptop either still has the
//! plan (the erasure did not happen: the referent sees it and erases again) or has erased it for
//! good: it never gets it back when it next syncs with a colleague who still has the plan and
//! changed it since, and that colleague's laptop erases it too.
//!
//! SQLite relay only: each try starts again from a copy of the same relay database.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Relay, cli};
use proxi::Proxi;
use proxi::clock::SystemClock;
use rand::Rng;

const TRIES: usize = 50;

fn proxi_bin() -> PathBuf {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/proxi");
    assert!(
        bin.exists(),
        "{} is missing: build it first (cargo build -p proxi --bin proxi)",
        bin.display()
    );
    bin
}

fn proxi_command(store: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(proxi_bin());
    command
        .arg("--store")
        .arg(store)
        .args(args)
        .env("PROXI_PASSPHRASE", "pw")
        .env_remove("PROXI_STORE");
    command
}

fn proxi(store: &Path, args: &[&str]) -> String {
    let out = proxi_command(store, args).output().expect("proxi runs");
    assert!(
        out.status.success(),
        "proxi {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies the files of a store or relay database (`name`, `name-wal`, `name.key`…) into `to`.
fn copy_files(from: &Path, name: &str, to: &Path) {
    for entry in std::fs::read_dir(from).expect("dir") {
        let path = entry.expect("entry").path();
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
        if file.starts_with(name) && path.is_file() {
            std::fs::copy(&path, to.join(file)).expect("copied");
        }
    }
}

/// A free port on loopback, for a relay restarted at the same address (the team keeps its URL).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn took(store: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    proxi(store, args);
    started.elapsed()
}

#[test]
fn an_erasure_killed_at_any_moment_never_lets_the_plan_come_back() {
    let dir = tempfile::tempdir().expect("dir");
    let setup = dir.path().join("setup");
    std::fs::create_dir(&setup).expect("setup dir");
    let db = setup.join("relay.db");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut relay = Relay::start_at(&db, &listen);
    let (a, b) = (setup.join("anna.db"), setup.join("bert.db"));
    proxi(&a, &["init"]);
    proxi(&b, &["init"]);
    // Anna's person agreed to share; Bert gets the plan.
    let person = {
        let store = proxi::store::Store::open(&a, "pw").expect("opens");
        let mut app = Proxi::new(store, std::sync::Arc::new(SystemClock));
        let id = common::person(&mut app, "Zénobie");
        common::priority(&mut app, id, "Rester chez moi");
        common::share(&mut app, id);
        id.to_string()
    };
    let (ok, code) = cli(&db, &["add-team", "--url", &relay.url]);
    assert!(ok, "{code}");
    proxi(&a, &["team", "create", &code, "--name", "Anna"]);
    let invitation = proxi(&a, &["team", "invite", "--minutes", "10"])
        .lines()
        .find_map(|l| l.trim().starts_with("http://").then(|| l.trim().to_owned()))
        .expect("the code is printed");
    proxi(&b, &["team", "join", &invitation, "--name", "Bert"]);
    proxi(&a, &["sync"]);
    proxi(&b, &["sync"]);
    assert!(proxi(&b, &["person", "list"]).contains("Zénobie"));
    // Bert changes the plan and sends it; Anna has not heard of it yet.
    proxi(
        &b,
        &["plan", "add-priority", &person, "Voir mes petits-enfants"],
    );
    proxi(&b, &["sync"]);
    relay.kill();

    // How long opening and listing takes, and a whole erasure: the kills fall in between and a
    // little after, where the erasure runs.
    let probe = dir.path().join("probe");
    std::fs::create_dir(&probe).expect("probe dir");
    copy_files(&setup, "anna.db", &probe);
    let listing = took(&probe.join("anna.db"), &["person", "list"]);
    let erasing = took(&probe.join("anna.db"), &["erase", &person, "--yes"]);
    let from = listing.mul_f64(0.8);
    let to = erasing.mul_f64(1.1).max(from + Duration::from_millis(20));

    let mut rng = rand::rng();
    let (mut kept, mut erased) = (0, 0);
    for round in 0..TRIES {
        let here = dir.path().join(format!("try-{round}"));
        std::fs::create_dir(&here).expect("try dir");
        copy_files(&setup, "anna.db", &here);
        copy_files(&setup, "bert.db", &here);
        copy_files(&setup, "relay.db", &here);
        let (anna, bert) = (here.join("anna.db"), here.join("bert.db"));

        let mut erase = proxi_command(&anna, &["erase", &person, "--yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("proxi erase starts");
        std::thread::sleep(rng.random_range(from..to));
        let _ = erase.kill();
        let _ = erase.wait();

        // Whatever the moment, the store opens and is whole.
        proxi(&anna, &["check"]);
        let gone = !proxi(&anna, &["person", "list", "--all"]).contains("Zénobie");

        // Anna syncs with the team (Bert's change to the plan is on the relay), then Bert.
        let relay = Relay::start_at(&here.join("relay.db"), &listen);
        proxi(&anna, &["sync"]);
        let back = proxi(&anna, &["person", "list", "--all"]).contains("Zénobie");
        proxi(&bert, &["sync"]);
        let at_bert = proxi(&bert, &["person", "list", "--all"]).contains("Zénobie");
        drop(relay);
        if gone {
            erased += 1;
            assert!(
                !back,
                "try {round}: the erased plan came back after a sync ({from:?}..{to:?})"
            );
            assert!(
                !at_bert,
                "try {round}: erased on Anna's laptop, the plan stayed on Bert's: the team never heard"
            );
        } else {
            kept += 1;
            assert!(back, "try {round}: a plan not erased is still there");
            assert!(
                at_bert,
                "try {round}: a plan not erased is still on Bert's laptop"
            );
        }
        std::fs::remove_dir_all(&here).expect("cleaned");
    }
    println!(
        "{TRIES} erasures killed between {from:?} and {to:?}: {erased} had erased, {kept} had not yet"
    );
    assert!(
        erased > 0 && kept > 0,
        "the kills fell on both sides of the erasure ({erased} erased, {kept} kept)"
    );
}
