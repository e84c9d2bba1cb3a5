//! Stream data: bounded inflation (no deflate bombs) and PNG predictors.

use std::io::Read;

use super::object::{Dict, Obj};
use super::{damaged, PdfError};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_inflate_refuses_a_bomb() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![0u8; 4 * 1024 * 1024]).unwrap();
        let bomb = enc.finish().unwrap();
        assert!(inflate_bounded(&bomb, 1024 * 1024).is_err());
        assert_eq!(inflate_bounded(&bomb, 8 * 1024 * 1024).unwrap().len(), 4 * 1024 * 1024);
    }
}
