//! `cargo xtask setup`: what the build and the tests need, installed when missing: system
//! packages (apt), the Python test tools in a venv, tauri-driver and the UI's npm packages.

use std::env;
use std::path::PathBuf;
use std::process::Command;

use crate::{have, root, sh, step, target_dir, Result};

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

pub fn setup() -> Result {
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

pub fn venv_bin() -> PathBuf {
    venv_dir().join(if cfg!(windows) { "Scripts" } else { "bin" })
}

pub fn pyhanko_exe() -> PathBuf {
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

pub fn venv_python() -> PathBuf {
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

pub fn tauri_driver_exe() -> PathBuf {
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

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tauri_driver_of_the_wanted_major_version() {
        assert!(installed_tauri_driver("ripgrep v14.1.0:\n    rg\ntauri-driver v2.1.0:\n    tauri-driver\n"));
        assert!(!installed_tauri_driver("tauri-driver v0.1.5:\n    tauri-driver\n"));
        assert!(!installed_tauri_driver(""));
    }
}
