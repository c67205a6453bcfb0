//! The needs watch: small counts hidden (k-anonymity), no hidden count recomputable from the shown
//! ones of its row, column or totals, the real counts wherever shown, and no name, id or word of
//! anyone in what is shown or exported.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proxi::needs::{self, NeedKind, NeedsQuery, NeedsTable, PeriodLength, PlaceLevel};

use crate::support::{new_store, someone};

/// Every line whose sum is known: (the cells, the total).
fn lines(t: &NeedsTable) -> Vec<(Vec<Option<u32>>, Option<u32>)> {
    let mut out: Vec<(Vec<Option<u32>>, Option<u32>)> =
        t.rows.iter().map(|r| (r.cells.clone(), r.total)).collect();
    for j in 0..t.columns.len() {
        out.push((
            t.rows.iter().map(|r| r.cells[j]).collect(),
            t.columns[j].total,
        ));
    }
    out.push((t.rows.iter().map(|r| r.total).collect(), t.total));
    out.push((t.columns.iter().map(|c| c.total).collect(), t.total));
    out
}

/// What the rule promises, checked on any table.
fn check(t: &NeedsTable, truth: &BTreeMap<(String, String), u32>) -> Result<(), TestCaseError> {
    let k = t.k;
    let small = |c: &Option<u32>| c.is_some_and(|v| v > 0 && v < k);
    for r in &t.rows {
        prop_assert!(!r.cells.iter().any(small) && !small(&r.total), "{r:?}");
        for (c, cell) in t.columns.iter().zip(&r.cells) {
            let real = truth
                .get(&(r.code.clone(), c.place.clone()))
                .copied()
                .unwrap_or(0);
            if let Some(shown) = cell {
                prop_assert_eq!(*shown, real, "a shown count is the real one");
            }
        }
    }
    prop_assert!(!t.columns.iter().any(|c| small(&c.total)) && !small(&t.total));
    // No line hides exactly one count: with its shown total and shown counts, a lone hidden one
    // would be their difference.
    for (cells, total) in lines(t) {
        let hidden = cells.iter().filter(|c| c.is_none()).count() + usize::from(total.is_none());
        prop_assert!(
            hidden != 1,
            "a line hides exactly one count: {cells:?} = {total:?}"
        );
        if hidden == 0 {
            prop_assert_eq!(cells.iter().flatten().sum::<u32>(), total.unwrap_or(0));
        }
    }
    Ok(())
}

