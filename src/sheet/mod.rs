//! The priority sheet: the small document that stays with the person at home. A4, large type (body
//! 14 pt and more), black on white, the person's language, their priorities in their own words with
//! the picture cards, what we agreed as a checklist, who to call, the next visit.
//!
//! Layout is done here, line by line: text is measured with the embedded font and wrapped on spaces;
//! anything that does not fit flows to a continuation page, never past a margin. The output is
//! deterministic: the same plan, language and date give the same bytes.

mod catalogue;
mod group;
mod guide;
mod liaison;
mod pictures;
mod record;
mod report;
mod shape;
pub mod speech;

pub use catalogue::{
    LanguageStatus, SheetLanguage, language_for, languages, record_language_for, sheet_languages,
};
pub use group::render_group_report;
pub use guide::{GUIDE_SERVICES, render_guide};
pub use liaison::render_liaison;
pub use record::render_record;
pub use report::{render_attendance, render_report};

use catalogue::{Catalogue, Direction, catalogue};

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use jiff::civil::Date;
use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use crate::domain::{ActionStatus, PlanDocument, PriorityStatus, Who};
use shape::{FontKey, Fonts, Laid};

/// Errors of printing.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("no sheet language '{0}': choose one of {1}")]
    UnknownLanguage(String, String),
    #[error("the sheet's language file '{0}' is broken: {1}")]
    BrokenCatalogue(String, String),
    #[error("the sheet's font could not be read")]
    Font,
    #[error("no font of the sheet has the letters of '{0}'")]
    NoFont(String),
    #[error("no voice reads {0} aloud on this computer")]
    NoVoice(String),
    #[error("the '{0}' document is not written in '{1}': choose one of {2}")]
    NotInLanguage(&'static str, String, String),
}

/// One run of a shaped line, as the sheet writes it: the font's file, the text in reading order, its
/// direction, and the glyph ids left to right (before the PDF's subsetting renumbers them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapedRun {
    pub font_file: &'static str,
    pub text: String,
    pub right_to_left: bool,
    pub glyphs: Vec<u16>,
}

/// How the sheet shapes one line of `text` (regular weight) on a page written right to left or not;
/// for checking the shaping against HarfBuzz itself.
///
/// # Errors
/// [`SheetError::Font`] if the fonts cannot be read.
pub fn shaped_runs(text: &str, right_to_left: bool) -> Result<Vec<ShapedRun>, SheetError> {
    let fonts = fonts()?;
    let line = fonts.line(text, FontKey::Regular, BODY, right_to_left);
    Ok(match line.laid {
        Laid::Text { font, text } => vec![ShapedRun {
            font_file: fonts.font(font).file,
            glyphs: text
                .chars()
                .map(|c| {
                    fonts
                        .font(font)
                        .parsed
                        .lookup_glyph_index(c as u32)
                        .unwrap_or(0)
                })
                .collect(),
            text,
            right_to_left: false,
        }],
        Laid::Glyphs(runs) => runs
            .into_iter()
            .map(|r| ShapedRun {
                font_file: fonts.font(r.font).file,
                glyphs: r.glyphs.iter().map(|g| g.gid).collect(),
                text: r.text,
                right_to_left: r.rtl,
            })
            .collect(),
    })
}

fn fonts() -> Result<&'static Fonts, SheetError> {
    shape::fonts().ok_or(SheetError::Font)
}

// A4 in points, margins, and type sizes (body never under 14 pt).
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 34.0;
const BOTTOM: f32 = 36.0;
const BODY: f32 = 14.0;
const WORDS: f32 = 15.0;
const HEADING: f32 = 16.0;
const NAME: f32 = 26.0;
const CARD: f32 = 32.0;
const LEADING: f32 = 1.15;
const GAP: f32 = 24.0;
const INK: (f32, f32, f32) = (0.0, 0.0, 0.0);
const QUIET: (f32, f32, f32) = (0.2, 0.2, 0.2);

#[derive(Clone, Copy)]
enum Face {
    Regular,
    Bold,
}

impl Face {
    fn key(self) -> FontKey {
        match self {
            Face::Regular => FontKey::Regular,
            Face::Bold => FontKey::Bold,
        }
    }
}

/// Shaped lines by text, font and size (as bits).
type ShapedLines = HashMap<(String, FontKey, u32), Rc<shape::Line>>;

