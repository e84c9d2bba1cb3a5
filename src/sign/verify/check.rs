//! Checking one signature: its dictionary, its byte range, the signature value in the gap,
//! that the signed bytes end a revision holding the dictionary, and the cryptography.

use der::Decode;
use sha2::{Digest, Sha256};

use super::date::{parse_pdf_date, pdf_time};
use super::fields::Field;
use super::{Coverage, Problem, SignatureReport};
use crate::sign::keystore::cert_info;
use crate::sign::pdf::{self, Dict, Obj, Pdf};
use crate::sign::{cms, fingerprint, TrustStore};

/// What a sound /ByteRange says: the gap `[gap_start, gap_end)` it leaves out, and where the signed bytes end.
struct Ranges {
    gap_start: usize,
    gap_end: usize,
    end: usize,
}

/// The report on one signature field. Its coverage is settled by the caller once all
/// signatures are known; a signature that fails a check is [`Coverage::Broken`].
pub(super) fn check_one(doc: &Pdf, field: &Field, trust: &TrustStore) -> SignatureReport {
    let mut r = SignatureReport {
        field: field.name.clone(),
        signer_subject: None,
        signer_name: None,
        organisation: None,
        signing_time: None,
        fingerprint: None,
        intact: false,
        coverage: Coverage::Broken,
        trusted: false,
        problems: Vec::new(),
        certificate_der: None,
        signed_end: 0,
    };
    if let Err(problem) = check(doc, field, trust, &mut r) {
        r.problems.push(problem);
    }
    r
}

/// The checks in order; an `Err` is the problem that ends them.
fn check(doc: &Pdf, field: &Field, trust: &TrustStore, r: &mut SignatureReport) -> Result<(), Problem> {
    if let Some(why) = &field.unreadable {
        return Err(why.clone());
    }
    let sig = &field.sig;
    r.signing_time = sig.get("M").and_then(Obj::as_str_bytes).and_then(|m| parse_pdf_date(&pdf::decode_text(m)));
    let cades = signature_kind(sig)?;
    let ranges = byte_range(sig, doc.bytes.len())?;
    r.signed_end = ranges.end;
    let contents = signature_value(doc.bytes, sig, &ranges)?;
    dictionary_was_signed(doc, field.holder, &ranges)?;
    check_cryptography(r, &signed_digest(doc.bytes, &ranges), &contents, cades, sig, trust);
    Ok(())
}

/// A signature dictionary in a format this verifier checks; `true` for ETSI.CAdES.detached
/// (which must name its certificate), `false` for adbe.pkcs7.detached.
fn signature_kind(sig: &Dict) -> Result<bool, Problem> {
    if sig.get("Type").is_some() && !sig.name_is("Type", "Sig") {
        return Err(Problem::NotASignatureDictionary);
    }
    let cades = sig.name_is("SubFilter", "ETSI.CAdES.detached");
    if !cades && !sig.name_is("SubFilter", "adbe.pkcs7.detached") {
        return Err(Problem::UnsupportedFormat);
    }
    Ok(cades)
}

/// /ByteRange: exactly four non-negative integers, from 0, in order, within the file.
fn byte_range(sig: &Dict, file_len: usize) -> Result<Ranges, Problem> {
    let br: Option<Vec<i64>> = match sig.get("ByteRange") {
        Some(Obj::Array(a)) => a.iter().map(Obj::as_int).collect(),
        _ => None,
    };
    let br = br.ok_or(Problem::ByteRangeMissing)?;
    if br.len() != 4 {
        return Err(Problem::ByteRangeLength { numbers: br.len() });
    }
    if br.iter().any(|v| *v < 0) {
        return Err(Problem::ByteRangeNegative);
    }
    let [start, a, b, c] = [br[0] as u64, br[1] as u64, br[2] as u64, br[3] as u64];
    if start != 0 {
        return Err(Problem::ByteRangeNotFromStart);
    }
    if a == 0 || b <= a {
        return Err(Problem::ByteRangesOutOfOrder);
    }
    let end = b.saturating_add(c);
    if end > file_len as u64 {
        return Err(Problem::ByteRangePastEnd);
    }
    Ok(Ranges { gap_start: a as usize, gap_end: b as usize, end: end as usize })
}

