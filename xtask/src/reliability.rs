//! `cargo xtask reliability`: runs the reliability checks at full length (the test command runs
//! the same tests, bounded) and writes their figures into docs/reliability.md.
//!
//! Each test appends one JSON line `{"check": ..., "figures": {...}}` to the file named by
//! `BRIEFWRIGHT_RELIABILITY_LOG` (tests/util `record_figures`); this task renders them.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::{root, step, Result};

/// One check: the tests that run it, at full length.
struct Check {
    /// The `check` name the tests record.
    names: &'static [&'static str],
    /// The figures the summary table shows, as `check.key` (every figure is in the check's section).
    headline: &'static [&'static str],
    title: &'static str,
    proves: &'static str,
    /// `cargo test` arguments.
    cargo: &'static [&'static str],
    /// The full run's sizes (the test command uses the tests' small defaults).
    full: &'static [(&'static str, &'static str)],
}

const CHECKS: &[Check] = &[
    Check {
        names: &["crash_random_writers_sigkill", "crash_import_sigkill"],
        headline: &[
            "crash_random_writers_sigkill.kills",
            "crash_random_writers_sigkill.killed_mid_write",
            "crash_random_writers_sigkill.acked_saves_checked",
            "crash_random_writers_sigkill.orphans_after_gc",
            "crash_import_sigkill.kills",
            "crash_import_sigkill.reports_committed",
        ],
        title: "Crash safety (SIGKILL at random points)",
        proves: "Writers (the CLI and the core API) are killed at random moments. After every kill: \
                 `PRAGMA integrity_check` is ok, `foreign_key_check` is empty, the derived tables are in \
                 step, every acknowledged save is present with its content, no referenced image is \
                 missing and every stored image hashes to its name.",
        cargo: &["test", "-p", "briefwright", "--test", "crash", "sigkill", "--", "--test-threads=1"],
        full: &[("BRIEFWRIGHT_CRASH_KILLS", "1000"), ("BRIEFWRIGHT_KILL_ITERATIONS", "100")],
    },
    Check {
        names: &["concurrent_writers"],
        headline: &[
            "concurrent_writers.writers",
            "concurrent_writers.rounds",
            "concurrent_writers.reports_imported",
            "concurrent_writers.api_saves",
            "concurrent_writers.lost",
            "concurrent_writers.duplicated",
            "concurrent_writers.busy_errors",
        ],
        title: "Concurrent writers",
        proves: "Several processes write at once: nothing is lost or duplicated, and \"database is \
                 locked\" never reaches the user.",
        cargo: &["test", "-p", "briefwright", "--test", "crash", "concurrent", "--", "--test-threads=1"],
        full: &[("BRIEFWRIGHT_CONCURRENT_ROUNDS", "40")],
    },
    Check {
        names: &["fault_read_only_folder", "fault_full_disk", "fault_newer_version", "fault_damaged_library"],
        headline: &[
            "fault_read_only_folder.reads_ok",
            "fault_read_only_folder.writes_refused",
            "fault_read_only_folder.db_unchanged",
            "fault_full_disk.faults_injected",
            "fault_full_disk.reads_while_full",
            "fault_newer_version.commands_refused",
            "fault_damaged_library.variants",
        ],
        title: "Resource faults",
        proves: "A read-only data folder, a full disk (a small tmpfs), a database from a newer version \
                 and corrupted database files: each gives one clear sentence and a defined exit status, \
                 and nothing saved before is lost.",
        cargo: &["test", "-p", "briefwright", "--test", "faults", "--", "--test-threads=1"],
        full: &[],
    },
    Check {
        names: &["backup_under_load"],
        headline: &[],
        title: "Backup under write load",
        proves: "Backups taken while another process imports are each a state the library was in; \
                 restored, the last one is identical to the source library.",
        cargo: &["test", "-p", "briefwright", "--test", "backup"],
        full: &[],
    },
    Check {
        names: &["fuzz_text", "fuzz_json", "fuzz_image", "fuzz_verify"],
        headline: &[
            "fuzz_text.inputs",
            "fuzz_text.failures",
            "fuzz_json.inputs",
            "fuzz_json.failures",
            "fuzz_image.inputs",
            "fuzz_image.failures",
            "fuzz_verify.inputs",
            "fuzz_verify.failures",
        ],
        title: "Fuzzing",
        proves: "The text-format parser, the JSON importer, image attachment and the signature \
                 verifier, each on structure-aware and byte-mutated inputs: no panic, typed errors, \
                 round trips that hold, and never \"valid\" for a changed signed file.",
        cargo: &["test", "-p", "briefwright", "--test", "fuzz"],
        full: &[("BRIEFWRIGHT_FUZZ_SECONDS", "120")],
    },
    Check {
        names: &["naughty_strings_end_to_end", "naughty_strings_text_format"],
        headline: &[
            "naughty_strings_end_to_end.strings",
            "naughty_strings_end_to_end.imported_and_stored_exactly",
            "naughty_strings_end_to_end.json_export_reimported_exactly",
            "naughty_strings_end_to_end.search_found",
            "naughty_strings_end_to_end.pdf_outcomes",
        ],
        title: "Hostile text (Big List of Naughty Strings)",
        proves: "Every string through import, store, search, every export format and the PDF: text in \
                 = text out, checked by re-import and by pdftotext. The text format cannot carry some \
                 strings in some fields by design (a technique name must look like a heading, commas \
                 split tags): each such case is named in a warning, never changed silently.",
        cargo: &["test", "-p", "briefwright", "--test", "naughty"],
        full: &[],
    },
    Check {
        names: &["ipc_hardening"],
        headline: &[],
        title: "IPC hardening",
        proves: "Every desktop command (read from the source) called with missing, wrong-typed, \
                 oversized and path-traversal arguments on Tauri's mock runtime: a typed refusal, never \
                 a panic; the library sound and nothing written outside the test folder afterwards.",
        cargo: &["test", "-p", "briefwright-desktop", "--features", "custom-protocol", "--test", "ipc_hardening"],
        full: &[],
    },
];

