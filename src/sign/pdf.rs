//! A small, bounded PDF reader: just enough to sign (trailer, catalog, pages,
//! AcroForm) and to verify (signature dictionaries, byte offsets, revisions).
//!
//! Hostile input is the norm here, so every loop and every recursion has a limit:
//! nesting depth, reference chains, xref sections, page-tree size, decompressed
//! bytes. Nothing panics on bad bytes; everything returns [`PdfError`].
//! Content streams are never decompressed: changes are found by comparing raw bytes.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::rc::Rc;

/// Largest file we read at all.
pub const MAX_FILE: usize = 256 * 1024 * 1024;
/// Nesting of arrays and dictionaries.
const MAX_DEPTH: usize = 48;
/// Longest chain of `/Prev` links (incremental updates).
const MAX_SECTIONS: usize = 512;
/// A decoded xref or object stream may not exceed this (deflate bombs).
const MAX_INFLATE: usize = 32 * 1024 * 1024;
/// All decoded object streams of one file together.
const MAX_INFLATE_TOTAL: usize = 128 * 1024 * 1024;
/// Largest object number we accept.
const MAX_OBJECTS: u32 = 8_388_608;
/// Pages we walk.
const MAX_PAGES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    #[error("the file is not a PDF")]
    NotPdf,
    #[error("the file is larger than {} MB", MAX_FILE / (1024 * 1024))]
    TooLarge,
    #[error("the PDF is damaged: {0}")]
    Damaged(String),
}

fn damaged<T>(msg: impl Into<String>) -> Result<T, PdfError> {
    Err(PdfError::Damaged(msg.into()))
}

pub type ObjId = (u32, u16);

#[derive(Debug, Clone, PartialEq)]
pub enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Dict),
    /// A stream: its dictionary and the byte range of its raw data in the buffer it came from.
    Stream(Dict, std::ops::Range<usize>),
    Ref(u32, u16),
}

/// A dictionary, keeping the order of its keys (for faithful copies).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict(pub Vec<(Vec<u8>, Obj)>);

impl Dict {
    pub fn get(&self, key: &str) -> Option<&Obj> {
        self.0.iter().rev().find(|(k, _)| k == key.as_bytes()).map(|(_, v)| v)
    }
    pub fn set(&mut self, key: &str, value: Obj) {
        match self.0.iter_mut().find(|(k, _)| k == key.as_bytes()) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.as_bytes().to_vec(), value)),
        }
    }
    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key.as_bytes());
    }
    pub fn name_is(&self, key: &str, value: &str) -> bool {
        matches!(self.get(key), Some(Obj::Name(n)) if n == value.as_bytes())
    }
}

