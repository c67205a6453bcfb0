//! A Focus guide on paper, to hand over: large type, in French or Dutch; what it is, who can help,
//! what is reimbursed and how to ask, then services of the person's bassin first with their phone
//! numbers, the helpdesk, and the sources with the day they were checked (and a warning when that is
//! over a year ago).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::{BODY, Face, INK, MARGIN, QUIET, Sheet, SheetError, WORDS, catalogue, finish, fonts};
use crate::guide::GuideView;

/// The most services printed.
pub const GUIDE_SERVICES: usize = 8;

const SMALL: f32 = 11.0;

/// The words of a guide on paper (in the fr and nl catalogues, under "guide").
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GuideWords {
    /// "{date}", "{by}".
    checked: String,
    stale: String,
    what: String,
    who: String,
    reimbursed: String,
    how: String,
    /// "{bassin}".
    near: String,
    /// Without a bassin.
    services: String,
    elsewhere: String,
    none: String,
    question: String,
    sources: String,
    bassins: HashMap<String, String>,
}

/// Guide `view` in `lang` (`fr` or `nl`), printed on `today`; `phones` by service id.
///
/// # Errors
/// [`SheetError::NotInLanguage`] for another language.
pub fn render_guide(
    view: &GuideView,
    phones: &BTreeMap<String, String>,
    helpdesk: Option<&crate::helpdesk::Helpdesk>,
    lang: &str,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, SheetError> {
    let t = catalogue(lang)?;
    let w = t
        .guide
        .clone()
        .ok_or_else(|| SheetError::NotInLanguage("guide", lang.to_owned(), "fr, nl".into()))?;
    let g = &view.guide;
    let fonts = fonts()?;
    let title = g.title.get(lang).to_owned();
    let mut s = Sheet::new(fonts, &t, format!("{title} · {}", t.date(today)));
    s.paragraph(MARGIN, &title, Face::Bold, 24.0, INK);
    s.paragraph(
        MARGIN,
        &w.checked
            .replace("{date}", &t.date(g.checked))
            .replace("{by}", &g.checked_by),
        Face::Regular,
        SMALL,
        QUIET,
    );
    if view.stale {
        s.y += 4.0;
        s.paragraph(MARGIN, &w.stale, Face::Bold, BODY, INK);
    }

    s.heading(&w.what);
    s.paragraph(MARGIN, g.what.get(lang), Face::Regular, WORDS, INK);
    s.heading(&w.who);
    for line in g.who.get(lang).lines().filter(|l| !l.trim().is_empty()) {
        s.paragraph(MARGIN, line.trim(), Face::Regular, WORDS, INK);
    }
    s.heading(&w.reimbursed);
    for line in g
        .reimbursed
        .get(lang)
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let point = line.trim().trim_start_matches("- ");
        s.room(WORDS * 1.2);
        s.text(MARGIN, s.y + WORDS, "•", Face::Bold, WORDS, INK);
        s.paragraph(MARGIN + 16.0, point, Face::Regular, WORDS, INK);
        s.y += 3.0;
    }
    s.heading(&w.how);
    s.paragraph(MARGIN, g.how.get(lang), Face::Regular, WORDS, INK);

    let name = |hit: &crate::directory::index::ServiceHit| match (&hit.name_nl, lang) {
        (Some(nl), "nl") => nl.clone(),
        _ => hit.name.clone(),
    };
    let bassin_name =
        |b: crate::territory::Bassin| w.bassins.get(b.code()).cloned().unwrap_or_default();
    let mut printed = 0;
    let groups = [
        (
            view.bassin.map_or_else(
                || w.services.clone(),
                |b| w.near.replace("{bassin}", &bassin_name(b)),
            ),
            &view.near,
        ),
        (w.elsewhere.clone(), &view.elsewhere),
    ];
    for (n, (heading, hits)) in groups.iter().enumerate() {
        if n == 1 && (hits.is_empty() || printed >= GUIDE_SERVICES) {
            break;
        }
        s.heading(heading);
        if hits.is_empty() {
            s.paragraph(MARGIN, &w.none, Face::Regular, BODY, INK);
        }
        for hit in hits.iter().take(GUIDE_SERVICES - printed) {
            s.room(3.0 * BODY * 1.2);
            s.paragraph(MARGIN, &name(hit), Face::Bold, BODY, INK);
            let commune = if lang == "nl" {
                &hit.commune_nl
            } else {
                &hit.commune_fr
            };
            let place: Vec<&str> = [hit.street.as_deref(), commune.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if !place.is_empty() {
                s.paragraph(MARGIN, &place.join(", "), Face::Regular, BODY, QUIET);
            }
            if let Some(phone) = phones.get(&hit.id).filter(|p| !p.is_empty()) {
                s.paragraph(MARGIN, phone, Face::Bold, BODY, INK);
            }
            s.y += 4.0;
            printed += 1;
        }
    }

    if let Some(h) = helpdesk {
        s.heading(&w.question);
        s.paragraph(MARGIN, &h.name, Face::Regular, BODY, INK);
        s.paragraph(MARGIN, &h.phone, Face::Bold, WORDS, INK);
        if !h.hours.is_empty() {
            s.paragraph(MARGIN, &h.hours, Face::Regular, BODY, QUIET);
        }
    }

    s.heading(&w.sources);
    for source in &g.sources {
        s.paragraph(
            MARGIN,
            &format!("{} — {}", source.title, source.url),
            Face::Regular,
            SMALL,
            QUIET,
        );
    }
    finish(s, &title)
}
