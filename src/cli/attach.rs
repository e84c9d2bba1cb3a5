//! `attach`, `attachments …` and `gc`: image attachments from the command line.

use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;

use super::{output, CliError, Ctx};
use crate::media::{self, AttachOptions, ThumbSize};
use crate::ops;

#[derive(Debug, clap::Args)]
pub struct AttachArgs {
    id: String,
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<PathBuf>,
    /// The caption of the new figure(s).
    #[arg(long)]
    caption: Option<String>,
    /// Attach the one image to figure N, an existing caption (e.g. from an imported text report).
    #[arg(long, value_name = "N")]
    figure: Option<usize>,
}

#[derive(Debug, clap::Args)]
pub struct GcArgs {
    /// Keep unreferenced files younger than this many seconds (another process may be attaching them).
    #[arg(long, value_name = "SECONDS", default_value_t = media::GC_GRACE.as_secs())]
    grace: u64,
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AttachmentsArgs {
    #[command(subcommand)]
    pub action: Option<AttachmentsAction>,
    /// The report whose figures to list.
    #[arg(required = true)]
    pub id: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AttachmentsAction {
    /// Set the caption of figure N.
    Caption { id: String, figure: usize, text: String },
    /// Move figure N to position TO (the others shift).
    Move { id: String, figure: usize, to: usize },
    /// Remove figure N from the report (its file is collected once nothing refers to it).
    Remove { id: String, figure: usize },
    /// Print the path of a figure's thumbnail, making it when missing.
    Thumbnail {
        id: String,
        figure: usize,
        /// Longest side in pixels: 256 or 1024.
        #[arg(long, default_value_t = 256, value_parser = parse_size)]
        size: u32,
    },
}

fn parse_size(s: &str) -> Result<u32, String> {
    s.parse::<u32>().ok().filter(|n| ThumbSize::from_pixels(*n).is_some()).ok_or_else(|| "use 256 or 1024".to_string())
}

/// Attaches the images (all or none) and prints each stored image's SHA-256, one a line.
pub fn attach(ctx: &Ctx, args: AttachArgs) -> Result<(), CliError> {
    let mut store = ctx.store()?;
    let id = store.resolve(&args.id)?;
    let base = store.get(id)?.revision;
    let options = AttachOptions { caption: args.caption, figure: args.figure };
    let attached = ops::attach::files(&mut store, id, base, &args.images, &options)?;
    let mut out = String::new();
    for f in &attached.figures {
        let how = if f.lossless { ", metadata removed losslessly" } else { ", metadata removed" };
        eprintln!(
            "{}: figure {} of {} ({}×{} {}{how})",
            f.source.display(),
            f.figure,
            attached.report.number,
            f.image.width,
            f.image.height,
            f.image.format.to_uppercase()
        );
        out.push_str(&format!("{}\n", f.image.sha256));
    }
    output::stdout(&out)
}

pub fn attachments(ctx: &Ctx, args: AttachmentsArgs) -> Result<(), CliError> {
    let mut store = ctx.store()?;
    let Some(action) = args.action else {
        let id = store.resolve(args.id.as_deref().unwrap_or_default())?;
        let stored = store.get(id)?;
        let rows = media::list(store.data_dir(), &stored);
        if args.json {
            let mut s = serde_json::to_string_pretty(&rows).expect("listing serialises");
            s.push('\n');
            return output::stdout(&s);
        }
        if rows.is_empty() {
            eprintln!("{} has no figures", stored.number);
            return Ok(());
        }
        let mut s = format!("{:<6} {:<12} {:<9} {}\n", "FIGURE", "IMAGE", "SIZE", "CAPTION");
        for r in rows {
            let (image, size) = match &r.image {
                Some(i) => (i.sha256[..12].to_string(), format!("{}×{}", i.width, i.height)),
                None => ("(none)".to_string(), "-".to_string()),
            };
            let caption: String = r.caption.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            s.push_str(&format!("{:<6} {:<12} {:<9} {}\n", r.figure, image, size, caption));
        }
        return output::stdout(&s);
    };
    match action {
        AttachmentsAction::Caption { id, figure, text } => {
            let id = store.resolve(&id)?;
            let base = store.get(id)?.revision;
            let saved = media::set_caption(&mut store, id, base, figure, &text)?;
            eprintln!("{}: figure {figure} captioned (revision {})", saved.number, saved.revision);
        }
        AttachmentsAction::Move { id, figure, to } => {
            let id = store.resolve(&id)?;
            let base = store.get(id)?.revision;
            let saved = media::move_figure(&mut store, id, base, figure, to)?;
            eprintln!("{}: figure {figure} is now figure {to} (revision {})", saved.number, saved.revision);
        }
        AttachmentsAction::Remove { id, figure } => {
            let id = store.resolve(&id)?;
            let base = store.get(id)?.revision;
            let (saved, _) = media::remove_figure(&mut store, id, base, figure)?;
            eprintln!("{}: figure {figure} removed (revision {})", saved.number, saved.revision);
        }
        AttachmentsAction::Thumbnail { id, figure, size } => {
            let id = store.resolve(&id)?;
            let stored = store.get(id)?;
            let count = stored.report.images.len();
            let f = figure
                .checked_sub(1)
                .and_then(|i| stored.report.images.get(i))
                .ok_or_else(|| media::MediaError::NoFigure { number: stored.number.clone(), figure, count })?;
            let image =
                f.image.as_ref().ok_or_else(|| media::MediaError::NoImage { number: stored.number.clone(), figure })?;
            let size = ThumbSize::from_pixels(size).expect("checked by the argument parser");
            let path = media::thumbnail(store.data_dir(), image, size)?;
            output::stdout(&format!("{}\n", path.display()))?;
        }
    }
    Ok(())
}

/// Removes image files nothing refers to; prints what it freed on stderr.
pub fn gc(ctx: &Ctx, args: GcArgs) -> Result<(), CliError> {
    let store = ctx.store()?;
    let out = media::gc(&store, Duration::from_secs(args.grace))?;
    eprintln!(
        "removed {} images, {} thumbnails and {} leftover files ({:.1} MB); {} images in use, {} recent files kept",
        out.removed_images,
        out.removed_thumbnails,
        out.removed_temporary,
        out.freed_bytes as f64 / 1e6,
        out.referenced,
        out.kept_recent
    );
    Ok(())
}
