//! What is wrong with a signature or a signed document, one variant per finding.
//!
//! Each variant displays as one plain sentence, and serialises as that sentence: the app and
//! `verify --json` show exactly these words.

use const_oid::ObjectIdentifier;
use serde::{Serialize, Serializer};

use super::changes::{join, Change};
use crate::sign::pdf::PdfError;

/// One problem the verifier found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The file, or a part the verifier needed, cannot be read as a PDF.
    #[error("{0}")]
    Pdf(PdfError),
    /// The document has no signature field, but a signature dictionary.
    #[error("the file holds a signature dictionary that no signature field uses")]
    UnusedSignatureDictionary,
    /// More signature dictionaries than the signature fields use.
    #[error("the file holds {dictionaries} signature dictionaries but only {fields} signature fields use them")]
    ExtraSignatureDictionaries { dictionaries: usize, fields: usize },
    /// The last signature does not cover updates appended after it.
    #[error("the document was modified after signing ({})", join(.changes))]
    ModifiedAfterSigning { changes: Vec<Change> },

    /// The field's value is not a dictionary.
    #[error("the signature dictionary cannot be read (it is not a dictionary)")]
    SignatureNotADictionary,
    /// The field's value cannot be read.
    #[error("the signature dictionary cannot be read ({0})")]
    SignatureUnreadable(PdfError),
    /// The field's value has a /Type other than /Sig (a document timestamp, say).
    #[error("the field's value is not a signature dictionary (it may be a document timestamp, which this verifier does not check)")]
    NotASignatureDictionary,
    /// The /SubFilter is neither ETSI.CAdES.detached nor adbe.pkcs7.detached.
    #[error(
        "the signature uses a format this verifier does not support (only ETSI.CAdES.detached and adbe.pkcs7.detached)"
    )]
    UnsupportedFormat,

    /// /ByteRange is missing or holds something other than integers.
    #[error("the signature's byte range is missing or is not a list of numbers")]
    ByteRangeMissing,
    /// /ByteRange has `numbers` integers instead of four.
    #[error("the signature's byte range has {numbers} numbers instead of four")]
    ByteRangeLength { numbers: usize },
    /// /ByteRange holds a negative number.
    #[error("the signature's byte range holds a negative number")]
    ByteRangeNegative,
    /// /ByteRange does not start at offset 0.
    #[error("the signature's byte range does not start at the beginning of the file")]
    ByteRangeNotFromStart,
    /// The second range does not come after the first.
    #[error("the signature's byte ranges overlap or are out of order")]
    ByteRangesOutOfOrder,
    /// /ByteRange reaches past the end of the file.
    #[error("the signature's byte range extends past the end of the file")]
    ByteRangePastEnd,

    /// The gap between the ranges is not exactly a `<…>` hex string.
    #[error("the part of the file the signature leaves out is not exactly its signature value (something else is hidden there)")]
    GapNotSignatureValue,
    /// The dictionary has no /Contents string.
    #[error("the signature value (/Contents) is missing")]
    ContentsMissing,
    /// The dictionary's /Contents is not the hex string in the gap.
    #[error("the signature value in the dictionary is not the one the byte range leaves out")]
    ContentsNotInGap,
    /// /Contents is all zeros.
    #[error("the signature value is empty")]
    ContentsEmpty,
    /// The object holding the signature dictionary was replaced by a later update.
    #[error("the signature dictionary was replaced after signing")]
    SignatureDictionaryReplaced,
    /// The signed ranges do not end a complete PDF revision.
    #[error("the signed part of the file is not a complete PDF revision")]
    SignedPartNotARevision,
    /// The gap is not inside the object holding the signature dictionary.
    #[error("the signature value lies outside its own signature dictionary")]
    ContentsOutsideDictionary,

    /// The signer's certificate is not trusted.
    #[error("the signer's certificate is not trusted (add it with --trust or to your trusted certificates)")]
    Untrusted,
    /// The stated signing time (/M) lies outside the certificate's validity.
    #[error("the signer's certificate was not valid at the stated signing time")]
    CertificateNotValidAtSigningTime,

    /// The signature value is not a DER structure.
    #[error("the signature value is not a CMS structure")]
    NotCms,
    /// The signature value cannot be decoded.
    #[error("the signature value cannot be read ({0})")]
    CmsUnreadable(der::Error),
    /// The signature value is CMS, but not SignedData.
    #[error("the signature value is not CMS SignedData")]
    NotSignedData,
    /// The SignedData carries its own content (it is not detached).
    #[error("the signature carries its own content instead of signing the document")]
    EmbeddedContent,
    /// The SignedData has `signers` signers instead of one.
    #[error("the signature has {signers} signers instead of one")]
    SignerCount { signers: usize },
    /// No carried certificate matches the signer identifier.
    #[error("the signer's certificate is not in the signature")]
    SignerCertificateMissing,
    /// The digest algorithm is not SHA-256.
    #[error("the signature uses a digest algorithm this verifier does not support ({oid})")]
    UnsupportedDigest { oid: ObjectIdentifier },
    /// The signer info has no signed attributes.
    #[error("the signature has no signed attributes")]
    NoSignedAttributes,
    /// The content-type attribute is missing, repeated or not id-data.
    #[error("the signature's content-type attribute is missing or wrong")]
    ContentTypeAttribute,
    /// The message digest does not match the signed bytes.
    #[error("the document bytes do not match the digest the signer signed")]
    DigestMismatch,
    /// The message-digest attribute is missing.
    #[error("the signature's message-digest attribute is missing")]
    MessageDigestMissing,
    /// The signing-certificate-v2 attribute names another certificate.
    #[error("the signing-certificate attribute does not match the signer's certificate")]
    SigningCertificateMismatch,
    /// The signing-certificate-v2 attribute PAdES requires is missing.
    #[error("the signature lacks the signing-certificate attribute that PAdES requires")]
    SigningCertificateMissing,
    /// The signed attributes cannot be encoded again for checking.
    #[error("the signed attributes cannot be encoded")]
    SignedAttributesUnencodable,

    /// The signer's public key cannot be read.
    #[error("the signer's public key cannot be read")]
    PublicKeyUnreadable,
    /// An elliptic-curve key on a curve other than P-256.
    #[error("the signer's key is on an elliptic curve this verifier does not support")]
    UnsupportedCurve,
    /// A signature algorithm this verifier does not support.
    #[error("unsupported signature algorithm {oid}")]
    UnsupportedSignatureAlgorithm { oid: ObjectIdentifier },
    /// The key claims P-256 but is not a valid point.
    #[error("the signer's public key is not a valid P-256 key")]
    InvalidP256Key,
    /// The signature value is not valid DER.
    #[error("the signature value is malformed")]
    MalformedSignature,
    /// The signature does not verify with the signer's key.
    #[error("the cryptographic signature does not verify")]
    SignatureDoesNotVerify,
    /// The key claims RSA but cannot be read as one.
    #[error("the signer's public key is not a valid RSA key")]
    InvalidRsaKey,
    /// A key type other than elliptic-curve or RSA.
    #[error("the signer's key type ({oid}) is not supported")]
    UnsupportedKeyType { oid: ObjectIdentifier },
}

/// Serialised as its sentence.
impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
