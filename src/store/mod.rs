//! The library: reports, their revisions and full-text search, in SQLite.
//!
//! Invariants:
//! - Every write runs in one IMMEDIATE transaction: it happens whole or not at all.
//! - Every save adds a revision; the report row mirrors its newest revision.
//! - A save names the revision it edited; a save based on an older one is refused
//!   ([`StoreError::Stale`]) instead of overwriting someone else's work.
//! - The clock and ids come from [`Env`], never from the system directly.
//!
//! rusqlite is blocking: async callers run these methods on a blocking thread.

mod attachments;
mod exports;
mod schema;
pub mod search;

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::env::Env;
use crate::model::{Report, Status, StoredReport, Tlp};
use crate::paths::DataDir;

pub use attachments::image_references_in;
pub use exports::SignedExport;
pub use schema::current_version as schema_version;
pub use search::{Query, Sort, Summary};

/// Search results beyond this many come without a snippet.
pub const SNIPPETS: usize = 200;

/// Ranking by relevance considers the newest this-many matching reports. A word
/// found in more reports than this matches too broadly for its rank to say much,
/// and ranking them all would make typing in the search box sluggish.
pub const RANK_WINDOW: usize = 1000;

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use the data folder {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("the library was created by a newer version of Briefwright (schema {found}; this version knows up to {known}); update Briefwright to open it")]
    TooNew { found: i64, known: i64 },
    #[error("the database file is not a Briefwright library")]
    Foreign,
    #[error("the library database is damaged or is not a database file ({})", one_line(.0))]
    Corrupt(String),
    #[error("the library is read-only here ({0}); nothing was changed")]
    ReadOnly(String),
    #[error("cannot open the library database file ({0})")]
    CannotOpen(String),
    #[error("the library database file {} is empty (0 bytes): it was probably cut short by a failing disk or an interrupted copy; restore a backup, or move the file away to start a new library", path.display())]
    Empty { path: PathBuf },
    #[error("the disk is full; nothing was changed")]
    DiskFull,
    #[error("the library stayed busy with another Briefwright process for {}s; try again", BUSY_TIMEOUT.as_secs())]
    Busy,
    #[error("no report matches '{0}'")]
    NotFound(String),
    #[error("'{0}' matches more than one report; give more of its id or its number")]
    Ambiguous(String),
    #[error("report {number} was changed elsewhere since this edit began (it is at revision {current}, the edit was based on revision {base}); reload it and apply the edit again")]
    Stale { number: String, current: u32, base: u32 },
    #[error("report {number} has no revision {revision}")]
    NoRevision { number: String, revision: u32 },
    #[error("the stored content of report {number} could not be read: {message}")]
    BadContent { number: String, message: String },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// A stable code for the UI and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::DataDir { .. } => "data_dir",
            StoreError::TooNew { .. } => "library_too_new",
            StoreError::Foreign => "not_a_library",
            StoreError::Corrupt(_) => "library_corrupt",
            StoreError::Empty { .. } => "library_empty",
            StoreError::ReadOnly(_) => "read_only",
            StoreError::CannotOpen(_) => "cannot_open",
            StoreError::DiskFull => "disk_full",
            StoreError::Busy => "busy",
            StoreError::NotFound(_) => "not_found",
            StoreError::Ambiguous(_) => "ambiguous",
            StoreError::Stale { .. } => "stale",
            StoreError::NoRevision { .. } => "no_revision",
            StoreError::BadContent { .. } => "bad_content",
            StoreError::Sqlite(_) => "database",
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(e.to_string()),
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) => StoreError::ReadOnly(e.to_string()),
            Some(ErrorCode::CannotOpen) => StoreError::CannotOpen(e.to_string()),
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            // The journal's index (-shm) could not grow: no space left for it.
            Some(ErrorCode::SystemIoFailure) if extended_code(&e) == Some(rusqlite::ffi::SQLITE_IOERR_SHMSIZE) => {
                StoreError::DiskFull
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

fn extended_code(e: &rusqlite::Error) -> Option<std::os::raw::c_int> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.extended_code),
        _ => None,
    }
}

