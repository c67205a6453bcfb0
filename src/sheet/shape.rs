//! Lines of text as glyphs. A line in a left-to-right sheet written in Latin, Greek or Cyrillic letters
//! goes straight to the PDF as text (one glyph per character, as DejaVu Sans draws them). Any other
//! line (Arabic letters, or any line of a right-to-left sheet) is
//! 1. ordered with the Unicode bidirectional algorithm (`unicode-bidi`), the sheet's direction being
//!    the paragraph's, and phone-like numbers kept left to right as a whole;
//! 2. cut into runs of one font: Noto Sans Arabic for the Arabic script, DejaVu Sans for the rest;
//! 3. shaped with `rustybuzz` (HarfBuzz's algorithm: joining forms, ligatures such as lam-alef,
//!    mirrored brackets), and written as glyph ids, each with the text it stands for (so that copying
//!    or `pdftotext` gives the words back).
//!
//! A character that no embedded font can draw is reported, never drawn as a box.

use std::ops::Range;
use std::sync::OnceLock;

use printpdf::{Codepoint, ParsedFont};
use unicode_bidi::{Level, ParagraphBidiInfo};

/// The sheet's fonts, each parsed twice: by printpdf (to embed it) and by rustybuzz (to shape with it).
pub(crate) struct Fonts {
    faces: Vec<Font>,
}

pub(crate) struct Font {
    /// The name of the font in the PDF's resources.
    pub(crate) id: &'static str,
    /// Its file in the repository.
    pub(crate) file: &'static str,
    pub(crate) parsed: ParsedFont,
    face: rustybuzz::Face<'static>,
    units: f32,
}

/// Which of the sheet's fonts: the weight, and the script it is for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) enum FontKey {
    Regular = 0,
    Bold = 1,
    ArabicRegular = 2,
    ArabicBold = 3,
}

impl FontKey {
    fn arabic(self) -> FontKey {
        match self {
            FontKey::Regular | FontKey::ArabicRegular => FontKey::ArabicRegular,
            FontKey::Bold | FontKey::ArabicBold => FontKey::ArabicBold,
        }
    }

    fn latin(self) -> FontKey {
        match self {
            FontKey::Regular | FontKey::ArabicRegular => FontKey::Regular,
            FontKey::Bold | FontKey::ArabicBold => FontKey::Bold,
        }
    }
}

/// The fonts, parsed once per process; `None` if one of them cannot be read.
pub(crate) fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let files: [(&'static str, &'static str, &'static [u8]); 4] = [
                (
                    "PXREGU",
                    "assets/fonts/DejaVuSans.ttf",
                    include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
                ),
                (
                    "PXBOLD",
                    "assets/fonts/DejaVuSans-Bold.ttf",
                    include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
                ),
                (
                    "PXARRE",
                    "assets/fonts/NotoSansArabic-Regular.ttf",
                    include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
                ),
                (
                    "PXARBO",
                    "assets/fonts/NotoSansArabic-Bold.ttf",
                    include_bytes!("../../assets/fonts/NotoSansArabic-Bold.ttf"),
                ),
            ];
            let mut faces = Vec::new();
            for (id, file, bytes) in files {
                let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
                let face = rustybuzz::Face::from_slice(bytes, 0)?;
                let units = f32::from(face.units_per_em().clamp(1, 16_384) as u16);
                faces.push(Font {
                    id,
                    file,
                    parsed,
                    face,
                    units,
                });
            }
            Some(Fonts { faces })
        })
        .as_ref()
}

/// One stretch of a line in one font: where it starts (points from the line's left end) and its glyphs.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub(crate) font: FontKey,
    pub(crate) x: f32,
    pub(crate) glyphs: Vec<Codepoint>,
    /// The text shaped into this run, in reading order, and its direction.
    pub(crate) text: String,
    pub(crate) rtl: bool,
}

/// A line ready to draw.
#[derive(Debug, Clone)]
pub(crate) enum Laid {
    /// Plain text in one font, one glyph per character.
    Text { font: FontKey, text: String },
    /// Shaped glyph runs, left to right as they appear on paper.
    Glyphs(Vec<Run>),
}

/// A line measured and laid out, with the characters no font has.
pub(crate) struct Line {
    pub(crate) width: f32,
    pub(crate) laid: Laid,
    pub(crate) missing: Vec<char>,
}

