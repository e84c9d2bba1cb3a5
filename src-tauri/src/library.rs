//! The library as the app holds it: the store opened once at startup, or why it could not be.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use briefwright::backup::{self, RestoreSummary};
use briefwright::error::ErrorCode;
use briefwright::paths::{data_dir, DataDir};
use briefwright::store::Store;
use briefwright::Env;

use crate::ipc::IpcError;

/// Tauri-managed state. `Store` is `Send` but not `Sync`: one connection behind a mutex, used
/// only from blocking threads (rusqlite must never block an async worker). The slot holds why the
/// library cannot be used when it could not open; a restore from a backup closes and reopens it
/// in place.
pub struct Library {
    store: Arc<Mutex<Result<Store, IpcError>>>,
    /// The data folder (keys, trust, settings), known even when the database cannot open.
    dir: Result<DataDir, IpcError>,
    /// This start created the library (and added the sample report).
    first_start: bool,
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
                    ErrorCode::StoreUnavailable,
                    "Briefwright found no folder for its library on this system; set BRIEFWRIGHT_DATA_DIR to a folder it may use",
                ))
            }
        }
    }

    /// Opens the library in `root`.
    pub fn open(root: PathBuf) -> Library {
        let dir = DataDir::new(root);
        let (store, first_start) = open_store(&dir);
        Library { store: Arc::new(Mutex::new(store)), dir: Ok(dir), first_start }
    }

    pub fn unavailable(error: IpcError) -> Library {
        Library { store: Arc::new(Mutex::new(Err(error.clone()))), dir: Err(error), first_start: false }
    }

    /// Whether this start created the library and added the sample report.
    pub fn first_start(&self) -> bool {
        self.first_start
    }

    /// Runs `f` with the store on a blocking thread.
    pub async fn with_store<T, E, F>(&self, f: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        E: Into<IpcError>,
        F: FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    {
        let store = self.store.clone();
        blocking(move || match &mut *lock(&store) {
            Ok(store) => f(store).map_err(Into::into),
            Err(why) => Err(why.clone()),
        })
        .await
    }

    /// Runs `f` with the data folder on a blocking thread, without the database (identities,
    /// trusted certificates and settings are files beside it).
    pub async fn with_dir<T, E, F>(&self, f: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        E: Into<IpcError>,
        F: FnOnce(&DataDir) -> Result<T, E> + Send + 'static,
    {
        let dir = self.dir.clone()?;
        blocking(move || f(&dir).map_err(Into::into)).await
    }

    /// Replaces the whole library with the backup `archive`. The database is closed first (every
    /// other call waits meanwhile); the archive is checked whole before anything changes; the
    /// current data folder is moved aside (never deleted); then the library is opened again,
    /// the restored one or, when the restore failed, the one that was there.
    pub async fn restore_backup(&self, archive: PathBuf) -> Result<RestoreSummary, IpcError> {
        let dir = self.dir.clone()?;
        let store = self.store.clone();
        blocking(move || {
            let mut slot = lock(&store);
            *slot = Err(IpcError::new(ErrorCode::StoreUnavailable, "the library is being restored from a backup"));
            let restored = backup::restore(&archive, &dir, true, &Env::system());
            *slot = open_store(&dir).0;
            match &restored {
                Ok(summary) => tracing::info!(reports = summary.counts.reports, "library restored from a backup"),
                Err(error) => tracing::warn!(code = ?error.code(), %error, "restore from a backup refused"),
            }
            Ok(restored?)
        })
        .await
    }
}

/// Opens the store in `dir`; the error says which folder, with the core's code. Also returns
/// whether this is the app's first start there (see `ops::reports::first_app_start`).
fn open_store(dir: &DataDir) -> (Result<Store, IpcError>, bool) {
    tracing::info!(data_dir = %dir.root().display(), "opening the library");
    match Store::open(dir, Env::system()) {
        Ok(mut store) => {
            tracing::info!(database = %dir.database().display(), "library open");
            let first_start = briefwright::ops::reports::first_app_start(&mut store);
            (Ok(store), first_start)
        }
        Err(error) => {
            tracing::error!(data_dir = %dir.root().display(), code = ?error.code(), %error, "cannot open the library");
            // Keep the core's code; say where, so the user knows which folder to look at.
            let mut failure = IpcError::from(error);
            failure.message = format!("{}; the library folder is {}", failure.message, dir.root().display());
            (Err(failure), false)
        }
    }
}

/// Runs `f` on a blocking thread; a panic becomes an internal error.
pub async fn blocking<T, F>(f: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, IpcError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f).await.map_err(|error| {
        tracing::error!(%error, "a library task failed");
        IpcError::new(ErrorCode::Internal, "Briefwright hit an internal error while working on the library; try again")
    })?
}

