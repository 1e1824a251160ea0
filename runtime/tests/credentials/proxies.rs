//! The proxies of an `Env` (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`) carry the requests to
//! STS and the CloudSSO portal, but not those to loopback addresses. A fake STS on
//! 127.0.0.1 stands in for the proxy of plain-HTTP requests (it answers the absolute-form
//! requests a client sends a proxy, for a host that does not exist); for HTTPS, a proxy on
//! 127.0.0.1 records the `CONNECT` it is asked for.

use crate::support::{FakeCloudSsoPortal, FakeSts, PATIENT, SECRET, TOKEN, write_file};
use alibabacloud_runtime::Credentials;
use alibabacloud_runtime::Env;
use alibabacloud_runtime::credentials::{
    CliProfileProvider, CloudSsoProvider, CredentialsErrorKind, OidcRoleArnProvider, ProvideCredentials,
    RamRoleArnProvider, StaticProvider,
};
use axum::http::StatusCode;
use serde_json::json;
use std::time::{SystemTime, UNIX_EPOCH};

/// A host that exists nowhere: only a proxy can reach it.
const UNREACHABLE_STS: &str = "http://sts.proxied.invalid";

fn sts_answer() -> String {
    json!({"RequestId": "r-1", "Credentials": {
        "AccessKeyId": "STS.proxied", "AccessKeySecret": SECRET, "SecurityToken": TOKEN,
        "Expiration": "2099-01-01T06:00:00Z"}})
    .to_string()
}

/// A home directory whose CLI configuration holds `profiles`, the first one current.
fn home_with(profiles: serde_json::Value) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let current = profiles[0]["name"].clone();
    write_file(home.path(), ".aliyun/config.json", &json!({"current": current, "profiles": profiles}).to_string());
    home
}

#[tokio::test]
async fn sts_is_reached_through_the_proxy_of_the_environment_unless_no_proxy_names_it() {
    let proxy = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let home = home_with(json!([{"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI-source",
        "access_key_secret": "source-secret", "ram_role_arn": "acs:ram::123456789012:role/app"}]));
    let provider = |sts: &str, pairs: Vec<(&str, &str)>| {
        CliProfileProvider::new(Env::from_pairs(pairs).with_home(home.path())).with_sts_endpoint(sts)
    };

    let credentials = provider(UNREACHABLE_STS, vec![("HTTP_PROXY", &proxy.url)]).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.proxied");
    assert_eq!(proxy.calls.lock().unwrap()[0].0["Action"], "AssumeRole");

    let lower_case = provider(UNREACHABLE_STS, vec![("http_proxy", &proxy.url)]).provide_credentials().await.unwrap();
    assert_eq!(lower_case.access_key_id(), "STS.proxied");

    // NO_PROXY, with a host reached without a name lookup and not a loopback address by its
    // spelling: `0.0.0.0`, which Linux connects to 127.0.0.1 (other systems may refuse it).
    if !cfg!(target_os = "linux") {
        return;
    }
    let direct = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let unspecified = direct.url.replace("127.0.0.1", "0.0.0.0");
    let proxied = provider(&unspecified, vec![("HTTP_PROXY", &proxy.url)]).provide_credentials().await.unwrap();
    assert_eq!(proxied.access_key_id(), "STS.proxied");
    assert_eq!((proxy.calls.lock().unwrap().len(), direct.calls.lock().unwrap().len()), (3, 0), "sent to the proxy");
    let bypassed = provider(&unspecified, vec![("HTTP_PROXY", &proxy.url), ("NO_PROXY", "example.com,0.0.0.0")]);
    bypassed.provide_credentials().await.unwrap();
    assert_eq!((proxy.calls.lock().unwrap().len(), direct.calls.lock().unwrap().len()), (3, 1), "sent directly");
}

