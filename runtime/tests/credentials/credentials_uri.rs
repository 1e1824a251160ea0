//! The credentials-URI provider against a fake endpoint on 127.0.0.1.

use crate::support::{FakeCredentialsUri, SECRET, SHORT, TOKEN, credentials_json, start_silent_server};
use alibabacloud_runtime::Env;
use alibabacloud_runtime::credentials::{CredentialsErrorKind, CredentialsUriProvider, ProvideCredentials};
use axum::http::StatusCode;
use std::time::{Duration, UNIX_EPOCH};

#[tokio::test]
async fn reads_credentials_from_the_uri_in_the_environment() {
    let server = FakeCredentialsUri::start(StatusCode::OK, credentials_json("STS.uri", "2099-01-01T06:00:00Z")).await;
    let env = Env::from_pairs([("ALIBABA_CLOUD_CREDENTIALS_URI", server.url.as_str())]);
    let provider = CredentialsUriProvider::from_env(&env).expect("the variable is set");
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.uri");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.expiry(), Some(UNIX_EPOCH + Duration::from_secs(4_070_930_400)));
    assert_eq!(credentials.provider_name(), "credential_uri");
    assert_eq!(server.requests.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(CredentialsUriProvider::from_env(&Env::from_pairs([("ALIBABA_CLOUD_CREDENTIALS_URI", "")])).is_none());
}

#[tokio::test]
async fn non_200_and_invalid_bodies_are_errors() {
    let server = FakeCredentialsUri::start(StatusCode::INTERNAL_SERVER_ERROR, "oops".to_owned()).await;
    let error = CredentialsUriProvider::new(&server.url).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Transport);
    assert!(error.message().ends_with("/credentials answered HTTP 500, expected 200"), "{error}");

    let server = FakeCredentialsUri::start(StatusCode::OK, r#"{"Code":"Success"}"#.to_owned()).await;
    let error = CredentialsUriProvider::new(&server.url).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse);
    assert!(error.message().contains("no `AccessKeyId`"), "{error}");
}

#[tokio::test]
async fn errors_and_debug_hide_the_query_of_the_uri() {
    let server = FakeCredentialsUri::start(StatusCode::FORBIDDEN, String::new()).await;
    let uri = format!("{}?token=uri-query-secret", server.url);
    let provider = CredentialsUriProvider::new(&uri);
    let error = provider.provide_credentials().await.unwrap_err();
    let shown = format!("{error} {error:?} {provider:?}");
    assert!(shown.contains(&server.url), "{shown}");
    assert!(!shown.contains("uri-query-secret"), "{shown}");
}

#[tokio::test]
async fn a_uri_that_never_answers_times_out() {
    let url = start_silent_server().await;
    let provider = CredentialsUriProvider::new(format!("{url}/credentials")).with_timeouts(SHORT, SHORT);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Timeout, "{error}");
    assert_eq!(CredentialsUriProvider::DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(5));
    assert_eq!(CredentialsUriProvider::DEFAULT_READ_TIMEOUT, Duration::from_secs(10));
}

#[tokio::test]
async fn an_aliyun_cli_profile_in_credentials_uri_mode_asks_its_uri() {
    let server =
        FakeCredentialsUri::start(StatusCode::OK, credentials_json("STS.profile", "2099-01-01T06:00:00Z")).await;
    let home = tempfile::tempdir().unwrap();
    let config = serde_json::json!({"current": "uri", "profiles": [
        {"name": "uri", "mode": "CredentialsURI", "credentials_uri": server.url},
    ]});
    crate::support::write_file(home.path(), ".aliyun/config.json", &config.to_string());
    let provider = alibabacloud_runtime::credentials::CliProfileProvider::new(
        Env::from_pairs(std::iter::empty::<(&str, &str)>()).with_home(home.path()),
    );
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.profile");
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.provider_name(), "cli_profile/credentials_uri");
}
