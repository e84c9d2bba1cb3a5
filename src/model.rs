//! The report as structured data.
//!
//! [`Report`] is what an analyst writes: every part of the plain-text format
//! (see `docs/report-format.md`) as its own field. [`StoredReport`] adds what the
//! store keeps about it (id, number, status, revision, times).
//!
//! Bodies (`bluf`, technique bodies, `implications`, `outlook`, `notes`) are
//! Markdown source in a small subset: paragraphs, bold, italic, bullet and
//! numbered lists, links. Plain fields (title, entity names, tags, captions) are
//! plain text and must come through every export exactly.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Name of the technique that carries the three structured scenarios.
pub const SCENARIO_GENERATION: &str = "Scenario Generation";

/// Technique names the editor offers and the text parser recognises first.
pub const KNOWN_TECHNIQUES: &[&str] = &[
    "Key Assumptions Check",
    "Analysis of Competing Hypotheses",
    "Causal Layered Analysis",
    "Cross-Impact Simulation",
    "Scenario Generation",
    "Cognitive Bias Stress Test",
    "Narrative Pattern Analysis",
    "Red Team Analysis",
    "Indicators and Warnings",
    "Devil's Advocacy",
    "High-Impact/Low-Probability Analysis",
    "What If? Analysis",
    "Quality of Information Check",
    "Team A/Team B",
    "Structured Brainstorming",
    "Outside-In Thinking",
    "Stakeholder Mapping",
    "Timeline Analysis",
    "Network Analysis",
];

/// The content of an intelligence report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Report {
    /// The report's own title ("Intelligence Report: …").
    pub title: String,
    pub source: Source,
    /// Optional: leaving it empty keeps the analyst's name out of exports.
    pub author: String,
    pub handling: Handling,
    pub confidence: Option<Confidence>,
    /// 1. Bottom line up front (Markdown).
    pub bluf: String,
    /// 2. Detailed analysis.
    pub analysis: Analysis,
    /// 3. Implications and strategic risks (Markdown).
    pub implications: String,
    /// 4. Recommendations, in order (each Markdown inline text).
    pub recommendations: Vec<String>,
    /// 4. The closing outlook paragraph(s) (Markdown).
    pub outlook: String,
    /// 5. Key individuals and entities, in order.
    pub entities: Vec<Entity>,
    /// 6. Thematic tags, in order.
    pub tags: Vec<String>,
    /// Figures, in order. An image reference imported from text has a caption and no file yet.
    pub images: Vec<Figure>,
    /// Text that had no place in the structure (kept, never dropped), and the analyst's notes.
    pub notes: String,
}

/// The article or document the report is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Source {
    pub headline: String,
    pub outlet: String,
    pub url: String,
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub published: Option<Date>,
}

/// Handling marking: TLP 2.0 plus an optional free-text classification banner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Handling {
    pub tlp: Tlp,
    pub banner: String,
}

/// Traffic Light Protocol 2.0 labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Tlp {
    #[serde(rename = "CLEAR")]
    Clear,
    #[serde(rename = "GREEN")]
    Green,
    /// The cautious default for a report whose marking is unknown.
    #[default]
    #[serde(rename = "AMBER")]
    Amber,
    #[serde(rename = "AMBER+STRICT")]
    AmberStrict,
    #[serde(rename = "RED")]
    Red,
}

impl Tlp {
    pub const ALL: [Tlp; 5] = [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict, Tlp::Red];

    /// The label as FIRST writes it, without the "TLP:" prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "CLEAR",
            Tlp::Green => "GREEN",
            Tlp::Amber => "AMBER",
            Tlp::AmberStrict => "AMBER+STRICT",
            Tlp::Red => "RED",
        }
    }

    /// The label's text colour (on black) in FIRST's TLP 2.0 definition, as RGB.
    pub fn colour(self) -> (u8, u8, u8) {
        match self {
            Tlp::Clear => (0xFF, 0xFF, 0xFF),
            Tlp::Green => (0x33, 0xFF, 0x00),
            Tlp::Amber | Tlp::AmberStrict => (0xFF, 0xC0, 0x00),
            Tlp::Red => (0xFF, 0x2B, 0x2B),
        }
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TLP:{}", self.as_str())
    }
}

