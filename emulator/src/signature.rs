//! Signature verification, V1 (HMAC-SHA1 over all parameters) and V3 (`ACS3-HMAC-SHA256`
//! over the canonical request): the server side recomputes the signature from what it
//! received and compares in constant time. The functions are pure (time passed in) so they
//! can be checked against the published vectors.

use crate::errors::ApiError;
use crate::wire::{Pair, lookup};
use alibabacloud_runtime::encoding::canonical_query;
use alibabacloud_runtime::signing::{parse_timestamp, v1, v3};
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// Finds the AccessKey secret of an AccessKeyId.
pub trait SecretLookup {
    /// The secret of `access_key_id`, or `None` when the key is unknown.
    fn secret(&self, access_key_id: &str) -> Option<&str>;
}

impl SecretLookup for HashMap<String, String> {
    fn secret(&self, access_key_id: &str) -> Option<&str> {
        self.get(access_key_id).map(String::as_str)
    }
}

/// What a valid signature establishes about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// The caller's AccessKeyId.
    pub access_key_id: String,
    /// The signature nonce, to be recorded against replay.
    pub nonce: String,
    /// The `Action` (V1 parameter, V3 `x-acs-action` header).
    pub action: String,
    /// The `Version` (V1 parameter, V3 `x-acs-version` header).
    pub version: String,
}

/// The clock and tolerance for the timestamp check.
#[derive(Clone, Copy, Debug)]
pub struct TimeCheck {
    /// The server's current time.
    pub now: SystemTime,
    /// Largest accepted difference between the request's timestamp and `now`.
    pub window: Duration,
}

/// The V1 parameters that are protocol, not business: removed before validating the operation.
pub const V1_COMMON_PARAMS: [&str; 10] = [
    "AccessKeyId",
    "Action",
    "Format",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

/// The message prefix of `SignatureDoesNotMatch`, followed by the server's string to sign.
pub const MISMATCH_PREFIX: &str = "Specified signature is not matched with our calculation. server string to sign is:";

/// Verifies a V1 request. `params` are the merged, decoded query and body parameters
/// (sorted by name, as the gateway merges them), `Signature` included.
pub fn verify_v1(
    method: &str,
    params: &[Pair],
    secrets: &dyn SecretLookup,
    time: TimeCheck,
) -> Result<Signed, ApiError> {
    let required =
        |name: &str| lookup(params, name).filter(|v| !v.is_empty()).ok_or_else(|| ApiError::missing_parameter(name));
    let access_key_id = required("AccessKeyId")?;
    let secret = secrets.secret(access_key_id).ok_or_else(unknown_access_key)?;
    let method_name = required("SignatureMethod")?;
    if method_name != "HMAC-SHA1" {
        return Err(ApiError::bad_request(
            "InvalidSignatureMethod",
            format!("Specified signature method \"{method_name}\" is not supported; use HMAC-SHA1."),
        ));
    }
    let version = required("SignatureVersion")?;
    if version != "1.0" {
        return Err(ApiError::invalid_parameter("SignatureVersion", format_args!("expected 1.0, got {version:?}")));
    }
    check_timestamp("Timestamp", required("Timestamp")?, time)?;
    let nonce = required("SignatureNonce")?;
    let given = required("Signature")?;
    let canonical =
        canonical_query(params.iter().filter(|(n, _)| n != "Signature").map(|(n, v)| (n.as_str(), v.as_str())));
    let string_to_sign = v1::string_to_sign_from_canonical(method, &canonical);
    let expected = v1::sign(secret, &string_to_sign);
    if !constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        return Err(signature_mismatch(&string_to_sign));
    }
    Ok(Signed {
        access_key_id: access_key_id.to_owned(),
        nonce: nonce.to_owned(),
        action: required("Action")?.to_owned(),
        version: required("Version")?.to_owned(),
    })
}

/// The headers V3 requires to be signed.
pub const V3_REQUIRED_SIGNED_HEADERS: [&str; 6] =
    ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"];

