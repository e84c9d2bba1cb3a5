//! Fuzz targets that run on stable Rust as ordinary tests: the text-format parser, the JSON
//! importer, the image attachment pipeline and the signature verifier.
//!
//! Each target mixes structure-aware inputs (reports built from random bytes with
//! `arbitrary`, then written out) with byte-level mutations of a seed corpus (the fixtures),
//! all driven by a seeded generator, and checks properties beyond "no panic":
//! - text: parsing never panics, a refusal is a typed error of one sentence, and what a
//!   file parses to is stable once written and re-read (text → model → text → model);
//! - json: import never panics, a refusal is typed, anything serde reads as a version-1
//!   document is imported as that report, and import → export → import is idempotent;
//! - image: a file is refused with a typed error or becomes a stored image within the
//!   limits that decodes again, carries no metadata, thumbnails, and cleans to itself;
//! - verify: verification never panics or hangs, and never says "valid" for a file whose
//!   signed bytes differ from what was signed (only the unsigned /Contents gap may change).
//!
//! Environment:
//! - `BRIEFWRIGHT_FUZZ_SECONDS`: time budget per target (default 3; the full run uses 300).
//! - `BRIEFWRIGHT_FUZZ_SEED`: replays a run (decimal or 0x-hex, as printed by every run).
//!
//! A failing input is written under `$TMPDIR/briefwright-fuzz/` (path printed, base64 too
//! when small). Once understood and fixed, it goes into `tests/fixtures/fuzz/<target>/`,
//! which every run replays first.

mod signkit;
mod util;

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use arbitrary::{Arbitrary, Unstructured};
use briefwright::interchange::{self, json, text};
use briefwright::media::{self, process::Kind, thumbs};
use briefwright::model::*;
use briefwright::sign::{self, KeyKind, TrustStore, Verdict};
use image::{DynamicImage, ImageFormat};
use serde_json::json;

// ---------------------------------------------------------------- the harness

/// SplitMix64: small, fast and good enough to drive mutations.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

fn budget() -> Duration {
    let secs = std::env::var("BRIEFWRIGHT_FUZZ_SECONDS").ok().and_then(|s| s.trim().parse::<f64>().ok());
    Duration::from_secs_f64(secs.unwrap_or(3.0).max(0.0))
}

fn base_seed(target: &str) -> u64 {
    if let Ok(s) = std::env::var("BRIEFWRIGHT_FUZZ_SEED") {
        let s = s.trim();
        let parsed = match s.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => s.parse(),
        };
        return parsed.unwrap_or_else(|_| panic!("BRIEFWRIGHT_FUZZ_SEED={s} is not a number"));
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let mut rng = Rng::new(now ^ target.bytes().fold(0u64, |h, b| h.rotate_left(5) ^ b as u64));
    rng.next()
}

/// What a campaign did.
struct Outcome {
    target: &'static str,
    seed: u64,
    tried: u64,
    seconds: f64,
    failures: Vec<String>,
    /// Counts of outcomes worth publishing (refusal codes, verdicts, …).
    tally: BTreeMap<String, u64>,
}

impl Outcome {
    /// Prints, records the figures and fails the test when an input failed.
    fn finish(self, regressions: usize) {
        eprintln!(
            "fuzz {}: {} inputs in {:.1} s (seed {:#x}, {} regression inputs replayed), {} failures; {:?}",
            self.target,
            self.tried,
            self.seconds,
            self.seed,
            regressions,
            self.failures.len(),
            self.tally
        );
        util::record_figures(
            &format!("fuzz_{}", self.target),
            json!({
                "inputs": self.tried,
                "seconds": (self.seconds * 10.0).round() / 10.0,
                "seed": format!("{:#x}", self.seed),
                "failures": self.failures.len(),
                "regression_inputs": regressions,
                "outcomes": self.tally,
            }),
        );
        assert!(self.failures.is_empty(), "fuzz {} failed:\n{}", self.target, self.failures.join("\n"));
    }
}

