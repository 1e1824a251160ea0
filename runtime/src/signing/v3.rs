//! Signature V3, `ACS3-HMAC-SHA256`: a canonical request over method, path, query, signed
//! headers and the body hash; its SHA-256 is signed with HMAC-SHA256 keyed by the bare secret.

use crate::encoding::canonical_query;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The algorithm name, first word of the `Authorization` header and of the string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lower-case hex SHA-256 of `bytes` (the `x-acs-content-sha256` value for a body).
pub fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The canonical request. `headers` are the signed headers as (lower-case name, value); they
/// are sorted here and their values trimmed.
pub fn canonical_request<'a>(
    method: &str,
    path: &str,
    query: impl IntoIterator<Item = (&'a str, &'a str)>,
    headers: &[(&str, &str)],
    body_sha256: &str,
) -> String {
    let mut sorted: Vec<(&str, &str)> = headers.to_vec();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = format!("{method}\n{path}\n{}\n", canonical_query(query));
    for (name, value) in &sorted {
        out.push_str(name);
        out.push(':');
        out.push_str(value.trim());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers(&sorted));
    out.push('\n');
    out.push_str(body_sha256);
    out
}

/// The `SignedHeaders` value: the lower-case header names, sorted, joined with `;`.
pub fn signed_headers(headers: &[(&str, &str)]) -> String {
    let mut names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    names.join(";")
}

/// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", hex_sha256(canonical_request.as_bytes()))
}

/// Lower-case hex `HMAC-SHA256(secret, string_to_sign)`.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Authorization` header value.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}")
}
