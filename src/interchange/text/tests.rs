//! Tests of the text format: the two samples, tolerance of untidy files, warnings and
//! errors, what the writer does with text the format cannot say, and round-trip properties
//! over generated reports and files (generators in [`arb`]).

use super::lines::{is_image_line, is_technique_heading, list_item, section_heading, split_headline};
use super::{losses, parse, write, ParseError};
use crate::interchange::{Imported, Warning};
use crate::model::{
    Analysis, Confidence, Entity, EntityKind, Figure, Handling, Report, Scenarios, Source, Technique, Tlp,
};

pub(crate) mod arb;

const CANAL: &str = include_str!("../../../tests/fixtures/reports/canal-drought.txt");
const GRID: &str = include_str!("../../../tests/fixtures/reports/grid-cyberattack.txt");

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

// The two samples.

#[test]
fn canal_sample_parses_every_part_into_place() {
    let r = parse_clean(CANAL);
    assert_eq!(r.source.headline, "Canal authority cuts daily transits as drought deepens What it means for shipping");
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
    assert!(techniques[3].body.ends_with("A slot auction price above 2 million dollars would signal acute scarcity."));
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
        ["Analysis of Competing Hypotheses", "Red Team Analysis", "Cognitive Bias Stress Test", "Scenario Generation"]
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
    r.images[0].image =
        Some(crate::model::ImageRef { sha256: "ab".repeat(32), format: "png".into(), width: 1, height: 1, bytes: 1 });
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

// Tolerance.

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
    let r =
        parse_clean("Head\n1. BLUF\nx\n4. Recommendations\n- a\n  continued\n\n- b\n\nClosing words.\n\nMore outlook.");
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
    let r =
        parse_clean("1. BLUF\n\n1. First point\n2. Something else\n3) implications of that\n\n3. Implications\n\nI.");
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
    let text = "1. BLUF\n2. Analysis\nSCENARIO GENERATION\n\nThree cases follow.\n- Best case: good\nand more good\n\
                - Most Likely: middling\n\nA closing paragraph.\n\nRed Team Analysis\n\n– Best Case: stays body";
    let r = parse_clean(text);
    let sg = &r.analysis.techniques[0];
    assert_eq!(sg.name, "SCENARIO GENERATION");
    assert_eq!(sg.body, "Three cases follow.\n\nA closing paragraph.");
    assert_eq!(
        sg.scenarios,
        Some(Scenarios { best: "good\nand more good".into(), worst: String::new(), most_likely: "middling".into() })
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
        Some(Scenarios { best: "Quiet Winter".into(), worst: String::new(), most_likely: "Continued Probing".into() })
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
    assert!(written.contains("First Title\nSecond Title\n\nClosing.\n\n– Best Case: a\n– Worst Case: b"), "{written}");
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
    for name in ["Key Assumptions Check", "what if? analysis", "Devil’s Advocacy", "Анализ Сценариев", "Team A/Team B"]
    {
        assert!(is_technique_heading(name), "{name}");
    }
    for other in ["Watch closely", "Ends with a colon:", "• Bullet Point", "The End.", "東京都市", ""] {
        assert!(!is_technique_heading(other), "{other}");
    }
}

// Warnings and errors.

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

// Writing what text cannot say.

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

// Property: what the text format can express round-trips exactly.

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
