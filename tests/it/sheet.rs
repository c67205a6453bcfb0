//! The priority sheet as a real PDF, checked with the tools a printer's world uses: qpdf, pdftotext,
//! pdffonts, and pdftoppm for a picture compared with a committed reference.

use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::civil::date;
use proxi::demo::typical_plan;
use proxi::domain::{ActionStatus, AgreedAction, Who};
use proxi::sheet::{render, render_blank};
use uuid::Uuid;

const PAGE_W: f64 = 595.28;
const PAGE_H: f64 = 841.89;

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pdf).expect("write the PDF");
    path
}

fn text_of(pdf: &Path) -> String {
    run("pdftotext", &[pdf.to_str().expect("path"), "-"])
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every piece appears, in this order, in the text of the PDF.
fn assert_in_order(text: &str, pieces: &[&str]) {
    let text = squash(text);
    let mut from = 0;
    for piece in pieces {
        let piece = squash(piece);
        let at = text[from..]
            .find(&piece)
            .unwrap_or_else(|| panic!("{piece:?} missing after byte {from} in:\n{text}"));
        from += at + piece.len();
    }
}

fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shots");
    std::fs::create_dir_all(&dir).expect("shots dir");
    dir
}

#[test]
fn a_typical_sheet_is_one_clean_page_with_everything_in_reading_order() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = typical_plan();
    let pdf = render(&plan, "fr", date(2026, 11, 23)).expect("render");
    assert!(pdf.len() <= 150 * 1024, "{} bytes", pdf.len());
    let file = write(dir.path(), "sheet.pdf", &pdf);
    run("qpdf", &["--check", file.to_str().expect("path")]);
    let info = run("pdfinfo", &[file.to_str().expect("path")]);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("(A4)"), "A4: {info}");

    let text = text_of(&file);
    let mut pieces = vec!["Hervé", "23 novembre 2026", "Ce qui est important pour moi"];
    let mut priorities = plan.plan.priorities.clone();
    priorities.sort_by_key(|p| p.rank);
    pieces.extend(priorities.iter().map(|p| p.words.as_str()));
    pieces.push("Ce que nous avons convenu");
    pieces.extend(plan.plan.actions.iter().map(|a| a.what.as_str()));
    // The two bottom columns read left, then right.
    pieces.push("Mes forces et ressources");
    pieces.extend(plan.plan.strengths.iter().map(|s| s.words.as_str()));
    pieces.extend(["Prochaine visite", "21 décembre 2026", "Qui appeler"]);
    for m in &plan.plan.network {
        pieces.push(&m.name);
        pieces.push(&m.phone);
    }
    assert_in_order(&text, &pieces);
    assert!(
        squash(&text).contains("mon référent · 30 novembre 2026"),
        "who and by when, dates in words"
    );

    let fonts = run("pdffonts", &[file.to_str().expect("path")]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "embedded, subset, with a Unicode map: {row}"
        );
    }
}

#[test]
fn the_same_plan_and_date_give_the_same_bytes() {
    let plan = typical_plan();
    let a = render(&plan, "nl", date(2026, 11, 23)).expect("render");
    let b = render(&plan, "nl", date(2026, 11, 23)).expect("render");
    assert!(a == b, "two renders differ");
    let c = render(&plan, "nl", date(2026, 11, 24)).expect("render");
    assert!(a != c, "the date is on the sheet");
}

#[test]
fn the_sheet_speaks_the_persons_language() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = typical_plan();
    for (lang, words) in [
        (
            "nl",
            [
                "23 november 2026",
                "Wat voor mij belangrijk is",
                "Wat we afgesproken hebben",
                "Volgend bezoek",
                "Wie bellen",
            ],
        ),
        (
            "en",
            [
                "23 November 2026",
                "What matters to me",
                "What we agreed",
                "Next visit",
                "Who to call",
            ],
        ),
    ] {
        let file = write(
            dir.path(),
            &format!("{lang}.pdf"),
            &render(&plan, lang, date(2026, 11, 23)).expect("render"),
        );
        assert_in_order(&text_of(&file), &words);
    }
    let err = render(&plan, "xx", date(2026, 11, 23)).expect_err("no such language");
    assert!(
        err.to_string().contains("choose one of en, fr, nl"),
        "{err}"
    );
}

#[test]
fn names_in_turkish_polish_romanian_and_arabic_print_their_letters() {
    let dir = tempfile::tempdir().expect("dir");
    for name in [
        "Ayşe Örnek",
        "Łucja Przykład",
        "Ștefan Exemplu",
        "Çağrı Iğdır",
    ] {
        let mut plan = typical_plan();
        plan.person.first_name = name.into();
        let file = write(
            dir.path(),
            "name.pdf",
            &render(&plan, "fr", date(2026, 11, 23)).expect("render"),
        );
        assert!(text_of(&file).contains(name), "{name}");
    }
    // Arabic letters have glyphs in the embedded font (no boxes). They are not shaped or ordered
    // right to left yet: the letters come out in isolated forms, left to right.
    let mut plan = typical_plan();
    plan.person.first_name = "فاطمة".into();
    let file = write(
        dir.path(),
        "arabic.pdf",
        &render(&plan, "fr", date(2026, 11, 23)).expect("render"),
    );
    let text = text_of(&file);
    for letter in "فاطمة".chars() {
        assert!(text.contains(letter), "{letter} missing");
    }
}

