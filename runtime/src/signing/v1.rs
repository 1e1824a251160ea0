//! RPC signature V1: HMAC-SHA1 over `METHOD&%2F&encode(canonical query)`, keyed with
//! `secret + "&"`, Base64-encoded, sent as the `Signature` query parameter.

use crate::credentials::Credentials;
use crate::encoding::{canonical_query, percent_encode_into, percent_encode_once_and_twice};
use crate::params::Params;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use std::fmt;
use std::time::SystemTime;

/// The string to sign for `method` over all parameters (query and form body together,
/// without `Signature`).
pub fn string_to_sign<'a, I>(method: &str, params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    string_to_sign_from_canonical(method, &canonical_query(params))
}

/// The string to sign when the canonical query string is already built.
pub fn string_to_sign_from_canonical(method: &str, canonical: &str) -> String {
    let mut out = String::with_capacity(method.len() + 4 + canonical.len() * 3 / 2);
    out.push_str(method);
    out.push_str("&%2F&");
    percent_encode_into(&mut out, canonical);
    out
}

/// `Base64(HMAC-SHA1(secret + "&", string_to_sign))`.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    SigningKey::new(secret).sign(string_to_sign.as_bytes())
}

/// The HMAC-SHA1 state keyed with `secret + "&"`, prepared once per secret so that each
/// signature only hashes its string to sign. Its `Debug` shows nothing of the key.
#[derive(Clone)]
pub struct SigningKey(Hmac<Sha1>);

impl SigningKey {
    /// Prepares the key for `secret`.
    pub fn new(secret: &str) -> Self {
        let mut key = Vec::with_capacity(secret.len() + 1);
        key.extend_from_slice(secret.as_bytes());
        key.push(b'&');
        Self(Hmac::new_from_slice(&key).expect("HMAC accepts keys of any length"))
    }

    /// `Base64(HMAC-SHA1(key, string_to_sign))`.
    pub fn sign(&self, string_to_sign: &[u8]) -> String {
        let mut mac = self.0.clone();
        mac.update(string_to_sign);
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }

    /// Appends the percent-encoded signature to `out`, without allocating.
    fn sign_into(&self, string_to_sign: &[u8], out: &mut String) {
        let mut mac = self.0.clone();
        mac.update(string_to_sign);
        let mut encoded = [0u8; 28];
        let written = base64::engine::general_purpose::STANDARD.encode_slice(mac.finalize().into_bytes(), &mut encoded);
        // 20 bytes always take 28 Base64 characters; of those only `+`, `/` and `=` are
        // reserved, and take three characters each once encoded.
        let mut text = [0u8; 3 * 28];
        let mut len = 0;
        for &c in &encoded[..written.expect("28 bytes hold the Base64 of 20")] {
            let (escaped, width) = match c {
                b'+' => (*b"%2B", 3),
                b'/' => (*b"%2F", 3),
                b'=' => (*b"%3D", 3),
                _ => ([c, 0, 0], 1),
            };
            text[len..len + 3].copy_from_slice(&escaped);
            len += width;
        }
        out.push_str(std::str::from_utf8(&text[..len]).expect("Base64 and its escapes are ASCII"));
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", crate::credentials::REDACTED)
    }
}

/// A V1-signed request: the full URL with the signed query, and the form body. Its `Debug`
/// hides the values of `SecurityToken` and `Signature`.
pub struct SignedRequest {
    /// `endpoint/?<query>&Signature=…`.
    pub url: String,
    /// The form body; empty when the operation has no form parameters.
    pub body: String,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = super::redact_query(&self.url, &["SecurityToken", "Signature"]);
        f.debug_struct("SignedRequest").field("url", &url).field("body", &self.body).finish()
    }
}

/// A parameter on its way to the wire.
#[derive(Clone, Copy)]
struct Placed<'a> {
    name: &'a str,
    value: &'a str,
    in_body: bool,
    /// Set for the common parameters, whose names need no encoding.
    common: Option<Common<'a>>,
}

/// A common parameter's name followed by `=`, as written on the wire and in the string to
/// sign, and its value's encoding in the string to sign when it is already encoded.
#[derive(Clone, Copy)]
struct Common<'a> {
    name_eq: &'static str,
    name_eq_twice: &'static str,
    value_encoded_twice: Option<&'a str>,
}

impl<'a> Placed<'a> {
    /// A parameter given by the caller, encoded as it is written.
    fn given(name: &'a str, value: &'a str, in_body: bool) -> Self {
        Self { name, value, in_body, common: None }
    }

    /// A common parameter: `name_eq` is its name and `=`, `name_eq_twice` the same encoded.
    /// When `value_encoded_twice` is set, `value` is already encoded for the wire.
    fn common(
        name_eq: &'static str,
        name_eq_twice: &'static str,
        value: &'a str,
        value_encoded_twice: Option<&'a str>,
    ) -> Self {
        let name = &name_eq[..name_eq.len() - 1];
        Self { name, value, in_body: false, common: Some(Common { name_eq, name_eq_twice, value_encoded_twice }) }
    }

