//! Generators of what the text format can express (also used by the Markdown tests).

use super::super::lines::{
    is_space, is_technique_heading, labelled, list_item, scenario_case, section_heading, trim, Section,
};
use crate::model::{
    Analysis, Confidence, Entity, EntityKind, Figure, Handling, Report, Scenarios, Source, Technique, Tlp,
    KNOWN_TECHNIQUES,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Characters for words: ASCII, Markdown and list punctuation, the dashes the
/// format reads, Cyrillic, Greek, CJK, emoji with a ZWJ, combining marks,
/// U+2019, and whitespace that is not ASCII (no-break space, tab, U+2028, NEL,
/// ideographic space) which may only appear inside a line.
const CHARS: &[char] = &[
    'a', 'e', 'i', 'k', 'n', 'o', 's', 't', 'z', 'A', 'B', 'I', 'Q', 'Z', '0', '1', '7', '9', '.', ',', ':', ';', '!',
    '?', '-', '–', '—', '•', '*', '_', '#', '[', ']', '(', ')', '<', '>', '|', '`', '\'', '’', '"', '/', '&', '\\',
    '+', '=', '~', 'Ж', 'ж', 'О', 'л', 'ь', 'Ω', 'α', 'έ', '東', '京', '。', '，', '😀', '👩', '\u{200d}', '💻',
    '\u{301}', '\u{a0}', '\t', '\u{2028}', '\u{85}', '\u{3000}', '\u{feff}', 'ā', 'ņ', 'İ', 'ß', 'ǅ', 'ﬁ',
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
        .prop_filter("a non-blank line that is not a heading", |l| !l.is_empty() && section_heading(l).is_none())
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
    let scenario_generation = select(&["Scenario Generation", "scenario generation", "SCENARIO GENERATION"][..]);
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
    while let Some(i) = cs.windows(3).position(|w| is_space(w[0]) && matches!(w[1], '–' | '-' | '—') && is_space(w[2]))
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