impl Obj {
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Obj::Dict(d) | Obj::Stream(d, _) => Some(d),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Obj::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_ref_id(&self) -> Option<ObjId> {
        match self {
            Obj::Ref(n, g) => Some((*n, *g)),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Obj]> {
        match self {
            Obj::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_str_bytes(&self) -> Option<&[u8]> {
        match self {
            Obj::Str(s) => Some(s),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- lexer and parser

fn is_white(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Parses objects from a byte buffer.
pub struct Parser<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
}

impl<'a> Parser<'a> {
    /// A parser at `pos`; a position past the end (a hostile offset) reads as the end.
    pub fn new(buf: &'a [u8], pos: usize) -> Self {
        Parser { buf, pos: pos.min(buf.len()) }
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    pub fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A bare word (keyword or number) at the current position, without consuming it.
    fn word(&self) -> &'a [u8] {
        let start = self.pos.min(self.buf.len());
        let mut end = start;
        while end < self.buf.len() && !is_white(self.buf[end]) && !is_delim(self.buf[end]) {
            end += 1;
        }
        &self.buf[start..end]
    }

    pub fn keyword(&mut self, kw: &str) -> bool {
        self.skip_ws();
        if self.word() == kw.as_bytes() {
            self.pos += kw.len();
            true
        } else {
            false
        }
    }

    fn uint(&mut self) -> Option<u64> {
        self.skip_ws();
        let w = self.word();
        if w.is_empty() || w.len() > 12 || !w.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += w.len();
        std::str::from_utf8(w).ok()?.parse().ok()
    }

    /// `N G obj` at the current position.
    pub fn obj_header(&mut self) -> Option<ObjId> {
        let n = self.uint()?;
        let g = self.uint()?;
        if !self.keyword("obj") || n > MAX_OBJECTS as u64 || g > u16::MAX as u64 {
            return None;
        }
        Some((n as u32, g as u16))
    }

    pub fn object(&mut self) -> Result<Obj, PdfError> {
        self.object_at_depth(0)
    }

    fn object_at_depth(&mut self, depth: usize) -> Result<Obj, PdfError> {
        if depth > MAX_DEPTH {
            return damaged("objects are nested too deeply");
        }
        self.skip_ws();
        let Some(b) = self.peek() else { return damaged("unexpected end of data") };
        match b {
            b'/' => {
                self.pos += 1;
                Ok(Obj::Name(self.name_body()))
            }
            b'(' => self.literal_string(),
            b'<' if self.buf.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let dict = self.dict_body(depth)?;
                // A stream follows its dictionary.
                let save = self.pos;
                if self.keyword("stream") {
                    return self.stream_body(dict);
                }
                self.pos = save;
                Ok(Obj::Dict(dict))
            }
            b'<' => self.hex_string(),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Obj::Array(items));
                        }
                        None => return damaged("an array is not closed"),
                        _ => items.push(self.object_at_depth(depth + 1)?),
                    }
                }
            }
            _ => self.number_or_keyword(),
        }
    }

