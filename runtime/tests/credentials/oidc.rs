//! The OIDC role provider, alone, in the chain and behind OIDC profiles, against a fake STS
//! on 127.0.0.1 with a real token file.

use crate::support::{FakeSts, SECRET, TOKEN, write_file};
use alibabacloud_runtime::Env;
use alibabacloud_runtime::credentials::{
    CliProfileProvider, CredentialsErrorKind, DefaultCredentialsChain, IniFileProvider, OidcRoleArnProvider,
    ProvideCredentials,
};
use axum::http::StatusCode;
use std::time::{Duration, UNIX_EPOCH};

const OIDC_TOKEN: &str = "eyJhbGciOi.oidc-jwt-value.sig";
const ROLE_ARN: &str = "acs:ram::123456789012:role/app";
const PROVIDER_ARN: &str = "acs:ram::123456789012:oidc-provider/ack";

fn sts_answer() -> String {
    serde_json::json!({
        "RequestId": "r-1",
        "Credentials": {
            "AccessKeyId": "STS.oidc",
            "AccessKeySecret": SECRET,
            "SecurityToken": TOKEN,
            "Expiration": "2099-01-01T06:00:00Z",
        }
    })
    .to_string()
}

fn token_file(dir: &std::path::Path) -> String {
    write_file(dir, "token", &format!("{OIDC_TOKEN}\n"));
    dir.join("token").display().to_string()
}

#[tokio::test]
async fn assumes_the_role_with_the_token_file() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let dir = tempfile::tempdir().unwrap();
    let provider = OidcRoleArnProvider::new(ROLE_ARN, PROVIDER_ARN, token_file(dir.path()))
        .with_role_session_name("my-session")
        .with_sts_endpoint(&sts.url);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.oidc");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.expiry(), Some(UNIX_EPOCH + Duration::from_secs(4_070_930_400)));
    assert_eq!(credentials.provider_name(), "oidc_role_arn");

    let calls = sts.calls.lock().unwrap();
    let (query, form) = &calls[0];
    assert_eq!(query["Action"], "AssumeRoleWithOIDC");
    assert_eq!(query["Format"], "JSON");
    assert_eq!(query["Version"], "2015-04-01");
    assert_eq!(query["Timestamp"].len(), 20);
    assert_eq!(form["RoleArn"], ROLE_ARN);
    assert_eq!(form["OIDCProviderArn"], PROVIDER_ARN);
    assert_eq!(form["OIDCToken"], OIDC_TOKEN);
    assert_eq!(form["RoleSessionName"], "my-session");
    assert_eq!(form["DurationSeconds"], "3600");
    assert!(!form.contains_key("Policy"));
}

#[tokio::test]
async fn sts_errors_and_bad_answers_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path());
    let body = r#"{"RequestId":"r","Code":"AuthenticationFail.OIDCToken.Expired","Message":"token expired"}"#;
    let sts = FakeSts::start(StatusCode::BAD_REQUEST, body.to_owned()).await;
    let provider = OidcRoleArnProvider::new(ROLE_ARN, PROVIDER_ARN, &file).with_sts_endpoint(&sts.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Transport);
    assert!(
        error
            .message()
            .ends_with("answered HTTP 400 (AuthenticationFail.OIDCToken.Expired: token expired), expected 200"),
        "{error}"
    );

    let sts = FakeSts::start(StatusCode::OK, r#"{"Credentials":{"AccessKeyId":"id"}}"#.to_owned()).await;
    let provider = OidcRoleArnProvider::new(ROLE_ARN, PROVIDER_ARN, &file).with_sts_endpoint(&sts.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse);
    assert!(error.message().ends_with("answered no `Credentials.AccessKeySecret`"), "{error}");
}

#[tokio::test]
async fn bad_configuration_fails_before_calling_sts() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let provider = OidcRoleArnProvider::new(ROLE_ARN, PROVIDER_ARN, &missing).with_sts_endpoint(&sts.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert_eq!(error.message(), format!("cannot read the OIDC token file {}", missing.display()));

    let provider = OidcRoleArnProvider::new(ROLE_ARN, PROVIDER_ARN, token_file(dir.path()))
        .with_duration(Duration::from_secs(899))
        .with_sts_endpoint(&sts.url);
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.message(), "the duration is 899 s, below STS's minimum of 900 s");
    assert!(sts.calls.lock().unwrap().is_empty());
}

