//! Report files into the library.
//!
//! The CLI imports all files or none ([`all`]: every file is read and parsed before one
//! transaction stores them); the app imports file by file and tells each file's outcome
//! ([`each`]: one unreadable file does not stop the others). Both read a file the same way
//! ([`interchange::import_file`]: size limit, format by content, the parser).

use crate::error::ErrorCode;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Failure;
use crate::interchange::{self, ImportError, Imported, Warning};
use crate::model::{Status, StoredReport};
use crate::store::{Store, StoreError};

/// Why an import of several files stored none of them.
#[derive(Debug, thiserror::Error)]
pub enum ImportFilesError {
    #[error("cannot read {}: {why}", path.display())]
    Unreadable { path: PathBuf, why: String },
    #[error("{}: {source}", path.display())]
    NotAReport { path: PathBuf, source: ImportError },
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl ImportFilesError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ImportFilesError::Unreadable { .. } => ImportError::Read(String::new()).code(),
            ImportFilesError::NotAReport { source, .. } => source.code(),
            ImportFilesError::Store(e) => e.code(),
        }
    }
}

/// One file stored as a new report.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub path: PathBuf,
    pub report: StoredReport,
    /// What the parser could not place (kept in the report's notes).
    pub warnings: Vec<Warning>,
}

/// Reads and parses every file, then stores them all in one transaction, or none.
pub fn all(store: &mut Store, paths: &[PathBuf]) -> Result<Vec<ImportedFile>, ImportFilesError> {
    let parsed = paths.iter().map(|path| read(path).map(|imported| (path, imported))).collect::<Result<Vec<_>, _>>()?;
    let stored = store.create_all(parsed.iter().map(|(_, i)| i.report.clone()).collect(), "imported")?;
    Ok(parsed
        .into_iter()
        .zip(stored)
        .map(|((path, imported), report)| ImportedFile { path: path.clone(), report, warnings: imported.warnings })
        .collect())
}

fn read(path: &Path) -> Result<Imported, ImportFilesError> {
    interchange::import_file(path).map_err(|e| match e {
        ImportError::Read(why) => ImportFilesError::Unreadable { path: path.to_path_buf(), why },
        source => ImportFilesError::NotAReport { path: path.to_path_buf(), source },
    })
}

/// One report created by an import, as the app lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportedReport {
    pub id: String,
    pub number: String,
    pub title: String,
    pub status: Status,
    /// What the parser could not place (kept in the report's notes).
    pub warnings: Vec<Warning>,
}

/// The outcome of importing one file: a new report, or why not.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOutcome {
    /// The file as given.
    pub file: String,
    pub report: Option<ImportedReport>,
    pub error: Option<Failure>,
}

/// Imports each file as its own new report; every file gets an outcome, in the order given.
pub fn each(store: &mut Store, paths: &[PathBuf]) -> Vec<ImportOutcome> {
    paths
        .iter()
        .map(|path| {
            let file = path.display().to_string();
            match one(store, path) {
                Ok(report) => ImportOutcome { file, report: Some(report), error: None },
                Err(error) => ImportOutcome { file, report: None, error: Some(error) },
            }
        })
        .collect()
}

fn one(store: &mut Store, path: &Path) -> Result<ImportedReport, Failure> {
    let imported = interchange::import_file(path).map_err(|e| Failure::of(&e))?;
    let stored = store.create(imported.report, "imported").map_err(|e| Failure::of(&e))?;
    Ok(ImportedReport {
        id: stored.id.to_string(),
        number: stored.number.clone(),
        title: stored.report.display_title().to_string(),
        status: stored.status,
        warnings: imported.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::DataDir;
    use crate::Env;

    const CANAL: &str = include_str!("../../tests/fixtures/reports/canal-drought.txt");

    fn setup() -> (tempfile::TempDir, Store) {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&DataDir::new(tmp.path().join("lib")), Env::system()).unwrap();
        (tmp, store)
    }

    #[test]
    fn all_or_nothing() {
        let (tmp, mut store) = setup();
        let good = tmp.path().join("canal.txt");
        std::fs::write(&good, CANAL).unwrap();
        let empty = tmp.path().join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        let missing = tmp.path().join("missing.txt");

        let e = all(&mut store, &[good.clone(), empty.clone()]).unwrap_err();
        assert!(matches!(e, ImportFilesError::NotAReport { source: ImportError::Empty, .. }), "{e}");
        assert_eq!(e.to_string(), format!("{}: the file is empty", empty.display()));
        let e = all(&mut store, &[good.clone(), missing.clone()]).unwrap_err();
        assert!(e.to_string().starts_with(&format!("cannot read {}: ", missing.display())), "{e}");
        assert_eq!(e.code(), ErrorCode::ImportUnreadable);
        assert_eq!(store.count().unwrap(), 0, "a refused file stores nothing");

        let done = all(&mut store, &[good.clone(), good]).unwrap();
        assert_eq!(done.len(), 2);
        assert_ne!(done[0].report.number, done[1].report.number);
        assert_eq!(store.count().unwrap(), 2);
    }

    #[test]
    fn each_file_gets_its_own_outcome() {
        let (tmp, mut store) = setup();
        let good = tmp.path().join("canal.txt");
        std::fs::write(&good, CANAL).unwrap();
        let pdf = tmp.path().join("brief.txt");
        std::fs::write(&pdf, b"%PDF-1.7 ...").unwrap();
        let outcomes = each(&mut store, &[pdf.clone(), good.clone()]);
        assert_eq!(outcomes[0].file, pdf.display().to_string());
        assert_eq!(outcomes[0].error.as_ref().unwrap().code, crate::error::ErrorCode::ImportPdf);
        assert!(outcomes[0].report.is_none());
        let report = outcomes[1].report.as_ref().unwrap();
        assert!(report.title.contains("Canal"), "{}", report.title);
        assert_eq!(report.status, Status::Draft);
        assert_eq!(store.count().unwrap(), 1);
    }
}
