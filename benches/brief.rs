//! Whole-process PDF export: `briefwright export` (the optimised binary, spawned) of a prepared
//! library, timed from spawn to exit, with the child's peak memory.
//!
//! `cargo xtask bench` (or `cargo bench --bench brief`) writes docs/benchmarks/brief.md.
//! Targets: a ~4-page brief with 4 photos under 50 ms median; a ~60-page brief with 40 photos
//! under 250 ms and 100 MB peak RSS; output no larger than the embedded JPEG bytes + 300 KB.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use briefwright::interchange::{json, text};
use briefwright::model::{Figure, ImageRef, Technique};
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_briefwright");

/// A 1–2 megapixel photo-like JPEG (smooth gradients with detail, quality 85).
fn photo(seed: u32) -> (Vec<u8>, u32, u32) {
    let (w, h) = if seed.is_multiple_of(2) { (1600, 1000) } else { (1200, 1200) };
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let v = ((x * 3 + y * 2 + seed * 40) % 256) as u8;
        let n = ((x.wrapping_mul(2654435761) ^ y.wrapping_mul(40503)) >> 13) as u8 & 0x1F;
        image::Rgb([v.wrapping_add(n), ((y + seed * 13) % 256) as u8, ((x / 4 + y / 3) % 256) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&img).unwrap();
    (out, w, h)
}

struct Case {
    name: &'static str,
    id: String,
    jpeg_bytes: u64,
}

fn run(data: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1773480600")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn prepare(data: &Path, name: &'static str, photos: u32, techniques: usize) -> Case {
    let sample =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/canal-drought.txt"))
            .unwrap();
    let mut report = text::parse(&sample).unwrap().report;
    let images = data.join("images");
    std::fs::create_dir_all(&images).unwrap();
    let mut jpeg_bytes = 0;
    report.images = (0..photos)
        .map(|i| {
            let (bytes, w, h) = photo(i);
            let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            std::fs::write(images.join(format!("{sha}.jpg")), &bytes).unwrap();
            jpeg_bytes += bytes.len() as u64;
            let image = ImageRef { sha256: sha, format: "jpeg".into(), width: w, height: h, bytes: bytes.len() as u64 };
            Figure { caption: format!("Photo {} of the reservoir and the locks", i + 1), image: Some(image) }
        })
        .collect();
    let para = "Reduced transits raise demand for alternative routes, increasing congestion at West Coast ports \
                and on transcontinental rail. Higher freight rates feed into consumer prices for imported goods, \
                while bulk carriers of grain and liquefied gas face the largest delays. ";
    for i in 0..techniques {
        report.analysis.techniques.push(Technique {
            name: format!("Supplementary assessment {}", i + 1),
            body: format!("{}\n\n{}", para.repeat(3), para.repeat(2)),
            scenarios: None,
        });
    }
    let file = data.join(format!("{name}.json"));
    std::fs::write(&file, json::write_report(&report)).unwrap();
    let out = run(data, &["import", file.to_str().unwrap()]);
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    Case { name, id, jpeg_bytes }
}

/// Wall time and peak RSS (KiB) of one export, measured by /usr/bin/time.
fn export(data: &Path, id: &str, out: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let o = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(["export", id, "--out"])
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1773480600")
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let rss = stderr.lines().rev().find_map(|l| l.trim().parse::<u64>().ok()).unwrap_or(0);
    (elapsed, rss)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pages(pdf: &Path) -> String {
    Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find(|l| l.starts_with("Pages:"))
                .map(|l| l[6..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("library");
    let small = prepare(&data, "small", 4, 0);
    let large = prepare(&data, "large", 40, 34);
    let mut md = String::new();
    writeln!(md, "# PDF brief export benchmark\n").unwrap();
    writeln!(
        md,
        "Whole process: `briefwright export ID --out brief.pdf`, release build, spawned once per run against a \
         prepared library (report imported, 1–2 MP JPEGs in the image store). Time from spawn to exit; peak \
         memory is the child's max RSS (`/usr/bin/time -f %M`). Machine: shared 2-core build container, so \
         figures are pessimistic. Regenerate with `cargo xtask bench`.\n"
    )
    .unwrap();
    writeln!(
        md,
        "| Brief | Pages | Photos (JPEG bytes) | Runs | Median | p90 | Max | Peak RSS | PDF size | Size − JPEGs |"
    )
    .unwrap();
    writeln!(md, "|---|---|---|---|---|---|---|---|---|---|").unwrap();
    let mut verdicts = Vec::new();
    for (case, photos, runs, target_ms) in [(&small, 4, 30, 50.0), (&large, 40, 15, 250.0)] {
        let out: PathBuf = dir.path().join(format!("{}.pdf", case.name));
        export(&data, &case.id, &out); // warm the page cache
        let mut times = Vec::new();
        let mut rss = 0;
        for _ in 0..runs {
            let (t, r) = export(&data, &case.id, &out);
            times.push(t);
            rss = rss.max(r);
        }
        let size = std::fs::metadata(&out).unwrap().len();
        let overhead = size as i64 - case.jpeg_bytes as i64;
        let med = median(times.clone());
        let mut sorted = times.clone();
        sorted.sort();
        let p90 = sorted[(sorted.len() * 9 / 10).min(sorted.len() - 1)];
        let max = *sorted.last().unwrap();
        writeln!(
            md,
            "| {} | {} | {photos} ({:.1} MB) | {runs} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} MB | {:.2} MB | {} KB |",
            case.name,
            pages(&out),
            case.jpeg_bytes as f64 / 1e6,
            ms(med),
            ms(p90),
            ms(max),
            rss as f64 / 1024.0,
            size as f64 / 1e6,
            overhead / 1024
        )
        .unwrap();
        let time_ok = ms(med) < target_ms;
        let rss_ok = case.name == "small" || rss < 100 * 1024;
        let size_ok = overhead < 300 * 1024;
        verdicts.push(format!(
            "- **{}**: median {:.1} ms against a {target_ms} ms target — {}; {}size overhead {} KB against 300 KB — {}.",
            case.name,
            ms(med),
            if time_ok { "met" } else { "MISSED" },
            if case.name == "large" {
                format!("peak RSS {:.1} MB against 100 MB — {}; ", rss as f64 / 1024.0, if rss_ok { "met" } else { "MISSED" })
            } else {
                String::new()
            },
            overhead / 1024,
            if size_ok { "met" } else { "MISSED" },
        ));
        eprintln!("{} done: median {:.1} ms, rss {} KiB, size {} bytes", case.name, ms(med), rss, size);
    }
    writeln!(md, "\n## Targets\n").unwrap();
    for v in verdicts {
        writeln!(md, "{v}").unwrap();
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/benchmarks/brief.md");
    std::fs::write(&path, &md).unwrap();
    print!("{md}");
}
