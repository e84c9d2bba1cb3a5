//! Identities, the signing session, trusted certificates and verification.

use std::sync::{Mutex, PoisonError};

use briefwright::sign::files::{self, VerifyOutcome};
use briefwright::sign::{identities, trust, Identity, KeyKind, SignError, TrustStore};
use tauri::State;

use crate::ipc::{Arg, FilePath, IpcError, Secret};
use crate::library::Library;
use crate::session::{Session, SessionStatus};

/// Signer certificates of the most recently verified file, so the verify view can offer to
/// trust one by its fingerprint without the UI handling certificate bytes.
#[derive(Default)]
pub struct LastVerified(Mutex<Vec<(String, Vec<u8>)>>);

impl LastVerified {
    fn remember(&self, outcome: &VerifyOutcome) {
        let signers = outcome.verification.signatures.iter();
        let certs = signers.filter_map(|s| Some((s.fingerprint.clone()?, s.certificate_der.clone()?))).collect();
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = certs;
    }

    fn certificate(&self, fingerprint: &str) -> Result<Vec<u8>, SignError> {
        let certs = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let found = certs.iter().find(|(f, _)| f == fingerprint).map(|(_, der)| der.clone());
        found.ok_or_else(|| SignError::NoTrusted(format!("{fingerprint} (not a signer of the file last verified)")))
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_identities(library: State<'_, Library>) -> Result<Vec<Identity>, IpcError> {
    library.with_dir(identities::list).await
}

/// A new self-signed identity (ECDSA P-256 unless `kind` says otherwise).
#[tauri::command]
#[specta::specta]
pub async fn create_identity(
    library: State<'_, Library>,
    name: Arg<String>,
    organisation: Arg<Option<String>>,
    email: Arg<Option<String>>,
    kind: Arg<Option<KeyKind>>,
    passphrase: Secret,
) -> Result<Identity, IpcError> {
    let (org, mail, kind, env) = (organisation.0, email.0, kind.unwrap_or_default(), briefwright::Env::system());
    let create =
        move |dir: &_| identities::create(dir, &name, org.as_deref(), mail.as_deref(), kind, &passphrase.0, &env);
    library.with_dir(create).await
}

/// Imports a PKCS#12 file; its key is re-encrypted under `passphrase`.
#[tauri::command]
#[specta::specta]
pub async fn import_identity(
    library: State<'_, Library>,
    path: FilePath,
    password: Secret,
    passphrase: Secret,
    name: Arg<Option<String>>,
) -> Result<Identity, IpcError> {
    let import = move |dir: &_| files::import_p12_file(dir, &path.0, &password.0, &passphrase.0, name.as_deref());
    library.with_dir(import).await
}

/// Writes the identity's certificate (PEM) to `path`, for recipients to trust.
#[tauri::command]
#[specta::specta]
pub async fn export_certificate(
    library: State<'_, Library>,
    name: Arg<String>,
    path: FilePath,
) -> Result<(), IpcError> {
    library.with_dir(move |dir| files::export_cert_file(dir, &name, &path.0)).await
}

/// Deletes an identity (its key is gone for good); locks the session if it held it.
#[tauri::command]
#[specta::specta]
pub async fn delete_identity(
    library: State<'_, Library>,
    session: State<'_, Session>,
    name: Arg<String>,
) -> Result<(), IpcError> {
    session.lock_if(&name);
    library.with_dir(move |dir| identities::delete(dir, &name)).await
}

/// Unlocks an identity for this session (until locked, quit, or idle for 15 minutes).
#[tauri::command]
#[specta::specta]
pub async fn unlock_identity(
    library: State<'_, Library>,
    session: State<'_, Session>,
    name: Arg<String>,
    passphrase: Secret,
) -> Result<SessionStatus, IpcError> {
    let signer = library.with_dir(move |dir| identities::unlock(dir, &name, &passphrase.0)).await?;
    session.unlock(signer);
    Ok(session.status())
}

#[tauri::command]
#[specta::specta]
pub fn lock_identity(session: State<'_, Session>) -> SessionStatus {
    session.lock();
    session.status()
}

#[tauri::command]
#[specta::specta]
pub fn session_status(session: State<'_, Session>) -> SessionStatus {
    session.status()
}

/// Everything trusted: own identities first, then added certificates.
#[tauri::command]
#[specta::specta]
pub async fn list_trusted(library: State<'_, Library>) -> Result<Vec<trust::TrustedCert>, IpcError> {
    library.with_dir(trust::list).await
}

/// Trusts the certificates in a .pem/.cer/.crt file.
#[tauri::command]
#[specta::specta]
pub async fn trust_certificate_file(
    library: State<'_, Library>,
    path: FilePath,
) -> Result<Vec<trust::TrustedCert>, IpcError> {
    library.with_dir(move |dir| files::trust_file(dir, &path.0)).await
}

/// Trusts the signer of the most recently verified file with this certificate fingerprint.
#[tauri::command]
#[specta::specta]
pub async fn trust_signer(
    library: State<'_, Library>,
    last: State<'_, LastVerified>,
    fingerprint: Arg<String>,
) -> Result<Vec<trust::TrustedCert>, IpcError> {
    let der = last.certificate(&fingerprint)?;
    library.with_dir(move |dir| trust::add(dir, &der)).await
}

/// Stops trusting a certificate (by fingerprint, or its first 8+ hex digits).
#[tauri::command]
#[specta::specta]
pub async fn remove_trusted(
    library: State<'_, Library>,
    fingerprint: Arg<String>,
) -> Result<trust::TrustedCert, IpcError> {
    library.with_dir(move |dir| trust::remove(dir, &fingerprint)).await
}

/// Verifies every signature of a PDF against the trusted certificates.
#[tauri::command]
#[specta::specta]
pub async fn verify_file(
    library: State<'_, Library>,
    last: State<'_, LastVerified>,
    path: FilePath,
) -> Result<VerifyOutcome, IpcError> {
    let verify =
        move |dir: &_| -> Result<_, IpcError> { Ok(files::verify_file(&TrustStore::for_data_dir(dir)?, &path.0)?) };
    let outcome = library.with_dir(verify).await?;
    last.remember(&outcome);
    Ok(outcome)
}
