//! Paragraph assembly: the [`Builder`] reads the preamble and each section's lines into a
//! [`Report`], keeping in `notes` (with a warning) whatever it cannot place.

use std::str::FromStr;

use time::Date;

use super::lines::{
    is_image_line, is_lone_heading, is_technique_heading, labelled, list_item, scenario_case, split_headline, trim,
    Label, Line, Section,
};
use super::sections::Part;
use crate::interchange::Warning;
use crate::model::{opt_date, Confidence, Entity, EntityKind, Figure, Report, Scenarios, Technique, Tlp};

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

/// Paragraphs joined as a body: separated by a blank line, their hard wraps kept.
fn body(paragraphs: &[Vec<Line>]) -> String {
    let mut out = String::new();
    for p in paragraphs {
        push_paragraph(&mut out, &join_lines(p));
    }
    out
}

/// An image line as a figure (without an image file).
pub(super) fn figure(line: Line) -> Figure {
    Figure { caption: line.text.to_string(), image: None }
}

/// The report under construction and the warnings so far.
#[derive(Default)]
pub(super) struct Builder {
    pub(super) report: Report,
    pub(super) warnings: Vec<Warning>,
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

    /// Places one section's lines in the report.
    pub(super) fn read_section(&mut self, part: &Part) {
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

    /// The lines before "1. BLUF": line 1 (headline and outlet) and the labelled fields.
    pub(super) fn read_preamble(&mut self, lines: &[Line]) {
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

    /// Section 2: the introduction, then the techniques, each begun by a paragraph that is
    /// one heading-like line.
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

    /// Section 4: in each paragraph, the lines from the first list item on are the
    /// recommendations (an item goes on until the next); the lines before it are outlook.
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

    /// Section 5: one entity per list item or short line.
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

    /// Section 6: image lines are figures; the first other paragraph holds the tags,
    /// separated by commas.
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
