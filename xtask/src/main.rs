//! `cargo xtask <task>`: the project's task runner (matklad's xtask convention).
//!
//! - `run [--headless]`  install what is missing, build the UI and the app, start it
//! - `test`              install what is missing, run every test and check (with the end-to-end tests and the .deb)
//! - `e2e [PYTEST ARGS]` build the app and run only the end-to-end tests (real windows, Xvfb)
//! - `deb`               build the Debian package (debug) and check what it holds
//! - `setup`             only the installation step
//! - `bench`             run the benchmarks and write their tables into docs/
//! - `bench-app`         startup and preview refresh of the real window → docs/benchmarks/app.md
//!
//! Plain std only, so that this builds in seconds on a fresh machine.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

mod app;
mod bench;
mod deb;
mod e2e;
mod prune;
mod reliability;
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

fn step(name: &str) {
    eprintln!("\n==> {name}");
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
