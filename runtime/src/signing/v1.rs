//! RPC signature V1: HMAC-SHA1 over `METHOD&%2F&encode(canonical query)`, keyed with
//! `secret + "&"`, Base64-encoded, sent as the `Signature` query parameter.

use crate::encoding::{canonical_query, percent_encode_into};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

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
    let mut key = Vec::with_capacity(secret.len() + 1);
    key.extend_from_slice(secret.as_bytes());
    key.push(b'&');
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}