/// Lays out lines from the top of the page down, opening continuation pages as needed.
struct Sheet<'a> {
    fonts: &'a Fonts,
    t: &'a Catalogue,
    pages: Vec<Vec<Op>>,
    /// Distance from the top of the page to the next free line, in points.
    y: f32,
    /// Header repeated on continuation pages: who and when.
    running_head: String,
    /// The section being written, repeated with "(continued)" after a page break.
    section: Option<String>,
    /// The column being written: its left and right edges.
    left: f32,
    right: f32,
    /// Measuring only: lines advance, nothing is drawn, no page is opened.
    dry: bool,
    /// Right to left: every element is drawn mirrored about the page's middle.
    rtl: bool,
    /// The fonts drawn with and the text of each glyph drawn.
    used: RefCell<Written>,
    /// The first text drawn with a character no font has.
    missing: RefCell<Option<String>>,
    /// Shaped lines already laid out (wrapping measures each candidate line, and a column is measured
    /// before it is drawn), shared with the sheet's measuring probes.
    shaped: Rc<RefCell<ShapedLines>>,
}

impl<'a> Sheet<'a> {
    fn width(&self, text: &str, face: Face, size: f32) -> f32 {
        self.line(text, face, size).width
    }

    /// `text` laid out on one line; shaped lines are kept for the rest of the document.
    fn line(&self, text: &str, face: Face, size: f32) -> Rc<shape::Line> {
        if !self.rtl && !text.chars().any(shape::complex) {
            return Rc::new(self.fonts.line(text, face.key(), size, false));
        }
        let key = (text.to_owned(), face.key(), size.to_bits());
        if let Some(line) = self.shaped.borrow().get(&key) {
            return Rc::clone(line);
        }
        let line = Rc::new(self.fonts.line(text, face.key(), size, self.rtl));
        self.shaped.borrow_mut().insert(key, Rc::clone(&line));
        line
    }

    /// Where an element `width` wide that a left-to-right page puts at `x` goes on this page.
    fn place(&self, x: f32, width: f32) -> f32 {
        if self.rtl { PAGE_W - x - width } else { x }
    }

