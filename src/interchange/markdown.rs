//! A readable Markdown rendering of a whole report, for sharing (export only).
//!
//! Report text is hostile input, so two rules hold throughout:
//! - Plain fields (title, names, tags, captions, metadata) go through `escape`: every
//!   Markdown-special character is backslash-escaped and line breaks become spaces, so
//!   they show literally and cannot start a heading, list, link, table cell or HTML.
//! - Bodies are Markdown already and are included as they are, except what could break
//!   the document's outline or pass raw HTML: see `body`.

use crate::model::{Figure, ImageRef, Report, Scenarios, StoredReport, Technique};

/// The report as a Markdown document ending in a newline.
pub fn write(stored: &StoredReport) -> String {
    let report = &stored.report;
    let mut blocks = vec![format!("# {}", escape(report.display_title())), marking(report), metadata(stored)];
    blocks.extend(section("1. BLUF", vec![body(&report.bluf)]));
    blocks.extend(section("2. Detailed Analysis", analysis(report)));
    blocks.extend(section("3. Implications and Strategic Risks", vec![body(&report.implications)]));
    blocks.extend(section("4. Recommendations and Outlook", recommendations(report)));
    blocks.extend(section("5. Key Individuals and Entities", vec![entities(report)]));
    let tags = report.tags.iter().filter(|t| !t.trim().is_empty()).map(|t| escape(t)).collect::<Vec<_>>();
    let tags = tags.join(" · ");
    blocks.extend(section("6. Thematic Tags", vec![tags]));
    if !report.images.is_empty() {
        blocks.push("## Figures".into());
        blocks.extend(report.images.iter().enumerate().flat_map(|(i, f)| figure(i + 1, f)));
    }
    if !report.notes.trim().is_empty() {
        blocks.push("## Notes".into());
        blocks.push(body(&report.notes));
    }
    blocks.retain(|b| !b.is_empty());
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// "**TLP:AMBER**", followed by the classification banner if any.
fn marking(report: &Report) -> String {
    let tlp = format!("**{}**", report.handling.tlp);
    match report.handling.banner.trim() {
        "" => tlp,
        banner => format!("{tlp} · **{}**", escape(banner)),
    }
}

/// The metadata as a bold-labelled list; empty fields are left out.
fn metadata(stored: &StoredReport) -> String {
    let report = &stored.report;
    let source = &report.source;
    let published = source.published.map(iso_date).unwrap_or_default();
    let source_line = match (source.headline.trim(), source.outlet.trim()) {
        ("", outlet) => escape(outlet),
        (headline, "") => escape(headline),
        (headline, outlet) => format!("{} — {}", escape(headline), escape(outlet)),
    };
    let rows = [
        ("Number", escape(&stored.number)),
        ("Status", stored.status.as_str().to_string()),
        ("Source", source_line),
        ("Source URL", url(&source.url)),
        ("Published", published),
        ("Author", escape(&report.author)),
        ("Confidence", report.confidence.map(|c| c.as_str().to_string()).unwrap_or_default()),
        ("Updated", iso_date(stored.updated.date())),
    ];
    rows.iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(label, value)| format!("- **{label}:** {value}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn iso_date(date: time::Date) -> String {
    date.format(crate::model::opt_date::FORMAT).unwrap_or_default()
}

/// A web address as a link when it is a plain http(s) address, else as escaped text.
fn url(url: &str) -> String {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let plain = (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '\\' | '`'));
    if plain {
        let target = url.replace('(', "%28").replace(')', "%29");
        format!("[{}]({target})", escape(url))
    } else {
        escape(url)
    }
}

/// A `##` section: its heading, then its blocks, or "*None.*" when they are all empty.
fn section(title: &str, blocks: Vec<String>) -> Vec<String> {
    let mut out = vec![format!("## {title}")];
    let content: Vec<String> = blocks.into_iter().filter(|b| !b.trim().is_empty()).collect();
    if content.is_empty() {
        out.push("*None.*".into());
    }
    out.extend(content);
    out
}

fn analysis(report: &Report) -> Vec<String> {
    let mut blocks = vec![body(&report.analysis.intro)];
    for technique in &report.analysis.techniques {
        blocks.extend(technique_blocks(technique));
    }
    blocks
}

fn technique_blocks(technique: &Technique) -> Vec<String> {
    let mut blocks = vec![format!("### {}", escape(&technique.name)), body(&technique.body)];
    if let Some(s) = &technique.scenarios {
        blocks.push(scenarios(s));
    }
    blocks
}

/// The three cases as a bold-labelled list (a table cell could not hold several lines).
fn scenarios(s: &Scenarios) -> String {
    [("Best case", &s.best), ("Worst case", &s.worst), ("Most likely", &s.most_likely)]
        .iter()
        .map(|(label, text)| list_item(&format!("- **{label}:** "), "  ", text))
        .collect::<Vec<_>>()
        .join("\n")
}

fn recommendations(report: &Report) -> Vec<String> {
    let list = report
        .recommendations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let marker = format!("{}. ", i + 1);
            let indent = " ".repeat(marker.len());
            list_item(&marker, &indent, r)
        })
        .collect::<Vec<_>>()
        .join("\n");
    vec![list, body(&report.outlook)]
}

