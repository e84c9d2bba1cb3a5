//! Drives the built `briefwright` binary as a black box from temporary folders.

#![allow(dead_code)]

pub mod rng;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_briefwright");

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A throwaway library and working folder.
pub struct Lab {
    pub dir: tempfile::TempDir,
}

/// What a finished command printed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Lab {
    pub fn new() -> Lab {
        Lab { dir: tempfile::tempdir().unwrap() }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--data-dir").arg(self.data()).args(args).current_dir(self.dir.path());
        c.env_remove("BRIEFWRIGHT_DATA_DIR").env_remove("SOURCE_DATE_EPOCH").stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        finish(self.cmd(args).output().unwrap())
    }

    /// Runs and insists on success.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(r.code, 0, "briefwright {args:?} failed:\n{}", r.stderr);
        r
    }

    pub fn import(&self, files: &[&Path]) -> Vec<String> {
        let mut args = vec!["import".to_string()];
        args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.ok(&args).stdout.lines().map(str::to_string).collect()
    }

    /// The lossless JSON of a report, parsed.
    pub fn show_json(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["show", id, "--json"]).stdout).unwrap()
    }

    /// Everything in the library that a failed command must leave as it was.
    pub fn snapshot(&self) -> String {
        if !self.data().join("library.sqlite3").exists() {
            return "no library".into();
        }
        let list = self.ok(&["list", "--json"]).stdout;
        let rows: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
        let mut all = list.clone();
        for row in rows {
            let id = row["id"].as_str().unwrap();
            all.push_str(&self.ok(&["show", id, "--json"]).stdout);
            all.push_str(&self.ok(&["history", id, "--json"]).stdout);
        }
        all
    }
}

pub fn finish(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

impl Lab {
    /// Runs with extra environment variables.
    pub fn run_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut c = self.cmd(args);
        for (k, v) in vars {
            c.env(k, v);
        }
        finish(c.output().unwrap())
    }
}

/// The text of a PDF's last page by `pdftotext`; `None` (said loudly) when poppler is not
/// installed, except under CI, where a missing oracle fails the test.
pub fn pdftotext_last_page(pdf: &Path) -> Option<String> {
    let info = match Command::new("pdfinfo").arg(pdf).output() {
        Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
        Err(_) => {
            assert!(std::env::var_os("CI").is_none(), "pdfinfo (poppler-utils) is required under CI");
            eprintln!("SKIPPED: pdfinfo/pdftotext not installed (poppler-utils)");
            return None;
        }
    };
    let pages: u32 = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(|n| n.trim().parse().unwrap()).unwrap();
    let out = Command::new("pdftotext")
        .args(["-f", &pages.to_string(), "-l", &pages.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    Some(String::from_utf8(out.stdout).unwrap())
}

/// All the text of a PDF by `pdftotext`; `None` (said loudly) without poppler, except under CI.
pub fn pdftotext_all(pdf: &Path) -> Option<String> {
    pdftotext_with(&[], pdf)
}

/// `pdftotext` with extra options (e.g. `-raw`); `None` (said loudly) without poppler, except under CI.
pub fn pdftotext_with(options: &[&str], pdf: &Path) -> Option<String> {
    match Command::new("pdftotext").args(options).arg(pdf).arg("-").output() {
        Ok(out) => {
            assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(_) => {
            assert!(std::env::var_os("CI").is_none(), "pdftotext (poppler-utils) is required under CI");
            eprintln!("SKIPPED: pdftotext not installed (poppler-utils)");
            None
        }
    }
}

/// Records a reliability figure for docs/reliability.md: when `BRIEFWRIGHT_RELIABILITY_LOG`
/// names a file (as `cargo xtask reliability` does), appends one JSON line
/// `{"check": ..., "figures": {...}}` to it. Does nothing otherwise.
pub fn record_figures(check: &str, figures: serde_json::Value) {
    let Some(path) = std::env::var_os("BRIEFWRIGHT_RELIABILITY_LOG") else { return };
    use std::io::Write;
    let line = serde_json::json!({ "check": check, "figures": figures }).to_string();
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    writeln!(f, "{line}").unwrap();
}
