//! Briefwright's core: everything but the window.
//!
//! - [`brief`]: the typeset PDF brief (layout engine and PDF writer).
//! - [`model`]: the report as structured data.
//! - [`interchange`]: the plain-text format, lossless JSON and Markdown.
//! - [`store`]: the SQLite library (reports, revisions, full-text search).
//! - [`media`]: image attachments (safe import, metadata stripping, content-addressed files, thumbnails).
//! - [`sign`]: identities, PAdES signatures and their verification.
//! - [`env`]: the injected clock and id source.
//! - [`error`]: the `{code, message}` every refusal carries to the front ends.
//! - [`paths`]: where the library lives.
//! - [`preview`]: pages of a PDF brief drawn to PNG for the app's live preview.
//! - [`settings`]: page size, default TLP and branding, shared by CLI and app.
//! - [`fsutil`]: atomic file writes and bounded reads.
//! - [`logging`]: the stderr logger of both front ends (`BRIEFWRIGHT_LOG`).
//! - [`backup`]: the whole library (database, images, keys, trust, settings, branding) as one archive, and its restore.
//! - [`ops`]: the use cases both front ends call (create, import, attach, export, preview, ...).
//! - [`cli`]: the `briefwright` command-line tool.
//!
//! See ARCHITECTURE.md for the invariants.

pub mod backup;
pub mod brief;
#[cfg(feature = "cli")]
pub mod cli;
pub mod env;
pub mod error;
pub mod fsutil;
pub mod interchange;
pub mod logging;
pub mod media;
pub mod model;
pub mod ops;
pub mod paths;
pub mod preview;
pub mod settings;
pub mod sign;
pub mod store;

pub use env::Env;
pub use model::{Report, StoredReport};
