//! Client configuration: credentials, region, endpoint override, signature version, retries,
//! timeouts and the shared HTTP client; and the overrides of retries and time limits a copy
//! of a client can have for some of its calls.

use crate::credentials::{Credentials, CredentialsCache, ProvideCredentials, REDACTED, StaticProvider};
use crate::env::Env;
use crate::error::ConfigError;
use crate::retry::RetryConfig;
use std::fmt;
use std::sync::Arc;
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
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<reqwest::Url>,
    pub(crate) signature_version: SignatureVersion,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) http: reqwest::Client,
    /// Whether `http` was given with [`ConfigBuilder::http_client`], whose own connect and read
    /// limits apply instead of `timeouts`'.
    pub(crate) custom_http: bool,
}

impl Config {
    /// A builder with nothing set: no credentials, no region, no proxy, default retries and
    /// timeouts. Nothing is read from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder loaded from the process environment and files, the way Alibaba's tools
    /// load them (see [`ConfigBuilder::from_env`]); settings given to the builder after this
    /// override what was loaded.
    pub fn from_env() -> ConfigBuilder {
        ConfigBuilder::from_env(&Env::process())
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

/// What a client can change for some of its calls, with [`Client::with_overrides`]: retries
/// and the attempt and operation time limits. The rest (credentials, endpoint, connect and
/// read timeouts, proxies) belongs to the configuration the client was made from.
///
/// [`Client::with_overrides`]: crate::Client::with_overrides
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) attempt_timeout: Option<Option<Duration>>,
    pub(crate) operation_timeout: Option<Option<Duration>>,
}

impl Overrides {
    /// No change.
    pub fn new() -> Self {
        Self::default()
    }

    /// Retries as `retry` says. The calls keep sharing the client's retry budget when `retry`
    /// has the same budget settings, and get a budget of their own otherwise.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// A limit on each attempt instead of the client's; `None` lifts it.
    pub fn attempt_timeout(mut self, limit: Option<Duration>) -> Self {
        self.attempt_timeout = Some(limit);
        self
    }

    /// A limit on the whole call instead of the client's; `None` lifts it.
    pub fn operation_timeout(mut self, limit: Option<Duration>) -> Self {
        self.operation_timeout = Some(limit);
        self
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    /// Checked when loaded from the environment, so that a value that is not a region id is
    /// reported naming where it came from, unless [`ConfigBuilder::region`] replaces it.
    pub(crate) region: Option<Result<String, ConfigError>>,
    /// Parsed when set, so that neither `Debug` nor an error shows a password it carried.
    pub(crate) endpoint: Option<Result<reqwest::Url, ConfigError>>,
    signature_version: SignatureVersion,
    pub(crate) retry: RetryConfig,
    timeouts: TimeoutConfig,
    pub(crate) proxies: Proxies,
    http: Option<reqwest::Client>,
    /// The first setting that could not be loaded, reported by `build`.
    pub(crate) load_error: Option<ConfigError>,
}

/// Proxy settings: URLs for HTTPS and HTTP targets, and the hosts that bypass them. Its
/// `Debug` hides the user and password a proxy URL may carry.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Proxies {
    pub(crate) https: Option<String>,
    pub(crate) http: Option<String>,
    pub(crate) no_proxy: Option<String>,
}

impl Proxies {
    /// The proxies `env` sets: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, each also in lower
    /// case.
    pub(crate) fn from_env(env: &Env) -> Self {
        let variable = |upper: &str| env.get(upper).or_else(|| env.get(&upper.to_lowercase()));
        Self { https: variable("HTTPS_PROXY"), http: variable("HTTP_PROXY"), no_proxy: variable("NO_PROXY") }
    }

