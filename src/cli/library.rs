//! The library as a whole: restore a revision or a backup, back up, settings.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use super::{output, CliError, Ctx};
use crate::backup::{self, BackupError, Counts};
use crate::settings::{self, Settings};

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A report (with REVISION), or a backup archive made by `briefwright backup`.
    #[arg(value_name = "ID|FILE")]
    target: String,
    revision: Option<u32>,
    /// With a backup: replace the library in the data folder (moved aside, not deleted).
    #[arg(long, conflicts_with = "revision")]
    replace: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The archive to write (replaced whole, or left as it was on failure).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreBackupArgs {
    file: PathBuf,
    /// Replace the library in the data folder: it is moved aside to
    /// <data folder>.before-restore-<time>, not deleted.
    #[arg(long)]
    replace: bool,
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

/// `restore ID REVISION` restores a revision; `restore FILE` a backup.
pub fn restore(ctx: &Ctx, args: RestoreArgs) -> Result<(), CliError> {
    let Some(revision) = args.revision else {
        let file = Path::new(&args.target);
        if !file.exists() {
            return Err(CliError::Invalid(format!(
                "{0} is not a file: to restore a revision, give its number too (briefwright restore {0} REVISION)",
                args.target
            )));
        }
        return restore_from(ctx, file, args.replace);
    };
    let mut store = ctx.store()?;
    let id = store.resolve(&args.target)?;
    let current = store.get(id)?;
    let restored = store.restore(id, revision, current.revision)?;
    eprintln!("{} is now at revision {} (the content of revision {revision})", restored.number, restored.revision);
    Ok(())
}

pub fn backup(ctx: &Ctx, args: BackupArgs) -> Result<(), CliError> {
    if args.out == Path::new("-") {
        return Err(CliError::Invalid("a backup is written to a file, not to standard output".into()));
    }
    let summary = backup::backup(&ctx.dir, &args.out, &ctx.env)?;
    for sha in &summary.missing_images {
        eprintln!(
            "warning: image {sha} is referred to by a report but missing from the library; it is not in the backup"
        );
    }
    eprintln!("backed up {} to {} ({})", counted(&summary.counts), args.out.display(), size(summary.bytes));
    Ok(())
}

pub fn restore_backup(ctx: &Ctx, args: RestoreBackupArgs) -> Result<(), CliError> {
    restore_from(ctx, &args.file, args.replace)
}

fn restore_from(ctx: &Ctx, file: &Path, replace: bool) -> Result<(), CliError> {
    let summary = backup::restore(file, &ctx.dir, replace, &ctx.env).map_err(|e| match e {
        BackupError::NotEmpty { path } => CliError::Invalid(format!(
            "{} already holds a library; add --replace to move it aside (nothing is deleted) or choose another --data-dir",
            path.display()
        )),
        other => other.into(),
    })?;
    let created = summary.created.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    eprintln!(
        "restored {} from {} (backed up {created}) into {}",
        counted(&summary.counts),
        file.display(),
        ctx.dir.root().display()
    );
    if let Some(aside) = summary.moved_aside {
        eprintln!("the library that was there is now in {}", aside.display());
    }
    Ok(())
}

pub fn settings(ctx: &Ctx, action: Option<SettingsAction>) -> Result<(), CliError> {
    let dir = &ctx.dir;
    let saved = match action.unwrap_or(SettingsAction::Show { json: false }) {
        SettingsAction::Show { json } => return output::settings(&Settings::load(dir)?, json),
        SettingsAction::Set { key, value } => settings::update(dir, |s| {
            match key {
                SettingKey::PageSize => s.page_size = value.parse().map_err(settings::SettingsError::Invalid)?,
                SettingKey::Tlp => s.default_tlp = value.parse().map_err(settings::SettingsError::Invalid)?,
                SettingKey::Organisation => s.set_organisation(Some(&value)),
                SettingKey::Accent => s.set_accent(Some(&value))?,
                SettingKey::Logo => s.set_logo(dir, Path::new(&value))?,
            }
            Ok(())
        })?,
        SettingsAction::Unset { key } => settings::update(dir, |s| {
            let defaults = Settings::default();
            match key {
                SettingKey::PageSize => s.page_size = defaults.page_size,
                SettingKey::Tlp => s.default_tlp = defaults.default_tlp,
                SettingKey::Organisation => s.set_organisation(None),
                SettingKey::Accent => s.set_accent(None)?,
                SettingKey::Logo => s.clear_logo(dir),
            }
            Ok(())
        })?,
    };
    eprintln!("settings saved");
    output::settings(&saved, false)
}

/// "3 reports, 1 image, 1 identity, 0 trusted certificates": what a backup holds.
fn counted(c: &Counts) -> String {
    format!(
        "{}, {}, {}, {}",
        plural(c.reports, "report"),
        plural(c.images, "image"),
        plural(c.identities, "identity"),
        plural(c.trusted, "trusted certificate")
    )
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
mod tests {
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
