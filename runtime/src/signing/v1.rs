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
        // 20 bytes always take 28 Base64 characters, all ASCII.
        let text = written.ok().and_then(|n| std::str::from_utf8(&encoded[..n]).ok()).unwrap_or_default();
        percent_encode_into(out, text);
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(** redacted **)")
    }
}

/// A V1-signed request: the full URL with the signed query, and the form body.
#[derive(Debug)]
pub struct SignedRequest {
    /// `endpoint/?<query>&Signature=…`.
    pub url: String,
    /// The form body; empty when the operation has no form parameters.
    pub body: String,
}

/// A parameter on its way to the wire: name, value, and whether it goes in the form body.
type Placed<'a> = (&'a str, &'a str, bool);

/// Signs one attempt of `action`: adds the common parameters (fresh nonce, timestamp of
/// `now`), signs query and form parameters together, and lays out the URL and body. Each
/// parameter is encoded once for the wire and, in the same pass, once more for the string to
/// sign, so the bytes sent are the bytes signed.
pub fn sign_request(
    endpoint: &str,
    version: &str,
    action: &str,
    params: &Params,
    credentials: &Credentials,
    now: SystemTime,
) -> SignedRequest {
    let mut stamps = String::with_capacity(52);
    super::push_nonce(&mut stamps);
    super::push_timestamp(&mut stamps, now);
    let (nonce, timestamp) = stamps.split_at(32);
    // Sorted by name, as the canonical order needs; the token, when there is one, sorts
    // between `Format` and `SignatureMethod`.
    let token = credentials.security_token().map(|t| t.expose());
    let mut common = [
        ("AccessKeyId", credentials.access_key_id(), false),
        ("Action", action, false),
        ("Format", "JSON", false),
        ("SecurityToken", token.unwrap_or_default(), false),
        ("SignatureMethod", "HMAC-SHA1", false),
        ("SignatureNonce", nonce, false),
        ("SignatureVersion", "1.0", false),
        ("Timestamp", timestamp, false),
        ("Version", version, false),
    ];
    let common: &[Placed<'_>] = if token.is_some() {
        &common
    } else {
        common.copy_within(4.., 3);
        &common[..8]
    };
    let query = params.query_pairs().iter().map(|(k, v)| (k.as_ref(), v.as_str(), false));
    let mut own: Vec<Placed<'_>> =
        query.chain(params.form_pairs().iter().map(|(k, v)| (k.as_ref(), v.as_str(), true))).collect();
    own.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));

    let size_of =
        |in_body: bool| own.iter().filter(|p| p.2 == in_body).map(|(k, v, _)| k.len() + v.len() + 2).sum::<usize>();
    let (query_size, body_size) = (size_of(false) + 256, size_of(true));
    let mut url = String::with_capacity(endpoint.len() + 2 * query_size);
    url.push_str(endpoint);
    url.push_str("/?");
    let mut body = String::with_capacity(2 * body_size);
    let size = query_size + body_size;
    let mut string_to_sign: Vec<u8> = Vec::with_capacity(3 * size);
    string_to_sign.extend_from_slice(b"POST&%2F&");
    for (i, (name, value, in_body)) in merge_sorted(common, &own).enumerate() {
        if i > 0 {
            string_to_sign.extend_from_slice(b"%26");
        }
        let target = if in_body { &mut body } else { &mut url };
        if !(target.is_empty() || target.ends_with('?')) {
            target.push('&');
        }
        percent_encode_once_and_twice(target, &mut string_to_sign, name);
        target.push('=');
        string_to_sign.extend_from_slice(b"%3D");
        percent_encode_once_and_twice(target, &mut string_to_sign, value);
    }
    url.push_str("&Signature=");
    credentials.v1_signing_key().sign_into(&string_to_sign, &mut url);
    SignedRequest { url, body }
}

/// The items of two name-sorted lists in one name-sorted sequence.
fn merge_sorted<'a>(a: &'a [Placed<'a>], b: &'a [Placed<'a>]) -> impl Iterator<Item = Placed<'a>> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if (y.0, y.1) < (x.0, x.1) => {
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
