//! Verifying signed PDFs without being fooled.
//!
//! A signature is *intact* only when every one of these holds:
//! - it is the value (/V) of a signature field of the newest revision's AcroForm;
//! - /ByteRange is exactly four non-negative integers, starts at 0, stays inside the
//!   file, and its gap is exactly the `<…>` hex string of /Contents (which must be the
//!   /Contents the dictionary holds, inside the signature dictionary's own object);
//! - the signed bytes end a complete PDF revision that already holds that dictionary;
//! - the CMS message digest equals the SHA-256 of the two ranges, the signature over
//!   the signed attributes verifies with the signer certificate, and
//!   signing-certificate-v2 names that certificate.
//!
//! Whatever was appended after the signed revision is compared object by object with
//! it and described ("new page", "changed content of page 2", "metadata only", …).
//!
//! Here: the verdict over all signatures. `fields.rs` finds the signature fields,
//! `check.rs` checks one signature, `changes.rs` describes what changed after signing
//! ([`Change`]), `problem.rs` names what is wrong ([`Problem`]), `date.rs` reads PDF dates.

use serde::Serialize;

use super::pdf::Pdf;
use super::TrustStore;

mod changes;
mod check;
mod date;
mod fields;
mod problem;

pub use changes::{changes, join, Change};
pub use problem::Problem;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Coverage {
    /// The signature covers the whole file.
    WholeFile,
    /// The file was changed by later updates; what changed.
    ModifiedAfter {
        #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
        changes: Vec<Change>,
    },
    /// What the signature covers cannot be established.
    Broken,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignatureReport {
    /// The signature field's name.
    pub field: String,
    pub signer_subject: Option<String>,
    pub signer_name: Option<String>,
    pub organisation: Option<String>,
    /// The time the signer claims (/M), RFC 3339; not proven by a timestamp.
    pub signing_time: Option<String>,
    /// SHA-256 of the signer certificate.
    pub fingerprint: Option<String>,
    pub intact: bool,
    pub coverage: Coverage,
    pub trusted: bool,
    /// Plain sentences about everything that is wrong.
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub problems: Vec<Problem>,
    /// The signer's certificate (DER), so an app can offer to trust it. Not serialised.
    #[serde(skip)]
    pub certificate_der: Option<Vec<u8>>,
    #[serde(skip)]
    signed_end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Verdict {
    /// Every signature intact and trusted, the last one covering the whole file.
    Valid,
    /// Intact, but the document was changed after the last signature.
    ModifiedAfterSigning,
    /// Intact and unmodified, but some signer is not trusted.
    Untrusted,
    /// Some signature is not intact (or cannot be checked).
    Invalid,
    /// No signature.
    Unsigned,
    /// Not a PDF at all (or one too damaged to read).
    NotPdf,
}

impl Verdict {
    pub fn sentence(self) -> &'static str {
        match self {
            Verdict::Valid => {
                "valid: every signature is intact and trusted, and the document is unchanged since signing"
            }
            Verdict::ModifiedAfterSigning => "not valid: the document was modified after signing",
            Verdict::Untrusted => "not valid: the signature is intact but the signer is not trusted",
            Verdict::Invalid => "not valid: a signature is broken or cannot be verified",
            Verdict::Unsigned => "not valid: the document is not signed",
            Verdict::NotPdf => "not valid: the file is not a readable PDF",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Verification {
    pub verdict: Verdict,
    pub signatures: Vec<SignatureReport>,
    /// Problems with the document as a whole.
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub problems: Vec<Problem>,
}

impl Verification {
    pub fn is_valid(&self) -> bool {
        self.verdict == Verdict::Valid
    }
}

/// Verifies every signature of a PDF. Never panics; hostile input gives a verdict, not a crash.
pub fn verify(bytes: &[u8], trust: &TrustStore) -> Verification {
    let doc = match Pdf::parse(bytes) {
        Ok(d) => d,
        Err(e) => {
            return Verification { verdict: Verdict::NotPdf, signatures: Vec::new(), problems: vec![Problem::Pdf(e)] }
        }
    };
    let mut problems = Vec::new();
    let fields = match fields::signature_fields(&doc) {
        Ok(f) => f,
        Err(e) => {
            return Verification { verdict: Verdict::Invalid, signatures: Vec::new(), problems: vec![Problem::Pdf(e)] };
        }
    };
    let mut reports: Vec<SignatureReport> = fields.iter().map(|f| check::check_one(&doc, f, trust)).collect();
    if reports.is_empty() {
        let verdict = Verdict::Unsigned;
        if count(bytes, b"/ByteRange") > 0 {
            problems.push(Problem::UnusedSignatureDictionary);
        }
        return Verification { verdict, signatures: reports, problems };
    }
    let dictionaries = count(bytes, b"/ByteRange");
    if dictionaries > reports.len() {
        problems.push(Problem::ExtraSignatureDictionaries { dictionaries, fields: reports.len() });
    }
    reports.sort_by_key(|r| r.signed_end);
    settle_coverage(&doc, &mut reports);
    Verification { verdict: verdict_of(&reports), signatures: reports, problems }
}

/// What each intact signature covers (reports in signing order). Later signatures may
/// legitimately follow earlier ones; the last must cover everything, or it has a problem.
fn settle_coverage(doc: &Pdf, reports: &mut [SignatureReport]) {
    let bytes = doc.bytes;
    let last = reports.len() - 1;
    for (i, r) in reports.iter_mut().enumerate() {
        if r.coverage == Coverage::Broken {
            continue;
        }
        if r.signed_end == bytes.len() {
            r.coverage = Coverage::WholeFile;
        } else {
            let changes = match Pdf::parse(&bytes[..r.signed_end]) {
                Ok(signed) => changes(&signed, doc),
                Err(_) => vec![Change::SignedPartNotARevision],
            };
            if i == last {
                r.problems.push(Problem::ModifiedAfterSigning { changes: changes.clone() });
            }
            r.coverage = Coverage::ModifiedAfter { changes };
        }
    }
}

/// The verdict over settled reports (in signing order, at least one).
fn verdict_of(reports: &[SignatureReport]) -> Verdict {
    if reports.iter().any(|r| !r.intact) {
        Verdict::Invalid
    } else if reports[reports.len() - 1].coverage != Coverage::WholeFile {
        Verdict::ModifiedAfterSigning
    } else if reports.iter().any(|r| !r.trusted) {
        Verdict::Untrusted
    } else {
        Verdict::Valid
    }
}

/// How often `needle` occurs in `hay`.
fn count(hay: &[u8], needle: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        match hay[i..].iter().position(|b| *b == needle[0]) {
            Some(p) => {
                i += p;
                if hay[i..].starts_with(needle) {
                    n += 1;
                }
                i += 1;
            }
            None => break,
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_bytes_give_a_verdict() {
        let trust = TrustStore::new();
        for input in [&b""[..], b"%PDF-1.7\n", b"%PDF-1.7\nstartxref\n99999999\n%%EOF", b"\x00\xff random"] {
            let v = verify(input, &trust);
            assert_eq!(v.verdict, Verdict::NotPdf, "{input:?}");
            assert!(matches!(v.problems.as_slice(), [Problem::Pdf(_)]), "{v:?}");
        }
    }

    /// The app and `verify --json` show problems and changes as sentences: they serialise as their text.
    #[test]
    fn problems_and_changes_serialise_as_sentences() {
        let changes = vec![Change::PageAdded, Change::PageContentChanged { page: 2 }];
        let report = SignatureReport {
            field: "Signature1".into(),
            signer_subject: None,
            signer_name: None,
            organisation: None,
            signing_time: None,
            fingerprint: None,
            intact: true,
            coverage: Coverage::ModifiedAfter { changes: changes.clone() },
            trusted: true,
            problems: vec![Problem::ModifiedAfterSigning { changes }],
            certificate_der: None,
            signed_end: 0,
        };
        let v = Verification {
            verdict: Verdict::ModifiedAfterSigning,
            signatures: vec![report],
            problems: vec![Problem::ExtraSignatureDictionaries { dictionaries: 2, fields: 1 }],
        };
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(
            json["problems"],
            serde_json::json!(["the file holds 2 signature dictionaries but only 1 signature fields use them"])
        );
        assert_eq!(
            json["signatures"][0]["coverage"],
            serde_json::json!({"kind": "modified_after", "changes": ["new page", "changed content of page 2"]})
        );
        assert_eq!(
            json["signatures"][0]["problems"],
            serde_json::json!(["the document was modified after signing (new page, changed content of page 2)"])
        );
    }
}
