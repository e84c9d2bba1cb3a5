//! The brief: export in every format (signed or not), open and reveal the result.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use briefwright::ops::export::{self, ExportOutcome, ExportRequest, Target};
use briefwright::store::SignedExport;
use tauri::State;

use crate::ipc::{Arg, FilePath, IpcError, ReportId};
use crate::library::Library;
use crate::session::Session;

/// Files this session exported: the only ones `open_exported` and `reveal_exported` touch.
#[derive(Default)]
pub struct Exports(Mutex<BTreeSet<PathBuf>>);

impl Exports {
    fn remember(&self, path: PathBuf) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).insert(path);
    }

    /// `path`, if this session exported it.
    fn exported(&self, path: FilePath) -> Result<PathBuf, IpcError> {
        match self.0.lock().unwrap_or_else(PoisonError::into_inner).contains(&path.0) {
            true => Ok(path.0),
            false => Err(IpcError::bad_argument("only a file exported in this session can be opened from here")),
        }
    }
}

/// Exports the report's saved revision to `path` (chosen in the save dialog), whole or not at
/// all. Signing needs the identity unlocked in this session; a signed PDF is recorded with the
/// report and marks it signed.
#[tauri::command]
#[specta::specta]
pub async fn export_report(
    library: State<'_, Library>,
    session: State<'_, Session>,
    exports: State<'_, Exports>,
    id: ReportId,
    path: FilePath,
    options: Arg<ExportRequest>,
) -> Result<ExportOutcome, IpcError> {
    let (unlock, written) = (session.unlocker(options.identity.as_deref()), path.0.clone());
    let outcome = library.with_store(move |s| export::export(s, id.0, &options, Target::File(&path.0), unlock)).await?;
    exports.remember(written);
    Ok(outcome)
}

/// Signed exports of a report, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_signed_exports(library: State<'_, Library>, id: ReportId) -> Result<Vec<SignedExport>, IpcError> {
    library.with_store(move |store| store.signed_exports(id.0)).await
}

/// Opens a file this session exported in the system's default app.
#[tauri::command]
#[specta::specta]
pub fn open_exported(exports: State<'_, Exports>, path: FilePath) -> Result<(), IpcError> {
    let path = exports.exported(path)?;
    tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| IpcError::open(&path, e))
}

/// Shows a file this session exported in its folder.
#[tauri::command]
#[specta::specta]
pub fn reveal_exported(exports: State<'_, Exports>, path: FilePath) -> Result<(), IpcError> {
    let path = exports.exported(path)?;
    tauri_plugin_opener::reveal_item_in_dir(&path).map_err(|e| IpcError::open(&path, e))
}