    /// `builder` sending through these proxies (and only these: it also turns off reqwest's
    /// own reading of the process environment). Loopback hosts are always reached directly,
    /// as Go's proxy settings do: a proxy elsewhere cannot reach them, and a local service
    /// (an emulator, a test portal) must not see its traffic leave the host. The error names
    /// the invalid proxy URL, with its user information hidden.
    pub(crate) fn apply(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
        const LOOPBACK: &str = "localhost,127.0.0.0/8,::1";
        let mut builder = builder.no_proxy();
        let bypassed = match &self.no_proxy {
            Some(hosts) => format!("{hosts},{LOOPBACK}"),
            None => LOOPBACK.to_owned(),
        };
        let no_proxy = || reqwest::NoProxy::from_string(&bypassed);
        let invalid = |url: &str, e: reqwest::Error| format!("proxy URL `{}` is invalid: {e}", hide_user_info(url));
        if let Some(url) = &self.https {
            builder = builder.proxy(reqwest::Proxy::https(url).map_err(|e| invalid(url, e))?.no_proxy(no_proxy()));
        }
        if let Some(url) = &self.http {
            builder = builder.proxy(reqwest::Proxy::http(url).map_err(|e| invalid(url, e))?.no_proxy(no_proxy()));
        }
        Ok(builder)
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxies")
            .field("https", &self.https.as_deref().map(hide_user_info))
            .field("http", &self.http.as_deref().map(hide_user_info))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// `url` with the user information of its authority (`user:password@`) hidden. Works on the
/// text, so that a URL too malformed to parse shows no password either: everything up to the
/// last `@` goes (a password may hold `/`, `?` or `#` unencoded; a host part of a path with
/// an `@` in it goes too, which hides more than needed but never too little).
pub(crate) fn hide_user_info(url: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    match url[authority_start..].rfind('@') {
        Some(at) => format!("{}{REDACTED}{}", &url[..authority_start], &url[authority_start + at..]),
        None => url.to_owned(),
    }
}

impl ConfigBuilder {
    /// Fixed credentials every request is signed with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(StaticProvider::new(credentials)));
        self
    }

    /// A credentials provider, asked on every attempt. It is wrapped in a
    /// [`CredentialsCache`], so temporary credentials are fetched once and refreshed before
    /// they expire, by one caller at a time.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(CredentialsCache::new(provider)));
        self
    }

    /// The region (e.g. `cn-hangzhou`): picks the endpoint of regional services.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(Ok(region.into()));
        self
    }

    /// A full endpoint URL that overrides the service's own, e.g. `http://127.0.0.1:8080` for a
    /// local emulator or `https://vpcpeer.aliyuncs.com`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(parse_endpoint(&url.into()));
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

    /// Sends the service's requests to `https://` endpoints through this proxy URL. The
    /// credentials providers are not affected: those made from an [`Env`] (the chain of
    /// [`Config::from_env`], `DefaultCredentialsChain::new`, `CliProfileProvider::new`,
    /// `IniFileProvider::new`, `OidcRoleArnProvider::from_env`) use its proxy variables, and
    /// the STS and CloudSSO providers built by hand connect directly unless given those of an
    /// `Env` with their `with_proxies_of`.
    pub fn https_proxy(mut self, url: impl Into<String>) -> Self {
        self.proxies.https = Some(url.into());
        self
    }

    /// Sends the service's requests to `http://` endpoints through this proxy URL (the
    /// credentials providers are not affected, as for [`ConfigBuilder::https_proxy`]).
    pub fn http_proxy(mut self, url: impl Into<String>) -> Self {
        self.proxies.http = Some(url.into());
        self
    }

    /// Hosts that bypass the proxies, comma-separated as in `NO_PROXY` (`host`, `.domain`,
    /// `host:port`, IP addresses and CIDR blocks, `*` for all). Loopback hosts (`localhost`,
    /// `127.0.0.0/8`, `::1`) bypass them in any case.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.proxies.no_proxy = Some(hosts.into());
        self
    }

    /// A `reqwest` client to send with, instead of the default pooled one. Its own connect
    /// and read timeouts, proxies and redirect policy then apply instead of the configured
    /// ones (the default client follows no redirects); a connect or read timeout error then names
    /// no limit.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(error) = self.load_error {
            return Err(error);
        }
        let endpoint = self.endpoint.transpose()?;
        let region = self.region.transpose()?;
        if let Some(why) = region.as_deref().and_then(region_problem) {
            return Err(ConfigError(why));
        }
        let custom_http = self.http.is_some();
        let http = match self.http {
            Some(http) => http,
            None => {
                // Proxies come from this configuration only, never behind its back. Redirects
                // are not followed: the API has none, and following one would send the signed
                // form body (and V3's token headers) wherever the answer points; a 3xx is
                // returned as an error with its status and body.
                let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                let mut builder = self.proxies.apply(builder).map_err(ConfigError)?;
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
            region,
            endpoint,
            signature_version: self.signature_version,
            retry: self.retry,
            timeouts: self.timeouts,
            http,
            custom_http,
        })
    }
}

