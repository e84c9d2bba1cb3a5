//! [`StoreError`]: everything that can go wrong with the library, each with a stable code,
//! and how SQLite's error codes map onto it.

use std::path::PathBuf;

use rusqlite::ErrorCode as Sqlite;

use crate::error::ErrorCode;

use super::BUSY_TIMEOUT;

/// Why a library operation failed. Every variant has a stable [`StoreError::code`].
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
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::DataDir { .. } => ErrorCode::DataDir,
            StoreError::TooNew { .. } => ErrorCode::LibraryTooNew,
            StoreError::Foreign => ErrorCode::NotALibrary,
            StoreError::Corrupt(_) => ErrorCode::LibraryCorrupt,
            StoreError::Empty { .. } => ErrorCode::LibraryEmpty,
            StoreError::ReadOnly(_) => ErrorCode::ReadOnly,
            StoreError::CannotOpen(_) => ErrorCode::CannotOpen,
            StoreError::DiskFull => ErrorCode::DiskFull,
            StoreError::Busy => ErrorCode::Busy,
            StoreError::NotFound(_) => ErrorCode::NotFound,
            StoreError::Ambiguous(_) => ErrorCode::Ambiguous,
            StoreError::Stale { .. } => ErrorCode::Stale,
            StoreError::NoRevision { .. } => ErrorCode::NoRevision,
            StoreError::BadContent { .. } => ErrorCode::BadContent,
            StoreError::Sqlite(_) => ErrorCode::Database,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(Sqlite::DatabaseBusy) | Some(Sqlite::DatabaseLocked) => StoreError::Busy,
            Some(Sqlite::NotADatabase) | Some(Sqlite::DatabaseCorrupt) => StoreError::Corrupt(e.to_string()),
            Some(Sqlite::ReadOnly) | Some(Sqlite::PermissionDenied) => StoreError::ReadOnly(e.to_string()),
            Some(Sqlite::CannotOpen) => StoreError::CannotOpen(e.to_string()),
            Some(Sqlite::DiskFull) => StoreError::DiskFull,
            // The journal's index (-shm) could not grow: no space left for it.
            Some(Sqlite::SystemIoFailure) if extended_code(&e) == Some(rusqlite::ffi::SQLITE_IOERR_SHMSIZE) => {
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
