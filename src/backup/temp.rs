//! Temporary files and folders beside a target (the archive being written, the database
//! snapshot, the staging folder of a restore), removed unless they were put in place.

use std::fs;
use std::path::{Path, PathBuf};

/// The folder and file name of a path ("." for a bare name).
pub(super) fn split(path: &Path) -> Option<(PathBuf, String)> {
    let name = path.file_name()?.to_str()?.to_string();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some((parent, name))
}

/// A temporary file or folder beside a target, removed when dropped unless kept.
pub(super) struct TempPath(Option<PathBuf>);

impl TempPath {
    /// A new name beside `parent/name` for `what` ("db", "tmp", "restoring"); nothing is created yet.
    pub(super) fn new(parent: &Path, name: &str, what: &str) -> TempPath {
        TempPath(Some(crate::fsutil::temp_sibling(parent, name, &format!("{what}.tmp"))))
    }

    /// The temporary path (empty once kept).
    pub(super) fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    /// The path was renamed into place: nothing to clean up.
    pub(super) fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            match fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => {
                    let _ = fs::remove_dir_all(&p);
                }
                Ok(_) => {
                    let _ = fs::remove_file(&p);
                }
                Err(_) => {}
            }
        }
    }
}