    /// Greedy wrapping on spaces; a word longer than the line is cut between characters.
    fn wrap(&self, text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, face, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // Too long for a line: break after hyphens where possible, else between characters.
                let mut pieces: Vec<String> = Vec::new();
                for part in word.split_inclusive('-') {
                    match pieces.last_mut() {
                        Some(last) if self.width(&format!("{last}{part}"), face, size) <= width => {
                            last.push_str(part)
                        }
                        _ => pieces.push(part.to_owned()),
                    }
                }
                if pieces.len() > 1 && pieces.iter().all(|p| self.width(p, face, size) <= width) {
                    let last = pieces.pop().unwrap_or_default();
                    lines.extend(pieces);
                    line = last;
                    continue;
                }
                for c in word.chars() {
                    let longer = format!("{line}{c}");
                    if self.width(&longer, face, size) > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    } else {
                        line = longer;
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    fn new(fonts: &'a Fonts, t: &'a Catalogue, running_head: String) -> Self {
        Sheet {
            fonts,
            t,
            pages: Vec::new(),
            y: MARGIN,
            running_head,
            section: None,
            left: MARGIN,
            right: PAGE_W - MARGIN,
            dry: false,
            rtl: t.direction == Direction::Rtl,
            used: RefCell::new(Written::default()),
            missing: RefCell::new(None),
            shaped: Rc::default(),
        }
    }

    /// How many points `block` takes in a column from `left` to `right`.
    fn measure(&self, left: f32, right: f32, block: impl FnOnce(&mut Sheet<'a>)) -> f32 {
        let mut probe = Sheet::new(self.fonts, self.t, String::new());
        probe.rtl = self.rtl;
        probe.shaped = Rc::clone(&self.shaped);
        probe.y = 0.0;
        probe.left = left;
        probe.right = right;
        probe.dry = true;
        block(&mut probe);
        probe.y
    }

    /// Draws `block` in the column from `left` to `right`, starting at `top`; returns where it ends.
    fn column(
        &mut self,
        left: f32,
        right: f32,
        top: f32,
        block: impl FnOnce(&mut Sheet<'a>),
    ) -> f32 {
        let (saved_left, saved_right) = (self.left, self.right);
        self.left = left;
        self.right = right;
        self.y = top;
        block(self);
        self.left = saved_left;
        self.right = saved_right;
        self.y
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(
        &mut self,
        x: f32,
        baseline: f32,
        text: &str,
        face: Face,
        size: f32,
        rgb: (f32, f32, f32),
    ) {
        if self.dry {
            return;
        }
        let line = self.line(text, face, size);
        if !line.missing.is_empty() {
            self.missing
                .borrow_mut()
                .get_or_insert_with(|| text.to_owned());
        }
        let x = self.place(x, line.width);
        let ops = text_ops(self.fonts, x, baseline, &line.laid, size, rgb, &self.used);
        self.ops().extend(ops);
    }

    fn draw(&mut self, ops: Vec<Op>) {
        if !self.dry {
            self.ops().extend(ops);
        }
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        if self.dry {
            return;
        }
        let (x1, x2) = (self.place(x1, 0.0), self.place(x2, 0.0));
        let ops = self.ops();
        ops.push(Op::SetOutlineColor { col: color(INK) });
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: Point {
                            x: Pt(x1),
                            y: Pt(PAGE_H - y),
                        },
                        bezier: false,
                    },
                    LinePoint {
                        p: Point {
                            x: Pt(x2),
                            y: Pt(PAGE_H - y),
                        },
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    fn square(&mut self, x: f32, top: f32, side: f32) {
        if self.dry {
            return;
        }
        let x = self.place(x, side);
        let ops = self.ops();
        ops.push(Op::SetOutlineColor { col: color(INK) });
        ops.push(Op::SetOutlineThickness { pt: Pt(1.5) });
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(PAGE_H - top - side),
                width: Pt(side),
                height: Pt(side),
                mode: Some(PaintMode::Stroke),
                winding_order: None,
            },
        });
    }

    /// Opens a continuation page: who and when at the top, then the current section again.
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
        let head = self.running_head.clone();
        let (left, right) = (self.left, self.right);
        self.left = MARGIN;
        self.right = PAGE_W - MARGIN;
        self.paragraph(MARGIN, &head, Face::Regular, BODY, QUIET);
        self.left = left;
        self.right = right;
        self.y += 8.0;
        if let Some(section) = self.section.clone() {
            let title = format!("{section} {}", self.t.continued);
            self.heading_line(&title);
        }
    }

    /// "My plan · date" under the name.
    fn subtitle(&mut self, when: &str) {
        let line = format!("{} · {when}", self.t.title);
        self.text(MARGIN, self.y + BODY, &line, Face::Regular, BODY, QUIET);
        self.y += BODY + 6.0;
    }

    /// Makes room for `height` points, on a new page if this one is full.
    fn room(&mut self, height: f32) {
        if !self.dry && self.y + height > PAGE_H - BOTTOM {
            self.new_page();
        }
    }

    fn heading_line(&mut self, title: &str) {
        let lines = self.wrap(title, Face::Bold, HEADING, self.right - self.left);
        for line in lines {
            self.text(self.left, self.y + HEADING, &line, Face::Bold, HEADING, INK);
            self.y += HEADING * 1.2;
        }
        // Below the descenders (g, p, q), not through them.
        self.y += 2.0;
        self.rule(self.left, self.right, self.y, 2.0);
        self.y += 5.0;
    }

    /// A section title, kept with at least one line of what follows.
    fn heading(&mut self, title: &str) {
        self.section = None;
        self.y += 6.0;
        self.room(HEADING + 18.0 + 2.0 * BODY);
        self.section = Some(title.to_owned());
        self.heading_line(title);
    }

    /// Wrapped text at `x`, flowing over pages; returns the lines written.
    fn paragraph(
        &mut self,
        x: f32,
        text: &str,
        face: Face,
        size: f32,
        rgb: (f32, f32, f32),
    ) -> usize {
        let leading = size * LEADING;
        let lines = self.wrap(text, face, size, self.right - x);
        for line in &lines {
            self.room(leading);
            self.text(x, self.y + size, line, face, size, rgb);
            self.y += leading;
        }
        lines.len()
    }
}

/// What a document has drawn so far: the fonts (to embed only those), and the text each shaped glyph
/// stands for. A PDF maps each glyph to one text, so a glyph keeps the text it was first drawn with.
#[derive(Default)]
struct Written {
    fonts: BTreeSet<FontKey>,
    texts: HashMap<(FontKey, u16), String>,
}

/// One laid-out line with its left end at `x` and its baseline `baseline` points from the top of the
/// page; records what it draws in `used`.
fn text_ops(
    fonts: &Fonts,
    x: f32,
    baseline: f32,
    laid: &Laid,
    size: f32,
    rgb: (f32, f32, f32),
    used: &RefCell<Written>,
) -> Vec<Op> {
    let mut written = used.borrow_mut();
    let runs: Vec<(FontKey, f32, TextItem)> = match laid {
        Laid::Text { font, text } => vec![(*font, 0.0, TextItem::Text(text.clone()))],
        Laid::Glyphs(runs) => runs
            .iter()
            .map(|r| {
                let mut glyphs = r.glyphs.clone();
                for g in &mut glyphs {
                    let text = g.cid.take().unwrap_or_default();
                    let kept = written
                        .texts
                        .entry((r.font, g.gid))
                        .or_insert_with(|| text.clone());
                    if kept.is_empty() {
                        kept.clone_from(&text);
                    }
                    g.cid = Some(kept.clone());
                }
                (r.font, r.x, TextItem::GlyphIds(glyphs))
            })
            .collect(),
    };
    // One text section per run: a section's cursor moves are relative to the one before.
    let mut ops = Vec::new();
    for (font, dx, item) in runs {
        written.fonts.insert(font);
        ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: color(rgb) },
            Op::SetFont {
                font: PdfFontHandle::External(FontId(fonts.font(font).id.into())),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x + dx),
                    y: Pt(PAGE_H - baseline),
                },
            },
            Op::ShowText { items: vec![item] },
            Op::EndTextSection,
        ]);
    }
    ops
}

