//! Credential providers, the refreshing cache and the default chain, against real servers on
//! 127.0.0.1, real files in temporary directories and injected environments.

#[path = "credentials/cache.rs"]
mod cache;
#[path = "credentials/chain.rs"]
mod chain;
#[path = "credentials/cli_profile.rs"]
mod cli_profile;
#[path = "credentials/cloud_sso.rs"]
mod cloud_sso;
#[path = "credentials/credentials_uri.rs"]
mod credentials_uri;
#[path = "credentials/ecs_metadata.rs"]
mod ecs_metadata;
#[path = "credentials/external.rs"]
mod external;
#[path = "credentials/ini_file.rs"]
mod ini_file;
#[path = "credentials/oidc.rs"]
mod oidc;
#[path = "credentials/proxies.rs"]
mod proxies;
#[path = "credentials/ram_role_arn.rs"]
mod ram_role_arn;
#[path = "credentials/redaction.rs"]
mod redaction;
#[path = "credentials/static_and_env.rs"]
mod static_and_env;
#[path = "credentials/support.rs"]
mod support;
