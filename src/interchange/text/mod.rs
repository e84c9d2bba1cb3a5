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

use std::str::FromStr;

use time::Date;

use super::{Imported, Warning};
use crate::model::{
    opt_date, Confidence, Entity, EntityKind, Figure, Report, Scenarios, Technique, Tlp, KNOWN_TECHNIQUES,
};

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
    let lines = split_lines(input);
    let mut doc = split_sections(&lines)?;
    let mut builder = Builder::default();
    builder.read_preamble(&doc.preamble);
    let stray_figures = take_stray_figures(&mut doc.parts);
    builder.report.images.extend(stray_figures.into_iter().map(figure));
    for part in &doc.parts {
        builder.read_section(part);
    }
    Ok(Imported { report: builder.report, warnings: builder.warnings })
}

// ---------------------------------------------------------------------------
// Step 1: lines and their classification
// ---------------------------------------------------------------------------

/// Whitespace in this format: Unicode's (tabs, no-break spaces, …) and U+FEFF, the
/// zero-width no-break space that doubles as the byte-order mark.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// One input line, trimmed, with its 1-based number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Line<'a> {
    no: usize,
    text: &'a str,
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Splits on LF, CRLF and lone CR, trimming each line; drops a leading BOM.
fn split_lines(input: &str) -> Vec<Line<'_>> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let bytes = input.as_bytes();
    let mut lines = Vec::new();
    let mut push = |range: std::ops::Range<usize>| {
        let no = lines.len() + 1;
        lines.push(Line { no, text: trim(&input[range]) });
    };
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                push(start..i);
                i += 1;
                start = i;
            }
            b'\r' => {
                push(start..i);
                i += if bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    push(start..bytes.len());
    lines
}

/// The numbered section headings as Briefwright writes them (text, Markdown and the PDF brief).
pub const SECTION_HEADINGS: [&str; 7] = [
    "1. BLUF (Bottom Line Up Front)",
    "2. Detailed Analysis",
    "3. Implications and Strategic Risks",
    "4. Recommendations and Outlook",
    "5. Key Individuals and Entities",
    "6. Thematic Tags",
    "7. Notes",
];

/// The numbered sections of a report, in their required order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Bluf = 1,
    Analysis,
    Implications,
    Recommendations,
    Entities,
    Tags,
    Notes,
}

impl Section {
    const ALL: [Section; 7] = [
        Section::Bluf,
        Section::Analysis,
        Section::Implications,
        Section::Recommendations,
        Section::Entities,
        Section::Tags,
        Section::Notes,
    ];

    /// The heading as the writer prints it.
    fn heading(self) -> &'static str {
        SECTION_HEADINGS[self as usize - 1]
    }

    /// The titles accepted after the number, lower-case with single spaces.
    fn titles(self) -> &'static [&'static str] {
        match self {
            Section::Bluf => &["bluf (bottom line up front)", "bluf", "bottom line up front"],
            Section::Analysis => &["detailed analysis", "analysis"],
            Section::Implications => &["implications and strategic risks", "implications"],
            Section::Recommendations => &["recommendations and outlook", "recommendations"],
            Section::Entities => &["key individuals and entities", "key entities"],
            Section::Tags => &["thematic tags", "tags"],
            Section::Notes => &["notes"],
        }
    }
}

/// The section a line heads, if the whole line is its number ("1", "1." or "1)") and one
/// of its titles, in any case and with any spacing.
fn section_heading(line: &str) -> Option<Section> {
    let mut chars = line.chars();
    let number = chars.next()?.to_digit(10)?;
    let section = *Section::ALL.get((number as usize).checked_sub(1)?)?;
    let rest = chars.as_str();
    let rest = match rest.strip_prefix(['.', ')']) {
        Some(after) => after,
        // Without punctuation the number must be followed by a space ("1 BLUF", not "1BLUF").
        None if rest.starts_with(is_space) => rest,
        None => return None,
    };
    let title = normalise(rest);
    section.titles().contains(&title.as_str()).then_some(section)
}

/// Lower-case with runs of whitespace collapsed to one space, for comparisons.
fn normalise(s: &str) -> String {
    split_words(s).collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A list item's text if the line starts with a bullet ("•", "-", "*", "–", "—") or a
/// number ("1." or "1)"). Except after "•", the marker must be followed by whitespace
/// or end the line, so that "*emphasis*", "-5 °C" or "2024.06" are not items.
fn list_item(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let rest = match chars.next()? {
        '•' => return Some(chars.as_str().trim_start_matches(is_space)),
        '-' | '*' | '–' | '—' => chars.as_str(),
        c if c.is_ascii_digit() => {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 3 {
                return None;
            }
            line[digits..].strip_prefix(['.', ')'])?
        }
        _ => return None,
    };
    (rest.is_empty() || rest.starts_with(is_space)).then(|| rest.trim_start_matches(is_space))
}

fn starts_with_dash_or_bullet(line: &str) -> bool {
    line.starts_with(['-', '–', '—', '•', '*'])
}

/// Whether the line is an image reference: it ends with a dash, "Image" and a number,
/// e.g. "Headline - Outlet - Image 2". The dash starts the line or follows whitespace.
fn is_image_line(line: &str) -> bool {
    let rest = line.trim_end_matches(is_space);
    let without_number = rest.trim_end_matches(|c: char| c.is_ascii_digit());
    if without_number.len() == rest.len() {
        return false;
    }
    let rest = without_number.trim_end_matches(is_space);
    let Some(cut) = rest.len().checked_sub("image".len()) else {
        return false;
    };
    if !rest.is_char_boundary(cut) || !rest[cut..].eq_ignore_ascii_case("image") {
        return false;
    }
    let rest = rest[..cut].trim_end_matches(is_space);
    let Some(before_dash) = rest.strip_suffix(['-', '–', '—']) else {
        return false;
    };
    before_dash.is_empty() || before_dash.ends_with(is_space)
}

/// Characters that end a sentence or a lead-in, so a line ending with one is no heading.
const FINAL_PUNCTUATION: &[char] = &['.', ':', ';', ',', '?', '!', '…', '。', '：', '；', '，', '？', '！'];

/// Whether a line that stands alone as a paragraph in section 2 names a technique: short,
/// no final punctuation, no leading dash or bullet, and either a known technique name
/// (any case) or title-like. The usual intro ("… have been applied …:") ends with a
/// colon and is long, so it stays the intro.
fn is_technique_heading(line: &str) -> bool {
    let Some(last) = line.chars().next_back() else {
        return false;
    };
    line.chars().count() < 80
        && !FINAL_PUNCTUATION.contains(&last)
        && !starts_with_dash_or_bullet(line)
        && (is_known_technique(line) || looks_like_title(line))
}

/// A name in `KNOWN_TECHNIQUES`, in any case and spacing, with ’ or ' as apostrophe.
fn is_known_technique(line: &str) -> bool {
    fn fold(word: &str) -> impl Iterator<Item = char> + '_ {
        word.chars().flat_map(char::to_lowercase).map(|c| if c == '’' { '\'' } else { c })
    }
    KNOWN_TECHNIQUES.iter().any(|known| {
        let (mut a, mut b) = (split_words(line), split_words(known));
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if fold(x).eq(fold(y)) => {}
                _ => return false,
            }
        }
    })
}

/// The words of a line, split at whitespace.
fn split_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_space).filter(|w| !w.is_empty())
}

/// Starts with an upper-case letter, has at most 8 words, and every word of 4 or more
/// letters starts (at its first letter) with a letter that is not lower-case.
fn looks_like_title(line: &str) -> bool {
    let starts_upper = line.chars().next().is_some_and(char::is_uppercase);
    let words: Vec<&str> = split_words(line).collect();
    let capitalised = |word: &&str| {
        let mut letters = word.chars().filter(|c| c.is_alphabetic());
        let first = letters.next();
        letters.count() < 3 || first.is_some_and(|c| !c.is_lowercase())
    };
    starts_upper && words.len() <= 8 && words.iter().all(capitalised)
}

/// The three cases of Scenario Generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    Best,
    Worst,
    MostLikely,
}

impl Case {
    fn label(self) -> &'static str {
        match self {
            Case::Best => "Best Case",
            Case::Worst => "Worst Case",
            Case::MostLikely => "Most Likely",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A scenario line ("– Best Case: …", "Worst-case: …", "- most likely case: …"): the case
/// and the text after the colon.
fn scenario_case(line: &str) -> Option<(Case, &str)> {
    let line = match line.strip_prefix(['-', '–', '—', '•', '*']) {
        Some(rest) => rest.trim_start_matches(is_space),
        None => line,
    };
    let (label, value) = line.split_once(':')?;
    let case = match normalise(&label.replace('-', " ")).as_str() {
        "best case" => Case::Best,
        "worst case" => Case::Worst,
        "most likely" | "most likely case" => Case::MostLikely,
        _ => return None,
    };
    Some((case, trim(value)))
}

/// Metadata labels allowed in the preamble.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Published,
    SourceUrl,
    Author,
    Tlp,
    Classification,
    Confidence,
    Title,
}

impl Label {
    const ALL: [Label; 7] = [
        Label::Published,
        Label::SourceUrl,
        Label::Author,
        Label::Tlp,
        Label::Classification,
        Label::Confidence,
        Label::Title,
    ];

