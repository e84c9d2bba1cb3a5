//! The bundled fonts and their metrics.
//!
//! Noto Serif (body) and Noto Sans (headings, tables, running heads) are compiled into the
//! program, so a brief looks the same on every machine. Metrics come from the font files
//! themselves (ttf-parser); the PDF writer embeds the same files, subset to the glyphs used.

use std::sync::OnceLock;

const SERIF: &[u8] = include_bytes!("../../assets/fonts/NotoSerif-Regular.ttf");
const SERIF_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSerif-Bold.ttf");
const SERIF_ITALIC: &[u8] = include_bytes!("../../assets/fonts/NotoSerif-Italic.ttf");
const SERIF_BOLD_ITALIC: &[u8] = include_bytes!("../../assets/fonts/NotoSerif-BoldItalic.ttf");
const SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// The character drawn in place of one the fonts lack.
pub const REPLACEMENT: char = '\u{FFFD}';

/// One of the bundled font faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontFace {
    Serif,
    SerifBold,
    SerifItalic,
    SerifBoldItalic,
    Sans,
    SansBold,
}

impl FontFace {
    pub const ALL: [FontFace; 6] = [
        FontFace::Serif,
        FontFace::SerifBold,
        FontFace::SerifItalic,
        FontFace::SerifBoldItalic,
        FontFace::Sans,
        FontFace::SansBold,
    ];

    pub fn bytes(self) -> &'static [u8] {
        match self {
            FontFace::Serif => SERIF,
            FontFace::SerifBold => SERIF_BOLD,
            FontFace::SerifItalic => SERIF_ITALIC,
            FontFace::SerifBoldItalic => SERIF_BOLD_ITALIC,
            FontFace::Sans => SANS,
            FontFace::SansBold => SANS_BOLD,
        }
    }

    /// The PDF resource name; its first six capitals are also the subset tag ("BWSERA+NotoSerif").
    pub fn resource_name(self) -> &'static str {
        match self {
            FontFace::Serif => "BWSERA",
            FontFace::SerifBold => "BWSERB",
            FontFace::SerifItalic => "BWSERC",
            FontFace::SerifBoldItalic => "BWSERD",
            FontFace::Sans => "BWSANA",
            FontFace::SansBold => "BWSANB",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The same family with bold and/or italic applied (Sans has no italic: it stays upright).
    pub fn styled(self, bold: bool, italic: bool) -> FontFace {
        match self {
            FontFace::Sans | FontFace::SansBold => {
                if bold {
                    FontFace::SansBold
                } else {
                    FontFace::Sans
                }
            }
            _ => match (bold, italic) {
                (false, false) => FontFace::Serif,
                (true, false) => FontFace::SerifBold,
                (false, true) => FontFace::SerifItalic,
                (true, true) => FontFace::SerifBoldItalic,
            },
        }
    }

    pub fn is_bold(self) -> bool {
        matches!(self, FontFace::SerifBold | FontFace::SerifBoldItalic | FontFace::SansBold)
    }

    pub fn is_italic(self) -> bool {
        matches!(self, FontFace::SerifItalic | FontFace::SerifBoldItalic)
    }
}

/// Parsed metrics of one face.
pub struct FaceMetrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Ascender and descender (descender negative), in ems.
    pub ascender: f32,
    pub descender: f32,
}

impl FaceMetrics {
    /// The advance of `c` in ems, or `None` when the face has no glyph for it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let gid = self.face.glyph_index(c)?;
        if gid.0 == 0 {
            return None;
        }
        Some(self.face.glyph_hor_advance(gid).unwrap_or(0) as f32 / self.units_per_em)
    }

    pub fn has_glyph(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }
}

/// Metrics of a face, parsed once per process.
///
/// Panics only if a font compiled into the program is corrupt, which the unit tests rule out.
pub fn metrics(face: FontFace) -> &'static FaceMetrics {
    static FACES: OnceLock<Vec<FaceMetrics>> = OnceLock::new();
    let all = FACES.get_or_init(|| {
        FontFace::ALL
            .iter()
            .map(|f| {
                let face = ttf_parser::Face::parse(f.bytes(), 0).expect("bundled font parses");
                let upm = face.units_per_em() as f32;
                FaceMetrics {
                    ascender: face.ascender() as f32 / upm,
                    descender: face.descender() as f32 / upm,
                    units_per_em: upm,
                    face,
                }
            })
            .collect()
    });
    &all[face.index()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_face_parses_and_covers_latin_cyrillic_greek_and_the_replacement() {
        for face in FontFace::ALL {
            let m = metrics(face);
            for c in "AZaz09€–—“”‘’•·ÄÖÜßéçłŁŠЖжЯяЁёΑΩαωάΐ".chars().chain([REPLACEMENT])
            {
                assert!(m.has_glyph(c), "{face:?} lacks {c:?}");
            }
            assert!(m.advance('M').unwrap() > 0.5);
            assert!(m.ascender > 0.7 && m.descender < -0.1);
            assert!(!m.has_glyph('中'));
        }
    }

    #[test]
    fn resource_names_are_distinct_subset_tags() {
        let mut names: Vec<_> = FontFace::ALL.iter().map(|f| f.resource_name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 6);
        assert!(names.iter().all(|n| n.len() == 6 && n.bytes().all(|b| b.is_ascii_uppercase())));
    }
}
