//! Library-wide settings: page size, default TLP and the organisation's branding.
//!
//! Kept in `settings.json` in the data folder, beside the database, so the CLI and the
//! desktop app share them and a backup of the folder carries them. The logo is a copy
//! kept in `branding/`, never a path to the user's original file.

use crate::error::ErrorCode;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fsutil;
use crate::model::Tlp;
use crate::paths::DataDir;

/// A logo larger than this is refused: it is printed a few centimetres wide.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Settings {
    /// Paper size of exported briefs.
    pub page_size: PageSize,
    /// TLP label given to new reports.
    pub default_tlp: Tlp,
    /// Organisation name on the title page of briefs.
    pub organisation: Option<String>,
    /// Accent colour of the title page, "#RRGGBB".
    pub accent: Option<String>,
    /// File name of the logo inside `branding/` ("logo.png" or "logo.jpg").
    pub logo: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { page_size: PageSize::A4, default_tlp: Tlp::Amber, organisation: None, accent: None, logo: None }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum PageSize {
    #[default]
    A4,
    Letter,
}

impl PageSize {
    pub fn as_str(self) -> &'static str {
        match self {
            PageSize::A4 => "a4",
            PageSize::Letter => "letter",
        }
    }

    /// Width and height in PDF points (1/72 inch).
    pub fn points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (595.2756, 841.8898),
            PageSize::Letter => (612.0, 792.0),
        }
    }
}

impl std::str::FromStr for PageSize {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(PageSize::A4),
            "letter" | "us-letter" | "usletter" => Ok(PageSize::Letter),
            _ => Err(format!("'{}' is not a page size (a4 or letter)", s.trim())),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the settings file {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the settings file {} is damaged ({message}); fix or delete it", path.display())]
    Damaged { path: PathBuf, message: String },
    #[error("cannot save the settings in {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("'{0}' is not a colour of the form #RRGGBB")]
    BadColour(String),
    /// A value that is not one of the setting's choices (the sentence says which are).
    #[error("{0}")]
    Invalid(String),
    #[error("the organisation name is too long (at most 200 characters)")]
    OrganisationTooLong,
    #[error("{} is not a PNG or JPEG image", path.display())]
    LogoFormat { path: PathBuf },
    #[error("{} is too large for a logo ({size} bytes; at most {MAX_LOGO_BYTES})", path.display())]
    LogoTooLarge { path: PathBuf, size: u64 },
}

impl SettingsError {
    pub fn code(&self) -> ErrorCode {
        match self {
            SettingsError::Read { .. } => ErrorCode::SettingsUnreadable,
            SettingsError::Damaged { .. } => ErrorCode::SettingsDamaged,
            SettingsError::Write { .. } => ErrorCode::SettingsUnwritable,
            SettingsError::BadColour(_) => ErrorCode::BadColour,
            SettingsError::Invalid(_) => ErrorCode::BadSetting,
            SettingsError::OrganisationTooLong => ErrorCode::BadOrganisation,
            SettingsError::LogoFormat { .. } => ErrorCode::BadLogo,
            SettingsError::LogoTooLarge { .. } => ErrorCode::LogoTooLarge,
        }
    }
}

impl Settings {
    /// The saved settings, or the defaults when none were saved yet.
    pub fn load(dir: &DataDir) -> Result<Settings, SettingsError> {
        let path = dir.settings();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(source) => return Err(SettingsError::Read { path, source }),
        };
        let settings: Settings = serde_json::from_slice(&bytes)
            .map_err(|e| SettingsError::Damaged { path: path.clone(), message: e.to_string() })?;
        settings.validate().map_err(|e| SettingsError::Damaged { path, message: e.to_string() })?;
        Ok(settings)
    }

    /// Saves atomically: the old file stays whole until the new one is complete.
    pub fn save(&self, dir: &DataDir) -> Result<(), SettingsError> {
        self.validate()?;
        let path = dir.settings();
        let write_err = |source| SettingsError::Write { path: path.clone(), source };
        std::fs::create_dir_all(dir.root()).map_err(write_err)?;
        let mut json = serde_json::to_string_pretty(self).expect("settings always serialise");
        json.push('\n');
        fsutil::write_atomic(&path, json.as_bytes()).map_err(write_err)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        if let Some(a) = &self.accent {
            parse_colour(a)?;
        }
        if self.organisation.as_ref().is_some_and(|o| o.chars().count() > 200) {
            return Err(SettingsError::OrganisationTooLong);
        }
        if let Some(logo) = &self.logo {
            if logo != "logo.png" && logo != "logo.jpg" {
                return Err(SettingsError::LogoFormat { path: PathBuf::from(logo) });
            }
        }
        Ok(())
    }

    /// The accent colour as RGB, if one is set.
    pub fn accent_rgb(&self) -> Option<(u8, u8, u8)> {
        self.accent.as_deref().and_then(|a| parse_colour(a).ok())
    }

    /// The logo's bytes, if one is set and still present.
    pub fn logo_bytes(&self, dir: &DataDir) -> Option<Vec<u8>> {
        let name = self.logo.as_deref()?;
        std::fs::read(dir.branding().join(name)).ok()
    }

    /// Forgets the logo and removes its copy from the data folder.
    pub fn clear_logo(&mut self, dir: &DataDir) {
        if let Some(name) = self.logo.take() {
            let _ = std::fs::remove_file(dir.branding().join(name));
        }
    }

