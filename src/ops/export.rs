//! One export path for the CLI and the desktop app: a report to PDF (optionally signed),
//! JSON, text or Markdown, with the library's settings applied.
//!
//! [`export`] is the whole use case: check the request, render, write the file whole (never into
//! the library folder), and record a signed export with the report. [`render`] alone gives the
//! bytes (the live preview and the benchmarks use it).

use crate::error::ErrorCode;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::Digest as _;
use time::OffsetDateTime;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::brief::{self, Branding, BriefError, BriefOptions, LibraryImages, PageSize, SignatureAppearance};
use crate::interchange::{json, markdown, text};
use crate::model::{Status, StoredReport};
use crate::paths::DataDir;
use crate::settings::{Settings, SettingsError};
use crate::sign::{self, SignError, SignOptions, Signer};
use crate::store::{SignedExport, Store, StoreError};

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    Pdf,
    Json,
    Txt,
    Md,
}

impl Format {
    /// The format a file name asks for: .pdf, .json, .txt/.text, .md/.markdown.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("pdf") => Some(Format::Pdf),
            Some("json") => Some(Format::Json),
            Some("txt") | Some("text") => Some(Format::Txt),
            Some("md") | Some("markdown") => Some(Format::Md),
            _ => None,
        }
    }
}

/// How to render.
pub struct RenderRequest<'a> {
    pub format: Format,
    /// Paper size of a PDF; `None` takes the library's setting.
    pub page_size: Option<PageSize>,
    /// A DRAFT watermark on every page of a PDF (not allowed with a signature).
    pub draft: bool,
    /// Sign the PDF with this unlocked identity.
    pub signer: Option<&'a Signer>,
    /// Every date the export writes (see [`crate::Env::export_time`]).
    pub time: OffsetDateTime,
}

/// The bytes to write, and what the analyst should know about them.
#[derive(Debug)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
    /// For a signed PDF: the signer's name and certificate fingerprint.
    pub signed_by: Option<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("only a PDF brief can be signed")]
    SignNeedsPdf,
    #[error("a signed brief cannot carry the DRAFT watermark; export a draft unsigned")]
    DraftSigned,
    #[error(transparent)]
    Brief(#[from] BriefError),
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Write(#[from] crate::fsutil::WriteError),
}

impl ExportError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ExportError::SignNeedsPdf => ErrorCode::SignNeedsPdf,
            ExportError::DraftSigned => ErrorCode::DraftSigned,
            ExportError::Brief(e) => e.code(),
            ExportError::Sign(e) => e.code(),
            ExportError::Store(e) => e.code(),
            ExportError::Settings(e) => e.code(),
            ExportError::Write(e) => e.code(),
        }
    }
}

/// How to export, as the app's export dialog and the CLI's flags say it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportRequest {
    pub format: Format,
    /// PDF paper size; `None` takes the library setting.
    pub page_size: Option<PageSize>,
    /// PDF only: a DRAFT watermark on every page (not with a signature).
    pub draft: bool,
    /// PDF only: sign with this identity.
    pub identity: Option<String>,
}

