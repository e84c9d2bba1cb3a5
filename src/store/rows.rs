//! The rows of the library: writing a report's row with its derived tables (tags, entities,
//! full-text index) and its revisions, and reading them back into the model's types.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{search, StoreError};
use crate::model::{Report, Status, StoredReport};

/// One entry of a report's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevisionInfo {
    pub revision: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub saved: OffsetDateTime,
    pub status: Status,
    /// Why it was made: "created", "imported", "restored revision 2", or empty for an edit.
    pub note: String,
    pub title: String,
}

/// Adds a new report row (revision 1, numbered next in its year) with its first revision.
pub(super) fn insert_new(
    tx: &Transaction<'_>,
    id: Uuid,
    report: Report,
    status: Status,
    now: OffsetDateTime,
    note: &str,
) -> Result<StoredReport, StoreError> {
    let year = now.year();
    let serial: i64 =
        tx.query_row("SELECT coalesce(max(serial), 0) + 1 FROM reports WHERE year = ?1", [year], |r| r.get(0))?;
    let stored = StoredReport::first(id, serial, status, now, report);
    tx.execute(
        "INSERT INTO reports (id, number, year, serial, status, revision, created, updated, title, tlp, published, content) \
         VALUES (?1, ?2, ?3, ?4, 'draft', 1, ?5, ?5, '', '', NULL, '')",
        params![id.to_string(), stored.number, year, serial, format_time(now)],
    )?;
    let seq = tx.last_insert_rowid();
    write_row(tx, seq, &stored, true)?;
    insert_revision(tx, seq, &stored, note)?;
    Ok(stored)
}

/// Writes the report row and its derived tables (tags, entities, full-text index).
pub(super) fn write_row(tx: &Transaction<'_>, seq: i64, s: &StoredReport, new: bool) -> Result<(), StoreError> {
    let content = serde_json::to_string(&s.report).expect("a report always serialises");
    tx.execute(
        "UPDATE reports SET status = ?2, revision = ?3, updated = ?4, title = ?5, tlp = ?6, published = ?7, content = ?8 WHERE seq = ?1",
        params![
            seq,
            s.status.as_str(),
            s.revision,
            format_time(s.updated),
            s.report.display_title(),
            s.report.handling.tlp.as_str(),
            s.report.source.published.map(format_date),
            content
        ],
    )?;
    if !new {
        tx.execute("DELETE FROM report_tags WHERE report_seq = ?1", [seq])?;
        tx.execute("DELETE FROM report_entities WHERE report_seq = ?1", [seq])?;
        tx.execute("DELETE FROM report_fts WHERE rowid = ?1", [seq])?;
    }
    {
        let mut stmt =
            tx.prepare_cached("INSERT INTO report_tags (report_seq, position, tag, tag_key) VALUES (?1, ?2, ?3, ?4)")?;
        for (i, tag) in s.report.tags.iter().enumerate() {
            stmt.execute(params![seq, i as i64, tag, search::key(tag)])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO report_entities (report_seq, position, name, name_key, kind) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, e) in s.report.entities.iter().enumerate() {
            stmt.execute(params![seq, i as i64, e.name, search::key(&e.name), e.kind.as_str()])?;
        }
    }
    search::index(tx, seq, &s.report)
}

/// Adds the stored report's current state to its history.
pub(super) fn insert_revision(tx: &Transaction<'_>, seq: i64, s: &StoredReport, note: &str) -> Result<(), StoreError> {
    let content = serde_json::to_string(&s.report).expect("a report always serialises");
    tx.execute(
        "INSERT INTO revisions (report_seq, revision, saved, status, note, content) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![seq, s.revision, format_time(s.updated), s.status.as_str(), note, content],
    )?;
    Ok(())
}

/// The current state of the report `id`.
pub(super) fn get(conn: &Connection, id: Uuid) -> Result<StoredReport, StoreError> {
    let row = conn
        .query_row(
            "SELECT number, status, revision, created, updated, content FROM reports WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    let (number, status, revision, created, updated, content) =
        row.ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    Ok(StoredReport {
        id,
        status: parse_status(&number, &status)?,
        revision,
        created: parse_time(&number, &created)?,
        updated: parse_time(&number, &updated)?,
        report: decode_report(&number, &content)?,
        number,
    })
}

/// The row number of the report `id`.
pub(super) fn seq_of(conn: &Connection, id: Uuid) -> Result<i64, StoreError> {
    conn.query_row("SELECT seq FROM reports WHERE id = ?1", [id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))
}

/// The number (BW-2026-0042) of the report in row `seq`.
pub(super) fn number_of(conn: &Connection, seq: i64) -> Result<String, StoreError> {
    Ok(conn.query_row("SELECT number FROM reports WHERE seq = ?1", [seq], |r| r.get(0))?)
}

/// The history of the report `id`, newest first.
pub(super) fn history(conn: &Connection, id: Uuid) -> Result<Vec<RevisionInfo>, StoreError> {
    let seq = seq_of(conn, id)?;
    let mut stmt = conn.prepare(
        "SELECT revision, saved, status, note, content FROM revisions WHERE report_seq = ?1 ORDER BY revision DESC",
    )?;
    let rows = stmt.query_map([seq], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let number = number_of(conn, seq)?;
    let mut out = Vec::new();
    for row in rows {
        let (revision, saved, status, note, content) = row?;
        let report = decode_report(&number, &content)?;
        out.push(RevisionInfo {
            revision,
            saved: parse_time(&number, &saved)?,
            status: parse_status(&number, &status)?,
            note,
            title: report.display_title().to_string(),
        });
    }
    Ok(out)
}

/// The content of revision `revision` of the report `id`.
pub(super) fn revision_content(conn: &Connection, id: Uuid, revision: u32) -> Result<Report, StoreError> {
    let seq = seq_of(conn, id)?;
    let number = number_of(conn, seq)?;
    let content: Option<String> = conn
        .query_row(
            "SELECT content FROM revisions WHERE report_seq = ?1 AND revision = ?2",
            params![seq, revision],
            |r| r.get(0),
        )
        .optional()?;
    let content = content.ok_or(StoreError::NoRevision { number: number.clone(), revision })?;
    decode_report(&number, &content)
}

pub(super) fn decode_report(number: &str, content: &str) -> Result<Report, StoreError> {
    serde_json::from_str(content)
        .map_err(|e| StoreError::BadContent { number: number.to_string(), message: e.to_string() })
}

pub(super) fn parse_status(number: &str, s: &str) -> Result<Status, StoreError> {
    s.parse().map_err(|message| StoreError::BadContent { number: number.to_string(), message })
}

pub(super) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::BadContent { number: s.to_string(), message: e.to_string() })
}

pub(super) fn format_time(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).expect("RFC 3339 formats any UTC time")
}

pub(super) fn parse_time(number: &str, s: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|e| StoreError::BadContent { number: number.to_string(), message: e.to_string() })
}

pub(super) fn format_date(d: time::Date) -> String {
    d.format(crate::model::opt_date::FORMAT).expect("a date always formats")
}
