//! The seed of the PDF's document ID (`/ID`): everything the brief's bytes depend on, written
//! as canonical JSON, so that the same inputs give the same ID and any change gives another.

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::model::StoredReport;

use super::images::PdfImage;
use super::BriefOptions;

/// Names this way of building the seed; it changes only if the seed's meaning changes.
const SCHEME: &str = "briefwright.brief-id.v1";

/// The inputs of a brief, as hashed for its ID.
///
/// The seed is this struct written by `serde_json::to_vec`, which is canonical: serde writes
/// struct fields in the order they are declared, there are no maps here or in the report model
/// (whose key order could vary), no floating-point numbers, no whitespace, and strings are
/// escaped one way. It changes only when an input or this struct (or the report's own JSON
/// form) changes, unlike Rust's `{:?}` Debug output, whose format is not promised to be stable.
#[derive(Serialize)]
struct Seed<'a> {
    scheme: &'static str,
    report: &'a StoredReport,
    /// The export time, see [`instant`].
    time: String,
    page_size: &'static str,
    draft: bool,
    branding: BrandingSeed<'a>,
    signature: Option<SignatureSeed<'a>>,
    /// Every image embedded (the logo first, then the figures), in order.
    images: Vec<ImageSeed>,
}

#[derive(Serialize)]
struct BrandingSeed<'a> {
    /// "#RRGGBB".
    accent: Option<String>,
    organisation: Option<&'a str>,
    logo_sha256: Option<String>,
}

#[derive(Serialize)]
struct SignatureSeed<'a> {
    signer: &'a str,
    organisation: Option<&'a str>,
    time: String,
    fingerprint: &'a str,
}

/// An embedded image: its size and the SHA-256 of its stream (and of its soft mask, if any).
#[derive(Serialize)]
struct ImageSeed {
    width: u32,
    height: u32,
    sha256: String,
    soft_mask_sha256: Option<String>,
}

/// The seed of the document ID: the canonical JSON of the brief's inputs (see [`Seed`]);
/// the ID is the first 16 bytes of its SHA-256.
pub fn seed(stored: &StoredReport, options: &BriefOptions, images: &[PdfImage]) -> Vec<u8> {
    let branding = &options.branding;
    let seed = Seed {
        scheme: SCHEME,
        report: stored,
        time: instant(options.time),
        page_size: options.page_size.as_str(),
        draft: options.draft,
        branding: BrandingSeed {
            accent: branding.accent.map(|(r, g, b)| format!("#{r:02X}{g:02X}{b:02X}")),
            organisation: branding.organisation.as_deref(),
            logo_sha256: branding.logo.as_deref().map(sha256_hex),
        },
        signature: options.signature.as_ref().map(|s| SignatureSeed {
            signer: &s.signer,
            organisation: s.organisation.as_deref(),
            time: instant(s.time),
            fingerprint: &s.fingerprint,
        }),
        images: images.iter().map(image).collect(),
    };
    serde_json::to_vec(&seed).expect("the seed of a brief's ID always serialises")
}

/// An instant as RFC 3339 in UTC: the brief prints every date in UTC, so the offset it was
/// given in does not change the brief. Years outside 0000–9999, which RFC 3339 cannot write,
/// are written as Unix nanoseconds.
fn instant(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    utc.format(&Rfc3339).unwrap_or_else(|_| format!("unix-ns:{}", utc.unix_timestamp_nanos()))
}

fn image(img: &PdfImage) -> ImageSeed {
    let soft_mask = match img.xobject.stream.dict.get("SMask") {
        Some(printpdf::DictItem::Stream { stream }) => Some(sha256_hex(&stream.content)),
        _ => None,
    };
    ImageSeed {
        width: img.width,
        height: img.height,
        sha256: sha256_hex(&img.xobject.stream.content),
        soft_mask_sha256: soft_mask,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
