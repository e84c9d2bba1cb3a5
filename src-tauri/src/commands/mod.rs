//! The IPC surface: each command converts its arguments, calls the core on a blocking thread and
//! converts the result. No business logic lives here.
//!
//! A new command must also be listed in [`COMMANDS`] (build.rs reads it to generate its
//! permission), registered in `lib.rs`, granted in capabilities/default.json and wrapped in
//! ui/src/lib/backend.ts. Types crossing the boundary derive `ts_rs::TS`; `bindings::typescript`
//! lists them and a test keeps ui/src/lib/bindings.ts in step.

pub mod library;
pub mod media;
mod names;
pub mod reports;

use uuid::Uuid;

use crate::error::{IpcError, BAD_ARGUMENT};

pub use names::COMMANDS;

/// Longest text argument accepted where a short one is expected (an id, a file path).
pub const MAX_SHORT_ARG: usize = 4096;

/// Parses a report id sent by the UI.
pub(crate) fn report_id(id: &str) -> Result<Uuid, IpcError> {
    if id.len() > MAX_SHORT_ARG {
        return Err(IpcError::new(BAD_ARGUMENT, "the report id is too long"));
    }
    Uuid::parse_str(id.trim()).map_err(|_| IpcError::new(BAD_ARGUMENT, format!("'{}' is not a report id", preview(id))))
}

/// The first few characters of an argument, for a message.
pub(crate) fn preview(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    if short.len() < s.len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_ids_are_checked() {
        assert!(report_id("0b7a3c5e-3c1e-4c55-9d1b-6a1f0f2b9a10").is_ok());
        assert_eq!(report_id("../../etc/passwd").unwrap_err().code, BAD_ARGUMENT);
        assert_eq!(report_id(&"x".repeat(100_000)).unwrap_err().code, BAD_ARGUMENT);
    }
}
