//! One report: read, create, save, status, duplicate, delete, history.

use briefwright::model::{Report, Status, StoredReport};
use briefwright::settings::Settings;
use briefwright::store::RevisionInfo;
use tauri::State;

use super::report_id;
use crate::error::IpcError;
use crate::library::Library;

#[tauri::command]
pub async fn get_report(library: State<'_, Library>, id: String) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(store.get(id)?)).await
}

/// A new, empty draft marked with the default TLP from the settings.
#[tauri::command]
pub async fn create_report(library: State<'_, Library>) -> Result<StoredReport, IpcError> {
    library
        .with_store(|store| {
            let settings = Settings::load(store.data_dir()).unwrap_or_default();
            let mut report = Report::default();
            report.handling.tlp = settings.default_tlp;
            Ok(store.create(report, "created")?)
        })
        .await
}

/// Saves `report` as the next revision of a report edited at revision `base`. Refused with
/// code `stale` when the report changed meanwhile (another window or the CLI).
#[tauri::command]
pub async fn save_report(
    library: State<'_, Library>,
    id: String,
    base: u32,
    report: Report,
) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(store.save(id, base, report)?)).await
}

#[tauri::command]
pub async fn set_status(
    library: State<'_, Library>,
    id: String,
    base: u32,
    status: Status,
) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(store.set_status(id, base, status)?)).await
}

/// A new draft with the same content, "(copy)" added to its title.
#[tauri::command]
pub async fn duplicate_report(library: State<'_, Library>, id: String) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(store.duplicate(id)?)).await
}

/// Deletes a report with its history; returns what it was (the UI names it).
#[tauri::command]
pub async fn delete_report(library: State<'_, Library>, id: String) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library
        .with_store(move |store| {
            let deleted = store.delete(id)?;
            // Images only this report used are collected after the grace period; a failure here
            // leaves files for a later collection and is no reason to report the delete as failed.
            if let Err(error) = briefwright::media::gc(store, briefwright::media::GC_GRACE) {
                tracing::warn!(%error, "image collection after a delete failed");
            }
            Ok(deleted)
        })
        .await
}

/// The report's revisions, newest first.
#[tauri::command]
pub async fn list_revisions(library: State<'_, Library>, id: String) -> Result<Vec<RevisionInfo>, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(store.revisions(id)?)).await
}

/// The content of one revision (for showing it before restoring).
#[tauri::command]
pub async fn get_revision(library: State<'_, Library>, id: String, revision: u32) -> Result<Report, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(store.revision(id, revision)?)).await
}

/// Makes an old revision's content the newest revision (history is kept).
#[tauri::command]
pub async fn restore_revision(
    library: State<'_, Library>,
    id: String,
    revision: u32,
    base: u32,
) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(store.restore(id, revision, base)?)).await
}
