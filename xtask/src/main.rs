//! `cargo xtask <task>`: the project's task runner (matklad's xtask convention).
//!
//! - `run [--headless]`  install what is missing, build the UI and the app, start it
//! - `test`              install what is missing, run every lint, test and check (end-to-end tests, .deb)
//! - `e2e [PYTEST ARGS]` build the app and run only the end-to-end tests (real windows, Xvfb)
//! - `deb`               build the Debian package (debug) and check what it holds
//! - `setup`             only the installation step
//! - `bench`             run the benchmarks and write their tables into docs/
//! - `bench-app`         startup and preview refresh of the real window → docs/benchmarks/app.md
//! - `reliability`       the reliability checks at full length → docs/reliability.md
//!
//! Each task is a sequence of steps ([`step`]); `test` ends with the time each step took.
//!
//! Plain std only, so that this builds in seconds on a fresh machine.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

mod app;
mod bench;
mod deb;
mod e2e;
mod prune;
mod reliability;
mod rules;
mod setup;
mod test;
mod windows;

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match task {
        "setup" => setup::setup(),
        "run" => app::run(rest.iter().any(|a| a == "--headless")),
        "test" => test::test(),
        "e2e" => e2e::e2e(rest),
        "deb" => setup::setup().and_then(|()| deb::build_deb()).map(|_| ()),
        "bench" => bench::bench(),
        "bench-app" => bench::bench_app(),
        "reliability" => reliability::reliability(),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [--headless] | test | e2e [PYTEST ARGS] | deb | setup | bench | bench-app | reliability>"
            );
            return ExitCode::from(if task == "help" || task == "--help" { 0 } else { 2 });
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace this xtask serves. `cargo run` (the `cargo xtask` alias) sets CARGO_MANIFEST_DIR
/// for the running binary: prefer it to the compile-time path, which is wrong when several
/// checkouts share one target folder (cargo may run a binary built from another checkout).
fn root() -> PathBuf {
    let manifest = env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let manifest = manifest.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Starts the next step of the task (which ends the one before) and shows its name.
fn step(name: &str) {
    step_times().start(name, Instant::now());
    eprintln!("\n==> {name}");
}

/// The steps of this run so far, with their times.
static STEP_TIMES: Mutex<StepTimes> = Mutex::new(StepTimes::new());

fn step_times() -> MutexGuard<'static, StepTimes> {
    STEP_TIMES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How long each step of a run took, in the order they ran. A step lasts until the next one
/// starts or the run ends.
struct StepTimes {
    /// The steps that have ended.
    done: Vec<(String, Duration)>,
    /// The step under way, and when it started.
    current: Option<(String, Instant)>,
}

impl StepTimes {
    const fn new() -> Self {
        StepTimes { done: Vec::new(), current: None }
    }

    /// Ends the step under way at `now` and starts `name`.
    fn start(&mut self, name: &str, now: Instant) {
        self.end(now);
        self.current = Some((name.to_owned(), now));
    }

    /// Ends the step under way, if any, at `now`.
    fn end(&mut self, now: Instant) {
        if let Some((name, started)) = self.current.take() {
            self.done.push((name, now.saturating_duration_since(started)));
        }
    }
}

/// Ends the step under way and shows how long each step took, on stderr. The same figures go
/// to `$CARGO_TARGET_DIR/xtask-steps.jsonl`, so that a later run can be compared with this one.
fn report_step_times() {
    let steps = {
        let mut times = step_times();
        times.end(Instant::now());
        std::mem::take(&mut times.done)
    };
    if steps.is_empty() {
        return;
    }
    eprint!("\n{}", steps_table(&steps));
    let file = target_dir().join("xtask-steps.jsonl");
    let written = std::fs::create_dir_all(target_dir()).and_then(|()| std::fs::write(&file, steps_jsonl(&steps)));
    if let Err(e) = written {
        eprintln!("xtask: cannot write {}: {e}", file.display());
    }
}

/// The steps as a table: each with its seconds and its share of the total, then the total.
fn steps_table(steps: &[(String, Duration)]) -> String {
    let total: Duration = steps.iter().map(|(_, took)| *took).sum();
    let width = steps.iter().map(|(name, _)| name.chars().count()).max().unwrap_or(0).max(46);
    let mut table = String::from("xtask: step times\n");
    for (name, took) in steps {
        let share = if total.is_zero() { 0.0 } else { 100.0 * took.as_secs_f64() / total.as_secs_f64() };
        writeln!(table, "  {name:<width$} {:>6.0} s {share:>5.1} %", took.as_secs_f64()).expect("writing to a String");
    }
    writeln!(table, "  {:<width$} {:>6.0} s", "total", total.as_secs_f64()).expect("writing to a String");
    table
}

/// The steps as JSON lines: `{"step": "system packages", "seconds": 12.3}`, one a line.
fn steps_jsonl(steps: &[(String, Duration)]) -> String {
    let mut lines = String::new();
    for (name, took) in steps {
        let name = serde_json::Value::from(name.as_str());
        writeln!(lines, "{{\"step\": {name}, \"seconds\": {:.1}}}", took.as_secs_f64()).expect("writing to a String");
    }
    lines
}

/// Runs a command in `dir`, inheriting output; fails with its status.
fn sh(dir: &Path, program: &str, args: &[&str]) -> Result {
    sh_env(dir, program, args, &[])
}

/// Like [`sh`], with extra environment variables for the child.
fn sh_env(dir: &Path, program: &str, args: &[&str], vars: &[(&str, &str)]) -> Result {
    let status = Command::new(program)
        .args(args)
        .envs(vars.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_lasts_until_the_next_one_starts() {
        let t0 = Instant::now();
        let mut times = StepTimes::new();
        times.end(t0);
        times.start("system packages", t0);
        times.start("formatting", t0 + Duration::from_secs(12));
        times.end(t0 + Duration::from_secs(15));
        times.end(t0 + Duration::from_secs(20));
        assert_eq!(
            times.done,
            [
                ("system packages".to_owned(), Duration::from_secs(12)),
                ("formatting".to_owned(), Duration::from_secs(3))
            ]
        );
    }

    #[test]
    fn formats_step_times() {
        let steps = [
            ("system packages".to_owned(), Duration::from_millis(12_300)),
            ("formatting".to_owned(), Duration::from_millis(400)),
            ("Rust tests (whole workspace)".to_owned(), Duration::from_millis(2_831_300)),
        ];
        assert_eq!(
            steps_table(&steps),
            "xtask: step times\n\
             \x20 system packages                                    12 s   0.4 %\n\
             \x20 formatting                                          0 s   0.0 %\n\
             \x20 Rust tests (whole workspace)                     2831 s  99.6 %\n\
             \x20 total                                            2844 s\n"
        );
        assert_eq!(
            steps_jsonl(&steps),
            "{\"step\": \"system packages\", \"seconds\": 12.3}\n\
             {\"step\": \"formatting\", \"seconds\": 0.4}\n\
             {\"step\": \"Rust tests (whole workspace)\", \"seconds\": 2831.3}\n"
        );
    }

    #[test]
    fn long_step_names_widen_the_table() {
        let long = "end-to-end tests (real windows: tauri-driver + WebKitWebDriver, Xvfb)";
        let steps = [(long.to_owned(), Duration::from_secs(90)), ("say \"hi\"".to_owned(), Duration::ZERO)];
        let table = steps_table(&steps);
        let rows: Vec<&str> = table.lines().skip(1).collect();
        assert_eq!(rows[0], format!("  {long}     90 s 100.0 %"));
        assert!(rows.iter().all(|r| r.rfind(" s").is_some_and(|at| at == long.len() + 9)), "{table}");
        assert_eq!(steps_jsonl(&steps).lines().nth(1), Some(r#"{"step": "say \"hi\"", "seconds": 0.0}"#));
        // Nothing measured: no division by zero.
        assert!(steps_table(&[("setup".to_owned(), Duration::ZERO)]).contains("  0.0 %"));
    }
}
