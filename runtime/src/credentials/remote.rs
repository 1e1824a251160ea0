//! What the ECS metadata, credentials-URI, STS role and CloudSSO providers share: an HTTP
//! client with connect and read timeouts and proxies, sending a request and reading a 200 body, the
//! credentials JSON the services answer (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`,
//! `Expiration`, at the top level with a `Code` or in an object), and the settings of an
//! assumed-role session.

use super::{Credentials, CredentialsError, CredentialsErrorKind, Secret};
use crate::config::Proxies;
use crate::signing::parse_timestamp;
use serde_json::{Map, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// STS's shortest session.
const MINIMUM_SESSION: Duration = Duration::from_secs(900);

/// A client that does not follow redirects and sends through `proxies` only (none for the
/// metadata service, which is local to the host, and for a credentials URI).
pub(crate) fn http_client(
    provider: &'static str,
    connect_timeout: Duration,
    read_timeout: Duration,
    proxies: &Proxies,
) -> Result<reqwest::Client, CredentialsError> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .redirect(reqwest::redirect::Policy::none());
    let builder = proxies
        .apply(builder)
        .map_err(|why| CredentialsError::new(provider, CredentialsErrorKind::InvalidConfig, why))?;
    builder.build().map_err(|e| {
        CredentialsError::new(provider, CredentialsErrorKind::Transport, "cannot build the HTTP client")
            .with_source(e.without_url())
    })
}

/// Sends `request` and returns the body of a 200 answer. `what` names the request in errors
/// (e.g. `GET http://100.100.100.200/latest/api/token`) and must hold no secret; `hidden` is
/// the secret the request carries, redacted from the service's error message (STS quotes the
/// string it signed, with the source's security token, when a signature does not match).
pub(crate) async fn send(
    provider: &'static str,
    what: &str,
    request: reqwest::RequestBuilder,
    hidden: Option<&Secret>,
) -> Result<String, CredentialsError> {
    let transport = |e: reqwest::Error| {
        let (kind, why) = if e.is_timeout() {
            (CredentialsErrorKind::Timeout, "timed out")
        } else if e.is_connect() {
            (CredentialsErrorKind::Transport, "could not connect")
        } else {
            (CredentialsErrorKind::Transport, "failed")
        };
        CredentialsError::new(provider, kind, format!("{what} {why}")).with_source(e.without_url())
    };
    let response = request.send().await.map_err(transport)?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        let service_error = response.text().await.ok().as_deref().and_then(service_error).unwrap_or_default();
        let message = format!("{what} answered HTTP {}{service_error}, expected 200", status.as_u16());
        let message = match hidden {
            Some(secret) => secret.redact_from(&message).into_owned(),
            None => message,
        };
        return Err(CredentialsError::new(provider, CredentialsErrorKind::Transport, message));
    }
    response.text().await.map_err(transport)
}

/// ` (Code: Message)` of an Alibaba Cloud JSON error body, e.g. STS's.
fn service_error(body: &str) -> Option<String> {
    let error: Value = serde_json::from_str(body).ok()?;
    let code = error.get("Code")?.as_str()?;
    let message = error.get("Message").and_then(Value::as_str).map(|m| format!(": {m}")).unwrap_or_default();
    Some(format!(" ({code}{message})"))
}

/// Reads the credentials document `body` that `what` answered. Errors name the JSON field
/// and never quote a credential value.
pub(crate) fn parse_credentials_document(
    provider: &'static str,
    what: &str,
    body: &str,
) -> Result<Credentials, CredentialsError> {
    let invalid = |message: String| CredentialsError::new(provider, CredentialsErrorKind::InvalidResponse, message);
    let document: Value = serde_json::from_str(body)
        .map_err(|e| invalid(format!("{what} answered a body that is not JSON")).with_source(e))?;
    let Value::Object(fields) = document else {
        return Err(invalid(format!("{what} answered JSON that is not an object")));
    };
    let code = text_field(provider, what, &fields, "", "Code")?;
    if code != "Success" {
        let message = fields.get("Message").and_then(Value::as_str).map(|m| format!(" ({m})")).unwrap_or_default();
        return Err(invalid(format!("{what} answered `Code` {code:?}{message}, expected \"Success\"")));
    }
    credentials_from_fields(provider, what, &fields, "")
}