fn panic_message(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| e.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Runs `check` inside `catch_unwind`: a panic is a failure like any other.
fn guarded<I: ?Sized>(
    check: &mut impl FnMut(&I) -> Result<Option<String>, String>,
    input: &I,
) -> Result<Option<String>, String> {
    match panic::catch_unwind(AssertUnwindSafe(|| check(input))) {
        Ok(r) => r,
        Err(e) => Err(format!("panicked: {}", panic_message(&*e))),
    }
}

/// Feeds generated inputs to `check` until the time budget is spent. `check` returns an
/// outcome label to tally (or None), or why the input is a failure.
fn campaign<I: AsRef<[u8]>>(
    target: &'static str,
    mut generate: impl FnMut(&mut Rng) -> I,
    mut check: impl FnMut(&I) -> Result<Option<String>, String>,
) -> Outcome {
    let seed = base_seed(target);
    eprintln!("fuzz {target}: seed {seed:#x} (replay with BRIEFWRIGHT_FUZZ_SEED={seed:#x})");
    let budget = budget();
    let start = Instant::now();
    let mut out = Outcome { target, seed, tried: 0, seconds: 0.0, failures: Vec::new(), tally: BTreeMap::new() };
    let mut rng = Rng::new(seed);
    while out.tried == 0 || start.elapsed() < budget {
        let mut input_rng = Rng::new(rng.next());
        let input = generate(&mut input_rng);
        let t = Instant::now();
        let result = guarded(&mut check, &input);
        let took = t.elapsed();
        out.tried += 1;
        let result = match result {
            Ok(_) if took > Duration::from_secs(10) => Err(format!("took {took:?}")),
            other => other,
        };
        match result {
            Ok(Some(label)) => *out.tally.entry(label).or_default() += 1,
            Ok(None) => {}
            Err(why) => {
                let saved = save_failure(target, seed, out.tried, input.as_ref());
                out.failures.push(format!("input #{} ({saved}): {why}", out.tried));
                if out.failures.len() >= 5 {
                    break;
                }
            }
        }
    }
    out.seconds = start.elapsed().as_secs_f64();
    out
}

fn save_failure(target: &str, seed: u64, n: u64, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join("briefwright-fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{target}-{seed:016x}-{n}.bin"));
    std::fs::write(&path, bytes).unwrap();
    let mut said = format!("saved to {}", path.display());
    if bytes.len() <= 2048 {
        said.push_str(&format!(", base64 {}", base64(bytes)));
    }
    eprintln!("fuzz {target}: FAILING INPUT {said}");
    said
}

/// Replays every file of `tests/fixtures/fuzz/<target>/`; returns how many there were.
fn regressions(target: &str, mut check: impl FnMut(&[u8]) -> Result<Option<String>, String>) -> usize {
    let dir = util::fixture("fuzz").join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect(),
        Err(_) => return 0,
    };
    files.sort();
    let mut failures = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        if let Err(why) = guarded(&mut check, bytes.as_slice()) {
            failures.push(format!("{}: {why}", f.display()));
        }
    }
    assert!(failures.is_empty(), "regression inputs of {target} fail:\n{}", failures.join("\n"));
    files.len()
}

// ---------------------------------------------------------------- mutation

/// 1 to 4 stacked mutations: bit flips, interesting bytes, dictionary tokens, inserted,
/// deleted, duplicated or spliced ranges, truncation, and shuffled lines.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, tokens: &[&[u8]], donors: &[&[u8]]) {
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(11) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = *rng.pick(&[0, 0xFF, 0x7F, 0x80, b'\n', b'\r', b' ', b'0', b'9', 0xC3, 0xE2, 0xF0]);
            }
            2 => {
                let t = rng.pick(tokens);
                let i = rng.below(len + 1);
                data.splice(i..i, t.iter().copied());
            }
            3 if len > 0 => {
                let t = rng.pick(tokens);
                let i = rng.below(len);
                let end = (i + t.len()).min(len);
                data.splice(i..end, t.iter().copied());
            }
            4 => {
                let n = 1 + rng.below(16);
                let i = rng.below(len + 1);
                let b = rng.bytes(n);
                data.splice(i..i, b);
            }
            5 if len > 1 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                data.drain(i..i + n);
            }
            6 if len > 1 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                let chunk = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, chunk);
            }
            7 if !donors.is_empty() => {
                let donor = rng.pick(donors);
                if !donor.is_empty() {
                    let i = rng.below(donor.len());
                    let n = 1 + rng.below((donor.len() - i).min(512));
                    let at = rng.below(len + 1);
                    let cut = (at + rng.below(64)).min(len);
                    data.splice(at..cut, donor[i..i + n].iter().copied());
                }
            }
            8 if len > 0 => data.truncate(rng.below(len)),
            9 => {
                // Line-level: swap, duplicate or drop a line.
                let mut lines: Vec<Vec<u8>> = data.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
                let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                match rng.below(3) {
                    0 => lines.swap(i, j),
                    1 => {
                        let l = lines[i].clone();
                        lines.insert(j, l);
                    }
                    _ if lines.len() > 1 => {
                        lines.remove(i);
                    }
                    _ => {}
                }
                *data = lines.join(&b'\n');
            }
            _ if len > 0 => {
                // An interesting number written over a run of bytes (lengths, offsets, sizes).
                let i = rng.below(len);
                let v: u32 = *rng.pick(&[0, 1, 0x7F, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 12_001, 65_535, 1 << 16]);
                for (k, b) in v.to_be_bytes().iter().enumerate() {
                    if i + k < data.len() {
                        data[i + k] = *b;
                    }
                }
            }
            _ => data.push(rng.next() as u8),
        }
    }
}

