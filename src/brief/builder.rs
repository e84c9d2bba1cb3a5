//! The [`Builder`] that turns a report into a [`Flow`]: paragraphs, headings, lists and
//! label/value rows placed at the body's left edge, with the images they embed and the
//! warnings met on the way.

use std::sync::Arc;

use super::design::{body, sans_bold, BODY_BOTTOM, BODY_LEADING, BODY_SIZE, BODY_TOP, INK, MARGIN_X, MUTED};
use super::fonts::FontFace;
use super::images;
use super::layout::{break_lines, Align, Line, Missing, Rgb, Span, Style};
use super::markdown::{self, Block, Inline};
use super::page::{self, Element, Flow, Prim};

/// Builds the flow of a report.
pub struct Builder {
    pub flow: Flow,
    /// The body's left edge and width, in points.
    pub left: f32,
    pub width: f32,
    /// The height of the page body (between the running head and foot).
    pub body_height: f32,
    pub accent: Rgb,
    /// Characters the bundled fonts cannot show.
    pub missing: Missing,
    /// The images to embed, indexed by [`Prim::Image`].
    pub images: Vec<images::PdfImage>,
    pub warnings: Vec<String>,
    /// The next element may not be separated from the previous one (after a heading).
    pub keep: bool,
}

/// Paragraph placement.
#[derive(Clone, Copy)]
pub struct Para {
    /// From the body's left edge.
    pub indent: f32,
    /// `None`: to the body's right edge.
    pub width: Option<f32>,
    pub align: Align,
    pub leading: f32,
    pub space_before: f32,
    /// The frame (box) the paragraph's lines belong to.
    pub frame: Option<usize>,
}

impl Para {
    /// Justified body text across the full width.
    pub fn body() -> Para {
        Para { indent: 0.0, width: None, align: Align::Justify, leading: BODY_LEADING, space_before: 6.0, frame: None }
    }
}

/// The baseline of a line centred in a band `leading` high, from the band's top.
pub fn baseline(line: &Line, leading: f32) -> f32 {
    (leading + line.ascent - line.descent) / 2.0
}

impl Builder {
    /// An empty flow for a page of `page_w` × `page_h` points.
    pub fn new((page_w, page_h): (f32, f32), accent: Rgb) -> Builder {
        Builder {
            flow: Flow::default(),
            left: MARGIN_X,
            width: page_w - 2.0 * MARGIN_X,
            body_height: page_h - BODY_TOP - BODY_BOTTOM,
            accent,
            missing: Missing::default(),
            images: Vec::new(),
            warnings: Vec::new(),
            keep: false,
        }
    }

    /// The warnings so far, then one naming the characters no bundled font can show.
    pub fn take_warnings(&mut self) -> Vec<String> {
        let mut warnings = std::mem::take(&mut self.warnings);
        if !self.missing.0.is_empty() {
            let list: Vec<String> = self.missing.0.iter().map(|c| format!("U+{:04X} '{c}'", *c as u32)).collect();
            warnings.push(format!(
                "the bundled fonts cannot show {} character(s), drawn as \u{FFFD}: {}",
                list.len(),
                list.join(", ")
            ));
        }
        warnings
    }

    /// Adds an element; it stays with the previous one when that asked to be kept with the next.
    pub fn push(&mut self, mut e: Element) {
        if self.keep {
            e.break_before = false;
            self.keep = false;
        }
        self.flow.push(e);
    }

    /// Breaks spans into lines, noting characters no font can show.
    pub fn lines(&mut self, spans: &[Span], width: f32, align: Align) -> Vec<Line> {
        break_lines(spans, width, align, &mut self.missing)
    }

    /// Lays out a paragraph; `first_prims` are added to its first line (a list marker).
    pub fn para(&mut self, spans: &[Span], p: Para, first_prims: Vec<Prim>) -> usize {
        let width = p.width.unwrap_or(self.width - p.indent);
        let lines = self.lines(spans, width, p.align);
        let n = lines.len().max(1);
        let allowed = page::line_breaks_allowed(n, true);
        let mut first_prims = Some(first_prims);
        let lines = if lines.is_empty() { vec![None] } else { lines.into_iter().map(Some).collect() };
        for (i, line) in lines.into_iter().enumerate() {
            let mut prims = first_prims.take().unwrap_or_default();
            if let Some(line) = line {
                prims.push(Prim::Text { x: self.left + p.indent, baseline: baseline(&line, p.leading), line });
            }
            self.push(Element {
                height: p.leading,
                space_before: if i == 0 { p.space_before } else { 0.0 },
                break_before: allowed[i],
                frame: p.frame,
                prims,
                ..Default::default()
            });
        }
        n
    }

