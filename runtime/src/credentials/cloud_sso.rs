//! `CloudSsoProvider`: temporary credentials of a CloudSSO access configuration, asked from
//! the CloudSSO portal with the login token the aliyun CLI keeps after
//! `aliyun configure --mode CloudSSO`.

use super::remote::{credentials_in, http_client, send};
use super::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideCredentialsFuture, Secret,
};
use crate::config::Proxies;
use std::time::{Duration, SystemTime};

const NAME: &str = "cloud_sso";

/// `POST <portal>/cloud-credentials` with `Authorization: Bearer <access token>` and the JSON
/// body `{"AccountId": …, "AccessConfigurationId": …}`, where the portal is the scheme, host
/// and port of the sign-in URL (`https`, or `http` only to a loopback address). The answer's
/// `CloudCredential` object holds `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and
/// `Expiration`. Default timeouts: 5 s connect, 10 s read.
///
/// The access token is a login session of the CLI: once it has expired, the provider refuses
/// to ask (log in again with the CLI). Its `Debug` and errors never show the token. Built
/// here, it reaches the portal without a proxy unless given those of an `Env`
/// ([`Self::with_proxies_of`]); a `CloudSSO` profile of the aliyun CLI uses the proxies of its
/// `Env`.
#[derive(Clone, Debug)]
pub struct CloudSsoProvider {
    sign_in_url: String,
    account_id: String,
    access_configuration_id: String,
    access_token: Secret,
    access_token_expiry: SystemTime,
    connect_timeout: Duration,
    read_timeout: Duration,
    proxies: Proxies,
}

impl CloudSsoProvider {
    /// The default connect timeout.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// The default read timeout.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

    /// A provider asking the portal of `sign_in_url` for the credentials of access
    /// configuration `access_configuration_id` in account `account_id`, with `access_token`,
    /// which expires at `access_token_expiry`.
    pub fn new(
        sign_in_url: impl Into<String>,
        account_id: impl Into<String>,
        access_configuration_id: impl Into<String>,
        access_token: impl Into<String>,
        access_token_expiry: SystemTime,
    ) -> Self {
        Self {
            sign_in_url: sign_in_url.into(),
            account_id: account_id.into(),
            access_configuration_id: access_configuration_id.into(),
            access_token: Secret::new(access_token),
            access_token_expiry,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: Self::DEFAULT_READ_TIMEOUT,
            proxies: Proxies::default(),
        }
    }

    /// Sets the connect and read timeouts.
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    /// Reaches the portal through the proxies `env` sets (`HTTPS_PROXY`, `HTTP_PROXY`,
    /// `NO_PROXY`, or lower case); loopback hosts stay direct.
    pub fn with_proxies_of(self, env: &crate::Env) -> Self {
        self.with_proxies(Proxies::from_env(env))
    }

    /// Reaches the portal through `proxies`.
    pub(crate) fn with_proxies(mut self, proxies: Proxies) -> Self {
        self.proxies = proxies;
        self
    }

    /// `<scheme>://<host>[:<port>]/cloud-credentials` of the sign-in URL. The login token
    /// travels only over HTTPS, or plain HTTP to a loopback address (a local test portal).
    fn credentials_url(&self) -> Result<String, CredentialsError> {
        let invalid = || {
            CredentialsError::new(
                NAME,
                CredentialsErrorKind::InvalidConfig,
                "the sign-in URL is not an https URL with a host (or http to a loopback address)",
            )
        };
        let url = reqwest::Url::parse(&self.sign_in_url).map_err(|_| invalid())?;
        let host = url.host_str().ok_or_else(invalid)?;
        let address = host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>();
        let loopback = host == "localhost" || address.is_ok_and(|ip| ip.is_loopback());
        if !(url.scheme() == "https" || (url.scheme() == "http" && loopback)) {
            return Err(invalid());
        }
        let port = url.port().map(|port| format!(":{port}")).unwrap_or_default();
        Ok(format!("{}://{host}{port}/cloud-credentials", url.scheme()))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if self.access_token.expose().is_empty() || self.access_token_expiry <= SystemTime::now() {
            return Err(CredentialsError::new(
                NAME,
                CredentialsErrorKind::InvalidConfig,
                "the CloudSSO access token is missing or has expired: log in again with the aliyun CLI",
            ));
        }
        let url = self.credentials_url()?;
        let what = format!("POST {url}");
        let body = serde_json::json!({
            "AccountId": self.account_id,
            "AccessConfigurationId": self.access_configuration_id,
        });
        let request = http_client(NAME, self.connect_timeout, self.read_timeout, &self.proxies)?
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .bearer_auth(self.access_token.expose())
            .body(body.to_string());
        credentials_in(NAME, &what, &send(NAME, &what, request, Some(&self.access_token)).await?, "CloudCredential")
    }
}

impl ProvideCredentials for CloudSsoProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