    fn name_body(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            if is_white(b) || is_delim(b) {
                break;
            }
            self.pos += 1;
            if b == b'#' {
                let hex = self.buf.get(self.pos..self.pos + 2).and_then(|h| std::str::from_utf8(h).ok());
                if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    out.push(v);
                    self.pos += 2;
                    continue;
                }
            }
            out.push(b);
        }
        out
    }

    fn dict_body(&mut self, depth: usize) -> Result<Dict, PdfError> {
        let mut entries = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'>') if self.buf.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return Ok(Dict(entries));
                }
                Some(b'/') => {
                    self.pos += 1;
                    let key = self.name_body();
                    let value = self.object_at_depth(depth + 1)?;
                    entries.push((key, value));
                }
                None => return damaged("a dictionary is not closed"),
                _ => return damaged("a dictionary key is not a name"),
            }
        }
    }

    fn stream_body(&mut self, dict: Dict) -> Result<Obj, PdfError> {
        // "stream" is followed by CRLF or LF.
        if self.peek() == Some(b'\r') {
            self.pos += 1;
        }
        if self.peek() == Some(b'\n') {
            self.pos += 1;
        }
        let start = self.pos.min(self.buf.len());
        let len = match dict.get("Length") {
            Some(Obj::Int(n)) if *n >= 0 => Some(*n as usize),
            _ => None,
        };
        let end = match len.and_then(|n| start.checked_add(n)) {
            Some(end) if end <= self.buf.len() && self.endstream_at(end) => end,
            // /Length is indirect or wrong: the data runs to the next "endstream".
            _ => match find(&self.buf[start..], b"endstream") {
                Some(i) => {
                    let mut end = start + i;
                    if end > start && self.buf[end - 1] == b'\n' {
                        end -= 1;
                    }
                    if end > start && self.buf[end - 1] == b'\r' {
                        end -= 1;
                    }
                    end
                }
                None => return damaged("a stream has no end"),
            },
        };
        self.pos = end;
        if !self.keyword("endstream") {
            return damaged("a stream has no end");
        }
        Ok(Obj::Stream(dict, start..end))
    }

    fn endstream_at(&self, end: usize) -> bool {
        let mut p = Parser::new(self.buf, end);
        p.keyword("endstream")
    }

    fn literal_string(&mut self) -> Result<Obj, PdfError> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut level = 1usize;
        loop {
            let Some(b) = self.peek() else { return damaged("a string is not closed") };
            self.pos += 1;
            match b {
                b'\\' => {
                    let Some(c) = self.peek() else { return damaged("a string is not closed") };
                    self.pos += 1;
                    match c {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (c - b'0') as u32;
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        other => out.push(other),
                    }
                }
                b'(' => {
                    level += 1;
                    out.push(b);
                }
                b')' => {
                    level -= 1;
                    if level == 0 {
                        return Ok(Obj::Str(out));
                    }
                    out.push(b);
                }
                _ => out.push(b),
            }
        }
    }

    fn hex_string(&mut self) -> Result<Obj, PdfError> {
        self.pos += 1;
        let mut digits = Vec::new();
        loop {
            let Some(b) = self.peek() else { return damaged("a hex string is not closed") };
            self.pos += 1;
            match b {
                b'>' => break,
                b if b.is_ascii_hexdigit() => digits.push(hex_val(b)),
                b if is_white(b) => {}
                _ => return damaged("a hex string holds a character that is not hex"),
            }
        }
        if digits.len() % 2 == 1 {
            digits.push(0);
        }
        Ok(Obj::Str(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect()))
    }

    fn number_or_keyword(&mut self) -> Result<Obj, PdfError> {
        let w = self.word();
        if w.is_empty() {
            return damaged(format!("unexpected character at byte {}", self.pos));
        }
        match w {
            b"true" => {
                self.pos += 4;
                return Ok(Obj::Bool(true));
            }
            b"false" => {
                self.pos += 5;
                return Ok(Obj::Bool(false));
            }
            b"null" => {
                self.pos += 4;
                return Ok(Obj::Null);
            }
            _ => {}
        }
        let text = std::str::from_utf8(w).map_err(|_| PdfError::Damaged("a number is not readable".into()))?;
        if w.iter().all(|c| c.is_ascii_digit()) {
            // Maybe "N G R".
            let save = self.pos;
            self.pos += w.len();
            let after = self.pos;
            if let (Some(g), true) = (self.uint(), true) {
                if self.keyword("R") {
                    let n: u64 = text.parse().unwrap_or(u64::MAX);
                    if n > MAX_OBJECTS as u64 || g > u16::MAX as u64 {
                        return damaged("an object number is out of range");
                    }
                    return Ok(Obj::Ref(n as u32, g as u16));
                }
            }
            self.pos = after;
            let _ = save;
            return text.parse::<i64>().map(Obj::Int).or_else(|_| damaged("a number is out of range"));
        }
        self.pos += w.len();
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Obj::Int(i));
        }
        let ok = !text.is_empty()
            && text.bytes().all(|c| c.is_ascii_digit() || c == b'.' || c == b'-' || c == b'+')
            && text.bytes().filter(|c| *c == b'.').count() <= 1;
        match text.parse::<f64>() {
            Ok(f) if ok && f.is_finite() => Ok(Obj::Real(f)),
            _ => damaged(format!("unexpected word '{}'", String::from_utf8_lossy(&w[..w.len().min(20)]))),
        }
    }
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).rposition(|w| w == needle)
}

// ---------------------------------------------------------------- streams

/// Inflates at most `limit` bytes; more is an error (a deflate bomb).
pub fn inflate_bounded(data: &[u8], limit: usize) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::new();
    let mut dec = flate2::read::ZlibDecoder::new(data).take(limit as u64 + 1);
    if dec.read_to_end(&mut out).is_err() {
        // Some writers omit the zlib header.
        out.clear();
        let mut raw = flate2::read::DeflateDecoder::new(data).take(limit as u64 + 1);
        raw.read_to_end(&mut out).map_err(|_| PdfError::Damaged("a compressed stream cannot be read".into()))?;
    }
    if out.len() > limit {
        return damaged("a compressed stream expands beyond the allowed size");
    }
    Ok(out)
}

