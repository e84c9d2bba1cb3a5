//! The attachment workflow through the core API, on generated images.

use std::io::Cursor;
use std::time::Duration;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use time::macros::datetime;

use super::*;
use crate::env::Env;
use crate::error::ErrorCode;
use crate::model::Report;

struct Lib {
    _dir: tempfile::TempDir,
    data: DataDir,
    store: Store,
}

fn lib() -> Lib {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path().join("data"));
    let store = Store::open(&data, Env::fixed(datetime!(2026-03-14 09:00:00 UTC))).unwrap();
    Lib { _dir: dir, data, store }
}

fn picture(w: u32, h: u32, seed: u8, format: ImageFormat) -> Input {
    let img = DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        Rgb([(x as u8).wrapping_mul(3).wrapping_add(seed), (y as u8).wrapping_mul(5), seed])
    }));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    Input { name: format!("pic-{seed}.{}", format.extensions_str()[0]).into(), bytes: out.into_inner() }
}

fn report_with_placeholder(store: &mut Store) -> StoredReport {
    let report = Report {
        title: "Figures".into(),
        images: vec![Figure { caption: "Harbor at dawn - Harbor Ledger - Image 1".into(), image: None }],
        ..Report::default()
    };
    store.create(report, "created").unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(dir);
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut out = vec![];
    for e in entries {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()).into_iter().map(|n| format!("{}/{n}", e.file_name().to_string_lossy())));
        } else {
            out.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn attach_stores_by_content_with_thumbnails_and_a_revision() {
    let mut l = lib();
    let s = report_with_placeholder(&mut l.store);
    let inputs = [picture(300, 200, 1, ImageFormat::Png), picture(40, 30, 2, ImageFormat::Bmp)];
    let a = attach(
        &mut l.store,
        s.id,
        s.revision,
        &inputs,
        &AttachOptions { caption: Some(" Port ".into()), figure: None },
    )
    .unwrap();
    assert_eq!(a.report.revision, 2);
    assert_eq!(a.figures.iter().map(|f| f.figure).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(a.report.report.images[1].caption, "Port");
    assert_eq!(a.report.report.images[0].image, None, "the placeholder is untouched");
    let files = ImageFiles::new(&l.data);
    for f in &a.figures {
        assert_eq!(f.image.format, "png");
        let path = files.path(&f.image).unwrap();
        assert_eq!(path, l.data.root().join(crate::interchange::markdown::image_path(&f.image).unwrap()));
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(process::sha256_hex(&bytes), f.image.sha256);
        for size in ThumbSize::ALL {
            assert!(files.thumb_path(&f.image.sha256, size).is_file());
        }
    }
    assert_eq!(l.store.revisions(s.id).unwrap()[0].note, "attached figures 2–3");

    // The same picture again: stored once.
    let again = attach(&mut l.store, s.id, 2, &inputs[..1], &AttachOptions::default()).unwrap();
    assert!(again.figures[0].already_stored);
    assert_eq!(again.figures[0].image, a.figures[0].image);
    assert_eq!(again.report.report.images[3].caption, "");
    assert_eq!(listing(files.dir()).len(), 2 + 4);
}

#[test]
fn placeholders_take_one_image_and_keep_their_caption() {
    let mut l = lib();
    let s = report_with_placeholder(&mut l.store);
    let one = [picture(20, 10, 3, ImageFormat::Gif)];
    let a = attach(&mut l.store, s.id, 1, &one, &AttachOptions { caption: None, figure: Some(1) }).unwrap();
    assert_eq!(a.report.report.images.len(), 1);
    assert_eq!(a.report.report.images[0].caption, "Harbor at dawn - Harbor Ledger - Image 1");
    assert!(a.report.report.images[0].image.is_some());

    let opts = |figure| AttachOptions { caption: None, figure: Some(figure) };
    let e = attach(&mut l.store, s.id, 2, &one, &opts(1)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::FigureTaken);
    let e = attach(&mut l.store, s.id, 2, &one, &opts(5)).unwrap_err();
    assert_eq!(e.to_string(), format!("report {} has no figure 5 (it has 1)", s.number));
    let two = [one[0].clone(), one[0].clone()];
    assert_eq!(attach(&mut l.store, s.id, 2, &two, &opts(1)).unwrap_err().code(), ErrorCode::OneImagePerFigure);
    assert_eq!(attach(&mut l.store, s.id, 1, &one, &AttachOptions::default()).unwrap_err().code(), ErrorCode::Stale);
    assert_eq!(l.store.get(s.id).unwrap().revision, 2, "refusals saved nothing");
}

#[test]
fn a_refused_file_changes_nothing() {
    let mut l = lib();
    let s = report_with_placeholder(&mut l.store);
    let good = picture(20, 10, 4, ImageFormat::Png);
    let bad = Input { name: "evil.jpg".into(), bytes: b"%PDF-1.7\n1 0 obj".to_vec() };
    let e = attach(&mut l.store, s.id, 1, &[good, bad], &AttachOptions::default()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotAnImage);
    assert_eq!(
        e.to_string(),
        "evil.jpg: it is not a JPEG, PNG, WebP, GIF, BMP or TIFF image (its content looks like a PDF document)"
    );
    assert_eq!(l.store.get(s.id).unwrap(), s);
    assert!(listing(&l.data.images()).is_empty());
}

#[test]
fn captions_order_and_removal_are_revisions() {
    let mut l = lib();
    let s = report_with_placeholder(&mut l.store);
    let inputs = [picture(30, 20, 5, ImageFormat::Png), picture(30, 20, 6, ImageFormat::Png)];
    let a = attach(&mut l.store, s.id, 1, &inputs, &AttachOptions::default()).unwrap();
    let shas: Vec<String> = a.figures.iter().map(|f| f.image.sha256.clone()).collect();

    let r = set_caption(&mut l.store, s.id, 2, 3, "Second photo").unwrap();
    assert_eq!(r.report.images[2].caption, "Second photo");
    assert_eq!(set_caption(&mut l.store, s.id, 3, 1, "two\nlines").unwrap_err().code(), ErrorCode::BadCaption);
    let r = move_figure(&mut l.store, s.id, 3, 3, 1).unwrap();
    let order: Vec<Option<&str>> =
        r.report.images.iter().map(|f| f.image.as_ref().map(|i| i.sha256.as_str())).collect();
    assert_eq!(order, [Some(shas[1].as_str()), None, Some(shas[0].as_str())]);
    assert_eq!(move_figure(&mut l.store, s.id, 4, 0, 1).unwrap_err().code(), ErrorCode::NoFigure);
    let (r, gc_out) = remove_figure(&mut l.store, s.id, 4, 1).unwrap();
    assert_eq!(r.report.images.len(), 2);
    assert_eq!(gc_out.removed_images, 0, "an older revision still refers to it");
    let notes: Vec<String> = l.store.revisions(s.id).unwrap().into_iter().map(|r| r.note).collect();
    assert_eq!(notes[..3], ["removed figure 1", "moved figure 3 to 1", "captioned figure 3"]);
}

#[test]
fn gc_removes_only_old_unreferenced_files_it_wrote() {
    let mut l = lib();
    let s = report_with_placeholder(&mut l.store);
    let kept =
        attach(&mut l.store, s.id, 1, &[picture(30, 20, 7, ImageFormat::Png)], &AttachOptions::default()).unwrap();
    let other = l.store.create(Report { title: "Other".into(), ..Report::default() }, "created").unwrap();
    let gone =
        attach(&mut l.store, other.id, 1, &[picture(30, 20, 8, ImageFormat::Png)], &AttachOptions::default()).unwrap();
    let images = l.data.images();
    std::fs::write(images.join("notes.txt"), "mine").unwrap();
    std::fs::write(images.join(".leftover.png.1.2.tmp"), "half").unwrap();
    l.store.delete(other.id).unwrap();

    let young = gc(&l.store, GC_GRACE).unwrap();
    assert_eq!((young.removed_images, young.kept_recent), (0, 4), "a fresh file survives the grace period");
    let out = gc(&l.store, Duration::ZERO).unwrap();
    assert_eq!((out.removed_images, out.removed_thumbnails, out.removed_temporary), (1, 2, 1));
    assert_eq!(out.referenced, 1);
    let files = ImageFiles::new(&l.data);
    assert!(files.path(&kept.figures[0].image).unwrap().is_file());
    assert!(!files.path(&gone.figures[0].image).unwrap().exists());
    assert!(images.join("notes.txt").is_file(), "names we did not write are left alone");
}

#[test]
fn thumbnail_is_made_when_missing() {
    let mut l = lib();
    let s = report_with_placeholder(&mut l.store);
    let a =
        attach(&mut l.store, s.id, 1, &[picture(2000, 500, 9, ImageFormat::Jpeg)], &AttachOptions::default()).unwrap();
    let image = &a.figures[0].image;
    assert_eq!(image.format, "jpeg");
    let files = ImageFiles::new(&l.data);
    let path = files.thumb_path(&image.sha256, ThumbSize::Small);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(thumbnail(&l.data, image, ThumbSize::Small).unwrap(), path);
    let t = image::open(&path).unwrap();
    assert_eq!((t.width(), t.height()), (256, 64));
    std::fs::remove_file(files.path(image).unwrap()).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(thumbnail(&l.data, image, ThumbSize::Small).unwrap_err().code(), ErrorCode::Missing);
}
