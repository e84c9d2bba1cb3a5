//! The `briefwright` command-line tool: a thin layer over the core.
//!
//! Contract (tests/cli.rs drives it as a black box):
//! - exit 0 on success, 1 on failure, 2 on a usage error;
//! - an error is one sentence on stderr, prefixed "error: ";
//! - a failed command leaves the library as it was;
//! - machine-readable output (`--json`, imported ids) goes to stdout, commentary to stderr.

mod attach;
mod output;
mod sign;

pub use sign::{unlock as unlock_identity, P12_PASSWORD_ENV, PASSPHRASE_ENV};

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use time::Date;

use crate::backup::{self as library_backup, BackupError};
use crate::brief::PageSize;
use crate::env::Env;
use crate::export::{self, ExportError, Format};
use crate::fsutil;
use crate::interchange::{self, json, ImportError, MAX_IMPORT_BYTES};
use crate::model::{opt_date, Tlp};
use crate::paths::{self, DataDir};
use crate::settings::{Settings, SettingsError};
use crate::store::{Query, Sort, Store, StoreError};

/// Structured intelligence reports: import, search and export the Briefwright library.
#[derive(Debug, Parser)]
#[command(name = "briefwright", version, about, max_term_width = 100)]
pub struct Cli {
    /// The library folder (default: the app-data folder shared with the desktop app).
    #[arg(long, global = true, env = paths::DATA_DIR_ENV, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import reports from .txt (the analysts' text format) or .json files; prints the new ids.
    /// All files are imported or none.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List the reports in the library, newest first.
    List {
        #[command(flatten)]
        filters: Filters,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over every part of every report.
    Search {
        /// Words to find (prefix-matched), "a phrase" in quotes, -word to exclude.
        query: String,
        #[command(flatten)]
        filters: Filters,
        #[arg(long)]
        json: bool,
    },
    /// Show one report (by id, number such as BW-2026-0001, or id prefix).
    Show {
        id: String,
        /// Print the lossless JSON that `import` reads back.
        #[arg(long)]
        json: bool,
    },
    /// Write a report to a file in another format.
    Export {
        id: String,
        /// The file to write ("-" for standard output).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The format (default: from the file extension).
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// Paper size of a PDF brief (default: the library's setting, A4 unless changed).
        #[arg(long, value_enum)]
        page_size: Option<PageSizeArg>,
        /// Mark every page of a PDF brief with a DRAFT watermark.
        #[arg(long, conflicts_with = "sign")]
        draft: bool,
        /// Sign the PDF brief (PAdES) with an identity; its passphrase comes from a prompt
        /// or BRIEFWRIGHT_PASSPHRASE.
        #[arg(long, requires = "identity")]
        sign: bool,
        /// The identity to sign with (see `briefwright identity list`).
        #[arg(long, value_name = "NAME", requires = "sign")]
        identity: Option<String>,
    },
    /// Delete a report and its history.
    Delete { id: String },
    /// List the saved revisions of a report.
    History {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// `restore ID REVISION`: make an older revision of a report current again (as a new revision;
    /// nothing is lost). `restore FILE`: restore the whole library from a backup, as restore-backup.
    Restore {
        /// A report (with REVISION), or a backup archive made by `briefwright backup`.
        #[arg(value_name = "ID|FILE")]
        target: String,
        revision: Option<u32>,
        /// With a backup: replace the library in the data folder (moved aside, not deleted).
        #[arg(long, conflicts_with = "revision")]
        replace: bool,
    },
    /// Back up the whole library (reports, history, images, identities with their keys still
    /// encrypted, trusted certificates, settings, branding) into one .tar.gz file.
    Backup {
        /// The archive to write (replaced whole, or left as it was on failure).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore a library from a backup made by `briefwright backup`. The archive is checked whole
    /// before anything changes; a library already in the data folder is kept unless --replace.
    RestoreBackup {
        file: PathBuf,
        /// Replace the library in the data folder: it is moved aside to
        /// <data folder>.before-restore-<time>, not deleted.
        #[arg(long)]
        replace: bool,
    },
    /// Show or change the library's settings: page size, default TLP, branding.
    Settings {
        #[command(subcommand)]
        action: Option<SettingsAction>,
    },
    /// Attach images (JPEG, PNG, WebP, GIF, BMP, TIFF) as figures; metadata is removed.
    /// All images are attached or none; prints the stored images' SHA-256, one a line.
    Attach {
        id: String,
        #[arg(required = true, value_name = "IMAGE")]
        images: Vec<PathBuf>,
        /// The caption of the new figure(s).
        #[arg(long)]
        caption: Option<String>,
        /// Attach the one image to figure N, an existing caption (e.g. from an imported text report).
        #[arg(long, value_name = "N")]
        figure: Option<usize>,
    },
    /// List a report's figures, or caption, move or remove one.
    Attachments(attach::AttachmentsArgs),
    /// Remove stored images that no report and no revision refers to.
    Gc {
        /// Keep unreferenced files younger than this many seconds (another process may be attaching them).
        #[arg(long, value_name = "SECONDS", default_value_t = crate::media::GC_GRACE.as_secs())]
        grace: u64,
    },
    /// Signing identities: create, import, list, export the certificate, delete.
    Identity {
        #[command(subcommand)]
        command: sign::IdentityCommand,
    },
    /// Certificates you trust, besides your own identities.
    Trust {
        #[command(subcommand)]
        command: sign::TrustCommand,
    },
    /// Check the signatures of a PDF: exit 0 only if every one is intact and trusted and
    /// the last one covers the whole file.
    Verify {
        file: PathBuf,
        /// Also trust the certificates in this PEM file (repeatable).
        #[arg(long = "trust", value_name = "CERT.pem")]
        trust: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsAction {
    /// Print the settings.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Change one setting: page-size (a4, letter), tlp (default label of new reports),
    /// organisation (printed on briefs), accent (#RRGGBB), logo (a PNG or JPEG file, copied in).
    Set { key: SettingKey, value: String },
    /// Return one setting to its default (no organisation, accent or logo).
    Unset { key: SettingKey },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SettingKey {
    PageSize,
    Tlp,
    Organisation,
    Accent,
    Logo,
}

#[derive(Debug, clap::Args, Default)]
pub struct Filters {
    /// Only reports with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only reports naming an entity containing this text.
    #[arg(long)]
    pub entity: Option<String>,
    /// Only reports with this TLP label (CLEAR, GREEN, AMBER, AMBER+STRICT, RED).
    #[arg(long, value_parser = parse_tlp)]
    pub tlp: Option<Tlp>,
    /// Only reports whose source was published on or after this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub from: Option<Date>,
    /// Only reports whose source was published on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub to: Option<Date>,
    /// Order of results.
    #[arg(long, value_enum, default_value_t = SortArg::Auto)]
    pub sort: SortArg,
    /// At most this many results.
    #[arg(long)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum SortArg {
    #[default]
    Auto,
    Relevance,
    Updated,
    Created,
    Published,
    Title,
    Number,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Pdf,
    Json,
    Txt,
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum PageSizeArg {
    #[default]
    A4,
    Letter,
}

fn parse_tlp(s: &str) -> Result<Tlp, String> {
    s.parse()
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s, opt_date::FORMAT).map_err(|_| format!("'{s}' is not a date of the form YYYY-MM-DD"))
}

/// A failed command: one sentence for the user.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Media(#[from] crate::media::MediaError),
    #[error("{}: {source}", path.display())]
    Import { path: PathBuf, source: ImportError },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("no data folder: set --data-dir or {}", paths::DATA_DIR_ENV)]
    NoDataDir,
    #[error("{0}")]
    Settings(#[from] SettingsError),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot tell the export format from '{}'; use --format pdf, json, txt or md", path.display())]
    UnknownFormat { path: PathBuf },
    #[error("{0}")]
    Export(#[from] ExportError),
    #[error("{0}")]
    Sign(#[from] crate::sign::SignError),
    #[error("no passphrase: there is no terminal to ask on; set {var}")]
    NoSecret { var: String },
    #[error("the two passphrases differ")]
    SecretMismatch,
    #[error("{0}")]
    NotValid(String),
    #[error("{0}")]
    Backup(#[from] BackupError),
    /// An input that cannot be read at all (exit 2).
    #[error("{0}")]
    Unreadable(Box<CliError>),
}

impl CliError {
    /// 2 for an input that cannot be read, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Unreadable(_) => 2,
            _ => 1,
        }
    }
}

pub fn main() -> ExitCode {
    init_tracing();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, whatever a lower layer put in the message.
            let message = e.to_string().lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
            eprintln!("error: {message}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BRIEFWRIGHT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).without_time().try_init();
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let dir = paths::data_dir(cli.data_dir.as_deref()).ok_or(CliError::NoDataDir)?;
    let env = Env::system();
    match cli.command {
        Command::Import { files } => import(&dir, env, &files),
        Command::List { filters, json } => {
            let store = Store::open(&DataDir::new(&dir), env)?;
            output::summaries(&store.search(&filters.into_query(String::new()))?, json)
        }
        Command::Search { query, filters, json } => {
            let store = Store::open(&DataDir::new(&dir), env)?;
            output::summaries(&store.search(&filters.into_query(query))?, json)
        }
        Command::Show { id, json } => {
            let store = Store::open(&DataDir::new(&dir), env)?;
            let stored = store.get(store.resolve(&id)?)?;
            let text =
                if json { json::write(&stored) } else { output::show(&stored, &store.signed_exports(stored.id)?) };
            output::stdout(&text)
        }
        Command::Export { id, out, format, page_size, draft, sign, identity } => {
            export(&DataDir::new(&dir), env, &id, &out, format, page_size, draft, identity.filter(|_| sign))
        }
        Command::Delete { id } => {
            let mut store = Store::open(&DataDir::new(&dir), env)?;
            let deleted = store.delete(store.resolve(&id)?)?;
            eprintln!("deleted {} “{}”", deleted.number, deleted.report.display_title());
            if let Err(e) = crate::media::gc(&store, crate::media::GC_GRACE) {
                tracing::warn!("collecting unused images failed: {e}");
            }
            Ok(())
        }
        Command::History { id, json } => {
            let store = Store::open(&DataDir::new(&dir), env)?;
            let id = store.resolve(&id)?;
            output::history(&store.revisions(id)?, &store.signed_exports(id)?, json)
        }
        Command::Settings { action } => {
            settings(&DataDir::new(&dir), action.unwrap_or(SettingsAction::Show { json: false }))
        }
        Command::Restore { target, revision: None, replace } => {
            let file = Path::new(&target);
            if !file.exists() {
                return Err(CliError::Invalid(format!(
                    "{target} is not a file: to restore a revision, give its number too (briefwright restore {target} REVISION)"
                )));
            }
            restore_backup(&DataDir::new(&dir), file, replace, &env)
        }
        Command::Restore { target: id, revision: Some(revision), .. } => {
            let mut store = Store::open(&DataDir::new(&dir), env)?;
            let id = store.resolve(&id)?;
            let current = store.get(id)?;
            let restored = store.restore(id, revision, current.revision)?;
            eprintln!(
                "{} is now at revision {} (the content of revision {revision})",
                restored.number, restored.revision
            );
            Ok(())
        }
        Command::Backup { out } => backup(&DataDir::new(&dir), &out, &env),
        Command::RestoreBackup { file, replace } => restore_backup(&DataDir::new(&dir), &file, replace, &env),
        Command::Attach { id, images, caption, figure } => attach::attach(&dir, env, &id, &images, caption, figure),
        Command::Attachments(args) => attach::attachments(&dir, env, args),
        Command::Gc { grace } => attach::gc(&dir, env, grace),
        Command::Identity { command } => sign::identity(&DataDir::new(&dir), &env, command),
        Command::Trust { command } => sign::trust_cmd(&DataDir::new(&dir), command),
        Command::Verify { file, trust, json } => sign::verify(Some(&DataDir::new(&dir)), &file, &trust, json),
    }
}

impl Filters {
    fn into_query(self, text: String) -> Query {
        Query {
            text,
            tag: self.tag,
            entity: self.entity,
            tlp: self.tlp,
            from: self.from,
            to: self.to,
            sort: match self.sort {
                SortArg::Auto => Sort::Auto,
                SortArg::Relevance => Sort::Relevance,
                SortArg::Updated => Sort::Updated,
                SortArg::Created => Sort::Created,
                SortArg::Published => Sort::Published,
                SortArg::Title => Sort::Title,
                SortArg::Number => Sort::Number,
            },
            limit: self.limit,
        }
    }
}

/// Parses every file first; stores them all in one transaction only if every one is a report.
fn import(dir: &Path, env: Env, files: &[PathBuf]) -> Result<(), CliError> {
    let mut parsed = Vec::with_capacity(files.len());
    for path in files {
        let bytes = read_limited(path)?;
        let imported =
            interchange::import_bytes(&bytes).map_err(|source| CliError::Import { path: path.clone(), source })?;
        parsed.push((path, imported));
    }
    let mut store = Store::open(&DataDir::new(dir), env)?;
    let reports = parsed.iter().map(|(_, i)| i.report.clone()).collect();
    let stored = store.create_all(reports, "imported")?;
    let mut out = String::new();
    for ((path, imported), s) in parsed.iter().zip(&stored) {
        for w in &imported.warnings {
            eprintln!("{}:{}: warning: {} (kept in the report's notes)", path.display(), w.line, w.message);
        }
        eprintln!("imported {} “{}” from {}", s.number, s.report.display_title(), path.display());
        out.push_str(&format!("{}\n", s.id));
    }
    output::stdout(&out)
}

/// Reads a file, refusing one over the import limit without reading it all.
fn read_limited(path: &Path) -> Result<Vec<u8>, CliError> {
    let read_err = |source| CliError::Read { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(read_err)?;
    if bytes.len() > MAX_IMPORT_BYTES {
        let size = std::fs::metadata(path).map(|m| m.len() as usize).unwrap_or(bytes.len());
        return Err(CliError::Import {
            path: path.to_path_buf(),
            source: ImportError::TooLarge { size, limit: MAX_IMPORT_BYTES },
        });
    }
    Ok(bytes)
}

#[allow(clippy::too_many_arguments)]
fn export(
    data: &DataDir,
    env: Env,
    id: &str,
    out: &Path,
    format: Option<ExportFormat>,
    page_size: Option<PageSizeArg>,
    draft: bool,
    identity: Option<String>,
) -> Result<(), CliError> {
    let format = match format {
        Some(f) => f.into(),
        None => Format::from_path(out).ok_or_else(|| CliError::UnknownFormat { path: out.to_path_buf() })?,
    };
    if out != Path::new("-") {
        outside_library(data, out)?;
    }
    let time = env.export_time();
    let mut store = Store::open(data, env)?;
    let stored = store.get(store.resolve(id)?)?;
    let settings = Settings::load(data)?;
    // Unlock only after everything else is known to be in order: no passphrase prompt for a doomed export.
    let signer = match &identity {
        Some(name) => {
            if format != Format::Pdf {
                return Err(ExportError::SignNeedsPdf.into());
            }
            Some(sign::unlock(data, name)?)
        }
        None => None,
    };
    let request = export::Request {
        format,
        page_size: page_size.map(|p| match p {
            PageSizeArg::A4 => PageSize::A4,
            PageSizeArg::Letter => PageSize::Letter,
        }),
        draft,
        signer: signer.as_ref(),
        time,
    };
    let exported = export::render(data, &settings, &stored, &request)?;
    for w in &exported.warnings {
        eprintln!("warning: {w}");
    }
    write_output(data, out, &exported.bytes)?;
    let file_name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "-".into());
    if let Some(record) = export::record_signed(&mut store, &stored, &exported, &file_name, time)? {
        eprintln!(
            "signed by {} (certificate SHA-256 {}); file SHA-256 {}",
            record.signer_name, record.signer_fingerprint, record.file_sha256
        );
    }
    if out != Path::new("-") {
        eprintln!("exported {} to {}", stored.number, out.display());
    }
    Ok(())
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Pdf => Format::Pdf,
            ExportFormat::Json => Format::Json,
            ExportFormat::Txt => Format::Txt,
            ExportFormat::Md => Format::Md,
        }
    }
}

/// Refuses an output path inside the library folder: it would replace Briefwright's own files.
fn outside_library(dir: &DataDir, path: &Path) -> Result<(), CliError> {
    if dir.holds(path) {
        return Err(CliError::Invalid(format!(
            "{} is inside the library folder {}; write it somewhere else",
            path.display(),
            dir.root().display()
        )));
    }
    Ok(())
}

/// Writes the whole file or nothing (see [`fsutil::write_atomic`]); "-" is standard output.
/// Never into the library folder `dir`: that would replace Briefwright's own files.
fn write_output(dir: &DataDir, path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    if path == Path::new("-") {
        return output::stdout_bytes(bytes);
    }
    outside_library(dir, path)?;
    fsutil::write_atomic(path, bytes).map_err(|source| CliError::Write { path: path.to_path_buf(), source })
}

fn settings(dir: &DataDir, action: SettingsAction) -> Result<(), CliError> {
    let mut settings = Settings::load(dir)?;
    match action {
        SettingsAction::Show { json } => return output::settings(&settings, json),
        SettingsAction::Set { key, value } => match key {
            SettingKey::PageSize => settings.page_size = value.parse().map_err(CliError::Invalid)?,
            SettingKey::Tlp => settings.default_tlp = value.parse().map_err(CliError::Invalid)?,
            SettingKey::Organisation => {
                let v = value.trim();
                settings.organisation = (!v.is_empty()).then(|| v.to_string());
            }
            SettingKey::Accent => {
                let (r, g, b) = crate::settings::parse_colour(&value)?;
                settings.accent = Some(format!("#{r:02X}{g:02X}{b:02X}"));
            }
            SettingKey::Logo => settings.set_logo(dir, Path::new(&value))?,
        },
        SettingsAction::Unset { key } => {
            let defaults = Settings::default();
            match key {
                SettingKey::PageSize => settings.page_size = defaults.page_size,
                SettingKey::Tlp => settings.default_tlp = defaults.default_tlp,
                SettingKey::Organisation => settings.organisation = None,
                SettingKey::Accent => settings.accent = None,
                SettingKey::Logo => settings.clear_logo(dir),
            }
        }
    }
    settings.save(dir)?;
    eprintln!("settings saved");
    output::settings(&settings, false)
}

fn backup(dir: &DataDir, out: &Path, env: &Env) -> Result<(), CliError> {
    if out == Path::new("-") {
        return Err(CliError::Invalid("a backup is written to a file, not to standard output".into()));
    }
    let summary = library_backup::backup(dir, out, env)?;
    for sha in &summary.missing_images {
        eprintln!(
            "warning: image {sha} is referred to by a report but missing from the library; it is not in the backup"
        );
    }
    let c = summary.counts;
    eprintln!("backed up {} to {} ({})", counted(&c), out.display(), size(summary.bytes));
    Ok(())
}

/// "3 reports, 1 image, 1 identity, 0 trusted certificates": what a backup holds.
fn counted(c: &library_backup::Counts) -> String {
    format!(
        "{}, {}, {}, {}",
        plural(c.reports, "report"),
        plural(c.images, "image"),
        plural(c.identities, "identity"),
        plural(c.trusted, "trusted certificate")
    )
}

fn restore_backup(dir: &DataDir, file: &Path, replace: bool, env: &Env) -> Result<(), CliError> {
    let summary = library_backup::restore(file, dir, replace, env).map_err(|e| match e {
        BackupError::NotEmpty { path } => CliError::Invalid(format!(
            "{} already holds a library; add --replace to move it aside (nothing is deleted) or choose another --data-dir",
            path.display()
        )),
        other => other.into(),
    })?;
    let c = summary.counts;
    let created = summary.created.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    eprintln!("restored {} from {} (backed up {created}) into {}", counted(&c), file.display(), dir.root().display());
    if let Some(aside) = summary.moved_aside {
        eprintln!("the library that was there is now in {}", aside.display());
    }
    Ok(())
}

/// "1 report", "2 reports", "2 identities".
fn plural(n: u64, word: &str) -> String {
    match (n, word.strip_suffix('y')) {
        (1, _) => format!("1 {word}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {word}s"),
    }
}

/// A byte count for people: "812 bytes", "4.2 MB".
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod backup_tests {
    #[test]
    fn sizes_and_plurals_read_well() {
        assert_eq!(super::size(812), "812 bytes");
        assert_eq!(super::size(4_200_000), "4.2 MB");
        assert_eq!(super::size(999_999), "1.0 MB");
        assert_eq!(super::plural(1, "identity"), "1 identity");
        assert_eq!(super::plural(2, "identity"), "2 identities");
        assert_eq!(super::plural(0, "report"), "0 reports");
    }
}
