//! Signature V3, `ACS3-HMAC-SHA256`: a canonical request over method, path, query, signed
//! headers and the body hash; its SHA-256 is signed with HMAC-SHA256 keyed by the bare secret.

use crate::credentials::Credentials;
use crate::encoding::{canonical_query, percent_encode_into};
use crate::params::Params;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::time::SystemTime;

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
    format!(
        "{method}\n{path}\n{}\n{}\n{}\n{body_sha256}",
        canonical_query(query),
        canonical_headers(headers),
        signed_headers(headers)
    )
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

/// A V3-signed request: URL with the operation's query parameters, form body, and the headers
/// to send (the signed ones and `authorization`). Its `Debug` hides the values of
/// `x-acs-security-token` and `authorization`.
pub struct SignedRequest {
    /// `endpoint/` and the canonical query of the operation's query parameters.
    pub url: String,
    /// The form body; empty when the operation has no form parameters.
    pub body: String,
    /// Name and value of every header to send, `authorization` included.
    pub headers: Vec<(&'static str, String)>,
}

impl std::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| match *name {
                "x-acs-security-token" | "authorization" => (*name, crate::credentials::REDACTED),
                _ => (*name, value.as_str()),
            })
            .collect();
        f.debug_struct("SignedRequest")
            .field("url", &self.url)
            .field("body", &self.body)
            .field("headers", &headers)
            .finish()
    }
}

/// Signs one attempt of `action` with V3. `endpoint` is `scheme://host[:port]`; its authority
/// is the signed `host` header, as the HTTP client sends it.
pub fn sign_request(
    endpoint: &str,
    version: &str,
    action: &str,
    params: &Params<'_>,
    credentials: &Credentials,
    now: SystemTime,
) -> SignedRequest {
    let host = endpoint.split_once("://").map_or(endpoint, |(_, authority)| authority);
    let query = params.query_pairs().iter().map(|(k, v)| (k.as_ref(), v.as_ref()));
    let canonical_query_string = canonical_query(query);
    let mut body = String::new();
    for (i, (name, value)) in params.form_pairs().iter().enumerate() {
        if i > 0 {
            body.push('&');
        }
        percent_encode_into(&mut body, name);
        body.push('=');
        percent_encode_into(&mut body, value);
    }
    let content_sha256 = hex_sha256(body.as_bytes());
    // `accept` asks for JSON: without it the service answers in its default format, XML.
    let mut headers: Vec<(&'static str, String)> = vec![
        ("accept", "application/json".to_owned()),
        ("host", host.to_owned()),
        ("x-acs-action", action.to_owned()),
        ("x-acs-content-sha256", content_sha256.clone()),
        ("x-acs-date", super::format_timestamp(now)),
        ("x-acs-signature-nonce", super::new_nonce()),
        ("x-acs-version", version.to_owned()),
    ];
    if !body.is_empty() {
        headers.push(("content-type", "application/x-www-form-urlencoded".to_owned()));
    }
    if let Some(token) = credentials.security_token() {
        headers.push(("x-acs-accesskey-id", credentials.access_key_id().to_owned()));
        headers.push(("x-acs-security-token", token.expose().to_owned()));
    }
    // Every `x-acs-*` header sent is signed, the credentials provider's name too (a name that
    // is not a valid header value is not sent at all).
    if credentials.provider_header().is_some() {
        headers.push(("x-acs-credentials-provider", credentials.provider_name().to_owned()));
    }
    let signed: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let canonical = format!(
        "POST\n/\n{canonical_query_string}\n{}\n{}\n{}",
        canonical_headers(&signed),
        signed_headers(&signed),
        content_sha256
    );
    let signature = sign(credentials.access_key_secret().expose(), &string_to_sign(&canonical));
    let authorization = authorization(credentials.access_key_id(), &signed_headers(&signed), &signature);
    headers.push(("authorization", authorization));
    let url = if canonical_query_string.is_empty() {
        format!("{endpoint}/")
    } else {
        format!("{endpoint}/?{canonical_query_string}")
    };
    SignedRequest { url, body, headers }
}

/// `name:value\n` for each header, sorted by name, values trimmed.
fn canonical_headers(headers: &[(&str, &str)]) -> String {
    let mut sorted = headers.to_vec();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    sorted.iter().map(|(n, v)| format!("{n}:{}\n", v.trim())).collect()
}
