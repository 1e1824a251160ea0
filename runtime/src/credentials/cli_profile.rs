//! `CliProfileProvider`: a profile of the aliyun CLI's `~/.aliyun/config.json` (modes `AK`,
//! `StsToken`, `RamRoleArn`, `ChainableRamRoleArn`, `EcsRamRole`, `OIDC`, `CloudSSO`,
//! `External` and `CredentialsURI`).

use super::delegates::{Delegates, fetch};
use super::oidc::regional_sts_endpoint;
use super::{
    CloudSsoProvider, Credentials, CredentialsCache, CredentialsError, CredentialsErrorKind, CredentialsUriProvider,
    EcsRamRoleProvider, ExternalProcessProvider, ProvideCredentials, ProvideCredentialsFuture, RamRoleArnProvider,
    StaticProvider,
};
use crate::env::Env;
use serde_json::{Map, Value};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NAME: &str = "cli_profile";
/// Modes the aliyun CLI or Alibaba's credential libraries know and this SDK does not load.
const UNSUPPORTED_MODES: &[&str] = &["OAuth", "RsaKeyPair", "RamRoleArnWithRoleName"];

/// Reads the profile named by `ALIBABA_CLOUD_PROFILE`, else the file's `current`, from
/// `~/.aliyun/config.json` at each call. Provider names: `cli_profile/static_ak`,
/// `cli_profile/static_sts`, `cli_profile/ram_role_arn`, `cli_profile/chainable_ram_role_arn`,
/// `cli_profile/ecs_ram_role`, `cli_profile/oidc_role_arn`, `cli_profile/cloud_sso`,
/// `cli_profile/external`, `cli_profile/credentials_uri`. A `CloudSSO` profile asks the
/// CloudSSO portal with the login the CLI saved in it ([`CloudSsoProvider`]), unless the STS
/// credentials the CLI saved with that login stay valid for more than 15 minutes; an `External`
/// profile runs its `process_command` ([`ExternalProcessProvider`]); a `CredentialsURI` one
/// asks its `credentials_uri` ([`CredentialsUriProvider`]). A `ChainableRamRoleArn` profile
/// assumes its role with the credentials of its `source_profile`, which may chain further (a
/// cycle is an error). An unknown mode is an error.
#[derive(Clone, Debug)]
pub struct CliProfileProvider {
    env: Env,
    path: Option<PathBuf>,
    delegates: Delegates,
}

impl CliProfileProvider {
    /// A provider reading `<home>/.aliyun/config.json` of `env`, asking the metadata service
    /// and STS configured by `env` for `EcsRamRole`, `RamRoleArn` and `OIDC` profiles.
    pub fn new(env: Env) -> Self {
        let delegates = Delegates::from_env(&env);
        Self { env, path: None, delegates }
    }

    /// Reads this file instead of `~/.aliyun/config.json`.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The metadata provider `EcsRamRole` profiles use; their `ram_role_name` is set on it.
    pub fn with_ecs_metadata(mut self, provider: EcsRamRoleProvider) -> Self {
        self.delegates.ecs_metadata = provider;
        self
    }