/// Verifies a V3 request. `query` holds the decoded query parameters, `headers` every
/// received header as (lower-case name, value bytes) with repeated headers listed
/// repeatedly. A value the check reads must be UTF-8: it is signed as received, and one that
/// is not UTF-8 is `InvalidParameter` naming the header.
pub fn verify_v3<V: AsRef<[u8]>>(
    method: &str,
    path: &str,
    query: &[Pair],
    headers: &[(&str, V)],
    body: &[u8],
    secrets: &dyn SecretLookup,
    time: TimeCheck,
) -> Result<Signed, ApiError> {
    let header = |name: &str| -> Result<Option<String>, ApiError> {
        let mut joined: Option<String> = None;
        for (_, value) in headers.iter().filter(|(n, _)| *n == name) {
            let text = std::str::from_utf8(value.as_ref())
                .map_err(|_| ApiError::invalid_parameter(name, "the header value is not valid UTF-8"))?
                .trim();
            joined = Some(match joined {
                Some(earlier) => earlier + "," + text,
                None => text.to_owned(),
            });
        }
        Ok(joined)
    };
    let authorization = header("authorization")?.ok_or_else(|| ApiError::missing_parameter("Authorization"))?;
    let auth = parse_authorization(&authorization)?;
    let secret = secrets.secret(auth.credential).ok_or_else(unknown_access_key)?;
    let signed_names: Vec<&str> = auth.signed_headers.split(';').map(str::trim).collect();
    if let Some(missing) = V3_REQUIRED_SIGNED_HEADERS.iter().find(|h| !signed_names.contains(h)) {
        return Err(incomplete_signature(format_args!("SignedHeaders must include \"{missing}\"")));
    }
    // The V3 doc: every common request header except `Authorization` (`host` and all
    // `x-acs-*`) must be signed when present (facts doc §5.3). The official clients sign all
    // of theirs: the Python SDK every header it sends, the Go SDK `host`, `content-type` and
    // `x-acs-*`.
    let unsigned = headers.iter().map(|(n, _)| *n).find(|n| n.starts_with("x-acs-") && !signed_names.contains(n));
    if let Some(unsigned) = unsigned {
        return Err(incomplete_signature(format_args!(
            "the header \"{unsigned}\" is in the request but not in SignedHeaders; every x-acs-* header sent must be signed"
        )));
    }
    let mut signed: Vec<(String, String)> = Vec::with_capacity(signed_names.len());
    for name in &signed_names {
        if name.is_empty() || name.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(incomplete_signature(format_args!(
                "SignedHeaders entry {name:?} must be a lower-case header name"
            )));
        }
        let value = header(name)?
            .ok_or_else(|| incomplete_signature(format_args!("the signed header \"{name}\" is not in the request")))?;
        signed.push(((*name).to_owned(), value));
    }
    let get = |name: &str| signed.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("");
    check_timestamp("x-acs-date", get("x-acs-date"), time)?;
    let body_hash = v3::hex_sha256(body);
    if get("x-acs-content-sha256") != body_hash {
        return Err(ApiError::bad_request(
            "SignatureDoesNotMatch",
            format!(
                "The x-acs-content-sha256 header does not match the SHA-256 of the request body, which is {body_hash}."
            ),
        ));
    }
    let header_refs: Vec<(&str, &str)> = signed.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let canonical = v3::canonical_request(
        method,
        path,
        query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        &header_refs,
        &body_hash,
    );
    let string_to_sign = v3::string_to_sign(&canonical);
    let expected = v3::sign(secret, &string_to_sign);
    if !constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(signature_mismatch(&string_to_sign));
    }
    let nonempty = |name: &str| Some(get(name)).filter(|v| !v.is_empty()).map(str::to_owned);
    Ok(Signed {
        access_key_id: auth.credential.to_owned(),
        nonce: nonempty("x-acs-signature-nonce").ok_or_else(|| ApiError::missing_parameter("x-acs-signature-nonce"))?,
        action: nonempty("x-acs-action").ok_or_else(|| ApiError::missing_parameter("x-acs-action"))?,
        version: nonempty("x-acs-version").ok_or_else(|| ApiError::missing_parameter("x-acs-version"))?,
    })
}

struct Authorization<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization<'a>(value: &'a str) -> Result<Authorization<'a>, ApiError> {
    let rest = value.strip_prefix(v3::ALGORITHM).and_then(|r| r.strip_prefix(' ')).ok_or_else(|| {
        incomplete_signature(format_args!("the Authorization header must start with \"{} \"", v3::ALGORITHM))
    })?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=').unwrap_or((part.trim(), ""));
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed_headers = Some(val),
            "Signature" => signature = Some(val),
            _ => {}
        }
    }
    let need = |v: Option<&'a str>, name: &str| -> Result<&'a str, ApiError> {
        v.filter(|v| !v.is_empty())
            .ok_or_else(|| incomplete_signature(format_args!("the Authorization header has no {name}")))
    };
    Ok(Authorization {
        credential: need(credential, "Credential")?,
        signed_headers: need(signed_headers, "SignedHeaders")?,
        signature: need(signature, "Signature")?,
    })
}

fn check_timestamp(name: &str, value: &str, time: TimeCheck) -> Result<(), ApiError> {
    if value.is_empty() {
        return Err(ApiError::missing_parameter(name));
    }
    let at = parse_timestamp(value).ok_or_else(|| {
        ApiError::bad_request(
            "InvalidTimeStamp.Format",
            format!("Specified time stamp or date value is not well formatted: {name}={value:?}, expected YYYY-MM-DDThh:mm:ssZ in UTC."),
        )
    })?;
    let skew = time.now.duration_since(at).unwrap_or_else(|e| e.duration());
    if skew > time.window {
        return Err(ApiError::bad_request(
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired: {name}={value} differs from the server time {} by {}s (allowed: {}s); check the client clock.",
                alibabacloud_runtime::signing::format_timestamp(time.now),
                skew.as_secs(),
                time.window.as_secs()
            ),
        ));
    }
    Ok(())
}

fn unknown_access_key() -> ApiError {
    ApiError::new(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
}

fn signature_mismatch(string_to_sign: &str) -> ApiError {
    ApiError::bad_request("SignatureDoesNotMatch", format!("{MISMATCH_PREFIX}{string_to_sign}"))
}

fn incomplete_signature(why: std::fmt::Arguments<'_>) -> ApiError {
    ApiError::bad_request(
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards: {why}."),
    )
}

/// Compares two byte strings in time independent of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
