//! The PDF brief: a typeset, paginated export of a report.
//!
//! [`render`] lays the report out with our own engine ([`layout`] for lines, [`page`] for boxes
//! and pagination — printpdf has no text layout) and writes it through printpdf ([`pdf`]).
//! The output depends only on the report, its images and [`BriefOptions`]: the same inputs give
//! the same bytes (`options.time` is the only date written).
//!
//! Page 1 carries the title block and the BLUF in a shaded box; then the numbered sections of
//! the report format, the figures, the notes, and (when asked) a visible signature block whose
//! rectangle the signing step places its widget over.

pub mod fonts;
mod images;
pub mod layout;
pub mod markdown;
pub mod page;
mod pdf;

use std::path::PathBuf;
use std::sync::Arc;

use time::OffsetDateTime;

use crate::interchange::markdown::image_path;
use crate::interchange::text::SECTION_HEADINGS as HEADINGS;
use crate::model::{Figure, ImageRef, StoredReport, Tlp};
use crate::paths::DataDir;
use fonts::FontFace;
use layout::{break_lines, Align, Line, Missing, Rgb, Span, Style};
use markdown::{Block, Inline};
use page::{Element, Flow, Frame, Prim};
use pdf::Draw;

pub use crate::settings::PageSize;

/// An organisation's look on the title page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Branding {
    pub accent: Option<(u8, u8, u8)>,
    /// PNG or JPEG bytes.
    pub logo: Option<Vec<u8>>,
    /// The issuing organisation, printed under "INTELLIGENCE BRIEF".
    pub organisation: Option<String>,
}

/// What the visible signature block shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureAppearance {
    pub signer: String,
    pub organisation: Option<String>,
    pub time: OffsetDateTime,
    /// SHA-256 of the signer's certificate, hex.
    pub fingerprint: String,
}

/// How to render a brief.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BriefOptions {
    pub page_size: PageSize,
    pub draft: bool,
    /// The export time: every date the PDF carries.
    pub time: OffsetDateTime,
    pub branding: Branding,
    pub signature: Option<SignatureAppearance>,
}

impl BriefOptions {
    /// A4, not a draft, no branding, no signature.
    pub fn new(time: OffsetDateTime) -> BriefOptions {
        BriefOptions { page_size: PageSize::A4, draft: false, time, branding: Branding::default(), signature: None }
    }
}

/// Where the signature block was drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SignatureRect {
    /// 0-based.
    pub page_index: u32,
    /// x0, y0, x1, y1 in PDF points, origin bottom-left.
    pub rect: [f32; 4],
}

/// A rendered brief.
#[derive(Clone, Debug)]
pub struct Brief {
    pub pdf: Vec<u8>,
    pub pages: u32,
    /// Things the reader should know: missing glyphs, images that could not be read.
    pub warnings: Vec<String>,
    pub signature_rect: Option<SignatureRect>,
}

/// Why a brief could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum BriefError {
    #[error("the bundled font {0} cannot be read")]
    Font(&'static str),
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
}

impl BriefError {
    pub fn code(&self) -> &'static str {
        match self {
            BriefError::Font(_) => "brief.font",
            BriefError::Pdf(_) => "brief.pdf",
        }
    }
}

/// Supplies the bytes of attached images.
pub trait ImageSource {
    fn load(&self, image: &ImageRef) -> Result<Vec<u8>, std::io::Error>;
}

/// Images from a library's image folder (`images/<sha256>.jpg|png`).
#[derive(Debug, Clone)]
pub struct LibraryImages {
    root: PathBuf,
}

impl LibraryImages {
    pub fn new(dir: &DataDir) -> LibraryImages {
        LibraryImages { root: dir.root().to_path_buf() }
    }
}

impl ImageSource for LibraryImages {
    fn load(&self, image: &ImageRef) -> Result<Vec<u8>, std::io::Error> {
        let rel = image_path(image).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "the image reference is not a stored image")
        })?;
        std::fs::read(self.root.join(rel))
    }
}

/// No images at all (every figure shows as not attached).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoImages;

impl ImageSource for NoImages {
    fn load(&self, _: &ImageRef) -> Result<Vec<u8>, std::io::Error> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no image store"))
    }
}

// --- Design ---------------------------------------------------------------------------------

