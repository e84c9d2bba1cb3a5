//! The app's live preview: pages of a PDF brief drawn to PNG on the CPU.
//!
//! The window shows our own PDF as it will print. Drawing its pages here (hayro: a pure-Rust PDF
//! rasteriser, no unsafe code) takes 10–40 ms a page in a release build; pdf.js in the web view
//! took ~500 ms for the same page on a software canvas, which made the preview lag the typing.
//!
//! A [`PreviewDoc`] is parsed once and drawn page by page at whatever scale the window asks for
//! (zoom × device pixel ratio). Scales and sizes are bounded, and a panic in the rasteriser is
//! caught and reported as an error: a preview never takes the app down.

use crate::error::ErrorCode;
use std::panic::{catch_unwind, AssertUnwindSafe};

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};
use serde::Serialize;

/// The largest scale (device pixels per point) a page is drawn at: 4× zoom on a 2× display.
pub const MAX_SCALE: f32 = 8.0;
/// The smallest: an A4 page 30 pixels wide.
pub const MIN_SCALE: f32 = 0.05;
/// The most pixels one drawn page may have (an A4 page at [`MAX_SCALE`] has 32 million).
pub const MAX_PIXELS: u64 = 40_000_000;
/// The longest side of a drawn page, in pixels.
pub const MAX_SIDE: u32 = 16_384;

/// A page's size in PDF points (1/72 inch), as it is shown (rotation applied).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PageExtent {
    #[cfg_attr(feature = "specta", specta(type = FiniteNumber))]
    pub width: f32,
    #[cfg_attr(feature = "specta", specta(type = FiniteNumber))]
    pub height: f32,
}

/// A finite float as TypeScript sees it: `number`. (specta writes every float as `number | null`,
/// because JSON has no NaN or infinity; page sizes are checked finite when a PDF is opened.)
#[cfg(feature = "specta")]
pub struct FiniteNumber;

#[cfg(feature = "specta")]
impl specta::Type for FiniteNumber {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        // Rendered `number`, without the `| null` of floats.
        <i32 as specta::Type>::definition(types)
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PreviewError {
    #[error("the preview could not read the PDF")]
    Unreadable,
    #[error("the PDF has no pages")]
    NoPages,
    #[error("the brief has no page {page} (it has {count})")]
    NoSuchPage { page: usize, count: usize },
    #[error("the preview draws pages at a scale from {MIN_SCALE} to {MAX_SCALE}, not {0}")]
    BadScale(f32),
    #[error("the page would be {width} × {height} pixels at this zoom, more than the preview draws")]
    TooLarge { width: u64, height: u64 },
    #[error("the preview could not draw page {0}")]
    DrawFailed(usize),
    #[error("this preview is no longer kept; it is being drawn again")]
    Gone,
    #[error("there never was a preview {0}")]
    NoPreview(u32),
    #[error("a newer page request replaced this one")]
    Superseded,
}

impl PreviewError {
    /// The stable code the app's IPC reports.
    pub fn code(&self) -> ErrorCode {
        match self {
            PreviewError::Unreadable | PreviewError::NoPages | PreviewError::DrawFailed(_) => ErrorCode::PreviewFailed,
            PreviewError::NoSuchPage { .. }
            | PreviewError::BadScale(_)
            | PreviewError::TooLarge { .. }
            | PreviewError::NoPreview(_) => ErrorCode::BadArgument,
            // The window renders the brief again.
            PreviewError::Gone => ErrorCode::PreviewGone,
            // The window drops the request quietly.
            PreviewError::Superseded => ErrorCode::Superseded,
        }
    }
}

/// A parsed PDF, ready to draw any page.
pub struct PreviewDoc {
    pdf: Pdf,
    pages: Vec<PageExtent>,
}

impl std::fmt::Debug for PreviewDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewDoc").field("pages", &self.pages).finish_non_exhaustive()
    }
}

impl PreviewDoc {
    /// Parses `bytes` and reads each page's size.
    pub fn open(bytes: Vec<u8>) -> Result<PreviewDoc, PreviewError> {
        let parsed = catch_unwind(AssertUnwindSafe(|| {
            let pdf = Pdf::new(bytes).ok()?;
            let pages = pdf
                .pages()
                .iter()
                .map(|page| {
                    let (width, height) = page.render_dimensions();
                    PageExtent { width, height }
                })
                .collect::<Vec<_>>();
            Some((pdf, pages))
        }));
        let (pdf, pages) = parsed.ok().flatten().ok_or(PreviewError::Unreadable)?;
        if pages.is_empty() {
            return Err(PreviewError::NoPages);
        }
        if pages.iter().any(|p| !(p.width.is_finite() && p.height.is_finite() && p.width > 0.0 && p.height > 0.0)) {
            return Err(PreviewError::Unreadable);
        }
        Ok(PreviewDoc { pdf, pages })
    }

    /// Each page's size, first page first.
    pub fn pages(&self) -> &[PageExtent] {
        &self.pages
    }

