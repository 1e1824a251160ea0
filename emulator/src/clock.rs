//! The service clock: wall-clock time plus an offset that tests can advance, so transitional
//! states and expiry can be reached without sleeping. Signature timestamps are checked
//! against the real wall clock, not this one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// The furthest the service clock goes ahead of the wall clock: a thousand years, far beyond
/// any delay a test waits for and well within what `SystemTime` holds.
const MAX_OFFSET: Duration = Duration::from_secs(1000 * 365 * 24 * 3600);

/// Wall-clock time shifted by an adjustable offset.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_millis: AtomicU64,
}

impl Clock {
    /// The service's current time.
    pub(crate) fn now(&self) -> SystemTime {
        let offset = Duration::from_millis(self.offset_millis.load(Ordering::Relaxed)).min(MAX_OFFSET);
        SystemTime::now() + offset
    }

    /// Moves the service clock forward (at most [`MAX_OFFSET`] ahead in all).
    pub(crate) fn advance(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let add = |offset: u64| Some(offset.saturating_add(millis));
        // The closure always returns `Some`, so the update always happens.
        let _ = self.offset_millis.fetch_update(Ordering::Relaxed, Ordering::Relaxed, add);
    }
}
