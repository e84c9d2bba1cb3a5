//! The database schema as an ordered list of migrations.
//!
//! `PRAGMA user_version` holds the number of migrations applied. All pending
//! migrations run in one IMMEDIATE transaction together with the version bump, so
//! a database is always at exactly one known version, and a database newer than
//! this binary is refused instead of being misread.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::StoreError;

/// 'BWRT': marks a SQLite file as a Briefwright library.
pub const APPLICATION_ID: i32 = 0x4257_5254;

/// One step of the schema: SQL, then optionally Rust for what SQL cannot do (such as
/// reindexing with the Rust-side segmentation of [`super::search::index_text`]).
pub struct Migration {
    pub sql: &'static str,
    pub then: Option<RustStep>,
}

/// The Rust part of a migration, run in its transaction after its SQL.
pub type RustStep = fn(&Transaction<'_>) -> Result<(), StoreError>;

const fn sql(sql: &'static str) -> Migration {
    Migration { sql, then: None }
}

/// Migration N (1-based) brings the schema from version N-1 to N. Never edit a
/// released migration: append a new one.
pub const MIGRATIONS: &[Migration] = &[
    // 1: reports, revisions, tag and entity indexes, full-text search.
    sql(r#"
    CREATE TABLE reports (
        seq       INTEGER PRIMARY KEY,           -- also the rowid of report_fts
        id        TEXT NOT NULL UNIQUE,          -- UUID
        number    TEXT NOT NULL UNIQUE,          -- BW-2026-0042
        year      INTEGER NOT NULL,
        serial    INTEGER NOT NULL,
        status    TEXT NOT NULL CHECK (status IN ('draft', 'final', 'signed')),
        revision  INTEGER NOT NULL CHECK (revision >= 1),
        created   TEXT NOT NULL,                 -- RFC 3339, UTC
        updated   TEXT NOT NULL,
        title     TEXT NOT NULL,                 -- display title, for sorting
        tlp       TEXT NOT NULL,
        published TEXT,                          -- YYYY-MM-DD
        content   TEXT NOT NULL,                 -- the Report as JSON
        UNIQUE (year, serial)
    );
    CREATE INDEX reports_updated ON reports (updated);
    CREATE INDEX reports_published ON reports (published);

    CREATE TABLE revisions (
        report_seq INTEGER NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
        revision   INTEGER NOT NULL,
        saved      TEXT NOT NULL,
        status     TEXT NOT NULL,
        note       TEXT NOT NULL DEFAULT '',
        content    TEXT NOT NULL,
        PRIMARY KEY (report_seq, revision)
    ) WITHOUT ROWID;

    CREATE TABLE report_tags (
        report_seq INTEGER NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        tag        TEXT NOT NULL,
        tag_key    TEXT NOT NULL,                -- Unicode lower case, for filtering
        PRIMARY KEY (report_seq, position)
    ) WITHOUT ROWID;
    CREATE INDEX report_tags_key ON report_tags (tag_key);

    CREATE TABLE report_entities (
        report_seq INTEGER NOT NULL REFERENCES reports (seq) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        name       TEXT NOT NULL,
        name_key   TEXT NOT NULL,
        kind       TEXT NOT NULL,
        PRIMARY KEY (report_seq, position)
    ) WITHOUT ROWID;
    CREATE INDEX report_entities_key ON report_entities (name_key);

    CREATE VIRTUAL TABLE report_fts USING fts5 (
        title, source, bluf, analysis, implications, recommendations, entities, tags, captions, notes,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    -- Relevance: a hit in the title, entities or tags counts more than one in a long body.
    INSERT INTO report_fts (report_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 3.0, 1.0, 1.0, 1.0, 5.0, 5.0, 2.0, 1.0)');
    "#),
    // 2: signed exports — which revision of which report was signed, by whom, into which file.
    sql(r#"
    CREATE TABLE signed_exports (
        seq                 INTEGER PRIMARY KEY,
        report_id           TEXT NOT NULL,       -- UUID; kept when the report is deleted (an audit trail)
        report_revision     INTEGER NOT NULL CHECK (report_revision >= 1),
        file_sha256         TEXT NOT NULL CHECK (length(file_sha256) = 64),
        signer_name         TEXT NOT NULL,
        signer_fingerprint  TEXT NOT NULL CHECK (length(signer_fingerprint) = 64),
        signed              TEXT NOT NULL,       -- RFC 3339, UTC
        file_name           TEXT NOT NULL
    );
    CREATE INDEX signed_exports_report ON signed_exports (report_id, report_revision);
    CREATE INDEX signed_exports_file ON signed_exports (file_sha256);
    "#),
    // 3: names inside sentences of scripts written without spaces (CJK, Thai, Lao, Khmer,
    // Myanmar): the index is rebuilt with those scripts segmented into characters.
    Migration {
        sql: r#"
    DROP TABLE report_fts;
    CREATE VIRTUAL TABLE report_fts USING fts5 (
        title, source, bluf, analysis, implications, recommendations, entities, tags, captions, notes,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO report_fts (report_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 3.0, 1.0, 1.0, 1.0, 5.0, 5.0, 2.0, 1.0)');
    "#,
        then: Some(super::search::reindex_all),
    },
];

/// The schema version this binary writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to [`current_version`], or refuses a newer one.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found == current_version() {
        return check_application_id(conn);
    }
    if found > current_version() {
        return Err(StoreError::TooNew { found, known: current_version() });
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the write lock.
    let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > current_version() {
        return Err(StoreError::TooNew { found, known: current_version() });
    }
    if found == 0 {
        let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(StoreError::Foreign);
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    for migration in &MIGRATIONS[found as usize..] {
        tx.execute_batch(migration.sql)?;
        if let Some(then) = migration.then {
            then(&tx)?;
        }
    }
    tx.pragma_update(None, "user_version", current_version())?;
    tx.commit()?;
    check_application_id(conn)
}

fn check_application_id(conn: &Connection) -> Result<(), StoreError> {
    let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if id != APPLICATION_ID {
        return Err(StoreError::Foreign);
    }
    Ok(())
}
