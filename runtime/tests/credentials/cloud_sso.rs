//! The CloudSSO provider against a fake portal on 127.0.0.1, alone and through an aliyun CLI
//! profile in `CloudSSO` mode.

use crate::support::{FakeCloudSsoPortal, PATIENT, SECRET, SHORT, TOKEN, start_silent_server, write_file};
use alibabacloud_runtime::Env;
use alibabacloud_runtime::credentials::{
    CliProfileProvider, CloudSsoProvider, Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials,
};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const LOGIN_TOKEN: &str = "eyJsso-login-token-5d1e";

fn portal_answer(id: &str) -> String {
    json!({"CloudCredential": {
        "AccessKeyId": id, "AccessKeySecret": SECRET, "SecurityToken": TOKEN, "Expiration": "2099-01-01T06:00:00Z",
    }, "RequestId": "0B4F6E5C"})
    .to_string()
}

fn in_an_hour() -> SystemTime {
    SystemTime::now() + Duration::from_secs(3600)
}

fn provider(sign_in_url: &str, expiry: SystemTime) -> CloudSsoProvider {
    CloudSsoProvider::new(sign_in_url, "151266000000", "ac-00s1abc", LOGIN_TOKEN, expiry)
        .with_timeouts(PATIENT, PATIENT)
}

/// A `CloudSSO` profile of the aliyun CLI logging in at `portal`, its login expiring at `expire`
/// (Unix seconds), with `extra` fields added.
fn cli_profile(name: &str, portal: &str, expire: Value, extra: Value) -> Value {
    let mut profile = json!({"name": name, "mode": "CloudSSO", "cloud_sso_sign_in_url": format!("{portal}/login"),
        "cloud_sso_account_id": "151266000000", "cloud_sso_access_config": "ac-00s1abc",
        "access_token": LOGIN_TOKEN, "cloud_sso_access_token_expire": expire});
    if let (Value::Object(fields), Value::Object(extra)) = (&mut profile, extra) {
        fields.extend(extra);
    }
    profile
}

/// The credentials of profile `name` of the CLI configuration in `home`.
async fn load_profile(home: &std::path::Path, name: &str) -> Result<Credentials, CredentialsError> {
    let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", name)]).with_home(home);
    CliProfileProvider::new(env).provide_credentials().await
}

fn now_seconds() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test]
async fn posts_the_account_and_access_configuration_with_the_login_token() {
    let portal = FakeCloudSsoPortal::start(StatusCode::OK, portal_answer("STS.sso")).await;
    // Only the scheme, host and port of the sign-in URL count.
    let credentials = provider(&format!("{}/device/login?lang=en#top", portal.url), in_an_hour())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "STS.sso");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.expiry(), Some(UNIX_EPOCH + Duration::from_secs(4_070_930_400)));
    assert_eq!(credentials.provider_name(), "cloud_sso");

    let calls = portal.calls.lock().unwrap();
    assert_eq!(calls.len(), 1);
    let (headers, body) = &calls[0];
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("authorization"), format!("Bearer {LOGIN_TOKEN}"));
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(header("accept"), "application/json");
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body, json!({"AccountId": "151266000000", "AccessConfigurationId": "ac-00s1abc"}));
}

#[tokio::test]
async fn an_expired_or_empty_login_token_is_refused_without_asking() {
    let portal = FakeCloudSsoPortal::start(StatusCode::OK, portal_answer("STS.sso")).await;
    let expired = provider(&portal.url, SystemTime::now() - Duration::from_secs(1));
    let error = expired.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert!(error.message().contains("log in again with the aliyun CLI"), "{error}");
    let empty = CloudSsoProvider::new(&portal.url, "1", "ac-1", "", in_an_hour());
    assert_eq!(empty.provide_credentials().await.unwrap_err().kind(), CredentialsErrorKind::InvalidConfig);
    assert!(portal.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn portal_failures_and_bad_answers_are_errors_that_never_show_the_token() {
    let refused = json!({"Code": "InvalidToken", "Message": "The access token is invalid."}).to_string();
    let portal = FakeCloudSsoPortal::start(StatusCode::UNAUTHORIZED, refused).await;
    let sso = provider(&portal.url, in_an_hour());
    let error = sso.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Transport);
    assert_eq!(
        error.message(),
        format!(
            "POST {}/cloud-credentials answered HTTP 401 (InvalidToken: The access token is invalid.), expected 200",
            portal.url
        )
    );
    assert!(!format!("{error} {error:?} {sso:?}").contains(LOGIN_TOKEN));
    // An answer that quotes the token it was sent.
    let quoting = json!({"Code": "InvalidToken", "Message": format!("Bearer {LOGIN_TOKEN} is invalid.")}).to_string();
    let portal = FakeCloudSsoPortal::start(StatusCode::UNAUTHORIZED, quoting).await;
    let error = provider(&portal.url, in_an_hour()).provide_credentials().await.unwrap_err();
    assert!(error.message().contains("(InvalidToken: Bearer ** redacted ** is invalid.)"), "{error}");
    assert!(!format!("{error} {error:?}").contains(LOGIN_TOKEN));

    let cases = [
        (json!({"RequestId": "1"}).to_string(), "answered no `CloudCredential` object"),
        (json!({"CloudCredential": {"AccessKeyId": "id"}}).to_string(), "no `CloudCredential.AccessKeySecret`"),
        ("<html>".to_owned(), "answered a body that is not JSON"),
    ];
    for (answer, expected) in cases {
        let portal = FakeCloudSsoPortal::start(StatusCode::OK, answer).await;
        let error = provider(&portal.url, in_an_hour()).provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse, "{error}");
        assert!(error.message().contains(expected), "expected {expected:?} in {error}");
    }

    // The login token never travels in plain text, except to a loopback address.
    for bad in ["not a url", "ftp://signin.example/login", "file:///login", "http://signin.example/login"] {
        let error = provider(bad, in_an_hour()).provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig, "{bad}");
        assert!(error.message().contains("sign-in URL is not an https URL with a host"), "{error}");
    }

    let silent = start_silent_server().await;
    let error = provider(&silent, in_an_hour()).with_timeouts(SHORT, SHORT).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Timeout, "{error}");
}

