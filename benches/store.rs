//! Store benchmark: 2,000 people. Opening (the key derivation measured apart), listing people, and one
//! durable edit, against a plain JSON-file-per-person store doing the same work in the same run.
//!
//! Run with `cargo bench --bench store` (or `make bench`). Prints absolute figures and ratios.

mod common;

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{ms, percentile};

use proxi::Proxi;
use proxi::clock::SystemClock;
use proxi::domain::{PlanDocument, Priority, PriorityInput, PriorityStatus};
use proxi::store::{KdfParams, PeopleQuery, Store, derive_key};
use uuid::Uuid;

const PEOPLE: usize = 2_000;
const PASSPHRASE: &str = "benchmark passphrase";

fn time<T>(runs: usize, mut f: impl FnMut(usize) -> T) -> Vec<Duration> {
    (0..runs)
        .map(|i| {
            let start = Instant::now();
            black_box(f(i));
            start.elapsed()
        })
        .collect()
}

/// The baseline: one JSON file per person, nothing else. Listing reads every file; an edit reads,
/// changes and rewrites one file durably (write to a temporary file, fsync, rename).
struct JsonFiles {
    dir: PathBuf,
}

impl JsonFiles {
    fn open(dir: &Path) -> JsonFiles {
        // Opening such a store is finding its files.
        let count = fs::read_dir(dir).expect("dir").count();
        black_box(count);
        JsonFiles {
            dir: dir.to_owned(),
        }
    }

    fn file(&self, id: Uuid) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn write(&self, plan: &PlanDocument) {
        let path = self.file(plan.person.id);
        let tmp = path.with_extension("tmp");
        let bytes = serde_json::to_vec(plan).expect("json");
        let file = fs::File::create(&tmp).expect("create");
        std::io::Write::write_all(&mut &file, &bytes).expect("write");
        file.sync_all().expect("fsync");
        fs::rename(&tmp, &path).expect("rename");
    }

    fn people(&self) -> Vec<(String, Uuid)> {
        let mut list: Vec<(String, Uuid)> = fs::read_dir(&self.dir)
            .expect("dir")
            .map(|e| {
                let plan: PlanDocument =
                    serde_json::from_slice(&fs::read(e.expect("entry").path()).expect("read"))
                        .expect("parse");
                (proxi::text::fold(&plan.person.display_name), plan.person.id)
            })
            .collect();
        list.sort();
        list
    }

    fn add_priority(&self, id: Uuid, words: &str) {
        let mut plan: PlanDocument =
            serde_json::from_slice(&fs::read(self.file(id)).expect("read")).expect("parse");
        let rank = plan
            .plan
            .priorities
            .iter()
            .map(|p| p.rank)
            .max()
            .unwrap_or(0)
            + 1;
        plan.plan.priorities.push(Priority {
            id: Uuid::now_v7(),
            words: words.to_owned(),
            rank,
            card: None,
            status: PriorityStatus::Active,
            created: jiff::Timestamp::now(),
            review_date: None,
            source: None,
        });
        self.write(&plan);
    }
}

fn main() {
    // `cargo bench` passes --bench; nothing to parse.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("proxi.db");
    let json_dir = dir.path().join("json");
    fs::create_dir(&json_dir).expect("json dir");

    println!("Proxi store benchmark: {PEOPLE} people (building the stores…)");
    let started = Instant::now();
    let store = Store::create(&path, PASSPHRASE, KdfParams::RECOMMENDED, "Bench").expect("create");
    let store = proxi::demo::fill_many(store, jiff::Timestamp::now(), PEOPLE, 300).expect("fill");
    let mut app = Proxi::new(store, Arc::new(SystemClock));
    let ids: Vec<Uuid> = app
        .people(&PeopleQuery::default())
        .expect("people")
        .iter()
        .map(|p| p.id)
        .collect();
    let baseline = JsonFiles {
        dir: json_dir.clone(),
    };
    for id in &ids {
        baseline.write(&app.plan(*id).expect("plan"));
    }
    drop(app);
    let db_size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "built in {:.1} s; store file {:.1} MB",
        started.elapsed().as_secs_f64(),
        db_size as f64 / 1e6
    );

    let mut kdf = time(5, |_| derive_key(&path, PASSPHRASE).expect("key"));
    let key = derive_key(&path, PASSPHRASE).expect("key");

    let mut open = time(30, |_| Store::open_with_key(&path, &key).expect("open"));
    let mut open_json = time(30, |_| JsonFiles::open(&json_dir));

    let mut app = Proxi::new(
        Store::open_with_key(&path, &key).expect("open"),
        Arc::new(SystemClock),
    );
    let mut list = time(50, |_| {
        app.people(&PeopleQuery::default()).expect("people").len()
    });
    let mut list_json = time(10, |_| baseline.people().len());
    assert_eq!(
        app.people(&PeopleQuery::default()).expect("people").len(),
        baseline.people().len()
    );

    let mut search = time(50, |_| {
        app.people(&PeopleQuery {
            text: "herve".into(),
            include_archived: false,
            ..PeopleQuery::default()
        })
        .expect("search")
        .len()
    });

    // One edit: a new priority on a person's plan, durable when the call returns. Plans are picked
    // across the store, so most edits load their document from disk first (cold), as at a visit.
    let mut edit = time(400, |i| {
        let id = ids[(i * 7919) % ids.len()];
        app.add_priority(
            id,
            PriorityInput {
                words: format!("bench {i}"),
                ..Default::default()
            },
        )
        .expect("edit")
    });
    // The same edit on a plan already open, as during a visit (the document is in memory).
    // Rewording a priority keeps the plan at its usual size.
    let open_plan = ids[0];
    let first = app.plan(open_plan).expect("plan").plan.priorities[0].id;
    let mut edit_warm = time(400, |i| {
        let input = PriorityInput {
            words: format!("reworded {i}"),
            ..Default::default()
        };
        app.edit_priority(open_plan, first, input).expect("edit")
    });
    let mut edit_json = time(400, |i| {
        baseline.add_priority(ids[(i * 7919) % ids.len()], &format!("bench {i}"))
    });

    let row = |name: &str, ours: &mut [Duration], theirs: Option<&mut [Duration]>| {
        let p50 = percentile(ours, 0.5);
        let p95 = percentile(ours, 0.95);
        match theirs {
            Some(t) => {
                let t50 = percentile(t, 0.5);
                let t95 = percentile(t, 0.95);
                println!(
                    "{name:<28} p50 {:>9.3} ms  p95 {:>9.3} ms | JSON files p50 {:>9.3} ms  p95 {:>9.3} ms | p50 {:>6.1}x faster",
                    ms(p50),
                    ms(p95),
                    ms(t50),
                    ms(t95),
                    ms(t50) / ms(p50)
                );
            }
            None => println!(
                "{name:<28} p50 {:>9.3} ms  p95 {:>9.3} ms",
                ms(p50),
                ms(p95)
            ),
        }
    };
    println!();
    row("key derivation (Argon2id)", &mut kdf, None);
    row(
        "open (key already derived)",
        &mut open,
        Some(&mut open_json),
    );
    row("list 2,000 people", &mut list, Some(&mut list_json));
    row("search a name", &mut search, None);
    row(
        "one edit, plan not yet open",
        &mut edit,
        Some(&mut edit_json),
    );
    row("one edit, plan open", &mut edit_warm, None);
    let p = KdfParams::RECOMMENDED;
    println!(
        "\nArgon2id: {} MiB, {} passes, {} lane; targets: open <= 150 ms, edit p95 <= 5 ms",
        p.memory_kib / 1024,
        p.iterations,
        p.parallelism
    );
}
