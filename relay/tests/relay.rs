//! The relay as a real process on loopback, with two real app cores syncing through it.

mod common;

use common::{Relay, cli, laptops, person, plan_json, priority, pull, push, relay_holds, sync};
use proxi::store::PeopleQuery;
use proxi::sync::engine;
use proxi::sync::envelope::{self, BlobHeader, BlobKind};
use uuid::Uuid;

#[test]
fn offline_edits_on_two_laptops_merge_through_a_relay_that_holds_no_plaintext() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let (mut all, keys) = laptops(dir.path(), &db, 2);
    let (mut a, mut b) = (all.remove(0), all.remove(0));
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
        assert!(
            !relay_holds(dir.path(), &db, needle),
            "{needle} on the relay"
        );
    }
}

#[test]
fn missing_wrong_or_revoked_tokens_and_other_devices_blobs_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let (mut all, _) = laptops(dir.path(), &db, 2);
    let (mut a, b) = (all.remove(0), all.remove(0));
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
    let (mut all, _) = laptops(dir.path(), &db, 2);
    let (a, b) = (all.remove(0), all.remove(0));
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
        envelope::seal(a.me.team_key().expect("key"), &a.me.signing, &header, text).expect("sealed")
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
    let (mut all, keys) = laptops(dir.path(), &db, 2);
    let (mut a, mut b) = (all.remove(0), all.remove(0));
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

#[test]
fn two_relay_processes_on_one_database_keep_one_log_for_the_team() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let (mut all, keys) = laptops(dir.path(), &db, 2);
    let (mut a, mut b) = (all.remove(0), all.remove(0));
    let (one, two) = (Relay::start(&db), Relay::start(&db));
    // Both laptops edit and push at the same time, each through its own relay process.
    let work = |l: &mut common::Laptop, url: &str, tag: &str| {
        for n in 0..12 {
            let p = person(&mut l.app, &format!("{tag} {n}"));
            priority(&mut l.app, p, &format!("{tag} priority {n}"));
            sync(l, url, &keys).expect("syncs");
        }
    };
    std::thread::scope(|s| {
        s.spawn(|| work(&mut a, &one.url, "Alpha"));
        s.spawn(|| work(&mut b, &two.url, "Beta"));
    });
    sync(&mut a, &two.url, &keys).expect("A syncs through the other relay");
    sync(&mut b, &one.url, &keys).expect("B syncs through the other relay");
    let everyone = |l: &mut common::Laptop| {
        let mut ids: Vec<Uuid> = l
            .app
            .people(&PeopleQuery::default())
            .expect("people")
            .into_iter()
            .map(|p| p.id)
            .collect();
        ids.sort();
        ids
    };
    let ids = everyone(&mut a);
    assert_eq!(ids.len(), 24);
    assert_eq!(everyone(&mut b), ids);
    for id in ids {
        assert_eq!(plan_json(&mut a.app, id), plan_json(&mut b.app, id));
    }
    // One log: positions 1, 2, 3… with no hole and no repeat, the same through either process.
    let (from_one, more) = pull(&one.url, &a.token, 0, 5_000);
    assert!(!more);
    let positions: Vec<u64> = from_one.iter().map(|(p, _)| *p).collect();
    assert_eq!(positions, (1..=positions.len() as u64).collect::<Vec<_>>());
    assert_eq!(pull(&two.url, &b.token, 0, 5_000).0, from_one);
}
