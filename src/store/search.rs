//! Library queries: full-text search with filters.
//!
//! The user's words never reach FTS5's query syntax unquoted: [`fts_query`]
//! turns them into quoted terms (prefix-matched) and phrases, so any input is a
//! valid query and none can inject FTS operators.
//!
//! Scripts written without spaces between words (Chinese, Japanese, Korean names with their
//! particles, Thai, Lao, Khmer, Myanmar) would be one token per sentence for FTS5's unicode61
//! tokenizer, so a name inside a sentence could not be found. [`index_text`] segments them into
//! characters (grapheme clusters, so a Thai mark stays with its letter) before they are indexed,
//! and the same segmentation turns a search term into a phrase of those characters: a search
//! finds any run of characters, as a reader expects in these scripts.

use std::borrow::Cow;
use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use unicode_segmentation::UnicodeSegmentation;
use uuid::Uuid;

use super::rows::{decode_report, format_date, parse_status, parse_time, parse_uuid};
use super::StoreError;
use crate::model::{opt_date, Report, Status, Tlp};

/// A tag and how many reports carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TagCount {
    pub tag: String,
    pub count: u32,
}

/// Search results beyond this many come without a snippet.
pub const SNIPPETS: usize = 200;

/// Ranking by relevance considers the newest this-many matching reports. A word
/// found in more reports than this matches too broadly for its rank to say much,
/// and ranking them all would make typing in the search box sluggish.
pub const RANK_WINDOW: usize = 1000;

/// What to look for in the library. The default lists every report, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub from: Option<Date>,
    /// Source published on or before this date.
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub to: Option<Date>,
    pub sort: Sort,
    pub limit: Option<u32>,
}

/// The order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
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
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Summary {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub status: Status,
    pub tlp: Tlp,
    #[serde(with = "opt_date")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub published: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "specta", specta(type = String))]
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

/// The separator [`index_text`] puts between characters of scripts written without spaces: a
/// separator for the tokenizer, invisible in a snippet (and removed from it).
const SEGMENT: char = '\u{200B}';

/// Whether `c` belongs to a script written without spaces between words.
fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'         // Thai, Lao
        | '\u{1000}'..='\u{109F}'       // Myanmar
        | '\u{1100}'..='\u{11FF}'       // Hangul Jamo
        | '\u{1780}'..='\u{17FF}'       // Khmer
        | '\u{3005}'..='\u{3007}'       // 々 〆 〇
        | '\u{3040}'..='\u{30FF}'       // Hiragana, Katakana
        | '\u{3100}'..='\u{318F}'       // Bopomofo, Hangul Compatibility Jamo
        | '\u{31F0}'..='\u{31FF}'       // Katakana Phonetic Extensions
        | '\u{3400}'..='\u{4DBF}'       // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}'       // CJK Unified Ideographs
        | '\u{AC00}'..='\u{D7AF}'       // Hangul Syllables
        | '\u{F900}'..='\u{FAFF}'       // CJK Compatibility Ideographs
        | '\u{FF66}'..='\u{FF9F}'       // Halfwidth Katakana
        | '\u{20000}'..='\u{3134F}'     // CJK Extensions B–G, Compatibility Supplement
    )
}

/// The text as the index sees it: every grapheme cluster of a script written without spaces
/// becomes a token of its own (see the module's documentation). Text without such scripts is
/// returned as it is.
pub fn index_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unspaced) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut after_unspaced = false;
    for g in text.graphemes(true) {
        let this = g.chars().next().is_some_and(unspaced);
        if (this || after_unspaced) && !out.is_empty() {
            out.push(SEGMENT);
        }
        out.push_str(g);
        after_unspaced = this;
    }
    Cow::Owned(out)
}

/// Writes the report's words into the full-text index as row `seq`.
pub(super) fn index(tx: &Transaction<'_>, seq: i64, report: &Report) -> Result<(), StoreError> {
    let f = report.search_fields();
    tx.prepare_cached(
        "INSERT INTO report_fts (rowid, title, source, bluf, analysis, implications, recommendations, entities, tags, captions, notes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        seq,
        index_text(&f.title),
        index_text(&f.source),
        index_text(&f.bluf),
        index_text(&f.analysis),
        index_text(&f.implications),
        index_text(&f.recommendations),
        index_text(&f.entities),
        index_text(&f.tags),
        index_text(&f.captions),
        index_text(&f.notes)
    ])?;
    Ok(())
}

