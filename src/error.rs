//! What every refusal carries to the front ends: a stable code and one sentence for people.
//!
//! Each module has its own `thiserror` enum; each implements [`Coded`], so a front end turns any
//! of them into a [`Failure`] the same way (the desktop shell sends it across IPC as
//! `{code, message}`; the CLI prints the sentence and exits with status 1).

use serde::{Deserialize, Serialize};

/// An error with a stable code the app and scripts can branch on.
pub trait Coded: std::error::Error {
    fn code(&self) -> ErrorCode;
}

/// Declares [`ErrorCode`] from one list of `Variant = "wire_name"` lines: the enum (serialised as
/// the wire name), [`ErrorCode::ALL`] and [`ErrorCode::as_str`] cannot disagree.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $name:ident = $wire:literal,)*) => {
        /// Every code a refusal can carry, in one place: the UI receives them as a TypeScript union
        /// (`ErrorCode` in ui/src/lib/bindings.ts) and matches them exhaustively.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum ErrorCode {
            $($(#[doc = $doc])* #[serde(rename = $wire)] $name,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$name),*];

            /// The code as it crosses IPC and appears in `--json` output.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => $wire,)*
                }
            }
        }
    };
}

error_codes! {
    // The library (store)
    /// The data folder cannot be created or used.
    DataDir = "data_dir",
    /// The library was written by a newer Briefwright.
    LibraryTooNew = "library_too_new",
    /// The file is not a Briefwright library.
    NotALibrary = "not_a_library",
    /// The library file is damaged.
    LibraryCorrupt = "library_corrupt",
    /// The library file is empty.
    LibraryEmpty = "library_empty",
    /// The library can be read but not written.
    ReadOnly = "read_only",
    /// The library cannot be opened.
    CannotOpen = "cannot_open",
    /// The disk is full.
    DiskFull = "disk_full",
    /// Another program kept the library busy.
    Busy = "busy",
    /// No such report.
    NotFound = "not_found",
    /// An id prefix names several reports.
    Ambiguous = "ambiguous",
    /// The report changed since the edit began (another window or the CLI).
    Stale = "stale",
    /// No such revision.
    NoRevision = "no_revision",
    /// A stored report cannot be read.
    BadContent = "bad_content",
    /// SQLite failed.
    Database = "database",
    /// The app has no library open (none found, or being restored).
    StoreUnavailable = "store_unavailable",
    // Files
    /// A file cannot be read.
    Read = "read",
    /// A file cannot be written.
    Write = "write",
    /// A file is over its limit.
    FileTooLarge = "file_too_large",
    /// An export or backup would land inside the library folder.
    InsideLibrary = "inside_library",
    /// The system cannot open or show a file.
    Open = "open",
    // Import
    /// An imported file is empty.
    ImportEmpty = "import_empty",
    /// An imported file is over the import limit.
    ImportTooLarge = "import_too_large",
    /// An imported file is a PDF.
    ImportPdf = "import_pdf",
    /// An imported file is binary data.
    ImportBinary = "import_binary",
    /// An imported file is not UTF-8 text.
    ImportNotUtf8 = "import_not_utf8",
    /// An imported text file is not a report.
    ImportNotAReport = "import_not_a_report",
    /// An imported JSON file is not a Briefwright report.
    ImportBadJson = "import_bad_json",
    /// An imported file cannot be read.
    ImportUnreadable = "import_unreadable",
    // Images
    /// An image file is empty.
    Empty = "empty",
    /// A file is not an image of a supported kind.
    NotAnImage = "not_an_image",
    /// An image is larger than the accepted size.
    TooManyPixels = "too_many_pixels",
    /// An image would need too much memory to open.
    TooMuchMemory = "too_much_memory",
    /// An image is damaged.
    Malformed = "malformed",
    /// A kind of image that is not supported.
    Unsupported = "unsupported",
    /// The image decoder failed on a (probably hostile) file.
    DecoderPanic = "decoder_panic",
    /// A cleaned image could not be written.
    Encode = "encode",
    /// A cleaned image did not read back.
    Verify = "verify",
    /// A stored image is missing.
    Missing = "missing",
    /// No such figure.
    NoFigure = "no_figure",
    /// The figure already has an image.
    FigureTaken = "figure_taken",
    /// The figure has no image yet.
    NoImage = "no_image",
    /// Attaching to a figure takes one image.
    OneImagePerFigure = "one_image_per_figure",
    /// No image to attach.
    NothingToAttach = "nothing_to_attach",
    /// A caption with control characters.
    BadCaption = "bad_caption",
    // The brief and its export
    /// A bundled font cannot be read.
    BriefFont = "brief.font",
    /// The PDF cannot be written.
    BriefPdf = "brief.pdf",
    /// Only a PDF can be signed.
    SignNeedsPdf = "sign_needs_pdf",
    /// A signed brief cannot carry the DRAFT watermark.
    DraftSigned = "draft_signed",
    /// The preview cannot draw the brief.
    PreviewFailed = "preview_failed",
    /// A preview was dropped to make room; it is drawn again.
    PreviewGone = "preview_gone",
    /// A newer page request replaced this one.
    Superseded = "superseded",
    // Signing
    /// Wrong passphrase for an identity.
    WrongPassphrase = "wrong_passphrase",
    /// Wrong password for a PKCS#12 file.
    WrongP12Password = "wrong_p12_password",
    /// No such identity.
    NoIdentity = "no_identity",
    /// An identity of that name exists.
    IdentityExists = "identity_exists",
    /// Not a usable identity name.
    BadName = "bad_name",
    /// An empty passphrase.
    EmptyPassphrase = "empty_passphrase",
    /// No passphrase given and no terminal to ask on.
    NoPassphrase = "no_passphrase",
    /// The identity must be unlocked before signing.
    Locked = "locked",
    /// A PKCS#12 file cannot be read.
    BadP12 = "bad_p12",
    /// A key of a kind Briefwright cannot sign with.
    UnsupportedKey = "unsupported_key",
    /// A certificate cannot be read.
    BadCertificate = "bad_certificate",
    /// A stored identity is damaged.
    IdentityDamaged = "identity_damaged",
    /// A PDF cannot be signed.
    BadPdf = "bad_pdf",
    /// No such page.
    NoSuchPage = "no_such_page",
    /// A signature does not fit its reserved space.
    SignatureTooLarge = "signature_too_large",
    /// No such trusted certificate.
    NoTrusted = "no_trusted",
    /// A signing file cannot be used.
    Io = "io",
    // Backups
    /// There is no library to back up.
    NoLibrary = "no_library",
    /// The library cannot be backed up as it is.
    BackupLibraryBroken = "backup_library_broken",
    /// A file is not a Briefwright backup.
    NotABackup = "not_a_backup",
    /// A backup of an unknown format version.
    BackupVersion = "backup_version",
    /// A backup of a newer Briefwright.
    BackupTooNew = "backup_too_new",
    /// A backup is damaged.
    BackupDamaged = "backup_damaged",
    /// A backup holds entries that would escape its folder.
    BackupUnsafe = "backup_unsafe",
    /// A backup is over the size limits.
    BackupTooLarge = "backup_too_large",
    /// The data folder already holds a library.
    LibraryNotEmpty = "library_not_empty",
    /// Not a folder a library can be restored into.
    BadTarget = "bad_target",
    /// The restored library could not be moved into place.
    RestoreSwap = "restore_swap",
    // Settings
    /// The settings file cannot be read.
    SettingsUnreadable = "settings_unreadable",
    /// The settings file is damaged.
    SettingsDamaged = "settings_damaged",
    /// The settings cannot be saved.
    SettingsUnwritable = "settings_unwritable",
    /// Not a colour of the form #RRGGBB.
    BadColour = "bad_colour",
    /// Not one of a setting's values.
    BadSetting = "bad_setting",
    /// The organisation name is too long.
    BadOrganisation = "bad_organisation",
    /// A logo that is not a PNG or JPEG.
    BadLogo = "bad_logo",
    /// A logo over its size limit.
    LogoTooLarge = "logo_too_large",
    // The app
    /// An argument the window sent is missing, malformed or out of range.
    BadArgument = "bad_argument",
    /// An internal error (a panicked or cancelled task).
    Internal = "internal",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refusal as the front ends pass it on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{message}")]
pub struct Failure {
    pub code: ErrorCode,
    /// One sentence (a lower layer's line breaks are folded into spaces).
    pub message: String,
}

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure { code, message: message.into() }
    }

    /// The code and sentence of any coded error.
    pub fn of(error: &(impl Coded + ?Sized)) -> Self {
        Failure::new(error.code(), one_line(&error.to_string()))
    }
}

