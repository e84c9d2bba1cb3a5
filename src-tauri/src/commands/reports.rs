//! One report: read, create, save, status, duplicate, delete, history.

use briefwright::model::{Report, Status, StoredReport};
use briefwright::ops::reports;
use briefwright::store::RevisionInfo;
use tauri::State;

use crate::ipc::{Arg, IpcError, ReportId};
use crate::library::Library;

#[tauri::command]
#[specta::specta]
pub async fn get_report(library: State<'_, Library>, id: ReportId) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| store.get(id.0)).await
}

/// A new, empty draft marked with the default TLP from the settings.
#[tauri::command]
#[specta::specta]
pub async fn create_report(library: State<'_, Library>) -> Result<StoredReport, IpcError> {
    library.with_store(|store| reports::create(store, None)).await
}

/// Saves `report` as the next revision of a report edited at revision `base`. Refused with
/// code `stale` when the report changed meanwhile (another window or the CLI).
#[tauri::command]
#[specta::specta]
pub async fn save_report(
    library: State<'_, Library>,
    id: ReportId,
    base: Arg<u32>,
    report: Arg<Report>,
) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| store.save(id.0, *base, report.0)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_status(
    library: State<'_, Library>,
    id: ReportId,
    base: Arg<u32>,
    status: Arg<Status>,
) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| store.set_status(id.0, *base, *status)).await
}

/// A new draft with the same content, "(copy)" added to its title.
#[tauri::command]
#[specta::specta]
pub async fn duplicate_report(library: State<'_, Library>, id: ReportId) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| store.duplicate(id.0)).await
}

/// Deletes a report with its history (and later the images only it used); returns what it was.
#[tauri::command]
#[specta::specta]
pub async fn delete_report(library: State<'_, Library>, id: ReportId) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| reports::delete(store, id.0)).await
}

/// The report's revisions, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_revisions(library: State<'_, Library>, id: ReportId) -> Result<Vec<RevisionInfo>, IpcError> {
    library.with_store(move |store| store.revisions(id.0)).await
}

/// The content of one revision (for showing it before restoring).
#[tauri::command]
#[specta::specta]
pub async fn get_revision(library: State<'_, Library>, id: ReportId, revision: Arg<u32>) -> Result<Report, IpcError> {
    library.with_store(move |store| store.revision(id.0, *revision)).await
}

/// Makes an old revision's content the newest revision (history is kept).
#[tauri::command]
#[specta::specta]
pub async fn restore_revision(
    library: State<'_, Library>,
    id: ReportId,
    revision: Arg<u32>,
    base: Arg<u32>,
) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| store.restore(id.0, *revision, *base)).await
}
