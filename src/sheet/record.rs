//! The whole record of one person, as a readable PDF for them (their right of access): who they
//! are, the plan with every item (also those achieved, let go or removed), the consent, and every
//! change with what it changed. In the person's language, like the sheet.

use jiff::civil::Date;
use serde::Deserialize;

use super::{BODY, Face, INK, MARGIN, NAME, QUIET, Sheet, SheetError, catalogue, finish, fonts};
use crate::document::HistoryEntry;
use crate::domain::{ActionStatus, PlanDocument, PriorityStatus};

/// The words of the record (in each catalogue, under "record").
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RecordWords {
    /// "{name}" is filled in.
    title: String,
    /// "{date}" is filled in.
    made_on: String,
    about: String,
    person: String,
    difficulties: String,
    visits: String,
    /// The hospital stays' heading.
    stays: String,
    consent: String,
    history: String,
    yes: String,
    no: String,
    /// ": " or " : ", as the language writes it.
    colon: String,
    /// "« {x} »", "„{x}”", "“{x}”".
    quoted: String,
    /// Labels of the person's details and of fields in the history, by their JSON name.
    fields: std::collections::HashMap<String, String>,
    /// Statuses of actions and priorities, by their JSON name.
    statuses: std::collections::HashMap<String, String>,
    added: String,
    /// The first line of a plan's history.
    created: String,
    /// Kinds of items, by the history's names (priority, action, member…).
    items: std::collections::HashMap<String, String>,
}

impl RecordWords {
    fn field(&self, name: &str) -> String {
        self.fields
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }
    fn status(&self, name: &str) -> String {
        self.statuses
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }
    fn yes_no(&self, b: bool) -> String {
        if b { self.yes.clone() } else { self.no.clone() }
    }
}

fn json_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A value of the history, as words.
fn value(w: &RecordWords, t: &super::Catalogue, v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::Bool(b) => w.yes_no(*b),
        serde_json::Value::String(s) if s.is_empty() => "—".into(),
        serde_json::Value::String(s) => match s.parse::<Date>() {
            Ok(d) if s.len() == 10 => t.date(d),
            _ => w.statuses.get(s).cloned().unwrap_or_else(|| s.clone()),
        },
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| value(w, t, i))
            .collect::<Vec<_>>()
            .join(", "),
        serde_json::Value::Object(o) => o
            .get("name")
            .and_then(|n| n.as_str())
            .map(str::to_owned)
            .or_else(|| o.get("kind").and_then(|k| k.as_str()).map(|k| w.field(k)))
            // An orientation: its step, and the appointment's date.
            .or_else(|| {
                let step = w.status(o.get("step")?.as_str()?);
                Some(match o.get("appointment").and_then(|a| a.as_str()) {
                    Some(day) => format!("{step} ({})", value(w, t, &serde_json::json!(day))),
                    None => step,
                })
            })
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