/// The settings of an assumed-role session, shared by the STS role providers (RAM role and
/// OIDC), which expose them with `role_session_setters!`.
#[derive(Clone, Debug)]
pub(crate) struct RoleSession {
    pub(crate) name: Option<String>,
    pub(crate) duration: Duration,
    pub(crate) policy: Option<String>,
    pub(crate) sts_endpoint: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    /// The proxies STS is reached through: those of the `Env` the provider was made from.
    pub(crate) proxies: Proxies,
}

impl RoleSession {
    pub(crate) const DEFAULT_STS_ENDPOINT: &'static str = "https://sts.aliyuncs.com";
    pub(crate) const DEFAULT_DURATION: Duration = Duration::from_secs(3600);

    pub(crate) fn new() -> Self {
        Self {
            name: None,
            duration: Self::DEFAULT_DURATION,
            policy: None,
            sts_endpoint: Self::DEFAULT_STS_ENDPOINT.to_owned(),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            proxies: Proxies::default(),
        }
    }

    /// The session name to send: the one given, else `credentials-rust-<unix time>`.
    pub(crate) fn name(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => {
                let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
                format!("credentials-rust-{}", now.as_secs())
            }
        }
    }

    /// `DurationSeconds`; an error below STS's minimum of 900 s.
    pub(crate) fn duration_seconds(&self, provider: &'static str) -> Result<String, CredentialsError> {
        let seconds = self.duration.as_secs();
        if self.duration < MINIMUM_SESSION {
            let minimum = MINIMUM_SESSION.as_secs();
            let message = format!("the duration is {seconds} s, below STS's minimum of {minimum} s");
            return Err(CredentialsError::new(provider, CredentialsErrorKind::InvalidConfig, message));
        }
        Ok(seconds.to_string())
    }

    /// The STS base URL, checked before anything is sent: a scheme and a host (and port)
    /// only. A region set into it (`ALIBABA_CLOUD_STS_REGION`) could otherwise move the host:
    /// `x@evil.example#` would send the request, and an OIDC token in it, to `evil.example`.
    pub(crate) fn checked_sts_endpoint(&self, provider: &'static str) -> Result<&str, CredentialsError> {
        match crate::config::parse_endpoint(&self.sts_endpoint) {
            Ok(_) => Ok(&self.sts_endpoint),
            Err(why) => Err(CredentialsError::new(
                provider,
                CredentialsErrorKind::InvalidConfig,
                format!(
                    "the STS {why}: it must be a base URL, e.g. `https://sts.cn-hangzhou.aliyuncs.com`; an STS \
                     region (ALIBABA_CLOUD_STS_REGION) becomes part of it"
                ),
            )),
        }
    }

    /// A client with the session's connect and read timeouts.
    pub(crate) fn http_client(&self, provider: &'static str) -> Result<reqwest::Client, CredentialsError> {
        http_client(provider, self.connect_timeout, self.read_timeout, &self.proxies)
    }
}

