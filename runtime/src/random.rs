//! Cheap, never-repeating randomness for signature nonces, `ClientToken`s and retry jitter: a
//! process-wide counter through a bijective mix, keyed with 128 random bits from the OS. A
//! child process made by `fork` draws its own key before its first use, so that it does not
//! repeat its parent's sequence, nor its siblings'.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// The key of the mix, drawn in fork generation [`KEY_GENERATION`].
static KEY: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];
/// The fork generation the key was drawn in; `u64::MAX` before the first draw.
static KEY_GENERATION: AtomicU64 = AtomicU64::new(u64::MAX);
/// How many `fork`s lie between this process and the one that first drew a key.
static GENERATION: AtomicU64 = AtomicU64::new(0);
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 128 bits, different on every call in this process, unpredictable across processes.
pub(crate) fn next_u128() -> (u64, u64) {
    let generation = GENERATION.load(Ordering::Acquire);
    let (k0, k1) = if KEY_GENERATION.load(Ordering::Acquire) == generation {
        (KEY[0].load(Ordering::Relaxed), KEY[1].load(Ordering::Relaxed))
    } else {
        draw_key(generation)
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    (mix(n ^ k0), mix(n.rotate_left(29) ^ k1))
}

/// Whether forks are watched: not yet, being set up by one thread, yes, or never (the
/// platform refused).
const UNWATCHED: u8 = 0;
const REGISTERING: u8 = 1;
const WATCHED: u8 = 2;
const UNWATCHABLE: u8 = 3;
static FORK_WATCH: AtomicU8 = AtomicU8::new(UNWATCHED);

/// Draws a key for `generation` and gives it. The key is kept for later calls only once forks
/// are watched, so that a fork can never leave a child with its parent's key; until then (and
/// for good where forks cannot be watched) each call draws its own. Threads that race here
/// each draw one, and any of them will do; no lock is taken, so a `fork` in the middle cannot
/// leave the child waiting on one.
#[cold]
fn draw_key(generation: u64) -> (u64, u64) {
    let watched = match FORK_WATCH.compare_exchange(UNWATCHED, REGISTERING, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => {
            let watched = watch_forks();
            FORK_WATCH.store(if watched { WATCHED } else { UNWATCHABLE }, Ordering::Release);
            watched
        }
        Err(state) => state == WATCHED,
    };
    let (k0, k1) = uuid::Uuid::new_v4().as_u64_pair();
    if watched {
        KEY[0].store(k0, Ordering::Relaxed);
        KEY[1].store(k1, Ordering::Relaxed);
        KEY_GENERATION.store(generation, Ordering::Release);
    }
    (k0, k1)
}

/// Has every child made by `fork` count one more generation, before any of its code runs;
/// false when the platform refuses.
#[cfg(unix)]
fn watch_forks() -> bool {
    extern "C" fn in_child() {
        GENERATION.fetch_add(1, Ordering::AcqRel);
    }
    // SAFETY: `in_child` only touches an atomic, which is async-signal-safe, as code run in
    // the child of a multi-threaded process must be.
    let failed = unsafe { libc::pthread_atfork(None, None, Some(in_child)) };
    if failed != 0 {
        tracing::warn!(error = failed, "cannot watch for fork: every nonce and ClientToken draws its own key");
    }
    failed == 0
}

/// No `fork` on this platform.
#[cfg(not(unix))]
fn watch_forks() -> bool {
    true
}

/// A version 4 UUID in its hyphenated lower-case form, from [`next_u128`] (no system call).
pub(crate) fn uuid_v4() -> String {
    let (high, low) = next_u128();
    let bytes = ((u128::from(high) << 64) | u128::from(low)).to_be_bytes();
    uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
}

/// A number in `[0, 1)`.
pub(crate) fn unit_interval() -> f64 {
    // The top 53 bits make an exact f64 fraction.
    (next_u128().0 >> 11) as f64 / (1u64 << 53) as f64
}

/// The SplitMix64 finalizer: a bijection on `u64` that spreads every input bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuids_are_version_4_and_unique() {
        let ids: std::collections::HashSet<String> = (0..10_000).map(|_| super::uuid_v4()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4)));
        let hyphenated = |id: &String| {
            id.len() == 36
                && id.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit() && !c.is_ascii_uppercase()
                    }
                })
        };
        assert!(ids.iter().all(hyphenated), "lower-case hyphenated form");
    }

    #[test]
    fn unit_interval_stays_in_range_and_varies() {
        let values: Vec<f64> = (0..10_000).map(|_| super::unit_interval()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((0.45..0.55).contains(&mean), "mean {mean}");
    }
}
