//! Boxes and pagination.
//!
//! The document body is a flat list of [`Element`]s, each a horizontal band of fixed height made
//! of primitives (text lines, rectangles, images). Keep rules are expressed as "may the page
//! break before this element?": a heading forbids a break after it (keep-with-next), paragraph
//! lines forbid breaks that would leave fewer than two lines at a page foot (orphan) or head
//! (widow), a figure keeps its caption. [`paginate`] fills pages greedily and, when an element
//! does not fit, moves back to the last allowed break on the page.

use super::layout::{Line, Rgb};

/// Something drawn inside an element, positioned from the element's top-left corner.
#[derive(Clone, Debug)]
pub enum Prim {
    /// A line of text whose baseline is `baseline` below the element top.
    Text { x: f32, baseline: f32, line: Line },
    /// A rectangle, `y` below the element top.
    Rect { x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<(Rgb, f32)> },
    /// An image XObject (index into the brief's images), `y` below the element top.
    Image { x: f32, y: f32, w: f32, h: f32, image: usize },
}

/// A band of the page body.
#[derive(Clone, Debug, Default)]
pub struct Element {
    pub height: f32,
    /// Space above the element, dropped at the top of a page.
    pub space_before: f32,
    /// Whether a page may break right before this element.
    pub break_before: bool,
    /// The frame (shaded or bordered box) this element sits in.
    pub frame: Option<usize>,
    /// The table whose header row repeats when a page starts inside it.
    pub table: Option<usize>,
    pub prims: Vec<Prim>,
}

/// A box drawn behind a sequence of elements, split across pages as they are.
#[derive(Clone, Debug)]
pub struct Frame {
    pub x: f32,
    pub w: f32,
    pub fill: Option<Rgb>,
    pub stroke: Option<(Rgb, f32)>,
    /// Vertical padding inside the box, above the first and below the last element on a page.
    pub pad: f32,
    /// A coloured bar at the left edge (width, colour).
    pub bar: Option<(f32, Rgb)>,
}

/// An element placed on a page: its index (or a repeated table header) and its top.
#[derive(Clone, Debug)]
pub struct Placed {
    pub element: PlacedRef,
    /// Distance from the top of the page body.
    pub top: f32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlacedRef {
    Body(usize),
    /// Header element `n` of table `t`.
    Header {
        table: usize,
        n: usize,
    },
}

/// Everything to lay out: elements, frames and the header rows of tables.
#[derive(Debug, Default)]
pub struct Flow {
    pub elements: Vec<Element>,
    pub frames: Vec<Frame>,
    pub table_headers: Vec<Vec<Element>>,
}

impl Flow {
    pub fn push(&mut self, e: Element) {
        self.elements.push(e);
    }

    pub fn element(&self, r: PlacedRef) -> &Element {
        match r {
            PlacedRef::Body(i) => &self.elements[i],
            PlacedRef::Header { table, n } => &self.table_headers[table][n],
        }
    }