/// Fills an empty full-text index from every report (schema migration 3). A report whose content
/// cannot be read is indexed by its title alone, so that one damaged row does not keep the
/// library from opening; it is reported when the report itself is opened.
pub(super) fn reindex_all(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let mut rows = tx.prepare("SELECT seq, number, title, content FROM reports ORDER BY seq")?;
    let rows = rows
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (seq, number, title, content) in rows {
        let report = decode_report(&number, &content).unwrap_or_else(|e| {
            tracing::warn!("reindexing {number}: {e}; only its title is searchable");
            Report { title, ..Report::default() }
        });
        index(tx, seq, &report)?;
    }
    Ok(())
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
        // A run of unspaced script becomes a phrase of its characters, as it was indexed.
        let quoted = format!("\"{}\"", index_text(term).replace('"', "\"\""));
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

/// Reports matching a query, in its order: [`Store::search`](super::Store::search).
pub(super) fn search(conn: &Connection, query: &Query) -> Result<Vec<Summary>, StoreError> {
    let fts = fts_query(&query.text);
    let seqs = matching(conn, query, fts.as_deref())?;
    let snippets = match &fts {
        Some(fts) => snippets(conn, fts, &seqs)?,
        None => HashMap::new(),
    };
    summaries(conn, seqs, snippets)
}

/// The row numbers (`seq`) of the reports matching the query, in its order. When ranking by
/// relevance, only the newest [`RANK_WINDOW`] matches are ranked.
fn matching(conn: &Connection, query: &Query, fts: Option<&str>) -> Result<Vec<i64>, StoreError> {
    let (filters, args) = filters(query, fts);
    let sql = listing_sql(query, fts.is_some(), &filters);
    let seqs: Vec<i64> = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(seqs)
}

/// The query's filters as SQL conditions on the reports (`r`), each beginning with " AND ",
/// and the statement's arguments: the MATCH expression first (`?1`) when there is one, then
/// one for each filter.
fn filters(query: &Query, fts: Option<&str>) -> (String, Vec<Value>) {
    let mut filters = String::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(fts) = fts {
        args.push(fts.to_string().into());
    }
    if let Some(tag) = query.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        filters.push_str(" AND EXISTS (SELECT 1 FROM report_tags t WHERE t.report_seq = r.seq AND t.tag_key = ?)");
        args.push(key(tag).into());
    }
    if let Some(entity) = query.entity.as_deref().filter(|t| !t.trim().is_empty()) {
        filters.push_str(
            " AND EXISTS (SELECT 1 FROM report_entities e WHERE e.report_seq = r.seq AND instr(e.name_key, ?) > 0)",
        );
        args.push(key(entity).into());
    }
    if let Some(tlp) = query.tlp {
        filters.push_str(" AND r.tlp = ?");
        args.push(tlp.as_str().to_string().into());
    }
    if let Some(from) = query.from {
        filters.push_str(" AND r.published >= ?");
        args.push(format_date(from).into());
    }
    if let Some(to) = query.to {
        filters.push_str(" AND r.published <= ?");
        args.push(format_date(to).into());
    }
    (filters, args)
}

/// The statement listing the matching reports' `seq` in the query's order, with its limit.
fn listing_sql(query: &Query, fts: bool, filters: &str) -> String {
    let limit = query.limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
    let by_relevance = fts && matches!(query.sort, Sort::Auto | Sort::Relevance);
    if by_relevance {
        // The window is chosen by rowid (newest first), which FTS5 walks without ranking.
        // `+rowid IN` keeps SQLite from running the MATCH once per listed rowid.
        format!(
            "SELECT report_fts.rowid FROM report_fts JOIN reports r ON r.seq = report_fts.rowid \
             WHERE report_fts MATCH ?1 AND +report_fts.rowid IN (\
               SELECT f.rowid FROM report_fts f JOIN reports r ON r.seq = f.rowid \
               WHERE f.report_fts MATCH ?1{filters} ORDER BY f.rowid DESC LIMIT {RANK_WINDOW}) \
             ORDER BY report_fts.rank, r.updated DESC{limit}"
        )
    } else {
        let order = match query.sort {
            Sort::Auto | Sort::Relevance | Sort::Updated => "r.updated DESC, r.seq DESC",
            Sort::Created => "r.created DESC, r.seq DESC",
            Sort::Published => "r.published IS NULL, r.published DESC, r.seq DESC",
            Sort::Title => "r.title COLLATE NOCASE, r.seq",
            Sort::Number => "r.year DESC, r.serial DESC",
        };
        let from = if fts {
            "report_fts JOIN reports r ON r.seq = report_fts.rowid WHERE report_fts MATCH ?1"
        } else {
            "reports r WHERE 1"
        };
        format!("SELECT r.seq FROM {from}{filters} ORDER BY {order}{limit}")
    }
}

