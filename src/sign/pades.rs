//! PAdES baseline B-B signing through an incremental update.
//!
//! The original bytes are kept as they are; appended after them: the signature
//! dictionary (`/Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached`), a signature
//! field that is also its widget annotation, an (empty) appearance stream, the updated
//! page and AcroForm (or catalog), and a cross-reference section of the same kind as the
//! newest one in the file (a classic table after a table, a stream after a stream).
//! `/ByteRange` covers the whole file except the `/Contents` hex string.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::cms;
use super::keystore::Signer;
use super::pdf::{self, Dict, Obj, ObjId, Pdf, XrefKind};
use super::SignError;

/// Room for the CMS value: RSA-4096 plus a chain of several certificates.
pub const CONTENTS_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone)]
pub struct SignOptions {
    /// Goes into the signature dictionary's /M (PAdES B-B has no signing-time attribute).
    pub time: OffsetDateTime,
    /// Page (0-based) and rectangle (x0, y0, x1, y1 in points) of the visible signature
    /// field; `None` puts an invisible field on the last page.
    pub field_rect: Option<(u32, [f32; 4])>,
    pub reason: Option<String>,
    pub location: Option<String>,
}

impl SignOptions {
    pub fn at(time: OffsetDateTime) -> Self {
        SignOptions { time, field_rect: None, reason: None, location: None }
    }
}

/// A PDF date: D:YYYYMMDDHHmmSS+HH'mm'.
pub fn pdf_date(t: OffsetDateTime) -> String {
    let off = t.offset();
    let (h, m) = (off.whole_hours(), off.minutes_past_hour());
    let sign = if off.is_negative() { '-' } else { '+' };
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}{sign}{:02}'{:02}'",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        h.abs(),
        m.abs()
    )
}

/// Signs `pdf` and returns the signed file (the original bytes followed by the update).
pub fn sign_pdf(pdf_bytes: &[u8], signer: &Signer, options: &SignOptions) -> Result<Vec<u8>, SignError> {
    let doc = Pdf::parse(pdf_bytes)?;
    if doc.trailer.get("Encrypt").is_some() {
        return Err(pdf::PdfError::Damaged("encrypted PDFs cannot be signed".into()).into());
    }
    let (page_id, rect) = chosen_page(&doc, options)?;
    let mut numbers = Numbers(doc.size());
    let sig_id = numbers.take();
    let field_id = numbers.take();
    let ap_id = numbers.take();
    let catalog_id = doc.root_id();
    let mut catalog = doc.catalog()?;
    let (acro_id, acro, field_name) = acroform_with_field(&doc, &catalog, field_id)?;
    let page = page_with_widget(&doc, page_id, field_id)?;

    // 1. The signature dictionary, with placeholders.
    let mut update = Update::after(pdf_bytes);
    let slots = update.signature_dictionary(sig_id, signer, options);
    // 2. Field + widget, appearance, page.
    update.indirect((field_id, 0), &Obj::Dict(widget(&field_name, sig_id, ap_id, page_id, rect)));
    update.appearance(ap_id, rect);
    update.indirect(page_id, &Obj::Dict(page));
    // 3. The AcroForm: updated where it lives, or new and linked from the catalog.
    match acro_id {
        Some(id) => update.indirect(id, &Obj::Dict(acro)),
        None => {
            let id = numbers.take();
            update.indirect((id, 0), &Obj::Dict(acro));
            catalog.set("AcroForm", Obj::Ref(id, 0));
            update.indirect(catalog_id, &Obj::Dict(catalog));
        }
    }
    // 4. The cross-reference section and trailer.
    update.cross_reference(&doc, &mut numbers);
    if update.out.len() > pdf::MAX_FILE {
        return Err(pdf::PdfError::TooLarge.into());
    }
    // 5. Patch /ByteRange, hash, sign, patch /Contents.
    update.sign(&slots, signer)
}

/// The page the field goes on (the last unless the options choose one) and its rectangle.
fn chosen_page(doc: &Pdf, options: &SignOptions) -> Result<(ObjId, [f32; 4]), SignError> {
    let pages = doc.pages()?;
    if pages.is_empty() {
        return Err(pdf::PdfError::Damaged("the document has no pages".into()).into());
    }
    let (page_index, rect) = match options.field_rect {
        Some((i, r)) => (i as usize, r),
        None => (pages.len() - 1, [0.0; 4]),
    };
    match pages.get(page_index) {
        Some(&page_id) => Ok((page_id, rect)),
        None => Err(SignError::NoSuchPage { page: page_index as u32 + 1, count: pages.len() }),
    }
}

