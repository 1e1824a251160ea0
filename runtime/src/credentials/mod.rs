//! Credentials: an AccessKey pair with an optional STS security token and expiry, the
//! `Secret` wrapper that keeps secret values out of `Debug` and `Display`, and the providers
//! that load credentials (static, environment, OIDC role, RAM role assumed with an AccessKey,
//! aliyun CLI profile, CloudSSO, INI file, ECS instance metadata, credentials URI), the
//! refreshing cache and the default chain.

mod cache;
mod chain;
pub(crate) mod cli_profile;
mod cloud_sso;
mod credentials_uri;
mod delegates;
mod ecs_metadata;
mod environment;
mod error;
mod external;
mod ini;
mod ini_file;
mod oidc;
mod provider;
mod ram_role_arn;
mod remote;
mod static_provider;

pub use cache::{CredentialsCache, CredentialsCacheBuilder};
pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use cli_profile::CliProfileProvider;
pub use cloud_sso::CloudSsoProvider;
pub use credentials_uri::CredentialsUriProvider;
pub use ecs_metadata::EcsRamRoleProvider;
pub use environment::EnvironmentProvider;
pub use error::{CredentialsError, CredentialsErrorKind};
pub use external::ExternalProcessProvider;
pub use ini_file::IniFileProvider;
pub use oidc::OidcRoleArnProvider;
pub use provider::{ProvideCredentials, ProvideCredentialsFuture};
pub use ram_role_arn::RamRoleArnProvider;
pub use static_provider::StaticProvider;

use crate::signing::v1::SigningKey;
use reqwest::header::HeaderValue;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// What `Debug`, `Display` and redacted messages show in place of a secret.
pub(crate) const REDACTED: &str = "** redacted **";

/// A secret string (AccessKey secret, STS token). Its `Debug` and `Display` print
/// `** redacted **`; the value is only reachable through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of this secret replaced by `** redacted **`: as it is, and
    /// percent-encoded once or twice, as a gateway's "server string to sign" quotes it.
    pub(crate) fn redact_from<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let once = crate::encoding::percent_encode(&self.0);
        let twice = crate::encoding::percent_encode(&once);
        // The longest form first, so that a shorter one inside it leaves no remainder.
        let forms = [twice.as_str(), once.as_str(), self.0.as_str()];
        if self.0.is_empty() || !forms.iter().any(|form| text.contains(form)) {
            return Cow::Borrowed(text);
        }
        let mut redacted = text.to_owned();
        for form in forms {
            redacted = redacted.replace(form, REDACTED);
        }
        Cow::Owned(redacted)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// An AccessKey pair, optionally with an STS security token (temporary credentials), the
/// time they expire (`None`: long-term) and the name of the provider that loaded them.
/// Cheap to clone: clones share one copy.
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<CredentialsInner>,
}

#[derive(Clone)]
struct CredentialsInner {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
    expiry: Option<SystemTime>,
    /// When a cache should fetch new credentials although these are not near their expiry.
    refresh_at: Option<SystemTime>,
    provider_name: Cow<'static, str>,
    /// The provider name as the `x-acs-credentials-provider` header value; `None` when it is
    /// not a valid header value.
    provider_header: Option<HeaderValue>,
    /// The V1 HMAC key prepared from the secret.
    v1_signing_key: SigningKey,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.inner.access_key_id)
            .field("access_key_secret", &self.inner.access_key_secret)
            .field("security_token", &self.inner.security_token)
            .field("expiry", &self.inner.expiry)
            .field("refresh_at", &self.inner.refresh_at)
            .field("provider_name", &self.inner.provider_name)
            .finish()
    }
}

/// Equal when id, secret and token are equal; expiry and provider name are not compared.
impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        (&self.inner.access_key_id, &self.inner.access_key_secret, &self.inner.security_token)
            == (&other.inner.access_key_id, &other.inner.access_key_secret, &other.inner.security_token)
    }
}

impl Eq for Credentials {}

impl Credentials {
    /// The provider name of credentials built directly with [`Credentials::new`].
    pub const STATIC_PROVIDER_NAME: &'static str = "static";

    /// Long-term AccessKey credentials: no token, no expiry, provider name `static`.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        let access_key_secret = Secret::new(access_key_secret);
        let v1_signing_key = SigningKey::new(access_key_secret.expose());
        let inner = CredentialsInner {
            access_key_id: access_key_id.into(),
            access_key_secret,
            security_token: None,
            expiry: None,
            refresh_at: None,
            provider_name: Cow::Borrowed(Self::STATIC_PROVIDER_NAME),
            provider_header: Some(HeaderValue::from_static(Self::STATIC_PROVIDER_NAME)),
            v1_signing_key,
        };
        Self { inner: Arc::new(inner) }
    }

    /// Adds an STS security token, making these temporary credentials.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.inner).security_token = Some(Secret::new(token));
        self
    }

    /// Sets the time these credentials stop being valid (temporary credentials).
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        Arc::make_mut(&mut self.inner).expiry = Some(expiry);
        self
    }

    /// Asks a [`CredentialsCache`] to fetch new credentials from `time` on, even though these
    /// are not yet near their expiry; it keeps serving these if that fails. The ECS RAM role
    /// provider asks for one hour after each fetch, as Alibaba's credential libraries do.
    pub fn with_refresh_at(mut self, time: SystemTime) -> Self {
        Arc::make_mut(&mut self.inner).refresh_at = Some(time);
        self
    }

    /// Sets the name of the provider that loaded these credentials, e.g. `default/env`
    /// (Alibaba's SDKs send it as the `x-acs-credentials-provider` header).
    pub fn with_provider_name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        let inner = Arc::make_mut(&mut self.inner);
        inner.provider_name = name.into();
        inner.provider_header = HeaderValue::from_str(&inner.provider_name).ok();
        self
    }

    /// When these credentials stop being valid; `None` for long-term credentials.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.inner.expiry
    }

    /// When a cache should fetch new ones ahead of the expiry, if their provider asked.
    pub fn refresh_at(&self) -> Option<SystemTime> {
        self.inner.refresh_at
    }

    /// The name of the provider that loaded these credentials.
    pub fn provider_name(&self) -> &str {
        &self.inner.provider_name
    }

    /// The AccessKey ID (not a secret: it is sent in every request).
    pub fn access_key_id(&self) -> &str {
        &self.inner.access_key_id
    }

    /// The AccessKey secret.
    pub fn access_key_secret(&self) -> &Secret {
        &self.inner.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&Secret> {
        self.inner.security_token.as_ref()
    }

    /// The provider name as a header value, made once; `None` when the name cannot be one.
    pub(crate) fn provider_header(&self) -> Option<&HeaderValue> {
        self.inner.provider_header.as_ref()
    }

    /// The V1 signing key prepared from the secret.
    pub fn v1_signing_key(&self) -> &SigningKey {
        &self.inner.v1_signing_key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_secrets() {
        let creds = Credentials::new("LTAIexample", "s3cr3t-value").with_security_token("t0ken-value");
        let shown = format!("{creds:?} {:?} {}", creds.access_key_secret(), creds.access_key_secret());
        assert!(shown.contains("LTAIexample"));
        assert!(!shown.contains("s3cr3t-value") && !shown.contains("t0ken-value"), "{shown}");
    }
}
