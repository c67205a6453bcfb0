//! Sync benchmark through a real relay process on loopback: two laptops three days offline, 200 edits
//! over 50 people each, then converging; and a new laptop's first sync with 2,000 people. In the same
//! run, the baseline of sending whole documents (automerge `save()`) for what changed.
//!
//! Run with `cargo bench -p proxi-relay --bench sync` (or `make bench`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use automerge::AutoCommit;
use common::{Laptop, Relay, laptops, person, priority, sync_paged, team_laptop};
use proxi::Proxi;
use proxi::sync::envelope::OVERHEAD;
use proxi::sync::{engine, team};

/// The bytes of this laptop's changes not yet sent (the blobs' contents, without their envelopes).
fn changes(l: &mut Laptop) -> usize {
    engine::outgoing(l.app.store_mut(), &l.me)
        .expect("outgoing")
        .iter()
        .map(|o| o.blob.len() - OVERHEAD)
        .sum()
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let (mut all, keys) = laptops(dir.path(), &db, 3);
    let relay = Relay::start(&db);
    let (mut a, mut b, mut c) = (all.remove(0), all.remove(0), all.remove(0));

    // Fifty people known to both laptops.
    let people: Vec<_> = (0..50)
        .map(|n| person(&mut a.app, &format!("Personne {n}")))
        .collect();
    sync_paged(&mut a, &relay.url, &keys, 500).expect("A");
    sync_paged(&mut b, &relay.url, &keys, 500).expect("B");

    // Three days offline: 200 edits each over the 50 people.
    for n in 0..200 {
        priority(&mut a.app, people[n % 50], &format!("Démarche {n} de A"));
        priority(
            &mut b.app,
            people[(n * 7) % 50],
            &format!("Démarche {n} de B"),
        );
    }
    let own = changes(&mut a) + changes(&mut b);

    let start = Instant::now();
    let t1 = sync_paged(&mut a, &relay.url, &keys, 500).expect("A");
    let t2 = sync_paged(&mut b, &relay.url, &keys, 500).expect("B");
    let t3 = sync_paged(&mut a, &relay.url, &keys, 500).expect("A");
    let converge = start.elapsed();
    let sent = t1.pushed + t2.pushed + t3.pushed;
    for p in &people {
        let left = serde_json::to_string(&a.app.plan(*p).expect("plan")).expect("json");
        let right = serde_json::to_string(&b.app.plan(*p).expect("plan")).expect("json");
        assert_eq!(left, right, "converged");
    }

    // Baseline: each laptop sends every changed document whole; the other loads and merges it.
    let start = Instant::now();
    let mut whole = 0;
    for p in &people {
        let bytes_a = a.app.store_mut().document_bytes(*p).expect("bytes");
        let bytes_b = b.app.store_mut().document_bytes(*p).expect("bytes");
        whole += bytes_a.len() + bytes_b.len();
        let mut left = AutoCommit::load(&bytes_a).expect("loads");
        let mut right = AutoCommit::load(&bytes_b).expect("loads");
        left.merge(&mut right).expect("merges");
        right.merge(&mut left).expect("merges");
    }
    let baseline = start.elapsed();

    println!(
        "converge after 3 days offline (2 x 200 edits over 50 people): {:.0} ms; sent {} bytes for {} bytes of changes ({:.2}x, target <= 1.5x); pulled {} bytes",
        converge.as_secs_f64() * 1000.0,
        sent,
        own,
        sent as f64 / own as f64,
        t1.pulled + t2.pulled + t3.pulled,
    );
    println!(
        "baseline, whole documents both ways: {} bytes ({:.1}x what sync sent); load and merge alone {:.0} ms",
        whole,
        whole as f64 / sent as f64,
        baseline.as_secs_f64() * 1000.0,
    );

    // A new laptop joins a team that follows 2,000 people.
    for n in 50..2_000 {
        let p = person(&mut a.app, &format!("Personne {n}"));
        priority(&mut a.app, p, "Une priorité");
    }
    sync_paged(&mut a, &relay.url, &keys, 500).expect("A");
    let start = Instant::now();
    let first = sync_paged(&mut c, &relay.url, &keys, 500).expect("C");
    let elapsed = start.elapsed();
    assert_eq!(c.app.store().document_ids().expect("ids").len(), 2_000);
    println!(
        "first sync of a new laptop, 2,000 people: {:.1} s, {} bytes pulled (target <= 30 s)",
        elapsed.as_secs_f64(),
        first.pulled
    );

    snapshots(dir.path(), &db, &relay.url);
}

/// A team that has followed 300 people for a while (21 syncs, each changing every plan): a new laptop
/// starts from the snapshots, against replaying the whole log, in the same run.
fn snapshots(dir: &std::path::Path, db: &std::path::Path, url: &str) {
    let (ok, code) = common::cli(db, &["add-team", "--url", url]);
    assert!(ok, "{code}");
    let a = team_laptop(dir, "snap-a");
    team::create(&a, &code, "Anna").expect("a team");
    let with = |f: &mut dyn FnMut(&mut Proxi)| f(&mut a.lock().expect("lock"));
    let mut people = Vec::new();
    with(&mut |app| {
        people = (0..300)
            .map(|n| person(app, &format!("Suivi {n}")))
            .collect();
    });
    for round in 0..=team::SNAPSHOT_AFTER {
        with(&mut |app| {
            for p in &people {
                priority(app, *p, &format!("Étape {round}"));
            }
        });
        team::sync(&a).expect("syncs");
    }
    let measure = |name: &str, start_from_snapshots: bool| {
        let l = team_laptop(dir, name);
        team::join(&l, &team::invite(&a, 5).expect("a code"), name).expect("joins");
        let start = Instant::now();
        let report = team::sync_with(
            &l,
            team::SyncOptions {
                start_from_snapshots,
            },
        )
        .expect("first sync");
        let elapsed = start.elapsed();
        let held = l
            .lock()
            .expect("lock")
            .store()
            .document_ids()
            .expect("ids")
            .len();
        assert_eq!(held, 300);
        (elapsed, report.pulled_bytes)
    };
    let (snap_time, snap_bytes) = measure("snap-b", true);
    let (log_time, log_bytes) = measure("snap-c", false);
    println!(
        "first sync, 300 people with 21 changes each: from snapshots {:.0} ms, {} bytes; replaying the whole log {:.0} ms, {} bytes ({:.1}x the time, {:.1}x the bytes)",
        snap_time.as_secs_f64() * 1000.0,
        snap_bytes,
        log_time.as_secs_f64() * 1000.0,
        log_bytes,
        log_time.as_secs_f64() / snap_time.as_secs_f64(),
        log_bytes as f64 / snap_bytes as f64,
    );
}
