//! Pages of primitives → a PDF file, through printpdf, with a lopdf post-pass.
//!
//! printpdf draws the operations, embeds and subsets the fonts (Identity-H with ToUnicode maps)
//! and writes the object graph. The post-pass on its lopdf document makes the output ours:
//! a document ID derived from the content instead of printpdf's process-global counter,
//! our Info dictionary and dates, and compressed streams.

use std::collections::BTreeSet;

use printpdf::{
    Actions, BorderArray, Color, ColorArray, FontId, LinkAnnotation, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, Rgb as PRgb, TextItem, TextMatrix, XObject, XObjectId,
    XObjectTransform,
};

use super::fonts::FontFace;
use super::images::PdfImage;
use super::layout::{Line, Rgb};
use super::BriefError;

/// A drawing command in page coordinates (points, origin bottom-left).
#[derive(Clone, Debug)]
pub enum Draw {
    Text {
        x: f32,
        y: f32,
        line: Line,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        image: usize,
    },
    /// Text rotated by `angle` degrees around its start (the DRAFT watermark).
    Rotated {
        x: f32,
        y: f32,
        angle: f32,
        text: String,
        face: FontFace,
        size: f32,
        color: Rgb,
    },
}

/// Document information written into the Info dictionary.
pub struct Info {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: String,
    pub creator: String,
    pub date: String,
}

fn color(c: Rgb) -> Color {
    Color::Rgb(PRgb { r: c.0 as f32 / 255.0, g: c.1 as f32 / 255.0, b: c.2 as f32 / 255.0, icc_profile: None })
}

fn font_id(face: FontFace) -> FontId {
    FontId(face.resource_name().to_string())
}

fn image_id(n: usize) -> XObjectId {
    XObjectId(format!("Im{}", n + 1))
}

/// Percent-encodes what may not appear raw in a URI action (non-ASCII, spaces, controls).
fn uri_bytes(url: &str) -> String {
    let mut out = String::new();
    for b in url.trim().bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn text_ops(ops: &mut Vec<Op>, x: f32, y: f32, line: &Line) {
    ops.push(Op::StartTextSection);
    for p in &line.pieces {
        if p.text.is_empty() {
            continue;
        }
        ops.push(Op::SetFont { font: PdfFontHandle::External(font_id(p.style.face)), size: Pt(p.style.size) });
        ops.push(Op::SetFillColor { col: color(p.style.color) });
        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(x + p.x), Pt(y)) });
        let mut items = Vec::new();
        if line.word_gap > 0.0 {
            // Justification: Tw has no effect on two-byte (Identity-H) fonts, so stretch with TJ offsets.
            let offset = -line.word_gap * 1000.0 / p.style.size;
            let mut chunk = String::new();
            for c in p.text.chars() {
                chunk.push(c);
                if c == ' ' {
                    items.push(TextItem::Text(std::mem::take(&mut chunk)));
                    items.push(TextItem::Offset(offset));
                }
            }
            if !chunk.is_empty() {
                items.push(TextItem::Text(chunk));
            }
        } else {
            items.push(TextItem::Text(p.text.clone()));
        }
        ops.push(Op::ShowText { items });
    }
    ops.push(Op::EndTextSection);
    // Links: one annotation per linked piece, over its (justified) extent.
    for p in &line.pieces {
        let spaces = p.text.matches(' ').count() as f32;
        if let Some(url) = &p.style.link {
            let w = p.width + line.word_gap * spaces;
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    Rect {
                        x: Pt(x + p.x),
                        y: Pt(y - p.style.descent()),
                        width: Pt(w),
                        height: Pt(p.style.ascent() + p.style.descent()),
                        mode: None,
                        winding_order: None,
                    },
                    Actions::Uri(uri_bytes(url)),
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    Some(ColorArray::Transparent),
                    None,
                ),
            });
        }
    }
}

fn draw_ops(draws: &[Draw]) -> Vec<Op> {
    let mut ops = Vec::new();
    for d in draws {
        match d {
            Draw::Text { x, y, line } => text_ops(&mut ops, *x, *y, line),
            Draw::Rect { x, y, w, h, fill, stroke } => {
                let rect = |mode| Rect {
                    x: Pt(*x),
                    y: Pt(*y),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: Some(mode),
                    winding_order: None,
                };
                if let Some(f) = fill {
                    ops.push(Op::SetFillColor { col: color(*f) });
                    ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Fill) });
                }
                if let Some((c, width)) = stroke {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Stroke) });
                }
            }
            Draw::Image { x, y, w, h, image } => {
                ops.push(Op::UseXobject {
                    id: image_id(*image),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(*x)),
                        translate_y: Some(Pt(*y)),
                        scale_x: Some(*w),
                        scale_y: Some(*h),
                        no_auto_scale: true,
                        ..Default::default()
                    },
                });
            }
            Draw::Rotated { x, y, angle, text, face, size, color: c } => {
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont { font: PdfFontHandle::External(font_id(*face)), size: Pt(*size) });
                ops.push(Op::SetFillColor { col: color(*c) });
                let (s, co) = angle.to_radians().sin_cos();
                ops.push(Op::SetTextMatrix { matrix: TextMatrix::Raw([co, s, -s, co, *x, *y]) });
                ops.push(Op::ShowText { items: vec![TextItem::Text(text.clone())] });
                ops.push(Op::EndTextSection);
            }
        }
    }
    ops
}

