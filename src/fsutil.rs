//! File writes that happen whole or not at all, and reads that never take more than they may.

use crate::error::ErrorCode;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::paths::DataDir;

/// Tells apart the temporary files of concurrent writers within one process.
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A hidden name in `parent` for a temporary file or folder beside `name`:
/// `.{name}.{pid}.{n}.{what}`, unique among processes and among calls in this one.
pub fn temp_sibling(parent: &Path, name: &str, what: &str) -> PathBuf {
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    parent.join(format!(".{name}.{}.{n}.{what}", std::process::id()))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced,
/// renamed over the target, then the folder synced so the rename survives a power cut.
/// On failure the target is untouched and the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| std::io::Error::other("not a file name"))?;
    let tmp = temp_sibling(parent, &name.to_string_lossy(), "tmp");
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        sync_dir(parent)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// An export (a brief, a certificate, a backup) that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} is inside the library folder {}; write it somewhere else", path.display(), root.display())]
    InsideLibrary { path: PathBuf, root: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

impl WriteError {
    /// `inside_library`, or `write`.
    pub fn code(&self) -> ErrorCode {
        match self {
            WriteError::InsideLibrary { .. } => ErrorCode::InsideLibrary,
            WriteError::Io { .. } => ErrorCode::Write,
        }
    }
}

/// Refuses a path inside the library folder `dir`: a file written there would replace
/// Briefwright's own files (the database above all).
pub fn outside_library(dir: &DataDir, path: &Path) -> Result<(), WriteError> {
    if dir.holds(path) {
        return Err(WriteError::InsideLibrary { path: path.to_path_buf(), root: dir.root().to_path_buf() });
    }
    Ok(())
}

/// Writes an export whole ([`write_atomic`]), never inside the library folder `dir`.
pub fn write_export(dir: &DataDir, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    outside_library(dir, path)?;
    write_atomic(path, bytes).map_err(|source| WriteError::Io { path: path.to_path_buf(), source })
}

/// A file that could not be read whole within its limit.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{} is too large ({size} bytes; at most {limit})", path.display())]
    TooLarge { path: PathBuf, size: u64, limit: u64 },
}

impl ReadError {
    /// `read`, or `file_too_large`.
    pub fn code(&self) -> ErrorCode {
        match self {
            ReadError::Io { .. } => ErrorCode::Read,
            ReadError::TooLarge { .. } => ErrorCode::FileTooLarge,
        }
    }
}

/// Reads a whole file of at most `limit` bytes. A larger one is refused after reading at most
/// `limit + 1` bytes of it (never cut short: a caller gets the whole file or an error); its size
/// in the error is the file's own where the system tells it.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(bytes.len() as u64);
        return Err(ReadError::TooLarge { path: path.to_path_buf(), size, limit });
    }
    Ok(bytes)
}

/// Makes a folder's entries (a rename, a new file) durable. A no-op where folders
/// cannot be opened for syncing (Windows, where NTFS journals renames itself).
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.txt")]);
    }

    #[test]
    fn read_limited_reads_whole_files_up_to_the_limit_and_refuses_larger_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![7u8; 2048]).unwrap();
        assert_eq!(read_limited(&path, 2048).unwrap().len(), 2048);
        match read_limited(&path, 2047).unwrap_err() {
            ReadError::TooLarge { size, limit, .. } => assert_eq!((size, limit), (2048, 2047)),
            other => panic!("{other}"),
        }
        assert!(matches!(read_limited(&dir.path().join("none"), 10).unwrap_err(), ReadError::Io { .. }));
        assert!(read_limited(dir.path(), 10).is_err(), "a folder is not a file");
    }

    #[test]
    fn failure_leaves_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("a.txt");
        assert!(write_atomic(&path, b"x").is_err());
        assert!(!path.exists());
    }
}
