//! From untrusted bytes to the file we store: recognise, decode within limits,
//! orient, strip, encode, verify. Pure: no files, no store.

use std::cell::Cell;
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use super::jpeg;
use super::{ImageError, JPEG_QUALITY, MAX_ALLOC_BYTES, MAX_FILE_BYTES, MAX_SIDE};
use crate::model::ImageRef;

/// An input format, recognised by its first bytes (never by the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    WebP,
    Gif,
    Bmp,
    Tiff,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::WebP => "WebP",
            Kind::Gif => "GIF",
            Kind::Bmp => "BMP",
            Kind::Tiff => "TIFF",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::WebP => ImageFormat::WebP,
            Kind::Gif => ImageFormat::Gif,
            Kind::Bmp => ImageFormat::Bmp,
            Kind::Tiff => ImageFormat::Tiff,
        }
    }
}

/// The format the bytes are in, by their magic numbers.
pub fn sniff(b: &[u8]) -> Option<Kind> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        Some(Kind::WebP)
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some(Kind::Gif)
    } else if b.starts_with(b"BM") && b.len() >= 26 {
        Some(Kind::Bmp)
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        Some(Kind::Tiff)
    } else {
        None
    }
}

/// What a file that is not an image looks like, for the error message.
fn looks_like(b: &[u8]) -> &'static str {
    let head = &b[..b.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |s: &[u8]| lower.windows(s.len()).any(|w| w == s);
    if b.starts_with(b"%PDF") {
        "a PDF document"
    } else if b.starts_with(b"PK\x03\x04") {
        "a ZIP archive"
    } else if has(b"<html") || has(b"<!doctype") || has(b"<svg") || has(b"<?xml") {
        "markup (HTML, SVG or XML)"
    } else if std::str::from_utf8(head).is_ok() {
        "text"
    } else {
        "an unknown format"
    }
}

/// An image ready to store: the file's bytes, its reference, and its pixels (upright).
pub struct Processed {
    pub kind: Kind,
    pub bytes: Vec<u8>,
    pub image: ImageRef,
    pub pixels: DynamicImage,
    /// Whether the stored file is the original's own JPEG data with only the metadata removed.
    pub lossless: bool,
}

impl std::fmt::Debug for Processed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Processed").field("kind", &self.kind).field("image", &self.image).finish_non_exhaustive()
    }
}

/// The limits every decode runs under.
pub fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    l.max_alloc = Some(MAX_ALLOC_BYTES);
    l
}

/// Validates, orients, strips and re-checks an untrusted image.
pub fn process(bytes: &[u8]) -> Result<Processed, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImageError::FileTooLarge { size: bytes.len() as u64 });
    }
    let kind = sniff(bytes).ok_or_else(|| ImageError::NotAnImage { looks_like: looks_like(bytes) })?;
    match kind {
        Kind::Jpeg => jpeg_path(bytes),
        _ => png_path(kind, bytes),
    }
}

fn jpeg_path(original: &[u8]) -> Result<Processed, ImageError> {
    let stripped = jpeg::strip(original).map_err(|m| ImageError::Malformed { format: "JPEG", reason: m.0 })?;
    // Orientation and colour profile come from the original (the stripped file has no EXIF).
    let (orientation, icc) = contain(|| {
        let mut d = decoder(Kind::Jpeg, original)?;
        Ok::<_, image::ImageError>((d.orientation()?, d.icc_profile().ok().flatten()))
    })?
    .map_err(|e| map_err(Kind::Jpeg, e))?;
    // Decoding the stripped bytes validates the input and verifies what we store in one pass.
    let pixels = decode(Kind::Jpeg, &stripped)?;
    if orientation == Orientation::NoTransforms {
        let image = image_ref(&stripped, "jpeg", &pixels);
        return Ok(Processed { kind: Kind::Jpeg, bytes: stripped, image, pixels, lossless: true });
    }
    let mut pixels = pixels;
    pixels.apply_orientation(orientation);
    let bytes = encode_jpeg(&pixels, icc)?;
    let check = verify(Kind::Jpeg, &bytes, &pixels)?;
    let image = image_ref(&bytes, "jpeg", &check);
    Ok(Processed { kind: Kind::Jpeg, bytes, image, pixels, lossless: false })
}

fn png_path(kind: Kind, original: &[u8]) -> Result<Processed, ImageError> {
    let (mut pixels, orientation, icc) = contain(|| {
        let mut d = decoder(kind, original)?;
        let orientation = d.orientation().unwrap_or(Orientation::NoTransforms);
        let icc = d.icc_profile().ok().flatten();
        let mut l = limits();
        l.reserve(d.total_bytes())?;
        Ok::<_, image::ImageError>((DynamicImage::from_decoder(d)?, orientation, icc))
    })?
    .map_err(|e| map_err(kind, e))?;
    pixels.apply_orientation(orientation);
    let pixels = storable(pixels);
    let bytes = encode_png(&pixels, icc)?;
    let check = verify(Kind::Png, &bytes, &pixels)?;
    let image = image_ref(&bytes, "png", &check);
    Ok(Processed { kind, bytes, image, pixels, lossless: false })
}

