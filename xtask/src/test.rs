//! `cargo xtask test`: every lint, test and check, in order, and the count of tests run (read from
//! the output of cargo, vitest and pytest).

use std::env;
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::app::{build_ui, smoke_app};
use crate::deb::bundle_deb;
use crate::e2e::run_e2e;
use crate::setup::{pyhanko_exe, setup, venv_bin};
use crate::windows::{windows_check, WINDOWS_TARGET};
use crate::{prune, root, sh, step, target_dir, Result};

/// The features of every Rust build of the run (tests, end-to-end binary, Windows pass), so that
/// they share what cargo lets them share.
const FEATURES: &[&str] = &["--features", "briefwright-desktop/custom-protocol"];

/// Clippy's lint arguments for every pass: every warning an error.
pub const LINTS: &[&str] = &["-D", "warnings"];

/// Tests counted so far, over every test runner.
#[derive(Default)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

/// `cargo xtask test`. Ends with the time each step took, also when a step fails: then the
/// steps run so far, and the error after them.
pub fn test() -> Result {
    let result = every_check();
    crate::report_step_times();
    result
}

/// Every test and check, in order; the first that fails ends the run.
fn every_check() -> Result {
    let started = Instant::now();
    setup()?;
    let mut tally = Tally::default();
    let root = root();

    let (pruned, freed) = prune::prune(&target_dir());
    if pruned > 0 {
        eprintln!("pruned {pruned} superseded builds from the target folder ({:.1} GB)", freed as f64 / 1e9);
    }

    step("formatting");
    sh(&root, "cargo", &["fmt", "--all", "--", "--check"])?;

    step("size rules (files, Tauri commands)");
    let breaches = crate::rules::violations(&root)?;
    if !breaches.is_empty() {
        return Err(format!("{} breaches of the size rules:\n{}", breaches.len(), breaches.join("\n")));
    }

    step("lint the UI (eslint)");
    sh(&root.join("ui"), "npm", &["run", "lint"])?;

    // With custom-protocol the desktop crate embeds ui/dist as it compiles: on a fresh clone the
    // UI must be built first.
    build_ui()?;

    step("UI type check and unit tests (svelte-check, vitest)");
    sh(&root.join("ui"), "npm", &["run", "check"])?;
    counted(&root.join("ui"), "npm", &["test"], &mut tally, parse_vitest)?;

    step("Rust tests and clippy (whole workspace)");
    // The signature tests find pyHanko through PATH and BRIEFWRIGHT_PYHANKO.
    let path = env::var_os("PATH").unwrap_or_default();
    let path = env::join_paths(std::iter::once(venv_bin()).chain(env::split_paths(&path)))
        .map_err(|e| format!("cannot extend PATH: {e}"))?;
    env::set_var("PATH", &path);
    env::set_var("BRIEFWRIGHT_PYHANKO", pyhanko_exe());
    // Linted as it is built: `cargo clippy` is `cargo check` with clippy-driver wrapping rustc for
    // the workspace's own crates. Wrapping the test build the same way lints every crate, test and
    // binary it compiles, while the dependencies are compiled once, for the tests, instead of a
    // second time in check mode (8 minutes of a cold run). Benches are linted by the Windows pass,
    // which is a `cargo clippy --all-targets`. `CLIPPY_ARGS` is how `cargo clippy` hands the lint
    // arguments to clippy-driver.
    let driver = clippy_driver()?;
    let clippy_args: String = LINTS.iter().map(|a| format!("{a}__CLIPPY_HACKERY__")).collect();
    let mut args = vec!["test", "--workspace"];
    args.extend(FEATURES);
    counted_env(
        &root,
        "cargo",
        &args,
        &[("RUSTC_WORKSPACE_WRAPPER", driver.as_os_str()), ("CLIPPY_ARGS", OsStr::new(&clippy_args))],
        &mut tally,
        parse_cargo,
    )?;

    step("desktop app opens a window (Xvfb)");
    smoke_app()?;

    // The window tests drive the app the workspace tests built (with the UI embedded): building it
    // again without the test build's features (tauri's mock runtime, the CLI's crates) would
    // compile tauri and everything above it a second time.
    let e2e_time = match run_e2e(&mut tally, &[]) {
        Ok(took) => took,
        Err(e) => {
            println!("tests: {} passed, {} failed", tally.passed, tally.failed);
            return Err(e);
        }
    };

    let deb_time = bundle_deb()?;

    step(&format!("clippy of the whole workspace for Windows ({WINDOWS_TARGET})"));
    windows_check(FEATURES)?;

    eprintln!(
        "\nxtask: every check passed in {:.0} s (end-to-end tests {:.0} s, .deb {:.0} s)",
        started.elapsed().as_secs_f64(),
        e2e_time.as_secs_f64(),
        deb_time.as_secs_f64()
    );
    println!("tests: {} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 {
        return Err(format!("{} tests failed", tally.failed));
    }
    Ok(())
}

