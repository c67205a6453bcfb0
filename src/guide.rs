//! Focus guides: the region's short guides per theme (diabetes, palliative care and end of life,
//! mental health — "des informations sur les remboursements des prestations", the seeds say). Each
//! guide is a data file (`data/guides/*.json`): texts in French and Dutch (what it is, who can help,
//! what is reimbursed, how to ask), the directory themes and services it points to, its sources and
//! the day it was last checked. Proxi ships the three first guides; a newer version of a guide, or a
//! new guide, is imported from a file like the directory, and kept in the store.
//!
//! A guide opened for a person lists the services of the person's bassin first; a guide checked more
//! than a year ago says so, in the window and on paper.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::app::Proxi;
use crate::directory::index::{ServiceHit, ServiceQuery};
use crate::error::{Error, Result};
use crate::territory::Bassin;

/// The format a guide file names in its `format` field.
pub const GUIDE_FORMAT: &str = "proxi-focus-guide/1";

/// A guide checked longer ago than this many days warns that it may be out of date.
pub const STALE_AFTER_DAYS: i32 = 365;

/// The most services a guide lists in each group (the person's bassin, elsewhere).
const LISTED: u32 = 40;

/// Store-wide settings keys of imported guides: this prefix and the guide's id.
const META_PREFIX: &str = "focusGuide:";

/// The guides Proxi ships with.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "focus-diabete.json",
        include_str!("../data/guides/focus-diabete.json"),
    ),
    (
        "focus-palliatif.json",
        include_str!("../data/guides/focus-palliatif.json"),
    ),
    (
        "focus-sante-mentale.json",
        include_str!("../data/guides/focus-sante-mentale.json"),
    ),
];

/// A text in French and Dutch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GuideText {
    pub fr: String,
    pub nl: String,
}

impl GuideText {
    /// The text in `lang` (`fr` or `nl`; French for any other).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "nl" { &self.nl } else { &self.fr }
    }
}

/// Where a guide's words come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GuideSource {
    pub title: String,
    pub url: String,
}

/// One Focus guide, as its file says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct FocusGuide {
    /// Always [`GUIDE_FORMAT`].
    pub format: String,
    /// Stable, lowercase letters, digits and dashes (`focus-diabete`).
    pub id: String,
    /// Raised at each new edition of the guide.
    pub version: u32,
    /// Directory theme codes whose services the guide lists.
    pub themes: Vec<String>,
    /// Directory services the guide names besides its themes' (HSDS ids).
    pub services: Vec<String>,
    pub title: GuideText,
    /// What it is.
    pub what: GuideText,
    /// Who can help.
    pub who: GuideText,
    /// What is reimbursed: one point a line, each starting with "- ".
    pub reimbursed: GuideText,
    /// How to ask.
    pub how: GuideText,
    pub sources: Vec<GuideSource>,
    /// The day someone last checked the texts against the sources.
    #[ts(type = "string")]
    pub checked: Date,
    /// Who checked them.
    pub checked_by: String,
}

/// A guide in the list: its title, version, when it was checked, and whether that is over a year ago.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GuideSummary {
    pub id: String,
    pub version: u32,
    pub title: GuideText,
    pub themes: Vec<String>,
    #[ts(type = "string")]
    pub checked: Date,
    pub stale: bool,
    /// Imported from a file (else the one Proxi ships).
    pub imported: bool,
}

/// A guide opened, with the services it points to: those of the bassin first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GuideView {
    pub guide: FocusGuide,
    /// Checked more than a year ago.
    pub stale: bool,
    pub imported: bool,
    /// The bassin the services are sorted by (the person's, when opened from a plan).
    pub bassin: Option<Bassin>,
    /// Services of that bassin (all services, without a bassin).
    pub near: Vec<ServiceHit>,
    /// Services elsewhere in the region.
    pub elsewhere: Vec<ServiceHit>,
    /// Services the guide names that the directory does not hold.
    pub missing: Vec<String>,
}

