//! Signature V3 (`ACS3-HMAC-SHA256`) end to end: the emulator verifies it for every
//! operation, and a wrong secret is refused with `SignatureDoesNotMatch`.

use alibabacloud_emulator::{ACCOUNT_A, Delays, Emulator};
use alibabacloud_integration_tests::{CaptureServer, call_with_every_parameter, vpcpeer_spec};
use alibabacloud_runtime::SignatureVersion;
use alibabacloud_vpcpeer::{Client, Config, Credentials};

fn v3_client(endpoint: &str, secret: &str) -> Client {
    let config = Config::builder()
        .credentials(Credentials::new(ACCOUNT_A.access_key_id, secret))
        .endpoint_url(endpoint)
        .signature_version(SignatureVersion::V3)
        .build()
        .expect("config");
    Client::new(&config)
}

#[tokio::test]
async fn the_emulator_accepts_v3_for_every_operation() {
    let emulator = Emulator::builder().delays(Delays::ZERO).start().await.expect("emulator");
    let client = v3_client(emulator.endpoint(), ACCOUNT_A.access_key_secret);
    for op in vpcpeer_spec().operations {
        // The sample ids do not exist: any answer but a signature or parameter error shows that
        // the gateway verified the request and the service ran it.
        if let Err(error) = call_with_every_parameter(&client, &op.action).await {
            assert!(error.starts_with("Service(") && error.contains("request_id: Some("), "{}: {error}", op.action);
            for gateway_error in
                ["SignatureDoesNotMatch", "IncompleteSignature", "MissingParameter", "InvalidParameter"]
            {
                assert!(!error.contains(gateway_error), "{}: {error}", op.action);
            }
        }
    }
    let created = client
        .create_vpc_peer_connection()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-v3a")
        .accepting_ali_uid(ACCOUNT_A.uid)
        .accepting_region_id("cn-hangzhou")
        .accepting_vpc_id("vpc-v3b")
        .send()
        .await
        .expect("created with V3");
    let id = created.completed().and_then(|r| r.instance_id).expect("id");
    let peer = client.get_vpc_peer_connection_attribute().instance_id(&id).send().await.expect("read with V3");
    assert_eq!(peer.instance_id.as_deref(), Some(id.as_str()));
}

#[tokio::test]
async fn a_wrong_secret_is_refused() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = v3_client(emulator.endpoint(), "not-the-secret");
    let error = client.get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.expect_err("refused");
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
}

#[tokio::test]
async fn v3_puts_credentials_in_headers_and_only_operation_parameters_in_the_query() {
    let server = CaptureServer::start().await;
    let client = v3_client(server.endpoint(), "secret");
    client
        .tag_resources()
        .resource_id("pcc-1")
        .tag(alibabacloud_vpcpeer::types::Tag { key: Some("k".into()), value: None })
        .resource_type("PeerConnection")
        .region_id("cn-hangzhou")
        .send()
        .await
        .expect("ok");
    let sent = server.last();
    let names: Vec<String> = sent.query().into_iter().map(|(k, _)| k).collect();
    assert!(
        names.iter().all(|n| !["Action", "Signature", "AccessKeyId", "Timestamp"].contains(&n.as_str())),
        "{names:?}"
    );
    assert!(names.contains(&"ResourceId.1".to_owned()) && names.contains(&"ClientToken".to_owned()));
    let header = |name: &str| sent.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(header("x-acs-action").as_deref(), Some("TagResources"));
    assert_eq!(header("x-acs-version").as_deref(), Some("2022-01-01"));
    assert_eq!(
        header("x-acs-content-sha256").as_deref(),
        Some(alibabacloud_runtime::signing::v3::hex_sha256(b"").as_str())
    );
    // JSON is asked for: the service's default format is XML.
    assert_eq!(header("accept").as_deref(), Some("application/json"));
    let authorization = header("authorization").expect("Authorization");
    assert!(
        authorization.starts_with(&format!(
            "ACS3-HMAC-SHA256 Credential={},SignedHeaders=accept;host;x-acs-action;",
            ACCOUNT_A.access_key_id
        )),
        "{authorization}"
    );
    // Every `x-acs-*` header sent is signed, the credentials provider's name included, and
    // sent once.
    assert!(authorization.contains(";x-acs-credentials-provider;"), "{authorization}");
    let providers: Vec<_> = sent.headers.get_all("x-acs-credentials-provider").iter().collect();
    assert_eq!(providers, ["static_ak"], "{authorization}");
}

/// Static credentials that count how often they are asked for (once per attempt).
#[derive(Debug, Default)]
struct Counted(std::sync::atomic::AtomicU32);

impl alibabacloud_runtime::ProvideCredentials for Counted {
    fn provide_credentials(&self) -> alibabacloud_runtime::credentials::ProvideCredentialsFuture<'_> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // A key pasted with its line break: V3 sends the AccessKeyId in a header.
        alibabacloud_runtime::credentials::ProvideCredentialsFuture::ready(Ok(Credentials::new(
            "LTAI-pasted\n",
            "secret",
        )))
    }

    fn name(&self) -> &'static str {
        "counted"
    }
}

#[tokio::test]
async fn credentials_that_cannot_be_headers_fail_once_and_say_why() {
    let server = CaptureServer::start().await;
    let provider = std::sync::Arc::new(Counted::default());
    let config = Config::builder()
        .credentials_provider(provider.clone())
        .endpoint_url(server.endpoint())
        .signature_version(SignatureVersion::V3)
        .build()
        .expect("config");
    let client = Client::new(&config);
    // A read, which transport errors would retry.
    let error = client.get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.unwrap_err();
    let alibabacloud_runtime::SdkError::Credentials(credentials_error) = &error else { panic!("{error:?}") };
    assert_eq!(credentials_error.kind(), alibabacloud_runtime::CredentialsErrorKind::InvalidConfig);
    let shown = error.to_string();
    assert!(shown.contains("AccessKeyId or SecurityToken cannot be sent"), "{shown}");
    assert!(!shown.contains("LTAI-pasted"), "{shown}");
    assert_eq!(provider.0.load(std::sync::atomic::Ordering::Relaxed), 1, "one attempt, not retried");
    assert!(server.captured().is_empty(), "nothing was sent");
}