/// SQLite's multi-line reports (`integrity_check`) as one line, for a one-sentence message.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One entry of a report's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RevisionInfo {
    pub revision: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub saved: OffsetDateTime,
    pub status: Status,
    /// Why it was made: "created", "imported", "restored revision 2", or empty for an edit.
    pub note: String,
    pub title: String,
}

/// An open library.
pub struct Store {
    conn: Connection,
    env: Env,
    dir: DataDir,
    /// Why the library was opened for reading only, if it was.
    read_only: Option<ReadOnlyCause>,
}

/// Why a library could only be opened for reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadOnlyCause {
    /// The folder or the file cannot be written (permissions, a read-only mount).
    Permissions,
    /// The disk is full: not even the journal's index (-shm) could be made.
    DiskFull,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating when missing) the library in `dir` and brings its schema up to date.
    ///
    /// - A missing library is created whole in a temporary file and then linked into place,
    ///   so a crash while creating never leaves an empty or half-made `library.sqlite3`.
    /// - An existing file is checked (a database, a Briefwright library, not from a newer
    ///   version, not empty) before anything is written to it: a file that is refused is
    ///   left exactly as it was.
    /// - A library that cannot be written here (a read-only folder or file) is opened for
    ///   reading; every write then fails with [`StoreError::ReadOnly`] and changes nothing.
    pub fn open(dir: &DataDir, env: Env) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir.root())
            .map_err(|source| StoreError::DataDir { path: dir.root().to_path_buf(), source })?;
        let path = dir.database();
        match std::fs::metadata(&path) {
            Ok(m) if !m.is_file() => {
                return Err(StoreError::CannotOpen(format!("{} is not a file", path.display())));
            }
            Ok(m) if m.len() == 0 => return Err(StoreError::Empty { path }),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_library(dir)?,
            Err(e) => return Err(StoreError::CannotOpen(format!("{}: {e}", path.display()))),
        }
        let (mut conn, read_only) = connect(&path)?;
        let found = check_file(&conn)?;
        if let Some(cause) = read_only {
            if found < schema::current_version() {
                return Err(match cause {
                    ReadOnlyCause::DiskFull => StoreError::DiskFull,
                    ReadOnlyCause::Permissions => StoreError::ReadOnly(format!(
                        "{} cannot be written, and the library needs an upgrade first",
                        dir.root().display()
                    )),
                });
            }
            conn.pragma_update(None, "foreign_keys", true)?;
        } else {
            configure(&conn)?;
            schema::migrate(&mut conn)?;
        }
        Ok(Store { conn, env, dir: dir.clone(), read_only })
    }

    /// Whether the library was opened for reading only (see [`Store::open`]).
    pub fn read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// Begins a write transaction. IMMEDIATE: the write lock is taken (waiting up to
    /// [`BUSY_TIMEOUT`] for other processes) before anything is read, so a transaction
    /// never has to upgrade a read lock, which SQLite refuses at once as busy.
    fn write_tx(&mut self) -> Result<Transaction<'_>, StoreError> {
        self.check_writable()?;
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// [`StoreError::ReadOnly`] when the library was opened for reading only: lets a caller
    /// refuse a write before doing any work for it (writing image files, say).
    pub fn check_writable(&self) -> Result<(), StoreError> {
        match self.read_only {
            None => Ok(()),
            Some(ReadOnlyCause::DiskFull) => Err(StoreError::DiskFull),
            Some(ReadOnlyCause::Permissions) => {
                Err(StoreError::ReadOnly(format!("{} cannot be written", self.dir.root().display())))
            }
        }
    }

    pub fn data_dir(&self) -> &DataDir {
        &self.dir
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The underlying connection, for checks (integrity, tests). Writes go through the methods.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Adds a new report (revision 1).
    pub fn create(&mut self, report: Report, note: &str) -> Result<StoredReport, StoreError> {
        let mut created = self.create_all(vec![report], note)?;
        Ok(created.remove(0))
    }

    /// Adds several new reports in one transaction: all of them or none.
    pub fn create_all(&mut self, reports: Vec<Report>, note: &str) -> Result<Vec<StoredReport>, StoreError> {
        let now = self.env.clock.now();
        let env = self.env.clone();
        let tx = self.write_tx()?;
        let mut out = Vec::with_capacity(reports.len());
        for report in reports {
            let id = env.ids.new_id();
            let stored = insert_new(&tx, id, report, Status::Draft, now, note)?;
            out.push(stored);
        }
        tx.commit()?;
        Ok(out)
    }

    /// Finds a report by UUID, number (BW-2026-0042) or a unique UUID prefix of 4+ characters.
    pub fn resolve(&self, key: &str) -> Result<Uuid, StoreError> {
        let k = key.trim();
        if let Ok(id) = Uuid::parse_str(k) {
            let found: Option<String> = self
                .conn
                .query_row("SELECT id FROM reports WHERE id = ?1", [id.to_string()], |r| r.get(0))
                .optional()?;
            return found.map(|_| id).ok_or_else(|| StoreError::NotFound(k.to_string()));
        }
        let number: Option<String> = self
            .conn
            .query_row("SELECT id FROM reports WHERE number = ?1 COLLATE NOCASE", [k], |r| r.get(0))
            .optional()?;
        if let Some(id) = number {
            return parse_uuid(&id);
        }
        let hex = k.to_ascii_lowercase();
        if hex.len() >= 4 && hex.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let mut stmt = self.conn.prepare("SELECT id FROM reports WHERE id LIKE ?1 || '%' LIMIT 2")?;
            let ids: Vec<String> = stmt.query_map([&hex], |r| r.get(0))?.collect::<Result<_, _>>()?;
            return match ids.as_slice() {
                [one] => parse_uuid(one),
                [] => Err(StoreError::NotFound(k.to_string())),
                _ => Err(StoreError::Ambiguous(k.to_string())),
            };
        }
        Err(StoreError::NotFound(k.to_string()))
    }

    /// The current state of a report.
    pub fn get(&self, id: Uuid) -> Result<StoredReport, StoreError> {
        get(&self.conn, id)
    }

    /// Saves an edit made on revision `base`. Refused when the report has moved on
    /// since; returns the report unchanged (no new revision) when nothing changed.
    pub fn save(&mut self, id: Uuid, base: u32, report: Report) -> Result<StoredReport, StoreError> {
        self.write_revision(id, base, |current| (report, current.status, String::new()))
    }

    /// Changes the workflow status (a new revision).
    pub fn set_status(&mut self, id: Uuid, base: u32, status: Status) -> Result<StoredReport, StoreError> {
        self.write_revision(id, base, |current| (current.report.clone(), status, format!("status {}", status.as_str())))
    }

    /// The history of a report, newest first.
    pub fn revisions(&self, id: Uuid) -> Result<Vec<RevisionInfo>, StoreError> {
        let seq = seq_of(&self.conn, id)?;
        let mut stmt = self.conn.prepare(
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
        let number = number_of(&self.conn, seq)?;
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

    /// The content of one revision.
    pub fn revision(&self, id: Uuid, revision: u32) -> Result<Report, StoreError> {
        let seq = seq_of(&self.conn, id)?;
        let number = number_of(&self.conn, seq)?;
        let content: Option<String> = self
            .conn
            .query_row(
                "SELECT content FROM revisions WHERE report_seq = ?1 AND revision = ?2",
                params![seq, revision],
                |r| r.get(0),
            )
            .optional()?;
        let content = content.ok_or(StoreError::NoRevision { number: number.clone(), revision })?;
        decode_report(&number, &content)
    }

    /// Makes an older revision's content current again, as a new revision (history is kept).
    pub fn restore(&mut self, id: Uuid, revision: u32, base: u32) -> Result<StoredReport, StoreError> {
        let old = self.revision(id, revision)?;
        self.write_revision(id, base, |current| (old, current.status, format!("restored revision {revision}")))
    }

    /// A new draft report with the same content ("(copy)" added to its title).
    pub fn duplicate(&mut self, id: Uuid) -> Result<StoredReport, StoreError> {
        let mut report = self.get(id)?.report;
        let title = report.display_title().to_string();
        report.title = format!("{title} (copy)");
        let number = number_of(&self.conn, seq_of(&self.conn, id)?)?;
        self.create(report, &format!("duplicated from {number}"))
    }

    /// Deletes a report with its history.
    pub fn delete(&mut self, id: Uuid) -> Result<StoredReport, StoreError> {
        let tx = self.write_tx()?;
        let stored = get(&tx, id)?;
        let seq = seq_of(&tx, id)?;
        tx.execute("DELETE FROM report_fts WHERE rowid = ?1", [seq])?;
        tx.execute("DELETE FROM reports WHERE seq = ?1", [seq])?;
        tx.commit()?;
        Ok(stored)
    }

    /// Reports matching a query (see [`Query`]).
    ///
    /// Three cheap steps instead of one expensive query, so that a word found in
    /// every report of a large library still answers quickly:
    /// 1. find the matching reports (filters applied) and put them in order — when
    ///    ranking by relevance, only the newest [`RANK_WINDOW`] matches are ranked;
    /// 2. read the rows returned;
    /// 3. make snippets for them in one pass over the full-text index.
    pub fn search(&self, query: &Query) -> Result<Vec<Summary>, StoreError> {
        let fts = search::fts_query(&query.text);
        let mut filters = String::new();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(fts) = &fts {
            args.push(fts.clone().into());
        }
        if let Some(tag) = query.tag.as_deref().filter(|t| !t.trim().is_empty()) {
            filters.push_str(" AND EXISTS (SELECT 1 FROM report_tags t WHERE t.report_seq = r.seq AND t.tag_key = ?)");
            args.push(search::key(tag).into());
        }
        if let Some(entity) = query.entity.as_deref().filter(|t| !t.trim().is_empty()) {
            filters.push_str(
                " AND EXISTS (SELECT 1 FROM report_entities e WHERE e.report_seq = r.seq AND instr(e.name_key, ?) > 0)",
            );
            args.push(search::key(entity).into());
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
        let limit = query.limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
        let by_relevance = fts.is_some() && matches!(query.sort, Sort::Auto | Sort::Relevance);
        let sql = if by_relevance {
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
            let from = if fts.is_some() {
                "report_fts JOIN reports r ON r.seq = report_fts.rowid WHERE report_fts MATCH ?1"
            } else {
                "reports r WHERE 1"
            };
            format!("SELECT r.seq FROM {from}{filters} ORDER BY {order}{limit}")
        };
        let seqs: Vec<i64> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
            .collect::<Result<_, _>>()?;

        let mut snippets = std::collections::HashMap::new();
        if let Some(fts) = &fts {
            let first: Vec<i64> = seqs.iter().copied().take(SNIPPETS).collect();
            let mut stmt = self.conn.prepare_cached(
                "SELECT rowid, snippet(report_fts, -1, '', '', '…', 12) FROM report_fts \
                 WHERE report_fts MATCH ?1 AND +rowid IN (SELECT value FROM json_each(?2))",
            )?;
            let rows = stmt.query_map(params![fts, serde_json::to_string(&first).expect("ids serialise")], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (seq, snippet) = row?;
                snippets.insert(seq, snippet);
            }
        }

        let mut row = self.conn.prepare_cached(
            "SELECT id, number, title, status, tlp, published, created, updated, revision FROM reports WHERE seq = ?1",
        )?;
        let mut tags =
            self.conn.prepare_cached("SELECT tag FROM report_tags WHERE report_seq = ?1 ORDER BY position")?;
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

    /// Every distinct tag in the library with how many reports carry it, most used first.
    pub fn tags(&self) -> Result<Vec<(String, u32)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT min(tag), count(DISTINCT report_seq) AS n FROM report_tags GROUP BY tag_key ORDER BY n DESC, tag_key",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The number of reports in the library.
    pub fn count(&self) -> Result<u64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))?)
    }

    /// Runs SQLite's integrity and foreign-key checks; `Ok(())` when both are clean.
    pub fn check(&self) -> Result<(), StoreError> {
        let integrity: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            return Err(StoreError::Corrupt(integrity));
        }
        let fk: Option<String> = self.conn.query_row("PRAGMA foreign_key_check", [], |r| r.get(0)).optional()?;
        if let Some(table) = fk {
            return Err(StoreError::Corrupt(format!("foreign key violation in {table}")));
        }
        Ok(())
    }

    fn write_revision(
        &mut self,
        id: Uuid,
        base: u32,
        change: impl FnOnce(&StoredReport) -> (Report, Status, String),
    ) -> Result<StoredReport, StoreError> {
        let now = self.env.clock.now();
        let tx = self.write_tx()?;
        let current = get(&tx, id)?;
        if current.revision != base {
            return Err(StoreError::Stale { number: current.number, current: current.revision, base });
        }
        let (report, status, note) = change(&current);
        if report == current.report && status == current.status {
            return Ok(current);
        }
        let seq = seq_of(&tx, id)?;
        let next = StoredReport { revision: current.revision + 1, updated: now, status, report, ..current };
        write_row(&tx, seq, &next, false)?;
        insert_revision(&tx, seq, &next, &note)?;
        tx.commit()?;
        Ok(next)
    }
}

