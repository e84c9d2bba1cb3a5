//! Restoring a backup: the archive is read and checked into a staging folder beside the data
//! folder, the restored database is checked there, and only then is the staging folder renamed
//! into place, with what the data folder held moved aside.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::extract::extract;
use super::temp::{split, TempPath};
use super::{BackupError, RestoreSummary};
use crate::env::Env;
use crate::fsutil;
use crate::paths::DataDir;
use crate::store::{self, Store};

/// Restores the backup `archive` into `dir`. A library already in `dir` is refused unless
/// `replace`; then the folder is moved aside to `<dir>.before-restore-<time>` first.
pub fn restore(archive: &Path, dir: &DataDir, replace: bool, env: &Env) -> Result<RestoreSummary, BackupError> {
    let root = dir.root();
    let (parent, name) = split(root).ok_or_else(|| BackupError::BadTarget { path: root.to_path_buf() })?;
    // Refuse early, before reading a large archive for nothing (checked again before the swap).
    if !replace && holds_library(root)? {
        return Err(BackupError::NotEmpty { path: root.to_path_buf() });
    }
    fs::create_dir_all(&parent).map_err(|source| BackupError::Write { path: parent.clone(), source })?;
    let staging = TempPath::new(&parent, &name, "restoring");
    fs::create_dir(staging.path()).map_err(|source| BackupError::Write { path: staging.path().into(), source })?;

    let (manifest, mut counts) = extract(archive, staging.path())?;
    let store = Store::open(&DataDir::new(staging.path()), env.clone()).map_err(BackupError::Restored)?;
    store.check().map_err(BackupError::Restored)?;
    counts.reports = store.count().map_err(BackupError::Restored)?;
    drop(store);
    fsutil::sync_dir(staging.path()).map_err(|source| BackupError::Write { path: staging.path().into(), source })?;

    let moved_aside = swap(staging.path(), root, &parent, &name, replace, env)?;
    staging.keep();
    Ok(RestoreSummary { counts, created: manifest.created, moved_aside })
}

/// Whether the data folder holds anything a restore would lose: a report or signed-export
/// record, an image, an identity, a trusted certificate, settings or branding.
fn holds_library(root: &Path) -> Result<bool, BackupError> {
    match fs::symlink_metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(source) => return Err(BackupError::Read { path: root.to_path_buf(), source }),
        Ok(_) if !root.is_dir() => return Err(BackupError::BadTarget { path: root.to_path_buf() }),
        Ok(_) => {}
    }
    let dir = DataDir::new(root);
    if dir.settings().exists() {
        return Ok(true);
    }
    for folder in [dir.images(), dir.identities(), dir.trust(), dir.branding()] {
        if let Ok(mut entries) = fs::read_dir(&folder) {
            let has_file =
                entries.any(|e| e.map(|e| e.file_type().map(|t| !t.is_dir()).unwrap_or(true)).unwrap_or(true));
            if has_file {
                return Ok(true);
            }
        }
    }
    if !dir.database().exists() {
        return Ok(false);
    }
    // Anything that cannot be read counts as a library: never guess that data is not there.
    let count = || -> rusqlite::Result<i64> {
        let conn = Connection::open_with_flags(
            dir.database(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(store::BUSY_TIMEOUT)?;
        let reports: i64 = conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))?;
        let has_exports: Option<i64> =
            conn.query_row("SELECT 1 FROM sqlite_schema WHERE name = 'signed_exports'", [], |r| r.get(0)).optional()?;
        let exports: i64 = match has_exports {
            Some(_) => conn.query_row("SELECT count(*) FROM signed_exports", [], |r| r.get(0))?,
            None => 0,
        };
        Ok(reports + exports)
    };
    Ok(count().map(|n| n > 0).unwrap_or(true))
}

/// Puts the staged folder at `root`, moving what is there aside first. Returns where it went.
fn swap(
    staged: &Path,
    root: &Path,
    parent: &Path,
    name: &str,
    replace: bool,
    env: &Env,
) -> Result<Option<PathBuf>, BackupError> {
    let swap_err = |source| BackupError::Swap { path: root.to_path_buf(), source };
    if !replace && holds_library(root)? {
        return Err(BackupError::NotEmpty { path: root.to_path_buf() });
    }
    let mut moved_aside = None;
    if fs::symlink_metadata(root).is_ok() {
        let empty = fs::read_dir(root).map_err(swap_err)?.next().is_none();
        if empty {
            fs::remove_dir(root).map_err(swap_err)?;
        } else {
            let stamp = env.clock.now().format(&STAMP).map_err(|e| swap_err(io::Error::other(e)))?;
            let mut aside = parent.join(format!("{name}.before-restore-{stamp}"));
            let mut n = 1;
            while fs::symlink_metadata(&aside).is_ok() {
                n += 1;
                aside = parent.join(format!("{name}.before-restore-{stamp}-{n}"));
            }
            fs::rename(root, &aside).map_err(swap_err)?;
            moved_aside = Some(aside);
        }
    }
    if let Err(source) = fs::rename(staged, root) {
        if let Some(aside) = &moved_aside {
            if let Err(e) = fs::rename(aside, root) {
                tracing::error!(aside = %aside.display(), "could not move the library back: {e}");
            }
        }
        return Err(swap_err(source));
    }
    fsutil::sync_dir(parent).map_err(swap_err)?;
    Ok(moved_aside)
}

/// The time in the name of a folder moved aside (UTC).
const STAMP: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