/// Where an export is written.
pub enum Target<'a> {
    /// A file, replaced whole or left as it was.
    File(&'a Path),
    /// A stream (the CLI's standard output).
    Stream(&'a mut dyn Write),
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportOutcome {
    /// The file written ("-" for a stream).
    pub path: String,
    /// The report's number, e.g. BW-2026-0001.
    pub number: String,
    pub bytes: u64,
    /// Things the analyst should know (e.g. a character no font has, a missing image).
    pub warnings: Vec<String>,
    /// The record of a signed export (also in the report's history).
    pub signed: Option<SignedExport>,
}

/// Exports the saved revision of report `id`: checks the request, then renders it (asking
/// `unlock` for the signing key only once everything else is known to be in order, so nobody is
/// asked for a passphrase for a doomed export), writes it whole to `target` (never inside the
/// library folder), and records a signed export with the report, marking it signed.
pub fn export(
    store: &mut Store,
    id: Uuid,
    request: &ExportRequest,
    target: Target,
    unlock: impl FnOnce(&str) -> Result<std::sync::Arc<Signer>, SignError>,
) -> Result<ExportOutcome, ExportError> {
    if request.identity.is_some() && request.format != Format::Pdf {
        return Err(ExportError::SignNeedsPdf);
    }
    if request.identity.is_some() && request.draft {
        return Err(ExportError::DraftSigned);
    }
    if let Target::File(path) = target {
        crate::fsutil::outside_library(store.data_dir(), path)?;
    }
    let stored = store.get(id)?;
    let settings = Settings::load(store.data_dir())?;
    let signer = request.identity.as_deref().map(unlock).transpose()?;
    let time = store.env().export_time();
    let render_request = RenderRequest {
        format: request.format,
        page_size: request.page_size,
        draft: request.draft,
        signer: signer.as_deref(),
        time,
    };
    let exported = render(store.data_dir(), &settings, &stored, &render_request)?;
    let path = write(store.data_dir(), target, &exported.bytes)?;
    let file_name = Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(path.clone());
    let signed = record_signed(store, &stored, &exported, &file_name, time)?;
    Ok(ExportOutcome {
        path,
        number: stored.number,
        bytes: exported.bytes.len() as u64,
        warnings: exported.warnings,
        signed,
    })
}

/// Writes the bytes whole (see [`crate::fsutil::write_atomic`]); returns what was written to.
fn write(dir: &DataDir, target: Target, bytes: &[u8]) -> Result<String, ExportError> {
    use crate::fsutil::WriteError;
    match target {
        Target::File(path) => {
            crate::fsutil::write_export(dir, path, bytes)?;
            Ok(path.display().to_string())
        }
        Target::Stream(out) => {
            let to_stream = |source| WriteError::Io { path: PathBuf::from("standard output"), source };
            out.write_all(bytes).and_then(|()| out.flush()).map_err(to_stream)?;
            Ok("-".to_string())
        }
    }
}

/// The unsigned PDF brief of `stored` as it will print, with the library's settings (for the live
/// preview: `stored` may hold unsaved content). Settings that cannot be read give the defaults.
pub fn preview_pdf(
    store: &Store,
    stored: &StoredReport,
    page_size: Option<PageSize>,
    draft: bool,
) -> Result<Vec<u8>, ExportError> {
    let settings = Settings::load(store.data_dir()).unwrap_or_default();
    let request =
        RenderRequest { format: Format::Pdf, page_size, draft, signer: None, time: store.env().export_time() };
    Ok(render(store.data_dir(), &settings, stored, &request)?.bytes)
}

/// Renders `stored` in the requested format. Deterministic: the same report, settings,
/// request and time give the same bytes (a signature adds the signer's key, and ECDSA
/// signatures are randomised, so only an unsigned export repeats byte for byte).
pub fn render(
    data: &DataDir,
    settings: &Settings,
    stored: &StoredReport,
    request: &RenderRequest,
) -> Result<Exported, ExportError> {
    let text = match request.format {
        Format::Pdf => return pdf(data, settings, stored, request),
        Format::Json => json::write(stored),
        Format::Txt => text::write(&stored.report),
        Format::Md => markdown::write(stored),
    };
    if request.signer.is_some() {
        return Err(ExportError::SignNeedsPdf);
    }
    let warnings = match request.format {
        Format::Txt => match text::losses(&stored.report) {
            lost if lost.is_empty() => Vec::new(),
            lost => vec![format!(
                "the text format does not carry these parts exactly (export to JSON for a lossless copy): {}",
                lost.join(", ")
            )],
        },
        _ => Vec::new(),
    };
    Ok(Exported { bytes: text.into_bytes(), warnings, signed_by: None })
}

/// The PDF brief, signed when the request carries a signer.
fn pdf(
    data: &DataDir,
    settings: &Settings,
    stored: &StoredReport,
    request: &RenderRequest,
) -> Result<Exported, ExportError> {
    if request.draft && request.signer.is_some() {
        return Err(ExportError::DraftSigned);
    }
    let mut options = BriefOptions::new(request.time);
    options.page_size = request.page_size.unwrap_or(settings.page_size);
    options.draft = request.draft;
    options.branding = Branding {
        accent: settings.accent_rgb(),
        logo: settings.logo_bytes(data),
        organisation: settings.organisation.clone(),
    };
    options.signature = request.signer.map(|s| SignatureAppearance {
        signer: s.identity.common_name.clone().unwrap_or_else(|| s.identity.name.clone()),
        organisation: s.identity.organisation.clone(),
        time: request.time,
        fingerprint: s.identity.fingerprint.clone(),
    });
    let brief = brief::render(stored, &LibraryImages::new(data), &options)?;
    let Some(signer) = request.signer else {
        return Ok(Exported { bytes: brief.pdf, warnings: brief.warnings, signed_by: None });
    };
    let mut sign_options = SignOptions::at(request.time);
    sign_options.field_rect = brief.signature_rect.map(|r| (r.page_index, r.rect));
    sign_options.reason = Some(format!("Briefwright brief {} revision {}", stored.number, stored.revision));
    let bytes = sign::sign_pdf(&brief.pdf, signer, &sign_options)?;
    let name = signer.identity.common_name.clone().unwrap_or_else(|| signer.identity.name.clone());
    Ok(Exported { bytes, warnings: brief.warnings, signed_by: Some((name, signer.identity.fingerprint.clone())) })
}

/// Records a signed export that was written to `file_name`: the report revision it shows,
/// the file's SHA-256, the signer's fingerprint and the time, and marks the report signed.
/// Unsigned exports are not recorded.
pub fn record_signed(
    store: &mut Store,
    stored: &StoredReport,
    exported: &Exported,
    file_name: &str,
    time: OffsetDateTime,
) -> Result<Option<SignedExport>, ExportError> {
    let Some((signer_name, fingerprint)) = &exported.signed_by else {
        return Ok(None);
    };
    let record = SignedExport {
        report_id: stored.id,
        report_revision: stored.revision,
        file_sha256: sign::hex(&sha2::Sha256::digest(&exported.bytes)),
        signer_name: signer_name.clone(),
        signer_fingerprint: fingerprint.clone(),
        signed: time,
        file_name: file_name.to_string(),
    };
    store.record_signed_export(&record)?;
    if stored.status != Status::Signed {
        // Someone may have edited the report meanwhile: then the newer revision keeps its status.
        match store.set_status(stored.id, stored.revision, Status::Signed) {
            Ok(_) | Err(StoreError::Stale { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Some(record))
}