/// Creates a new, empty library: built in a temporary file next to it, then linked into
/// place only when complete. Another process creating the same library at the same time
/// is not an error: the first link wins and both use that library.
fn create_library(dir: &DataDir) -> Result<(), StoreError> {
    let path = dir.database();
    let tmp = crate::fsutil::temp_sibling(dir.root(), "library.sqlite3", "new");
    let data_dir_err = |source| StoreError::DataDir { path: dir.root().to_path_buf(), source };
    let built = (|| {
        let mut conn = Connection::open_with_flags(
            &tmp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        schema::migrate(&mut conn)?;
        // Everything into the main file: closing the last connection removes the -wal and -shm.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        conn.close().map_err(|(_, e)| StoreError::from(e))
    })();
    let linked = built.and_then(|()| match std::fs::hard_link(&tmp, &path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(data_dir_err(e)),
    });
    for leftover in [tmp.clone(), with_suffix(&tmp, "-wal"), with_suffix(&tmp, "-shm")] {
        let _ = std::fs::remove_file(leftover);
    }
    linked?;
    crate::fsutil::sync_dir(dir.root()).map_err(data_dir_err)
}

fn with_suffix(path: &std::path::Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Opens the database file for reading and writing when possible, else for reading only;
/// returns why it is read-only, if it is. Never creates the file.
fn connect(path: &std::path::Path) -> Result<(Connection, Option<ReadOnlyCause>), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let cause = loop {
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // SQLite opens a write-protected file read-only by itself; a read-only folder shows
        // only on the first read, when the WAL index (-shm) cannot be created.
        let probe: Result<i64, _> = conn.pragma_query_value(None, "user_version", |r| r.get(0));
        let writable = !conn.is_readonly(rusqlite::MAIN_DB)?;
        let (cause, error) = match probe {
            Ok(_) if writable => return Ok((conn, None)),
            Ok(_) => (ReadOnlyCause::Permissions, None),
            Err(e) => match StoreError::from(e) {
                e @ (StoreError::ReadOnly(_) | StoreError::CannotOpen(_)) => (ReadOnlyCause::Permissions, Some(e)),
                StoreError::DiskFull => break ReadOnlyCause::DiskFull,
                other => return Err(other),
            },
        };
        // The same errors come and go while another process closes the library (it removes
        // the -wal and -shm): read-only only when the file or its folder really cannot be written.
        if !writable_here(path) {
            break cause;
        }
        if std::time::Instant::now() >= deadline {
            return Err(error.unwrap_or(StoreError::Busy));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Read-only. Changes still in the journal (-wal) need its index; without pending
    // changes the file alone is the whole library and can be read as immutable.
    let ro = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(format!("{}?mode=ro", file_uri(path)), ro)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).is_ok() {
        return Ok((conn, Some(cause)));
    }
    drop(conn);
    let wal = std::fs::metadata(with_suffix(path, "-wal")).map(|m| m.len()).unwrap_or(0);
    if wal > 0 {
        return Err(match cause {
            ReadOnlyCause::DiskFull => StoreError::DiskFull,
            ReadOnlyCause::Permissions => StoreError::ReadOnly(format!(
                "{} cannot be written, and it holds recent changes that can only be read where it can",
                path.display()
            )),
        });
    }
    let conn = Connection::open_with_flags(format!("{}?immutable=1", file_uri(path)), ro)?;
    Ok((conn, Some(cause)))
}

/// Whether this process may write the database file and create files beside it.
fn writable_here(path: &std::path::Path) -> bool {
    if std::fs::OpenOptions::new().append(true).open(path).is_err() {
        return false;
    }
    let Some(dir) = path.parent() else { return false };
    let probe = crate::fsutil::temp_sibling(dir, "library.sqlite3", "probe");
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// A `file:` URI for SQLite naming a path (only `/` and unreserved bytes left as they are).
fn file_uri(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    #[cfg(windows)]
    let text = format!("/{}", text.replace('\\', "/"));
    let mut uri = String::from("file:");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// Checks, by reading only, that the file is a Briefwright library this version can use;
/// returns its schema version. A refused file has not been written to.
fn check_file(conn: &Connection) -> Result<i64, StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let app: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if found > schema::current_version() && app == schema::APPLICATION_ID {
        return Err(StoreError::TooNew { found, known: schema::current_version() });
    }
    if found == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 || app != 0 {
            return Err(StoreError::Foreign);
        }
    } else if app != schema::APPLICATION_ID {
        return Err(StoreError::Foreign);
    }
    Ok(found)
}

/// Connection settings every connection that writes needs (the app and the CLI share a library).
fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The journal mode is persistent: this changes a library only once, when it is created.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "the library is not in WAL mode");
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    // FULL: a save acknowledged to the analyst survives a power cut, not only a crash.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

fn insert_new(
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
    let stored = StoredReport {
        id,
        number: format!("BW-{year}-{serial:04}"),
        status,
        revision: 1,
        created: now,
        updated: now,
        report,
    };
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
fn write_row(tx: &Transaction<'_>, seq: i64, s: &StoredReport, new: bool) -> Result<(), StoreError> {
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
    let f = s.report.search_fields();
    tx.prepare_cached(
        "INSERT INTO report_fts (rowid, title, source, bluf, analysis, implications, recommendations, entities, tags, captions, notes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        seq,
        f.title,
        f.source,
        f.bluf,
        f.analysis,
        f.implications,
        f.recommendations,
        f.entities,
        f.tags,
        f.captions,
        f.notes
    ])?;
    Ok(())
}

fn insert_revision(tx: &Transaction<'_>, seq: i64, s: &StoredReport, note: &str) -> Result<(), StoreError> {
    let content = serde_json::to_string(&s.report).expect("a report always serialises");
    tx.execute(
        "INSERT INTO revisions (report_seq, revision, saved, status, note, content) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![seq, s.revision, format_time(s.updated), s.status.as_str(), note, content],
    )?;
    Ok(())
}

fn get(conn: &Connection, id: Uuid) -> Result<StoredReport, StoreError> {
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

fn seq_of(conn: &Connection, id: Uuid) -> Result<i64, StoreError> {
    conn.query_row("SELECT seq FROM reports WHERE id = ?1", [id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))
}

fn number_of(conn: &Connection, seq: i64) -> Result<String, StoreError> {
    Ok(conn.query_row("SELECT number FROM reports WHERE seq = ?1", [seq], |r| r.get(0))?)
}

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

fn decode_report(number: &str, content: &str) -> Result<Report, StoreError> {
    serde_json::from_str(content)
        .map_err(|e| StoreError::BadContent { number: number.to_string(), message: e.to_string() })
}

fn parse_status(number: &str, s: &str) -> Result<Status, StoreError> {
    s.parse().map_err(|message| StoreError::BadContent { number: number.to_string(), message })
}

fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::BadContent { number: s.to_string(), message: e.to_string() })
}

fn format_time(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).expect("RFC 3339 formats any UTC time")
}

fn parse_time(number: &str, s: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|e| StoreError::BadContent { number: number.to_string(), message: e.to_string() })
}

fn format_date(d: time::Date) -> String {
    d.format(crate::model::opt_date::FORMAT).expect("a date always formats")
}

#[cfg(test)]
mod tests;
