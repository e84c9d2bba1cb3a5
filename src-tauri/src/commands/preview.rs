//! The live preview: the brief rendered by the core (unsigned) and its pages drawn to PNG in Rust.
//!
//! `preview_open` renders the brief once and keeps it under a token; `preview_page` draws one
//! page of it at the window's scale; `preview_close` lets it go. Turning pages and zooming never
//! render the brief again. Only the few newest previews are kept: a window that forgets to close
//! one cannot grow memory without bound. Pages are drawn one at a time, and a request that a
//! newer one overtook while it waited is answered `superseded` without drawing: zooming or
//! resizing quickly never queues up work (a draw cannot be stopped once it runs).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use briefwright::export::{self, Format, Request};
use briefwright::model::Report;
use briefwright::preview::{PageExtent, PreviewDoc, PreviewError};
use briefwright::settings::{PageSize, Settings};
use serde::Serialize;
use tauri::ipc::Response;
use tauri::State;
use ts_rs::TS;

use super::report_id;
use crate::error::{IpcError, BAD_ARGUMENT};
use crate::library::{blocking, Library};

/// How many rendered briefs are kept (the one on screen, the one replacing it, and spares).
const KEPT: usize = 4;

impl From<PreviewError> for IpcError {
    fn from(error: PreviewError) -> Self {
        IpcError::new(error.code(), error.to_string())
    }
}

/// A page request that a newer one replaced before it was drawn (the UI drops it quietly).
pub const SUPERSEDED: &str = "superseded";
/// A preview dropped to make room for newer ones (the UI renders the brief again).
pub const PREVIEW_GONE: &str = "preview_gone";

/// The rendered briefs the window can draw pages of, newest last.
#[derive(Default)]
pub struct Previews {
    kept: Mutex<Kept>,
    /// Held while a page is drawn: one at a time.
    drawing: Arc<Mutex<()>>,
    /// The number of the newest page request.
    latest: Arc<AtomicU64>,
}

#[derive(Default)]
struct Kept {
    next: u32,
    docs: VecDeque<(u32, Arc<PreviewDoc>)>,
}

impl Previews {
    fn insert(&self, doc: PreviewDoc) -> u32 {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.next = kept.next.checked_add(1).unwrap_or(1);
        let token = kept.next;
        if kept.docs.len() >= KEPT {
            kept.docs.pop_front();
        }
        kept.docs.push_back((token, Arc::new(doc)));
        token
    }

    /// The preview `token`, or why not: dropped to make room, or never handed out.
    fn get(&self, token: u32) -> Result<Arc<PreviewDoc>, IpcError> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.docs.iter().find(|(t, _)| *t == token) {
            Some((_, doc)) => Ok(doc.clone()),
            None if token != 0 && token <= kept.next => {
                Err(IpcError::new(PREVIEW_GONE, "this preview is no longer kept; it is being drawn again"))
            }
            None => Err(IpcError::new(BAD_ARGUMENT, format!("there never was a preview {token}"))),
        }
    }

    /// A place in the queue of page requests (the newest request makes older waiting ones moot).
    fn ticket(&self) -> Ticket {
        let number = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        Ticket { number, drawing: self.drawing.clone(), latest: self.latest.clone() }
    }

    /// Drops `token`: whether it was still kept; `None` for a token never handed out.
    fn remove(&self, token: u32) -> Option<bool> {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if token == 0 || token > kept.next {
            return None;
        }
        let before = kept.docs.len();
        kept.docs.retain(|(t, _)| *t != token);
        Some(kept.docs.len() != before)
    }
}

/// One page request, waiting its turn to draw.
struct Ticket {
    number: u64,
    drawing: Arc<Mutex<()>>,
    latest: Arc<AtomicU64>,
}

impl Ticket {
    /// Waits for the drawing to be free, then draws, unless a newer request came meanwhile.
    fn draw(self, doc: &PreviewDoc, page: usize, scale: f32) -> Result<Vec<u8>, IpcError> {
        let _one_at_a_time = self.drawing.lock().unwrap_or_else(PoisonError::into_inner);
        if self.latest.load(Ordering::SeqCst) != self.number {
            return Err(IpcError::new(SUPERSEDED, "a newer page request replaced this one"));
        }
        Ok(doc.render_png(page, scale)?)
    }
}

