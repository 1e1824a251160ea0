//! Configuration loaded the way Alibaba's tools load it: variables and the aliyun CLI profile
//! (from an injected environment and real files in a temporary home), credentials from the
//! default chain used end to end against the emulator, and proxies honoured with `NO_PROXY`.

use alibabacloud_emulator::{ACCOUNT_A, Emulator};
use alibabacloud_integration_tests::CaptureServer;
use alibabacloud_runtime::{ConfigBuilder, Env};
use alibabacloud_vpcpeer::{Client, SdkError};
use std::time::Duration;

/// An environment with a temporary home and the metadata service switched off, so that no
/// test ever reaches for 100.100.100.200.
fn env(home: &std::path::Path, pairs: &[(&str, &str)]) -> Env {
    let mut all = vec![("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")];
    all.extend_from_slice(pairs);
    Env::from_pairs(all.iter().copied()).with_home(home)
}

fn write_cli_profile(home: &std::path::Path, profile: &str) {
    let dir = home.join(".aliyun");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let config = format!(r#"{{"current": "work", "profiles": [{{"name": "other", "mode": "AK"}}, {profile}]}}"#);
    std::fs::write(dir.join("config.json"), config).expect("write config.json");
}

#[test]
fn variables_set_region_endpoint_timeouts_and_attempts() {
    let home = tempfile::tempdir().expect("home");
    let env = env(
        home.path(),
        &[
            ("ALIBABA_CLOUD_REGION_ID", "cn-shanghai"),
            ("ALIBABA_CLOUD_ENDPOINT_URL", "http://127.0.0.1:9"),
            // Seconds, as the aliyun CLI sets them for its plugins.
            ("ALIBABA_CLOUD_CONNECT_TIMEOUT", "15"),
            ("ALIBABA_CLOUD_READ_TIMEOUT", "25"),
            ("ALIBABA_CLOUD_MAX_ATTEMPTS", "5"),
            ("ALIBABA_CLOUD_RETRY_COUNT", "1"),
        ],
    );
    let config = ConfigBuilder::from_env(&env).build().expect("config");
    assert_eq!(config.region(), Some("cn-shanghai"));
    assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9/"));
    assert_eq!(config.timeouts().connect, Some(Duration::from_secs(15)));
    assert_eq!(config.timeouts().read, Some(Duration::from_secs(25)));
    assert_eq!(config.retry().max_attempts(), 5, "this SDK's own variable comes first");
    let retry_count = self::env(home.path(), &[("ALIBABA_CLOUD_RETRY_COUNT", "5")]);
    assert_eq!(ConfigBuilder::from_env(&retry_count).build().expect("config").retry().max_attempts(), 6);
}

#[test]
fn zero_means_not_set_as_the_cli_writes_it() {
    let home = tempfile::tempdir().expect("home");
    // Older aliyun CLI versions wrote these zeros into every profile.
    write_cli_profile(
        home.path(),
        r#"{"name": "work", "mode": "AK", "connect_timeout": 0, "retry_timeout": 0, "retry_count": 0}"#,
    );
    let defaults = ConfigBuilder::default().build().expect("config");
    let config = ConfigBuilder::from_env(&env(home.path(), &[])).build().expect("config");
    assert_eq!(config.timeouts(), defaults.timeouts());
    assert_eq!(config.retry().max_attempts(), defaults.retry().max_attempts());
    let zeros = [
        ("ALIBABA_CLOUD_CONNECT_TIMEOUT", "0"),
        ("ALIBABA_CLOUD_READ_TIMEOUT", "0"),
        ("ALIBABA_CLOUD_RETRY_COUNT", "0"),
    ];
    let config = ConfigBuilder::from_env(&env(home.path(), &zeros)).build().expect("config");
    assert_eq!(config.timeouts(), defaults.timeouts());
    assert_eq!(config.retry().max_attempts(), defaults.retry().max_attempts());
    // A zero variable does not hide the profile's value either.
    write_cli_profile(home.path(), r#"{"name": "work", "mode": "AK", "connect_timeout": 4, "retry_count": 4}"#);
    let config = ConfigBuilder::from_env(&env(home.path(), &zeros)).build().expect("config");
    assert_eq!(config.timeouts().connect, Some(Duration::from_secs(4)));
    assert_eq!(config.retry().max_attempts(), 5);
}

#[test]
fn the_cli_profile_supplies_what_variables_do_not() {
    let home = tempfile::tempdir().expect("home");
    write_cli_profile(
        home.path(),
        r#"{"name": "work", "mode": "AK", "access_key_id": "id", "access_key_secret": "s", "region_id": "cn-beijing",
            "connect_timeout": 3, "retry_timeout": 7, "retry_count": 4}"#,
    );
    let config = ConfigBuilder::from_env(&env(home.path(), &[])).build().expect("config");
    assert_eq!(config.region(), Some("cn-beijing"));
    assert_eq!(config.timeouts().connect, Some(Duration::from_secs(3)));
    assert_eq!(config.timeouts().read, Some(Duration::from_secs(7)));
    assert_eq!(config.retry().max_attempts(), 5);

    let overridden = env(home.path(), &[("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")]);
    assert_eq!(ConfigBuilder::from_env(&overridden).build().expect("config").region(), Some("cn-hangzhou"));
    let explicit = ConfigBuilder::from_env(&overridden).region("eu-central-1").build().expect("config");
    assert_eq!(explicit.region(), Some("eu-central-1"), "the builder overrides what was loaded");
}

#[test]
fn a_cli_profile_the_chain_would_not_use_supplies_nothing_and_breaks_nothing() {
    let home = tempfile::tempdir().expect("home");
    write_cli_profile(home.path(), r#"{"name": "work", "mode": "AK", "region_id": "cn-beijing", "retry_count": 9}"#);
    // `ALIBABA_CLOUD_PROFILE` names a section of the credentials file that config.json lacks.
    let config = ConfigBuilder::from_env(&env(home.path(), &[("ALIBABA_CLOUD_PROFILE", "prod")])).build();
    let config = config.expect("a profile only in the credentials file is no error");
    assert_eq!(config.region(), None);
    // Switched off, the CLI profile is not read at all, even when it is broken.
    let disabled = [("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")];
    assert_eq!(ConfigBuilder::from_env(&env(home.path(), &disabled)).build().expect("config").region(), None);
    std::fs::write(home.path().join(".aliyun/config.json"), "{not json").expect("write");
    ConfigBuilder::from_env(&env(home.path(), &disabled)).build().expect("a disabled profile is not read");
    // A `retry_count` at the top of the range asks for as many attempts as there can be.
    write_cli_profile(home.path(), r#"{"name": "work", "mode": "AK", "retry_count": 18446744073709551615}"#);
    let config = ConfigBuilder::from_env(&env(home.path(), &[])).build().expect("config");
    assert_eq!(config.retry().max_attempts(), u32::MAX);
}

#[test]
fn unreadable_settings_fail_naming_the_variable_or_field() {
    let home = tempfile::tempdir().expect("home");
    let error =
        ConfigBuilder::from_env(&env(home.path(), &[("ALIBABA_CLOUD_READ_TIMEOUT", "10s")])).build().expect_err("bad");
    assert!(error.to_string().contains("ALIBABA_CLOUD_READ_TIMEOUT=`10s` is not a whole number"), "{error}");
    // Also when a setting that comes first makes the unreadable one unused.
    let both = [("ALIBABA_CLOUD_MAX_ATTEMPTS", "5"), ("ALIBABA_CLOUD_RETRY_COUNT", "abc")];
    let error = ConfigBuilder::from_env(&env(home.path(), &both)).build().expect_err("bad");
    assert!(error.to_string().contains("ALIBABA_CLOUD_RETRY_COUNT=`abc` is not a whole number"), "{error}");
    write_cli_profile(home.path(), r#"{"name": "work", "mode": "AK", "retry_count": "many"}"#);
    let error = ConfigBuilder::from_env(&env(home.path(), &[])).build().expect_err("bad");
    assert!(error.to_string().contains("`profiles[1].retry_count` is not a whole number"), "{error}");
    std::fs::write(home.path().join(".aliyun/config.json"), "{not json").expect("write");
    let error = ConfigBuilder::from_env(&env(home.path(), &[])).build().expect_err("bad");
    assert!(error.to_string().contains("config.json is not valid JSON"), "{error}");
}

#[test]
fn a_bad_region_endpoint_or_attempt_count_names_where_it_came_from() {
    let home = tempfile::tempdir().expect("home");
    let fails = |pairs: &[(&str, &str)]| {
        ConfigBuilder::from_env(&env(home.path(), pairs)).build().expect_err("refused").to_string()
    };
    let error = fails(&[("ALICLOUD_REGION_ID", "cn hangzhou")]);
    assert!(error.contains(": ALICLOUD_REGION_ID: region `cn hangzhou` is not a region id"), "{error}");
    let error = fails(&[("ALIBABA_CLOUD_ENDPOINT_URL", "vpcpeer.aliyuncs.com")]);
    assert!(error.contains(": ALIBABA_CLOUD_ENDPOINT_URL: endpoint URL `vpcpeer.aliyuncs.com`"), "{error}");
    let error = fails(&[("ALIBABA_CLOUD_MAX_ATTEMPTS", "0")]);
    assert!(error.contains("ALIBABA_CLOUD_MAX_ATTEMPTS=`0`: a call makes at least 1 attempt"), "{error}");

    write_cli_profile(home.path(), r#"{"name": "work", "mode": "AK", "region_id": "x.evil.example/"}"#);
    let error = fails(&[]);
    assert!(error.contains("`profiles[1].region_id`: region `x.evil.example/` is not a region id"), "{error}");
    write_cli_profile(home.path(), r#"{"name": "work", "mode": "AK", "region_id": 7}"#);
    assert!(fails(&[]).contains("`profiles[1].region_id` is not a string"));
    // A region given in code replaces one that could not be loaded.
    let replaced = ConfigBuilder::from_env(&env(home.path(), &[("ALICLOUD_REGION_ID", "cn hangzhou")]));
    assert_eq!(replaced.region("cn-shanghai").build().expect("replaced").region(), Some("cn-shanghai"));
    // A variable set comes first, and the profile's region is then not used.
    let config = ConfigBuilder::from_env(&env(home.path(), &[("ALIBABA_CLOUD_REGION_ID", "cn-beijing")])).build();
    assert_eq!(config.expect("the variable wins").region(), Some("cn-beijing"));
}

#[tokio::test]
async fn credentials_from_the_default_chain_sign_real_calls() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let home = tempfile::tempdir().expect("home");
    let env = env(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCOUNT_A.access_key_id),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCOUNT_A.access_key_secret),
            ("ALIBABA_CLOUD_ENDPOINT_URL", emulator.endpoint()),
        ],
    );
    let client = Client::new(&ConfigBuilder::from_env(&env).build().expect("config"));
    let error = client.get_vpc_peer_connection_attribute().instance_id("pcc-none").send().await.expect_err("missing");
    assert_eq!(error.code(), Some("ResourceNotFound.InstanceId"), "signed with the environment's keys: {error}");

    // The same from the CLI profile file instead of variables.
    let home = tempfile::tempdir().expect("home");
    let profile = format!(
        r#"{{"name": "work", "mode": "AK", "access_key_id": "{}", "access_key_secret": "{}"}}"#,
        ACCOUNT_A.access_key_id, ACCOUNT_A.access_key_secret
    );
    write_cli_profile(home.path(), &profile);
    let env = self::env(home.path(), &[("ALIBABA_CLOUD_ENDPOINT_URL", emulator.endpoint())]);
    let client = Client::new(&ConfigBuilder::from_env(&env).build().expect("config"));
    let error = client.get_vpc_peer_connection_attribute().instance_id("pcc-none").send().await.expect_err("missing");
    assert_eq!(error.code(), Some("ResourceNotFound.InstanceId"), "signed with the profile's keys: {error}");
}

#[tokio::test]
async fn without_any_credentials_the_error_lists_every_provider_and_nothing_is_sent() {
    let server = CaptureServer::start().await;
    let home = tempfile::tempdir().expect("home");
    let env = env(home.path(), &[("ALIBABA_CLOUD_ENDPOINT_URL", server.endpoint())]);
    let client = Client::new(&ConfigBuilder::from_env(&env).build().expect("config"));
    let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("no credentials");
    let SdkError::Credentials(credentials) = &error else { panic!("{error:?}") };
    let providers: Vec<&str> = credentials.failures().iter().map(|failure| failure.provider()).collect();
    assert_eq!(providers, ["env", "cli_profile", "profile"], "{error}");
    let shown = error.to_string();
    for provider in providers {
        assert!(shown.contains(&format!("provider `{provider}`:")), "{provider} missing from: {shown}");
    }
    assert!(server.captured().is_empty());
}

#[tokio::test]
async fn http_proxy_is_used_and_no_proxy_bypasses_it() {
    let proxy = CaptureServer::start().await;
    let home = tempfile::tempdir().expect("home");
    let keys = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")];

    // The endpoint host does not resolve: only the proxy on 127.0.0.1 is ever contacted.
    let through = env(
        home.path(),
        &[
            keys[0],
            keys[1],
            ("HTTP_PROXY", proxy.endpoint()),
            ("ALIBABA_CLOUD_ENDPOINT_URL", "http://vpcpeer.emulated.invalid"),
        ],
    );
    let client = Client::new(&ConfigBuilder::from_env(&through).build().expect("config"));
    client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect("answered by the proxy");
    let sent = proxy.last();
    assert_eq!(sent.headers.get("host").and_then(|h| h.to_str().ok()), Some("vpcpeer.emulated.invalid"));
    assert_eq!(sent.query_value("Action").as_deref(), Some("RejectVpcPeerConnection"));

    let target = CaptureServer::start().await;
    let dead_proxy = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", listener.local_addr().expect("addr"))
    };
    // NO_PROXY lists the target, so the dead proxy is never used. The target is `0.0.0.0`,
    // which Linux connects to 127.0.0.1 with no name lookup (other systems may refuse it), and
    // which is not a loopback address by its spelling, so only NO_PROXY keeps it from the proxy.
    if cfg!(target_os = "linux") {
        let unspecified = target.endpoint().replace("127.0.0.1", "0.0.0.0");
        let through_dead = env(
            home.path(),
            &[keys[0], keys[1], ("http_proxy", &dead_proxy), ("ALIBABA_CLOUD_ENDPOINT_URL", &unspecified)],
        );
        let client = Client::new(&ConfigBuilder::from_env(&through_dead).build().expect("config"));
        let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("dead proxy");
        assert!(matches!(error, SdkError::Transport(_)), "{error}");
        assert!(target.captured().is_empty());
        let bypass = env(
            home.path(),
            &[
                keys[0],
                keys[1],
                ("http_proxy", &dead_proxy),
                ("no_proxy", "example.com,0.0.0.0"),
                ("ALIBABA_CLOUD_ENDPOINT_URL", &unspecified),
            ],
        );
        let client = Client::new(&ConfigBuilder::from_env(&bypass).build().expect("config"));
        client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect("sent directly");
        assert_eq!(target.captured().len(), 1);
    }

    // A loopback endpoint (a local emulator) is reached directly even without NO_PROXY.
    let before = target.captured().len();
    let loopback = env(
        home.path(),
        &[keys[0], keys[1], ("HTTP_PROXY", &dead_proxy), ("ALIBABA_CLOUD_ENDPOINT_URL", target.endpoint())],
    );
    let client = Client::new(&ConfigBuilder::from_env(&loopback).build().expect("config"));
    client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect("sent directly");
    assert_eq!(target.captured().len(), before + 1);
}

#[tokio::test]
async fn https_proxy_carries_https_endpoints_through_connect() {
    // A proxy on 127.0.0.1 that records the first line it is sent and then hangs up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let proxy = format!("http://{}", listener.local_addr().expect("addr"));
    let first_line = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("the client connects to the proxy");
        let mut line = String::new();
        tokio::io::AsyncBufReadExt::read_line(&mut tokio::io::BufReader::new(stream), &mut line).await.expect("read");
        line
    });
    let home = tempfile::tempdir().expect("home");
    let env = env(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret"),
            ("HTTPS_PROXY", &proxy),
            ("ALIBABA_CLOUD_ENDPOINT_URL", "https://vpcpeer.emulated.invalid"),
        ],
    );
    let client = Client::new(&ConfigBuilder::from_env(&env).build().expect("config"));
    let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("the proxy hangs up");
    assert!(matches!(error, SdkError::Transport(_)), "{error:?}");
    let line = first_line.await.expect("proxy task");
    assert_eq!(line.trim_end(), "CONNECT vpcpeer.emulated.invalid:443 HTTP/1.1");
}

