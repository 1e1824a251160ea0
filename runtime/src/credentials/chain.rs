//! `DefaultCredentialsChain`: Alibaba's documented provider order, remembering the provider
//! that succeeded and reporting every provider's failure when none does.

use super::oidc::sts_endpoint_from_env;
use super::{
    CliProfileProvider, Credentials, CredentialsError, CredentialsUriProvider, EcsRamRoleProvider, EnvironmentProvider,
    IniFileProvider, OidcRoleArnProvider, ProvideCredentials, ProvideCredentialsFuture,
};
use crate::env::Env;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const NAME: &str = "default";
const NONE_REMEMBERED: usize = usize::MAX;

/// Tries its providers in order and returns the first success, its provider name prefixed
/// with `default/` (e.g. `default/env`).
///
/// The provider that succeeded is tried first next time; if it fails then, the whole chain
/// is walked again. When every provider fails, the error (kind
/// [`AllProvidersFailed`](super::CredentialsErrorKind::AllProvidersFailed)) lists each provider's
/// failure in chain order.
///
/// Each call asks the providers again; wrap the chain in a
/// [`CredentialsCache`](super::CredentialsCache) to reuse credentials until they go stale.
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    providers: Vec<Box<dyn ProvideCredentials>>,
    remembered: AtomicUsize,
}

/// Builds the default chain from an [`Env`], with the metadata service and credentials-URI
/// settings tests need to change.
#[derive(Debug)]
pub struct DefaultCredentialsChainBuilder {
    env: Env,
    ecs_metadata: EcsRamRoleProvider,
    credentials_uri_timeouts: Option<(Duration, Duration)>,
    sts_endpoint: Option<String>,
}

impl DefaultCredentialsChainBuilder {
    /// Sets the metadata service base URL (default `http://100.100.100.200`), used by the ECS
    /// provider and by `EcsRamRole`/`ecs_ram_role` profiles.
    pub fn ecs_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.ecs_metadata = self.ecs_metadata.with_endpoint(endpoint);
        self
    }

    /// Sets the metadata service connect and read timeouts (default 1 s each).
    pub fn ecs_metadata_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.ecs_metadata = self.ecs_metadata.with_timeouts(connect, read);
        self
    }

    /// Sets the credentials-URI connect and read timeouts (default 5 s and 10 s).
    pub fn credentials_uri_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.credentials_uri_timeouts = Some((connect, read));
        self
    }

    /// Sets the STS base URL the OIDC provider and OIDC profiles call (default from
    /// `ALIBABA_CLOUD_STS_REGION`, else `https://sts.aliyuncs.com`).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The chain, in Alibaba's order, with the providers `env` switches on:
    ///
    /// 1. environment variables;
    /// 2. the OIDC role, if `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
    ///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set;
    /// 3. the aliyun CLI profile, unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`;
    /// 4. the INI credentials file;
    /// 5. the ECS instance metadata, unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`;
    /// 6. the credentials URI, if `ALIBABA_CLOUD_CREDENTIALS_URI` is set.
    pub fn build(self) -> DefaultCredentialsChain {
        let env = self.env;
        let sts_endpoint = self.sts_endpoint.unwrap_or_else(|| sts_endpoint_from_env(&env));
        let mut providers: Vec<Box<dyn ProvideCredentials>> = vec![Box::new(EnvironmentProvider::new(env.clone()))];
        if let Some(provider) = OidcRoleArnProvider::from_env(&env) {
            providers.push(Box::new(provider.with_sts_endpoint(&sts_endpoint)));
        }
        if !env.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            let provider = CliProfileProvider::new(env.clone())
                .with_ecs_metadata(self.ecs_metadata.clone())
                .with_sts_endpoint(&sts_endpoint);
            providers.push(Box::new(provider));
        }
        let provider = IniFileProvider::new(env.clone())
            .with_ecs_metadata(self.ecs_metadata.clone())
            .with_sts_endpoint(&sts_endpoint);
        providers.push(Box::new(provider));
        if !env.is_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            providers.push(Box::new(self.ecs_metadata));
        }
        if let Some(mut provider) = CredentialsUriProvider::from_env(&env) {
            if let Some((connect, read)) = self.credentials_uri_timeouts {
                provider = provider.with_timeouts(connect, read);
            }
            providers.push(Box::new(provider));
        }
        DefaultCredentialsChain::from_providers(providers)
    }
}

impl DefaultCredentialsChain {
    /// The default chain for `env`; see [`DefaultCredentialsChainBuilder::build`].
    pub fn new(env: Env) -> Self {
        Self::builder(env).build()
    }

    /// A builder of the default chain for `env`.
    pub fn builder(env: Env) -> DefaultCredentialsChainBuilder {
        let ecs_metadata = EcsRamRoleProvider::from_env(&env);
        DefaultCredentialsChainBuilder { env, ecs_metadata, credentials_uri_timeouts: None, sts_endpoint: None }
    }

    /// A chain of exactly `providers`, in this order.
    pub fn from_providers(providers: Vec<Box<dyn ProvideCredentials>>) -> Self {
        Self { providers, remembered: AtomicUsize::new(NONE_REMEMBERED) }
    }

    /// The names of the providers, in chain order.
    pub fn provider_names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|p| p.name()).collect()
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut failures: Vec<(usize, CredentialsError)> = Vec::new();
        let remembered = self.remembered.load(Ordering::Acquire);
        if let Some(provider) = self.providers.get(remembered) {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(named(credentials)),
                Err(error) => failures.push((remembered, error)),
            }
        }
        for (index, provider) in self.providers.iter().enumerate() {
            if index == remembered {
                continue;
            }
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    self.remembered.store(index, Ordering::Release);
                    return Ok(named(credentials));
                }
                Err(error) => failures.push((index, error)),
            }
        }
        self.remembered.store(NONE_REMEMBERED, Ordering::Release);
        failures.sort_by_key(|(index, _)| *index);
        Err(CredentialsError::all_failed(NAME, failures.into_iter().map(|(_, error)| error).collect()))
    }
}

fn named(credentials: Credentials) -> Credentials {
    let name = format!("{NAME}/{}", credentials.provider_name());
    credentials.with_provider_name(name)
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