/// A rendered brief, ready for `preview_page`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewInfo {
    /// Names this rendering in `preview_page` and `preview_close`.
    pub token: u32,
    /// Each page's size in points, first page first.
    pub pages: Vec<PageExtent>,
}

/// Renders the brief as it will print (unsigned): of `report` when given (the editor's content,
/// saved or not, so the preview follows typing without waiting for the autosave), else of the
/// saved revision.
#[tauri::command]
pub async fn preview_open(
    library: State<'_, Library>,
    previews: State<'_, Previews>,
    id: String,
    page_size: Option<PageSize>,
    draft: bool,
    report: Option<Report>,
) -> Result<PreviewInfo, IpcError> {
    let id = report_id(&id)?;
    let bytes = library
        .with_store(move |store| {
            let mut stored = store.get(id)?;
            if let Some(report) = report {
                stored.report = report;
            }
            let settings = Settings::load(store.data_dir()).unwrap_or_default();
            let request =
                Request { format: Format::Pdf, page_size, draft, signer: None, time: store.env().export_time() };
            Ok(export::render(store.data_dir(), &settings, &stored, &request)?.bytes)
        })
        .await?;
    // Parsed outside the library's lock: other commands need not wait for it.
    let doc = blocking(move || Ok(PreviewDoc::open(bytes)?)).await?;
    let pages = doc.pages().to_vec();
    Ok(PreviewInfo { token: previews.insert(doc), pages })
}

/// Page `page` (1-based) of the rendered brief `token`, drawn at `scale` device pixels per point,
/// as PNG bytes.
#[tauri::command]
pub async fn preview_page(
    previews: State<'_, Previews>,
    token: u32,
    page: u32,
    scale: f32,
) -> Result<Response, IpcError> {
    let doc = previews.get(token)?;
    let ticket = previews.ticket();
    let png = blocking(move || ticket.draw(&doc, page as usize, scale)).await?;
    Ok(Response::new(png))
}

/// Lets the rendered brief `token` go: whether it was still kept (one already dropped to make room
/// is not an error; a token never handed out is).
#[tauri::command]
pub async fn preview_close(previews: State<'_, Previews>, token: u32) -> Result<bool, IpcError> {
    previews.remove(token).ok_or_else(|| IpcError::new(BAD_ARGUMENT, format!("there never was a preview {token}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> PreviewDoc {
        // The smallest PDF hayro reads: one empty page.
        let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        PreviewDoc::open(pdf.to_vec()).unwrap()
    }

    #[test]
    fn a_request_overtaken_while_waiting_is_not_drawn() {
        let previews = Previews::default();
        let doc = doc();
        let (older, newer) = (previews.ticket(), previews.ticket());
        assert_eq!(older.draw(&doc, 1, 1.0).unwrap_err().code, SUPERSEDED);
        let png = newer.draw(&doc, 1, 1.0).unwrap();
        assert_eq!(&png[..4], b"\x89PNG");
        // Errors of the page itself come through as they are.
        assert_eq!(previews.ticket().draw(&doc, 2, 1.0).unwrap_err().code, BAD_ARGUMENT);
    }

    #[test]
    fn keeps_only_the_newest_previews() {
        let previews = Previews::default();
        let tokens: Vec<u32> = (0..KEPT + 2).map(|_| previews.insert(doc())).collect();
        assert_eq!(previews.get(tokens[0]).unwrap_err().code, PREVIEW_GONE);
        assert_eq!(previews.get(tokens[1]).unwrap_err().code, PREVIEW_GONE);
        assert_eq!(previews.get(tokens[5] + 1).unwrap_err().code, BAD_ARGUMENT);
        assert_eq!(previews.get(0).unwrap_err().code, BAD_ARGUMENT);
        for &t in &tokens[2..] {
            assert_eq!(previews.get(t).unwrap().pages()[0], PageExtent { width: 200.0, height: 100.0 });
        }
        assert_eq!(previews.remove(tokens[3]), Some(true));
        assert_eq!(previews.remove(tokens[3]), Some(false), "closing twice is harmless");
        assert_eq!(previews.remove(tokens[0]), Some(false), "so is closing one dropped to make room");
        assert_eq!(previews.remove(0), None);
        assert_eq!(previews.remove(u32::MAX), None);
        assert!(previews.get(tokens[3]).is_err());
        assert!(previews.get(tokens[4]).is_ok());
    }
}
