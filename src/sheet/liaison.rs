//! The liaison sheet: one page for the hospital ward, in French or Dutch (the hospital's language),
//! with what the ward needs from the person's plan: who they are and who to call, what matters to
//! them, what was agreed, the stay, and where the return home stands.

use jiff::civil::Date;
use serde::Deserialize;

use super::{Face, INK, MARGIN, QUIET, Services, Sheet, SheetError, catalogue, finish, fonts};
use crate::domain::{PlanDocument, PriorityStatus, Who};
use crate::hospital::{ChecklistItem, checklist_open};

/// Type size of the liaison sheet: a page for professionals, not the person's large type.
const SMALL: f32 = 11.0;
/// At most this many items of a list, so that the sheet stays on one page.
const MOST: usize = 8;

/// The words of the liaison sheet (in the fr, nl and en catalogues, under "liaison").
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LiaisonWords {
    /// "{name}" is filled in.
    title: String,
    /// "{date}" and "{referent}" are filled in.
    made_on: String,
    person: String,
    the_person: String,
    /// "{year}".
    born: String,
    languages: String,
    interpreter: String,
    stay: String,
    /// "{date}".
    admitted: String,
    /// "{date}".
    discharge: String,
    ward: String,
    reason: String,
    contact: String,
    told: String,
    what_matters: String,
    agreed: String,
    network: String,
    /// The proximity referent's function, after their name.
    referent: String,
    return_home: String,
    to_organise: String,
    not_needed: String,
    /// "{n}" more not printed.
    more: String,
    colon: String,
    items: std::collections::HashMap<String, String>,
}

