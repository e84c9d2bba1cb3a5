//! CMS SignedData for PAdES: built by hand from the RustCrypto types, and checked.
//!
//! Signed attributes: content-type (id-data), message-digest (SHA-256 of the signed
//! byte ranges), signing-certificate-v2 (SHA-256 of the signer certificate). No
//! signing-time: PAdES B-B puts the time in the signature dictionary's /M.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use der::asn1::{Any, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::keystore::SignerKey;
use super::{Problem, SignError};

pub const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
pub const ID_SIGNING_CERT_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub const ID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub const ID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
pub const ID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub const ID_RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
pub const ID_RSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
pub const ID_RSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");

/// ESSCertIDv2 with the default hash algorithm (SHA-256).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: Option<IssuerSerial>,
}

/// An ESSCertIDv2 as found in a signature made elsewhere (any hash algorithm).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2Any {
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    issuer_serial: Option<Any>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2Any {
    certs: Vec<EssCertIdV2Any>,
    policies: Option<Any>,
}

fn der_err(e: der::Error) -> SignError {
    SignError::Internal(format!("encoding the signature failed: {e}"))
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, der::Error> {
    let mut values = SetOfVec::new();
    values.insert(value)?;
    Ok(Attribute { oid, values })
}

/// A detached CMS SignedData (DER) over `digest`, the SHA-256 of the signed byte ranges.
pub fn sign_digest(
    digest: &[u8; 32],
    key: &SignerKey,
    cert_der: &[u8],
    chain_der: &[Vec<u8>],
) -> Result<Vec<u8>, SignError> {
    let cert = Certificate::from_der(cert_der).map_err(|e| SignError::BadCertificate(e.to_string()))?;
    let tbs = cert.tbs_certificate();
    let sha256 = AlgorithmIdentifierOwned { oid: ID_SHA256, parameters: None };

    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(cert_der).to_vec()).map_err(der_err)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
                serial_number: tbs.serial_number().clone(),
            }),
        }],
    };
    let mut attrs = SetOfVec::new();
    attrs
        .insert(attribute(ID_CONTENT_TYPE, Any::encode_from(&ID_DATA).map_err(der_err)?).map_err(der_err)?)
        .map_err(der_err)?;
    let md = OctetString::new(digest.to_vec()).map_err(der_err)?;
    attrs
        .insert(attribute(ID_MESSAGE_DIGEST, Any::encode_from(&md).map_err(der_err)?).map_err(der_err)?)
        .map_err(der_err)?;
    attrs
        .insert(attribute(ID_SIGNING_CERT_V2, Any::encode_from(&ess).map_err(der_err)?).map_err(der_err)?)
        .map_err(der_err)?;

    let to_sign = attrs.to_der().map_err(der_err)?;
    let (signature, signature_algorithm) = match key {
        SignerKey::P256(k) => {
            use p256::ecdsa::signature::Signer;
            let sig: p256::ecdsa::Signature = k.sign(&to_sign);
            (sig.to_der().as_bytes().to_vec(), AlgorithmIdentifierOwned { oid: ID_ECDSA_SHA256, parameters: None })
        }
        SignerKey::Rsa(k) => {
            let sig = rsa_sign(k, &to_sign)?;
            (sig, AlgorithmIdentifierOwned { oid: ID_RSA_SHA256, parameters: Some(Any::null()) })
        }
    };

    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: sha256.clone(),
        signed_attrs: Some(attrs),
        signature_algorithm,
        signature: OctetString::new(signature).map_err(der_err)?,
        unsigned_attrs: None,
    };
    let mut certs = vec![CertificateChoices::Certificate(cert.clone())];
    for c in chain_der {
        let c = Certificate::from_der(c).map_err(|e| SignError::BadCertificate(e.to_string()))?;
        if !certs.contains(&CertificateChoices::Certificate(c.clone())) {
            certs.push(CertificateChoices::Certificate(c));
        }
    }
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms.insert(sha256).map_err(der_err)?;
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo { econtent_type: ID_DATA, econtent: None },
        certificates: Some(CertificateSet::from(SetOfVec::try_from(certs).map_err(der_err)?)),
        crls: None,
        signer_infos: SignerInfos::from(SetOfVec::try_from(vec![signer_info]).map_err(der_err)?),
    };
    let ci = ContentInfo { content_type: ID_SIGNED_DATA, content: Any::encode_from(&signed_data).map_err(der_err)? };
    ci.to_der().map_err(der_err)
}

