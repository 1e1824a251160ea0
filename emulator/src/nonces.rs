//! Replay protection: the (AccessKeyId, nonce) pairs seen within the retention window, kept
//! as 128-bit keyed fingerprints (no allocation per request) in shards to keep lock hold times
//! short under concurrency.

use crate::fast_hash::{FastBuild, FastSet};
use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const SHARDS: usize = 16;

#[derive(Default)]
struct Shard {
    seen: FastSet<u128>,
    by_age: VecDeque<(Instant, u128)>,
}

/// Nonces seen in the last `retention`.
pub(crate) struct NonceStore {
    retention: Duration,
    /// Two independently keyed SipHash functions; together a 128-bit fingerprint, so two
    /// different nonces are taken for the same one with probability about 2^-128.
    keys: (RandomState, RandomState),
    shards: Vec<Mutex<Shard>>,
}

impl NonceStore {
    pub(crate) fn new(retention: Duration) -> Self {
        Self {
            retention,
            keys: (RandomState::new(), RandomState::new()),
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard { seen: FastSet::with_hasher(FastBuild::default()), by_age: VecDeque::new() })
                })
                .collect(),
        }
    }

    fn fingerprint(&self, access_key_id: &str, nonce: &str) -> u128 {
        let half = |key: &RandomState| {
            let mut hasher = key.build_hasher();
            hasher.write(access_key_id.as_bytes());
            hasher.write_u8(0xff);
            hasher.write(nonce.as_bytes());
            hasher.finish()
        };
        (u128::from(half(&self.keys.0)) << 64) | u128::from(half(&self.keys.1))
    }

    /// Records the nonce; `false` when it was already used within the retention window.
    pub(crate) fn record(&self, access_key_id: &str, nonce: &str) -> bool {
        let key = self.fingerprint(access_key_id, nonce);
        let shard_index = (key as usize) % SHARDS;
        let now = Instant::now();
        let mut shard = self.shards[shard_index].lock().unwrap_or_else(|e| e.into_inner());
        while let Some(&(at, old)) = shard.by_age.front() {
            if now.duration_since(at) < self.retention {
                break;
            }
            shard.by_age.pop_front();
            shard.seen.remove(&old);
        }
        if !shard.seen.insert(key) {
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
        assert!(store.record("a", "n2"));
        assert!(store.record("a\u{ff}", "n1") && store.record("an", "1"), "the separator keeps pairs apart");
        let short = NonceStore::new(Duration::ZERO);
        assert!(short.record("a", "n1"));
        assert!(short.record("a", "n1"));
    }
}
