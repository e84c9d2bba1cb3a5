//! The cross-reference sections of every revision: classic tables with their trailers, and
//! cross-reference streams, merged into [`Pdf::xref`] (the newest entry for a number wins).

use std::collections::HashSet;

use super::decode::decode_stream;
use super::document::Pdf;
use super::object::{Dict, Obj};
use super::parser::Parser;
use super::{damaged, PdfError, MAX_INFLATE, MAX_OBJECTS, MAX_SECTIONS};

/// Where the cross-reference says an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Free,
    InFile { offset: usize, gen: u16 },
    InStream { stream: u32, index: u32 },
}

/// How the newest cross-reference section is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XrefKind {
    Table,
    Stream,
}

impl Pdf<'_> {
    /// Reads every section from `startxref` back through each `/Prev` (and a hybrid file's
    /// `/XRefStm`); the newest section's trailer and kind become the document's.
    pub(super) fn read_sections(&mut self) -> Result<(), PdfError> {
        let mut seen = HashSet::new();
        let mut queue = vec![self.startxref];
        let mut first = true;
        while let Some(offset) = queue.pop() {
            if !seen.insert(offset) {
                continue;
            }
            if seen.len() > MAX_SECTIONS {
                return damaged("too many cross-reference sections");
            }
            let (kind, trailer) = self.read_section(offset)?;
            if first {
                self.trailer = trailer.clone();
                self.newest_kind = kind;
                first = false;
            }
            // Follow /Prev last so that a hybrid file's /XRefStm is read before older sections.
            if let Some(prev) = trailer.get("Prev").and_then(Obj::as_int) {
                queue.push(usize::try_from(prev).map_err(|_| PdfError::Damaged("a bad /Prev offset".into()))?);
            }
            if let Some(stm) = trailer.get("XRefStm").and_then(Obj::as_int) {
                if let Ok(stm) = usize::try_from(stm) {
                    if seen.insert(stm) {
                        self.read_section(stm)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn add(&mut self, num: u32, entry: Entry) {
        // Newer sections are read first: they win.
        self.xref.entry(num).or_insert(entry);
    }

    /// One section at `offset`, a table or a stream; returns its kind and trailer (a stream's dictionary).
    fn read_section(&mut self, offset: usize) -> Result<(XrefKind, Dict), PdfError> {
        if offset >= self.bytes.len() {
            return damaged("a cross-reference offset points past the end of the file");
        }
        let mut p = Parser::new(self.bytes, offset);
        if p.keyword("xref") {
            return self.read_table(&mut p).map(|trailer| (XrefKind::Table, trailer));
        }
        self.read_stream(offset).map(|dict| (XrefKind::Stream, dict))
    }

    /// A classic table after its `xref` keyword: subsections up to `trailer`, then the trailer.
    fn read_table(&mut self, p: &mut Parser) -> Result<Dict, PdfError> {
        loop {
            p.skip_ws();
            if p.keyword("trailer") {
                return match p.object()? {
                    Obj::Dict(d) => Ok(d),
                    _ => damaged("the trailer is not a dictionary"),
                };
            }
            let (Some(start), Some(count)) = (p.uint(), p.uint()) else {
                return damaged("a cross-reference table is malformed");
            };
            if start + count > MAX_OBJECTS as u64 {
                return damaged("a cross-reference table is too large");
            }
            for i in 0..count {
                let (Some(off), Some(gen)) = (p.uint(), p.uint()) else {
                    return damaged("a cross-reference entry is malformed");
                };
                let kind = if p.keyword("n") {
                    true
                } else if p.keyword("f") {
                    false
                } else {
                    return damaged("a cross-reference entry is malformed");
                };
                let num = (start + i) as u32;
                let entry = if kind {
                    Entry::InFile { offset: off as usize, gen: gen.min(u16::MAX as u64) as u16 }
                } else {
                    Entry::Free
                };
                if num != 0 {
                    self.add(num, entry);
                }
            }
        }
    }

    /// A cross-reference stream object at `offset`; returns its dictionary (the trailer).
    fn read_stream(&mut self, offset: usize) -> Result<Dict, PdfError> {
        let mut p = Parser::new(self.bytes, offset);
        if p.obj_header().is_none() {
            return damaged("a cross-reference offset points at neither a table nor a stream");
        }
        let (dict, range) = match p.object()? {
            Obj::Stream(d, r) if d.name_is("Type", "XRef") => (d, r),
            _ => return damaged("a cross-reference stream is not one"),
        };
        let data = decode_stream(&dict, &self.bytes[range], MAX_INFLATE)?;
        let w = field_widths(&dict)?;
        let index = subsections(&dict)?;
        let row = w.iter().sum::<usize>();
        if row == 0 {
            return damaged("a cross-reference stream has a bad /W");
        }
        let mut rows = data.chunks_exact(row);
        for pair in index.chunks(2) {
            for num in pair[0]..pair[0] + pair[1] {
                let Some(r) = rows.next() else { return damaged("a cross-reference stream is too short") };
                let Some(entry) = stream_entry(&w, r) else { continue };
                if num != 0 && num <= MAX_OBJECTS as i64 {
                    self.add(num as u32, entry);
                }
            }
        }
        Ok(dict)
    }
}

/// A cross-reference stream's /W: three field widths of at most eight bytes each.
fn field_widths(dict: &Dict) -> Result<Vec<usize>, PdfError> {
    match dict.get("W").and_then(Obj::as_array) {
        Some(a) if a.len() == 3 => {
            a.iter().map(|x| x.as_int().filter(|v| (0..=8).contains(v)).map(|v| v as usize)).collect::<Option<_>>()
        }
        _ => None,
    }
    .ok_or_else(|| PdfError::Damaged("a cross-reference stream has a bad /W".into()))
}

/// A cross-reference stream's /Index (first number and count pairs), by default the whole /Size.
fn subsections(dict: &Dict) -> Result<Vec<i64>, PdfError> {
    let size = dict.get("Size").and_then(Obj::as_int).unwrap_or(0).clamp(0, MAX_OBJECTS as i64);
    let index: Vec<i64> = match dict.get("Index").and_then(Obj::as_array) {
        Some(a) => a.iter().map(|x| x.as_int().unwrap_or(-1)).collect(),
        None => vec![0, size],
    };
    if !index.len().is_multiple_of(2) || index.iter().any(|v| *v < 0 || *v > MAX_OBJECTS as i64) {
        return damaged("a cross-reference stream has a bad /Index");
    }
    Ok(index)
}

/// One row of a cross-reference stream; `None` for an entry type this reader skips.
fn stream_entry(w: &[usize], r: &[u8]) -> Option<Entry> {
    let field = |i: usize| -> u64 {
        let start: usize = w[..i].iter().sum();
        r[start..start + w[i]].iter().fold(0u64, |acc, b| acc << 8 | *b as u64)
    };
    let kind = if w[0] == 0 { 1 } else { field(0) };
    match kind {
        0 => Some(Entry::Free),
        1 => Some(Entry::InFile { offset: field(1) as usize, gen: field(2).min(u16::MAX as u64) as u16 }),
        2 => Some(Entry::InStream {
            stream: field(1).min(MAX_OBJECTS as u64) as u32,
            index: field(2).min(u32::MAX as u64) as u32,
        }),
        _ => None,
    }
}
