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

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashSet};

use super::keystore::cert_info;
use super::pdf::{self, Dict, Obj, Pdf, PdfError};
use super::{cms, fingerprint, TrustStore};
use der::Decode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Coverage {
    /// The signature covers the whole file.
    WholeFile,
    /// The file was changed by later updates; what changed.
    ModifiedAfter { changes: Vec<String> },
    /// What the signature covers cannot be established.
    Broken,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    pub problems: Vec<String>,
    /// The signer's certificate (DER), so an app can offer to trust it. Not serialised.
    #[serde(skip)]
    pub certificate_der: Option<Vec<u8>>,
    #[serde(skip)]
    signed_end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verification {
    pub verdict: Verdict,
    pub signatures: Vec<SignatureReport>,
    /// Problems with the document as a whole.
    pub problems: Vec<String>,
}

impl Verification {
    pub fn is_valid(&self) -> bool {
        self.verdict == Verdict::Valid
    }
}

const MAX_FIELDS: usize = 10_000;
const MAX_CHANGED: usize = 20_000;

/// Verifies every signature of a PDF. Never panics; hostile input gives a verdict, not a crash.
pub fn verify(bytes: &[u8], trust: &TrustStore) -> Verification {
    let doc = match Pdf::parse(bytes) {
        Ok(d) => d,
        Err(e) => {
            return Verification { verdict: Verdict::NotPdf, signatures: Vec::new(), problems: vec![e.to_string()] }
        }
    };
    let mut problems = Vec::new();
    let fields = match signature_fields(&doc) {
        Ok(f) => f,
        Err(e) => {
            return Verification { verdict: Verdict::Invalid, signatures: Vec::new(), problems: vec![e.to_string()] };
        }
    };
    let mut reports: Vec<SignatureReport> = fields.iter().map(|f| check_one(&doc, f, trust)).collect();
    if reports.is_empty() {
        let verdict = Verdict::Unsigned;
        if count(bytes, b"/ByteRange") > 0 {
            problems.push("the file holds a signature dictionary that no signature field uses".into());
        }
        return Verification { verdict, signatures: reports, problems };
    }
    let dictionaries = count(bytes, b"/ByteRange");
    if dictionaries > reports.len() {
        problems.push(format!(
            "the file holds {dictionaries} signature dictionaries but only {} signature fields use them",
            reports.len()
        ));
    }
    reports.sort_by_key(|r| r.signed_end);
    // Later signatures may legitimately follow earlier ones; the last must cover everything.
    let last = reports.len() - 1;
    for (i, r) in reports.iter_mut().enumerate() {
        if r.coverage == Coverage::Broken {
            continue;
        }
        if r.signed_end == bytes.len() {
            r.coverage = Coverage::WholeFile;
        } else {
            let changes = match Pdf::parse(&bytes[..r.signed_end]) {
                Ok(signed) => changes(&signed, &doc),
                Err(_) => vec!["the signed part is not a complete revision".into()],
            };
            if i == last {
                r.problems.push(format!("the document was modified after signing ({})", changes.join(", ")));
            }
            r.coverage = Coverage::ModifiedAfter { changes };
        }
    }
    let verdict = if reports.iter().any(|r| !r.intact) {
        Verdict::Invalid
    } else if reports[last].coverage != Coverage::WholeFile {
        Verdict::ModifiedAfterSigning
    } else if reports.iter().any(|r| !r.trusted) {
        Verdict::Untrusted
    } else {
        Verdict::Valid
    };
    Verification { verdict, signatures: reports, problems }
}

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

struct Field {
    name: String,
    /// The object holding the signature dictionary (the /V reference, or the field itself).
    holder: Option<u32>,
    sig: Dict,
    /// Why the signature dictionary could not be read.
    unreadable: Option<String>,
}

/// Every signature field with a value in the newest AcroForm (walked with loop and size limits).
fn signature_fields(doc: &Pdf) -> Result<Vec<Field>, PdfError> {
    let catalog = doc.catalog()?;
    let Some(acro) = doc.resolve_dict(catalog.get("AcroForm"))? else { return Ok(Vec::new()) };
    let roots = match acro.get("Fields") {
        Some(f) => doc.resolve(f)?.as_array().map(<[Obj]>::to_vec).unwrap_or_default(),
        None => Vec::new(),
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<(Obj, String, Option<Vec<u8>>, usize)> =
        roots.into_iter().rev().map(|f| (f, String::new(), None, 0)).collect();
    while let Some((obj, parent, inherited_ft, depth)) = stack.pop() {
        if depth > 32 || seen.len() > MAX_FIELDS {
            return Err(PdfError::Damaged("the form fields nest too deeply or are too many".into()));
        }
        let id = obj.as_ref_id();
        if let Some((n, _)) = id {
            if !seen.insert(n) {
                continue;
            }
        }
        let Some(field) = doc.resolve(&obj)?.as_dict().cloned() else { continue };
        let part = field.get("T").and_then(Obj::as_str_bytes).map(pdf::decode_text);
        let name = match (&part, parent.is_empty()) {
            (Some(p), true) => p.clone(),
            (Some(p), false) => format!("{parent}.{p}"),
            (None, _) => parent.clone(),
        };
        let ft = match field.get("FT") {
            Some(Obj::Name(n)) => Some(n.clone()),
            _ => inherited_ft.clone(),
        };
        if let Some(kids) = field.get("Kids") {
            let kids = doc.resolve(kids)?;
            for k in kids.as_array().unwrap_or(&[]).iter().rev() {
                stack.push((k.clone(), name.clone(), ft.clone(), depth + 1));
            }
        }
        if ft.as_deref() != Some(b"Sig") {
            continue;
        }
        let Some(v) = field.get("V") else { continue };
        let holder = match v {
            Obj::Ref(n, _) => Some(*n),
            _ => id.map(|(n, _)| n),
        };
        match doc.resolve(v) {
            Ok(Obj::Dict(sig)) => out.push(Field { name, holder, sig, unreadable: None }),
            Ok(Obj::Null) => {}
            Ok(_) => out.push(Field {
                name,
                holder,
                sig: Dict::default(),
                unreadable: Some("it is not a dictionary".into()),
            }),
            Err(e) => out.push(Field { name, holder, sig: Dict::default(), unreadable: Some(e.to_string()) }),
        }
    }
    Ok(out)
}

fn check_one(doc: &Pdf, field: &Field, trust: &TrustStore) -> SignatureReport {
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
    if let Some(why) = &field.unreadable {
        r.problems.push(format!("the signature dictionary cannot be read ({why})"));
        return r;
    }
    let sig = &field.sig;
    let bytes = doc.bytes;
    r.signing_time = sig.get("M").and_then(Obj::as_str_bytes).and_then(|m| parse_pdf_date(&pdf::decode_text(m)));

    // What kind of signature.
    if sig.get("Type").is_some() && !sig.name_is("Type", "Sig") {
        r.problems.push("the field's value is not a signature dictionary (it may be a document timestamp, which this verifier does not check)".into());
        return r;
    }
    let cades = sig.name_is("SubFilter", "ETSI.CAdES.detached");
    if !cades && !sig.name_is("SubFilter", "adbe.pkcs7.detached") {
        r.problems.push("the signature uses a format this verifier does not support (only ETSI.CAdES.detached and adbe.pkcs7.detached)".into());
        return r;
    }

    // /ByteRange: exactly four integers, from 0, within the file.
    let br: Option<Vec<i64>> = match sig.get("ByteRange") {
        Some(Obj::Array(a)) => a.iter().map(Obj::as_int).collect(),
        _ => None,
    };
    let Some(br) = br else {
        r.problems.push("the signature's byte range is missing or is not a list of numbers".into());
        return r;
    };
    if br.len() != 4 {
        r.problems.push(format!("the signature's byte range has {} numbers instead of four", br.len()));
        return r;
    }
    if br.iter().any(|v| *v < 0) {
        r.problems.push("the signature's byte range holds a negative number".into());
        return r;
    }
    let [start, a, b, c] = [br[0] as u64, br[1] as u64, br[2] as u64, br[3] as u64];
    if start != 0 {
        r.problems.push("the signature's byte range does not start at the beginning of the file".into());
        return r;
    }
    if a == 0 || b <= a {
        r.problems.push("the signature's byte ranges overlap or are out of order".into());
        return r;
    }
    let end = b.saturating_add(c);
    if end > bytes.len() as u64 {
        r.problems.push("the signature's byte range extends past the end of the file".into());
        return r;
    }
    let (a, b, end) = (a as usize, b as usize, end as usize);
    r.signed_end = end;

    // The gap is exactly the /Contents hex string, and it is this dictionary's /Contents.
    let gap = &bytes[a..b];
    let hex_ok = gap.len() >= 2
        && gap[0] == b'<'
        && gap[gap.len() - 1] == b'>'
        && gap[1..gap.len() - 1].iter().all(u8::is_ascii_hexdigit);
    if !hex_ok {
        r.problems.push(
            "the part of the file the signature leaves out is not exactly its signature value (something else is hidden there)"
                .into(),
        );
        return r;
    }
    let contents = match sig.get("Contents") {
        Some(Obj::Str(s)) => s.clone(),
        _ => {
            r.problems.push("the signature value (/Contents) is missing".into());
            return r;
        }
    };
    let gap_value = match pdf::Parser::new(gap, 0).object() {
        Ok(Obj::Str(s)) => s,
        _ => Vec::new(),
    };
    if gap_value != contents {
        r.problems.push("the signature value in the dictionary is not the one the byte range leaves out".into());
        return r;
    }
    if contents.iter().all(|b| *b == 0) {
        r.problems.push("the signature value is empty".into());
        return r;
    }
    match field.holder.and_then(|h| doc.object_span(h).map(|s| (h, s))) {
        Some((holder, (s, e))) if s < a && b < e => {
            // The dictionary must already be in the signed revision, unchanged.
            match Pdf::parse(&bytes[..end]) {
                Ok(signed) if signed.offset_of(holder) == doc.offset_of(holder) => {}
                Ok(_) => {
                    r.problems.push("the signature dictionary was replaced after signing".into());
                    return r;
                }
                Err(_) => {
                    r.problems.push("the signed part of the file is not a complete PDF revision".into());
                    return r;
                }
            }
        }
        _ => {
            r.problems.push("the signature value lies outside its own signature dictionary".into());
            return r;
        }
    }

    // The cryptography.
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..a]);
    hasher.update(&bytes[b..end]);
    let digest: [u8; 32] = hasher.finalize().into();
    let check = cms::check(&contents, &digest, cades);
    if let Some(cert_der) = &check.signer_cert {
        if let Ok(cert) = x509_cert::Certificate::from_der(cert_der) {
            let info = cert_info(&cert);
            r.signer_subject = Some(info.subject);
            r.signer_name = info.common_name;
            r.organisation = info.organisation;
            r.fingerprint = Some(fingerprint(cert_der));
            r.certificate_der = Some(cert_der.clone());
            r.trusted = trust.trusts(cert_der, &check.certs);
            if !r.trusted {
                r.problems.push(
                    "the signer's certificate is not trusted (add it with --trust or to your trusted certificates)"
                        .into(),
                );
            }
            if let Some(t) = sig.get("M").and_then(Obj::as_str_bytes).and_then(|m| pdf_time(&pdf::decode_text(m))) {
                if t < info.not_before || t > info.not_after {
                    r.trusted = false;
                    r.problems.push("the signer's certificate was not valid at the stated signing time".into());
                }
            }
        }
    }
    r.problems.extend(check.problems.iter().cloned());
    r.intact = check.digest_ok && check.signature_ok && check.problems.is_empty();
    if r.intact {
        // Settled by the caller once all signatures are known.
        r.coverage = Coverage::WholeFile;
    }
    r
}

