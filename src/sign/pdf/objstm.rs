//! Object streams: objects stored compressed inside a stream, decoded once per stream and
//! cached, with a budget on the bytes all of them may expand to.

use std::rc::Rc;

use super::decode::decode_stream;
use super::document::Pdf;
use super::object::Obj;
use super::parser::Parser;
use super::xref::Entry;
use super::{damaged, PdfError, MAX_INFLATE, MAX_INFLATE_TOTAL};

/// A decoded object stream: its data and, per index, the object number and where it starts.
pub(super) struct ObjStm {
    data: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

impl Pdf<'_> {
    /// Object `num`, which the cross-reference places at `index` in object stream `stream`.
    pub(super) fn object_in_stream(&self, num: u32, stream: u32, index: u32) -> Result<Option<Obj>, PdfError> {
        let stm = self.objstm(stream)?;
        let Some(&(n, off)) = stm.offsets.get(index as usize) else {
            return damaged(format!("object {num} is missing from its object stream"));
        };
        if n != num {
            return damaged(format!("object {num} is missing from its object stream"));
        }
        let mut p = Parser::new(&stm.data, off);
        match p.object()? {
            Obj::Stream(..) => damaged("an object stream holds a stream"),
            o => Ok(Some(o)),
        }
    }

    /// Object stream `num`, decoded (or from the cache).
    fn objstm(&self, num: u32) -> Result<Rc<ObjStm>, PdfError> {
        if let Some(s) = self.objstm_cache.borrow().get(&num) {
            return Ok(s.clone());
        }
        let (dict, range) = match self.xref.get(&num) {
            Some(Entry::InFile { offset, .. }) => {
                let mut p = Parser::new(self.bytes, *offset);
                p.obj_header();
                match p.object()? {
                    Obj::Stream(d, r) => (d, r),
                    _ => return damaged("an object stream is not a stream"),
                }
            }
            _ => return damaged("an object stream is missing"),
        };
        let budget = MAX_INFLATE_TOTAL.saturating_sub(*self.inflated.borrow());
        let data = decode_stream(&dict, &self.bytes[range], MAX_INFLATE.min(budget))?;
        *self.inflated.borrow_mut() += data.len();
        let n = dict.get("N").and_then(Obj::as_int).unwrap_or(0).clamp(0, 1_000_000) as usize;
        let first = dict.get("First").and_then(Obj::as_int).unwrap_or(0).max(0) as usize;
        let mut p = Parser::new(&data, 0);
        let mut offsets = Vec::with_capacity(n.min(10_000));
        for _ in 0..n {
            let (Some(obj), Some(off)) = (p.uint(), p.uint()) else { break };
            offsets.push((obj.min(u32::MAX as u64) as u32, first.saturating_add(off as usize)));
        }
        let stm = Rc::new(ObjStm { data, offsets });
        self.objstm_cache.borrow_mut().insert(num, stm.clone());
        Ok(stm)
    }
}
