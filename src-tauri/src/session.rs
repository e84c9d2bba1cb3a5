//! The signing session: one identity unlocked at a time, held in memory until it is locked,
//! the app quits, or it has not been used for [`IDLE_TIMEOUT`]. Dropping the `Signer` zeroizes
//! its key (see `briefwright::sign::Signer`).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use briefwright::sign::{Identity, SignError, Signer};
use serde::Serialize;
use specta::Type;

/// An unlocked key is dropped after this long without a signature.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// What the UI shows about the session.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionStatus {
    /// The unlocked identity, if any.
    pub identity: Option<Identity>,
    /// Seconds until an unused key is locked again.
    pub seconds_left: u32,
}

struct Unlocked {
    signer: Arc<Signer>,
    last_used: Instant,
}

/// Tauri-managed state.
pub struct Session {
    unlocked: Mutex<Option<Unlocked>>,
    idle: Duration,
}

impl Session {
    pub fn new(idle: Duration) -> Session {
        Session { unlocked: Mutex::new(None), idle }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Unlocked>> {
        let mut slot = self.unlocked.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(|u| u.last_used.elapsed() >= self.idle) {
            tracing::info!("signing key locked after the idle timeout");
            *slot = None;
        }
        slot
    }

    /// Holds `signer` (dropping, and so zeroizing, any key held before).
    pub fn unlock(&self, signer: Signer) {
        *self.slot() = Some(Unlocked { signer: Arc::new(signer), last_used: Instant::now() });
    }

    /// Drops the key. An export in flight keeps its own reference until it finishes.
    pub fn lock(&self) {
        *self.slot() = None;
    }

    /// Drops the key if it is the one of identity `name` (which is being deleted).
    pub fn lock_if(&self, name: &str) {
        let mut slot = self.slot();
        if slot.as_ref().is_some_and(|u| u.signer.identity.name == name) {
            *slot = None;
        }
    }

    /// The unlocked signer for `name`, restarting the idle clock.
    pub fn signer(&self, name: &str) -> Option<Arc<Signer>> {
        let mut slot = self.slot();
        let unlocked = slot.as_mut().filter(|u| u.signer.identity.name == name)?;
        unlocked.last_used = Instant::now();
        Some(unlocked.signer.clone())
    }

    /// How an export asks for the signer of `identity`: looked up now, while the session is at
    /// hand (the export runs later on a blocking thread); refused as locked when it is not
    /// unlocked in this session.
    pub fn unlocker(
        &self,
        identity: Option<&str>,
    ) -> impl FnOnce(&str) -> Result<Arc<Signer>, SignError> + Send + 'static {
        let signer = identity.and_then(|name| self.signer(name));
        move |name| signer.ok_or_else(|| SignError::Locked(name.into()))
    }

    /// Locks when the idle time is over; called by a timer so an idle key leaves memory on time.
    pub fn expire(&self) {
        drop(self.slot());
    }

    pub fn status(&self) -> SessionStatus {
        let slot = self.slot();
        match slot.as_ref() {
            Some(u) => SessionStatus {
                identity: Some(u.signer.identity.clone()),
                seconds_left: self.idle.saturating_sub(u.last_used.elapsed()).as_secs() as u32,
            },
            None => SessionStatus { identity: None, seconds_left: 0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use briefwright::paths::DataDir;
    use briefwright::sign::{self, KeyKind};
    use briefwright::Env;

    fn signer(dir: &DataDir, name: &str) -> Signer {
        sign::identities::create(dir, name, None, None, KeyKind::P256, "pass phrase", &Env::system()).unwrap();
        sign::identities::unlock(dir, name, "pass phrase").unwrap()
    }

    #[test]
    fn holds_one_key_by_name_until_locked() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        let session = Session::new(IDLE_TIMEOUT);
        assert!(session.status().identity.is_none());
        session.unlock(signer(&dir, "Ann"));
        assert!(session.signer("Ann").is_some());
        assert!(session.signer("Bob").is_none());
        assert_eq!(session.status().identity.unwrap().name, "Ann");
        session.lock();
        assert!(session.signer("Ann").is_none());
    }

    #[test]
    fn an_idle_key_is_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path());
        let session = Session::new(Duration::from_millis(50));
        session.unlock(signer(&dir, "Ann"));
        let held = session.signer("Ann").unwrap();
        std::thread::sleep(Duration::from_millis(80));
        session.expire();
        assert!(session.status().identity.is_none());
        // Only the in-flight user still holds it; when it finishes, the key is gone.
        assert_eq!(Arc::strong_count(&held), 1);
    }
}
