//! PDF text strings (titles, names, reasons): PDFDocEncoding-compatible ASCII or UTF-16BE.

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
    fn text_strings_round_trip() {
        assert_eq!(decode_text(&text_string("Ελένη")), "Ελένη");
        assert_eq!(text_string("plain"), b"plain");
    }
}
