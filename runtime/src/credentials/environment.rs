//! `EnvironmentProvider`: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
//! the optional `ALIBABA_CLOUD_SECURITY_TOKEN`.

use super::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideCredentialsFuture};
use crate::env::Env;

const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
const NAME: &str = "env";

/// Reads credentials from the environment at each call. Fails when the id or the secret is
/// unset or empty.
#[derive(Clone, Debug)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// A provider reading `env`.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.get(ACCESS_KEY_ID);
        let secret = self.env.get(ACCESS_KEY_SECRET);
        let (id, secret) = match (id, secret) {
            (Some(id), Some(secret)) => (id, secret),
            (None, None) => {
                return Err(CredentialsError::new(
                    NAME,
                    CredentialsErrorKind::NotConfigured,
                    format!("{ACCESS_KEY_ID} and {ACCESS_KEY_SECRET} are not set"),
                ));
            }
            (Some(_), None) => return Err(half_set(ACCESS_KEY_ID, ACCESS_KEY_SECRET)),
            (None, Some(_)) => return Err(half_set(ACCESS_KEY_SECRET, ACCESS_KEY_ID)),
        };
        let credentials = Credentials::new(id, secret).with_provider_name(NAME);
        Ok(match self.env.get(SECURITY_TOKEN) {
            Some(token) => credentials.with_security_token(token),
            None => credentials,
        })
    }
}

fn half_set(set: &str, missing: &str) -> CredentialsError {
    CredentialsError::new(NAME, CredentialsErrorKind::InvalidConfig, format!("{set} is set but {missing} is not"))
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::ready(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
