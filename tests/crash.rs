//! Crash safety and concurrent writers.
//!
//! 1. SIGKILL in the middle of a long CLI import: all of the batch or none of it.
//! 2. SIGKILL at random moments of random writers: the CLI (import, attach, caption, move,
//!    remove, restore, delete) and the core API (this test executable re-run as a writer
//!    process, see [`api_writer_process`]). After every kill the library is proved sound
//!    ([`check_library`]): SQLite's integrity and foreign-key checks, derived tables in step
//!    with the reports, every acknowledged save present with exactly the acknowledged
//!    content, and the image folder in order (see [`ImageCensus`]).
//! 3. Several writer processes at once lose and duplicate nothing, and "database is locked"
//!    never reaches the user.
//!
//! Sizes come from environment variables with small defaults (the CI run); the reliability
//! run sets them higher: `BRIEFWRIGHT_KILL_ITERATIONS` (test 1), `BRIEFWRIGHT_CRASH_KILLS`
//! (test 2), `BRIEFWRIGHT_CONCURRENT_ROUNDS` (test 3). Every random choice comes from a seeded
//! generator; the seed is printed, and `BRIEFWRIGHT_CRASH_SEED` replays it.
//!
//! Unix only: it needs SIGKILL (on Windows `kill` is TerminateProcess, a different failure).
#![cfg(unix)]

mod util;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use briefwright::interchange;
use briefwright::media::{self, files, AttachOptions, Input};
use briefwright::model::{Figure, Report, StoredReport};
use briefwright::paths::DataDir;
use briefwright::store::{self, Query, Store, StoreError};
use briefwright::Env;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use util::rng::XorShift;
use util::{fixture, record_figures, Lab};
use uuid::Uuid;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn seed() -> u64 {
    let s = env_num("BRIEFWRIGHT_CRASH_SEED", 0);
    if s != 0 {
        return s;
    }
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
}

fn sha_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a report as the store keeps it (its JSON).
fn content_sha(report: &Report) -> String {
    sha_hex(serde_json::to_string(report).unwrap().as_bytes())
}

fn count_and_check(db: &Path) -> u64 {
    let conn = Connection::open(db).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let fk: Option<String> = {
        let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
        let mut rows = stmt.query([]).unwrap();
        rows.next().unwrap().map(|r| r.get(0).unwrap())
    };
    assert_eq!(fk, None, "foreign key violation");
    let revisions: u64 = conn.query_row("SELECT count(*) FROM revisions", [], |r| r.get(0)).unwrap();
    let fts: u64 = conn.query_row("SELECT count(*) FROM report_fts", [], |r| r.get(0)).unwrap();
    let reports: u64 = conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).unwrap();
    assert_eq!((revisions, fts), (reports, reports), "derived tables out of step with reports");
    reports
}

#[test]
fn sigkill_during_import_loses_no_committed_report() {
    let iterations: u32 = env_num("BRIEFWRIGHT_KILL_ITERATIONS", 12) as u32;
    let started = Instant::now();
    let lab = Lab::new();
    let sample = fixture("reports/grid-cyberattack.txt");
    let first = lab.import(&[&sample]).remove(0);
    let db = lab.data().join("library.sqlite3");

    const BATCH: usize = 300;
    let sample_arg = sample.to_str().unwrap().to_string();
    let mut args = vec!["import".to_string()];
    args.extend(std::iter::repeat_n(sample_arg, BATCH));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    // How long one whole import takes here, to aim the kills inside it.
    let t = Instant::now();
    lab.ok(&args);
    let full = t.elapsed();
    let mut committed = count_and_check(&db);
    assert_eq!(committed, 1 + BATCH as u64);

    let seed = seed();
    eprintln!("seed {seed}, one import of {BATCH} reports takes {full:?}");
    let mut rng = XorShift(seed);
    let (mut killed, mut finished) = (0, 0);
    for _ in 0..iterations {
        let mut child = lab.cmd(&args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let wait = Duration::from_micros(rng.next() % (full.as_micros() as u64 * 12 / 10 + 1));
        std::thread::sleep(wait);
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                child.kill().unwrap(); // SIGKILL on Unix
                killed += 1;
            }
        }
        child.wait().unwrap();
        let now = count_and_check(&db);
        assert!(
            now == committed || now == committed + BATCH as u64,
            "after a kill the library holds {now} reports; expected {committed} or {} (seed {seed})",
            committed + BATCH as u64
        );
        committed = now;
    }
    eprintln!("{killed} imports killed, {finished} finished, {committed} reports committed");
    assert!(killed > iterations / 4, "too few kills landed inside an import ({killed} of {iterations})");
    // The very first report is still whole.
    let r = lab.ok(&["show", &first, "--json"]);
    assert!(r.stdout.contains("Intrusion Attempt on Regional Grid Substation Controls"));
    record_figures(
        "crash_import_sigkill",
        serde_json::json!({
            "iterations": iterations, "kills": killed, "finished_before_kill": finished, "batch": BATCH,
            "reports_committed": committed, "seconds": started.elapsed().as_secs_f64(), "seed": seed,
        }),
    );
}

// ---------------------------------------------------------------------------------------
// The core-API writer: this executable, re-run as a child process.

/// Set in a child's environment to make [`api_writer_process`] act as a writer:
/// "kill" (write until killed) or "concurrent" (a fixed number of steps, then exit).
const WRITER_ENV: &str = "BRIEFWRIGHT_TEST_WRITER";

