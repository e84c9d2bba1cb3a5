//! The IPC surface: each command converts its arguments, calls the core on a blocking thread and
//! converts the result. No business logic lives here.
//!
//! A new command must also be listed in build.rs (`AppManifest::commands`), registered in
//! `lib.rs`, granted in capabilities/default.json and wrapped in ui/src/lib/backend.ts.

use briefwright::store::{Query, Summary};
use tauri::State;

use crate::error::IpcError;
use crate::library::Library;

/// Reports matching `query`; an empty query lists the whole library, newest first.
#[tauri::command]
pub async fn list_reports(library: State<'_, Library>, query: Query) -> Result<Vec<Summary>, IpcError> {
    library.with_store(move |store| Ok(store.search(&query)?)).await
}
