//! `cargo xtask <task>`: the project's task runner (matklad's xtask convention).
//!
//! - `run [--headless]`  install what is missing, build the UI and the app, start it
//! - `test`              install what is missing, run every test and check
//! - `setup`             only the installation step
//! - `bench`             run the benchmarks and write their tables into docs/
//!
//! Plain std only, so that this builds in seconds on a fresh machine.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

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

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match task {
        "setup" => setup(),
        "run" => run(rest.iter().any(|a| a == "--headless")),
        "test" => test(),
        "bench" => bench(),
        _ => {
            eprintln!("usage: cargo xtask <run [--headless] | test | setup | bench>");
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

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
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
    setup_ui()
}

/// The Python test oracle for signatures (pyHanko), pinned, in a venv under the cache folder.
const PYTHON_PACKAGES: &[&str] = &["pyhanko==0.38.0", "pyhanko-cli==0.6.0"];

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
    step("Python test oracles (pyHanko)");
    let stamp = venv_dir().join("briefwright-packages.txt");
    let wanted = PYTHON_PACKAGES.join("\n");
    if pyhanko_exe().exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        eprintln!("pyHanko present in {}", venv_dir().display());
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
    step("build the desktop app");
    sh(&root(), "cargo", &["build", "-p", "briefwright-desktop", "--features", "custom-protocol"])?;
    step("start Briefwright");
    let exe = target_dir().join("debug").join(format!("briefwright-desktop{}", env::consts::EXE_SUFFIX));
    sh(&root(), exe.to_str().expect("UTF-8 path"), &[])
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

    step(&format!("the whole workspace compiles for Windows ({WINDOWS_TARGET})"));
    windows_check()?;

    eprintln!("\nxtask: every check passed in {:.0} s", started.elapsed().as_secs_f64());
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
    use std::io::{BufRead, BufReader, Write};
    let mut child = Command::new(program)
        .args(args)
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
    }
}
