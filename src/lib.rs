//! Briefwright's core: everything but the window.
//!
//! - [`brief`]: the typeset PDF brief (layout engine and PDF writer).
//! - [`model`]: the report as structured data.
//! - [`interchange`]: the plain-text format, lossless JSON and Markdown.
//! - [`store`]: the SQLite library (reports, revisions, full-text search).
//! - [`env`]: the injected clock and id source.
//! - [`paths`]: where the library lives.
//! - [`cli`]: the `briefwright` command-line tool.
//!
//! See ARCHITECTURE.md for the invariants.

pub mod brief;
pub mod cli;
pub mod env;
pub mod interchange;
pub mod model;
pub mod paths;
pub mod store;

pub use env::Env;
pub use model::{Report, StoredReport};
