//! Lines of the text format and what kind of line each is: blank, a section heading, a
//! list item, an image reference, a technique heading, a scenario case, a labelled
//! metadata line or line 1 (headline and outlet). Used by the reader and the writer alike.

use crate::model::KNOWN_TECHNIQUES;

/// Whitespace in this format: Unicode's (tabs, no-break spaces, …) and U+FEFF, the
/// zero-width no-break space that doubles as the byte-order mark.
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

pub(super) fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// One input line, trimmed, with its 1-based number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Line<'a> {
    pub(super) no: usize,
    pub(super) text: &'a str,
}

impl Line<'_> {
    pub(super) fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Splits on LF, CRLF and lone CR, trimming each line; drops a leading BOM.
pub(super) fn split_lines(input: &str) -> Vec<Line<'_>> {
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
pub(super) enum Section {
    Bluf = 1,
    Analysis,
    Implications,
    Recommendations,
    Entities,
    Tags,
    Notes,
}

impl Section {
    pub(super) const ALL: [Section; 7] = [
        Section::Bluf,
        Section::Analysis,
        Section::Implications,
        Section::Recommendations,
        Section::Entities,
        Section::Tags,
        Section::Notes,
    ];

    /// The heading as the writer prints it.
    pub(super) fn heading(self) -> &'static str {
        SECTION_HEADINGS[self as usize - 1]
    }

    /// The titles accepted after the number, lower-case with single spaces.
    pub(super) fn titles(self) -> &'static [&'static str] {
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
pub(super) fn section_heading(line: &str) -> Option<Section> {
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
pub(super) fn list_item(line: &str) -> Option<&str> {
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

pub(super) fn starts_with_dash_or_bullet(line: &str) -> bool {
    line.starts_with(['-', '–', '—', '•', '*'])
}

/// Whether the line is an image reference: it ends with a dash, "Image" and a number,
/// e.g. "Headline - Outlet - Image 2". The dash starts the line or follows whitespace.
pub(super) fn is_image_line(line: &str) -> bool {
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
pub(super) fn is_technique_heading(line: &str) -> bool {
    let Some(last) = line.chars().next_back() else {
        return false;
    };
    line.chars().count() < 80
        && !FINAL_PUNCTUATION.contains(&last)
        && !starts_with_dash_or_bullet(line)
        && (is_known_technique(line) || looks_like_title(line))
}

/// Whether a body paragraph, written on its own, would read as a technique heading.
pub(super) fn is_lone_heading(paragraph: &str) -> bool {
    !paragraph.contains('\n') && is_technique_heading(paragraph)
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
pub(super) enum Case {
    Best,
    Worst,
    MostLikely,
}

impl Case {
    pub(super) fn label(self) -> &'static str {
        match self {
            Case::Best => "Best Case",
            Case::Worst => "Worst Case",
            Case::MostLikely => "Most Likely",
        }
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }
}

/// A scenario line ("– Best Case: …", "Worst-case: …", "- most likely case: …"): the case
/// and the text after the colon.
pub(super) fn scenario_case(line: &str) -> Option<(Case, &str)> {
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
pub(super) enum Label {
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

    pub(super) fn text(self) -> &'static str {
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
pub(super) fn labelled(line: &str) -> Option<(Label, &str)> {
    let (label, value) = line.split_once(':')?;
    let label = normalise(label);
    let found = Label::ALL.into_iter().find(|l| l.text().to_lowercase() == label)?;
    Some((found, trim(value)))
}

/// Splits line 1 at its last dash (–, - or —) that has whitespace on both sides.
pub(super) fn split_headline(line: &str) -> (&str, &str) {
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