// ---------------------------------------------------------------- structure-aware reports

fn blns() -> &'static [String] {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| {
        let text = std::fs::read_to_string(util::fixture("naughty/blns.txt")).unwrap();
        text.split('\n').filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
    })
}

/// Pieces of text that mean something to the text format or to the exports.
const TEXT_TOKENS: &[&str] = &[
    "1. BLUF",
    "1. BLUF (Bottom Line Up Front)",
    "2. Detailed Analysis",
    "3) implications",
    "4 recommendations",
    "5. Key Individuals and Entities",
    "6. Thematic Tags",
    "7. Notes",
    "2\\. Analysis",
    "Scenario Generation",
    "Red Team Analysis",
    "Best Case:",
    "– Worst Case: ",
    "Most Likely:",
    "Published on: 2026-03-14",
    "TLP: RED",
    "Author:",
    "Intelligence Report:",
    "Confidence: high",
    "Source URL: http://x",
    " – ",
    " - Image 2",
    "- Image 1",
    "•",
    "  • ",
    "- ",
    "* ",
    "1. ",
    "12) ",
    ", ",
    ",",
    ":",
    ".",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u{a0}",
    "\u{feff}",
    "\u{2028}",
    "\u{200b}",
    "\u{301}",
    "Олена",
    "東京",
    "😀",
    "**b**",
    "_i_",
    "[x](javascript:1)",
    "<script>",
    "# h",
    "```",
    "\\",
    "\"",
];

struct Gen<'a> {
    u: Unstructured<'a>,
}

impl Gen<'_> {
    fn n(&mut self, max: usize) -> usize {
        self.u.int_in_range(0..=max).unwrap_or(0)
    }

    fn text(&mut self) -> String {
        let mut s = String::new();
        for _ in 0..self.n(5) {
            match self.n(9) {
                0..=2 => s.push_str(&String::arbitrary(&mut self.u).unwrap_or_default()),
                3..=5 => s.push_str(TEXT_TOKENS[self.n(TEXT_TOKENS.len() - 1)]),
                6 | 7 => s.push_str(&blns()[self.n(blns().len() - 1)]),
                8 => s.push_str(["Capital Words Here", "plain words", "Ends.", "x"][self.n(3)]),
                _ => s.push(char::arbitrary(&mut self.u).unwrap_or('x')),
            }
        }
        s
    }

    fn list<T>(&mut self, max: usize, mut f: impl FnMut(&mut Self) -> T) -> Vec<T> {
        (0..self.n(max)).map(|_| f(self)).collect()
    }

    fn technique(&mut self) -> Technique {
        let name = if self.n(2) == 0 { SCENARIO_GENERATION.to_string() } else { self.text() };
        let scenarios =
            (self.n(2) > 0).then(|| Scenarios { best: self.text(), worst: self.text(), most_likely: self.text() });
        Technique { name, body: self.text(), scenarios }
    }

    fn date(&mut self) -> Option<time::Date> {
        let (min, max) = (time::Date::MIN.to_julian_day(), time::Date::MAX.to_julian_day());
        let day = self.u.int_in_range(min..=max).ok()?;
        (self.n(3) > 0).then(|| time::Date::from_julian_day(day).unwrap())
    }

    fn image(&mut self) -> Option<ImageRef> {
        (self.n(2) == 0).then(|| ImageRef {
            sha256: if self.n(3) > 0 { "ab".repeat(32) } else { self.text() },
            format: ["jpeg", "png", "gif", ""][self.n(3)].to_string(),
            width: u32::arbitrary(&mut self.u).unwrap_or(1),
            height: u32::arbitrary(&mut self.u).unwrap_or(1),
            bytes: u64::arbitrary(&mut self.u).unwrap_or(1),
        })
    }

    fn report(&mut self) -> Report {
        let kinds = [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Other];
        let confidences = [None, Some(Confidence::Low), Some(Confidence::Moderate), Some(Confidence::High)];
        Report {
            title: self.text(),
            source: Source { headline: self.text(), outlet: self.text(), url: self.text(), published: self.date() },
            author: self.text(),
            handling: Handling { tlp: Tlp::ALL[self.n(4)], banner: self.text() },
            confidence: confidences[self.n(3)],
            bluf: self.text(),
            analysis: Analysis { intro: self.text(), techniques: self.list(3, Gen::technique) },
            implications: self.text(),
            recommendations: self.list(4, Gen::text),
            outlook: self.text(),
            entities: self.list(4, |g| Entity { name: g.text(), kind: kinds[g.n(3)], role: g.text() }),
            tags: self.list(4, Gen::text),
            images: self.list(3, |g| Figure { caption: g.text(), image: g.image() }),
            notes: self.text(),
        }
    }
}

