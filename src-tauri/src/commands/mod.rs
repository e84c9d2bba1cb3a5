//! The IPC surface: each command converts its arguments, calls the core on a blocking thread and
//! converts the result. No business logic lives here.
//!
//! A new command must also be listed in [`COMMANDS`] (build.rs reads it to generate its
//! permission), registered in `lib.rs`, granted in capabilities/default.json and wrapped in
//! ui/src/lib/backend.ts. Types crossing the boundary derive `ts_rs::TS`; `bindings::typescript`
//! lists them and a test keeps ui/src/lib/bindings.ts in step.

pub mod export;
pub mod library;
pub mod media;
mod names;
pub mod preview;
pub mod reports;
pub mod settings;
pub mod signing;

use std::io::Read;
use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::error::{IpcError, BAD_ARGUMENT};

pub use names::COMMANDS;

/// Longest text argument accepted where a short one is expected (an id, a file path).
pub const MAX_SHORT_ARG: usize = 4096;

/// Parses a report id sent by the UI.
pub(crate) fn report_id(id: &str) -> Result<Uuid, IpcError> {
    if id.len() > MAX_SHORT_ARG {
        return Err(IpcError::new(BAD_ARGUMENT, "the report id is too long"));
    }
    Uuid::parse_str(id.trim()).map_err(|_| IpcError::new(BAD_ARGUMENT, format!("'{}' is not a report id", preview(id))))
}

/// A file path sent by the UI (from a native dialog or a drop): absolute, of sane length, with no
/// `..` (a dialog never answers with one; a path that climbs out of where it seems to point is
/// refused rather than resolved).
pub(crate) fn file_arg(path: &str) -> Result<PathBuf, IpcError> {
    let p = PathBuf::from(path);
    let climbs = p.components().any(|c| c == std::path::Component::ParentDir);
    if path.len() > MAX_SHORT_ARG || path.trim().is_empty() || path.contains('\0') || !p.is_absolute() || climbs {
        return Err(IpcError::new(BAD_ARGUMENT, format!("'{}' is not a full file path", preview(path))));
    }
    Ok(p)
}

/// A short, non-empty text argument (a name).
pub(crate) fn text_arg(text: &str, what: &str) -> Result<(), IpcError> {
    if text.trim().is_empty() || text.len() > MAX_SHORT_ARG {
        return Err(IpcError::new(BAD_ARGUMENT, format!("the {what} is empty or too long")));
    }
    Ok(())
}

/// Writes an export whole or not at all, never into the library folder (it would replace
/// Briefwright's own files, the database above all).
pub(crate) fn write_output(dir: &briefwright::paths::DataDir, path: &Path, bytes: &[u8]) -> Result<(), IpcError> {
    if dir.holds(path) {
        return Err(IpcError::new(
            "inside_library",
            format!("{} is inside the library folder; choose a place outside it", path.display()),
        ));
    }
    briefwright::fsutil::write_atomic(path, bytes)
        .map_err(|e| IpcError::new("write", format!("cannot write {}: {e}", path.display())))
}

/// Reads a file of at most `limit` bytes, refusing a larger one without reading it all.
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, IpcError> {
    let err = |e: std::io::Error| IpcError::new("read", format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(err)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(err)?;
    if bytes.len() as u64 > limit {
        return Err(IpcError::new(
            "file_too_large",
            format!("{} is too large (at most {} MB)", path.display(), limit >> 20),
        ));
    }
    Ok(bytes)
}

/// The first few characters of an argument, for a message.
pub(crate) fn preview(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    if short.len() < s.len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_ids_are_checked() {
        assert!(report_id("0b7a3c5e-3c1e-4c55-9d1b-6a1f0f2b9a10").is_ok());
        assert_eq!(report_id("../../etc/passwd").unwrap_err().code, BAD_ARGUMENT);
        assert_eq!(report_id(&"x".repeat(100_000)).unwrap_err().code, BAD_ARGUMENT);
    }

    #[test]
    fn file_paths_must_be_full_paths() {
        let full = std::env::temp_dir().join("brief.pdf");
        assert_eq!(file_arg(&full.display().to_string()).unwrap(), full);
        for bad in ["", "  ", "brief.pdf", "../../etc/passwd", "a\0b", "/tmp/../etc/passwd"] {
            assert_eq!(file_arg(bad).unwrap_err().code, BAD_ARGUMENT, "{bad:?}");
        }
        assert_eq!(file_arg(&format!("/{}", "x".repeat(10_000))).unwrap_err().code, BAD_ARGUMENT);
    }

    #[test]
    fn read_limited_refuses_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![0u8; 2048]).unwrap();
        assert_eq!(read_limited(&path, 4096).unwrap().len(), 2048);
        assert_eq!(read_limited(&path, 1024).unwrap_err().code, "file_too_large");
        assert_eq!(read_limited(&dir.path().join("none"), 1024).unwrap_err().code, "read");
    }
}
