//! The section state machine: a file's lines cut at its section headings, which must each
//! appear at most once and in order from 1 to 7, and the figures that a file without a
//! "6." section holds elsewhere.

use super::lines::{is_image_line, list_item, section_heading, starts_with_dash_or_bullet, Line, Section};
use super::ParseError;

/// The lines of one section, after its heading.
#[derive(Debug)]
pub(super) struct Part<'a> {
    pub(super) section: Section,
    pub(super) lines: Vec<Line<'a>>,
}

/// A file cut at its section headings: the lines before "1. BLUF" and each section.
#[derive(Debug)]
pub(super) struct Document<'a> {
    pub(super) preamble: Vec<Line<'a>>,
    pub(super) parts: Vec<Part<'a>>,
}

/// Cuts the lines at section headings, checking that each appears once and in order.
pub(super) fn split_sections<'a>(lines: &[Line<'a>]) -> Result<Document<'a>, ParseError> {
    if !lines.iter().any(|l| section_heading(l.text) == Some(Section::Bluf)) {
        return Err(ParseError::MissingBluf);
    }
    let mut doc = Document { preamble: Vec::new(), parts: Vec::new() };
    for &line in lines {
        let Some(section) = section_heading(line.text) else {
            match doc.parts.last_mut() {
                Some(part) => part.lines.push(line),
                None => doc.preamble.push(line),
            }
            continue;
        };
        let heading = || line.text.to_string();
        if doc.parts.iter().any(|p| p.section == section) {
            return Err(ParseError::DuplicateSection { line: line.no, heading: heading() });
        }
        let in_order = match doc.parts.last() {
            Some(previous) => previous.section < section,
            None => section == Section::Bluf,
        };
        if !in_order {
            return Err(ParseError::SectionOutOfOrder { line: line.no, heading: heading() });
        }
        doc.parts.push(Part { section, lines: Vec::new() });
    }
    Ok(doc)
}

/// Without a "6." section, image lines are looked for where they would otherwise have
/// landed: non-bullet lines of section 5, and trailing image-only paragraphs of the last
/// section before "7. Notes". They are taken out of their section (left as blank lines).
pub(super) fn take_stray_figures<'a>(parts: &mut [Part<'a>]) -> Vec<Line<'a>> {
    if parts.iter().any(|p| p.section == Section::Tags) {
        return Vec::new();
    }
    let mut figures = Vec::new();
    let Some(last) = parts.iter_mut().rev().find(|p| p.section < Section::Notes) else {
        return figures;
    };
    if last.section == Section::Entities {
        for line in &mut last.lines {
            if is_image_line(line.text) && list_item(line.text).is_none() {
                figures.push(*line);
                line.text = "";
            }
        }
        return figures;
    }
    let keep = trailing_figure_paragraphs(&last.lines);
    figures.extend(last.lines.drain(keep..).filter(|l| !l.is_blank()));
    figures
}

/// Where the trailing paragraphs made only of image lines (not list items) begin.
fn trailing_figure_paragraphs(lines: &[Line]) -> usize {
    let is_figure = |l: &Line| is_image_line(l.text) && !starts_with_dash_or_bullet(l.text);
    let (mut keep, mut end) = (lines.len(), lines.len());
    loop {
        while end > 0 && lines[end - 1].is_blank() {
            end -= 1;
        }
        let start = lines[..end].iter().rposition(Line::is_blank).map_or(0, |i| i + 1);
        if start == end || !lines[start..end].iter().all(is_figure) {
            return keep;
        }
        (keep, end) = (start, start);
    }
}