fn arbitrary_report(rng: &mut Rng) -> Report {
    let len = 64 + rng.below(2048);
    let data = rng.bytes(len);
    Gen { u: Unstructured::new(&data) }.report()
}

// ---------------------------------------------------------------- text format

fn text_corpus() -> Vec<Vec<u8>> {
    let mut out = vec![interchange::SAMPLE_REPORT.as_bytes().to_vec()];
    for dir in ["reports", "import-warnings"] {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(util::fixture(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        out.extend(files.iter().map(|f| std::fs::read(f).unwrap()));
    }
    out
}

/// A refusal is one sentence with a stable code (an [`ErrorCode`](briefwright::error::ErrorCode), so never empty).
fn typed_import_error(e: &interchange::ImportError) -> Result<String, String> {
    let message = e.to_string();
    if message.is_empty() || message.contains('\n') {
        return Err(format!("the refusal is not one sentence with a code: {message:?} ({})", e.code()));
    }
    Ok(e.code().to_string())
}

/// The text format's promise: what a file parses to is written and read back unchanged.
fn stable_after_writing(report: &Report) -> Result<(), String> {
    let written = text::write(report);
    let second = text::parse(&written).map_err(|e| format!("the written text does not parse ({e}):\n{written}"))?;
    if !second.warnings.is_empty() {
        return Err(format!("the written text gives warnings {:?}:\n{written}", second.warnings));
    }
    if second.report != *report {
        return Err(format!(
            "written and re-read, the report changes:\nfirst:  {report:?}\nsecond: {:?}\nwritten:\n{written}",
            second.report
        ));
    }
    if text::write(&second.report) != written {
        return Err(format!("the writer is not a fixed point on its own output:\n{written}"));
    }
    Ok(())
}

fn check_text(bytes: &[u8]) -> Result<Option<String>, String> {
    if let Err(e) = interchange::import_bytes(bytes) {
        typed_import_error(&e)?;
    }
    let Ok(s) = std::str::from_utf8(bytes) else { return Ok(Some("not_utf8".into())) };
    match text::parse(s) {
        Err(e) => {
            let m = e.to_string();
            if m.contains('\n') {
                return Err(format!("parse error is not one sentence: {m:?}"));
            }
            Ok(Some("refused".into()))
        }
        Ok(first) => {
            stable_after_writing(&first.report)?;
            Ok(Some(if first.warnings.is_empty() { "clean" } else { "with_warnings" }.into()))
        }
    }
}

#[test]
fn fuzz_text_parser() {
    let replayed = regressions("text", check_text);
    let corpus = text_corpus();
    let donors: Vec<&[u8]> = corpus.iter().map(Vec::as_slice).collect();
    let tokens: Vec<&[u8]> = TEXT_TOKENS.iter().map(|t| t.as_bytes()).collect();
    let outcome = campaign(
        "text",
        |rng| {
            let mut data = if rng.percent(40) {
                text::write(&arbitrary_report(rng)).into_bytes()
            } else {
                rng.pick(&corpus).clone()
            };
            if rng.percent(80) {
                mutate(rng, &mut data, &tokens, &donors);
            }
            data
        },
        |data: &Vec<u8>| check_text(data),
    );
    outcome.finish(replayed);
}

// ---------------------------------------------------------------- JSON importer

fn check_json(bytes: &[u8]) -> Result<Option<String>, String> {
    let imported = interchange::import_bytes(bytes);
    // Differential: whatever serde reads as a version-1 document, import reads as that report.
    let direct = serde_json::from_slice::<json::Document>(bytes)
        .ok()
        .filter(|d| d.format == json::FORMAT && d.version == json::VERSION);
    let report = match (imported, direct) {
        (Err(e), None) => return typed_import_error(&e).map(Some),
        (Err(e), Some(_)) => return Err(format!("a well-formed version-1 document is refused: {e}")),
        (Ok(i), direct) => {
            if interchange::sniff(std::str::from_utf8(bytes).unwrap_or("")) != interchange::Format::Json {
                return Ok(Some("read_as_text".into()));
            }
            if let Some(d) = direct {
                if d.report != i.report {
                    return Err("import and serde read different reports".into());
                }
            }
            i.report
        }
    };
    let written = json::write_report(&report);
    let again = interchange::import_bytes(written.as_bytes())
        .map_err(|e| format!("our own export does not import ({e}):\n{written}"))?;
    if again.report != report {
        return Err(format!("import → export → import changes the report:\n{written}"));
    }
    if json::write_report(&again.report) != written {
        return Err("export after re-import is not byte-identical".into());
    }
    Ok(Some("imported".into()))
}

const JSON_TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "4294967296",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\\u00e9",
    "\"version\":2",
    "\"version\":1",
    "\"format\":\"briefwright-report\"",
    "\"meta\":{}",
    "\"published\":\"2026-02-30\"",
    "\"published\":\"-0001-01-01\"",
    "\"tlp\":\"WHITE\"",
    "\"kind\":\"robot\"",
    "\"scenarios\":{}",
    "\"image\":{\"sha256\":\"../x\",\"format\":\"png\",\"width\":1,\"height\":1,\"bytes\":1}",
    "\"confidence\":\"medium\"",
    "\"titel\":\"x\"",
    "\u{feff}",
    "\u{2028}",
    "😀",
];

#[test]
fn fuzz_json_importer() {
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    for t in text_corpus() {
        if let Ok(i) = interchange::import_bytes(&t) {
            corpus.push(json::write_report(&i.report).into_bytes());
        }
    }
    let replayed = regressions("json", check_json);
    let donors: Vec<&[u8]> = corpus.iter().map(Vec::as_slice).collect();
    let tokens: Vec<&[u8]> = JSON_TOKENS.iter().map(|t| t.as_bytes()).collect();
    let outcome = campaign(
        "json",
        |rng| {
            let mut data = if rng.percent(50) {
                json::write_report(&arbitrary_report(rng)).into_bytes()
            } else {
                rng.pick(&corpus).clone()
            };
            if rng.percent(70) {
                mutate(rng, &mut data, &tokens, &donors);
            }
            data
        },
        |data: &Vec<u8>| check_json(data),
    );
    outcome.finish(replayed);
}

// ---------------------------------------------------------------- image attachment

fn small_images() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let rgb =
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(17, 9, |x, y| image::Rgb([x as u8 * 13, y as u8 * 29, 7])));
    let rgba =
        DynamicImage::ImageRgba8(image::RgbaImage::from_fn(5, 6, |x, y| image::Rgba([x as u8, 9, y as u8, 128])));
    let grey = DynamicImage::ImageLuma8(image::GrayImage::from_fn(3, 1, |x, _| image::Luma([x as u8 * 80])));
    let deep = DynamicImage::ImageRgb16(image::ImageBuffer::from_fn(4, 4, |x, y| {
        image::Rgb([x as u16 * 999, y as u16, 65535])
    }));
    let one = DynamicImage::ImageRgb8(image::RgbImage::new(1, 1));
    for (img, formats) in [
        (
            &rgb,
            &[
                ImageFormat::Jpeg,
                ImageFormat::Png,
                ImageFormat::Gif,
                ImageFormat::Bmp,
                ImageFormat::Tiff,
                ImageFormat::WebP,
            ][..],
        ),
        (&rgba, &[ImageFormat::Png, ImageFormat::Tiff, ImageFormat::WebP, ImageFormat::Bmp][..]),
        (&grey, &[ImageFormat::Jpeg, ImageFormat::Png][..]),
        (&deep, &[ImageFormat::Png, ImageFormat::Tiff][..]),
        (&one, &[ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Gif][..]),
    ] {
        for f in formats {
            let mut c = std::io::Cursor::new(Vec::new());
            img.write_to(&mut c, *f).unwrap_or_else(|e| panic!("{f:?}: {e}"));
            out.push(c.into_inner());
        }
    }
    out
}