/// "D:YYYYMMDDHHmmSS+HH'mm'" to a time.
fn pdf_time(s: &str) -> Option<time::OffsetDateTime> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let num = |from: usize, len: usize, default: u32| -> u32 {
        digits.get(from..from + len).and_then(|d| d.parse().ok()).unwrap_or(default)
    };
    let date = time::Date::from_calendar_date(
        num(0, 4, 0) as i32,
        time::Month::try_from(num(4, 2, 1) as u8).ok()?,
        num(6, 2, 1) as u8,
    )
    .ok()?;
    let t = time::Time::from_hms(num(8, 2, 0) as u8, num(10, 2, 0) as u8, num(12, 2, 0) as u8).ok()?;
    let rest = &s[digits.len()..];
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let d: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let h: i8 = d.get(0..2).and_then(|x| x.parse().ok()).unwrap_or(0);
            let m: i8 = d.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
            let (h, m) = if sign == '-' { (-h, -m) } else { (h, m) };
            time::UtcOffset::from_hms(h, m, 0).ok()?
        }
        _ => time::UtcOffset::UTC,
    };
    Some(time::PrimitiveDateTime::new(date, t).assume_offset(offset))
}

fn parse_pdf_date(s: &str) -> Option<String> {
    pdf_time(s).and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
}

