//! `StaticProvider`: credentials given in code (an AccessKey pair, optionally with an STS token).

use super::{Credentials, ProvideCredentials, ProvideCredentialsFuture};

/// Always returns the credentials it was built with. Provider names: `static_ak`, or
/// `static_sts` when they carry a security token.
#[derive(Clone, Debug)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    /// A provider of `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        let name = if credentials.security_token().is_some() { "static_sts" } else { "static_ak" };
        Self { credentials: credentials.with_provider_name(name) }
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::ready(Ok(self.credentials.clone()))
    }

    fn name(&self) -> &'static str {
        "static"
    }
}