/// RSA PKCS#1 v1.5 with SHA-256, blinded with a random factor.
pub(crate) fn rsa_sign(key: &rsa::PrivateKey, msg: &[u8]) -> Result<Vec<u8>, SignError> {
    key.sign_with_rng(&mut getrandom::SysRng, rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg))
        .map_err(|e| SignError::Internal(format!("RSA signing failed: {e}")))
}

/// What a CMS signature says and whether it holds.
#[derive(Debug, Default)]
pub struct CmsCheck {
    /// The signer certificate (DER), when it could be found.
    pub signer_cert: Option<Vec<u8>>,
    /// Every certificate the CMS carries (DER).
    pub certs: Vec<Vec<u8>>,
    /// The message-digest attribute matches the signed bytes.
    pub digest_ok: bool,
    /// The signature over the signed attributes verifies with the signer's key.
    pub signature_ok: bool,
    /// Everything that is wrong.
    pub problems: Vec<Problem>,
}

/// Checks a detached CMS SignedData against the SHA-256 of the signed ranges.
pub fn check(cms_der: &[u8], digest: &[u8; 32], require_signing_cert: bool) -> CmsCheck {
    let mut out = CmsCheck::default();
    if let Err(problem) = check_signed_data(cms_der, digest, require_signing_cert, &mut out) {
        out.problems.push(problem);
    }
    out
}

/// The checks in order, recorded in `out`; an `Err` is the problem that ends them.
fn check_signed_data(
    cms_der: &[u8],
    digest: &[u8; 32],
    require_signing_cert: bool,
    out: &mut CmsCheck,
) -> Result<(), Problem> {
    let sd = signed_data(cms_der)?;
    if sd.encap_content_info.econtent.is_some() {
        out.problems.push(Problem::EmbeddedContent);
    }
    let certs = carried_certificates(&sd);
    out.certs = certs.iter().filter_map(|c| c.to_der().ok()).collect();
    let infos: Vec<&SignerInfo> = sd.signer_infos.0.iter().collect();
    let [si] = infos.as_slice() else {
        return Err(Problem::SignerCount { signers: infos.len() });
    };
    let signer = find_signer(&certs, si).ok_or(Problem::SignerCertificateMissing)?;
    let signer_der = signer.to_der().unwrap_or_default();
    out.signer_cert = Some(signer_der.clone());
    if si.digest_alg.oid != ID_SHA256 {
        return Err(Problem::UnsupportedDigest { oid: si.digest_alg.oid });
    }
    let attrs = si.signed_attrs.as_ref().ok_or(Problem::NoSignedAttributes)?;
    check_content_type_and_digest(attrs, digest, out);
    if let Some(problem) = check_signing_certificate(attrs, &signer_der, require_signing_cert) {
        out.problems.push(problem);
    }
    let signed = attrs.to_der().map_err(|_| Problem::SignedAttributesUnencodable)?;
    verify_with_cert(signer, &si.signature_algorithm, &signed, si.signature.as_bytes())?;
    out.signature_ok = true;
    Ok(())
}

/// The SignedData in a signature value (trailing zero padding after the DER value is normal in /Contents).
fn signed_data(cms_der: &[u8]) -> Result<SignedData, Problem> {
    let cms_der = match der_length(cms_der) {
        Some(n) => &cms_der[..n],
        None => return Err(Problem::NotCms),
    };
    match ContentInfo::from_der(cms_der) {
        Ok(ci) if ci.content_type == ID_SIGNED_DATA => {
            ci.content.decode_as::<SignedData>().map_err(Problem::CmsUnreadable)
        }
        Ok(_) => Err(Problem::NotSignedData),
        Err(e) => Err(Problem::CmsUnreadable(e)),
    }
}

/// The certificates a SignedData carries (other certificate formats are ignored).
fn carried_certificates(sd: &SignedData) -> Vec<Certificate> {
    sd.certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The certificate the signer info identifies (by issuer and serial number, or by key identifier).
fn find_signer<'c>(certs: &'c [Certificate], si: &SignerInfo) -> Option<&'c Certificate> {
    certs.iter().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            c.tbs_certificate().issuer() == &isn.issuer && c.tbs_certificate().serial_number() == &isn.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            matches!(c.tbs_certificate().get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>(),
                Ok(Some((_, k))) if &k == ski)
        }
    })
}

/// The value of an attribute that occurs exactly once with exactly one value.
fn single_value(attrs: &SetOfVec<Attribute>, oid: ObjectIdentifier) -> Option<&Any> {
    let found: Vec<&Attribute> = attrs.iter().filter(|a| a.oid == oid).collect();
    match found.as_slice() {
        [a] if a.values.len() == 1 => a.values.iter().next(),
        _ => None,
    }
}

