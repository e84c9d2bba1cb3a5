//! The paginated flow as drawings, page by page: the draft watermark, the frames, the placed
//! elements and the running head and foot (TLP marking, title, report number, page count).

use crate::model::{StoredReport, Tlp};

use super::builder::Builder;
use super::design::{sans, sans_bold, tlp_label, BODY_TOP, MARGIN_X, MUTED, RULE};
use super::fonts::FontFace;
use super::layout::{break_lines, Align, Line, Missing, Span, Style};
use super::page::{self, Element, Frame, Placed, Prim};
use super::pdf::Draw;
use super::{BriefOptions, SignatureRect};

/// What the running head and foot of every page show.
struct Heads<'a> {
    tlp: Tlp,
    title: &'a str,
    number: &'a str,
    total: usize,
    /// Page width and height in points.
    size: (f32, f32),
}

/// The drawings of every page, and where the frame `signature_frame` (the signature block) landed.
pub fn draw_pages(
    b: &mut Builder,
    pages: &[Vec<Placed>],
    stored: &StoredReport,
    options: &BriefOptions,
    signature_frame: Option<usize>,
) -> (Vec<Vec<Draw>>, Option<SignatureRect>) {
    let (page_w, page_h) = options.page_size.points();
    let short_title = stored.report.display_title().to_string();
    let heads = Heads {
        tlp: stored.report.handling.tlp,
        title: &short_title,
        number: &stored.number,
        total: pages.len(),
        size: (page_w, page_h),
    };
    let mut draws: Vec<Vec<Draw>> = Vec::with_capacity(pages.len());
    let mut signature_rect = None;
    for (n, placed) in pages.iter().enumerate() {
        let mut d = Vec::new();
        if options.draft {
            d.push(watermark(page_w, page_h));
        }
        let top = |y: f32| page_h - BODY_TOP - y;
        for (f, y0, y1) in page::frame_boxes(&b.flow, placed) {
            let fr: &Frame = &b.flow.frames[f];
            frame(&mut d, fr, top(y1), y1 - y0);
            if Some(f) == signature_frame {
                signature_rect =
                    Some(SignatureRect { page_index: n as u32, rect: [fr.x, top(y1), fr.x + fr.w, top(y0)] });
            }
        }
        for p in placed {
            element(&mut d, b.flow.element(p.element), p.top, top);
        }
        running_heads(&mut d, &mut b.missing, &heads, n + 1);
        draws.push(d);
    }
    (draws, signature_rect)
}

/// "DRAFT" across the page in light grey.
fn watermark(page_w: f32, page_h: f32) -> Draw {
    let size = page_w * 0.2;
    Draw::Rotated {
        x: page_w * 0.18,
        y: page_h * 0.3,
        angle: 45.0,
        text: "DRAFT".into(),
        face: FontFace::SansBold,
        size,
        color: (0xE6, 0xE6, 0xE6),
    }
}

/// A frame's box (and its bar) on one page; `y` is its bottom edge.
fn frame(d: &mut Vec<Draw>, fr: &Frame, y: f32, h: f32) {
    d.push(Draw::Rect { x: fr.x, y, w: fr.w, h, fill: fr.fill, stroke: fr.stroke });
    if let Some((bw, bc)) = fr.bar {
        d.push(Draw::Rect { x: fr.x, y, w: bw, h, fill: Some(bc), stroke: None });
    }
}

/// The primitives of an element placed `at` below the body's top; `top` turns a distance below
/// the body's top into a PDF y coordinate.
fn element(d: &mut Vec<Draw>, e: &Element, at: f32, top: impl Fn(f32) -> f32) {
    for prim in &e.prims {
        d.push(match prim {
            Prim::Text { x, baseline, line } => Draw::Text { x: *x, y: top(at + baseline), line: line.clone() },
            Prim::Rect { x, y, w, h, fill, stroke } => {
                Draw::Rect { x: *x, y: top(at + y + h), w: *w, h: *h, fill: *fill, stroke: *stroke }
            }
            Prim::Image { x, y, w, h, image } => Draw::Image { x: *x, y: top(at + y + h), w: *w, h: *h, image: *image },
        });
    }
}

/// The running head (TLP box, title, report number, rule) and foot (rule, TLP box, page count).
fn running_heads(d: &mut Vec<Draw>, missing: &mut Missing, heads: &Heads, page: usize) {
    let (w, h) = heads.size;
    let head_top = h - 28.0;
    let label_w = tlp_box(d, missing, heads.tlp, MARGIN_X, head_top, 7.5);
    let small = sans(8.0).color(MUTED);
    let num_line = fit_line(heads.number, &small, 120.0, missing);
    let num_w = num_line.as_ref().map_or(0.0, |l| l.width);
    if let Some(l) = num_line {
        d.push(Draw::Text { x: w - MARGIN_X - num_w, y: head_top - 9.0, line: l });
    }
    let avail = w - 2.0 * MARGIN_X - label_w - num_w - 24.0;
    if let Some(l) = fit_line(heads.title, &small, avail, missing) {
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
    tlp_box(d, missing, heads.tlp, MARGIN_X, foot_top - 6.0, 7.5);
    if let Some(l) = fit_line(&format!("Page {page} of {}", heads.total), &small, 150.0, missing) {
        d.push(Draw::Text { x: w - MARGIN_X - l.width, y: foot_top - 15.0, line: l });
    }
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
pub fn fit_line(text: &str, style: &Style, width: f32, missing: &mut Missing) -> Option<Line> {
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