/// Every word of every page, with its box.
fn words(pdf: &Path) -> Vec<(usize, f64, f64, f64, f64, String)> {
    let html = run("pdftotext", &["-bbox", pdf.to_str().expect("path"), "-"]);
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        if line.contains("<page ") {
            page += 1;
        }
        let Some(rest) = line.trim().strip_prefix("<word ") else {
            continue;
        };
        let attr = |name: &str| -> f64 {
            let start = rest.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
            rest[start..]
                .split('"')
                .next()
                .expect("value")
                .parse()
                .expect("number")
        };
        let word = rest
            .split('>')
            .nth(1)
            .and_then(|w| w.split('<').next())
            .unwrap_or_default()
            .to_owned();
        out.push((
            page,
            attr("xMin"),
            attr("yMin"),
            attr("xMax"),
            attr("yMax"),
            word,
        ));
    }
    out
}

#[test]
fn overlong_content_wraps_and_flows_to_more_pages_never_past_a_margin() {
    let dir = tempfile::tempdir().expect("dir");
    let mut plan = typical_plan();
    plan.person.first_name = "Marie-Christine-Dominique ".repeat(8).trim().to_owned();
    let long: String = (0..400)
        .map(|i| format!("mot{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(long.len() >= 2_000);
    plan.plan.priorities[1].words = long.clone();
    let unbroken = "x".repeat(300);
    plan.plan.priorities[2].words = unbroken.clone();
    for n in 0..40u128 {
        plan.plan.actions.push(AgreedAction {
            id: Uuid::from_u128(10_000 + n),
            what: format!("Action numéro {n} à faire ensemble, avec un texte assez long pour passer à la ligne suivante"),
            who: Who::Referent,
            due: Some(date(2027, 1, 1)),
            status: ActionStatus::Planned,
            priority_id: None,
            outcome: String::new(),
            created: plan.person.created,
            orientation: None,
        });
    }
    let file = write(
        dir.path(),
        "long.pdf",
        &render(&plan, "fr", date(2026, 11, 23)).expect("render"),
    );
    run("qpdf", &["--check", file.to_str().expect("path")]);
    let words = words(&file);
    let pages = words.iter().map(|w| w.0).max().unwrap_or(0);
    assert!(pages >= 3, "{pages} pages");
    for (page, x0, y0, x1, y1, word) in &words {
        // Margins: 34 pt around the text, the page number in the bottom margin.
        assert!(
            *x0 >= 33.0 && *x1 <= PAGE_W - 33.0,
            "page {page}: {word} at x {x0}..{x1}"
        );
        assert!(
            *y0 >= 30.0 && *y1 <= PAGE_H - 18.0,
            "page {page}: {word} at y {y0}..{y1}"
        );
    }
    // Nothing is cut: the long priority and the unbroken word are there whole, across lines and pages.
    let raw = text_of(&file);
    let text = squash(&raw);
    // Without the page furniture (running head, continued headings, page numbers), the long
    // texts read whole even where they cross a line or a page.
    let body: String = raw
        .lines()
        .filter(|l| {
            let head = format!("{} · 23 novembre 2026", plan.person.first_name);
            (l.trim().is_empty() || !head.contains(l.trim()))
                && !l.contains("(suite)")
                && !l.starts_with("page ")
        })
        .collect();
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        compact.contains(&long.replace(' ', "")),
        "the long priority was cut"
    );
    assert!(compact.contains(&unbroken), "the unbroken word was cut");
    for n in 0..40 {
        assert!(
            text.contains(&format!("Action numéro {n} à faire")),
            "action {n} missing"
        );
    }
    // Continuation pages say whose sheet it is and which section goes on.
    assert!(
        text.contains("Ce que nous avons convenu (suite)"),
        "no continued heading"
    );
}

#[test]
fn the_blank_sheet_has_the_same_sections_with_room_to_write() {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(
        dir.path(),
        "blank.pdf",
        &render_blank("nl", date(2026, 11, 23)).expect("render"),
    );
    run("qpdf", &["--check", file.to_str().expect("path")]);
    assert!(
        run("pdfinfo", &[file.to_str().expect("path")]).contains("Pages:           1"),
        "one page"
    );
    assert_in_order(
        &text_of(&file),
        &[
            "Naam",
            "Wat voor mij belangrijk is",
            "Wat we afgesproken hebben",
            "Mijn sterktes",
            "Wie bellen",
            "Volgend bezoek",
        ],
    );
}

#[test]
fn page_one_looks_like_the_reference_picture() {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(
        dir.path(),
        "sheet.pdf",
        &render(&typical_plan(), "fr", date(2026, 11, 23)).expect("render"),
    );
    let prefix = shots().join("sheet");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            file.to_str().expect("path"),
            prefix.to_str().expect("path"),
        ],
    );
    let rendered = shots().join("sheet.png");
    let reference =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sheet/typical-fr-p1.png");
    // `compare` prints how many pixels differ by more than the fuzz, on stderr, and exits 1 if any do.
    let out = Command::new("compare")
        .args(["-metric", "AE", "-fuzz", "20%"])
        .arg(&rendered)
        .arg(&reference)
        .arg(dir.path().join("diff.png"))
        .output()
        .expect("ImageMagick's compare is needed");
    let differing: f64 = String::from_utf8_lossy(&out.stderr)
        .split_whitespace()
        .next()
        .unwrap_or("x")
        .parse()
        .unwrap_or_else(|_| panic!("compare failed: {}", String::from_utf8_lossy(&out.stderr)));
    // 496 x 702 pixels at 60 dpi; allow 0.5 % for anti-aliasing differences between poppler versions.
    assert!(
        differing < 1_750.0,
        "{differing} pixels differ from the reference (see {})",
        rendered.display()
    );
}

