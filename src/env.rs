//! What the host supplies: the clock and fresh ids.
//!
//! Nothing in the core reads the system clock or a random source directly, so a
//! test (or `SOURCE_DATE_EPOCH`) can fix both and compare outputs byte for byte.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use time::OffsetDateTime;
use uuid::Uuid;

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

pub trait IdSource: Send + Sync {
    fn new_id(&self) -> Uuid;
}

/// The real clock, truncated to whole seconds (what we store and print).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.replace_nanosecond(0).unwrap_or(now)
    }
}

/// A clock that always says the same time.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// Random version-4 UUIDs.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn new_id(&self) -> Uuid {
        Uuid::new_v4()
    }
}

/// Ids 1, 2, 3, … (as UUIDs), for tests.
#[derive(Debug, Default)]
pub struct SequentialIds(AtomicU64);

impl IdSource for SequentialIds {
    fn new_id(&self) -> Uuid {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        Uuid::from_u128(n as u128)
    }
}

/// The clock and id source handed to the store and the exporters.
#[derive(Clone)]
pub struct Env {
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdSource>,
}

impl Env {
    /// The real clock and random ids.
    pub fn system() -> Self {
        Env { clock: Arc::new(SystemClock), ids: Arc::new(RandomIds) }
    }

    /// A fixed time and sequential ids: the same inputs give the same outputs.
    pub fn fixed(now: OffsetDateTime) -> Self {
        Env { clock: Arc::new(FixedClock(now)), ids: Arc::new(SequentialIds::default()) }
    }

    /// The time to write into exports: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock.
    pub fn export_time(&self) -> OffsetDateTime {
        std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok())
            .unwrap_or_else(|| self.clock.now())
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env").finish_non_exhaustive()
    }
}
