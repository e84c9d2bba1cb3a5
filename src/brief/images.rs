//! Images as PDF XObjects: JPEGs byte for byte (DCTDecode), PNGs losslessly (Flate, SMask).
//!
//! printpdf's own image path decodes and re-encodes; a brief must carry the analyst's photo
//! exactly as stored, so the XObject streams are built here and handed to printpdf as external
//! XObjects.

use std::collections::BTreeMap;
use std::io::Write;

use printpdf::{DictItem, ExternalStream, ExternalXObject, Px};

/// An image ready to embed.
#[derive(Debug, Clone)]
pub struct PdfImage {
    pub width: u32,
    pub height: u32,
    pub xobject: ExternalXObject,
}

/// Builds the XObject for JPEG or PNG bytes (sniffed by magic number, not by name).
pub fn prepare(bytes: Vec<u8>) -> Result<PdfImage, String> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(&bytes)
    } else {
        Err("not a JPEG or PNG file".into())
    }
}

fn name(s: &str) -> DictItem {
    DictItem::Name(s.as_bytes().to_vec())
}

fn image_dict(width: u32, height: u32, colour_space: &str, bits: u8) -> BTreeMap<String, DictItem> {
    BTreeMap::from([
        ("Type".to_string(), name("XObject")),
        ("Subtype".to_string(), name("Image")),
        ("Width".to_string(), DictItem::Int(width as i64)),
        ("Height".to_string(), DictItem::Int(height as i64)),
        ("ColorSpace".to_string(), name(colour_space)),
        ("BitsPerComponent".to_string(), DictItem::Int(bits as i64)),
    ])
}

fn xobject(dict: BTreeMap<String, DictItem>, content: Vec<u8>, width: u32, height: u32) -> PdfImage {
    PdfImage {
        width,
        height,
        xobject: ExternalXObject {
            stream: ExternalStream { dict, content, compress: false },
            width: Some(Px(width as usize)),
            height: Some(Px(height as usize)),
            dpi: None,
        },
    }
}

/// Reads the frame header of a JPEG: (width, height, components, precision, Adobe APP14 present).
pub fn jpeg_info(bytes: &[u8]) -> Option<(u32, u32, u8, u8, bool)> {
    let mut i = 2;
    let mut adobe = false;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if (0xD0..=0xD9).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if len < 2 || i + 2 + len > bytes.len() {
            return None;
        }
        let seg = &bytes[i + 4..i + 2 + len];
        if marker == 0xEE && seg.starts_with(b"Adobe") {
            adobe = true;
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            if seg.len() < 6 {
                return None;
            }
            let precision = seg[0];
            let height = u16::from_be_bytes([seg[1], seg[2]]) as u32;
            let width = u16::from_be_bytes([seg[3], seg[4]]) as u32;
            let components = seg[5];
            return Some((width, height, components, precision, adobe));
        }
        i += 2 + len;
    }
    None
}

