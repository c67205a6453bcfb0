//! A Diapason group's report, in French or Dutch (en for tests): the problem, who the members are and
//! which meetings they came to, the observations, and the recommendations with who carries them, where
//! they stand and when they are looked at again.

use serde::Deserialize;

use super::{Face, INK, MARGIN, QUIET, Sheet, SheetError, catalogue, finish, fonts};
use crate::group::Group;

const SMALL: f32 = 12.0;

/// The words of the group's report (in the fr, nl and en catalogues, under "group").
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GroupWords {
    /// "{name}".
    title: String,
    /// "{date}".
    made_on: String,
    bassin: String,
    problem: String,
    members: String,
    mandate: String,
    left: String,
    meetings: String,
    /// "{date}", "{count}".
    meeting: String,
    observations: String,
    recommendations: String,
    owner: String,
    status: std::collections::HashMap<String, String>,
    /// "{date}".
    follow_up: String,
    /// "{date}".
    looked_at: String,
    none: String,
    /// The bassins' names, by code.
    bassins: std::collections::HashMap<String, String>,
    colon: String,
}

/// The report of group `g` in `lang`, made on `today`.
///
/// # Errors
/// [`SheetError::NotInLanguage`] for a language without the group's words.
pub fn render_group_report(
    g: &Group,
    lang: &str,
    today: jiff::civil::Date,
) -> Result<Vec<u8>, SheetError> {
    let t = catalogue(lang)?;
    let w = t
        .group
        .clone()
        .ok_or_else(|| SheetError::NotInLanguage("group", lang.to_owned(), "fr, nl, en".into()))?;
    let fonts = fonts()?;
    let title = w.title.replace("{name}", &g.name);
    let mut s = Sheet::new(fonts, &t, title.clone());
    s.paragraph(MARGIN, &title, Face::Bold, 20.0, INK);
    s.paragraph(
        MARGIN,
        &w.made_on.replace("{date}", &t.date(today)),
        Face::Regular,
        SMALL,
        QUIET,
    );
    if let Some(b) = g.bassin {
        let name = w.bassins.get(b.code()).cloned().unwrap_or_default();
        s.paragraph(
            MARGIN,
            &format!("{}{}{name}", w.bassin, w.colon),
            Face::Regular,
            SMALL,
            QUIET,
        );
    }
    let line = |s: &mut Sheet<'_>, text: &str| s.paragraph(MARGIN, text, Face::Regular, SMALL, INK);
    s.heading(&w.problem);
    line(
        &mut s,
        if g.problem.is_empty() {
            &w.none
        } else {
            &g.problem
        },
    );

    s.heading(&w.members);
    for m in &g.members {
        let mut text = m.name.clone();
        if !m.organisation.is_empty() {
            text.push_str(&format!(" — {}", m.organisation));
        }
        if !m.sector.is_empty() {
            text.push_str(&format!(" ({})", m.sector));
        }
        if m.left {
            text.push_str(&format!(" ({})", w.left));
        }
        s.paragraph(MARGIN, &text, Face::Bold, SMALL, INK);
        if !m.mandate.is_empty() {
            line(&mut s, &format!("{}{}{}", w.mandate, w.colon, m.mandate));
        }
    }
    if g.members.is_empty() {
        line(&mut s, &w.none);
    }

    s.heading(&w.meetings);
    for m in &g.meetings {
        let names: Vec<&str> = g
            .members
            .iter()
            .filter(|x| m.present.contains(&x.id))
            .map(|x| x.name.as_str())
            .collect();
        let head = w
            .meeting
            .replace("{date}", &t.date(m.date))
            .replace("{count}", &names.len().to_string());
        s.paragraph(MARGIN, &head, Face::Bold, SMALL, INK);
        if !names.is_empty() {
            line(&mut s, &names.join(", "));
        }
        if !m.notes.trim().is_empty() {
            line(&mut s, &m.notes);
        }
    }
    if g.meetings.is_empty() {
        line(&mut s, &w.none);
    }

    s.heading(&w.observations);
    let observations: Vec<_> = g.observations.iter().filter(|o| !o.closed).collect();
    for o in &observations {
        line(&mut s, &format!("• {}", o.text));
    }
    if observations.is_empty() {
        line(&mut s, &w.none);
    }

    s.heading(&w.recommendations);
    for (n, r) in g.recommendations.iter().enumerate() {
        s.y += 4.0;
        s.paragraph(
            MARGIN,
            &format!("{}. {}", n + 1, r.text),
            Face::Bold,
            SMALL,
            INK,
        );
        let status = w.status.get(r.status.code()).cloned().unwrap_or_default();
        let owner = if r.owner.is_empty() { "—" } else { &r.owner };
        line(&mut s, &format!("{}{}{owner} — {status}", w.owner, w.colon));
        for f in &r.follow_ups {
            let text = match f.done_on {
                Some(d) => {
                    let mut text = w.looked_at.replace("{date}", &t.date(d));
                    if !f.note.is_empty() {
                        text.push_str(&format!("{}{}", w.colon, f.note));
                    }
                    text
                }
                None => w.follow_up.replace("{date}", &t.date(f.due)),
            };
            s.paragraph(MARGIN + 16.0, &text, Face::Regular, SMALL, QUIET);
        }
    }
    if g.recommendations.is_empty() {
        line(&mut s, &w.none);
    }
    finish(s, &title)
}
