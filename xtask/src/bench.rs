//! `cargo xtask bench` (the core's benchmarks, whose tables go into docs/) and `cargo xtask
//! bench-app` (startup and preview refresh of the real window).

use std::env;

use crate::app::build_ui;
use crate::setup::{setup, venv_python};
use crate::{root, sh, sh_env, step, target_dir, Result};

pub fn bench() -> Result {
    step("search benchmark (10,000 reports)");
    sh(&root(), "cargo", &["bench", "-p", "briefwright", "--bench", "search"])?;
    bench_attach()?;
    bench_sign()?;
    bench_brief()?;
    step("live preview benchmark (brief, parse, page drawn to PNG)");
    sh(&root(), "cargo", &["bench", "-p", "briefwright", "--bench", "preview"])?;
    eprintln!("tables written under docs/");
    Ok(())
}

/// Time and peak memory to attach a 12-megapixel JPEG (docs/benchmarks/attach.md).
fn bench_attach() -> Result {
    step("attachment benchmark (12-megapixel JPEG)");
    sh(&root(), "cargo", &["bench", "-p", "briefwright", "--bench", "attach"])
}

/// Signing and verifying a small and a large PDF (release build); writes docs/benchmarks/sign.md.
fn bench_sign() -> Result {
    step("sign and verify benchmark (4 pages; 60 pages, ~10 MB)");
    sh(&root(), "cargo", &["bench", "-p", "briefwright", "--bench", "sign"])
}

/// Whole-process PDF export timings and memory (docs/benchmarks/brief.md).
fn bench_brief() -> Result {
    step("PDF brief export benchmark (4 and 40 photos)");
    sh(&root(), "cargo", &["bench", "-p", "briefwright", "--bench", "brief"])
}

/// Startup and preview refresh of the real window (tests/e2e/bench_app.py) → docs/benchmarks/app.md.
pub fn bench_app() -> Result {
    setup()?;
    build_ui()?;
    // Measured as shipped: the release build.
    step("build the desktop app (release)");
    sh(&root(), "cargo", &["build", "--release", "-p", "briefwright-desktop", "--features", "custom-protocol"])?;
    let app = target_dir().join("release").join(format!("briefwright-desktop{}", env::consts::EXE_SUFFIX));
    step("benchmark the desktop app (startup, preview refresh) under Xvfb");
    let python = venv_python();
    let out = root().join("docs/benchmarks/app.md");
    sh_env(
        &root().join("tests/e2e"),
        "xvfb-run",
        &[
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            python.to_str().ok_or("the cache folder's path is not UTF-8")?,
            "bench_app.py",
            "7",
            out.to_str().ok_or("the repository path is not UTF-8")?,
        ],
        &[("BRIEFWRIGHT_APP", app.to_str().ok_or("the target path is not UTF-8")?)],
    )
}
