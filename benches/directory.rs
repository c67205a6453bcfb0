//! Directory search benchmark: 100,000 fictional services, 1,000 mixed queries with filters, Proxi's
//! tantivy index against SQLite FTS5 (`unicode61 remove_diacritics 2`) on the same data, in the same run.
//!
//! Run with `cargo bench --bench directory` (or `make bench`). Prints p50 and p95 of both engines, the
//! ratio, index build times and sizes, and the hit counts of both for plural queries whose documents
//! hold the singular.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use common::{ms, percentile};

use jiff::Timestamp;
use proxi::directory::index::{DirectoryIndex, ServiceQuery};
use proxi::directory::{self, ServiceCard, demo, hours};
use proxi::territory::Bassin;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{Connection, params};

const SERVICES: usize = 100_000;
const QUERIES: usize = 1_000;
const LIMIT: u32 = 50;

fn folder_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        folder_size(&p)
                    } else {
                        e.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The baseline: one FTS5 table over the same French and Dutch text, filters as SQL on a plain table,
/// "open now" checked on the same encoded hours, in Rust, as rows come.
struct Fts5 {
    conn: Connection,
}

impl Fts5 {
    fn build(path: &Path, cards: &[ServiceCard]) -> Fts5 {
        let mut conn = Connection::open(path).expect("a SQLite file");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE service (rowid INTEGER PRIMARY KEY, id TEXT, bassins TEXT, communes TEXT,
                 languages TEXT, themes TEXT, free INTEGER, wheelchair INTEGER, hours BLOB);
             CREATE VIRTUAL TABLE service_fts USING fts5(name, body,
                 tokenize = 'unicode61 remove_diacritics 2');",
        )
        .expect("FTS5 is built in");
        let tx = conn.transaction().expect("tx");
        {
            let mut row = tx
                .prepare("INSERT INTO service VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .expect("insert");
            let mut fts = tx
                .prepare("INSERT INTO service_fts (rowid, name, body) VALUES (?1, ?2, ?3)")
                .expect("insert");
            for (i, c) in cards.iter().enumerate() {
                let list = |items: Vec<String>| format!("|{}|", items.join("|"));
                row.execute(params![
                    i as i64,
                    c.id,
                    list(
                        c.places
                            .iter()
                            .filter_map(|p| p.bassin.map(|b| format!("{b:?}")))
                            .collect()
                    ),
                    list(c.places.iter().filter_map(|p| p.nis.clone()).collect()),
                    list(c.languages.clone()),
                    list(c.themes.iter().map(|t| t.code.clone()).collect()),
                    c.free_or_low_cost,
                    c.wheelchair,
                    hours::encode(&c.hours),
                ])
                .expect("row");
                let themes: Vec<String> = c
                    .themes
                    .iter()
                    .flat_map(|t| [t.name.clone(), t.name_nl.clone().unwrap_or_default()])
                    .collect();
                fts.execute(params![
                    i as i64,
                    format!("{} {}", c.name, c.name_nl.as_deref().unwrap_or_default()),
                    format!(
                        "{} {} {} {}",
                        c.description.as_deref().unwrap_or_default(),
                        c.description_nl.as_deref().unwrap_or_default(),
                        c.organization.as_deref().unwrap_or_default(),
                        themes.join(" ")
                    ),
                ])
                .expect("fts row");
            }
        }
        tx.commit().expect("commit");
        conn.execute_batch("INSERT INTO service_fts(service_fts) VALUES ('optimize');")
            .expect("optimize");
        Fts5 { conn }
    }

    fn search(&self, q: &ServiceQuery, now: Timestamp) -> Vec<String> {
        let words: Vec<String> = q
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\""))
            .collect();
        let mut sql = String::from("SELECT s.id, s.hours FROM service s");
        let mut conditions: Vec<String> = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if !words.is_empty() {
            let mut text = words.join(" ");
            if !q.text.ends_with(' ') {
                text.push('*');
            }
            sql.push_str(" JOIN service_fts f ON f.rowid = s.rowid");
            conditions.push("service_fts MATCH ?".into());
            args.push(text);
        }
        let mut any = |column: &str, values: Vec<String>| {
            if values.is_empty() {
                return;
            }
            let ors: Vec<String> = values
                .into_iter()
                .map(|v| {
                    args.push(format!("%|{v}|%"));
                    format!("s.{column} LIKE ?")
                })
                .collect();
            conditions.push(format!("({})", ors.join(" OR ")));
        };
        any(
            "bassins",
            q.bassins.iter().map(|b| format!("{b:?}")).collect(),
        );
        any("communes", q.communes.clone());
        any("languages", q.languages.clone());
        any("themes", q.themes.clone());
        if q.free_or_low_cost {
            conditions.push("s.free = 1".into());
        }
        if q.wheelchair {
            conditions.push("s.wheelchair = 1".into());
        }
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        if !words.is_empty() {
            sql.push_str(" ORDER BY f.rank");
        }
        let mut stmt = self.conn.prepare_cached(&sql).expect("a query");
        let mut rows = stmt
            .query(rusqlite::params_from_iter(args.iter()))
            .expect("runs");
        let mut out = Vec::new();
        while let Some(row) = rows.next().expect("a row") {
            if q.open_now {
                let bytes: Vec<u8> = row.get(1).expect("hours");
                if !hours::open_at(&hours::decode(&bytes), now) {
                    continue;
                }
            }
            out.push(row.get(0).expect("id"));
            if out.len() == LIMIT as usize {
                break;
            }
        }
        out
    }
}