/// The decoded data of a stream with no filter or /FlateDecode (with PNG predictors), bounded.
pub fn decode_stream(dict: &Dict, raw: &[u8], limit: usize) -> Result<Vec<u8>, PdfError> {
    let filter = match dict.get("Filter") {
        None => None,
        Some(Obj::Name(n)) => Some(n.clone()),
        Some(Obj::Array(a)) if a.is_empty() => None,
        Some(Obj::Array(a)) if a.len() == 1 => match &a[0] {
            Obj::Name(n) => Some(n.clone()),
            _ => return damaged("a stream filter is not a name"),
        },
        _ => return damaged("a stream uses filters this reader does not support"),
    };
    let data = match filter.as_deref() {
        None => {
            if raw.len() > limit {
                return damaged("a stream is too large");
            }
            raw.to_vec()
        }
        Some(b"FlateDecode") => inflate_bounded(raw, limit)?,
        Some(other) => return damaged(format!("unsupported stream filter /{}", String::from_utf8_lossy(other))),
    };
    let parms = match dict.get("DecodeParms") {
        Some(Obj::Dict(d)) => Some(d.clone()),
        Some(Obj::Array(a)) => a.first().and_then(Obj::as_dict).cloned(),
        _ => None,
    };
    let predictor = parms.as_ref().and_then(|p| p.get("Predictor")).and_then(Obj::as_int).unwrap_or(1);
    if predictor < 10 {
        return Ok(data);
    }
    let columns = parms.as_ref().and_then(|p| p.get("Columns")).and_then(Obj::as_int).unwrap_or(1);
    if !(1..=4096).contains(&columns) {
        return damaged("a stream has bad predictor columns");
    }
    png_unpredict(&data, columns as usize)
}

fn png_unpredict(data: &[u8], columns: usize) -> Result<Vec<u8>, PdfError> {
    let row = columns + 1;
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; columns];
    for chunk in data.chunks(row) {
        if chunk.len() < row {
            break;
        }
        let kind = chunk[0];
        let mut cur = chunk[1..].to_vec();
        for i in 0..columns {
            let left = if i > 0 { cur[i - 1] } else { 0 };
            let up = prev[i];
            let up_left = if i > 0 { prev[i - 1] } else { 0 };
            cur[i] = match kind {
                0 => cur[i],
                1 => cur[i].wrapping_add(left),
                2 => cur[i].wrapping_add(up),
                3 => cur[i].wrapping_add(((left as u16 + up as u16) / 2) as u8),
                4 => {
                    let p = left as i16 + up as i16 - up_left as i16;
                    let (pa, pb, pc) = ((p - left as i16).abs(), (p - up as i16).abs(), (p - up_left as i16).abs());
                    let pred = if pa <= pb && pa <= pc {
                        left
                    } else if pb <= pc {
                        up
                    } else {
                        up_left
                    };
                    cur[i].wrapping_add(pred)
                }
                _ => return damaged("a stream has an unknown PNG predictor"),
            };
        }
        out.extend_from_slice(&cur);
        prev = cur;
    }
    Ok(out)
}

// ---------------------------------------------------------------- the document

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

/// A parsed PDF: its cross-reference (all revisions merged, newest wins) and trailer.
pub struct Pdf<'a> {
    pub bytes: &'a [u8],
    pub xref: BTreeMap<u32, Entry>,
    pub trailer: Dict,
    pub startxref: usize,
    pub newest_kind: XrefKind,
    objstm_cache: RefCell<HashMap<u32, Rc<ObjStm>>>,
    inflated: RefCell<usize>,
}

