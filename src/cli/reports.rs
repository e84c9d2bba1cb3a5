//! Reports: import, new, list, search, show, export, delete, history.

use std::path::{Path, PathBuf};

use clap::Args;
use time::Date;

use super::{output, CliError, Ctx};
use crate::interchange::json;
use crate::model::{opt_date, Tlp};
use crate::ops::{self, export::ExportRequest, export::Format, export::Target};
use crate::settings::PageSize;
use crate::store::{Query, Sort};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The report's title.
    #[arg(long)]
    title: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    filters: Filters,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find (prefix-matched), "a phrase" in quotes, -word to exclude.
    query: String,
    #[command(flatten)]
    filters: Filters,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    id: String,
    /// Print the lossless JSON that `import` reads back.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    id: String,
    /// The file to write ("-" for standard output).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The format (default: from the file extension).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Paper size of a PDF brief (default: the library's setting, A4 unless changed).
    #[arg(long, value_enum)]
    page_size: Option<PageSize>,
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
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    id: String,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    id: String,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args, Default)]
pub struct Filters {
    /// Only reports with this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Only reports naming an entity containing this text.
    #[arg(long)]
    entity: Option<String>,
    /// Only reports with this TLP label (CLEAR, GREEN, AMBER, AMBER+STRICT, RED).
    #[arg(long, value_parser = parse_tlp)]
    tlp: Option<Tlp>,
    /// Only reports whose source was published on or after this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    from: Option<Date>,
    /// Only reports whose source was published on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    to: Option<Date>,
    /// Order of results.
    #[arg(long, value_enum, default_value_t = Sort::Auto)]
    sort: Sort,
    /// At most this many results.
    #[arg(long)]
    limit: Option<u32>,
}

fn parse_tlp(s: &str) -> Result<Tlp, String> {
    s.parse()
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s, opt_date::FORMAT).map_err(|_| format!("'{s}' is not a date of the form YYYY-MM-DD"))
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
            sort: self.sort,
            limit: self.limit,
        }
    }
}

/// Parses every file first; stores them all in one transaction only if every one is a report.
pub fn import(ctx: &Ctx, args: ImportArgs) -> Result<(), CliError> {
    let imported = ops::import::all(&mut ctx.store()?, &args.files)?;
    let mut out = String::new();
    for file in &imported {
        for w in &file.warnings {
            eprintln!("{}:{}: warning: {} (kept in the report's notes)", file.path.display(), w.line, w.message);
        }
        let report = &file.report;
        eprintln!("imported {} “{}” from {}", report.number, report.report.display_title(), file.path.display());
        out.push_str(&format!("{}\n", report.id));
    }
    output::stdout(&out)
}

pub fn new(ctx: &Ctx, args: NewArgs) -> Result<(), CliError> {
    let made = ops::reports::create(&mut ctx.store()?, args.title.as_deref())?;
    eprintln!("created {} (TLP:{}, draft)", made.number, made.report.handling.tlp);
    output::stdout(&format!("{}\n", made.id))
}

pub fn list(ctx: &Ctx, args: ListArgs) -> Result<(), CliError> {
    output::summaries(&ctx.store()?.search(&args.filters.into_query(String::new()))?, args.json)
}

pub fn search(ctx: &Ctx, args: SearchArgs) -> Result<(), CliError> {
    output::summaries(&ctx.store()?.search(&args.filters.into_query(args.query))?, args.json)
}

pub fn show(ctx: &Ctx, args: ShowArgs) -> Result<(), CliError> {
    let store = ctx.store()?;
    let stored = store.get(store.resolve(&args.id)?)?;
    let text = if args.json { json::write(&stored) } else { output::show(&stored, &store.signed_exports(stored.id)?) };
    output::stdout(&text)
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> Result<(), CliError> {
    let format = match args.format {
        Some(format) => format,
        None => Format::from_path(&args.out).ok_or_else(|| CliError::UnknownFormat { path: args.out.clone() })?,
    };
    let request = ExportRequest {
        format,
        page_size: args.page_size,
        draft: args.draft,
        identity: args.identity.filter(|_| args.sign),
    };
    let mut store = ctx.store()?;
    let id = store.resolve(&args.id)?;
    let mut stdout = output::Stdout;
    let target = if args.out == Path::new("-") { Target::Stream(&mut stdout) } else { Target::File(&args.out) };
    let unlock = |name: &str| super::sign::unlock(&ctx.dir, name).map(std::sync::Arc::new);
    let outcome = ops::export::export(&mut store, id, &request, target, unlock)?;
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(record) = &outcome.signed {
        eprintln!(
            "signed by {} (certificate SHA-256 {}); file SHA-256 {}",
            record.signer_name, record.signer_fingerprint, record.file_sha256
        );
    }
    if args.out != Path::new("-") {
        eprintln!("exported {} to {}", outcome.number, args.out.display());
    }
    Ok(())
}

pub fn delete(ctx: &Ctx, args: DeleteArgs) -> Result<(), CliError> {
    let mut store = ctx.store()?;
    let id = store.resolve(&args.id)?;
    let deleted = ops::reports::delete(&mut store, id)?;
    eprintln!("deleted {} “{}”", deleted.number, deleted.report.display_title());
    Ok(())
}

pub fn history(ctx: &Ctx, args: HistoryArgs) -> Result<(), CliError> {
    let store = ctx.store()?;
    let id = store.resolve(&args.id)?;
    output::history(&store.revisions(id)?, &store.signed_exports(id)?, args.json)
}
