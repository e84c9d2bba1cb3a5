//! How the CLI prints: tables for people, JSON for scripts.

use std::io::Write;

use time::format_description::well_known::Rfc3339;

use super::CliError;
use crate::interchange::text;
use crate::model::StoredReport;
use crate::settings::Settings;
use crate::store::{RevisionInfo, SignedExport, Summary};

pub fn stdout(text: &str) -> Result<(), CliError> {
    stdout_bytes(text.as_bytes())
}

pub fn stdout_bytes(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        // A closed pipe (`| head`) is not a failure of ours.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Write { path: "standard output".into(), source: e })
        }
        _ => Ok(()),
    }
}

/// Standard output as a stream for exports (`--out -`). A closed pipe (`| head`) is not a failure.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::io::stdout().lock().write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(buf.len()),
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match std::io::stdout().lock().flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

pub fn json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let mut s = serde_json::to_string_pretty(value).expect("output always serialises");
    s.push('\n');
    stdout(&s)
}

pub fn summaries(rows: &[Summary], as_json: bool) -> Result<(), CliError> {
    if as_json {
        return json(&rows);
    }
    if rows.is_empty() {
        eprintln!("no reports");
        return Ok(());
    }
    let mut s = String::new();
    s.push_str(&format!("{:<13} {:<18} {:<7} {:<10} {}\n", "NUMBER", "TLP", "STATUS", "PUBLISHED", "TITLE"));
    for r in rows {
        let published = r.published.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        s.push_str(&format!(
            "{:<13} {:<18} {:<7} {:<10} {}\n",
            r.number,
            r.tlp.to_string(),
            r.status.as_str(),
            published,
            one_line(&r.title)
        ));
        if let Some(snippet) = r.snippet.as_deref().filter(|s| !s.is_empty()) {
            s.push_str(&format!("{:<13} {}\n", "", one_line(snippet)));
        }
    }
    stdout(&s)
}

pub fn history(rows: &[RevisionInfo], exports: &[SignedExport], as_json: bool) -> Result<(), CliError> {
    if as_json {
        return json(&rows);
    }
    let mut s = format!("{:<8} {:<20} {:<7} {}\n", "REVISION", "SAVED", "STATUS", "NOTE");
    for r in rows {
        let saved = r.saved.format(&Rfc3339).unwrap_or_default();
        s.push_str(&format!("{:<8} {:<20} {:<7} {}\n", r.revision, saved, r.status.as_str(), one_line(&r.note)));
    }
    s.push_str(&signed_exports(exports));
    stdout(&s)
}

/// "Signed exports:" and one line per signed brief, or nothing when there are none.
fn signed_exports(exports: &[SignedExport]) -> String {
    if exports.is_empty() {
        return String::new();
    }
    let mut s = String::from("\nSigned exports:\n");
    for e in exports {
        s.push_str(&format!(
            "  revision {} signed {} by {} (certificate SHA-256 {}) as {} (file SHA-256 {})\n",
            e.report_revision,
            e.signed.format(&Rfc3339).unwrap_or_default(),
            one_line(&e.signer_name),
            e.signer_fingerprint,
            one_line(&e.file_name),
            e.file_sha256
        ));
    }
    s
}

/// A header line, then the report in the text format.
pub fn show(stored: &StoredReport, exports: &[SignedExport]) -> String {
    format!(
        "{} · {} · revision {} · updated {}\n{}\n{}",
        stored.number,
        stored.status.as_str(),
        stored.revision,
        stored.updated.format(&Rfc3339).unwrap_or_default(),
        signed_exports(exports),
        text::write(&stored.report)
    )
}

/// Control characters (newlines, escapes) in report text must not break or recolour a terminal.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

pub fn settings(s: &Settings, as_json: bool) -> Result<(), CliError> {
    if as_json {
        return json(s);
    }
    let none = "(none)";
    stdout(&format!(
        "page-size     {}\ntlp           {}\norganisation  {}\naccent        {}\nlogo          {}\n",
        s.page_size.as_str(),
        s.default_tlp.as_str(),
        s.organisation.as_deref().unwrap_or(none),
        s.accent.as_deref().unwrap_or(none),
        s.logo.as_deref().unwrap_or(none),
    ))
}