/// The public constants and setters of a provider whose `session` field is a `RoleSession`.
macro_rules! role_session_setters {
    () => {
        /// The public STS endpoint.
        pub const DEFAULT_STS_ENDPOINT: &'static str = RoleSession::DEFAULT_STS_ENDPOINT;
        /// The default lifetime of the credentials asked for.
        pub const DEFAULT_DURATION: Duration = RoleSession::DEFAULT_DURATION;

        /// Names the assumed-role session.
        pub fn with_role_session_name(mut self, name: impl Into<String>) -> Self {
            self.session.name = Some(name.into());
            self
        }

        /// Asks for credentials valid this long (at least 900 s; checked when loading).
        pub fn with_duration(mut self, duration: Duration) -> Self {
            self.session.duration = duration;
            self
        }

        /// Restricts the credentials with a RAM policy document.
        pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
            self.session.policy = Some(policy.into());
            self
        }

        /// Sets the STS base URL, e.g. `http://127.0.0.1:8080` in tests.
        pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
            self.session.sts_endpoint = endpoint.into().trim_end_matches('/').to_owned();
            self
        }

        /// Sets the connect and read timeouts.
        pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
            self.session.connect_timeout = connect;
            self.session.read_timeout = read;
            self
        }

        /// The STS base URL.
        pub fn sts_endpoint(&self) -> &str {
            &self.session.sts_endpoint
        }

        /// Reaches STS through the proxies `env` sets (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, or
        /// lower case); loopback hosts stay direct.
        pub fn with_proxies_of(self, env: &crate::Env) -> Self {
            self.with_proxies(crate::config::Proxies::from_env(env))
        }

        /// Reaches STS through `proxies`.
        pub(crate) fn with_proxies(mut self, proxies: crate::config::Proxies) -> Self {
            self.session.proxies = proxies;
            self
        }
    };
}
pub(crate) use role_session_setters;

/// The temporary credentials in the `object` of the answer `body` to `what`: `Credentials` in
/// STS's answers, `CloudCredential` in the CloudSSO portal's.
pub(crate) fn credentials_in(
    provider: &'static str,
    what: &str,
    body: &str,
    object: &str,
) -> Result<Credentials, CredentialsError> {
    let invalid = |message: String| CredentialsError::new(provider, CredentialsErrorKind::InvalidResponse, message);
    let answer: Value = serde_json::from_str(body)
        .map_err(|e| invalid(format!("{what} answered a body that is not JSON")).with_source(e))?;
    let Some(Value::Object(fields)) = answer.get(object) else {
        return Err(invalid(format!("{what} answered no `{object}` object")));
    };
    Ok(credentials_from_fields(provider, what, fields, &format!("{object}."))?.with_provider_name(provider))
}

/// Reads `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration` from `fields`,
/// whose JSON path is `path` (e.g. `Credentials.`, or empty at the top level).
fn credentials_from_fields(
    provider: &'static str,
    what: &str,
    fields: &Map<String, Value>,
    path: &str,
) -> Result<Credentials, CredentialsError> {
    let text = |field: &str| text_field(provider, what, fields, path, field);
    let access_key_id = text("AccessKeyId")?;
    let access_key_secret = text("AccessKeySecret")?;
    let security_token = text("SecurityToken")?;
    let expiration = text("Expiration")?;
    let expiry = parse_timestamp(expiration).ok_or_else(|| {
        CredentialsError::new(
            provider,
            CredentialsErrorKind::InvalidResponse,
            format!("{what} answered `{path}Expiration` {expiration:?}, expected a UTC time like 2024-01-01T06:00:00Z"),
        )
    })?;
    Ok(Credentials::new(access_key_id, access_key_secret).with_security_token(security_token).with_expiry(expiry))
}

/// The non-empty string `fields[field]`; errors name `<path><field>`, never the value.
fn text_field<'a>(
    provider: &'static str,
    what: &str,
    fields: &'a Map<String, Value>,
    path: &str,
    field: &str,
) -> Result<&'a str, CredentialsError> {
    let why = match fields.get(field) {
        Some(Value::String(s)) if !s.is_empty() => return Ok(s),
        None | Some(Value::Null) => "no",
        Some(Value::String(_)) => "an empty",
        Some(_) => "a non-string",
    };
    Err(CredentialsError::new(
        provider,
        CredentialsErrorKind::InvalidResponse,
        format!("{what} answered {why} `{path}{field}`"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_errors_name_the_field_not_the_value() {
        let body =
            r#"{"Code":"Success","AccessKeyId":"id","AccessKeySecret":12345,"SecurityToken":"t","Expiration":"x"}"#;
        let error = parse_credentials_document("p", "GET u", body).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse);
        assert!(error.message().contains("a non-string `AccessKeySecret`"), "{error}");
        assert!(!error.to_string().contains("12345"));
    }
}
