//! Unit tests of the page design helpers.

use time::macros::datetime;

use super::compose::fit_line;
use super::design::{date_time, pdf_date, sans};
use super::layout::Missing;

#[test]
fn dates_are_utc() {
    let t = datetime!(2026-03-14 23:30:05 -02:00);
    assert_eq!(date_time(t), "2026-03-15 01:30:05 UTC");
    assert_eq!(pdf_date(t), "D:20260315013005Z");
}

#[test]
fn long_titles_are_cut_with_an_ellipsis() {
    let mut m = Missing::default();
    let l = fit_line(&"Word ".repeat(100), &sans(8.0), 100.0, &mut m).unwrap();
    assert!(l.width <= 100.0 && l.text().ends_with('…'));
}
