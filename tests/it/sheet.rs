//! The priority sheet as a real PDF, checked with the tools a printer's world uses: qpdf, pdftotext,
//! pdffonts, and pdftoppm for a picture compared with a committed reference.

use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::civil::date;
use proxi::demo::{typical_plan, typical_plan_in};
use proxi::domain::{ActionStatus, AgreedAction, Who};
use proxi::sheet::{SheetError, languages, render, render_blank, sheet_languages};
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
    // The sheet is the first of the person's languages it speaks, a variety reading its language's;
    // none: no sheet language (the window asks).
    let mut someone = typical_plan();
    someone.person.languages = vec!["sw".into(), "ary".into(), "fr".into()];
    assert_eq!(proxi::sheet::language_for(&someone), Some("ar"));
    someone.person.languages = vec!["prs".into()];
    assert_eq!(proxi::sheet::language_for(&someone), Some("fa"));
    someone.person.languages = vec!["sw".into(), "ti".into()];
    assert_eq!(proxi::sheet::language_for(&someone), None);
    let err = render(&plan, "xx", date(2026, 11, 23)).expect_err("no such language");
    assert!(
        err.to_string().contains(
            "choose one of ar, bg, en, es, fa, fr, it, ln, nl, pl, pt, ro, ru, sq, tr, uk"
        ),
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
    // Cyrillic and Albanian, in sheets of those languages.
    for (lang, name) in [
        ("ru", "Людмила Пример"),
        ("uk", "Олена Приклад"),
        ("bg", "Йордан Пример"),
        ("sq", "Ëngjëll Çeliku"),
    ] {
        let mut plan = typical_plan_in(lang);
        plan.person.first_name = name.into();
        let file = write(
            dir.path(),
            "name.pdf",
            &render(&plan, lang, date(2026, 11, 23)).expect("render"),
        );
        assert!(text_of(&file).contains(name), "{lang}: {name}");
    }
}

#[test]
fn a_name_in_a_script_without_a_font_is_refused_never_printed_as_boxes() {
    for (lang, name) in [("fr", "ሰላም"), ("ar", "ሰላም"), ("fr", "Amadou 李")] {
        let mut plan = typical_plan_in(lang);
        plan.person.first_name = name.into();
        let err = render(&plan, lang, date(2026, 11, 23)).expect_err("no font for it");
        assert!(
            matches!(&err, SheetError::NoFont(text) if text.contains(name)),
            "{lang} {name}: {err}"
        );
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
            source: None,
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
            "Het OCMW bellen — mijn buurtreferent — 9 december 2026 (gedaan)",
            "Afspraak op 10 december",
            "actie „Het OCMW bellen”, tegen: 2 december 2026 → 9 december 2026",
            "Toegevoegd (actie): Het OCMW bellen",
            "Begin van het plan",
        ],
    );
    let audit = app.audit_log(Some(id), 10).expect("audit");
    assert_eq!(audit[0].action, proxi::store::AuditAction::Export);
}

/// The PDF's pages as PNG at 60 dpi, and how many pixels of page one differ (beyond a 20 % fuzz) from
/// the committed reference `tests/fixtures/sheet/<name>.png` (written when `PROXI_BLESS=1`).
fn differing_pixels(pdf: &Path, name: &str) -> (f64, PathBuf) {
    let prefix = shots().join(name);
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
            pdf.to_str().expect("path"),
            prefix.to_str().expect("path"),
        ],
    );
    let rendered = shots().join(format!("{name}.png"));
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sheet")
        .join(format!("{name}.png"));
    if std::env::var_os("PROXI_BLESS").is_some() {
        std::fs::copy(&rendered, &reference).expect("bless the reference");
    }
    let out = Command::new("compare")
        .args(["-metric", "AE", "-fuzz", "20%"])
        .arg(&rendered)
        .arg(&reference)
        .arg(shots().join(format!("{name}-diff.png")))
        .output()
        .expect("ImageMagick's compare is needed");
    let differing: f64 = String::from_utf8_lossy(&out.stderr)
        .split_whitespace()
        .next()
        .unwrap_or("x")
        .parse()
        .unwrap_or_else(|_| panic!("compare failed: {}", String::from_utf8_lossy(&out.stderr)));
    (differing, rendered)
}

#[test]
fn every_sheet_language_prints_a_typical_plan_on_one_page_like_its_reference() {
    let dir = tempfile::tempdir().expect("dir");
    let listed = sheet_languages().expect("every language file reads");
    assert_eq!(
        listed.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(),
        languages()
    );
    for wanted in [
        "fr", "nl", "en", "ar", "tr", "es", "pt", "it", "pl", "ro", "bg", "ru", "uk", "sq", "fa",
        "ln",
    ] {
        assert!(languages().contains(&wanted), "{wanted} has a sheet");
    }
    let mut more_than_one = Vec::new();
    for lang in languages() {
        let plan = typical_plan_in(lang);
        let pdf = render(&plan, lang, date(2026, 11, 23)).expect("render");
        assert!(pdf.len() <= 150 * 1024, "{lang}: {} bytes", pdf.len());
        let file = write(dir.path(), &format!("{lang}.pdf"), &pdf);
        let info = run("pdfinfo", &[file.to_str().expect("path")]);
        if !info.contains("Pages:           1") {
            more_than_one.push(lang);
        }
        let fonts = run("pdffonts", &[file.to_str().expect("path")]);
        for row in fonts.lines().skip(2) {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(
                &cols[n - 5..n - 2],
                &["yes", "yes", "yes"],
                "{lang}: embedded, subset, with a Unicode map: {row}"
            );
        }
        let text = squash(&text_of(&file));
        for p in &plan.plan.priorities {
            assert!(
                text.contains(&squash(&p.words)),
                "{lang}: {:?} in {text}",
                p.words
            );
        }
        let (differing, rendered) = differing_pixels(&file, &format!("typical-{lang}-p1"));
        assert!(
            differing < 1_750.0,
            "{lang}: {differing} pixels differ from the reference (see {})",
            rendered.display()
        );
    }
    assert!(
        more_than_one.is_empty(),
        "more than one page: {more_than_one:?}"
    );
}

