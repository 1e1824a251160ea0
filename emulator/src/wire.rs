//! Reading parameters off the wire: form-decoding the query string and the body (`+` is a
//! space, `%XX` a byte; a broken escape or non-UTF-8 is refused) and merging the two into one
//! parameter list.

use crate::errors::ApiError;
use percent_encoding::percent_decode;

/// One decoded parameter: name and value.
pub type Pair = (String, String);

/// Form-decodes `input` (`a=1&b=x+y`) into pairs, keeping empty values and dropping empty
/// segments. `where_` names the source in errors ("query string" or "request body").
pub fn form_decode(input: &[u8], where_: &str) -> Result<Vec<Pair>, ApiError> {
    let mut pairs = Vec::new();
    for segment in input.split(|b| *b == b'&') {
        if segment.is_empty() {
            continue;
        }
        let (name, value) = match segment.iter().position(|b| *b == b'=') {
            Some(i) => (&segment[..i], &segment[i + 1..]),
            None => (segment, &b""[..]),
        };
        let name = decode_component(name).map_err(|why| {
            let raw_name = String::from_utf8_lossy(name);
            ApiError::invalid_parameter(&raw_name, format_args!("its name in the {where_}: {why}"))
        })?;
        let value = decode_component(value).map_err(|why| ApiError::invalid_parameter(&name, why))?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// Decodes one name or value; the error says what is wrong with it.
fn decode_component(raw: &[u8]) -> Result<String, &'static str> {
    let bytes: Vec<u8> = if raw.iter().any(|b| *b == b'+' || *b == b'%') {
        broken_escape(raw)?;
        let plus_as_space: Vec<u8> = raw.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
        percent_decode(&plus_as_space).collect()
    } else {
        raw.to_vec()
    };
    String::from_utf8(bytes).map_err(|_| "it is not valid UTF-8 after decoding")
}

/// Fails when a `%` in `raw` is not followed by two hex digits (`%zz`, `%4`, a trailing
/// `%`): such text is not form-encoded, and reading it literally would guess.
fn broken_escape(raw: &[u8]) -> Result<(), &'static str> {
    for (i, _) in raw.iter().enumerate().filter(|(_, b)| **b == b'%') {
        let hex = raw.get(i + 1..i + 3).is_some_and(|pair| pair.iter().all(u8::is_ascii_hexdigit));
        if !hex {
            return Err("it has a % that is not followed by two hex digits");
        }
    }
    Ok(())
}

/// Merges query and body parameters. A name given twice (in one place or in both) is
/// rejected: the gateway cannot tell which value was meant.
pub fn merge(query: Vec<Pair>, body: Vec<Pair>) -> Result<Vec<Pair>, ApiError> {
    let mut all = query;
    all.extend(body);
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = all.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(ApiError::invalid_parameter(&w[0].0, "it is given more than once"));
    }
    Ok(all)
}

/// The value of `name` in a sorted, de-duplicated parameter list.
pub fn lookup<'a>(sorted: &'a [Pair], name: &str) -> Option<&'a str> {
    sorted.binary_search_by(|p| p.0.as_str().cmp(name)).ok().map(|i| sorted[i].1.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_as_space_and_percent_escapes() {
        let pairs = form_decode(b"Name=a+b%20c&Empty=&Flag&&Key%2A=%E9%98%BF", "query string").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("Name".into(), "a b c".into()),
                ("Empty".into(), "".into()),
                ("Flag".into(), "".into()),
                ("Key*".into(), "阿".into())
            ]
        );
    }

    #[test]
    fn rejects_invalid_utf8_naming_the_parameter() {
        let err = form_decode(b"Name=%FF", "query string").unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(err.message.contains("\"Name\""), "{}", err.message);
    }

    #[test]
    fn rejects_broken_escapes_naming_the_parameter() {
        for (input, named) in [
            (&b"Name=a%"[..], "\"Name\""),
            (b"InstanceId=pcc-%zz", "\"InstanceId\""),
            (b"Name=%4", "\"Name\""),
            (b"Name=%4g&Other=1", "\"Name\""),
            (b"Na%m=1", "\"Na%m\""),
        ] {
            let err = form_decode(input, "query string").unwrap_err();
            assert_eq!(err.code, "InvalidParameter", "{input:?}");
            assert!(err.message.contains(named) && err.message.contains('%'), "{}", err.message);
        }
        let pairs = form_decode(b"Name=100%25&Hex=%2a%2B", "request body").unwrap();
        assert_eq!(pairs, vec![("Name".into(), "100%".into()), ("Hex".into(), "*+".into())]);
    }

    #[test]
    fn merge_rejects_a_name_in_both_places() {
        let q = vec![("A".to_string(), "1".to_string())];
        let b = vec![("A".to_string(), "2".to_string())];
        assert_eq!(merge(q.clone(), b).unwrap_err().code, "InvalidParameter");
        let merged = merge(q, vec![("B".into(), "2".into())]).unwrap();
        assert_eq!(lookup(&merged, "B"), Some("2"));
        assert_eq!(lookup(&merged, "C"), None);
    }
}
