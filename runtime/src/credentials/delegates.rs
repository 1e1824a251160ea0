//! What the two profile files (the aliyun CLI's `config.json` and the credentials INI file)
//! hand over to other providers: the ECS metadata service for ECS RAM-role profiles and STS
//! for OIDC and RAM-role-ARN ones (through the `Env`'s proxies). Both files' providers share
//! this, with the same configuration and errors.

use super::oidc::sts_endpoint_from_env;
use super::{
    Credentials, CredentialsError, EcsRamRoleProvider, OidcRoleArnProvider, ProvideCredentials, RamRoleArnProvider,
    StaticProvider,
};
use crate::config::Proxies;
use crate::env::Env;

/// The providers a profile can delegate to.
#[derive(Clone, Debug)]
pub(crate) struct Delegates {
    pub(crate) ecs_metadata: EcsRamRoleProvider,
    pub(crate) sts_endpoint: String,
    /// The proxies of `env`, for STS and the CloudSSO portal.
    pub(crate) proxies: Proxies,
}

impl Delegates {
    /// The metadata service, STS endpoint and proxies that `env` configures.
    pub(crate) fn from_env(env: &Env) -> Self {
        Self {
            ecs_metadata: EcsRamRoleProvider::from_env(env),
            sts_endpoint: sts_endpoint_from_env(env),
            proxies: Proxies::from_env(env),
        }
    }

    /// Credentials of the ECS RAM role `role_name` (or the instance's own role).
    pub(crate) async fn ecs_ram_role(
        &self,
        role_name: Option<&str>,
        owner: &'static str,
        context: &str,
        provider_name: &'static str,
    ) -> Result<Credentials, CredentialsError> {
        let provider = match role_name {
            Some(role_name) => self.ecs_metadata.clone().with_role_name(role_name),
            None => self.ecs_metadata.clone(),
        };
        fetch(&provider, owner, context, provider_name).await
    }

    /// An OIDC role provider calling this STS endpoint.
    pub(crate) fn oidc(&self, role_arn: &str, oidc_provider_arn: &str, token_file: &str) -> OidcRoleArnProvider {
        OidcRoleArnProvider::new(role_arn, oidc_provider_arn, token_file)
            .with_sts_endpoint(&self.sts_endpoint)
            .with_proxies(self.proxies.clone())
    }

    /// A provider assuming `role_arn` with an AccessKey pair, calling this STS endpoint.
    pub(crate) fn ram_role_arn(
        &self,
        access_key_id: &str,
        access_key_secret: &str,
        role_arn: &str,
    ) -> RamRoleArnProvider {
        let source = StaticProvider::new(Credentials::new(access_key_id, access_key_secret));
        RamRoleArnProvider::new(source, role_arn)
            .with_sts_endpoint(&self.sts_endpoint)
            .with_proxies(self.proxies.clone())
    }
}

/// Asks `provider`, naming the profile (`context`) of provider `owner` in its error, and names
/// the credentials `provider_name`.
pub(crate) async fn fetch(
    provider: &impl ProvideCredentials,
    owner: &'static str,
    context: &str,
    provider_name: &'static str,
) -> Result<Credentials, CredentialsError> {
    let credentials = provider.provide_credentials().await.map_err(|e| e.in_context(owner, context))?;
    Ok(credentials.with_provider_name(provider_name))
}