struct ObjStm {
    data: Vec<u8>,
    offsets: Vec<(u32, usize)>,
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
        let mut seen = HashSet::new();
        let mut queue = vec![startxref];
        let mut first = true;
        while let Some(offset) = queue.pop() {
            if !seen.insert(offset) {
                continue;
            }
            if seen.len() > MAX_SECTIONS {
                return damaged("too many cross-reference sections");
            }
            let (kind, trailer) = pdf.read_section(offset)?;
            if first {
                pdf.trailer = trailer.clone();
                pdf.newest_kind = kind;
                first = false;
            }
            // Follow /Prev last so that a hybrid file's /XRefStm is read before older sections.
            if let Some(prev) = trailer.get("Prev").and_then(Obj::as_int) {
                queue.push(usize::try_from(prev).map_err(|_| PdfError::Damaged("a bad /Prev offset".into()))?);
            }
            if let Some(stm) = trailer.get("XRefStm").and_then(Obj::as_int) {
                if let Ok(stm) = usize::try_from(stm) {
                    if seen.insert(stm) {
                        pdf.read_section(stm)?;
                    }
                }
            }
        }
        if pdf.trailer.get("Root").and_then(Obj::as_ref_id).is_none() {
            return damaged("the trailer names no document catalog");
        }
        Ok(pdf)
    }

    fn add(&mut self, num: u32, entry: Entry) {
        // Newer sections are read first: they win.
        self.xref.entry(num).or_insert(entry);
    }

    fn read_section(&mut self, offset: usize) -> Result<(XrefKind, Dict), PdfError> {
        if offset >= self.bytes.len() {
            return damaged("a cross-reference offset points past the end of the file");
        }
        let mut p = Parser::new(self.bytes, offset);
        if p.keyword("xref") {
            loop {
                p.skip_ws();
                if p.keyword("trailer") {
                    let trailer = match p.object()? {
                        Obj::Dict(d) => d,
                        _ => return damaged("the trailer is not a dictionary"),
                    };
                    return Ok((XrefKind::Table, trailer));
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
        // An xref stream.
        let mut p = Parser::new(self.bytes, offset);
        if p.obj_header().is_none() {
            return damaged("a cross-reference offset points at neither a table nor a stream");
        }
        let (dict, range) = match p.object()? {
            Obj::Stream(d, r) if d.name_is("Type", "XRef") => (d, r),
            _ => return damaged("a cross-reference stream is not one"),
        };
        let data = decode_stream(&dict, &self.bytes[range], MAX_INFLATE)?;
        let w: Vec<usize> = match dict.get("W").and_then(Obj::as_array) {
            Some(a) if a.len() == 3 => {
                a.iter().map(|x| x.as_int().filter(|v| (0..=8).contains(v)).map(|v| v as usize)).collect::<Option<_>>()
            }
            _ => None,
        }
        .ok_or_else(|| PdfError::Damaged("a cross-reference stream has a bad /W".into()))?;
        let size = dict.get("Size").and_then(Obj::as_int).unwrap_or(0).clamp(0, MAX_OBJECTS as i64);
        let index: Vec<i64> = match dict.get("Index").and_then(Obj::as_array) {
            Some(a) => a.iter().map(|x| x.as_int().unwrap_or(-1)).collect(),
            None => vec![0, size],
        };
        if index.len() % 2 != 0 || index.iter().any(|v| *v < 0 || *v > MAX_OBJECTS as i64) {
            return damaged("a cross-reference stream has a bad /Index");
        }
        let row = w.iter().sum::<usize>();
        if row == 0 {
            return damaged("a cross-reference stream has a bad /W");
        }
        let mut rows = data.chunks_exact(row);
        for pair in index.chunks(2) {
            for num in pair[0]..pair[0] + pair[1] {
                let Some(r) = rows.next() else { return damaged("a cross-reference stream is too short") };
                let field = |i: usize| -> u64 {
                    let start: usize = w[..i].iter().sum();
                    r[start..start + w[i]].iter().fold(0u64, |acc, b| acc << 8 | *b as u64)
                };
                let kind = if w[0] == 0 { 1 } else { field(0) };
                let entry = match kind {
                    0 => Entry::Free,
                    1 => Entry::InFile { offset: field(1) as usize, gen: field(2).min(u16::MAX as u64) as u16 },
                    2 => Entry::InStream {
                        stream: field(1).min(MAX_OBJECTS as u64) as u32,
                        index: field(2).min(u32::MAX as u64) as u32,
                    },
                    _ => continue,
                };
                if num != 0 && num <= MAX_OBJECTS as i64 {
                    self.add(num as u32, entry);
                }
            }
        }
        Ok((XrefKind::Stream, dict))
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
            Some(Entry::InStream { stream, index }) => {
                let stm = self.objstm(*stream)?;
                let Some(&(n, off)) = stm.offsets.get(*index as usize) else {
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
        }
    }

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

    pub fn resolve_dict(&self, obj: Option<&Obj>) -> Result<Option<Dict>, PdfError> {
        match obj {
            None => Ok(None),
            Some(o) => Ok(self.resolve(o)?.as_dict().cloned()),
        }
    }

    pub fn root_id(&self) -> ObjId {
        self.trailer.get("Root").and_then(Obj::as_ref_id).unwrap_or((0, 0))
    }

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

// ---------------------------------------------------------------- writing

pub fn write_obj(obj: &Obj, out: &mut Vec<u8>) {
    match obj {
        Obj::Null => out.extend_from_slice(b"null"),
        Obj::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Obj::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Obj::Real(f) => {
            let s = format!("{f:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            out.extend_from_slice(if s.is_empty() || s == "-" { "0" } else { s }.as_bytes());
        }
        Obj::Name(n) => write_name(n, out),
        Obj::Str(s) => write_string(s, out),
        Obj::Array(a) => {
            out.push(b'[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_obj(item, out);
            }
            out.push(b']');
        }
        Obj::Dict(d) => write_dict(d, out),
        // Streams are written by the caller, who has their data.
        Obj::Stream(d, _) => write_dict(d, out),
        Obj::Ref(n, g) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
    }
}

pub fn write_dict(d: &Dict, out: &mut Vec<u8>) {
    out.extend_from_slice(b"<<");
    for (k, v) in &d.0 {
        write_name(k, out);
        out.push(b' ');
        write_obj(v, out);
    }
    out.extend_from_slice(b">>");
}

fn write_name(n: &[u8], out: &mut Vec<u8>) {
    out.push(b'/');
    for &b in n {
        if b <= b' ' || b >= 0x7f || is_delim(b) || b == b'#' {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

pub fn write_string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'(');
    for &b in s {
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
    out.push(b')');
}

/// A PDF text string: PDFDocEncoding-compatible ASCII as is, anything else as UTF-16BE with a BOM.
pub fn text_string(s: &str) -> Vec<u8> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.as_bytes().to_vec();
    }
    let mut out = vec![0xfe, 0xff];
    for unit in s.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out
}

/// Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding treated as Latin-1).
pub fn decode_text(s: &[u8]) -> String {
    if s.len() >= 2 && s[0] == 0xfe && s[1] == 0xff {
        let units: Vec<u16> = s[2..].chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    if s.starts_with(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(&s[3..]).into_owned();
    }
    s.iter().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_objects_and_refs() {
        let mut p = Parser::new(b"<< /A [1 2 0 R (x\\)y) <414> /N#41] /B << /C true >> /D -1.5 >>", 0);
        let o = p.object().unwrap();
        let d = o.as_dict().unwrap();
        assert_eq!(
            d.get("A").unwrap(),
            &Obj::Array(vec![
                Obj::Int(1),
                Obj::Ref(2, 0),
                Obj::Str(b"x)y".to_vec()),
                Obj::Str(vec![0x41, 0x40]),
                Obj::Name(b"NA".to_vec())
            ])
        );
        assert_eq!(d.get("D"), Some(&Obj::Real(-1.5)));
    }

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

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let deep = "[".repeat(100_000);
        assert!(matches!(Parser::new(deep.as_bytes(), 0).object(), Err(PdfError::Damaged(_))));
        let deep = "<</A ".repeat(100_000);
        assert!(Parser::new(deep.as_bytes(), 0).object().is_err());
    }

    #[test]
    fn bounded_inflate_refuses_a_bomb() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![0u8; 4 * 1024 * 1024]).unwrap();
        let bomb = enc.finish().unwrap();
        assert!(inflate_bounded(&bomb, 1024 * 1024).is_err());
        assert_eq!(inflate_bounded(&bomb, 8 * 1024 * 1024).unwrap().len(), 4 * 1024 * 1024);
    }

    #[test]
    fn writes_what_it_reads() {
        let src = b"<</Type/Annot/T(a\\(b)/R[0 0 1.5 2]/N/A#20B/Ref 3 0 R>>";
        let o = Parser::new(src, 0).object().unwrap();
        let mut out = Vec::new();
        write_obj(&o, &mut out);
        assert_eq!(Parser::new(&out, 0).object().unwrap(), o);
    }

    #[test]
    fn text_strings_round_trip() {
        assert_eq!(decode_text(&text_string("Ελένη")), "Ελένη");
        assert_eq!(text_string("plain"), b"plain");
    }
}
