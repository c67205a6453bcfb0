//! The directory: HSDS import and export on the specification's own examples, every kind of bad file,
//! search (French and Dutch analysis, prefixes, typos), filters checked against a plain scan of the
//! cards, and the index reused across a restart.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use proxi::directory::demo;
use proxi::directory::hsds::{self, Fields, Tables};
use proxi::directory::index::{DirectoryIndex, ServiceQuery};
use proxi::directory::{self, ServiceCard, hours};
use proxi::error::ErrorCode;
use proxi::territory::Bassin;
use serde_json::Value;

use crate::support::{new_store, reopen};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds")
}

fn all_records(app: &mut proxi::Proxi) -> Tables {
    directory::tables(app.store_mut()).expect("the directory reads")
}

/// A value as the store keeps it, compared with what a file says: numbers and text by their text.
fn same(kept: &Value, given: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    };
    kept == given || text(kept) == text(given) || {
        let (a, b) = (text(kept).parse::<f64>(), text(given).parse::<f64>());
        matches!((a, b), (Ok(a), Ok(b)) if a == b)
    }
}

#[test]
fn the_csv_examples_import_export_and_import_again_with_nothing_lost() {
    let (dir, _, mut app) = new_store();
    let report = app
        .import_directory(&fixtures().join("csv"))
        .expect("the official CSV examples import");
    assert_eq!(report.added, report.records);
    let first = all_records(&mut app);
    // Every cell of every example row is in the record of that id.
    for (kind, file) in hsds::TABLES {
        let path = fixtures().join("csv").join(file);
        let mut reader = csv::Reader::from_path(&path).expect("a fixture");
        let header = reader.headers().expect("a header").clone();
        for row in reader.records() {
            let row = row.expect("a row");
            let id = &row[header.iter().position(|h| h == "id").expect("id column")];
            let record = &first[kind][id];
            for (column, cell) in header.iter().zip(row.iter()).filter(|(_, c)| !c.is_empty()) {
                let kept = record.get(column).unwrap_or(&Value::Null);
                assert!(
                    same(kept, &Value::from(cell)),
                    "{file} {column}: {kept} vs {cell}"
                );
            }
        }
    }
    let out = dir.path().join("export");
    let files = app.export_directory(&out, false).expect("exports");
    assert_eq!(
        files.len(),
        21 + 1,
        "20 tables, datapackage.json: {files:?}"
    );
    let package: Value =
        serde_json::from_slice(&fs::read(out.join("datapackage.json")).expect("written"))
            .expect("JSON");
    assert_eq!(package["resources"].as_array().map(Vec::len), Some(21));

    let (_d2, _, mut again) = new_store();
    again.import_directory(&out).expect("the export imports");
    assert_eq!(all_records(&mut again), first);
}

#[test]
fn each_json_example_imports_exports_and_imports_again_with_nothing_lost() {
    let mut files: Vec<PathBuf> = fs::read_dir(fixtures().join("json"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 9);
    for file in files {
        let (dir, _, mut app) = new_store();
        app.import_directory(&file)
            .unwrap_or_else(|e| panic!("{} imports: {e}", file.display()));
        let first = all_records(&mut app);
        // Every scalar of every object with an id is in that record.
        let given: Value = serde_json::from_slice(&fs::read(&file).expect("read")).expect("JSON");
        let mut checked = 0;
        check_leaves(&given, &first, &mut checked);
        assert!(
            checked > 3,
            "{}: only {checked} values checked",
            file.display()
        );

        let out = dir.path().join("export");
        app.export_directory(&out, true).expect("exports");
        let (_d2, _, mut again) = new_store();
        again
            .import_directory(&out)
            .unwrap_or_else(|e| panic!("the export of {} imports: {e}", file.display()));
        assert_eq!(all_records(&mut again), first, "{}", file.display());
    }
}

fn check_leaves(value: &Value, tables: &Tables, checked: &mut usize) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| check_leaves(v, tables, checked)),
        Value::Object(object) => {
            if let Some(Value::String(id)) = object.get("id") {
                let candidates: Vec<&Fields> = tables.values().filter_map(|t| t.get(id)).collect();
                assert!(!candidates.is_empty(), "the record {id} is missing");
                for (key, v) in object
                    .iter()
                    .filter(|(_, v)| !v.is_object() && !v.is_array())
                {
                    if v.is_null() {
                        continue;
                    }
                    assert!(
                        candidates
                            .iter()
                            .any(|r| r.get(key).is_some_and(|kept| same(kept, v))),
                        "{id}.{key} = {v} is lost"
                    );
                    *checked += 1;
                }
            }
            object
                .values()
                .for_each(|v| check_leaves(v, tables, checked));
        }
        _ => {}
    }
}