#[test]
fn region_variables_are_read_in_alibabas_order() {
    let home = tempfile::tempdir().expect("home");
    let region = |pairs: &[(&str, &str)]| {
        ConfigBuilder::from_env(&env(home.path(), pairs)).build().expect("config").region().map(str::to_owned)
    };
    let all = [
        ("ALICLOUD_REGION_ID", "cn-third"),
        ("ALIBABACLOUD_REGION_ID", "cn-second"),
        ("ALIBABA_CLOUD_REGION_ID", "cn-first"),
    ];
    assert_eq!(region(&all).as_deref(), Some("cn-first"));
    assert_eq!(region(&all[..2]).as_deref(), Some("cn-second"));
    assert_eq!(region(&all[..1]).as_deref(), Some("cn-third"));
    assert_eq!(region(&[]), None);
}

/// Everything a user names in a signature or calls through a trait comes from the generated
/// crate alone, with no direct dependency on the runtime.
#[tokio::test]
async fn the_generated_crate_names_the_types_its_api_hands_out() {
    use alibabacloud_vpcpeer::{ConfigError, ServiceError, TimeoutConfig, credentials::StaticProvider};
    fn config(endpoint: &str) -> Result<alibabacloud_vpcpeer::Config, ConfigError> {
        let credentials = alibabacloud_vpcpeer::Credentials::new(ACCOUNT_A.access_key_id, ACCOUNT_A.access_key_secret);
        alibabacloud_vpcpeer::Config::builder()
            .credentials_provider(StaticProvider::new(credentials))
            .timeouts(TimeoutConfig::default())
            .endpoint_url(endpoint)
            .build()
    }
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = Client::new(&config(emulator.endpoint()).expect("config"));
    let error = client.reject_vpc_peer_connection().instance_id("pcc-none").send().await.expect_err("missing");
    let service = error.into_service_error().expect("a service error");
    assert_eq!(service.metadata().code(), Some("ResourceNotFound.InstanceId"));
}
