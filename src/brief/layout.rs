//! Paragraph layout: styled runs → glyph runs → lines.
//!
//! The pipeline has three stages so that later work slots in without a rewrite:
//! 1. [`shape`] turns styled spans into glyphs with advances (today: one glyph per character
//!    from the font's cmap, with a visible replacement for characters the fonts lack; later:
//!    font fallback and rustybuzz shaping, bidi reordering per line).
//! 2. [`break_lines`] finds Unicode line-break opportunities (UAX #14, unicode-linebreak),
//!    fills lines greedily, and breaks words wider than a line at character boundaries.
//! 3. Lines are placed as boxes and paginated by [`super::page`].

use std::collections::BTreeSet;
use std::sync::Arc;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::fonts::{metrics, FontFace, REPLACEMENT};

/// An RGB colour.
pub type Rgb = (u8, u8, u8);

/// How a run of text looks.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    pub face: FontFace,
    pub size: f32,
    pub color: Rgb,
    /// The target of a link annotation over this text (http, https or mailto only).
    pub link: Option<Arc<str>>,
}

impl Style {
    pub fn new(face: FontFace, size: f32) -> Style {
        Style { face, size, color: (0x1A, 0x1A, 0x1A), link: None }
    }

    pub fn color(mut self, color: Rgb) -> Style {
        self.color = color;
        self
    }

    /// Distance from the top of a line box to its baseline.
    pub fn ascent(&self) -> f32 {
        metrics(self.face).ascender * self.size
    }

    /// Depth below the baseline (positive).
    pub fn descent(&self) -> f32 {
        -metrics(self.face).descender * self.size
    }
}

/// A piece of text in one style.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

impl Span {
    pub fn new(text: impl Into<String>, style: Style) -> Span {
        Span { text: text.into(), style }
    }
}

/// Characters the fonts could not show, collected for the brief's warnings.
#[derive(Debug, Default, Clone)]
pub struct Missing(pub BTreeSet<char>);

/// One shaped glyph.
#[derive(Clone, Debug, PartialEq)]
struct Glyph {
    ch: char,
    advance: f32,
    run: usize,
}

/// Shaped text of one style.
#[derive(Clone, Debug)]
struct GlyphRun {
    style: Style,
}

/// Stage 1: characters → glyphs with advances (in points). Control characters vanish (a tab is a
/// space); a character no face has becomes [`REPLACEMENT`] and is recorded in `missing`.
fn shape(spans: &[Span], missing: &mut Missing) -> (Vec<GlyphRun>, Vec<Glyph>) {
    let mut runs = Vec::with_capacity(spans.len());
    let mut glyphs = Vec::new();
    for span in spans {
        let m = metrics(span.style.face);
        runs.push(GlyphRun { style: span.style.clone() });
        let run = runs.len() - 1;
        for c in span.text.chars() {
            let c = match c {
                '\t' => ' ',
                '\n' | '\u{2028}' | '\u{2029}' => '\n',
                '\r' => continue,
                c if c.is_control() => continue,
                // Zero-width format characters (ZWSP, ZWJ, soft hyphen, BOM) have no ink.
                '\u{200B}'..='\u{200F}' | '\u{00AD}' | '\u{FEFF}' | '\u{2060}' => continue,
                c => c,
            };
            if c == '\n' {
                glyphs.push(Glyph { ch: c, advance: 0.0, run });
                continue;
            }
            let (ch, adv) = match m.advance(c) {
                Some(a) => (c, a),
                None if c.is_whitespace() => (' ', m.advance(' ').unwrap_or(0.25)),
                None => {
                    missing.0.insert(c);
                    (REPLACEMENT, m.advance(REPLACEMENT).unwrap_or(0.6))
                }
            };
            glyphs.push(Glyph { ch, advance: adv * span.style.size, run });
        }
    }
    (runs, glyphs)
}

/// A run of glyphs in one style placed on a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub text: String,
    pub style: Style,
    /// Offset from the line's left edge, in points.
    pub x: f32,
    /// Natural width (without justification), in points.
    pub width: f32,
}

/// One laid-out line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub pieces: Vec<Piece>,
    /// Natural width of the text, in points.
    pub width: f32,
    /// Extra space after every space character when justified (0 when ragged).
    pub word_gap: f32,
    /// Tallest ascent and descent on the line.
    pub ascent: f32,
    pub descent: f32,
}

impl Line {
    /// Width including justification.
    pub fn full_width(&self) -> f32 {
        let spaces: usize = self.pieces.iter().map(|p| p.text.matches(' ').count()).sum();
        self.width + self.word_gap * spaces as f32
    }

    /// The line's text (for tests and debugging).
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

/// Paragraph alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Justify,
}

