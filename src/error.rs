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

/// Every code a refusal can carry, in one place: the UI receives them as a TypeScript union
/// (`ErrorCode` in ui/src/lib/bindings.ts) and matches them exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorCode {
    // The library (store)
    /// The data folder cannot be created or used.
    #[serde(rename = "data_dir")]
    DataDir,
    /// The library was written by a newer Briefwright.
    #[serde(rename = "library_too_new")]
    LibraryTooNew,
    /// The file is not a Briefwright library.
    #[serde(rename = "not_a_library")]
    NotALibrary,
    /// The library file is damaged.
    #[serde(rename = "library_corrupt")]
    LibraryCorrupt,
    /// The library file is empty.
    #[serde(rename = "library_empty")]
    LibraryEmpty,
    /// The library can be read but not written.
    #[serde(rename = "read_only")]
    ReadOnly,
    /// The library cannot be opened.
    #[serde(rename = "cannot_open")]
    CannotOpen,
    /// The disk is full.
    #[serde(rename = "disk_full")]
    DiskFull,
    /// Another program kept the library busy.
    #[serde(rename = "busy")]
    Busy,
    /// No such report.
    #[serde(rename = "not_found")]
    NotFound,
    /// An id prefix names several reports.
    #[serde(rename = "ambiguous")]
    Ambiguous,
    /// The report changed since the edit began (another window or the CLI).
    #[serde(rename = "stale")]
    Stale,
    /// No such revision.
    #[serde(rename = "no_revision")]
    NoRevision,
    /// A stored report cannot be read.
    #[serde(rename = "bad_content")]
    BadContent,
    /// SQLite failed.
    #[serde(rename = "database")]
    Database,
    /// The app has no library open (none found, or being restored).
    #[serde(rename = "store_unavailable")]
    StoreUnavailable,
    // Files
    /// A file cannot be read.
    #[serde(rename = "read")]
    Read,
    /// A file cannot be written.
    #[serde(rename = "write")]
    Write,
    /// A file is over its limit.
    #[serde(rename = "file_too_large")]
    FileTooLarge,
    /// An export or backup would land inside the library folder.
    #[serde(rename = "inside_library")]
    InsideLibrary,
    /// The system cannot open or show a file.
    #[serde(rename = "open")]
    Open,
    // Import
    /// An imported file is empty.
    #[serde(rename = "import_empty")]
    ImportEmpty,
    /// An imported file is over the import limit.
    #[serde(rename = "import_too_large")]
    ImportTooLarge,
    /// An imported file is a PDF.
    #[serde(rename = "import_pdf")]
    ImportPdf,
    /// An imported file is binary data.
    #[serde(rename = "import_binary")]
    ImportBinary,
    /// An imported file is not UTF-8 text.
    #[serde(rename = "import_not_utf8")]
    ImportNotUtf8,
    /// An imported text file is not a report.
    #[serde(rename = "import_not_a_report")]
    ImportNotAReport,
    /// An imported JSON file is not a Briefwright report.
    #[serde(rename = "import_bad_json")]
    ImportBadJson,
    /// An imported file cannot be read.
    #[serde(rename = "import_unreadable")]
    ImportUnreadable,
    // Images
    /// An image file is empty.
    #[serde(rename = "empty")]
    Empty,
    /// A file is not an image of a supported kind.
    #[serde(rename = "not_an_image")]
    NotAnImage,
    /// An image is larger than the accepted size.
    #[serde(rename = "too_many_pixels")]
    TooManyPixels,
    /// An image would need too much memory to open.
    #[serde(rename = "too_much_memory")]
    TooMuchMemory,
    /// An image is damaged.
    #[serde(rename = "malformed")]
    Malformed,
    /// A kind of image that is not supported.
    #[serde(rename = "unsupported")]
    Unsupported,
    /// The image decoder failed on a (probably hostile) file.
    #[serde(rename = "decoder_panic")]
    DecoderPanic,
    /// A cleaned image could not be written.
    #[serde(rename = "encode")]
    Encode,
    /// A cleaned image did not read back.
    #[serde(rename = "verify")]
    Verify,
    /// A stored image is missing.
    #[serde(rename = "missing")]
    Missing,
    /// No such figure.
    #[serde(rename = "no_figure")]
    NoFigure,
    /// The figure already has an image.
    #[serde(rename = "figure_taken")]
    FigureTaken,
    /// The figure has no image yet.
    #[serde(rename = "no_image")]
    NoImage,
    /// Attaching to a figure takes one image.
    #[serde(rename = "one_image_per_figure")]
    OneImagePerFigure,
    /// No image to attach.
    #[serde(rename = "nothing_to_attach")]
    NothingToAttach,
    /// A caption with control characters.
    #[serde(rename = "bad_caption")]
    BadCaption,
    // The brief and its export
    /// A bundled font cannot be read.
    #[serde(rename = "brief.font")]
    BriefFont,
    /// The PDF cannot be written.
    #[serde(rename = "brief.pdf")]
    BriefPdf,
    /// Only a PDF can be signed.
    #[serde(rename = "sign_needs_pdf")]
    SignNeedsPdf,
    /// A signed brief cannot carry the DRAFT watermark.
    #[serde(rename = "draft_signed")]
    DraftSigned,
    /// The preview cannot draw the brief.
    #[serde(rename = "preview_failed")]
    PreviewFailed,
    /// A preview was dropped to make room; it is drawn again.
    #[serde(rename = "preview_gone")]
    PreviewGone,
    /// A newer page request replaced this one.
    #[serde(rename = "superseded")]
    Superseded,
    // Signing
    /// Wrong passphrase for an identity.
    #[serde(rename = "wrong_passphrase")]
    WrongPassphrase,
    /// Wrong password for a PKCS#12 file.
    #[serde(rename = "wrong_p12_password")]
    WrongP12Password,
    /// No such identity.
    #[serde(rename = "no_identity")]
    NoIdentity,
    /// An identity of that name exists.
    #[serde(rename = "identity_exists")]
    IdentityExists,
    /// Not a usable identity name.
    #[serde(rename = "bad_name")]
    BadName,
    /// An empty passphrase.
    #[serde(rename = "empty_passphrase")]
    EmptyPassphrase,
    /// No passphrase given and no terminal to ask on.
    #[serde(rename = "no_passphrase")]
    NoPassphrase,
    /// The identity must be unlocked before signing.
    #[serde(rename = "locked")]
    Locked,
    /// A PKCS#12 file cannot be read.
    #[serde(rename = "bad_p12")]
    BadP12,
    /// A key of a kind Briefwright cannot sign with.
    #[serde(rename = "unsupported_key")]
    UnsupportedKey,
    /// A certificate cannot be read.
    #[serde(rename = "bad_certificate")]
    BadCertificate,
    /// A stored identity is damaged.
    #[serde(rename = "identity_damaged")]
    IdentityDamaged,
    /// A PDF cannot be signed.
    #[serde(rename = "bad_pdf")]
    BadPdf,
    /// No such page.
    #[serde(rename = "no_such_page")]
    NoSuchPage,
    /// A signature does not fit its reserved space.
    #[serde(rename = "signature_too_large")]
    SignatureTooLarge,
    /// No such trusted certificate.
    #[serde(rename = "no_trusted")]
    NoTrusted,
    /// A signing file cannot be used.
    #[serde(rename = "io")]
    Io,
    // Backups
    /// There is no library to back up.
    #[serde(rename = "no_library")]
    NoLibrary,
    /// The library cannot be backed up as it is.
    #[serde(rename = "backup_library_broken")]
    BackupLibraryBroken,
    /// A file is not a Briefwright backup.
    #[serde(rename = "not_a_backup")]
    NotABackup,
    /// A backup of an unknown format version.
    #[serde(rename = "backup_version")]
    BackupVersion,
    /// A backup of a newer Briefwright.
    #[serde(rename = "backup_too_new")]
    BackupTooNew,
    /// A backup is damaged.
    #[serde(rename = "backup_damaged")]
    BackupDamaged,
    /// A backup holds entries that would escape its folder.
    #[serde(rename = "backup_unsafe")]
    BackupUnsafe,
    /// A backup is over the size limits.
    #[serde(rename = "backup_too_large")]
    BackupTooLarge,
    /// The data folder already holds a library.
    #[serde(rename = "library_not_empty")]
    LibraryNotEmpty,
    /// Not a folder a library can be restored into.
    #[serde(rename = "bad_target")]
    BadTarget,
    /// The restored library could not be moved into place.
    #[serde(rename = "restore_swap")]
    RestoreSwap,
    // Settings
    /// The settings file cannot be read.
    #[serde(rename = "settings_unreadable")]
    SettingsUnreadable,
    /// The settings file is damaged.
    #[serde(rename = "settings_damaged")]
    SettingsDamaged,
    /// The settings cannot be saved.
    #[serde(rename = "settings_unwritable")]
    SettingsUnwritable,
    /// Not a colour of the form #RRGGBB.
    #[serde(rename = "bad_colour")]
    BadColour,
    /// Not one of a setting's values.
    #[serde(rename = "bad_setting")]
    BadSetting,
    /// The organisation name is too long.
    #[serde(rename = "bad_organisation")]
    BadOrganisation,
    /// A logo that is not a PNG or JPEG.
    #[serde(rename = "bad_logo")]
    BadLogo,
    /// A logo over its size limit.
    #[serde(rename = "logo_too_large")]
    LogoTooLarge,
    // The app
    /// An argument the window sent is missing, malformed or out of range.
    #[serde(rename = "bad_argument")]
    BadArgument,
    /// An internal error (a panicked or cancelled task).
    #[serde(rename = "internal")]
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 90] = [
        ErrorCode::DataDir,
        ErrorCode::LibraryTooNew,
        ErrorCode::NotALibrary,
        ErrorCode::LibraryCorrupt,
        ErrorCode::LibraryEmpty,
        ErrorCode::ReadOnly,
        ErrorCode::CannotOpen,
        ErrorCode::DiskFull,
        ErrorCode::Busy,
        ErrorCode::NotFound,
        ErrorCode::Ambiguous,
        ErrorCode::Stale,
        ErrorCode::NoRevision,
        ErrorCode::BadContent,
        ErrorCode::Database,
        ErrorCode::StoreUnavailable,
        ErrorCode::Read,
        ErrorCode::Write,
        ErrorCode::FileTooLarge,
        ErrorCode::InsideLibrary,
        ErrorCode::Open,
        ErrorCode::ImportEmpty,
        ErrorCode::ImportTooLarge,
        ErrorCode::ImportPdf,
        ErrorCode::ImportBinary,
        ErrorCode::ImportNotUtf8,
        ErrorCode::ImportNotAReport,
        ErrorCode::ImportBadJson,
        ErrorCode::ImportUnreadable,
        ErrorCode::Empty,
        ErrorCode::NotAnImage,
        ErrorCode::TooManyPixels,
        ErrorCode::TooMuchMemory,
        ErrorCode::Malformed,
        ErrorCode::Unsupported,
        ErrorCode::DecoderPanic,
        ErrorCode::Encode,
        ErrorCode::Verify,
        ErrorCode::Missing,
        ErrorCode::NoFigure,
        ErrorCode::FigureTaken,
        ErrorCode::NoImage,
        ErrorCode::OneImagePerFigure,
        ErrorCode::NothingToAttach,
        ErrorCode::BadCaption,
        ErrorCode::BriefFont,
        ErrorCode::BriefPdf,
        ErrorCode::SignNeedsPdf,
        ErrorCode::DraftSigned,
        ErrorCode::PreviewFailed,
        ErrorCode::PreviewGone,
        ErrorCode::Superseded,
        ErrorCode::WrongPassphrase,
        ErrorCode::WrongP12Password,
        ErrorCode::NoIdentity,
        ErrorCode::IdentityExists,
        ErrorCode::BadName,
        ErrorCode::EmptyPassphrase,
        ErrorCode::NoPassphrase,
        ErrorCode::Locked,
        ErrorCode::BadP12,
        ErrorCode::UnsupportedKey,
        ErrorCode::BadCertificate,
        ErrorCode::IdentityDamaged,
        ErrorCode::BadPdf,
        ErrorCode::NoSuchPage,
        ErrorCode::SignatureTooLarge,
        ErrorCode::NoTrusted,
        ErrorCode::Io,
        ErrorCode::NoLibrary,
        ErrorCode::BackupLibraryBroken,
        ErrorCode::NotABackup,
        ErrorCode::BackupVersion,
        ErrorCode::BackupTooNew,
        ErrorCode::BackupDamaged,
        ErrorCode::BackupUnsafe,
        ErrorCode::BackupTooLarge,
        ErrorCode::LibraryNotEmpty,
        ErrorCode::BadTarget,
        ErrorCode::RestoreSwap,
        ErrorCode::SettingsUnreadable,
        ErrorCode::SettingsDamaged,
        ErrorCode::SettingsUnwritable,
        ErrorCode::BadColour,
        ErrorCode::BadSetting,
        ErrorCode::BadOrganisation,
        ErrorCode::BadLogo,
        ErrorCode::LogoTooLarge,
        ErrorCode::BadArgument,
        ErrorCode::Internal,
    ];

    /// The code as it crosses IPC and appears in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::DataDir => "data_dir",
            ErrorCode::LibraryTooNew => "library_too_new",
            ErrorCode::NotALibrary => "not_a_library",
            ErrorCode::LibraryCorrupt => "library_corrupt",
            ErrorCode::LibraryEmpty => "library_empty",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::CannotOpen => "cannot_open",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::Busy => "busy",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Ambiguous => "ambiguous",
            ErrorCode::Stale => "stale",
            ErrorCode::NoRevision => "no_revision",
            ErrorCode::BadContent => "bad_content",
            ErrorCode::Database => "database",
            ErrorCode::StoreUnavailable => "store_unavailable",
            ErrorCode::Read => "read",
            ErrorCode::Write => "write",
            ErrorCode::FileTooLarge => "file_too_large",
            ErrorCode::InsideLibrary => "inside_library",
            ErrorCode::Open => "open",
            ErrorCode::ImportEmpty => "import_empty",
            ErrorCode::ImportTooLarge => "import_too_large",
            ErrorCode::ImportPdf => "import_pdf",
            ErrorCode::ImportBinary => "import_binary",
            ErrorCode::ImportNotUtf8 => "import_not_utf8",
            ErrorCode::ImportNotAReport => "import_not_a_report",
            ErrorCode::ImportBadJson => "import_bad_json",
            ErrorCode::ImportUnreadable => "import_unreadable",
            ErrorCode::Empty => "empty",
            ErrorCode::NotAnImage => "not_an_image",
            ErrorCode::TooManyPixels => "too_many_pixels",
            ErrorCode::TooMuchMemory => "too_much_memory",
            ErrorCode::Malformed => "malformed",
            ErrorCode::Unsupported => "unsupported",
            ErrorCode::DecoderPanic => "decoder_panic",
            ErrorCode::Encode => "encode",
            ErrorCode::Verify => "verify",
            ErrorCode::Missing => "missing",
            ErrorCode::NoFigure => "no_figure",
            ErrorCode::FigureTaken => "figure_taken",
            ErrorCode::NoImage => "no_image",
            ErrorCode::OneImagePerFigure => "one_image_per_figure",
            ErrorCode::NothingToAttach => "nothing_to_attach",
            ErrorCode::BadCaption => "bad_caption",
            ErrorCode::BriefFont => "brief.font",
            ErrorCode::BriefPdf => "brief.pdf",
            ErrorCode::SignNeedsPdf => "sign_needs_pdf",
            ErrorCode::DraftSigned => "draft_signed",
            ErrorCode::PreviewFailed => "preview_failed",
            ErrorCode::PreviewGone => "preview_gone",
            ErrorCode::Superseded => "superseded",
            ErrorCode::WrongPassphrase => "wrong_passphrase",
            ErrorCode::WrongP12Password => "wrong_p12_password",
            ErrorCode::NoIdentity => "no_identity",
            ErrorCode::IdentityExists => "identity_exists",
            ErrorCode::BadName => "bad_name",
            ErrorCode::EmptyPassphrase => "empty_passphrase",
            ErrorCode::NoPassphrase => "no_passphrase",
            ErrorCode::Locked => "locked",
            ErrorCode::BadP12 => "bad_p12",
            ErrorCode::UnsupportedKey => "unsupported_key",
            ErrorCode::BadCertificate => "bad_certificate",
            ErrorCode::IdentityDamaged => "identity_damaged",
            ErrorCode::BadPdf => "bad_pdf",
            ErrorCode::NoSuchPage => "no_such_page",
            ErrorCode::SignatureTooLarge => "signature_too_large",
            ErrorCode::NoTrusted => "no_trusted",
            ErrorCode::Io => "io",
            ErrorCode::NoLibrary => "no_library",
            ErrorCode::BackupLibraryBroken => "backup_library_broken",
            ErrorCode::NotABackup => "not_a_backup",
            ErrorCode::BackupVersion => "backup_version",
            ErrorCode::BackupTooNew => "backup_too_new",
            ErrorCode::BackupDamaged => "backup_damaged",
            ErrorCode::BackupUnsafe => "backup_unsafe",
            ErrorCode::BackupTooLarge => "backup_too_large",
            ErrorCode::LibraryNotEmpty => "library_not_empty",
            ErrorCode::BadTarget => "bad_target",
            ErrorCode::RestoreSwap => "restore_swap",
            ErrorCode::SettingsUnreadable => "settings_unreadable",
            ErrorCode::SettingsDamaged => "settings_damaged",
            ErrorCode::SettingsUnwritable => "settings_unwritable",
            ErrorCode::BadColour => "bad_colour",
            ErrorCode::BadSetting => "bad_setting",
            ErrorCode::BadOrganisation => "bad_organisation",
            ErrorCode::BadLogo => "bad_logo",
            ErrorCode::LogoTooLarge => "logo_too_large",
            ErrorCode::BadArgument => "bad_argument",
            ErrorCode::Internal => "internal",
        }
    }
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
        for code in ErrorCode::ALL {
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