#[test]
fn the_environment_configures_it_only_when_complete() {
    let complete = [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER_ARN),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/var/run/token"),
    ];
    let provider = OidcRoleArnProvider::from_env(&Env::from_pairs(complete)).unwrap();
    assert_eq!(provider.sts_endpoint(), "https://sts.aliyuncs.com");
    for missing in 0..3 {
        let partial = complete.iter().enumerate().filter(|(i, _)| *i != missing).map(|(_, pair)| *pair);
        assert!(OidcRoleArnProvider::from_env(&Env::from_pairs(partial)).is_none());
    }
    let regional = complete.into_iter().chain([("ALIBABA_CLOUD_STS_REGION", "cn-shanghai")]);
    let provider = OidcRoleArnProvider::from_env(&Env::from_pairs(regional.clone())).unwrap();
    assert_eq!(provider.sts_endpoint(), "https://sts.cn-shanghai.aliyuncs.com");
    let vpc = regional.chain([("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true")]);
    assert_eq!(
        OidcRoleArnProvider::from_env(&Env::from_pairs(vpc)).unwrap().sts_endpoint(),
        "https://sts-vpc.cn-shanghai.aliyuncs.com"
    );
}

#[tokio::test]
async fn the_chain_tries_oidc_second() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path());
    let env = Env::from_pairs([
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER_ARN),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", file.as_str()),
    ])
    .with_home(dir.path());
    let chain = DefaultCredentialsChain::builder(env).sts_endpoint(&sts.url).build();
    assert_eq!(chain.provider_names(), ["env", "oidc_role_arn", "cli_profile", "profile", "ecs_ram_role"]);
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.provider_name(), "default/oidc_role_arn");
    let session = &sts.calls.lock().unwrap()[0].1["RoleSessionName"];
    assert!(session.starts_with("credentials-rust-"), "{session}");
}

#[tokio::test]
async fn neither_debug_nor_errors_show_the_oidc_token() {
    let dir = tempfile::tempdir().unwrap();
    // An answer that quotes the token it was sent.
    let quoting = format!(r#"{{"Code":"NoPermission","Message":"token {OIDC_TOKEN} is not allowed"}}"#);
    let sts = FakeSts::start(StatusCode::FORBIDDEN, quoting).await;
    let provider = OidcRoleArnProvider::new(ROLE_ARN, PROVIDER_ARN, token_file(dir.path())).with_sts_endpoint(&sts.url);
    let error = provider.provide_credentials().await.unwrap_err();
    let shown = format!("{provider:?} {error} {error:?}");
    assert!(shown.contains("(NoPermission: token ** redacted ** is not allowed)"), "{shown}");
    assert!(!shown.contains(OIDC_TOKEN), "{shown}");
}

#[tokio::test]
async fn cli_profiles_and_ini_sections_can_use_oidc() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let home = tempfile::tempdir().unwrap();
    let file = token_file(home.path());
    let config = serde_json::json!({"current": "oidc", "profiles": [{
        "name": "oidc", "mode": "OIDC", "ram_role_arn": ROLE_ARN, "oidc_provider_arn": PROVIDER_ARN,
        "oidc_token_file": file, "ram_session_name": "cli-session", "expired_seconds": 1200,
        "policy": "{\"Statement\":[]}",
    }]});
    write_file(home.path(), ".aliyun/config.json", &config.to_string());
    let env = Env::from_pairs::<_, &str, &str>([]).with_home(home.path());
    let credentials =
        CliProfileProvider::new(env.clone()).with_sts_endpoint(&sts.url).provide_credentials().await.unwrap();
    assert_eq!(credentials.provider_name(), "cli_profile/oidc_role_arn");

    let ini = format!(
        "[default]\ntype = oidc_role_arn\nrole_arn = {ROLE_ARN}\noidc_provider_arn = {PROVIDER_ARN}\n\
         oidc_token_file_path = {file}\nrole_session_name = ini-session\npolicy = {{\"Version\":\"1\"}}\n"
    );
    write_file(home.path(), ".alibabacloud/credentials", &ini);
    let credentials = IniFileProvider::new(env).with_sts_endpoint(&sts.url).provide_credentials().await.unwrap();
    assert_eq!(credentials.provider_name(), "profile/oidc_role_arn");

    let calls = sts.calls.lock().unwrap();
    let cli_form = &calls[0].1;
    assert_eq!(
        (cli_form["RoleSessionName"].as_str(), cli_form["DurationSeconds"].as_str(), cli_form["Policy"].as_str()),
        ("cli-session", "1200", r#"{"Statement":[]}"#)
    );
    assert_eq!(
        (calls[1].1["RoleSessionName"].as_str(), calls[1].1["Policy"].as_str()),
        ("ini-session", r#"{"Version":"1"}"#)
    );
    assert!(calls.iter().all(|(_, form)| form["OIDCToken"] == OIDC_TOKEN && form["RoleArn"] == ROLE_ARN));
}
