//! The desktop app's live preview as sessions: a brief rendered once and kept under a token,
//! its pages drawn on demand at the window's scale, then let go.
//!
//! Turning pages and zooming never render the brief again. Only the few newest renderings are
//! kept: a window that forgets to close one cannot grow memory without bound, and a page asked
//! of a dropped one is answered [`PreviewError::Gone`] (the window renders the brief again).
//! Pages are drawn one at a time, and a request that a newer one overtook while it waited is
//! answered [`PreviewError::Superseded`] without drawing: zooming or resizing quickly never
//! queues up work (a draw cannot be stopped once it runs).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use uuid::Uuid;

use super::export::{self, ExportError};
use crate::model::Report;
use crate::preview::{PageExtent, PreviewDoc, PreviewError};
use crate::settings::PageSize;
use crate::store::Store;

/// How many rendered briefs are kept (the one on screen, the one replacing it, and spares).
pub const KEPT: usize = 4;

/// The unsigned brief of report `id` as it will print: of `report` when given (the editor's
/// content, saved or not, so the preview follows typing without waiting for the autosave), else
/// of the saved revision.
pub fn render(
    store: &Store,
    id: Uuid,
    page_size: Option<PageSize>,
    draft: bool,
    report: Option<Report>,
) -> Result<Vec<u8>, ExportError> {
    let mut stored = store.get(id)?;
    if let Some(report) = report {
        stored.report = report;
    }
    export::preview_pdf(store, &stored, page_size, draft)
}

/// A rendered brief, ready for [`Previews::page`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewInfo {
    /// Names this rendering in `page` and `close`.
    pub token: u32,
    /// Each page's size in points, first page first.
    pub pages: Vec<PageExtent>,
}

/// The rendered briefs a window can draw pages of. Cloning shares them (one per app).
#[derive(Clone, Default)]
pub struct Previews(Arc<Inner>);

#[derive(Default)]
struct Inner {
    kept: Mutex<Kept>,
    /// Held while a page is drawn: one at a time.
    drawing: Mutex<()>,
    /// The number of the newest page request.
    latest: AtomicU64,
}

#[derive(Default)]
struct Kept {
    next: u32,
    docs: VecDeque<(u32, Arc<PreviewDoc>)>,
}

impl Previews {
    /// Parses a rendered brief and keeps it under a new token (dropping the oldest beyond [`KEPT`]).
    pub fn open(&self, pdf: Vec<u8>) -> Result<PreviewInfo, PreviewError> {
        let doc = PreviewDoc::open(pdf)?;
        let pages = doc.pages().to_vec();
        Ok(PreviewInfo { token: self.insert(doc), pages })
    }

    fn insert(&self, doc: PreviewDoc) -> u32 {
        let mut kept = self.kept();
        kept.next = kept.next.checked_add(1).unwrap_or(1);
        let token = kept.next;
        if kept.docs.len() >= KEPT {
            kept.docs.pop_front();
        }
        kept.docs.push_back((token, Arc::new(doc)));
        token
    }

    /// Page `page` (1-based) of the rendering `token`, drawn at `scale` device pixels per point, as
    /// PNG. Blocks while another page is drawn; answers [`PreviewError::Superseded`] undrawn when a
    /// newer request came meanwhile.
    pub fn page(&self, token: u32, page: usize, scale: f32) -> Result<Vec<u8>, PreviewError> {
        let doc = self.get(token)?;
        let number = self.0.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let _one_at_a_time = self.0.drawing.lock().unwrap_or_else(PoisonError::into_inner);
        if self.0.latest.load(Ordering::SeqCst) != number {
            return Err(PreviewError::Superseded);
        }
        doc.render_png(page, scale)
    }

    /// Lets the rendering `token` go: whether it was still kept (one already dropped to make room
    /// is not an error; a token never handed out is).
    pub fn close(&self, token: u32) -> Result<bool, PreviewError> {
        let mut kept = self.kept();
        if token == 0 || token > kept.next {
            return Err(PreviewError::NoPreview(token));
        }
        let before = kept.docs.len();
        kept.docs.retain(|(t, _)| *t != token);
        Ok(kept.docs.len() != before)
    }