/// A unit between two break opportunities: glyph range, width of the ink and of trailing spaces.
#[derive(Debug)]
struct Word {
    start: usize,
    ink_end: usize,
    ink_width: f32,
    space_width: f32,
    hard_break_after: bool,
}

/// Stage 2: lays out `spans` into lines at most `width` points wide.
pub fn break_lines(spans: &[Span], width: f32, align: Align, missing: &mut Missing) -> Vec<Line> {
    let (runs, glyphs) = shape(spans, missing);
    if glyphs.is_empty() {
        return Vec::new();
    }
    let width = width.max(1.0);
    let words = words(&glyphs);

    // Greedy filling; each line is a glyph range plus whether it ends a paragraph segment.
    let mut lines: Vec<(usize, usize, bool)> = Vec::new();
    let mut cur_start: Option<usize> = None;
    let mut cur_end = 0; // end of ink on the current line
    let mut cur_width = 0.0f32; // ink width including inner spaces
    let mut pending_space = 0.0f32;
    for w in &words {
        let mut start = w.start;
        if let Some(s) = cur_start {
            if cur_width + pending_space + w.ink_width <= width + 0.01 {
                cur_end = w.ink_end;
                cur_width += pending_space + w.ink_width;
                pending_space = w.space_width;
                if w.hard_break_after {
                    lines.push((s, cur_end, true));
                    cur_start = None;
                    cur_width = 0.0;
                    pending_space = 0.0;
                }
                continue;
            }
            lines.push((s, cur_end, false));
        }
        // The word starts a line. Too wide: cut it into pieces that fit.
        let mut ink_width = w.ink_width;
        while ink_width > width + 0.01 && w.ink_end - start > 1 {
            let mut acc = 0.0;
            let mut cut = start;
            while cut < w.ink_end && (cut == start || acc + glyphs[cut].advance <= width + 0.01) {
                acc += glyphs[cut].advance;
                cut += 1;
            }
            lines.push((start, cut, false));
            ink_width -= acc;
            start = cut;
        }
        cur_start = Some(start);
        cur_end = w.ink_end;
        cur_width = ink_width;
        pending_space = w.space_width;
        if w.hard_break_after {
            lines.push((start, cur_end, true));
            cur_start = None;
            cur_width = 0.0;
            pending_space = 0.0;
        }
    }
    if let Some(s) = cur_start {
        lines.push((s, cur_end, true));
    }

    lines
        .into_iter()
        .map(|(s, e, last)| {
            let mut line = build_line(&runs, &glyphs[s..e]);
            let spaces: usize = line.pieces.iter().map(|p| p.text.matches(' ').count()).sum();
            if align == Align::Justify && !last && spaces > 0 {
                let gap = (width - line.width) / spaces as f32;
                // A line with too few spaces to stretch nicely stays ragged rather than gappy.
                let size = line.pieces.iter().map(|p| p.style.size).fold(0.0, f32::max);
                if gap > 0.0 && gap < size * 1.2 {
                    line.word_gap = gap;
                    let mut extra = 0.0;
                    for p in &mut line.pieces {
                        p.x += extra;
                        extra += gap * p.text.matches(' ').count() as f32;
                    }
                }
            }
            line
        })
        .collect()
}

/// Splits glyphs into words at UAX #14 break opportunities.
fn words(glyphs: &[Glyph]) -> Vec<Word> {
    let text: String = glyphs.iter().map(|g| g.ch).collect();
    // Byte offset → glyph index.
    let mut byte_to_glyph = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.chars().enumerate() {
        for _ in 0..c.len_utf8() {
            byte_to_glyph.push(i);
        }
    }
    byte_to_glyph.push(glyphs.len());
    let mut out = Vec::new();
    let mut start = 0;
    for (byte, opp) in linebreaks(&text) {
        let end = byte_to_glyph[byte];
        if end == start {
            continue;
        }
        let mut ink_end = end;
        while ink_end > start && (glyphs[ink_end - 1].ch == ' ' || glyphs[ink_end - 1].ch == '\n') {
            ink_end -= 1;
        }
        let ink_width = glyphs[start..ink_end].iter().map(|g| g.advance).sum();
        let space_width = glyphs[ink_end..end].iter().map(|g| g.advance).sum();
        let hard = opp == BreakOpportunity::Mandatory && end < glyphs.len();
        out.push(Word { start, ink_end, ink_width, space_width, hard_break_after: hard });
        start = end;
    }
    out
}