    fn key(&self) -> (&'a str, &'a str) {
        (self.name, self.value)
    }

    /// Whether `self` sorts before `other`; most names differ in their first byte.
    fn sorts_before(&self, other: &Self) -> bool {
        match self.name.as_bytes().first().cmp(&other.name.as_bytes().first()) {
            std::cmp::Ordering::Equal => self.key() < other.key(),
            order => order.is_lt(),
        }
    }
}

thread_local! {
    /// The string-to-sign buffer of this thread, reused from one signature to the next.
    static STRING_TO_SIGN: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Signs one attempt of `action`: adds the common parameters (fresh nonce, timestamp of
/// `now`), signs query and form parameters together, and lays out the URL and body. Each
/// parameter is encoded once for the wire and, in the same pass, once more for the string to
/// sign, so the bytes sent are the bytes signed.
pub fn sign_request(
    endpoint: &str,
    version: &str,
    action: &str,
    params: &Params<'_>,
    credentials: &Credentials,
    now: SystemTime,
) -> SignedRequest {
    let nonce = super::Nonce::new();
    let timestamp = super::timestamp(now);
    // Sorted by name, as the canonical order needs; the token, when there is one, sorts
    // between `Format` and `SignatureMethod`.
    let token = credentials.security_token().map(|t| t.expose());
    let mut common = [
        Placed::common("AccessKeyId=", "AccessKeyId%3D", credentials.access_key_id(), None),
        Placed::common("Action=", "Action%3D", action, None),
        Placed::common("Format=", "Format%3D", "JSON", Some("JSON")),
        Placed::common("SecurityToken=", "SecurityToken%3D", token.unwrap_or_default(), None),
        Placed::common("SignatureMethod=", "SignatureMethod%3D", "HMAC-SHA1", Some("HMAC-SHA1")),
        Placed::common("SignatureNonce=", "SignatureNonce%3D", nonce.as_str(), Some(nonce.as_str())),
        Placed::common("SignatureVersion=", "SignatureVersion%3D", "1.0", Some("1.0")),
        Placed::common("Timestamp=", "Timestamp%3D", &timestamp.encoded, Some(&timestamp.encoded_twice)),
        Placed::common("Version=", "Version%3D", version, None),
    ];
    let common: &[Placed<'_>] = if token.is_some() {
        &common
    } else {
        common.copy_within(4.., 3);
        &common[..8]
    };
    let query = params.query_pairs().iter().map(|(k, v)| Placed::given(k, v, false));
    let mut own: Vec<Placed<'_>> =
        query.chain(params.form_pairs().iter().map(|(k, v)| Placed::given(k, v, true))).collect();
    own.sort_unstable_by_key(Placed::key);

    let size_of = |in_body: bool| {
        own.iter().filter(|p| p.in_body == in_body).map(|p| p.name.len() + p.value.len() + 2).sum::<usize>()
    };
    let (query_size, body_size) = (size_of(false) + 256, size_of(true));
    let mut url = String::with_capacity(endpoint.len() + 2 * query_size);
    url.push_str(endpoint);
    url.push_str("/?");
    let mut body = String::with_capacity(2 * body_size);
    let mut string_to_sign = STRING_TO_SIGN.take();
    string_to_sign.clear();
    string_to_sign.reserve(3 * (query_size + body_size));
    string_to_sign.extend_from_slice(b"POST&%2F&");
    let (mut query_started, mut body_started) = (false, false);
    for (i, param) in merge_sorted(common, &own).enumerate() {
        if i > 0 {
            string_to_sign.extend_from_slice(b"%26");
        }
        let (target, started) =
            if param.in_body { (&mut body, &mut body_started) } else { (&mut url, &mut query_started) };
        if std::mem::replace(started, true) {
            target.push('&');
        }
        match param.common {
            Some(common) => {
                target.push_str(common.name_eq);
                string_to_sign.extend_from_slice(common.name_eq_twice.as_bytes());
                match common.value_encoded_twice {
                    Some(twice) => {
                        target.push_str(param.value);
                        string_to_sign.extend_from_slice(twice.as_bytes());
                    }
                    None => percent_encode_once_and_twice(target, &mut string_to_sign, param.value),
                }
            }
            None => {
                percent_encode_once_and_twice(target, &mut string_to_sign, param.name);
                target.push('=');
                string_to_sign.extend_from_slice(b"%3D");
                percent_encode_once_and_twice(target, &mut string_to_sign, param.value);
            }
        }
    }
    url.push_str("&Signature=");
    credentials.v1_signing_key().sign_into(&string_to_sign, &mut url);
    STRING_TO_SIGN.set(string_to_sign);
    SignedRequest { url, body }
}

/// The items of two sorted lists in one sorted sequence.
fn merge_sorted<'a>(a: &'a [Placed<'a>], b: &'a [Placed<'a>]) -> impl Iterator<Item = Placed<'a>> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if y.sorts_before(x) => {
                j += 1;
                y
            }
            (Some(x), _) => {
                i += 1;
                x
            }
            (None, Some(y)) => {
                j += 1;
                y
            }
            (None, None) => return None,
        };
        Some(*next)
    })
}