    /// The STS base URL the `OIDC`, `RamRoleArn` and `ChainableRamRoleArn` profiles without an
    /// `sts_region` call.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.delegates.sts_endpoint = endpoint.into();
        self
    }

    /// The credentials of the profile named `chosen` (else the selected one). `chain` holds
    /// the profiles whose `source_profile` led here, to refuse a cycle.
    fn load_profile(
        &self,
        chosen: Option<String>,
        chain: Vec<String>,
    ) -> Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + '_>> {
        Box::pin(async move {
            let selected = SelectedProfile::read_named(&self.env, self.path.as_deref(), chosen)?;
            let profile = Fields {
                shown: &selected.shown,
                prefix: format!("profiles[{}].", selected.index),
                map: &selected.fields,
            };
            let profile_name = &selected.name;
            match profile.text("mode")? {
                "AK" => Ok(Credentials::new(profile.text("access_key_id")?, profile.text("access_key_secret")?)
                    .with_provider_name("cli_profile/static_ak")),
                "StsToken" => Ok(Credentials::new(profile.text("access_key_id")?, profile.text("access_key_secret")?)
                    .with_security_token(profile.text("sts_token")?)
                    .with_provider_name("cli_profile/static_sts")),
                "RamRoleArn" => {
                    let source = Credentials::new(profile.text("access_key_id")?, profile.text("access_key_secret")?);
                    // Temporary source credentials carry their token here, as the aliyun CLI reads it.
                    let source = match profile.optional("sts_token")? {
                        Some(token) => source.with_security_token(token),
                        None => source,
                    };
                    let provider = self.role_provider(source, &profile)?;
                    let context = format!("profile `{profile_name}` (mode RamRoleArn)");
                    fetch(&provider, NAME, &context, "cli_profile/ram_role_arn").await
                }
                "ChainableRamRoleArn" => {
                    let source_name = profile.text("source_profile")?;
                    let mut chain = chain;
                    chain.push(profile_name.clone());
                    if chain.iter().any(|seen| seen == source_name) {
                        return Err(profile.invalid(format!(
                            "`{}source_profile` leads back to `{source_name}`: {} → {source_name}",
                            profile.prefix,
                            chain.join(" → ")
                        )));
                    }
                    let source = self.load_profile(Some(source_name.to_owned()), chain).await?;
                    let provider = self.role_provider(source, &profile)?;
                    let context = format!("profile `{profile_name}` (mode ChainableRamRoleArn)");
                    fetch(&provider, NAME, &context, "cli_profile/chainable_ram_role_arn").await
                }
                "EcsRamRole" => {
                    let context = format!("profile `{profile_name}` (mode EcsRamRole)");
                    let role_name = profile.optional("ram_role_name")?;
                    self.delegates.ecs_ram_role(role_name, NAME, &context, "cli_profile/ecs_ram_role").await
                }
                "OIDC" => {
                    let provider = self.delegates.oidc(
                        profile.text("ram_role_arn")?,
                        profile.text("oidc_provider_arn")?,
                        profile.text("oidc_token_file")?,
                    );
                    let provider = match profile.optional("ram_session_name")? {
                        Some(name) => provider.with_role_session_name(name),
                        None => provider,
                    };
                    let provider = match profile.optional("policy")? {
                        Some(policy) => provider.with_policy(policy),
                        None => provider,
                    };
                    let provider = match session_duration(&profile)? {
                        Some(duration) => provider.with_duration(duration),
                        None => provider,
                    };
                    let provider = match regional_sts_endpoint_of(&profile)? {
                        Some(endpoint) => provider.with_sts_endpoint(endpoint),
                        None => provider,
                    };
                    let context = format!("profile `{profile_name}` (mode OIDC)");
                    fetch(&provider, NAME, &context, "cli_profile/oidc_role_arn").await
                }
                "CloudSSO" => {
                    if let Some(saved) = saved_cloud_sso_credentials(&profile)? {
                        return Ok(saved);
                    }
                    let field = "cloud_sso_access_token_expire";
                    let expiry = profile
                        .unix_time(field)?
                        .ok_or_else(|| profile.invalid(format!("`{}{field}` is missing", profile.prefix)))?;
                    let provider = CloudSsoProvider::new(
                        profile.text("cloud_sso_sign_in_url")?,
                        profile.text("cloud_sso_account_id")?,
                        profile.text("cloud_sso_access_config")?,
                        profile.text("access_token")?,
                        expiry,
                    )
                    .with_proxies(self.delegates.proxies.clone());
                    let context = format!("profile `{profile_name}` (mode CloudSSO)");
                    fetch(&provider, NAME, &context, "cli_profile/cloud_sso").await
                }
                "CredentialsURI" => {
                    let provider = CredentialsUriProvider::new(profile.text("credentials_uri")?);
                    let context = format!("profile `{profile_name}` (mode CredentialsURI)");
                    fetch(&provider, NAME, &context, "cli_profile/credentials_uri").await
                }
                "External" => {
                    let provider = ExternalProcessProvider::new(profile.text("process_command")?);
                    let context = format!("profile `{profile_name}` (mode External)");
                    fetch(&provider, NAME, &context, "cli_profile/external").await
                }
                unsupported if UNSUPPORTED_MODES.contains(&unsupported) => Err(CredentialsError::new(
                    NAME,
                    CredentialsErrorKind::Unsupported,
                    format!(
                        "{}: `{}mode` is `{unsupported}`, which this SDK does not support yet ({SUPPORTED_MODES})",
                        profile.shown, profile.prefix
                    ),
                )),
                unknown => Err(profile
                    .invalid(format!("`{}mode` is `{unknown}`, an unknown mode ({SUPPORTED_MODES})", profile.prefix))),
            }
        })
    }

    /// A provider assuming the profile's `ram_role_arn` with `source`, configured by its
    /// `ram_session_name`, `expired_seconds`, `policy`, `external_id`, `sts_region` and
    /// `enable_vpc`.
    fn role_provider(&self, source: Credentials, profile: &Fields<'_>) -> Result<RamRoleArnProvider, CredentialsError> {
        let mut provider = RamRoleArnProvider::new(StaticProvider::new(source), profile.text("ram_role_arn")?)
            .with_sts_endpoint(&self.delegates.sts_endpoint)
            .with_proxies(self.delegates.proxies.clone());
        if let Some(name) = profile.optional("ram_session_name")? {
            provider = provider.with_role_session_name(name);
        }
        if let Some(policy) = profile.optional("policy")? {
            provider = provider.with_policy(policy);
        }
        if let Some(external_id) = profile.optional("external_id")? {
            provider = provider.with_external_id(external_id);
        }
        if let Some(duration) = session_duration(profile)? {
            provider = provider.with_duration(duration);
        }
        if let Some(endpoint) = regional_sts_endpoint_of(profile)? {
            provider = provider.with_sts_endpoint(endpoint);
        }
        Ok(provider)
    }
}