fn build_line(runs: &[GlyphRun], glyphs: &[Glyph]) -> Line {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut x = 0.0;
    let mut current_run = usize::MAX;
    for g in glyphs {
        if g.ch == '\n' {
            continue;
        }
        if g.run != current_run {
            current_run = g.run;
            pieces.push(Piece { text: String::new(), style: runs[g.run].style.clone(), x, width: 0.0 });
        }
        let p = pieces.last_mut().expect("a piece was pushed");
        p.text.push(g.ch);
        p.width += g.advance;
        x += g.advance;
    }
    let mut ascent: f32 = 0.0;
    let mut descent: f32 = 0.0;
    for p in &pieces {
        ascent = ascent.max(p.style.ascent());
        descent = descent.max(p.style.descent());
    }
    Line { pieces, width: x, word_gap: 0.0, ascent, descent }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serif(size: f32) -> Style {
        Style::new(FontFace::Serif, size)
    }

    fn lines(text: &str, width: f32, align: Align) -> Vec<Line> {
        break_lines(&[Span::new(text, serif(10.0))], width, align, &mut Missing::default())
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(Line::text).collect()
    }

    #[test]
    fn breaks_at_spaces_and_keeps_every_word() {
        let text = "The canal authority has reduced daily vessel transits from 36 to 24 after a third month.";
        let l = lines(text, 150.0, Align::Left);
        insta::assert_debug_snapshot!(texts(&l), @r###"
        [
            "The canal authority has",
            "reduced daily vessel transits",
            "from 36 to 24 after a third",
            "month.",
        ]
        "###);
        assert!(l.iter().all(|l| l.width <= 150.0));
        assert_eq!(texts(&l).join(" "), text);
    }

    #[test]
    fn hard_breaks_end_lines() {
        let l = lines("one\ntwo three", 500.0, Align::Justify);
        assert_eq!(texts(&l), ["one", "two three"]);
        assert_eq!(l[0].word_gap, 0.0, "a line ended by a hard break is not stretched");
    }

    #[test]
    fn breaks_after_hyphens_and_slashes_per_uax14() {
        let l = lines("state-sponsored actors", 70.0, Align::Left);
        assert_eq!(texts(&l), ["state-", "sponsored", "actors"]);
    }

    #[test]
    fn justified_lines_fill_the_measure_except_the_last() {
        let text = "Shipping lines are likely to reroute a growing share of traffic, raising freight rates \
                    and delivery times through at least the next quarter of the year.";
        let l = lines(text, 200.0, Align::Justify);
        assert!(l.len() >= 3);
        for line in &l[..l.len() - 1] {
            assert!((line.full_width() - 200.0).abs() < 0.05, "{} is {}", line.text(), line.full_width());
            assert!(line.word_gap > 0.0);
        }
        let last = l.last().unwrap();
        assert_eq!(last.word_gap, 0.0);
        assert!(last.full_width() < 200.0);
    }

    #[test]
    fn an_overlong_word_is_cut_into_lines_that_fit() {
        let word = "x".repeat(5000);
        let l = lines(&format!("before {word} after"), 120.0, Align::Justify);
        assert!(l.len() > 20);
        assert!(l.iter().all(|l| l.width <= 120.01), "every piece fits");
        let joined: String = texts(&l).concat();
        assert_eq!(joined.matches('x').count(), 5000, "no character is lost");
        assert_eq!(l[0].text(), "before");
        assert!(l.last().unwrap().text().ends_with("after"));
    }

    #[test]
    fn long_urls_break_at_slashes_or_characters() {
        let url = format!("https://example.org/{}/{}", "a".repeat(150), "b".repeat(130));
        let l = lines(&url, 100.0, Align::Left);
        assert!(l.iter().all(|l| l.width <= 100.01));
        assert_eq!(texts(&l).concat(), url);
    }

    #[test]
    fn missing_characters_become_visible_replacements_and_are_reported() {
        let mut missing = Missing::default();
        let l = break_lines(&[Span::new("Kyiv 中文 Київ Αθήνα", serif(10.0))], 500.0, Align::Left, &mut missing);
        assert_eq!(l[0].text(), "Kyiv \u{FFFD}\u{FFFD} Київ Αθήνα");
        assert_eq!(missing.0.into_iter().collect::<String>(), "中文");
    }

    #[test]
    fn styles_become_separate_pieces_at_their_positions() {
        let bold = Style::new(FontFace::SerifBold, 10.0);
        let l = break_lines(
            &[Span::new("plain ", serif(10.0)), Span::new("bold", bold.clone()), Span::new(" tail", serif(10.0))],
            500.0,
            Align::Left,
            &mut Missing::default(),
        );
        assert_eq!(l.len(), 1);
        let p = &l[0].pieces;
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].style, bold);
        assert!((p[1].x - p[0].width).abs() < 1e-3);
        assert!((p[2].x - p[0].width - p[1].width).abs() < 1e-3);
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(lines("", 100.0, Align::Left).is_empty());
    }
}