    fn text(self) -> &'static str {
        match self {
            Label::Published => "Published on",
            Label::SourceUrl => "Source URL",
            Label::Author => "Author",
            Label::Tlp => "TLP",
            Label::Classification => "Classification",
            Label::Confidence => "Confidence",
            Label::Title => "Intelligence Report",
        }
    }
}

/// A labelled preamble line ("Author: …", any case and spacing): the label and the value.
fn labelled(line: &str) -> Option<(Label, &str)> {
    let (label, value) = line.split_once(':')?;
    let label = normalise(label);
    let found = Label::ALL.into_iter().find(|l| l.text().to_lowercase() == label)?;
    Some((found, trim(value)))
}

/// Splits line 1 at its last dash (–, - or —) that has whitespace on both sides.
fn split_headline(line: &str) -> (&str, &str) {
    let is_dash = |c: char| matches!(c, '–' | '-' | '—');
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let separator = (1..chars.len().saturating_sub(1))
        .rev()
        .find(|&i| is_dash(chars[i].1) && is_space(chars[i - 1].1) && is_space(chars[i + 1].1));
    match separator {
        Some(i) => {
            let (at, dash) = chars[i];
            (trim(&line[..at]), trim(&line[at + dash.len_utf8()..]))
        }
        None => (line, ""),
    }
}

// ---------------------------------------------------------------------------
// Step 2: the section state machine
// ---------------------------------------------------------------------------

/// The lines of one section, after its heading.
#[derive(Debug)]
struct Part<'a> {
    section: Section,
    lines: Vec<Line<'a>>,
}

#[derive(Debug)]
struct Document<'a> {
    preamble: Vec<Line<'a>>,
    parts: Vec<Part<'a>>,
}

/// Cuts the lines at section headings, checking that each appears once and in order.
fn split_sections<'a>(lines: &[Line<'a>]) -> Result<Document<'a>, ParseError> {
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
fn take_stray_figures<'a>(parts: &mut [Part<'a>]) -> Vec<Line<'a>> {
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

// ---------------------------------------------------------------------------
// Step 3: paragraph assembly, section by section
// ---------------------------------------------------------------------------

/// Runs of non-blank lines.
fn paragraphs<'a>(lines: &[Line<'a>]) -> Vec<Vec<Line<'a>>> {
    lines.split(Line::is_blank).filter(|p| !p.is_empty()).map(<[Line]>::to_vec).collect()
}

/// A paragraph's lines joined with "\n" (its hard wraps kept).
fn join_lines(lines: &[Line]) -> String {
    lines.iter().map(|l| l.text).collect::<Vec<_>>().join("\n")
}

/// Appends a paragraph, separated from what is there by a blank line.
fn push_paragraph(buf: &mut String, paragraph: &str) {
    if paragraph.is_empty() {
        return;
    }
    if !buf.is_empty() {
        buf.push_str("\n\n");
    }
    buf.push_str(paragraph);
}

fn body(paragraphs: &[Vec<Line>]) -> String {
    let mut out = String::new();
    for p in paragraphs {
        push_paragraph(&mut out, &join_lines(p));
    }
    out
}

fn figure(line: Line) -> Figure {
    Figure { caption: line.text.to_string(), image: None }
}

/// The report under construction and the warnings so far.
#[derive(Default)]
struct Builder {
    report: Report,
    warnings: Vec<Warning>,
    /// Labels whose value was read in the preamble.
    labels_seen: Vec<Label>,
    /// The number of the last line kept in notes, to keep consecutive lines together.
    last_unplaced: Option<usize>,
}

impl Builder {
    /// Keeps a line the parser could not place in `notes`, with a warning.
    fn unplaced(&mut self, line: Line, why: &str) {
        self.warnings.push(Warning { line: line.no, message: format!("{why}; kept in the notes") });
        let notes = &mut self.report.notes;
        if self.last_unplaced.is_some_and(|n| n + 1 == line.no) {
            notes.push('\n');
            notes.push_str(line.text);
        } else {
            push_paragraph(notes, line.text);
        }
        self.last_unplaced = Some(line.no);
    }

    fn unplaced_all(&mut self, lines: &[Line], why: &str) {
        for &line in lines {
            self.unplaced(line, why);
        }
    }

    fn read_section(&mut self, part: &Part) {
        let paras = paragraphs(&part.lines);
        match part.section {
            Section::Bluf => self.report.bluf = body(&paras),
            Section::Analysis => self.read_analysis(&paras),
            Section::Implications => self.report.implications = body(&paras),
            Section::Recommendations => self.read_recommendations(&paras),
            Section::Entities => self.read_entities(&part.lines),
            Section::Tags => self.read_tags(&paras),
            Section::Notes => {
                push_paragraph(&mut self.report.notes, &body(&paras));
                self.last_unplaced = None;
            }
        }
    }

    // --- preamble -----------------------------------------------------------

    fn read_preamble(&mut self, lines: &[Line]) {
        let mut first = true;
        for &line in lines.iter().filter(|l| !l.is_blank()) {
            match labelled(line.text) {
                Some((label, value)) => self.read_label(line, label, value),
                None if first => {
                    let (headline, outlet) = split_headline(line.text);
                    self.report.source.headline = headline.to_string();
                    self.report.source.outlet = outlet.to_string();
                }
                None => self.unplaced(line, "this line before \"1. BLUF\" is neither line 1 nor a known field"),
            }
            first = false;
        }
    }

    fn read_label(&mut self, line: Line, label: Label, value: &str) {
        if self.labels_seen.contains(&label) {
            let why = format!("a second \"{}:\" line", label.text());
            return self.unplaced(line, &why);
        }
        match self.set_field(label, value) {
            Ok(()) => self.labels_seen.push(label),
            Err(why) => self.unplaced(line, &why),
        }
    }

    /// Sets the field a preamble label names (an empty value leaves it as it is).
    fn set_field(&mut self, label: Label, value: &str) -> Result<(), String> {
        let report = &mut self.report;
        if value.is_empty() {
            return Ok(());
        }
        match label {
            Label::Published => {
                let date = Date::parse(value, opt_date::FORMAT);
                report.source.published =
                    Some(date.map_err(|_| format!("the date '{value}' is not of the form YYYY-MM-DD"))?);
            }
            Label::SourceUrl => report.source.url = value.to_string(),
            Label::Author => report.author = value.to_string(),
            Label::Classification => report.handling.banner = value.to_string(),
            Label::Title => report.title = value.to_string(),
            Label::Tlp => report.handling.tlp = Tlp::from_str(value)?,
            Label::Confidence => report.confidence = Some(Confidence::from_str(value)?),
        }
        Ok(())
    }

    // --- 2. Detailed Analysis -----------------------------------------------

    fn read_analysis(&mut self, paras: &[Vec<Line>]) {
        let mut intro = String::new();
        let mut current: Option<TechniqueDraft> = None;
        for para in paras {
            let scenario_line =
                current.as_ref().is_some_and(TechniqueDraft::has_scenarios) && scenario_case(para[0].text).is_some();
            if para.len() == 1 && !scenario_line && is_technique_heading(para[0].text) {
                if let Some(done) = current.replace(TechniqueDraft::new(para[0].text)) {
                    self.report.analysis.techniques.push(done.finish());
                }
                continue;
            }
            match current.as_mut() {
                None => push_paragraph(&mut intro, &join_lines(para)),
                Some(t) => t.read_paragraph(para, self),
            }
        }
        if let Some(done) = current {
            self.report.analysis.techniques.push(done.finish());
        }
        self.report.analysis.intro = intro;
    }

    // --- 4. Recommendations and Outlook -------------------------------------

    fn read_recommendations(&mut self, paras: &[Vec<Line>]) {
        let mut outlook = String::new();
        for para in paras {
            let first_item = para.iter().position(|l| list_item(l.text).is_some()).unwrap_or(para.len());
            push_paragraph(&mut outlook, &join_lines(&para[..first_item]));
            for item in items(&para[first_item..], |l| list_item(l.text)) {
                if !item.is_empty() {
                    self.report.recommendations.push(item);
                }
            }
        }
        self.report.outlook = outlook;
    }

    // --- 5. Key Individuals and Entities ------------------------------------

    fn read_entities(&mut self, lines: &[Line]) {
        for &line in lines.iter().filter(|l| !l.is_blank()) {
            let name = match list_item(line.text) {
                Some(name) => name,
                None if line.text.chars().count() < 100 && !line.text.ends_with('.') => line.text,
                None => {
                    self.unplaced(line, "this line in section 5 is not an entity");
                    continue;
                }
            };
            if !name.is_empty() {
                let entity = Entity { name: name.to_string(), kind: EntityKind::Other, role: String::new() };
                self.report.entities.push(entity);
            }
        }
    }

    // --- 6. Thematic Tags ---------------------------------------------------