#[test]
fn the_recovery_key_page_holds_the_key_in_large_type_on_one_page() {
    let dir = tempfile::tempdir().expect("dir");
    let key = "A1B2-C3D4-E5F6-0718-293A-4B5C-6D7E-8F90-1A2B-3C4D";
    for (lang, title, keep) in [
        ("fr", "Clé de secours de Proxi", "loin de l’ordinateur"),
        ("nl", "Herstelsleutel van Proxi", "weg van de computer"),
        ("en", "Proxi recovery key", "away from the computer"),
    ] {
        let pdf = proxi::sheet::render_recovery(
            key,
            "Marie Exemple",
            lang,
            jiff::civil::date(2026, 12, 3),
        )
        .expect("the page");
        let path = write(dir.path(), &format!("recovery-{lang}.pdf"), &pdf);
        assert!(run("pdfinfo", &[path.to_str().expect("path")]).contains("Pages:           1"));
        assert_in_order(
            &text_of(&path),
            &[
                title,
                "Marie Exemple",
                "A1B2 - C3D4 - E5F6 - 0718 - 293A",
                "4B5C - 6D7E - 8F90 - 1A2B - 3C4D",
                keep,
            ],
        );
    }
    assert!(proxi::sheet::render_recovery(key, "x", "xx", jiff::civil::date(2026, 12, 3)).is_err());
}

/// The person's whole record, for their right of access: everything in the plan (also what was
/// achieved or removed), the consent, and every change with what it changed, in their language.
#[test]
fn the_record_holds_the_whole_plan_and_every_change_in_the_persons_language() {
    use proxi::domain::{ActionInput, PriorityInput};
    let (dir, _path, mut app) = crate::support::new_store();
    let mut input = crate::support::someone("Aline");
    input.languages = vec!["nl".into()];
    let id = app.create_person(input).expect("person");
    let walk = app
        .add_priority(
            id,
            PriorityInput {
                words: "Weer wandelen".into(),
                card: None,
                review_date: None,
            },
        )
        .expect("priority");
    app.set_priority_status(id, walk, proxi::domain::PriorityStatus::Achieved)
        .expect("achieved");
    let action = |due| ActionInput {
        what: "Het OCMW bellen".into(),
        who: Who::Referent,
        due: Some(due),
        priority_id: None,
        outcome: String::new(),
    };
    let a = app
        .add_action(id, action(date(2026, 12, 2)))
        .expect("action");
    app.edit_action(id, a, action(date(2026, 12, 9)))
        .expect("edit");
    app.set_action_status(
        id,
        a,
        ActionStatus::Done,
        Some("Afspraak op 10 december".into()),
    )
    .expect("done");

    let pdf = write(
        dir.path(),
        "record.pdf",
        &app.record(id, None).expect("record"),
    );
    let text = squash(&text_of(&pdf));
    assert_in_order(
        &text,
        &[
            "Wat Proxi over Aline bewaart",
            "Roepnaam: Aline",
            "Weer wandelen (bereikt)",
            "Het OCMW bellen — mijn referent — 9 december 2026 (gedaan)",
            "Afspraak op 10 december",
            "actie „Het OCMW bellen”, tegen: 2 december 2026 → 9 december 2026",
            "Toegevoegd (actie): Het OCMW bellen",
            "Begin van het plan",
        ],
    );
    let audit = app.audit_log(Some(id), 10).expect("audit");
    assert_eq!(audit[0].action, proxi::store::AuditAction::Export);
}