/// Hands out the object numbers the update adds, from the document's /Size on.
struct Numbers(u32);

impl Numbers {
    fn take(&mut self) -> u32 {
        let n = self.0;
        self.0 += 1;
        n
    }
}

/// The AcroForm, merged with any that exists, with the new field in its /Fields; where it
/// lives (when it is an object of its own); and the new field's name.
fn acroform_with_field(doc: &Pdf, catalog: &Dict, field_id: u32) -> Result<(Option<ObjId>, Dict, String), SignError> {
    let (acro_id, mut acro): (Option<ObjId>, Dict) = match catalog.get("AcroForm") {
        Some(Obj::Ref(n, g)) => (Some((*n, *g)), doc.resolve_dict(Some(&Obj::Ref(*n, *g)))?.unwrap_or_default()),
        Some(Obj::Dict(d)) => (None, d.clone()),
        _ => (None, Dict::default()),
    };
    let mut fields: Vec<Obj> = match acro.get("Fields") {
        Some(f) => doc.resolve(f)?.as_array().map(<[Obj]>::to_vec).unwrap_or_default(),
        None => Vec::new(),
    };
    let field_name = free_field_name(doc, &fields);
    fields.push(Obj::Ref(field_id, 0));
    acro.set("Fields", Obj::Array(fields));
    acro.set("SigFlags", Obj::Int(3));
    Ok((acro_id, acro, field_name))
}

/// "SignatureN" with the lowest N that no field of the form is named.
fn free_field_name(doc: &Pdf, fields: &[Obj]) -> String {
    let mut taken = Vec::new();
    for f in fields.iter().take(10_000) {
        if let Some(t) = doc.resolve(f).ok().as_ref().and_then(Obj::as_dict).and_then(|d| d.get("T")) {
            if let Some(s) = t.as_str_bytes() {
                taken.push(pdf::decode_text(s));
            }
        }
    }
    (1..).map(|i| format!("Signature{i}")).find(|n| !taken.contains(n)).unwrap_or_default()
}

/// The page with the widget added to its /Annots.
fn page_with_widget(doc: &Pdf, page_id: ObjId, field_id: u32) -> Result<Dict, SignError> {
    let mut page = match doc.get(page_id.0)? {
        Some(Obj::Dict(d)) => d,
        _ => return Err(pdf::PdfError::Damaged("a page is not a dictionary".into()).into()),
    };
    let mut annots: Vec<Obj> = match page.get("Annots") {
        Some(a) => doc.resolve(a)?.as_array().map(<[Obj]>::to_vec).unwrap_or_default(),
        None => Vec::new(),
    };
    annots.push(Obj::Ref(field_id, 0));
    page.set("Annots", Obj::Array(annots));
    Ok(page)
}

/// The signature field, which is also its widget annotation.
fn widget(field_name: &str, sig_id: u32, ap_id: u32, page_id: ObjId, rect: [f32; 4]) -> Dict {
    let [x0, y0, x1, y1] = rect;
    Dict(vec![
        (b"Type".to_vec(), Obj::Name(b"Annot".to_vec())),
        (b"Subtype".to_vec(), Obj::Name(b"Widget".to_vec())),
        (b"FT".to_vec(), Obj::Name(b"Sig".to_vec())),
        (b"T".to_vec(), Obj::Str(pdf::text_string(field_name))),
        (b"V".to_vec(), Obj::Ref(sig_id, 0)),
        // Print + Locked.
        (b"F".to_vec(), Obj::Int(132)),
        (b"P".to_vec(), Obj::Ref(page_id.0, page_id.1)),
        (b"Rect".to_vec(), Obj::Array(vec![real(x0), real(y0), real(x1), real(y1)])),
        (b"AP".to_vec(), Obj::Dict(Dict(vec![(b"N".to_vec(), Obj::Ref(ap_id, 0))]))),
    ])
}

fn real(v: f32) -> Obj {
    Obj::Real(v as f64)
}