impl FromStr for Tlp {
    type Err = String;

    /// Accepts "AMBER", "tlp:amber", "TLP: Amber+Strict", "amber strict", "WHITE" (TLP 1.0 for CLEAR).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t =
            t.strip_prefix("TLP:").or_else(|| t.strip_prefix("tlp:")).or_else(|| t.strip_prefix("Tlp:")).unwrap_or(t);
        let norm: String = t
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '+' && *c != '-' && *c != '_')
            .flat_map(char::to_uppercase)
            .collect();
        match norm.as_str() {
            "CLEAR" | "WHITE" => Ok(Tlp::Clear),
            "GREEN" => Ok(Tlp::Green),
            "AMBER" => Ok(Tlp::Amber),
            "AMBERSTRICT" => Ok(Tlp::AmberStrict),
            "RED" => Ok(Tlp::Red),
            _ => Err(format!("'{}' is not a TLP label (CLEAR, GREEN, AMBER, AMBER+STRICT or RED)", s.trim())),
        }
    }
}

/// Analytic confidence in the assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }
}

impl FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "moderate" | "medium" => Ok(Confidence::Moderate),
            "high" => Ok(Confidence::High),
            _ => Err(format!("'{}' is not a confidence level (low, moderate or high)", s.trim())),
        }
    }
}

/// Section 2: an optional intro and the structured analytic techniques in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Analysis {
    pub intro: String,
    pub techniques: Vec<Technique>,
}

/// One structured analytic technique applied in the analysis.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Technique {
    pub name: String,
    /// Markdown.
    pub body: String,
    /// Present for Scenario Generation: the best / worst / most-likely cases.
    pub scenarios: Option<Scenarios>,
}

impl Technique {
    /// Whether this technique carries structured scenarios by its name.
    pub fn is_scenario_generation(name: &str) -> bool {
        name.trim().eq_ignore_ascii_case(SCENARIO_GENERATION)
    }
}

/// The three cases of a Scenario Generation section (each one paragraph of Markdown inline text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Scenarios {
    pub best: String,
    pub worst: String,
    pub most_likely: String,
}

/// A key individual or entity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
    pub role: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum EntityKind {
    Person,
    Organization,
    Location,
    #[default]
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Location => "location",
            EntityKind::Other => "other",
        }
    }
}

/// A numbered figure: a caption and, once attached, the stored image.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Figure {
    pub caption: String,
    pub image: Option<ImageRef>,
}

/// A stored image, named by its content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImageRef {
    /// Lower-case hex SHA-256 of the stored file.
    pub sha256: String,
    /// Stored file format: "jpeg" or "png".
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// Workflow status of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Status {
    #[default]
    Draft,
    Final,
    Signed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Final => "final",
            Status::Signed => "signed",
        }
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "draft" => Ok(Status::Draft),
            "final" => Ok(Status::Final),
            "signed" => Ok(Status::Signed),
            _ => Err(format!("'{}' is not a status (draft, final or signed)", s.trim())),
        }
    }
}

/// A report as the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StoredReport {
    pub id: Uuid,
    /// Human-readable number, e.g. BW-2026-0042.
    pub number: String,
    pub status: Status,
    /// Increases by one with every save; a save names the revision it edited.
    pub revision: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub updated: OffsetDateTime,
    pub report: Report,
}