/// What importing a guide file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GuideImport {
    pub id: String,
    pub title: GuideText,
    pub version: u32,
    /// The version it replaced, if the store or Proxi had one.
    pub replaced: Option<u32>,
    /// The same version with the same words was already there: nothing changed.
    pub unchanged: bool,
}

/// Why a guide file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuideProblem {
    #[error("{file} is not a Focus guide Proxi can read ({why})")]
    Unreadable { file: String, why: String },
    #[error("{file}: {field} {why}")]
    Field {
        file: String,
        field: String,
        why: String,
    },
    #[error(
        "{file} holds version {version} of the guide {id}, older than the version {held} you have: \
         nothing was changed"
    )]
    Older {
        file: String,
        id: String,
        version: u32,
        held: u32,
    },
    #[error(
        "{file} holds version {version} of the guide {id} with other words than the one you have: \
         whoever edits a guide raises its version; nothing was changed"
    )]
    SameVersion {
        file: String,
        id: String,
        version: u32,
    },
}

/// Reads and checks a guide file's text; `file` names it in the errors.
///
/// # Errors
/// [`Error::GuideFile`] with the file and the field that is wrong.
pub fn parse(file: &str, text: &str) -> Result<FocusGuide> {
    // The path of a wrong field (`what.nl`, `version`) is said, not only its line.
    let mut reader = serde_json::Deserializer::from_str(text);
    let guide: FocusGuide = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        let why = e.into_inner().to_string();
        GuideProblem::Unreadable {
            file: file.to_owned(),
            why: if path == "." {
                why
            } else {
                format!("{path}: {why}")
            },
        }
    })?;
    check(file, &guide)?;
    Ok(guide)
}

fn check(file: &str, g: &FocusGuide) -> Result<()> {
    let wrong = |field: &str, why: &str| {
        Err(Error::from(GuideProblem::Field {
            file: file.to_owned(),
            field: field.to_owned(),
            why: why.to_owned(),
        }))
    };
    if g.format != GUIDE_FORMAT {
        return wrong("format", &format!("must be {GUIDE_FORMAT}"));
    }
    let id_ok = !g.id.is_empty()
        && g.id.len() <= 60
        && g.id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return wrong("id", "must be 1 to 60 lowercase letters, digits and dashes");
    }
    if g.version == 0 {
        return wrong("version", "must be 1 or more");
    }
    let texts = [
        ("title", &g.title, 120),
        ("what", &g.what, 1500),
        ("who", &g.who, 1500),
        ("reimbursed", &g.reimbursed, 3000),
        ("how", &g.how, 1500),
    ];
    for (name, text, max) in texts {
        for (lang, words) in [("fr", &text.fr), ("nl", &text.nl)] {
            if words.trim().is_empty() {
                return wrong(&format!("{name}.{lang}"), "is empty");
            }
            if words.chars().count() > max {
                return wrong(
                    &format!("{name}.{lang}"),
                    &format!("is longer than {max} characters"),
                );
            }
        }
    }
    if g.themes.is_empty() && g.services.is_empty() {
        return wrong(
            "themes",
            "and services are both empty: the guide points to nothing",
        );
    }
    if g.themes
        .iter()
        .chain(&g.services)
        .any(|s| s.trim().is_empty())
    {
        return wrong("themes", "or services hold an empty code");
    }
    if g.sources.is_empty() {
        return wrong(
            "sources",
            "is empty: a guide says where its words come from",
        );
    }
    for (n, s) in g.sources.iter().enumerate() {
        if s.title.trim().is_empty() {
            return wrong(&format!("sources[{n}].title"), "is empty");
        }
        if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
            return wrong(&format!("sources[{n}].url"), "is not a web address");
        }
    }
    if g.checked_by.trim().is_empty() {
        return wrong("checkedBy", "is empty: a guide says who checked it");
    }
    Ok(())
}

/// The guides Proxi ships with, read and checked.
///
/// # Panics
/// Never for the files in the repository: a test reads each.
pub fn built_in() -> Vec<FocusGuide> {
    BUILT_IN
        .iter()
        .map(|(file, text)| parse(file, text).expect("a built-in guide reads"))
        .collect()
}