    fn read_tags(&mut self, paras: &[Vec<Line>]) {
        let mut tags_read = false;
        for para in paras {
            let (figures, other): (Vec<Line>, Vec<Line>) = para.iter().partition(|l| is_image_line(l.text));
            self.report.images.extend(figures.into_iter().map(figure));
            if other.is_empty() {
                continue;
            }
            if tags_read {
                self.unplaced_all(&other, "this line after the tags is not an image reference");
                continue;
            }
            tags_read = true;
            let tags = other.iter().flat_map(|l| l.text.split(',')).map(trim).filter(|t| !t.is_empty());
            self.report.tags.extend(tags.map(String::from));
        }
    }
}

/// Groups lines into items: a line for which `start` gives the item's first text begins
/// an item; the lines after it, up to the next such line, continue it (joined with "\n").
fn items<'a>(lines: &[Line<'a>], start: impl Fn(&Line<'a>) -> Option<&'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        match start(line) {
            Some(first) => out.push(first.to_string()),
            None => match out.last_mut() {
                Some(item) if item.is_empty() => item.push_str(line.text),
                Some(item) => {
                    item.push('\n');
                    item.push_str(line.text);
                }
                None => out.push(line.text.to_string()),
            },
        }
    }
    out
}

/// A technique being read: its name, body paragraphs and, for Scenario Generation, the
/// cases found so far.
struct TechniqueDraft {
    name: String,
    body: Vec<String>,
    cases: Option<[Option<String>; 3]>,
}

impl TechniqueDraft {
    fn new(name: &str) -> Self {
        let cases = Technique::is_scenario_generation(name).then(Default::default);
        TechniqueDraft { name: name.to_string(), body: Vec::new(), cases }
    }

    fn has_scenarios(&self) -> bool {
        self.cases.is_some()
    }

    /// A body paragraph; in Scenario Generation, lines from the first case line on are
    /// the cases (each continued by the lines after it).
    fn read_paragraph(&mut self, para: &[Line], builder: &mut Builder) {
        let Some(cases) = self.cases.as_mut() else {
            return self.body.push(join_lines(para));
        };
        let first_case = para.iter().position(|l| scenario_case(l.text).is_some()).unwrap_or(para.len());
        if first_case > 0 {
            self.body.push(join_lines(&para[..first_case]));
        }
        let mut rest = &para[first_case..];
        while let Some((head, tail)) = rest.split_first() {
            let len = 1 + tail.iter().position(|l| scenario_case(l.text).is_some()).unwrap_or(tail.len());
            let (group, next) = rest.split_at(len);
            let (case, _) = scenario_case(head.text).expect("a group starts with a case line");
            let slot = &mut cases[case.index()];
            if slot.is_some() {
                let why = format!("a second \"{}\" line in Scenario Generation", case.label());
                builder.unplaced_all(group, &why);
            } else {
                let text = items(group, |l| scenario_case(l.text).map(|(_, v)| v));
                *slot = Some(text.concat());
            }
            rest = next;
        }
    }

    fn finish(mut self) -> Technique {
        if self.cases.is_some() {
            self.body = merge_lone_headings(std::mem::take(&mut self.body));
        }
        let scenarios = self.cases.map(|[best, worst, most_likely]| Scenarios {
            best: best.unwrap_or_default(),
            worst: worst.unwrap_or_default(),
            most_likely: most_likely.unwrap_or_default(),
        });
        Technique { name: self.name, body: self.body.join("\n\n"), scenarios }
    }
}

/// Whether a body paragraph, written on its own, would read as a technique heading.
fn is_lone_heading(paragraph: &str) -> bool {
    !paragraph.contains('\n') && is_technique_heading(paragraph)
}

/// In Scenario Generation a title-like line directly above a case line ("Three Cases\n–
/// Best Case: …") is body text that, on its own, would read as a heading. The writer
/// can keep one such paragraph right above the cases (see `technique_blocks`); any
/// earlier one is joined to the paragraph after it as a wrapped line, so that
/// text → model → text → model stays stable. No text is lost.
fn merge_lone_headings(paragraphs: Vec<String>) -> Vec<String> {
    let count = paragraphs.len();
    let mut out = Vec::with_capacity(count);
    let mut pending: Option<String> = None;
    for (i, paragraph) in paragraphs.into_iter().enumerate() {
        let paragraph = match pending.take() {
            Some(heading) => format!("{heading}\n{paragraph}"),
            None => paragraph,
        };
        if i + 1 < count && is_lone_heading(&paragraph) {
            pending = Some(paragraph);
        } else {
            out.push(paragraph);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// Writes a report in the plain-text format, in the layout of the samples.
///
/// The TLP line is always written (a shared file should carry its marking); the
/// "7. Notes" section only when there are notes.
pub fn write(report: &Report) -> String {
    let mut out = Blocks::default();
    let line_one = headline_line(report);
    if !line_one.is_empty() {
        // Two blank lines after line 1, as in the samples.
        out.text(line_one + "\n");
    }
    out.text(metadata_lines(report).join("\n"));
    if !report.title.is_empty() {
        out.text(labelled_line(Label::Title, &report.title));
    }
    out.heading(Section::Bluf);
    out.text(&report.bluf);
    out.heading(Section::Analysis);
    out.text(&report.analysis.intro);
    for technique in &report.analysis.techniques {
        technique_blocks(technique).into_iter().for_each(|b| out.text(b));
    }
    out.heading(Section::Implications);
    out.text(&report.implications);
    out.heading(Section::Recommendations);
    out.text(report.recommendations.iter().map(|r| list_line("  • ", "    ", r)).collect::<Vec<_>>().join("\n"));
    out.text(&report.outlook);
    out.heading(Section::Entities);
    out.text(report.entities.iter().map(|e| format!("– {}", one_line(&e.name))).collect::<Vec<_>>().join("\n"));
    out.heading(Section::Tags);
    out.text(tags_line(&report.tags));
    for (n, figure) in report.images.iter().enumerate() {
        out.text(caption_line(&figure.caption, n + 1));
    }
    if !report.notes.is_empty() {
        out.heading(Section::Notes);
        out.text(&report.notes);
    }
    out.finish()
}

/// The parts of `report` that the text format does not carry back exactly, named as an
/// analyst would (e.g. "tags", "entity roles and kinds"): what reading [`write()`]'s output
/// gives differently. Empty for every report that was read from text. An export to text
/// states these, so that nothing changes silently; the JSON form carries everything.
pub fn losses(report: &Report) -> Vec<&'static str> {
    let written = write(report);
    let back = match parse(&written) {
        Ok(imported) if imported.warnings.is_empty() => imported.report,
        // The writer always writes "1. BLUF" and puts text only where it reads back; should
        // that ever fail, everything is at risk.
        _ => Report::default(),
    };
    let (r, b) = (report, &back);
    let names = |es: &[Entity]| es.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    let roles = |es: &[Entity]| es.iter().map(|e| (e.kind, e.role.clone())).collect::<Vec<_>>();
    let captions = |fs: &[Figure]| fs.iter().map(|f| f.caption.clone()).collect::<Vec<_>>();
    let parts = [
        ("title", r.title == b.title),
        ("source headline", r.source.headline == b.source.headline),
        ("source outlet", r.source.outlet == b.source.outlet),
        ("source URL", r.source.url == b.source.url),
        ("publication date", r.source.published == b.source.published),
        ("author", r.author == b.author),
        ("TLP marking", r.handling.tlp == b.handling.tlp),
        ("classification banner", r.handling.banner == b.handling.banner),
        ("confidence", r.confidence == b.confidence),
        ("BLUF", r.bluf == b.bluf),
        ("analysis introduction", r.analysis.intro == b.analysis.intro),
        ("techniques", r.analysis.techniques == b.analysis.techniques),
        ("implications", r.implications == b.implications),
        ("recommendations", r.recommendations == b.recommendations),
        ("outlook", r.outlook == b.outlook),
        ("entity names", names(&r.entities) == names(&b.entities)),
        ("entity roles and kinds", roles(&r.entities) == roles(&b.entities)),
        ("tags", r.tags == b.tags),
        ("figure captions", captions(&r.images) == captions(&b.images)),
        ("attached images", r.images.iter().all(|f| f.image.is_none())),
        ("notes", r.notes == b.notes),
    ];
    parts.into_iter().filter(|(_, same)| !same).map(|(name, _)| name).collect()
}

/// The writer's output: blocks separated by a blank line, ending in a newline.
#[derive(Default)]
struct Blocks(Vec<String>);

impl Blocks {
    fn heading(&mut self, section: Section) {
        self.0.push(section.heading().to_string());
    }

    /// A block of text; a line in it that would read as a section heading gets a
    /// backslash after its number (`2\. Analysis`, which Markdown shows as "2. Analysis").
    /// Only text that did not come from the text format can hold such a line.
    fn text(&mut self, text: impl AsRef<str>) {
        let text = text.as_ref();
        if text.is_empty() {
            return;
        }
        let defused: Vec<String> = text.split('\n').map(defuse_heading).collect();
        self.0.push(defused.join("\n"));
    }

    fn finish(self) -> String {
        let mut out = self.0.join("\n\n");
        out.push('\n');
        out
    }
}

fn defuse_heading(line: &str) -> String {
    match section_heading(trim(line)) {
        Some(_) => {
            let at = line.len() - line.trim_start_matches(is_space).len() + 1;
            format!("{}\\{}", &line[..at], &line[at..])
        }
        None => line.to_string(),
    }
}

/// The tags, comma-separated. A final comma is added when the line would otherwise read
/// as an image reference or a heading (tags "x - Image 2" or "7. Notes").
fn tags_line(tags: &[String]) -> String {
    let line = tags.iter().map(|t| one_line(t)).collect::<Vec<_>>().join(", ");
    if is_image_line(&line) || section_heading(&line).is_some() {
        line + ","
    } else {
        line
    }
}

/// "Headline – Outlet", or the headline alone when there is no outlet.
fn headline_line(report: &Report) -> String {
    let (headline, outlet) = (one_line(&report.source.headline), one_line(&report.source.outlet));
    match (headline.is_empty(), outlet.is_empty()) {
        (_, true) => headline,
        (true, false) => outlet,
        (false, false) => format!("{headline} – {outlet}"),
    }
}

fn metadata_lines(report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(date) = report.source.published.and_then(|d| d.format(opt_date::FORMAT).ok()) {
        lines.push(labelled_line(Label::Published, &date));
    }
    let optional = [
        (Label::SourceUrl, report.source.url.as_str()),
        (Label::Author, report.author.as_str()),
        (Label::Tlp, report.handling.tlp.as_str()),
        (Label::Classification, report.handling.banner.as_str()),
        (Label::Confidence, report.confidence.map_or("", Confidence::as_str)),
    ];
    for (label, value) in optional {
        if !value.is_empty() {
            lines.push(labelled_line(label, value));
        }
    }
    lines
}

fn labelled_line(label: Label, value: &str) -> String {
    format!("{}: {}", label.text(), one_line(value))
}

/// A technique's name, body and (for Scenario Generation) case lines. A last body
/// paragraph that would read as a heading on its own is written directly above the
/// case lines, where it reads back as body text.
fn technique_blocks(technique: &Technique) -> Vec<String> {
    let mut blocks = vec![one_line(&technique.name)];
    let Some(s) = &technique.scenarios else {
        blocks.push(technique.body.clone());
        return blocks;
    };
    let cases = [(Case::Best, &s.best), (Case::Worst, &s.worst), (Case::MostLikely, &s.most_likely)];
    let mut lines: Vec<String> = cases
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(case, text)| list_line(&format!("– {}: ", case.label()), "", text))
        .collect();
    let (before, last) = technique.body.rsplit_once("\n\n").unwrap_or(("", &technique.body));
    if is_lone_heading(last) {
        if lines.is_empty() {
            lines.push(format!("– {}:", Case::Best.label()));
        }
        lines.insert(0, last.to_string());
        blocks.push(before.to_string());
    } else {
        blocks.push(technique.body.clone());
    }
    blocks.push(lines.join("\n"));
    blocks
}

/// An item's first line after `marker`, its further lines after `indent`.
fn list_line(marker: &str, indent: &str, text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(if i == 0 { marker } else { indent });
        out.push_str(line);
    }
    if out.is_empty() {
        out.push_str(marker.trim_end());
    }
    out
}

