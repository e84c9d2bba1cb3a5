//! Where the library lives.
//!
//! One function decides the data folder for the CLI and the desktop app alike:
//! `BRIEFWRIGHT_DATA_DIR` when set, else the OS app-data folder named after the
//! app identifier — the folder Tauri's `app_data_dir()` returns for the app.

use std::path::{Path, PathBuf};

/// The Tauri app identifier (see tauri.conf.json); names the app-data folder.
pub const APP_IDENTIFIER: &str = "com.briefwright.desktop";

/// Environment variable that overrides the data folder for CLI and app.
pub const DATA_DIR_ENV: &str = "BRIEFWRIGHT_DATA_DIR";

/// The data folder: the explicit override, else `BRIEFWRIGHT_DATA_DIR`, else the OS app-data folder.
pub fn data_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER))
}

/// Files inside a data folder.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn database(&self) -> PathBuf {
        self.root.join("library.sqlite3")
    }
    pub fn images(&self) -> PathBuf {
        self.root.join("images")
    }
    pub fn settings(&self) -> PathBuf {
        self.root.join("settings.json")
    }
    /// The organisation's logo, copied in by the settings.
    pub fn branding(&self) -> PathBuf {
        self.root.join("branding")
    }
    /// Signing identities: `<name>.key.p8` (encrypted) and `<name>.cert.pem`.
    pub fn identities(&self) -> PathBuf {
        self.root.join("identities")
    }
    /// Certificates the user chose to trust (PEM).
    pub fn trust(&self) -> PathBuf {
        self.root.join("trust")
    }

    /// Whether `path` names something inside this data folder, once `.`, `..` and the symbolic
    /// links of its existing part are resolved. Exports and backups must never land there: they
    /// would replace Briefwright's own files (the database above all).
    pub fn holds(&self, path: &Path) -> bool {
        match (self.root.canonicalize(), resolve(path)) {
            (Ok(root), Some(path)) => path.starts_with(root),
            // No data folder yet (nothing to protect), or a path that cannot be resolved.
            _ => false,
        }
    }
}

/// `path` made absolute: its longest existing ancestor canonicalized, the rest appended with `.`
/// and `..` applied lexically.
fn resolve(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().ok()?.join(path) };
    let parts: Vec<Component> = absolute.components().collect();
    let (mut out, rest) = (1..=parts.len()).rev().find_map(|n| {
        let prefix: PathBuf = parts[..n].iter().collect();
        prefix.canonicalize().ok().map(|real| (real, &parts[n..]))
    })?;
    for part in rest {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_sees_through_dots_and_links() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path().join("data"));
        assert!(!dir.holds(&dir.database()), "no folder yet: nothing to protect");
        std::fs::create_dir_all(dir.images()).unwrap();
        assert!(dir.holds(&dir.database()));
        assert!(dir.holds(&dir.images().join("new/deeper/x.pdf")));
        assert!(dir.holds(&tmp.path().join("elsewhere/../data/./library.sqlite3")));
        assert!(!dir.holds(&tmp.path().join("data/../brief.pdf")));
        assert!(!dir.holds(&tmp.path().join("data-other/brief.pdf")));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.root(), tmp.path().join("link")).unwrap();
            assert!(dir.holds(&tmp.path().join("link/library.sqlite3")));
        }
    }
}
