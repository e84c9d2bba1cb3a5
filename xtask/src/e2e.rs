//! The end-to-end tests (tests/e2e: pytest and selenium through tauri-driver, real windows
//! under Xvfb): `cargo xtask e2e`, and the step of `cargo xtask test` that runs them.

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::app::{app_exe, build_app, build_ui};
use crate::setup::{setup, tauri_driver_exe, venv_python};
use crate::test::{counted_env, parse_pytest, Tally};
use crate::{root, step, target_dir, Result};

/// `cargo xtask e2e [PYTEST ARGS]`: builds the app and runs only the end-to-end tests.
pub fn e2e(pytest_args: &[String]) -> Result {
    setup()?;
    build_ui()?;
    build_app()?;
    let mut tally = Tally::default();
    let args: Vec<&str> = pytest_args.iter().map(String::as_str).collect();
    let result = run_e2e(&mut tally, &args);
    println!("e2e: {} passed, {} failed", tally.passed, tally.failed);
    result.map(|_| ())
}

/// Runs tests/e2e (pytest + selenium, through tauri-driver and WebKitWebDriver) under Xvfb:
/// every test starts the built app on a fresh data folder. Screenshots go to
/// $CARGO_TARGET_DIR/e2e-shots/ (failures/ for failed tests). Returns how long it took.
pub fn run_e2e(tally: &mut Tally, pytest_args: &[&str]) -> Result<Duration> {
    step("end-to-end tests (real windows: tauri-driver + WebKitWebDriver, Xvfb)");
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the end-to-end tests run on Linux under Xvfb");
        return Ok(Duration::ZERO);
    }
    let started = Instant::now();
    let shots = target_dir().join("e2e-shots");
    let _ = std::fs::remove_dir_all(&shots);
    let native = Path::new("/usr/bin/WebKitWebDriver");
    if !native.exists() {
        return Err(format!("{} is missing: apt-get install webkit2gtk-driver (cargo xtask setup)", native.display()));
    }
    let python = venv_python();
    let mut args = vec![
        "-a",
        "-s",
        "-screen 0 1280x800x24",
        python.to_str().ok_or("the cache folder's path is not UTF-8")?,
        "-m",
        "pytest",
        "tests/e2e",
        "-v",
    ];
    args.extend(pytest_args);
    let result = counted_env(
        &root(),
        "xvfb-run",
        &args,
        &[
            ("BRIEFWRIGHT_APP", app_exe().as_os_str()),
            ("TAURI_DRIVER", tauri_driver_exe().as_os_str()),
            ("WEBKIT_DRIVER", native.as_os_str()),
            ("BRIEFWRIGHT_E2E_SHOTS", shots.as_os_str()),
            ("CARGO_TARGET_DIR", target_dir().as_os_str()),
            ("PYTHONDONTWRITEBYTECODE", OsStr::new("1")),
        ],
        tally,
        parse_pytest,
    );
    let took = started.elapsed();
    eprintln!("end-to-end tests took {:.0} s; screenshots in {}", took.as_secs_f64(), shots.display());
    result.map(|()| took)
}
