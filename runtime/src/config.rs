//! Client configuration: credentials, region, endpoint override, signature version, retries,
//! timeouts and the shared HTTP client.

use crate::credentials::Credentials;
use crate::error::ConfigError;
use crate::retry::RetryConfig;
use std::time::Duration;

/// Which signature requests carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignatureVersion {
    /// RPC V1: HMAC-SHA1 in the `Signature` query parameter (the default).
    #[default]
    V1,
    /// V3: `ACS3-HMAC-SHA256` in the `Authorization` header.
    V3,
}

/// Time limits of a call. `None` disables a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Establishing a connection (default 5 s, as the official SDKs).
    pub connect: Option<Duration>,
    /// Between reads of the response (default 10 s, as the official SDKs).
    pub read: Option<Duration>,
    /// One attempt, from sending to the last byte of the response (default none).
    pub attempt: Option<Duration>,
    /// The whole call, every attempt and backoff included (default none).
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self {
            connect: Some(Duration::from_secs(5)),
            read: Some(Duration::from_secs(10)),
            attempt: None,
            operation: None,
        }
    }
}

/// Configuration shared by service clients. Clients built from one `Config` share one pooled
/// HTTP client.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) credentials: Option<Credentials>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<reqwest::Url>,
    pub(crate) signature_version: SignatureVersion,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) http: reqwest::Client,
}

impl Config {
    /// A builder with nothing set.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint override, if set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint.as_ref().map(reqwest::Url::as_str)
    }

    /// The signature version requests carry.
    pub fn signature_version(&self) -> SignatureVersion {
        self.signature_version
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The time limits.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    credentials: Option<Credentials>,
    region: Option<String>,
    endpoint: Option<String>,
    signature_version: SignatureVersion,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    http: Option<reqwest::Client>,
}

impl ConfigBuilder {
    /// The credentials every request is signed with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The region (e.g. `cn-hangzhou`): picks the endpoint of regional services.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// A full endpoint URL that overrides the service's own, e.g. `http://127.0.0.1:8080` for a
    /// local emulator or `https://vpcpeer.aliyuncs.com`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The signature version (V1 by default).
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// Retry settings ([`RetryConfig::standard`] by default; [`RetryConfig::disabled`] turns
    /// retries off).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// All time limits at once.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The connect timeout (5 s by default).
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.timeouts.connect = Some(limit);
        self
    }

    /// The read timeout (10 s by default).
    pub fn read_timeout(mut self, limit: Duration) -> Self {
        self.timeouts.read = Some(limit);
        self
    }

    /// A limit on each attempt (none by default).
    pub fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.timeouts.attempt = Some(limit);
        self
    }

    /// A limit on the whole call, retries included (none by default).
    pub fn operation_timeout(mut self, limit: Duration) -> Self {
        self.timeouts.operation = Some(limit);
        self
    }

    /// A `reqwest` client to send with, instead of the default pooled one. Its own connect
    /// and read timeouts then apply instead of the configured ones.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        let endpoint = self.endpoint.map(|url| parse_endpoint(&url)).transpose()?;
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder();
                if let Some(limit) = self.timeouts.connect {
                    builder = builder.connect_timeout(limit);
                }
                if let Some(limit) = self.timeouts.read {
                    builder = builder.read_timeout(limit);
                }
                builder.build().map_err(|e| ConfigError(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(Config {
            credentials: self.credentials,
            region: self.region,
            endpoint,
            signature_version: self.signature_version,
            retry: self.retry,
            timeouts: self.timeouts,
            http,
        })
    }
}

fn parse_endpoint(text: &str) -> Result<reqwest::Url, ConfigError> {
    let invalid = |why: &str| ConfigError(format!("endpoint URL `{text}` {why}"));
    let url = reqwest::Url::parse(text).map_err(|e| invalid(&format!("is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("has no host"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a path, query or fragment"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls_are_checked() {
        let ok = Config::builder().endpoint_url("http://127.0.0.1:8080").build().unwrap();
        assert_eq!(ok.endpoint_url(), Some("http://127.0.0.1:8080/"));
        for (bad, why) in [
            ("vpcpeer.aliyuncs.com", "is not a URL"),
            ("ftp://host", "must start with http"),
            ("https://host/path", "must not have a path"),
            ("https://host/?a=b", "must not have a path"),
        ] {
            let err = Config::builder().endpoint_url(bad).build().unwrap_err().to_string();
            assert!(err.contains(bad) && err.contains(why), "{bad}: {err}");
        }
    }
}