    /// A section heading (level 1, ruled in the accent colour) or a subheading; kept with what follows.
    pub fn heading(&mut self, text: &str, level: u8) {
        let (style, leading, space) = match level {
            1 => (sans_bold(13.0).color(self.accent), 18.0, 18.0),
            _ => (sans_bold(10.5).color(INK), 15.0, 10.0),
        };
        let lines = self.lines(&[Span::new(text, style)], self.width, Align::Left);
        let count = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let mut prims = vec![Prim::Text { x: self.left, baseline: baseline(&line, leading), line }];
            let mut height = leading;
            if level == 1 && i + 1 == count {
                prims.push(Prim::Rect {
                    x: self.left,
                    y: leading + 1.5,
                    w: self.width,
                    h: 0.8,
                    fill: Some(self.accent),
                    stroke: None,
                });
                height += 4.0;
            }
            self.push(Element {
                height,
                space_before: if i == 0 { space } else { 0.0 },
                break_before: i == 0,
                prims,
                ..Default::default()
            });
            self.keep = true;
        }
    }

    /// A short grey line for an empty section.
    pub fn nothing(&mut self, text: &str) {
        let style = Style::new(FontFace::SerifItalic, BODY_SIZE).color(MUTED);
        self.para(&[Span::new(text, style)], Para::body(), Vec::new());
    }

    /// Styled spans of markdown inlines over a base style.
    pub fn spans(&self, inlines: &[Inline], base: &Style) -> Vec<Span> {
        inlines
            .iter()
            .map(|i| {
                let mut style = base.clone();
                style.face = base.face.styled(i.bold || base.face.is_bold(), i.italic || base.face.is_italic());
                if let Some(url) = &i.link {
                    style.link = Some(Arc::from(url.as_str()));
                    style.color = (0x1A, 0x4F, 0x9C);
                }
                Span::new(i.text.clone(), style)
            })
            .collect()
    }

    /// Markdown blocks at an indent.
    fn blocks(&mut self, blocks: &[Block], p: Para) {
        for (bi, block) in blocks.iter().enumerate() {
            let p = Para { space_before: if bi == 0 { p.space_before } else { 6.0 }, ..p };
            match block {
                Block::Para(inlines) => {
                    let spans = self.spans(inlines, &body());
                    self.para(&spans, p, Vec::new());
                }
                Block::List { start, items } => {
                    for (n, item) in items.iter().enumerate() {
                        let marker = match start {
                            Some(s) => format!("{}.", s + n as u64),
                            None => "•".to_string(),
                        };
                        self.list_item(
                            &marker,
                            item,
                            Para { space_before: if n == 0 { p.space_before } else { 3.0 }, ..p },
                        );
                    }
                }
            }
        }
    }

    /// A list item: the marker hangs left of the item's first line.
    pub fn list_item(&mut self, marker: &str, item: &[Block], p: Para) {
        let indent = 16.0;
        let marker_lines = self.lines(&[Span::new(marker, body())], indent + 40.0, Align::Left);
        let inner = Para { indent: p.indent + indent, width: p.width.map(|w| w - indent), ..p };
        let marker_prim = |b: &mut Builder, line: Line| Prim::Text {
            x: b.left + p.indent + indent - line.width - 5.0,
            baseline: baseline(&line, p.leading),
            line,
        };
        let prims: Vec<Prim> = marker_lines.into_iter().map(|l| marker_prim(self, l)).collect();
        match item.split_first() {
            Some((Block::Para(inlines), rest)) => {
                let spans = self.spans(inlines, &body());
                self.para(&spans, inner, prims);
                self.blocks(rest, Para { space_before: 3.0, ..inner });
            }
            _ => {
                // An item that starts with a nested list or is empty: the marker on a line of its own.
                self.push(Element {
                    height: p.leading,
                    space_before: p.space_before,
                    break_before: true,
                    prims,
                    ..Default::default()
                });
                self.keep = true;
                self.blocks(item, Para { space_before: 0.0, ..inner });
            }
        }
    }

    /// The report's markdown subset as blocks; false when there was nothing to show.
    pub fn markdown(&mut self, source: &str, p: Para) -> bool {
        let blocks = markdown::parse(source);
        if blocks.is_empty() {
            return false;
        }
        self.blocks(&blocks, p);
        true
    }

    /// Label/value rows of the title block.
    pub fn meta_row(&mut self, label: &str, value: Vec<Span>) {
        let label_w = 92.0;
        let label_lines = self.lines(&[Span::new(label, sans_bold(8.0).color(MUTED))], label_w, Align::Left);
        let value_lines = self.lines(&value, self.width - label_w, Align::Left);
        let leading = 12.5;
        let n = label_lines.len().max(value_lines.len()).max(1);
        let mut label_lines = label_lines.into_iter();
        let mut value_lines = value_lines.into_iter();
        for i in 0..n {
            let mut prims = Vec::new();
            if let Some(l) = label_lines.next() {
                prims.push(Prim::Text { x: self.left, baseline: 9.5, line: l });
            }
            if let Some(l) = value_lines.next() {
                prims.push(Prim::Text { x: self.left + label_w, baseline: 9.5, line: l });
            }
            self.push(Element { height: leading, break_before: i == 0, prims, ..Default::default() });
        }
    }

    /// Prepares image bytes for embedding; returns the image's index, or warns and returns `None`.
    pub fn load_image(&mut self, bytes: Vec<u8>, what: &str) -> Option<usize> {
        match images::prepare(bytes) {
            Ok(img) => {
                self.images.push(img);
                Some(self.images.len() - 1)
            }
            Err(e) => {
                self.warnings.push(format!("{what} cannot be embedded: {e}"));
                None
            }
        }
    }
}
