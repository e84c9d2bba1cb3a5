//! The one error type that crosses the IPC boundary: `{ code, message }`.
//!
//! `code` is stable (the UI branches on it); `message` is one clear sentence for people.
//! The UI rebuilds it as `BackendError` (ui/src/lib/backend.ts).

use briefwright::store::StoreError;
use serde::Serialize;

/// No folder for the library: the OS has no app-data folder and `BRIEFWRIGHT_DATA_DIR` is unset.
pub const STORE_UNAVAILABLE: &str = "store_unavailable";
/// The command failed inside the shell itself (a panicked or cancelled task).
pub const INTERNAL: &str = "internal";
/// An argument the UI sent is missing, malformed or out of range.
pub const BAD_ARGUMENT: &str = "bad_argument";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{message} ({code})")]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

impl IpcError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        IpcError { code: code.into(), message: message.into() }
    }
}

impl From<StoreError> for IpcError {
    fn from(error: StoreError) -> Self {
        IpcError::new(error.code(), error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_their_code_and_sentence() {
        let e = IpcError::from(StoreError::DiskFull);
        assert_eq!(e.code, "disk_full");
        assert_eq!(e.message, StoreError::DiskFull.to_string());
    }

    #[test]
    fn serialises_as_code_and_message_only() {
        let json = serde_json::to_value(IpcError::new("busy", "the library stayed busy")).unwrap();
        assert_eq!(json, serde_json::json!({ "code": "busy", "message": "the library stayed busy" }));
    }
}
