//! How hard a new passphrase is to guess, estimated with zxcvbn, and the one rule new stores follow:
//! at least [`MIN_CHARS`] characters and a zxcvbn score of 3 ("safely unguessable" against a slow
//! hash, which Argon2id is).

use serde::Serialize;
use ts_rs::TS;
use zxcvbn::feedback::Warning;

/// The fewest characters a new passphrase may have.
pub const MIN_CHARS: usize = 10;
/// The lowest zxcvbn score (0 to 4) a new passphrase may have.
pub const MIN_SCORE: u8 = 3;

/// Why a passphrase is refused, for a sentence that says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Weakness {
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort,
    /// A password many people use, or close to one.
    Common,
    /// Keyboard rows, repeats, sequences like "abc" or "1234".
    Pattern,
    /// A date or a recent year.
    Dates,
    /// A first name or surname alone.
    Names,
    /// One word alone.
    SingleWord,
    /// None of the above, but still found in few guesses.
    Guessable,
}

/// The estimate shown under the field as it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Strength {
    /// zxcvbn's score, 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// Whether a new store accepts it.
    pub enough: bool,
    /// Why it is refused, when it is.
    pub weakness: Option<Weakness>,
}

/// Words of this context that make a passphrase easy to guess for someone who knows where it is used.
const CONTEXT: &[&str] = &[
    "proxi",
    "bruxelles",
    "brussel",
    "brussels",
    "referent",
    "référent",
    "motdepasse",
    "wachtwoord",
    "password",
    "passphrase",
    "azerty",
];

/// Estimates `passphrase`; `personal` are words the referent is known by (their name).
pub fn strength(passphrase: &str, personal: &[&str]) -> Strength {
    let mut inputs: Vec<&str> = CONTEXT.to_vec();
    inputs.extend(personal.iter().flat_map(|p| p.split_whitespace()));
    inputs.extend(personal.iter().copied());
    let folded = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    // One's own name, however written, is the first thing a guesser tries.
    let own_name = personal
        .iter()
        .any(|p| !folded(p).is_empty() && folded(passphrase).contains(&folded(p)));
    let estimate = zxcvbn::zxcvbn(passphrase, &inputs);
    let score = u8::from(estimate.score());
    let chars = passphrase.chars().count();
    let warning = estimate.feedback().and_then(|f| f.warning());
    let weakness = if chars < MIN_CHARS {
        Some(Weakness::TooShort)
    } else if own_name && score < 4 {
        Some(Weakness::Names)
    } else if score >= MIN_SCORE {
        None
    } else {
        Some(match warning {
            Some(
                Warning::ThisIsATop10Password
                | Warning::ThisIsATop100Password
                | Warning::ThisIsACommonPassword
                | Warning::ThisIsSimilarToACommonlyUsedPassword,
            ) => Weakness::Common,
            Some(
                Warning::StraightRowsOfKeysAreEasyToGuess
                | Warning::ShortKeyboardPatternsAreEasyToGuess
                | Warning::RepeatsLikeAaaAreEasyToGuess
                | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess
                | Warning::SequencesLikeAbcAreEasyToGuess,
            ) => Weakness::Pattern,
            Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => {
                Weakness::Dates
            }
            Some(
                Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
                | Warning::CommonNamesAndSurnamesAreEasyToGuess,
            ) => Weakness::Names,
            Some(Warning::AWordByItselfIsEasyToGuess) => Weakness::SingleWord,
            None => Weakness::Guessable,
        })
    };
    Strength {
        score,
        enough: weakness.is_none(),
        weakness,
    }
}

/// Refuses a passphrase too easy to guess for a new store.
///
/// # Errors
/// [`crate::Error::PassphraseTooWeak`] with the reason.
pub fn check_new(passphrase: &str, personal: &[&str]) -> crate::Result<()> {
    match strength(passphrase, personal).weakness {
        None => Ok(()),
        Some(w) => Err(crate::Error::PassphraseTooWeak(w)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases_are_refused_with_their_reason() {
        assert_eq!(strength("demo", &[]).weakness, Some(Weakness::TooShort));
        assert_eq!(
            strength("password123", &[]).weakness,
            Some(Weakness::Common)
        );
        assert_eq!(
            strength("aaaaaaaaaaaa", &[]).weakness,
            Some(Weakness::Pattern)
        );
        assert!(!strength("azertyuiop", &[]).enough);
        assert!(!strength("Marie Dupont", &["Marie Dupont"]).enough);
        assert!(!strength("proxibruxelles", &[]).enough);
        assert!(matches!(
            check_new("1234567890", &[]),
            Err(crate::Error::PassphraseTooWeak(_))
        ));
    }

    #[test]
    fn a_few_unrelated_words_are_enough() {
        let s = strength("tortue violon marée cactus", &[]);
        assert!(s.enough, "{s:?}");
        assert_eq!(s.score, 4);
        assert!(check_new("girafe sous la pluie verte", &["Marie"]).is_ok());
    }
}
