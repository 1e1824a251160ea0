//! `EcsRamRoleProvider`: temporary credentials of an ECS instance's RAM role from the instance
//! metadata service, IMDSv2 token first, falling back to token-less IMDSv1 unless forbidden.

use super::remote::{http_client, parse_credentials_document, send};
use super::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideCredentialsFuture};
use crate::config::Proxies;
use crate::env::Env;
use std::time::{Duration, SystemTime};

const NAME: &str = "ecs_ram_role";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLES_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_TTL_SECONDS: &str = "21600";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// How long after a fetch the credentials are fetched again, however long they last.
const REFRESH_AFTER: Duration = Duration::from_secs(60 * 60);

/// Loads the instance role's credentials from the metadata service:
///
/// 1. `PUT /latest/api/token` (IMDSv2 token, TTL 21600 s);
/// 2. unless the role name is given, `GET /latest/meta-data/ram/security-credentials/`;
/// 3. `GET /latest/meta-data/ram/security-credentials/<role>`, whose JSON must have
///    `Code == "Success"` and all of `AccessKeyId`, `AccessKeySecret`, `SecurityToken`,
///    `Expiration`.
///
/// Steps 2 and 3 carry the token. When the token request or a request with the token fails,
/// they are retried without it (IMDSv1) unless IMDSv1 is disabled. Defaults: endpoint
/// `http://100.100.100.200`, 1 s connect and 1 s read timeouts. The credentials ask a cache
/// to fetch them again an hour later ([`Credentials::refresh_at`]), so that an outage of the
/// metadata service near their expiry does not leave the instance without credentials.
#[derive(Clone, Debug)]
pub struct EcsRamRoleProvider {
    role_name: Option<String>,
    endpoint: String,
    imdsv1_disabled: bool,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl Default for EcsRamRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl EcsRamRoleProvider {
    /// The metadata service address on ECS.
    pub const DEFAULT_ENDPOINT: &'static str = "http://100.100.100.200";
    /// The default connect and read timeouts.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

    /// A provider with the defaults: role name looked up, IMDSv1 fallback allowed.
    pub fn new() -> Self {
        Self {
            role_name: None,
            endpoint: Self::DEFAULT_ENDPOINT.to_owned(),
            imdsv1_disabled: false,
            connect_timeout: Self::DEFAULT_TIMEOUT,
            read_timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// A provider configured by `env`: role name from `ALIBABA_CLOUD_ECS_METADATA`, IMDSv1
    /// fallback forbidden when `ALIBABA_CLOUD_IMDSV1_DISABLED=true`.
    pub fn from_env(env: &Env) -> Self {
        let provider = Self::new().with_imdsv1_disabled(env.is_true("ALIBABA_CLOUD_IMDSV1_DISABLED"));
        match env.get("ALIBABA_CLOUD_ECS_METADATA") {
            Some(role) => provider.with_role_name(role),
            None => provider,
        }
    }

    /// Uses this role instead of looking its name up.
    pub fn with_role_name(mut self, role_name: impl Into<String>) -> Self {
        self.role_name = Some(role_name.into());
        self
    }

    /// Sets the metadata service base URL, e.g. `http://127.0.0.1:8080` in tests.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    /// Forbids (`true`) or allows the token-less IMDSv1 fallback.
    pub fn with_imdsv1_disabled(mut self, disabled: bool) -> Self {
        self.imdsv1_disabled = disabled;
        self
    }

    /// Sets the connect and read timeouts of each request.
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    /// The metadata service base URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let client = http_client(NAME, self.connect_timeout, self.read_timeout, &Proxies::default())?;
        let with_token = async {
            let token = self.fetch_token(&client).await?;
            self.fetch_credentials(&client, Some(&token)).await
        };
        let credentials = match with_token.await {
            Ok(credentials) => credentials,
            Err(error) if !falls_back(&error) => return Err(error),
            Err(error) if self.imdsv1_disabled => {
                return Err(CredentialsError::new(
                    NAME,
                    error.kind(),
                    format!("{}; IMDSv1 fallback is disabled (ALIBABA_CLOUD_IMDSV1_DISABLED)", error.message()),
                )
                .with_source(error));
            }
            Err(v2_error) => self.fetch_credentials(&client, None).await.map_err(|v1_error| {
                CredentialsError::new(
                    NAME,
                    v1_error.kind(),
                    format!("IMDSv1 fallback: {} (after IMDSv2: {})", v1_error.message(), v2_error.message()),
                )
                .with_source(v1_error)
            })?,
        };
        // Fetched again an hour later (while still served), as Alibaba's libraries do.
        let refresh_at = SystemTime::now() + REFRESH_AFTER;
        Ok(credentials.with_provider_name(NAME).with_refresh_at(refresh_at))
    }

    async fn fetch_token(&self, client: &reqwest::Client) -> Result<String, CredentialsError> {
        let url = format!("{}{TOKEN_PATH}", self.endpoint);
        let request = client.put(&url).header(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS);
        send(NAME, &format!("PUT {url}"), request, None).await
    }

    /// Steps 2 and 3, with the token if there is one.
    async fn fetch_credentials(
        &self,
        client: &reqwest::Client,
        token: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        let get = |url: &str| {
            let request = client.get(url);
            match token {
                Some(token) => request.header(TOKEN_HEADER, token),
                None => request,
            }
        };
        let role_name = match &self.role_name {
            Some(role_name) => role_name.clone(),
            None => {
                let url = format!("{}{ROLES_PATH}", self.endpoint);
                let body = send(NAME, &format!("GET {url}"), get(&url), None).await?;
                let role_name = body.trim();
                if role_name.is_empty() {
                    return Err(CredentialsError::new(
                        NAME,
                        CredentialsErrorKind::InvalidResponse,
                        format!("GET {url} answered no role name: is a RAM role attached to this instance?"),
                    ));
                }
                role_name.to_owned()
            }
        };
        let url = format!("{}{ROLES_PATH}{role_name}", self.endpoint);
        let what = format!("GET {url}");
        let body = send(NAME, &what, get(&url), None).await?;
        parse_credentials_document(NAME, &what, &body)
    }
}

/// Whether a failure with the token is one IMDSv1 may get past: the request failed, as
/// opposed to a body that is not valid credentials.
fn falls_back(error: &CredentialsError) -> bool {
    matches!(error.kind(), CredentialsErrorKind::Transport | CredentialsErrorKind::Timeout)
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
