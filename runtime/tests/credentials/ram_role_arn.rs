//! The RAM role provider (STS `AssumeRole` signed with source credentials), alone and behind
//! `RamRoleArn` CLI profiles and `ram_role_arn` INI sections, against a fake STS on 127.0.0.1
//! that checks the signature by recomputing it.

use crate::support::{FakeSts, SECRET, ScriptedProvider, TOKEN, write_file};
use alibabacloud_runtime::credentials::{
    CliProfileProvider, CredentialsErrorKind, IniFileProvider, ProvideCredentials, RamRoleArnProvider, StaticProvider,
};
use alibabacloud_runtime::signing::v1;
use alibabacloud_runtime::{Credentials, Env};
use axum::http::StatusCode;
use std::collections::HashMap;
use std::time::{Duration, UNIX_EPOCH};

const ROLE_ARN: &str = "acs:ram::123456789012:role/app";
const SOURCE_ID: &str = "LTAI-source";
const SOURCE_SECRET: &str = "source-secret-4d1e";

fn sts_answer() -> String {
    serde_json::json!({
        "RequestId": "r-1",
        "AssumedRoleUser": {"Arn": "acs:ram::123456789012:role/app/s", "AssumedRoleId": "1:s"},
        "Credentials": {
            "AccessKeyId": "STS.role",
            "AccessKeySecret": SECRET,
            "SecurityToken": TOKEN,
            "Expiration": "2099-01-01T06:00:00Z",
        }
    })
    .to_string()
}

fn source() -> StaticProvider {
    StaticProvider::new(Credentials::new(SOURCE_ID, SOURCE_SECRET))
}

/// Asserts that the call is an `AssumeRole` signed with `secret`: the signature recomputed over
/// every query and form parameter but `Signature` matches the one sent.
fn assert_signed_assume_role(query: &HashMap<String, String>, form: &HashMap<String, String>, secret: &str) {
    assert_eq!(query["Action"], "AssumeRole");
    assert_eq!(query["Version"], "2015-04-01");
    assert_eq!(query["Format"], "JSON");
    assert_eq!(query["SignatureMethod"], "HMAC-SHA1");
    let signed = query.iter().chain(form).filter(|(name, _)| *name != "Signature");
    let string_to_sign = v1::string_to_sign("POST", signed.map(|(k, v)| (k.as_str(), v.as_str())));
    assert_eq!(query["Signature"], v1::sign(secret, &string_to_sign), "the signature recomputed by STS");
}

#[tokio::test]
async fn assumes_the_role_with_a_signed_call() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let provider = RamRoleArnProvider::new(source(), ROLE_ARN)
        .with_role_session_name("my-session")
        .with_duration(Duration::from_secs(1800))
        .with_external_id("ext-1")
        .with_policy(r#"{"Version":"1"}"#)
        .with_sts_endpoint(&sts.url);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.role");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.expiry(), Some(UNIX_EPOCH + Duration::from_secs(4_070_930_400)));
    assert_eq!(credentials.provider_name(), "ram_role_arn");

    let calls = sts.calls.lock().unwrap();
    let (query, form) = &calls[0];
    assert_signed_assume_role(query, form, SOURCE_SECRET);
    assert_eq!(query["AccessKeyId"], SOURCE_ID);
    assert!(!query.contains_key("SecurityToken"));
    assert_eq!(form["RoleArn"], ROLE_ARN);
    assert_eq!(form["RoleSessionName"], "my-session");
    assert_eq!(form["DurationSeconds"], "1800");
    assert_eq!(form["ExternalId"], "ext-1");
    assert_eq!(form["Policy"], r#"{"Version":"1"}"#);
}

#[tokio::test]
async fn a_temporary_source_sends_its_token_and_the_defaults_apply() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let source = StaticProvider::new(Credentials::new("STS.source", SOURCE_SECRET).with_security_token("source-token"));
    let provider = RamRoleArnProvider::new(source, ROLE_ARN).with_sts_endpoint(&sts.url);
    provider.provide_credentials().await.unwrap();

    let calls = sts.calls.lock().unwrap();
    let (query, form) = &calls[0];
    assert_signed_assume_role(query, form, SOURCE_SECRET);
    assert_eq!(query["SecurityToken"], "source-token");
    assert_eq!(form["DurationSeconds"], "3600");
    assert!(form["RoleSessionName"].starts_with("credentials-rust-"), "{}", form["RoleSessionName"]);
    assert!(!form.contains_key("Policy") && !form.contains_key("ExternalId"));
}

