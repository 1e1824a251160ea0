//! Request signatures: RPC V1 (HMAC-SHA1) and ACS3-HMAC-SHA256 (V3), plus the per-attempt
//! nonce and timestamp both of them need.

pub mod v1;
pub mod v3;

use std::time::SystemTime;
use time::OffsetDateTime;

/// A fresh signature nonce: 32 lower-case hex digits, never repeated within the process and
/// unpredictable across processes, so that no retry or concurrent call can reuse one.
pub fn new_nonce() -> String {
    let mut out = String::with_capacity(32);
    push_nonce(&mut out);
    out
}

/// Appends a fresh nonce (see [`new_nonce`]) to `out`.
pub(crate) fn push_nonce(out: &mut String) {
    let (high, low) = crate::random::next_u128();
    for half in [high, low] {
        for shift in (0..16).rev() {
            out.push(char::from(b"0123456789abcdef"[((half >> (shift * 4)) & 0xf) as usize]));
        }
    }
}

/// Formats `at` as the UTC timestamp both signatures use: `YYYY-MM-DDThh:mm:ssZ`.
pub fn format_timestamp(at: SystemTime) -> String {
    let mut out = String::with_capacity(20);
    push_timestamp(&mut out, at);
    out
}

/// Appends the timestamp of `at` (see [`format_timestamp`]) to `out`. The text of the last
/// second formatted on this thread is reused.
pub(crate) fn push_timestamp(out: &mut String, at: SystemTime) {
    thread_local! {
        static LAST: std::cell::RefCell<(i64, String)> = const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    let second = match at.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs_f64().ceil() as u64).unwrap_or(i64::MAX),
    };
    LAST.with_borrow_mut(|(last_second, text)| {
        if *last_second != second {
            *text = format_utc(OffsetDateTime::from(at));
            *last_second = second;
        }
        out.push_str(text);
    });
}

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
    Some(date.with_time(clock).assume_utc().into())
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
    fn nonces_are_32_hex_digits_and_never_repeat() {
        let nonces: std::collections::HashSet<String> = (0..100_000).map(|_| new_nonce()).collect();
        assert_eq!(nonces.len(), 100_000);
        assert!(
            nonces.iter().all(|n| n.len() == 32 && n.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
        );
    }
}
