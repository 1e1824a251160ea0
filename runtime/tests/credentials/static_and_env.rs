//! The static and environment providers.

use crate::support::{SECRET, TOKEN};
use alibabacloud_runtime::Env;
use alibabacloud_runtime::credentials::{
    Credentials, CredentialsErrorKind, EnvironmentProvider, ProvideCredentials, StaticProvider,
};
use std::time::{Duration, UNIX_EPOCH};

#[tokio::test]
async fn static_provider_returns_its_credentials_named_by_kind() {
    let long_term = StaticProvider::new(Credentials::new("id", SECRET)).provide_credentials().await.unwrap();
    assert_eq!(long_term, Credentials::new("id", SECRET));
    assert_eq!(long_term.provider_name(), "static_ak");
    assert_eq!(long_term.expiry(), None);

    let sts = StaticProvider::new(Credentials::new("STS.id", SECRET).with_security_token(TOKEN));
    let sts = sts.provide_credentials().await.unwrap();
    assert_eq!(sts.security_token().unwrap().expose(), TOKEN);
    assert_eq!(sts.provider_name(), "static_sts");
}

#[test]
fn credentials_carry_expiry_and_provider_name() {
    let expiry = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let credentials = Credentials::new("id", SECRET).with_expiry(expiry).with_provider_name("custom");
    assert_eq!(credentials.expiry(), Some(expiry));
    assert_eq!(credentials.provider_name(), "custom");
    assert_eq!(Credentials::new("id", SECRET).provider_name(), Credentials::STATIC_PROVIDER_NAME);
}

#[tokio::test]
async fn environment_provider_reads_id_secret_and_token() {
    let env = Env::from_pairs([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
    ]);
    let credentials = EnvironmentProvider::new(env).provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "env-id");
    assert_eq!(credentials.access_key_secret().expose(), SECRET);
    assert_eq!(credentials.security_token().unwrap().expose(), TOKEN);
    assert_eq!(credentials.provider_name(), "env");

    let env = Env::from_pairs([("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)]);
    let credentials = EnvironmentProvider::new(env).provide_credentials().await.unwrap();
    assert!(credentials.security_token().is_none());
}

#[tokio::test]
async fn environment_provider_errors_name_the_missing_variable() {
    let unset = EnvironmentProvider::new(Env::from_pairs([("ALIBABA_CLOUD_ACCESS_KEY_ID", "")]));
    let error = unset.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(error.provider(), "env");
    assert!(error.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set"));

    let half = EnvironmentProvider::new(Env::from_pairs([("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")]));
    let error = half.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfig);
    assert!(error.message().contains("ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"));

    let half = EnvironmentProvider::new(Env::from_pairs([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)]));
    let error = half.provide_credentials().await.unwrap_err();
    assert!(error.message().contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not"));
    assert!(!error.to_string().contains(SECRET));
}
