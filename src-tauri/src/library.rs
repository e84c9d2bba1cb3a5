//! The library as the app holds it: the store opened once at startup, or why it could not be.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use briefwright::paths::{data_dir, DataDir};
use briefwright::store::Store;
use briefwright::Env;

use crate::error::{IpcError, STORE_UNAVAILABLE};

/// Tauri-managed state. `Store` is `Send` but not `Sync`: one connection behind a mutex,
/// used only from blocking threads (see `commands`).
pub struct Library {
    store: Result<Arc<Mutex<Store>>, IpcError>,
}

impl Library {
    /// Opens the library in the shared data folder (`BRIEFWRIGHT_DATA_DIR`, else the OS app-data
    /// folder). Never fails: a library that cannot be opened is remembered as an error that every
    /// command returns, so the window still opens and says what is wrong.
    pub fn open_default() -> Library {
        match data_dir(None) {
            Some(root) => Library::open(root),
            None => {
                tracing::error!("no app-data folder on this system and BRIEFWRIGHT_DATA_DIR is not set");
                Library::unavailable(IpcError::new(
                    STORE_UNAVAILABLE,
                    "Briefwright found no folder for its library on this system; set BRIEFWRIGHT_DATA_DIR to a folder it may use",
                ))
            }
        }
    }

    /// Opens the library in `root`.
    pub fn open(root: PathBuf) -> Library {
        let dir = DataDir::new(root);
        tracing::info!(data_dir = %dir.root().display(), "opening the library");
        match Store::open(&dir, Env::system()) {
            Ok(store) => {
                tracing::info!(database = %dir.database().display(), "library open");
                Library { store: Ok(Arc::new(Mutex::new(store))) }
            }
            Err(error) => {
                tracing::error!(data_dir = %dir.root().display(), code = error.code(), %error, "cannot open the library");
                // Keep the core's code; say where, so the user knows which folder to look at.
                let message = format!("{error}; the library folder is {}", dir.root().display());
                Library::unavailable(IpcError::new(error.code(), message))
            }
        }
    }

    pub fn unavailable(error: IpcError) -> Library {
        Library { store: Err(error) }
    }

    /// Runs `f` with the store on a blocking thread (rusqlite must never block an async worker).
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, IpcError> + Send + 'static,
    {
        let store = self.store.clone()?;
        tauri::async_runtime::spawn_blocking(move || f(&mut lock(&store))).await.map_err(|error| {
            tracing::error!(%error, "a library task failed");
            IpcError::new(
                crate::error::INTERNAL,
                "Briefwright hit an internal error while working on the library; try again",
            )
        })?
    }
}

/// A panic in an earlier call poisons the mutex; the connection itself is still sound (an open
/// transaction rolls back when dropped), so carry on with it.
fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        tauri::async_runtime::block_on(future)
    }

    #[test]
    fn an_empty_folder_opens_as_an_empty_library() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path().join("library"));
        let rows = block_on(library.with_store(|store| Ok(store.search(&Default::default())?))).unwrap();
        assert!(rows.is_empty());
    }

    #[test]
    fn a_library_that_cannot_open_answers_every_call_with_why() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("library.sqlite3"), "not a database, only some text ".repeat(20)).unwrap();
        let library = Library::open(dir.path().to_path_buf());
        let error = block_on(library.with_store(|store| Ok(store.count()?))).unwrap_err();
        assert_eq!(error.code, "library_corrupt");
        assert!(error.message.contains(&dir.path().display().to_string()), "{}", error.message);
    }

    #[test]
    fn a_panicking_call_is_an_internal_error_and_the_store_stays_usable() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path().to_path_buf());
        let error = block_on(library.with_store(|_| -> Result<(), IpcError> { panic!("boom") })).unwrap_err();
        assert_eq!(error.code, crate::error::INTERNAL);
        assert_eq!(block_on(library.with_store(|store| Ok(store.count()?))).unwrap(), 0);
    }
}
