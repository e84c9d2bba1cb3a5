//! Backup and restore of the whole library as one `.tar.gz` archive.
//!
//! The archive holds what the data folder holds — `library.sqlite3`, `images/<sha256>.jpg|png`,
//! `identities/` (keys stay encrypted), `trust/`, `settings.json`, `branding/` — and, last,
//! `briefwright-backup.json`: the format, the time, the app and schema versions, counts and the
//! size and SHA-256 of every other entry. Thumbnails are left out (they are made again on demand).
//!
//! Invariants:
//! - The database is copied with SQLite's online backup API in one step from a read
//!   transaction: a backup taken while another process saves is a consistent snapshot.
//! - The archive is written to a temporary file beside the target, synced, then renamed:
//!   a failed backup leaves no file and never a half-written one.
//! - A restore checks every entry (a plain file at a path Briefwright writes, within its size
//!   limit, matching the manifest's checksum) and the restored database (integrity) in a staging
//!   folder beside the data folder before anything in the data folder changes. A library already
//!   there is refused unless replacing was asked for, and then it is moved aside
//!   (`<data folder>.before-restore-<time>`), never deleted.
//!
//! `write` makes an archive; `extract` reads one into a staging folder, checking each entry,
//! and `restore` puts that folder in place; `manifest` holds the manifest, the archive's
//! layout and the checks against it; `temp` the temporary files and folders beside a target.

mod extract;
mod manifest;
mod restore;
mod temp;
mod write;

use crate::error::ErrorCode;
use std::io;
use std::path::PathBuf;

use serde::Serialize;
use time::OffsetDateTime;

use crate::store::StoreError;

pub use manifest::{Counts, FileEntry, Manifest};
pub use restore::restore;
pub use write::backup;

/// The manifest's `format`.
pub const FORMAT: &str = "briefwright-backup";
/// The archive layout this version writes and reads.
pub const VERSION: u32 = 1;
/// The manifest's name in the archive (its last entry).
pub const MANIFEST: &str = "briefwright-backup.json";

const DATABASE: &str = "library.sqlite3";
const SETTINGS: &str = "settings.json";

/// The largest database a restore accepts.
pub const MAX_DATABASE_BYTES: u64 = 16 << 30;
/// The largest key, certificate, settings or manifest file a restore accepts.
pub const MAX_SMALL_FILE_BYTES: u64 = 1 << 20;
/// The largest manifest a restore reads (it lists every image).
pub const MAX_MANIFEST_BYTES: u64 = 64 << 20;
/// The most entries an archive may hold.
pub const MAX_ENTRIES: usize = 1_000_000;

/// Why a backup or a restore failed. Every variant has a stable [`BackupError::code`].
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no library in {} to back up", path.display())]
    NoLibrary { path: PathBuf },
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the backed-up library does not open: {0}")]
    Restored(StoreError),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{} is not a Briefwright backup ({why}); nothing was changed", path.display())]
    NotABackup { path: PathBuf, why: String },
    #[error("the backup was made by a newer Briefwright (backup format {found}; this version reads {VERSION}); update Briefwright to restore it")]
    UnknownVersion { found: u64 },
    #[error("the backup holds a library from a newer Briefwright (schema {found}; this version knows up to {known}); update Briefwright to restore it")]
    TooNew { found: i64, known: i64 },
    #[error("the backup is damaged ({0}); nothing was changed")]
    Damaged(String),
    #[error("the backup holds an entry Briefwright never writes ({0}); nothing was changed")]
    Unsafe(String),
    #[error("{path} is too large to be part of a library ({size} bytes, at most {limit}); nothing was changed")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{} already holds a library; replace it (its contents are moved aside, not deleted) or restore into another folder", path.display())]
    NotEmpty { path: PathBuf },
    #[error("cannot restore into {}: it is not a folder path", path.display())]
    BadTarget { path: PathBuf },
    #[error("cannot write the backup to {}: it is inside the library folder; choose a place outside it", path.display())]
    InsideLibrary { path: PathBuf },
    #[error("cannot put the restored library in place at {}: {source}; nothing was changed", path.display())]
    Swap { path: PathBuf, source: io::Error },
}

impl BackupError {
    /// A stable code for the UI and scripts.
    pub fn code(&self) -> ErrorCode {
        match self {
            BackupError::NoLibrary { .. } => ErrorCode::NoLibrary,
            BackupError::Store(e) => e.code(),
            BackupError::Restored(_) => ErrorCode::BackupLibraryBroken,
            BackupError::Read { .. } => ErrorCode::Read,
            BackupError::Write { .. } => ErrorCode::Write,
            BackupError::NotABackup { .. } => ErrorCode::NotABackup,
            BackupError::UnknownVersion { .. } => ErrorCode::BackupVersion,
            BackupError::TooNew { .. } => ErrorCode::BackupTooNew,
            BackupError::Damaged(_) => ErrorCode::BackupDamaged,
            BackupError::Unsafe(_) => ErrorCode::BackupUnsafe,
            BackupError::TooLarge { .. } => ErrorCode::BackupTooLarge,
            BackupError::NotEmpty { .. } => ErrorCode::LibraryNotEmpty,
            BackupError::BadTarget { .. } => ErrorCode::BadTarget,
            BackupError::InsideLibrary { .. } => ErrorCode::InsideLibrary,
            BackupError::Swap { .. } => ErrorCode::RestoreSwap,
        }
    }
}

/// What [`backup`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupSummary {
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub path: PathBuf,
    /// The archive's size.
    pub bytes: u64,
    pub counts: Counts,
    /// Images some report or revision refers to that were not in the image folder (lower-case SHA-256).
    pub missing_images: Vec<String>,
}

/// What [`restore()`] put in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestoreSummary {
    pub counts: Counts,
    /// When the backup was made.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub created: OffsetDateTime,
    /// Where the data folder's previous contents went, if it had any.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub moved_aside: Option<PathBuf>,
}

#[cfg(test)]
mod tests;
