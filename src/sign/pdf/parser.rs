//! The lexer and parser: PDF objects from bytes, with limits on nesting and numbers.

use super::object::{Dict, Obj, ObjId};
use super::{damaged, find, PdfError, MAX_DEPTH, MAX_OBJECTS};

fn is_white(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

pub(super) fn is_delim(b: u8) -> bool {
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

    pub(super) fn uint(&mut self) -> Option<u64> {
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

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let deep = "[".repeat(100_000);
        assert!(matches!(Parser::new(deep.as_bytes(), 0).object(), Err(PdfError::Damaged(_))));
        let deep = "<</A ".repeat(100_000);
        assert!(Parser::new(deep.as_bytes(), 0).object().is_err());
    }
}