const IMAGE_TOKENS: &[&[u8]] = &[
    b"\xFF\xD8\xFF",
    b"\xFF\xE1\x00\x10Exif\x00\x00MM\x00*",
    b"\xFF\xC0\x00\x11\x08\xFF\xFF\xFF\xFF\x03",
    b"\xFF\xDA",
    b"\xFF\xD9",
    b"\xFF\xFE\x00\x04hi",
    b"IHDR",
    b"IDAT",
    b"IEND",
    b"iCCP",
    b"tEXt",
    b"eXIf",
    b"acTL",
    b"\x00\x00\x00\x00",
    b"\xFF\xFF\xFF\xFF",
    b"\x00\x00\x2E\xE1",
    b"GIF89a",
    b"RIFF",
    b"VP8L",
    b"II*\x00",
    b"BM",
];

fn check_image(bytes: &[u8]) -> Result<Option<String>, String> {
    let p = match media::process(bytes) {
        Err(e) => {
            let message = e.to_string();
            if message.is_empty() || message.contains('\n') {
                return Err(format!("the refusal is not one sentence: {message:?}"));
            }
            return Ok(Some(format!("refused:{}", e.code())));
        }
        Ok(p) => p,
    };
    let img = &p.image;
    let side_ok = (1..=media::MAX_SIDE).contains(&img.width) && (1..=media::MAX_SIDE).contains(&img.height);
    if !side_ok {
        return Err(format!("stored {}×{} is outside the limits", img.width, img.height));
    }
    if img.bytes != p.bytes.len() as u64 || img.sha256 != media::process::sha256_hex(&p.bytes) {
        return Err("the reference does not describe the stored bytes".into());
    }
    let kind = match (img.format.as_str(), media::process::sniff(&p.bytes)) {
        ("jpeg", Some(Kind::Jpeg)) => Kind::Jpeg,
        ("png", Some(Kind::Png)) => Kind::Png,
        (f, k) => return Err(format!("stored format {f:?} but the bytes look like {k:?}")),
    };
    let back = media::process::decode(kind, &p.bytes).map_err(|e| format!("the stored image does not decode: {e}"))?;
    if (back.width(), back.height()) != (img.width, img.height) {
        return Err(format!("the stored image decodes as {}×{}", back.width(), back.height()));
    }
    if kind == Kind::Jpeg {
        let again = media::jpeg::strip(&p.bytes).map_err(|e| format!("the stored JPEG does not strip: {}", e.0))?;
        if again != p.bytes {
            return Err("the stored JPEG still had something to strip".into());
        }
    }
    let thumbs = thumbs::make_all(&p.pixels).map_err(|e| format!("no thumbnails: {e}"))?;
    for (px, t) in thumbs {
        let t = image::load_from_memory_with_format(&t, ImageFormat::Jpeg).map_err(|e| format!("thumbnail: {e}"))?;
        if t.width().max(t.height()) > px || t.width() == 0 || t.height() == 0 {
            return Err(format!("a {px} px thumbnail is {}×{}", t.width(), t.height()));
        }
    }
    // Cleaning a cleaned file changes nothing.
    let again =
        media::process(&p.bytes).map_err(|e| format!("the stored image is refused when attached again: {e}"))?;
    if again.bytes != p.bytes {
        return Err("attaching the stored image again stores different bytes".into());
    }
    Ok(Some(format!("stored:{}", img.format)))
}