/// Where the signature dictionary's placeholders are: the /ByteRange text, and the
/// /Contents hex string `[contents_at, contents_end)` (angle brackets included).
struct Slots {
    byte_range_at: usize,
    contents_at: usize,
    contents_end: usize,
}

/// The signed file as it is written: the original bytes, then the update's objects, whose
/// numbers, generations and offsets the cross-reference section lists.
struct Update {
    out: Vec<u8>,
    offsets: Vec<(u32, u16, usize)>,
}

impl Update {
    /// Starts after the original bytes (on a new line).
    fn after(original: &[u8]) -> Self {
        let mut out = original.to_vec();
        if !matches!(out.last(), Some(b'\n') | Some(b'\r')) {
            out.push(b'\n');
        }
        Update { out, offsets: Vec::new() }
    }

    /// Writes `obj` as indirect object `id`.
    fn indirect(&mut self, id: ObjId, obj: &Obj) {
        self.offsets.push((id.0, id.1, self.out.len()));
        self.out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
        pdf::write_obj(obj, &mut self.out);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// The signature dictionary, with a zero /ByteRange and an all-zero /Contents of
    /// [`CONTENTS_BYTES`] to be patched by [`Update::sign`].
    fn signature_dictionary(&mut self, sig_id: u32, signer: &Signer, options: &SignOptions) -> Slots {
        let out = &mut self.out;
        self.offsets.push((sig_id, 0, out.len()));
        out.extend_from_slice(format!("{sig_id} 0 obj\n").as_bytes());
        out.extend_from_slice(b"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange ");
        let byte_range_at = out.len();
        out.extend_from_slice(byte_range_text(0, 0, 0).as_bytes());
        out.extend_from_slice(b"/Contents ");
        let contents_at = out.len();
        out.push(b'<');
        out.resize(out.len() + CONTENTS_BYTES * 2, b'0');
        out.push(b'>');
        let contents_end = out.len();
        out.extend_from_slice(b"/M ");
        pdf::write_string(pdf_date(options.time).as_bytes(), out);
        let cn = signer.identity.common_name.clone().unwrap_or_else(|| signer.identity.name.clone());
        out.extend_from_slice(b"/Name ");
        pdf::write_string(&pdf::text_string(&cn), out);
        if let Some(r) = options.reason.as_deref().filter(|r| !r.is_empty()) {
            out.extend_from_slice(b"/Reason ");
            pdf::write_string(&pdf::text_string(r), out);
        }
        if let Some(l) = options.location.as_deref().filter(|l| !l.is_empty()) {
            out.extend_from_slice(b"/Location ");
            pdf::write_string(&pdf::text_string(l), out);
        }
        out.extend_from_slice(b"/Prop_Build<</App<</Name/Briefwright>>>>>>\nendobj\n");
        Slots { byte_range_at, contents_at, contents_end }
    }

    /// The widget's appearance: an empty form XObject the size of `rect`.
    fn appearance(&mut self, ap_id: u32, rect: [f32; 4]) {
        let [x0, y0, x1, y1] = rect;
        let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
        self.offsets.push((ap_id, 0, self.out.len()));
        self.out.extend_from_slice(format!("{ap_id} 0 obj\n").as_bytes());
        let ap = Dict(vec![
            (b"Type".to_vec(), Obj::Name(b"XObject".to_vec())),
            (b"Subtype".to_vec(), Obj::Name(b"Form".to_vec())),
            (b"BBox".to_vec(), Obj::Array(vec![Obj::Int(0), Obj::Int(0), real(w), real(h)])),
            (b"Resources".to_vec(), Obj::Dict(Dict::default())),
            (b"Length".to_vec(), Obj::Int(0)),
        ]);
        pdf::write_dict(&ap, &mut self.out);
        self.out.extend_from_slice(b"\nstream\n\nendstream\nendobj\n");
    }

    /// The cross-reference section, of the same kind as the document's newest, its trailer and `startxref`.
    fn cross_reference(&mut self, doc: &Pdf, numbers: &mut Numbers) {
        let mut trailer = Dict::default();
        for key in ["Root", "Info", "ID"] {
            if let Some(v) = doc.trailer.get(key) {
                trailer.set(key, v.clone());
            }
        }
        trailer.set("Prev", Obj::Int(doc.startxref as i64));
        let xref_at = match doc.newest_kind {
            XrefKind::Table => self.xref_table(trailer, numbers.0),
            XrefKind::Stream => {
                let xref_id = numbers.take();
                self.xref_stream(trailer, xref_id, numbers.0)
            }
        };
        self.out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    }

    /// A classic table and trailer; returns where the table starts.
    fn xref_table(&mut self, mut trailer: Dict, size: u32) -> usize {
        let xref_at = self.out.len();
        trailer.set("Size", Obj::Int(size as i64));
        self.out.extend_from_slice(b"xref\n");
        self.offsets.sort();
        for run in runs(&self.offsets) {
            self.out.extend_from_slice(format!("{} {}\n", run[0].0, run.len()).as_bytes());
            for (_, gen, off) in run {
                self.out.extend_from_slice(format!("{off:010} {gen:05} n\r\n").as_bytes());
            }
        }
        self.out.extend_from_slice(b"trailer\n");
        pdf::write_dict(&trailer, &mut self.out);
        self.out.push(b'\n');
        xref_at
    }

    /// A cross-reference stream (object `xref_id`, which lists itself); returns where it starts.
    fn xref_stream(&mut self, mut trailer: Dict, xref_id: u32, size: u32) -> usize {
        let xref_at = self.out.len();
        self.offsets.push((xref_id, 0, xref_at));
        self.offsets.sort();
        let mut index = Vec::new();
        let mut data = Vec::new();
        for run in runs(&self.offsets) {
            index.push(Obj::Int(run[0].0 as i64));
            index.push(Obj::Int(run.len() as i64));
            for (_, gen, off) in run {
                data.push(1u8);
                data.extend_from_slice(&(*off as u32).to_be_bytes());
                data.extend_from_slice(&gen.to_be_bytes());
            }
        }
        trailer.set("Type", Obj::Name(b"XRef".to_vec()));
        trailer.set("Size", Obj::Int(size as i64));
        trailer.set("Index", Obj::Array(index));
        trailer.set("W", Obj::Array(vec![Obj::Int(1), Obj::Int(4), Obj::Int(2)]));
        trailer.set("Length", Obj::Int(data.len() as i64));
        self.out.extend_from_slice(format!("{xref_id} 0 obj\n").as_bytes());
        pdf::write_dict(&trailer, &mut self.out);
        self.out.extend_from_slice(b"\nstream\n");
        self.out.extend_from_slice(&data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
        xref_at
    }

    /// Patches /ByteRange, hashes the file around /Contents, signs, and patches the CMS into /Contents.
    fn sign(mut self, slots: &Slots, signer: &Signer) -> Result<Vec<u8>, SignError> {
        let out = &mut self.out;
        let (a, b) = (slots.contents_at, slots.contents_end);
        let c = out.len() - b;
        let br = byte_range_text(a, b, c);
        out[slots.byte_range_at..slots.byte_range_at + br.len()].copy_from_slice(br.as_bytes());
        let mut hasher = Sha256::new();
        hasher.update(&out[..a]);
        hasher.update(&out[b..]);
        let digest: [u8; 32] = hasher.finalize().into();
        let cms = cms::sign_digest(&digest, &signer.key, &signer.cert_der, &signer.chain_der)?;
        if cms.len() > CONTENTS_BYTES {
            return Err(SignError::SignatureTooLarge { size: cms.len(), room: CONTENTS_BYTES });
        }
        let hex = super::hex(&cms);
        out[a + 1..a + 1 + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(self.out)
    }
}

/// Always the same width, so it can be patched in place.
fn byte_range_text(a: usize, b: usize, c: usize) -> String {
    format!("[0 {a:<10} {b:<10} {c:<10}]")
}

/// Consecutive object numbers, for xref subsections (input sorted).
fn runs(offsets: &[(u32, u16, usize)]) -> Vec<&[(u32, u16, usize)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=offsets.len() {
        if i == offsets.len() || offsets[i].0 != offsets[i - 1].0 + 1 {
            out.push(&offsets[start..i]);
            start = i;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_runs() {
        let t = time::macros::datetime!(2026-03-04 05:06:07 +01:30);
        assert_eq!(pdf_date(t), "D:20260304050607+01'30'");
        let offs = [(3, 0, 10), (4, 0, 20), (7, 0, 30)];
        let r = runs(&offs);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].len(), 2);
        assert_eq!(byte_range_text(1, 2, 3).len(), byte_range_text(1234567890, 1, 22).len());
    }
}