#[tokio::test]
async fn failures_say_which_step_failed_and_never_show_secrets() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let failing_source = ScriptedProvider::new("env", vec![ScriptedProvider::failure("env")]);
    let error = RamRoleArnProvider::new(failing_source, ROLE_ARN)
        .with_sts_endpoint(&sts.url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.provider(), "ram_role_arn");
    assert!(error.message().starts_with("source credentials: "), "{error}");

    let error = RamRoleArnProvider::new(source(), ROLE_ARN)
        .with_duration(Duration::from_secs(600))
        .with_sts_endpoint(&sts.url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert!(error.message().contains("600 s, below STS's minimum of 900 s"), "{error}");
    assert!(sts.calls.lock().unwrap().is_empty(), "nothing is sent for a bad duration");

    let denied = r#"{"Code":"NoPermission","Message":"You are not authorized to assume this role.","RequestId":"r"}"#;
    let sts = FakeSts::start(StatusCode::FORBIDDEN, denied.to_owned()).await;
    let temporary = StaticProvider::new(Credentials::new(SOURCE_ID, SOURCE_SECRET).with_security_token("source-token"));
    let error = RamRoleArnProvider::new(temporary, ROLE_ARN)
        .with_sts_endpoint(&sts.url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Transport);
    assert!(error.message().contains("AssumeRole) answered HTTP 403 (NoPermission: You are not authorized"), "{error}");
    let shown = format!("{error} {error:?}");
    for secret in [SOURCE_SECRET, "source-token"] {
        assert!(!shown.contains(secret), "{shown}");
    }

    // STS quotes the string it signed, with the source's token encoded twice, when the
    // signature does not match; the error shows the rest of the message, not the token.
    let token = "source+token/=";
    let mismatch = r#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DSTS.source%26SecurityToken%3Dsource%252Btoken%252F%253D%26Version%3D2015-04-01 (token source+token/=, source%2Btoken%2F%3D)"}"#;
    let sts = FakeSts::start(StatusCode::BAD_REQUEST, mismatch.to_owned()).await;
    let temporary = StaticProvider::new(Credentials::new(SOURCE_ID, SOURCE_SECRET).with_security_token(token));
    let error = RamRoleArnProvider::new(temporary, ROLE_ARN)
        .with_sts_endpoint(&sts.url)
        .provide_credentials()
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("(SignatureDoesNotMatch: Specified signature is not matched"), "{shown}");
    assert!(shown.contains("%26SecurityToken%3D** redacted **%26Version"), "{shown}");
    for form in [token, "source%2Btoken%2F%3D", "source%252Btoken%252F%253D", "source+", "source%2B"] {
        assert!(!shown.contains(form), "{form} in {shown}");
    }

    let sts = FakeSts::start(StatusCode::OK, r#"{"RequestId":"r"}"#.to_owned()).await;
    let error = RamRoleArnProvider::new(source(), ROLE_ARN)
        .with_sts_endpoint(&sts.url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidResponse);
    assert!(error.message().ends_with("(AssumeRole) answered no `Credentials` object"), "{error}");
}

#[tokio::test]
async fn cli_profiles_and_ini_sections_can_assume_a_role() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let home = tempfile::tempdir().unwrap();
    let config = serde_json::json!({"current": "role", "profiles": [
        {"name": "role", "mode": "RamRoleArn", "access_key_id": SOURCE_ID, "access_key_secret": SOURCE_SECRET,
         "ram_role_arn": ROLE_ARN, "ram_session_name": "cli-session", "expired_seconds": 1800,
         "policy": "", "external_id": "ext-cli"},
        {"name": "bad-seconds", "mode": "RamRoleArn", "access_key_id": SOURCE_ID,
         "access_key_secret": SOURCE_SECRET, "ram_role_arn": ROLE_ARN, "expired_seconds": "soon"},
        {"name": "bad-vpc", "mode": "RamRoleArn", "access_key_id": SOURCE_ID, "access_key_secret": SOURCE_SECRET,
         "ram_role_arn": ROLE_ARN, "sts_region": "cn-hangzhou", "enable_vpc": "yes"},
        {"name": "sts-source", "mode": "RamRoleArn", "access_key_id": "STS.source", "access_key_secret": SOURCE_SECRET,
         "sts_token": "source-token", "ram_role_arn": ROLE_ARN},
    ]});
    write_file(home.path(), ".aliyun/config.json", &config.to_string());
    let env = Env::from_pairs::<_, &str, &str>([]).with_home(home.path());
    let cli = CliProfileProvider::new(env.clone()).with_sts_endpoint(&sts.url);
    let credentials = cli.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.role");
    assert_eq!(credentials.provider_name(), "cli_profile/ram_role_arn");

    let ini = format!(
        "[default]\ntype = ram_role_arn\naccess_key_id = {SOURCE_ID}\naccess_key_secret = {SOURCE_SECRET}\n\
         role_arn = {ROLE_ARN}\nrole_session_name = ini-session\npolicy =\n"
    );
    write_file(home.path(), ".alibabacloud/credentials", &ini);
    let credentials = IniFileProvider::new(env).with_sts_endpoint(&sts.url).provide_credentials().await.unwrap();
    assert_eq!(credentials.provider_name(), "profile/ram_role_arn");

    let calls = sts.calls.lock().unwrap().clone();
    for (query, form) in calls.iter() {
        assert_signed_assume_role(query, form, SOURCE_SECRET);
        assert_eq!(query["AccessKeyId"], SOURCE_ID);
        assert!(!form.contains_key("Policy"), "an empty policy is not sent");
    }
    let cli_form = &calls[0].1;
    assert_eq!(
        (cli_form["RoleSessionName"].as_str(), cli_form["DurationSeconds"].as_str(), cli_form["ExternalId"].as_str()),
        ("cli-session", "1800", "ext-cli")
    );
    assert_eq!(
        (calls[1].1["RoleSessionName"].as_str(), calls[1].1["DurationSeconds"].as_str()),
        ("ini-session", "3600")
    );

    // A source with an STS token signs with it, as the aliyun CLI does.
    let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", "sts-source")]).with_home(home.path());
    CliProfileProvider::new(env).with_sts_endpoint(&sts.url).provide_credentials().await.expect("sts source");
    let (query, form) = sts.calls.lock().unwrap().last().cloned().expect("a call");
    assert_signed_assume_role(&query, &form, SOURCE_SECRET);
    assert_eq!((query["AccessKeyId"].as_str(), query["SecurityToken"].as_str()), ("STS.source", "source-token"));

    let path = home.path().join(".aliyun/config.json").display().to_string();
    for (profile, why) in [
        ("bad-seconds", "`profiles[1].expired_seconds` is not a whole number"),
        ("bad-vpc", "`profiles[2].enable_vpc` is not true or false"),
    ] {
        let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", profile)]).with_home(home.path());
        let error = CliProfileProvider::new(env).with_sts_endpoint(&sts.url).provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
        assert_eq!(error.message(), format!("{path}: {why}"));
    }
}

