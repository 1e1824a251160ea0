//! Client configuration: credentials, region, endpoint override and the shared HTTP client.

use crate::credentials::Credentials;
use crate::error::ConfigError;
use std::time::Duration;

/// Connect timeout, as in the official SDKs.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Read timeout, as in the official SDKs.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Configuration shared by service clients. Clients built from one `Config` share one pooled
/// HTTP client.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) credentials: Option<Credentials>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<reqwest::Url>,
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
}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    credentials: Option<Credentials>,
    region: Option<String>,
    endpoint: Option<String>,
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

    /// A `reqwest` client to send with, instead of the default pooled one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        let endpoint = self.endpoint.map(|url| parse_endpoint(&url)).transpose()?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .read_timeout(READ_TIMEOUT)
                .build()
                .map_err(|e| ConfigError(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Config { credentials: self.credentials, region: self.region, endpoint, http })
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
