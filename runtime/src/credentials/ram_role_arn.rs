//! `RamRoleArnProvider`: temporary credentials of a RAM role assumed with STS `AssumeRole`,
//! a V1-signed call made with the credentials of another provider (the source).

use super::remote::{http_client, role_session_name, send, session_seconds, sts_credentials};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::params::{Location, Params};
use crate::signing::v1;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const NAME: &str = "ram_role_arn";

/// `POST <sts endpoint>/?Action=AssumeRole&Version=2015-04-01&…&Signature=…`, signed with
/// the source credentials, with `RoleArn`, `RoleSessionName`, `DurationSeconds` and the
/// optional `Policy` and `ExternalId` in the form body; the answer's `Credentials` object
/// holds the credentials.
///
/// The source is asked at every call; wrap this provider in a
/// [`CredentialsCache`](super::CredentialsCache) (as [`Config`](crate::Config) does) to
/// reuse the role's credentials until they near their expiry.
///
/// Defaults: endpoint `https://sts.aliyuncs.com`, 3600 s duration, session name
/// `credentials-rust-<unix time>`, 5 s connect and 10 s read timeouts.
#[derive(Clone, Debug)]
pub struct RamRoleArnProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    role_session_name: Option<String>,
    duration: Duration,
    policy: Option<String>,
    external_id: Option<String>,
    sts_endpoint: String,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl RamRoleArnProvider {
    /// The public STS endpoint.
    pub const DEFAULT_STS_ENDPOINT: &'static str = "https://sts.aliyuncs.com";
    /// The default lifetime of the credentials asked for.
    pub const DEFAULT_DURATION: Duration = Duration::from_secs(3600);

    /// A provider assuming `role_arn` with the credentials `source` provides.
    pub fn new(source: impl ProvideCredentials + 'static, role_arn: impl Into<String>) -> Self {
        Self {
            source: Arc::new(source),
            role_arn: role_arn.into(),
            role_session_name: None,
            duration: Self::DEFAULT_DURATION,
            policy: None,
            external_id: None,
            sts_endpoint: Self::DEFAULT_STS_ENDPOINT.to_owned(),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
        }
    }

    /// Names the assumed-role session.
    pub fn with_role_session_name(mut self, name: impl Into<String>) -> Self {
        self.role_session_name = Some(name.into());
        self
    }

    /// Asks for credentials valid this long (at least 900 s; checked when loading).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = duration;
        self
    }

    /// Restricts the credentials with a RAM policy document.
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The external ID the role's trust policy asks for.
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// Sets the STS base URL, e.g. `http://127.0.0.1:8080` in tests.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    /// Sets the connect and read timeouts.
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    /// The STS base URL.
    pub fn sts_endpoint(&self) -> &str {
        &self.sts_endpoint
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let duration = session_seconds(NAME, self.duration)?;
        let source = self.source.provide_credentials().await.map_err(|e| e.in_context(NAME, "source credentials"))?;
        let mut params = Params::default();
        params.push(Location::Form, "RoleArn", self.role_arn.clone());
        params.push(Location::Form, "RoleSessionName", role_session_name(self.role_session_name.as_deref()));
        params.push(Location::Form, "DurationSeconds", duration);
        if let Some(policy) = &self.policy {
            params.push(Location::Form, "Policy", policy.clone());
        }
        if let Some(external_id) = &self.external_id {
            params.push(Location::Form, "ExternalId", external_id.clone());
        }
        let signed =
            v1::sign_request(&self.sts_endpoint, "2015-04-01", "AssumeRole", &params, &source, SystemTime::now());
        // Errors name the call, never the signed URL: it carries the source's token, if any.
        let what = format!("POST {}/ (AssumeRole)", self.sts_endpoint);
        let request = http_client(NAME, self.connect_timeout, self.read_timeout)?
            .post(signed.url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(signed.body);
        sts_credentials(NAME, &what, &send(NAME, &what, request).await?)
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
