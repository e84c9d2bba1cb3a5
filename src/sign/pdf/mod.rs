//! A small, bounded PDF reader: just enough to sign (trailer, catalog, pages,
//! AcroForm) and to verify (signature dictionaries, byte offsets, revisions).
//!
//! Hostile input is the norm here, so every loop and every recursion has a limit:
//! nesting depth, reference chains, xref sections, page-tree size, decompressed
//! bytes. Nothing panics on bad bytes; everything returns [`PdfError`].
//! Content streams are never decompressed: changes are found by comparing raw bytes.
//!
//! - `object.rs`: the objects ([`Obj`], [`Dict`]).
//! - `parser.rs`: [`Parser`], reading objects from bytes.
//! - `document.rs`: [`Pdf`], a parsed file (objects, catalog, pages).
//! - `xref.rs`: reading the cross-reference tables and streams of every revision.
//! - `objstm.rs`: objects stored inside object streams.
//! - `decode.rs`: stream data (bounded inflation, PNG predictors).
//! - `write.rs`: objects back to bytes.
//! - `text.rs`: PDF text strings.

mod decode;
mod document;
mod object;
mod objstm;
mod parser;
mod text;
mod write;
mod xref;

pub use decode::{decode_stream, inflate_bounded};
pub use document::Pdf;
pub use object::{Dict, Obj, ObjId};
pub use parser::Parser;
pub use text::{decode_text, text_string};
pub use write::{write_dict, write_obj, write_string};
pub use xref::{Entry, XrefKind};

/// Largest file we read at all.
pub const MAX_FILE: usize = 256 * 1024 * 1024;
/// Nesting of arrays and dictionaries.
const MAX_DEPTH: usize = 48;
/// Longest chain of `/Prev` links (incremental updates).
const MAX_SECTIONS: usize = 512;
/// A decoded xref or object stream may not exceed this (deflate bombs).
const MAX_INFLATE: usize = 32 * 1024 * 1024;
/// All decoded object streams of one file together.
const MAX_INFLATE_TOTAL: usize = 128 * 1024 * 1024;
/// Largest object number we accept.
const MAX_OBJECTS: u32 = 8_388_608;
/// Pages we walk.
const MAX_PAGES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the file is not a PDF")]
    NotPdf,
    #[error("the file is larger than {} MB", MAX_FILE / (1024 * 1024))]
    TooLarge,
    #[error("the PDF is damaged: {0}")]
    Damaged(String),
}

fn damaged<T>(msg: impl Into<String>) -> Result<T, PdfError> {
    Err(PdfError::Damaged(msg.into()))
}

/// Where `needle` first occurs in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Where `needle` last occurs in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).rposition(|w| w == needle)
}
