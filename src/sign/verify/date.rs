//! PDF dates ("D:YYYYMMDDHHmmSS+HH'mm'"), as signature dictionaries state the signing time.

/// "D:YYYYMMDDHHmmSS+HH'mm'" to a time.
pub(super) fn pdf_time(s: &str) -> Option<time::OffsetDateTime> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let num = |from: usize, len: usize, default: u32| -> u32 {
        digits.get(from..from + len).and_then(|d| d.parse().ok()).unwrap_or(default)
    };
    let date = time::Date::from_calendar_date(
        num(0, 4, 0) as i32,
        time::Month::try_from(num(4, 2, 1) as u8).ok()?,
        num(6, 2, 1) as u8,
    )
    .ok()?;
    let t = time::Time::from_hms(num(8, 2, 0) as u8, num(10, 2, 0) as u8, num(12, 2, 0) as u8).ok()?;
    let rest = &s[digits.len()..];
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let d: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let h: i8 = d.get(0..2).and_then(|x| x.parse().ok()).unwrap_or(0);
            let m: i8 = d.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
            let (h, m) = if sign == '-' { (-h, -m) } else { (h, m) };
            time::UtcOffset::from_hms(h, m, 0).ok()?
        }
        _ => time::UtcOffset::UTC,
    };
    Some(time::PrimitiveDateTime::new(date, t).assume_offset(offset))
}

/// A PDF date as RFC 3339.
pub(super) fn parse_pdf_date(s: &str) -> Option<String> {
    pdf_time(s).and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pdf_dates() {
        assert_eq!(parse_pdf_date("D:20260304050607+01'30'").as_deref(), Some("2026-03-04T05:06:07+01:30"));
        assert_eq!(parse_pdf_date("D:20260304050607Z").as_deref(), Some("2026-03-04T05:06:07Z"));
        assert_eq!(parse_pdf_date("garbage"), None);
    }
}
