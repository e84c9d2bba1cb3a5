//! What crosses the IPC boundary besides the core's own types: the error every command fails
//! with, arguments that refuse what does not decode with that same error, and raw bytes.
//!
//! Tauri answers an argument that does not decode into its Rust type with a bare string
//! ("invalid args `id` for command `get_report`: …"). Every argument here is one of the types
//! below instead, so such an argument is refused as `{code: "bad_argument", message}` like any
//! other refusal, naming the argument. Each also checks what its type promises (a report id is a
//! UUID, a file path is absolute and does not climb with `..`, a list of paths is bounded), so a
//! command body starts from valid values.

use std::ops::Deref;
use std::path::{Component, PathBuf};

use briefwright::error::{Coded, ErrorCode, Failure};
use serde::de::DeserializeOwned;
use serde::Serialize;
use specta::datatype::DataType;
use specta::{Type, Types};
use tauri::ipc::{CommandArg, CommandItem, InvokeError, InvokeResponseBody, IpcResponse};
use tauri::Runtime;
use uuid::Uuid;
use zeroize::Zeroizing;

/// Longest text accepted where a short one is expected (an id, a file path).
pub const MAX_SHORT_ARG: usize = 4096;

/// The error every command fails with: a stable code the UI branches on and one sentence for
/// people. The UI rebuilds it as `BackendError` (ui/src/lib/backend.ts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message} ({code:?})")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        IpcError { code, message: message.into() }
    }

    pub fn bad_argument(message: impl Into<String>) -> Self {
        IpcError::new(ErrorCode::BadArgument, message)
    }

    /// The system could not open or show a file.
    pub fn open(path: &std::path::Path, error: impl std::fmt::Display) -> Self {
        IpcError::new(ErrorCode::Open, format!("cannot open {}: {error}", path.display()))
    }
}

/// Every core error converts the same way: its code, its sentence on one line.
impl<E: Coded> From<E> for IpcError {
    fn from(error: E) -> Self {
        let Failure { code, message } = Failure::of(&error);
        IpcError { code, message }
    }
}

/// At most the first `chars` characters of `s`, with "…" when it was longer: an argument or a
/// reason quoted in a message stays readable whatever the page sent.
fn shortened(s: &str, chars: usize) -> String {
    let short: String = s.chars().take(chars).collect();
    if short.len() < s.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// The first few characters of an argument, for a message.
fn preview(s: &str) -> String {
    shortened(s, 40)
}

/// Decodes argument `command.key` as a `T`, or refuses it as `bad_argument` naming it.
fn decode<R: Runtime, T: DeserializeOwned>(command: CommandItem<'_, R>) -> Result<T, IpcError> {
    let (name, key) = (command.name, command.key);
    T::deserialize(command).map_err(|e| {
        let why = briefwright::error::one_line(&e.to_string());
        IpcError::bad_argument(format!("the argument `{key}` of {name} is not valid: {}", shortened(&why, 300)))
    })
}

/// Implements `CommandArg` (decoding and checking with [`IpcError`]) and `specta::Type` (as the
/// type the page sends) for an argument type.
macro_rules! argument {
    ($ty:ty, $wire:ty, |$value:ident| $check:expr) => {
        impl<'de, R: Runtime> CommandArg<'de, R> for $ty {
            fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
                let $value: $wire = decode(command)?;
                let checked: Result<$ty, IpcError> = $check;
                Ok(checked?)
            }
        }

        impl Type for $ty {
            fn definition(types: &mut Types) -> DataType {
                <$wire>::definition(types)
            }
        }
    };
}

/// Any argument of a plain type (a number, a flag, a report, a query), decoded with
/// [`IpcError`] refusals.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg<T>(pub T);

impl<T> Deref for Arg<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'de, R: Runtime, T: DeserializeOwned> CommandArg<'de, R> for Arg<T> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        Ok(Arg(decode(command)?))
    }
}

impl<T: Type> Type for Arg<T> {
    fn definition(types: &mut Types) -> DataType {
        T::definition(types)
    }
}

/// A report id (a UUID).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportId(pub Uuid);

