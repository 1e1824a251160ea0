//! Cheap unique identifiers: SplitMix64 mixing (also used for the fault draws) and the
//! request ids of responses, upper-case UUIDs made without a system call per request.

use std::sync::atomic::{AtomicU64, Ordering};

/// The SplitMix64 mixing function: a fast, well-distributed bijection on u64.
pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Request ids: a random seed per emulator mixed with a counter, shaped as UUID v4. Distinct
/// counters give distinct ids, so ids never repeat within an emulator.
pub(crate) struct RequestIds {
    seed: u64,
    counter: AtomicU64,
}

impl RequestIds {
    pub(crate) fn new() -> Self {
        let random = uuid::Uuid::new_v4().as_u64_pair();
        Self { seed: random.0 ^ random.1.rotate_left(17), counter: AtomicU64::new(0) }
    }

    /// The next id, e.g. `4EC47282-1B74-4534-BD2E-403F3EE64CAF`.
    pub(crate) fn next(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let high = splitmix64(self.seed ^ n);
        let low = splitmix64(high ^ self.seed.rotate_left(32));
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&high.to_be_bytes());
        bytes[8..].copy_from_slice(&low.to_be_bytes());
        let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
        id.hyphenated().encode_upper(&mut uuid::Uuid::encode_buffer()).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn request_ids_are_upper_case_v4_uuids_and_unique() {
        let ids = RequestIds::new();
        let seen: HashSet<String> = (0..10_000).map(|_| ids.next()).collect();
        assert_eq!(seen.len(), 10_000);
        for id in seen.iter().take(100) {
            let parsed = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 4);
            assert!(!id.bytes().any(|b| b.is_ascii_lowercase()), "{id}");
        }
    }
}