/// Words referents type, as typed: whole words, plurals, prefixes, typos, in both languages.
const WORDS: &[&str] = &[
    "diabète",
    "diabete",
    "diabetes",
    "douleur",
    "douleurs",
    "palliatif",
    "palliatifs",
    "soins",
    "santé mentale",
    "dépression",
    "aide à domicile",
    "ménage",
    "courses",
    "repas",
    "dettes",
    "médiation de dettes",
    "logement",
    "loyer",
    "isolement",
    "solitude",
    "aidants proches",
    "interprète",
    "transport adapté",
    "infirmier",
    "pansements",
    "thuishulp",
    "schulden",
    "eenzaamheid",
    "tolken",
    "mantelzorgers",
    "pijn",
    "verpleging",
    "huisvesting",
    "palli",
    "diab",
    "doul",
    "méd",
    "schuld",
    "aangep",
    "diabte",
    "palliatfs",
    "depresion",
    "mantelzorger",
    "consultation",
    "permanence",
];

fn queries(count: usize) -> Vec<ServiceQuery> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let themes = [
        "diabetes",
        "palliative",
        "mental_health",
        "home_help",
        "debts",
        "isolation",
    ];
    let languages = ["nl", "en", "ar", "tr"];
    let communes = ["21004", "21009", "21015", "21001", "21016"];
    (0..count)
        .map(|_| {
            let mut q = ServiceQuery {
                limit: Some(LIMIT),
                ..ServiceQuery::default()
            };
            q.text = WORDS[rng.random_range(0..WORDS.len())].to_owned();
            if rng.random_bool(0.5) {
                q.text.push(' ');
            }
            match rng.random_range(0..8) {
                0 => q.bassins = vec![Bassin::ALL[rng.random_range(0..5)]],
                1 => q.communes = vec![communes[rng.random_range(0..communes.len())].to_owned()],
                2 => q.languages = vec![languages[rng.random_range(0..languages.len())].to_owned()],
                3 => q.themes = vec![themes[rng.random_range(0..themes.len())].to_owned()],
                4 => q.free_or_low_cost = true,
                5 => q.wheelchair = true,
                6 => q.open_now = true,
                _ => {}
            }
            if rng.random_bool(0.3) {
                q.languages.push("nl".to_owned());
                q.wheelchair = true;
            }
            q
        })
        .collect()
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let start = Instant::now();
    let set = demo::generate(SERVICES, 42);
    let tables = set.to_tables();
    let cards = directory::cards(&tables);
    println!(
        "{} services ({} HSDS records) generated and assembled into cards in {:.1} s",
        cards.len(),
        set.len(),
        start.elapsed().as_secs_f64()
    );
    drop(tables);
    drop(set);

    let folder = dir.path().join("index");
    let start = Instant::now();
    let index = DirectoryIndex::build(&folder, 1, &cards).expect("the index builds");
    let tantivy_build = start.elapsed();
    let tantivy_size = folder_size(&folder);

    let db = dir.path().join("fts5.db");
    let start = Instant::now();
    let fts = Fts5::build(&db, &cards);
    let fts_build = start.elapsed();
    let fts_size = std::fs::metadata(&db).map_or(0, |m| m.len());
    println!(
        "index build: tantivy {:.1} s, {:.1} MB | FTS5 {:.1} s, {:.1} MB",
        tantivy_build.as_secs_f64(),
        tantivy_size as f64 / 1e6,
        fts_build.as_secs_f64(),
        fts_size as f64 / 1e6
    );

    // Tuesday 24 November 2026, 10:15 in Brussels.
    let now: Timestamp = "2026-11-24T09:15:00Z".parse().expect("an instant");
    let queries = queries(QUERIES);
    // Warm both (page cache, statement cache) with one pass not measured.
    for q in &queries {
        black_box(index.search(q, now).expect("searches"));
        black_box(fts.search(q, now));
    }
    let mut ours = Vec::with_capacity(QUERIES);
    let mut theirs = Vec::with_capacity(QUERIES);
    for q in &queries {
        let t = Instant::now();
        black_box(index.search(q, now).expect("searches"));
        ours.push(t.elapsed());
        let t = Instant::now();
        black_box(fts.search(q, now));
        theirs.push(t.elapsed());
    }
    let (p50, p95) = (percentile(&mut ours, 0.5), percentile(&mut ours, 0.95));
    let (f50, f95) = (percentile(&mut theirs, 0.5), percentile(&mut theirs, 0.95));
    println!(
        "{QUERIES} mixed queries with filters, top {LIMIT}: tantivy p50 {:.3} ms p95 {:.3} ms | FTS5 p50 {:.3} ms p95 {:.3} ms",
        ms(p50),
        ms(p95),
        ms(f50),
        ms(f95)
    );
    println!(
        "ratio FTS5 / tantivy: p50 {:.1}x, p95 {:.1}x (target: tantivy p95 <= 2 ms and >= 10x)",
        ms(f50) / ms(p50),
        ms(f95) / ms(p95)
    );

    println!("plural queries whose documents hold the singular (hits, all of them):");
    for plural in [
        "douleurs",
        "glycémies",
        "accompagnements",
        "équipes",
        "pijnen",
        "diensten",
    ] {
        let q = ServiceQuery {
            text: format!("{plural} "),
            limit: Some(1000),
            ..ServiceQuery::default()
        };
        let ours = index.search(&q, now).expect("searches").total;
        let count: i64 = fts
            .conn
            .query_row(
                "SELECT count(*) FROM service_fts WHERE service_fts MATCH ?1",
                [format!("\"{plural}\"")],
                |r| r.get(0),
            )
            .expect("counts");
        println!("  {plural:<16} tantivy {ours:>6} | FTS5 {count:>6}");
    }
}