/// The JPEG's bytes become the stream as they are (no copy, no re-encoding).
fn jpeg(bytes: Vec<u8>) -> Result<PdfImage, String> {
    let (w, h, comps, bits, adobe) = jpeg_info(&bytes).ok_or("the JPEG has no readable frame header")?;
    if w == 0 || h == 0 {
        return Err("the JPEG has no size".into());
    }
    let cs = match comps {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        4 => "DeviceCMYK",
        n => return Err(format!("a JPEG with {n} colour components is not supported")),
    };
    let mut dict = image_dict(w, h, cs, bits);
    dict.insert("Filter".into(), name("DCTDecode"));
    if comps == 4 && adobe {
        // Adobe writes CMYK JPEGs inverted.
        dict.insert("Decode".into(), DictItem::Array([1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec()));
    }
    Ok(xobject(dict, bytes, w, h))
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

fn png(bytes: &[u8]) -> Result<PdfImage, String> {
    use image::DynamicImage as D;
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png).map_err(|e| e.to_string())?;
    let (w, h) = (img.width(), img.height());
    // (colour samples, alpha samples, colour space, bits): 16-bit stays 16-bit (big-endian), so nothing is lost.
    let (colour, alpha, cs, bits): (Vec<u8>, Option<Vec<u8>>, &str, u8) = match img {
        D::ImageLuma8(i) => (i.into_raw(), None, "DeviceGray", 8),
        D::ImageLumaA8(i) => split8(i.into_raw(), 1, "DeviceGray"),
        D::ImageRgb8(i) => (i.into_raw(), None, "DeviceRGB", 8),
        D::ImageRgba8(i) => split8(i.into_raw(), 3, "DeviceRGB"),
        D::ImageLuma16(i) => (be16(&i.into_raw()), None, "DeviceGray", 16),
        D::ImageLumaA16(i) => split16(&i.into_raw(), 1, "DeviceGray"),
        D::ImageRgb16(i) => (be16(&i.into_raw()), None, "DeviceRGB", 16),
        D::ImageRgba16(i) => split16(&i.into_raw(), 3, "DeviceRGB"),
        other => split8(other.to_rgba8().into_raw(), 3, "DeviceRGB"),
    };
    let mut dict = image_dict(w, h, cs, bits);
    dict.insert("Filter".into(), name("FlateDecode"));
    if let Some(alpha) = alpha {
        let mut sdict = image_dict(w, h, "DeviceGray", bits);
        sdict.insert("Filter".into(), name("FlateDecode"));
        let smask = ExternalStream { dict: sdict, content: deflate(&alpha), compress: false };
        dict.insert("SMask".into(), DictItem::Stream { stream: smask });
    }
    Ok(xobject(dict, deflate(&colour), w, h))
}

/// Splits interleaved 8-bit samples into colour and alpha; drops alpha that is fully opaque.
fn split8(raw: Vec<u8>, colours: usize, cs: &'static str) -> (Vec<u8>, Option<Vec<u8>>, &'static str, u8) {
    let n = colours + 1;
    let mut colour = Vec::with_capacity(raw.len() / n * colours);
    let mut alpha = Vec::with_capacity(raw.len() / n);
    for px in raw.chunks_exact(n) {
        colour.extend_from_slice(&px[..colours]);
        alpha.push(px[colours]);
    }
    let opaque = alpha.iter().all(|&a| a == 255);
    (colour, (!opaque).then_some(alpha), cs, 8)
}

fn split16(raw: &[u16], colours: usize, cs: &'static str) -> (Vec<u8>, Option<Vec<u8>>, &'static str, u8) {
    let n = colours + 1;
    let mut colour = Vec::with_capacity(raw.len() / n * colours * 2);
    let mut alpha = Vec::with_capacity(raw.len() / n * 2);
    for px in raw.chunks_exact(n) {
        for c in &px[..colours] {
            colour.extend_from_slice(&c.to_be_bytes());
        }
        alpha.extend_from_slice(&px[colours].to_be_bytes());
    }
    let opaque = raw.chunks_exact(n).all(|px| px[colours] == u16::MAX);
    (colour, (!opaque).then_some(alpha), cs, 16)
}

fn be16(raw: &[u16]) -> Vec<u8> {
    raw.iter().flat_map(|v| v.to_be_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn jpegs_are_embedded_byte_for_byte() {
        let jpg = encode(image::DynamicImage::new_rgb8(40, 30), image::ImageFormat::Jpeg);
        let img = prepare(jpg.clone()).unwrap();
        assert_eq!((img.width, img.height), (40, 30));
        assert_eq!(img.xobject.stream.content, jpg);
        assert_eq!(img.xobject.stream.dict["Filter"], name("DCTDecode"));
        assert_eq!(img.xobject.stream.dict["ColorSpace"], name("DeviceRGB"));
    }

    #[test]
    fn pngs_keep_their_alpha_as_a_soft_mask() {
        let mut rgba = image::RgbaImage::new(3, 2);
        rgba.put_pixel(1, 1, image::Rgba([10, 20, 30, 128]));
        let img = prepare(encode(rgba.into(), image::ImageFormat::Png)).unwrap();
        assert!(matches!(img.xobject.stream.dict.get("SMask"), Some(DictItem::Stream { .. })));
        let opaque = prepare(encode(image::DynamicImage::new_rgb8(3, 2), image::ImageFormat::Png)).unwrap();
        assert!(!opaque.xobject.stream.dict.contains_key("SMask"));
    }

    #[test]
    fn other_bytes_are_refused() {
        assert!(prepare(b"GIF89a....".to_vec()).is_err());
        assert!(prepare(vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 2]).is_err());
    }
}
