//! Test helpers: a hand-rolled signing client that can break any part of a request (to
//! exercise the gateway's errors), typed clients of the generated SDK for the default
//! accounts, and a bounded poll for eventual states.

#![allow(dead_code)]

use alibabacloud_emulator::{DefaultAccount, Emulator};
use alibabacloud_runtime::encoding::{canonical_query, percent_encode};
use alibabacloud_runtime::signing::{format_timestamp, new_nonce, v1, v3};
use alibabacloud_runtime::{RetryConfig, SignatureVersion};
use serde_json::Value as Json;
use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

/// A typed client of the generated SDK for `account`, with the SDK's default retries.
pub fn client(emulator: &Emulator, account: DefaultAccount) -> alibabacloud_vpcpeer::Client {
    client_with_retry(emulator, account, RetryConfig::default())
}

/// A typed client of the generated SDK for `account` with the given retry settings.
pub fn client_with_retry(
    emulator: &Emulator,
    account: DefaultAccount,
    retry: RetryConfig,
) -> alibabacloud_vpcpeer::Client {
    build_client(emulator, account, retry, SignatureVersion::V1)
}

/// A typed client of the generated SDK for `account` that signs with V3 (`ACS3-HMAC-SHA256`).
pub fn client_v3(emulator: &Emulator, account: DefaultAccount) -> alibabacloud_vpcpeer::Client {
    build_client(emulator, account, RetryConfig::default(), SignatureVersion::V3)
}

fn build_client(
    emulator: &Emulator,
    account: DefaultAccount,
    retry: RetryConfig,
    signature: SignatureVersion,
) -> alibabacloud_vpcpeer::Client {
    let config = alibabacloud_vpcpeer::Config::builder()
        .credentials(alibabacloud_vpcpeer::Credentials::new(account.access_key_id, account.access_key_secret))
        .endpoint_url(emulator.endpoint())
        .retry(retry)
        .signature_version(signature)
        .build()
        .expect("config");
    alibabacloud_vpcpeer::Client::new(&config)
}

/// Calls `probe` until it returns `Some`, at most for `deadline`; panics naming `what` otherwise.
pub async fn poll<T, F, Fut>(what: &str, deadline: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(start.elapsed() < deadline, "timed out after {deadline:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A response as the raw client sees it.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub retry_after: Option<String>,
    pub json: Json,
}

impl Raw {
    pub fn code(&self) -> &str {
        self.json["Code"].as_str().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.json["Message"].as_str().unwrap_or("")
    }

    pub fn request_id(&self) -> &str {
        self.json["RequestId"].as_str().unwrap_or("")
    }
}

/// A V1 request under construction; every common parameter can be overridden or removed.
pub struct V1 {
    pub endpoint: String,
    pub method: &'static str,
    pub secret: String,
    pub common: Vec<(String, Option<String>)>,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    /// Replaces the computed signature.
    pub signature: Option<String>,
    /// Form-encode the body with `+` for spaces, as the official Python client does.
    pub plus_for_space: bool,
    /// Text replacements made in the URL and the body after signing, to put on the wire what
    /// no encoder writes (`Name=a%25` → `Name=a%`) under a signature of the decoded value.
    pub wire_edits: Vec<(String, String)>,
}

impl V1 {
    pub fn new(emulator: &Emulator, account: DefaultAccount, action: &str) -> Self {
        let common = [
            ("AccessKeyId", account.access_key_id.to_owned()),
            ("Action", action.to_owned()),
            ("Format", "JSON".to_owned()),
            ("SignatureMethod", "HMAC-SHA1".to_owned()),
            ("SignatureNonce", new_nonce()),
            ("SignatureVersion", "1.0".to_owned()),
            ("Timestamp", format_timestamp(SystemTime::now())),
            ("Version", "2022-01-01".to_owned()),
        ];
        Self {
            endpoint: emulator.endpoint().to_owned(),
            method: "POST",
            secret: account.access_key_secret.to_owned(),
            common: common.into_iter().map(|(k, v)| (k.to_owned(), Some(v))).collect(),
            query: Vec::new(),
            form: Vec::new(),
            signature: None,
            plus_for_space: false,
            wire_edits: Vec::new(),
        }
    }

    /// Sets (`Some`) or removes (`None`) a common parameter.
    pub fn common(mut self, name: &str, value: Option<&str>) -> Self {
        match self.common.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value.map(str::to_owned),
            None => self.common.push((name.to_owned(), value.map(str::to_owned))),
        }
        self
    }

    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn form(mut self, name: &str, value: &str) -> Self {
        self.form.push((name.to_owned(), value.to_owned()));
        self
    }

    pub async fn send(self) -> Raw {
        let common: Vec<(&str, &str)> =
            self.common.iter().filter_map(|(n, v)| v.as_deref().map(|v| (n.as_str(), v))).collect();
        let query: Vec<(&str, &str)> =
            common.iter().copied().chain(self.query.iter().map(|(n, v)| (n.as_str(), v.as_str()))).collect();
        let form: Vec<(&str, &str)> = self.form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let canonical = canonical_query(query.iter().chain(&form).copied());
        let signature = self
            .signature
            .clone()
            .unwrap_or_else(|| v1::sign(&self.secret, &v1::string_to_sign_from_canonical(self.method, &canonical)));
        let mut url = format!("{}/?{}", self.endpoint, canonical_query(query.iter().copied()));
        url.push_str("&Signature=");
        url.push_str(&percent_encode(&signature));
        let body = if self.plus_for_space {
            form.iter()
                .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v).replace("%20", "+")))
                .collect::<Vec<_>>()
                .join("&")
        } else {
            canonical_query(form.iter().copied())
        };
        let (mut url, mut body) = (url, body);
        for (from, to) in &self.wire_edits {
            url = url.replace(from, to);
            body = body.replace(from, to);
        }
        let http = loopback_http();
        let mut request = if self.method == "GET" { http.get(url) } else { http.post(url) };
        if !body.is_empty() {
            request = request.header("content-type", "application/x-www-form-urlencoded").body(body);
        }
        read(request.send().await.expect("request sent")).await
    }
}