#[test]
fn importing_a_newer_version_updates_by_id_and_never_duplicates() {
    let (dir, _, mut app) = new_store();
    let first = app
        .import_directory(&fixtures().join("csv"))
        .expect("imports");
    let count =
        |app: &mut proxi::Proxi| all_records(app).values().map(BTreeMap::len).sum::<usize>();
    let before = count(&mut app);
    let again = app
        .import_directory(&fixtures().join("csv"))
        .expect("imports again");
    assert_eq!((again.added, again.updated), (0, first.records));
    assert_eq!(count(&mut app), before);

    let newer = copy_fixtures(dir.path());
    let services = newer.join("services.csv");
    let text = fs::read_to_string(&services).expect("read");
    fs::write(
        &services,
        text.replace("Community Counselling", "Écoute de quartier"),
    )
    .expect("write");
    app.import_directory(&newer)
        .expect("the newer version imports");
    assert_eq!(count(&mut app), before);
    let card = app
        .service("ac148810-d857-441c-9679-408f346de14b")
        .expect("the card");
    assert_eq!(card.name, "Écoute de quartier");
}

fn copy_fixtures(into: &Path) -> PathBuf {
    let dir = into.join(format!(
        "csv-{}",
        fs::read_dir(into).map_or(0, Iterator::count)
    ));
    fs::create_dir_all(&dir).expect("a folder");
    for entry in fs::read_dir(fixtures().join("csv")).expect("fixtures") {
        let path = entry.expect("entry").path();
        fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copied");
    }
    dir
}

/// Imports a broken copy of the examples into a directory that already holds them: the error names the
/// file, line and field, and the directory is as it was.
fn refused(change: impl FnOnce(&Path)) -> (String, Option<String>, String) {
    let (dir, _, mut app) = new_store();
    app.import_directory(&fixtures().join("csv"))
        .expect("imports");
    let before = all_records(&mut app);
    let broken = copy_fixtures(dir.path());
    change(&broken);
    let e = app.import_directory(&broken).expect_err("refused");
    assert_eq!(e.code(), ErrorCode::DirectoryFileInvalid, "{e}");
    assert!(e.to_string().ends_with("nothing was imported"), "{e}");
    assert_eq!(all_records(&mut app), before, "nothing changed");
    let proxi::Error::DirectoryFile(problem) = e else {
        panic!("a file problem")
    };
    let place = format!(
        "{}{}",
        problem.place.file,
        problem
            .place
            .line
            .map(|l| format!(":{l}"))
            .unwrap_or_default()
    );
    (place, problem.field, problem.reason)
}

fn edit(dir: &Path, file: &str, f: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, f(text)).expect("write");
}

#[test]
fn a_missing_column_is_refused_with_file_line_and_field() {
    let (place, field, _) = refused(|d| {
        edit(d, "services.csv", |t| {
            t.replacen("program_id,name,", "program_id,title,", 1)
        });
    });
    assert_eq!(
        (place.as_str(), field.as_deref()),
        ("services.csv:1", Some("name"))
    );
}

