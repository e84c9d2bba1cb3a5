//! A parsed PDF document: its merged cross-reference and trailer, and the objects, catalog
//! and pages read through them.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use super::object::{Dict, Obj, ObjId};
use super::objstm::ObjStm;
use super::parser::Parser;
use super::xref::{Entry, XrefKind};
use super::{damaged, find, rfind, PdfError, MAX_FILE, MAX_OBJECTS, MAX_PAGES};

/// A parsed PDF: its cross-reference (all revisions merged, newest wins) and trailer.
pub struct Pdf<'a> {
    pub bytes: &'a [u8],
    pub xref: BTreeMap<u32, Entry>,
    pub trailer: Dict,
    pub startxref: usize,
    pub newest_kind: XrefKind,
    pub(super) objstm_cache: RefCell<HashMap<u32, Rc<ObjStm>>>,
    pub(super) inflated: RefCell<usize>,
}

impl<'a> Pdf<'a> {
    /// Reads the cross-reference sections from the last `startxref` back through every `/Prev`.
    pub fn parse(bytes: &'a [u8]) -> Result<Pdf<'a>, PdfError> {
        if bytes.len() > MAX_FILE {
            return Err(PdfError::TooLarge);
        }
        if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_none() {
            return Err(PdfError::NotPdf);
        }
        let tail_start = bytes.len().saturating_sub(2048);
        let sx = rfind(&bytes[tail_start..], b"startxref")
            .map(|i| tail_start + i)
            .ok_or_else(|| PdfError::Damaged("no startxref at the end of the file".into()))?;
        let mut p = Parser::new(bytes, sx + 9);
        let startxref = p.uint().ok_or_else(|| PdfError::Damaged("startxref is not a number".into()))? as usize;
        let mut pdf = Pdf {
            bytes,
            xref: BTreeMap::new(),
            trailer: Dict::default(),
            startxref,
            newest_kind: XrefKind::Table,
            objstm_cache: RefCell::new(HashMap::new()),
            inflated: RefCell::new(0),
        };
        pdf.read_sections()?;
        if pdf.trailer.get("Root").and_then(Obj::as_ref_id).is_none() {
            return damaged("the trailer names no document catalog");
        }
        Ok(pdf)
    }

    /// The next free object number (the trailer's /Size, or one past the highest seen).
    pub fn size(&self) -> u32 {
        let highest = self.xref.keys().next_back().map_or(1, |n| n + 1);
        let declared = self.trailer.get("Size").and_then(Obj::as_int).unwrap_or(0).clamp(0, MAX_OBJECTS as i64) as u32;
        highest.max(declared)
    }

    /// Where an object starts in the file (only for objects stored directly in the file).
    pub fn offset_of(&self, num: u32) -> Option<usize> {
        match self.xref.get(&num) {
            Some(Entry::InFile { offset, .. }) => Some(*offset),
            _ => None,
        }
    }

    /// Reads object `num`; `None` if it is free or missing.
    pub fn get(&self, num: u32) -> Result<Option<Obj>, PdfError> {
        match self.xref.get(&num) {
            None | Some(Entry::Free) => Ok(None),
            Some(Entry::InFile { offset, .. }) => {
                let mut p = Parser::new(self.bytes, *offset);
                match p.obj_header() {
                    Some((n, _)) if n == num => {}
                    _ => return damaged(format!("object {num} is not where the cross-reference says")),
                }
                p.object().map(Some)
            }
            Some(Entry::InStream { stream, index }) => self.object_in_stream(num, *stream, *index),
        }
    }

    /// Follows references (a bounded chain) to a direct object; a dangling reference is null.
    pub fn resolve(&self, obj: &Obj) -> Result<Obj, PdfError> {
        let mut cur = obj.clone();
        for _ in 0..32 {
            match cur {
                Obj::Ref(n, _) => cur = self.get(n)?.unwrap_or(Obj::Null),
                other => return Ok(other),
            }
        }
        damaged("a chain of references does not end")
    }

    /// Resolves `obj` to a dictionary; `None` when it is absent or not a dictionary.
    pub fn resolve_dict(&self, obj: Option<&Obj>) -> Result<Option<Dict>, PdfError> {
        match obj {
            None => Ok(None),
            Some(o) => Ok(self.resolve(o)?.as_dict().cloned()),
        }
    }

    /// The catalog's object id, as the trailer names it.
    pub fn root_id(&self) -> ObjId {
        self.trailer.get("Root").and_then(Obj::as_ref_id).unwrap_or((0, 0))
    }

    /// The document catalog.
    pub fn catalog(&self) -> Result<Dict, PdfError> {
        match self.get(self.root_id().0)? {
            Some(Obj::Dict(d)) => Ok(d),
            _ => damaged("the document catalog is missing"),
        }
    }

    /// The page objects in order (loops and runaway trees refused).
    pub fn pages(&self) -> Result<Vec<ObjId>, PdfError> {
        let catalog = self.catalog()?;
        let Some(root) = catalog.get("Pages").and_then(Obj::as_ref_id) else {
            return damaged("the catalog has no page tree");
        };
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.walk_pages(root, 0, &mut seen, &mut out)?;
        Ok(out)
    }

    fn walk_pages(
        &self,
        id: ObjId,
        depth: usize,
        seen: &mut HashSet<u32>,
        out: &mut Vec<ObjId>,
    ) -> Result<(), PdfError> {
        if depth > 64 {
            return damaged("the page tree is too deep");
        }
        if !seen.insert(id.0) {
            return damaged("the page tree has a loop");
        }
        if out.len() > MAX_PAGES {
            return damaged("the page tree is too large");
        }
        let Some(node) = self.get(id.0)?.and_then(|o| o.as_dict().cloned()) else {
            return damaged("a page is missing");
        };
        if node.name_is("Type", "Page") || (node.get("Kids").is_none() && !node.name_is("Type", "Pages")) {
            out.push(id);
            return Ok(());
        }
        let kids = self.resolve(node.get("Kids").unwrap_or(&Obj::Null))?;
        for kid in kids.as_array().unwrap_or(&[]) {
            match kid.as_ref_id() {
                Some(k) => self.walk_pages(k, depth + 1, seen, out)?,
                None => return damaged("a page-tree entry is not a reference"),
            }
        }
        Ok(())
    }

    /// The byte span `[start, end)` of an object stored in the file, up to and including `endobj`.
    pub fn object_span(&self, num: u32) -> Option<(usize, usize)> {
        let start = self.offset_of(num)?;
        let mut p = Parser::new(self.bytes, start);
        p.obj_header()?;
        p.object().ok()?;
        if !p.keyword("endobj") {
            return None;
        }
        Some((start, p.pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by tests/fuzz.rs: an object offset past the end of the file made the parser
    /// slice out of range (a panic) instead of reporting a damaged file.
    #[test]
    fn offsets_past_the_end_are_damage_not_a_panic() {
        assert_eq!(Parser::new(b"1 0 obj", 1_000_000).obj_header(), None);
        assert!(Parser::new(b"<</Length 5>>", 99).object().is_err());
        let body = "%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\n";
        let xref = format!(
            "xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0134251854 00000 n \ntrailer\n<</Size 3/Root 1 0 R>>\nstartxref\n{}\n%%EOF\n",
            body.len()
        );
        let file = format!("{body}{xref}");
        let doc = Pdf::parse(file.as_bytes()).unwrap();
        assert!(matches!(doc.get(2), Err(PdfError::Damaged(_))));
        assert_eq!(doc.object_span(2), None);
    }
}