fn table(counts: &BTreeMap<(String, String), u32>, k: u32) -> NeedsTable {
    let (columns, rows, total) = needs::tabulate(counts, k);
    NeedsTable {
        kind: NeedKind::Priorities,
        level: PlaceLevel::Bassin,
        period: "2026-11".into(),
        periods: vec![],
        k,
        columns,
        rows,
        total,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn no_small_count_is_shown_or_recomputable_from_the_totals(
        cells in proptest::collection::btree_map((0u8..6, 0u8..6), 0u32..14, 0..30),
        k in 2u32..7,
    ) {
        let counts: BTreeMap<(String, String), u32> = cells
            .into_iter()
            .map(|((r, c), v)| ((format!("r{r}"), format!("c{c}")), v))
            .collect();
        check(&table(&counts, k), &counts)?;
    }
}

#[test]
fn a_lone_small_count_takes_the_smallest_of_its_row_and_column_with_it() {
    let counts: BTreeMap<(String, String), u32> = [
        (("pain", "nord"), 2),
        (("pain", "sud"), 9),
        (("pain", "sudEst"), 7),
        (("sleep", "nord"), 8),
        (("sleep", "sud"), 12),
        (("sleep", "sudEst"), 6),
    ]
    .into_iter()
    .map(|((r, c), v)| ((r.to_owned(), c.to_owned()), v))
    .collect();
    let t = table(&counts, 5);
    // pain/nord (2) is hidden; in its row the smallest other (pain/sudEst 7) goes too, and in its
    // column sleep/nord (8); then sleep's row hides its smallest other, sleep/sudEst (6).
    assert_eq!(t.rows[0].cells, vec![None, Some(9), None]);
    assert_eq!(t.rows[1].cells, vec![None, Some(12), None]);
    assert_eq!(
        (t.rows[0].total, t.rows[1].total, t.total),
        (Some(18), Some(26), Some(44))
    );
    assert_eq!(
        t.columns.iter().map(|c| c.total).collect::<Vec<_>>(),
        vec![Some(10), Some(21), Some(13)]
    );
    check(&t, &counts).expect("the rule holds");
}

const PLACES: &[&str] = &["1000", "1030", "1070", "1090", "1190", "1200", "1210"];
const SOME_CARDS: &[&str] = &["pain", "sleep", "food", "moving", "family"];

proptest! {
    // Each case is a real encrypted store: a handful of cases keeps the suite quick.
    #![proptest_config(ProptestConfig::with_cases(8))]
    #[test]
    fn for_random_stores_every_table_keeps_the_rule_and_says_no_one(
        people in proptest::collection::vec(
            (0usize..PLACES.len(), proptest::collection::vec(0usize..SOME_CARDS.len(), 0..4)),
            0..30,
        ),
    ) {
        let (_dir, _, mut app) = new_store();
        let mut truth: BTreeMap<(String, String), u32> = BTreeMap::new();
        let mut secrets = Vec::new();
        for (n, (place, cards)) in people.iter().enumerate() {
            let name = format!("Zorbalinde{n}");
            let mut input = someone(&name);
            input.address.postal_code = PLACES[*place].into();
            input.address.commune = String::new();
            let id = app.create_person(input).expect("a person");
            secrets.push(name);
            secrets.push(id.to_string());
            let bassin = proxi::territory::lookup(PLACES[*place]).expect("Brussels").bassin.code();
            for (i, card) in cards.iter().enumerate() {
                let words = format!("Souhait{n}x{i}");
                app.add_priority(id, proxi::domain::PriorityInput {
                    words: words.clone(),
                    card: Some(SOME_CARDS[*card].into()),
                    ..Default::default()
                }).expect("a priority");
                secrets.push(words);
                *truth.entry((SOME_CARDS[*card].to_owned(), bassin.to_owned())).or_default() += 1;
            }
        }
        let query = NeedsQuery { kind: NeedKind::Priorities, level: PlaceLevel::Bassin, length: PeriodLength::Month, period: None };
        let t = app.needs_watch(&query, 5).expect("the table");
        check(&t, &truth)?;
        if truth.is_empty() {
            prop_assert!(t.rows.is_empty() && t.total.is_none() || t.total == Some(0));
        } else {
            prop_assert_eq!(t.period.as_str(), "2026-11");
        }
        let csv = needs::to_csv(&t).expect("CSV");
        let shown = serde_json::to_string(&t).expect("JSON");
        for secret in &secrets {
            prop_assert!(!csv.contains(secret.as_str()) && !shown.contains(secret.as_str()), "{secret}");
        }
        // Every other kind and level keeps the rule too (their truth is not rebuilt here: the rule
        // on small counts and lines is checked).
        for kind in [NeedKind::Difficulties, NeedKind::Orientations, NeedKind::Unmet] {
            for level in [PlaceLevel::Bassin, PlaceLevel::Commune, PlaceLevel::Quartier] {
                let q = NeedsQuery { kind, level, length: PeriodLength::Quarter, period: None };
                let t = app.needs_watch(&q, 5).expect("the table");
                for (cells, total) in lines(&t) {
                    let hidden = cells.iter().filter(|c| c.is_none()).count() + usize::from(total.is_none());
                    prop_assert!(hidden != 1);
                }
            }
        }
    }
}

#[test]
fn the_demo_store_tables_say_no_one_and_hide_what_is_small() {
    let dir = tempfile::tempdir().expect("dir");
    let store = proxi::store::Store::create(
        &dir.path().join("demo.db"),
        "pw",
        proxi::store::KdfParams::MINIMAL_FOR_TESTS,
        "Demo",
    )
    .expect("store");
    let store = proxi::demo::fill(store, crate::support::start(), 0).expect("demo");
    let mut app = proxi::Proxi::new(store, crate::support::clock());
    let people = app
        .people(&proxi::store::PeopleQuery {
            include_archived: true,
            ..Default::default()
        })
        .expect("people");
    let mut secrets: Vec<String> = Vec::new();
    for p in &people {
        let plan = app.plan(p.id).expect("plan");
        secrets.extend([
            p.display_name.clone(),
            p.full_name.clone(),
            p.id.to_string(),
            plan.person.last_name.clone(),
        ]);
        secrets.extend(plan.plan.priorities.iter().map(|x| x.words.clone()));
        secrets.extend(plan.plan.difficulties.iter().map(|x| x.words.clone()));
        secrets.extend(plan.plan.actions.iter().map(|x| x.what.clone()));
    }
    secrets.retain(|s| s.chars().count() > 3);
    for kind in [
        NeedKind::Priorities,
        NeedKind::Difficulties,
        NeedKind::Orientations,
        NeedKind::Unmet,
    ] {
        for level in [
            PlaceLevel::Bassin,
            PlaceLevel::Commune,
            PlaceLevel::Quartier,
        ] {
            for length in [PeriodLength::Month, PeriodLength::Quarter] {
                let q = NeedsQuery {
                    kind,
                    level,
                    length,
                    period: None,
                };
                let t = app.needs_watch(&q, 5).expect("table");
                let exported =
                    needs::to_csv(&t).expect("csv") + &serde_json::to_string(&t).expect("json");
                for s in &secrets {
                    assert!(!exported.contains(s.as_str()), "{s} in {exported}");
                }
                for (cells, total) in lines(&t) {
                    let hidden =
                        cells.iter().filter(|c| c.is_none()).count() + usize::from(total.is_none());
                    assert_ne!(
                        hidden, 1,
                        "{kind:?} {level:?} {length:?}: {cells:?} {total:?}"
                    );
                    assert!(
                        !cells
                            .iter()
                            .chain([&total])
                            .any(|c| c.is_some_and(|v| v > 0 && v < 5))
                    );
                }
            }
        }
    }
    assert!(
        secrets.len() > 50,
        "the demo's names and words are looked for"
    );
}