fn color((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn next_visit(plan: &PlanDocument) -> Option<Date> {
    plan.plan.visits.iter().filter_map(|v| v.next_visit).max()
}

fn who(plan: &PlanDocument, who: &Who, t: &Catalogue, services: &Services) -> String {
    match who {
        Who::Person => t.who_me.clone(),
        Who::InformalCarer { name } => name.clone(),
        Who::Member { id } => plan
            .plan
            .network
            .iter()
            .find(|m| m.id == *id)
            .map_or_else(String::new, |m| m.name.clone()),
        Who::Referent => t.who_referent.clone(),
        Who::Service { id } => services
            .get(id)
            .cloned()
            .unwrap_or_else(|| t.who_service.clone()),
        Who::Community { id } => services
            .get(&id.to_string())
            .cloned()
            .unwrap_or_else(|| t.who_service.clone()),
    }
}

/// The priority sheet of `plan`, in language `lang` (see [`languages`]), dated `date`.
///
/// # Errors
/// [`SheetError::UnknownLanguage`] for a language without a catalogue.
pub fn render(plan: &PlanDocument, lang: &str, date: Date) -> Result<Vec<u8>, SheetError> {
    render_with_services(plan, lang, date, &Services::new())
}

/// How the sheet names the directory services actions point at: id → "name, phone", in the sheet's
/// language. A service missing here is printed as "a service".
pub type Services = std::collections::BTreeMap<String, String>;

/// [`render`], naming the services the person is oriented to.
///
/// # Errors
/// As [`render`].
pub fn render_with_services(
    plan: &PlanDocument,
    lang: &str,
    date: Date,
    services: &Services,
) -> Result<Vec<u8>, SheetError> {
    render_full(plan, lang, date, services, None)
}

/// [`render_with_services`], with the organisation's helpdesk last in "who to call".
///
/// # Errors
/// As [`render`].
pub fn render_full(
    plan: &PlanDocument,
    lang: &str,
    date: Date,
    services: &Services,
    helpdesk: Option<&crate::helpdesk::Helpdesk>,
) -> Result<Vec<u8>, SheetError> {
    let t = catalogue(lang)?;
    let fonts = fonts()?;
    let first_name = if plan.person.first_name.trim().is_empty() {
        &plan.person.display_name
    } else {
        &plan.person.first_name
    };
    let when = t.date(date);
    let mut s = Sheet::new(fonts, &t, format!("{first_name} · {when}"));

    // Header: the person's first name, large, and the date.
    s.paragraph(MARGIN, first_name, Face::Bold, NAME, INK);
    s.subtitle(&when);

    priorities(&mut s, plan);
    actions(&mut s, plan, services);
    // My strengths and the next visit on the left, who to call on the right, when both fit on this
    // page; else one after the other, flowing over pages.
    let split = MARGIN + (PAGE_W - 2.0 * MARGIN - GAP) / 2.0;
    let left = s.measure(MARGIN, split, |c| strengths_and_visit(c, plan));
    let right = s.measure(split + GAP, PAGE_W - MARGIN, |c| {
        contacts(c, plan, helpdesk)
    });
    if s.y + left.max(right) <= PAGE_H - BOTTOM {
        let top = s.y;
        let end_left = s.column(MARGIN, split, top, |c| strengths_and_visit(c, plan));
        let end_right = s.column(split + GAP, PAGE_W - MARGIN, top, |c| {
            contacts(c, plan, helpdesk)
        });
        s.y = end_left.max(end_right);
    } else {
        strengths_and_visit(&mut s, plan);
        contacts(&mut s, plan, helpdesk);
    }
    finish(s, &format!("{} — {first_name}", t.title))
}

/// The priorities the sheet shows: the active ones, by rank.
fn active_priorities(plan: &PlanDocument) -> Vec<&crate::domain::Priority> {
    let mut list: Vec<_> = plan
        .plan
        .priorities
        .iter()
        .filter(|p| p.status == PriorityStatus::Active)
        .collect();
    list.sort_by_key(|p| (p.rank, p.created));
    list
}

fn priorities(s: &mut Sheet<'_>, plan: &PlanDocument) {
    s.heading(&s.t.what_matters.clone());
    let list = active_priorities(plan);
    if list.is_empty() {
        s.paragraph(s.left, &s.t.nothing_yet.clone(), Face::Regular, BODY, INK);
    }
    for (n, p) in list.iter().enumerate() {
        s.room(CARD + 4.0);
        let top = s.y;
        s.text(
            s.left,
            top + WORDS + 4.0,
            &format!("{}", n + 1),
            Face::Bold,
            22.0,
            INK,
        );
        if let Some(card) = p.card.as_deref().filter(|c| pictures::exists(c)) {
            let x = s.place(s.left + 24.0, CARD);
            s.draw(pictures::draw(card, x, PAGE_H - top, CARD));
        }
        s.y += (CARD - WORDS * LEADING).max(0.0) / 2.0;
        s.paragraph(
            s.left + 24.0 + CARD + 12.0,
            &p.words,
            Face::Regular,
            WORDS,
            INK,
        );
        if s.y < top + CARD {
            s.y = top + CARD;
        }
        s.y += 4.0;
    }
}

fn actions(s: &mut Sheet<'_>, plan: &PlanDocument, services: &Services) {
    let t = s.t;
    s.heading(&t.agreed);
    let list: Vec<_> = plan
        .plan
        .actions
        .iter()
        .filter(|a| a.status != ActionStatus::Dropped)
        .collect();
    if list.is_empty() {
        s.paragraph(s.left, &t.nothing_yet, Face::Regular, BODY, INK);
    }
    for a in list {
        s.room(2.0 * BODY * LEADING);
        s.square(s.left, s.y + 2.0, 13.0);
        if a.status == ActionStatus::Done {
            s.text(s.left + 2.0, s.y + 13.0, "✓", Face::Bold, BODY, INK);
        }
        s.paragraph(s.left + 22.0, &a.what, Face::Bold, BODY, INK);
        let when = a.due.map_or_else(|| t.no_date.clone(), |d| t.date(d));
        s.paragraph(
            s.left + 22.0,
            &format!("{} · {when}", who(plan, &a.who, t, services)),
            Face::Regular,
            BODY,
            QUIET,
        );
        s.y += 3.0;
    }
}

fn strengths(s: &mut Sheet<'_>, plan: &PlanDocument) {
    let list: Vec<_> = plan.plan.strengths.iter().filter(|x| !x.closed).collect();
    if list.is_empty() {
        return;
    }
    s.heading(&s.t.strengths.clone());
    for x in list {
        s.room(BODY * LEADING);
        let top = s.y;
        if let Some(card) = x.card.as_deref().filter(|c| pictures::exists(c)) {
            let x = s.place(s.left, 20.0);
            s.draw(pictures::draw(card, x, PAGE_H - top, 20.0));
        }
        s.paragraph(s.left + 28.0, &x.words, Face::Regular, BODY, INK);
        s.y += 4.0;
    }
}

/// My strengths, then the next visit.
fn strengths_and_visit(s: &mut Sheet<'_>, plan: &PlanDocument) {
    strengths(s, plan);
    let t = s.t;
    s.heading(&t.next_visit);
    let next = next_visit(plan).map_or_else(|| t.nothing_yet.clone(), |d| t.date(d));
    s.paragraph(s.left, &next, Face::Bold, WORDS, INK);
}

/// Who to call: name and role, then the phone number in large type.
fn contacts(s: &mut Sheet<'_>, plan: &PlanDocument, helpdesk: Option<&crate::helpdesk::Helpdesk>) {
    let t = s.t;
    let network: Vec<_> = plan.plan.network.iter().filter(|m| !m.closed).collect();
    if network.is_empty() && helpdesk.is_none() {
        return;
    }
    s.heading(&t.who_to_call);
    for m in network {
        s.room(2.0 * BODY * LEADING);
        s.paragraph(
            s.left,
            &format!("{} ({})", m.name, t.role(m.role)),
            Face::Regular,
            BODY,
            INK,
        );
        if !m.phone.is_empty() {
            s.paragraph(s.left, &m.phone, Face::Bold, BODY, INK);
        }
        s.y += 3.0;
    }
    if let Some(h) = helpdesk {
        s.room(3.0 * BODY * LEADING);
        s.paragraph(s.left, &h.name, Face::Regular, BODY, INK);
        s.paragraph(s.left, &h.phone, Face::Bold, BODY, INK);
        if !h.hours.is_empty() {
            s.paragraph(s.left, &h.hours, Face::Regular, BODY, QUIET);
        }
    }
}

/// The same sheet with empty lines, for a first visit on paper.
///
/// # Errors
/// [`SheetError::UnknownLanguage`] for a language without a catalogue.
pub fn render_blank(lang: &str, date: Date) -> Result<Vec<u8>, SheetError> {
    /// A line to write on, with an optional label before it.
    fn write_line(s: &mut Sheet<'_>, label: Option<&str>) {
        s.room(34.0);
        let mut start = s.left;
        if let Some(label) = label {
            s.text(s.left, s.y + 24.0, label, Face::Regular, BODY, QUIET);
            start += s.width(label, Face::Regular, BODY) + 8.0;
        }
        s.rule(start, s.right, s.y + 26.0, 0.8);
        s.y += 34.0;
    }

    let t = catalogue(lang)?;
    let fonts = fonts()?;
    let when = t.date(date);
    let mut s = Sheet::new(fonts, &t, when.clone());
    write_line(&mut s, Some(&t.name));
    s.subtitle(&when);
    s.heading(&t.what_matters);
    for n in 1..=5 {
        // A box to draw or stick a card in, and two lines for the person's words.
        s.room(62.0);
        s.text(
            s.left,
            s.y + WORDS + 8.0,
            &n.to_string(),
            Face::Bold,
            22.0,
            INK,
        );
        s.square(s.left + 24.0, s.y + 4.0, 48.0);
        let x = s.left + 24.0 + 48.0 + 12.0;
        s.rule(x, s.right, s.y + 26.0, 0.8);
        s.rule(x, s.right, s.y + 52.0, 0.8);
        s.y += 62.0;
    }
    let split = MARGIN + (PAGE_W - 2.0 * MARGIN - GAP) * 0.6;
    let top = s.y;
    let agreed = |c: &mut Sheet<'_>| {
        c.heading(&c.t.agreed.clone());
        for _ in 0..8 {
            c.room(34.0);
            c.square(c.left, c.y + 12.0, 14.0);
            c.rule(c.left + 24.0, c.right, c.y + 26.0, 0.8);
            c.y += 34.0;
        }
    };
    let side = |c: &mut Sheet<'_>| {
        for (title, lines) in [(c.t.strengths.clone(), 3), (c.t.who_to_call.clone(), 3)] {
            c.heading(&title);
            for _ in 0..lines {
                write_line(c, None);
            }
        }
        c.heading(&c.t.next_visit.clone());
        write_line(c, Some(&c.t.date.clone()));
    };
    let end_left = s.column(MARGIN, split, top, agreed);
    let end_right = s.column(split + GAP, PAGE_W - MARGIN, top, side);
    s.y = end_left.max(end_right);
    finish(s, &t.title)
}

