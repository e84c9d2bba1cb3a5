//! Identities in the data folder: `identities/<name>.key.p8` (PBES2-encrypted PKCS#8:
//! scrypt + AES-256-CBC, PEM) and `identities/<name>.cert.pem` (the certificate,
//! then any chain certificates). A private key is never written in clear.

use std::path::{Path, PathBuf};

use der::{Decode, Encode, EncodePem};
use getrandom::SysRng;
use p256::elliptic_curve::Generate as _;
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use serde::Serialize;
use time::OffsetDateTime;
use x509_cert::Certificate;
use zeroize::Zeroizing;

use super::cms::{ID_EC_PUBLIC_KEY, ID_RSA};
use super::{fingerprint, SignError};
use crate::env::Env;
use crate::paths::DataDir;

/// How long a new self-signed identity is valid.
const VALIDITY_DAYS: i64 = 3 * 365;

/// The key of a new identity: ECDSA P-256 unless chosen otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum KeyKind {
    #[default]
    P256,
    Rsa2048,
    Rsa3072,
    Rsa4096,
}

impl KeyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::P256 => "ECDSA P-256",
            KeyKind::Rsa2048 => "RSA 2048",
            KeyKind::Rsa3072 => "RSA 3072",
            KeyKind::Rsa4096 => "RSA 4096",
        }
    }
}

/// What the user sees of an identity: never the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Identity {
    pub name: String,
    /// The certificate subject, e.g. "CN=Ann Analyst,O=Example Agency".
    pub subject: String,
    pub common_name: Option<String>,
    pub organisation: Option<String>,
    pub email: Option<String>,
    /// SHA-256 of the certificate (DER), lower-case hex.
    pub fingerprint: String,
    pub key_kind: KeyKind,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub not_after: OffsetDateTime,
}

/// An unlocked private key. Both variants zeroize their secret on drop.
pub enum SignerKey {
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::PrivateKey>),
}

/// An unlocked identity, ready to sign. The key is zeroized when this is dropped.
pub struct Signer {
    pub identity: Identity,
    pub key: SignerKey,
    pub cert_der: Vec<u8>,
    /// Further certificates (issuers) from an imported PKCS#12, leaf first.
    pub chain_der: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("identity", &self.identity).finish_non_exhaustive()
    }
}

fn identities_dir(dir: &DataDir) -> PathBuf {
    dir.identities()
}

fn key_path(dir: &DataDir, name: &str) -> PathBuf {
    identities_dir(dir).join(format!("{name}.key.p8"))
}

fn cert_path(dir: &DataDir, name: &str) -> PathBuf {
    identities_dir(dir).join(format!("{name}.cert.pem"))
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> SignError + '_ {
    move |source| SignError::Io { path: path.to_path_buf(), source }
}

/// Names become file names: keep them plain.
pub fn check_name(name: &str) -> Result<(), SignError> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && !name.starts_with(['.', ' ', '-'])
        && !name.ends_with([' ', '.'])
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(SignError::BadName(name.to_string()))
    }
}

/// A usable name made from a certificate's common name.
fn name_from(cn: &str) -> String {
    let s: String = cn
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-') { c } else { '-' })
        .take(64)
        .collect();
    let s = s.trim_matches(|c| c == '-' || c == '.' || c == ' ').to_string();
    if s.is_empty() {
        "imported".into()
    } else {
        s
    }
}

/// Creates a self-signed identity with a new key. The name is taken trimmed; an organisation or
/// email that is empty once trimmed is left out.
pub fn create(
    dir: &DataDir,
    name: &str,
    organisation: Option<&str>,
    email: Option<&str>,
    kind: KeyKind,
    passphrase: &str,
    env: &Env,
) -> Result<Identity, SignError> {
    let name = name.trim();
    let organisation = organisation.map(str::trim).filter(|s| !s.is_empty());
    let email = email.map(str::trim).filter(|s| !s.is_empty());
    check_name(name)?;
    if passphrase.is_empty() {
        return Err(SignError::EmptyPassphrase);
    }
    if key_path(dir, name).exists() || cert_path(dir, name).exists() {
        return Err(SignError::IdentityExists(name.to_string()));
    }
    let key = match kind {
        KeyKind::P256 => SignerKey::P256(
            p256::ecdsa::SigningKey::try_generate_from_rng(&mut SysRng)
                .map_err(|e| SignError::Internal(format!("the system's random source failed: {e}")))?,
        ),
        KeyKind::Rsa2048 | KeyKind::Rsa3072 | KeyKind::Rsa4096 => {
            let bits = match kind {
                KeyKind::Rsa2048 => 2048,
                KeyKind::Rsa3072 => 3072,
                _ => 4096,
            };
            SignerKey::Rsa(Box::new(
                rsa::PrivateKey::new(&mut SysRng, bits)
                    .map_err(|e| SignError::Internal(format!("RSA key generation failed: {e}")))?,
            ))
        }
    };
    let now = env.clock.now();
    let cert_der = self_signed(&key, name, organisation, email, now, env.ids.new_id().as_bytes())?;
    let pkcs8 = key_pkcs8(&key)?;
    store(dir, name, &pkcs8, passphrase, &[cert_der])?;
    describe(name, &read_certs(dir, name)?[0])
}

