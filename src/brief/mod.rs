//! The PDF brief: a typeset, paginated export of a report.
//!
//! [`render`] lays the report out with our own engine ([`layout`] for lines, [`page`] for boxes
//! and pagination — printpdf has no text layout) and writes it through printpdf ([`pdf`]).
//! The output depends only on the report, its images and [`BriefOptions`]: the same inputs give
//! the same bytes (`options.time` is the only date written), and the document ID is derived
//! from them (`id.rs`).
//!
//! Page 1 carries the title block and the BLUF in a shaded box; then the numbered sections of
//! the report format, the figures, the notes, and (when asked) a visible signature block whose
//! rectangle the signing step places its widget over. `sections.rs` holds that content in
//! reading order, `builder.rs` places it as paragraphs, headings and rows in the page design of
//! `design.rs`, and `compose.rs` draws the paginated result page by page with its running heads.

mod builder;
mod compose;
mod design;
pub mod fonts;
mod id;
mod images;
pub mod layout;
pub mod markdown;
pub mod page;
mod pdf;
mod sections;
#[cfg(test)]
mod tests;

use crate::error::ErrorCode;
use std::path::PathBuf;

use time::OffsetDateTime;

use crate::interchange::markdown::image_path;
use crate::model::{ImageRef, StoredReport};
use crate::paths::DataDir;
use builder::Builder;

pub use crate::settings::PageSize;

/// An organisation's look on the title page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Branding {
    pub accent: Option<(u8, u8, u8)>,
    /// PNG or JPEG bytes.
    pub logo: Option<Vec<u8>>,
    /// The issuing organisation, printed under "INTELLIGENCE BRIEF".
    pub organisation: Option<String>,
}

/// What the visible signature block shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureAppearance {
    pub signer: String,
    pub organisation: Option<String>,
    pub time: OffsetDateTime,
    /// SHA-256 of the signer's certificate, hex.
    pub fingerprint: String,
}

/// How to render a brief.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BriefOptions {
    pub page_size: PageSize,
    pub draft: bool,
    /// The export time: every date the PDF carries.
    pub time: OffsetDateTime,
    pub branding: Branding,
    pub signature: Option<SignatureAppearance>,
}

impl BriefOptions {
    /// A4, not a draft, no branding, no signature.
    pub fn new(time: OffsetDateTime) -> BriefOptions {
        BriefOptions { page_size: PageSize::A4, draft: false, time, branding: Branding::default(), signature: None }
    }
}

/// Where the signature block was drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SignatureRect {
    /// 0-based.
    pub page_index: u32,
    /// x0, y0, x1, y1 in PDF points, origin bottom-left.
    pub rect: [f32; 4],
}

/// A rendered brief.
#[derive(Clone, Debug)]
pub struct Brief {
    pub pdf: Vec<u8>,
    pub pages: u32,
    /// Things the reader should know: missing glyphs, images that could not be read.
    pub warnings: Vec<String>,
    pub signature_rect: Option<SignatureRect>,
}

/// Why a brief could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum BriefError {
    #[error("the bundled font {0} cannot be read")]
    Font(&'static str),
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
}

impl BriefError {
    pub fn code(&self) -> ErrorCode {
        match self {
            BriefError::Font(_) => ErrorCode::BriefFont,
            BriefError::Pdf(_) => ErrorCode::BriefPdf,
        }
    }
}

/// Supplies the bytes of attached images.
pub trait ImageSource {
    fn load(&self, image: &ImageRef) -> Result<Vec<u8>, std::io::Error>;
}

/// Images from a library's image folder (`images/<sha256>.jpg|png`).
#[derive(Debug, Clone)]
pub struct LibraryImages {
    root: PathBuf,
}

impl LibraryImages {
    pub fn new(dir: &DataDir) -> LibraryImages {
        LibraryImages { root: dir.root().to_path_buf() }
    }
}

impl ImageSource for LibraryImages {
    fn load(&self, image: &ImageRef) -> Result<Vec<u8>, std::io::Error> {
        let rel = image_path(image).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "the image reference is not a stored image")
        })?;
        std::fs::read(self.root.join(rel))
    }
}

/// No images at all (every figure shows as not attached).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoImages;

impl ImageSource for NoImages {
    fn load(&self, _: &ImageRef) -> Result<Vec<u8>, std::io::Error> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no image store"))
    }
}

/// Renders a stored report as a PDF brief.
pub fn render(stored: &StoredReport, images: &dyn ImageSource, options: &BriefOptions) -> Result<Brief, BriefError> {
    let page_size = options.page_size.points();
    let mut b = Builder::new(page_size, options.branding.accent.unwrap_or(design::DEFAULT_ACCENT));
    sections::title_block(&mut b, stored, options);
    sections::sections(&mut b, stored, images);
    let signature_frame = options.signature.as_ref().map(|s| sections::signature_block(&mut b, s));

    let pages = page::paginate(&b.flow, b.body_height);
    let (draws, signature_rect) = compose::draw_pages(&mut b, &pages, stored, options, signature_frame);
    let warnings = b.take_warnings();
    let seed = id::seed(stored, options, &b.images);
    let bytes = pdf::write(page_size, &draws, std::mem::take(&mut b.images), &info(stored, options), &seed)?;
    Ok(Brief { pdf: bytes, pages: pages.len() as u32, warnings, signature_rect })
}

/// The Info dictionary.
fn info(stored: &StoredReport, options: &BriefOptions) -> pdf::Info {
    let report = &stored.report;
    pdf::Info {
        title: report.display_title().to_string(),
        author: report.author.clone(),
        subject: subject(stored),
        keywords: report.tags.join(", "),
        creator: format!("Briefwright {}", env!("CARGO_PKG_VERSION")),
        date: design::pdf_date(options.time),
    }
}

/// The subject line: the BLUF's first sentence, else the headline.
fn subject(stored: &StoredReport) -> String {
    let text: String = markdown::parse_inline(&stored.report.bluf).iter().map(|i| i.text.as_str()).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = match text.find(". ") {
        Some(i) => &text[..=i],
        None => text.as_str(),
    };
    let s = if first.is_empty() { stored.report.source.headline.trim() } else { first };
    s.chars().take(300).collect()
}
