//! Figures: attach (from files or pasted bytes), caption, reorder, remove, thumbnails.

use std::path::PathBuf;

use briefwright::media::{self, AttachOptions, Input, MediaError, ThumbSize, MAX_FILE_BYTES};
use briefwright::model::{ImageRef, StoredReport};
use serde::Serialize;
use tauri::ipc::{InvokeBody, Request, Response};
use tauri::State;
use ts_rs::TS;

use super::{preview, report_id, MAX_SHORT_ARG};
use crate::error::{IpcError, BAD_ARGUMENT};
use crate::library::Library;

/// At most this many images in one attach.
pub const MAX_ATTACH_FILES: usize = 100;

/// The outcome of an attach: the saved report and the figures it gained.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AttachOutcome {
    pub report: StoredReport,
    /// 1-based numbers of the new (or filled) figures.
    pub figures: Vec<u32>,
}

impl From<MediaError> for IpcError {
    fn from(error: MediaError) -> Self {
        IpcError::new(error.code(), error.to_string())
    }
}

/// Attaches image files (picked or dropped) to a report edited at revision `base`: all of them
/// or, if one is refused, none. With `figure`, the one image fills that placeholder.
#[tauri::command]
pub async fn attach_images(
    library: State<'_, Library>,
    id: String,
    base: u32,
    paths: Vec<String>,
    figure: Option<u32>,
) -> Result<AttachOutcome, IpcError> {
    let id = report_id(&id)?;
    if paths.is_empty() || paths.len() > MAX_ATTACH_FILES {
        return Err(IpcError::new(BAD_ARGUMENT, format!("attach takes 1 to {MAX_ATTACH_FILES} images at a time")));
    }
    if let Some(p) = paths.iter().find(|p| p.len() > MAX_SHORT_ARG || p.trim().is_empty()) {
        return Err(IpcError::new(BAD_ARGUMENT, format!("'{}' is not a file path", preview(p))));
    }
    library
        .with_store(move |store| {
            let inputs = paths.iter().map(|p| Input::read(&PathBuf::from(p))).collect::<Result<Vec<_>, _>>()?;
            attach(store, id, base, &inputs, figure)
        })
        .await
}

/// Attaches one image sent as raw bytes (a paste). The body is the file's bytes; headers
/// `x-report` (id), `x-base` (revision), optional `x-figure` (placeholder to fill).
#[tauri::command]
pub async fn attach_image_data(library: State<'_, Library>, request: Request<'_>) -> Result<AttachOutcome, IpcError> {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let id = report_id(&header("x-report").ok_or_else(|| IpcError::new(BAD_ARGUMENT, "the report id is missing"))?)?;
    let base = number(header("x-base"), "revision")?
        .ok_or_else(|| IpcError::new(BAD_ARGUMENT, "the revision being edited is missing"))?;
    let figure = number(header("x-figure"), "figure")?;
    let bytes = match request.body() {
        InvokeBody::Raw(bytes) => bytes.clone(),
        InvokeBody::Json(_) => return Err(IpcError::new(BAD_ARGUMENT, "the image must be sent as raw bytes")),
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IpcError::new(
            "file_too_large",
            format!("the pasted image is too large ({} MB; at most {} MB)", bytes.len() >> 20, MAX_FILE_BYTES >> 20),
        ));
    }
    library
        .with_store(move |store| {
            let input = Input { name: PathBuf::from("pasted image"), bytes };
            attach(store, id, base, &[input], figure)
        })
        .await
}

fn number(value: Option<String>, what: &str) -> Result<Option<u32>, IpcError> {
    value
        .map(|v| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| IpcError::new(BAD_ARGUMENT, format!("'{}' is not a {what} number", preview(&v))))
        })
        .transpose()
}

fn attach(
    store: &mut briefwright::store::Store,
    id: uuid::Uuid,
    base: u32,
    inputs: &[Input],
    figure: Option<u32>,
) -> Result<AttachOutcome, IpcError> {
    let options = AttachOptions { caption: None, figure: figure.map(|f| f as usize) };
    let attached = media::attach(store, id, base, inputs, &options)?;
    Ok(AttachOutcome { figures: attached.figures.iter().map(|f| f.figure as u32).collect(), report: attached.report })
}

/// Changes the caption of figure `figure` (1-based).
#[tauri::command]
pub async fn set_caption(
    library: State<'_, Library>,
    id: String,
    base: u32,
    figure: u32,
    caption: String,
) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(media::set_caption(store, id, base, figure as usize, &caption)?)).await
}

/// Moves figure `from` to position `to` (both 1-based).
#[tauri::command]
pub async fn move_figure(
    library: State<'_, Library>,
    id: String,
    base: u32,
    from: u32,
    to: u32,
) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(media::move_figure(store, id, base, from as usize, to as usize)?)).await
}

/// Removes figure `figure` (1-based); its file stays while older revisions refer to it.
#[tauri::command]
pub async fn remove_figure(
    library: State<'_, Library>,
    id: String,
    base: u32,
    figure: u32,
) -> Result<StoredReport, IpcError> {
    let id = report_id(&id)?;
    library.with_store(move |store| Ok(media::remove_figure(store, id, base, figure as usize)?.0)).await
}

/// The JPEG thumbnail (256 or 1024 px) of a stored image, as raw bytes.
#[tauri::command]
pub async fn thumbnail(
    library: State<'_, Library>,
    sha256: String,
    format: String,
    size: u32,
) -> Result<Response, IpcError> {
    let size = ThumbSize::from_pixels(size)
        .ok_or_else(|| IpcError::new(BAD_ARGUMENT, format!("{size} is not a thumbnail size (256 or 1024)")))?;
    if sha256.len() != 64
        || !sha256.bytes().all(|b| b.is_ascii_hexdigit())
        || !matches!(format.as_str(), "jpeg" | "png")
    {
        return Err(IpcError::new(BAD_ARGUMENT, format!("'{}' is not a stored image", preview(&sha256))));
    }
    let image = ImageRef { sha256, format, width: 0, height: 0, bytes: 0 };
    let bytes = library
        .with_store(move |store| {
            let path = media::thumbnail(store.data_dir(), &image, size)?;
            std::fs::read(&path).map_err(|e| IpcError::new("read", format!("cannot read the thumbnail: {e}")))
        })
        .await?;
    Ok(Response::new(bytes))
}
