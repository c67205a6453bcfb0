//! The concertation's papers, in French or Dutch (en for tests): the report for the participants
//! (who came, the decisions — who does what, by when — the notes, the next date) and the attendance
//! sheet with roles, RIZIV/INAMI numbers and lines to sign, as multidisciplinary concertation funding
//! asks.

use serde::Deserialize;

use super::{Face, INK, MARGIN, QUIET, Services, Sheet, SheetError, catalogue, finish, fonts};
use crate::concertation::Concertation;
use crate::domain::{PlanDocument, Who};
use crate::hospital::ItemSource;

const SMALL: f32 = 12.0;

/// The words of the concertation's papers (in the fr, nl and en catalogues, under "concertation").
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ConcertationWords {
    /// "{title}", "{name}".
    report_title: String,
    attendance_title: String,
    /// "{date}", "{time}".
    held_on: String,
    place: String,
    present: String,
    absent: String,
    decisions: String,
    none: String,
    notes: String,
    points: std::collections::HashMap<String, String>,
    next_date: String,
    /// "{name}", "{role}".
    participant: String,
    riziv: String,
    signature: String,
    the_person: String,
    colon: String,
}

fn words(lang: &str) -> Result<(super::Catalogue, ConcertationWords), SheetError> {
    let t = catalogue(lang)?;
    let w = t.concertation.clone().ok_or_else(|| {
        SheetError::NotInLanguage("concertation", lang.to_owned(), "fr, nl, en".into())
    })?;
    Ok((t, w))
}

fn held(c: &Concertation, t: &super::Catalogue, w: &ConcertationWords) -> String {
    c.chosen
        .and_then(|id| c.slots.iter().find(|s| s.id == id))
        .map(|s| {
            w.held_on
                .replace("{date}", &t.date(s.start.date()))
                .replace("{time}", &s.start.strftime("%H:%M").to_string())
        })
        .unwrap_or_default()
}

/// The report of concertation `c` about `plan`'s person, in `lang`.
///
/// # Errors
/// [`SheetError::NotInLanguage`] for a language without the concertation's words.
pub fn render_report(
    plan: &PlanDocument,
    c: &Concertation,
    lang: &str,
    referent: &str,
    services: &Services,
) -> Result<Vec<u8>, SheetError> {
    let (t, w) = words(lang)?;
    let fonts = fonts()?;
    let name = plan.person.display_name.clone();
    let title = w
        .report_title
        .replace("{title}", &c.title)
        .replace("{name}", &name);
    let mut s = Sheet::new(fonts, &t, title.clone());
    s.paragraph(MARGIN, &title, Face::Bold, 20.0, INK);
    let when = held(c, &t, &w);
    if !when.is_empty() {
        s.paragraph(MARGIN, &when, Face::Regular, SMALL, QUIET);
    }
    if !c.place.trim().is_empty() {
        s.paragraph(
            MARGIN,
            &format!("{}{}{}", w.place, w.colon, c.place),
            Face::Regular,
            SMALL,
            QUIET,
        );
    }
    let line = |s: &mut Sheet<'_>, text: &str| s.paragraph(MARGIN, text, Face::Regular, SMALL, INK);
    let names = |present: bool| {
        c.participants
            .iter()
            .filter(|p| p.present == Some(present))
            .map(|p| {
                if p.role.is_empty() {
                    p.name.clone()
                } else {
                    format!("{} ({})", p.name, p.role)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    s.heading(&w.present);
    let here = names(true);
    line(&mut s, if here.is_empty() { &w.none } else { &here });
    let away = names(false);
    if !away.is_empty() {
        line(&mut s, &format!("{}{}{away}", w.absent, w.colon));
    }

    s.heading(&w.decisions);
    let decisions: Vec<_> = plan
        .plan
        .actions
        .iter()
        .filter(|a| matches!(a.source, Some(ItemSource::Concertation { concertation }) if concertation == c.id))
        .collect();
    for a in &decisions {
        let who = match &a.who {
            Who::Person => w.the_person.clone(),
            Who::Referent => referent.to_owned(),
            other => super::who(plan, other, &t, services),
        };
        let due = a.due.map_or_else(|| t.no_date.clone(), |d| t.date(d));
        line(&mut s, &format!("• {} — {who} — {due}", a.what));
    }
    if decisions.is_empty() {
        line(&mut s, &w.none);
    }
    if c.notes.iter().any(|n| !n.note.trim().is_empty()) {
        s.heading(&w.notes);
        for n in &c.notes {
            let point = serde_json::to_value(n.point)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let label = w.points.get(&point).cloned().unwrap_or(point);
            s.paragraph(MARGIN, &label, Face::Bold, SMALL, INK);
            line(&mut s, &n.note);
        }
    }
    if let Some(d) = c.next_date {
        s.heading(&w.next_date);
        line(&mut s, &t.date(d));
    }
    finish(s, &title)
}

/// The attendance sheet of concertation `c`: one block per participant with role, RIZIV/INAMI number
/// and a line to sign.
///
/// # Errors
/// [`SheetError::NotInLanguage`] for a language without the concertation's words.
pub fn render_attendance(
    plan: &PlanDocument,
    c: &Concertation,
    lang: &str,
) -> Result<Vec<u8>, SheetError> {
    let (t, w) = words(lang)?;
    let fonts = fonts()?;
    let title = w
        .attendance_title
        .replace("{title}", &c.title)
        .replace("{name}", &plan.person.display_name);
    let mut s = Sheet::new(fonts, &t, title.clone());
    s.paragraph(MARGIN, &title, Face::Bold, 20.0, INK);
    let when = held(c, &t, &w);
    if !when.is_empty() {
        s.paragraph(MARGIN, &when, Face::Regular, SMALL, QUIET);
    }
    for p in &c.participants {
        s.y += 10.0;
        let role = if p.role.is_empty() {
            "—".to_owned()
        } else {
            p.role.clone()
        };
        s.paragraph(
            MARGIN,
            &w.participant
                .replace("{name}", &p.name)
                .replace("{role}", &role),
            Face::Bold,
            SMALL,
            INK,
        );
        let riziv = if p.riziv.trim().is_empty() {
            "—"
        } else {
            p.riziv.trim()
        };
        s.paragraph(
            MARGIN,
            &format!("{}{}{riziv}", w.riziv, w.colon),
            Face::Regular,
            SMALL,
            INK,
        );
        s.paragraph(
            MARGIN,
            &format!(
                "{}{}________________________________________",
                w.signature, w.colon
            ),
            Face::Regular,
            SMALL,
            INK,
        );
    }
    finish(s, &title)
}
