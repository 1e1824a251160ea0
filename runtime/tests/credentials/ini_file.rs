//! The INI credentials-file provider reading real files in a temporary home directory.

use crate::support::{FakeImds, PATIENT, SECRET, credentials_json, write_file};
use alibabacloud_runtime::credentials::{
    CredentialsError, CredentialsErrorKind, EcsRamRoleProvider, IniFileProvider, ProvideCredentials,
};
use alibabacloud_runtime::{Credentials, Env};
use std::path::Path;

fn ini() -> String {
    format!(
        "# Alibaba Cloud credentials\n\
         [default]\n\
         type = access_key          # long-term key\n\
         access_key_id = ini-id\n\
         access_key_secret = {SECRET}\n\
         \n\
         [ecs]\n\
         type = ecs_ram_role\n\
         role_name = my-ecs-role\n\
         \n\
         [rsa]\n\
         type = rsa_key_pair\n\
         public_key_id = id\n\
         private_key_file = /no/such/key.pem\n\
         \n\
         [odd]\n\
         type = telepathy\n\
         \n\
         [partial]\n\
         type = access_key\n\
         access_key_id = id\n\
         access_key_secret =\n"
    )
}

async fn load(home: &Path, pairs: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
    let env = Env::from_pairs(pairs.iter().copied()).with_home(home);
    IniFileProvider::new(env).provide_credentials().await
}

#[tokio::test]
async fn reads_the_default_section_of_the_file_named_in_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "custom.ini", &ini());
    let file = dir.path().join("custom.ini");
    let credentials = load(dir.path(), &[("ALIBABA_CLOUD_CREDENTIALS_FILE", file.to_str().unwrap())]).await.unwrap();
    assert_eq!(credentials.access_key_id(), "ini-id");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert_eq!(credentials.provider_name(), "profile/static_ak");
}

#[tokio::test]
async fn looks_for_credentials_then_credentials_ini_in_the_home_directory() {
    let home = tempfile::tempdir().unwrap();
    write_file(home.path(), ".alibabacloud/credentials.ini", &ini());
    assert_eq!(load(home.path(), &[]).await.unwrap().access_key_id(), "ini-id");

    let first = "[default]\ntype = access_key\naccess_key_id = from-credentials\naccess_key_secret = x\n";
    write_file(home.path(), ".alibabacloud/credentials", first);
    assert_eq!(load(home.path(), &[]).await.unwrap().access_key_id(), "from-credentials");
}

#[tokio::test]
async fn ecs_ram_role_sections_ask_the_metadata_service() {
    let imds = FakeImds::start(credentials_json("STS.ecs", "2099-01-01T06:00:00Z")).await;
    let home = tempfile::tempdir().unwrap();
    write_file(home.path(), ".alibabacloud/credentials", &ini());
    let env = Env::from_pairs([("ALIBABA_CLOUD_PROFILE", "ecs")]).with_home(home.path());
    let metadata = EcsRamRoleProvider::new().with_endpoint(&imds.url).with_timeouts(PATIENT, PATIENT);
    let credentials = IniFileProvider::new(env).with_ecs_metadata(metadata).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "STS.ecs");
    assert_eq!(credentials.provider_name(), "profile/ecs_ram_role");
    assert_eq!(imds.state.role_requests.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn other_types_and_bad_sections_are_clear_errors() {
    let home = tempfile::tempdir().unwrap();
    write_file(home.path(), ".alibabacloud/credentials", &ini());
    let path = home.path().join(".alibabacloud/credentials").display().to_string();

    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "rsa")]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::Unsupported);
    assert!(error.message().contains("[rsa] `type` is `rsa_key_pair`, which this SDK does not support yet"), "{error}");

    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "odd")]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert!(error.message().contains("`type` is `telepathy`, an unknown type"), "{error}");

    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "partial")]).await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: [partial] `access_key_secret` is empty"));

    let error = load(home.path(), &[("ALIBABA_CLOUD_PROFILE", "ghost")]).await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: no section [ghost]"));

    write_file(home.path(), ".alibabacloud/credentials", &format!("[default]\n{SECRET}\n"));
    let error = load(home.path(), &[]).await.unwrap_err();
    assert_eq!(error.message(), format!("{path}: line 2: expected `key = value`, `[section]` or a comment"));
    assert!(!format!("{error} {error:?}").contains(SECRET));
}

#[tokio::test]
async fn missing_files_are_errors_naming_the_paths() {
    let home = tempfile::tempdir().unwrap();
    let error = load(home.path(), &[]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    assert!(error.message().contains(".alibabacloud/credentials nor "), "{error}");
    assert!(error.message().contains(".alibabacloud/credentials.ini exists"), "{error}");

    let missing = home.path().join("nope.ini");
    let error = load(home.path(), &[("ALIBABA_CLOUD_CREDENTIALS_FILE", missing.to_str().unwrap())]).await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert_eq!(error.message(), format!("cannot read the credentials file {}", missing.display()));

    let error = IniFileProvider::new(Env::from_pairs::<_, &str, &str>([])).provide_credentials().await.unwrap_err();
    assert!(error.message().contains("there is no home directory"), "{error}");
}
