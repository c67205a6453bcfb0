//! The sheet's words, one file per language (`src/sheet/lang/<code>.json`): its labels, month names and
//! date format, direction, and who checked it; which language a person's sheet and record are in.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Deserialize;

use super::{SheetError, record};
use crate::domain::{NetworkRole, PlanDocument};

include!(concat!(env!("OUT_DIR"), "/sheet_langs.rs"));

/// The words of the sheet in one language (`src/sheet/lang/<code>.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Catalogue {
    /// The language's name in itself ("العربية", "Türkçe").
    pub(crate) language: String,
    pub(crate) direction: Direction,
    /// Other ISO 639 codes whose speakers read this sheet (Moroccan Arabic `ary` reads `ar`, Dari
    /// `prs` reads `fa`).
    #[serde(default)]
    pub(crate) also_for: Vec<String>,
    pub(crate) status: LanguageStatus,
    /// Who checked the words, when a native speaker did.
    pub(crate) checked_by: Option<String>,
    pub(crate) title: String,
    pub(crate) what_matters: String,
    pub(crate) strengths: String,
    pub(crate) agreed: String,
    pub(crate) who_to_call: String,
    pub(crate) next_visit: String,
    pub(crate) no_date: String,
    pub(crate) who_me: String,
    pub(crate) who_referent: String,
    pub(crate) who_service: String,
    pub(crate) continued: String,
    pub(crate) page: String,
    pub(crate) nothing_yet: String,
    pub(crate) name: String,
    pub(crate) date: String,
    pub(crate) months: [String; 12],
    pub(crate) date_format: String,
    /// How the first day of a month is written, when not "1" ("1er" in French).
    #[serde(default)]
    pub(crate) first_day: Option<String>,
    pub(crate) roles: HashMap<String, String>,
    /// The referent's papers, in the window's languages only.
    pub(crate) recovery: Option<RecoveryWords>,
    pub(crate) record: Option<record::RecordWords>,
    /// The liaison sheet for a hospital ward, in the hospitals' languages only.
    pub(crate) liaison: Option<super::liaison::LiaisonWords>,
    /// The concertation's report and attendance sheet, in the window's languages only.
    pub(crate) concertation: Option<super::report::ConcertationWords>,
    /// A Diapason group's report, in the window's languages only.
    pub(crate) group: Option<super::group::GroupWords>,
    /// A Focus guide on paper, in the guides' languages (French, Dutch) only.
    pub(crate) guide: Option<super::guide::GuideWords>,
}

/// Which way a language is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Direction {
    Ltr,
    Rtl,
}

/// Whether a native speaker checked a language's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LanguageStatus {
    Checked,
    ToCheck,
}

/// The words of the recovery key's page (for the referent, in the window's language).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RecoveryWords {
    pub(crate) title: String,
    /// "{name}" and "{date}" are filled in.
    pub(crate) made_for: String,
    pub(crate) key: String,
    pub(crate) what: String,
    pub(crate) keep: String,
    pub(crate) how: String,
}

impl Catalogue {
    pub(crate) fn date(&self, d: Date) -> String {
        let month = self
            .months
            .get(usize::try_from(d.month() - 1).unwrap_or(0))
            .cloned()
            .unwrap_or_default();
        let day = match &self.first_day {
            Some(first) if d.day() == 1 => first.clone(),
            _ => d.day().to_string(),
        };
        self.date_format
            .replace("{day}", &day)
            .replace("{month}", &month)
            .replace("{year}", &d.year().to_string())
    }

    pub(crate) fn role(&self, role: NetworkRole) -> String {
        let key = serde_json::to_value(role)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.roles.get(&key).cloned().unwrap_or(key)
    }
}

/// The languages a sheet can be printed in.
pub fn languages() -> Vec<&'static str> {
    CATALOGUES.iter().map(|(code, _)| *code).collect()
}

/// The language a person's record is written in: the first language they speak among those the record
/// is written in (French, Dutch, English).
pub fn record_language_for(plan: &PlanDocument) -> Option<&'static str> {
    plan.person.languages.iter().find_map(|l| {
        CATALOGUES
            .iter()
            .find(|(code, _)| code == l)
            .filter(|(code, _)| catalogue(code).is_ok_and(|t| t.record.is_some()))
            .map(|(code, _)| *code)
    })
}

/// One language of the sheet, as the window and the README list them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SheetLanguage {
    /// ISO 639-1 code, the file's name.
    pub code: String,
    /// Its name in itself.
    pub name: String,
    pub right_to_left: bool,
    /// Other ISO 639 codes whose speakers read this sheet.
    pub also_for: Vec<String>,
    pub status: LanguageStatus,
    pub checked_by: Option<String>,
}

/// Every sheet language with its name and whether a native speaker checked it.
///
/// # Errors
/// [`SheetError::BrokenCatalogue`] if a language file is broken (a test reads them all).
pub fn sheet_languages() -> Result<Vec<SheetLanguage>, SheetError> {
    CATALOGUES
        .iter()
        .map(|(code, _)| {
            let t = catalogue(code)?;
            Ok(SheetLanguage {
                code: (*code).to_owned(),
                name: t.language,
                right_to_left: t.direction == Direction::Rtl,
                also_for: t.also_for,
                status: t.status,
                checked_by: t.checked_by,
            })
        })
        .collect()
}

/// The language a person's sheet is printed in: the first language they speak that the sheet
/// speaks; `None` when the sheet speaks none of them (the window then asks, never guesses).
pub fn language_for(plan: &PlanDocument) -> Option<&'static str> {
    plan.person.languages.iter().find_map(|l| {
        CATALOGUES
            .iter()
            .find(|(code, _)| {
                code == l || catalogue(code).is_ok_and(|t| t.also_for.iter().any(|a| a == l))
            })
            .map(|(code, _)| *code)
    })
}

pub(crate) fn catalogue(lang: &str) -> Result<Catalogue, SheetError> {
    let (_, json) = CATALOGUES
        .iter()
        .find(|(code, _)| *code == lang)
        .ok_or_else(|| SheetError::UnknownLanguage(lang.to_owned(), languages().join(", ")))?;
    serde_json::from_str(json)
        .map_err(|e| SheetError::BrokenCatalogue(lang.to_owned(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::catalogue;
    use jiff::civil::date;

    #[test]
    fn the_first_of_the_month_is_written_as_each_language_writes_it() {
        let fr = catalogue("fr").expect("fr");
        assert_eq!(fr.date(date(2027, 1, 1)), "1er janvier 2027");
        assert_eq!(fr.date(date(2027, 1, 2)), "2 janvier 2027");
        assert_eq!(
            catalogue("nl").expect("nl").date(date(2027, 1, 1)),
            "1 januari 2027"
        );
        assert_eq!(
            catalogue("es").expect("es").date(date(2027, 1, 1)),
            "1 de enero de 2027"
        );
    }
}