/// Sends a V3-signed request with exactly the headers given plus the computed ones.
pub struct V3 {
    pub endpoint: String,
    pub access_key_id: String,
    pub secret: String,
    pub action: String,
    pub query: Vec<(String, String)>,
    pub body: String,
    pub date: String,
    pub nonce: String,
    /// More headers as (name, value bytes, listed in SignedHeaders); one named like a
    /// computed header replaces it. Signed values are signed as UTF-8 (lossily, so a value
    /// that is not UTF-8 can still be sent).
    pub extra_headers: Vec<(String, Vec<u8>, bool)>,
}

impl V3 {
    pub fn new(emulator: &Emulator, account: DefaultAccount, action: &str) -> Self {
        Self {
            endpoint: emulator.endpoint().to_owned(),
            access_key_id: account.access_key_id.to_owned(),
            secret: account.access_key_secret.to_owned(),
            action: action.to_owned(),
            query: Vec::new(),
            body: String::new(),
            date: format_timestamp(SystemTime::now()),
            nonce: new_nonce(),
            extra_headers: Vec::new(),
        }
    }

    /// Adds a header sent as `value`, signed or not.
    pub fn header(mut self, name: &str, value: impl Into<Vec<u8>>, signed: bool) -> Self {
        self.extra_headers.push((name.to_owned(), value.into(), signed));
        self
    }

    pub async fn send(self) -> Raw {
        let host = self.endpoint.trim_start_matches("http://").to_owned();
        let body_hash = v3::hex_sha256(self.body.as_bytes());
        let mut sent: Vec<(String, Vec<u8>, bool)> = vec![
            ("host".into(), host.into_bytes(), true),
            ("x-acs-action".into(), self.action.clone().into_bytes(), true),
            ("x-acs-version".into(), b"2022-01-01".to_vec(), true),
            ("x-acs-date".into(), self.date.clone().into_bytes(), true),
            ("x-acs-signature-nonce".into(), self.nonce.clone().into_bytes(), true),
            ("x-acs-content-sha256".into(), body_hash.clone().into_bytes(), true),
        ];
        if !self.body.is_empty() {
            sent.push(("content-type".into(), b"application/x-www-form-urlencoded".to_vec(), true));
        }
        for extra in &self.extra_headers {
            sent.retain(|(name, _, _)| *name != extra.0);
            sent.push(extra.clone());
        }
        let signed_text: Vec<(&str, String)> = sent
            .iter()
            .filter(|(_, _, signed)| *signed)
            .map(|(name, value, _)| (name.as_str(), String::from_utf8_lossy(value).into_owned()))
            .collect();
        let signed: Vec<(&str, &str)> = signed_text.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let query: Vec<(&str, &str)> = self.query.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let canonical = v3::canonical_request("POST", "/", query.iter().copied(), &signed, &body_hash);
        let signature = v3::sign(&self.secret, &v3::string_to_sign(&canonical));
        let authorization = v3::authorization(&self.access_key_id, &v3::signed_headers(&signed), &signature);
        let mut url = format!("{}/", self.endpoint);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&canonical_query(query.iter().copied()));
        }
        let mut request = loopback_http().post(url).header("authorization", authorization).body(self.body.clone());
        for (name, value, _) in sent.iter().filter(|(n, _, _)| n != "host") {
            // `from_bytes`: a header may carry UTF-8 (or any byte above 0x7F) as obs-text.
            let value = reqwest::header::HeaderValue::from_bytes(value).expect("a header value without controls");
            request = request.header(name.as_str(), value);
        }
        read(request.send().await.expect("request sent")).await
    }
}

async fn read(response: reqwest::Response) -> Raw {
    let status = response.status().as_u16();
    let retry_after = response.headers().get("x-acs-retry-after").map(|v| v.to_str().unwrap_or("").to_owned());
    let bytes = response.bytes().await.expect("body read");
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    Raw { status, retry_after, json }
}

/// A plain HTTP client for requests to the emulator on 127.0.0.1: no proxy from the
/// environment may take them elsewhere.
pub fn loopback_http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("HTTP client")
}
