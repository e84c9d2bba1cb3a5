//! The library as a whole: what the app knows, the list of reports, import.

use briefwright::model::{Tlp, KNOWN_TECHNIQUES, SCENARIO_GENERATION};
use briefwright::ops::import::{self, ImportOutcome};
use briefwright::paths::DataDir;
use briefwright::settings::Settings;
use briefwright::store::{Query, Summary, TagCount};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::ipc::{Arg, FilePaths, IpcError};
use crate::library::Library;

/// What the UI needs to know once, at startup.
#[derive(Debug, Clone, Serialize, Type)]
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

impl AppInfo {
    fn new(dir: &DataDir, first_start: bool) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: dir.root().display().to_string(),
            techniques: KNOWN_TECHNIQUES.iter().map(|t| t.to_string()).collect(),
            scenario_technique: SCENARIO_GENERATION.to_string(),
            default_tlp: Settings::load(dir).unwrap_or_default().default_tlp,
            first_start,
            test_hooks: std::env::var_os(crate::TEST_HOOKS_ENV).is_some_and(|v| v == "1"),
        }
    }
}

/// What the app knows at startup; refused (with why) when the library cannot open.
#[tauri::command]
#[specta::specta]
pub async fn app_info(library: State<'_, Library>) -> Result<AppInfo, IpcError> {
    let first_start = library.first_start();
    library.with_store(move |store| Ok::<_, IpcError>(AppInfo::new(store.data_dir(), first_start))).await
}

/// Reports matching `query`; an empty query lists the whole library, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_reports(library: State<'_, Library>, query: Arg<Query>) -> Result<Vec<Summary>, IpcError> {
    library.with_store(move |store| store.search(&query)).await
}

/// Every tag in the library with its number of reports, most used first.
#[tauri::command]
#[specta::specta]
pub async fn list_tags(library: State<'_, Library>) -> Result<Vec<TagCount>, IpcError> {
    library.with_store(|store| store.tags()).await
}

/// Imports .txt and .json report files: each file that reads becomes a new report; each that
/// does not says why. One unreadable file does not stop the others.
#[tauri::command]
#[specta::specta]
pub async fn import_files(library: State<'_, Library>, paths: FilePaths<200>) -> Result<Vec<ImportOutcome>, IpcError> {
    library.with_store(move |store| Ok::<_, IpcError>(import::each(store, &paths.0))).await
}