fn entities(report: &Report) -> String {
    report
        .entities
        .iter()
        .filter(|e| !e.name.trim().is_empty())
        .map(|e| {
            let mut line = format!("- {}", escape(&e.name));
            if !e.role.trim().is_empty() {
                line.push_str(&format!(" — {}", escape(&e.role)));
            }
            if e.kind != crate::model::EntityKind::Other {
                line.push_str(&format!(" ({})", e.kind.as_str()));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// "**Figure N** — caption", then the image when one is attached.
fn figure(n: usize, figure: &Figure) -> Vec<String> {
    let caption = escape(&figure.caption);
    let mut blocks = vec![format!("**Figure {n}** — {caption}")];
    if let Some(path) = figure.image.as_ref().and_then(image_path) {
        let alt = if caption.is_empty() { format!("Figure {n}") } else { caption };
        blocks.push(format!("![{alt}]({path})"));
    }
    blocks
}

/// Where the Markdown expects an attached image: `images/<sha256>.<ext>`, with "jpg" for
/// JPEG. `None` when the stored name is not a SHA-256 or the format is unknown, so a
/// hostile name can never become a path outside `images/`.
pub fn image_path(image: &ImageRef) -> Option<String> {
    let sha_ok = image.sha256.len() == 64 && image.sha256.bytes().all(|b| b.is_ascii_hexdigit());
    let ext = match image.format.as_str() {
        "jpeg" | "jpg" => "jpg",
        "png" => "png",
        _ => return None,
    };
    sha_ok.then(|| format!("images/{}.{ext}", image.sha256.to_ascii_lowercase()))
}

/// A list item whose text may span lines: continuation lines are indented under it.
fn list_item(marker: &str, indent: &str, text: &str) -> String {
    let text = body(text);
    let mut out = String::new();
    for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(indent);
        } else {
            out.push_str(marker);
        }
        out.push_str(line);
    }
    if out.is_empty() {
        out.push_str(marker.trim_end());
    }
    out
}

/// Characters that Markdown (CommonMark and GFM) may treat as syntax anywhere in a line.
const SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '#', '$'];

/// A plain field as inline Markdown that shows it literally, on one line (trimmed, as
/// Markdown would not show surrounding whitespace anyway).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.trim().chars() {
        match c {
            '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    escape_line_start(&out)
}

/// Escapes what starts a block only at the start of a line: "-", "+", "=", and the
/// "." or ")" of a number ("1." would start an ordered list).
fn escape_line_start(text: &str) -> String {
    let lead = text.len() - text.trim_start().len();
    let (space, rest) = text.split_at(lead);
    if rest.starts_with(['-', '+', '=']) {
        return format!("{space}\\{rest}");
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && rest[digits..].starts_with(['.', ')']) {
        return format!("{space}{}\\{}", &rest[..digits], &rest[digits..]);
    }
    text.to_string()
}

/// A Markdown body as it is, except that on each line:
/// - a "<" that could open raw HTML (a tag, comment or declaration) is escaped;
/// - a heading ("#"), a code fence ("```", "~~~") or a setext underline / rule made only
///   of "=" or "-" is escaped, so a body cannot add sections to the document or swallow
///   the rest of it.
fn body(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.split('\n').map(body_line).collect::<Vec<_>>().join("\n")
}

fn body_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let opens_html =
            c == '<' && chars.peek().is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'));
        if opens_html {
            out.push('\\');
        }
        out.push(c);
    }
    let lead = out.len() - out.trim_start().len();
    let rest = out[lead..].trim_end();
    let rule =
        !rest.is_empty() && (rest.chars().all(|c| c == '=' || c == ' ') || rest.chars().all(|c| c == '-' || c == ' '));
    if rest.starts_with('#') || rest.starts_with("```") || rest.starts_with("~~~") || rule {
        out.insert(lead, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Confidence, Entity, EntityKind, Status, Tlp};
    use time::macros::datetime;
    use uuid::Uuid;

    fn stored(report: Report) -> StoredReport {
        StoredReport {
            revision: 4,
            updated: datetime!(2026-03-20 10:30 UTC),
            ..StoredReport::first(Uuid::from_u128(42), 42, Status::Final, datetime!(2026-03-15 08:00 UTC), report)
        }
    }

    fn canal() -> StoredReport {
        let text = include_str!("../../tests/fixtures/reports/canal-drought.txt");
        let mut report = super::super::text::parse(text).unwrap().report;
        report.source.url = "https://example.org/canal?id=1&x=(2)".into();
        report.author = "A. Analyst".into();
        report.handling.banner = "OFFICIAL".into();
        report.confidence = Some(Confidence::Moderate);
        report.entities[1].kind = EntityKind::Person;
        report.entities[1].role = "Administrator".into();
        report.images[1].image =
            Some(ImageRef { sha256: "ab".repeat(32), format: "jpeg".into(), width: 1200, height: 800, bytes: 123_456 });
        stored(report)
    }

    #[test]
    fn a_sample_renders_as_a_readable_document() {
        let md = write(&canal());
        assert!(md.starts_with(
            "# Canal Authority Cuts Daily Transits as Drought Deepens – What’s Next for Global Shipping\n\n**TLP:AMBER** · **OFFICIAL**\n"
        ));
        for part in [
            "- **Number:** BW-2026-0042",
            "- **Status:** final",
            "- **Source URL:** [https://example.org/canal?id=1\\&x=(2)](https://example.org/canal?id=1&x=%282%29)",
            "- **Published:** 2026-03-14",
            "- **Updated:** 2026-03-20",
            "## 1. BLUF\n\nThe canal authority",
            "### Cross-Impact Simulation\n\nReduced transits",
            "### Scenario Generation\n\n- **Best case:** Seasonal rains arrive early",
            "1. Track weekly reservoir and transit statistics published by the authority.\n2. Assess",
            "- Elena Ruiz Castillo — Administrator (person)\n- Meridian Container Lines\n",
            "## 6. Thematic Tags\n\nsupply chain security · climate risk · maritime trade · regional focus",
            "**Figure 2** — Canal authority cuts daily transits as drought deepens What it means for shipping - Harbor Ledger - Image 2\n\n![Canal authority",
            "- Image 2](images/abababababababababababababababababababababababababababababababab.jpg)",
        ] {
            assert!(md.contains(part), "missing {part:?} in\n{md}");
        }
        assert!(!md.contains("## Notes"));
        insta::assert_snapshot!("canal_drought_markdown", md);
    }

    #[test]
    fn an_empty_report_still_has_its_outline() {
        let md = write(&stored(Report::default()));
        assert!(md.starts_with("# Untitled report\n\n**TLP:AMBER**\n\n- **Number:** BW-2026-0042"));
        assert_eq!(md.matches("*None.*").count(), 6, "{md}");
        assert!(md.ends_with("## 6. Thematic Tags\n\n*None.*\n"), "{md}");
    }

    #[test]
    fn plain_fields_show_literally() {
        assert_eq!(
            escape("*a* _b_ [c](d) <e> `f` |g| #h ~i~ &amp; \\ $x$"),
            "\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\`f\\` \\|g\\| \\#h \\~i\\~ \\&amp; \\\\ \\$x\\$"
        );
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("+ item"), "\\+ item");
        assert_eq!(escape("2024. A year"), "2024\\. A year");
        assert_eq!(escape("3) three"), "3\\) three");
        assert_eq!(escape("Line one\n# Two\r\n==="), "Line one \\# Two  ===");
        assert_eq!(escape("Олена Коваль – What’s"), "Олена Коваль – What’s");
    }

    #[test]
    fn bodies_keep_their_markdown_but_not_html_or_structure() {
        let text = "**Bold** and [a link](https://x.org).\n# Not a heading\n```\n<script>alert(1)</script> a < b\n---\n<!-- hidden -->";
        assert_eq!(
            body(text),
            "**Bold** and [a link](https://x.org).\n\\# Not a heading\n\\```\n\\<script>alert(1)\\</script> a < b\n\\---\n\\<!-- hidden -->"
        );
        assert_eq!(body("- a\n- b\n\n1. c"), "- a\n- b\n\n1. c");
        // A lone CR ends a line in Markdown too.
        assert_eq!(body("a\r# b\r\nc"), "a\n\\# b\nc");
    }

    #[test]
    fn hostile_fields_cannot_change_the_document() {
        let mut report = Report {
            title: "Title\n# Injected <img src=x onerror=alert(1)>".into(),
            bluf: "## 3. Fake section\n<iframe src=x>".into(),
            tags: vec!["a|b".into(), "[x](javascript:alert(1))".into()],
            entities: vec![Entity { name: "1. Not a list".into(), kind: EntityKind::Other, role: "<b>".into() }],
            ..Report::default()
        };
        report.source.url = "javascript:alert(1)".into();
        report.handling.tlp = Tlp::Red;
        let md = write(&stored(report));
        assert_eq!(heading_lines(&md).len(), 7, "{md}");
        assert_no_raw_html(&md);
        assert!(md.contains("- **Source URL:** javascript:alert(1)"), "{md}");
        assert!(md.contains("\\[x\\](javascript:alert(1))"), "{md}");
        assert!(md.contains("- 1\\. Not a list — \\<b\\>"), "{md}");
        assert!(md.contains("**TLP:RED**"));
    }

    /// Lines that start an ATX heading.
    fn heading_lines(md: &str) -> Vec<&str> {
        md.lines()
            .filter(|l| {
                let t = l.trim_start_matches(' ');
                l.len() - t.len() < 4 && t.starts_with('#') && {
                    let hashes = t.bytes().take_while(|&b| b == b'#').count();
                    hashes <= 6 && t[hashes..].chars().next().is_none_or(char::is_whitespace)
                }
            })
            .collect()
    }

    /// No "<" that could open an HTML tag, comment or declaration goes unescaped.
    fn assert_no_raw_html(md: &str) {
        let chars: Vec<char> = md.chars().collect();
        for (i, w) in chars.windows(2).enumerate() {
            let opens = w[0] == '<' && (w[1].is_ascii_alphabetic() || matches!(w[1], '/' | '!' | '?'));
            assert!(!opens || (i > 0 && chars[i - 1] == '\\'), "raw HTML at {i} in\n{md}");
        }
    }

    /// Undoes `escape`: drops each backslash and keeps the character after it.
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            out.push(if c == '\\' { chars.next().expect("a dangling backslash") } else { c });
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 512,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Escaping loses nothing but line breaks and leaves no special character bare.
        #[test]
        fn escaping_is_literal(s in "\\PC*|[-+=#*_\\[\\]<>|`~&\\\\0-9.)\n\r\u{2028} a]*") {
            let escaped = escape(&s);
            let expected: String = s.trim().chars().map(|c| if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') { ' ' } else { c }).collect();
            proptest::prop_assert_eq!(unescape(&escaped), expected);
            proptest::prop_assert!(!escaped.contains(['\n', '\r']));
            let mut bare = escaped.chars();
            while let Some(c) = bare.next() {
                if c == '\\' { bare.next(); continue; }
                proptest::prop_assert!(!SPECIAL.contains(&c), "bare {:?} in {:?}", c, escaped);
            }
            let t = escaped.trim_start();
            proptest::prop_assert!(!t.starts_with(['-', '+', '=']));
        }

        /// Whatever a report holds, the document has exactly our headings and no raw HTML.
        #[test]
        fn any_report_keeps_the_outline(report in super::super::text::tests::arb::report()) {
            let expected = 7 + report.analysis.techniques.len()
                + usize::from(!report.images.is_empty())
                + usize::from(!report.notes.trim().is_empty());
            let md = write(&stored(report));
            proptest::prop_assert_eq!(heading_lines(&md).len(), expected, "{}", md);
            assert_no_raw_html(&md);
        }
    }
}