// ---------------------------------------------------------------- what changed

/// Describes what later updates changed, comparing the signed revision with the final one.
pub fn changes(signed: &Pdf, full: &Pdf) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    if signed.startxref == full.startxref {
        push("bytes were appended after the signed part".into());
        return out;
    }
    // Objects added, replaced or freed later.
    let mut changed: BTreeSet<u32> = BTreeSet::new();
    for (n, e) in &full.xref {
        if signed.xref.get(n) != Some(e) {
            changed.insert(*n);
        }
        if changed.len() > MAX_CHANGED {
            break;
        }
    }
    let changed: BTreeSet<u32> = changed.into_iter().filter(|n| !same_object(signed, full, *n)).collect();
    let mut explained: HashSet<u32> = HashSet::new();
    let mut metadata = false;
    let mut other = false;

    let pages_signed = signed.pages().unwrap_or_default();
    let pages_full = full.pages().unwrap_or_default();
    let signed_set: HashSet<u32> = pages_signed.iter().map(|p| p.0).collect();
    for (i, p) in pages_full.iter().enumerate() {
        if !signed_set.contains(&p.0) {
            push("new page".into());
            explained.insert(p.0);
            for c in page_contents(full, p.0) {
                explained.insert(c);
            }
            continue;
        }
        let page_no = i + 1;
        let old = signed.get(p.0).ok().flatten().and_then(|o| o.as_dict().cloned()).unwrap_or_default();
        let new = full.get(p.0).ok().flatten().and_then(|o| o.as_dict().cloned()).unwrap_or_default();
        let old_contents = page_contents(signed, p.0);
        let new_contents = page_contents(full, p.0);
        if old_contents != new_contents || new_contents.iter().any(|c| changed.contains(c)) {
            push(format!("changed content of page {page_no}"));
        }
        for c in &new_contents {
            explained.insert(*c);
        }
        let old_annots = annot_ids(signed, &old);
        let new_annots = annot_ids(full, &new);
        for a in &new_annots {
            explained.insert(*a);
            if !old_annots.contains(a) {
                if is_signature_widget(full, *a) {
                    push("new signature".into());
                } else {
                    push(format!("new annotation on page {page_no}"));
                }
            } else if changed.contains(a) {
                push(format!("changed annotation on page {page_no}"));
            }
        }
        if old_annots.iter().any(|a| !new_annots.contains(a)) {
            push(format!("removed annotation on page {page_no}"));
        }
        if changed.contains(&p.0) {
            explained.insert(p.0);
            let strip = |d: &Dict| {
                let mut d = d.clone();
                d.remove("Annots");
                d.remove("Contents");
                d
            };
            if strip(&old) != strip(&new) {
                push(format!("changed page {page_no} (its resources or layout)"));
            }
        }
    }
    if pages_full.len() < pages_signed.len() {
        push("removed page".into());
    }
    // Page-tree nodes are explained by the page changes above.
    for n in &changed {
        if let Ok(Some(o)) = full.get(*n) {
            if o.as_dict().is_some_and(|d| d.name_is("Type", "Pages")) {
                explained.insert(*n);
            }
        }
    }

    // Document information and XMP metadata.
    let info_ids: Vec<u32> = [signed.trailer.get("Info"), full.trailer.get("Info")]
        .into_iter()
        .flatten()
        .filter_map(Obj::as_ref_id)
        .map(|r| r.0)
        .collect();
    if signed.trailer.get("Info") != full.trailer.get("Info") || info_ids.iter().any(|i| changed.contains(i)) {
        metadata = true;
        explained.extend(info_ids.iter().copied());
    }
    let old_cat = signed.catalog().unwrap_or_default();
    let new_cat = full.catalog().unwrap_or_default();
    let meta_ids: Vec<u32> = [old_cat.get("Metadata"), new_cat.get("Metadata")]
        .into_iter()
        .flatten()
        .filter_map(Obj::as_ref_id)
        .map(|r| r.0)
        .collect();
    if old_cat.get("Metadata") != new_cat.get("Metadata") || meta_ids.iter().any(|i| changed.contains(i)) {
        metadata = true;
        explained.extend(meta_ids.iter().copied());
    }
    let root = full.root_id().0;
    if changed.contains(&root) || signed.root_id() != full.root_id() {
        explained.insert(root);
        let strip = |d: &Dict| {
            let mut d = d.clone();
            d.remove("AcroForm");
            d.remove("Metadata");
            d
        };
        if strip(&old_cat) != strip(&new_cat) {
            push("changed document catalog (actions, outlines or viewer settings)".into());
        }
    }
    // The AcroForm and its fields, signature dictionaries and appearances of new signatures,
    // and cross-reference/object streams are bookkeeping.
    if let Some(Obj::Ref(n, _)) = new_cat.get("AcroForm") {
        explained.insert(*n);
    }
    for n in &changed {
        if explained.contains(n) {
            continue;
        }
        match full.get(*n) {
            Ok(Some(o)) => {
                let d = o.as_dict();
                let kind = |t: &str| d.is_some_and(|d| d.name_is("Type", t));
                if kind("XRef") || kind("ObjStm") {
                    continue;
                }
                if kind("Sig") {
                    if !out.iter().any(|s| s == "new signature") {
                        out.push("new signature dictionary not used by any field".into());
                    }
                    continue;
                }
                if d.is_some_and(|d| d.name_is("FT", "Sig")) {
                    continue;
                }
                if d.is_some_and(|d| d.name_is("Subtype", "Form"))
                    && d.and_then(|d| d.get("Length")) == Some(&Obj::Int(0))
                {
                    continue;
                }
                other = true;
            }
            Ok(None) => other = true,
            Err(_) => other = true,
        }
    }
    let other_text = "changed other objects (fonts, images or drawings the pages use)";
    if other && !out.iter().any(|s| s == other_text) {
        out.push(other_text.into());
    }
    if metadata {
        if out.is_empty() {
            out.push("metadata only".into());
        } else {
            out.push("changed metadata".into());
        }
    }
    if out.is_empty() {
        out.push("an update that changes nothing visible".into());
    }
    out
}