/// A message on one line, whatever a lower layer (SQLite, an OS error) put in it.
pub fn one_line(message: &str) -> String {
    message.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The modules' errors, each with its own codes.
macro_rules! coded {
    ($($error:ty),* $(,)?) => {$(
        impl Coded for $error {
            fn code(&self) -> ErrorCode {
                <$error>::code(self)
            }
        }
    )*};
}

coded!(
    crate::fsutil::WriteError,
    crate::fsutil::ReadError,
    crate::ops::import::ImportFilesError,
    crate::store::StoreError,
    crate::media::MediaError,
    crate::media::ImageError,
    crate::interchange::ImportError,
    crate::ops::export::ExportError,
    crate::settings::SettingsError,
    crate::sign::SignError,
    crate::backup::BackupError,
    crate::preview::PreviewError,
    crate::brief::BriefError,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_wire_name_and_serialises_as_it() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(code.as_str()));
            assert_eq!(serde_json::from_value::<ErrorCode>(serde_json::json!(code.as_str())).unwrap(), code);
        }
    }

    #[test]
    fn a_failure_keeps_the_code_and_folds_the_sentence_onto_one_line() {
        #[derive(Debug, thiserror::Error)]
        #[error("first line\n   second line\n")]
        struct Two;
        impl Coded for Two {
            fn code(&self) -> ErrorCode {
                ErrorCode::Busy
            }
        }
        assert_eq!(Failure::of(&Two), Failure::new(ErrorCode::Busy, "first line second line"));
        let json = serde_json::to_value(Failure::new(ErrorCode::Busy, "the library stayed busy")).unwrap();
        assert_eq!(json, serde_json::json!({ "code": "busy", "message": "the library stayed busy" }));
    }
}
