//! Sync benchmark through a real relay process on loopback: two laptops three days offline, 200 edits
//! over 50 people each, then converging; and a new laptop's first sync with 2,000 people. In the same
//! run, the baseline of sending whole documents (automerge `save()`) for what changed.
//!
//! Run with `cargo bench -p proxi-relay --bench sync` (or `make bench`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use automerge::AutoCommit;
use common::{Laptop, Relay, laptops, person, priority, sync_paged};
use proxi::sync::engine;
use proxi::sync::envelope::OVERHEAD;

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
}
