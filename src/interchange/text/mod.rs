//! The plain-text report format analysts already hold (`docs/report-format.md`).
//!
//! [`parse`] reads it in three steps:
//!
//! 1. **Line classification.** The input is split into lines (LF, CRLF or lone CR; a
//!    leading byte-order mark is dropped) and each line is trimmed of whitespace (tabs,
//!    no-break spaces and U+FEFF included). A line is blank, a section heading (see
//!    `section_heading`: the whole line is a number and that number's title), or text.
//! 2. **Section state machine.** Headings must each appear at most once and in order
//!    1 to 7; "1. BLUF" is required. Lines before it are the preamble (line 1 and the
//!    labelled metadata lines). Breaking these rules is a [`ParseError`]: the parser is
//!    strict about structure.
//! 3. **Paragraph assembly.** Each section's lines are grouped into paragraphs (runs of
//!    non-blank lines) and handed to that section's reader, which places them in the
//!    [`Report`]. What a reader cannot place is appended to `notes` with a [`Warning`]
//!    naming its line: the parser is tolerant about content and never drops text.
//!
//! [`write()`] produces the same layout, so that text → model → text → model is stable
//! for any report that came from text. Parts the format cannot express (entity kinds
//! and roles, image files) are left out; the JSON form is the lossless one.
//!
//! Each step has its module: `lines` splits and classifies lines, `sections` is the
//! section state machine, `read` assembles paragraphs into the report; `write` holds
//! the writer and [`losses`].
//!
//! [`Report`]: crate::model::Report
//! [`Warning`]: super::Warning

mod lines;
mod read;
mod sections;
mod write;

use super::Imported;
use read::Builder;

pub use lines::SECTION_HEADINGS;
pub use write::{losses, write};

/// Why a text file is not a report. Each message is one sentence without the file name.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("the file has no \"1. BLUF\" heading, so it is not a report")]
    MissingBluf,
    #[error("the heading \"{heading}\" on line {line} repeats a section that already appeared")]
    DuplicateSection { line: usize, heading: String },
    #[error("the heading \"{heading}\" on line {line} is out of order, as sections must run from 1 to 7")]
    SectionOutOfOrder { line: usize, heading: String },
}

/// Reads a report in the plain-text format.
///
/// Fails only on structure (no BLUF heading, a repeated or misplaced section heading);
/// any line that cannot be placed is kept in `notes` and reported as a warning.
pub fn parse(input: &str) -> Result<Imported, ParseError> {
    let lines = lines::split_lines(input);
    let mut doc = sections::split_sections(&lines)?;
    let mut builder = Builder::default();
    builder.read_preamble(&doc.preamble);
    let stray_figures = sections::take_stray_figures(&mut doc.parts);
    builder.report.images.extend(stray_figures.into_iter().map(read::figure));
    for part in &doc.parts {
        builder.read_section(part);
    }
    Ok(Imported { report: builder.report, warnings: builder.warnings })
}

#[cfg(test)]
pub(crate) mod tests;
