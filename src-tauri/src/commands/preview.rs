//! The live preview: the brief rendered by the core (unsigned), its pages drawn to PNG in Rust
//! (see `briefwright::ops::preview`).

use briefwright::model::Report;
use briefwright::ops::preview::{self, PreviewInfo, Previews};
use briefwright::settings::PageSize;
use tauri::State;

use crate::ipc::{Arg, Bytes, IpcError, ReportId};
use crate::library::{blocking, Library};

/// Renders the brief as it will print (unsigned): of `report` when given (the editor's content,
/// saved or not), else of the saved revision. Parsed outside the library's lock.
#[tauri::command]
#[specta::specta]
pub async fn preview_open(
    library: State<'_, Library>,
    previews: State<'_, Previews>,
    id: ReportId,
    page_size: Arg<Option<PageSize>>,
    draft: Arg<bool>,
    report: Arg<Option<Report>>,
) -> Result<PreviewInfo, IpcError> {
    let pdf = library.with_store(move |store| preview::render(store, id.0, *page_size, *draft, report.0)).await?;
    let previews = previews.inner().clone();
    blocking(move || Ok(previews.open(pdf)?)).await
}

/// Page `page` (1-based) of the rendered brief `token`, drawn at `scale` device pixels per point,
/// as PNG bytes.
#[tauri::command]
#[specta::specta]
pub async fn preview_page(
    previews: State<'_, Previews>,
    token: Arg<u32>,
    page: Arg<u32>,
    scale: Arg<f32>,
) -> Result<Bytes, IpcError> {
    let previews = previews.inner().clone();
    blocking(move || Ok(Bytes(previews.page(*token, *page as usize, *scale)?))).await
}

/// Lets the rendered brief `token` go: whether it was still kept.
#[tauri::command]
#[specta::specta]
pub async fn preview_close(previews: State<'_, Previews>, token: Arg<u32>) -> Result<bool, IpcError> {
    Ok(previews.close(*token)?)
}