/// Whether a guide checked on `checked` is over a year old on `today`.
pub fn is_stale(checked: Date, today: Date) -> bool {
    checked
        .checked_add(jiff::Span::new().days(i64::from(STALE_AFTER_DAYS)))
        .is_ok_and(|limit| limit < today)
}

impl Proxi {
    /// The guides: Proxi's own, replaced by newer imported versions, and imported new ones; by title.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn guides(&self) -> Result<Vec<GuideSummary>> {
        let today = self.today();
        let mut list: Vec<GuideSummary> = self
            .all_guides()?
            .into_values()
            .map(|(g, imported)| GuideSummary {
                stale: is_stale(g.checked, today),
                id: g.id,
                version: g.version,
                title: g.title,
                themes: g.themes,
                checked: g.checked,
                imported,
            })
            .collect();
        list.sort_by(|a, b| a.title.fr.cmp(&b.title.fr));
        Ok(list)
    }

    /// One guide (`id`), with the directory's services it points to: those of `bassin` first, or of
    /// the person's bassin when `person` is given and `bassin` is not (the one confirmed for them,
    /// else the one their quartier, else their postal code, places them in).
    ///
    /// # Errors
    /// [`Error::GuideNotFound`], [`Error::PersonNotFound`], [`Error::Storage`], and the directory
    /// index's errors.
    pub fn guide(
        &mut self,
        id: &str,
        person: Option<Uuid>,
        bassin: Option<Bassin>,
    ) -> Result<GuideView> {
        let (guide, imported) = self
            .all_guides()?
            .remove(id)
            .ok_or_else(|| Error::GuideNotFound(id.to_owned()))?;
        let bassin = match (bassin, person) {
            (Some(b), _) => Some(b),
            // The bassin confirmed for the person, else their quartier's, else their postal code's.
            (None, Some(p)) => self.plan(p)?.person.address.bassin_placed(),
            (None, None) => None,
        };
        let mut hits = Vec::new();
        if !guide.themes.is_empty() {
            let query = ServiceQuery {
                themes: guide.themes.clone(),
                bassins: bassin.into_iter().collect(),
                limit: Some(LISTED),
                ..ServiceQuery::default()
            };
            hits = self.search_services(&query)?.hits;
        }
        let mut missing = Vec::new();
        let mut named = Vec::new();
        for sid in &guide.services {
            match self.service(sid) {
                Ok(card) => named.push(card),
                Err(Error::ServiceNotFound(_)) => missing.push(sid.clone()),
                Err(e) => return Err(e),
            }
        }
        let mut near: Vec<ServiceHit> = Vec::new();
        let mut elsewhere: Vec<ServiceHit> = Vec::new();
        for card in named {
            let hit = crate::directory::index::hit_of(&card);
            if bassin.is_none() || hit.bassin == bassin {
                near.push(hit);
            } else {
                elsewhere.push(hit);
            }
        }
        for hit in hits {
            if !near.iter().any(|h| h.id == hit.id) {
                near.push(hit);
            }
        }
        if let Some(b) = bassin {
            let query = ServiceQuery {
                themes: guide.themes.clone(),
                limit: Some(LISTED + near.len() as u32),
                ..ServiceQuery::default()
            };
            if !guide.themes.is_empty() {
                for hit in self.search_services(&query)?.hits {
                    if hit.bassin != Some(b)
                        && !elsewhere.iter().any(|h| h.id == hit.id)
                        && elsewhere.len() < LISTED as usize
                    {
                        elsewhere.push(hit);
                    }
                }
            }
        }
        // A service whose main theme is the guide's before one that has it besides another.
        let main = |h: &ServiceHit| !h.themes.first().is_some_and(|t| guide.themes.contains(t));
        near.sort_by_key(main);
        elsewhere.sort_by_key(main);
        Ok(GuideView {
            stale: is_stale(guide.checked, self.today()),
            guide,
            imported,
            bassin,
            near,
            elsewhere,
            missing,
        })
    }

    /// Imports a guide file: a new guide, or a newer version of one (kept in the store, on this
    /// laptop). A file with an older version, or the same version with other words, is refused.
    ///
    /// # Errors
    /// [`Error::GuideFile`] (unreadable, a wrong field, older), [`Error::Storage`].
    pub fn import_guide(&mut self, path: &Path) -> Result<GuideImport> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| GuideProblem::Unreadable {
            file: file.clone(),
            why: e.to_string(),
        })?;
        let guide = parse(&file, &text)?;
        let held = self.all_guides()?.remove(&guide.id);
        let replaced = held.as_ref().map(|(g, _)| g.version);
        if let Some((old, _)) = &held {
            if guide.version < old.version {
                return Err(GuideProblem::Older {
                    file,
                    id: guide.id,
                    version: guide.version,
                    held: old.version,
                }
                .into());
            }
            if guide.version == old.version {
                if *old == guide {
                    return Ok(GuideImport {
                        id: guide.id,
                        title: guide.title,
                        version: guide.version,
                        replaced,
                        unchanged: true,
                    });
                }
                return Err(GuideProblem::SameVersion {
                    file,
                    id: guide.id,
                    version: guide.version,
                }
                .into());
            }
        }
        let json = serde_json::to_string(&guide).map_err(|e| Error::Storage(e.to_string()))?;
        self.store()
            .set_meta(&format!("{META_PREFIX}{}", guide.id), Some(&json))?;
        Ok(GuideImport {
            id: guide.id,
            title: guide.title,
            version: guide.version,
            replaced,
            unchanged: false,
        })
    }

    /// The guide `id` as a PDF to hand over, in `lang` (`fr` or `nl`), with the services of the
    /// person's (or `bassin`'s) bassin first.
    ///
    /// # Errors
    /// As [`Proxi::guide`]; [`Error::Sheet`] when the PDF cannot be made.
    pub fn guide_pdf(
        &mut self,
        id: &str,
        person: Option<Uuid>,
        bassin: Option<Bassin>,
        lang: &str,
    ) -> Result<Vec<u8>> {
        let view = self.guide(id, person, bassin)?;
        // The phones of the services printed (the search's hits do not carry them).
        let mut phones = BTreeMap::new();
        for hit in view
            .near
            .iter()
            .chain(&view.elsewhere)
            .take(crate::sheet::GUIDE_SERVICES)
        {
            if let Ok(card) = self.service(&hit.id) {
                phones.insert(
                    hit.id.clone(),
                    card.phones.first().cloned().unwrap_or_default(),
                );
            }
        }
        let helpdesk = self.helpdesk()?;
        Ok(crate::sheet::render_guide(
            &view,
            &phones,
            helpdesk.as_ref(),
            lang,
            self.today(),
        )?)
    }

    /// Every guide by id: Proxi's own, replaced by an imported version when the store holds one.
    fn all_guides(&self) -> Result<BTreeMap<String, (FocusGuide, bool)>> {
        let mut all: BTreeMap<String, (FocusGuide, bool)> = built_in()
            .into_iter()
            .map(|g| (g.id.clone(), (g, false)))
            .collect();
        for (key, json) in self.store().meta_with_prefix(META_PREFIX)? {
            // Checked when imported; one that no longer reads (a newer Proxi's) is left aside.
            let Ok(g) = parse(&key, &json) else { continue };
            let newer = all
                .get(&g.id)
                .is_none_or(|(old, _)| g.version >= old.version);
            if newer {
                all.insert(g.id.clone(), (g, true));
            }
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_guides_read_and_point_to_the_directory_themes() {
        let guides = built_in();
        assert_eq!(guides.len(), 3);
        let themes: Vec<&str> = crate::directory::demo::THEMES.iter().map(|t| t.0).collect();
        for g in &guides {
            for t in &g.themes {
                assert!(themes.contains(&t.as_str()), "{}: {t}", g.id);
            }
            assert!(!g.sources.is_empty());
        }
    }

    #[test]
    fn a_guide_is_stale_a_year_and_a_day_after_its_check() {
        let checked = jiff::civil::date(2026, 1, 10);
        assert!(!is_stale(checked, jiff::civil::date(2027, 1, 10)));
        assert!(is_stale(checked, jiff::civil::date(2027, 1, 11)));
    }
}
