//! The page design of the brief: colours, sizes, text styles and the way dates are written.

use time::OffsetDateTime;

use crate::model::Tlp;

use super::fonts::FontFace;
use super::layout::{Rgb, Style};

pub const INK: Rgb = (0x1A, 0x1A, 0x1A);
pub const MUTED: Rgb = (0x5F, 0x63, 0x68);
pub const RULE: Rgb = (0xC8, 0xCC, 0xD2);
pub const DEFAULT_ACCENT: Rgb = (0x1F, 0x3A, 0x5F);
pub const BODY_SIZE: f32 = 10.0;
pub const BODY_LEADING: f32 = 14.0;
pub const MARGIN_X: f32 = 62.0;
pub const BODY_TOP: f32 = 68.0;
pub const BODY_BOTTOM: f32 = 64.0;

/// The colour mixed with white: `amount` 1.0 is the colour itself, 0.0 white.
pub fn tint(c: Rgb, amount: f32) -> Rgb {
    let mix = |v: u8| (255.0 - (255.0 - v as f32) * amount).round() as u8;
    (mix(c.0), mix(c.1), mix(c.2))
}

/// Body text.
pub fn body() -> Style {
    Style::new(FontFace::Serif, BODY_SIZE).color(INK)
}

pub fn sans(size: f32) -> Style {
    Style::new(FontFace::Sans, size).color(INK)
}

pub fn sans_bold(size: f32) -> Style {
    Style::new(FontFace::SansBold, size).color(INK)
}

/// The TLP marking as printed, e.g. "TLP:AMBER".
pub fn tlp_label(tlp: Tlp) -> String {
    format!("TLP:{}", tlp.as_str())
}

/// A date as printed: YYYY-MM-DD in UTC.
pub fn date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// A time as printed: YYYY-MM-DD hh:mm:ss UTC.
pub fn date_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02}:{:02} UTC", date(t), t.hour(), t.minute(), t.second())
}

/// A date in the PDF's Info dictionary: D:YYYYMMDDhhmmssZ.
pub fn pdf_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
