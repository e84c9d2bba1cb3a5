//! Files the signing features read from outside the library: PKCS#12 and certificate files, and
//! PDFs to verify. Each is read whole within its limit, never cut short.

use std::path::Path;

use serde::Serialize;
use zeroize::Zeroizing;

use super::{keystore, pdf, trust, Identity, SignError, TrustStore, Verification};
use crate::fsutil::{read_limited, ReadError};
use crate::paths::DataDir;

/// The largest PKCS#12 or certificate file read (they are a few kB).
pub const MAX_KEY_FILE_BYTES: u64 = 1024 * 1024;

/// A key or certificate file's bytes (zeroized when dropped: a PKCS#12 file holds a private key).
pub fn read_key_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, SignError> {
    read_limited(path, MAX_KEY_FILE_BYTES).map(Zeroizing::new).map_err(|e| match e {
        ReadError::Io { path, source } => SignError::Io { path, source },
        ReadError::TooLarge { path, size, limit } => SignError::KeyFileTooLarge { path, size, limit },
    })
}

/// Imports the PKCS#12 file at `path` (see [`keystore::import_p12`]).
pub fn import_p12_file(
    dir: &DataDir,
    path: &Path,
    password: &str,
    passphrase: &str,
    name: Option<&str>,
) -> Result<Identity, SignError> {
    let bytes = read_key_file(path)?;
    keystore::import_p12(dir, &bytes, password, passphrase, name.map(str::trim).filter(|n| !n.is_empty()))
}

/// Trusts the certificates in the PEM (or DER) file at `path`.
pub fn trust_file(dir: &DataDir, path: &Path) -> Result<Vec<trust::TrustedCert>, SignError> {
    trust::add(dir, &read_key_file(path)?)
}

/// Writes the certificate (PEM) of identity `name` to `path`, for recipients to trust; never
/// inside the library folder.
pub fn export_cert_file(dir: &DataDir, name: &str, path: &Path) -> Result<(), SignError> {
    let pem = keystore::export_cert(dir, name)?;
    Ok(crate::fsutil::write_export(dir, path, pem.as_bytes())?)
}

/// A verified file: its name, size and the verdict.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VerifyOutcome {
    pub file: String,
    pub bytes: u64,
    pub verification: Verification,
}

/// Reads the PDF at `path` (at most [`pdf::MAX_FILE`] bytes, the verifier's own bound) and
/// verifies every signature against `trust`.
pub fn verify_file(trust: &TrustStore, path: &Path) -> Result<VerifyOutcome, ReadError> {
    let bytes = read_limited(path, pdf::MAX_FILE as u64)?;
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(VerifyOutcome { file, bytes: bytes.len() as u64, verification: super::verify(&bytes, trust) })
}
