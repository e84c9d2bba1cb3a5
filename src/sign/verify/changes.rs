//! What changed after signing: the signed revision compared object by object with the final
//! file, and the differences described (new page, changed content of page 2, metadata only, …).

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use serde::{Serialize, Serializer};

use crate::sign::pdf::{Dict, Obj, ObjId, Pdf};

/// Changed objects compared at most (a bound on work for hostile files).
const MAX_CHANGED: usize = 20_000;

/// One kind of change made by updates after a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Bytes follow the signed part, but no new revision.
    BytesAppended,
    /// A page that the signed revision does not have.
    PageAdded,
    /// Fewer pages than the signed revision.
    PageRemoved,
    /// Page `page` (1-based) draws other content.
    PageContentChanged { page: usize },
    /// Page `page` has other resources or another layout.
    PageChanged { page: usize },
    /// A signature field added (a later signature).
    SignatureAdded,
    /// An annotation added to page `page`.
    AnnotationAdded { page: usize },
    /// An annotation of page `page` changed.
    AnnotationChanged { page: usize },
    /// An annotation removed from page `page`.
    AnnotationRemoved { page: usize },
    /// The catalog changed beyond its form and metadata.
    CatalogChanged,
    /// A signature dictionary appended that no new signature field uses.
    UnusedSignatureDictionary,
    /// Other objects changed (fonts, images, drawings).
    OtherObjectsChanged,
    /// Document information or XMP metadata changed, and nothing else.
    MetadataOnly,
    /// Document information or XMP metadata changed, besides the changes listed before.
    MetadataChanged,
    /// An update that changes nothing this analysis sees.
    NothingVisible,
    /// The signed part cannot be read as a revision, so it cannot be compared.
    SignedPartNotARevision,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::BytesAppended => f.write_str("bytes were appended after the signed part"),
            Change::PageAdded => f.write_str("new page"),
            Change::PageRemoved => f.write_str("removed page"),
            Change::PageContentChanged { page } => write!(f, "changed content of page {page}"),
            Change::PageChanged { page } => write!(f, "changed page {page} (its resources or layout)"),
            Change::SignatureAdded => f.write_str("new signature"),
            Change::AnnotationAdded { page } => write!(f, "new annotation on page {page}"),
            Change::AnnotationChanged { page } => write!(f, "changed annotation on page {page}"),
            Change::AnnotationRemoved { page } => write!(f, "removed annotation on page {page}"),
            Change::CatalogChanged => f.write_str("changed document catalog (actions, outlines or viewer settings)"),
            Change::UnusedSignatureDictionary => f.write_str("new signature dictionary not used by any field"),
            Change::OtherObjectsChanged => {
                f.write_str("changed other objects (fonts, images or drawings the pages use)")
            }
            Change::MetadataOnly => f.write_str("metadata only"),
            Change::MetadataChanged => f.write_str("changed metadata"),
            Change::NothingVisible => f.write_str("an update that changes nothing visible"),
            Change::SignedPartNotARevision => f.write_str("the signed part is not a complete revision"),
        }
    }
}

/// Serialised as its description.
impl Serialize for Change {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The descriptions, separated by commas.
pub fn join(changes: &[Change]) -> String {
    changes.iter().map(Change::to_string).collect::<Vec<_>>().join(", ")
}

/// Describes what later updates changed, comparing the signed revision with the final one.
pub fn changes(signed: &Pdf, full: &Pdf) -> Vec<Change> {
    if signed.startxref == full.startxref {
        return vec![Change::BytesAppended];
    }
    let mut diff =
        Diff { signed, full, changed: changed_objects(signed, full), explained: HashSet::new(), out: Vec::new() };
    diff.pages();
    let old_cat = signed.catalog().unwrap_or_default();
    let new_cat = full.catalog().unwrap_or_default();
    let metadata = diff.metadata(&old_cat, &new_cat);
    diff.catalog(&old_cat, &new_cat);
    let other = diff.unexplained_objects();
    diff.finish(other, metadata)
}

/// Objects added, replaced or freed later (bounded), whose value differs from the signed one.
fn changed_objects(signed: &Pdf, full: &Pdf) -> BTreeSet<u32> {
    let mut changed: BTreeSet<u32> = BTreeSet::new();
    for (n, e) in &full.xref {
        if signed.xref.get(n) != Some(e) {
            changed.insert(*n);
        }
        if changed.len() > MAX_CHANGED {
            break;
        }
    }
    changed.into_iter().filter(|n| !same_object(signed, full, *n)).collect()
}

/// The comparison under way: changed objects, those a description accounts for, and the descriptions.
struct Diff<'p> {
    signed: &'p Pdf<'p>,
    full: &'p Pdf<'p>,
    changed: BTreeSet<u32>,
    explained: HashSet<u32>,
    out: Vec<Change>,
}

