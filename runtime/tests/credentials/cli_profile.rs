//! The aliyun CLI profile provider reading real files in a temporary home directory.

use crate::support::{FakeImds, PATIENT, SECRET, TOKEN, credentials_json, write_file};
use alibabacloud_runtime::Env;
use alibabacloud_runtime::credentials::{
    CliProfileProvider, CredentialsError, CredentialsErrorKind, EcsRamRoleProvider, ProvideCredentials,
};
use serde_json::json;

const CONFIG: &str = ".aliyun/config.json";

fn config() -> String {
    json!({
        "current": "main",
        "profiles": [
            {"name": "main", "mode": "AK", "access_key_id": "ak-id", "access_key_secret": SECRET, "region_id": "cn-hangzhou"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "STS.id", "access_key_secret": SECRET, "sts_token": TOKEN},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "my-ecs-role"},
            {"name": "ecs-lookup", "mode": "EcsRamRole", "ram_role_name": ""},
            {"name": "oauth", "mode": "OAuth", "oauth_site_type": "CN"},
            {"name": "odd", "mode": "Telepathy"},
            {"name": "no-secret", "mode": "AK", "access_key_id": "id"},
            {"name": "numeric-secret", "mode": "AK", "access_key_id": "id", "access_key_secret": 987654321},
        ]
    })
    .to_string()
}

async fn load(
    home: &std::path::Path,
    pairs: &[(&str, &str)],
) -> Result<alibabacloud_runtime::Credentials, CredentialsError> {
    let env = Env::from_pairs(pairs.iter().copied()).with_home(home);
    CliProfileProvider::new(env).provide_credentials().await
}

#[tokio::test]
async fn reads_the_current_profile_or_the_one_in_the_environment() {
    let home = tempfile::tempdir().unwrap();
    write_file(home.path(), CONFIG, &config());

    let credentials = load(home.path(), &[]).await.unwrap();
    assert_eq!(credentials.access_key_id(), "ak-id");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert!(credentials.security_token().is_none());
    assert_eq!(credentials.provider_name(), "cli_profile/static_ak");

    let credentials = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "sts")]).await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.id");
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.provider_name(), "cli_profile/static_sts");
}

#[tokio::test]
async fn ecs_ram_role_mode_asks_the_metadata_service() {
    let imds = FakeImds::start(credentials_json("STS.ecs", "2099-01-01T06:00:00Z")).await;
    let home = tempfile::tempdir().unwrap();
    write_file(home.path(), CONFIG, &config());
    for profile in ["ecs", "ecs-lookup"] {
        let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", profile)]).with_home(home.path());
        let metadata = EcsRamRoleProvider::new().with_endpoint(&imds.url).with_timeouts(PATIENT, PATIENT);
        let provider = CliProfileProvider::new(env).with_ecs_metadata(metadata);
        let credentials = provider.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "STS.ecs");
        assert_eq!(credentials.provider_name(), "cli_profile/ecs_ram_role");
    }
    // The named role skipped the role-name lookup; the empty one did not.
    assert_eq!(imds.state.role_requests.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(imds.state.credentials_requests.load(std::sync::atomic::Ordering::SeqCst), 2);

    let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", "ecs")]).with_home(home.path());
    let unreachable = EcsRamRoleProvider::new().with_endpoint(crate::support::closed_port_url().await);
    let error = CliProfileProvider::new(env).with_ecs_metadata(unreachable).provide_credentials().await.unwrap_err();
    assert_eq!(error.provider(), "cli_profile");
    assert!(error.message().starts_with("profile `ecs` (mode EcsRamRole): "), "{error}");
}

#[tokio::test]
async fn unknown_and_unsupported_modes_are_errors() {
    let home = tempfile::tempdir().unwrap();
    write_file(home.path(), CONFIG, &config());

    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "odd")]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert!(error.message().contains("`profiles[5].mode` is `Telepathy`, an unknown mode"), "{error}");

    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "oauth")]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Unsupported);
    assert!(error.message().contains("`OAuth`, which this SDK does not support yet"), "{error}");
}

#[tokio::test]
async fn errors_name_the_file_and_the_json_path() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join(CONFIG).display().to_string();

    let error = load(home.path(), &[]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(error.message(), format!("cannot read {path}"));

    write_file(home.path(), CONFIG, &config());
    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "no-secret")]).await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: `profiles[6].access_key_secret` is missing"));
    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "numeric-secret")]).await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: `profiles[7].access_key_secret` is not a string"));
    assert!(!format!("{error} {error:?}").contains("987654321"));
    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "ghost")]).await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: no profile named `ghost` in `profiles`"));
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured, "the variable may name an INI section only");

    write_file(home.path(), CONFIG, r#"{"profiles": []}"#);
    let error = load(home.path(), &[]).await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: `current` is missing, and ALIBABA_CLOUD_PROFILE is not set"));

    write_file(home.path(), CONFIG, r#"{"current": "x", "profiles": {}}"#);
    let error = load(home.path(), &[]).await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: `profiles` is missing or not an array"));

    write_file(home.path(), CONFIG, "{ not json");
    let error = load(home.path(), &[]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert_eq!(error.message(), format!("{path} is not valid JSON"));
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn no_home_directory_is_an_error_not_a_panic() {
    let provider = CliProfileProvider::new(Env::from_pairs::<_, &str, &str>([]));
    let error = provider.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    assert!(error.message().contains("no home directory"), "{error}");
}

#[tokio::test]
async fn an_explicit_path_replaces_the_home_directory_lookup() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "elsewhere.json", &config());
    let provider =
        CliProfileProvider::new(Env::from_pairs::<_, &str, &str>([])).with_path(dir.path().join("elsewhere.json"));
    assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), "ak-id");
}
