//! Reading and writing reports outside the store.
//!
//! - [`text`]: the plain-text format analysts already hold (docs/report-format.md).
//! - [`json`]: our lossless, versioned JSON form.
//! - [`markdown`]: a readable Markdown rendering (export only).
//!
//! [`import_bytes`] is the one entry point for files from outside: it applies the
//! size limit, recognises the format by content and refuses anything that is not
//! a report with one clear sentence.

pub mod json;
pub mod markdown;
pub mod text;

use crate::error::ErrorCode;
use crate::model::Report;

/// Files larger than this are refused before parsing (a report is a few kB).
pub const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;

/// Something the parser could not place, kept in the report's notes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Warning {
    /// 1-based line number in the source text.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A report read from a file, with what could not be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub report: Report,
    pub warnings: Vec<Warning>,
}

/// Why a file is not a report. Each message is one sentence (without the file name).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is too large ({size} bytes; a report may be at most {limit} bytes)")]
    TooLarge { size: usize, limit: usize },
    #[error("the file is a PDF, not a report (import reads .txt and .json reports)")]
    Pdf,
    #[error("the file is binary data, not a text report")]
    Binary,
    #[error("the file is not valid UTF-8 text (invalid byte at offset {offset})")]
    InvalidUtf8 { offset: usize },
    #[error(transparent)]
    Text(#[from] text::ParseError),
    #[error(transparent)]
    Json(#[from] json::JsonError),
    #[error("the file cannot be read ({0})")]
    Read(String),
}

impl ImportError {
    /// A stable code for the app and scripts.
    pub fn code(&self) -> ErrorCode {
        match self {
            ImportError::Empty => ErrorCode::ImportEmpty,
            ImportError::TooLarge { .. } => ErrorCode::ImportTooLarge,
            ImportError::Pdf => ErrorCode::ImportPdf,
            ImportError::Binary => ErrorCode::ImportBinary,
            ImportError::InvalidUtf8 { .. } => ErrorCode::ImportNotUtf8,
            ImportError::Text(_) => ErrorCode::ImportNotAReport,
            ImportError::Json(_) => ErrorCode::ImportBadJson,
            ImportError::Read(_) => ErrorCode::ImportUnreadable,
        }
    }
}

/// The sample report added to an empty library at the app's first start (the canal-drought
/// report in the analysts' text format).
pub const SAMPLE_REPORT: &str = include_str!("../../assets/samples/sample-report.txt");

/// Reads a report file: refuses one over [`MAX_IMPORT_BYTES`] without reading it all, then
/// [`import_bytes`].
pub fn import_file(path: &std::path::Path) -> Result<Imported, ImportError> {
    use crate::fsutil::{read_limited, ReadError};
    let bytes = read_limited(path, MAX_IMPORT_BYTES as u64).map_err(|e| match e {
        ReadError::TooLarge { size, .. } => ImportError::TooLarge { size: size as usize, limit: MAX_IMPORT_BYTES },
        ReadError::Io { source, .. } => ImportError::Read(source.to_string()),
    })?;
    import_bytes(&bytes)
}

/// The formats a file can be read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Reads a report from the bytes of a file, recognising text or JSON by content.
pub fn import_bytes(bytes: &[u8]) -> Result<Imported, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { size: bytes.len(), limit: MAX_IMPORT_BYTES });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    if body.starts_with(b"%PDF-") {
        return Err(ImportError::Pdf);
    }
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            // Binary data usually has NUL bytes or many control characters early on.
            if looks_binary(body) {
                return Err(ImportError::Binary);
            }
            return Err(ImportError::InvalidUtf8 { offset: e.valid_up_to() });
        }
    };
    if looks_binary(text.as_bytes()) {
        return Err(ImportError::Binary);
    }
    match sniff(text) {
        Format::Json => Ok(Imported { report: json::read(text)?.report, warnings: Vec::new() }),
        Format::Text => Ok(text::parse(text)?),
    }
}

/// JSON when the first non-blank character opens an object.
pub fn sniff(text: &str) -> Format {
    if text.trim_start().starts_with('{') {
        Format::Json
    } else {
        Format::Text
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head.iter().filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))).count();
    head.contains(&0) || controls * 20 > head.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_report_imports_cleanly() {
        let imported = import_bytes(SAMPLE_REPORT.as_bytes()).unwrap();
        assert!(imported.report.title.contains("Canal"), "{}", imported.report.title);
        assert!(!imported.report.analysis.techniques.is_empty());
    }

    #[test]
    fn import_file_reads_and_refuses_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("r.txt");
        std::fs::write(&good, SAMPLE_REPORT).unwrap();
        assert!(import_file(&good).is_ok());
        let pdf = dir.path().join("r.txt.pdf");
        std::fs::write(&pdf, b"%PDF-1.7 nothing").unwrap();
        assert_eq!(import_file(&pdf).unwrap_err().code(), ErrorCode::ImportPdf);
        assert_eq!(import_file(&dir.path().join("missing.txt")).unwrap_err().code(), ErrorCode::ImportUnreadable);
    }

    #[test]
    fn refuses_what_is_not_a_report() {
        assert_eq!(import_bytes(b""), Err(ImportError::Empty));
        assert_eq!(import_bytes(b" \n\t\n"), Err(ImportError::Empty));
        assert_eq!(import_bytes(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), Err(ImportError::Pdf));
        assert_eq!(import_bytes(b"\x7FELF\x02\x01\x01\0\0\0\0"), Err(ImportError::Binary));
        assert_eq!(import_bytes(b"1. BLUF\n\ncaf\xE9 au lait\n"), Err(ImportError::InvalidUtf8 { offset: 12 }));
        let big = vec![b'a'; MAX_IMPORT_BYTES + 1];
        assert!(matches!(import_bytes(&big), Err(ImportError::TooLarge { .. })));
    }
}
