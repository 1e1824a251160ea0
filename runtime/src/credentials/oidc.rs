//! `OidcRoleArnProvider`: temporary credentials of a RAM role assumed with an OIDC token file
//! (RRSA on ACK), by an anonymous STS `AssumeRoleWithOIDC` call.

use super::remote::{RoleSession, credentials_in, role_session_setters, send};
use super::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideCredentialsFuture};
use crate::encoding::percent_encode;
use crate::env::Env;
use crate::signing::format_timestamp;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

const NAME: &str = "oidc_role_arn";

/// `POST <sts endpoint>/?Action=AssumeRoleWithOIDC&Format=JSON&Version=2015-04-01&Timestamp=…`
/// with `RoleArn`, `OIDCProviderArn`, `OIDCToken` (the token file, read at each call),
/// `RoleSessionName`, `DurationSeconds` and the optional `Policy` in the form body; the answer's
/// `Credentials` object holds the credentials.
///
/// Defaults: endpoint `https://sts.aliyuncs.com`, 3600 s duration, session name
/// `credentials-rust-<unix time>`, 5 s connect and 10 s read timeouts, no proxy (set those of
/// an `Env` with [`Self::with_proxies_of`]; [`Self::from_env`] and the providers the profile
/// files build use the proxies of their `Env`).
#[derive(Clone, Debug)]
pub struct OidcRoleArnProvider {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    session: RoleSession,
}

impl OidcRoleArnProvider {
    role_session_setters!();

    /// A provider assuming `role_arn` with the token in `token_file`, issued by `oidc_provider_arn`.
    pub fn new(
        role_arn: impl Into<String>,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        Self {
            role_arn: role_arn.into(),
            oidc_provider_arn: oidc_provider_arn.into(),
            token_file: token_file.into(),
            session: RoleSession::new(),
        }
    }

    /// The provider `env` configures, or `None` unless all of `ALIBABA_CLOUD_ROLE_ARN`,
    /// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are set. Also reads
    /// `ALIBABA_CLOUD_ROLE_SESSION_NAME`, and `ALIBABA_CLOUD_STS_REGION` with
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` for the endpoint
    /// `https://sts[-vpc].<region>.aliyuncs.com`, and reaches STS through the proxies of
    /// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`.
    pub fn from_env(env: &Env) -> Option<Self> {
        let provider = Self::new(
            env.get("ALIBABA_CLOUD_ROLE_ARN")?,
            env.get("ALIBABA_CLOUD_OIDC_PROVIDER_ARN")?,
            env.get("ALIBABA_CLOUD_OIDC_TOKEN_FILE")?,
        );
        let provider = provider.with_sts_endpoint(sts_endpoint_from_env(env)).with_proxies_of(env);
        Some(match env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME") {
            Some(name) => provider.with_role_session_name(name),
            None => provider,
        })
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let invalid = |message: String| CredentialsError::new(NAME, CredentialsErrorKind::InvalidConfig, message);
        let duration = self.session.duration_seconds(NAME)?;
        let endpoint = self.session.checked_sts_endpoint(NAME)?;
        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
            invalid(format!("cannot read the OIDC token file {}", self.token_file.display())).with_source(e)
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(invalid(format!("the OIDC token file {} is empty", self.token_file.display())));
        }
        let session_name = self.session.name();
        let mut form = vec![
            ("RoleArn", self.role_arn.as_str()),
            ("OIDCProviderArn", self.oidc_provider_arn.as_str()),
            ("OIDCToken", token),
            ("RoleSessionName", session_name.as_str()),
            ("DurationSeconds", duration.as_str()),
        ];
        if let Some(policy) = &self.session.policy {
            form.push(("Policy", policy));
        }
        let body = encode_pairs(&form);
        let timestamp = format_timestamp(SystemTime::now());
        let query = encode_pairs(&[
            ("Action", "AssumeRoleWithOIDC"),
            ("Format", "JSON"),
            ("Version", "2015-04-01"),
            ("Timestamp", &timestamp),
        ]);
        let what = format!("POST {endpoint}/ (AssumeRoleWithOIDC)");
        let request = self
            .session
            .http_client(NAME)?
            .post(format!("{endpoint}/?{query}"))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        credentials_in(NAME, &what, &send(NAME, &what, request, Some(&super::Secret::new(token))).await?, "Credentials")
    }
}

/// `https://sts[-vpc].<region>.aliyuncs.com` when `ALIBABA_CLOUD_STS_REGION` is set (`-vpc`
/// when `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`), else the public endpoint.
pub(crate) fn sts_endpoint_from_env(env: &Env) -> String {
    match env.get("ALIBABA_CLOUD_STS_REGION") {
        Some(region) => regional_sts_endpoint(&region, env.is_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED")),
        None => RoleSession::DEFAULT_STS_ENDPOINT.to_owned(),
    }
}

/// `https://sts.<region>.aliyuncs.com`, or `https://sts-vpc.…` from inside a VPC.
pub(crate) fn regional_sts_endpoint(region: &str, vpc: bool) -> String {
    format!("https://{}.{region}.aliyuncs.com", if vpc { "sts-vpc" } else { "sts" })
}

/// `name=value&…`, percent-encoded.
fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

impl ProvideCredentials for OidcRoleArnProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