fn key_pkcs8(key: &SignerKey) -> Result<Zeroizing<Vec<u8>>, SignError> {
    let doc = match key {
        SignerKey::P256(k) => k.to_pkcs8_der(),
        SignerKey::Rsa(k) => k.to_pkcs8_der(),
    }
    .map_err(|e| SignError::Internal(format!("encoding the key failed: {e}")))?;
    Ok(Zeroizing::new(doc.as_bytes().to_vec()))
}

struct RcgenKey<'a>(&'a SignerKey, Vec<u8>);

impl rcgen::PublicKeyData for RcgenKey<'_> {
    fn der_bytes(&self) -> &[u8] {
        &self.1
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        match self.0 {
            SignerKey::P256(_) => &rcgen::PKCS_ECDSA_P256_SHA256,
            SignerKey::Rsa(_) => &rcgen::PKCS_RSA_SHA256,
        }
    }
}

impl rcgen::SigningKey for RcgenKey<'_> {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        match self.0 {
            SignerKey::P256(k) => {
                use p256::ecdsa::signature::Signer;
                let sig: p256::ecdsa::Signature = k.sign(msg);
                Ok(sig.to_der().as_bytes().to_vec())
            }
            SignerKey::Rsa(k) => super::cms::rsa_sign(k, msg).map_err(|_| rcgen::Error::RemoteKeyError),
        }
    }
}

fn self_signed(
    key: &SignerKey,
    name: &str,
    organisation: Option<&str>,
    email: Option<&str>,
    now: OffsetDateTime,
    serial: &[u8],
) -> Result<Vec<u8>, SignError> {
    use rcgen::{CertificateParams, DistinguishedName, DnType, KeyUsagePurpose, SanType};
    let public = public_of(key)?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    if let Some(o) = organisation.filter(|o| !o.trim().is_empty()) {
        dn.push(DnType::OrganizationName, o.trim());
    }
    params.distinguished_name = dn;
    if let Some(e) = email.filter(|e| !e.trim().is_empty()) {
        let ia5 = e
            .trim()
            .to_string()
            .try_into()
            .map_err(|_| SignError::BadCertificate(format!("'{e}' is not a plain e-mail address")))?;
        params.subject_alt_names = vec![SanType::Rfc822Name(ia5)];
    }
    params.not_before = now;
    params.not_after = now + time::Duration::days(VALIDITY_DAYS);
    // A positive serial number from the id source (top bit cleared).
    let mut serial = serial[..16.min(serial.len())].to_vec();
    serial[0] &= 0x7f;
    serial[0] |= 0x01;
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::ContentCommitment];
    params.use_authority_key_identifier_extension = false;
    let cert = params
        .self_signed(&RcgenKey(key, public))
        .map_err(|e| SignError::Internal(format!("making the certificate failed: {e}")))?;
    Ok(cert.der().to_vec())
}