/// clippy-driver of the active toolchain (installed with it by the `clippy` rustup component).
fn clippy_driver() -> Result<std::path::PathBuf> {
    let out = Command::new("rustup")
        .args(["which", "clippy-driver"])
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if !out.status.success() {
        return Err("clippy-driver is not installed: run `rustup component add clippy`".into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().into())
}

/// Runs a test command, echoing its output and adding its counts to the tally.
fn counted(
    dir: &Path,
    program: &str,
    args: &[&str],
    tally: &mut Tally,
    parse: fn(&str) -> Option<(u64, u64)>,
) -> Result {
    counted_env(dir, program, args, &[], tally, parse)
}

/// Like [`counted`], with extra environment variables for the child.
pub fn counted_env(
    dir: &Path,
    program: &str,
    args: &[&str],
    vars: &[(&str, &OsStr)],
    tally: &mut Tally,
    parse: fn(&str) -> Option<(u64, u64)>,
) -> Result {
    use std::io::{BufRead, BufReader, Write};
    let mut child = Command::new(program)
        .args(args)
        .envs(vars.iter().copied())
        .current_dir(dir)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        println!("{line}");
        let _ = std::io::stdout().flush();
        if let Some((p, f)) = parse(&strip_ansi(&line)) {
            tally.passed += p;
            tally.failed += f;
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("`{program} {}` failed ({status})", args.join(" ")));
    }
    Ok(())
}

/// "test result: ok. 12 passed; 0 failed; 0 ignored; …"
fn parse_cargo(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let num = |word: &str| {
        rest.split(';').find_map(|part| {
            let mut it = part.split_whitespace().rev();
            (it.next()? == word).then_some(())?;
            it.next()?.parse::<u64>().ok()
        })
    };
    Some((num("passed")?, num("failed")?))
}

/// "      Tests  14 passed (14)" or "Tests  1 failed | 13 passed (14)"
fn parse_vitest(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("Tests")?.trim();
    let mut passed = 0;
    let mut failed = 0;
    for part in rest.split('|') {
        let mut it = part.split_whitespace();
        let n = it.next()?.parse::<u64>().ok()?;
        match it.next()? {
            "passed" => passed = n,
            "failed" => failed = n,
            _ => {}
        }
    }
    Some((passed, failed))
}

/// pytest's closing line: "===== 7 passed, 1 failed, 2 skipped in 93.10s (0:01:33) =====".
/// Errors (in fixtures) count as failures.
pub fn parse_pytest(line: &str) -> Option<(u64, u64)> {
    let line = line.trim();
    if !line.starts_with('=') || !line.ends_with('=') {
        return None;
    }
    let body = line.trim_matches('=').trim();
    let (counts, _time) = body.rsplit_once(" in ")?;
    let mut passed = 0;
    let mut failed = 0;
    let mut any = false;
    for part in counts.split(',') {
        let mut it = part.split_whitespace();
        let n = it.next()?.parse::<u64>().ok()?;
        match it.next()? {
            "passed" => passed += n,
            "failed" | "error" | "errors" => failed += n,
            _ => {}
        }
        any = true;
    }
    any.then_some((passed, failed))
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_test_counts() {
        assert_eq!(
            parse_cargo(
                "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.3s"
            ),
            Some((12, 0))
        );
        assert_eq!(parse_cargo("test result: FAILED. 3 passed; 2 failed; 0 ignored"), Some((3, 2)));
        assert_eq!(parse_cargo("running 3 tests"), None);
        assert_eq!(parse_vitest("      Tests  14 passed (14)"), Some((14, 0)));
        assert_eq!(parse_vitest("      Tests  1 failed | 13 passed (14)"), Some((13, 1)));
        assert_eq!(strip_ansi("\u{1b}[32mTests\u{1b}[0m  2 passed"), "Tests  2 passed");
        assert_eq!(parse_pytest("======= 7 passed, 1 failed, 2 skipped in 93.10s (0:01:33) ======="), Some((7, 1)));
        assert_eq!(parse_pytest("==== 1 failed, 3 passed, 1 error in 12.00s ===="), Some((3, 2)));
        assert_eq!(parse_pytest("========== 4 passed in 0.5s =========="), Some((4, 0)));
        assert_eq!(parse_pytest("=========== test session starts ==========="), None);
        assert_eq!(parse_pytest("==== short test summary info ===="), None);
    }
}
