//! Library settings: page size, default TLP, organisation branding; and the library's backup and restore.

use briefwright::backup::{self, BackupSummary, RestoreSummary};
use briefwright::settings::{self, Settings};
use briefwright::Env;
use tauri::State;

use crate::ipc::{Arg, FilePath, IpcError};
use crate::library::Library;
use crate::session::Session;

#[tauri::command]
#[specta::specta]
pub async fn get_settings(library: State<'_, Library>) -> Result<Settings, IpcError> {
    library.with_dir(Settings::load).await
}

/// Saves page size, default TLP, organisation and accent colour. The logo changes only through
/// `set_logo` / `clear_logo`.
#[tauri::command]
#[specta::specta]
pub async fn save_settings(library: State<'_, Library>, settings: Arg<Settings>) -> Result<Settings, IpcError> {
    library.with_dir(move |dir| settings::update(dir, |saved| saved.apply_form(&settings))).await
}

/// Copies a PNG or JPEG logo into the library's branding folder.
#[tauri::command]
#[specta::specta]
pub async fn set_logo(library: State<'_, Library>, path: FilePath) -> Result<Settings, IpcError> {
    library.with_dir(move |dir| settings::update(dir, |s| s.set_logo(dir, &path.0))).await
}

#[tauri::command]
#[specta::specta]
pub async fn clear_logo(library: State<'_, Library>) -> Result<Settings, IpcError> {
    let clear = |dir: &_| {
        settings::update(dir, |s| {
            s.clear_logo(dir);
            Ok(())
        })
    };
    library.with_dir(clear).await
}

/// Backs up the whole library (reports, images, identities with their keys still encrypted,
/// trusted certificates, settings, branding) into one archive at `path`, chosen in a save dialog.
#[tauri::command]
#[specta::specta]
pub async fn backup_library(library: State<'_, Library>, path: FilePath) -> Result<BackupSummary, IpcError> {
    library.with_dir(move |dir| backup::backup(dir, &path.0, &Env::system())).await
}

/// Replaces the whole library with the backup at `path` (chosen in an open dialog). The archive is
/// checked whole first; the current data folder is moved aside to `<folder>.before-restore-<time>`,
/// never deleted; the unlocked signing identity is locked (the identities may have changed).
#[tauri::command]
#[specta::specta]
pub async fn restore_library(
    library: State<'_, Library>,
    session: State<'_, Session>,
    path: FilePath,
) -> Result<RestoreSummary, IpcError> {
    let restored = library.restore_backup(path.0).await;
    session.lock();
    restored
}
