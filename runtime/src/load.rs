//! Loading configuration the way Alibaba's tools do: credentials from the default chain,
//! region, timeouts and retries from environment variables and the selected aliyun CLI
//! profile, proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.

use crate::config::{ConfigBuilder, Proxies};
use crate::credentials::cli_profile::SelectedProfile;
use crate::credentials::{CredentialsCache, CredentialsErrorKind, DefaultCredentialsChain};
use crate::env::Env;
use crate::error::ConfigError;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// Region variables, in the order the aliyun CLI reads them.
const REGION_VARIABLES: [&str; 3] = ["ALIBABA_CLOUD_REGION_ID", "ALIBABACLOUD_REGION_ID", "ALICLOUD_REGION_ID"];

impl ConfigBuilder {
    /// A builder loaded from `env` (use [`Env::process`] for the real environment):
    ///
    /// | setting | from (first found) |
    /// |---|---|
    /// | credentials | the default chain (environment, OIDC, CLI profile, credentials file, ECS RAM role, credentials URI), cached and refreshed |
    /// | region | `ALIBABA_CLOUD_REGION_ID`, `ALIBABACLOUD_REGION_ID`, `ALICLOUD_REGION_ID`, the CLI profile's `region_id` |
    /// | endpoint | `ALIBABA_CLOUD_ENDPOINT_URL` (this SDK's own variable) |
    /// | connect / read timeout | `ALIBABA_CLOUD_CONNECT_TIMEOUT` / `ALIBABA_CLOUD_READ_TIMEOUT`, the CLI profile's `connect_timeout` / `retry_timeout`, all in seconds |
    /// | attempts | `ALIBABA_CLOUD_MAX_ATTEMPTS` (this SDK's own variable), `ALIBABA_CLOUD_RETRY_COUNT` + 1, the CLI profile's `retry_count` + 1 |
    /// | proxies | `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (or lower case) |
    ///
    /// The timeouts and the retry count are read as the aliyun CLI writes them, in its profiles
    /// and in the variables it sets for its plugins: whole seconds, and 0 for "not set" (the
    /// defaults stay). The profile's read timeout is the field the CLI calls `retry_timeout`.
    ///
    /// The CLI profile is the one `ALIBABA_CLOUD_PROFILE` names, else the file's `current`;
    /// none is read when `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` or when the file has no
    /// profile of the name `ALIBABA_CLOUD_PROFILE` gives (it also names a section of the
    /// credentials file). A value that cannot be read (a malformed number, a broken profile
    /// file) makes `build` fail naming the variable or the file and field.
    pub fn from_env(env: &Env) -> ConfigBuilder {
        let mut builder = ConfigBuilder::default();
        builder.credentials = Some(Arc::new(CredentialsCache::new(DefaultCredentialsChain::new(env.clone()))));
        // Settings come from the CLI profile only when the chain may use it too.
        let disabled = env.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED");
        let profile = match (!disabled).then(|| SelectedProfile::read(env, None)) {
            None => None,
            Some(Ok(profile)) => Some(profile),
            Some(Err(e)) if e.kind() == CredentialsErrorKind::NotConfigured => None,
            Some(Err(e)) => {
                builder.load_error.get_or_insert(ConfigError(e.to_string()));
                None
            }
        };
        let profile = profile.as_ref();
        builder.region = region(env, profile).transpose();
        if let Some(url) = env.get("ALIBABA_CLOUD_ENDPOINT_URL") {
            builder = builder.endpoint_url(url);
            if let Some(Err(e)) = &mut builder.endpoint {
                e.0 = format!("ALIBABA_CLOUD_ENDPOINT_URL: {}", e.0);
            }
        }
        let error = &mut builder.load_error;
        let connect = first_set(
            [number(env, "ALIBABA_CLOUD_CONNECT_TIMEOUT"), profile_number(profile, "connect_timeout")],
            error,
        );
        let read =
            first_set([number(env, "ALIBABA_CLOUD_READ_TIMEOUT"), profile_number(profile, "retry_timeout")], error);
        let retries =
            first_set([number(env, "ALIBABA_CLOUD_RETRY_COUNT"), profile_number(profile, "retry_count")], error);
        let max_attempts = match number(env, "ALIBABA_CLOUD_MAX_ATTEMPTS") {
            Some(Ok(0)) => {
                error.get_or_insert(ConfigError(
                    "ALIBABA_CLOUD_MAX_ATTEMPTS=`0`: a call makes at least 1 attempt".into(),
                ));
                None
            }
            Some(Ok(attempts)) => Some(attempts),
            Some(Err(e)) => {
                error.get_or_insert(e);
                None
            }
            None => None,
        };
        if let Some(seconds) = connect {
            builder = builder.connect_timeout(Duration::from_secs(seconds));
        }
        if let Some(seconds) = read {
            builder = builder.read_timeout(Duration::from_secs(seconds));
        }
        if let Some(attempts) = max_attempts.or(retries.map(|retries| retries.saturating_add(1))) {
            let attempts = u32::try_from(attempts).unwrap_or(u32::MAX);
            builder.retry = builder.retry.clone().with_max_attempts(attempts);
        }
        builder.proxies = Proxies::from_env(env);
        builder
    }
}

/// A non-negative whole number in variable `name`, if set.
fn number(env: &Env, name: &str) -> Option<Result<u64, ConfigError>> {
    let text = env.get(name)?;
    Some(text.trim().parse().map_err(|_| ConfigError(format!("{name}=`{text}` is not a whole number"))))
}

/// The first of `sources` that is set and not 0, which the aliyun CLI writes for a setting it
/// leaves unset. Every source is read, so that one that cannot be read is reported in `error`
/// even when an earlier one is set.
fn first_set<const N: usize>(
    sources: [Option<Result<u64, ConfigError>>; N],
    error: &mut Option<ConfigError>,
) -> Option<u64> {
    let mut found = None;
    for source in sources {
        match source {
            Some(Err(e)) => {
                error.get_or_insert(e);
            }
            Some(Ok(n)) if n != 0 => found = found.or(Some(n)),
            _ => {}
        }
    }
    found
}

/// A non-negative whole number at the profile's `field`, if present.
fn profile_number(profile: Option<&SelectedProfile>, field: &str) -> Option<Result<u64, ConfigError>> {
    let profile = profile?;
    Some(profile.whole_number(field)?.map_err(|why| ConfigError(format!("{}: {why}", profile.shown))))
}

/// The region of the first region variable set, else of the profile's `region_id`; an error
/// naming the variable or the field when it is not a region id.
fn region(env: &Env, profile: Option<&SelectedProfile>) -> Result<Option<String>, ConfigError> {
    let (source, region) = match REGION_VARIABLES.iter().find_map(|name| Some((*name, env.get(name)?))) {
        Some((name, region)) => (name.to_owned(), region),
        None => {
            let Some(profile) = profile else { return Ok(None) };
            let source = format!("{}: `profiles[{}].region_id`", profile.shown, profile.index);
            match profile.fields.get("region_id") {
                None | Some(Value::Null) => return Ok(None),
                Some(Value::String(region)) if region.is_empty() => return Ok(None),
                Some(Value::String(region)) => (source, region.clone()),
                Some(_) => return Err(ConfigError(format!("{source} is not a string"))),
            }
        }
    };
    match crate::config::region_problem(&region) {
        Some(why) => Err(ConfigError(format!("{source}: {why}"))),
        None => Ok(Some(region)),
    }
}