/// Why `region` cannot be a region id, the part of a host name it becomes
/// (`vpc.<region>.aliyuncs.com`): `None` when it is one (letters, digits and hyphens).
pub(crate) fn region_problem(region: &str) -> Option<String> {
    let valid = !region.is_empty() && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (!valid)
        .then(|| format!("region `{region}` is not a region id: only letters, digits and hyphens, e.g. `cn-hangzhou`"))
}

/// `text` as a base URL to send requests to: `http` or `https`, a host and maybe a port,
/// nothing else. Its errors name the URL with any password hidden.
pub(crate) fn parse_endpoint(text: &str) -> Result<reqwest::Url, ConfigError> {
    let invalid = |why: &str| ConfigError(format!("endpoint URL `{}` {why}", hide_user_info(text)));
    let url = reqwest::Url::parse(text).map_err(|e| invalid(&format!("is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("has no host"));
    }
    // It would travel in the signed `host` and an extra `Authorization` header.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry a user name or password: requests are signed with the credentials"));
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
    fn endpoints_and_regions_that_would_misdirect_requests_are_refused() {
        let error = Config::builder().endpoint_url("https://alice:s3cret@vpcpeer.aliyuncs.com").build().unwrap_err();
        assert!(error.to_string().contains("must not carry a user name or password"), "{error}");
        assert!(!error.to_string().contains("s3cret"), "{error}");
        let builder = Config::builder().endpoint_url("https://alice:s3cret@vpcpeer.aliyuncs.com");
        assert!(!format!("{builder:?}").contains("s3cret"));
        let unparsable = Config::builder().endpoint_url("https://alice:s3cret@[bad").build().unwrap_err();
        assert!(!unparsable.to_string().contains("s3cret"), "{unparsable}");
        for region in ["evil.example/", "cn hangzhou", "", "cn-hangzhou."] {
            let error = Config::builder().region(region).build().unwrap_err();
            assert!(error.to_string().contains("is not a region id"), "{region}: {error}");
        }
        assert!(Config::builder().region("ap-southeast-1").build().is_ok());
    }

    #[test]
    fn proxy_passwords_are_hidden() {
        let builder = Config::builder()
            .https_proxy("http://alice:s3cret@proxy.example:8080")
            .http_proxy("http://token-only:p#ss/w?rd@proxy.example:3128");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("s3cret") && !shown.contains("token-only") && !shown.contains("alice"), "{shown}");
        assert!(!shown.contains("p#ss") && !shown.contains("w?rd"), "{shown}");
        assert!(shown.contains("http://** redacted **@proxy.example:8080"), "{shown}");
        assert!(shown.contains("http://** redacted **@proxy.example:3128"), "{shown}");
        let error = Config::builder().https_proxy("http://alice:s3cret@[not-a-host").build().unwrap_err();
        assert!(!error.to_string().contains("s3cret"), "{error}");
        assert!(error.to_string().contains("http://** redacted **@[not-a-host"), "{error}");
        assert_eq!(hide_user_info("http://proxy:8080"), "http://proxy:8080");
    }

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