impl StoredReport {
    /// The first revision of `report`, created at `now` as the `serial`-th report of that year
    /// (numbered `BW-<year>-<serial>`, four digits at least).
    pub fn first(id: Uuid, serial: i64, status: Status, now: OffsetDateTime, report: Report) -> Self {
        StoredReport {
            id,
            number: format!("BW-{}-{serial:04}", now.year()),
            status,
            revision: 1,
            created: now,
            updated: now,
            report,
        }
    }
}

impl Report {
    /// The title to show: the report title, else the source headline, else a placeholder.
    pub fn display_title(&self) -> &str {
        if !self.title.trim().is_empty() {
            self.title.trim()
        } else if !self.source.headline.trim().is_empty() {
            self.source.headline.trim()
        } else {
            "Untitled report"
        }
    }

    /// Every piece of text in the report, for full-text indexing, grouped by field.
    pub fn search_fields(&self) -> SearchFields {
        let mut analysis = self.analysis.intro.clone();
        for t in &self.analysis.techniques {
            push_para(&mut analysis, &t.name);
            push_para(&mut analysis, &t.body);
            if let Some(s) = &t.scenarios {
                push_para(&mut analysis, &s.best);
                push_para(&mut analysis, &s.worst);
                push_para(&mut analysis, &s.most_likely);
            }
        }
        let mut recommendations = self.recommendations.join("\n");
        push_para(&mut recommendations, &self.outlook);
        let entities = self
            .entities
            .iter()
            .map(|e| if e.role.is_empty() { e.name.clone() } else { format!("{} {}", e.name, e.role) })
            .collect::<Vec<_>>()
            .join("\n");
        let mut source = format!("{}\n{}\n{}", self.source.headline, self.source.outlet, self.source.url);
        push_para(&mut source, &self.author);
        push_para(&mut source, &self.handling.banner);
        SearchFields {
            title: self.title.clone(),
            source,
            bluf: self.bluf.clone(),
            analysis,
            implications: self.implications.clone(),
            recommendations,
            entities,
            tags: self.tags.join("\n"),
            captions: self.images.iter().map(|f| f.caption.as_str()).collect::<Vec<_>>().join("\n"),
            notes: self.notes.clone(),
        }
    }
}

fn push_para(buf: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !buf.is_empty() {
        buf.push('\n');
    }
    buf.push_str(text);
}

/// The text of a report, one string per indexed column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchFields {
    pub title: String,
    pub source: String,
    pub bluf: String,
    pub analysis: String,
    pub implications: String,
    pub recommendations: String,
    pub entities: String,
    pub tags: String,
    pub captions: String,
    pub notes: String,
}

/// `Option<Date>` as "YYYY-MM-DD" or null.
pub mod opt_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&d.format(FORMAT).map_err(serde::ser::Error::custom)?),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        match s {
            None => Ok(None),
            Some(s) => Date::parse(&s, FORMAT)
                .map(Some)
                .map_err(|_| serde::de::Error::custom(format!("'{s}' is not a date of the form YYYY-MM-DD"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlp_labels_parse_leniently_and_print_exactly() {
        for (input, tlp) in [
            ("AMBER", Tlp::Amber),
            ("tlp:amber", Tlp::Amber),
            ("TLP: Amber+Strict", Tlp::AmberStrict),
            ("amber strict", Tlp::AmberStrict),
            ("WHITE", Tlp::Clear),
            (" red ", Tlp::Red),
            ("Green", Tlp::Green),
        ] {
            assert_eq!(input.parse::<Tlp>().unwrap(), tlp, "{input}");
        }
        assert!("purple".parse::<Tlp>().is_err());
        for tlp in Tlp::ALL {
            assert_eq!(tlp.as_str().parse::<Tlp>().unwrap(), tlp);
            assert_eq!(serde_json::to_string(&tlp).unwrap(), format!("\"{}\"", tlp.as_str()));
        }
    }

    #[test]
    fn default_tlp_is_amber() {
        assert_eq!(Report::default().handling.tlp, Tlp::Amber);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<Report>(r#"{"title":"x","colour":"red"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
    }
}
