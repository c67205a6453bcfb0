//! The `proxi` command line, run as a process without a terminal.

use std::process::{Command, Output, Stdio};

use proxi::domain::PlanDocument;

pub fn proxi(store: &std::path::Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_proxi"));
    cmd.arg("--store")
        .arg(store)
        .args(args)
        .stdin(Stdio::null())
        .env_remove("PROXI_PASSPHRASE")
        .env_remove("PROXI_STORE");
    if let Some(p) = passphrase {
        cmd.env("PROXI_PASSPHRASE", p);
    }
    cmd.output().expect("run proxi")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn demo_list_show_export_from_a_script() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("demo.db");

    let out = proxi(&store, None, &["demo"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("set PROXI_PASSPHRASE"),
        "{}",
        text(&out.stderr)
    );
    assert!(!store.exists(), "nothing is created without a passphrase");

    let out = proxi(&store, Some("demo"), &["demo"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("24 fictional people"));

    let out = proxi(&store, Some("demo"), &["person", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = text(&out.stdout);
    let lines: Vec<&str> = list.lines().collect();
    assert!(lines.len() >= 20, "{list}");
    for line in &lines {
        let id = line.split_whitespace().next().expect("an id first");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{line}");
    }
    let herve = lines
        .iter()
        .find(|l| l.contains("Hervé Exemple"))
        .expect("Hervé is listed");
    let id = herve.split_whitespace().next().expect("id");

    let out = proxi(
        &store,
        Some("demo"),
        &["person", "list", "--search", "HERVE"],
    );
    assert_eq!(text(&out.stdout).lines().count(), 1);

    let out = proxi(&store, Some("demo"), &["plan", "show", id]);
    let shown = text(&out.stdout);
    for part in [
        "What matters to me",
        "Pouvoir aller au marché",
        "What we agreed",
        "My network",
        "02 000 50 00",
    ] {
        assert!(shown.contains(part), "{part} missing from:\n{shown}");
    }

    let out = proxi(&store, Some("demo"), &["plan", "show", id, "--json"]);
    let plan: PlanDocument =
        serde_json::from_slice(&out.stdout).expect("the JSON is a plan document");
    assert_eq!(plan.person.display_name, "Hervé");

    let file = dir.path().join("herve.json");
    let out = proxi(
        &store,
        Some("demo"),
        &["export", id, "-o", file.to_str().expect("path")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let export: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("file")).expect("json");
    assert_eq!(export["plan"]["person"]["lastName"], "Exemple");

    let sheet = dir.path().join("herve.pdf");
    let out = proxi(
        &store,
        Some("demo"),
        &[
            "print",
            id,
            "--lang",
            "nl",
            "-o",
            sheet.to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read(&sheet).expect("pdf").starts_with(b"%PDF-"));
    let out = proxi(
        &store,
        Some("demo"),
        &[
            "print",
            id,
            "--lang",
            "xx",
            "-o",
            sheet.to_str().expect("path"),
        ],
    );
    assert!(
        text(&out.stderr).contains("no sheet language 'xx'"),
        "{}",
        text(&out.stderr)
    );

    let out = proxi(&store, Some("demo"), &["due", "--days", "3650"]);
    assert!(text(&out.stdout).lines().count() >= 20);

    // The follow-up list: the demo's orientations to home help have had no news for weeks.
    let out = proxi(&store, Some("demo"), &["follow-up", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let stuck = list["stuck"].as_array().expect("stuck");
    assert!(stuck.len() >= 3, "{list}");
    assert!(stuck.iter().all(|o| o["step"] == "contacted"), "{list}");
    assert_eq!(list["stuckAfterDays"], 14);
    let out = proxi(&store, Some("demo"), &["follow-up", "--stuck-after", "90"]);
    let words = text(&out.stdout);
    assert!(
        words.ends_with("Orientations at one step for 90 days or more:\n"),
        "{words}"
    );
    let out = proxi(&store, Some("demo"), &["follow-up", "--stuck-after", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));

    let out = proxi(&store, Some("wrong"), &["person", "list"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("passphrase does not open the store"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !text(&out.stderr).contains("sqlcipher"),
        "no library noise: {}",
        text(&out.stderr)
    );

    let out = proxi(&store, Some("demo"), &["demo"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );

    let out = proxi(&store, Some("demo"), &["plan", "show", "not-an-id"]);
    assert!(!out.status.success());
    let out = proxi(
        &store,
        Some("demo"),
        &["plan", "show", "00000000-0000-0000-0000-000000000000"],
    );
    assert!(
        text(&out.stderr).contains("no person with id"),
        "{}",
        text(&out.stderr)
    );
    let out = proxi(&store, Some("demo"), &["check"]);
    assert_eq!(text(&out.stdout).trim(), "ok");

    let out = proxi(&store, Some("demo"), &["audit", "--person", id]);
    let audit = text(&out.stdout);
    for action in ["open", "print", "export"] {
        assert!(audit.contains(action), "{action} not audited:\n{audit}");
    }
    let out = proxi(&store, Some("demo"), &["erase", id]);
    assert!(
        !out.status.success() && text(&out.stderr).contains("--yes"),
        "{}",
        text(&out.stderr)
    );
    let out = proxi(&store, Some("demo"), &["erase", id, "--yes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = proxi(
        &store,
        Some("demo"),
        &["person", "list", "--search", "herve"],
    );
    assert_eq!(text(&out.stdout).lines().count(), 0, "Hervé is erased");
    let out = proxi(&store, Some("demo"), &["audit", "--limit", "1"]);
    assert!(text(&out.stdout).contains("erase") && text(&out.stdout).contains("(erased)"));
}

#[test]
fn the_same_sheet_printed_by_two_processes_is_the_same_file() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("unused.db");
    let mut files = Vec::new();
    for n in 0..2 {
        let file = dir.path().join(format!("sample{n}.pdf"));
        let out = proxi(
            &store,
            None,
            &[
                "print",
                "--sample",
                "--date",
                "2026-11-23",
                "-o",
                file.to_str().expect("path"),
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        files.push(std::fs::read(&file).expect("pdf"));
    }
    assert!(
        files[0] == files[1],
        "two processes printed different bytes"
    );
}

#[test]
fn init_shows_a_recovery_key_that_sets_a_new_passphrase() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("proxi.db");
    let out = proxi(
        &store,
        Some("first passphrase"),
        &["init", "--author", "Marie"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let recovery = shown
        .lines()
        .last()
        .expect("the key is the last line")
        .trim()
        .to_owned();
    assert_eq!(recovery.split('-').count(), 10, "{shown}");
    let recover = |key: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_proxi"));
        cmd.args([
            "--store",
            store.to_str().expect("path"),
            "passphrase",
            "recover",
        ])
        .stdin(Stdio::null())
        .env_remove("PROXI_PASSPHRASE")
        .env("PROXI_RECOVERY_KEY", key)
        .env("PROXI_NEW_PASSPHRASE", "second passphrase");
        cmd.output().expect("run proxi")
    };
    let out = recover("0000-0000-0000-0000-0000-0000-0000-0000-0000-0000");
    assert!(
        text(&out.stderr).contains("recovery key does not open"),
        "{}",
        text(&out.stderr)
    );
    let out = recover(&recovery);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = proxi(&store, Some("first passphrase"), &["person", "list"]);
    assert!(
        text(&out.stderr).contains("passphrase does not open"),
        "the old passphrase is refused"
    );
    let out = proxi(&store, Some("second passphrase"), &["person", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn demo_can_be_sized_for_measures_and_refuses_a_bad_count() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("many.db");
    let out = proxi(&store, Some("demo"), &["demo", "--count", "many"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--count"),
        "{}",
        text(&out.stderr)
    );
    assert!(!store.exists(), "nothing is created for a bad count");

    let out = proxi(&store, Some("demo"), &["demo", "--count", "30"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("30 fictional people"));
    let out = proxi(&store, Some("demo"), &["person", "list"]);
    assert_eq!(text(&out.stdout).lines().count(), 30);
}

#[test]
fn the_directory_from_a_script_import_search_export_and_a_clear_refusal() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("p.db");
    let out = proxi(&store, Some("pw"), &["init"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hsds/csv");
    let out = proxi(&store, Some("pw"), &["directory", "import", fixtures]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("21 records (21 new, 0 updated)"), "{said}");
    assert!(said.contains("the directory has 1 services"), "{said}");

    let out = proxi(&store, Some("pw"), &["directory", "search", "counsel"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = text(&out.stdout);
    let first = lines.lines().next().expect("a line");
    assert_eq!(
        first,
        "ac148810-d857-441c-9679-408f346de14b\tCommunity Counselling\tExample Organization Inc.\t-"
    );

    let out = proxi(
        &store,
        Some("pw"),
        &["directory", "search", "x", "--bassin", "ouest"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no bassin is called ouest"),
        "{}",
        text(&out.stderr)
    );

    let export = dir.path().join("out");
    let out = proxi(
        &store,
        Some("pw"),
        &[
            "directory",
            "export",
            export.to_str().expect("path"),
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(export.join("services.json").exists() && export.join("unlinked.json").exists());

    let broken = dir.path().join("services.json");
    std::fs::write(
        &broken,
        "[{\"id\": \"s\", \"name\": \"S\", \"status\": \"active\", \"maximum_age\": \"old\"}]",
    )
    .expect("write");
    let out = proxi(
        &store,
        Some("pw"),
        &["directory", "import", broken.to_str().expect("path")],
    );
    assert!(!out.status.success());
    let e = text(&out.stderr);
    assert!(e.contains("services.json at [0], field maximum_age: expected a number, found \"old\"; nothing was imported"), "{e}");
}

/// The command line alone: a store, a person, a plan with priorities, actions, a network and a
/// consent; corrections; the sheet printed, everything exported, the person erased. Exit codes: 0,
/// 1 for a refused input (its code in brackets, nothing stored), 2 for a wrong command.
#[test]
fn a_whole_plan_from_the_command_line_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("cli.db");
    let pass = Some("a long enough passphrase for tests");
    let run = |args: &[&str]| {
        let out = proxi(&store, pass, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let id_of = |json: String| -> String {
        let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        v["id"].as_str().expect("an id").to_owned()
    };
    run(&["init", "--author", "Référente CLI"]);
    let person = id_of(run(&[
        "person",
        "add",
        "--first-name",
        "Zénobe",
        "--last-name",
        "Exemple",
        "--language",
        "fr",
        "--postal-code",
        "1000",
        "--commune",
        "Bruxelles",
        "--json",
    ]));

    // A refused input: exit 1, its code in brackets, nothing stored.
    let out = proxi(
        &store,
        pass,
        &["person", "edit", &person, "--postal-code", "99"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[PostalCodeInvalid]"),
        "{}",
        text(&out.stderr)
    );
    // A wrong command: exit 2.
    let out = proxi(&store, pass, &["plan", "add-priority"]);
    assert_eq!(out.status.code(), Some(2));

    run(&[
        "person",
        "edit",
        &person,
        "--postal-code",
        "1090",
        "--commune",
        "Jette",
        "--phone",
        "02 000 00 07",
    ]);
    let walk = id_of(run(&[
        "plan",
        "add-priority",
        &person,
        "Marcher jusqu'au parc",
        "--card",
        "moving",
        "--json",
    ]));
    run(&[
        "plan",
        "add-priority",
        &person,
        "Voir mes petits-enfants",
        "--card",
        "family",
    ]);
    run(&[
        "plan",
        "add-priority",
        &person,
        "Dormir mieux",
        "--card",
        "sleep",
    ]);
    let due = jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(10))
        .expect("date")
        .to_string();
    let later = jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(17))
        .expect("date")
        .to_string();
    let action = id_of(run(&[
        "plan",
        "add-action",
        &person,
        "Demander un déambulateur",
        "--who",
        "referent",
        "--due",
        &due,
        "--priority",
        &walk,
        "--json",
    ]));
    let gp = id_of(run(&[
        "plan",
        "add-member",
        &person,
        "Dr Exemple",
        "--role",
        "gp",
        "--phone",
        "02 000 00 01",
        "--json",
    ]));
    run(&[
        "plan",
        "add-action",
        &person,
        "Appeler le médecin",
        "--who",
        &format!("member:{gp}"),
        "--due",
        &due,
    ]);
    run(&["plan", "consent", &person, "--keep", "--share"]);
    run(&["plan", "edit-action", &person, &action, "--due", &later]);
    run(&[
        "plan",
        "action-status",
        &person,
        &action,
        "done",
        "--outcome",
        "Livré mardi",
    ]);
    run(&["plan", "priority-status", &person, &walk, "let-go"]);
    let cleaning = id_of(run(&[
        "plan",
        "add-action",
        &person,
        "Trouver une aide au ménage",
        "--who",
        "referent",
        "--json",
    ]));
    let out = proxi(
        &store,
        pass,
        &["plan", "orientation", &person, &cleaning, "appointment"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[AppointmentDateMissing]"),
        "{}",
        text(&out.stderr)
    );
    run(&[
        "plan",
        "orientation",
        &person,
        &cleaning,
        "no-service-found",
        "--theme",
        "home-help",
        "--note",
        "Pas de place à Jette",
    ]);
    assert!(run(&["needs"]).contains("home-help  1090 Jette  Nord"));
    run(&["plan", "add-visit", &person, "--notes", "Première visite"]);
    // Any edit of the window, as its JSON.
    run(&[
        "plan",
        "apply",
        &person,
        r#"{"kind":"setReviewDate","date":null}"#,
    ]);

    let plan: PlanDocument =
        serde_json::from_str(&run(&["plan", "show", &person, "--json"])).expect("plan");
    assert_eq!(plan.person.address.commune, "Jette");
    assert_eq!(plan.plan.priorities.len(), 3);
    assert_eq!(plan.plan.network[0].name, "Dr Exemple");
    let done = plan
        .plan
        .actions
        .iter()
        .find(|a| a.what == "Demander un déambulateur")
        .expect("action");
    assert_eq!(done.due.map(|d| d.to_string()), Some(later.clone()));
    assert_eq!(done.outcome, "Livré mardi");
    assert!(
        plan.consent
            .as_ref()
            .is_some_and(|c| c.keep_plan && c.share_with_team)
    );

    let history = run(&["plan", "history", &person]);
    assert!(
        history.contains(&format!(
            r#"action "Demander un déambulateur" due: "{due}" -> "{later}""#
        )),
        "{history}"
    );

    let sheet = dir.path().join("sheet.pdf");
    run(&["print", &person, "-o", sheet.to_str().expect("path")]);
    let words = std::process::Command::new("pdftotext")
        .arg(&sheet)
        .arg("-")
        .output()
        .expect("pdftotext");
    let words = text(&words.stdout);
    assert!(
        words.contains("Zénobe") && words.contains("Voir mes petits-enfants"),
        "{words}"
    );
    // A person who speaks only Swahili: the sheet speaks none of their languages, so the command
    // asks for one instead of printing French; in Arabic, the sheet's words are Arabic.
    let amani = id_of(run(&[
        "person",
        "add",
        "--first-name",
        "Amani",
        "--language",
        "sw",
        "--json",
    ]));
    let out = proxi(
        &store,
        pass,
        &["print", &amani, "-o", sheet.to_str().expect("path")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[SheetLanguageMissing]")
            && text(&out.stderr).contains("--lang"),
        "{}",
        text(&out.stderr)
    );
    run(&[
        "print",
        &amani,
        "--lang",
        "ar",
        "-o",
        sheet.to_str().expect("path"),
    ]);
    let words = std::process::Command::new("pdftotext")
        .arg(&sheet)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(
        text(&words.stdout).contains("ما يهمني"),
        "{}",
        text(&words.stdout)
    );
    // Read aloud in Arabic (espeak-ng): the sheet's words, then the sound; Lingala has no voice.
    let words = run(&["speak", &amani, "--lang", "ar", "--text"]);
    assert!(
        words.contains("ما يهمني") && words.contains("Amani"),
        "{words}"
    );
    let wav = dir.path().join("sheet.wav");
    run(&[
        "speak",
        &amani,
        "--lang",
        "ar",
        "-o",
        wav.to_str().expect("path"),
    ]);
    let sound = std::fs::read(&wav).expect("the WAV file");
    assert!(
        sound.starts_with(b"RIFF") && sound.len() > 20_000,
        "{} bytes",
        sound.len()
    );
    let out = proxi(&store, pass, &["speak", &amani, "--lang", "ln"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[SpeechUnavailable]"),
        "{}",
        text(&out.stderr)
    );

    // Her record is written in French, Dutch or English: asked, never guessed.
    let amani_record = dir.path().join("amani.pdf");
    let out = proxi(
        &store,
        pass,
        &[
            "export",
            &amani,
            "--pdf",
            amani_record.to_str().expect("path"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("[SheetLanguageMissing]"));
    run(&[
        "export",
        &amani,
        "--lang",
        "fr",
        "--pdf",
        amani_record.to_str().expect("path"),
    ]);
    assert!(amani_record.exists());

    let record = dir.path().join("record.pdf");
    let json = run(&["export", &person, "--pdf", record.to_str().expect("path")]);
    assert!(json.contains("proxi.person/1"));
    assert!(record.exists());

    run(&["erase", &person, "--yes"]);
    assert!(!run(&["person", "list", "--all"]).contains("Zénobe"));
    let out = proxi(&store, pass, &["plan", "show", &person]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[PersonNotFound]"),
        "{}",
        text(&out.stderr)
    );
}

/// Every `proxi …` command the README lists exists: its subcommand is named in the `--help` of its
/// parent (so the README's list of what the command line does stays true).
#[test]
fn every_command_the_readme_names_is_in_the_help() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("## The command line")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the README's command-line section");
    let help = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_proxi"))
            .args(args)
            .arg("--help")
            .output()
            .expect("run proxi");
        assert!(out.status.success(), "{args:?} --help");
        text(&out.stdout)
    };
    let mut checked = 0;
    for line in section.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("proxi ") else {
            continue;
        };
        // `proxi --store a.db team create …` → ["team", "create"]
        let words: Vec<&str> = rest
            .split_whitespace()
            .filter(|w| !w.starts_with('#'))
            .collect();
        let words: Vec<&str> = if words.first() == Some(&"--store") {
            words[2..].to_vec()
        } else {
            words
        };
        let command = words[0];
        assert!(
            help(&[]).contains(&format!("  {command} ")),
            "the README names `proxi {command}`, which --help does not list"
        );
        if let Some(sub) = words
            .get(1)
            .filter(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            && ["person", "plan", "team", "directory", "passphrase"].contains(&command)
        {
            assert!(
                help(&[command]).contains(&format!("  {sub} ")),
                "the README names `proxi {command} {sub}`, which `proxi {command} --help` does not list"
            );
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} commands found in the README");
}

/// Hospital liaison from the command line alone: a stay, a checklist action, the liaison sheet; the
/// FHIR export refused without consent (exit 1, its code), then allowed; the Bundle read into another
/// person as proposals, one accepted; a bad file refused with its path, nothing stored.
#[test]
fn hospital_liaison_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let store = dir.path().join("cli.db");
    let pass = Some("a long enough passphrase for tests");
    let run = |args: &[&str]| {
        let out = proxi(&store, pass, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout).trim().to_owned()
    };
    run(&["init", "--author", "Référente CLI"]);
    let add = |name: &str| {
        let v: serde_json::Value = serde_json::from_str(&run(&[
            "person",
            "add",
            "--first-name",
            name,
            "--language",
            "fr",
            "--json",
        ]))
        .expect("JSON");
        v["id"].as_str().expect("id").to_owned()
    };
    let (zenobe, odile) = (add("Zénobe"), add("Odile"));
    run(&[
        "plan",
        "add-priority",
        &zenobe,
        "Rentrer chez moi",
        "--card",
        "home",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run(&[
        "stay",
        "admit",
        &zenobe,
        "--hospital",
        "Hôpital Fictif",
        "--date",
        "2026-11-20",
        "--json",
    ]))
    .expect("JSON");
    let stay = v["id"].as_str().expect("id").to_owned();
    run(&[
        "stay",
        "checklist",
        &zenobe,
        &stay,
        "home-nursing",
        "Infirmière à domicile",
        "--who",
        "referent",
    ]);
    let out = proxi(
        &store,
        pass,
        &["stay", "checklist", &zenobe, &stay, "teleportation", "x"],
    );
    assert_eq!(out.status.code(), Some(1));
    let liaison = dir.path().join("liaison.pdf");
    run(&[
        "stay",
        "liaison",
        &zenobe,
        "--lang",
        "nl",
        "-o",
        liaison.to_str().expect("path"),
    ]);
    assert!(
        std::fs::read(&liaison)
            .expect("the PDF")
            .starts_with(b"%PDF")
    );

    let bundle = dir.path().join("bundle.json");
    let b = bundle.to_str().expect("path");
    let out = proxi(
        &store,
        pass,
        &["fhir", "export", &zenobe, "--to", "Dr Exemple", "-o", b],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[ShareNotConsented]"),
        "{}",
        text(&out.stderr)
    );
    assert!(!bundle.exists(), "nothing written");
    run(&[
        "plan",
        "consent",
        &zenobe,
        "--keep",
        "--professional",
        "Dr Exemple",
    ]);
    run(&["fhir", "export", &zenobe, "--to", "Dr Exemple", "-o", b]);
    let audit = run(&["audit", "--person", &zenobe]);
    assert!(
        audit.contains("share ")
            && audit.contains("shareRefused")
            && audit.contains("→ Dr Exemple"),
        "{audit}"
    );

    // The priority and the checklist's action; no network to propose.
    let read = run(&["fhir", "import", b, "--person", &odile]);
    assert!(
        read.starts_with("2 proposals from urn:uuid:") && read.ends_with("(0 already in the plan)"),
        "{read}"
    );
    let proposals = run(&["fhir", "proposals", &odile]);
    let goal = proposals
        .lines()
        .find(|l| l.contains("goal: Rentrer chez moi"))
        .expect("the goal proposed");
    run(&[
        "fhir",
        "accept",
        &odile,
        goal.split('\t').next().expect("id"),
    ]);
    let shown = run(&["plan", "show", &odile]);
    assert!(shown.contains("1. Rentrer chez moi"), "{shown}");

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"resourceType":"Patient"}"#).expect("write");
    let out = proxi(
        &store,
        pass,
        &[
            "fhir",
            "import",
            bad.to_str().expect("path"),
            "--person",
            &odile,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("resourceType: must be \"Bundle\" (this file holds a Patient); nothing was imported [FhirFileInvalid]"),
        "{}",
        text(&out.stderr)
    );
}
