//! What the ECS metadata, credentials-URI and STS role providers share: an HTTP client with
//! connect and read timeouts, sending a request and reading a 200 body, the credentials JSON
//! the services answer (`Code`, `AccessKeyId`, `AccessKeySecret`, `SecurityToken`,
//! `Expiration`), and the settings of an assumed-role session.

use super::{Credentials, CredentialsError, CredentialsErrorKind};
use crate::signing::parse_timestamp;
use serde_json::{Map, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// STS's shortest session.
const MINIMUM_SESSION: Duration = Duration::from_secs(900);

/// A client that neither follows redirects nor uses a proxy: both services are local to the
/// host or its network, and proxy settings come from the process environment, not an `Env`.
pub(crate) fn http_client(
    provider: &'static str,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Result<reqwest::Client, CredentialsError> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .map_err(|e| {
            CredentialsError::new(provider, CredentialsErrorKind::Transport, "cannot build the HTTP client")
                .with_source(e.without_url())
        })
}

/// Sends `request` and returns the body of a 200 answer. `what` names the request in errors
/// (e.g. `GET http://100.100.100.200/latest/api/token`) and must hold no secret.
pub(crate) async fn send(
    provider: &'static str,
    what: &str,
    request: reqwest::RequestBuilder,
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
        return Err(CredentialsError::new(
            provider,
            CredentialsErrorKind::Transport,
            format!("{what} answered HTTP {}{service_error}, expected 200", status.as_u16()),
        ));
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

/// The session name to send: the one given, else `credentials-rust-<unix time>`.
pub(crate) fn role_session_name(given: Option<&str>) -> String {
    match given {
        Some(name) => name.to_owned(),
        None => {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
            format!("credentials-rust-{}", now.as_secs())
        }
    }
}

/// `DurationSeconds` for a session of `duration`; an error below STS's minimum of 900 s.
pub(crate) fn session_seconds(provider: &'static str, duration: Duration) -> Result<String, CredentialsError> {
    if duration < MINIMUM_SESSION {
        return Err(CredentialsError::new(
            provider,
            CredentialsErrorKind::InvalidConfig,
            format!("the duration is {} s, below STS's minimum of {} s", duration.as_secs(), MINIMUM_SESSION.as_secs()),
        ));
    }
    Ok(duration.as_secs().to_string())
}

/// The temporary credentials in STS's answer `body` to `what`: its `Credentials` object.
pub(crate) fn sts_credentials(provider: &'static str, what: &str, body: &str) -> Result<Credentials, CredentialsError> {
    let invalid = |message: String| CredentialsError::new(provider, CredentialsErrorKind::InvalidResponse, message);
    let answer: Value = serde_json::from_str(body)
        .map_err(|e| invalid(format!("{what} answered a body that is not JSON")).with_source(e))?;
    let Some(Value::Object(fields)) = answer.get("Credentials") else {
        return Err(invalid(format!("{what} answered no `Credentials` object")));
    };
    Ok(credentials_from_fields(provider, what, fields, "Credentials.")?.with_provider_name(provider))
}

/// Reads `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration` from `fields`,
/// whose JSON path is `path` (e.g. `Credentials.`, or empty at the top level).
pub(crate) fn credentials_from_fields(
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
