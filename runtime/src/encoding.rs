//! The canonical percent-encoding of Alibaba Cloud signatures (RFC 3986 unreserved set,
//! upper-case hex), used both to sign and to write the query string and form body on the wire.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// Every byte except the unreserved `A-Z a-z 0-9 - _ . ~` is encoded.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes `value` the way both signature versions require: space is `%20`, `*` is
/// `%2A`, `~` stays literal, non-ASCII is encoded as UTF-8 bytes with upper-case hex.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    percent_encode_into(&mut out, value);
    out
}

/// Appends the percent-encoded `value` to `out`.
pub fn percent_encode_into(out: &mut String, value: &str) {
    if is_unreserved(value) {
        out.push_str(value);
    } else {
        out.extend(percent_encoding::utf8_percent_encode(value, RESERVED));
    }
}

/// Whether `value` needs no encoding at all: the common case of ids, tokens and names.
fn is_unreserved(value: &str) -> bool {
    value.bytes().all(|b| UNRESERVED[usize::from(b)])
}

/// `UNRESERVED[b]`: byte `b` is one of `A-Z a-z 0-9 - _ . ~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || matches!(b as u8, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Appends the percent-encoding of `value` to `once`, and the encoding of that encoding to
/// `twice`, in one pass: the V1 signer needs the first for the wire and the second for the
/// string to sign.
pub fn percent_encode_once_and_twice(once: &mut String, twice: &mut Vec<u8>, value: &str) {
    if is_unreserved(value) {
        once.push_str(value);
        twice.extend_from_slice(value.as_bytes());
        return;
    }
    // The encoder yields runs of unreserved bytes whole, and `%XX` for every other byte.
    for chunk in percent_encoding::utf8_percent_encode(value, RESERVED) {
        once.push_str(chunk);
        match chunk.strip_prefix('%') {
            Some(hex) => {
                twice.extend_from_slice(b"%25");
                twice.extend_from_slice(hex.as_bytes());
            }
            None => twice.extend_from_slice(chunk.as_bytes()),
        }
    }
}

/// Builds the canonical query string: parameters sorted byte-wise by their raw names, each
/// written as `encode(name)=encode(value)`, joined with `&`. Used by V1 for all parameters and
/// by V3 for the query parameters.
pub fn canonical_query<'a, I>(params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut sorted: Vec<(&str, &str)> = params.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.cmp(b.1)));
    let mut out = String::with_capacity(sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (name, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, name);
        out.push('=');
        percent_encode_into(&mut out, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_reserved_and_keeps_the_unreserved() {
        let cases = [
            (" ", "%20"),
            ("*", "%2A"),
            ("~", "~"),
            ("+", "%2B"),
            ("/", "%2F"),
            ("=", "%3D"),
            ("&", "%26"),
            ("%", "%25"),
            ("%7E", "%257E"),
            ("!'()", "%21%27%28%29"),
            (":", "%3A"),
            ("é", "%C3%A9"),
            ("阿里", "%E9%98%BF%E9%87%8C"),
            ("🦀", "%F0%9F%A6%80"),
            ("", ""),
            ("AZaz09-_.", "AZaz09-_."),
        ];
        for (raw, encoded) in cases {
            assert_eq!(percent_encode(raw), encoded, "encoding {raw:?}");
        }
    }

    #[test]
    fn published_unit_test_of_the_official_util() {
        assert_eq!(canonical_query([("test", " ~/*-+")]), "test=%20~%2F%2A-%2B");
    }

    #[test]
    fn sorts_bytewise_so_tag_10_lies_between_tag_1_and_tag_2() {
        let params = [
            ("Tag.2.Key", "b"),
            ("Tag.10.Key", "j"),
            ("Tag.1.Value", "v"),
            ("Tag.1.Key", "a"),
            ("_under", "u"),
            ("lower", "l"),
            ("Empty", ""),
        ];
        assert_eq!(
            canonical_query(params),
            "Empty=&Tag.1.Key=a&Tag.1.Value=v&Tag.10.Key=j&Tag.2.Key=b&_under=u&lower=l"
        );
    }
}