/// Encrypts and writes the key and certificates; both files appear or neither.
fn store(dir: &DataDir, name: &str, pkcs8: &[u8], passphrase: &str, certs: &[Vec<u8>]) -> Result<(), SignError> {
    let folder = identities_dir(dir);
    std::fs::create_dir_all(&folder).map_err(io_err(&folder))?;
    let info =
        pkcs8::PrivateKeyInfoRef::try_from(pkcs8).map_err(|e| SignError::Internal(format!("key encoding: {e}")))?;
    let encrypted = info
        .encrypt_with_rng(&mut SysRng, passphrase.as_bytes())
        .map_err(|e| SignError::Internal(format!("encrypting the key failed: {e}")))?;
    let key_pem = encrypted
        .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
        .map_err(|e| SignError::Internal(format!("encoding the key failed: {e}")))?;
    let mut cert_pem = String::new();
    for c in certs {
        cert_pem.push_str(&pem_cert(c)?);
    }
    let key_file = key_path(dir, name);
    let cert_file = cert_path(dir, name);
    write_new(&key_file, key_pem.as_bytes())?;
    if let Err(e) = write_new(&cert_file, cert_pem.as_bytes()) {
        let _ = std::fs::remove_file(&key_file);
        return Err(e);
    }
    Ok(())
}

pub(crate) fn pem_cert(der: &[u8]) -> Result<String, SignError> {
    Certificate::from_der(der)
        .and_then(|c| c.to_pem(der::pem::LineEnding::LF))
        .map_err(|e| SignError::BadCertificate(e.to_string()))
}

/// Writes a file that must not exist yet, through a temporary file (never half-written).
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<(), SignError> {
    use std::io::Write;
    if path.exists() {
        return Err(SignError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "file exists"),
        });
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let result = (|| {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io_err(path))
}

/// Imports a PKCS#12 (.p12/.pfx): the key is re-encrypted under `new_passphrase`.
/// The name defaults to the certificate's common name.
pub fn import_p12(
    dir: &DataDir,
    file: &[u8],
    p12_password: &str,
    new_passphrase: &str,
    name: Option<&str>,
) -> Result<Identity, SignError> {
    if new_passphrase.is_empty() {
        return Err(SignError::EmptyPassphrase);
    }
    let ks = p12_keystore::KeyStore::from_pkcs12(file, p12_password, p12_keystore::Pkcs12ImportPolicy::Relaxed)
        .map_err(|e| match e {
            p12_keystore::error::Error::MacError(_) => SignError::WrongP12Password,
            other => SignError::BadP12(other.to_string()),
        })?;
    let Some((_, chain)) = ks.private_key_chain() else {
        return Err(SignError::BadP12("it holds no private key with its certificate".into()));
    };
    let certs: Vec<Vec<u8>> = chain.certs().iter().map(|c| c.as_der().to_vec()).collect();
    if certs.is_empty() {
        return Err(SignError::BadP12("it holds no certificate for its private key".into()));
    }
    let pkcs8 = Zeroizing::new(chain.key().as_der().to_vec());
    // The key must be one we can sign with, and must match the certificate.
    let key = parse_key(&pkcs8).map_err(SignError::UnsupportedKey)?;
    let leaf = Certificate::from_der(&certs[0]).map_err(|e| SignError::BadCertificate(e.to_string()))?;
    if public_of(&key)? != leaf.tbs_certificate().subject_public_key_info().subject_public_key.raw_bytes() {
        return Err(SignError::BadP12("its private key does not belong to its certificate".into()));
    }
    let name = match name {
        Some(n) => n.to_string(),
        None => name_from(
            &leaf
                .tbs_certificate()
                .subject()
                .common_name()
                .ok()
                .flatten()
                .map(|c| c.value().into_owned())
                .unwrap_or_default(),
        ),
    };
    check_name(&name)?;
    if key_path(dir, &name).exists() || cert_path(dir, &name).exists() {
        return Err(SignError::IdentityExists(name));
    }
    store(dir, &name, &pkcs8, new_passphrase, &certs)?;
    describe(&name, &certs[0])
}

fn public_of(key: &SignerKey) -> Result<Vec<u8>, SignError> {
    Ok(match key {
        SignerKey::P256(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
        SignerKey::Rsa(k) => {
            use rsa::pkcs1::EncodeRsaPublicKey;
            k.to_public_key()
                .to_pkcs1_der()
                .map_err(|e| SignError::Internal(format!("encoding the public key failed: {e}")))?
                .as_bytes()
                .to_vec()
        }
    })
}

fn parse_key(pkcs8_der: &[u8]) -> Result<SignerKey, String> {
    let info = pkcs8::PrivateKeyInfoRef::try_from(pkcs8_der).map_err(|e| format!("the key cannot be read ({e})"))?;
    let oid = info.algorithm.oid.to_string();
    if oid == ID_EC_PUBLIC_KEY.to_string() {
        p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8_der)
            .map(SignerKey::P256)
            .map_err(|_| "an elliptic-curve key that is not P-256".to_string())
    } else if oid == ID_RSA.to_string() {
        rsa::PrivateKey::from_pkcs8_der(pkcs8_der)
            .map(|k| SignerKey::Rsa(Box::new(k)))
            .map_err(|e| format!("an unreadable RSA key ({e})"))
    } else {
        Err(format!("algorithm {oid}"))
    }
}