    /// The rendering `token`, or why not: dropped to make room, or never handed out.
    fn get(&self, token: u32) -> Result<Arc<PreviewDoc>, PreviewError> {
        let kept = self.kept();
        match kept.docs.iter().find(|(t, _)| *t == token) {
            Some((_, doc)) => Ok(doc.clone()),
            None if token != 0 && token <= kept.next => Err(PreviewError::Gone),
            None => Err(PreviewError::NoPreview(token)),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.0.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest PDF the rasteriser reads: one empty page of 200 × 100 points.
    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

    #[test]
    fn a_request_overtaken_while_waiting_is_not_drawn() {
        let previews = Previews::default();
        let token = previews.open(PDF.to_vec()).unwrap().token;
        // A draw in progress holds the drawing lock; two requests queue behind it.
        let drawing = previews.0.drawing.lock().unwrap();
        let (older, newer) = std::thread::scope(|s| {
            let older = s.spawn(|| previews.page(token, 1, 1.0));
            while previews.0.latest.load(Ordering::SeqCst) < 1 {
                std::thread::yield_now();
            }
            let newer = s.spawn(|| previews.page(token, 1, 1.0));
            while previews.0.latest.load(Ordering::SeqCst) < 2 {
                std::thread::yield_now();
            }
            drop(drawing);
            (older.join().unwrap(), newer.join().unwrap())
        });
        assert_eq!(older.unwrap_err(), PreviewError::Superseded);
        assert_eq!(&newer.unwrap()[..4], b"\x89PNG");
        // Errors of the page itself come through as they are.
        assert_eq!(previews.page(token, 2, 1.0).unwrap_err(), PreviewError::NoSuchPage { page: 2, count: 1 });
    }

    #[test]
    fn keeps_only_the_newest_previews() {
        let previews = Previews::default();
        let infos: Vec<PreviewInfo> = (0..KEPT + 2).map(|_| previews.open(PDF.to_vec()).unwrap()).collect();
        let tokens: Vec<u32> = infos.iter().map(|i| i.token).collect();
        assert_eq!(infos[0].pages, vec![PageExtent { width: 200.0, height: 100.0 }]);
        assert_eq!(previews.get(tokens[0]).unwrap_err(), PreviewError::Gone);
        assert_eq!(previews.get(tokens[1]).unwrap_err(), PreviewError::Gone);
        assert_eq!(previews.get(tokens[5] + 1).unwrap_err(), PreviewError::NoPreview(tokens[5] + 1));
        assert_eq!(previews.get(0).unwrap_err(), PreviewError::NoPreview(0));
        for &t in &tokens[2..] {
            assert!(previews.get(t).is_ok());
        }
        assert_eq!(previews.close(tokens[3]), Ok(true));
        assert_eq!(previews.close(tokens[3]), Ok(false), "closing twice is harmless");
        assert_eq!(previews.close(tokens[0]), Ok(false), "so is closing one dropped to make room");
        assert_eq!(previews.close(0), Err(PreviewError::NoPreview(0)));
        assert_eq!(previews.close(u32::MAX), Err(PreviewError::NoPreview(u32::MAX)));
        assert!(previews.get(tokens[3]).is_err());
        assert!(previews.get(tokens[4]).is_ok());
    }

    #[test]
    fn renders_unsaved_content_of_a_stored_report() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(&crate::paths::DataDir::new(tmp.path()), crate::Env::system()).unwrap();
        let id = super::super::reports::create(&mut store, Some("Saved title")).unwrap().id;
        let saved = render(&store, id, None, false, None).unwrap();
        let mut unsaved = store.get(id).unwrap().report;
        unsaved.title = "Typed but not saved".into();
        let typed = render(&store, id, Some(PageSize::Letter), true, Some(unsaved)).unwrap();
        assert_ne!(saved, typed);
        let previews = Previews::default();
        let letter = previews.open(typed).unwrap();
        let page = letter.pages[0];
        assert!((page.width - 612.0).abs() < 0.01 && (page.height - 792.0).abs() < 0.01, "{page:?}");
        assert!(matches!(render(&store, Uuid::nil(), None, false, None), Err(ExportError::Store(_))));
    }
}
