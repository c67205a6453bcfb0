//! A writer killed with SIGKILL at any moment loses no acknowledged edit and leaves a sound store.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proxi::store::{KdfParams, Store};
use uuid::Uuid;

use crate::support::{PASSPHRASE, reopen};

/// A small deterministic generator for the kill times (xorshift64*), so a failure can be replayed.
struct Sequence(u64);

impl Sequence {
    fn next_below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_edit() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("proxi.db");
    drop(Store::create(&path, PASSPHRASE, KdfParams::MINIMAL_FOR_TESTS, "Crash").expect("store"));
    let seed = 0x5EED_2026_u64;
    let mut times = Sequence(seed);
    let mut total_acks = 0u64;
    for round in 0..60 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_proxi"))
            .args([
                "--store",
                path.to_str().expect("utf-8 path"),
                "stress-edits",
            ])
            .env("PROXI_PASSPHRASE", PASSPHRASE)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the writer");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        // Wait for the writer to be at work, then kill it somewhere in the next 0 to 40 ms.
        let started = Instant::now();
        std::thread::sleep(Duration::from_millis(20 + times.next_below(120)));
        std::thread::sleep(Duration::from_micros(times.next_below(40_000)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let lines = reader.join().expect("reader");

        let store = Store::open(&path, PASSPHRASE).expect("the store opens after a kill");
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("round {round} (seed {seed:#x}): {e}"));
        drop(store);
        let Some(person) = lines.first().and_then(|l| l.strip_prefix("person ")) else {
            continue; // killed before the first acknowledged write: nothing was promised
        };
        let person: Uuid = person.parse().expect("uuid");
        let acked: Vec<u64> = lines[1..]
            .iter()
            .filter_map(|l| l.strip_prefix("ack ")?.parse().ok())
            .collect();
        let plan = reopen(&path)
            .plan(person)
            .expect("the acknowledged person is there");
        for n in &acked {
            let words = format!("edit {n}");
            assert!(
                plan.plan.priorities.iter().any(|p| p.words == words),
                "round {round} (seed {seed:#x}, {:?} in): acknowledged {words} is lost",
                started.elapsed()
            );
        }
        total_acks += acked.len() as u64;
    }
    eprintln!("crash test: 60 kills, {total_acks} acknowledged edits, all found");
    assert!(
        total_acks > 100,
        "the writers were killed before doing anything ({total_acks} acks)"
    );
}
