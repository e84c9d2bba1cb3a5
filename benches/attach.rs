//! Time and memory to attach a 12-megapixel photo.
//!
//! `cargo xtask bench` (or `cargo bench --bench attach`) generates a 4000 × 3000 JPEG
//! (a fixture photo enlarged, with noise so it compresses like a camera's), attaches it
//! through the core API many times — validate, strip, store, both thumbnails, save — and
//! runs the release CLI's `attach` as a child to read its peak memory. Writes the table
//! to docs/benchmarks/attach.md. Target: under 300 ms per upright 12 MP JPEG.

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use briefwright::media::{self, AttachOptions, Input};
use briefwright::model::Report;
use briefwright::paths::DataDir;
use briefwright::store::Store;
use briefwright::Env;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageEncoder, Rgb, RgbImage};

const RUNS: usize = 15;

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing we need: stay quick then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (w, h) = if quick { (800, 600) } else { (4000, 3000) };
    let runs = if quick { 2 } else { RUNS };

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let t = Instant::now();
    let pixels = photo(&root.join("tests/fixtures/images/rocket.jpg"), w, h);
    let upright = encode(&pixels, 90);
    let rotated = with_orientation(&upright, 6);
    eprintln!("generated a {w}×{h} JPEG ({:.1} MB) in {:.1} s", upright.len() as f64 / 1e6, t.elapsed().as_secs_f64());

    let mut table = String::new();
    writeln!(table, "| input | stored as | p50 ms | p95 ms | min ms | max ms |").unwrap();
    writeln!(table, "|---|---|---:|---:|---:|---:|").unwrap();
    let mut upright_p50 = Duration::ZERO;
    for (name, bytes) in [("upright JPEG (orientation 1)", &upright), ("rotated JPEG (EXIF orientation 6)", &rotated)] {
        let mut times = Vec::with_capacity(runs);
        let mut how = String::new();
        for _ in 0..runs + 1 {
            let (elapsed, lossless) = attach_once(bytes);
            how = if lossless { "same JPEG data, metadata stripped" } else { "re-encoded JPEG, q92" }.to_string();
            times.push(elapsed);
        }
        times.remove(0); // warm-up
        times.sort();
        let p50 = percentile(&times, 0.5);
        if upright_p50.is_zero() {
            upright_p50 = p50;
        }
        writeln!(
            table,
            "| {name}, {w}×{h}, {:.1} MB | {how} | {} | {} | {} | {} |",
            bytes.len() as f64 / 1e6,
            ms(p50),
            ms(percentile(&times, 0.95)),
            ms(times[0]),
            ms(times[times.len() - 1])
        )
        .unwrap();
    }

    let memory = peak_memory(&upright, &rotated);
    let summary = format!("Upright 12 MP JPEG: **p50 {} ms** (target: under 300 ms).\n\n{memory}", ms(upright_p50));
    println!("{table}\n{summary}");
    if quick {
        return;
    }
    let doc = format!(
        "# Attachment benchmark\n\n\
         Written by `cargo xtask bench` (benches/attach.rs) on {date}, release build, {cores} cores.\n\n\
         Input: a {w} × {h} JPEG (12 MP) generated from a fixture photo (enlarged, with noise, quality 90). \
         Each row attaches it {runs} times after one warm-up through `media::attach` into a fresh library: \
         read from memory, recognise, check the JPEG structure and strip its metadata, decode under the limits \
         (the decode of the stripped bytes is also the verification of the stored file), hash, write atomically \
         with fsync, make the 1024 px and 256 px thumbnails (fast_image_resize, JPEG q85), save the revision. \
         The rotated input is turned by its EXIF orientation, so it is decoded, rotated, re-encoded at quality 92 \
         and decoded again to verify.\n\n{table}\n{summary}\n",
        date = today(),
        cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    );
    let out = root.join("docs/benchmarks/attach.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, doc).unwrap();
    eprintln!("wrote {}", out.display());
}

/// One attach into a fresh library; returns its time and whether the JPEG was kept losslessly.
fn attach_once(bytes: &[u8]) -> (Duration, bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&DataDir::new(dir.path()), Env::system()).unwrap();
    let s = store.create(Report { title: "Bench".into(), ..Report::default() }, "created").unwrap();
    let input = Input { name: "photo.jpg".into(), bytes: bytes.to_vec() };
    let t = Instant::now();
    let a = media::attach(&mut store, s.id, s.revision, &[input], &AttachOptions::default()).unwrap();
    let elapsed = t.elapsed();
    (elapsed, a.figures[0].lossless)
}

/// Peak resident memory of the release CLI attaching each input, via `/usr/bin/time -f %M`.
fn peak_memory(upright: &[u8], rotated: &[u8]) -> String {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("!!! /usr/bin/time is missing: peak memory was NOT measured");
        return "Peak memory: not measured (/usr/bin/time is missing on this machine).".into();
    }
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_briefwright");
    let data = dir.path().join("data");
    let report = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/canal-drought.txt");
    let run = |args: &[&str]| {
        let out =
            Command::new(time).args(["-f", "%M"]).arg(bin).arg("--data-dir").arg(&data).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let kb: u64 = stderr.lines().last().and_then(|l| l.trim().parse().ok()).expect("time prints the peak in KB");
        (String::from_utf8_lossy(&out.stdout).trim().to_string(), kb)
    };
    let import = run(&["import", report.to_str().unwrap()]);
    let id = import.0;
    let mut rows = String::from("| CLI command | peak RSS MB |\n|---|---:|\n");
    rows.push_str(&format!(
        "| `import` (baseline: the binary and an open library) | {:.1} |\n",
        import.1 as f64 / 1024.0
    ));
    for (name, bytes) in [("upright", upright), ("rotated", rotated)] {
        let file = dir.path().join(format!("{name}.jpg"));
        std::fs::write(&file, bytes).unwrap();
        let (_, kb) = run(&["attach", &id, file.to_str().unwrap()]);
        rows.push_str(&format!("| `attach` {name} 12 MP JPEG | {:.1} |\n", kb as f64 / 1024.0));
    }
    format!("Peak memory (maximum resident set size of the release `briefwright` process, `/usr/bin/time -f %M`):\n\n{rows}")
}

/// The photo enlarged to `w` × `h` with per-pixel noise, like a camera's sensor output.
fn photo(path: &Path, w: u32, h: u32) -> DynamicImage {
    let base = image::open(path).unwrap().resize_exact(w, h, FilterType::Triangle).to_rgb8();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let noisy = RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let p = base.get_pixel(x, y).0;
        let n = |v: u8, k: u64| (v as i32 + ((seed >> k) & 15) as i32 - 8).clamp(0, 255) as u8;
        Rgb([n(p[0], 0), n(p[1], 8), n(p[2], 16)])
    });
    DynamicImage::ImageRgb8(noisy)
}

fn encode(img: &DynamicImage, quality: u8) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let rgb = img.to_rgb8();
    JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(rgb.as_raw(), rgb.width(), rgb.height(), image::ExtendedColorType::Rgb8)
        .unwrap();
    out.into_inner()
}

/// The JPEG with an EXIF APP1 segment carrying only an orientation tag, right after SOI.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0*\0\0\0\x08\0\x01".to_vec();
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{}-{:02}-{:02}", now.year(), now.month() as u8, now.day())
}