fn read_certs(dir: &DataDir, name: &str) -> Result<Vec<Vec<u8>>, SignError> {
    let path = cert_path(dir, name);
    let pem = match std::fs::read(&path) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(SignError::NoIdentity(name.to_string())),
        Err(e) => return Err(SignError::Io { path, source: e }),
    };
    let certs = Certificate::load_pem_chain(&pem)
        .map_err(|e| SignError::Damaged { name: name.to_string(), message: format!("certificate: {e}") })?;
    if certs.is_empty() {
        return Err(SignError::Damaged { name: name.to_string(), message: "no certificate".into() });
    }
    certs
        .iter()
        .map(|c| c.to_der().map_err(|e| SignError::Damaged { name: name.to_string(), message: e.to_string() }))
        .collect()
}

/// What a certificate says about its subject.
pub(crate) struct CertInfo {
    pub subject: String,
    pub common_name: Option<String>,
    pub organisation: Option<String>,
    pub email: Option<String>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub key_kind: Option<KeyKind>,
}

pub(crate) fn cert_info(cert: &Certificate) -> CertInfo {
    let tbs = cert.tbs_certificate();
    let subject = tbs.subject();
    let common_name = subject.common_name().ok().flatten().map(|c| c.value().into_owned());
    let organisation = subject.organization().ok().flatten().map(|c| c.value().into_owned());
    let mut email = subject.email_address().ok().flatten().map(|e| e.as_str().to_string());
    if email.is_none() {
        if let Ok(Some((_, san))) = tbs.get_extension::<x509_cert::ext::pkix::SubjectAltName>() {
            email = san.0.iter().find_map(|g| match g {
                x509_cert::ext::pkix::name::GeneralName::Rfc822Name(s) => Some(s.as_str().to_string()),
                _ => None,
            });
        }
    }
    let to_time = |t: &x509_cert::time::Time| {
        OffsetDateTime::from_unix_timestamp(t.to_unix_duration().as_secs() as i64).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    };
    let spki = tbs.subject_public_key_info();
    let key_kind = if spki.algorithm.oid == ID_EC_PUBLIC_KEY {
        Some(KeyKind::P256)
    } else if spki.algorithm.oid == ID_RSA {
        use rsa::pkcs1::DecodeRsaPublicKey;
        use rsa::traits::PublicKeyParts;
        spki.subject_public_key.as_bytes().and_then(|b| rsa::PublicKey::from_pkcs1_der(b).ok()).map(|k| {
            match k.size() * 8 {
                0..=2048 => KeyKind::Rsa2048,
                2049..=3072 => KeyKind::Rsa3072,
                _ => KeyKind::Rsa4096,
            }
        })
    } else {
        None
    };
    CertInfo {
        subject: subject.to_string(),
        common_name,
        organisation,
        email,
        not_before: to_time(&tbs.validity().not_before),
        not_after: to_time(&tbs.validity().not_after),
        key_kind,
    }
}

fn describe(name: &str, cert_der: &[u8]) -> Result<Identity, SignError> {
    let cert = Certificate::from_der(cert_der)
        .map_err(|e| SignError::Damaged { name: name.to_string(), message: format!("certificate: {e}") })?;
    let info = cert_info(&cert);
    Ok(Identity {
        name: name.to_string(),
        subject: info.subject,
        common_name: info.common_name,
        organisation: info.organisation,
        email: info.email,
        fingerprint: fingerprint(cert_der),
        key_kind: info.key_kind.ok_or_else(|| SignError::Damaged {
            name: name.to_string(),
            message: "the certificate's key type is not supported".into(),
        })?,
        not_after: info.not_after,
    })
}

