//! Library queries: full-text search with filters.
//!
//! The user's words never reach FTS5's query syntax unquoted: [`fts_query`]
//! turns them into quoted terms (prefix-matched) and phrases, so any input is a
//! valid query and none can inject FTS operators.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::model::{opt_date, Status, Tlp};

/// What to look for in the library. The default lists every report, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Query {
    /// Words to find anywhere in a report; `"a phrase"` in quotes; `-word` excludes.
    /// The last word matches as a prefix (search as you type).
    pub text: String,
    /// Only reports with this tag (case-insensitive, exact).
    pub tag: Option<String>,
    /// Only reports naming an entity that contains this text (case-insensitive).
    pub entity: Option<String>,
    pub tlp: Option<Tlp>,
    /// Source published on or after this date.
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub from: Option<Date>,
    /// Source published on or before this date.
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub to: Option<Date>,
    pub sort: Sort,
    pub limit: Option<u32>,
}

/// The order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Sort {
    /// Best match first when searching for words, else most recently updated first.
    #[default]
    Auto,
    Relevance,
    Updated,
    Created,
    Published,
    Title,
    Number,
}

/// One row of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub status: Status,
    pub tlp: Tlp,
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub published: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub updated: OffsetDateTime,
    pub revision: u32,
    pub tags: Vec<String>,
    /// A short excerpt around the match, plain text (only when searching for words).
    pub snippet: Option<String>,
}

/// Unicode-aware case folding for tag and entity keys.
pub fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Builds a safe FTS5 MATCH expression from what the user typed, or `None`
/// when it holds nothing to search for.
pub fn fts_query(input: &str) -> Option<String> {
    let mut include = Vec::new();
    let mut exclude = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let negated = rest.starts_with('-') && rest.len() > 1;
        if negated {
            rest = &rest[1..];
        }
        let (term, phrase) = if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').unwrap_or(after.len());
            let term = &after[..end];
            rest = after.get(end + 1..).unwrap_or("");
            (term, true)
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let term = &rest[..end];
            rest = &rest[end..];
            (term, false)
        };
        // A term without letters or digits is no token for the unicode61 tokenizer.
        if !term.chars().any(char::is_alphanumeric) {
            continue;
        }
        let quoted = format!("\"{}\"", term.replace('"', "\"\""));
        // Search as you type: the word being typed (the last, with nothing after it)
        // matches as a prefix; finished words match whole words only.
        let typing = !phrase && rest.is_empty();
        let expr = if typing { format!("{quoted}*") } else { quoted };
        if negated {
            exclude.push(expr);
        } else {
            include.push(expr);
        }
    }
    if include.is_empty() {
        return None;
    }
    let mut q = include.join(" AND ");
    for e in exclude {
        q = format!("({q}) NOT {e}");
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn user_input_becomes_quoted_terms() {
        assert_eq!(fts_query(""), None);
        assert_eq!(fts_query("  – & "), None);
        assert_eq!(fts_query("drought"), Some("\"drought\"*".into()));
        assert_eq!(fts_query("canal drou"), Some("\"canal\" AND \"drou\"*".into()));
        assert_eq!(fts_query("canal drought "), Some("\"canal\" AND \"drought\"".into()));
        assert_eq!(fts_query("\"transit slots\" canal"), Some("\"transit slots\" AND \"canal\"*".into()));
        assert_eq!(fts_query("canal \"transit slots\""), Some("\"canal\" AND \"transit slots\"".into()));
        assert_eq!(fts_query("canal -rail"), Some("(\"canal\") NOT \"rail\"*".into()));
        assert_eq!(fts_query("a\"b OR NEAR(x"), Some("\"a\"\"b\" AND \"OR\" AND \"NEAR(x\"*".into()));
        assert_eq!(fts_query("-only"), None);
        assert_eq!(fts_query("\"unterminated phrase"), Some("\"unterminated phrase\"".into()));
    }
}