    /// Draws page `page` (1-based) on white at `scale` device pixels per point, as PNG.
    pub fn render_png(&self, page: usize, scale: f32) -> Result<Vec<u8>, PreviewError> {
        self.draw(page, scale, encode_png)?.ok_or(PreviewError::DrawFailed(page))
    }

    /// Draws page `page` (1-based) on white at `scale` device pixels per point and hands `use_pixels`
    /// the width, height and opaque RGBA pixels, row by row (borrowed: a page at the largest scale
    /// is 128 MB, not copied).
    pub fn draw<T>(
        &self,
        page: usize,
        scale: f32,
        use_pixels: impl FnOnce(u32, u32, &[u8]) -> T,
    ) -> Result<T, PreviewError> {
        let count = self.pages.len();
        let extent =
            page.checked_sub(1).and_then(|i| self.pages.get(i)).ok_or(PreviewError::NoSuchPage { page, count })?;
        if !(scale.is_finite() && (MIN_SCALE..=MAX_SCALE).contains(&scale)) {
            return Err(PreviewError::BadScale(scale));
        }
        // hayro sizes the pixmap by truncating `points × scale` (and cannot draw into nothing).
        let width = (extent.width * scale) as u64;
        let height = (extent.height * scale) as u64;
        if width == 0 || height == 0 {
            return Err(PreviewError::BadScale(scale));
        }
        if width > u64::from(MAX_SIDE) || height > u64::from(MAX_SIDE) || width * height > MAX_PIXELS {
            return Err(PreviewError::TooLarge { width, height });
        }
        let drawn = catch_unwind(AssertUnwindSafe(|| {
            let pages = self.pdf.pages();
            let cache = RenderCache::new();
            let pixmap = hayro::render(
                &pages[page - 1],
                &cache,
                &InterpreterSettings::default(),
                &RenderSettings::default(),
                &PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE },
            );
            // The background is opaque white, so every pixel is opaque: premultiplied RGBA is RGBA.
            use_pixels(u32::from(pixmap.width()), u32::from(pixmap.height()), pixmap.data_as_u8_slice())
        }));
        drawn.map_err(|_| PreviewError::DrawFailed(page))
    }
}