/// Snippets for the first [`SNIPPETS`] of the reports `seqs`, made in one pass over the
/// full-text index.
fn snippets(conn: &Connection, fts: &str, seqs: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
    let mut snippets = HashMap::new();
    let first: Vec<i64> = seqs.iter().copied().take(SNIPPETS).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, snippet(report_fts, -1, '', '', '…', ?3) FROM report_fts \
         WHERE report_fts MATCH ?1 AND +rowid IN (SELECT value FROM json_each(?2))",
    )?;
    // A token is a word, or one character of a script written without spaces: about as much
    // text either way.
    let tokens = if fts.chars().any(unspaced) { 30 } else { 12 };
    let rows = stmt.query_map(params![fts, serde_json::to_string(&first).expect("ids serialise"), tokens], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (seq, snippet) = row?;
        snippets.insert(seq, snippet.replace(SEGMENT, ""));
    }
    Ok(snippets)
}

/// The summaries of the reports `seqs`, in that order, each with its snippet if it has one.
fn summaries(
    conn: &Connection,
    seqs: Vec<i64>,
    mut snippets: HashMap<i64, String>,
) -> Result<Vec<Summary>, StoreError> {
    let mut row = conn.prepare_cached(
        "SELECT id, number, title, status, tlp, published, created, updated, revision FROM reports WHERE seq = ?1",
    )?;
    let mut tags = conn.prepare_cached("SELECT tag FROM report_tags WHERE report_seq = ?1 ORDER BY position")?;
    let mut out = Vec::with_capacity(seqs.len());
    for seq in seqs {
        let raw = row.query_row([seq], |r| {
            Ok(RawSummary {
                id: r.get(0)?,
                number: r.get(1)?,
                title: r.get(2)?,
                status: r.get(3)?,
                tlp: r.get(4)?,
                published: r.get(5)?,
                created: r.get(6)?,
                updated: r.get(7)?,
                revision: r.get(8)?,
            })
        })?;
        let row_tags: Vec<String> = tags.query_map([seq], |r| r.get(0))?.collect::<Result<_, _>>()?;
        out.push(raw.into_summary(row_tags, snippets.remove(&seq))?);
    }
    Ok(out)
}

/// A summary's columns as stored, before they are checked and parsed.
struct RawSummary {
    id: String,
    number: String,
    title: String,
    status: String,
    tlp: String,
    published: Option<String>,
    created: String,
    updated: String,
    revision: u32,
}

impl RawSummary {
    fn into_summary(self, tags: Vec<String>, snippet: Option<String>) -> Result<Summary, StoreError> {
        let bad = |message: String| StoreError::BadContent { number: self.number.clone(), message };
        Ok(Summary {
            id: parse_uuid(&self.id)?,
            status: parse_status(&self.number, &self.status)?,
            tlp: self.tlp.parse::<Tlp>().map_err(bad)?,
            published: match &self.published {
                Some(d) => Some(time::Date::parse(d, crate::model::opt_date::FORMAT).map_err(|e| bad(e.to_string()))?),
                None => None,
            },
            created: parse_time(&self.number, &self.created)?,
            updated: parse_time(&self.number, &self.updated)?,
            revision: self.revision,
            tags,
            snippet,
            title: self.title,
            number: self.number,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{fts_query, index_text};

    #[test]
    fn unspaced_scripts_are_segmented_into_characters() {
        assert_eq!(index_text("Canal drought"), "Canal drought");
        assert!(matches!(index_text("Canal drought"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(index_text("Xi 习近平, 2026"), "Xi \u{200B}习\u{200B}近\u{200B}平\u{200B}, 2026");
        // Thai marks stay with their letter: ที่ is one cluster.
        assert_eq!(index_text("ที่ประ"), "ที่\u{200B}ป\u{200B}ร\u{200B}ะ");
        assert_eq!(fts_query("习近平"), Some("\"习\u{200B}近\u{200B}平\"*".into()));
    }

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