#[test]
fn a_word_where_a_number_goes_is_refused() {
    let (place, field, reason) = refused(|d| {
        edit(d, "locations.csv", |t| {
            t.replace(",100,101,", ",north,101,")
        });
    });
    assert_eq!(
        (place.as_str(), field.as_deref()),
        ("locations.csv:2", Some("latitude"))
    );
    assert!(reason.contains("north"), "{reason}");
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let (place, field, _) = refused(|d| {
        let path = d.join("organizations.csv");
        let mut bytes = fs::read(&path).expect("read");
        let at = bytes
            .windows(7)
            .position(|w| w == b"Example")
            .expect("a name");
        bytes[at] = 0xff;
        fs::write(&path, bytes).expect("write");
    });
    assert_eq!(place, "organizations.csv:2");
    assert_eq!(field.as_deref(), Some("name"));
}

#[test]
fn a_service_of_an_unknown_organization_is_refused() {
    let (place, field, reason) = refused(|d| {
        edit(d, "services.csv", |t| {
            t.replace(
                "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
                "no-such-organization",
            )
        });
    });
    assert_eq!(
        (place.as_str(), field.as_deref()),
        ("services.csv:2", Some("organization_id"))
    );
    assert!(reason.contains("no-such-organization"), "{reason}");
}

#[test]
fn a_duplicate_id_is_refused() {
    let (place, field, reason) = refused(|d| {
        edit(d, "phones.csv", |t| {
            let row = t.lines().nth(1).expect("a row").to_owned();
            format!("{t}{row}\n")
        });
    });
    assert_eq!(
        (place.as_str(), field.as_deref()),
        ("phones.csv:3", Some("id"))
    );
    assert!(reason.contains("twice"), "{reason}");
}

#[test]
fn an_empty_required_value_is_refused() {
    let (place, field, _) = refused(|d| {
        edit(d, "services.csv", |t| {
            t.replace(",Community Counselling,", ",,")
        });
    });
    assert_eq!(
        (place.as_str(), field.as_deref()),
        ("services.csv:2", Some("name"))
    );
}

#[test]
fn a_row_with_too_many_cells_is_refused() {
    let (place, _, _) = refused(|d| {
        edit(d, "taxonomies.csv", |t| {
            t.trim_end().to_owned() + ",extra\n"
        });
    });
    assert_eq!(place, "taxonomies.csv:2");
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let (place, _, reason) = refused(|d| {
        let file = fs::OpenOptions::new()
            .append(true)
            .open(d.join("schedules.csv"))
            .expect("open");
        file.set_len(hsds::MAX_FILE_BYTES + 1)
            .expect("a sparse file");
    });
    assert_eq!(place, "schedules.csv");
    assert!(reason.contains("MB"), "{reason}");
}

#[test]
fn broken_json_is_refused_with_its_line_or_path() {
    let (dir, _, mut app) = new_store();
    let cases: &[(&str, &str, &str)] = &[
        (
            "services.json",
            "{\n  \"id\": \"a\",\n  \"name\": \n}",
            "line 4",
        ),
        (
            "services.json",
            r#"[{"id": "s", "name": "S", "status": "active", "phones": [{"id": "p", "number": {"x": 1}}]}]"#,
            "[0].phones[0]",
        ),
        (
            "services.json",
            r#"[{"id": "s", "name": "S", "status": "active", "minimum_age": "twelve"}]"#,
            "minimum_age",
        ),
        (
            "services.json",
            r#"[{"id": "s", "name": "S", "status": "active", "widgets": [{"id": "w"}]}]"#,
            "widgets",
        ),
        (
            "services.json",
            r#"[{"name": "S", "status": "active"}]"#,
            "id",
        ),
        (
            "services.json",
            r#"[{"id": "s", "name": "S", "status": "active", "organization_id": "nobody"}]"#,
            "nobody",
        ),
        (
            "services.json",
            r#"[{"id": "s", "name": "S", "status": "active"}, {"id": "s", "name": "T", "status": "active"}]"#,
            "twice",
        ),
        (
            "things.json",
            r#"[{"id": "s"}]"#,
            "neither its name nor its content",
        ),
    ];
    for (name, text, says) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("write");
        let e = app.import_directory(&path).expect_err("refused");
        assert_eq!(e.code(), ErrorCode::DirectoryFileInvalid, "{e}");
        assert!(e.to_string().contains(says), "{text}: {e}");
    }
    assert!(all_records(&mut app).is_empty(), "nothing imported");
    let e = app
        .import_directory(&fixtures().join("csv/services.csv"))
        .expect_err("a lone table is refused");
    assert!(e.to_string().contains("folder"), "{e}");
}

