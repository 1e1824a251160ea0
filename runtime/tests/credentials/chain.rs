//! The default chain: order, membership from the environment, the remembered provider and
//! the error listing every provider.

use crate::support::{
    FakeCredentialsUri, FakeImds, PATIENT, SECRET, SHORT, ScriptedProvider, closed_port_url, credentials_json,
    write_file,
};
use alibabacloud_runtime::credentials::{CredentialsErrorKind, DefaultCredentialsChain, ProvideCredentials};
use alibabacloud_runtime::{Credentials, Env};
use axum::http::StatusCode;
use std::sync::atomic::Ordering;

fn ok(id: &str) -> Result<Credentials, alibabacloud_runtime::CredentialsError> {
    Ok(Credentials::new(id, SECRET).with_provider_name("scripted"))
}

#[tokio::test]
async fn returns_the_first_success_in_order() {
    let first = ScriptedProvider::new("first", vec![ScriptedProvider::failure("first")]);
    let second = ScriptedProvider::new("second", vec![ok("two")]);
    let third = ScriptedProvider::new("third", vec![ok("three")]);
    let counts = [first.calls.clone(), second.calls.clone(), third.calls.clone()];
    let chain = DefaultCredentialsChain::from_providers(vec![Box::new(first), Box::new(second), Box::new(third)]);
    assert_eq!(chain.provider_names(), ["first", "second", "third"]);

    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "two");
    assert_eq!(credentials.provider_name(), "default/scripted");
    assert_eq!(counts.each_ref().map(|c| c.load(Ordering::SeqCst)), [1, 1, 0]);
}

#[tokio::test]
async fn remembers_the_provider_that_succeeded_and_walks_again_when_it_fails() {
    let first = ScriptedProvider::new("first", vec![ScriptedProvider::failure("first")]);
    let second = ScriptedProvider::new(
        "second",
        vec![ok("two"), ok("two"), ScriptedProvider::failure("second"), ScriptedProvider::failure("second")],
    );
    let third = ScriptedProvider::new("third", vec![ok("three")]);
    let counts = [first.calls.clone(), second.calls.clone(), third.calls.clone()];
    let load = |c: &[std::sync::Arc<std::sync::atomic::AtomicUsize>; 3]| c.each_ref().map(|c| c.load(Ordering::SeqCst));
    let chain = DefaultCredentialsChain::from_providers(vec![Box::new(first), Box::new(second), Box::new(third)]);

    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "two");
    assert_eq!(load(&counts), [1, 1, 0]);
    // The remembered provider is asked directly.
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "two");
    assert_eq!(load(&counts), [1, 2, 0]);
    // It fails: the whole chain is walked again, without asking it twice.
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "three");
    assert_eq!(load(&counts), [2, 3, 1]);
    // The new success is remembered.
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "three");
    assert_eq!(load(&counts), [2, 3, 2]);
}

#[tokio::test]
async fn when_all_fail_the_error_lists_every_provider_in_order() {
    let providers: Vec<Box<dyn ProvideCredentials>> = ["a", "b", "c"]
        .into_iter()
        .map(|name| {
            Box::new(ScriptedProvider::new(name, vec![ScriptedProvider::failure(name)])) as Box<dyn ProvideCredentials>
        })
        .collect();
    let chain = DefaultCredentialsChain::from_providers(providers);
    for _ in 0..2 {
        let error = chain.provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::AllProvidersFailed);
        assert_eq!(error.provider(), "default");
        let providers: Vec<_> = error.failures().iter().map(|f| f.provider().to_owned()).collect();
        assert_eq!(providers, ["a", "b", "c"]);
        assert_eq!(
            error.to_string(),
            "credentials provider `default`: all 3 providers failed \
             [credentials provider `a`: a has nothing] [credentials provider `b`: b has nothing] \
             [credentials provider `c`: c has nothing]"
        );
    }
}