#[tokio::test]
async fn chainable_profiles_assume_each_role_with_the_credentials_of_their_source() {
    let sts = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let home = tempfile::tempdir().unwrap();
    let config = serde_json::json!({"current": "second", "profiles": [
        {"name": "base", "mode": "AK", "access_key_id": SOURCE_ID, "access_key_secret": SOURCE_SECRET},
        {"name": "first", "mode": "ChainableRamRoleArn", "source_profile": "base",
         "ram_role_arn": "acs:ram::1:role/first", "ram_session_name": "hop-1", "expired_seconds": 0},
        {"name": "second", "mode": "ChainableRamRoleArn", "source_profile": "first",
         "ram_role_arn": ROLE_ARN, "ram_session_name": "hop-2", "expired_seconds": 900},
        {"name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b", "ram_role_arn": ROLE_ARN},
        {"name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a", "ram_role_arn": ROLE_ARN},
        {"name": "dangling", "mode": "ChainableRamRoleArn", "source_profile": "nobody", "ram_role_arn": ROLE_ARN},
    ]});
    write_file(home.path(), ".aliyun/config.json", &config.to_string());
    let env = Env::from_pairs::<_, &str, &str>([]).with_home(home.path());
    let credentials =
        CliProfileProvider::new(env).with_sts_endpoint(&sts.url).provide_credentials().await.expect("two hops");
    assert_eq!(credentials.access_key_id(), "STS.role");
    assert_eq!(credentials.provider_name(), "cli_profile/chainable_ram_role_arn");

    let calls = sts.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 2, "one AssumeRole per hop");
    let (first_query, first_form) = &calls[0];
    assert_signed_assume_role(first_query, first_form, SOURCE_SECRET);
    assert_eq!(first_query["AccessKeyId"], SOURCE_ID);
    // `expired_seconds: 0`, which the aliyun CLI writes into every profile, means "not set".
    assert_eq!(
        (
            first_form["RoleArn"].as_str(),
            first_form["RoleSessionName"].as_str(),
            first_form["DurationSeconds"].as_str()
        ),
        ("acs:ram::1:role/first", "hop-1", "3600")
    );
    let (second_query, second_form) = &calls[1];
    assert_signed_assume_role(second_query, second_form, SECRET);
    assert_eq!((second_query["AccessKeyId"].as_str(), second_query["SecurityToken"].as_str()), ("STS.role", TOKEN));
    assert_eq!(
        (
            second_form["RoleArn"].as_str(),
            second_form["RoleSessionName"].as_str(),
            second_form["DurationSeconds"].as_str()
        ),
        (ROLE_ARN, "hop-2", "900")
    );

    let path = home.path().join(".aliyun/config.json").display().to_string();
    let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", "loop-a")]).with_home(home.path());
    let error = CliProfileProvider::new(env).with_sts_endpoint(&sts.url).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert_eq!(
        error.message(),
        format!("{path}: `profiles[4].source_profile` leads back to `loop-a`: loop-a → loop-b → loop-a")
    );
    let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", "dangling")]).with_home(home.path());
    let error = CliProfileProvider::new(env).with_sts_endpoint(&sts.url).provide_credentials().await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: no profile named `nobody` in `profiles`"));
    assert_eq!(sts.calls.lock().unwrap().len(), 2, "nothing is sent for a broken chain");
}