// --- Search ---------------------------------------------------------------------------------

fn service(id: &str, name: &str, name_nl: &str, description: &str, description_nl: &str) -> Fields {
    let Value::Object(fields) = serde_json::json!({
        "id": id, "name": name, "name_nl": name_nl, "description": description,
        "description_nl": description_nl, "status": "active",
    }) else {
        unreachable!()
    };
    fields
}

fn small_index() -> DirectoryIndex {
    let mut tables: Tables = BTreeMap::new();
    let services = tables.entry("service").or_default();
    for fields in [
        service(
            "pain",
            "Consultation de la douleur",
            "Pijnconsultatie",
            "Pour la douleur chronique.",
            "Voor chronische pijn.",
        ),
        service(
            "debt",
            "Médiation de dettes",
            "Schuldbemiddeling",
            "Budget et dettes.",
            "Budget en schulden.",
        ),
        service(
            "sugar",
            "Éducation diabète",
            "Diabeteseducatie",
            "Apprendre à vivre avec le diabète.",
            "Leren leven met diabetes.",
        ),
        service(
            "home",
            "Aide familiale",
            "Gezinshulp",
            "Courses et ménage à la maison.",
            "Boodschappen en huishouden thuis.",
        ),
        service(
            "care",
            "Soins palliatifs à domicile",
            "Palliatieve thuiszorg",
            "Accompagnement en fin de vie.",
            "Begeleiding bij het levenseinde.",
        ),
    ] {
        let id = fields["id"].as_str().expect("id").to_owned();
        services.insert(id, fields);
    }
    DirectoryIndex::in_memory(&directory::cards(&tables)).expect("an index")
}

