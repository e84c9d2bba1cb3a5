//! The `briefwright` command-line tool: a thin layer over the core's use cases ([`crate::ops`]).
//!
//! Contract (tests/cli.rs drives it as a black box):
//! - exit 0 on success, 1 on failure, 2 on a usage error;
//! - an error is one sentence on stderr, prefixed "error: ";
//! - a failed command leaves the library as it was;
//! - machine-readable output (`--json`, imported ids) goes to stdout, commentary to stderr.
//!
//! One file per command group: [`reports`] (import, new, list, search, show, export, delete,
//! history, restore), [`library`] (backup, restore-backup, settings), [`attach`] (figures and
//! image collection), [`sign`] (identities, trust, verify); [`output`] prints, [`error`] says
//! what failed.

mod attach;
mod error;
mod library;
mod output;
mod reports;
mod sign;

pub use error::CliError;
pub use sign::{P12_PASSWORD_ENV, PASSPHRASE_ENV};

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::env::Env;
use crate::paths::{self, DataDir};
use crate::store::Store;

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
    Import(reports::ImportArgs),
    /// Start a new, empty draft (marked with the library's default TLP); prints its id.
    New(reports::NewArgs),
    /// List the reports in the library, newest first.
    List(reports::ListArgs),
    /// Full-text search over every part of every report.
    Search(reports::SearchArgs),
    /// Show one report (by id, number such as BW-2026-0001, or id prefix).
    Show(reports::ShowArgs),
    /// Write a report to a file in another format.
    Export(reports::ExportArgs),
    /// Delete a report and its history.
    Delete(reports::DeleteArgs),
    /// List the saved revisions of a report.
    History(reports::HistoryArgs),
    /// `restore ID REVISION`: make an older revision of a report current again (as a new revision;
    /// nothing is lost). `restore FILE`: restore the whole library from a backup, as restore-backup.
    Restore(library::RestoreArgs),
    /// Back up the whole library (reports, history, images, identities with their keys still
    /// encrypted, trusted certificates, settings, branding) into one .tar.gz file.
    Backup(library::BackupArgs),
    /// Restore a library from a backup made by `briefwright backup`. The archive is checked whole
    /// before anything changes; a library already in the data folder is kept unless --replace.
    RestoreBackup(library::RestoreBackupArgs),
    /// Show or change the library's settings: page size, default TLP, branding.
    Settings {
        #[command(subcommand)]
        action: Option<library::SettingsAction>,
    },
    /// Attach images (JPEG, PNG, WebP, GIF, BMP, TIFF) as figures; metadata is removed.
    /// All images are attached or none; prints the stored images' SHA-256, one a line.
    Attach(attach::AttachArgs),
    /// List a report's figures, or caption, move or remove one.
    Attachments(attach::AttachmentsArgs),
    /// Remove stored images that no report and no revision refers to.
    Gc(attach::GcArgs),
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
    Verify(sign::VerifyArgs),
}

/// What every command works on: the data folder and the host's clock and ids.
pub(crate) struct Ctx {
    pub dir: DataDir,
    pub env: Env,
}

impl Ctx {
    /// Opens the library (creating it when the folder holds none yet).
    pub fn store(&self) -> Result<Store, CliError> {
        Ok(Store::open(&self.dir, self.env.clone())?)
    }
}

pub fn main() -> ExitCode {
    crate::logging::init(crate::logging::Front::Cli);
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
            eprintln!("error: {}", crate::error::one_line(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let dir = paths::data_dir(cli.data_dir.as_deref()).ok_or(CliError::NoDataDir)?;
    let ctx = Ctx { dir: DataDir::new(dir), env: Env::system() };
    match cli.command {
        Command::Import(args) => reports::import(&ctx, args),
        Command::New(args) => reports::new(&ctx, args),
        Command::List(args) => reports::list(&ctx, args),
        Command::Search(args) => reports::search(&ctx, args),
        Command::Show(args) => reports::show(&ctx, args),
        Command::Export(args) => reports::export(&ctx, args),
        Command::Delete(args) => reports::delete(&ctx, args),
        Command::History(args) => reports::history(&ctx, args),
        Command::Restore(args) => library::restore(&ctx, args),
        Command::Backup(args) => library::backup(&ctx, args),
        Command::RestoreBackup(args) => library::restore_backup(&ctx, args),
        Command::Settings { action } => library::settings(&ctx, action),
        Command::Attach(args) => attach::attach(&ctx, args),
        Command::Attachments(args) => attach::attachments(&ctx, args),
        Command::Gc(args) => attach::gc(&ctx, args),
        Command::Identity { command } => sign::identity(&ctx, command),
        Command::Trust { command } => sign::trust(&ctx, command),
        Command::Verify(args) => sign::verify(&ctx, args),
    }
}