argument!(ReportId, String, |id| {
    if id.len() > MAX_SHORT_ARG {
        Err(IpcError::bad_argument("the report id is too long"))
    } else {
        Uuid::parse_str(id.trim())
            .map(ReportId)
            .map_err(|_| IpcError::bad_argument(format!("'{}' is not a report id", preview(&id))))
    }
});

/// A file path from a native dialog or a drop: absolute, of sane length, with no `..` (a dialog
/// never answers with one; a path that climbs out of where it seems to point is refused rather
/// than resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePath(pub PathBuf);

argument!(FilePath, String, |path| file_path(&path).map(FilePath));

fn file_path(path: &str) -> Result<PathBuf, IpcError> {
    let p = PathBuf::from(path);
    let climbs = p.components().any(|c| c == Component::ParentDir);
    if path.len() > MAX_SHORT_ARG || path.trim().is_empty() || path.contains('\0') || !p.is_absolute() || climbs {
        return Err(IpcError::bad_argument(format!("'{}' is not a full file path", preview(path))));
    }
    Ok(p)
}

/// One to `MAX` file paths, each a [`FilePath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePaths<const MAX: usize>(pub Vec<PathBuf>);

impl<'de, R: Runtime, const MAX: usize> CommandArg<'de, R> for FilePaths<MAX> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let paths: Vec<String> = decode(command)?;
        if paths.is_empty() || paths.len() > MAX {
            return Err(IpcError::bad_argument(format!("give 1 to {MAX} files at a time")).into());
        }
        Ok(FilePaths(paths.iter().map(|p| file_path(p)).collect::<Result<_, _>>()?))
    }
}

impl<const MAX: usize> Type for FilePaths<MAX> {
    fn definition(types: &mut Types) -> DataType {
        Vec::<String>::definition(types)
    }
}

/// A passphrase or password: zeroized when dropped, never logged.
pub struct Secret(pub Zeroizing<String>);

argument!(Secret, String, |text| Ok(Secret(Zeroizing::new(text))));

/// The bytes of an image the page pasted, sent as base64 (at most the largest image accepted).
pub struct ImageData(pub Vec<u8>);

argument!(ImageData, String, |base64| {
    use base64::Engine as _;
    let limit = briefwright::media::MAX_FILE_BYTES;
    if base64.len() as u64 > limit / 3 * 4 + 4 {
        Err(IpcError::new(
            ErrorCode::FileTooLarge,
            format!("the pasted image is too large (at most {} MB)", limit / 1_000_000),
        ))
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(base64.trim())
            .map(ImageData)
            .map_err(|_| IpcError::bad_argument("the pasted image did not arrive as base64"))
    }
});

/// Raw bytes answered as they are (an `ArrayBuffer` in the page), not as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl IpcResponse for Bytes {
    fn body(self) -> tauri::Result<InvokeResponseBody> {
        Ok(InvokeResponseBody::Raw(self.0))
    }
}

impl Type for Bytes {
    fn definition(_: &mut Types) -> DataType {
        specta_typescript::define("ArrayBuffer").into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_paths_must_be_full_paths() {
        let full = std::env::temp_dir().join("brief.pdf");
        assert_eq!(file_path(&full.display().to_string()).unwrap(), full);
        for bad in ["", "  ", "brief.pdf", "../../etc/passwd", "a\0b", "/tmp/../etc/passwd"] {
            assert_eq!(file_path(bad).unwrap_err().code, ErrorCode::BadArgument, "{bad:?}");
        }
        assert_eq!(file_path(&format!("/{}", "x".repeat(10_000))).unwrap_err().code, ErrorCode::BadArgument);
    }

    #[test]
    fn core_errors_keep_their_code_and_sentence() {
        let e = IpcError::from(briefwright::store::StoreError::DiskFull);
        assert_eq!(e.code, ErrorCode::DiskFull);
        assert_eq!(e.message, briefwright::store::StoreError::DiskFull.to_string());
    }

    #[test]
    fn serialises_as_code_and_message_only() {
        let json = serde_json::to_value(IpcError::new(ErrorCode::Busy, "the library stayed busy")).unwrap();
        assert_eq!(json, serde_json::json!({ "code": "busy", "message": "the library stayed busy" }));
    }
}
