//! Unit tests of the page design helpers and of the document ID.

use std::collections::HashSet;

use sha2::{Digest, Sha256};
use time::macros::datetime;

use super::compose::fit_line;
use super::design::{date_time, pdf_date, sans};
use super::images::{self, PdfImage};
use super::layout::Missing;
use super::*;
use crate::model::{Entity, EntityKind, Figure, Report, Status, Tlp};

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

const LOGO: &[u8] = include_bytes!("../../tests/fixtures/images/rocket.jpg");
const PHOTO: &[u8] = include_bytes!("../../tests/fixtures/images/rocket-gps-rotated.jpg");

/// The figure's image, whatever it refers to.
struct OnePhoto;

impl ImageSource for OnePhoto {
    fn load(&self, _: &ImageRef) -> Result<Vec<u8>, std::io::Error> {
        Ok(PHOTO.to_vec())
    }
}

/// A report and options that use every input the ID depends on.
fn fixed_inputs() -> (StoredReport, BriefOptions) {
    let t = datetime!(2026-03-14 09:30:00 UTC);
    let mut report = Report {
        title: "Intelligence Report: Canal drought".into(),
        author: "A. Analyst".into(),
        bluf: "Shipping through the canal **will** fall. Prices rise.".into(),
        implications: "Costs go up.".into(),
        recommendations: vec!["Watch the water level.".into()],
        entities: vec![Entity {
            name: "Canal Authority".into(),
            kind: EntityKind::Organization,
            role: "Operator".into(),
        }],
        tags: vec!["shipping".into(), "drought".into()],
        ..Report::default()
    };
    report.handling.tlp = Tlp::Green;
    report.source.headline = "Drought slows the canal".into();
    report.images = vec![Figure {
        caption: "The lock".into(),
        image: Some(ImageRef {
            sha256: "ab".repeat(32),
            format: "jpg".into(),
            width: 1,
            height: 1,
            bytes: PHOTO.len() as u64,
        }),
    }];
    let stored =
        StoredReport { revision: 3, ..StoredReport::first(uuid::Uuid::from_u128(7), 7, Status::Final, t, report) };
    let options = BriefOptions {
        page_size: PageSize::Letter,
        draft: true,
        time: t,
        branding: Branding {
            accent: Some((0x12, 0x34, 0x56)),
            logo: Some(LOGO.to_vec()),
            organisation: Some("Example Agency".into()),
        },
        signature: Some(SignatureAppearance {
            signer: "A. Analyst".into(),
            organisation: Some("Example Agency".into()),
            time: t,
            fingerprint: "0123456789abcdef".repeat(4),
        }),
    };
    (stored, options)
}

/// The first string of the PDF's `/ID`, hex.
fn pdf_id(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let ids = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
    let first = ids[0].as_str().unwrap();
    assert_eq!(ids[1].as_str().unwrap(), first, "both halves of the ID are the same");
    first.iter().map(|b| format!("{b:02x}")).collect()
}