/// The content-type attribute is id-data, and the message-digest attribute is `digest` (then `digest_ok`).
fn check_content_type_and_digest(attrs: &SetOfVec<Attribute>, digest: &[u8; 32], out: &mut CmsCheck) {
    match single_value(attrs, ID_CONTENT_TYPE).and_then(|v| v.decode_as::<ObjectIdentifier>().ok()) {
        Some(oid) if oid == ID_DATA => {}
        _ => out.problems.push(Problem::ContentTypeAttribute),
    }
    match single_value(attrs, ID_MESSAGE_DIGEST).and_then(|v| v.decode_as::<OctetString>().ok()) {
        Some(md) if md.as_bytes() == digest => out.digest_ok = true,
        Some(_) => out.problems.push(Problem::DigestMismatch),
        None => out.problems.push(Problem::MessageDigestMissing),
    }
}

/// The signing-certificate-v2 attribute names the signer's certificate; it may be absent
/// only when `required` is false.
fn check_signing_certificate(attrs: &SetOfVec<Attribute>, signer_der: &[u8], required: bool) -> Option<Problem> {
    let cert_hash = Sha256::digest(signer_der);
    match attrs.iter().find(|a| a.oid == ID_SIGNING_CERT_V2) {
        Some(a) => {
            let ok =
                a.values.iter().next().and_then(|v| v.decode_as::<SigningCertificateV2Any>().ok()).is_some_and(|sc| {
                    sc.certs.first().is_some_and(|id| {
                        id.hash_algorithm.as_ref().is_none_or(|h| h.oid == ID_SHA256)
                            && id.cert_hash.as_bytes() == cert_hash.as_slice()
                    })
                });
            (!ok).then_some(Problem::SigningCertificateMismatch)
        }
        None if required => Some(Problem::SigningCertificateMissing),
        None => None,
    }
}

/// Verifies `sig` over `msg` with the public key of `cert`.
pub fn verify_with_cert(
    cert: &Certificate,
    alg: &AlgorithmIdentifierOwned,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), Problem> {
    let spki = cert.tbs_certificate().subject_public_key_info();
    let Some(key_bytes) = spki.subject_public_key.as_bytes() else {
        return Err(Problem::PublicKeyUnreadable);
    };
    if spki.algorithm.oid == ID_EC_PUBLIC_KEY {
        use p256::ecdsa::signature::Verifier;
        let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        if curve != Some(ID_P256) {
            return Err(Problem::UnsupportedCurve);
        }
        if alg.oid != ID_ECDSA_SHA256 && alg.oid != ID_EC_PUBLIC_KEY {
            return Err(Problem::UnsupportedSignatureAlgorithm { oid: alg.oid });
        }
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| Problem::InvalidP256Key)?;
        let sig = p256::ecdsa::Signature::from_der(sig).map_err(|_| Problem::MalformedSignature)?;
        key.verify(msg, &sig).map_err(|_| Problem::SignatureDoesNotVerify)
    } else if spki.algorithm.oid == ID_RSA {
        use rsa::pkcs1::DecodeRsaPublicKey;
        let key = rsa::PublicKey::from_pkcs1_der(key_bytes).map_err(|_| Problem::InvalidRsaKey)?;
        let (hashed, scheme) = match alg.oid {
            o if o == ID_RSA_SHA256 || o == ID_RSA => {
                (Sha256::digest(msg).to_vec(), rsa::Pkcs1v15Sign::new::<Sha256>())
            }
            o if o == ID_RSA_SHA384 => (sha2::Sha384::digest(msg).to_vec(), rsa::Pkcs1v15Sign::new::<sha2::Sha384>()),
            o if o == ID_RSA_SHA512 => (sha2::Sha512::digest(msg).to_vec(), rsa::Pkcs1v15Sign::new::<sha2::Sha512>()),
            oid => return Err(Problem::UnsupportedSignatureAlgorithm { oid }),
        };
        key.verify(scheme, &hashed, sig).map_err(|_| Problem::SignatureDoesNotVerify)
    } else {
        Err(Problem::UnsupportedKeyType { oid: spki.algorithm.oid })
    }
}

/// The length of the DER value at the start of `bytes` (tag, length, contents).
pub fn der_length(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 2 {
        return None;
    }
    let first = bytes[1];
    let (len, header) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || bytes.len() < 2 + n {
            return None;
        }
        (bytes[2..2 + n].iter().fold(0usize, |a, b| a << 8 | *b as usize), 2 + n)
    };
    let total = header.checked_add(len)?;
    (total <= bytes.len()).then_some(total)
}
