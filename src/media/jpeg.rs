//! Lossless metadata stripping for JPEG: the segments are rewritten, the
//! entropy-coded scan data is copied byte for byte (no re-encoding, no quality loss).
//!
//! Kept: the frame and scan structure (SOFn, DHT, DAC, DQT, DRI, DNL, SOS + scan data),
//! a canonical JFIF APP0 (version, density; its embedded thumbnail is dropped), an
//! ICC profile (APP2 `ICC_PROFILE`: colour stays correct, and a profile says nothing
//! about where or when a photo was taken), a canonical Adobe APP14 (only its
//! colour-transform byte matters: without it CMYK/RGB-coded JPEGs decode with wrong colours).
//!
//! Dropped: every other APPn (EXIF with GPS, XMP, IPTC/Photoshop, JFXX thumbnails,
//! MPF secondary images, maker notes…), COM comments, JPEG extension markers,
//! and anything after the end-of-image marker (a ZIP or HTML appended to make a polyglot).
//!
//! A file whose structure does not parse (truncated, no frame, no scan, no end marker)
//! is refused: it is not stored even if a tolerant decoder could show part of it.

/// Why a JPEG's structure was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

fn bad(msg: impl Into<String>) -> Malformed {
    Malformed(msg.into())
}

/// The file without its metadata segments and trailing bytes.
pub fn strip(data: &[u8]) -> Result<Vec<u8>, Malformed> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return Err(bad("it does not start with a JPEG start-of-image marker"));
    }
    let mut head: Vec<u8> = Vec::new(); // canonical JFIF, written first
    let mut body: Vec<u8> = Vec::with_capacity(data.len());
    let mut pos = 2;
    let (mut frame, mut scan) = (false, false);
    loop {
        let marker;
        (marker, pos) = marker_at(data, pos)?;
        match marker {
            0xD9 => {
                if !frame || !scan {
                    return Err(bad("it has no image frame or no scan data"));
                }
                body.extend_from_slice(&[0xFF, 0xD9]);
                break;
            }
            0xD8 => return Err(bad(format!("a second start-of-image marker at byte {}", pos - 2))),
            0x00 | 0xD0..=0xD7 => return Err(bad(format!("a stray marker 0x{marker:02X} at byte {}", pos - 2))),
            0x01 => continue, // TEM: no payload, nothing to keep
            _ => {}
        }
        let (payload, end) = segment_at(data, pos)?;
        let segment = &data[pos - 2..end];
        pos = end;
        match marker {
            0xE0 if head.is_empty() && payload.len() >= 14 && payload.starts_with(b"JFIF\0") => {
                // Version, units and density; thumbnail size 0×0.
                head.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
                head.extend_from_slice(b"JFIF\0");
                head.extend_from_slice(&payload[5..12]);
                head.extend_from_slice(&[0, 0]);
            }
            0xE2 if payload.starts_with(b"ICC_PROFILE\0") => body.extend_from_slice(segment),
            0xEE if payload.len() >= 12 && payload.starts_with(b"Adobe") => {
                body.extend_from_slice(&[0xFF, 0xEE, 0x00, 0x0E]);
                body.extend_from_slice(b"Adobe");
                body.extend_from_slice(&[0x00, 0x64, 0, 0, 0, 0, payload[11]]);
            }
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                if frame {
                    return Err(bad("it has more than one image frame"));
                }
                frame = true;
                body.extend_from_slice(segment);
            }
            0xC4 | 0xCC | 0xDB | 0xDD | 0xDC => body.extend_from_slice(segment),
            0xDA => {
                if !frame {
                    return Err(bad("its scan data comes before the image frame"));
                }
                scan = true;
                body.extend_from_slice(segment);
                let start = pos;
                pos = scan_end(data, pos).ok_or_else(|| bad("it is truncated inside the image data"))?;
                body.extend_from_slice(&data[start..pos]);
            }
            // APPn, COM, JPGn and reserved markers: metadata or unknown, never kept.
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(2 + head.len() + body.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    out.extend_from_slice(&head);
    out.extend_from_slice(&body);
    Ok(out)
}

/// The marker at `pos` (markers may be preceded by any number of 0xFF fill bytes) and where
/// what follows it starts.
fn marker_at(data: &[u8], mut pos: usize) -> Result<(u8, usize), Malformed> {
    if pos >= data.len() {
        return Err(bad("it is truncated (no end-of-image marker)"));
    }
    if data[pos] != 0xFF {
        return Err(bad(format!("a marker was expected at byte {pos}")));
    }
    while pos + 1 < data.len() && data[pos + 1] == 0xFF {
        pos += 1;
    }
    if pos + 1 >= data.len() {
        return Err(bad("it is truncated (no end-of-image marker)"));
    }
    Ok((data[pos + 1], pos + 2))
}

/// The payload of the segment whose length field starts at `pos`, and where the segment ends.
fn segment_at(data: &[u8], pos: usize) -> Result<(&[u8], usize), Malformed> {
    if pos + 2 > data.len() {
        return Err(bad("it is truncated inside a segment header"));
    }
    let len = u16::from_be_bytes([data[pos], data[pos + 1]]) as usize;
    if len < 2 || pos + len > data.len() {
        return Err(bad(format!("the segment at byte {} runs past the end of the file", pos - 2)));
    }
    Ok((&data[pos + 2..pos + len], pos + len))
}

/// Where the entropy-coded data starting at `from` ends: the first marker that is
/// neither a stuffed 0xFF00 nor a restart marker.
fn scan_end(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 1 < data.len() {
        if data[i] == 0xFF {
            match data[i + 1] {
                0x00 | 0xD0..=0xD7 => i += 2,
                0xFF => i += 1,
                _ => return Some(i),
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The bytes from the first scan header to the end-of-image marker (what the
/// lossless strip must leave identical). `None` when there is no scan.
pub fn scan_data(data: &[u8]) -> Option<&[u8]> {
    let mut pos = 2;
    while pos + 4 <= data.len() && data[pos] == 0xFF {
        let marker = data[pos + 1];
        if marker == 0xDA {
            return Some(&data[pos..]);
        }
        let len = u16::from_be_bytes([data[pos + 2], data[pos + 3]]) as usize;
        pos += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    fn tiny(extra: &[Vec<u8>]) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        for e in extra {
            v.extend_from_slice(e);
        }
        v.extend(seg(0xDB, &[0; 65]));
        v.extend(seg(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        v.extend(seg(0xC4, &[0; 17]));
        v.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
        v.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    #[test]
    fn drops_metadata_keeps_structure_and_scan() {
        let mut jfif = b"JFIF\0\x01\x02\x01\x00\x48\x00\x48\x02\x01".to_vec();
        jfif.extend_from_slice(&[9; 6]); // a 2×1 thumbnail
        let input = tiny(&[
            seg(0xE0, &jfif),
            seg(0xE1, b"Exif\0\0MM\0*GPS"),
            seg(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x/>"),
            seg(0xED, b"Photoshop 3.0\0IPTC"),
            seg(0xE2, b"ICC_PROFILE\0\x01\x01prof"),
            seg(0xE2, b"MPF\0secondary"),
            seg(0xFE, b"taken at the safe house"),
            seg(0xEE, b"Adobe\0\x64\x80\0\0\0\x01"),
        ]);
        let mut with_tail = input.clone();
        with_tail.extend_from_slice(b"PK\x03\x04zip");
        let out = strip(&with_tail).unwrap();
        let text = String::from_utf8_lossy(&out);
        for gone in ["Exif", "xap", "Photoshop", "MPF", "safe house", "PK\u{3}\u{4}"] {
            assert!(!text.contains(gone), "{gone} survived");
        }
        assert!(text.contains("ICC_PROFILE"));
        assert_eq!(&out[2..20], &seg(0xE0, b"JFIF\0\x01\x02\x01\x00\x48\x00\x48\0\0")[..]);
        assert!(out.windows(16).any(|w| w == seg(0xEE, b"Adobe\0\x64\0\0\0\0\x01").as_slice()));
        assert_eq!(scan_data(&out), scan_data(&input));
        assert!(out.ends_with(&[0x56, 0xFF, 0xD9]));
        assert_eq!(strip(&out).unwrap(), out, "stripping is idempotent");
    }

    #[test]
    fn refuses_broken_structure() {
        let good = tiny(&[]);
        assert!(strip(&good).is_ok());
        for cut in 0..good.len() - 1 {
            assert!(strip(&good[..cut]).is_err(), "truncated at {cut} was accepted");
        }
        assert!(strip(b"\xFF\xD8\xFF\xD9").is_err(), "no frame");
        let mut two_soi = good.clone();
        two_soi.splice(2..2, [0xFF, 0xD8]);
        assert!(strip(&two_soi).is_err());
        let mut long = good.clone();
        long[4] = 0xFF; // DQT length far past the end
        assert!(strip(&long).is_err());
    }
}