/// Every identity in the data folder, by name. A damaged one is skipped with a warning in the log.
pub fn list(dir: &DataDir) -> Result<Vec<Identity>, SignError> {
    let folder = identities_dir(dir);
    let entries = match std::fs::read_dir(&folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(SignError::Io { path: folder, source: e }),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".cert.pem")).map(str::to_string))
        .filter(|n| check_name(n).is_ok())
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        match get(dir, &name) {
            Ok(i) => out.push(i),
            Err(e) => tracing::warn!("skipping identity: {e}"),
        }
    }
    Ok(out)
}

/// One identity, by name.
pub fn get(dir: &DataDir, name: &str) -> Result<Identity, SignError> {
    check_name(name).map_err(|_| SignError::NoIdentity(name.to_string()))?;
    let certs = read_certs(dir, name)?;
    describe(name, &certs[0])
}

/// The identity's certificate (and chain) as PEM, for recipients to trust.
pub fn export_cert(dir: &DataDir, name: &str) -> Result<String, SignError> {
    check_name(name).map_err(|_| SignError::NoIdentity(name.to_string()))?;
    let mut out = String::new();
    for c in read_certs(dir, name)? {
        out.push_str(&pem_cert(&c)?);
    }
    Ok(out)
}

/// The certificates (DER) of every identity: they are trusted by their owner.
pub(crate) fn own_certs(dir: &DataDir) -> Vec<Vec<u8>> {
    list(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|i| read_certs(dir, &i.name).ok().and_then(|c| c.into_iter().next()))
        .collect()
}

/// Deletes an identity's key and certificate.
pub fn delete(dir: &DataDir, name: &str) -> Result<(), SignError> {
    check_name(name).map_err(|_| SignError::NoIdentity(name.to_string()))?;
    let key = key_path(dir, name);
    let cert = cert_path(dir, name);
    if !key.exists() && !cert.exists() {
        return Err(SignError::NoIdentity(name.to_string()));
    }
    for p in [key, cert] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(SignError::Io { path: p, source: e }),
        }
    }
    Ok(())
}

/// Decrypts an identity's key with its passphrase.
pub fn unlock(dir: &DataDir, name: &str, passphrase: &str) -> Result<Signer, SignError> {
    let identity = get(dir, name)?;
    let path = key_path(dir, name);
    let pem = Zeroizing::new(match std::fs::read_to_string(&path) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SignError::Damaged { name: name.to_string(), message: "its key file is missing".into() })
        }
        Err(e) => return Err(SignError::Io { path, source: e }),
    });
    let damaged = |m: String| SignError::Damaged { name: name.to_string(), message: m };
    let (label, doc) = pkcs8::SecretDocument::from_pem(&pem).map_err(|e| damaged(format!("key file: {e}")))?;
    if label != "ENCRYPTED PRIVATE KEY" {
        return Err(damaged("the key file is not an encrypted private key".into()));
    }
    let encrypted =
        pkcs8::EncryptedPrivateKeyInfoRef::try_from(doc.as_bytes()).map_err(|e| damaged(format!("key file: {e}")))?;
    let plain = encrypted.decrypt(passphrase.as_bytes()).map_err(|_| SignError::WrongPassphrase(name.to_string()))?;
    let key = parse_key(plain.as_bytes()).map_err(|_| SignError::WrongPassphrase(name.to_string()))?;
    let certs = read_certs(dir, name)?;
    let leaf = Certificate::from_der(&certs[0]).map_err(|e| damaged(e.to_string()))?;
    if public_of(&key)? != leaf.tbs_certificate().subject_public_key_info().subject_public_key.raw_bytes() {
        return Err(damaged("its key does not belong to its certificate".into()));
    }
    let mut certs = certs.into_iter();
    let cert_der = certs.next().unwrap_or_default();
    Ok(Signer { identity, key, cert_der, chain_der: certs.collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn names_are_plain_file_names() {
        for ok in ["Ann", "Ann Analyst", "ann.work_2-b", "Ελένη"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "../x", "a/b", "a\\b", ".hidden", "-flag", "trailing ", "x".repeat(65).as_str(), "a\nb"] {
            assert_eq!(check_name(bad).unwrap_err().code(), ErrorCode::BadName, "{bad:?}");
        }
        assert_eq!(name_from("Org Signer"), "Org Signer");
        assert_eq!(name_from("  ACME/Corp: Signing  "), "ACME-Corp- Signing");
        assert_eq!(name_from("///"), "imported");
    }
}