    fn pad(&self, e: &Element) -> f32 {
        e.frame.map_or(0.0, |f| self.frames[f].pad)
    }
}

/// Splits the flow into pages of at most `body_height` points.
pub fn paginate(flow: &Flow, body_height: f32) -> Vec<Vec<Placed>> {
    let mut pages: Vec<Vec<Placed>> = Vec::new();
    let mut page: Vec<Placed> = Vec::new();
    let mut first_on_page = 0usize; // index of the first body element on the current page
    let mut y = 0.0f32;
    let mut prev_frame: Option<usize> = None;
    let mut i = 0;
    while i < flow.elements.len() {
        let e = &flow.elements[i];
        let page_has_body = page.iter().any(|p| matches!(p.element, PlacedRef::Body(_)));
        if !page_has_body && page.is_empty() {
            first_on_page = i;
            // A page starting inside a table repeats its header.
            if let Some(t) = e.table {
                if flow.elements[..i].iter().any(|p| p.table == Some(t)) {
                    for (n, h) in flow.table_headers[t].iter().enumerate() {
                        page.push(Placed { element: PlacedRef::Header { table: t, n }, top: y });
                        y += h.height;
                    }
                    prev_frame = None;
                }
            }
        }
        let mut top = y + if page.is_empty() { 0.0 } else { e.space_before };
        // Entering a frame (or continuing one at a page top) adds its padding above.
        if e.frame.is_some() && (e.frame != prev_frame || page.is_empty()) {
            top += flow.pad(e);
        }
        // Leaving a frame: the previous frame's bottom padding.
        if prev_frame.is_some() && e.frame != prev_frame && !page.is_empty() {
            if let Some(f) = prev_frame {
                top += flow.frames[f].pad;
            }
        }
        let bottom = top + e.height + flow.pad(e);
        if bottom <= body_height + 0.01 || !page_has_body {
            page.push(Placed { element: PlacedRef::Body(i), top });
            y = top + e.height;
            prev_frame = e.frame;
            i += 1;
            continue;
        }
        // Does not fit: break at the last allowed point on this page.
        let mut j = i;
        while j > first_on_page && !flow.elements[j].break_before {
            j -= 1;
        }
        if j == first_on_page {
            j = i;
        }
        page.retain(|p| match p.element {
            PlacedRef::Body(k) => k < j,
            PlacedRef::Header { .. } => true,
        });
        pages.push(std::mem::take(&mut page));
        y = 0.0;
        prev_frame = None;
        i = j;
    }
    if !page.is_empty() || pages.is_empty() {
        pages.push(page);
    }
    pages
}

/// Frame boxes on one page: (frame index, top, bottom) in body coordinates.
pub fn frame_boxes(flow: &Flow, page: &[Placed]) -> Vec<(usize, f32, f32)> {
    let mut out: Vec<(usize, f32, f32)> = Vec::new();
    let mut prev: Option<usize> = None;
    for p in page {
        let e = flow.element(p.element);
        match e.frame {
            Some(f) => {
                let pad = flow.frames[f].pad;
                if prev == Some(f) {
                    if let Some(last) = out.last_mut() {
                        last.2 = p.top + e.height + pad;
                    }
                } else {
                    out.push((f, p.top - pad, p.top + e.height + pad));
                }
                prev = Some(f);
            }
            None => prev = None,
        }
    }
    out
}

/// Break rules for the `n` lines of a paragraph: no orphan or widow of one line.
pub fn line_breaks_allowed(n: usize, first: bool) -> Vec<bool> {
    (0..n).map(|i| if i == 0 { first } else { i >= 2 && n - i >= 2 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(height: f32, break_before: bool) -> Element {
        Element { height, break_before, ..Default::default() }
    }

    fn layout(flow: &Flow, h: f32) -> Vec<Vec<usize>> {
        paginate(flow, h)
            .iter()
            .map(|p| {
                p.iter()
                    .filter_map(|p| match p.element {
                        PlacedRef::Body(i) => Some(i),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    /// A heading (keep-with-next) and a paragraph of `n` lines.
    fn heading_and_para(flow: &mut Flow, n: usize) {
        flow.push(el(20.0, true));
        for allowed in line_breaks_allowed(n, false) {
            flow.push(el(10.0, allowed));
        }
    }

    #[test]
    fn fills_pages_greedily() {
        let mut flow = Flow::default();
        for _ in 0..25 {
            flow.push(el(10.0, true));
        }
        assert_eq!(layout(&flow, 100.0).iter().map(Vec::len).collect::<Vec<_>>(), [10, 10, 5]);
    }

    #[test]
    fn a_heading_never_ends_a_page_and_takes_two_lines_along() {
        let mut flow = Flow::default();
        for _ in 0..7 {
            flow.push(el(10.0, true));
        }
        heading_and_para(&mut flow, 5); // heading at 70..90, first line 90..100, second would overflow
        let pages = layout(&flow, 100.0);
        assert_eq!(pages[0], (0..7).collect::<Vec<_>>());
        assert_eq!(pages[1], (7..13).collect::<Vec<_>>());
    }

    #[test]
    fn no_widow_at_the_top_of_a_page() {
        let mut flow = Flow::default();
        for _ in 0..5 {
            flow.push(el(10.0, true));
        }
        for allowed in line_breaks_allowed(6, true) {
            flow.push(el(10.0, allowed));
        }
        // 5 + 5 lines fit on page 1, which would leave one line (a widow) on page 2.
        let pages = layout(&flow, 100.0);
        assert_eq!(pages[0].len(), 9);
        assert_eq!(pages[1], [9, 10]);
    }

    #[test]
    fn no_orphan_at_the_foot_of_a_page() {
        let mut flow = Flow::default();
        for _ in 0..9 {
            flow.push(el(10.0, true));
        }
        for allowed in line_breaks_allowed(4, true) {
            flow.push(el(10.0, allowed));
        }
        let pages = layout(&flow, 100.0);
        assert_eq!(pages[0].len(), 9, "a single first line does not stay behind");
        assert_eq!(pages[1], [9, 10, 11, 12]);
    }

    #[test]
    fn unbreakable_runs_longer_than_a_page_still_progress() {
        let mut flow = Flow::default();
        flow.push(el(10.0, true));
        for _ in 0..30 {
            flow.push(el(10.0, false));
        }
        let pages = layout(&flow, 100.0);
        assert_eq!(pages.iter().map(Vec::len).sum::<usize>(), 31);
        assert!(pages.iter().all(|p| p.len() <= 10));
    }

    #[test]
    fn table_headers_repeat_on_continuation_pages() {
        let mut flow = Flow { table_headers: vec![vec![el(15.0, false)]], ..Default::default() };
        for _ in 0..15 {
            flow.push(Element { table: Some(0), ..el(10.0, true) });
        }
        let pages = paginate(&flow, 100.0);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1][0].element, PlacedRef::Header { table: 0, n: 0 });
        assert_eq!(pages[1][1].top, 15.0);
        assert!(pages.iter().flatten().all(|p| p.top + flow.element(p.element).height <= 100.0));
    }

    #[test]
    fn frames_pad_and_split_across_pages() {
        let mut flow = Flow::default();
        flow.frames.push(Frame { x: 0.0, w: 100.0, fill: None, stroke: None, pad: 5.0, bar: None });
        for _ in 0..12 {
            flow.push(Element { frame: Some(0), ..el(10.0, true) });
        }
        let pages = paginate(&flow, 100.0);
        assert_eq!(pages[0].len(), 9, "5 + 90 + 5 = 100");
        let boxes = frame_boxes(&flow, &pages[0]);
        assert_eq!(boxes, [(0, 0.0, 100.0)]);
        assert_eq!(frame_boxes(&flow, &pages[1]), [(0, 0.0, 40.0)]);
    }
}
