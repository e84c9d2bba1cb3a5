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
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Debian/Ubuntu packages: building the Tauri app, running it headless, and the test oracles.
const APT_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "xauth",
    // The end-to-end tests: WebKitGTK's WebDriver (/usr/bin/WebKitWebDriver), behind tauri-driver.
    "webkit2gtk-driver",
    "x11-utils",
    "imagemagick",
    "sqlite3",
    "poppler-utils",
    "qpdf",
    // Test oracle: the stored images carry no EXIF/XMP/GPS.
    "libimage-exiftool-perl",
    // The benchmarks read peak memory with `/usr/bin/time -f %M`.
    "time",
    // pyHanko (the signature test oracle) is installed into a venv.
    "python3-venv",
    // The Windows build check (`x86_64-pc-windows-gnu`) links through MinGW.
    "gcc-mingw-w64-x86-64",
];

/// Code that would not compile on Windows fails the tests: the workspace is checked for this target.
const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

type Result<T = ()> = std::result::Result<T, String>;

mod prune;
mod reliability;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match task {
        "setup" => setup(),
        "run" => run(rest.iter().any(|a| a == "--headless")),
        "test" => test(),
        "e2e" => e2e(rest),
        "deb" => setup().and_then(|()| build_deb()).map(|_| ()),
        "bench" => bench(),
        "bench-app" => bench_app(),
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

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

// ---------------------------------------------------------------- setup

fn setup() -> Result {
    setup_system()?;
    setup_python()?;
    setup_tauri_driver()?;
    setup_ui()
}

/// Python test tools, pinned, in a venv under the cache folder: the signature oracle (pyHanko)
/// and the end-to-end test driver (selenium, pytest). selenium 4.52 wants a certifi newer than
/// the registry has, hence 4.51.
const PYTHON_PACKAGES: &[&str] = &["pyhanko==0.38.0", "pyhanko-cli==0.6.0", "selenium==4.51.0", "pytest==9.2.0"];

/// tauri-driver, the WebDriver server for Tauri apps (crates.io), of this major version.
const TAURI_DRIVER_MAJOR: &str = "2";

fn venv_dir() -> PathBuf {
    let cache = env::var_os("XDG_CACHE_HOME").map(PathBuf::from).or_else(|| {
        env::var_os(if cfg!(windows) { "LOCALAPPDATA" } else { "HOME" }).map(|h| {
            if cfg!(windows) {
                PathBuf::from(h)
            } else {
                PathBuf::from(h).join(".cache")
            }
        })
    });
    cache.unwrap_or_else(target_dir).join("briefwright").join("venv")
}

fn venv_bin() -> PathBuf {
    venv_dir().join(if cfg!(windows) { "Scripts" } else { "bin" })
}

fn pyhanko_exe() -> PathBuf {
    venv_bin().join(format!("pyhanko{}", env::consts::EXE_SUFFIX))
}

fn setup_python() -> Result {
    step("Python test tools (pyHanko, selenium, pytest)");
    let stamp = venv_dir().join("briefwright-packages.txt");
    let wanted = PYTHON_PACKAGES.join("\n");
    if pyhanko_exe().exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        eprintln!("{} present in {}", PYTHON_PACKAGES.join(", "), venv_dir().display());
        return Ok(());
    }
    let python = ["python3", "python"].into_iter().find(|p| have(p)).ok_or(
        "Python 3 is required for the signature test oracle (pyHanko); on Debian/Ubuntu: apt-get install python3-venv",
    )?;
    if !venv_bin().join(format!("python{}", env::consts::EXE_SUFFIX)).exists() {
        let dir = venv_dir();
        let dir = dir.to_str().ok_or("the cache folder's path is not UTF-8")?;
        // Debian's python3 ships venv separately: `python3-venv` is among the system packages.
        sh(&root(), python, &["-m", "venv", dir])?;
    }
    let pip = venv_bin().join(format!("pip{}", env::consts::EXE_SUFFIX));
    let pip = pip.to_str().ok_or("the cache folder's path is not UTF-8")?;
    let mut args = vec!["install", "--quiet", "--disable-pip-version-check"];
    args.extend(PYTHON_PACKAGES);
    sh(&root(), pip, &args)?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(())
}