/// Floating-point pixels (from TIFF) become 16-bit; everything else PNG stores as is.
fn storable(img: DynamicImage) -> DynamicImage {
    match img {
        DynamicImage::ImageRgb32F(_) => DynamicImage::ImageRgb16(img.to_rgb16()),
        DynamicImage::ImageRgba32F(_) => DynamicImage::ImageRgba16(img.to_rgba16()),
        other => other,
    }
}

fn image_ref(bytes: &[u8], format: &str, pixels: &DynamicImage) -> ImageRef {
    ImageRef {
        sha256: sha256_hex(bytes),
        format: format.to_string(),
        width: pixels.width(),
        height: pixels.height(),
        bytes: bytes.len() as u64,
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn decoder(kind: Kind, bytes: &[u8]) -> image::ImageResult<impl ImageDecoder + '_> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    reader.limits(limits());
    reader.into_decoder()
}

/// A full decode under the limits, with decoder panics contained.
pub fn decode(kind: Kind, bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    contain(|| {
        let d = decoder(kind, bytes)?;
        let mut l = limits();
        l.reserve(d.total_bytes())?;
        DynamicImage::from_decoder(d)
    })?
    .map_err(|e| map_err(kind, e))
}

/// Decodes what we are about to store and checks it is the picture we meant.
fn verify(kind: Kind, bytes: &[u8], expected: &DynamicImage) -> Result<DynamicImage, ImageError> {
    let back = decode(kind, bytes).map_err(|e| ImageError::Verify(e.to_string()))?;
    if back.dimensions_pair() != expected.dimensions_pair() {
        return Err(ImageError::Verify(format!(
            "it decodes as {}×{} instead of {}×{}",
            back.width(),
            back.height(),
            expected.width(),
            expected.height()
        )));
    }
    Ok(back)
}

trait Dims {
    fn dimensions_pair(&self) -> (u32, u32);
}

impl Dims for DynamicImage {
    fn dimensions_pair(&self) -> (u32, u32) {
        (self.width(), self.height())
    }
}

/// JPEG at [`JPEG_QUALITY`]: grey stays grey, everything else becomes RGB (alpha flattened on white).
pub fn encode_jpeg(img: &DynamicImage, icc: Option<Vec<u8>>) -> Result<Vec<u8>, ImageError> {
    encode_jpeg_q(img, icc, JPEG_QUALITY)
}

/// JPEG at `quality` with jpeg-encoder (SIMD; several times faster than the image crate's encoder).
pub fn encode_jpeg_q(img: &DynamicImage, icc: Option<Vec<u8>>, quality: u8) -> Result<Vec<u8>, ImageError> {
    use jpeg_encoder::{ColorType, Encoder};
    let encode_err = |e: jpeg_encoder::EncodingError| ImageError::Encode(e.to_string());
    let (w, h) = (img.width(), img.height());
    let (Ok(w16), Ok(h16)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err(ImageError::Encode(format!("{w}×{h} is too large for JPEG")));
    };
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, quality);
    if let Some(icc) = icc {
        enc.add_icc_profile(&icc).map_err(encode_err)?;
    }
    match img {
        DynamicImage::ImageLuma8(g) => enc.encode(g.as_raw(), w16, h16, ColorType::Luma),
        DynamicImage::ImageRgb8(rgb) => enc.encode(rgb.as_raw(), w16, h16, ColorType::Rgb),
        other => enc.encode(flatten(other).as_raw(), w16, h16, ColorType::Rgb),
    }
    .map_err(encode_err)?;
    Ok(out)
}

