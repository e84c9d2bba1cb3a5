//! Figures: attach (from files or pasted bytes), caption, reorder, remove, thumbnails.

use briefwright::media::{self, AttachOptions};
use briefwright::model::StoredReport;
use briefwright::ops::attach::{self, AttachOutcome};
use tauri::State;

use crate::ipc::{Arg, Bytes, FilePaths, ImageData, IpcError, ReportId};
use crate::library::Library;

/// Attaches image files (picked or dropped) to a report edited at revision `base`: all of them
/// or, if one is refused, none. With `figure`, the one image fills that placeholder.
#[tauri::command]
#[specta::specta]
pub async fn attach_images(
    library: State<'_, Library>,
    id: ReportId,
    base: Arg<u32>,
    paths: FilePaths<100>,
    figure: Arg<Option<u32>>,
) -> Result<AttachOutcome, IpcError> {
    let options = AttachOptions { caption: None, figure: figure.map(|f| f as usize) };
    library
        .with_store(move |store| attach::files(store, id.0, *base, &paths.0, &options).map(AttachOutcome::from))
        .await
}

/// Attaches one pasted image (its bytes as base64) to a report edited at revision `base`.
#[tauri::command]
#[specta::specta]
pub async fn attach_image_data(
    library: State<'_, Library>,
    id: ReportId,
    base: Arg<u32>,
    image: ImageData,
    figure: Arg<Option<u32>>,
) -> Result<AttachOutcome, IpcError> {
    let figure = figure.map(|f| f as usize);
    library.with_store(move |store| attach::bytes(store, id.0, *base, image.0, figure).map(AttachOutcome::from)).await
}

/// Changes the caption of figure `figure` (1-based).
#[tauri::command]
#[specta::specta]
pub async fn set_caption(
    library: State<'_, Library>,
    id: ReportId,
    base: Arg<u32>,
    figure: Arg<u32>,
    caption: Arg<String>,
) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| media::set_caption(store, id.0, *base, *figure as usize, &caption)).await
}

/// Moves figure `from` to position `to` (both 1-based).
#[tauri::command]
#[specta::specta]
pub async fn move_figure(
    library: State<'_, Library>,
    id: ReportId,
    base: Arg<u32>,
    from: Arg<u32>,
    to: Arg<u32>,
) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| media::move_figure(store, id.0, *base, *from as usize, *to as usize)).await
}

/// Removes figure `figure` (1-based); its file stays while older revisions refer to it.
#[tauri::command]
#[specta::specta]
pub async fn remove_figure(
    library: State<'_, Library>,
    id: ReportId,
    base: Arg<u32>,
    figure: Arg<u32>,
) -> Result<StoredReport, IpcError> {
    library.with_store(move |store| media::remove_figure(store, id.0, *base, *figure as usize).map(|(r, _)| r)).await
}

/// The JPEG thumbnail (256 or 1024 px) of a stored image, as raw bytes.
#[tauri::command]
#[specta::specta]
pub async fn thumbnail(
    library: State<'_, Library>,
    sha256: Arg<String>,
    format: Arg<String>,
    size: Arg<u32>,
) -> Result<Bytes, IpcError> {
    library.with_store(move |store| media::thumbnail_bytes(store.data_dir(), &sha256, &format, *size).map(Bytes)).await
}