/// PNG at the fastest compression: a page is mostly white, so it stays small (~0.5 MB for an A4
/// page at 1.5×) and takes ~4 ms, where the default compression took ~18 ms.
fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(rgba.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fastest);
    encoder.set_filter(png::Filter::Up);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(rgba).ok()?;
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brief::{self, BriefOptions, NoImages};
    use crate::model::{Status, StoredReport};
    use crate::settings::PageSize;
    use time::macros::datetime;

    /// `report` as a first draft saved on the day of the sample.
    fn stored(report: crate::model::Report) -> StoredReport {
        StoredReport::first(uuid::Uuid::from_u128(7), 7, Status::Draft, datetime!(2026-03-14 09:00 UTC), report)
    }

    fn sample_pdf(page_size: PageSize) -> Vec<u8> {
        let imported = crate::interchange::import_bytes(crate::interchange::SAMPLE_REPORT.as_bytes()).unwrap();
        let stored = stored(imported.report);
        let mut options = BriefOptions::new(datetime!(2026-03-14 09:30 UTC));
        options.page_size = page_size;
        brief::render(&stored, &NoImages, &options).unwrap().pdf
    }

    fn decode(png: &[u8]) -> image::RgbaImage {
        image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap().to_rgba8()
    }

    /// The share of pixels in the band `top..bottom` (fractions of the height) darker than `level`.
    fn dark_share(img: &image::RgbaImage, top: f32, bottom: f32, level: u8) -> f32 {
        let (w, h) = img.dimensions();
        let rows = (h as f32 * top) as u32..(h as f32 * bottom) as u32;
        let n = rows.len() as f32 * w as f32;
        let dark = rows
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0[..3].iter().all(|&c| c < level))
            .count();
        dark as f32 / n
    }

    #[test]
    fn reads_the_pages_and_their_sizes() {
        let a4 = PreviewDoc::open(sample_pdf(PageSize::A4)).unwrap();
        assert_eq!(a4.pages().len(), 2);
        let p = a4.pages()[0];
        assert!((p.width - 595.28).abs() < 0.1 && (p.height - 841.89).abs() < 0.1, "{p:?}");
        let letter = PreviewDoc::open(sample_pdf(PageSize::Letter)).unwrap();
        let p = letter.pages()[0];
        assert!((p.width - 612.0).abs() < 0.01 && (p.height - 792.0).abs() < 0.01, "{p:?}");
    }

    #[test]
    fn draws_a_page_as_printed() {
        let doc = PreviewDoc::open(sample_pdf(PageSize::A4)).unwrap();
        let png = doc.render_png(1, 1.5).unwrap();
        let img = decode(&png);
        assert_eq!(img.dimensions(), (892, 1262));
        assert!(img.pixels().all(|p| p.0[3] == 255), "every pixel is opaque");
        // The margins are paper white; the title block and body carry ink.
        assert_eq!(dark_share(&img, 0.0, 0.02, 250), 0.0);
        assert!(dark_share(&img, 0.12, 0.2, 128) > 0.03, "the title is drawn");
        assert!(dark_share(&img, 0.5, 0.9, 128) > 0.01, "the body text is drawn");
        // The same page and scale give the same pixels.
        assert_eq!(doc.render_png(1, 1.5).unwrap(), png);
        // Page 2 differs from page 1, and the scale sets the size.
        let second = decode(&doc.render_png(2, 0.5).unwrap());
        assert_eq!(second.dimensions(), (297, 420));
    }

    /// Serves a red JPEG and a half-transparent blue PNG, by format.
    struct Swatches;

    impl crate::brief::ImageSource for Swatches {
        fn load(&self, image: &crate::model::ImageRef) -> Result<Vec<u8>, std::io::Error> {
            let mut out = std::io::Cursor::new(Vec::new());
            let written = if image.format == "jpeg" {
                image::RgbImage::from_pixel(400, 300, image::Rgb([220, 20, 20]))
                    .write_to(&mut out, image::ImageFormat::Jpeg)
            } else {
                image::RgbaImage::from_pixel(400, 300, image::Rgba([0, 0, 255, 128]))
                    .write_to(&mut out, image::ImageFormat::Png)
            };
            written.map_err(std::io::Error::other)?;
            Ok(out.into_inner())
        }
    }

    #[test]
    fn draws_photos_and_transparent_images() {
        let mut report = crate::interchange::import_bytes(crate::interchange::SAMPLE_REPORT.as_bytes()).unwrap().report;
        let figure = |sha: char, format: &str| crate::model::Figure {
            caption: format!("A {format} swatch"),
            image: Some(crate::model::ImageRef {
                sha256: sha.to_string().repeat(64),
                format: format.into(),
                width: 400,
                height: 300,
                bytes: 1000,
            }),
        };
        report.images = vec![figure('a', "jpeg"), figure('b', "png")];
        let stored = stored(report);
        let brief = brief::render(&stored, &Swatches, &BriefOptions::new(datetime!(2026-03-14 09:30 UTC))).unwrap();
        assert!(brief.warnings.is_empty(), "{:?}", brief.warnings);
        let doc = PreviewDoc::open(brief.pdf).unwrap();
        let (mut red, mut light_blue) = (0usize, 0usize);
        for page in 1..=doc.pages().len() {
            let img = decode(&doc.render_png(page, 1.0).unwrap());
            for p in img.pixels() {
                let [r, g, b, _] = p.0;
                red += usize::from(r > 180 && g < 70 && b < 70);
                // Half-transparent blue over white paper.
                light_blue += usize::from((100..160).contains(&r) && (100..160).contains(&g) && b > 230);
            }
        }
        // Each swatch is drawn at least 150 pt wide: thousands of pixels at 1 px per point.
        assert!(red > 10_000, "red pixels: {red}");
        assert!(light_blue > 10_000, "light blue pixels: {light_blue}");
    }

    #[test]
    fn refuses_what_it_cannot_draw() {
        let doc = PreviewDoc::open(sample_pdf(PageSize::A4)).unwrap();
        assert_eq!(doc.render_png(0, 1.0).unwrap_err(), PreviewError::NoSuchPage { page: 0, count: 2 });
        assert_eq!(doc.render_png(3, 1.0).unwrap_err(), PreviewError::NoSuchPage { page: 3, count: 2 });
        for scale in [0.0, -1.0, 0.0001, MIN_SCALE * 0.99, f32::NAN, f32::INFINITY, MAX_SCALE * 1.01] {
            assert!(matches!(doc.render_png(1, scale), Err(PreviewError::BadScale(_))), "{scale}");
        }
        assert_eq!(doc.render_png(1, MIN_SCALE).map(|png| decode(&png).dimensions()), Ok((29, 42)));
        for junk in [&b""[..], b"%PDF-1.7\n", b"not a pdf at all", &[0xff; 4096]] {
            assert!(PreviewDoc::open(junk.to_vec()).is_err(), "{junk:?}");
        }
    }

    #[test]
    fn bounds_the_pixels_of_a_huge_page() {
        // A page 200 inches square: within MAX_SCALE, but far too many pixels.
        let pdf = lopdf_page(14_400.0, 14_400.0);
        let doc = PreviewDoc::open(pdf).unwrap();
        assert!(matches!(doc.render_png(1, 2.0), Err(PreviewError::TooLarge { .. })));
        assert_eq!(decode(&doc.render_png(1, 0.05).unwrap()).dimensions(), (720, 720));
    }

    /// A one-page PDF of the given size with nothing on it.
    fn lopdf_page(width: f32, height: f32) -> Vec<u8> {
        use lopdf::{dictionary, Document, Object, Stream};
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(dictionary! {}, Vec::new()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(width), Object::Real(height)],
            "Contents" => content,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }
}