#[tokio::test]
async fn a_region_that_would_move_the_sts_host_is_refused_before_anything_is_sent() {
    let (proxy, seen) = refusing_proxy();
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "token", "oidc-token-value");
    let token_file = dir.path().join("token").display().to_string();
    for region in ["x@evil.example#", "a/b", "x?y", "cn hangzhou"] {
        let env = Env::from_pairs([
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123456789012:role/oidc"),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::123456789012:oidc-provider/p"),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.as_str()),
            ("ALIBABA_CLOUD_STS_REGION", region),
            ("HTTPS_PROXY", proxy.as_str()),
        ]);
        let error = OidcRoleArnProvider::from_env(&env).expect("configured").provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig, "{region}: {error}");
        assert!(error.message().contains("ALIBABA_CLOUD_STS_REGION"), "{error}");
        assert!(!format!("{error} {error:?}").contains("oidc-token-value"));

        let home = home_with(json!([{"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI-source",
            "access_key_secret": "source-secret", "ram_role_arn": "acs:ram::1:role/app", "sts_region": region}]));
        let env = Env::from_pairs([("HTTPS_PROXY", proxy.as_str())]).with_home(home.path());
        let error = CliProfileProvider::new(env).provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig, "{region}: {error}");
        assert!(error.message().contains("profiles[0].sts_region"), "{error}");
    }
    assert!(seen.try_recv().is_err(), "nothing was sent");
}

#[tokio::test]
async fn the_oidc_provider_of_the_environment_uses_its_proxy() {
    let proxy = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "token", "oidc-token");
    let token_file = dir.path().join("token").display().to_string();
    let env = Env::from_pairs([
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123456789012:role/oidc"),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::123456789012:oidc-provider/p"),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.as_str()),
        ("HTTP_PROXY", proxy.url.as_str()),
    ]);
    let provider = OidcRoleArnProvider::from_env(&env).expect("configured").with_sts_endpoint(UNREACHABLE_STS);
    assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), "STS.proxied");
    assert_eq!(proxy.calls.lock().unwrap()[0].0["Action"], "AssumeRoleWithOIDC");
}

#[tokio::test]
async fn providers_built_by_hand_take_the_proxies_of_an_env() {
    let proxy = FakeSts::start(StatusCode::OK, sts_answer()).await;
    let env = Env::from_pairs([("HTTP_PROXY", proxy.url.as_str())]);
    let source = StaticProvider::new(Credentials::new("LTAI-source", "source-secret"));
    let role = RamRoleArnProvider::new(source, "acs:ram::123456789012:role/app").with_sts_endpoint(UNREACHABLE_STS);
    let proxied = role.with_proxies_of(&env).provide_credentials().await.unwrap();
    assert_eq!(proxied.access_key_id(), "STS.proxied");
    assert_eq!(proxy.calls.lock().unwrap()[0].0["Action"], "AssumeRole");

    let (proxy, seen) = refusing_proxy();
    let env = Env::from_pairs([("HTTPS_PROXY", proxy.as_str())]);
    let login_expiry = SystemTime::now() + std::time::Duration::from_secs(3600);
    let sso = CloudSsoProvider::new("https://signin.proxied.invalid/login", "1", "ac-1", "login-token", login_expiry);
    let error = sso.with_proxies_of(&env).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Transport, "{error}");
    assert_eq!(seen.recv_timeout(PATIENT).expect("the proxy was asked"), "CONNECT signin.proxied.invalid:443 HTTP/1.1");
}

/// A proxy on 127.0.0.1 that refuses its first request; gives its URL and a receiver of that
/// request's line (nothing arrives when no request does).
fn refusing_proxy() -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (line, seen) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = [0u8; 1024];
        let read = socket.read(&mut request).unwrap();
        socket.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n").unwrap();
        let first = String::from_utf8_lossy(&request[..read]).lines().next().unwrap_or_default().to_owned();
        line.send(first).unwrap();
    });
    (url, seen)
}

