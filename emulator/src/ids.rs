//! Cheap unique identifiers: SplitMix64 mixing (also used for the fault draws and hashing),
//! the request ids of responses (upper-case UUIDs) and peering ids, made without a system call
//! per id.

use std::sync::atomic::{AtomicU64, Ordering};

/// The SplitMix64 mixing function: a fast, well-distributed bijection on u64.
pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Unique ids without a system call per id: a random seed per emulator mixed with a counter.
/// Distinct counters give distinct 64-bit prefixes, so ids never repeat within an emulator.
pub(crate) struct UniqueIds {
    seed: u64,
    counter: AtomicU64,
}

impl UniqueIds {
    pub(crate) fn new() -> Self {
        let random = uuid::Uuid::new_v4().as_u64_pair();
        Self { seed: random.0 ^ random.1.rotate_left(17), counter: AtomicU64::new(0) }
    }

    fn next_bits(&self) -> u128 {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let high = splitmix64(self.seed ^ n);
        let low = splitmix64(high ^ self.seed.rotate_left(32));
        (u128::from(high) << 64) | u128::from(low)
    }

    /// A request id: an upper-case UUID v4, e.g. `4EC47282-1B74-4534-BD2E-403F3EE64CAF`.
    pub(crate) fn request_id(&self) -> String {
        let id = uuid::Builder::from_random_bytes(self.next_bits().to_be_bytes()).into_uuid();
        id.hyphenated().encode_upper(&mut uuid::Uuid::encode_buffer()).to_owned()
    }

    /// A peering id: `pcc-` and 20 lower-case letters and digits.
    pub(crate) fn instance_id(&self) -> String {
        const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut bits = self.next_bits();
        let mut id = String::with_capacity(24);
        id.push_str("pcc-");
        for _ in 0..20 {
            id.push(char::from(ALPHABET[(bits % 36) as usize]));
            bits /= 36;
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn request_ids_are_upper_case_v4_uuids_and_unique() {
        let ids = UniqueIds::new();
        let seen: HashSet<String> = (0..10_000).map(|_| ids.request_id()).collect();
        assert_eq!(seen.len(), 10_000);
        for id in seen.iter().take(100) {
            let parsed = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 4);
            assert!(!id.bytes().any(|b| b.is_ascii_lowercase()), "{id}");
        }
    }

    #[test]
    fn instance_ids_are_pcc_and_twenty_lower_case_alphanumerics() {
        let ids = UniqueIds::new();
        let seen: HashSet<String> = (0..10_000).map(|_| ids.instance_id()).collect();
        assert_eq!(seen.len(), 10_000);
        for id in seen.iter().take(100) {
            let rest = id.strip_prefix("pcc-").unwrap();
            assert_eq!(rest.len(), 20);
            assert!(rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{id}");
        }
    }
}
