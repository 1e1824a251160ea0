//! Replay protection: the (AccessKeyId, nonce) pairs seen within the retention window,
//! sharded to keep lock hold times short under concurrency.

use crate::fast_hash::{FastBuild, FastSet};
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const SHARDS: usize = 16;

#[derive(Default)]
struct Shard {
    seen: FastSet<String>,
    by_age: VecDeque<(Instant, String)>,
}

/// Nonces seen in the last `retention`.
pub(crate) struct NonceStore {
    retention: Duration,
    hasher: FastBuild,
    shards: Vec<Mutex<Shard>>,
}

impl NonceStore {
    pub(crate) fn new(retention: Duration) -> Self {
        Self { retention, hasher: FastBuild::default(), shards: (0..SHARDS).map(|_| Mutex::default()).collect() }
    }

    /// Records the nonce; `false` when it was already used within the retention window.
    pub(crate) fn record(&self, access_key_id: &str, nonce: &str) -> bool {
        let key = format!("{access_key_id}\n{nonce}");
        let shard_index = (self.hasher.hash_one(&key) as usize) % SHARDS;
        let now = Instant::now();
        let mut shard = self.shards[shard_index].lock().unwrap_or_else(|e| e.into_inner());
        while let Some((at, _)) = shard.by_age.front() {
            if now.duration_since(*at) < self.retention {
                break;
            }
            if let Some((_, old)) = shard.by_age.pop_front() {
                shard.seen.remove(&old);
            }
        }
        if !shard.seen.insert(key.clone()) {
            return false;
        }
        shard.by_age.push_back((now, key));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_accepted_once_per_key_and_forgotten_after_retention() {
        let store = NonceStore::new(Duration::from_secs(900));
        assert!(store.record("a", "n1"));
        assert!(!store.record("a", "n1"));
        assert!(store.record("b", "n1"));
        let short = NonceStore::new(Duration::ZERO);
        assert!(short.record("a", "n1"));
        assert!(short.record("a", "n1"));
    }
}
