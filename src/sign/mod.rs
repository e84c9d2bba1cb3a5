//! Signed briefs: identities, PAdES signatures and a verifier that resists the known attacks.
//!
//! - [`keystore`]: identities in the data folder (encrypted PKCS#8 keys, certificates),
//!   PKCS#12 import, unlocking a [`Signer`].
//! - [`trust`]: the certificates a user trusts.
//! - [`pades`]: [`sign_pdf`], a PAdES B-B signature written as an incremental update.
//! - [`verify`](mod@verify): [`verify()`], which never calls valid what it cannot prove.
//! - [`pdf`]: the bounded PDF reader both use.
//! - [`files`]: key, certificate and PDF files read from outside, each within its limit.
//!
//! Everything here is blocking and GUI-free. Secrets (passphrases, private keys) are
//! zeroized when dropped and never appear in errors or logs.

use crate::error::ErrorCode;

pub mod cms;
pub mod files;
pub mod keystore;
pub mod pades;
pub mod pdf;
pub mod trust;
pub mod verify;

pub use files::{verify_file, VerifyOutcome};
/// Identity management under its task-level name: `sign::identities::create(…)` etc.
pub use keystore as identities;
pub use keystore::{Identity, KeyKind, Signer};
pub use pades::{sign_pdf, SignOptions};
pub use trust::TrustStore;
pub use verify::{verify, Change, Coverage, Problem, SignatureReport, Verdict, Verification};

/// Why signing or an identity operation failed: one sentence, no secrets.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("wrong passphrase for identity '{0}'")]
    WrongPassphrase(String),
    #[error("wrong password for the PKCS#12 file")]
    WrongP12Password,
    #[error("no identity named '{0}'")]
    NoIdentity(String),
    #[error("an identity named '{0}' already exists")]
    IdentityExists(String),
    #[error("'{0}' is not a usable identity name (use letters, digits, spaces, '.', '_' or '-', at most 64)")]
    BadName(String),
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error("no passphrase: there is no terminal to ask on; set {var}")]
    NoPassphrase { var: String },
    #[error("unlock the identity '{0}' with its passphrase before signing")]
    Locked(String),
    #[error(transparent)]
    Write(#[from] crate::fsutil::WriteError),
    #[error("{} is too large for a key or certificate file ({size} bytes; at most {limit})", path.display())]
    KeyFileTooLarge { path: std::path::PathBuf, size: u64, limit: u64 },
    #[error("the PKCS#12 file cannot be read: {0}")]
    BadP12(String),
    #[error("the PKCS#12 file holds a key of a kind Briefwright cannot sign with: {0}")]
    UnsupportedKey(String),
    #[error("the certificate cannot be read: {0}")]
    BadCertificate(String),
    #[error("the stored identity '{name}' is damaged: {message}")]
    Damaged { name: String, message: String },
    #[error("the PDF cannot be signed: {0}")]
    Pdf(#[from] pdf::PdfError),
    #[error("page {page} does not exist (the document has {count} pages)")]
    NoSuchPage { page: u32, count: usize },
    #[error("the signature is too large for its reserved space ({size} bytes, room for {room})")]
    SignatureTooLarge { size: usize, room: usize },
    #[error("no trusted certificate '{0}'")]
    NoTrusted(String),
    #[error("cannot use {path}: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error("{0}")]
    Internal(String),
}

impl SignError {
    /// A stable code for the UI and scripts.
    pub fn code(&self) -> ErrorCode {
        match self {
            SignError::WrongPassphrase(_) => ErrorCode::WrongPassphrase,
            SignError::WrongP12Password => ErrorCode::WrongP12Password,
            SignError::NoIdentity(_) => ErrorCode::NoIdentity,
            SignError::IdentityExists(_) => ErrorCode::IdentityExists,
            SignError::BadName(_) => ErrorCode::BadName,
            SignError::EmptyPassphrase => ErrorCode::EmptyPassphrase,
            SignError::NoPassphrase { .. } => ErrorCode::NoPassphrase,
            SignError::Locked(_) => ErrorCode::Locked,
            SignError::KeyFileTooLarge { .. } => ErrorCode::FileTooLarge,
            SignError::Write(e) => e.code(),
            SignError::BadP12(_) => ErrorCode::BadP12,
            SignError::UnsupportedKey(_) => ErrorCode::UnsupportedKey,
            SignError::BadCertificate(_) => ErrorCode::BadCertificate,
            SignError::Damaged { .. } => ErrorCode::IdentityDamaged,
            SignError::Pdf(_) => ErrorCode::BadPdf,
            SignError::NoSuchPage { .. } => ErrorCode::NoSuchPage,
            SignError::SignatureTooLarge { .. } => ErrorCode::SignatureTooLarge,
            SignError::NoTrusted(_) => ErrorCode::NoTrusted,
            SignError::Io { .. } => ErrorCode::Io,
            SignError::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 fingerprint of a certificate (lower-case hex of its DER).
pub fn fingerprint(cert_der: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(cert_der))
}