/// The session duration of the profile's `expired_seconds`; `None` when it is absent or 0,
/// which the aliyun CLI writes into every profile to mean "not set" (STS's default applies).
fn session_duration(profile: &Fields<'_>) -> Result<Option<Duration>, CredentialsError> {
    let seconds = SelectedProfile::whole_number_in(profile.map, "expired_seconds", &profile.prefix);
    let seconds = seconds.transpose().map_err(|why| profile.invalid(why))?;
    Ok(seconds.filter(|s| *s > 0).map(Duration::from_secs))
}

/// The STS endpoint of the profile's `sts_region` (`sts-vpc` when `enable_vpc` is true), which
/// the `RamRoleArn`, `ChainableRamRoleArn` and `OIDC` modes call; `None` without a region.
fn regional_sts_endpoint_of(profile: &Fields<'_>) -> Result<Option<String>, CredentialsError> {
    let Some(region) = profile.optional("sts_region")? else {
        return Ok(None);
    };
    if let Some(why) = crate::config::region_problem(region) {
        return Err(profile.invalid(format!("`{}sts_region`: {why}", profile.prefix)));
    }
    let vpc = match profile.map.get("enable_vpc") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(vpc)) => *vpc,
        Some(_) => return Err(profile.invalid(format!("`{}enable_vpc` is not true or false", profile.prefix))),
    };
    Ok(Some(regional_sts_endpoint(region, vpc)))
}

/// The STS credentials the CLI saved in a `CloudSSO` profile at its last login
/// (`access_key_id`, `access_key_secret`, `sts_token`, `sts_expiration`), when they are all
/// there and stay valid for longer than a cache's default refresh margin: using them saves
/// asking the portal, and still works after the login itself has expired. (The CLI saves them
/// with the profile's account and access configuration; a profile edited by hand since its
/// login still hands them out until they expire.)
fn saved_cloud_sso_credentials(profile: &Fields<'_>) -> Result<Option<Credentials>, CredentialsError> {
    let Some(expiry) = profile.unix_time("sts_expiration")? else {
        return Ok(None);
    };
    let deadline = SystemTime::now().checked_add(CredentialsCache::DEFAULT_REFRESH_BEFORE);
    if deadline.is_none_or(|deadline| deadline >= expiry) {
        return Ok(None);
    }
    let (Some(id), Some(secret), Some(token)) =
        (profile.optional("access_key_id")?, profile.optional("access_key_secret")?, profile.optional("sts_token")?)
    else {
        return Ok(None);
    };
    let credentials = Credentials::new(id, secret).with_security_token(token).with_expiry(expiry);
    Ok(Some(credentials.with_provider_name("cli_profile/cloud_sso")))
}

/// The modes this provider loads, for messages.
const SUPPORTED_MODES: &str =
    "supported: AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CloudSSO, External, CredentialsURI";

/// The fields of one profile, read with errors that name the file and the JSON path.
struct Fields<'a> {
    shown: &'a str,
    /// `profiles[<index>].`
    prefix: String,
    map: &'a Map<String, Value>,
}

impl Fields<'_> {
    fn invalid(&self, why: String) -> CredentialsError {
        CredentialsError::new(NAME, CredentialsErrorKind::InvalidConfig, format!("{}: {why}", self.shown))
    }

    /// The non-empty string field `name`.
    fn text(&self, name: &str) -> Result<&str, CredentialsError> {
        text_field(self.map, name, &self.prefix).map_err(|why| self.invalid(why))
    }

    /// The time given in whole seconds since the Unix epoch at field `name`; `None` when absent
    /// or null.
    fn unix_time(&self, name: &str) -> Result<Option<SystemTime>, CredentialsError> {
        let Some(seconds) = SelectedProfile::whole_number_in(self.map, name, &self.prefix) else {
            return Ok(None);
        };
        let seconds = seconds.map_err(|why| self.invalid(why))?;
        let time = UNIX_EPOCH.checked_add(Duration::from_secs(seconds));
        time.map(Some).ok_or_else(|| self.invalid(format!("`{}{name}` is too far in the future", self.prefix)))
    }

    /// The string field `name`; `None` when absent, null or empty.
    fn optional(&self, name: &str) -> Result<Option<&str>, CredentialsError> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(value)) if value.is_empty() => Ok(None),
            Some(_) => self.text(name).map(Some),
        }
    }
}

