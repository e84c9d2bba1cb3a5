//! Opening a library: the file checks made before anything is written, creating a new library
//! whole, connecting read-write or (when the folder, the file or the disk does not allow writing)
//! read-only, and the settings every writing connection needs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{schema, StoreError, BUSY_TIMEOUT};
use crate::paths::DataDir;

/// Why a library could only be opened for reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReadOnlyCause {
    /// The folder or the file cannot be written (permissions, a read-only mount).
    Permissions,
    /// The disk is full: not even the journal's index (-shm) could be made.
    DiskFull,
}

/// Opens (creating when missing) the library file in `dir` and brings its schema up to date
/// when it can be written; returns the connection and why it is read-only, if it is.
/// See [`super::Store::open`] for the guarantees.
pub(super) fn open_library(dir: &DataDir) -> Result<(Connection, Option<ReadOnlyCause>), StoreError> {
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
    Ok((conn, read_only))
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

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Opens the database file for reading and writing when possible, else for reading only;
/// returns why it is read-only, if it is. Never creates the file.
fn connect(path: &Path) -> Result<(Connection, Option<ReadOnlyCause>), StoreError> {
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
fn writable_here(path: &Path) -> bool {
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
fn file_uri(path: &Path) -> String {
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
