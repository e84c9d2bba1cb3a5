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
//!
//! [`Store`] and its operations are here; `open` opens and creates the database file,
//! `rows` writes and reads report rows and revisions, `search` runs queries, and
//! `error` holds [`StoreError`].

mod attachments;
mod error;
mod exports;
mod open;
mod rows;
mod schema;
pub mod search;

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

use crate::env::Env;
use crate::model::{Report, Status, StoredReport};
use crate::paths::DataDir;
use open::ReadOnlyCause;
use rows::{get, insert_new, insert_revision, number_of, parse_uuid, seq_of, write_row};

pub use attachments::image_references_in;
pub use error::StoreError;
pub use exports::SignedExport;
pub use rows::RevisionInfo;
pub use schema::current_version as schema_version;
pub use search::{Query, Sort, Summary, TagCount, RANK_WINDOW, SNIPPETS};

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An open library.
pub struct Store {
    conn: Connection,
    env: Env,
    dir: DataDir,
    /// Why the library was opened for reading only, if it was.
    read_only: Option<ReadOnlyCause>,
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
        let (conn, read_only) = open::open_library(dir)?;
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
        rows::history(&self.conn, id)
    }

    /// The content of one revision.
    pub fn revision(&self, id: Uuid, revision: u32) -> Result<Report, StoreError> {
        rows::revision_content(&self.conn, id, revision)
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
        search::search(&self.conn, query)
    }

    /// Every distinct tag in the library with how many reports carry it, most used first.
    pub fn tags(&self) -> Result<Vec<TagCount>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT min(tag), count(DISTINCT report_seq) AS n FROM report_tags GROUP BY tag_key ORDER BY n DESC, tag_key",
        )?;
        let rows = stmt.query_map([], |r| Ok(TagCount { tag: r.get(0)?, count: r.get(1)? }))?;
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

#[cfg(test)]
mod tests;