fn faces_used(pages: &[Vec<Draw>]) -> BTreeSet<FontFace> {
    let mut used = BTreeSet::new();
    for d in pages.iter().flatten() {
        match d {
            Draw::Text { line, .. } => used.extend(line.pieces.iter().map(|p| p.style.face)),
            Draw::Rotated { face, .. } => {
                used.insert(*face);
            }
            _ => {}
        }
    }
    used
}

/// printpdf's parse of a bundled font, done once per process (it is the slow part).
fn parsed_font(face: FontFace) -> Result<ParsedFont, BriefError> {
    use std::sync::OnceLock;
    static PARSED: [OnceLock<Option<ParsedFont>>; 6] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let idx = FontFace::ALL.iter().position(|f| *f == face).unwrap_or(0);
    PARSED[idx]
        .get_or_init(|| ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new()))
        .clone()
        .ok_or(BriefError::Font(face.resource_name()))
}

/// Writes the PDF. `id_seed` determines the document ID (same seed, same ID).
pub fn write(
    page_size: (f32, f32),
    pages: &[Vec<Draw>],
    images: Vec<PdfImage>,
    info: &Info,
    id_seed: &[u8],
) -> Result<Vec<u8>, BriefError> {
    let mut doc = PdfDocument::new(&info.title);
    for face in faces_used(pages) {
        doc.resources.fonts.map.insert(font_id(face), PdfFont::new(parsed_font(face)?));
    }
    for (n, img) in images.into_iter().enumerate() {
        doc.resources.xobjects.map.insert(image_id(n), XObject::External(img.xobject));
    }
    let to_mm = |pt: f32| Mm(pt * 25.4 / 72.0);
    doc.pages = pages.iter().map(|d| PdfPage::new(to_mm(page_size.0), to_mm(page_size.1), draw_ops(d))).collect();

    let opts = PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = printpdf::serialize::to_lopdf_doc(&doc, &opts, &mut warnings);
    drop(doc);
    finish(&mut lo, info, id_seed)?;
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| BriefError::Pdf(e.to_string()))?;
    Ok(out)
}

/// Flate-compresses every stream that allows it and has no filter yet (content streams, font
/// programs, ToUnicode maps). lopdf's own `compress` uses the slowest level, which dominated the
/// export time of a short brief; the default level is within a few percent of its size.
fn compress(lo: &mut lopdf::Document) {
    use std::io::Write as _;
    for obj in lo.objects.values_mut() {
        if let lopdf::Object::Stream(s) = obj {
            if !s.allows_compression || s.dict.get(b"Filter").is_ok() {
                continue;
            }
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            if e.write_all(&s.content).is_err() {
                continue;
            }
            if let Ok(z) = e.finish() {
                if z.len() + 19 < s.content.len() {
                    s.dict.set("Filter", "FlateDecode");
                    s.set_content(z);
                }
            }
        }
    }
}

fn pdf_text(s: &str) -> lopdf::Object {
    if s.is_ascii() {
        lopdf::Object::String(s.as_bytes().to_vec(), lopdf::StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        lopdf::Object::String(bytes, lopdf::StringFormat::Hexadecimal)
    }
}

/// The post-pass: Info dictionary, deterministic ID, stream compression, a modern version header.
fn finish(lo: &mut lopdf::Document, info: &Info, id_seed: &[u8]) -> Result<(), BriefError> {
    use lopdf::{Dictionary, Object};
    use sha2::{Digest, Sha256};

    let mut dict = Dictionary::new();
    dict.set("Title", pdf_text(&info.title));
    if !info.author.trim().is_empty() {
        dict.set("Author", pdf_text(&info.author));
    }
    if !info.subject.is_empty() {
        dict.set("Subject", pdf_text(&info.subject));
    }
    if !info.keywords.is_empty() {
        dict.set("Keywords", pdf_text(&info.keywords));
    }
    dict.set("Creator", pdf_text(&info.creator));
    dict.set("Producer", pdf_text(&format!("{} with printpdf", info.creator)));
    dict.set("CreationDate", pdf_text(&info.date));
    dict.set("ModDate", pdf_text(&info.date));
    let info_id = match lo.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            lo.objects.insert(id, Object::Dictionary(dict));
            id
        }
        Err(_) => lo.add_object(dict),
    };
    lo.trailer.set("Info", Object::Reference(info_id));
    // The catalog printpdf writes says PageLayout OneColumn; readers want no more than that.
    lo.version = "1.7".to_string();
    compress(lo);
    let id = Sha256::digest(id_seed);
    let id_str = Object::String(id[..16].to_vec(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id_str.clone(), id_str]));
    Ok(())
}
