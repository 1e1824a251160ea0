//! What the ECS metadata and credentials-URI providers share: an HTTP client with connect
//! and read timeouts, sending a request and reading a 200 body, and the credentials JSON
//! document both services answer (`Code`, `AccessKeyId`, `AccessKeySecret`, `SecurityToken`,
//! `Expiration`).

use super::{Credentials, CredentialsError, CredentialsErrorKind};
use serde_json::Value;
use std::time::{Duration, SystemTime};

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
        return Err(CredentialsError::new(
            provider,
            CredentialsErrorKind::Transport,
            format!("{what} answered HTTP {}, expected 200", status.as_u16()),
        ));
    }
    response.text().await.map_err(transport)
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
    let text = |field: &str| -> Result<&str, CredentialsError> {
        match fields.get(field) {
            None | Some(Value::Null) => Err(invalid(format!("{what} answered no `{field}`"))),
            Some(Value::String(s)) if s.is_empty() => Err(invalid(format!("{what} answered an empty `{field}`"))),
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(invalid(format!("{what} answered a `{field}` that is not a string"))),
        }
    };
    let code = text("Code")?;
    if code != "Success" {
        let message = fields.get("Message").and_then(Value::as_str).map(|m| format!(" ({m})")).unwrap_or_default();
        return Err(invalid(format!("{what} answered `Code` {code:?}{message}, expected \"Success\"")));
    }
    let access_key_id = text("AccessKeyId")?;
    let access_key_secret = text("AccessKeySecret")?;
    let security_token = text("SecurityToken")?;
    let expiration = text("Expiration")?;
    let expiry = parse_expiration(expiration).ok_or_else(|| {
        invalid(format!("{what} answered `Expiration` {expiration:?}, expected a UTC time like 2024-01-01T06:00:00Z"))
    })?;
    Ok(Credentials::new(access_key_id, access_key_secret).with_security_token(security_token).with_expiry(expiry))
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (UTC, the form Alibaba's credential services use).
pub(crate) fn parse_expiration(value: &str) -> Option<SystemTime> {
    let bytes = value.as_bytes();
    if bytes.len() != 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[10] != b'T' {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' || bytes[19] != b'Z' {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u16> {
        let digits = &value[from..to];
        digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse().ok()).flatten()
    };
    let year = i32::from(number(0, 4)?);
    let month = time::Month::try_from(u8::try_from(number(5, 7)?).ok()?).ok()?;
    let day = u8::try_from(number(8, 10)?).ok()?;
    let hour = u8::try_from(number(11, 13)?).ok()?;
    let minute = u8::try_from(number(14, 16)?).ok()?;
    let second = u8::try_from(number(17, 19)?).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms(hour, minute, second).ok()?;
    Some(SystemTime::from(time::PrimitiveDateTime::new(date, time).assume_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn parses_utc_expiration() {
        let parsed = parse_expiration("2024-01-01T06:00:00Z").unwrap();
        assert_eq!(parsed.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1_704_088_800);
        for bad in ["2024-01-01 06:00:00Z", "2024-13-01T06:00:00Z", "2024-01-01T06:00:00", "2024-02-30T00:00:00Z"] {
            assert_eq!(parse_expiration(bad), None, "{bad}");
        }
        assert_eq!(parse_expiration("2024-01-01T06:00:60Z"), None);
        assert_eq!(parse_expiration("+024-01-01T06:00:00Z"), None);
    }

    #[test]
    fn document_errors_name_the_field_not_the_value() {
        let body =
            r#"{"Code":"Success","AccessKeyId":"id","AccessKeySecret":12345,"SecurityToken":"t","Expiration":"x"}"#;
        let error = parse_credentials_document("p", "GET u", body).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse);
        assert!(error.message().contains("`AccessKeySecret` that is not a string"), "{error}");
        assert!(!error.to_string().contains("12345"));
    }
}
