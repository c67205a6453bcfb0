//! The sheet read aloud, for a person who cannot read: the same words as the printed sheet (its
//! labels in the sheet's language, the person's priorities, what was agreed, the next visit), spoken
//! by `espeak-ng` (a Debian package) with the language's voice.

use std::io::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use jiff::civil::Date;

use super::{Services, SheetError, active_priorities, catalogue, next_visit, who};
use crate::domain::{ActionStatus, PlanDocument};

/// The voice of `espeak-ng` for each sheet language; a language without one is not read aloud.
const VOICES: &[(&str, &str)] = &[
    ("fr", "fr-be"),
    ("nl", "nl"),
    ("en", "en-gb"),
    ("ar", "ar"),
    ("tr", "tr"),
    ("es", "es"),
    ("pt", "pt"),
    ("it", "it"),
    ("pl", "pl"),
    ("ro", "ro"),
    ("bg", "bg"),
    ("ru", "ru"),
    ("uk", "uk"),
    ("sq", "sq"),
    ("fa", "fa"),
];

/// The words of the sheet in reading order, one sentence per line.
///
/// # Errors
/// [`SheetError::UnknownLanguage`] for a language without a sheet.
pub fn script(plan: &PlanDocument, lang: &str, services: &Services) -> Result<String, SheetError> {
    let t = catalogue(lang)?;
    let mut lines = Vec::new();
    let name = if plan.person.first_name.trim().is_empty() {
        &plan.person.display_name
    } else {
        &plan.person.first_name
    };
    lines.push(format!("{}. {}.", t.title, name));
    lines.push(format!("{}.", t.what_matters));
    for (n, p) in active_priorities(plan).iter().enumerate() {
        lines.push(format!("{}. {}.", n + 1, p.words.trim_end_matches('.')));
    }
    lines.push(format!("{}.", t.agreed));
    for a in plan
        .plan
        .actions
        .iter()
        .filter(|a| !matches!(a.status, ActionStatus::Dropped | ActionStatus::Done))
    {
        let when = a.due.map_or_else(|| t.no_date.clone(), |d: Date| t.date(d));
        lines.push(format!(
            "{}. {}, {}.",
            a.what.trim_end_matches('.'),
            who(plan, &a.who, &t, services),
            when
        ));
    }
    if let Some(next) = next_visit(plan) {
        lines.push(format!("{}: {}.", t.next_visit, t.date(next)));
    }
    Ok(lines.join("\n"))
}

/// The `espeak-ng` voice for `lang`, if it has one.
pub fn voice(lang: &str) -> Option<&'static str> {
    VOICES.iter().find(|(l, _)| *l == lang).map(|(_, v)| *v)
}

/// Starts reading `text` aloud in `lang` (or writes the sound to `wav` instead); the caller may stop
/// it by killing the child.
///
/// # Errors
/// [`SheetError::NoVoice`] when the language has no voice or `espeak-ng` cannot be started.
pub fn speak(text: &str, lang: &str, wav: Option<&Path>) -> Result<Child, SheetError> {
    let voice = voice(lang).ok_or_else(|| SheetError::NoVoice(lang.to_owned()))?;
    let mut command = Command::new("espeak-ng");
    command.args(["-v", voice, "-s", "135", "--stdin"]);
    if let Some(wav) = wav {
        command.arg("-w").arg(wav);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| SheetError::NoVoice(format!("{lang} (espeak-ng: {e})")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| SheetError::NoVoice(format!("{lang} (espeak-ng: {e})")))?;
    }
    Ok(child)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sheet_language_but_lingala_has_a_voice() {
        for lang in crate::sheet::languages() {
            assert_eq!(voice(lang).is_some(), lang != "ln", "{lang}");
        }
    }
}