/// A panic in an earlier call poisons the mutex; the connection itself is still sound (an open
/// transaction rolls back when dropped), so carry on with it.
fn lock(store: &Mutex<Result<Store, IpcError>>) -> MutexGuard<'_, Result<Store, IpcError>> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use briefwright::store::StoreError;

    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        tauri::async_runtime::block_on(future)
    }

    fn count(library: &Library) -> Result<u64, IpcError> {
        block_on(library.with_store(|store| store.count()))
    }

    #[test]
    fn a_library_that_cannot_open_answers_every_call_with_why() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("library.sqlite3"), "not a database, only some text ".repeat(20)).unwrap();
        let library = Library::open(dir.path().to_path_buf());
        let error = count(&library).unwrap_err();
        assert_eq!(error.code, ErrorCode::LibraryCorrupt);
        assert!(error.message.contains(&dir.path().display().to_string()), "{}", error.message);
    }

    #[test]
    fn a_panicking_call_is_an_internal_error_and_the_store_stays_usable() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(dir.path().to_path_buf());
        assert!(library.first_start());
        let error = block_on(library.with_store(|_| -> Result<(), StoreError> { panic!("boom") })).unwrap_err();
        assert_eq!(error.code, ErrorCode::Internal);
        assert_eq!(count(&library).unwrap(), 1, "the sample report");
    }

    #[test]
    fn a_restore_replaces_the_open_library_and_keeps_the_old_one_aside() {
        let dir = tempfile::tempdir().unwrap();
        let source = Library::open(dir.path().join("source"));
        let imported = briefwright::interchange::import_bytes(
            include_str!("../../tests/fixtures/reports/grid-cyberattack.txt").as_bytes(),
        )
        .unwrap();
        block_on(source.with_store(move |store| store.create(imported.report, "test"))).unwrap();
        let archive = dir.path().join("backup.tar.gz");
        let target = archive.clone();
        block_on(source.with_dir(move |d| backup::backup(d, &target, &Env::system()))).unwrap();

        let library = Library::open(dir.path().join("mine"));
        let titles = |library: &Library| {
            block_on(library.with_store(|store| store.search(&Default::default())))
                .unwrap()
                .into_iter()
                .map(|s| s.title)
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(&library).len(), 1);

        // A file that is not a backup changes nothing, and the library stays open.
        let junk = dir.path().join("junk.tar.gz");
        std::fs::write(&junk, b"not a backup at all").unwrap();
        let error = block_on(library.restore_backup(junk)).unwrap_err();
        assert_eq!(error.code, ErrorCode::NotABackup, "{}", error.message);
        assert_eq!(titles(&library).len(), 1);

        let summary = block_on(library.restore_backup(archive)).unwrap();
        assert_eq!(summary.counts.reports, 2);
        let mut now = titles(&library);
        now.sort();
        assert!(now[1].contains("Regional Grid"), "{now:?}");
        let aside = summary.moved_aside.expect("the previous library is moved aside");
        assert!(aside.join("library.sqlite3").exists(), "{}", aside.display());
    }
}