const INK: Rgb = (0x1A, 0x1A, 0x1A);
const MUTED: Rgb = (0x5F, 0x63, 0x68);
const RULE: Rgb = (0xC8, 0xCC, 0xD2);
const DEFAULT_ACCENT: Rgb = (0x1F, 0x3A, 0x5F);
const BODY_SIZE: f32 = 10.0;
const BODY_LEADING: f32 = 14.0;
const MARGIN_X: f32 = 62.0;
const BODY_TOP: f32 = 68.0;
const BODY_BOTTOM: f32 = 64.0;

fn tint(c: Rgb, amount: f32) -> Rgb {
    let mix = |v: u8| (255.0 - (255.0 - v as f32) * amount).round() as u8;
    (mix(c.0), mix(c.1), mix(c.2))
}

fn body() -> Style {
    Style::new(FontFace::Serif, BODY_SIZE).color(INK)
}

fn sans(size: f32) -> Style {
    Style::new(FontFace::Sans, size).color(INK)
}

fn sans_bold(size: f32) -> Style {
    Style::new(FontFace::SansBold, size).color(INK)
}

fn date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

fn date_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02}:{:02} UTC", date(t), t.hour(), t.minute(), t.second())
}

/// Builds the flow of a report.
struct Builder {
    flow: Flow,
    left: f32,
    width: f32,
    body_height: f32,
    accent: Rgb,
    missing: Missing,
    images: Vec<images::PdfImage>,
    warnings: Vec<String>,
    /// The next element may not be separated from the previous one (after a heading).
    keep: bool,
}

/// Paragraph placement.
#[derive(Clone, Copy)]
struct Para {
    indent: f32,
    width: Option<f32>,
    align: Align,
    leading: f32,
    space_before: f32,
    frame: Option<usize>,
}

impl Para {
    fn body() -> Para {
        Para { indent: 0.0, width: None, align: Align::Justify, leading: BODY_LEADING, space_before: 6.0, frame: None }
    }
}

fn baseline(line: &Line, leading: f32) -> f32 {
    (leading + line.ascent - line.descent) / 2.0
}

impl Builder {
    fn push(&mut self, mut e: Element) {
        if self.keep {
            e.break_before = false;
            self.keep = false;
        }
        self.flow.push(e);
    }

    fn lines(&mut self, spans: &[Span], width: f32, align: Align) -> Vec<Line> {
        break_lines(spans, width, align, &mut self.missing)
    }

