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
}