fn ids(index: &DirectoryIndex, text: &str) -> Vec<String> {
    let query = ServiceQuery {
        text: text.into(),
        ..ServiceQuery::default()
    };
    let mut ids: Vec<String> = index
        .search(&query, crate::support::start())
        .expect("searches")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn french_and_dutch_words_find_their_services() {
    let index = small_index();
    assert_eq!(
        ids(&index, "douleurs "),
        ["pain"],
        "a plural finds the singular"
    );
    assert_eq!(ids(&index, "DOULEUR "), ["pain"], "case");
    assert_eq!(ids(&index, "diabete "), ["sugar"], "accents");
    assert_eq!(ids(&index, "médiation dette "), ["debt"]);
    assert_eq!(ids(&index, "schulden "), ["debt"], "Dutch plural");
    assert_eq!(ids(&index, "pijn "), ["pain"], "Dutch");
    assert_eq!(ids(&index, "thuiszorg "), ["care"]);
    assert_eq!(
        ids(&index, "aide à la maison "),
        ["home"],
        "stop words carry nothing"
    );
    assert!(ids(&index, "logement ").is_empty());
}

#[test]
fn the_last_word_is_completed_as_it_is_typed() {
    let index = small_index();
    assert_eq!(ids(&index, "pall"), ["care"]);
    assert_eq!(ids(&index, "douleur chro"), ["pain"]);
    assert_eq!(ids(&index, "gezins"), ["home"]);
    assert!(
        ids(&index, "pall ").is_empty(),
        "a finished word is not a prefix"
    );
}

#[test]
fn one_typo_is_forgiven_in_words_of_five_letters_or_more() {
    let index = small_index();
    assert_eq!(ids(&index, "palliatfs "), ["care"]);
    assert_eq!(ids(&index, "diabte "), ["sugar"]);
    assert_eq!(
        ids(&index, "schuldbemideling "),
        ["debt"],
        "Dutch, one letter missing"
    );
    assert_eq!(ids(&index, "pijn "), ["pain"]);
    assert!(
        ids(&index, "pijm ").is_empty(),
        "short words must be exact: 'pijm' is not 'pijn'"
    );
    assert!(
        ids(&index, "dialyse ").is_empty(),
        "two letters away is another word"
    );
}

/// What a plain scan keeps.
type Keep = Box<dyn Fn(&ServiceCard) -> bool>;

/// Every filter, alone and combined, gives exactly the services a plain scan of the cards gives.
#[test]
fn filters_give_what_a_plain_scan_of_the_cards_gives() {
    let set = demo::generate(400, 3);
    let tables = set.to_tables();
    let cards = directory::cards(&tables);
    let index = DirectoryIndex::in_memory(&cards).expect("an index");
    // Tuesday 24 November 2026, 10:15 in Brussels; then 12:30.
    let morning: jiff::Timestamp = "2026-11-24T09:15:00Z".parse().expect("instant");
    let lunch: jiff::Timestamp = "2026-11-24T11:30:00Z".parse().expect("instant");
    let queries: Vec<(ServiceQuery, Keep)> = vec![
        (
            ServiceQuery {
                bassins: vec![Bassin::Sud],
                ..Default::default()
            },
            Box::new(|c| c.places.iter().any(|p| p.bassin == Some(Bassin::Sud))),
        ),
        (
            ServiceQuery {
                communes: vec!["21009".into(), "21016".into()],
                ..Default::default()
            },
            Box::new(|c| {
                c.places
                    .iter()
                    .any(|p| matches!(p.nis.as_deref(), Some("21009" | "21016")))
            }),
        ),
        (
            ServiceQuery {
                languages: vec!["ar".into()],
                ..Default::default()
            },
            Box::new(|c| c.languages.iter().any(|l| l == "ar")),
        ),
        (
            ServiceQuery {
                themes: vec!["diabetes".into()],
                ..Default::default()
            },
            Box::new(|c| c.themes.iter().any(|t| t.code == "diabetes")),
        ),
        (
            ServiceQuery {
                free_or_low_cost: true,
                ..Default::default()
            },
            Box::new(|c| c.free_or_low_cost),
        ),
        (
            ServiceQuery {
                wheelchair: true,
                ..Default::default()
            },
            Box::new(|c| c.wheelchair),
        ),
        (
            ServiceQuery {
                open_now: true,
                ..Default::default()
            },
            Box::new(move |c| hours::open_at(&c.hours, morning)),
        ),
        (
            ServiceQuery {
                bassins: vec![Bassin::Nord],
                languages: vec!["nl".into()],
                free_or_low_cost: true,
                wheelchair: true,
                ..Default::default()
            },
            Box::new(|c| {
                c.places.iter().any(|p| p.bassin == Some(Bassin::Nord))
                    && c.languages.iter().any(|l| l == "nl")
                    && c.free_or_low_cost
                    && c.wheelchair
            }),
        ),
    ];
    for (mut query, keep) in queries {
        query.limit = Some(1000);
        let result = index.search(&query, morning).expect("searches");
        let mut found: Vec<String> = result.hits.iter().map(|h| h.id.clone()).collect();
        found.sort();
        let mut expected: Vec<String> = cards
            .iter()
            .filter(|c| keep(c))
            .map(|c| c.id.clone())
            .collect();
        expected.sort();
        assert!(!expected.is_empty(), "{query:?} should match some of 400");
        assert!(
            expected.len() < cards.len(),
            "{query:?} should not match all"
        );
        assert_eq!(found, expected, "{query:?}");
        assert_eq!(result.total as usize, expected.len());
    }
    // The map: how many of all the matching services (not only the hits shown) each quartier holds.
    let debts = index
        .search(
            &ServiceQuery {
                themes: vec!["debts".into()],
                limit: Some(5),
                ..Default::default()
            },
            morning,
        )
        .expect("searches");
    let mut expected: BTreeMap<u32, u32> = BTreeMap::new();
    for card in cards
        .iter()
        .filter(|c| c.themes.iter().any(|t| t.code == "debts"))
    {
        for code in card.places.iter().filter_map(|p| p.quartier) {
            *expected.entry(code).or_default() += 1;
        }
    }
    assert_eq!(debts.hits.len(), 5);
    assert_eq!(debts.by_quartier, expected.into_iter().collect::<Vec<_>>());
    // And a quartier as a filter.
    let (busiest, n) = debts
        .by_quartier
        .iter()
        .max_by_key(|(_, n)| *n)
        .copied()
        .expect("some");
    let there = index
        .search(
            &ServiceQuery {
                quartiers: vec![busiest],
                themes: vec!["debts".into()],
                limit: Some(1000),
                ..Default::default()
            },
            morning,
        )
        .expect("searches");
    assert_eq!(there.total, n);
    assert!(there.hits.iter().all(|h| h.quartier == Some(busiest)));

    let at_lunch = index
        .search(
            &ServiceQuery {
                open_now: true,
                limit: Some(1000),
                ..Default::default()
            },
            lunch,
        )
        .expect("searches");
    let open_at_lunch = cards
        .iter()
        .filter(|c| hours::open_at(&c.hours, lunch))
        .count();
    assert_eq!(at_lunch.total as usize, open_at_lunch);
    assert_eq!(open_at_lunch, 0, "the demo services close for lunch");
}

#[test]
fn the_index_is_reused_after_a_restart_and_rebuilt_after_an_import() {
    let (_dir, path, mut app) = new_store();
    app.import_directory_records(&demo::generate(50, 1))
        .expect("imports");
    let query = ServiceQuery {
        text: "dettes".into(),
        ..Default::default()
    };
    let before = app.search_services(&query).expect("searches");
    assert!(before.total > 0);
    assert_eq!(app.directory_index_state(), Some((1, false)));
    drop(app);

    let mut app = reopen(&path);
    assert_eq!(app.search_services(&query).expect("searches"), before);
    assert_eq!(
        app.directory_index_state(),
        Some((1, true)),
        "reused, not rebuilt"
    );

    app.import_directory(&fixtures().join("csv"))
        .expect("imports");
    let counselling = app
        .search_services(&ServiceQuery {
            text: "counselling".into(),
            ..Default::default()
        })
        .expect("searches");
    assert_eq!(counselling.total, 1);
    assert_eq!(app.directory_index_state(), Some((2, false)));

    // An index from another generation (an import made elsewhere) is not trusted.
    let folder = proxi::directory::index::folder_for(&path);
    assert!(DirectoryIndex::open(&folder, 1).is_none());
    assert!(DirectoryIndex::open(&folder, 2).is_some());
}

#[test]
fn a_service_card_says_where_when_and_how() {
    let (_dir, _, mut app) = new_store();
    app.import_directory_records(&demo::generate(20, 1))
        .expect("imports");
    let card = app.service("svc-3").expect("the card");
    let place = &card.places[0];
    assert!(
        place
            .street
            .as_deref()
            .is_some_and(|s| s.starts_with("Rue de l'Exemple"))
    );
    assert!(place.commune_fr.is_some() && place.bassin.is_some());
    assert!(
        place.quartier.is_some(),
        "placed in its quartier: {place:?}"
    );
    assert!(!card.phones.is_empty() && !card.hours.is_empty());
    assert!(card.languages.contains(&"fr".to_owned()));
    assert!(card.application_process.is_some() && card.last_checked.is_some());
    assert_eq!(
        app.service("nope").expect_err("unknown").code(),
        ErrorCode::ServiceNotFound
    );
}

#[test]
fn an_action_orients_to_a_service_and_the_sheet_names_it_in_the_persons_language() {
    use proxi::domain::{ActionInput, Who};
    let (dir, _, mut app) = new_store();
    app.import_directory_records(&demo::generate(20, 1))
        .expect("imports");
    let mut someone = crate::support::someone("Marie");
    someone.languages = vec!["nl".into()];
    let person = app.create_person(someone).expect("a person");
    let action = |id: &str| ActionInput {
        what: "Bellen voor een afspraak".into(),
        who: Who::Service { id: id.into() },
        due: None,
        priority_id: None,
        outcome: String::new(),
    };
    let e = app
        .add_action(person, action("svc-404"))
        .expect_err("unknown");
    assert_eq!(e.code(), ErrorCode::ServiceNotFound);
    app.add_action(person, action("svc-3")).expect("oriented");
    let card = app.service("svc-3").expect("card");

    let pdf = app.sheet(person, None, None).expect("a sheet");
    let path = dir.path().join("sheet.pdf");
    fs::write(&path, pdf).expect("written");
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let name_nl = card.name_nl.expect("a Dutch name");
    assert!(text.contains(&name_nl), "{name_nl} not in: {text}");
    assert!(
        text.contains(&card.phones[0]),
        "{} not in: {text}",
        card.phones[0]
    );
}

#[test]
fn the_language_filter_offers_every_language_the_services_declare() {
    let set = demo::generate(400, 3);
    let tables = set.to_tables();
    let cards = directory::cards(&tables);
    let index = DirectoryIndex::in_memory(&cards).expect("an index");
    let mut declared: Vec<String> = cards
        .iter()
        .flat_map(|c| c.languages.iter().map(|l| l.to_ascii_lowercase()))
        .collect();
    declared.sort();
    declared.dedup();
    let offered = index.languages().expect("languages");
    assert_eq!(offered, declared);
    // The social interpreting services bring the languages of Brussels beyond the usual eight.
    for code in ["ary", "ti", "prs", "so"] {
        assert!(offered.iter().any(|l| l == code), "{code} in {offered:?}");
    }
    // And a search for interpreting in Tigrinya finds them.
    let found = index
        .search(
            &ServiceQuery {
                languages: vec!["ti".into()],
                themes: vec!["interpreting".into()],
                ..Default::default()
            },
            jiff::Timestamp::UNIX_EPOCH,
        )
        .expect("search");
    assert!(found.total > 0);
    assert!(
        found
            .hits
            .iter()
            .all(|h| h.themes.iter().any(|t| t == "interpreting"))
    );
}

/// What the report says of a missing field: (the value filled in, how many), once per value.
fn missing(
    report: &directory::ImportReport,
    table: &str,
    field: &str,
) -> Vec<(Option<String>, u32)> {
    report
        .missing
        .iter()
        .filter(|m| m.table == table && m.field == field)
        .map(|m| (m.filled.clone(), m.count))
        .collect()
}

#[test]
fn a_belgian_services_list_with_any_name_comes_in_with_a_report_of_what_was_missing() {
    let (dir, _, mut app) = new_store();
    let be = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-be");
    // The file's name says nothing: its content says it holds services.
    let report = app
        .import_directory(&be.join("liste-services-bruxelles-2026.json"))
        .expect("a Brussels list comes in");
    assert_eq!(report.services, 3);
    assert_eq!(
        report
            .guessed
            .iter()
            .map(|g| (g.file.as_str(), g.table.as_str()))
            .collect::<Vec<_>>(),
        vec![("liste-services-bruxelles-2026.json", "service")]
    );
    // Field by field: filled in where Proxi knows the value, else left empty; how many of each.
    assert_eq!(
        missing(&report, "address", "state_province"),
        vec![(Some("BE-BRU".into()), 3)]
    );
    assert_eq!(
        missing(&report, "address", "country"),
        vec![(Some("BE".into()), 3)]
    );
    assert_eq!(
        missing(&report, "address", "address_type"),
        vec![(Some("physical".into()), 3)]
    );
    assert_eq!(
        missing(&report, "service", "status"),
        vec![(Some("active".into()), 3)]
    );
    assert_eq!(
        missing(&report, "location", "location_type"),
        vec![(Some("physical".into()), 3)]
    );
    assert_eq!(
        missing(&report, "organization", "description"),
        vec![(None, 3)]
    );
    let note = report
        .missing
        .iter()
        .find(|m| m.table == "organization")
        .expect("a note");
    assert_eq!(note.examples, vec!["be-org-1", "be-org-2", "be-org-3"]);
    assert!(missing(&report, "service", "name").is_empty());

    // Found as any service, and exported as valid HSDS again (the filled-in values included).
    let found = app
        .search_services(&ServiceQuery {
            text: "permanence sociale".into(),
            ..ServiceQuery::default()
        })
        .expect("searches");
    assert_eq!(found.hits.first().map(|h| h.id.as_str()), Some("be-svc-1"));
    let tables = all_records(&mut app);
    assert_eq!(tables["address"]["be-adr-2"]["state_province"], "BE-BRU");
    assert!(
        tables["organization"]["be-org-1"]
            .get("description")
            .is_none()
    );
    let out = dir.path().join("out");
    app.export_directory(&out, true).expect("exported");
    let again = {
        let (_dir2, _, mut other) = new_store();
        other
            .import_directory(&out.join("services.json"))
            .expect("reads back");
        all_records(&mut other)
    };
    assert_eq!(again["address"]["be-adr-1"]["country"], "BE");

    // A table of a CSV export, its name the exporter's own: its columns say it holds addresses. A
    // postal code outside Brussels gets no region.
    let folder = dir.path().join("export");
    fs::create_dir_all(&folder).expect("dir");
    fs::copy(
        be.join("adresses-export.csv"),
        folder.join("adresses-export.csv"),
    )
    .expect("copy");
    let report = app
        .import_directory(&folder)
        .expect("the addresses come in");
    assert_eq!(report.guessed[0].table, "address");
    assert_eq!(
        missing(&report, "address", "state_province"),
        vec![(None, 1), (Some("BE-BRU".into()), 1)]
    );
    assert_eq!(
        missing(&report, "address", "country"),
        vec![(Some("BE".into()), 2)]
    );
    let tables = all_records(&mut app);
    assert!(
        tables["address"]["be-adr-10"]
            .get("state_province")
            .is_none()
    );
}

#[test]
fn a_belgian_list_whose_ids_links_or_types_are_broken_is_still_refused_whole_with_the_place() {
    let (dir, _, mut app) = new_store();
    let be = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-be");
    let good = fs::read_to_string(be.join("liste-services-bruxelles-2026.json")).expect("fixture");
    for (change, says) in [
        (good.replacen("\"id\": \"be-adr-2\",", "", 1), "contents[1].service_at_locations[0].location.addresses[0], field id"),
        (good.replacen("\"latitude\": 50.86,", "\"latitude\": \"nord\",", 1), "field latitude: expected a number"),
        (
            good.replacen("\"organization\": {\n    \"id\": \"be-org-3\",\n    \"name\": \"Zorgcentrum Voorbeeld\"\n   },", "\"organization_id\": \"be-org-99\",", 1),
            "be-org-99, which is neither in this import nor in the directory",
        ),
        (good.replacen("\"name\": \"Soins infirmiers à domicile Nord (fictif)\",", "", 1), "a service must have a name"),
    ] {
        assert_ne!(change, good, "{says}: the fixture changed");
        let path = dir.path().join("annuaire.json");
        fs::write(&path, &change).expect("write");
        let e = app.import_directory(&path).expect_err("refused");
        assert_eq!(e.code(), ErrorCode::DirectoryFileInvalid);
        assert!(e.to_string().contains(says), "{says}: {e}");
        assert!(all_records(&mut app).is_empty(), "{says}: nothing imported");
    }
}