/// A caption as an image line; one that would not read back as an image reference
/// (a figure added in the editor) gets " - Image N" appended.
fn caption_line(caption: &str, n: usize) -> String {
    let caption = one_line(caption);
    if is_image_line(&caption) {
        caption
    } else if caption.is_empty() {
        format!("- Image {n}")
    } else {
        format!("{caption} - Image {n}")
    }
}

/// A single-line field on one line: line breaks (which only reports from JSON or the
/// editor can hold there) become spaces, so they cannot break the layout.
fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r']).map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Analysis, Handling, Source};

    const CANAL: &str = include_str!("../../tests/fixtures/reports/canal-drought.txt");
    const GRID: &str = include_str!("../../tests/fixtures/reports/grid-cyberattack.txt");

    fn parse_ok(input: &str) -> Imported {
        parse(input).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Parses, asserting that nothing was left unplaced.
    fn parse_clean(input: &str) -> Report {
        let imported = parse_ok(input);
        assert_eq!(imported.warnings, vec![], "unexpected warnings");
        assert_eq!(imported.report.notes, "", "unexpected notes");
        imported.report
    }

    fn names(report: &Report) -> Vec<&str> {
        report.analysis.techniques.iter().map(|t| t.name.as_str()).collect()
    }

    fn scenarios_of(report: &Report) -> &Scenarios {
        let sg = report.analysis.techniques.iter().find(|t| t.name == "Scenario Generation").unwrap();
        sg.scenarios.as_ref().unwrap()
    }

    // --- the two samples -------------------------------------------------------

    #[test]
    fn canal_sample_parses_every_part_into_place() {
        let r = parse_clean(CANAL);
        assert_eq!(
            r.source.headline,
            "Canal authority cuts daily transits as drought deepens What it means for shipping"
        );
        assert_eq!(r.source.outlet, "Harbor Ledger");
        assert_eq!(r.source.published, Some(time::macros::date!(2026 - 03 - 14)));
        assert_eq!(r.source.url, "");
        assert_eq!(
            r.title,
            "Canal Authority Cuts Daily Transits as Drought Deepens – What\u{2019}s Next for Global Shipping"
        );
        assert_eq!(r.handling, Handling { tlp: Tlp::Amber, banner: String::new() });
        assert_eq!(r.confidence, None);
        assert!(r.bluf.starts_with("The canal authority has reduced daily vessel transits from 36 to 24"));
        assert!(r.bluf.ends_with("point to a structural constraint on the route."));
        assert!(r.bluf.contains("Asia–US East Coast"));
        assert_eq!(
            r.analysis.intro,
            "The following structured analytic techniques have been applied to ensure methodological consistency:"
        );
        assert_eq!(
            names(&r),
            ["Key Assumptions Check", "Cross-Impact Simulation", "Scenario Generation", "Indicators and Warnings"]
        );
        let techniques = &r.analysis.techniques;
        assert!(techniques[0].body.starts_with("The assessment assumes that rainfall returns"));
        assert!(techniques[3]
            .body
            .ends_with("A slot auction price above 2 million dollars would signal acute scarcity."));
        assert_eq!(techniques[2].body, "");
        for (i, t) in techniques.iter().enumerate() {
            assert_eq!(t.scenarios.is_some(), i == 2, "{}", t.name);
        }
        assert_eq!(
            scenarios_of(&r),
            &Scenarios {
                best: "Seasonal rains arrive early, reservoir levels recover and transits return to 36 per day within two months.".into(),
                worst: "Drought persists through the wet season, transits fall below 20 per day and major carriers suspend scheduled services on the route.".into(),
                most_likely: "Restrictions ease gradually over four to six months, with intermittent cuts during dry spells.".into(),
            }
        );
        assert!(r.implications.starts_with("Prolonged restrictions strain supply chains"));
        assert_eq!(
            r.recommendations,
            [
                "Track weekly reservoir and transit statistics published by the authority.",
                "Assess exposure of critical imports to the route and identify alternative suppliers.",
                "Engage port operators on contingency capacity for diverted vessels.",
            ]
        );
        assert_eq!(r.outlook, "");
        let entities: Vec<&str> = r.entities.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            entities,
            [
                "Canal Authority Board of Directors",
                "Elena Ruiz Castillo",
                "Meridian Container Lines",
                "International Maritime Organization"
            ]
        );
        assert!(r.entities.iter().all(|e| e.kind == EntityKind::Other && e.role.is_empty()));
        assert_eq!(r.tags, ["supply chain security", "climate risk", "maritime trade", "regional focus"]);
        let captions: Vec<&str> = r.images.iter().map(|f| f.caption.as_str()).collect();
        assert_eq!(
            captions,
            [
                "Canal authority cuts daily transits as drought deepens What it means for shipping - Harbor Ledger - Image 1",
                "Canal authority cuts daily transits as drought deepens What it means for shipping - Harbor Ledger - Image 2",
            ]
        );
        assert!(r.images.iter().all(|f| f.image.is_none()));
        insta::assert_json_snapshot!("canal_drought", r);
    }

    #[test]
    fn grid_sample_parses_every_part_into_place() {
        let r = parse_clean(GRID);
        assert_eq!(r.source.headline, "Regional grid operator reports intrusion attempt on substation controls");
        assert_eq!(r.source.outlet, "Baltic Wire");
        assert_eq!(r.source.published, Some(time::macros::date!(2026 - 09 - 02)));
        assert_eq!(r.title, "Intrusion Attempt on Regional Grid Substation Controls");
        assert_eq!(r.handling.tlp, Tlp::Amber);
        assert!(r.bluf.starts_with("A regional transmission operator detected and contained"));
        assert!(r.bluf.ends_with("further attempts are highly likely during the coming winter."));
        assert_eq!(
            r.analysis.intro,
            "The following structured analytic techniques have been applied to ensure methodological consistency:"
        );
        assert_eq!(
            names(&r),
            [
                "Analysis of Competing Hypotheses",
                "Red Team Analysis",
                "Cognitive Bias Stress Test",
                "Scenario Generation"
            ]
        );
        assert!(r.analysis.techniques[1].body.starts_with("From the adversary\u{2019}s perspective"));
        assert_eq!(
            scenarios_of(&r),
            &Scenarios {
                best: "The operator\u{2019}s segmentation holds and follow-up attempts fail without disruption.".into(),
                worst: "A coordinated attack on several operators causes rolling outages during a cold snap.".into(),
                most_likely: "Continued probing with occasional localised disruption of non-critical systems.".into(),
            }
        );
        assert!(r.implications.ends_with("Cross-domain risks include disinformation campaigns timed with outages."));
        assert_eq!(
            r.recommendations,
            [
                "Share indicators of compromise with neighbouring operators and national CERTs within 24 hours.",
                "Audit remote access paths to substation controllers.",
                "Rehearse manual operation procedures for winter peak scenarios.",
            ]
        );
        let entities: Vec<&str> = r.entities.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(entities, ["Олена Коваль", "Jānis Bērziņš", "Baltic Regional Transmission Operator", "ENISA"]);
        assert_eq!(r.tags, ["critical infrastructure", "cybersecurity", "energy security", "attribution"]);
        assert_eq!(r.images.len(), 1);
        assert_eq!(
            r.images[0].caption,
            "Regional grid operator reports intrusion attempt on substation controls - Baltic Wire - Image 1"
        );
        insta::assert_json_snapshot!("grid_cyberattack", r);
    }

    #[test]
    fn samples_round_trip_through_text() {
        for sample in [CANAL, GRID] {
            let first = parse_clean(sample);
            let written = write(&first);
            assert_eq!(parse_clean(&written), first);
            // The writer is a fixed point on its own output.
            assert_eq!(write(&parse_clean(&written)), written);
        }
    }

    #[test]
    fn losses_name_exactly_what_the_text_format_cannot_carry() {
        for sample in [CANAL, GRID] {
            assert_eq!(losses(&parse_clean(sample)), Vec::<&str>::new());
        }
        let mut r = parse_clean(CANAL);
        r.tags.push("a, b".into());
        r.entities[0].role = "Regulator".into();
        r.images[0].image = Some(crate::model::ImageRef {
            sha256: "ab".repeat(32),
            format: "png".into(),
            width: 1,
            height: 1,
            bytes: 1,
        });
        r.title = " padded ".into();
        assert_eq!(losses(&r), ["title", "entity roles and kinds", "tags", "attached images"]);
    }

    /// The writer reproduces the samples line for line but for one addition: the
    /// writer always states the TLP marking ("TLP: AMBER", the default that the
    /// samples leave implicit), right after "Published on:".
    #[test]
    fn writing_a_sample_reproduces_it() {
        for sample in [CANAL, GRID] {
            let written = write(&parse_clean(sample));
            let expected = sample.replacen("\n\nIntelligence Report:", "\nTLP: AMBER\n\nIntelligence Report:", 1);
            assert_eq!(trim_line_ends(&written), trim_line_ends(&expected));
        }
    }

    fn trim_line_ends(s: &str) -> String {
        s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim_end().to_string()
    }

    // --- tolerance -------------------------------------------------------------

    /// Applies each replacement exactly once, so that a changed sample fails loudly.
    fn edit(text: &str, replacements: &[(&str, &str)]) -> String {
        let mut out = text.to_string();
        for (from, to) in replacements {
            assert!(out.contains(from), "{from:?} is not in the text");
            out = out.replacen(from, to, 1);
        }
        out
    }

    #[test]
    fn messy_variants_read_as_the_clean_form() {
        let clean = parse_clean(CANAL);
        let messy = edit(
            CANAL,
            &[
                ("shipping – Harbor Ledger\n", "shipping - Harbor Ledger  \n"),
                ("\n\n\nPublished on: ", "\n \n\t\n\n\npublished ON :\t"),
                ("1. BLUF (Bottom Line Up Front)", "1) bluf"),
                ("2. Detailed Analysis", "  2   DETAILED\tanalysis "),
                ("\n\nKey Assumptions Check\n\n", "\n\n\n\nkey assumptions check\n \n"),
                ("– Best Case: ", "—\tBest Case:"),
                ("– Worst Case: ", "- worst-case : "),
                ("– Most Likely: ", "Most likely case: "),
                ("3. Implications and Strategic Risks", "3) Implications"),
                ("  • Track", "\t* Track"),
                ("  • Assess", "1) Assess"),
                ("  • Engage", "– Engage"),
                ("4. Recommendations and Outlook", "4 recommendations"),
                ("– Canal Authority", "- Canal Authority"),
                ("– Elena", "— Elena"),
                ("– Meridian", "\u{a0}• Meridian"),
                ("– International", "International"),
                ("6. Thematic Tags\n\n", "6.   thematic tags\n\n\n"),
                ("security, climate risk,", "security ,climate risk,\n"),
            ],
        );
        let mut expected = clean.clone();
        expected.analysis.techniques[0].name = "key assumptions check".into();
        assert_eq!(parse_clean(&messy), expected);
        // Line endings, a byte-order mark and indentation change nothing.
        let crlf = format!("\u{feff}{}", messy.replace('\n', "\r\n"));
        assert_eq!(parse_clean(&crlf), expected);
        assert_eq!(parse_clean(&messy.replace('\n', "\r")), expected);
        let indented: String = CANAL.lines().map(|l| format!("\t\u{a0} {l} \t\n")).collect();
        assert_eq!(parse_clean(&indented), clean);
    }

    #[test]
    fn only_the_bluf_is_required() {
        let r = parse_clean("1. BLUF\n\nShort.\nSecond line.\n\nNext paragraph.");
        assert_eq!(r, Report { bluf: "Short.\nSecond line.\n\nNext paragraph.".into(), ..Report::default() });
        let r = parse_clean(
            "Head\n1. BLUF\nx\n4. Recommendations\n- a\n  continued\n\n- b\n\nClosing words.\n\nMore outlook.",
        );
        assert_eq!(r.source.headline, "Head");
        assert_eq!(r.recommendations, ["a\ncontinued", "b"]);
        assert_eq!(r.outlook, "Closing words.\n\nMore outlook.");
        assert_eq!(r.bluf, "x");
    }

    #[test]
    fn a_bullet_paragraph_keeps_its_lead_in_as_outlook() {
        let r = parse_clean("1. BLUF\n4. Recommendations and Outlook\nWe recommend:\n• a\n•b\n\nOutlook.");
        assert_eq!(r.recommendations, ["a", "b"]);
        assert_eq!(r.outlook, "We recommend:\n\nOutlook.");
    }

    #[test]
    fn a_body_may_hold_a_numbered_list() {
        let r = parse_clean(
            "1. BLUF\n\n1. First point\n2. Something else\n3) implications of that\n\n3. Implications\n\nI.",
        );
        assert_eq!(r.bluf, "1. First point\n2. Something else\n3) implications of that");
        assert_eq!(r.implications, "I.");
    }

    #[test]
    fn technique_headings_need_a_line_of_their_own() {
        let text = "1. BLUF\n2. Detailed Analysis\nIntro line one\nIntro Line Two\n\nA short sentence.\n\n\
                    Geopolitical Risk Mapping\n\nBody.\n\nWatch the Baltic\nregion closely.\n\nnetwork analysis\n\n\
                    The following sentence is far too long to be a heading even though it has no final period\n\n\
                    — Not A Heading\n\nWhat Comes Next?";
        let r = parse_clean(text);
        assert_eq!(r.analysis.intro, "Intro line one\nIntro Line Two\n\nA short sentence.");
        assert_eq!(names(&r), ["Geopolitical Risk Mapping", "network analysis"]);
        assert_eq!(r.analysis.techniques[0].body, "Body.\n\nWatch the Baltic\nregion closely.");
        assert_eq!(
            r.analysis.techniques[1].body,
            "The following sentence is far too long to be a heading even though it has no final period\n\n\
             — Not A Heading\n\nWhat Comes Next?"
        );
        assert!(r.analysis.techniques.iter().all(|t| t.scenarios.is_none()));
    }

    #[test]
    fn scenario_generation_splits_cases_from_its_body() {
        let text =
            "1. BLUF\n2. Analysis\nSCENARIO GENERATION\n\nThree cases follow.\n- Best case: good\nand more good\n\
                    - Most Likely: middling\n\nA closing paragraph.\n\nRed Team Analysis\n\n– Best Case: stays body";
        let r = parse_clean(text);
        let sg = &r.analysis.techniques[0];
        assert_eq!(sg.name, "SCENARIO GENERATION");
        assert_eq!(sg.body, "Three cases follow.\n\nA closing paragraph.");
        assert_eq!(
            sg.scenarios,
            Some(Scenarios {
                best: "good\nand more good".into(),
                worst: String::new(),
                most_likely: "middling".into()
            })
        );
        assert_eq!(r.analysis.techniques[1].body, "– Best Case: stays body");
        assert_eq!(r.analysis.techniques[1].scenarios, None);
        let empty = parse_clean("1. BLUF\n2. Analysis\nScenario Generation");
        assert_eq!(empty.analysis.techniques[0].scenarios, Some(Scenarios::default()));
        // A one-line case paragraph without a dash is a case, not the next technique.
        let r = parse_clean(
            "1. BLUF\n2. Analysis\nScenario Generation\n\nMost Likely: Continued Probing\n\nBest Case:\nQuiet Winter",
        );
        assert_eq!(r.analysis.techniques.len(), 1);
        assert_eq!(
            r.analysis.techniques[0].scenarios,
            Some(Scenarios {
                best: "Quiet Winter".into(),
                worst: String::new(),
                most_likely: "Continued Probing".into()
            })
        );
    }

    #[test]
    fn a_title_above_the_cases_stays_body_text() {
        let text = "1. BLUF\n2. Analysis\nScenario Generation\n\nFirst Title\n– Best Case: a\n\nSecond Title\n– Worst Case: b\n\nClosing.";
        let r = parse_clean(text);
        let sg = &r.analysis.techniques[0];
        assert_eq!(r.analysis.techniques.len(), 1);
        // The second title is the one the writer keeps right above the cases; the first,
        // followed by more body, is joined to it as a wrapped line.
        assert_eq!(sg.body, "First Title\nSecond Title\n\nClosing.");
        let written = write(&r);
        assert!(
            written.contains("First Title\nSecond Title\n\nClosing.\n\n– Best Case: a\n– Worst Case: b"),
            "{written}"
        );
        assert_eq!(parse_clean(&written), r);
        let r = parse_clean("1. BLUF\n2. Analysis\nScenario Generation\n\nThree Cases Follow\n– Best Case: a");
        let written = write(&r);
        assert!(written.contains("Scenario Generation\n\nThree Cases Follow\n– Best Case: a\n"), "{written}");
        assert_eq!(parse_clean(&written), r);
    }

    #[test]
    fn figures_without_a_tags_section_are_found_after_the_entities_or_at_the_end() {
        let r = parse_clean_notes(
            "1. BLUF\nb\n5. Key Entities\n– A\nHead - Outlet - Image 1\nB\n\nHead – Image 2\n7. Notes\nn",
        );
        assert_eq!(r.entities.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["A", "B"]);
        let captions: Vec<&str> = r.images.iter().map(|f| f.caption.as_str()).collect();
        assert_eq!(captions, ["Head - Outlet - Image 1", "Head – Image 2"]);
        assert_eq!(r.notes, "n");

        let r = parse_clean("1. BLUF\n\nText ending - Image 1\nstays.\n\nCaption - Image 1\n\nCaption — image 2\n");
        assert_eq!(r.bluf, "Text ending - Image 1\nstays.");
        assert_eq!(r.images.len(), 2);
        // A figure line inside the notes is a note.
        let r = parse_ok("1. BLUF\n6. Tags\na\n7. Notes\nX - Image 1").report;
        assert_eq!((r.images.len(), r.notes.as_str()), (0, "X - Image 1"));
    }

    #[test]
    fn preamble_fields_are_read_in_any_order_and_case() {
        let text = "Intelligence Report: T\nheadline is not first - so it is a note\nTLP: amber+strict\n\
                    CLASSIFICATION: OFFICIAL: SENSITIVE\nauthor: A. Analyst\nconfidence: Medium\n\
                    Source URL: https://example.org/a?b=1\nPublished on: 2026-01-31\n1. BLUF\nb";
        let imported = parse_ok(text);
        let r = imported.report;
        assert_eq!(r.title, "T");
        assert_eq!(
            r.source,
            Source {
                headline: String::new(),
                outlet: String::new(),
                url: "https://example.org/a?b=1".into(),
                published: Some(time::macros::date!(2026 - 01 - 31)),
            }
        );
        assert_eq!(r.handling, Handling { tlp: Tlp::AmberStrict, banner: "OFFICIAL: SENSITIVE".into() });
        assert_eq!(r.author, "A. Analyst");
        assert_eq!(r.confidence, Some(Confidence::Moderate));
        assert_eq!(imported.warnings.iter().map(|w| w.line).collect::<Vec<_>>(), [2]);
        assert_eq!(r.notes, "headline is not first - so it is a note");
    }

    #[test]
    fn line_one_splits_at_its_last_spaced_dash() {
        assert_eq!(split_headline("A – B – C"), ("A – B", "C"));
        assert_eq!(split_headline("Self-driving cars — Wire - Daily"), ("Self-driving cars — Wire", "Daily"));
        assert_eq!(split_headline("No separator-here"), ("No separator-here", ""));
        assert_eq!(split_headline("Tabbed\t–\u{a0}Outlet"), ("Tabbed", "Outlet"));
        assert_eq!(split_headline("– leading"), ("– leading", ""));
        assert_eq!(split_headline("A – – B"), ("A –", "B"));
    }

    #[test]
    fn line_predicates() {
        for heading in ["1. BLUF", "1) bluf", "1 Bottom Line Up Front", "2.Analysis", "7.  NOTES", "6 tags"] {
            assert!(section_heading(heading).is_some(), "{heading}");
        }
        for other in
            ["1. Analysis", "2. Something else", "1BLUF", "10. Notes", "BLUF", "1. BLUF:", "2. Detailed Analysis of x"]
        {
            assert_eq!(section_heading(other), None, "{other}");
        }
        for image in ["A - B - Image 1", "A – image 12", "- Image 3", "A —Image 4", "A - Image  5"] {
            assert!(is_image_line(image), "{image}");
        }
        for other in ["A - Image", "A-Image 1", "A - Images 2", "A - Myimage 2", "Image 2", "A - Image 2a"] {
            assert!(!is_image_line(other), "{other}");
        }
        assert_eq!(list_item("• a"), Some("a"));
        assert_eq!(list_item("•a"), Some("a"));
        assert_eq!(list_item("- a"), Some("a"));
        assert_eq!(list_item("12) a"), Some("a"));
        assert_eq!(list_item("–"), Some(""));
        for other in ["*emphasis*", "-5 °C", "2024. Year", "1.5 million", "a"] {
            assert_eq!(list_item(other), None, "{other}");
        }
        for name in
            ["Key Assumptions Check", "what if? analysis", "Devil’s Advocacy", "Анализ Сценариев", "Team A/Team B"]
        {
            assert!(is_technique_heading(name), "{name}");
        }
        for other in ["Watch closely", "Ends with a colon:", "• Bullet Point", "The End.", "東京都市", ""] {
            assert!(!is_technique_heading(other), "{other}");
        }
    }

    // --- warnings and errors -----------------------------------------------------

    #[test]
    fn unplaced_lines_are_warned_about_and_kept_in_notes() {
        let text = "\
Headline – Outlet
A stray line
Published on: 14 March 2026
TLP: PURPLE
Published on: 2026-03-14
1. BLUF
Body.
2. Detailed Analysis
Scenario Generation

– Best Case: one
– Best Case: two
  and more
5. Key Individuals and Entities
– Person
This is a long sentence about the people involved, which cannot be an entity name at all.
6. Thematic Tags
a, b

Not a caption
Still not one
Caption - Image 1
7. Notes
Analyst notes.
";
        let imported = parse_ok(text);
        let lines: Vec<usize> = imported.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [2, 3, 4, 12, 13, 16, 20, 21]);
        assert!(imported.warnings[1].message.contains("YYYY-MM-DD"), "{:?}", imported.warnings[1]);
        assert!(imported.warnings[2].message.contains("PURPLE"), "{:?}", imported.warnings[2]);
        assert!(imported.warnings.iter().all(|w| w.message.ends_with("kept in the notes")));
        let r = imported.report;
        assert_eq!(
            r.notes,
            "A stray line\nPublished on: 14 March 2026\nTLP: PURPLE\n\n– Best Case: two\nand more\n\n\
             This is a long sentence about the people involved, which cannot be an entity name at all.\n\n\
             Not a caption\nStill not one\n\nAnalyst notes."
        );
        assert_eq!(r.source.published, Some(time::macros::date!(2026 - 03 - 14)));
        assert_eq!(r.handling.tlp, Tlp::Amber);
        assert_eq!(scenarios_of(&r).best, "one");
        assert_eq!(r.tags, ["a", "b"]);
        assert_eq!(r.images.len(), 1);
        // The notes survive a round trip, now without warnings.
        assert_eq!(parse_clean_notes(&write(&r)), r);
    }

    fn parse_clean_notes(text: &str) -> Report {
        let imported = parse_ok(text);
        assert_eq!(imported.warnings, vec![]);
        imported.report
    }

    #[test]
    fn structure_errors_name_the_line() {
        assert_eq!(parse("Headline\n\nJust some text.\n2. Detailed Analysis\n"), Err(ParseError::MissingBluf));
        assert_eq!(parse(""), Err(ParseError::MissingBluf));
        assert_eq!(
            parse("1. BLUF\nx\n3. Implications\ny\n3) implications\n"),
            Err(ParseError::DuplicateSection { line: 5, heading: "3) implications".into() })
        );
        assert_eq!(
            parse("1. BLUF\nx\n4. Recommendations\ny\n2. Detailed Analysis\n"),
            Err(ParseError::SectionOutOfOrder { line: 5, heading: "2. Detailed Analysis".into() })
        );
        assert_eq!(
            parse("Head\n2. Analysis\n1. BLUF\n"),
            Err(ParseError::SectionOutOfOrder { line: 2, heading: "2. Analysis".into() })
        );
        let message = ParseError::SectionOutOfOrder { line: 5, heading: "2. Analysis".into() }.to_string();
        assert_eq!(message, "the heading \"2. Analysis\" on line 5 is out of order, as sections must run from 1 to 7");
        assert_eq!(ParseError::MissingBluf.to_string(), "the file has no \"1. BLUF\" heading, so it is not a report");
    }

    // --- writing what text cannot say ------------------------------------------------

    #[test]
    fn writer_never_writes_a_heading_inside_text() {
        let report = Report {
            source: Source { headline: "1. BLUF".into(), ..Source::default() },
            bluf: "Numbered:\n2. Analysis\n3) implications\n\n7 Notes".into(),
            analysis: Analysis {
                techniques: vec![Technique { name: "6. Tags".into(), body: "x".into(), scenarios: None }],
                ..Analysis::default()
            },
            ..Report::default()
        };
        let written = write(&report);
        assert!(written.contains("Numbered:\n2\\. Analysis\n3\\) implications\n\n7\\ Notes\n"), "{written}");
        let back = parse_clean(&written);
        assert_eq!(back.source.headline, "1\\. BLUF");
        assert_eq!(back.bluf, "Numbered:\n2\\. Analysis\n3\\) implications\n\n7\\ Notes");
        // A name that is no title reads back as text, but the file still imports.
        assert_eq!(back.analysis.intro, "6\\. Tags\n\nx");
    }

    #[test]
    fn writer_leaves_out_what_text_cannot_express() {
        let report = Report {
            title: "Multi\nline".into(),
            entities: vec![Entity { name: "ACME".into(), kind: EntityKind::Organization, role: "Supplier".into() }],
            images: vec![Figure { caption: "Photo of the dam".into(), image: None }],
            analysis: Analysis::default(),
            ..Report::default()
        };
        let back = parse_clean(&write(&report));
        assert_eq!(back.title, "Multi line");
        assert_eq!(back.entities, [Entity { name: "ACME".into(), ..Entity::default() }]);
        assert_eq!(back.images[0].caption, "Photo of the dam - Image 1");
    }

    // --- property: what the text format can express round-trips exactly ------------

    /// Generators of what the text format can express (also used by the Markdown tests).
    pub(crate) mod arb {
        use super::super::*;
        use crate::model::{Analysis, Handling, Source};
        use proptest::collection::vec;
        use proptest::prelude::*;
        use proptest::sample::select;

        /// Characters for words: ASCII, Markdown and list punctuation, the dashes the
        /// format reads, Cyrillic, Greek, CJK, emoji with a ZWJ, combining marks,
        /// U+2019, and whitespace that is not ASCII (no-break space, tab, U+2028, NEL,
        /// ideographic space) which may only appear inside a line.
        const CHARS: &[char] = &[
            'a', 'e', 'i', 'k', 'n', 'o', 's', 't', 'z', 'A', 'B', 'I', 'Q', 'Z', '0', '1', '7', '9', '.', ',', ':',
            ';', '!', '?', '-', '–', '—', '•', '*', '_', '#', '[', ']', '(', ')', '<', '>', '|', '`', '\'', '’', '"',
            '/', '&', '\\', '+', '=', '~', 'Ж', 'ж', 'О', 'л', 'ь', 'Ω', 'α', 'έ', '東', '京', '。', '，', '😀', '👩',
            '\u{200d}', '💻', '\u{301}', '\u{a0}', '\t', '\u{2028}', '\u{85}', '\u{3000}', '\u{feff}', 'ā', 'ņ', 'İ',
            'ß', 'ǅ', 'ﬁ',
        ];

        /// Words that exercise the format's own markers wherever they land.
        const TOKENS: &[&str] = &[
            "–",
            "-",
            "—",
            "•",
            "*",
            "1.",
            "2)",
            "2.",
            "3",
            "7.",
            "Best Case:",
            "Worst-case:",
            "Most Likely:",
            "Image",
            "- Image 3",
            "BLUF",
            "Notes",
            "Tags",
            "Analysis",
            "Published on:",
            "TLP:",
            "Author:",
            "Intelligence Report:",
            ",",
            ":",
            ".",
            "Scenario Generation",
            "Key Assumptions Check",
            "http://x.y/z?a=1",
            "**bold**",
            "_it_",
            "[link](http://a)",
            "Олена",
            "Jānis",
            "What’s",
            "東京",
            "😀",
            "e\u{301}",
            "<b>",
        ];

        const SEPARATORS: &[&str] = &[" ", " ", " ", " ", "  ", "\t", "\u{a0}", " - ", " – ", ", ", ": "];

        fn word() -> impl Strategy<Value = String> {
            prop_oneof![
                8 => vec(select(CHARS), 1..7).prop_map(|cs| cs.into_iter().collect::<String>()),
                3 => select(TOKENS).prop_map(String::from),
                1 => any::<char>().prop_map(|c| if matches!(c, '\n' | '\r') { '¶' } else { c }).prop_map(String::from),
            ]
        }

        /// One line of text: trimmed, not blank, and not a section heading (a line that
        /// is one would have been read as that heading).
        pub fn line() -> impl Strategy<Value = String> {
            vec((word(), select(SEPARATORS)), 1..7)
                .prop_map(|words| trim(&words.into_iter().map(|(w, s)| w + s).collect::<String>()).to_string())
                .prop_filter("a non-blank line that is not a heading", |l| {
                    !l.is_empty() && section_heading(l).is_none()
                })
        }

        fn optional(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
            prop_oneof![1 => Just(String::new()), 3 => s]
        }

        fn paragraph(line_ok: fn(&str) -> bool) -> impl Strategy<Value = String> {
            vec(line().prop_filter("line fits its place", move |l| line_ok(l)), 1..4).prop_map(|ls| ls.join("\n"))
        }

        /// Paragraphs separated by one blank line; `para_ok` rules out paragraphs that
        /// would be read as something else in that section.
        fn body(line_ok: fn(&str) -> bool, para_ok: fn(&str) -> bool) -> impl Strategy<Value = String> {
            vec(paragraph(line_ok).prop_filter("paragraph fits its place", move |p| para_ok(p)), 0..4)
                .prop_map(|ps| ps.join("\n\n"))
        }

        fn any_line(_: &str) -> bool {
            true
        }

        /// In section 2 a paragraph that is one heading-like line starts a technique.
        fn not_technique_heading(p: &str) -> bool {
            p.contains('\n') || !is_technique_heading(p)
        }

        fn not_scenario_line(l: &str) -> bool {
            scenario_case(l).is_none()
        }

        fn not_list_item(l: &str) -> bool {
            list_item(l).is_none()
        }

        fn technique_name() -> impl Strategy<Value = String> {
            let known = (select(KNOWN_TECHNIQUES), 0..3u8).prop_map(|(n, case)| match case {
                0 => n.to_string(),
                1 => n.to_lowercase(),
                _ => n.to_uppercase(),
            });
            let upper = select(&['A', 'K', 'Z', 'Ж', 'О', 'Ω', 'Έ', 'Ā', 'İ', 'Q'][..]);
            let lower = select(&['a', 'e', 'z', 'ж', 'л', 'ь', 'α', 'έ', 'ā', 'ņ', 'ß', '-', '’', '\u{301}', '/'][..]);
            let title_word = prop_oneof![
                4 => (upper, vec(lower, 0..9)).prop_map(|(u, l)| std::iter::once(u).chain(l).collect::<String>()),
                1 => select(&["and", "of", "A/B", "If?", "(Draft)", "Devil’s", "2026", "—", "東京都市", "x", "😀"][..])
                    .prop_map(String::from),
            ];
            let title = vec(title_word, 1..8).prop_map(|ws| ws.join(" "));
            let scenario_generation =
                select(&["Scenario Generation", "scenario generation", "SCENARIO GENERATION"][..]);
            prop_oneof![2 => known, 2 => scenario_generation.prop_map(String::from), 3 => title]
                .prop_filter("passes the technique heading rule", |n| is_technique_heading(n))
        }

        /// One case: a first line and continuation lines that are not case lines.
        fn case_text() -> impl Strategy<Value = String> {
            optional(
                (line(), vec(line().prop_filter("not a case line", |l| not_scenario_line(l)), 0..3))
                    .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect::<Vec<_>>().join("\n")),
            )
        }

        fn technique() -> impl Strategy<Value = Technique> {
            technique_name().prop_flat_map(|name| {
                if Technique::is_scenario_generation(&name) {
                    // Its last paragraph may be a title-like line (written right above the cases).
                    let last = optional(technique_name());
                    let body = (body(not_scenario_line, not_technique_heading), last).prop_map(|(body, last)| {
                        [body, last].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
                    });
                    let scenarios = (case_text(), case_text(), case_text())
                        .prop_map(|(best, worst, most_likely)| Some(Scenarios { best, worst, most_likely }));
                    (Just(name), body.boxed(), scenarios.boxed()).boxed()
                } else {
                    (Just(name), body(any_line, not_technique_heading), Just(None).boxed()).boxed()
                }
                .prop_map(|(name, body, scenarios)| Technique { name, body, scenarios })
            })
        }

        fn recommendation() -> impl Strategy<Value = String> {
            (line(), vec(line().prop_filter("not a list item", |l| not_list_item(l)), 0..3))
                .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect::<Vec<_>>().join("\n"))
        }

        /// Tags have no commas, and may look like image references or headings.
        fn tags() -> impl Strategy<Value = Vec<String>> {
            let tag = prop_oneof![
                4 => line().prop_map(|t| trim(&t.replace(',', " ")).to_string()),
                1 => select(&["x - Image 2", "- Image 1", "7. Notes", "6) Tags"][..]).prop_map(String::from),
            ];
            vec(tag.prop_filter("a non-empty tag", |t| !t.is_empty()), 0..5)
        }

        fn figure() -> impl Strategy<Value = Figure> {
            (line(), select(&["-", "–", "—"][..]), 1..100u32)
                .prop_map(|(text, dash, n)| Figure { caption: format!("{text} {dash} Image {n}"), image: None })
        }

        /// `s` without separators (a dash with whitespace on both sides) and without a
        /// leading dash followed by whitespace (which would form one after " – ").
        fn without_separators(s: &str) -> String {
            let mut cs: Vec<char> = std::iter::once(' ').chain(s.chars()).collect();
            while let Some(i) =
                cs.windows(3).position(|w| is_space(w[0]) && matches!(w[1], '–' | '-' | '—') && is_space(w[2]))
            {
                cs.remove(i + 1);
            }
            trim(&cs.into_iter().collect::<String>()).to_string()
        }

        /// Headline and outlet as line 1 can give them: the outlet holds no separator
        /// and does not start with one; with no outlet, the headline holds none either.
        /// Line 1 is not a labelled line.
        fn headline_and_outlet() -> impl Strategy<Value = (String, String)> {
            let clean = || line().prop_map(|l| without_separators(&l)).prop_filter("not blank", |l| !l.is_empty());
            prop_oneof![
                1 => Just((String::new(), String::new())),
                2 => (clean(), Just(String::new())),
                4 => (line(), clean()),
            ]
            .prop_filter("line 1 is no labelled line or heading", |(headline, outlet)| {
                let line_one = if outlet.is_empty() { headline.clone() } else { format!("{headline} – {outlet}") };
                labelled(&line_one).is_none() && section_heading(&line_one).is_none()
            })
        }

        fn date() -> impl Strategy<Value = Option<time::Date>> {
            let first = time::Date::from_calendar_date(1, time::Month::January, 1).unwrap().to_julian_day();
            let last = time::Date::from_calendar_date(9999, time::Month::December, 31).unwrap().to_julian_day();
            proptest::option::of((first..=last).prop_map(|d| time::Date::from_julian_day(d).unwrap()))
        }

        /// A line of the kind real files hold in a section body: prose, list items with
        /// any marker, scenario lines, technique-like titles, image references, tag lists
        /// and labelled lines. Never a section heading (those are placed by `document`).
        fn body_line() -> impl Strategy<Value = String> {
            let marker = select(&["•", "-", "*", "–", "—", "1.", "2)", "•", ""][..]);
            let case = select(&["Best Case:", "Worst Case:", "Most Likely:", "best-case:", "Most Likely Case:"][..]);
            let title = select(
                &[
                    "Scenario Generation",
                    "Red Team Analysis",
                    "key assumptions check",
                    "Geopolitical Risk Mapping",
                    "Three Cases Follow",
                    "What Comes Next",
                    "ENISA",
                    "Олена Коваль",
                ][..],
            );
            let label = select(&["Published on:", "TLP:", "Author:", "Intelligence Report:", "Confidence:"][..]);
            let structured = prop_oneof![
                3 => line(),
                2 => (marker.clone(), line()).prop_map(|(m, l)| format!("{m} {l}")),
                2 => (marker, case, prop_oneof![Just(String::new()), line()]).prop_map(|(m, c, l)| format!("{m} {c} {l}")),
                2 => title.prop_map(String::from),
                1 => (line(), 1..20u32).prop_map(|(l, n)| format!("{l} - Image {n}")),
                1 => vec(line(), 1..4).prop_map(|ls| ls.join(", ")),
                1 => (label, line()).prop_map(|(k, v)| format!("{k} {v}")),
                1 => select(&[
                    "Published on: 2024-05-06", "TLP: RED", "Confidence: high", "Source URL: http://x", "–", "•", "1.",
                    "\u{a0}\t• indented", "Author:", "- Image 1", "x,", ",", "Most Likely:",
                ][..]).prop_map(String::from),
            ];
            structured.prop_map(|l| trim(&l).to_string()).prop_filter("not a heading", |l| section_heading(l).is_none())
        }

        /// Lines of a section body: runs of body lines and blank lines.
        fn section_lines() -> impl Strategy<Value = Vec<String>> {
            let blank = select(&["", " ", "\t", "\u{a0}"][..]).prop_map(String::from);
            vec(prop_oneof![3 => body_line(), 2 => blank], 0..12)
        }

        /// A whole file as analysts might write it: a preamble, "1. BLUF", then any of
        /// sections 2 to 7 in order, with headings in either accepted spelling.
        pub fn document() -> impl Strategy<Value = String> {
            let preamble = vec(prop_oneof![body_line(), Just(String::new())], 0..6);
            let sections = vec((proptest::bool::weighted(0.75), any::<bool>(), section_lines()), 6);
            (preamble, section_lines(), sections, select(&["\n", "\r\n", "\r"][..])).prop_map(
                |(preamble, bluf, sections, newline)| {
                    let mut lines = preamble;
                    lines.push("1. BLUF (Bottom Line Up Front)".into());
                    lines.extend(bluf);
                    for (section, (present, canonical, body)) in Section::ALL[1..].iter().zip(sections) {
                        if present {
                            let short = format!("{}) {}", *section as u8, section.titles().last().unwrap());
                            lines.push(if canonical { section.heading().to_string() } else { short });
                            lines.extend(body);
                        }
                    }
                    lines.join(newline)
                },
            )
        }

        pub fn report() -> impl Strategy<Value = Report> {
            let metadata = (
                optional(line()),
                headline_and_outlet(),
                optional(line()),
                date(),
                optional(line()),
                select(&Tlp::ALL[..]),
                optional(line()),
                proptest::option::of(select(&[Confidence::Low, Confidence::Moderate, Confidence::High][..])),
            );
            let content = (
                body(any_line, |_| true),
                body(any_line, not_technique_heading),
                vec(technique(), 0..4),
                body(any_line, |_| true),
                vec(recommendation(), 0..4),
                body(not_list_item, |_| true),
            );
            let rest = (vec(line(), 0..5), tags(), vec(figure(), 0..3), body(any_line, |_| true));
            (metadata, content, rest).prop_map(
                |(
                    (title, (headline, outlet), url, published, author, tlp, banner, confidence),
                    (bluf, intro, techniques, implications, recommendations, outlook),
                    (entities, tags, images, notes),
                )| Report {
                    title,
                    source: Source { headline, outlet, url, published },
                    author,
                    handling: Handling { tlp, banner },
                    confidence,
                    bluf,
                    analysis: Analysis { intro, techniques },
                    implications,
                    recommendations,
                    outlook,
                    entities: entities
                        .into_iter()
                        .map(|name| Entity { name, kind: EntityKind::Other, role: String::new() })
                        .collect(),
                    tags,
                    images,
                    notes,
                },
            )
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 1024,
            // Failures are turned into named unit tests instead of files beside the source.
            failure_persistence: None,
            max_local_rejects: 1 << 20,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Text → model → text → model is stable for any file, however untidy: the model a
        /// file gives is always one the writer can express.
        #[test]
        fn any_file_reads_back_the_same_after_writing(file in arb::document()) {
            let first = parse(&file).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let written = write(&first.report);
            let second = parse(&written).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            proptest::prop_assert_eq!(&second.warnings, &Vec::<Warning>::new(), "written:\n{}", written);
            proptest::prop_assert_eq!(&second.report, &first.report, "file:\n{}\nwritten:\n{}", file, written);
            proptest::prop_assert_eq!(write(&second.report), written);
        }

        #[test]
        fn text_round_trip_is_exact(report in arb::report()) {
            let written = write(&report);
            let imported = parse(&written).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            proptest::prop_assert_eq!(&imported.warnings, &Vec::<Warning>::new(), "written:\n{}", written);
            proptest::prop_assert_eq!(&imported.report, &report, "written:\n{}", written);
        }
    }
}