/// RGB on a white background (for JPEG, which has no alpha).
pub fn flatten(img: &DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    let mut out = image::RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = p[3] as u32;
        for c in 0..3 {
            o[c] = ((p[c] as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

fn encode_png(img: &DynamicImage, icc: Option<Vec<u8>>) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let mut enc = PngEncoder::new_with_quality(&mut out, CompressionType::Fast, PngFilter::Adaptive);
    if let Some(icc) = icc {
        let _ = enc.set_icc_profile(icc);
    }
    enc.write_image(img.as_bytes(), img.width(), img.height(), img.color().into())
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(out)
}

fn map_err(kind: Kind, e: image::ImageError) -> ImageError {
    use image::error::LimitErrorKind;
    match e {
        image::ImageError::Limits(l) => match l.kind() {
            LimitErrorKind::DimensionError => ImageError::TooManyPixels,
            _ => ImageError::TooMuchMemory,
        },
        image::ImageError::Unsupported(u) => ImageError::Unsupported { format: kind.name(), reason: u.to_string() },
        other => ImageError::Malformed { format: kind.name(), reason: one_line(&other.to_string()) },
    }
}

fn one_line(s: &str) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if s.chars().count() > 200 {
        s.chars().take(200).chain("…".chars()).collect()
    } else {
        s
    }
}

thread_local! {
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}
static QUIET_HOOK: Once = Once::new();

/// Runs decoder code so that a panic inside it becomes [`ImageError::DecoderPanic`]
/// instead of ending the process (the release profile keeps `panic = "unwind"` for this).
/// A contained panic is logged at debug level rather than printed.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, ImageError> {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CONTAINED.with(Cell::get) {
                tracing::debug!("image decoder panicked (contained): {info}");
            } else {
                previous(info);
            }
        }));
    });
    let was = CONTAINED.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(was));
    result.map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        ImageError::DecoderPanic(one_line(&msg))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn rgb(w: u32, h: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| Rgb([(x * 7) as u8, (y * 5) as u8, 90])))
    }

    fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_panic_in_decoding_is_contained_and_named() {
        let r: Result<(), _> = contain(|| panic!("bad huffman table"));
        match r {
            Err(ImageError::DecoderPanic(m)) => assert_eq!(m, "bad huffman table"),
            other => panic!("{other:?}"),
        }
        assert_eq!(contain(|| 7).unwrap(), 7, "nothing left switched on after a panic");
    }

    #[test]
    fn recognises_formats_by_content() {
        let img = rgb(8, 6);
        for (format, kind) in [
            (ImageFormat::Jpeg, Kind::Jpeg),
            (ImageFormat::Png, Kind::Png),
            (ImageFormat::Gif, Kind::Gif),
            (ImageFormat::Bmp, Kind::Bmp),
            (ImageFormat::Tiff, Kind::Tiff),
            (ImageFormat::WebP, Kind::WebP),
        ] {
            let bytes = encoded(&img, format);
            assert_eq!(sniff(&bytes), Some(kind), "{format:?}");
            let p = process(&bytes).unwrap_or_else(|e| panic!("{format:?}: {e}"));
            assert_eq!((p.image.width, p.image.height), (8, 6));
            let stored_as = if kind == Kind::Jpeg { "jpeg" } else { "png" };
            assert_eq!(p.image.format, stored_as);
            assert_eq!(p.image.bytes, p.bytes.len() as u64);
            assert_eq!(p.image.sha256, sha256_hex(&p.bytes));
        }
        assert_eq!(sniff(b"%PDF-1.7"), None);
    }

    #[test]
    fn png_keeps_pixels_exactly_and_drops_text_chunks() {
        let img = DynamicImage::ImageRgba8(RgbaImage::from_fn(9, 4, |x, y| Rgba([x as u8 * 20, y as u8, 3, 128])));
        let mut png = encoded(&img, ImageFormat::Png);
        // A tEXt chunk before IEND (CRC is not checked by the decoder for ancillary chunks here; compute it anyway).
        let text = b"tEXtComment\0GPS 50.45N 30.52E";
        let mut chunk = (text.len() as u32 - 4).to_be_bytes().to_vec();
        chunk.extend_from_slice(text);
        chunk.extend_from_slice(&crc32fast::hash(text).to_be_bytes());
        let iend = png.len() - 12;
        png.splice(iend..iend, chunk);
        assert!(png.windows(3).any(|w| w == b"GPS"));
        let p = process(&png).unwrap();
        assert!(!p.bytes.windows(4).any(|w| w == b"tEXt"));
        assert_eq!(p.pixels.to_rgba8(), img.to_rgba8());
        assert_eq!(decode(Kind::Png, &p.bytes).unwrap().to_rgba8(), img.to_rgba8());
    }

    #[test]
    fn limits_refuse_huge_declared_sizes_before_decoding() {
        let mut png = encoded(&rgb(4, 4), ImageFormat::Png);
        png[16..20].copy_from_slice(&(MAX_SIDE + 1).to_be_bytes());
        let crc = crc32fast::hash(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(process(&png).unwrap_err().code(), ErrorCode::TooManyPixels);
        // Within the side limit but past the memory limit: 12000 × 12000 16-bit RGBA.
        png[16..20].copy_from_slice(&MAX_SIDE.to_be_bytes());
        png[20..24].copy_from_slice(&MAX_SIDE.to_be_bytes());
        png[24..26].copy_from_slice(&[16, 6]);
        let crc = crc32fast::hash(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(process(&png).unwrap_err().code(), ErrorCode::TooMuchMemory);
        assert_eq!(process(&[]).unwrap_err().code(), ErrorCode::Empty);
        assert_eq!(process(b"hello, world").unwrap_err().code(), ErrorCode::NotAnImage);
    }

    #[test]
    fn flatten_puts_alpha_on_white() {
        let img = DynamicImage::ImageRgba8(RgbaImage::from_pixel(1, 1, Rgba([0, 0, 0, 0])));
        assert_eq!(flatten(&img).get_pixel(0, 0), &Rgb([255, 255, 255]));
    }
}