/// The signature value: the gap is exactly a `<…>` hex string, it is this dictionary's
/// /Contents, and it is not all zeros.
fn signature_value(bytes: &[u8], sig: &Dict, ranges: &Ranges) -> Result<Vec<u8>, Problem> {
    let gap = &bytes[ranges.gap_start..ranges.gap_end];
    let hex_ok = gap.len() >= 2
        && gap[0] == b'<'
        && gap[gap.len() - 1] == b'>'
        && gap[1..gap.len() - 1].iter().all(u8::is_ascii_hexdigit);
    if !hex_ok {
        return Err(Problem::GapNotSignatureValue);
    }
    let Some(Obj::Str(contents)) = sig.get("Contents") else {
        return Err(Problem::ContentsMissing);
    };
    let gap_value = match pdf::Parser::new(gap, 0).object() {
        Ok(Obj::Str(s)) => s,
        _ => Vec::new(),
    };
    if &gap_value != contents {
        return Err(Problem::ContentsNotInGap);
    }
    if contents.iter().all(|b| *b == 0) {
        return Err(Problem::ContentsEmpty);
    }
    Ok(contents.clone())
}

/// The gap lies inside the object holding the signature dictionary, and the signed bytes
/// end a complete revision that already holds that object, unchanged.
fn dictionary_was_signed(doc: &Pdf, holder: Option<u32>, ranges: &Ranges) -> Result<(), Problem> {
    match holder.and_then(|h| doc.object_span(h).map(|s| (h, s))) {
        Some((holder, (s, e))) if s < ranges.gap_start && ranges.gap_end < e => {
            match Pdf::parse(&doc.bytes[..ranges.end]) {
                Ok(signed) if signed.offset_of(holder) == doc.offset_of(holder) => Ok(()),
                Ok(_) => Err(Problem::SignatureDictionaryReplaced),
                Err(_) => Err(Problem::SignedPartNotARevision),
            }
        }
        _ => Err(Problem::ContentsOutsideDictionary),
    }
}

/// The SHA-256 of the two signed ranges.
fn signed_digest(bytes: &[u8], ranges: &Ranges) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..ranges.gap_start]);
    hasher.update(&bytes[ranges.gap_end..ranges.end]);
    hasher.finalize().into()
}

/// The CMS signature over `digest`, and the signer it names; intact when both hold.
fn check_cryptography(
    r: &mut SignatureReport,
    digest: &[u8; 32],
    contents: &[u8],
    cades: bool,
    sig: &Dict,
    trust: &TrustStore,
) {
    let check = cms::check(contents, digest, cades);
    if let Some(cert_der) = &check.signer_cert {
        describe_signer(r, cert_der, &check.certs, sig, trust);
    }
    r.problems.extend(check.problems.iter().cloned());
    r.intact = check.digest_ok && check.signature_ok && check.problems.is_empty();
    if r.intact {
        // Settled by the caller once all signatures are known.
        r.coverage = Coverage::WholeFile;
    }
}

/// Who signed (from the certificate), whether the signer is trusted, and whether the
/// certificate was valid at the time the dictionary states.
fn describe_signer(r: &mut SignatureReport, cert_der: &[u8], certs: &[Vec<u8>], sig: &Dict, trust: &TrustStore) {
    let Ok(cert) = x509_cert::Certificate::from_der(cert_der) else { return };
    let info = cert_info(&cert);
    r.signer_subject = Some(info.subject);
    r.signer_name = info.common_name;
    r.organisation = info.organisation;
    r.fingerprint = Some(fingerprint(cert_der));
    r.certificate_der = Some(cert_der.to_vec());
    r.trusted = trust.trusts(cert_der, certs);
    if !r.trusted {
        r.problems.push(Problem::Untrusted);
    }
    if let Some(t) = sig.get("M").and_then(Obj::as_str_bytes).and_then(|m| pdf_time(&pdf::decode_text(m))) {
        if t < info.not_before || t > info.not_after {
            r.trusted = false;
            r.problems.push(Problem::CertificateNotValidAtSigningTime);
        }
    }
}
