//! The writer: a report in the layout of the samples ([`write()`]), and what of a report that
//! layout cannot carry back ([`losses`]).

use super::lines::{is_image_line, is_lone_heading, is_space, section_heading, trim, Case, Label, Section};
use super::parse;
use crate::model::{opt_date, Confidence, Entity, Figure, Report, Technique};

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
