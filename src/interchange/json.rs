//! The lossless JSON form: a versioned envelope around [`Report`].
//!
//! ```json
//! { "format": "briefwright-report", "version": 1,
//!   "meta": { "id": "…", "number": "BW-2026-0001", "status": "draft", "revision": 3,
//!             "created": "…", "updated": "…" },
//!   "report": { … } }
//! ```
//! `meta` is written by `show --json` / `export --format json` and optional on
//! import (an imported report is always a new report). Unknown fields are
//! refused rather than dropped, so nothing is silently lost.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::model::{Report, Status, StoredReport};

pub const FORMAT: &str = "briefwright-report";
/// The schema version this build writes and the newest it reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    pub report: Report,
}

/// What the store knows about a report besides its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: Uuid,
    pub number: String,
    pub status: Status,
    pub revision: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated: OffsetDateTime,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JsonError {
    #[error("the JSON is malformed: {0}")]
    Syntax(String),
    #[error("the JSON is not a Briefwright report (expected \"format\": \"{FORMAT}\")")]
    NotAReport,
    #[error("the report was written in schema version {found}, newer than this Briefwright reads (version {VERSION}); update Briefwright")]
    TooNew { found: u64 },
    #[error("the report has an invalid schema version ({0})")]
    BadVersion(String),
    #[error("the JSON does not match the report schema: {0}")]
    Schema(String),
}

/// The lossless JSON of a stored report, pretty-printed, ending in a newline.
pub fn write(stored: &StoredReport) -> String {
    let doc = Document {
        format: FORMAT.into(),
        version: VERSION,
        meta: Some(Meta {
            id: stored.id,
            number: stored.number.clone(),
            status: stored.status,
            revision: stored.revision,
            created: stored.created,
            updated: stored.updated,
        }),
        report: stored.report.clone(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("a report always serialises");
    s.push('\n');
    s
}

/// The lossless JSON of report content alone (no store metadata).
pub fn write_report(report: &Report) -> String {
    let doc = Document { format: FORMAT.into(), version: VERSION, meta: None, report: report.clone() };
    let mut s = serde_json::to_string_pretty(&doc).expect("a report always serialises");
    s.push('\n');
    s
}

/// Reads a JSON document, checking the envelope before the schema so that the
/// error names the real problem.
pub fn read(text: &str) -> Result<Document, JsonError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| JsonError::Syntax(one_line(&e.to_string())))?;
    let obj = value.as_object().ok_or(JsonError::NotAReport)?;
    if obj.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(JsonError::NotAReport);
    }
    match obj.get("version") {
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(v) if v > VERSION as u64 => return Err(JsonError::TooNew { found: v }),
            Some(v) if v >= 1 => {}
            _ => return Err(JsonError::BadVersion(n.to_string())),
        },
        Some(other) => return Err(JsonError::BadVersion(other.to_string())),
        None => return Err(JsonError::BadVersion("missing".into())),
    }
    serde_json::from_str(text).map_err(|e| JsonError::Schema(one_line(&e.to_string())))
}

/// A parser message as one line of plain text: serde quotes unknown keys and values from
/// the file verbatim, and a hostile file can put line breaks or terminal escapes there.
/// Control characters are shown escaped and a long message is cut.
fn one_line(message: &str) -> String {
    const MAX_CHARS: usize = 300;
    let mut out = String::new();
    for (i, c) in message.chars().enumerate() {
        if i == MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn sample() -> StoredReport {
        let t = time::macros::datetime!(2026-03-14 09:30 UTC);
        StoredReport {
            id: Uuid::from_u128(7),
            number: "BW-2026-0007".into(),
            status: Status::Final,
            revision: 3,
            created: t,
            updated: t,
            report: Report {
                title: "Title".into(),
                source: Source {
                    headline: "Head – line".into(),
                    outlet: "Outlet".into(),
                    url: "https://example.org/a?b=1".into(),
                    published: Some(time::macros::date!(2026 - 03 - 14)),
                },
                handling: Handling { tlp: Tlp::AmberStrict, banner: "OFFICIAL".into() },
                confidence: Some(Confidence::Moderate),
                bluf: "**Bold** claim.\n\nSecond paragraph.".into(),
                analysis: Analysis {
                    intro: "Intro.".into(),
                    techniques: vec![Technique {
                        name: "Scenario Generation".into(),
                        body: String::new(),
                        scenarios: Some(Scenarios { best: "b".into(), worst: "w".into(), most_likely: "m".into() }),
                    }],
                },
                entities: vec![Entity {
                    name: "Олена Коваль".into(), kind: EntityKind::Person, role: "CEO".into()
                }],
                tags: vec!["a".into(), "b c".into()],
                images: vec![
                    Figure { caption: "Image 1".into(), image: None },
                    Figure {
                        caption: "Photo".into(),
                        image: Some(ImageRef {
                            sha256: "ab".repeat(32),
                            format: "jpeg".into(),
                            width: 3,
                            height: 2,
                            bytes: 99,
                        }),
                    },
                ],
                ..Report::default()
            },
        }
    }

    #[test]
    fn round_trip_is_exact() {
        let stored = sample();
        let text = write(&stored);
        let doc = read(&text).unwrap();
        assert_eq!(doc.report, stored.report);
        let meta = doc.meta.unwrap();
        assert_eq!((meta.id, meta.number.as_str(), meta.revision), (stored.id, "BW-2026-0007", 3));
        assert_eq!(read(&write_report(&stored.report)).unwrap().report, stored.report);
    }

    #[test]
    fn envelope_errors_name_the_problem() {
        assert!(matches!(read("{"), Err(JsonError::Syntax(_))));
        assert_eq!(read("[]"), Err(JsonError::NotAReport));
        assert_eq!(read(r#"{"title":"x"}"#), Err(JsonError::NotAReport));
        assert_eq!(
            read(r#"{"format":"briefwright-report","version":2,"report":{}}"#),
            Err(JsonError::TooNew { found: 2 })
        );
        assert!(matches!(
            read(r#"{"format":"briefwright-report","version":"1","report":{}}"#),
            Err(JsonError::BadVersion(_))
        ));
        assert!(matches!(
            read(r#"{"format":"briefwright-report","version":1,"report":{"titel":"x"}}"#),
            Err(JsonError::Schema(m)) if m.contains("titel")
        ));
        assert!(read(r#"{"format":"briefwright-report","version":1,"report":{}}"#).is_ok());
    }

    /// Found by tests/fuzz.rs: an unknown key holding a line break (or a terminal escape)
    /// came through into the one-sentence error.
    #[test]
    fn errors_quoting_the_file_stay_on_one_line() {
        let hostile = r#"{"format":"briefwright-report","version":1,"report":{"x\ny\u001b[31m":1}}"#;
        let Err(JsonError::Schema(m)) = read(hostile) else { panic!("refused for the wrong reason") };
        assert!(m.contains(r"unknown field `x\ny\u{1b}[31m`"), "{m}");
        assert!(!m.chars().any(char::is_control), "{m}");
        let long = format!(r#"{{"format":"briefwright-report","version":1,"report":{{"{}":1}}}}"#, "k".repeat(5000));
        let Err(JsonError::Schema(m)) = read(&long) else { panic!("refused for the wrong reason") };
        assert!(m.chars().count() <= 301 && m.ends_with('…'), "{m}");
    }
}
