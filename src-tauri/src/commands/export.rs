//! The brief: export in every format (signed or not), open and reveal the result.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

use briefwright::export::{self, ExportError, Format, Request};
use briefwright::settings::{PageSize, Settings};
use briefwright::store::SignedExport;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use super::{file_arg, report_id, write_output};
use crate::error::{IpcError, BAD_ARGUMENT};
use crate::library::Library;
use crate::session::Session;

impl From<ExportError> for IpcError {
    fn from(error: ExportError) -> Self {
        IpcError::new(error.code(), error.to_string())
    }
}

/// Files this session exported: the only ones `open_exported` and `reveal_exported` touch.
#[derive(Default)]
pub struct Exports(Mutex<BTreeSet<PathBuf>>);

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Pdf,
    Json,
    Txt,
    Md,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Pdf => Format::Pdf,
            ExportFormat::Json => Format::Json,
            ExportFormat::Txt => Format::Txt,
            ExportFormat::Md => Format::Md,
        }
    }
}

/// How to export (the UI's export dialog).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// PDF paper size; `null` takes the library setting.
    pub page_size: Option<PageSize>,
    /// PDF only: a DRAFT watermark on every page (not with a signature).
    pub draft: bool,
    /// PDF only: sign with this identity, which must be unlocked in this session.
    pub identity: Option<String>,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportOutcome {
    pub path: String,
    pub bytes: u64,
    /// Things the analyst should know (e.g. a character no font has, a missing image).
    pub warnings: Vec<String>,
    /// The record of a signed export (also in the report's history).
    pub signed: Option<SignedExport>,
}

/// Exports the report's saved revision to `path` (chosen in the save dialog), whole or not at
/// all. A signed PDF is recorded with the report and marks it signed.
#[tauri::command]
pub async fn export_report(
    library: State<'_, Library>,
    session: State<'_, Session>,
    exports: State<'_, Exports>,
    id: String,
    path: String,
    options: ExportOptions,
) -> Result<ExportOutcome, IpcError> {
    let id = report_id(&id)?;
    let path = file_arg(&path)?;
    let signer = match &options.identity {
        Some(name) => Some(session.signer(name).ok_or_else(|| {
            IpcError::new("locked", format!("unlock the identity '{name}' with its passphrase before signing"))
        })?),
        None => None,
    };
    let written = path.clone();
    let outcome = library
        .with_store(move |store| {
            let stored = store.get(id)?;
            let settings = Settings::load(store.data_dir()).map_err(|e| IpcError::new(e.code(), e.to_string()))?;
            let time = store.env().export_time();
            let request = Request {
                format: options.format.into(),
                page_size: options.page_size,
                draft: options.draft,
                signer: signer.as_deref(),
                time,
            };
            let exported = export::render(store.data_dir(), &settings, &stored, &request)?;
            write_output(store.data_dir(), &path, &exported.bytes)?;
            let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let signed = export::record_signed(store, &stored, &exported, &file_name, time)?;
            Ok(ExportOutcome {
                path: path.display().to_string(),
                bytes: exported.bytes.len() as u64,
                warnings: exported.warnings,
                signed,
            })
        })
        .await?;
    exports.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(written);
    Ok(outcome)
}

/// Signed exports of a report, newest first.
#[tauri::command]
pub async fn list_signed_exports(library: State<'_, Library>, id: String) -> Result<Vec<SignedExport>, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(store.signed_exports(id)?)).await
}

fn exported(exports: &Exports, path: &str) -> Result<PathBuf, IpcError> {
    let path = file_arg(path)?;
    if !exports.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).contains(&path) {
        return Err(IpcError::new(BAD_ARGUMENT, "only a file exported in this session can be opened from here"));
    }
    Ok(path)
}

/// Opens a file this session exported in the system's default app.
#[tauri::command]
pub fn open_exported<R: Runtime>(app: AppHandle<R>, exports: State<'_, Exports>, path: String) -> Result<(), IpcError> {
    let path = exported(&exports, &path)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| IpcError::new("open", format!("cannot open {}: {e}", path.display())))
}

/// Shows a file this session exported in its folder.
#[tauri::command]
pub fn reveal_exported<R: Runtime>(
    app: AppHandle<R>,
    exports: State<'_, Exports>,
    path: String,
) -> Result<(), IpcError> {
    let path = exported(&exports, &path)?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| IpcError::new("open", format!("cannot show {}: {e}", path.display())))
}