#[test]
fn the_arabic_sheet_is_mirrored_numbers_and_pictures_on_the_right() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = typical_plan_in("ar");
    let _ = dir;
    let file = write(
        &shots(),
        "sheet-ar.pdf",
        &render(&plan, "ar", date(2026, 11, 23)).expect("render"),
    );
    let words = words(&file);
    // `pdftotext -bbox` gives right-to-left words as drawn, last letter first.
    let find = |w: &str| {
        let drawn: String = w.chars().rev().collect();
        words
            .iter()
            .find(|x| x.5 == w || x.5 == drawn)
            .unwrap_or_else(|| panic!("{w} not on the page: {words:?}"))
    };
    // The name and the heading end at the right margin; the priority numbers are right of the words.
    let name = find("فاطمة");
    assert!(
        name.3 > PAGE_W - 40.0,
        "name ends at the right margin: {name:?}"
    );
    let one = words
        .iter()
        .find(|x| x.5 == "1")
        .expect("priority number 1");
    assert!(one.1 > PAGE_W - 60.0, "number on the right: {one:?}");
    // The page number sits bottom left.
    let page = words
        .iter()
        .rev()
        .find(|x| x.5.contains('1') && x.2 > PAGE_H - 40.0)
        .expect("page number");
    assert!(page.3 < PAGE_W / 2.0, "page number on the left: {page:?}");
}

/// HarfBuzz's own glyph ids for `text` in `font` (Debian's `hb-shape`), left to right.
fn hb_shape(font: &str, text: &str, rtl: bool) -> Vec<u16> {
    let font = Path::new(env!("CARGO_MANIFEST_DIR")).join(font);
    let out = run(
        "hb-shape",
        &[
            "--no-glyph-names",
            "--no-positions",
            "--no-clusters",
            if rtl {
                "--direction=rtl"
            } else {
                "--direction=ltr"
            },
            font.to_str().expect("path"),
            text,
        ],
    );
    out.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split('|')
        .map(|g| {
            g.parse()
                .unwrap_or_else(|_| panic!("glyph id {g:?} in {out}"))
        })
        .collect()
}

#[test]
fn arabic_and_persian_are_shaped_as_harfbuzz_shapes_them_and_read_back_in_order() {
    let phrases = [
        // lam-alef, final and medial forms, a Latin name and a phone number inside.
        "لا أخاف من الفواتير، اتصل بـ Amadou على 0470 12 34 56",
        // Persian: a zero-width non-joiner, kaf and yeh of Persian, a name and digits.
        "توانایی‌های من و Sophie می‌آید ساعت 10",
    ];
    for phrase in phrases {
        let runs = proxi::sheet::shaped_runs(phrase, true).expect("shape");
        let mut arabic_glyphs = 0;
        for r in &runs {
            assert_eq!(
                r.glyphs,
                hb_shape(r.font_file, &r.text, r.right_to_left),
                "{:?} in {}",
                r.text,
                r.font_file
            );
            if r.font_file.contains("Arabic") {
                arabic_glyphs += r.glyphs.len();
            }
        }
        assert!(arabic_glyphs > 0, "set in Noto Sans Arabic: {runs:?}");
        // Visual order: the line's first words (Arabic, read from the right) are its rightmost run;
        // the Latin name and the number sit left of them, each left to right.
        let last = runs.last().expect("runs");
        assert!(
            phrase.starts_with(last.text.trim()),
            "rightmost run {:?}",
            last.text
        );
        let name = runs
            .iter()
            .find(|r| r.text.contains("Amadou") || r.text.contains("Sophie"))
            .expect("the name's run");
        assert!(!name.right_to_left);
    }
    // The lam-alef of the first phrase is one glyph for two letters.
    let first = proxi::sheet::shaped_runs("لا", true).expect("shape");
    assert_eq!(first[0].glyphs.len(), 1);

    // In a sheet: pdftotext gives the words back in reading order.
    let dir = tempfile::tempdir().expect("dir");
    let mut plan = typical_plan_in("ar");
    plan.plan.priorities[0].words = phrases[0].into();
    plan.plan.priorities[1].words = phrases[1].into();
    let file = write(
        dir.path(),
        "ar.pdf",
        &render(&plan, "ar", date(2026, 11, 23)).expect("render"),
    );
    // Letters and their order; pdftotext places spaces at direction changes in its own way, and
    // drops the non-joiner (it has no width).
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200C}' | '\u{202A}'..='\u{202E}'))
            .collect()
    };
    let text = letters(&text_of(&file));
    for phrase in phrases {
        assert!(
            text.contains(&letters(phrase)),
            "{phrase:?} not in:\n{text}"
        );
    }
}