impl Diff<'_> {
    /// Adds a description once.
    fn push(&mut self, change: Change) {
        if !self.out.contains(&change) {
            self.out.push(change);
        }
    }

    /// New, removed and changed pages, their content and annotations; the page tree.
    fn pages(&mut self) {
        let pages_signed = self.signed.pages().unwrap_or_default();
        let pages_full = self.full.pages().unwrap_or_default();
        let signed_set: HashSet<u32> = pages_signed.iter().map(|p| p.0).collect();
        for (i, p) in pages_full.iter().enumerate() {
            if signed_set.contains(&p.0) {
                self.page(i + 1, *p);
            } else {
                self.push(Change::PageAdded);
                self.explained.insert(p.0);
                self.explained.extend(page_contents(self.full, p.0));
            }
        }
        if pages_full.len() < pages_signed.len() {
            self.push(Change::PageRemoved);
        }
        // Page-tree nodes are explained by the page changes above.
        for n in &self.changed {
            if let Ok(Some(o)) = self.full.get(*n) {
                if o.as_dict().is_some_and(|d| d.name_is("Type", "Pages")) {
                    self.explained.insert(*n);
                }
            }
        }
    }

    /// A page both revisions have: its content, annotations and own dictionary.
    fn page(&mut self, page: usize, id: ObjId) {
        let old = page_dict(self.signed, id.0);
        let new = page_dict(self.full, id.0);
        let old_contents = page_contents(self.signed, id.0);
        let new_contents = page_contents(self.full, id.0);
        if old_contents != new_contents || new_contents.iter().any(|c| self.changed.contains(c)) {
            self.push(Change::PageContentChanged { page });
        }
        self.explained.extend(new_contents);
        self.annotations(page, &old, &new);
        if self.changed.contains(&id.0) {
            self.explained.insert(id.0);
            let strip = |d: &Dict| {
                let mut d = d.clone();
                d.remove("Annots");
                d.remove("Contents");
                d
            };
            if strip(&old) != strip(&new) {
                self.push(Change::PageChanged { page });
            }
        }
    }

    /// Annotations added to, changed on or removed from a page (a new signature widget is a new signature).
    fn annotations(&mut self, page: usize, old: &Dict, new: &Dict) {
        let old_annots = annot_ids(self.signed, old);
        let new_annots = annot_ids(self.full, new);
        for a in &new_annots {
            self.explained.insert(*a);
            if !old_annots.contains(a) {
                if is_signature_widget(self.full, *a) {
                    self.push(Change::SignatureAdded);
                } else {
                    self.push(Change::AnnotationAdded { page });
                }
            } else if self.changed.contains(a) {
                self.push(Change::AnnotationChanged { page });
            }
        }
        if old_annots.iter().any(|a| !new_annots.contains(a)) {
            self.push(Change::AnnotationRemoved { page });
        }
    }

    /// Whether the document information or the XMP metadata changed (their objects are explained).
    fn metadata(&mut self, old_cat: &Dict, new_cat: &Dict) -> bool {
        let mut metadata = false;
        let (old_info, new_info) = (self.signed.trailer.get("Info"), self.full.trailer.get("Info"));
        let info_ids = ref_numbers(old_info, new_info);
        if old_info != new_info || info_ids.iter().any(|i| self.changed.contains(i)) {
            metadata = true;
            self.explained.extend(info_ids);
        }
        let (old_meta, new_meta) = (old_cat.get("Metadata"), new_cat.get("Metadata"));
        let meta_ids = ref_numbers(old_meta, new_meta);
        if old_meta != new_meta || meta_ids.iter().any(|i| self.changed.contains(i)) {
            metadata = true;
            self.explained.extend(meta_ids);
        }
        metadata
    }

    /// The catalog, beyond its AcroForm and metadata; the AcroForm object is bookkeeping.
    fn catalog(&mut self, old_cat: &Dict, new_cat: &Dict) {
        let root = self.full.root_id().0;
        if self.changed.contains(&root) || self.signed.root_id() != self.full.root_id() {
            self.explained.insert(root);
            let strip = |d: &Dict| {
                let mut d = d.clone();
                d.remove("AcroForm");
                d.remove("Metadata");
                d
            };
            if strip(old_cat) != strip(new_cat) {
                self.push(Change::CatalogChanged);
            }
        }
        if let Some(Obj::Ref(n, _)) = new_cat.get("AcroForm") {
            self.explained.insert(*n);
        }
    }

    /// Whether a changed object no description accounts for remains. Signature fields and
    /// dictionaries, empty appearances of new signatures and cross-reference and object
    /// streams are bookkeeping; a signature dictionary without a new signature is described.
    fn unexplained_objects(&mut self) -> bool {
        let mut other = false;
        for n in &self.changed {
            if self.explained.contains(n) {
                continue;
            }
            let Ok(Some(o)) = self.full.get(*n) else {
                other = true;
                continue;
            };
            let d = o.as_dict();
            let kind = |t: &str| d.is_some_and(|d| d.name_is("Type", t));
            if kind("XRef") || kind("ObjStm") {
                continue;
            }
            if kind("Sig") {
                if !self.out.contains(&Change::SignatureAdded) {
                    self.out.push(Change::UnusedSignatureDictionary);
                }
                continue;
            }
            if d.is_some_and(|d| d.name_is("FT", "Sig")) {
                continue;
            }
            if d.is_some_and(|d| d.name_is("Subtype", "Form")) && d.and_then(|d| d.get("Length")) == Some(&Obj::Int(0))
            {
                continue;
            }
            other = true;
        }
        other
    }

    /// The descriptions, with other objects and metadata last; never empty.
    fn finish(mut self, other: bool, metadata: bool) -> Vec<Change> {
        if other && !self.out.contains(&Change::OtherObjectsChanged) {
            self.out.push(Change::OtherObjectsChanged);
        }
        if metadata {
            if self.out.is_empty() {
                self.out.push(Change::MetadataOnly);
            } else {
                self.out.push(Change::MetadataChanged);
            }
        }
        if self.out.is_empty() {
            self.out.push(Change::NothingVisible);
        }
        self.out
    }
}

/// The object numbers two values refer to (either may be absent or direct).
fn ref_numbers(a: Option<&Obj>, b: Option<&Obj>) -> Vec<u32> {
    [a, b].into_iter().flatten().filter_map(Obj::as_ref_id).map(|r| r.0).collect()
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

/// A page's dictionary, or an empty one.
fn page_dict(doc: &Pdf, page: u32) -> Dict {
    doc.get(page).ok().flatten().and_then(|o| o.as_dict().cloned()).unwrap_or_default()
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
