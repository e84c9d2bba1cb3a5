//! The certificates a user trusts: their own identities, the PEM files in the data
//! folder's `trust/`, and any given for one verification (`--trust`). A signer is
//! trusted when its certificate is one of these, or when a chain of certificates
//! (carried in the signature) leads from it to one of these, each link checked.

use der::{Decode, Encode};
use serde::Serialize;
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::Certificate;

use super::keystore::{cert_info, own_certs, pem_cert, write_new};
use super::{cms, fingerprint, SignError};
use crate::paths::DataDir;

/// Longest issuer chain followed.
const MAX_CHAIN: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Certificate>,
    fingerprints: Vec<String>,
}

/// A trusted certificate as listed to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrustedCert {
    pub subject: String,
    pub fingerprint: String,
    /// "identity NAME" or the file in trust/.
    pub source: String,
}

impl TrustStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// The user's own identities plus everything in `trust/`.
    pub fn for_data_dir(dir: &DataDir) -> Result<TrustStore, SignError> {
        let mut store = TrustStore::new();
        for der in own_certs(dir) {
            store.add_der(&der)?;
        }
        for (_, pem) in trust_files(dir)? {
            store.add_pem(&pem)?;
        }
        Ok(store)
    }

    /// Adds every certificate in a PEM file (or one DER certificate).
    pub fn add_pem(&mut self, bytes: &[u8]) -> Result<usize, SignError> {
        let certs = parse_certs(bytes)?;
        let n = certs.len();
        for c in certs {
            self.add_cert(c);
        }
        Ok(n)
    }

    pub fn add_der(&mut self, der: &[u8]) -> Result<(), SignError> {
        let c = Certificate::from_der(der).map_err(|e| SignError::BadCertificate(e.to_string()))?;
        self.add_cert(c);
        Ok(())
    }

    fn add_cert(&mut self, c: Certificate) {
        let fp = fingerprint(&c.to_der().unwrap_or_default());
        if !self.fingerprints.contains(&fp) {
            self.fingerprints.push(fp);
            self.anchors.push(c);
        }
    }

    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Whether `signer` is trusted, directly or through a checked chain of `intermediates`.
    pub fn trusts(&self, signer_der: &[u8], intermediates: &[Vec<u8>]) -> bool {
        let Ok(mut current) = Certificate::from_der(signer_der) else { return false };
        if self.fingerprints.contains(&fingerprint(signer_der)) {
            return true;
        }
        let pool: Vec<Certificate> = intermediates.iter().filter_map(|d| Certificate::from_der(d).ok()).collect();
        for _ in 0..MAX_CHAIN {
            // A trusted issuer that signed the current certificate ends the search.
            if self.anchors.iter().any(|a| issued(a, &current)) {
                return true;
            }
            let Some(next) = pool.iter().find(|c| issued(c, &current) && c != &&current) else { return false };
            if self.fingerprints.contains(&fingerprint(&next.to_der().unwrap_or_default())) {
                return true;
            }
            current = next.clone();
        }
        false
    }
}

/// `issuer` is a CA whose name and key match `cert`'s issuer and signature.
fn issued(issuer: &Certificate, cert: &Certificate) -> bool {
    if issuer.tbs_certificate().subject() != cert.tbs_certificate().issuer() {
        return false;
    }
    let is_ca = matches!(issuer.tbs_certificate().get_extension::<BasicConstraints>(), Ok(Some((_, bc))) if bc.ca);
    if !is_ca {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate().to_der() else { return false };
    let Some(sig) = cert.signature().as_bytes() else { return false };
    cms::verify_with_cert(issuer, cert.signature_algorithm(), &tbs, sig).is_ok()
}

fn parse_certs(bytes: &[u8]) -> Result<Vec<Certificate>, SignError> {
    let certs = if bytes.starts_with(b"-----") || bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        Certificate::load_pem_chain(bytes).map_err(|e| SignError::BadCertificate(e.to_string()))?
    } else {
        vec![Certificate::from_der(bytes).map_err(|e| SignError::BadCertificate(e.to_string()))?]
    };
    if certs.is_empty() {
        return Err(SignError::BadCertificate("the file holds no certificate".into()));
    }
    Ok(certs)
}

fn trust_files(dir: &DataDir) -> Result<Vec<(String, Vec<u8>)>, SignError> {
    let folder = dir.trust();
    let entries = match std::fs::read_dir(&folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(SignError::Io { path: folder, source: e }),
    };
    let mut out = Vec::new();
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".pem") {
            continue;
        }
        let path = e.path();
        let bytes = std::fs::read(&path).map_err(|source| SignError::Io { path: path.clone(), source })?;
        out.push((name, bytes));
    }
    out.sort();
    Ok(out)
}

/// Trusts the certificates in a PEM (or DER) file from now on; returns them.
pub fn add(dir: &DataDir, bytes: &[u8]) -> Result<Vec<TrustedCert>, SignError> {
    let certs = parse_certs(bytes)?;
    let folder = dir.trust();
    std::fs::create_dir_all(&folder).map_err(|source| SignError::Io { path: folder.clone(), source })?;
    let mut out = Vec::new();
    for c in certs {
        let der = c.to_der().map_err(|e| SignError::BadCertificate(e.to_string()))?;
        let fp = fingerprint(&der);
        let file = format!("{}.pem", &fp[..16]);
        let path = folder.join(&file);
        if !path.exists() {
            write_new(&path, pem_cert(&der)?.as_bytes())?;
        }
        out.push(TrustedCert { subject: cert_info(&c).subject, fingerprint: fp, source: file });
    }
    Ok(out)
}

/// Everything trusted: own identities first, then `trust/`.
pub fn list(dir: &DataDir) -> Result<Vec<TrustedCert>, SignError> {
    let mut out = Vec::new();
    for i in super::keystore::list(dir)? {
        out.push(TrustedCert {
            subject: i.subject,
            fingerprint: i.fingerprint,
            source: format!("identity {}", i.name),
        });
    }
    for (file, bytes) in trust_files(dir)? {
        for c in parse_certs(&bytes).unwrap_or_default() {
            let der = c.to_der().unwrap_or_default();
            out.push(TrustedCert {
                subject: cert_info(&c).subject,
                fingerprint: fingerprint(&der),
                source: file.clone(),
            });
        }
    }
    Ok(out)
}

/// Stops trusting the certificate whose fingerprint starts with `prefix` (at least 8 hex digits).
pub fn remove(dir: &DataDir, prefix: &str) -> Result<TrustedCert, SignError> {
    let prefix = prefix.to_ascii_lowercase().replace(':', "");
    if prefix.len() < 8 {
        return Err(SignError::NoTrusted(prefix));
    }
    for (file, bytes) in trust_files(dir)? {
        for c in parse_certs(&bytes).unwrap_or_default() {
            let der = c.to_der().unwrap_or_default();
            let fp = fingerprint(&der);
            if fp.starts_with(&prefix) {
                let path = dir.trust().join(&file);
                std::fs::remove_file(&path).map_err(|source| SignError::Io { path, source })?;
                return Ok(TrustedCert { subject: cert_info(&c).subject, fingerprint: fp, source: file });
            }
        }
    }
    Err(SignError::NoTrusted(prefix))
}