fn same_object(a: &Pdf, b: &Pdf, n: u32) -> bool {
    match (a.get(n), b.get(n)) {
        (Ok(Some(Obj::Stream(da, ra))), Ok(Some(Obj::Stream(db, rb)))) => {
            da == db && a.bytes.get(ra) == b.bytes.get(rb)
        }
        (Ok(Some(x)), Ok(Some(y))) => x == y,
        _ => false,
    }
}

fn page_contents(doc: &Pdf, page: u32) -> Vec<u32> {
    let Some(d) = doc.get(page).ok().flatten().and_then(|o| o.as_dict().cloned()) else { return Vec::new() };
    match d.get("Contents") {
        Some(Obj::Ref(n, _)) => match doc.get(*n) {
            Ok(Some(Obj::Array(a))) => a.iter().filter_map(Obj::as_ref_id).map(|r| r.0).take(10_000).collect(),
            _ => vec![*n],
        },
        Some(Obj::Array(a)) => a.iter().filter_map(Obj::as_ref_id).map(|r| r.0).take(10_000).collect(),
        _ => Vec::new(),
    }
}

fn annot_ids(doc: &Pdf, page: &Dict) -> Vec<u32> {
    let arr = match page.get("Annots") {
        Some(o) => doc.resolve(o).unwrap_or(Obj::Null),
        None => return Vec::new(),
    };
    arr.as_array().unwrap_or(&[]).iter().filter_map(Obj::as_ref_id).map(|r| r.0).take(10_000).collect()
}

fn is_signature_widget(doc: &Pdf, n: u32) -> bool {
    let Some(d) = doc.get(n).ok().flatten().and_then(|o| o.as_dict().cloned()) else { return false };
    if d.name_is("FT", "Sig") {
        return true;
    }
    d.get("Parent")
        .and_then(|p| doc.resolve(p).ok())
        .and_then(|p| p.as_dict().map(|p| p.name_is("FT", "Sig")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pdf_dates() {
        assert_eq!(parse_pdf_date("D:20260304050607+01'30'").as_deref(), Some("2026-03-04T05:06:07+01:30"));
        assert_eq!(parse_pdf_date("D:20260304050607Z").as_deref(), Some("2026-03-04T05:06:07Z"));
        assert_eq!(parse_pdf_date("garbage"), None);
    }

    #[test]
    fn hostile_bytes_give_a_verdict() {
        let trust = TrustStore::new();
        for input in [&b""[..], b"%PDF-1.7\n", b"%PDF-1.7\nstartxref\n99999999\n%%EOF", b"\x00\xff random"] {
            let v = verify(input, &trust);
            assert_eq!(v.verdict, Verdict::NotPdf, "{input:?}");
            assert!(!v.problems.is_empty());
        }
    }
}
