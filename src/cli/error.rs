//! What a failed command says: one sentence, and its exit status.

use std::path::PathBuf;

use crate::backup::BackupError;
use crate::media::MediaError;
use crate::ops::export::ExportError;
use crate::ops::import::ImportFilesError;
use crate::paths;
use crate::settings::SettingsError;
use crate::sign::SignError;
use crate::store::StoreError;

/// A failed command: one sentence for the user.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Media(#[from] MediaError),
    #[error("{0}")]
    Import(#[from] ImportFilesError),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("no data folder: set --data-dir or {}", paths::DATA_DIR_ENV)]
    NoDataDir,
    #[error("{0}")]
    Settings(#[from] SettingsError),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot tell the export format from '{}'; use --format pdf, json, txt or md", path.display())]
    UnknownFormat { path: PathBuf },
    #[error("{0}")]
    Export(#[from] ExportError),
    #[error("{0}")]
    Sign(#[from] SignError),
    #[error("the two passphrases differ")]
    SecretMismatch,
    #[error("{0}")]
    NotValid(String),
    #[error("{0}")]
    Backup(#[from] BackupError),
    /// An input that cannot be read at all (exit 2).
    #[error("{0}")]
    Unreadable(Box<CliError>),
}

impl CliError {
    /// 2 for an input that cannot be read, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Unreadable(_) => 2,
            _ => 1,
        }
    }
}
