//! Identities, the signing session, trusted certificates and verification.

use std::path::PathBuf;
use std::sync::Mutex;

use briefwright::sign::{self, identities, trust, Identity, KeyKind, TrustStore, Verification};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;
use zeroize::Zeroizing;

use super::{file_arg, text_arg, write_output};
use crate::error::IpcError;
use crate::library::Library;
use crate::session::{Session, SessionStatus};

/// The largest PDF the verify view reads.
pub const MAX_VERIFY_BYTES: u64 = 512 * 1024 * 1024;
/// The largest .p12/.pem file read.
pub const MAX_KEY_FILE_BYTES: u64 = 1024 * 1024;

impl From<sign::SignError> for IpcError {
    fn from(error: sign::SignError) -> Self {
        IpcError::new(error.code(), error.to_string())
    }
}

/// Signer certificates of the most recently verified file, so the verify view can offer to
/// trust one by its fingerprint without the UI handling certificate bytes.
#[derive(Default)]
pub struct LastVerified(Mutex<Vec<(String, Vec<u8>)>>);

#[tauri::command]
pub async fn list_identities(library: State<'_, Library>) -> Result<Vec<Identity>, IpcError> {
    library.with_dir(|dir| Ok(identities::list(dir)?)).await
}

/// A new self-signed identity (ECDSA P-256 unless `kind` says otherwise).
#[tauri::command]
pub async fn create_identity(
    library: State<'_, Library>,
    name: String,
    organisation: Option<String>,
    email: Option<String>,
    kind: Option<KeyKind>,
    passphrase: String,
) -> Result<Identity, IpcError> {
    let passphrase = Zeroizing::new(passphrase);
    text_arg(&name, "identity name")?;
    library
        .with_dir(move |dir| {
            let env = briefwright::Env::system();
            let organisation = organisation.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let email = email.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let kind = kind.unwrap_or(KeyKind::P256);
            Ok(identities::create(dir, name.trim(), organisation, email, kind, &passphrase, &env)?)
        })
        .await
}

/// Imports a PKCS#12 file; its key is re-encrypted under `passphrase`.
#[tauri::command]
pub async fn import_identity(
    library: State<'_, Library>,
    path: String,
    password: String,
    passphrase: String,
    name: Option<String>,
) -> Result<Identity, IpcError> {
    let password = Zeroizing::new(password);
    let passphrase = Zeroizing::new(passphrase);
    let path = file_arg(&path)?;
    library
        .with_dir(move |dir| {
            let bytes = Zeroizing::new(super::read_limited(&path, MAX_KEY_FILE_BYTES)?);
            let name = name.as_deref().map(str::trim).filter(|s| !s.is_empty());
            Ok(identities::import_p12(dir, &bytes, &password, &passphrase, name)?)
        })
        .await
}

/// Writes the identity's certificate (PEM) to `path`, for recipients to trust.
#[tauri::command]
pub async fn export_certificate(library: State<'_, Library>, name: String, path: String) -> Result<(), IpcError> {
    let path = file_arg(&path)?;
    library
        .with_dir(move |dir| {
            let pem = identities::export_cert(dir, &name)?;
            write_output(dir, &path, pem.as_bytes())
        })
        .await
}

/// Deletes an identity (its key is gone for good); locks the session if it held it.
#[tauri::command]
pub async fn delete_identity(
    library: State<'_, Library>,
    session: State<'_, Session>,
    name: String,
) -> Result<(), IpcError> {
    if session.status().identity.is_some_and(|i| i.name == name) {
        session.lock();
    }
    library.with_dir(move |dir| Ok(identities::delete(dir, &name)?)).await
}

/// Unlocks an identity for this session (until locked, quit, or idle for 15 minutes).
#[tauri::command]
pub async fn unlock_identity(
    library: State<'_, Library>,
    session: State<'_, Session>,
    name: String,
    passphrase: String,
) -> Result<SessionStatus, IpcError> {
    let passphrase = Zeroizing::new(passphrase);
    let signer = library.with_dir(move |dir| Ok(identities::unlock(dir, &name, &passphrase)?)).await?;
    session.unlock(signer);
    Ok(session.status())
}

#[tauri::command]
pub fn lock_identity(session: State<'_, Session>) -> SessionStatus {
    session.lock();
    session.status()
}

#[tauri::command]
pub fn session_status(session: State<'_, Session>) -> SessionStatus {
    session.status()
}

/// Everything trusted: own identities first, then added certificates.
#[tauri::command]
pub async fn list_trusted(library: State<'_, Library>) -> Result<Vec<trust::TrustedCert>, IpcError> {
    library.with_dir(|dir| Ok(trust::list(dir)?)).await
}

/// Trusts the certificates in a .pem/.cer/.crt file.
#[tauri::command]
pub async fn trust_certificate_file(
    library: State<'_, Library>,
    path: String,
) -> Result<Vec<trust::TrustedCert>, IpcError> {
    let path = file_arg(&path)?;
    library
        .with_dir(move |dir| {
            let bytes = super::read_limited(&path, MAX_KEY_FILE_BYTES)?;
            Ok(trust::add(dir, &bytes)?)
        })
        .await
}

/// Trusts the signer of the most recently verified file with this certificate fingerprint.
#[tauri::command]
pub async fn trust_signer(
    library: State<'_, Library>,
    last: State<'_, LastVerified>,
    fingerprint: String,
) -> Result<Vec<trust::TrustedCert>, IpcError> {
    let der = last
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .find(|(f, _)| *f == fingerprint)
        .map(|(_, der)| der.clone())
        .ok_or_else(|| {
            IpcError::new("no_trusted", "that certificate is not among the signers of the file last verified")
        })?;
    library.with_dir(move |dir| Ok(trust::add(dir, &der)?)).await
}

/// Stops trusting a certificate (by fingerprint, or its first 8+ hex digits).
#[tauri::command]
pub async fn remove_trusted(library: State<'_, Library>, fingerprint: String) -> Result<trust::TrustedCert, IpcError> {
    library.with_dir(move |dir| Ok(trust::remove(dir, &fingerprint)?)).await
}

/// A verified file: its name and the verdict.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VerifyOutcome {
    pub file: String,
    pub bytes: u64,
    pub verification: Verification,
}

/// Verifies every signature of a PDF against the trusted certificates.
#[tauri::command]
pub async fn verify_file(
    library: State<'_, Library>,
    last: State<'_, LastVerified>,
    path: String,
) -> Result<VerifyOutcome, IpcError> {
    let path: PathBuf = file_arg(&path)?;
    let (outcome, certs) = library
        .with_dir(move |dir| {
            let bytes = super::read_limited(&path, MAX_VERIFY_BYTES)?;
            let trust = TrustStore::for_data_dir(dir)?;
            let verification = sign::verify(&bytes, &trust);
            let certs: Vec<(String, Vec<u8>)> = verification
                .signatures
                .iter()
                .filter_map(|s| Some((s.fingerprint.clone()?, s.certificate_der.clone()?)))
                .collect();
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Ok((VerifyOutcome { file, bytes: bytes.len() as u64, verification }, certs))
        })
        .await?;
    *last.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = certs;
    Ok(outcome)
}