/// The one page that keeps a store's recovery key: the key in large type, whose store it opens, and
/// where to keep it. Made for printing at once; never saved next to the store.
///
/// # Errors
/// [`SheetError::UnknownLanguage`] for a language without a catalogue.
pub fn render_recovery(
    key: &str,
    author: &str,
    lang: &str,
    date: Date,
) -> Result<Vec<u8>, SheetError> {
    let t = catalogue(lang)?;
    let fonts = fonts()?;
    let when = t.date(date);
    let w = t.recovery.clone().ok_or_else(|| {
        SheetError::NotInLanguage("recovery", lang.to_owned(), "en, fr, nl".into())
    })?;
    let mut s = Sheet::new(fonts, &t, w.title.clone());
    s.paragraph(MARGIN, &w.title, Face::Bold, NAME, INK);
    let made_for = w
        .made_for
        .replace("{name}", author)
        .replace("{date}", &when);
    s.paragraph(MARGIN, &made_for, Face::Regular, BODY, QUIET);
    s.heading(&w.key);
    // Five groups a line, in large type: easy to read back and to type.
    let groups: Vec<&str> = key.split('-').collect();
    for line in groups.chunks(5) {
        s.paragraph(MARGIN, &line.join(" - "), Face::Bold, 24.0, INK);
    }
    s.y += 10.0;
    for text in [&w.what, &w.keep, &w.how] {
        s.paragraph(MARGIN, text, Face::Regular, BODY, INK);
        s.y += 8.0;
    }
    finish(s, &w.title)
}