fn seed_id(seed: &[u8]) -> String {
    Sha256::digest(seed)[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn prepared(bytes: &[u8]) -> PdfImage {
    images::prepare(bytes.to_vec()).unwrap()
}

/// The ID of a fixed brief is pinned: if this fails, something changed every brief's ID. If that
/// was meant (a new input, or a change to the report's JSON form), update the pin and say so.
#[test]
fn the_document_id_of_a_fixed_brief_is_pinned() {
    let (stored, options) = fixed_inputs();
    let brief = render(&stored, &OnePhoto, &options).unwrap();
    assert!(brief.warnings.is_empty(), "{:?}", brief.warnings);
    let id = pdf_id(&brief.pdf);
    let seed = id::seed(&stored, &options, &[prepared(LOGO), prepared(PHOTO)]);
    assert_eq!(id, seed_id(&seed), "the ID is the SHA-256 of the seed, whose images are the logo, then the figure");
    assert!(seed
        .starts_with(br#"{"scheme":"briefwright.brief-id.v1","report":{"id":"00000000-0000-0000-0000-000000000007","#));
    assert_eq!(id, "e43fbabc7b058bde8aa9c22c8f0d9338");
}

/// A change to any input of the brief gives another ID.
#[test]
fn every_input_changes_the_document_id() {
    let (stored, options) = fixed_inputs();
    let logo = prepared(LOGO);
    let photo = prepared(PHOTO);
    let base = vec![logo.clone(), photo.clone()];
    let mut seeds: Vec<(&str, Vec<u8>)> = vec![("unchanged", id::seed(&stored, &options, &base))];
    let mut with_report = |what: &'static str, change: &dyn Fn(&mut StoredReport)| {
        let mut s = stored.clone();
        change(&mut s);
        seeds.push((what, id::seed(&s, &options, &base)));
    };
    with_report("report title", &|s| s.report.title.push('!'));
    with_report("report BLUF", &|s| s.report.bluf.push('!'));
    with_report("report TLP", &|s| s.report.handling.tlp = Tlp::Red);
    with_report("report tags", &|s| s.report.tags.reverse());
    with_report("report number", &|s| s.number.push('1'));
    with_report("report revision", &|s| s.revision += 1);
    with_report("report status", &|s| s.status = Status::Draft);
    with_report("report updated", &|s| s.updated += time::Duration::SECOND);
    let mut with_options = |what: &'static str, change: &dyn Fn(&mut BriefOptions)| {
        let mut o = options.clone();
        change(&mut o);
        seeds.push((what, id::seed(&stored, &o, &base)));
    };
    with_options("time", &|o| o.time += time::Duration::SECOND);
    with_options("page size", &|o| o.page_size = PageSize::A4);
    with_options("draft", &|o| o.draft = false);
    with_options("accent", &|o| o.branding.accent = Some((0x12, 0x34, 0x57)));
    with_options("no accent", &|o| o.branding.accent = None);
    with_options("organisation", &|o| o.branding.organisation = Some("Example Agency.".into()));
    with_options("no organisation", &|o| o.branding.organisation = None);
    with_options("logo bytes", &|o| o.branding.logo.as_mut().unwrap().push(0));
    with_options("no logo", &|o| o.branding.logo = None);
    with_options("no signature", &|o| o.signature = None);
    with_options("signer", &|o| o.signature.as_mut().unwrap().signer.push('!'));
    with_options("signer organisation", &|o| o.signature.as_mut().unwrap().organisation = None);
    with_options("signing time", &|o| o.signature.as_mut().unwrap().time += time::Duration::SECOND);
    with_options("fingerprint", &|o| o.signature.as_mut().unwrap().fingerprint.push('0'));
    let mut with_images = |what: &'static str, images: Vec<PdfImage>| {
        seeds.push((what, id::seed(&stored, &options, &images)));
    };
    with_images("no images", Vec::new());
    with_images("images in another order", vec![photo.clone(), logo.clone()]);
    let mut edited = photo.clone();
    *edited.xobject.stream.content.last_mut().unwrap() ^= 1;
    with_images("image bytes", vec![logo.clone(), edited]);
    let mut resized = photo.clone();
    resized.width += 1;
    with_images("image size", vec![logo.clone(), resized]);
    with_images("an opaque PNG", vec![logo.clone(), png(0xFF)]);
    with_images("the same PNG translucent (a soft mask)", vec![logo.clone(), png(0x80)]);

    let mut seen = HashSet::new();
    for (what, seed) in &seeds {
        assert!(seen.insert(seed_id(seed)), "{what}: the same ID as before the change");
    }
}

/// A 2×2 PNG, all one colour, at the given opacity.
fn png(alpha: u8) -> PdfImage {
    let img = image::RgbaImage::from_pixel(2, 2, image::Rgba([10, 20, 30, alpha]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    prepared(&out.into_inner())
}

/// The same instant in another offset is the same brief (every date is printed in UTC), so the
/// same ID; a time RFC 3339 cannot write still gives an ID.
#[test]
fn times_are_hashed_as_utc_instants() {
    let (stored, mut options) = fixed_inputs();
    let utc = id::seed(&stored, &options, &[]);
    options.time = options.time.to_offset(time::macros::offset!(+05:30));
    assert_eq!(id::seed(&stored, &options, &[]), utc);
    options.time = datetime!(-0042-01-01 00:00:00 UTC);
    assert_ne!(id::seed(&stored, &options, &[]), utc);
}
