//! The library as a whole: what the app knows, the list of reports, import.

use std::path::PathBuf;

use briefwright::interchange::{self, Warning};
use briefwright::model::{Status, Tlp, KNOWN_TECHNIQUES, SCENARIO_GENERATION};
use briefwright::settings::Settings;
use briefwright::store::{Query, Summary};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{file_arg, MAX_SHORT_ARG};
use crate::error::{IpcError, BAD_ARGUMENT};
use crate::library::Library;

/// At most this many files in one import.
pub const MAX_IMPORT_FILES: usize = 200;

/// What the UI needs to know once, at startup.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The library folder (database, images, keys, settings).
    pub data_dir: String,
    /// Technique names the editor offers.
    pub techniques: Vec<String>,
    /// The technique whose section carries best / worst / most-likely scenarios.
    pub scenario_technique: String,
    /// TLP given to new reports (from the settings).
    pub default_tlp: Tlp,
    /// Whether this start created the library and added the sample report.
    pub first_start: bool,
    /// End-to-end tests drive the app through hooks that replace native dialogs
    /// (`BRIEFWRIGHT_TEST_HOOKS=1`); never set for people.
    pub test_hooks: bool,
}

/// A tag and how many reports carry it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TagCount {
    pub tag: String,
    pub count: u32,
}

/// One report created by an import.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportedReport {
    pub id: String,
    pub number: String,
    pub title: String,
    pub status: Status,
    /// What the parser could not place (kept in the report's notes).
    pub warnings: Vec<Warning>,
}

/// The outcome of importing one file: a new report, or why not.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportOutcome {
    /// The file as given.
    pub file: String,
    pub report: Option<ImportedReport>,
    pub error: Option<IpcError>,
}

#[tauri::command]
pub async fn app_info(library: State<'_, Library>) -> Result<AppInfo, IpcError> {
    let first_start = library.first_start();
    let test_hooks = std::env::var_os("BRIEFWRIGHT_TEST_HOOKS").is_some_and(|v| v == "1");
    library
        .with_store(move |store| {
            let settings = Settings::load(store.data_dir()).unwrap_or_default();
            Ok(AppInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
                data_dir: store.data_dir().root().display().to_string(),
                techniques: KNOWN_TECHNIQUES.iter().map(|t| t.to_string()).collect(),
                scenario_technique: SCENARIO_GENERATION.to_string(),
                default_tlp: settings.default_tlp,
                first_start,
                test_hooks,
            })
        })
        .await
}

/// Reports matching `query`; an empty query lists the whole library, newest first.
#[tauri::command]
pub async fn list_reports(library: State<'_, Library>, query: Query) -> Result<Vec<Summary>, IpcError> {
    if query.text.len() > MAX_SHORT_ARG {
        return Err(IpcError::new(BAD_ARGUMENT, "the search text is too long"));
    }
    library.with_store(move |store| Ok(store.search(&query)?)).await
}

/// Every tag in the library with its number of reports, most used first.
#[tauri::command]
pub async fn list_tags(library: State<'_, Library>) -> Result<Vec<TagCount>, IpcError> {
    library
        .with_store(|store| Ok(store.tags()?.into_iter().map(|(tag, count)| TagCount { tag, count }).collect()))
        .await
}

/// Imports .txt and .json report files: each file that reads becomes a new report; each that
/// does not says why. One unreadable file does not stop the others.
#[tauri::command]
pub async fn import_files(library: State<'_, Library>, paths: Vec<String>) -> Result<Vec<ImportOutcome>, IpcError> {
    if paths.is_empty() || paths.len() > MAX_IMPORT_FILES {
        return Err(IpcError::new(BAD_ARGUMENT, format!("import takes 1 to {MAX_IMPORT_FILES} files at a time")));
    }
    // Dialogs and drops give full paths: anything else is refused before any file is read.
    let files = paths.iter().map(|p| file_arg(p)).collect::<Result<Vec<PathBuf>, _>>()?;
    library
        .with_store(move |store| {
            let mut outcomes = Vec::with_capacity(paths.len());
            for (file, path) in paths.into_iter().zip(files) {
                let outcome = match interchange::import_file(&path) {
                    Ok(imported) => match store.create(imported.report, "imported") {
                        Ok(stored) => ImportOutcome {
                            report: Some(ImportedReport {
                                id: stored.id.to_string(),
                                number: stored.number.clone(),
                                title: stored.report.display_title().to_string(),
                                status: stored.status,
                                warnings: imported.warnings,
                            }),
                            error: None,
                            file,
                        },
                        Err(e) => ImportOutcome { error: Some(e.into()), report: None, file },
                    },
                    Err(e) => ImportOutcome { error: Some(IpcError::new(e.code(), e.to_string())), report: None, file },
                };
                outcomes.push(outcome);
            }
            Ok(outcomes)
        })
        .await
}