/// The person's whole record as a PDF, in `lang`, dated `date`.
///
/// # Errors
/// [`SheetError::UnknownLanguage`] for a language without a catalogue.
pub fn render_record(
    plan: &PlanDocument,
    history: &[HistoryEntry],
    lang: &str,
    date: Date,
) -> Result<Vec<u8>, SheetError> {
    let t = catalogue(lang)?;
    let w = t
        .record
        .clone()
        .ok_or_else(|| SheetError::NotInLanguage("record", lang.to_owned(), "en, fr, nl".into()))?;
    let fonts = fonts()?;
    let p = &plan.person;
    let name = if p.display_name.trim().is_empty() {
        format!("{} {}", p.first_name, p.last_name)
    } else {
        p.display_name.clone()
    };
    let title = w.title.replace("{name}", &name);
    let mut s = Sheet::new(fonts, &t, title.clone());
    s.paragraph(MARGIN, &title, Face::Bold, NAME, INK);
    s.paragraph(
        MARGIN,
        &w.made_on.replace("{date}", &t.date(date)),
        Face::Regular,
        BODY,
        QUIET,
    );
    s.y += 4.0;
    s.paragraph(MARGIN, &w.about, Face::Regular, BODY, INK);

    let line = |s: &mut Sheet<'_>, text: &str| {
        s.paragraph(MARGIN, text, Face::Regular, BODY, INK);
    };
    let detail = |s: &mut Sheet<'_>, label: &str, text: &str| {
        if !text.trim().is_empty() {
            s.paragraph(
                MARGIN,
                &format!("{label}{}{text}", w.colon),
                Face::Regular,
                BODY,
                INK,
            );
        }
    };

    s.heading(&w.person);
    detail(&mut s, &w.field("displayName"), &p.display_name);
    detail(&mut s, &w.field("firstName"), &p.first_name);
    detail(&mut s, &w.field("lastName"), &p.last_name);
    if let Some(year) = p.birth_year {
        detail(&mut s, &w.field("birthYear"), &year.to_string());
    }
    detail(&mut s, &w.field("languages"), &p.languages.join(", "));
    detail(
        &mut s,
        &w.field("interpreterNeeded"),
        &w.yes_no(p.interpreter_needed),
    );
    let address = format!(
        "{}, {} {}",
        p.address.street, p.address.postal_code, p.address.commune
    );
    detail(
        &mut s,
        &w.field("address"),
        address.trim_matches([',', ' ']),
    );
    detail(&mut s, &w.field("phone"), &p.phone);
    detail(&mut s, &w.field("notes"), &p.notes);

    s.heading(&t.what_matters.clone());
    let mut priorities = plan.plan.priorities.clone();
    priorities.sort_by_key(|x| (x.status != PriorityStatus::Active, x.rank));
    for x in &priorities {
        let mut text = format!("• {} ({})", x.words, w.status(&json_name(&x.status)));
        if let Some(d) = x.review_date {
            text.push_str(&format!(" · {} {}", w.field("reviewDate"), t.date(d)));
        }
        line(&mut s, &text);
    }
    if priorities.is_empty() {
        line(&mut s, &t.nothing_yet.clone());
    }
    for (title, items) in [
        (
            t.strengths.clone(),
            plan.plan
                .strengths
                .iter()
                .map(|x| (x.words.clone(), x.closed))
                .collect::<Vec<_>>(),
        ),
        (
            w.difficulties.clone(),
            plan.plan
                .difficulties
                .iter()
                .map(|x| (x.words.clone(), x.closed))
                .collect(),
        ),
    ] {
        s.heading(&title);
        for (words, closed) in &items {
            let mark = if *closed {
                format!(" ({})", w.field("closed"))
            } else {
                String::new()
            };
            line(&mut s, &format!("• {words}{mark}"));
        }
        if items.is_empty() {
            line(&mut s, &t.nothing_yet.clone());
        }
    }

    s.heading(&t.agreed.clone());
    for a in &plan.plan.actions {
        let who = super::who(plan, &a.who, &t, &super::Services::new());
        let due = a.due.map_or_else(|| t.no_date.clone(), |d| t.date(d));
        let status = w.status(&json_name(&a.status));
        line(&mut s, &format!("• {} — {who} — {due} ({status})", a.what));
        if !a.outcome.is_empty() && matches!(a.status, ActionStatus::Done | ActionStatus::Dropped) {
            s.paragraph(MARGIN + 14.0, &a.outcome, Face::Regular, BODY, QUIET);
        }
    }
    if plan.plan.actions.is_empty() {
        line(&mut s, &t.nothing_yet.clone());
    }

    s.heading(&t.who_to_call.clone());
    for m in &plan.plan.network {
        let role = t.role(m.role);
        let mut text = format!("• {} ({role})", m.name);
        for extra in [&m.organisation, &m.phone, &m.email] {
            if !extra.is_empty() {
                text.push_str(&format!(" · {extra}"));
            }
        }
        if m.closed {
            text.push_str(&format!(" ({})", w.field("closed")));
        }
        line(&mut s, &text);
    }
    if plan.plan.network.is_empty() {
        line(&mut s, &t.nothing_yet.clone());
    }

    s.heading(&w.stays);
    for stay in &plan.plan.stays {
        let mut text = format!(
            "• {} — {} {}",
            stay.hospital,
            w.field("admitted"),
            t.date(stay.admitted)
        );
        if let Some(d) = stay.discharge_on {
            text.push_str(&format!(" · {} {}", w.field("dischargeOn"), t.date(d)));
        }
        line(&mut s, &text);
        for (field, value) in [
            ("ward", &stay.ward),
            ("hospitalContact", &stay.hospital_contact),
            ("reason", &stay.reason),
            ("told", &stay.told),
            ("dischargeTo", &stay.discharge_to),
        ] {
            if !value.trim().is_empty() {
                s.paragraph(
                    MARGIN + 14.0,
                    &format!("{}{}{value}", w.field(field), w.colon),
                    Face::Regular,
                    BODY,
                    INK,
                );
            }
        }
    }
    if plan.plan.stays.is_empty() {
        line(&mut s, &t.nothing_yet.clone());
    }

    s.heading(&w.visits);
    let mut visits = plan.plan.visits.clone();
    visits.sort_by_key(|v| v.date);
    for v in &visits {
        let mut text = format!("• {}", t.date(v.date));
        if !v.notes.is_empty() {
            text.push_str(&format!(" — {}", v.notes));
        }
        line(&mut s, &text);
    }
    if visits.is_empty() {
        line(&mut s, &t.nothing_yet.clone());
    }

    s.heading(&w.consent);
    match &plan.consent {
        Some(c) => {
            detail(&mut s, &w.field("recordedOn"), &t.date(c.recorded_on));
            detail(&mut s, &w.field("recordedBy"), &c.recorded_by);
            detail(&mut s, &w.field("keepPlan"), &w.yes_no(c.keep_plan));
            detail(
                &mut s,
                &w.field("shareWithTeam"),
                &w.yes_no(c.share_with_team),
            );
            detail(
                &mut s,
                &w.field("professionals"),
                &c.professionals.join(", "),
            );
        }
        None => line(&mut s, &t.nothing_yet.clone()),
    }

    s.heading(&w.history);
    for entry in history {
        let day = entry.at.to_zoned(crate::clock::brussels()).date();
        s.paragraph(
            MARGIN,
            &format!("{} — {}", t.date(day), entry.author),
            Face::Bold,
            BODY,
            INK,
        );
        if entry.changes.is_empty() && entry.action == "person.create" {
            s.paragraph(MARGIN + 14.0, &w.created, Face::Regular, BODY, INK);
        }
        for c in &entry.changes {
            let label = match c.label.parse::<Date>() {
                Ok(d) if c.item == "visit" => t.date(d),
                _ => c.label.clone(),
            };
            let kind = w
                .items
                .get(&c.item)
                .cloned()
                .unwrap_or_else(|| c.item.clone());
            let text = if c.field.is_empty() {
                format!("{} ({kind}){}{label}", w.added, w.colon)
            } else {
                let field = if c.item == "plan" {
                    w.field("planReviewDate")
                } else {
                    w.field(c.field.rsplit('.').next().unwrap_or(&c.field))
                };
                let what = if label.is_empty() || c.item == "person" || c.item == "plan" {
                    field
                } else {
                    format!("{kind} {}, {field}", w.quoted.replace("{x}", &label))
                };
                format!(
                    "{what}{}{} → {}",
                    w.colon,
                    value(&w, &t, &c.old),
                    value(&w, &t, &c.new)
                )
            };
            s.paragraph(MARGIN + 14.0, &text, Face::Regular, BODY, INK);
        }
    }
    finish(s, &title)
}