#[test]
fn membership_follows_the_environment() {
    let names =
        |pairs: &[(&str, &str)]| DefaultCredentialsChain::new(Env::from_pairs(pairs.iter().copied())).provider_names();
    assert_eq!(names(&[]), ["env", "cli_profile", "profile", "ecs_ram_role"]);
    assert_eq!(
        names(&[("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:1/c")]),
        ["env", "cli_profile", "profile", "ecs_ram_role", "credential_uri"]
    );
    assert_eq!(
        names(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"), ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "TRUE")]),
        ["env", "profile"]
    );
    assert_eq!(
        names(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "false")]),
        ["env", "cli_profile", "profile", "ecs_ram_role"]
    );
}

#[tokio::test]
async fn the_real_chain_lists_every_failure_with_its_reason() {
    let home = tempfile::tempdir().unwrap();
    let uri = FakeCredentialsUri::start(StatusCode::SERVICE_UNAVAILABLE, String::new()).await;
    let env = Env::from_pairs([("ALIBABA_CLOUD_CREDENTIALS_URI", uri.url.as_str())]).with_home(home.path());
    let chain = DefaultCredentialsChain::builder(env)
        .ecs_metadata_endpoint(closed_port_url().await)
        .ecs_metadata_timeouts(SHORT, SHORT)
        .credentials_uri_timeouts(SHORT, SHORT)
        .build();
    let error = chain.provide_credentials().await.unwrap_err();
    let reasons: Vec<_> = error.failures().iter().map(|f| (f.provider().to_owned(), f.kind())).collect();
    assert_eq!(
        reasons,
        [
            ("env".to_owned(), CredentialsErrorKind::NotConfigured),
            ("cli_profile".to_owned(), CredentialsErrorKind::NotConfigured),
            ("profile".to_owned(), CredentialsErrorKind::NotConfigured),
            ("ecs_ram_role".to_owned(), CredentialsErrorKind::Transport),
            ("credential_uri".to_owned(), CredentialsErrorKind::Transport),
        ]
    );
    let shown = error.to_string();
    for expected in ["ALIBABA_CLOUD_ACCESS_KEY_ID", "config.json", "credentials.ini", "could not connect", "HTTP 503"] {
        assert!(shown.contains(expected), "{expected} missing from {shown}");
    }
}

#[tokio::test]
async fn the_real_chain_takes_the_first_configured_source() {
    let imds = FakeImds::start(credentials_json("STS.ecs", "2099-01-01T06:00:00Z")).await;
    let home = tempfile::tempdir().unwrap();
    let chain = |pairs: &[(&str, &str)]| {
        let env = Env::from_pairs(pairs.iter().copied()).with_home(home.path());
        DefaultCredentialsChain::builder(env)
            .ecs_metadata_endpoint(&imds.url)
            .ecs_metadata_timeouts(PATIENT, PATIENT)
            .build()
    };
    let loaded = chain(&[]).provide_credentials().await.unwrap();
    assert_eq!((loaded.access_key_id(), loaded.provider_name()), ("STS.ecs", "default/ecs_ram_role"));

    write_file(
        home.path(),
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = ini\naccess_key_secret = s\n",
    );
    let loaded = chain(&[]).provide_credentials().await.unwrap();
    assert_eq!((loaded.access_key_id(), loaded.provider_name()), ("ini", "default/profile/static_ak"));

    let config =
        r#"{"current":"p","profiles":[{"name":"p","mode":"AK","access_key_id":"cli","access_key_secret":"s"}]}"#;
    write_file(home.path(), ".aliyun/config.json", config);
    let loaded = chain(&[]).provide_credentials().await.unwrap();
    assert_eq!((loaded.access_key_id(), loaded.provider_name()), ("cli", "default/cli_profile/static_ak"));
    let loaded = chain(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")]).provide_credentials().await.unwrap();
    assert_eq!(loaded.access_key_id(), "ini");

    let env_pairs = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "env"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")];
    let loaded = chain(&env_pairs).provide_credentials().await.unwrap();
    assert_eq!((loaded.access_key_id(), loaded.provider_name()), ("env", "default/env"));
    assert_eq!(imds.state.credentials_requests.load(Ordering::SeqCst), 1);
}
