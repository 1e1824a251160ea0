//! No secret or token in the `Debug` or `Display` of any provider, credentials or error.

use crate::support::{
    FakeCredentialsUri, FakeImds, PATIENT, SECRET, SHORT, ScriptedProvider, TOKEN, credentials_json, write_file,
};
use alibabacloud_runtime::credentials::{
    CliProfileProvider, CredentialsCache, CredentialsUriProvider, DefaultCredentialsChain, EcsRamRoleProvider,
    EnvironmentProvider, IniFileProvider, ProvideCredentials, StaticProvider,
};
use alibabacloud_runtime::{Credentials, Env};
use axum::http::StatusCode;

fn assert_hidden(shown: &str) {
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "a secret leaked: {shown}");
}

#[tokio::test]
async fn no_debug_or_display_shows_a_secret_or_token() {
    let home = tempfile::tempdir().unwrap();
    let imds = FakeImds::start(credentials_json("STS.ecs", "2099-01-01T06:00:00Z")).await;
    let uri = FakeCredentialsUri::start(StatusCode::OK, credentials_json("STS.uri", "2099-01-01T06:00:00Z")).await;
    let env = Env::from_pairs([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
        ("ALIBABA_CLOUD_CREDENTIALS_URI", uri.url.as_str()),
    ])
    .with_home(home.path());
    let sts = Credentials::new("STS.id", SECRET).with_security_token(TOKEN);
    assert_hidden(&format!("{sts:?} {} {:?}", sts.access_key_secret(), sts.security_token()));

    let metadata = EcsRamRoleProvider::new().with_endpoint(&imds.url).with_timeouts(PATIENT, PATIENT);
    let providers: Vec<Box<dyn ProvideCredentials>> = vec![
        Box::new(StaticProvider::new(sts.clone())),
        Box::new(EnvironmentProvider::new(env.clone())),
        Box::new(metadata.clone()),
        Box::new(CredentialsUriProvider::new(&uri.url)),
        Box::new(CredentialsCache::new(StaticProvider::new(sts.clone()))),
        Box::new(CredentialsCache::new(
            DefaultCredentialsChain::builder(env.clone()).ecs_metadata_endpoint(&imds.url).build(),
        )),
    ];
    for provider in &providers {
        assert_hidden(&format!("{provider:?}"));
        let credentials = provider.provide_credentials().await.unwrap();
        assert!(credentials.access_key_secret().expose() == SECRET);
        assert_hidden(&format!("{credentials:?} {provider:?}"));
    }

    // Errors from inputs full of secrets.
    write_file(
        home.path(),
        ".aliyun/config.json",
        &format!(
            r#"{{"current":"p","profiles":[{{"name":"p","mode":"AK","access_key_id":"{SECRET}","access_key_secret":{{"v":"{TOKEN}"}}}}]}}"#
        ),
    );
    write_file(home.path(), ".alibabacloud/credentials", &format!("[default]\ntype = access_key\n{SECRET} {TOKEN}\n"));
    let bad_body = format!(r#"{{"Code":"Success","AccessKeyId":"{SECRET}","AccessKeySecret":["{TOKEN}"]}}"#);
    let bad_imds = FakeImds::start(bad_body.clone()).await;
    let failing: Vec<Box<dyn ProvideCredentials>> = vec![
        Box::new(CliProfileProvider::new(env.clone())),
        Box::new(IniFileProvider::new(env.clone())),
        Box::new(EcsRamRoleProvider::new().with_endpoint(&bad_imds.url).with_timeouts(SHORT, SHORT)),
        Box::new(EnvironmentProvider::new(Env::from_pairs([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)]))),
        Box::new(ScriptedProvider::new("scripted", vec![ScriptedProvider::failure("scripted")])),
    ];
    let mut errors = Vec::new();
    for provider in failing {
        let error = provider.provide_credentials().await.unwrap_err();
        assert_hidden(&format!("{error} {error:?} {provider:?}"));
        errors.push(error);
    }
    let chain = alibabacloud_runtime::CredentialsError::all_failed("default", errors);
    assert_hidden(&format!("{chain} {chain:?}"));
    assert_eq!(chain.failures().len(), 5);
}

#[test]
fn signed_requests_show_neither_token_nor_signature() {
    use alibabacloud_runtime::signing::{v1, v3};
    use alibabacloud_runtime::{Location, Params};
    let sts = Credentials::new("STS.id", SECRET).with_security_token(TOKEN);
    let mut params = Params::default();
    params.push(Location::Form, "InstanceId", "pcc-1".to_owned());
    let now = std::time::SystemTime::now();

    let signed = v1::sign_request("https://vpcpeer.aliyuncs.com", "2022-01-01", "Reject", &params, &sts, now);
    let signature = signed.url.rsplit_once("Signature=").expect("signed").1.to_owned();
    let shown = format!("{signed:?}");
    assert_hidden(&shown);
    assert!(!shown.contains(&signature), "the signature leaked: {shown}");
    assert!(shown.contains("SecurityToken=** redacted **") && shown.contains("Signature=** redacted **"), "{shown}");
    assert!(shown.contains("AccessKeyId=STS.id") && shown.contains("InstanceId=pcc-1"), "the rest stays: {shown}");

    let signed = v3::sign_request("https://vpcpeer.aliyuncs.com", "2022-01-01", "Reject", &params, &sts, now);
    let (_, authorization) = signed.headers.iter().find(|(name, _)| *name == "authorization").expect("signed");
    let signature = authorization.rsplit_once("Signature=").expect("signature").1.to_owned();
    let shown = format!("{signed:?}");
    assert_hidden(&shown);
    assert!(!shown.contains(&signature), "the signature leaked: {shown}");
    assert!(shown.contains("x-acs-action"), "the rest stays: {shown}");
}
