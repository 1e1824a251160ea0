//! The ECS RAM role provider against a fake metadata service on 127.0.0.1.

use crate::support::{
    FakeImds, ImdsState, PATIENT, ROLE, SECRET, SHORT, TOKEN, closed_port_url, credentials_json, start_silent_server,
};
use alibabacloud_runtime::Env;
use alibabacloud_runtime::credentials::{CredentialsErrorKind, EcsRamRoleProvider, ProvideCredentials};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const EXPIRATION: &str = "2099-01-01T06:00:00Z";
const EXPIRATION_SECS: u64 = 4_070_930_400;

fn provider(imds: &FakeImds) -> EcsRamRoleProvider {
    EcsRamRoleProvider::new().with_endpoint(&imds.url).with_timeouts(PATIENT, PATIENT)
}

fn counts(state: &ImdsState) -> [usize; 5] {
    [
        ImdsState::count(&state.token_requests),
        ImdsState::count(&state.role_requests),
        ImdsState::count(&state.credentials_requests),
        ImdsState::count(&state.gets_with_token),
        ImdsState::count(&state.gets_without_token),
    ]
}

#[tokio::test]
async fn token_first_then_role_name_then_credentials() {
    let imds = FakeImds::start(credentials_json("STS.ecs", EXPIRATION)).await;
    let before = SystemTime::now();
    let credentials = provider(&imds).provide_credentials().await.unwrap();
    let after = SystemTime::now();
    assert_eq!(credentials.access_key_id(), "STS.ecs");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.expiry(), Some(UNIX_EPOCH + Duration::from_secs(EXPIRATION_SECS)));
    assert_eq!(credentials.provider_name(), "ecs_ram_role");
    // A cache fetches them again an hour later, however long they last.
    let hour = Duration::from_secs(3600);
    let refresh_at = credentials.refresh_at().expect("a refresh time");
    assert!(before + hour <= refresh_at && refresh_at <= after + hour, "{refresh_at:?}");
    // One token request, then both GETs with the token, none without.
    assert_eq!(counts(&imds.state), [1, 1, 1, 2, 0]);
    assert_eq!(*imds.state.token_ttl_headers.lock().unwrap(), ["21600"]);
}

#[tokio::test]
async fn role_name_from_env_skips_the_lookup() {
    let imds = FakeImds::start(credentials_json("STS.ecs", EXPIRATION)).await;
    let env = Env::from_pairs([("ALIBABA_CLOUD_ECS_METADATA", ROLE)]);
    let provider = EcsRamRoleProvider::from_env(&env).with_endpoint(&imds.url).with_timeouts(PATIENT, PATIENT);
    provider.provide_credentials().await.unwrap();
    assert_eq!(counts(&imds.state), [1, 0, 1, 1, 0]);

    let wrong_role = EcsRamRoleProvider::new().with_endpoint(&imds.url).with_role_name("other-role");
    let error = wrong_role.provide_credentials().await.unwrap_err();
    assert!(error.message().contains("other-role") && error.message().contains("HTTP 404"), "{error}");
}

#[tokio::test]
async fn falls_back_to_imdsv1_when_no_token_is_issued() {
    let imds = FakeImds::start(credentials_json("STS.v1", EXPIRATION)).await.without_tokens();
    let credentials = provider(&imds).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.v1");
    assert_eq!(counts(&imds.state), [1, 1, 1, 0, 2]);
}

#[tokio::test]
async fn falls_back_to_imdsv1_when_a_get_with_the_token_fails() {
    let imds = FakeImds::start(credentials_json("STS.v1", EXPIRATION)).await;
    imds.state.fails_with_token.store(true, Ordering::SeqCst);
    let credentials = provider(&imds).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.v1");
    // The role lookup failed with the token, then the whole lookup ran again without it.
    assert_eq!(counts(&imds.state), [1, 2, 1, 1, 2]);
}

#[tokio::test]
async fn imdsv1_disabled_fails_without_token_less_requests() {
    let imds = FakeImds::start(credentials_json("STS.v1", EXPIRATION)).await.without_tokens();
    let env = Env::from_pairs([("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]);
    let provider = EcsRamRoleProvider::from_env(&env).with_endpoint(&imds.url).with_timeouts(SHORT, SHORT);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Transport);
    assert!(error.message().contains("/latest/api/token answered HTTP 403"), "{error}");
    assert!(error.message().contains("IMDSv1 fallback is disabled"), "{error}");
    assert_eq!(counts(&imds.state), [1, 0, 0, 0, 0]);
}

#[tokio::test]
async fn rejects_a_code_other_than_success_without_falling_back() {
    let body = r#"{"Code":"Failed","Message":"role detached"}"#.to_owned();
    let imds = FakeImds::start(body).await;
    let error = provider(&imds).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse);
    assert!(error.message().contains(r#"`Code` "Failed" (role detached), expected "Success""#), "{error}");
    assert_eq!(counts(&imds.state), [1, 1, 1, 2, 0]);
}

#[tokio::test]
async fn rejects_bodies_that_are_not_complete_credentials() {
    let cases = [
        ("not json", "is not JSON".to_owned()),
        ("[1]", "is not an object".to_owned()),
        (
            r#"{"Code":"Success","AccessKeyId":"id","AccessKeySecret":"s","Expiration":"2099-01-01T06:00:00Z"}"#,
            "no `SecurityToken`".to_owned(),
        ),
        (
            r#"{"Code":"Success","AccessKeyId":"","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T06:00:00Z"}"#,
            "an empty `AccessKeyId`".to_owned(),
        ),
        (
            r#"{"AccessKeyId":"id","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T06:00:00Z"}"#,
            "no `Code`".to_owned(),
        ),
        (
            r#"{"Code":"Success","AccessKeyId":"id","AccessKeySecret":"s","SecurityToken":"t","Expiration":"tomorrow"}"#,
            "`Expiration` \"tomorrow\", expected a UTC time".to_owned(),
        ),
    ];
    for (body, expected) in cases {
        let imds = FakeImds::start(body.to_owned()).await;
        let error = provider(&imds).provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse, "{body}");
        assert!(error.message().contains(&expected), "{body}: {error}");
        assert!(error.message().contains("/latest/meta-data/ram/security-credentials/my-ecs-role"), "{error}");
    }
}

#[tokio::test]
async fn a_service_that_never_answers_times_out_quickly() {
    let url = start_silent_server().await;
    let started = Instant::now();
    let provider = EcsRamRoleProvider::new().with_endpoint(&url).with_timeouts(SHORT, SHORT);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Timeout, "{error}");
    assert!(error.message().contains("IMDSv1 fallback: GET"), "{error}");
    assert!(error.message().contains("after IMDSv2: PUT"), "{error}");
    // The token PUT and the IMDSv1 GET each waited for one read timeout.
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_unreachable_service_is_a_transport_error() {
    let provider = EcsRamRoleProvider::new().with_endpoint(closed_port_url().await).with_timeouts(SHORT, SHORT);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Transport, "{error}");
    assert!(error.message().contains("could not connect"), "{error}");
}

#[test]
fn defaults_follow_the_fact_sheet() {
    let provider = EcsRamRoleProvider::new();
    assert_eq!(provider.endpoint(), "http://100.100.100.200");
    assert_eq!(EcsRamRoleProvider::DEFAULT_TIMEOUT, Duration::from_secs(1));
    assert_eq!(provider.name(), "ecs_ram_role");
}
