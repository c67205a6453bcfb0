//! Priority sheet benchmark: render time and size of a typical sheet (5 priorities, 8 actions), and,
//! in the same run, the same content printed to PDF by headless Chromium from an equivalent HTML page
//! (what most tools do), as the baseline.
//!
//! Also, in the same run, the Arabic sheet (shaped, right to left, two more fonts) and the Turkish one
//! against the French one.
//!
//! Run with `cargo bench --bench sheet` (Debian's `chromium` must be installed for the baseline).

mod common;

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{ms, percentile};

use jiff::civil::date;
use proxi::demo::{typical_plan, typical_plan_in};
use proxi::domain::{PlanDocument, PriorityStatus, Who};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The same sheet as an HTML page: same words, same pictures (inline SVG), same font and sizes.
fn html(plan: &PlanDocument, root: &Path) -> String {
    let font = root.join("assets/fonts/DejaVuSans.ttf");
    let bold = root.join("assets/fonts/DejaVuSans-Bold.ttf");
    let mut h = format!(
        "<!doctype html><html lang=fr><meta charset=utf-8><style>
        @font-face {{ font-family: S; src: url('file://{}'); }}
        @font-face {{ font-family: S; font-weight: bold; src: url('file://{}'); }}
        @page {{ size: A4; margin: 12mm; }}
        body {{ font-family: S; font-size: 14pt; line-height: 1.15; margin: 0; }}
        h1 {{ font-size: 26pt; margin: 0; }} h2 {{ font-size: 16pt; border-bottom: 2pt solid #000; margin: 6pt 0; }}
        .p {{ display: flex; align-items: center; gap: 12pt; font-size: 15pt; margin: 4pt 0; }}
        .p b {{ font-size: 22pt; width: 20pt; }} .p svg {{ width: 32pt; height: 32pt; }}
        .a {{ margin: 3pt 0 3pt 22pt; }} .a span {{ color: #333; display: block; }}
        .cols {{ display: flex; gap: 24pt; }} .cols > div {{ flex: 1; }}
        </style><h1>{}</h1><div>Mon plan · 23 novembre 2026</div><h2>Ce qui est important pour moi</h2>",
        font.display(),
        bold.display(),
        escape(&plan.person.first_name)
    );
    let card = |id: &str| {
        std::fs::read_to_string(root.join(format!("assets/cards/print/{id}.svg")))
            .unwrap_or_default()
    };
    let mut priorities: Vec<_> = plan
        .plan
        .priorities
        .iter()
        .filter(|p| p.status == PriorityStatus::Active)
        .collect();
    priorities.sort_by_key(|p| p.rank);
    for (n, p) in priorities.iter().enumerate() {
        let svg = p.card.as_deref().map(card).unwrap_or_default();
        let _ = write!(
            h,
            "<div class=p><b>{}</b>{svg}<div>{}</div></div>",
            n + 1,
            escape(&p.words)
        );
    }
    h.push_str("<h2>Ce que nous avons convenu</h2>");
    for a in &plan.plan.actions {
        let who = match &a.who {
            Who::Person => "moi".to_owned(),
            Who::Referent => "mon référent".to_owned(),
            Who::Service { .. } | Who::Community { .. } => "un service".to_owned(),
            Who::InformalCarer { name } => name.clone(),
            Who::Member { id } => plan
                .plan
                .network
                .iter()
                .find(|m| m.id == *id)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
        };
        let due = a.due.map(|d| d.to_string()).unwrap_or_default();
        let _ = write!(
            h,
            "<div class=a>☐ <b>{}</b><span>{} · {due}</span></div>",
            escape(&a.what),
            escape(&who)
        );
    }
    h.push_str("<div class=cols><div><h2>Mes forces et ressources</h2>");
    for s in &plan.plan.strengths {
        let _ = write!(h, "<div>{}</div>", escape(&s.words));
    }
    h.push_str("<h2>Prochaine visite</h2><b>21 décembre 2026</b></div><div><h2>Qui appeler</h2>");
    for m in &plan.plan.network {
        let _ = write!(
            h,
            "<div>{}<br><b>{}</b></div>",
            escape(&m.name),
            escape(&m.phone)
        );
    }
    h.push_str("</div></div></html>");
    h
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let plan = typical_plan();
    let day = date(2026, 11, 23);

    // Fonts and pictures are parsed once per process; the first render pays for it.
    let first = Instant::now();
    let pdf = proxi::sheet::render(&plan, "fr", day).expect("render");
    let first = first.elapsed();
    let mut ours: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            black_box(proxi::sheet::render(&plan, "fr", day).expect("render"));
            start.elapsed()
        })
        .collect();

    // The same plan written in the person's language: Arabic (shaped) and Turkish (plain text).
    let mut languages = Vec::new();
    for lang in ["ar", "tr"] {
        let plan = typical_plan_in(lang);
        let first = Instant::now();
        let pdf = proxi::sheet::render(&plan, lang, day).expect("render");
        let first = first.elapsed();
        let mut times: Vec<Duration> = (0..200)
            .map(|_| {
                let start = Instant::now();
                black_box(proxi::sheet::render(&plan, lang, day).expect("render"));
                start.elapsed()
            })
            .collect();
        let p50 = percentile(&mut times, 0.5);
        let p95 = percentile(&mut times, 0.95);
        languages.push((lang, first, p50, p95, pdf.len()));
    }

    let dir = tempfile::tempdir().expect("dir");
    let page = dir.path().join("sheet.html");
    std::fs::write(&page, html(&plan, root)).expect("html");
    let out = dir.path().join("chromium.pdf");
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let mut theirs: Vec<Duration> = Vec::new();
    if let Some(chromium) = chromium {
        for _ in 0..5 {
            let start = Instant::now();
            let status = Command::new(chromium)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                ])
                .args([
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-pdf-header-footer",
                ])
                .arg(format!(
                    "--user-data-dir={}",
                    dir.path().join("profile").display()
                ))
                .arg(format!("--print-to-pdf={}", out.display()))
                .arg(format!("file://{}", page.display()))
                .output()
                .expect("run chromium");
            assert!(
                status.status.success(),
                "chromium failed: {}",
                String::from_utf8_lossy(&status.stderr)
            );
            theirs.push(start.elapsed());
        }
    }

    let p50 = percentile(&mut ours, 0.5);
    let p95 = percentile(&mut ours, 0.95);
    println!(
        "Priority sheet benchmark (typical plan: 5 priorities, 8 actions, 3 strengths, 4 contacts)"
    );
    println!(
        "proxi (printpdf)   first {:>8.2} ms   p50 {:>8.2} ms   p95 {:>8.2} ms   size {:>7.1} KB",
        ms(first),
        ms(p50),
        ms(p95),
        pdf.len() as f64 / 1024.0
    );
    for (lang, first, p50_lang, p95_lang, size) in &languages {
        println!(
            "proxi, {lang} sheet    first {:>8.2} ms   p50 {:>8.2} ms   p95 {:>8.2} ms   size {:>7.1} KB   ({:.1}x the French p50, {:.1}x its size)",
            ms(*first),
            ms(*p50_lang),
            ms(*p95_lang),
            *size as f64 / 1024.0,
            ms(*p50_lang) / ms(p50),
            *size as f64 / pdf.len() as f64
        );
    }
    println!("targets for the Arabic sheet: <= 10 ms p50, <= 150 KB");
    if theirs.is_empty() {
        println!("headless Chromium  not found: install Debian's `chromium` for the baseline");
        return;
    }
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let c50 = percentile(&mut theirs, 0.5);
    let c95 = percentile(&mut theirs, 0.95);
    println!(
        "headless Chromium                     p50 {:>8.2} ms   p95 {:>8.2} ms   size {:>7.1} KB",
        ms(c50),
        ms(c95),
        size as f64 / 1024.0
    );
    println!(
        "proxi is {:.0}x faster (p50) and {:.1}x smaller; targets: <= 30 ms p50, <= 150 KB",
        ms(c50) / ms(p50),
        size as f64 / pdf.len() as f64
    );
}