#[test]
fn fuzz_image_attachment() {
    let replayed = regressions("image", check_image);
    let small = small_images();
    let mut fixtures = Vec::new();
    for name in ["camera.png", "chelsea-meta.png", "rocket-gps-rotated.jpg", "rocket.jpg"] {
        fixtures.push(std::fs::read(util::fixture("images").join(name)).unwrap());
    }
    let donors: Vec<&[u8]> = small.iter().map(Vec::as_slice).collect();
    let outcome = campaign(
        "image",
        |rng| {
            let mut data = if rng.percent(90) { rng.pick(&small).clone() } else { rng.pick(&fixtures).clone() };
            if rng.percent(90) {
                mutate(rng, &mut data, IMAGE_TOKENS, &donors);
            }
            data
        },
        |data: &Vec<u8>| check_image(data),
    );
    outcome.finish(replayed);
}

// ---------------------------------------------------------------- signature verifier

/// A signed PDF and the byte ranges a change may touch without touching signed bytes.
struct Signed {
    bytes: Vec<u8>,
    /// The /Contents gaps `[a, b)` of every signature.
    gaps: Vec<(usize, usize)>,
}

/// Every `/ByteRange [0 a b c]` of a file, as its gap `[a, b)`.
fn gaps(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = sign::pdf::find(&bytes[from..], b"/ByteRange") {
        let start = from + at;
        let open = start + sign::pdf::find(&bytes[start..], b"[").unwrap() + 1;
        let close = open + sign::pdf::find(&bytes[open..], b"]").unwrap();
        let n: Vec<usize> =
            String::from_utf8_lossy(&bytes[open..close]).split_whitespace().map(|s| s.parse().unwrap()).collect();
        out.push((n[1], n[2]));
        from = close;
    }
    out
}

struct Verifier {
    seeds: Vec<Signed>,
    trust: TrustStore,
    _ids: Vec<signkit::Id>,
}

