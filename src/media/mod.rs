//! Image attachments: safe import, metadata stripping, content-addressed files,
//! thumbnails, and the figure list of a report.
//!
//! Architecture invariants:
//! - **Untrusted bytes are decoded only under [`limits`](process::limits)** (at most
//!   [`MAX_SIDE`] px per side, [`MAX_ALLOC_BYTES`] for the pixel buffer, files up to
//!   [`MAX_FILE_BYTES`]) and inside [`std::panic::catch_unwind`]: a hostile file gives an
//!   [`ImageError`], never a crash, and a decompression bomb is refused before it allocates.
//! - **Formats are recognised by content**, never by the file name.
//! - **Nothing identifying is stored**: EXIF (GPS included), XMP, IPTC, comments and PNG
//!   text chunks are removed after the EXIF orientation is applied. An upright JPEG is
//!   stripped losslessly (its scan data is kept byte for byte, see [`jpeg`]); a rotated
//!   one is decoded, turned and re-encoded at [`JPEG_QUALITY`]; PNG is re-encoded from
//!   its pixels (lossless); WebP, GIF (first frame), BMP and TIFF are stored as PNG.
//!   ICC colour profiles are kept: they keep colours right and say nothing about where
//!   or when a picture was taken (a camera's own profile may name its maker or model).
//! - **Every stored file decodes again** before it is referenced.
//! - **Files are named by content**: `images/<sha256>.jpg|png` (as in the Markdown export),
//!   written atomically (temporary file, fsync, rename, fsync of the folder) *before* the
//!   report that refers to it is saved. A failed save leaves an unreferenced file for the
//!   collector, never a reference to a missing file.
//! - **The collector ([`gc`]) removes only files no report and no revision refers to**, and
//!   only when older than a grace period ([`GC_GRACE`]), so a file another process has just
//!   written but not yet committed survives.
//! - Every figure change is a revision saved against the revision it was based on (a stale
//!   edit is refused), with a note in the history.

pub mod files;
pub mod jpeg;
pub mod process;
pub mod thumbs;

use crate::error::ErrorCode;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use uuid::Uuid;

use crate::model::{Figure, ImageRef, StoredReport};
use crate::paths::DataDir;
use crate::store::{Store, StoreError};

pub use files::{ImageFiles, ThumbSize};
pub use process::{process, Kind, Processed};

/// The largest image file accepted (64 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// The most memory a decoded image may take (512 MiB): 12,000 × 12,000 RGB fits, 16-bit RGBA of that size does not.
pub const MAX_ALLOC_BYTES: u64 = 512 * 1024 * 1024;
/// JPEG quality for a photo that had to be re-encoded (rotated by its EXIF orientation).
pub const JPEG_QUALITY: u8 = 92;
/// Files younger than this are never collected (another process may be about to save a reference).
pub const GC_GRACE: Duration = Duration::from_secs(10 * 60);