#[tokio::test]
async fn profiles_with_an_sts_region_call_that_region_s_sts() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "token", "oidc-token");
    let token_file = dir.path().join("token").display().to_string();
    let home = home_with(json!([
        {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::123456789012:role/oidc",
         "oidc_provider_arn": "acs:ram::123456789012:oidc-provider/p", "oidc_token_file": token_file,
         "sts_region": "cn-shanghai"},
        {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI-source", "access_key_secret": "source-secret",
         "ram_role_arn": "acs:ram::123456789012:role/app", "sts_region": "cn-hangzhou", "enable_vpc": true},
    ]));
    for (profile, connect) in
        [("oidc", "CONNECT sts.cn-shanghai.aliyuncs.com:443"), ("role", "CONNECT sts-vpc.cn-hangzhou.aliyuncs.com:443")]
    {
        // The proxy records where the call goes, and refuses it: nothing leaves 127.0.0.1.
        let (proxy, seen) = refusing_proxy();
        let env = Env::from_pairs([("HTTPS_PROXY", proxy.as_str()), ("ALIBABA_CLOUD_PROFILE", profile)]);
        let error = CliProfileProvider::new(env.with_home(home.path())).provide_credentials().await.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::Transport, "{error}");
        assert_eq!(seen.recv_timeout(PATIENT).expect("the proxy was asked"), format!("{connect} HTTP/1.1"));
    }
}

#[tokio::test]
async fn the_cloud_sso_portal_is_reached_through_the_proxy() {
    let login_expire = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 3600;
    let home = home_with(json!([{"name": "sso", "mode": "CloudSSO",
        "cloud_sso_sign_in_url": "https://signin.proxied.invalid/login", "cloud_sso_account_id": "1",
        "cloud_sso_access_config": "ac-1", "access_token": "login-token",
        "cloud_sso_access_token_expire": login_expire}]));
    let (proxy, seen) = refusing_proxy();
    let env = Env::from_pairs([("HTTPS_PROXY", proxy.as_str())]).with_home(home.path());
    let error = CliProfileProvider::new(env).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Transport, "{error}");
    assert_eq!(seen.recv_timeout(PATIENT).expect("the proxy was asked"), "CONNECT signin.proxied.invalid:443 HTTP/1.1");
}

#[tokio::test]
async fn a_loopback_portal_is_reached_directly_so_the_login_token_never_goes_to_a_proxy() {
    let answer = json!({"CloudCredential": {"AccessKeyId": "STS.local", "AccessKeySecret": SECRET,
        "SecurityToken": TOKEN, "Expiration": "2099-01-01T06:00:00Z"}});
    let portal = FakeCloudSsoPortal::start(StatusCode::OK, answer.to_string()).await;
    let login_expire = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 3600;
    let home = home_with(json!([{"name": "sso", "mode": "CloudSSO",
        "cloud_sso_sign_in_url": format!("{}/login", portal.url), "cloud_sso_account_id": "1",
        "cloud_sso_access_config": "ac-1", "access_token": "login-token",
        "cloud_sso_access_token_expire": login_expire}]));
    let (proxy, seen) = refusing_proxy();
    let env = Env::from_pairs([("HTTP_PROXY", proxy.as_str())]).with_home(home.path());
    let credentials = CliProfileProvider::new(env).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.local");
    assert_eq!(portal.calls.lock().unwrap().len(), 1);
    assert!(seen.try_recv().is_err(), "the proxy saw nothing");
}

#[tokio::test]
async fn a_bad_proxy_url_is_named_without_its_password() {
    let home = home_with(json!([{"name": "role", "mode": "RamRoleArn", "access_key_id": "id",
        "access_key_secret": "secret", "ram_role_arn": "acs:ram::1:role/r"}]));
    let env = Env::from_pairs([("HTTP_PROXY", "http://alice:pr0xy-pass@[not-a-host")]).with_home(home.path());
    let error = CliProfileProvider::new(env).provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig, "{error}");
    assert!(error.message().contains("proxy URL `http://** redacted **@[not-a-host` is invalid"), "{error}");
    assert!(!format!("{error} {error:?}").contains("pr0xy-pass"));
}