#[test]
#[ignore = "a writer process that the crash tests start (this executable re-run); not a test by itself"]
fn api_writer_process() {
    let Ok(mode) = std::env::var(WRITER_ENV) else {
        eprintln!("{WRITER_ENV} is not set: nothing to do (the crash tests start this as a child process)");
        return;
    };
    // The test harness has printed "test api_writer_process ... " without a line end: end it,
    // so that every line of ours starts at the beginning of a line.
    say("");
    let data = PathBuf::from(std::env::var("BRIEFWRIGHT_DATA_DIR").unwrap());
    let seed = env_num("BRIEFWRIGHT_TEST_WRITER_SEED", 1);
    let steps = env_num("BRIEFWRIGHT_TEST_WRITER_STEPS", u64::MAX);
    let shared = std::env::var("BRIEFWRIGHT_TEST_WRITER_SHARED").ok().map(|s| Uuid::parse_str(&s).unwrap());
    api_writer(&data, seed, steps, shared, mode == "concurrent");
}

/// Prints one line to stdout and flushes it, so the parent has it even if we are killed next.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").unwrap();
    out.flush().unwrap();
}

/// An acknowledgement, printed only after the call returned Ok:
/// `ack <id> <revision> <sha256 of the content> new|same`.
fn ack(s: &StoredReport, base: Option<u32>) {
    let how = if base == Some(s.revision) { "same" } else { "new" };
    say(&format!("ack {} {} {} {how}", s.id, s.revision, content_sha(&s.report)));
}

