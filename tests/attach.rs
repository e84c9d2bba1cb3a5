//! Image attachments: real photographs, a corpus of malformed and hostile files,
//! and the `attach` / `attachments` / `gc` commands as a black box.

mod util;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use briefwright::media::{self, jpeg, AttachOptions, Input};
use briefwright::model::{Figure, Report};
use briefwright::paths::DataDir;
use briefwright::store::Store;
use briefwright::Env;
use image::{DynamicImage, ImageFormat};
use serde_json::Value;
use util::rng::XorShift;
use util::{fixture, Lab};

fn photo(name: &str) -> PathBuf {
    fixture(&format!("images/{name}"))
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Every file under a folder, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.map(Result::unwrap) {
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out.sort();
    out
}

/// The stored file carries no EXIF, XMP, IPTC or GPS: checked with an EXIF parser, a byte
/// scan, and exiftool when it is installed.
fn assert_no_metadata(stored: &Path, secrets: &[&str]) {
    let bytes = read(stored);
    match exif::Reader::new().read_from_container(&mut Cursor::new(&bytes)) {
        Err(exif::Error::NotFound(_)) => {}
        Ok(e) => panic!("{} still has EXIF: {:?}", stored.display(), e.fields().map(|f| f.tag).collect::<Vec<_>>()),
        Err(e) => panic!("{}: unexpected EXIF reader error {e}", stored.display()),
    }
    for marker in [&b"Exif\0\0"[..], b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"tEXt", b"iTXt", b"zTXt", b"eXIf"] {
        assert!(!contains(&bytes, marker), "{} contains {:?}", stored.display(), String::from_utf8_lossy(marker));
    }
    for s in secrets {
        assert!(!contains(&bytes, s.as_bytes()), "{} still contains {s:?}", stored.display());
    }
    match Command::new("exiftool").args(["-j", "-G1", "-a"]).arg(stored).output() {
        Ok(out) if out.status.success() => {
            let tags: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
            let leaked: Vec<&String> = tags[0]
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| {
                    ["GPS", "XMP", "IPTC", "EXIF", "IFD0", "ExifIFD", "Photoshop"].iter().any(|g| k.contains(g))
                })
                .chain(tags[0].as_object().unwrap().keys().filter(|k| k.ends_with(":Comment")))
                .collect();
            assert!(leaked.is_empty(), "exiftool still finds {leaked:?} in {}", stored.display());
        }
        _ => eprintln!(
            "!!! exiftool is not installed: the exiftool cross-check was SKIPPED (cargo xtask setup installs it)"
        ),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

// ---------------------------------------------------------------- real photographs (CLI)

#[test]
fn a_rotated_photo_with_gps_is_stored_upright_without_any_metadata() {
    let lab = Lab::new();
    let id = lab.import(&[&fixture("reports/canal-drought.txt")])[0].clone();
    let src = photo("rocket-gps-rotated.jpg");
    assert!(contains(&read(&src), b"Exif\0\0") && contains(&read(&src), b"Kyiv"), "the fixture carries metadata");
    let out = lab.ok(&["attach", &id, src.to_str().unwrap(), "--caption", "Launch pad"]);
    let sha = out.stdout.trim();
    assert_eq!(sha.len(), 64);
    let stored = lab.data().join(format!("images/{sha}.jpg"));
    assert_no_metadata(&stored, &["Kyiv", "Stringer", "Example Camera", "Field Unit", "safe house", "Analyst Source"]);
    // Orientation 6 (90° clockwise) applied: 640×427 became 427×640.
    let img = image::open(&stored).unwrap();
    assert_eq!((img.width(), img.height()), (427, 640));
    let fig = &lab.show_json(&id)["report"]["images"][2];
    assert_eq!(fig["caption"], "Launch pad");
    assert_eq!(fig["image"]["sha256"], sha);
    assert_eq!(fig["image"]["format"], "jpeg");
    assert_eq!((fig["image"]["width"].as_u64(), fig["image"]["height"].as_u64()), (Some(427), Some(640)));
    assert_eq!(fig["image"]["bytes"].as_u64(), Some(read(&stored).len() as u64));
    // The picture is the original turned, not something else: compare with the upright original, rotated.
    let original = image::open(photo("rocket.jpg")).unwrap().rotate90().to_rgb8();
    let got = img.to_rgb8();
    let diff: u64 =
        original.as_raw().iter().zip(got.as_raw()).map(|(a, b)| (*a as i64 - *b as i64).unsigned_abs()).sum();
    assert!(diff / (original.as_raw().len() as u64) < 4, "mean difference {}", diff / original.as_raw().len() as u64);
}

#[test]
fn an_upright_jpeg_keeps_its_scan_data_byte_for_byte() {
    let src = read(&photo("rocket.jpg"));
    let p = media::process(&src).unwrap();
    assert!(p.lossless);
    assert_eq!(jpeg::scan_data(&p.bytes).unwrap(), jpeg::scan_data(&src).unwrap());
    assert!(!contains(&p.bytes, b"cmp3.10.3.2Lq3"), "the COM comment is gone");
    assert!(contains(&p.bytes, b"ICC_PROFILE\0"), "the colour profile stays");
    assert_eq!((p.image.width, p.image.height), (640, 427));
    // The lossless strip changes no pixel.
    assert_eq!(image::load_from_memory(&p.bytes).unwrap().to_rgb8(), image::load_from_memory(&src).unwrap().to_rgb8());
}

#[test]
fn png_text_xmp_and_exif_chunks_are_dropped_and_pixels_kept() {
    let lab = Lab::new();
    let id = lab.import(&[&fixture("reports/grid-cyberattack.txt")])[0].clone();
    let src = photo("chelsea-meta.png");
    assert!(contains(&read(&src), b"checkpoint"));
    let sha = lab.ok(&["attach", &id, src.to_str().unwrap()]).stdout.trim().to_string();
    let stored = lab.data().join(format!("images/{sha}.png"));
    assert_no_metadata(&stored, &["checkpoint", "PENTAX", "Analyst Source"]);
    assert_eq!(image::open(&stored).unwrap().to_rgb8(), image::open(&src).unwrap().to_rgb8());
}

// ---------------------------------------------------------------- the attachment commands

#[test]
fn attachments_can_be_listed_captioned_moved_removed_and_collected() {
    let lab = Lab::new();
    let id = lab.import(&[&fixture("reports/canal-drought.txt")])[0].clone();
    let listed: Vec<Value> = serde_json::from_str(&lab.ok(&["attachments", &id, "--json"]).stdout).unwrap();
    assert_eq!(listed.len(), 2, "the two image references of the text report are placeholders");
    assert!(listed.iter().all(|f| f["image"].is_null() && f["file"].is_null()));

    // Fill placeholder 2, keeping its caption; add two new figures; attach a duplicate.
    let rocket = photo("rocket.jpg");
    let camera = photo("camera.png");
    let chelsea = photo("chelsea.png");
    let sha_rocket = lab.ok(&["attach", &id, rocket.to_str().unwrap(), "--figure", "2"]).stdout.trim().to_string();
    let out = lab.ok(&["attach", &id, camera.to_str().unwrap(), chelsea.to_str().unwrap(), "--caption", "Port"]);
    let shas: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(shas.len(), 2);
    assert_eq!(lab.ok(&["attach", &id, rocket.to_str().unwrap()]).stdout.trim(), sha_rocket, "stored once");
    assert_eq!(listing(&lab.data().join("images")).iter().filter(|n| !n.starts_with("thumbs/")).count(), 3);

    let listed: Vec<Value> = serde_json::from_str(&lab.ok(&["attachments", &id, "--json"]).stdout).unwrap();
    let sha = |f: &Value| f["image"]["sha256"].as_str().map(str::to_string);
    assert_eq!(listed.len(), 5);
    assert!(listed[0]["image"].is_null());
    assert!(listed[1]["caption"].as_str().unwrap().ends_with("Harbor Ledger - Image 2"));
    assert_eq!(sha(&listed[1]).as_deref(), Some(sha_rocket.as_str()));
    assert_eq!((listed[2]["caption"].as_str(), sha(&listed[2]).as_deref()), (Some("Port"), Some(shas[0])));
    assert!(Path::new(listed[2]["file"].as_str().unwrap()).is_file());
    let table = lab.ok(&["attachments", &id]).stdout;
    assert!(table.starts_with("FIGURE"), "{table}");
    assert_eq!(table.lines().count(), 6);

    lab.ok(&["attachments", "caption", &id, "3", "Harbour cranes at dusk"]);
    lab.ok(&["attachments", "move", &id, "3", "1"]);
    lab.ok(&["attachments", "remove", &id, "5"]);
    let r = lab.show_json(&id);
    let figs = r["report"]["images"].as_array().unwrap();
    assert_eq!(figs.len(), 4);
    assert_eq!(figs[0]["caption"], "Harbour cranes at dusk");
    assert_eq!(figs[0]["image"]["sha256"], shas[0]);
    let notes: Vec<Value> = serde_json::from_str(&lab.ok(&["history", &id, "--json"]).stdout).unwrap();
    let notes: Vec<&str> = notes.iter().take(3).map(|n| n["note"].as_str().unwrap()).collect();
    assert_eq!(notes, ["removed figure 5", "moved figure 3 to 1", "captioned figure 3"]);

    // A thumbnail on demand.
    let thumb = lab.ok(&["attachments", "thumbnail", &id, "1", "--size", "1024"]).stdout.trim().to_string();
    assert!(thumb.ends_with(&format!("{}-1024.jpg", shas[0])), "{thumb}");
    assert_eq!(image::open(&thumb).unwrap().width(), 512, "never enlarged");

    // Errors name the figure; usage errors exit 2.
    let number = r["meta"]["number"].as_str().unwrap().to_string();
    let e = lab.run(&["attachments", "caption", &id, "9", "x"]);
    assert_eq!((e.code, first_line(&e.stderr)), (1, &*format!("error: report {number} has no figure 9 (it has 4)")));
    let e = lab.run(&["attach", &id, camera.to_str().unwrap(), "--figure", "3"]);
    assert_eq!(e.code, 1);
    assert!(e.stderr.contains(&format!("figure 3 of report {number} already has an image")), "{}", e.stderr);
    assert_eq!(lab.run(&["attachments", "thumbnail", &id, "1", "--size", "300"]).code, 2);
    assert_eq!(lab.run(&["attach", &id]).code, 2);

    // Everything stays while a revision refers to it; deleting the report frees it all.
    lab.ok(&["gc", "--grace", "0"]);
    assert_eq!(listing(&lab.data().join("images")).len(), 3 * 3);
    lab.ok(&["delete", &id]);
    let before = listing(&lab.data().join("images"));
    assert_eq!(before.len(), 9, "the default grace period protects fresh files");
    let gc = lab.ok(&["gc", "--grace", "0"]);
    assert!(gc.stderr.contains("removed 3 images, 6 thumbnails"), "{}", gc.stderr);
    assert_eq!(listing(&lab.data().join("images")), Vec::<String>::new());
}

#[test]
fn refused_files_exit_1_with_one_line_naming_the_file_and_change_nothing() {
    let lab = Lab::new();
    let id = lab.import(&[&fixture("reports/canal-drought.txt")])[0].clone();
    lab.ok(&["attach", &id, photo("camera.png").to_str().unwrap()]);
    let rocket = read(&photo("rocket.jpg"));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("notes.jpg", b"Meeting at the usual place.\n".to_vec(), "looks like text"),
        ("report.png", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(), "looks like a PDF document"),
        ("empty.jpg", Vec::new(), "the file is empty"),
        ("cut.jpg", rocket[..rocket.len() / 2].to_vec(), "damaged or unreadable JPEG"),
        ("bomb.png", png_with_size(100_000, 100_000), "larger than 12000 × 12000"),
    ];
    let before = (lab.snapshot(), listing(&lab.data().join("images")));
    for (name, bytes, reason) in &cases {
        let path = lab.write(name, bytes);
        // The good image first: all or none.
        let r = lab.run(&["attach", &id, photo("chelsea.png").to_str().unwrap(), path.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{name}: {r:?}");
        assert_eq!(r.stderr.lines().count(), 1, "{name}: one line only: {}", r.stderr);
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.contains(name) && r.stderr.contains(reason),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
        assert_eq!((lab.snapshot(), listing(&lab.data().join("images"))), before, "{name} changed the library");
    }
    let r = lab.run(&["attach", &id, lab.path("missing.jpg").to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: cannot read ") && r.stderr.contains("missing.jpg"), "{}", r.stderr);
}

// ---------------------------------------------------------------- the hostile corpus (core API)

/// A valid PNG whose header declares `w` × `h` (CRC fixed, so only the size is wrong).
fn png_with_size(w: u32, h: u32) -> Vec<u8> {
    png_with_header(w, h, None)
}

/// The same, and optionally another bit depth and colour type.
fn png_with_header(w: u32, h: u32, depth_and_colour: Option<[u8; 2]>) -> Vec<u8> {
    let mut png = encode(&small(), ImageFormat::Png);
    png[16..20].copy_from_slice(&w.to_be_bytes());
    png[20..24].copy_from_slice(&h.to_be_bytes());
    if let Some(dc) = depth_and_colour {
        png[24..26].copy_from_slice(&dc);
    }
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

fn small() -> DynamicImage {
    image::open(photo("chelsea.png")).unwrap().thumbnail(96, 64)
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let img = if format == ImageFormat::Jpeg { DynamicImage::ImageRgb8(img.to_rgb8()) } else { img.clone() };
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A JPEG whose frame header declares `w` × `h`.
fn jpeg_with_size(w: u16, h: u16) -> Vec<u8> {
    let mut j = read(&photo("rocket.jpg"));
    let sof = j.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
    j[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    j[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    j
}

/// A GIF whose screen and first frame declare `w` × `h`.
fn gif_with_size(w: u16, h: u16) -> Vec<u8> {
    let mut g = encode(&small(), ImageFormat::Gif);
    g[6..8].copy_from_slice(&w.to_le_bytes());
    g[8..10].copy_from_slice(&h.to_le_bytes());
    // Skip the global colour table and any extension blocks to reach the image descriptor.
    let mut desc = 13 + if g[10] & 0x80 != 0 { 3 << ((g[10] & 7) + 1) } else { 0 };
    while g[desc] == 0x21 {
        desc += 2;
        while g[desc] != 0 {
            desc += g[desc] as usize + 1;
        }
        desc += 1;
    }
    assert_eq!(g[desc], 0x2C, "image descriptor");
    g[desc + 5..desc + 7].copy_from_slice(&w.to_le_bytes());
    g[desc + 7..desc + 9].copy_from_slice(&h.to_le_bytes());
    g
}

/// A BMP whose header declares `w` × `h`.
fn bmp_with_size(w: i32, h: i32) -> Vec<u8> {
    let mut b = encode(&small(), ImageFormat::Bmp);
    b[18..22].copy_from_slice(&w.to_le_bytes());
    b[22..26].copy_from_slice(&h.to_le_bytes());
    b
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let img = small();
    let mut originals: Vec<(&str, Vec<u8>)> = vec![
        ("rocket.jpg", read(&photo("rocket.jpg"))),
        ("rocket-gps-rotated.jpg", read(&photo("rocket-gps-rotated.jpg"))),
        ("chelsea-meta.png", read(&photo("chelsea-meta.png"))),
    ];
    for (name, f) in [
        ("small.png", ImageFormat::Png),
        ("small.webp", ImageFormat::WebP),
        ("small.gif", ImageFormat::Gif),
        ("small.bmp", ImageFormat::Bmp),
        ("small.tiff", ImageFormat::Tiff),
        ("small.jpg", ImageFormat::Jpeg),
    ] {
        originals.push((name, encode(&img, f)));
    }
    let mut rng = XorShift(0x5EED_1234_ABCD_0001);
    let mut cases = Vec::new();
    for (name, bytes) in &originals {
        let n = bytes.len();
        // Truncated at many offsets, dense at the start where the headers are.
        let mut cuts: Vec<usize> = (0..64.min(n)).step_by(3).collect();
        cuts.extend((1..24).map(|i| n * i / 24));
        cuts.extend([n - 1, n - 2]);
        for cut in cuts {
            cases.push((format!("{name} cut at {cut}"), bytes[..cut].to_vec()));
        }
        // Bit flips, one to eight at a time, anywhere.
        for round in 0..24 {
            let mut b = bytes.clone();
            let flips = 1 + (round % 8);
            for _ in 0..flips {
                let at = (rng.next() as usize) % n;
                b[at] ^= 1 << (rng.next() % 8);
            }
            cases.push((format!("{name} flipped #{round}"), b));
        }
        // Bytes overwritten in the header region.
        for round in 0..8 {
            let mut b = bytes.clone();
            let at = (rng.next() as usize) % n.min(200);
            b[at] = rng.next() as u8;
            cases.push((format!("{name} header byte #{round}"), b));
        }
    }
    cases.push(("zero-length.jpg".into(), Vec::new()));
    cases.push(("text named .jpg".into(), b"just some words\n".repeat(40)));
    cases.push(("pdf named .png".into(), b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec()));
    cases.push(("html named .gif".into(), b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec()));
    cases.push(("png 100000x100000".into(), png_with_size(100_000, 100_000)));
    cases.push(("png 12000x12000 (bomb within the side limit)".into(), png_with_size(12_000, 12_000)));
    cases.push((
        "png 12000x12000 16-bit RGBA (over the memory limit)".into(),
        png_with_header(12_000, 12_000, Some([16, 6])),
    ));
    cases.push(("png 0x0".into(), png_with_size(0, 0)));
    cases.push(("jpeg 65000x65000".into(), jpeg_with_size(65_000, 65_000)));
    cases.push(("jpeg 0x0".into(), jpeg_with_size(0, 0)));
    cases.push(("gif 65535x65535".into(), gif_with_size(65_535, 65_535)));
    cases.push(("bmp 100000x100000".into(), bmp_with_size(100_000, 100_000)));
    cases.push(("bmp -5000x-2000000000".into(), bmp_with_size(-5000, -2_000_000_000)));
    cases
}

/// Polyglots and misnamed files that are valid images: accepted, cleaned of the extra payload.
#[test]
fn polyglots_and_misnamed_images_are_accepted_without_their_payload() {
    let mut png_zip = encode(&small(), ImageFormat::Png);
    png_zip.extend_from_slice(b"PK\x03\x04\x14\0\0\0secret.txt");
    let mut jpg_html = read(&photo("rocket.jpg"));
    jpg_html.extend_from_slice(b"<html><script>alert(1)</script></html>");
    for (bytes, payload, format) in [(&png_zip, &b"PK\x03\x04"[..], "png"), (&jpg_html, &b"<script"[..], "jpeg")] {
        let p = media::process(bytes).unwrap();
        assert_eq!(p.image.format, format);
        assert!(!contains(&p.bytes, payload));
    }
    // A PNG named .jpg is a PNG: the name plays no part.
    let lab = Lab::new();
    let id = lab.import(&[&fixture("reports/grid-cyberattack.txt")])[0].clone();
    let misnamed = lab.write("really-a-png.jpg", encode(&small(), ImageFormat::Png));
    let sha = lab.ok(&["attach", &id, misnamed.to_str().unwrap()]).stdout.trim().to_string();
    assert!(lab.data().join(format!("images/{sha}.png")).is_file());
}

#[test]
fn a_corpus_of_malformed_files_never_panics_hangs_or_changes_the_store_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path().join("data"));
    let id = {
        let mut store = Store::open(&data, Env::system()).unwrap();
        let report = Report {
            title: "Corpus".into(),
            images: vec![Figure { caption: "placeholder - Image 1".into(), image: None }],
            ..Report::default()
        };
        store.create(report, "created").unwrap().id
    };
    let cases = corpus();
    let (mut refused, mut accepted) = (0, 0);
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    for (name, bytes) in cases {
        let (tx, rx) = mpsc::channel();
        let data2 = data.clone();
        let case = name.clone();
        std::thread::spawn(move || {
            let mut store = Store::open(&data2, Env::system()).unwrap();
            let before = (store.get(id).unwrap(), listing(&data2.images()));
            let input = Input { name: PathBuf::from(&case), bytes };
            let result = media::attach(&mut store, id, before.0.revision, &[input], &AttachOptions::default());
            let after = (store.get(id).unwrap(), listing(&data2.images()));
            let _ = tx.send((result.map(|a| a.figures[0].image.clone()), before, after));
        });
        let (result, before, after) = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(r) => r,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: no answer within 30 s (a hang)"),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: a panic escaped the image pipeline"),
        };
        match result {
            Err(e) => {
                refused += 1;
                *codes.entry(e.code().to_string()).or_default() += 1;
                let msg = e.to_string();
                assert!(msg.starts_with(&name) && !msg.contains('\n'), "{name}: {msg}");
                assert_eq!(after, before, "{name}: refused but the store changed");
            }
            Ok(image) => {
                accepted += 1;
                assert_eq!(after.0.revision, before.0.revision + 1);
                let path = data.root().join(briefwright::interchange::markdown::image_path(&image).unwrap());
                let stored = read(&path);
                assert!(!contains(&stored, b"Exif\0\0") && !contains(&stored, b"Kyiv"), "{name}: metadata kept");
                let back = image::load_from_memory(&stored).unwrap_or_else(|e| panic!("{name}: stored file: {e}"));
                assert_eq!((back.width(), back.height()), (image.width, image.height));
            }
        }
    }
    eprintln!("corpus: {refused} refused {codes:?}, {accepted} accepted as valid images");
    assert!(refused > 300, "the corpus exercises refusals ({refused})");
    for code in ["empty", "not_an_image", "malformed", "too_many_pixels", "too_much_memory"] {
        assert!(codes.contains_key(code), "no case was refused as {code}: {codes:?}");
    }
}
