//! The signature fields of the newest AcroForm and the signature dictionaries they hold.

use std::collections::HashSet;

use super::Problem;
use crate::sign::pdf::{self, Dict, Obj, Pdf, PdfError};

/// Form fields walked at most.
const MAX_FIELDS: usize = 10_000;

/// A signature field with a value.
pub(super) struct Field {
    /// The fully qualified field name.
    pub(super) name: String,
    /// The object holding the signature dictionary (the /V reference, or the field itself).
    pub(super) holder: Option<u32>,
    pub(super) sig: Dict,
    /// Why the signature dictionary could not be read.
    pub(super) unreadable: Option<Problem>,
}

/// Every signature field with a value in the newest AcroForm (walked with loop and size limits).
pub(super) fn signature_fields(doc: &Pdf) -> Result<Vec<Field>, PdfError> {
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
        let (sig, unreadable) = match doc.resolve(v) {
            Ok(Obj::Dict(sig)) => (sig, None),
            Ok(Obj::Null) => continue,
            Ok(_) => (Dict::default(), Some(Problem::SignatureNotADictionary)),
            Err(e) => (Dict::default(), Some(Problem::SignatureUnreadable(e))),
        };
        out.push(Field { name, holder, sig, unreadable });
    }
    Ok(out)
}
