//! Killing the CLI with SIGKILL in the middle of a long import loses no committed
//! report and leaves a sound database.
//!
//! Unix only: it needs SIGKILL (on Windows `kill` is TerminateProcess, a different failure).
#![cfg(unix)]

mod util;

use std::time::{Duration, Instant};

use util::{fixture, Lab};

/// A small deterministic generator (the seed is printed so a failure can be replayed).
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn count_and_check(db: &std::path::Path) -> u64 {
    let conn = rusqlite::Connection::open(db).unwrap();
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
    let iterations: u32 = std::env::var("BRIEFWRIGHT_KILL_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
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

    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    eprintln!("seed {seed}, one import of {BATCH} reports takes {full:?}");
    let mut rng = XorShift(seed);
    let (mut killed, mut finished) = (0, 0);
    for _ in 0..iterations {
        let mut child =
            lab.cmd(&args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
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
}