/// The profile of `~/.aliyun/config.json` (or another file) that `ALIBABA_CLOUD_PROFILE`, else
/// the file's `current`, selects. Also read by the configuration loader for region, timeouts
/// and retries.
pub(crate) struct SelectedProfile {
    /// The file, for messages.
    pub(crate) shown: String,
    /// Its index in `profiles`, for JSON paths in messages.
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) fields: Map<String, Value>,
}

impl SelectedProfile {
    /// Reads the file and finds the profile. A missing home directory or file is
    /// [`CredentialsErrorKind::NotConfigured`]; anything malformed is `InvalidConfig`.
    pub(crate) fn read(env: &Env, path: Option<&std::path::Path>) -> Result<Self, CredentialsError> {
        Self::read_named(env, path, None)
    }

    /// Reads the file and finds the profile named `chosen`, else the selected one.
    fn read_named(env: &Env, path: Option<&std::path::Path>, chosen: Option<String>) -> Result<Self, CredentialsError> {
        let path = match path {
            Some(path) => path.to_owned(),
            None => env.home_dir().map(|home| home.join(".aliyun").join("config.json")).ok_or_else(|| {
                CredentialsError::new(
                    NAME,
                    CredentialsErrorKind::NotConfigured,
                    "no home directory (HOME is not set) to find .aliyun/config.json in",
                )
            })?,
        };
        let shown = path.display().to_string();
        let invalid = |message: String| CredentialsError::new(NAME, CredentialsErrorKind::InvalidConfig, message);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let kind = if e.kind() == std::io::ErrorKind::NotFound {
                CredentialsErrorKind::NotConfigured
            } else {
                CredentialsErrorKind::InvalidConfig
            };
            CredentialsError::new(NAME, kind, format!("cannot read {shown}")).with_source(e)
        })?;
        let document: Value =
            serde_json::from_str(&text).map_err(|e| invalid(format!("{shown} is not valid JSON")).with_source(e))?;
        let Value::Object(mut root) = document else {
            return Err(invalid(format!("{shown}: the top level is not a JSON object")));
        };
        // `ALIBABA_CLOUD_PROFILE` also selects the section of the INI credentials file, so a
        // name it gives that this file lacks means this file is not configured for it; a
        // missing `current` or `source_profile` target is a broken file.
        let variable = if chosen.is_none() { env.get("ALIBABA_CLOUD_PROFILE") } else { None };
        let from_variable = variable.is_some();
        let name = match chosen.or(variable) {
            Some(name) => name,
            None => text_field(&root, "current", "")
                .map_err(|why| invalid(format!("{shown}: {why}, and ALIBABA_CLOUD_PROFILE is not set")))?
                .to_owned(),
        };
        let Some(Value::Array(profiles)) = root.remove("profiles") else {
            return Err(invalid(format!("{shown}: `profiles` is missing or not an array")));
        };
        let found = profiles.into_iter().enumerate().find_map(|(index, profile)| match profile {
            Value::Object(fields) if fields.get("name").and_then(Value::as_str) == Some(&name) => Some((index, fields)),
            _ => None,
        });
        let Some((index, fields)) = found else {
            let kind =
                if from_variable { CredentialsErrorKind::NotConfigured } else { CredentialsErrorKind::InvalidConfig };
            return Err(CredentialsError::new(NAME, kind, format!("{shown}: no profile named `{name}` in `profiles`")));
        };
        Ok(Self { shown, index, name, fields })
    }

    /// The non-negative whole number (or text of one) at the profile's `field`, if present;
    /// the error names the field's JSON path.
    pub(crate) fn whole_number(&self, field: &str) -> Option<Result<u64, String>> {
        Self::whole_number_in(&self.fields, field, &format!("profiles[{}].", self.index))
    }

    fn whole_number_in(fields: &Map<String, Value>, field: &str, prefix: &str) -> Option<Result<u64, String>> {
        let parsed = match fields.get(field)? {
            Value::Null => return None,
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        Some(parsed.ok_or_else(|| format!("`{prefix}{field}` is not a whole number")))
    }
}

/// The non-empty string at `object[field]`, or why not (naming `<prefix><field>`, never the value).
fn text_field<'a>(object: &'a Map<String, Value>, field: &str, prefix: &str) -> Result<&'a str, String> {
    match object.get(field) {
        None | Some(Value::Null) => Err(format!("`{prefix}{field}` is missing")),
        Some(Value::String(value)) if value.is_empty() => Err(format!("`{prefix}{field}` is empty")),
        Some(Value::String(value)) => Ok(value),
        Some(_) => Err(format!("`{prefix}{field}` is not a string")),
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load_profile(None, Vec::new()))
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