pub fn reliability() -> Result {
    let root = root();
    let log = std::env::temp_dir().join(format!("briefwright-reliability-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let mut runs = Vec::new();
    for check in CHECKS {
        step(check.title);
        let started = Instant::now();
        let status = Command::new("cargo")
            .args(check.cargo)
            .envs(check.full.iter().copied())
            .env("BRIEFWRIGHT_RELIABILITY_LOG", &log)
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cannot start cargo: {e}"))?;
        if !status.success() {
            return Err(format!("{} failed: `cargo {}`", check.title, check.cargo.join(" ")));
        }
        runs.push(started.elapsed().as_secs_f64());
    }
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    // Kept beside the page, so it can be rendered again without running everything.
    let _ = std::fs::copy(&log, root.join("docs/reliability.jsonl"));
    let _ = std::fs::remove_file(&log);
    let figures = parse_log(&text)?;
    let doc = render(&figures, &runs, &today());
    let out = root.join("docs/reliability.md");
    std::fs::write(&out, doc).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("written to {}", out.display());
    Ok(())
}

/// The figures each check recorded, by check name (a check run twice keeps its last figures).
fn parse_log(text: &str) -> Result<BTreeMap<String, Value>> {
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("bad figures line {line:?}: {e}"))?;
        let name = v["check"].as_str().ok_or_else(|| format!("no check name in {line:?}"))?;
        out.insert(name.to_owned(), v["figures"].clone());
    }
    Ok(out)
}

fn render(figures: &BTreeMap<String, Value>, seconds: &[f64], date: &str) -> String {
    let mut s = String::from(
        "# Reliability and security evidence\n\n\
         Written by `cargo xtask reliability`, which runs each check below at full length and \
         records its figures. `cargo xtask test` (the test command, run by `.ci/run`) runs the \
         same tests in a bounded form. Machine: 2 shared cores, Debian 12, debug builds of the \
         tests (dependencies optimised).\n\n",
    );
    s.push_str(&format!("Latest full run: {date}.\n\n"));
    s.push_str("| Check | Figures | Time |\n|---|---|---|\n");
    for (check, secs) in CHECKS.iter().zip(seconds) {
        let found: Vec<String> = check
            .names
            .iter()
            .filter_map(|n| figures.get(*n).map(|f| format!("{n}: {}", flat(&headline(n, f, check.headline)))))
            .collect();
        let shown = if found.is_empty() { "(no figures recorded)".to_owned() } else { found.join("; ") };
        s.push_str(&format!("| {} | {} | {:.0} s |\n", check.title, shown, secs));
    }
    for check in CHECKS {
        s.push_str(&format!("\n## {}\n\n{}\n\n", check.title, check.proves));
        for name in check.names {
            if let Some(f) = figures.get(*name) {
                s.push_str(&format!("- `{name}`: {}\n", flat(f)));
            }
        }
        let env: String = check.full.iter().map(|(k, v)| format!("{k}={v} ")).collect();
        s.push_str(&format!("\nReproduce: `{env}cargo {}`\n", check.cargo.join(" ")));
    }
    s
}

/// The figures of check `name` that `headline` names (all of them when it names none).
fn headline(name: &str, figures: &Value, headline: &[&str]) -> Value {
    let (Value::Object(all), false) = (figures, headline.is_empty()) else { return figures.clone() };
    let keys: Vec<&str> = headline.iter().filter_map(|h| h.strip_prefix(name)?.strip_prefix('.')).collect();
    Value::Object(all.iter().filter(|(k, _)| keys.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// `{"a": 1, "b": "x"}` as `a 1, b x`.
fn flat(v: &Value) -> String {
    match v {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::Object(_) => format!("{} ({})", k.replace('_', " "), flat(v)),
                _ => format!("{} {}", k.replace('_', " "), flat(v)),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(flat).collect::<Vec<_>>().join(" / "),
        Value::Number(n) if n.is_f64() => format!("{:.1}", n.as_f64().unwrap_or_default()),
        other => other.to_string(),
    }
}

fn today() -> String {
    let out = Command::new("date").arg("-u").arg("+%Y-%m-%d %H:%M UTC").output();
    out.ok().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_recorded_figures() {
        let log = "{\"check\":\"fault_full_disk\",\"figures\":{\"faults_injected\":12,\"seconds\":1.25,\"outcomes\":{\"a\":\"ok\"}}}\n\n";
        let figures = parse_log(log).unwrap();
        let doc = render(&figures, &vec![1.0; CHECKS.len()], "2026-11-26");
        // The summary shows the headline figures; the section shows them all.
        assert!(doc.contains("| Resource faults | fault_full_disk: faults injected 12 | 1 s |"), "{doc}");
        assert!(doc.contains("- `fault_full_disk`: faults injected 12, outcomes (a ok), seconds 1.2"), "{doc}");
        assert!(doc.contains("Reproduce: `BRIEFWRIGHT_CRASH_KILLS=1000 BRIEFWRIGHT_KILL_ITERATIONS=100 cargo test"));
        assert!(parse_log("not json").is_err());
    }
}
