//! `IniFileProvider`: a section of Alibaba's INI credentials file
//! (`ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials`, else
//! `~/.alibabacloud/credentials.ini`), types `access_key`, `ram_role_arn`, `ecs_ram_role` and
//! `oidc_role_arn`.

use super::delegates::{Delegates, fetch};
use super::ini::Ini;
use super::{
    Credentials, CredentialsError, CredentialsErrorKind, EcsRamRoleProvider, ProvideCredentials,
    ProvideCredentialsFuture,
};
use crate::env::Env;
use std::collections::HashMap;
use std::path::PathBuf;

const NAME: &str = "profile";
const FILE_VARIABLE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
/// Types Alibaba's credential libraries know and this SDK does not load.
const UNSUPPORTED_TYPES: &[&str] = &["rsa_key_pair"];

/// Reads the section named by `ALIBABA_CLOUD_PROFILE`, else `default`, at each call. Provider
/// names: `profile/static_ak`, `profile/ram_role_arn`, `profile/ecs_ram_role`,
/// `profile/oidc_role_arn`. Other types are errors.
#[derive(Clone, Debug)]
pub struct IniFileProvider {
    env: Env,
    path: Option<PathBuf>,
    delegates: Delegates,
}

impl IniFileProvider {
    /// A provider finding the file through `env`, asking the metadata service and STS
    /// configured by `env` for `ecs_ram_role`, `ram_role_arn` and `oidc_role_arn` sections.
    pub fn new(env: Env) -> Self {
        let delegates = Delegates::from_env(&env);
        Self { env, path: None, delegates }
    }

    /// Reads this file instead of looking one up.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The metadata provider `ecs_ram_role` sections use; their `role_name` is set on it.
    pub fn with_ecs_metadata(mut self, provider: EcsRamRoleProvider) -> Self {
        self.delegates.ecs_metadata = provider;
        self
    }

    /// The STS base URL `oidc_role_arn` and `ram_role_arn` sections call.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.delegates.sts_endpoint = endpoint.into();
        self
    }

    /// The file to read and its text.
    fn read_file(&self) -> Result<(PathBuf, String), CredentialsError> {
        let explicit = self.path.clone().or_else(|| self.env.get(FILE_VARIABLE).map(PathBuf::from));
        if let Some(path) = explicit {
            return match std::fs::read_to_string(&path) {
                Ok(text) => Ok((path, text)),
                Err(e) => Err(CredentialsError::new(
                    NAME,
                    CredentialsErrorKind::InvalidConfig,
                    format!("cannot read the credentials file {}", path.display()),
                )
                .with_source(e)),
            };
        }
        let home = self.env.home_dir().ok_or_else(|| {
            CredentialsError::new(
                NAME,
                CredentialsErrorKind::NotConfigured,
                format!("{FILE_VARIABLE} is not set and there is no home directory (HOME is not set)"),
            )
        })?;
        let directory = home.join(".alibabacloud");
        let candidates = [directory.join("credentials"), directory.join("credentials.ini")];
        for path in &candidates {
            match std::fs::read_to_string(path) {
                Ok(text) => return Ok((path.clone(), text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(CredentialsError::new(
                        NAME,
                        CredentialsErrorKind::InvalidConfig,
                        format!("cannot read the credentials file {}", path.display()),
                    )
                    .with_source(e));
                }
            }
        }
        Err(CredentialsError::new(
            NAME,
            CredentialsErrorKind::NotConfigured,
            format!(
                "{FILE_VARIABLE} is not set and neither {} nor {} exists",
                candidates[0].display(),
                candidates[1].display()
            ),
        ))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let (path, text) = self.read_file()?;
        let shown = path.display().to_string();
        let invalid = |message: String| CredentialsError::new(NAME, CredentialsErrorKind::InvalidConfig, message);
        let ini = Ini::parse(&text).map_err(|why| invalid(format!("{shown}: {why}")))?;
        let section_name = self.env.get("ALIBABA_CLOUD_PROFILE").unwrap_or_else(|| "default".to_owned());
        let section =
            ini.section(&section_name).ok_or_else(|| invalid(format!("{shown}: no section [{section_name}]")))?;
        let field =
            |key: &str| required(section, key).map_err(|why| invalid(format!("{shown}: [{section_name}] {why}")));
        match field("type")? {
            "access_key" => Ok(Credentials::new(field("access_key_id")?, field("access_key_secret")?)
                .with_provider_name("profile/static_ak")),
            "ecs_ram_role" => {
                let context = format!("{shown}: [{section_name}] (type ecs_ram_role)");
                let role_name = section.get("role_name").map(String::as_str).filter(|name| !name.is_empty());
                self.delegates.ecs_ram_role(role_name, NAME, &context, "profile/ecs_ram_role").await
            }
            "ram_role_arn" => {
                let mut provider = self.delegates.ram_role_arn(
                    field("access_key_id")?,
                    field("access_key_secret")?,
                    field("role_arn")?,
                );
                if let Some(name) = section.get("role_session_name").filter(|name| !name.is_empty()) {
                    provider = provider.with_role_session_name(name);
                }
                if let Some(policy) = section.get("policy").filter(|policy| !policy.is_empty()) {
                    provider = provider.with_policy(policy);
                }
                let context = format!("{shown}: [{section_name}] (type ram_role_arn)");
                fetch(&provider, NAME, &context, "profile/ram_role_arn").await
            }
            "oidc_role_arn" => {
                let provider = self.delegates.oidc(
                    field("role_arn")?,
                    field("oidc_provider_arn")?,
                    field("oidc_token_file_path")?,
                );
                let provider = match section.get("role_session_name").filter(|name| !name.is_empty()) {
                    Some(name) => provider.with_role_session_name(name),
                    None => provider,
                };
                let provider = match section.get("policy").filter(|policy| !policy.is_empty()) {
                    Some(policy) => provider.with_policy(policy),
                    None => provider,
                };
                let context = format!("{shown}: [{section_name}] (type oidc_role_arn)");
                fetch(&provider, NAME, &context, "profile/oidc_role_arn").await
            }
            unsupported if UNSUPPORTED_TYPES.contains(&unsupported) => Err(CredentialsError::new(
                NAME,
                CredentialsErrorKind::Unsupported,
                format!(
                    "{shown}: [{section_name}] `type` is `{unsupported}`, which this SDK does not support yet \
                     (supported: access_key, ram_role_arn, ecs_ram_role, oidc_role_arn)"
                ),
            )),
            unknown => Err(invalid(format!(
                "{shown}: [{section_name}] `type` is `{unknown}`, an unknown type \
                 (supported: access_key, ram_role_arn, ecs_ram_role, oidc_role_arn)"
            ))),
        }
    }
}

/// The non-empty value of `key`, or why not.
fn required<'a>(section: &'a HashMap<String, String>, key: &str) -> Result<&'a str, String> {
    match section.get(key) {
        None => Err(format!("`{key}` is missing")),
        Some(value) if value.is_empty() => Err(format!("`{key}` is empty")),
        Some(value) => Ok(value),
    }
}

impl ProvideCredentials for IniFileProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
