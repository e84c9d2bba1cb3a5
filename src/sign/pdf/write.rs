//! Writing objects back to bytes (for the incremental update a signature appends).

use super::object::{Dict, Obj};
use super::parser::is_delim;

/// Appends `obj` in PDF syntax (a stream as its dictionary only).
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

/// Appends a dictionary, its keys in their order.
pub fn write_dict(d: &Dict, out: &mut Vec<u8>) {
    out.extend_from_slice(b"<<");
    for (k, v) in &d.0 {
        write_name(k, out);
        out.push(b' ');
        write_obj(v, out);
    }
    out.extend_from_slice(b">>");
}

/// Appends a name, escaping delimiters, white space and non-ASCII as `#XX`.
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

/// Appends a literal string, escaping parentheses, backslashes and line ends.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::pdf::Parser;

    #[test]
    fn writes_what_it_reads() {
        let src = b"<</Type/Annot/T(a\\(b)/R[0 0 1.5 2]/N/A#20B/Ref 3 0 R>>";
        let o = Parser::new(src, 0).object().unwrap();
        let mut out = Vec::new();
        write_obj(&o, &mut out);
        assert_eq!(Parser::new(&out, 0).object().unwrap(), o);
    }
}
