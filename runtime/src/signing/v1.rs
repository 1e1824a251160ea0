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

/// A parameter given by the caller, on its way to the wire.
#[derive(Clone, Copy)]
struct Given<'a> {
    name: &'a str,
    value: &'a str,
    in_body: bool,
}

impl<'a> Given<'a> {
    fn key(&self) -> (&'a str, &'a str) {
        (self.name, self.value)
    }
}

/// The common parameters in canonical order: the name, the name and `=` as written on the wire,
/// and the same encoded once more for the string to sign (the names need no encoding).
const COMMON: [(&str, &str, &str); 9] = [
    ("AccessKeyId", "AccessKeyId=", "AccessKeyId%3D"),
    ("Action", "Action=", "Action%3D"),
    ("Format", "Format=", "Format%3D"),
    ("SecurityToken", "SecurityToken=", "SecurityToken%3D"),
    ("SignatureMethod", "SignatureMethod=", "SignatureMethod%3D"),
    ("SignatureNonce", "SignatureNonce=", "SignatureNonce%3D"),
    ("SignatureVersion", "SignatureVersion=", "SignatureVersion%3D"),
    ("Timestamp", "Timestamp=", "Timestamp%3D"),
    ("Version", "Version=", "Version%3D"),
];
/// Where `SecurityToken` is in [`COMMON`]; it is left out when the credentials have no token.
const SECURITY_TOKEN: usize = 3;

/// Whether `(name, value)` sorts before `(other_name, other_value)`; most names differ in their
/// first byte.
fn sorts_before(key: (&str, &str), other: (&str, &str)) -> bool {
    match key.0.as_bytes().first().cmp(&other.0.as_bytes().first()) {
        std::cmp::Ordering::Equal => key < other,
        order => order.is_lt(),
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
    let token = credentials.security_token().map(|t| t.expose());
    // The common parameters' values in the order of `COMMON`, each with its encoding in the
    // string to sign when it is already encoded for the wire (`None`: encoded here).
    let common: [(&str, Option<&str>); 9] = [
        (credentials.access_key_id(), None),
        (action, None),
        ("JSON", Some("JSON")),
        (token.unwrap_or_default(), None),
        ("HMAC-SHA1", Some("HMAC-SHA1")),
        (nonce.as_str(), Some(nonce.as_str())),
        ("1.0", Some("1.0")),
        (&timestamp.encoded, Some(&timestamp.encoded_twice)),
        (version, None),
    ];
    let query = params.query_pairs().iter().map(|(name, value)| Given { name, value, in_body: false });
    let form = params.form_pairs().iter().map(|(name, value)| Given { name, value, in_body: true });
    let mut own: Vec<Given<'_>> = query.chain(form).collect();
    own.sort_unstable_by_key(Given::key);

    let (mut query_size, mut body_size) = (256, 0);
    for param in &own {
        *(if param.in_body { &mut body_size } else { &mut query_size }) += param.name.len() + param.value.len() + 2;
    }
    let mut url = String::with_capacity(endpoint.len() + 2 * query_size);
    url.push_str(endpoint);
    url.push_str("/?");
    let mut body = String::with_capacity(2 * body_size);
    let mut string_to_sign = STRING_TO_SIGN.take();
    string_to_sign.clear();
    string_to_sign.reserve(3 * (query_size + body_size));
    string_to_sign.extend_from_slice(b"POST&%2F&");
    // Merges the common parameters (all in the query) with the caller's, in canonical order.
    let (mut next_common, mut next_own) = (0, 0);
    let (mut query_started, mut body_started) = (false, false);
    loop {
        if next_common == SECURITY_TOKEN && token.is_none() {
            next_common += 1;
        }
        let common_first = match (common.get(next_common), own.get(next_own)) {
            (Some(&(value, _)), Some(param)) => !sorts_before(param.key(), (COMMON[next_common].0, value)),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if next_common + next_own > 0 {
            string_to_sign.extend_from_slice(b"%26");
        }
        if common_first {
            let ((_, name_eq, name_eq_twice), (value, value_twice)) = (COMMON[next_common], common[next_common]);
            next_common += 1;
            if std::mem::replace(&mut query_started, true) {
                url.push('&');
            }
            url.push_str(name_eq);
            string_to_sign.extend_from_slice(name_eq_twice.as_bytes());
            match value_twice {
                Some(twice) => {
                    url.push_str(value);
                    string_to_sign.extend_from_slice(twice.as_bytes());
                }
                None => percent_encode_once_and_twice(&mut url, &mut string_to_sign, value),
            }
        } else {
            let param = own[next_own];
            next_own += 1;
            let (target, started) =
                if param.in_body { (&mut body, &mut body_started) } else { (&mut url, &mut query_started) };
            if std::mem::replace(started, true) {
                target.push('&');
            }
            percent_encode_once_and_twice(target, &mut string_to_sign, param.name);
            target.push('=');
            string_to_sign.extend_from_slice(b"%3D");
            percent_encode_once_and_twice(target, &mut string_to_sign, param.value);
        }
    }
    url.push_str("&Signature=");
    credentials.v1_signing_key().sign_into(&string_to_sign, &mut url);
    STRING_TO_SIGN.set(string_to_sign);
    SignedRequest { url, body }
}