fn verifier_seeds() -> Verifier {
    let p256 = signkit::Id::new(KeyKind::P256);
    let rsa = signkit::Id::new(KeyKind::Rsa2048);
    let (ps, rs) = (p256.signer(), rsa.signer());
    let mut trust = TrustStore::new();
    trust.add_der(&ps.cert_der).unwrap();
    trust.add_der(&rs.cert_der).unwrap();
    let classic = signkit::sign(&signkit::pdf_bytes(3, 0), &ps);
    let streams = signkit::sign(&signkit::pdf_bytes_xref_stream(2), &ps);
    let rsa_signed = signkit::sign(&signkit::pdf_bytes(1, 1), &rs);
    let twice = signkit::sign(&classic, &rs);
    let seeds: Vec<Signed> = [classic, streams, rsa_signed, twice]
        .into_iter()
        .map(|bytes| {
            assert!(sign::verify(&bytes, &trust).is_valid(), "a seed must verify");
            Signed { gaps: gaps(&bytes), bytes }
        })
        .collect();
    Verifier { seeds, trust, _ids: vec![p256, rsa] }
}

const PDF_TOKENS: &[&[u8]] = &[
    b"obj",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"xref\n",
    b"trailer",
    b"startxref\n",
    b"%%EOF",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b")",
    b"<",
    b">",
    b"/",
    b" 0 R",
    b"9999999999",
    b"-1",
    b"/ByteRange",
    b"/Contents",
    b"/Type/Sig",
    b"/FT/Sig",
    b"/V",
    b"/Prev 0",
    b"/Length 99999",
    b"/Filter/FlateDecode",
    b"/ObjStm",
    b"/XRef",
    b"\\",
    b"\r\n",
];

/// A mutated signed file and the seed it came from.
struct Mutant {
    bytes: Vec<u8>,
    seed: usize,
}

impl AsRef<[u8]> for Mutant {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

/// Rewrites one number of one /ByteRange (same width when it fits, else longer).
fn edit_byte_range(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let starts: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i..].starts_with(b"/ByteRange")).collect();
    let Some(&start) = starts.get(rng.below(starts.len())) else { return };
    let Some(open) = sign::pdf::find(&bytes[start..], b"[").map(|o| start + o + 1) else { return };
    let Some(close) = sign::pdf::find(&bytes[open..], b"]").map(|c| open + c) else { return };
    let text = String::from_utf8_lossy(&bytes[open..close]).into_owned();
    let mut nums: Vec<String> = text.split_whitespace().map(String::from).collect();
    if nums.is_empty() {
        return;
    }
    let i = rng.below(nums.len());
    let old: i64 = nums[i].parse().unwrap_or(0);
    let new = match rng.below(6) {
        0 => old + 1,
        1 => old - 1,
        2 => 0,
        3 => -old,
        4 => bytes.len() as i64,
        _ => rng.below(bytes.len() + 10) as i64,
    };
    nums[i] = new.to_string();
    match rng.below(4) {
        0 => {
            nums.push("0".into());
        }
        1 if nums.len() > 1 => {
            nums.pop();
        }
        _ => {}
    }
    let mut t = nums.join(" ");
    while t.len() < close - open {
        t.push(' ');
    }
    bytes.splice(open..close, t.into_bytes());
}

/// Changes hex digits inside a /Contents value (case, digits, or a cut).
fn edit_contents(rng: &mut Rng, bytes: &mut [u8], gaps: &[(usize, usize)]) {
    let Some(&(a, b)) = gaps.get(rng.below(gaps.len())) else { return };
    if b <= a + 2 || b > bytes.len() {
        return;
    }
    for _ in 0..1 + rng.below(3) {
        let i = a + 1 + rng.below(b - a - 2);
        bytes[i] = match rng.below(4) {
            0 => bytes[i].to_ascii_uppercase(),
            1 => *rng.pick(b"0123456789abcdef"),
            2 => *rng.pick(b"> (g"),
            _ => bytes[i] ^ 1,
        };
    }
}

/// Appends an incremental update that replaces an object with a changed copy (or junk).
fn append_update(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let Ok(doc) = sign::pdf::Pdf::parse(bytes) else {
        bytes.extend_from_slice(b"\n1 0 obj\n<<>>\nendobj\n");
        return;
    };
    let size = doc.size().max(1);
    let n = 1 + rng.below(size as usize) as u32;
    let body: Vec<u8> = match doc.get(n) {
        Ok(Some(obj)) if rng.percent(70) => {
            let mut v = Vec::new();
            sign::pdf::write_obj(&obj, &mut v);
            if !v.is_empty() && rng.percent(70) {
                let i = rng.below(v.len());
                v[i] = *rng.pick(b"0123456789/<>[] ");
            }
            v
        }
        _ => rng
            .pick(&[&b"<</Type/Page>>"[..], b"null", b"<</Type/Sig/Contents<00>/ByteRange[0 1 2 3]>>", b"(x)"])
            .to_vec(),
    };
    let (root, _) = doc.root_id();
    let prev = doc.startxref;
    let at = bytes.len() + 1;
    bytes.extend_from_slice(format!("\n{n} 0 obj\n").as_bytes());
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(b"\nendobj\n");
    let xref = bytes.len();
    let trailer = format!(
        "xref\n{n} 1\n{at:010} 00000 n\r\ntrailer\n<</Size {}/Root {root} 0 R/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
        size.max(n + 1)
    );
    bytes.extend_from_slice(trailer.as_bytes());
}