    /// Lays out a paragraph; `first_prims` are added to its first line (a list marker).
    fn para(&mut self, spans: &[Span], p: Para, first_prims: Vec<Prim>) -> usize {
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

    fn heading(&mut self, text: &str, level: u8) {
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
    fn nothing(&mut self, text: &str) {
        let style = Style::new(FontFace::SerifItalic, BODY_SIZE).color(MUTED);
        self.para(&[Span::new(text, style)], Para::body(), Vec::new());
    }

    fn spans(&self, inlines: &[Inline], base: &Style) -> Vec<Span> {
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

    fn list_item(&mut self, marker: &str, item: &[Block], p: Para) {
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

    fn markdown(&mut self, source: &str, p: Para) -> bool {
        let blocks = markdown::parse(source);
        if blocks.is_empty() {
            return false;
        }
        self.blocks(&blocks, p);
        true
    }

    /// Label/value rows of the title block.
    fn meta_row(&mut self, label: &str, value: Vec<Span>) {
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

    fn load_image(&mut self, bytes: Vec<u8>, what: &str) -> Option<usize> {
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

fn tlp_label(tlp: Tlp) -> String {
    format!("TLP:{}", tlp.as_str())
}

/// A black box with the TLP label in its colour; returns its width.
fn tlp_box(draws: &mut Vec<Draw>, missing: &mut Missing, tlp: Tlp, x: f32, y_top: f32, size: f32) -> f32 {
    let style = sans_bold(size).color(tlp.colour());
    let line = break_lines(&[Span::new(tlp_label(tlp), style)], 500.0, Align::Left, missing).remove(0);
    let pad = size * 0.5;
    let h = size * 1.6;
    let w = line.width + 2.0 * pad;
    draws.push(Draw::Rect { x, y: y_top - h, w, h, fill: Some((0, 0, 0)), stroke: None });
    let base = y_top - h + (h - size * 0.72) / 2.0;
    draws.push(Draw::Text { x: x + pad, y: base, line });
    w
}

/// Cuts text to fit `width` at `style`, with an ellipsis.
fn fit_line(text: &str, style: &Style, width: f32, missing: &mut Missing) -> Option<Line> {
    let first = |s: &str, m: &mut Missing| break_lines(&[Span::new(s, style.clone())], 1e6, Align::Left, m).pop();
    let line = first(text, missing)?;
    if line.width <= width {
        return Some(line);
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let s: String = chars[..mid].iter().collect::<String>() + "…";
        if first(&s, missing).is_some_and(|l| l.width <= width) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    first(&(chars[..lo].iter().collect::<String>().trim_end().to_string() + "…"), missing)
}

/// Renders a stored report as a PDF brief.
pub fn render(stored: &StoredReport, images: &dyn ImageSource, options: &BriefOptions) -> Result<Brief, BriefError> {
    let report = &stored.report;
    let (page_w, page_h) = options.page_size.points();
    let accent = options.branding.accent.unwrap_or(DEFAULT_ACCENT);
    let mut b = Builder {
        flow: Flow::default(),
        left: MARGIN_X,
        width: page_w - 2.0 * MARGIN_X,
        body_height: page_h - BODY_TOP - BODY_BOTTOM,
        accent,
        missing: Missing::default(),
        images: Vec::new(),
        warnings: Vec::new(),
        keep: false,
    };

    title_block(&mut b, stored, options);
    sections(&mut b, stored, images);
    let signature_frame = options.signature.as_ref().map(|s| signature_block(&mut b, s));

    let pages = page::paginate(&b.flow, b.body_height);
    let total = pages.len();
    let short_title = report.display_title().to_string();
    let mut draws: Vec<Vec<Draw>> = Vec::with_capacity(total);
    let mut signature_rect = None;
    for (n, placed) in pages.iter().enumerate() {
        let mut d = Vec::new();
        if options.draft {
            let size = page_w * 0.2;
            d.push(Draw::Rotated {
                x: page_w * 0.18,
                y: page_h * 0.3,
                angle: 45.0,
                text: "DRAFT".into(),
                face: FontFace::SansBold,
                size,
                color: (0xE6, 0xE6, 0xE6),
            });
        }
        let top = |y: f32| page_h - BODY_TOP - y;
        for (f, y0, y1) in page::frame_boxes(&b.flow, placed) {
            let fr: &Frame = &b.flow.frames[f];
            d.push(Draw::Rect { x: fr.x, y: top(y1), w: fr.w, h: y1 - y0, fill: fr.fill, stroke: fr.stroke });
            if let Some((bw, bc)) = fr.bar {
                d.push(Draw::Rect { x: fr.x, y: top(y1), w: bw, h: y1 - y0, fill: Some(bc), stroke: None });
            }
            if Some(f) == signature_frame {
                signature_rect =
                    Some(SignatureRect { page_index: n as u32, rect: [fr.x, top(y1), fr.x + fr.w, top(y0)] });
            }
        }
        for p in placed {
            let e = b.flow.element(p.element);
            for prim in &e.prims {
                d.push(match prim {
                    Prim::Text { x, baseline, line } => {
                        Draw::Text { x: *x, y: top(p.top + baseline), line: line.clone() }
                    }
                    Prim::Rect { x, y, w, h, fill, stroke } => {
                        Draw::Rect { x: *x, y: top(p.top + y + h), w: *w, h: *h, fill: *fill, stroke: *stroke }
                    }
                    Prim::Image { x, y, w, h, image } => {
                        Draw::Image { x: *x, y: top(p.top + y + h), w: *w, h: *h, image: *image }
                    }
                });
            }
        }
        running_heads(
            &mut d,
            &mut b.missing,
            report.handling.tlp,
            &short_title,
            &stored.number,
            n + 1,
            total,
            (page_w, page_h),
        );
        draws.push(d);
    }

    let mut warnings = std::mem::take(&mut b.warnings);
    if !b.missing.0.is_empty() {
        let list: Vec<String> = b.missing.0.iter().map(|c| format!("U+{:04X} '{c}'", *c as u32)).collect();
        warnings.push(format!(
            "the bundled fonts cannot show {} character(s), drawn as \u{FFFD}: {}",
            list.len(),
            list.join(", ")
        ));
    }

    let info = pdf::Info {
        title: report.display_title().to_string(),
        author: report.author.clone(),
        subject: subject(stored),
        keywords: report.tags.join(", "),
        creator: format!("Briefwright {}", env!("CARGO_PKG_VERSION")),
        date: pdf_date(options.time),
    };
    let seed = id_seed(stored, options, &b.images);
    let bytes = pdf::write((page_w, page_h), &draws, std::mem::take(&mut b.images), &info, &seed)?;
    Ok(Brief { pdf: bytes, pages: total as u32, warnings, signature_rect })
}

fn pdf_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The subject line: the BLUF's first sentence, else the headline.
fn subject(stored: &StoredReport) -> String {
    let text: String = markdown::parse_inline(&stored.report.bluf).iter().map(|i| i.text.as_str()).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = match text.find(". ") {
        Some(i) => &text[..=i],
        None => text.as_str(),
    };
    let s = if first.is_empty() { stored.report.source.headline.trim() } else { first };
    s.chars().take(300).collect()
}

fn id_seed(stored: &StoredReport, options: &BriefOptions, images: &[images::PdfImage]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(crate::interchange::json::write(stored).as_bytes());
    h.update(
        format!("{:?}|{}|{:?}|{:?}", options.page_size, options.draft, options.time, options.signature).as_bytes(),
    );
    h.update(format!("{:?}|{:?}", options.branding.accent, options.branding.organisation).as_bytes());
    if let Some(logo) = &options.branding.logo {
        h.update(Sha256::digest(logo));
    }
    for img in images {
        h.update(Sha256::digest(&img.xobject.stream.content));
    }
    h.finalize().to_vec()
}

#[allow(clippy::too_many_arguments)]
fn running_heads(
    d: &mut Vec<Draw>,
    missing: &mut Missing,
    tlp: Tlp,
    title: &str,
    number: &str,
    page: usize,
    total: usize,
    (w, h): (f32, f32),
) {
    let head_top = h - 28.0;
    let label_w = tlp_box(d, missing, tlp, MARGIN_X, head_top, 7.5);
    let small = sans(8.0).color(MUTED);
    let num_line = fit_line(number, &small, 120.0, missing);
    let num_w = num_line.as_ref().map_or(0.0, |l| l.width);
    if let Some(l) = num_line {
        d.push(Draw::Text { x: w - MARGIN_X - num_w, y: head_top - 9.0, line: l });
    }
    let avail = w - 2.0 * MARGIN_X - label_w - num_w - 24.0;
    if let Some(l) = fit_line(title, &small, avail, missing) {
        d.push(Draw::Text { x: MARGIN_X + label_w + 12.0, y: head_top - 9.0, line: l });
    }
    d.push(Draw::Rect {
        x: MARGIN_X,
        y: head_top - 18.0,
        w: w - 2.0 * MARGIN_X,
        h: 0.5,
        fill: Some(RULE),
        stroke: None,
    });

    let foot_top = 46.0;
    d.push(Draw::Rect { x: MARGIN_X, y: foot_top, w: w - 2.0 * MARGIN_X, h: 0.5, fill: Some(RULE), stroke: None });
    tlp_box(d, missing, tlp, MARGIN_X, foot_top - 6.0, 7.5);
    if let Some(l) = fit_line(&format!("Page {page} of {total}"), &small, 150.0, missing) {
        d.push(Draw::Text { x: w - MARGIN_X - l.width, y: foot_top - 15.0, line: l });
    }
}

fn title_block(b: &mut Builder, stored: &StoredReport, options: &BriefOptions) {
    let report = &stored.report;
    let accent = b.accent;
    // Accent band, the TLP marking and the logo.
    let mut prims = vec![Prim::Rect { x: b.left, y: 0.0, w: b.width, h: 5.0, fill: Some(accent), stroke: None }];
    let mut height: f32 = 40.0;
    if let Some(logo) = &options.branding.logo {
        if let Some(i) = b.load_image(logo.clone(), "the logo") {
            let img = &b.images[i];
            let (max_w, max_h) = (140.0, 44.0);
            let s = (max_w / img.width as f32).min(max_h / img.height as f32);
            let (w, h) = (img.width as f32 * s, img.height as f32 * s);
            prims.push(Prim::Image { x: b.left + b.width - w, y: 12.0, w, h, image: i });
            height = height.max(12.0 + h + 6.0);
        }
    }
    let tlp = report.handling.tlp;
    let style = sans_bold(9.0).color(tlp.colour());
    let label = b.lines(&[Span::new(tlp_label(tlp), style)], 300.0, Align::Left).remove(0);
    prims.push(Prim::Rect { x: b.left, y: 14.0, w: label.width + 10.0, h: 15.0, fill: Some((0, 0, 0)), stroke: None });
    prims.push(Prim::Text { x: b.left + 5.0, baseline: 25.0, line: label });
    let kicker = b.lines(&[Span::new("INTELLIGENCE BRIEF", sans_bold(8.0).color(accent))], 200.0, Align::Left);
    if let Some(k) = kicker.into_iter().next() {
        let x = b.left + 80.0;
        prims.push(Prim::Text { x, baseline: 25.0, line: k });
    }
    if let Some(org) = options.branding.organisation.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        // Beside the logo's column: wrap rather than run under it.
        let room = b.width - 80.0 - 150.0;
        let lines = b.lines(&[Span::new(org, sans(8.0).color(MUTED))], room, Align::Left);
        for (i, line) in lines.into_iter().enumerate() {
            let baseline = 36.0 + 10.0 * i as f32;
            prims.push(Prim::Text { x: b.left + 80.0, baseline, line });
            height = height.max(baseline + 6.0);
        }
    }
    b.push(Element { height, break_before: true, prims, ..Default::default() });

    if !report.handling.banner.trim().is_empty() {
        b.para(
            &[Span::new(report.handling.banner.trim(), sans_bold(9.0).color((0xB0, 0x00, 0x20)))],
            Para { align: Align::Left, leading: 13.0, space_before: 0.0, ..Para::body() },
            Vec::new(),
        );
    }
    b.para(
        &[Span::new(report.display_title(), sans_bold(19.0).color(INK))],
        Para { align: Align::Left, leading: 24.0, space_before: 4.0, ..Para::body() },
        Vec::new(),
    );
    let src = &report.source;
    if !src.headline.trim().is_empty() || !src.outlet.trim().is_empty() {
        let mut spans = vec![Span::new(src.headline.trim(), Style::new(FontFace::SerifItalic, 11.0).color(INK))];
        if !src.outlet.trim().is_empty() {
            let sep = if src.headline.trim().is_empty() { "" } else { " — " };
            spans
                .push(Span::new(format!("{sep}{}", src.outlet.trim()), Style::new(FontFace::Serif, 11.0).color(MUTED)));
        }
        b.para(&spans, Para { align: Align::Left, leading: 15.0, space_before: 6.0, ..Para::body() }, Vec::new());
    }
    b.push(Element { height: 10.0, break_before: true, ..Default::default() });
    let v = |t: &str| vec![Span::new(t.to_string(), sans(8.5))];
    if !src.url.trim().is_empty() {
        let mut s = sans(8.5).color((0x1A, 0x4F, 0x9C));
        if markdown::safe_link(&src.url) {
            s.link = Some(Arc::from(src.url.trim()));
        }
        b.meta_row("Source", vec![Span::new(src.url.trim(), s)]);
    }
    let published = src.published.map(|d| d.to_string()).unwrap_or_else(|| "not stated".into());
    b.meta_row("Published", v(&published));
    b.meta_row("Report date", v(&date(options.time)));
    if !report.author.trim().is_empty() {
        b.meta_row("Author", v(report.author.trim()));
    }
    b.meta_row("Report number", v(&stored.number));
    if let Some(c) = report.confidence {
        b.meta_row("Confidence", v(c.as_str()));
    }
    b.push(Element {
        height: 10.0,
        break_before: false,
        prims: vec![Prim::Rect { x: b.left, y: 8.0, w: b.width, h: 0.6, fill: Some(RULE), stroke: None }],
        ..Default::default()
    });
}

fn sections(b: &mut Builder, stored: &StoredReport, images: &dyn ImageSource) {
    let r = &stored.report;
    // 1. BLUF in a shaded box.
    b.heading(HEADINGS[0], 1);
    let frame = b.flow.frames.len();
    b.flow.frames.push(Frame {
        x: b.left,
        w: b.width,
        fill: Some(tint(b.accent, 0.09)),
        stroke: None,
        pad: 8.0,
        bar: Some((3.0, b.accent)),
    });
    let boxed =
        Para { indent: 14.0, width: Some(b.width - 26.0), frame: Some(frame), space_before: 0.0, ..Para::body() };
    if !b.markdown(&r.bluf, boxed) {
        let style = Style::new(FontFace::SerifItalic, BODY_SIZE).color(MUTED);
        b.para(&[Span::new("No bottom line recorded.", style)], boxed, Vec::new());
    }

    // 2. Detailed analysis.
    b.heading(HEADINGS[1], 1);
    let any = b.markdown(&r.analysis.intro, Para::body());
    if !any && r.analysis.techniques.is_empty() {
        b.nothing("No analysis recorded.");
    }
    for (i, t) in r.analysis.techniques.iter().enumerate() {
        let name = if t.name.trim().is_empty() { "Technique" } else { t.name.trim() };
        b.heading(&format!("2.{} {name}", i + 1), 2);
        let had_body = b.markdown(&t.body, Para { space_before: 2.0, ..Para::body() });
        if let Some(s) = &t.scenarios {
            scenarios(b, s);
        } else if !had_body {
            b.nothing("No findings recorded.");
        }
    }

    // 3. Implications.
    b.heading(HEADINGS[2], 1);
    if !b.markdown(&r.implications, Para::body()) {
        b.nothing("No implications recorded.");
    }

    // 4. Recommendations (bullets) and outlook.
    b.heading(HEADINGS[3], 1);
    for (n, rec) in r.recommendations.iter().enumerate() {
        let inlines = markdown::parse_inline(rec);
        b.list_item(
            "•",
            &[Block::Para(inlines)],
            Para { align: Align::Left, space_before: if n == 0 { 6.0 } else { 3.0 }, ..Para::body() },
        );
    }
    let outlook = b.markdown(&r.outlook, Para { space_before: 8.0, ..Para::body() });
    if r.recommendations.is_empty() && !outlook {
        b.nothing("No recommendations recorded.");
    }

    // 5. Entities.
    b.heading(HEADINGS[4], 1);
    if r.entities.is_empty() {
        b.nothing("No entities recorded.");
    } else {
        entity_table(b, r);
    }

    // 6. Tags.
    b.heading(HEADINGS[5], 1);
    if r.tags.is_empty() {
        b.nothing("No tags recorded.");
    } else {
        tags(b, &r.tags);
    }

    // Figures.
    if !r.images.is_empty() {
        b.heading("Figures", 1);
        for (n, fig) in r.images.iter().enumerate() {
            figure(b, n + 1, fig, images);
        }
    }

    // 7. Notes.
    if !r.notes.trim().is_empty() {
        b.heading(HEADINGS[6], 1);
        b.markdown(&r.notes, Para::body());
    }
}

fn scenarios(b: &mut Builder, s: &crate::model::Scenarios) {
    let rows = [
        ("Best case", &s.best, (0x2E, 0x7D, 0x32)),
        ("Worst case", &s.worst, (0xC6, 0x28, 0x28)),
        ("Most likely", &s.most_likely, (0xB2, 0x6A, 0x00)),
    ];
    let label_w = 78.0;
    for (i, (label, text, colour)) in rows.into_iter().enumerate() {
        let frame = b.flow.frames.len();
        b.flow.frames.push(Frame {
            x: b.left,
            w: b.width,
            fill: Some((0xF4, 0xF5, 0xF7)),
            stroke: None,
            pad: 5.0,
            bar: Some((3.0, colour)),
        });
        let label_line = b.lines(&[Span::new(label, sans_bold(8.5).color(colour))], label_w, Align::Left).remove(0);
        let label_prim =
            Prim::Text { x: b.left + 10.0, baseline: baseline(&label_line, BODY_LEADING), line: label_line };
        let mut inlines = markdown::parse_inline(text);
        if inlines.iter().all(|i| i.text.trim().is_empty()) {
            inlines = vec![Inline { text: "Not stated.".into(), bold: false, italic: true, link: None }];
        }
        let spans = b.spans(&inlines, &body());
        let p = Para {
            indent: 10.0 + label_w,
            width: Some(b.width - label_w - 18.0),
            align: Align::Left,
            space_before: if i == 0 { 8.0 } else { 4.0 },
            frame: Some(frame),
            ..Para::body()
        };
        b.para(&spans, p, vec![label_prim]);
    }
}

fn entity_table(b: &mut Builder, r: &crate::model::Report) {
    let table = b.flow.table_headers.len();
    let cols = [0.34f32, 0.16, 0.50].map(|f| f * b.width);
    let size = 8.5;
    let leading = 11.5;
    let pad = 3.5;
    // Header row.
    let head_style = sans_bold(size).color((0xFF, 0xFF, 0xFF));
    let mut prims =
        vec![Prim::Rect { x: b.left, y: 0.0, w: b.width, h: leading + 2.0 * pad, fill: Some(b.accent), stroke: None }];
    let mut x = b.left;
    for (title, w) in ["Name", "Kind", "Role"].into_iter().zip(cols) {
        if let Some(l) = b.lines(&[Span::new(title, head_style.clone())], w - 8.0, Align::Left).into_iter().next() {
            prims.push(Prim::Text { x: x + 4.0, baseline: pad + baseline(&l, leading), line: l });
        }
        x += w;
    }
    let header =
        Element { height: leading + 2.0 * pad, space_before: 6.0, break_before: true, prims, ..Default::default() };
    b.flow.table_headers.push(vec![Element { space_before: 0.0, ..header.clone() }]);
    b.push(Element { table: Some(table), ..header });
    b.keep = true;

    for (n, e) in r.entities.iter().enumerate() {
        let cells = [
            (e.name.as_str(), sans_bold(size)),
            (e.kind.as_str(), sans(size).color(MUTED)),
            (e.role.as_str(), sans(size)),
        ];
        let cell_lines: Vec<Vec<Line>> = cells
            .iter()
            .zip(cols)
            .map(|((t, s), w)| b.lines(&[Span::new(*t, s.clone())], w - 8.0, Align::Left))
            .collect();
        let bands = cell_lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let fill = if n % 2 == 1 { Some((0xF4, 0xF5, 0xF7)) } else { None };
        let mut cell_iters: Vec<_> = cell_lines.into_iter().map(|c| c.into_iter()).collect();
        for band in 0..bands {
            let top_pad = if band == 0 { pad } else { 0.0 };
            let bottom_pad = if band + 1 == bands { pad } else { 0.0 };
            let height = leading + top_pad + bottom_pad;
            let mut prims = Vec::new();
            if let Some(f) = fill {
                prims.push(Prim::Rect { x: b.left, y: 0.0, w: b.width, h: height, fill: Some(f), stroke: None });
            }
            if band + 1 == bands {
                prims.push(Prim::Rect {
                    x: b.left,
                    y: height - 0.4,
                    w: b.width,
                    h: 0.4,
                    fill: Some(RULE),
                    stroke: None,
                });
            }
            let mut x = b.left;
            for (it, w) in cell_iters.iter_mut().zip(cols) {
                if let Some(l) = it.next() {
                    prims.push(Prim::Text { x: x + 4.0, baseline: top_pad + baseline(&l, leading), line: l });
                }
                x += w;
            }
            // Rows stay whole unless they are very tall; then no fewer than two lines at either end.
            let allowed = band == 0 || (bands > 8 && band >= 2 && bands - band >= 2);
            b.push(Element { height, break_before: allowed, table: Some(table), prims, ..Default::default() });
        }
    }
}

fn tags(b: &mut Builder, tags: &[String]) {
    let size = 8.5;
    let style = sans(size).color(b.accent);
    let (h, gap, padx) = (16.0, 5.0, 6.0);
    let fill = tint(b.accent, 0.10);
    let mut row: Vec<Prim> = Vec::new();
    let mut x = 0.0;
    let mut first = true;
    let flush = |b: &mut Builder, row: &mut Vec<Prim>, first: &mut bool| {
        if !row.is_empty() {
            let space_before = if *first { 6.0 } else { gap };
            b.push(Element {
                height: h,
                space_before,
                break_before: true,
                prims: std::mem::take(row),
                ..Default::default()
            });
            *first = false;
        }
    };
    for tag in tags {
        let lines = b.lines(&[Span::new(tag.trim(), style.clone())], b.width - 2.0 * padx, Align::Left);
        if lines.len() > 1 {
            flush(b, &mut row, &mut first);
            x = 0.0;
            b.para(
                &[Span::new(tag.trim(), style.clone())],
                Para { indent: padx, align: Align::Left, leading: 12.0, space_before: gap, ..Para::body() },
                Vec::new(),
            );
            continue;
        }
        let Some(line) = lines.into_iter().next() else { continue };
        let w = line.width + 2.0 * padx;
        if x > 0.0 && x + w > b.width {
            flush(b, &mut row, &mut first);
            x = 0.0;
        }
        row.push(Prim::Rect { x: b.left + x, y: 0.0, w, h, fill: Some(fill), stroke: None });
        row.push(Prim::Text { x: b.left + x + padx, baseline: baseline(&line, h), line });
        x += w + gap;
    }
    flush(b, &mut row, &mut first);
}

fn figure(b: &mut Builder, n: usize, fig: &Figure, source: &dyn ImageSource) {
    let caption = fig.caption.trim();
    let mut loaded = None;
    let mut note = "";
    if let Some(img) = &fig.image {
        match source.load(img) {
            Ok(bytes) => {
                loaded = b.load_image(bytes, &format!("figure {n}"));
                if loaded.is_none() {
                    note = " (image could not be read)";
                }
            }
            Err(e) => {
                b.warnings.push(format!("figure {n}: the image file {} cannot be read: {e}", img.sha256));
                note = " (image file missing)";
            }
        }
    } else {
        note = " (image not attached)";
    }
    let mut first_break = true;
    if let Some(i) = loaded {
        let img = &b.images[i];
        let max_h = b.body_height * 0.55;
        let s = (b.width / img.width as f32).min(max_h / img.height as f32);
        let (w, h) = (img.width as f32 * s, img.height as f32 * s);
        let x = b.left + (b.width - w) / 2.0;
        b.push(Element {
            height: h,
            space_before: 14.0,
            break_before: true,
            prims: vec![Prim::Image { x, y: 0.0, w, h, image: i }],
            ..Default::default()
        });
        b.keep = true;
        first_break = false;
    }
    let mut spans = vec![Span::new(format!("Figure {n} — "), Style::new(FontFace::SansBold, 8.5).color(INK))];
    if !caption.is_empty() {
        spans.push(Span::new(caption, Style::new(FontFace::SerifItalic, 9.0).color(INK)));
    }
    if !note.is_empty() {
        spans.push(Span::new(note, Style::new(FontFace::Sans, 8.5).color(MUTED)));
    }
    let p =
        Para { align: Align::Left, leading: 12.5, space_before: if first_break { 10.0 } else { 4.0 }, ..Para::body() };
    b.para(&spans, p, Vec::new());
}

/// The visible signature block (kept in one piece) at the end; returns its frame index.
fn signature_block(b: &mut Builder, s: &SignatureAppearance) -> usize {
    let frame = b.flow.frames.len();
    b.flow.frames.push(Frame {
        x: b.left,
        w: b.width,
        fill: Some((0xFA, 0xFA, 0xFB)),
        stroke: Some((b.accent, 0.9)),
        pad: 8.0,
        bar: None,
    });
    let inner = Para {
        indent: 10.0,
        width: Some(b.width - 20.0),
        align: Align::Left,
        leading: 13.0,
        space_before: 0.0,
        frame: Some(frame),
    };
    let start = b.flow.elements.len();
    b.para(&[Span::new(format!("Digitally signed by {}", s.signer.trim()), sans_bold(10.0))], inner, Vec::new());
    if let Some(org) = s.organisation.as_deref().filter(|o| !o.trim().is_empty()) {
        b.para(&[Span::new(org.trim(), sans(9.0))], inner, Vec::new());
    }
    b.para(&[Span::new(format!("Signed {}", date_time(s.time)), sans(9.0).color(MUTED))], inner, Vec::new());
    b.para(
        &[Span::new("Certificate SHA-256", sans_bold(8.0).color(MUTED))],
        Para { leading: 12.0, ..inner },
        Vec::new(),
    );
    let hex: String = s.fingerprint.chars().filter(|c| c.is_ascii_hexdigit()).collect::<String>().to_ascii_uppercase();
    let groups: Vec<String> = hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    b.para(&[Span::new(groups.join(" "), sans(8.0))], Para { leading: 11.0, ..inner }, Vec::new());
    for (k, e) in b.flow.elements[start..].iter_mut().enumerate() {
        e.break_before = k == 0;
        e.space_before = if k == 0 { 20.0 } else { 0.0 };
    }
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc() {
        let t = time::macros::datetime!(2026-03-14 23:30:05 -02:00);
        assert_eq!(date_time(t), "2026-03-15 01:30:05 UTC");
        assert_eq!(pdf_date(t), "D:20260315013005Z");
    }

    #[test]
    fn long_titles_are_cut_with_an_ellipsis() {
        let mut m = Missing::default();
        let l = fit_line(&"Word ".repeat(100), &sans(8.0), 100.0, &mut m).unwrap();
        assert!(l.width <= 100.0 && l.text().ends_with('…'));
    }
}
