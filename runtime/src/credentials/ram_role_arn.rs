//! `RamRoleArnProvider`: temporary credentials of a RAM role assumed with STS `AssumeRole`,
//! a V1-signed call made with the credentials of another provider (the source).

use super::remote::{RoleSession, credentials_in, role_session_setters, send};
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
/// `credentials-rust-<unix time>`, 5 s connect and 10 s read timeouts, no proxy (set those of
/// an `Env` with [`Self::with_proxies_of`]; the providers the profile files build use the
/// proxies of their `Env`).
#[derive(Clone, Debug)]
pub struct RamRoleArnProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    external_id: Option<String>,
    session: RoleSession,
}

impl RamRoleArnProvider {
    role_session_setters!();

    /// A provider assuming `role_arn` with the credentials `source` provides.
    pub fn new(source: impl ProvideCredentials + 'static, role_arn: impl Into<String>) -> Self {
        Self { source: Arc::new(source), role_arn: role_arn.into(), external_id: None, session: RoleSession::new() }
    }

    /// The external ID the role's trust policy asks for.
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let duration = self.session.duration_seconds(NAME)?;
        let endpoint = self.session.checked_sts_endpoint(NAME)?;
        let source = self.source.provide_credentials().await.map_err(|e| e.in_context(NAME, "source credentials"))?;
        let mut params = Params::default();
        params.push(Location::Form, "RoleArn", self.role_arn.clone());
        params.push(Location::Form, "RoleSessionName", self.session.name());
        params.push(Location::Form, "DurationSeconds", duration);
        if let Some(policy) = &self.session.policy {
            params.push(Location::Form, "Policy", policy.clone());
        }
        if let Some(external_id) = &self.external_id {
            params.push(Location::Form, "ExternalId", external_id.clone());
        }
        let signed = v1::sign_request(endpoint, "2015-04-01", "AssumeRole", &params, &source, SystemTime::now());
        // Errors name the call, never the signed URL: it carries the source's token, if any.
        let what = format!("POST {endpoint}/ (AssumeRole)");
        let request = self
            .session
            .http_client(NAME)?
            .post(signed.url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(signed.body);
        credentials_in(NAME, &what, &send(NAME, &what, request, source.security_token()).await?, "Credentials")
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