#[tokio::test]
async fn an_aliyun_cli_profile_in_cloud_sso_mode_asks_the_portal() {
    let portal = FakeCloudSsoPortal::start(StatusCode::OK, portal_answer("STS.profile")).await;
    let profile = |name: &str, expire: Value| cli_profile(name, &portal.url, expire, json!({}));
    let config = json!({"current": "sso", "profiles": [
        profile("sso", json!(now_seconds() + 3600)),
        profile("expired", json!(1_700_000_000)),
        profile("no-expiry", Value::Null),
        profile("far", json!(u64::MAX)),
    ]});
    let home = tempfile::tempdir().unwrap();
    write_file(home.path(), ".aliyun/config.json", &config.to_string());

    let credentials = load_profile(home.path(), "sso").await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.profile");
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.provider_name(), "cli_profile/cloud_sso");
    assert_eq!(portal.calls.lock().unwrap().len(), 1);

    let error = load_profile(home.path(), "expired").await.unwrap_err();
    assert!(error.message().starts_with("profile `expired` (mode CloudSSO): "), "{error}");
    assert!(error.message().contains("log in again with the aliyun CLI"), "{error}");
    let error = load_profile(home.path(), "no-expiry").await.unwrap_err();
    assert!(error.message().ends_with("`profiles[2].cloud_sso_access_token_expire` is missing"), "{error}");
    let error = load_profile(home.path(), "far").await.unwrap_err();
    assert!(
        error.message().ends_with("`profiles[3].cloud_sso_access_token_expire` is too far in the future"),
        "{error}"
    );
    assert_eq!(portal.calls.lock().unwrap().len(), 1, "no failed profile asked the portal");
}

#[tokio::test]
async fn the_sts_credentials_the_cli_saved_are_used_while_they_stay_fresh() {
    let portal = FakeCloudSsoPortal::start(StatusCode::OK, portal_answer("STS.portal")).await;
    let now = now_seconds();
    let profile = |name: &str, login_expire: u64, sts_expiration: Value| {
        let saved = json!({"access_key_id": "STS.saved", "access_key_secret": SECRET, "sts_token": TOKEN,
            "sts_expiration": sts_expiration});
        cli_profile(name, &portal.url, json!(login_expire), saved)
    };
    let config = json!({"current": "fresh", "profiles": [
        // The login has expired, the saved credentials have not.
        profile("fresh", now - 60, json!(now + 3600)),
        profile("stale", now + 3600, json!(now + 300)),
        profile("garbled", now + 3600, json!("soon")),
    ]});
    let home = tempfile::tempdir().unwrap();
    write_file(home.path(), ".aliyun/config.json", &config.to_string());

    let saved = load_profile(home.path(), "fresh").await.unwrap();
    assert_eq!(saved.access_key_id(), "STS.saved");
    assert_eq!(saved.security_token().unwrap().expose(), TOKEN);
    assert_eq!(saved.expiry(), Some(UNIX_EPOCH + Duration::from_secs(now + 3600)));
    assert_eq!(saved.provider_name(), "cli_profile/cloud_sso");
    assert!(portal.calls.lock().unwrap().is_empty());

    // Within 15 minutes of their expiry, the portal is asked instead.
    assert_eq!(load_profile(home.path(), "stale").await.unwrap().access_key_id(), "STS.portal");
    assert_eq!(portal.calls.lock().unwrap().len(), 1);

    let error = load_profile(home.path(), "garbled").await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert!(error.message().ends_with("`profiles[2].sts_expiration` is not a whole number"), "{error}");
}
