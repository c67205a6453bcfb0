//! Text as people search it: without accents or case ("Herve" finds "Hervé", "celik" finds "Çelik").

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-case, accents removed, white space collapsed to single spaces.
pub fn fold(text: &str) -> String {
    let stripped: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ł' => 'l',
            'ø' => 'o',
            'ı' => 'i',
            'đ' => 'd',
            'ß' => 's',
            other => other,
        })
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(fold("  Hervé   DUBOIS "), "herve dubois");
        assert_eq!(fold("Çelik Şükrü"), "celik sukru");
        assert_eq!(fold("Łukasz Wróbel"), "lukasz wrobel");
        assert_eq!(fold("Ștefănescu"), "stefanescu");
        assert_eq!(fold("Ünal IŞIK"), "unal isik");
    }
}