/// Whether `m` differs from `seed` only inside the unsigned gaps (same length).
fn only_gaps_changed(seed: &Signed, m: &[u8]) -> bool {
    m.len() == seed.bytes.len()
        && seed
            .bytes
            .iter()
            .zip(m)
            .enumerate()
            .all(|(i, (x, y))| x == y || seed.gaps.iter().any(|&(a, b)| a <= i && i < b))
}

fn check_verify(v: &Verifier, m: &Mutant) -> Result<Option<String>, String> {
    let t = Instant::now();
    let result = sign::verify(&m.bytes, &v.trust);
    if t.elapsed() > Duration::from_secs(5) {
        return Err(format!("verification took {:?}", t.elapsed()));
    }
    serde_json::to_string(&result).map_err(|e| format!("the verification does not serialise: {e}"))?;
    let label = format!("{:?}", result.verdict).to_lowercase();
    if result.verdict == Verdict::Valid {
        let seed = &v.seeds[m.seed];
        if !only_gaps_changed(seed, &m.bytes) {
            return Err(format!("FORGED VALID: signed bytes were changed and the verifier says valid: {result:?}"));
        }
        return Ok(Some(if m.bytes == seed.bytes { "valid_unchanged" } else { "valid_gap_only_change" }.into()));
    }
    if !matches!(result.verdict, Verdict::Unsigned) {
        let said = result.problems.iter().chain(result.signatures.iter().flat_map(|s| &s.problems)).count();
        if said == 0 {
            return Err(format!("verdict {:?} without any reason given", result.verdict));
        }
    }
    Ok(Some(label))
}

#[test]
fn fuzz_signature_verifier() {
    let v = verifier_seeds();
    // Stored regression files were signed by keys of their own run: untrusted now, never valid.
    let replayed = regressions("verify", |bytes| {
        let r = sign::verify(bytes, &v.trust);
        if r.is_valid() {
            return Err("a stored hostile file verifies as valid".into());
        }
        Ok(None)
    });
    let donors: Vec<&[u8]> = v.seeds.iter().map(|s| s.bytes.as_slice()).collect();
    let outcome = campaign(
        "verify",
        |rng| {
            let seed = rng.below(v.seeds.len());
            let s = &v.seeds[seed];
            let mut bytes = s.bytes.clone();
            for _ in 0..1 + rng.below(2) {
                match rng.below(8) {
                    0 => edit_byte_range(rng, &mut bytes),
                    1 => edit_contents(rng, &mut bytes, &s.gaps),
                    2 => append_update(rng, &mut bytes),
                    3 => {
                        let len = rng.below(64);
                        let junk = rng.bytes(len);
                        bytes.extend_from_slice(&junk);
                    }
                    4 if !bytes.is_empty() => {
                        // A flip near a signature's own text, where the verifier's checks are densest.
                        let &(a, b) = rng.pick(&s.gaps);
                        let around = [a.saturating_sub(200) + rng.below(400), b.saturating_sub(200) + rng.below(400)];
                        let i = (*rng.pick(&around)).min(bytes.len() - 1);
                        bytes[i] ^= 1 << rng.below(8);
                    }
                    _ => mutate(rng, &mut bytes, PDF_TOKENS, &donors),
                }
            }
            Mutant { bytes, seed }
        },
        |m: &Mutant| check_verify(&v, m),
    );
    outcome.finish(replayed);
}

/// The harness's own pieces: a failure is saved and reported, the encoder is right.
#[test]
fn the_harness_reports_failures_with_the_input() {
    assert_eq!(base64(b"Man"), "TWFu");
    assert_eq!(base64(b"Ma"), "TWE=");
    assert_eq!(base64(b"M"), "TQ==");
    let mut calls = 0;
    let mut check = |b: &[u8]| -> Result<Option<String>, String> {
        calls += 1;
        if b.first() == Some(&1) {
            panic!("boom");
        }
        Ok(None)
    };
    assert_eq!(guarded(&mut check, &[1u8][..]), Err("panicked: boom".into()));
    assert_eq!(guarded(&mut check, &[0u8][..]), Ok(None));
    assert_eq!(calls, 2);
    let said = save_failure("selftest", 7, 1, b"abc");
    assert!(said.contains("base64 YWJj"), "{said}");
    let path = said.strip_prefix("saved to ").unwrap().split(',').next().unwrap();
    assert_eq!(std::fs::read(Path::new(path)).unwrap(), b"abc");
}
