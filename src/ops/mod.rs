//! The use cases: what an analyst does with the library, written once for both front ends.
//!
//! The command-line tool (`crate::cli`) and every command of the desktop shell (`src-tauri/`)
//! call these functions and only convert their arguments and results around them. A sequence of
//! steps (read a file, parse it, store it; render, write, record) lives here and nowhere else.
//!
//! - [`reports`]: create a report (with the default TLP), delete one (and collect its images),
//!   the sample report of a new library.
//! - [`import`]: report files into the library, all or none (CLI) or each on its own (app).
//! - [`attach`]: image files onto a report.
//! - [`export`]: a report to PDF (signed or not), JSON, text or Markdown, written whole, recorded.
//! - [`preview`]: the app's live preview: rendered briefs kept under tokens, pages drawn on demand.
//!
//! Settings change through [`crate::settings::update`]; signing identities, trust and
//! verification through [`crate::sign`].

pub mod attach;
pub mod export;
pub mod import;
pub mod preview;
pub mod reports;