    /// Copies a PNG or JPEG logo into the data folder and records it (not yet saved).
    pub fn set_logo(&mut self, dir: &DataDir, file: &Path) -> Result<(), SettingsError> {
        let bytes = fsutil::read_limited(file, MAX_LOGO_BYTES as u64).map_err(|e| match e {
            fsutil::ReadError::Io { path, source } => SettingsError::Read { path, source },
            fsutil::ReadError::TooLarge { path, size, .. } => SettingsError::LogoTooLarge { path, size },
        })?;
        let name = match logo_format(&bytes) {
            Some(ext) => format!("logo.{ext}"),
            None => return Err(SettingsError::LogoFormat { path: file.to_path_buf() }),
        };
        let branding = dir.branding();
        let write_err = |source| SettingsError::Write { path: branding.clone(), source };
        std::fs::create_dir_all(&branding).map_err(write_err)?;
        fsutil::write_atomic(&branding.join(&name), &bytes).map_err(write_err)?;
        self.logo = Some(name);
        Ok(())
    }

    /// The organisation shown on title pages: trimmed; empty or `None` removes it.
    pub fn set_organisation(&mut self, name: Option<&str>) {
        self.organisation = name.map(str::trim).filter(|o| !o.is_empty()).map(str::to_string);
    }

    /// The accent colour, stored as "#RRGGBB" whatever the case or '#' given; empty or `None`
    /// removes it.
    pub fn set_accent(&mut self, colour: Option<&str>) -> Result<(), SettingsError> {
        self.accent = match colour.map(str::trim).filter(|a| !a.is_empty()) {
            Some(colour) => {
                let (r, g, b) = parse_colour(colour)?;
                Some(format!("#{r:02X}{g:02X}{b:02X}"))
            }
            None => None,
        };
        Ok(())
    }

    /// Takes over what the settings view edits as one form (page size, default TLP, organisation,
    /// accent), cleaned as the setters above do. The logo changes only through its own calls.
    pub fn apply_form(&mut self, form: &Settings) -> Result<(), SettingsError> {
        self.page_size = form.page_size;
        self.default_tlp = form.default_tlp;
        self.set_organisation(form.organisation.as_deref());
        self.set_accent(form.accent.as_deref())
    }
}

/// Loads the saved settings, changes them with `change` and saves them whole (or not at all:
/// a refused change leaves the file as it was). Returns what was saved.
pub fn update(
    dir: &DataDir,
    change: impl FnOnce(&mut Settings) -> Result<(), SettingsError>,
) -> Result<Settings, SettingsError> {
    let mut settings = Settings::load(dir)?;
    change(&mut settings)?;
    settings.save(dir)?;
    Ok(settings)
}

/// "png" or "jpg" when the bytes start like one of those.
fn logo_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else {
        None
    }
}

/// "#RRGGBB" (the '#' optional, either case) as RGB.
pub fn parse_colour(s: &str) -> Result<(u8, u8, u8), SettingsError> {
    let bad = || SettingsError::BadColour(s.to_string());
    let hex = s.trim().strip_prefix('#').unwrap_or(s.trim());
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
    Ok((byte(0)?, byte(2)?, byte(4)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_nothing_saved_and_round_trip() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path().join("lib"));
        assert_eq!(Settings::load(&dir).unwrap(), Settings::default());
        let s = Settings {
            page_size: PageSize::Letter,
            default_tlp: Tlp::Green,
            organisation: Some("Северный отдел".into()),
            accent: Some("#1f4E79".into()),
            logo: None,
        };
        s.save(&dir).unwrap();
        assert_eq!(Settings::load(&dir).unwrap(), s);
        assert_eq!(s.accent_rgb(), Some((0x1f, 0x4e, 0x79)));
    }

    #[test]
    fn colours() {
        assert_eq!(parse_colour("#FFC000").unwrap(), (255, 192, 0));
        assert_eq!(parse_colour("33ff00").unwrap(), (0x33, 0xff, 0));
        for bad in ["", "#FFF", "#GGGGGG", "#FFC0000", "red", "#ÿÿÿ"] {
            assert!(parse_colour(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn damaged_file_is_an_error_not_the_defaults() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        std::fs::write(dir.settings(), b"{\"page_size\": \"folio\"}").unwrap();
        assert_eq!(Settings::load(&dir).unwrap_err().code(), ErrorCode::SettingsDamaged);
        std::fs::write(dir.settings(), b"{\"accent\": \"javascript:\"}").unwrap();
        assert_eq!(Settings::load(&dir).unwrap_err().code(), ErrorCode::SettingsDamaged);
        std::fs::write(dir.settings(), b"{\"logo\": \"../../etc/passwd\"}").unwrap();
        assert_eq!(Settings::load(&dir).unwrap_err().code(), ErrorCode::SettingsDamaged);
    }

    #[test]
    fn unknown_keys_from_a_newer_version_are_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        std::fs::write(dir.settings(), b"{\"page_size\": \"letter\", \"future\": 1}").unwrap();
        assert_eq!(Settings::load(&dir).unwrap().page_size, PageSize::Letter);
    }

    #[test]
    fn logo_is_copied_by_content_type() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path().join("lib"));
        let src = tmp.path().join("logo.gif");
        std::fs::write(&src, b"\x89PNG\r\n\x1a\nrest").unwrap();
        let mut s = Settings::default();
        s.set_logo(&dir, &src).unwrap();
        assert_eq!(s.logo.as_deref(), Some("logo.png"));
        assert_eq!(s.logo_bytes(&dir).unwrap(), b"\x89PNG\r\n\x1a\nrest");
        std::fs::write(&src, b"GIF89a").unwrap();
        assert_eq!(s.set_logo(&dir, &src).unwrap_err().code(), ErrorCode::BadLogo);
    }
}