/// A small PNG whose pixels depend on `tag` (so each attach stores a new file).
fn png(tag: u64) -> Vec<u8> {
    let img = image::RgbImage::from_fn(24, 16, |x, y| {
        let t = tag.rotate_left(x * 3 + y * 5);
        image::Rgb([t as u8, (t >> 8) as u8 ^ x as u8, (t >> 16) as u8 ^ y as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A core-API failure as (whether it was a stale refusal, its message).
fn store_err(e: StoreError) -> (bool, String) {
    (matches!(e, StoreError::Stale { .. }), e.to_string())
}
fn media_err(e: media::MediaError) -> (bool, String) {
    (matches!(e, media::MediaError::Store(StoreError::Stale { .. })), e.to_string())
}

fn api_writer(data: &Path, seed: u64, steps: u64, shared: Option<Uuid>, concurrent: bool) {
    let mut store = Store::open(&DataDir::new(data), Env::system()).unwrap();
    let mut rng = XorShift(seed);
    let mut ids: Vec<Uuid> = match shared {
        Some(id) => vec![id],
        None => store.search(&Query::default()).unwrap().into_iter().map(|s| s.id).collect(),
    };
    let mut own: Option<Uuid> = None;
    for step in 0..steps {
        let op = rng.below(10);
        if ids.is_empty() || (concurrent && own.is_none()) || (!concurrent && op < 2) {
            say("begin create");
            let mut report = Report {
                title: format!("API report {seed:x}-{step}"),
                bluf: format!("Written through the core API, step {step}."),
                tags: vec![format!("api-{}", step % 5), "crash".into()],
                ..Report::default()
            };
            report.notes = format!("seed {seed}");
            let s = store.create(report, "created").unwrap();
            ack(&s, None);
            ids.push(s.id);
            own = own.or(Some(s.id));
            continue;
        }
        let id = match (concurrent, own) {
            (true, Some(mine)) if rng.below(2) == 0 => mine,
            _ => ids[rng.below(ids.len() as u64) as usize],
        };
        let mut attempts = 0;
        loop {
            attempts += 1;
            assert!(attempts < 200, "200 stale refusals in a row on {id}");
            let cur = store.get(id).unwrap();
            let base = cur.revision;
            let n = cur.report.images.len();
            let result = match op {
                5 | 6 => {
                    let bytes = png(seed.rotate_left(17) ^ step.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ attempts);
                    let sha = media::process(&bytes).unwrap().image.sha256;
                    say(&format!("attaching {sha}"));
                    let input = Input { name: "generated.png".into(), bytes };
                    media::attach(&mut store, id, base, &[input], &AttachOptions::default())
                        .map(|a| a.report)
                        .map_err(media_err)
                }
                7 if n >= 1 => {
                    say("begin caption");
                    let figure = 1 + rng.below(n as u64) as usize;
                    media::set_caption(&mut store, id, base, figure, &format!("API caption {step}.{attempts}"))
                        .map_err(media_err)
                }
                8 if n >= 2 => {
                    say("begin move");
                    let from = 1 + rng.below(n as u64) as usize;
                    let to = 1 + (from + rng.below(n as u64 - 1) as usize) % n;
                    media::move_figure(&mut store, id, base, from, to).map_err(media_err)
                }
                9 if base >= 2 && !concurrent => {
                    say("begin restore");
                    store.restore(id, 1 + rng.below(base as u64 - 1) as u32, base).map_err(store_err)
                }
                _ => {
                    say("begin edit");
                    let mut report = cur.report.clone();
                    report.bluf = format!("Edited through the core API (seed {seed:x}, step {step}, try {attempts}).");
                    report.tags.retain(|t| !t.starts_with("edit-"));
                    report.tags.push(format!("edit-{}", step % 7));
                    store.save(id, base, report).map_err(store_err)
                }
            };
            match result {
                Ok(s) => {
                    ack(&s, Some(base));
                    break;
                }
                Err((true, _)) if concurrent => say("stale"),
                Err((_, message)) => panic!("the core API writer failed: {message}"),
            }
        }
    }
}

/// Starts this executable as a core-API writer.
fn spawn_api_writer(data: &Path, mode: &str, seed: u64, steps: Option<u64>, shared: Option<&str>) -> Child {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "api_writer_process", "--include-ignored", "--nocapture", "--test-threads", "1"])
        .env(WRITER_ENV, mode)
        .env("BRIEFWRIGHT_DATA_DIR", data)
        .env("BRIEFWRIGHT_TEST_WRITER_SEED", seed.to_string())
        .env_remove("BRIEFWRIGHT_TEST_WRITER_STEPS")
        .env_remove("BRIEFWRIGHT_TEST_WRITER_SHARED")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(n) = steps {
        c.env("BRIEFWRIGHT_TEST_WRITER_STEPS", n.to_string());
    }
    if let Some(id) = shared {
        c.env("BRIEFWRIGHT_TEST_WRITER_SHARED", id);
    }
    c.spawn().unwrap()
}

/// Reads a child's whole stdout and stderr once it has ended (kept small, so pipes never fill
/// enough to block: the kill-mode writer prints a few lines per save and lives well under a second).
fn drain(child: &mut Child) -> (String, String) {
    let (mut out, mut err) = (String::new(), String::new());
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t = std::thread::spawn(move || {
        let mut e = String::new();
        se.read_to_string(&mut e).unwrap();
        e
    });
    so.read_to_string(&mut out).unwrap();
    err.push_str(&t.join().unwrap());
    (out, err)
}

// ---------------------------------------------------------------------------------------
// What the parent knows, and the checks.

/// A save a writer acknowledged: `revision` of report `id` has content with SHA-256 `sha`.
#[derive(Debug, Clone)]
struct Ack {
    id: String,
    revision: u32,
    sha: String,
}

fn parse_acks(stdout: &str) -> Vec<(Ack, bool)> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("ack "))
        .map(|rest| {
            let f: Vec<&str> = rest.split(' ').collect();
            (Ack { id: f[0].into(), revision: f[1].parse().unwrap(), sha: f[2].into() }, f[3] == "new")
        })
        .collect()
}

/// The image folder after a check.
#[derive(Debug, Default)]
struct ImageCensus {
    images: usize,
    referenced: usize,
    /// Image files no report or revision refers to (each one allowed: see [`check_library`]).
    orphans: usize,
    thumbnails: usize,
    /// Temporary files of interrupted atomic writes (`.<name>.<pid>.<n>.tmp`).
    temporary: usize,
}

/// Proves the library sound; panics naming what is wrong.
///
/// - `PRAGMA integrity_check` is "ok", `PRAGMA foreign_key_check` is empty, and FTS5's own
///   integrity check passes.
/// - Derived tables are in step: every report has revisions 1..=revision, its row holds the
///   content of its newest revision, its tag and entity rows match that content, and it has
///   exactly one full-text row.
/// - Every acknowledged save in `acks` is there: report `id` exists (unless its deletion was
///   acknowledged or happened), is at a revision ≥ the acknowledged one, and that revision's
///   content has exactly the acknowledged SHA-256. Reports in `deleted` are absent.
/// - Images: every file named `<sha256>.jpg|png` hashes to its own name (no torn file), every
///   image a report or revision refers to is present, every thumbnail is a whole JPEG, any
///   other name is an interrupted write's temporary file, and every unreferenced image is in
///   `allowed_orphans` — the images of attaches that did not return (killed) and of reports
///   that were deleted (the collector keeps those for its grace period).
#[allow(
    clippy::too_many_lines,
    reason = "one scenario read top to bottom; the 80-line limit is for the product's code"
)]
fn check_library(
    data: &Path,
    acks: &[Ack],
    deleted: &BTreeSet<String>,
    allowed_orphans: &BTreeSet<String>,
    context: &str,
) -> ImageCensus {
    let conn = Connection::open(data.join("library.sqlite3")).unwrap();
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(integrity, ["ok"], "integrity_check ({context})");
    let fk: Option<String> = conn.query_row("PRAGMA foreign_key_check", [], |r| r.get(0)).optional().unwrap();
    assert_eq!(fk, None, "foreign key violation ({context})");
    conn.execute("INSERT INTO report_fts (report_fts) VALUES ('integrity-check')", []).unwrap();
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let out_of_step = one(
        "SELECT count(*) FROM reports r WHERE \
           r.revision != (SELECT count(*) FROM revisions v WHERE v.report_seq = r.seq) \
           OR r.revision != (SELECT max(revision) FROM revisions v WHERE v.report_seq = r.seq) \
           OR 1 != (SELECT min(revision) FROM revisions v WHERE v.report_seq = r.seq) \
           OR r.content IS NOT (SELECT content FROM revisions v WHERE v.report_seq = r.seq AND v.revision = r.revision) \
           OR (SELECT count(*) FROM report_tags t WHERE t.report_seq = r.seq) != json_array_length(r.content, '$.tags') \
           OR (SELECT count(*) FROM report_entities e WHERE e.report_seq = r.seq) != json_array_length(r.content, '$.entities') \
           OR (SELECT count(*) FROM report_fts f WHERE f.rowid = r.seq) != 1",
    );
    assert_eq!(out_of_step, 0, "reports whose revisions, tags, entities or index are out of step ({context})");
    assert_eq!(one("SELECT count(*) FROM report_fts"), one("SELECT count(*) FROM reports"), "index rows ({context})");
    assert_eq!(one("SELECT count(*) FROM revisions WHERE report_seq NOT IN (SELECT seq FROM reports)"), 0);

    let mut stmt = conn
        .prepare(
            "SELECT r.revision, v.content FROM reports r LEFT JOIN revisions v ON v.report_seq = r.seq AND v.revision = ?2 \
             WHERE r.id = ?1",
        )
        .unwrap();
    for a in acks {
        let row: Option<(u32, Option<String>)> =
            stmt.query_row(rusqlite::params![a.id, a.revision], |r| Ok((r.get(0)?, r.get(1)?))).optional().unwrap();
        if deleted.contains(&a.id) {
            assert!(row.is_none(), "deleted report {} is back ({context})", a.id);
            continue;
        }
        let (current, content) = row.unwrap_or_else(|| panic!("acknowledged report {} is missing ({context})", a.id));
        assert!(
            current >= a.revision,
            "report {} went back from revision {} to {current} ({context})",
            a.id,
            a.revision
        );
        let content = content.unwrap_or_else(|| panic!("revision {} of {} is missing ({context})", a.revision, a.id));
        assert_eq!(
            sha_hex(content.as_bytes()),
            a.sha,
            "revision {} of {} differs from its ack ({context})",
            a.revision,
            a.id
        );
    }
    for id in deleted {
        assert_eq!(
            conn.query_row("SELECT count(*) FROM reports WHERE id = ?1", [id], |r| r.get::<_, i64>(0)).unwrap(),
            0,
            "deleted report {id} is back ({context})"
        );
    }

    let refs = store::image_references_in(&conn).unwrap();
    drop(stmt);
    drop(conn);
    let mut census = ImageCensus { referenced: refs.len(), ..ImageCensus::default() };
    let images = data.join("images");
    let mut present = BTreeSet::new();
    for entry in std::fs::read_dir(&images).into_iter().flatten() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            assert_eq!(name, "thumbs", "unexpected folder in images/ ({context})");
            continue;
        }
        match files::classify(&name, false) {
            Some(files::Entry::Image(sha)) => {
                let bytes = std::fs::read(entry.path()).unwrap();
                assert_eq!(sha_hex(&bytes), sha, "images/{name} does not hash to its name: torn ({context})");
                census.images += 1;
                if !refs.contains(&sha) {
                    assert!(
                        allowed_orphans.contains(&sha),
                        "images/{name} is unreferenced, and no attach of it was cut short nor its report deleted \
                         ({context})"
                    );
                    census.orphans += 1;
                }
                present.insert(sha);
            }
            Some(files::Entry::Temp) => census.temporary += 1,
            _ => panic!("unexpected file images/{name} ({context})"),
        }
    }
    for sha in &refs {
        assert!(present.contains(sha), "image {sha} is referred to but missing ({context})");
    }
    for entry in std::fs::read_dir(images.join("thumbs")).into_iter().flatten() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        match files::classify(&name, true) {
            Some(files::Entry::Thumb(_)) => {
                let bytes = std::fs::read(entry.path()).unwrap();
                assert!(
                    bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]),
                    "thumbnail {name} is not a whole JPEG ({context})"
                );
                census.thumbnails += 1;
            }
            Some(files::Entry::Temp) => census.temporary += 1,
            _ => panic!("unexpected file images/thumbs/{name} ({context})"),
        }
    }
    census
}