fn venv_python() -> PathBuf {
    venv_bin().join(format!("python{}", env::consts::EXE_SUFFIX))
}

/// Where `cargo install` puts programs: $CARGO_INSTALL_ROOT/bin, $CARGO_HOME/bin or ~/.cargo/bin.
fn cargo_bin_dir() -> PathBuf {
    if let Some(root) = env::var_os("CARGO_INSTALL_ROOT") {
        return PathBuf::from(root).join("bin");
    }
    let home = env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" }).unwrap_or_default())
            .join(".cargo")
    });
    home.join("bin")
}

fn tauri_driver_exe() -> PathBuf {
    cargo_bin_dir().join(format!("tauri-driver{}", env::consts::EXE_SUFFIX))
}

/// Whether `cargo install --list` shows tauri-driver of the wanted major version.
fn installed_tauri_driver(list: &str) -> bool {
    list.lines().any(|l| {
        l.strip_prefix("tauri-driver v")
            .and_then(|v| v.split('.').next())
            .is_some_and(|major| major == TAURI_DRIVER_MAJOR)
    })
}

/// tauri-driver from crates.io (it has no `--version`: `cargo install --list` tells the version).
fn setup_tauri_driver() -> Result {
    step("tauri-driver (end-to-end tests)");
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the end-to-end tests run on Linux (WebKitWebDriver)");
        return Ok(());
    }
    let list = Command::new("cargo")
        .args(["install", "--list"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if installed_tauri_driver(&list) && tauri_driver_exe().exists() {
        eprintln!("tauri-driver {TAURI_DRIVER_MAJOR}.x present: {}", tauri_driver_exe().display());
        return Ok(());
    }
    let version = format!("^{TAURI_DRIVER_MAJOR}");
    sh(&root(), "cargo", &["install", "tauri-driver", "--locked", "--version", &version])
}

fn setup_system() -> Result {
    step("system packages");
    if !cfg!(target_os = "linux") || !have("apt-get") {
        eprintln!("not a Debian/Ubuntu system: install the Tauri prerequisites for your platform (https://tauri.app), plus poppler-utils and qpdf for the tests");
        return Ok(());
    }
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| {
            let out = Command::new("dpkg-query").args(["-W", "-f=${Status}", p]).output();
            !matches!(out, Ok(o) if String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        eprintln!("all {} packages present", APT_PACKAGES.len());
        return Ok(());
    }
    eprintln!("installing: {}", missing.join(" "));
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let mut update: Vec<&str> = sudo.to_vec();
    update.extend(["apt-get", "update", "-qq"]);
    let mut install: Vec<&str> = sudo.to_vec();
    install.extend([
        "env",
        "DEBIAN_FRONTEND=noninteractive",
        "apt-get",
        "install",
        "-y",
        "-qq",
        "--no-install-recommends",
    ]);
    install.extend(&missing);
    sh(&root(), update[0], &update[1..])?;
    sh(&root(), install[0], &install[1..])
}

fn setup_ui() -> Result {
    step("npm packages (ui/)");
    if !have("npm") {
        return Err("Node.js (20.19 or newer) with npm is required: https://nodejs.org".into());
    }
    let ui = root().join("ui");
    let lock = ui.join("package-lock.json");
    let stamp = ui.join("node_modules/.package-lock.json");
    let fresh = match (lock.metadata().and_then(|m| m.modified()), stamp.metadata().and_then(|m| m.modified())) {
        (Ok(l), Ok(s)) => s >= l,
        _ => false,
    };
    if fresh && env::var_os("CI").is_none() {
        eprintln!("node_modules up to date");
        return Ok(());
    }
    sh(&ui, "npm", &["ci", "--no-audit", "--no-fund"])
}

// ---------------------------------------------------------------- run

fn run(headless: bool) -> Result {
    let display = env::var_os("DISPLAY").is_some() || env::var_os("WAYLAND_DISPLAY").is_some();
    if headless {
        return run_headless();
    }
    if cfg!(target_os = "linux") && !display {
        eprintln!(
            "xtask: there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop app cannot open a window.\n\
             To try Briefwright without a display, run:  cargo xtask run --headless\n\
             (it builds the command-line tool, imports the sample reports into a demo library and exports them)."
        );
        return Err("no display".into());
    }
    setup()?;
    build_ui()?;
    build_app()?;
    step("start Briefwright");
    sh(&root(), app_exe().to_str().expect("UTF-8 path"), &[])
}

/// The desktop app with the built UI embedded (ui/dist must be built first).
/// Startup and preview refresh of the real window (tests/e2e/bench_app.py) → docs/benchmarks/app.md.
fn bench_app() -> Result {
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

fn build_app() -> Result {
    step("build the desktop app");
    sh(&root(), "cargo", &["build", "-p", "briefwright-desktop", "--features", "custom-protocol"])
}

fn app_exe() -> PathBuf {
    target_dir().join("debug").join(format!("briefwright-desktop{}", env::consts::EXE_SUFFIX))
}

fn run_headless() -> Result {
    step("build the command-line tool");
    sh(&root(), "cargo", &["build", "-p", "briefwright", "--bin", "briefwright"])?;
    let exe = target_dir().join("debug").join(format!("briefwright{}", env::consts::EXE_SUFFIX));
    let demo = target_dir().join("briefwright-demo");
    let _ = std::fs::remove_dir_all(&demo);
    let library = demo.join("library");
    let exe = exe.to_str().expect("UTF-8 path");
    let lib = library.to_str().expect("UTF-8 path");
    step("import the sample reports into a demo library");
    let fixtures = root().join("tests/fixtures/reports");
    let mut samples: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map_err(|e| format!("cannot read {}: {e}", fixtures.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    samples.sort();
    let mut args = vec!["--data-dir", lib, "import"];
    args.extend(samples.iter().map(|p| p.to_str().expect("UTF-8 path")));
    let out = Command::new(exe)
        .args(&args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start {exe}: {e}"))?;
    if !out.status.success() {
        return Err("importing the sample reports failed".into());
    }
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect();
    sh(&root(), exe, &["--data-dir", lib, "list"])?;
    step("export the samples (PDF brief, Markdown, text, JSON)");
    for (i, id) in ids.iter().enumerate() {
        for ext in ["pdf", "md", "txt", "json"] {
            let file = demo.join(format!("sample-{}.{ext}", i + 1));
            sh(&root(), exe, &["--data-dir", lib, "export", id, "--out", file.to_str().expect("UTF-8 path")])?;
        }
    }
    step("create a demo signing identity and sign the first sample's brief");
    // A throwaway key for the demo library only; real identities get a passphrase from a prompt.
    let demo_env = [("BRIEFWRIGHT_PASSPHRASE", "demo passphrase")];
    sh_env(
        &root(),
        exe,
        &["--data-dir", lib, "identity", "new", "--name", "demo", "--org", "Briefwright demo"],
        &demo_env,
    )?;
    let signed = demo.join("sample-1-signed.pdf");
    let signed = signed.to_str().expect("UTF-8 path");
    sh_env(
        &root(),
        exe,
        &["--data-dir", lib, "export", &ids[0], "--out", signed, "--sign", "--identity", "demo"],
        &demo_env,
    )?;
    step("verify the signed brief");
    sh(&root(), exe, &["--data-dir", lib, "verify", signed])?;
    eprintln!(
        "\nDemo library:     {}\nExports:          {}\nSigned PDF brief: {signed}\nTry:              {exe} --data-dir {lib} search drought",
        library.display(),
        demo.display()
    );
    Ok(())
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

fn build_ui() -> Result {
    step("build the UI");
    sh(&root().join("ui"), "npm", &["run", "build"])
}

// ---------------------------------------------------------------- test

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

fn test() -> Result {
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

    build_ui()?;
    step("UI type check and unit tests (svelte-check, vitest)");
    sh(&root.join("ui"), "npm", &["run", "check"])?;
    counted(&root.join("ui"), "npm", &["test"], &mut tally, parse_vitest)?;

    step("Rust tests (whole workspace)");
    // The signature tests find pyHanko through PATH and BRIEFWRIGHT_PYHANKO.
    let path = env::var_os("PATH").unwrap_or_default();
    let path = env::join_paths(std::iter::once(venv_bin()).chain(env::split_paths(&path)))
        .map_err(|e| format!("cannot extend PATH: {e}"))?;
    env::set_var("PATH", &path);
    env::set_var("BRIEFWRIGHT_PYHANKO", pyhanko_exe());
    counted(
        &root,
        "cargo",
        &["test", "--workspace", "--features", "briefwright-desktop/custom-protocol"],
        &mut tally,
        parse_cargo,
    )?;

    step("desktop app opens a window (Xvfb)");
    smoke_app()?;

    // The workspace tests above built the app with the UI embedded; this is quick then, and makes
    // sure the window tests drive the app as `cargo xtask run` builds it.
    build_app()?;
    let e2e_time = match run_e2e(&mut tally, &[]) {
        Ok(took) => took,
        Err(e) => {
            println!("tests: {} passed, {} failed", tally.passed, tally.failed);
            return Err(e);
        }
    };

    let deb_time = build_deb()?;

    step(&format!("the whole workspace compiles for Windows ({WINDOWS_TARGET})"));
    windows_check()?;

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
fn counted_env(
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
fn parse_pytest(line: &str) -> Option<(u64, u64)> {
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

/// Starts the built app under Xvfb with an empty library, checks it stays up and
/// shows a window, and keeps a screenshot under target/.
fn smoke_app() -> Result {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the window check runs on Linux under Xvfb");
        return Ok(());
    }
    let exe = target_dir().join("debug/briefwright-desktop");
    let data = target_dir().join("smoke-data");
    let _ = std::fs::remove_dir_all(&data);
    let shot = target_dir().join("smoke-window.png");
    let _ = std::fs::remove_file(&shot);
    let script = format!(
        r#"set -u
BRIEFWRIGHT_DATA_DIR='{data}' '{exe}' & app=$!
for i in $(seq 1 60); do
  if xwininfo -root -tree 2>/dev/null | grep -q '"Briefwright"'; then break; fi
  if ! kill -0 $app 2>/dev/null; then echo "the app exited early" >&2; exit 1; fi
  sleep 0.5
done
sleep 3
if ! kill -0 $app 2>/dev/null; then echo "the app exited" >&2; exit 1; fi
xwininfo -root -tree | grep -q '"Briefwright"' || {{ echo "no Briefwright window appeared" >&2; kill $app; exit 1; }}
import -window root '{shot}'
kill $app; wait $app 2>/dev/null
test -s '{data}/library.sqlite3' || {{ echo "the app did not create its library" >&2; exit 1; }}
echo "window up; screenshot: {shot}""#,
        data = data.display(),
        exe = exe.display(),
        shot = shot.display()
    );
    sh(&root(), "xvfb-run", &["-a", "-s", "-screen 0 1280x800x24", "bash", "-c", &script])
}

// ---------------------------------------------------------------- end-to-end tests and packaging

/// `cargo xtask e2e [PYTEST ARGS]`: builds the app and runs only the end-to-end tests.
fn e2e(pytest_args: &[String]) -> Result {
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
fn run_e2e(tally: &mut Tally, pytest_args: &[&str]) -> Result<Duration> {
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

/// Builds the Debian package through the Tauri CLI (ui/scripts/tauri.js points it at
/// src-tauri/) and checks what it holds. Returns how long the build took.
fn build_deb() -> Result<Duration> {
    step("Debian package (tauri build --debug --bundles deb)");
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: .deb packages are built on Linux");
        return Ok(Duration::ZERO);
    }
    check_icons()?;
    ensure_cli_config()?;
    let bundle = target_dir().join("debug/bundle/deb");
    let _ = std::fs::remove_dir_all(&bundle);
    let started = Instant::now();
    // The CLI runs beforeBuildCommand (npm run build) in ui/ and builds with custom-protocol.
    let built = sh(&root().join("ui"), "npm", &["run", "tauri", "--", "build", "--debug", "--bundles", "deb", "--ci"]);
    let took = started.elapsed();
    // The bundler's staging folder holds another copy of the binary (~700 MB in a debug build):
    // only the .deb is kept, whether or not the build got that far.
    for entry in std::fs::read_dir(&bundle).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    built?;
    let debs: Vec<PathBuf> = std::fs::read_dir(&bundle)
        .map_err(|e| format!("no bundle folder {}: {e}", bundle.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .collect();
    let [deb] = debs.as_slice() else {
        return Err(format!("expected one .deb in {}, found {debs:?}", bundle.display()));
    };
    check_deb(deb)?;
    eprintln!("built in {:.0} s", took.as_secs_f64());
    Ok(took)
}

/// Output of a command, which must succeed.
fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("cannot start {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{program} {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The package holds the app, a desktop entry and icons, and says what it depends on.
fn check_deb(deb: &Path) -> Result {
    let path = deb.to_str().ok_or("the package path is not UTF-8")?;
    let info = output("dpkg-deb", &["-I", path])?;
    let files = output("dpkg-deb", &["-c", path])?;
    // "-rwxr-xr-x 0/0 700660800 2026-11-26 11:18 usr/bin/briefwright-desktop" ("./usr/…" in
    // some dpkg versions): the path, from the root.
    let names: Vec<&str> = files
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|n| n.trim_start_matches("./").trim_start_matches('/'))
        .collect();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.trim().strip_prefix(name).and_then(|r| r.strip_prefix(':')).map(|v| v.trim().to_string()))
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    if !names.contains(&"usr/bin/briefwright-desktop") {
        problems.push("no usr/bin/briefwright-desktop".to_string());
    }
    let desktop: Vec<&str> =
        names.iter().copied().filter(|n| n.starts_with("usr/share/applications/") && n.ends_with(".desktop")).collect();
    let icons: Vec<&str> =
        names.iter().copied().filter(|n| n.starts_with("usr/share/icons/hicolor/") && n.ends_with(".png")).collect();
    if icons.is_empty() {
        problems.push("no icons under usr/share/icons/hicolor".to_string());
    }
    match desktop.as_slice() {
        [entry] => {
            // The desktop entry starts the packaged binary and names the packaged icon.
            let text = output(
                "sh",
                &[
                    "-c",
                    &format!("dpkg-deb --fsys-tarfile '{path}' | tar -xOf - './{entry}' '{entry}' 2>/dev/null; true"),
                ],
            )?;
            if !text.lines().any(|l| l.trim() == "Exec=briefwright-desktop") {
                problems.push(format!("{entry} does not start briefwright-desktop:\n{text}"));
            }
            let icon = text.lines().find_map(|l| l.trim().strip_prefix("Icon=")).unwrap_or("");
            if icon.is_empty() || !icons.iter().any(|i| i.ends_with(&format!("/apps/{icon}.png"))) {
                problems.push(format!("{entry} names icon {icon:?}, which the package does not hold"));
            }
        }
        _ => problems.push(format!("expected one .desktop file under usr/share/applications, found {desktop:?}")),
    }
    if !field("Depends").contains("libwebkit2gtk-4.1") {
        problems.push(format!("Depends does not name libwebkit2gtk-4.1: {:?}", field("Depends")));
    }
    let size = deb.metadata().map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "{}: {:.1} MB; package {} {} ({}), installed size {} KiB, depends on {}\n  desktop entry: {}\n  icons: {}",
        deb.display(),
        size as f64 / 1e6,
        field("Package"),
        field("Version"),
        field("Architecture"),
        field("Installed-Size"),
        field("Depends"),
        desktop.join(", "),
        icons.join(", "),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", deb.display(), problems.join("; ")))
    }
}

/// Every icon the bundle config names exists and is what its name says: PNGs of the size in the
/// name (`@2x` doubles it; icon.png at least 512), a Windows .ico and a macOS .icns.
fn check_icons() -> Result {
    step("bundle icons");
    let config =
        std::fs::read_to_string(root().join("tauri.conf.json")).map_err(|e| format!("tauri.conf.json: {e}"))?;
    let icons = bundle_icons(&config)?;
    let mut kinds = Vec::new();
    for icon in &icons {
        let path = root().join(icon);
        let bytes = std::fs::read(&path).map_err(|e| format!("bundle icon {icon}: {e}"))?;
        let kind = icon_kind(icon, &bytes)?;
        eprintln!("{icon}: {kind}");
        kinds.push(kind);
    }
    for needed in ["ICO", "ICNS", "PNG"] {
        if !kinds.iter().any(|k| k.starts_with(needed)) {
            return Err(format!("the bundle icons have no {needed} file"));
        }
    }
    Ok(())
}

/// The `bundle.icon` list of tauri.conf.json (read without a JSON library: a list of strings).
fn bundle_icons(config: &str) -> Result<Vec<String>> {
    let bundle = config.find("\"bundle\"").ok_or("tauri.conf.json has no bundle section")?;
    let rest = &config[bundle..];
    let start = rest.find("\"icon\"").ok_or("the bundle section names no icons")?;
    let rest = &rest[start..];
    let open = rest.find('[').ok_or("bundle.icon is not a list")?;
    let close = rest.find(']').ok_or("bundle.icon is not a list")?;
    Ok(rest[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// What an icon file is, checked against its name.
fn icon_kind(name: &str, bytes: &[u8]) -> Result<String> {
    if name.ends_with(".png") {
        if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
            return Err(format!("{name} is not a PNG"));
        }
        let w = u32::from_be_bytes(bytes[16..20].try_into().expect("4 bytes"));
        let h = u32::from_be_bytes(bytes[20..24].try_into().expect("4 bytes"));
        let file = Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let (size, scale) = file.split_once('@').map_or((file, 1), |(s, x)| (s, if x == "2x" { 2 } else { 1 }));
        let want = size
            .split_once('x')
            .and_then(|(a, b)| Some((a.parse::<u32>().ok()? * scale, b.parse::<u32>().ok()? * scale)));
        match want {
            Some(want) if want != (w, h) => {
                return Err(format!("{name} is {w}x{h}, its name says {}x{}", want.0, want.1))
            }
            None if w != h || w < 512 => {
                return Err(format!("{name} is {w}x{h}: the app icon must be square, 512 or more"))
            }
            _ => {}
        }
        Ok(format!("PNG {w}x{h}"))
    } else if name.ends_with(".ico") {
        if bytes.len() < 6 || bytes[..4] != [0, 0, 1, 0] {
            return Err(format!("{name} is not a Windows icon"));
        }
        Ok(format!("ICO, {} images", u16::from_le_bytes([bytes[4], bytes[5]])))
    } else if name.ends_with(".icns") {
        if bytes.len() < 8
            || &bytes[..4] != b"icns"
            || u32::from_be_bytes(bytes[4..8].try_into().expect("4 bytes")) as usize != bytes.len()
        {
            return Err(format!("{name} is not a macOS icon set"));
        }
        Ok(format!("ICNS, {} bytes", bytes.len()))
    } else {
        Err(format!("{name}: unknown icon type"))
    }
}

/// The Tauri CLI reads src-tauri/tauri.conf.json, a symlink to the root config. A checkout
/// without symlinks (Windows without core.symlinks) has a small text file there instead: put a
/// copy of the root config in its place.
fn ensure_cli_config() -> Result {
    let real = root().join("tauri.conf.json");
    let cli = root().join("src-tauri/tauri.conf.json");
    let want = std::fs::read(&real).map_err(|e| format!("{}: {e}", real.display()))?;
    if std::fs::read(&cli).is_ok_and(|have| have == want) {
        return Ok(());
    }
    eprintln!("{} is not the root config (a checkout without symlinks?): copying it there", cli.display());
    let _ = std::fs::remove_file(&cli);
    std::fs::write(&cli, want).map_err(|e| format!("{}: {e}", cli.display()))
}

/// `cargo check` of every crate for Windows. Only a failure to *install* the target
/// (no way to download it on this machine) skips the check, loudly; a compile error fails.
fn windows_check() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == WINDOWS_TARGET))
        .unwrap_or(false);
    if !installed && sh(&root(), "rustup", &["target", "add", WINDOWS_TARGET]).is_err() {
        eprintln!(
            "\n!!! WARNING: the Rust target {WINDOWS_TARGET} could not be installed on this machine, so the \
             Windows build check was SKIPPED. It has NOT passed.\n"
        );
        return Ok(());
    }
    sh(&root(), "cargo", &["check", "--workspace", "--all-targets", "--target", WINDOWS_TARGET])
}

// ---------------------------------------------------------------- bench

fn bench() -> Result {
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

    #[test]
    fn finds_tauri_driver_of_the_wanted_major_version() {
        assert!(installed_tauri_driver("ripgrep v14.1.0:\n    rg\ntauri-driver v2.1.0:\n    tauri-driver\n"));
        assert!(!installed_tauri_driver("tauri-driver v0.1.5:\n    tauri-driver\n"));
        assert!(!installed_tauri_driver(""));
    }

    /// A small package laid out as Tauri's bundler does, with or without some parts.
    fn fake_deb(dir: &Path, desktop: bool, icon: bool) -> PathBuf {
        let _ = std::fs::remove_dir_all(dir);
        let tree = dir.join("tree");
        let write = |rel: &str, text: &str| {
            let path = tree.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "DEBIAN/control",
            "Package: briefwright\nVersion: 0.1.0\nArchitecture: amd64\nMaintainer: Briefwright\n\
             Depends: libwebkit2gtk-4.1-0, libgtk-3-0\nDescription: test\n",
        );
        write("usr/bin/briefwright-desktop", "#!/bin/sh\n");
        if desktop {
            write(
                "usr/share/applications/Briefwright.desktop",
                "[Desktop Entry]\nExec=briefwright-desktop\nIcon=briefwright-desktop\nName=Briefwright\nType=Application\n",
            );
        }
        if icon {
            write("usr/share/icons/hicolor/32x32/apps/briefwright-desktop.png", "png");
        }
        let deb = dir.join("test.deb");
        sh(dir, "dpkg-deb", &["--build", "--root-owner-group", "tree", "test.deb"]).unwrap();
        deb
    }

    #[test]
    fn checks_the_debian_package() {
        if !have("dpkg-deb") {
            eprintln!("skipped: no dpkg-deb here");
            return;
        }
        let dir = env::temp_dir().join(format!("xtask-deb-check-{}", std::process::id()));
        check_deb(&fake_deb(&dir, true, true)).unwrap();
        let err = check_deb(&fake_deb(&dir, false, true)).unwrap_err();
        assert!(err.contains(".desktop"), "{err}");
        let err = check_deb(&fake_deb(&dir, true, false)).unwrap_err();
        assert!(err.contains("icons") && err.contains("names icon"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn checks_bundle_icons() {
        let config =
            r#"{ "icon": ["x.png"], "bundle": { "active": true, "icon": [ "icons/32x32.png", "icons/icon.ico" ] } }"#;
        assert_eq!(bundle_icons(config).unwrap(), ["icons/32x32.png", "icons/icon.ico"]);
        let png = |w: u32, h: u32| {
            let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
            b.extend(w.to_be_bytes());
            b.extend(h.to_be_bytes());
            b
        };
        assert_eq!(icon_kind("icons/32x32.png", &png(32, 32)).unwrap(), "PNG 32x32");
        assert_eq!(icon_kind("icons/128x128@2x.png", &png(256, 256)).unwrap(), "PNG 256x256");
        assert!(icon_kind("icons/128x128.png", &png(64, 64)).is_err());
        assert!(icon_kind("icons/icon.png", &png(256, 256)).is_err());
        assert_eq!(icon_kind("icons/icon.png", &png(512, 512)).unwrap(), "PNG 512x512");
        assert!(icon_kind("icons/icon.ico", b"\0\0\x01\0\x06\0").unwrap().starts_with("ICO"));
        assert!(icon_kind("icons/icon.ico", &png(16, 16)).is_err());
        assert!(icon_kind("icons/icon.icns", b"icns\0\0\0\x08").is_ok());
        assert!(icon_kind("icons/icon.icns", b"icns\0\0\0\x09").is_err());
        // The repository's own icons pass.
        check_icons().unwrap();
    }
}