/// Why an image was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {} MB; images up to {} MB are accepted", size / 1_000_000, MAX_FILE_BYTES / 1_000_000)]
    FileTooLarge { size: u64 },
    #[error("it is not a JPEG, PNG, WebP, GIF, BMP or TIFF image (its content looks like {looks_like})")]
    NotAnImage { looks_like: &'static str },
    #[error("the image is larger than {MAX_SIDE} × {MAX_SIDE} pixels")]
    TooManyPixels,
    #[error("the image would need more than {} MB of memory to open", MAX_ALLOC_BYTES / 1_000_000)]
    TooMuchMemory,
    #[error("it is a damaged or unreadable {format} image ({reason})")]
    Malformed { format: &'static str, reason: String },
    #[error("this kind of {format} image is not supported ({reason})")]
    Unsupported { format: &'static str, reason: String },
    #[error("the image decoder failed on it ({0}); it is probably damaged or hostile")]
    DecoderPanic(String),
    #[error("the cleaned image could not be written ({0})")]
    Encode(String),
    #[error("the cleaned image did not read back correctly ({0})")]
    Verify(String),
}

impl ImageError {
    /// A stable code for the UI and scripts.
    pub fn code(&self) -> ErrorCode {
        match self {
            ImageError::Empty => ErrorCode::Empty,
            ImageError::FileTooLarge { .. } => ErrorCode::FileTooLarge,
            ImageError::NotAnImage { .. } => ErrorCode::NotAnImage,
            ImageError::TooManyPixels => ErrorCode::TooManyPixels,
            ImageError::TooMuchMemory => ErrorCode::TooMuchMemory,
            ImageError::Malformed { .. } => ErrorCode::Malformed,
            ImageError::Unsupported { .. } => ErrorCode::Unsupported,
            ImageError::DecoderPanic(_) => ErrorCode::DecoderPanic,
            ImageError::Encode(_) => ErrorCode::Encode,
            ImageError::Verify(_) => ErrorCode::Verify,
        }
    }
}

/// A failed attachment operation: one sentence naming the file or figure and the reason.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("{}: {source}", path.display())]
    Image { path: PathBuf, source: ImageError },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write to the image folder ({}): {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the stored image {} is missing", path.display())]
    Missing { path: PathBuf },
    #[error("report {number} has no figure {figure} (it has {count})")]
    NoFigure { number: String, figure: usize, count: usize },
    #[error("figure {figure} of report {number} already has an image; remove it or attach as a new figure")]
    FigureTaken { number: String, figure: usize },
    #[error("figure {figure} of report {number} has no image attached yet")]
    NoImage { number: String, figure: usize },
    #[error("attaching to an existing figure takes exactly one image")]
    OneImagePerFigure,
    #[error("no image to attach")]
    NothingToAttach,
    #[error("a caption is one line of text without control characters")]
    BadCaption,
    #[error("{0} is not a thumbnail size (256 or 1024)")]
    BadThumbnailSize(u32),
    #[error("'{0}' is not a stored image")]
    NotStored(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl MediaError {
    /// A stable code for the UI and scripts.
    pub fn code(&self) -> ErrorCode {
        match self {
            MediaError::Image { source, .. } => source.code(),
            MediaError::Read { .. } => ErrorCode::Read,
            MediaError::Write { .. } => ErrorCode::Write,
            MediaError::Missing { .. } => ErrorCode::Missing,
            MediaError::NoFigure { .. } => ErrorCode::NoFigure,
            MediaError::FigureTaken { .. } => ErrorCode::FigureTaken,
            MediaError::NoImage { .. } => ErrorCode::NoImage,
            MediaError::OneImagePerFigure => ErrorCode::OneImagePerFigure,
            MediaError::NothingToAttach => ErrorCode::NothingToAttach,
            MediaError::BadCaption => ErrorCode::BadCaption,
            MediaError::BadThumbnailSize(_) | MediaError::NotStored(_) => ErrorCode::BadArgument,
            MediaError::Store(e) => e.code(),
        }
    }
}

/// An image to attach: its bytes and a name for messages (a path, or e.g. "pasted image").
#[derive(Debug, Clone)]
pub struct Input {
    pub name: PathBuf,
    pub bytes: Vec<u8>,
}

impl Input {
    /// Reads a file, refusing one over [`MAX_FILE_BYTES`] without reading it all.
    pub fn read(path: &Path) -> Result<Input, MediaError> {
        use crate::fsutil::{read_limited, ReadError};
        let bytes = read_limited(path, MAX_FILE_BYTES).map_err(|e| match e {
            ReadError::Io { path, source } => MediaError::Read { path, source },
            ReadError::TooLarge { path, size, .. } => {
                MediaError::Image { path, source: ImageError::FileTooLarge { size } }
            }
        })?;
        Ok(Input { name: path.to_path_buf(), bytes })
    }
}

/// How to attach.
#[derive(Debug, Clone, Default)]
pub struct AttachOptions {
    /// The caption of every new figure (default: empty — a file name can itself reveal too much).
    /// With `figure`, replaces the placeholder's caption.
    pub caption: Option<String>,
    /// Attach the one image to this existing figure (a caption placeholder) instead of adding figures.
    pub figure: Option<usize>,
}

/// One attached image.
#[derive(Debug, Clone, Serialize)]
pub struct AttachedFigure {
    /// 1-based figure number.
    pub figure: usize,
    pub image: ImageRef,
    pub source: PathBuf,
    /// Whether the identical image was already in the image folder.
    pub already_stored: bool,
    /// Whether the stored JPEG is the original's data with only the metadata removed.
    pub lossless: bool,
}

/// The outcome of [`attach`].
#[derive(Debug, Clone)]
pub struct Attached {
    pub report: StoredReport,
    pub figures: Vec<AttachedFigure>,
}

/// Attaches images to a report edited at revision `base`: all of them or none.
///
/// Every input is validated and cleaned first; then the files are stored and the
/// thumbnails made; then one revision is saved. A refused file changes nothing.
pub fn attach(
    store: &mut Store,
    id: Uuid,
    base: u32,
    inputs: &[Input],
    options: &AttachOptions,
) -> Result<Attached, MediaError> {
    if inputs.is_empty() {
        return Err(MediaError::NothingToAttach);
    }
    if options.figure.is_some() && inputs.len() != 1 {
        return Err(MediaError::OneImagePerFigure);
    }
    let caption = options.caption.as_deref().map(clean_caption).transpose()?;
    store.check_writable()?;
    let current = store.get(id)?;
    if current.revision != base {
        return Err(StoreError::Stale { number: current.number, current: current.revision, base }.into());
    }
    if let Some(n) = options.figure {
        placeholder(&current, n)?;
    }
    let mut processed = Vec::with_capacity(inputs.len());
    for input in inputs {
        let p = process(&input.bytes).map_err(|source| MediaError::Image { path: input.name.clone(), source })?;
        processed.push(p);
    }

    let files = ImageFiles::new(store.data_dir());
    let mut stored = Vec::with_capacity(processed.len());
    for (input, p) in inputs.iter().zip(&processed) {
        let path = files.path(&p.image).expect("a computed SHA-256 is a valid content address");
        let already = files.put(&path, &p.bytes).map_err(|source| MediaError::Write { path: path.clone(), source })?;
        if let Err(e) = write_thumbnails(&files, p) {
            tracing::warn!("thumbnails for {} were not written: {e}", input.name.display());
        }
        stored.push((path, already));
    }

    let mut report = current.report.clone();
    let mut figures = Vec::with_capacity(processed.len());
    for ((input, p), (_, already)) in inputs.iter().zip(&processed).zip(&stored) {
        let number = match options.figure {
            Some(n) => {
                let f = &mut report.images[n - 1];
                f.image = Some(p.image.clone());
                if let Some(c) = &caption {
                    f.caption = c.clone();
                }
                n
            }
            None => {
                report
                    .images
                    .push(Figure { caption: caption.clone().unwrap_or_default(), image: Some(p.image.clone()) });
                report.images.len()
            }
        };
        figures.push(AttachedFigure {
            figure: number,
            image: p.image.clone(),
            source: input.name.clone(),
            already_stored: *already,
            lossless: p.lossless,
        });
    }
    let note = match figures.as_slice() {
        [one] => format!("attached figure {}", one.figure),
        many => format!("attached figures {}–{}", many[0].figure, many[many.len() - 1].figure),
    };
    let saved = store.save_noted(id, base, report, &note)?;
    // A collector in another process may have removed a file it saw as old and unreferenced
    // between our `put` and the save: the reference is committed now, so put the file back.
    for ((path, _), p) in stored.iter().zip(&processed) {
        if !path.exists() {
            files::write_atomic(path, &p.bytes).map_err(|source| MediaError::Write { path: path.clone(), source })?;
        }
    }
    Ok(Attached { report: saved, figures })
}

fn write_thumbnails(files: &ImageFiles, p: &Processed) -> Result<(), String> {
    let all = thumbs::make_all(&p.pixels).map_err(|e| e.to_string())?;
    for (px, bytes) in all {
        let size = ThumbSize::from_pixels(px).expect("make_all makes the known sizes");
        let path = files.thumb_path(&p.image.sha256, size);
        files.put(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Changes a figure's caption (a new revision).
pub fn set_caption(
    store: &mut Store,
    id: Uuid,
    base: u32,
    figure: usize,
    caption: &str,
) -> Result<StoredReport, MediaError> {
    let caption = clean_caption(caption)?;
    let current = based(store, id, base)?;
    check_figure(&current, figure)?;
    let mut report = current.report;
    report.images[figure - 1].caption = caption;
    Ok(store.save_noted(id, base, report, &format!("captioned figure {figure}"))?)
}

/// Moves figure `from` to position `to` (both 1-based); the others shift (a new revision).
pub fn move_figure(store: &mut Store, id: Uuid, base: u32, from: usize, to: usize) -> Result<StoredReport, MediaError> {
    let current = based(store, id, base)?;
    check_figure(&current, from)?;
    check_figure(&current, to)?;
    let mut report = current.report;
    let f = report.images.remove(from - 1);
    report.images.insert(to - 1, f);
    Ok(store.save_noted(id, base, report, &format!("moved figure {from} to {to}"))?)
}

/// Removes a figure (a new revision), then collects files nothing refers to any more.
/// The image stays stored while an older revision refers to it (restoring brings it back).
pub fn remove_figure(
    store: &mut Store,
    id: Uuid,
    base: u32,
    figure: usize,
) -> Result<(StoredReport, GcOutcome), MediaError> {
    let current = based(store, id, base)?;
    check_figure(&current, figure)?;
    let mut report = current.report;
    report.images.remove(figure - 1);
    let saved = store.save_noted(id, base, report, &format!("removed figure {figure}"))?;
    let collected = gc(store, GC_GRACE)?;
    Ok((saved, collected))
}

fn based(store: &Store, id: Uuid, base: u32) -> Result<StoredReport, MediaError> {
    let current = store.get(id)?;
    if current.revision != base {
        return Err(StoreError::Stale { number: current.number, current: current.revision, base }.into());
    }
    Ok(current)
}

fn check_figure(stored: &StoredReport, figure: usize) -> Result<(), MediaError> {
    let count = stored.report.images.len();
    if figure == 0 || figure > count {
        return Err(MediaError::NoFigure { number: stored.number.clone(), figure, count });
    }
    Ok(())
}

fn placeholder(stored: &StoredReport, figure: usize) -> Result<(), MediaError> {
    check_figure(stored, figure)?;
    if stored.report.images[figure - 1].image.is_some() {
        return Err(MediaError::FigureTaken { number: stored.number.clone(), figure });
    }
    Ok(())
}

fn clean_caption(caption: &str) -> Result<String, MediaError> {
    let c = caption.trim();
    if c.chars().any(char::is_control) {
        return Err(MediaError::BadCaption);
    }
    Ok(c.to_string())
}

/// One figure as listed for people and scripts.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub figure: usize,
    pub caption: String,
    pub image: Option<ImageRef>,
    /// The stored file (absent for a placeholder).
    pub file: Option<PathBuf>,
}

/// The figures of a report, numbered.
pub fn list(dir: &DataDir, stored: &StoredReport) -> Vec<Listed> {
    let files = ImageFiles::new(dir);
    stored
        .report
        .images
        .iter()
        .enumerate()
        .map(|(i, f)| Listed {
            figure: i + 1,
            caption: f.caption.clone(),
            image: f.image.clone(),
            file: f.image.as_ref().and_then(|img| files.path(img)),
        })
        .collect()
}

/// The thumbnail of a stored image, made (from the stored file) when missing.
pub fn thumbnail(dir: &DataDir, image: &ImageRef, size: ThumbSize) -> Result<PathBuf, MediaError> {
    let files = ImageFiles::new(dir);
    let source = files.path(image).ok_or_else(|| MediaError::Missing { path: PathBuf::from(&image.sha256) })?;
    let thumb = files.thumb_path(&image.sha256.to_ascii_lowercase(), size);
    if thumb.is_file() {
        return Ok(thumb);
    }
    let input = Input::read(&source).map_err(|e| match e {
        MediaError::Read { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
            MediaError::Missing { path }
        }
        other => other,
    })?;
    let kind = if image.format == "jpeg" { Kind::Jpeg } else { Kind::Png };
    let image_err = |source| MediaError::Image { path: input.name.clone(), source };
    let pixels = process::decode(kind, &input.bytes).map_err(image_err)?;
    let small = thumbs::shrink(&pixels, size.pixels()).map_err(image_err)?;
    let bytes = process::encode_jpeg_q(&small, None, thumbs::THUMB_QUALITY).map_err(image_err)?;
    files::write_atomic(&thumb, &bytes).map_err(|source| MediaError::Write { path: thumb.clone(), source })?;
    Ok(thumb)
}

/// The bytes of the JPEG thumbnail (`px` = 256 or 1024) of the stored image named by its SHA-256
/// and format ("jpeg" or "png"), made when missing.
pub fn thumbnail_bytes(dir: &DataDir, sha256: &str, format: &str, px: u32) -> Result<Vec<u8>, MediaError> {
    let size = ThumbSize::from_pixels(px).ok_or(MediaError::BadThumbnailSize(px))?;
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) || !matches!(format, "jpeg" | "png") {
        let shown: String = sha256.chars().take(40).collect();
        return Err(MediaError::NotStored(shown));
    }
    let image = ImageRef { sha256: sha256.to_string(), format: format.to_string(), width: 0, height: 0, bytes: 0 };
    let path = thumbnail(dir, &image, size)?;
    std::fs::read(&path).map_err(|source| MediaError::Read { path, source })
}

/// What a collection removed and kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GcOutcome {
    pub removed_images: usize,
    pub removed_thumbnails: usize,
    pub removed_temporary: usize,
    pub freed_bytes: u64,
    /// Unreferenced files kept because they are younger than the grace period.
    pub kept_recent: usize,
    /// Images some report or revision refers to.
    pub referenced: usize,
}

/// Removes image files, thumbnails and leftover temporary files that no report and no
/// revision refers to and that are older than `grace`. Names the collector did not write
/// are never touched.
pub fn gc(store: &Store, grace: Duration) -> Result<GcOutcome, MediaError> {
    let refs = store.image_references()?;
    let files = ImageFiles::new(store.data_dir());
    let mut out = GcOutcome { referenced: refs.len(), ..GcOutcome::default() };
    for (dir, in_thumbs) in [(files.dir().to_path_buf(), false), (files.thumbs_dir(), true)] {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(MediaError::Read { path: dir, source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| MediaError::Read { path: dir.clone(), source })?;
            let name = entry.file_name();
            let Some(kind) = name.to_str().and_then(|n| files::classify(n, in_thumbs)) else { continue };
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let referenced = match &kind {
                files::Entry::Image(sha) | files::Entry::Thumb(sha) => refs.contains(sha),
                files::Entry::Temp => false,
            };
            if referenced {
                continue;
            }
            if files::age(&meta) < grace {
                out.kept_recent += 1;
                continue;
            }
            let path = entry.path();
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    out.freed_bytes += meta.len();
                    match kind {
                        files::Entry::Image(_) => out.removed_images += 1,
                        files::Entry::Thumb(_) => out.removed_thumbnails += 1,
                        files::Entry::Temp => out.removed_temporary += 1,
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(MediaError::Write { path, source }),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