/// The current state of every report: id → (revision, content).
fn reports(data: &Path) -> BTreeMap<String, (u32, Report)> {
    let conn = Connection::open(data.join("library.sqlite3")).unwrap();
    let mut stmt = conn.prepare("SELECT id, revision, content FROM reports").unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get::<_, String>(2)?)))
        .unwrap()
        .map(|row| {
            let (id, rev, content) = row.unwrap();
            (id, (rev, serde_json::from_str(&content).unwrap()))
        })
        .collect();
    rows
}

/// The content of one revision, if it exists.
fn revision_content(data: &Path, id: &str, revision: u32) -> Option<Report> {
    let conn = Connection::open(data.join("library.sqlite3")).unwrap();
    conn.query_row(
        "SELECT v.content FROM revisions v JOIN reports r ON r.seq = v.report_seq WHERE r.id = ?1 AND v.revision = ?2",
        rusqlite::params![id, revision],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .unwrap()
    .map(|c| serde_json::from_str(&c).unwrap())
}

/// Every image SHA-256 any revision of report `id` refers to.
fn images_of(data: &Path, id: &str) -> BTreeSet<String> {
    let conn = Connection::open(data.join("library.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare("SELECT v.content FROM revisions v JOIN reports r ON r.seq = v.report_seq WHERE r.id = ?1")
        .unwrap();
    let contents: Vec<String> = stmt.query_map([id], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    contents
        .iter()
        .flat_map(|c| serde_json::from_str::<Report>(c).unwrap().images)
        .filter_map(|f| f.image.map(|i| i.sha256))
        .collect()
}

/// What a CLI writer is asked to do, and the state it must leave when it acknowledges.
enum CliOp {
    Import { files: Vec<PathBuf>, expected: Vec<String> },
    Edit { id: String, base: u32, expected: Box<Report>, images: Vec<String> },
    Delete { id: String, images: BTreeSet<String> },
}

fn no_busy(stderr: &str, what: &str) {
    let lower = stderr.to_lowercase();
    assert!(!lower.contains("locked") && !lower.contains("busy"), "{what} reported a busy library:\n{stderr}");
}

fn assert_no_panic(stderr: &str, what: &str) {
    assert!(!stderr.contains("panicked"), "{what} panicked:\n{stderr}");
}

#[allow(
    clippy::too_many_lines,
    reason = "one scenario read top to bottom; the 80-line limit is for the product's code"
)]
#[test]
fn sigkill_at_random_moments_of_cli_and_api_writers_loses_no_acknowledged_save() {
    let target_kills = env_num("BRIEFWRIGHT_CRASH_KILLS", 60);
    let started = Instant::now();
    let seed = seed();
    eprintln!("seed {seed} (BRIEFWRIGHT_CRASH_SEED replays it), {target_kills} kills");
    let mut rng = XorShift(seed);
    let lab = Lab::new();
    let data = lab.data();
    let samples = [fixture("reports/grid-cyberattack.txt"), fixture("reports/canal-drought.txt")];
    let sample_reports: Vec<Report> =
        samples.iter().map(|p| interchange::import_bytes(&std::fs::read(p).unwrap()).unwrap().report).collect();
    let ids = lab.import(&[&samples[0], &samples[1], &samples[0], &samples[1]]);
    lab.ok(&["attach", &ids[0], fixture("images/rocket.jpg").to_str().unwrap()]);
    // A pool of small images for CLI attaches (with what the store will make of each).
    let pool: Vec<(PathBuf, briefwright::model::ImageRef)> = (0..24u64)
        .map(|i| {
            let bytes = png(seed ^ (i + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
            let image = media::process(&bytes).unwrap().image;
            (lab.write(&format!("pool-{i}.png"), &bytes), image)
        })
        .collect();

    let mut acks: Vec<Ack> = Vec::new();
    let mut deleted = BTreeSet::new();
    let mut allowed_orphans = BTreeSet::new();
    let (mut kills, mut api_runs, mut cli_runs, mut cli_killed, mut cli_finished) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let (mut api_mid_write, mut api_between, mut api_acks, mut cli_acks) = (0u64, 0u64, 0u64, 0u64);
    let (mut max_orphans, mut max_temporary) = (0usize, 0usize);
    // How long each kind of CLI run takes here, to aim kills inside them (refined as runs finish).
    let mut cli_estimate: BTreeMap<&'static str, Duration> = BTreeMap::new();
    let mut iteration = 0u64;
    while kills < target_kills {
        iteration += 1;
        assert!(iteration < target_kills * 4 + 100, "too few kills land inside a writer (seed {seed})");
        let context = format!("iteration {iteration}, seed {seed}");
        let before = reports(&data);
        let round_acks: Vec<Ack>;
        if rng.below(2) == 0 {
            // The core API, killed after a random time (most of it spent saving).
            api_runs += 1;
            let mut child = spawn_api_writer(&data, "kill", rng.next() | 1, None, None);
            std::thread::sleep(Duration::from_micros(rng.below(400_000)));
            let alive = child.try_wait().unwrap().is_none();
            assert!(alive, "the API writer ended by itself: {:?}", drain(&mut child));
            child.kill().unwrap();
            kills += 1;
            child.wait().unwrap();
            let (out, err) = drain(&mut child);
            assert_no_panic(&err, "the API writer");
            no_busy(&err, "the API writer");
            for line in out.lines() {
                if let Some(sha) = line.strip_prefix("attaching ") {
                    allowed_orphans.insert(sha.to_string());
                }
            }
            let last =
                out.lines().rfind(|l| l.starts_with("begin ") || l.starts_with("attaching ") || l.starts_with("ack "));
            match last {
                Some(l) if !l.starts_with("ack ") => api_mid_write += 1,
                _ => api_between += 1,
            }
            round_acks = parse_acks(&out).into_iter().map(|(a, _)| a).collect();
            api_acks += round_acks.len() as u64;
        } else {
            cli_runs += 1;
            let live: Vec<&String> = before.keys().collect();
            let id = live[rng.below(live.len() as u64) as usize].to_string();
            let (rev, current) = before[&id].clone();
            let n = current.images.len();
            let mut choice = rng.below(12);
            if (choice == 11 && live.len() <= 6)
                || (matches!(choice, 5 | 6 | 8) && n == 0)
                || (choice == 7 && n < 2)
                || (matches!(choice, 9 | 10) && rev < 2)
            {
                choice = 2; // attach
            }
            let (kind, args, op): (&'static str, Vec<String>, CliOp) = match choice {
                0 | 1 => {
                    let k = 1 + rng.below(4) as usize;
                    let picks: Vec<usize> = (0..k).map(|_| rng.below(2) as usize).collect();
                    let files: Vec<PathBuf> = picks.iter().map(|&i| samples[i].clone()).collect();
                    let expected = picks.iter().map(|&i| content_sha(&sample_reports[i])).collect();
                    let mut args = vec!["import".to_string()];
                    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
                    ("import", args, CliOp::Import { files, expected })
                }
                2..=4 => {
                    let k = 1 + rng.below(2) as usize;
                    let picks: Vec<usize> = (0..k).map(|_| rng.below(pool.len() as u64) as usize).collect();
                    let mut expected = current.clone();
                    let mut args = vec!["attach".to_string(), id.clone()];
                    for &p in &picks {
                        expected.images.push(Figure { caption: String::new(), image: Some(pool[p].1.clone()) });
                        args.push(pool[p].0.to_str().unwrap().to_string());
                    }
                    let images = picks.iter().map(|&p| pool[p].1.sha256.clone()).collect();
                    ("attach", args, CliOp::Edit { id: id.clone(), base: rev, expected: Box::new(expected), images })
                }
                5 | 6 => {
                    let f = 1 + rng.below(n as u64) as usize;
                    let text = format!("Caption {iteration}");
                    let mut expected = current.clone();
                    expected.images[f - 1].caption = text.clone();
                    let args = vec!["attachments".into(), "caption".into(), id.clone(), f.to_string(), text];
                    (
                        "caption",
                        args,
                        CliOp::Edit { id: id.clone(), base: rev, expected: Box::new(expected), images: vec![] },
                    )
                }
                7 => {
                    let from = 1 + rng.below(n as u64) as usize;
                    let to = 1 + (from + rng.below(n as u64 - 1) as usize) % n;
                    let mut expected = current.clone();
                    let fig = expected.images.remove(from - 1);
                    expected.images.insert(to - 1, fig);
                    let args = vec!["attachments".into(), "move".into(), id.clone(), from.to_string(), to.to_string()];
                    (
                        "move",
                        args,
                        CliOp::Edit { id: id.clone(), base: rev, expected: Box::new(expected), images: vec![] },
                    )
                }
                8 => {
                    let f = 1 + rng.below(n as u64) as usize;
                    let mut expected = current.clone();
                    expected.images.remove(f - 1);
                    let args = vec!["attachments".into(), "remove".into(), id.clone(), f.to_string()];
                    (
                        "remove",
                        args,
                        CliOp::Edit { id: id.clone(), base: rev, expected: Box::new(expected), images: vec![] },
                    )
                }
                9 | 10 => {
                    let r = 1 + rng.below(rev as u64 - 1) as u32;
                    let expected = revision_content(&data, &id, r).unwrap();
                    let args = vec!["restore".into(), id.clone(), r.to_string()];
                    (
                        "restore",
                        args,
                        CliOp::Edit { id: id.clone(), base: rev, expected: Box::new(expected), images: vec![] },
                    )
                }
                _ => {
                    let images = images_of(&data, &id);
                    ("delete", vec!["delete".into(), id.clone()], CliOp::Delete { id: id.clone(), images })
                }
            };
            if let CliOp::Edit { images, .. } = &op {
                // Cut short, an attach may leave its stored files unreferenced.
                allowed_orphans.extend(images.iter().cloned());
            }
            if let CliOp::Delete { images, .. } = &op {
                allowed_orphans.extend(images.iter().cloned());
            }
            let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let estimate = *cli_estimate.entry(kind).or_insert(Duration::from_millis(60));
            let t = Instant::now();
            let mut child = lab.cmd(&arg_refs).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
            std::thread::sleep(Duration::from_micros(rng.below(estimate.as_micros() as u64 * 13 / 10 + 1)));
            let finished = child.try_wait().unwrap().is_some();
            if !finished {
                child.kill().unwrap();
                kills += 1;
                cli_killed += 1;
            }
            let status = child.wait().unwrap();
            let elapsed = t.elapsed();
            let (out, err) = drain(&mut child);
            assert_no_panic(&err, kind);
            no_busy(&err, kind);
            let after = reports(&data);
            let mut this_round = Vec::new();
            if finished {
                cli_finished += 1;
                assert!(status.success(), "briefwright {args:?} failed ({context}):\n{err}");
                let e = cli_estimate.get_mut(kind).unwrap();
                *e = (*e * 3 + elapsed) / 4;
            }
            match op {
                CliOp::Import { files, expected } => {
                    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
                    assert!(new.is_empty() || new.len() == files.len(), "an import was half-committed ({context})");
                    if finished {
                        let printed: Vec<&str> = out.lines().collect();
                        assert_eq!(printed.len(), files.len());
                        for (id, sha) in printed.iter().zip(&expected) {
                            this_round.push(Ack { id: id.to_string(), revision: 1, sha: sha.clone() });
                        }
                    }
                }
                CliOp::Edit { id, base, expected, .. } => {
                    let expected = *expected;
                    let unchanged = expected == before[&id].1;
                    let (now_rev, now) = &after[&id];
                    if finished {
                        let want = if unchanged { base } else { base + 1 };
                        assert_eq!(
                            (*now_rev, now),
                            (want, &expected),
                            "{kind} acknowledged, library differs ({context})"
                        );
                        this_round.push(Ack { id, revision: want, sha: content_sha(&expected) });
                    } else {
                        // Cut short: the edit is there whole, or not at all.
                        assert!(
                            (*now_rev, now) == (base, &before[&id].1) || (*now_rev, now) == (base + 1, &expected),
                            "a killed {kind} left a state that is neither before nor after ({context})"
                        );
                    }
                }
                CliOp::Delete { id, .. } => {
                    if finished || !after.contains_key(&id) {
                        assert!(!after.contains_key(&id), "an acknowledged delete did not happen ({context})");
                        deleted.insert(id);
                    }
                }
            }
            cli_acks += this_round.len() as u64;
            round_acks = this_round;
        }
        let census = check_library(&data, &round_acks, &deleted, &allowed_orphans, &context);
        max_orphans = max_orphans.max(census.orphans);
        max_temporary = max_temporary.max(census.temporary);
        acks.extend(round_acks);
    }
    // Every acknowledgement ever made still holds, and the collector leaves exactly the referenced images.
    let census = check_library(&data, &acks, &deleted, &allowed_orphans, &format!("the end, seed {seed}"));
    let orphans_before_gc = census.orphans;
    let r = lab.ok(&["gc", "--grace", "0"]);
    no_busy(&r.stderr, "gc");
    let after_gc = check_library(&data, &acks, &deleted, &BTreeSet::new(), &format!("after gc, seed {seed}"));
    assert_eq!((after_gc.orphans, after_gc.temporary), (0, 0), "gc left unreferenced files");
    assert_eq!(after_gc.images, after_gc.referenced);
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{kills} kills ({api_runs} API runs: {api_mid_write} mid-write, {api_between} between writes; \
         {cli_runs} CLI runs: {cli_killed} killed, {cli_finished} finished); {} acknowledged saves checked \
         ({api_acks} API, {cli_acks} CLI); {orphans_before_gc} orphan images and at most {max_temporary} \
         temporary files before gc, none after; {} reports deleted; {seconds:.1}s",
        acks.len(),
        deleted.len()
    );
    assert!(api_acks > 0 && cli_acks > 0, "no acknowledged save to check");
    record_figures(
        "crash_random_writers_sigkill",
        serde_json::json!({
            "kills": kills, "api_runs": api_runs, "api_killed_mid_write": api_mid_write,
            "api_killed_between_writes": api_between, "cli_runs": cli_runs, "cli_killed": cli_killed,
            "cli_finished_before_kill": cli_finished, "killed_mid_write": api_mid_write + cli_killed,
            "acked_saves_checked": acks.len(), "api_acks": api_acks, "cli_acks": cli_acks,
            "reports_deleted": deleted.len(), "orphan_images_before_gc": orphans_before_gc,
            "max_orphan_images": max_orphans, "max_temporary_files": max_temporary,
            "orphans_after_gc": 0, "seconds": seconds, "seed": seed,
        }),
    );
}

// ---------------------------------------------------------------------------------------
// Several writers at once.

#[allow(
    clippy::too_many_lines,
    reason = "one scenario read top to bottom; the 80-line limit is for the product's code"
)]
#[test]
fn concurrent_writers_lose_and_duplicate_nothing_and_never_report_a_busy_library() {
    let rounds = env_num("BRIEFWRIGHT_CONCURRENT_ROUNDS", 4);
    const IMPORTERS: usize = 4;
    const API_WRITERS: usize = 2;
    const PER_IMPORT: usize = 3;
    let started = Instant::now();
    let seed = seed();
    eprintln!("seed {seed}, {rounds} rounds");
    let lab = Lab::new();
    let data = lab.data();
    let samples = [fixture("reports/grid-cyberattack.txt"), fixture("reports/canal-drought.txt")];
    let sample_shas: Vec<String> = samples
        .iter()
        .map(|p| content_sha(&interchange::import_bytes(&std::fs::read(p).unwrap()).unwrap().report))
        .collect();
    let shared = lab.import(&[&samples[0]]).remove(0);
    lab.ok(&["attach", &shared, fixture("images/rocket.jpg").to_str().unwrap()]);
    let image_pool: Vec<PathBuf> =
        (0..rounds).map(|i| lab.write(&format!("c-{i}.png"), png(seed ^ (i << 32) ^ 0xC0))).collect();

    // The core-API writers: each edits the shared report and one of its own, with attaches.
    let api: Vec<Child> = (0..API_WRITERS)
        .map(|i| {
            spawn_api_writer(
                &data,
                "concurrent",
                seed.rotate_left(i as u32 * 7 + 1) | 1,
                Some(rounds * 6),
                Some(&shared),
            )
        })
        .collect();
    // CLI importers.
    let importers: Vec<_> = (0..IMPORTERS)
        .map(|w| {
            let cmds: Vec<Command> = (0..rounds)
                .map(|r| {
                    let files: Vec<String> = (0..PER_IMPORT)
                        .map(|k| samples[(w + r as usize + k) % 2].to_str().unwrap().to_string())
                        .collect();
                    let mut args = vec!["import"];
                    args.extend(files.iter().map(String::as_str));
                    lab.cmd(&args)
                })
                .collect();
            std::thread::spawn(move || {
                cmds.into_iter().map(|mut c| util::finish(c.output().unwrap())).collect::<Vec<_>>()
            })
        })
        .collect();
    // CLI editors of the shared report: captions and attaches (a stale refusal is a defined outcome).
    let editors: Vec<_> = (0..2)
        .map(|e| {
            let cmds: Vec<(Command, String)> = (0..rounds)
                .map(|r| {
                    if e == 0 {
                        let text = format!("CLI caption {r}");
                        (lab.cmd(&["attachments", "caption", &shared, "1", &text]), text)
                    } else {
                        let p = image_pool[r as usize].to_str().unwrap().to_string();
                        (lab.cmd(&["attach", &shared, &p]), p)
                    }
                })
                .collect();
            std::thread::spawn(move || {
                cmds.into_iter().map(|(mut c, what)| (util::finish(c.output().unwrap()), what)).collect::<Vec<_>>()
            })
        })
        .collect();

    let mut imported: Vec<String> = Vec::new();
    for h in importers {
        for run in h.join().unwrap() {
            no_busy(&run.stderr, "an importer");
            assert_eq!(run.code, 0, "an import failed:\n{}", run.stderr);
            let ids: Vec<String> = run.stdout.lines().map(str::to_string).collect();
            assert_eq!(ids.len(), PER_IMPORT);
            imported.extend(ids);
        }
    }
    let mut shared_revisions: Vec<u32> = Vec::new();
    let mut cli_stale = 0u64;
    let mut cli_edits = 0u64;
    let mut cli_attached = Vec::new();
    for (e, h) in editors.into_iter().enumerate() {
        for (run, what) in h.join().unwrap() {
            no_busy(&run.stderr, "a CLI editor");
            if run.code == 1 && run.stderr.contains("was changed elsewhere since this edit began") {
                assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
                cli_stale += 1;
                continue;
            }
            assert_eq!(run.code, 0, "a CLI edit failed:\n{}", run.stderr);
            cli_edits += 1;
            if e == 0 {
                // "BW-…: figure 1 captioned (revision N)"
                let n: u32 =
                    run.stderr.rsplit("(revision ").next().unwrap().trim_end().trim_end_matches(')').parse().unwrap();
                let content = revision_content(&data, &shared, n).unwrap();
                assert_eq!(content.images[0].caption, what, "revision {n} is not the acknowledged caption");
                shared_revisions.push(n);
            } else {
                cli_attached.push(run.stdout.trim().to_string());
            }
        }
    }
    let mut api_acks: Vec<Ack> = Vec::new();
    let mut api_stale = 0u64;
    // An attach refused as stale has already stored its file: the collector's to remove.
    let mut allowed_orphans: BTreeSet<String> =
        image_pool.iter().map(|p| media::process(&std::fs::read(p).unwrap()).unwrap().image.sha256).collect();
    for mut child in api {
        let status = child.wait().unwrap();
        let (out, err) = drain(&mut child);
        no_busy(&err, "an API writer");
        assert!(status.success(), "an API writer failed:\n{err}");
        api_stale += out.lines().filter(|l| *l == "stale").count() as u64;
        allowed_orphans.extend(out.lines().filter_map(|l| l.strip_prefix("attaching ")).map(str::to_string));
        for (a, new) in parse_acks(&out) {
            if a.id == shared && new {
                shared_revisions.push(a.revision);
            }
            api_acks.push(a);
        }
    }
    let seconds = started.elapsed().as_secs_f64();

    // Nothing lost: every import is there with the content of its file, each exactly once.
    let distinct: BTreeSet<&String> = imported.iter().collect();
    assert_eq!(distinct.len(), imported.len(), "an import id was handed out twice");
    assert_eq!(imported.len() as u64, IMPORTERS as u64 * rounds * PER_IMPORT as u64);
    let all = reports(&data);
    assert_eq!(
        all.len(),
        1 + imported.len() + API_WRITERS,
        "reports: the shared one, the imported, one per API writer"
    );
    for id in &imported {
        let (rev, report) = &all[id];
        assert_eq!(*rev, 1);
        assert!(sample_shas.contains(&content_sha(report)), "imported report {id} differs from its file");
    }
    let conn = Connection::open(data.join("library.sqlite3")).unwrap();
    let (count, numbers, max_serial): (i64, i64, i64) = conn
        .query_row("SELECT count(*), count(DISTINCT number), max(serial) FROM reports", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((numbers, max_serial), (count, count), "report numbers are not 1..={count} each once");
    drop(conn);
    // Nothing duplicated on the shared report: every acknowledged new revision is its own, and
    // the history has exactly the setup's two plus one per acknowledged change.
    let distinct: BTreeSet<u32> = shared_revisions.iter().copied().collect();
    assert_eq!(distinct.len(), shared_revisions.len(), "two writers were told they made the same revision");
    let shared_rev = all[&shared].0;
    let attached_on_shared = cli_attached.len() as u32;
    assert_eq!(shared_rev, 2 + shared_revisions.len() as u32 + attached_on_shared, "the shared report's history");
    let shared_images = images_of(&data, &shared);
    for sha in &cli_attached {
        assert!(shared_images.contains(sha), "acknowledged attach of {sha} is missing");
    }
    let census = check_library(&data, &api_acks, &BTreeSet::new(), &allowed_orphans, &format!("seed {seed}"));
    lab.ok(&["gc", "--grace", "0"]);
    let after_gc =
        check_library(&data, &api_acks, &BTreeSet::new(), &BTreeSet::new(), &format!("after gc, seed {seed}"));
    assert_eq!((after_gc.orphans, after_gc.temporary), (0, 0));
    eprintln!(
        "{} writers: {} imports ({} reports), {} API saves ({api_stale} stale retries), {cli_edits} CLI edits, \
         {cli_stale} CLI stale refusals; shared report at revision {shared_rev}; {seconds:.1}s",
        IMPORTERS + API_WRITERS + 2,
        IMPORTERS as u64 * rounds,
        imported.len(),
        api_acks.len()
    );
    record_figures(
        "concurrent_writers",
        serde_json::json!({
            "writers": IMPORTERS + API_WRITERS + 2, "cli_importers": IMPORTERS, "api_writers": API_WRITERS,
            "cli_editors": 2, "rounds": rounds, "reports_imported": imported.len(), "api_saves": api_acks.len(),
            "api_stale_retries": api_stale, "cli_edits": cli_edits, "cli_stale_refusals": cli_stale,
            "shared_report_revisions": shared_rev, "orphans_from_stale_attaches": census.orphans, "lost": 0, "duplicated": 0, "busy_errors": 0,
            "seconds": seconds, "seed": seed,
        }),
    );
}
