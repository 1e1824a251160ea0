//! The service clock: wall-clock time plus an offset that tests can advance, so transitional
//! states and expiry can be reached without sleeping. Signature timestamps are checked
//! against the real wall clock, not this one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Wall-clock time shifted by an adjustable offset.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_millis: AtomicU64,
}

impl Clock {
    /// The service's current time.
    pub(crate) fn now(&self) -> SystemTime {
        SystemTime::now() + Duration::from_millis(self.offset_millis.load(Ordering::Relaxed))
    }

    /// Moves the service clock forward.
    pub(crate) fn advance(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.offset_millis.fetch_add(millis, Ordering::Relaxed);
    }
}
