//! The seed of the PDF's document ID (`/ID`): derived from the brief's inputs, so that the same
//! inputs give the same ID.

use crate::model::StoredReport;

use super::images::PdfImage;
use super::BriefOptions;

/// The seed of the document ID.
pub fn seed(stored: &StoredReport, options: &BriefOptions, images: &[PdfImage]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(crate::interchange::json::write(stored).as_bytes());
    h.update(
        format!("{:?}|{}|{:?}|{:?}", options.page_size, options.draft, options.time, options.signature).as_bytes(),
    );
    h.update(format!("{:?}|{:?}", options.branding.accent, options.branding.organisation).as_bytes());
    if let Some(logo) = &options.branding.logo {
        h.update(Sha256::digest(logo));
    }
    for img in images {
        h.update(Sha256::digest(&img.xobject.stream.content));
    }
    h.finalize().to_vec()
}
