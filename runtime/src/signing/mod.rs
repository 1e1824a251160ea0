//! Request signatures: RPC V1 (HMAC-SHA1) and ACS3-HMAC-SHA256 (V3), plus the per-attempt
//! nonce and timestamp both of them need.

pub mod v1;
pub mod v3;

use crate::credentials::REDACTED;
use crate::encoding::percent_encode;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::SystemTime;
use time::OffsetDateTime;

/// `url` with the values of the query parameters named in `hidden` shown as
/// [`REDACTED`].
fn redact_query(url: &str, hidden: &[&str]) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if hidden.contains(&name) => format!("{name}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// A fresh signature nonce: 32 lower-case hex digits, never repeated within the process and
/// unpredictable across processes, so that no retry or concurrent call can reuse one.
pub fn new_nonce() -> String {
    Nonce::new().as_str().to_owned()
}

/// A nonce (see [`new_nonce`]) held without allocating.
pub(crate) struct Nonce([u8; 32]);

impl Nonce {
    pub(crate) fn new() -> Self {
        let (high, low) = crate::random::next_u128();
        let mut digits = [0u8; 32];
        let bytes = (u128::from(high) << 64 | u128::from(low)).to_be_bytes();
        for (pair, byte) in digits.chunks_exact_mut(2).zip(bytes) {
            pair[0] = b"0123456789abcdef"[usize::from(byte >> 4)];
            pair[1] = b"0123456789abcdef"[usize::from(byte & 0xf)];
        }
        Self(digits)
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}

/// Formats `at` as the UTC timestamp both signatures use: `YYYY-MM-DDThh:mm:ssZ`. A time
/// outside the years 0000–9999 ([`is_formattable`]) is shown at the nearer end of them.
pub fn format_timestamp(at: SystemTime) -> String {
    timestamp(at).text.clone()
}

/// Whether `at` falls in the years 0000–9999, which `YYYY-MM-DDThh:mm:ssZ` can show.
pub fn is_formattable(at: SystemTime) -> bool {
    (YEAR_0..YEAR_10000).contains(&unix_second(at))
}

/// The Unix second `at` falls in (rounded down, also before 1970), saturating.
fn unix_second(at: SystemTime) -> i64 {
    match at.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs_f64().ceil() as u64).unwrap_or(i64::MAX),
    }
}

/// The texts of one second's timestamp: as V3 sends it, and as V1 needs it percent-encoded
/// once (for the wire) and twice (for the string to sign).
pub(crate) struct Timestamp {
    second: i64,
    pub(crate) text: String,
    pub(crate) encoded: String,
    pub(crate) encoded_twice: String,
}

/// The timestamp texts of `at`. Those of the last second seen on this thread are reused, so
/// formatting and encoding happen once a second.
pub(crate) fn timestamp(at: SystemTime) -> Rc<Timestamp> {
    thread_local! {
        static LAST: RefCell<Option<Rc<Timestamp>>> = const { RefCell::new(None) };
    }
    let second = unix_second(at);
    LAST.with_borrow_mut(|last| match last {
        Some(stamp) if stamp.second == second => Rc::clone(stamp),
        _ => {
            // A clock outside the years 0000–9999, which the format cannot show, is shown at
            // the nearer end of that range instead of panicking.
            let shown = second.clamp(YEAR_0, YEAR_10000 - 1);
            let text = format_utc(OffsetDateTime::from_unix_timestamp(shown).unwrap_or(OffsetDateTime::UNIX_EPOCH));
            let encoded = percent_encode(&text);
            let stamp = Rc::new(Timestamp { second, encoded_twice: percent_encode(&encoded), encoded, text });
            *last = Some(Rc::clone(&stamp));
            stamp
        }
    })
}

/// The first second of the year 0 and of the year 10000, in Unix time.
const YEAR_0: i64 = -62_167_219_200;
const YEAR_10000: i64 = 253_402_300_800;

fn format_utc(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses a `YYYY-MM-DDThh:mm:ssZ` timestamp; `None` when it is not exactly that shape.
pub fn parse_timestamp(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<u16>().ok();
    let month = time::Month::try_from(num(5..7)? as u8).ok()?;
    let date = time::Date::from_calendar_date(i32::from(num(0..4)?), month, num(8..10)? as u8).ok()?;
    let clock = time::Time::from_hms(num(11..13)? as u8, num(14..16)? as u8, num(17..19)? as u8).ok()?;
    // Through seconds, checked: `SystemTime` cannot hold every date on every platform
    // (on Windows, none before 1601).
    let seconds = date.with_time(clock).assume_utc().unix_timestamp();
    match u64::try_from(seconds) {
        Ok(after) => std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(after)),
        Err(_) => std::time::UNIX_EPOCH.checked_sub(std::time::Duration::from_secs(seconds.unsigned_abs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn timestamps_round_trip_in_utc_without_fractions() {
        let at = UNIX_EPOCH + Duration::from_millis(1_704_067_200_999);
        assert_eq!(format_timestamp(at), "2024-01-01T00:00:00Z");
        assert_eq!(parse_timestamp("2024-01-01T00:00:00Z"), Some(UNIX_EPOCH + Duration::from_secs(1_704_067_200)));
        for bad in ["2024-01-01 00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01T00:00:00.5Z", ""]
        {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_at_the_ends_of_the_format_neither_panic_nor_wrap() {
        let year_10000 = UNIX_EPOCH + Duration::from_secs(253_402_300_800);
        assert_eq!(format_timestamp(year_10000), "9999-12-31T23:59:59Z");
        assert_eq!(format_timestamp(year_10000 - Duration::from_secs(1)), "9999-12-31T23:59:59Z");
        // Windows' clock holds no date before 1601: there the year 0 is no `SystemTime`.
        let year_0 = parse_timestamp("0000-01-01T00:00:00Z");
        assert_eq!(year_0.is_none(), cfg!(windows));
        if let Some(year_0) = year_0 {
            assert_eq!(format_timestamp(year_0), "0000-01-01T00:00:00Z");
            let before = year_0.checked_sub(Duration::from_secs(1)).expect("a clock that holds the year 0 holds -1");
            assert_eq!(format_timestamp(before), "0000-01-01T00:00:00Z");
        }
    }

    #[test]
    fn timestamp_texts_are_encoded_once_and_twice_for_v1() {
        let stamp = timestamp(UNIX_EPOCH + Duration::from_secs(1_704_067_200));
        assert_eq!(stamp.text, "2024-01-01T00:00:00Z");
        assert_eq!(stamp.encoded, "2024-01-01T00%3A00%3A00Z");
        assert_eq!(stamp.encoded_twice, "2024-01-01T00%253A00%253A00Z");
        let next_second = timestamp(UNIX_EPOCH + Duration::from_secs(1_704_067_201));
        assert_eq!(next_second.text, "2024-01-01T00:00:01Z");
    }

    #[test]
    fn nonces_are_32_hex_digits_and_never_repeat() {
        let nonces: std::collections::HashSet<String> = (0..100_000).map(|_| new_nonce()).collect();
        assert_eq!(nonces.len(), 100_000);
        assert!(
            nonces.iter().all(|n| n.len() == 32 && n.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
        );
    }
}