fn item_key(item: ChecklistItem) -> String {
    serde_json::to_value(item)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The liaison sheet of `plan` for the ward, in `lang` (fr, nl or en), dated `date`, signed by the
/// referent `referent`.
///
/// # Errors
/// [`SheetError::NotInLanguage`] for a language without the liaison's words.
pub fn render_liaison(
    plan: &PlanDocument,
    lang: &str,
    date: Date,
    referent: &str,
    services: &Services,
) -> Result<Vec<u8>, SheetError> {
    let t = catalogue(lang)?;
    let w = t.liaison.clone().ok_or_else(|| {
        SheetError::NotInLanguage("liaison", lang.to_owned(), "fr, nl, en".into())
    })?;
    let fonts = fonts()?;
    let p = &plan.person;
    let full = format!("{} {}", p.first_name.trim(), p.last_name.trim());
    let name = if full.trim().is_empty() {
        p.display_name.clone()
    } else {
        full.trim().to_owned()
    };
    let title = w.title.replace("{name}", &name);
    let mut s = Sheet::new(fonts, &t, title.clone());
    s.paragraph(MARGIN, &title, Face::Bold, 20.0, INK);
    let made = w
        .made_on
        .replace("{date}", &t.date(date))
        .replace("{referent}", referent);
    s.paragraph(MARGIN, &made, Face::Regular, SMALL, QUIET);

    let line = |s: &mut Sheet<'_>, text: &str| s.paragraph(MARGIN, text, Face::Regular, SMALL, INK);
    let detail = |s: &mut Sheet<'_>, label: &str, text: &str| {
        if !text.trim().is_empty() {
            s.paragraph(
                MARGIN,
                &format!("{label}{}{text}", w.colon),
                Face::Regular,
                SMALL,
                INK,
            );
        }
    };
    let more = |s: &mut Sheet<'_>, n: usize| {
        if n > MOST {
            s.paragraph(
                MARGIN,
                &w.more.replace("{n}", &(n - MOST).to_string()),
                Face::Regular,
                SMALL,
                QUIET,
            );
        }
    };

    s.heading(&w.person);
    let mut who = name.clone();
    if let Some(year) = p.birth_year {
        who.push_str(&format!(
            ", {}",
            w.born.replace("{year}", &year.to_string())
        ));
    }
    line(&mut s, &who);
    let address = format!(
        "{}, {} {}",
        p.address.street, p.address.postal_code, p.address.commune
    );
    line(&mut s, address.trim_matches([',', ' ']));
    if !p.phone.trim().is_empty() {
        line(&mut s, &p.phone);
    }
    let mut languages = p.languages.join(", ");
    if p.interpreter_needed {
        languages.push_str(&format!(" — {}", w.interpreter));
    }
    detail(&mut s, &w.languages, &languages);

    // The stay the sheet goes with: the one not over, else the latest.
    let stay = plan
        .plan
        .stays
        .iter()
        .filter(|s| !s.discharged)
        .max_by_key(|s| s.admitted)
        .or_else(|| plan.plan.stays.iter().max_by_key(|s| s.admitted));
    if let Some(stay) = stay {
        s.heading(&w.stay);
        line(
            &mut s,
            &format!(
                "{} — {}",
                stay.hospital,
                w.admitted.replace("{date}", &t.date(stay.admitted))
            ),
        );
        detail(&mut s, &w.ward, &stay.ward);
        detail(&mut s, &w.reason, &stay.reason);
        detail(&mut s, &w.contact, &stay.hospital_contact);
        detail(&mut s, &w.told, &stay.told);
        if let Some(d) = stay.discharge_on {
            let mut text = w.discharge.replace("{date}", &t.date(d));
            if !stay.discharge_to.trim().is_empty() {
                text.push_str(&format!(" — {}", stay.discharge_to));
            }
            line(&mut s, &text);
        }
    }

    s.heading(&w.what_matters);
    let mut priorities: Vec<_> = plan
        .plan
        .priorities
        .iter()
        .filter(|x| x.status == PriorityStatus::Active)
        .collect();
    priorities.sort_by_key(|x| x.rank);
    for (i, x) in priorities.iter().take(MOST).enumerate() {
        line(&mut s, &format!("{}. {}", i + 1, x.words));
    }
    more(&mut s, priorities.len());
    if priorities.is_empty() {
        line(&mut s, &t.nothing_yet.clone());
    }

    s.heading(&w.agreed);
    let open: Vec<_> = plan
        .plan
        .actions
        .iter()
        .filter(|a| a.status.is_open())
        .collect();
    for a in open.iter().take(MOST) {
        let who = match &a.who {
            Who::Person => w.the_person.clone(),
            Who::Referent => referent.to_owned(),
            other => super::who(plan, other, &t, services),
        };
        let due = a.due.map_or_else(|| t.no_date.clone(), |d| t.date(d));
        line(&mut s, &format!("• {} — {who} — {due}", a.what));
    }
    more(&mut s, open.len());
    if open.is_empty() {
        line(&mut s, &t.nothing_yet.clone());
    }

    if let Some(stay) = stay {
        s.heading(&w.return_home);
        let to_do = checklist_open(stay, &plan.plan.actions);
        for item in ChecklistItem::ALL {
            let label = w
                .items
                .get(&item_key(item))
                .cloned()
                .unwrap_or_else(|| item_key(item));
            let state = if stay.not_needed.contains(&item) {
                w.not_needed.clone()
            } else if to_do.contains(&item) {
                w.to_organise.clone()
            } else {
                plan.plan
                    .actions
                    .iter()
                    .find(|a| matches!(&a.source, Some(crate::hospital::ItemSource::Checklist { stay: s, item: i }) if *s == stay.id && *i == item))
                    .map(|a| {
                        let who = match &a.who {
                            Who::Person => w.the_person.clone(),
                            Who::Referent => referent.to_owned(),
                            other => super::who(plan, other, &t, services),
                        };
                        let due = a.due.map_or_else(String::new, |d| format!(", {}", t.date(d)));
                        format!("{} ({who}{due})", a.what)
                    })
                    .unwrap_or_default()
            };
            line(&mut s, &format!("• {label}{}{state}", w.colon));
        }
    }

    s.heading(&w.network);
    let referent_line = format!("{referent} ({})", w.referent);
    line(&mut s, &referent_line);
    let network: Vec<_> = plan.plan.network.iter().filter(|m| !m.closed).collect();
    for m in network.iter().take(MOST) {
        let mut text = format!("• {} ({})", m.name, t.role(m.role));
        for extra in [&m.organisation, &m.phone] {
            if !extra.is_empty() {
                text.push_str(&format!(" · {extra}"));
            }
        }
        line(&mut s, &text);
    }
    more(&mut s, network.len());
    finish(s, &title)
}