/// Adds page numbers, builds the PDF with fixed names and metadata, and makes its ids depend only on
/// its content.
fn finish(mut s: Sheet<'_>, title: &str) -> Result<Vec<u8>, SheetError> {
    let total = s.pages.len();
    for n in 0..total {
        let label =
            s.t.page
                .replace("{n}", &(n + 1).to_string())
                .replace("{total}", &total.to_string());
        let line = s.fonts.line(&label, FontKey::Regular, 11.0, s.rtl);
        let x = s.place(PAGE_W - MARGIN - line.width, line.width);
        let ops = text_ops(s.fonts, x, PAGE_H - 28.0, &line.laid, 11.0, QUIET, &s.used);
        s.pages[n].extend(ops);
    }
    if let Some(text) = s.missing.borrow().clone() {
        return Err(SheetError::NoFont(text));
    }
    let mut doc = PdfDocument::new(title);
    for key in &s.used.borrow().fonts {
        let font = s.fonts.font(*key);
        doc.resources
            .fonts
            .map
            .insert(FontId(font.id.into()), PdfFont::new(font.parsed.clone()));
    }
    doc.metadata.info.producer = "Proxi".into();
    doc.metadata.info.creator = "Proxi".into();
    let pages = s
        .pages
        .into_iter()
        .map(|ops| PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), ops))
        .collect();
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    let mut bytes = doc.save(&PdfSaveOptions::default(), &mut warnings);
    fix_ids(&mut bytes);
    Ok(bytes)
}

/// printpdf draws the trailer's two `/ID` strings (and the XMP ids) at random; replace them, in place
/// and at the same length, with a digest of the rest of the file, so that equal sheets are equal files.
fn fix_ids(bytes: &mut [u8]) {
    let Some(start) = find(bytes, b"/ID[(").or_else(|| find(bytes, b"/ID [(")) else {
        return;
    };
    let open = start + bytes[start..].iter().position(|&b| b == b'(').unwrap_or(0);
    let first = open + 1;
    let second = first + 32 + 2; // ")(" between the two 32-character strings
    if bytes.len() < second + 32 || bytes[first + 32] != b')' {
        return;
    }
    // FNV-1a: a stable digest (not a security measure), the same on every build and machine.
    let digest = bytes[..start]
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let id = format!("{digest:016x}{digest:016x}");
    bytes[first..first + 32].copy_from_slice(id.as_bytes());
    bytes[second..second + 32].copy_from_slice(id.as_bytes());
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