/// Bidirectional controls: they order the line and are never shaped or drawn.
fn bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Joiners and other characters without a glyph of their own that change the shaping of their
/// neighbours (a zero-width non-joiner keeps two Persian letters apart): shaped with the text.
fn joiner(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Letters of the Arabic script (Arabic, Persian, Urdu…), drawn with Noto Sans Arabic.
fn arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{0870}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Characters that need the bidirectional algorithm or shaping: right-to-left scripts and the
/// scripts whose letters change with their neighbours.
pub(crate) fn complex(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{0DFF}' | '\u{0E00}'..='\u{0FFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}' | '\u{FB1D}'..='\u{FEFF}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
        || bidi_control(c)
        || joiner(c)
}

impl Fonts {
    pub(crate) fn font(&self, key: FontKey) -> &Font {
        &self.faces[key as usize]
    }

    fn has(&self, key: FontKey, c: char) -> bool {
        self.font(key).face.glyph_index(c).is_some()
    }

    /// Lays out one line (no line break inside) in `face`'s weight at `size` points.
    pub(crate) fn line(&self, text: &str, face: FontKey, size: f32, rtl: bool) -> Line {
        if !rtl && !text.chars().any(complex) {
            return self.plain(text, face, size);
        }
        let isolated = isolate_numbers(text);
        let level = if rtl { Level::rtl() } else { Level::ltr() };
        let info = ParagraphBidiInfo::new(&isolated, Some(level));
        let (levels, runs) = info.visual_runs(0..isolated.len());
        let mut out = Vec::new();
        let mut missing = Vec::new();
        let mut x = 0.0;
        for range in runs {
            let run_rtl = levels[range.start].is_rtl();
            let mut pieces = self.by_font(&isolated, range, face, &mut missing);
            if run_rtl {
                pieces.reverse();
            }
            for (font, piece) in pieces {
                let (glyphs, advance, lead) =
                    self.shape(&isolated[piece.clone()], font, size, run_rtl);
                if !glyphs.is_empty() {
                    out.push(Run {
                        font,
                        x: x + lead,
                        glyphs,
                        text: isolated[piece].to_owned(),
                        rtl: run_rtl,
                    });
                }
                x += advance;
            }
        }
        Line {
            width: x,
            laid: Laid::Glyphs(out),
            missing,
        }
    }

    /// A line of simple text: each character's advance in the font, no shaping.
    fn plain(&self, text: &str, face: FontKey, size: f32) -> Line {
        let font = self.font(face);
        let mut missing = Vec::new();
        let width = text
            .chars()
            .map(|c| match font.parsed.lookup_glyph_index(c as u32) {
                Some(glyph) => f32::from(font.parsed.get_horizontal_advance(glyph)),
                None => {
                    if !c.is_whitespace() && !c.is_control() {
                        missing.push(c);
                    }
                    0.0
                }
            })
            .sum::<f32>()
            * size
            / font.units;
        Line {
            width,
            laid: Laid::Text {
                font: face,
                text: text.to_owned(),
            },
            missing,
        }
    }

    /// Cuts `range` of `text` (in logical order) into pieces of one font each. Spaces and punctuation
    /// stay in the font of the letters before them when it has them.
    fn by_font(
        &self,
        text: &str,
        range: Range<usize>,
        face: FontKey,
        missing: &mut Vec<char>,
    ) -> Vec<(FontKey, Range<usize>)> {
        let mut pieces: Vec<(FontKey, Range<usize>)> = Vec::new();
        for (i, c) in text[range.clone()].char_indices() {
            let at = range.start + i;
            let end = at + c.len_utf8();
            if bidi_control(c) {
                continue;
            }
            let wanted = if arabic(c) {
                face.arabic()
            } else {
                face.latin()
            };
            let current = pieces.last().map(|(f, _)| *f);
            let neutral = !c.is_alphanumeric();
            let font = match current {
                Some(f) if joiner(c) => f,
                Some(f) if neutral && self.has(f, c) => f,
                _ if self.has(wanted, c) => wanted,
                _ if self.has(wanted.arabic(), c) => wanted.arabic(),
                _ if self.has(wanted.latin(), c) => wanted.latin(),
                _ => {
                    if !c.is_whitespace() && !c.is_control() {
                        missing.push(c);
                    }
                    continue;
                }
            };
            match pieces.last_mut() {
                Some((f, r)) if *f == font && r.end == at => r.end = end,
                _ => pieces.push((font, at..end)),
            }
        }
        pieces
    }

    /// Shapes `text` in one font and direction: the glyphs left to right, each with the text of its
    /// cluster and the adjustment that puts it where the shaper placed it; the total advance; and
    /// how far the first glyph sits from the pen (points).
    fn shape(&self, text: &str, key: FontKey, size: f32, rtl: bool) -> (Vec<Codepoint>, f32, f32) {
        let font = self.font(key);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        let shaped = rustybuzz::shape(&font.face, &[], buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        // Each cluster's text: from its start to the next larger cluster start.
        let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let cluster_text = |start: usize| {
            let end = starts
                .iter()
                .find(|&&s| s > start)
                .copied()
                .unwrap_or(text.len());
            text.get(start..end).unwrap_or_default()
        };
        let mut glyphs: Vec<Codepoint> = Vec::with_capacity(infos.len());
        let mut total = 0_i32;
        for (n, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let gid = u16::try_from(info.glyph_id).unwrap_or(0);
            let nominal = i32::from(
                font.face
                    .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
                    .unwrap_or(0),
            );
            let next_offset = positions.get(n + 1).map_or(0, |p| p.x_offset);
            // TJ moves left by this many thousandths of an em after the glyph's own width.
            let adjust = nominal - pos.x_advance + pos.x_offset - next_offset;
            let offset = adjust as f32 * 1000.0 / font.units;
            glyphs.push(Codepoint {
                gid,
                offset,
                cid: Some(glyph_text(
                    infos,
                    n,
                    cluster_text(info.cluster as usize),
                    rtl,
                )),
            });
            total += pos.x_advance;
        }
        let scale = size / font.units;
        // The first glyph's own offset moves the run's start.
        let lead = positions.first().map_or(0.0, |p| p.x_offset as f32 * scale);
        (glyphs, total as f32 * scale, lead)
    }
}

/// The text glyph `n` stands for (what copying it gives back): its cluster's text when it is the
/// cluster's only glyph (a ligature stands for all its letters); when the cluster has as many glyphs as
/// characters (a letter and its mark), the character at its place in reading order; else the whole
/// text on the cluster's first glyph in reading order and nothing on the others. Right to left, a
/// ligature's letters are written last to first: PDF readers reverse them with the run.
fn glyph_text(infos: &[rustybuzz::GlyphInfo], n: usize, cluster: &str, rtl: bool) -> String {
    let id = infos[n].cluster;
    let members: Vec<usize> = (0..infos.len())
        .filter(|&i| infos[i].cluster == id)
        .collect();
    // In reading order: right to left the shaper gives glyphs last first.
    let place = members.iter().position(|&i| i == n).unwrap_or(0);
    let place = if rtl {
        members.len() - 1 - place
    } else {
        place
    };
    let chars: Vec<char> = cluster.chars().collect();
    if members.len() == 1 {
        if rtl {
            chars.iter().rev().collect()
        } else {
            cluster.to_owned()
        }
    } else if members.len() == chars.len() {
        chars[place].to_string()
    } else if place == 0 {
        cluster.to_owned()
    } else {
        String::new()
    }
}

/// Wraps phone-like numbers ("02 123 45 67", "+32 2 123 45 67") in a left-to-right isolate, so that a
/// right-to-left line keeps their groups in the order they are dialled.
fn isolate_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || (c == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            // Extend over digits and the separators found between digits.
            let mut end = i + 1;
            let mut last_digit = i;
            while end < chars.len() {
                let d = chars[end];
                if d.is_ascii_digit() {
                    last_digit = end;
                } else if !matches!(d, ' ' | '.' | '/' | '-' | '\u{A0}' | '\u{202F}') {
                    break;
                }
                end += 1;
            }
            let number: String = chars[i..=last_digit].iter().collect();
            if number.chars().any(|d| !d.is_ascii_digit()) {
                out.push('\u{2066}');
                out.push_str(&number);
                out.push('\u{2069}');
            } else {
                out.push_str(&number);
            }
            i = last_digit + 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_separators_are_isolated_and_plain_numbers_left_alone() {
        assert_eq!(
            isolate_numbers("اتصل 02 123 45 67 الآن"),
            "اتصل \u{2066}02 123 45 67\u{2069} الآن"
        );
        assert_eq!(isolate_numbers("2026"), "2026");
        assert_eq!(isolate_numbers("صفحة 2 / 3"), "صفحة \u{2066}2 / 3\u{2069}");
        assert_eq!(isolate_numbers("+32 2 123"), "\u{2066}+32 2 123\u{2069}");
    }

    #[test]
    fn an_arabic_word_is_shaped_right_to_left_with_its_text() {
        let fonts = fonts().expect("fonts");
        let line = fonts.line("لا", FontKey::Regular, 14.0, true);
        let Laid::Glyphs(runs) = line.laid else {
            panic!("not shaped")
        };
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].font, FontKey::ArabicRegular);
        // lam-alef: one ligature glyph standing for both letters.
        assert_eq!(runs[0].glyphs.len(), 1, "{:?}", runs[0].glyphs);
        // Its text is written last letter first, as PDF readers reverse right-to-left runs (the
        // integration tests check that pdftotext gives "لا" back).
        assert_eq!(runs[0].glyphs[0].cid.as_deref(), Some("ال"));
        assert!(line.missing.is_empty());
    }

    #[test]
    fn a_script_without_a_font_is_reported() {
        let fonts = fonts().expect("fonts");
        let line = fonts.line("ሰላም", FontKey::Regular, 14.0, false);
        assert_eq!(line.missing, vec!['ሰ', 'ላ', 'ም']);
        let line = fonts.line("ሰላም", FontKey::Regular, 14.0, true);
        assert_eq!(line.missing.len(), 3);
    }
}
