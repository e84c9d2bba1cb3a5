//! Library settings: page size, default TLP, organisation branding; and the library's backup and restore.

use briefwright::backup::{self, BackupError, BackupSummary, RestoreSummary};
use briefwright::settings::{parse_colour, Settings, SettingsError};
use briefwright::Env;
use tauri::State;

use super::file_arg;
use crate::error::IpcError;
use crate::library::Library;
use crate::session::Session;

impl From<SettingsError> for IpcError {
    fn from(error: SettingsError) -> Self {
        IpcError::new(error.code(), error.to_string())
    }
}

impl From<BackupError> for IpcError {
    fn from(error: BackupError) -> Self {
        IpcError::new(error.code(), error.to_string())
    }
}

#[tauri::command]
pub async fn get_settings(library: State<'_, Library>) -> Result<Settings, IpcError> {
    library.with_dir(|dir| Ok(Settings::load(dir)?)).await
}

/// Saves page size, default TLP, organisation and accent colour. The logo changes only through
/// `set_logo` / `clear_logo`.
#[tauri::command]
pub async fn save_settings(library: State<'_, Library>, settings: Settings) -> Result<Settings, IpcError> {
    library
        .with_dir(move |dir| {
            let mut saved = Settings::load(dir)?;
            saved.page_size = settings.page_size;
            saved.default_tlp = settings.default_tlp;
            saved.organisation = settings.organisation.map(|o| o.trim().to_string()).filter(|o| !o.is_empty());
            saved.accent = match settings.accent.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                Some(accent) => {
                    let (r, g, b) = parse_colour(accent)?;
                    Some(format!("#{r:02X}{g:02X}{b:02X}"))
                }
                None => None,
            };
            saved.save(dir)?;
            Ok(saved)
        })
        .await
}

/// Copies a PNG or JPEG logo into the library's branding folder.
#[tauri::command]
pub async fn set_logo(library: State<'_, Library>, path: String) -> Result<Settings, IpcError> {
    let path = file_arg(&path)?;
    library
        .with_dir(move |dir| {
            let mut settings = Settings::load(dir)?;
            settings.set_logo(dir, &path)?;
            settings.save(dir)?;
            Ok(settings)
        })
        .await
}

#[tauri::command]
pub async fn clear_logo(library: State<'_, Library>) -> Result<Settings, IpcError> {
    library
        .with_dir(|dir| {
            let mut settings = Settings::load(dir)?;
            settings.clear_logo(dir);
            settings.save(dir)?;
            Ok(settings)
        })
        .await
}

/// Backs up the whole library (reports, images, identities with their keys still encrypted,
/// trusted certificates, settings, branding) into one archive at `path`, chosen in a save dialog.
#[tauri::command]
pub async fn backup_library(library: State<'_, Library>, path: String) -> Result<BackupSummary, IpcError> {
    let path = file_arg(&path)?;
    library.with_dir(move |dir| Ok(backup::backup(dir, &path, &Env::system())?)).await
}

/// Replaces the whole library with the backup at `path` (chosen in an open dialog). The archive is
/// checked whole first; the current data folder is moved aside to `<folder>.before-restore-<time>`,
/// never deleted; the unlocked signing identity is locked (the identities may have changed).
#[tauri::command]
pub async fn restore_library(
    library: State<'_, Library>,
    session: State<'_, Session>,
    path: String,
) -> Result<RestoreSummary, IpcError> {
    let path = file_arg(&path)?;
    let restored = library.restore_backup(path).await;
    session.lock();
    restored
}
