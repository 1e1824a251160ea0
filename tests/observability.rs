//! Tracing: each call has an operation span and attempt spans with the retry decisions, and
//! no secret, token or signature ever appears in the captured logs or in Debug output.

use alibabacloud_integration_tests::{ACCESS_KEY_SECRET, CaptureServer, CapturedLog};
use alibabacloud_vpcpeer::{Client, Config, Credentials};

#[tokio::test(flavor = "current_thread")]
async fn spans_show_action_attempts_status_and_retries_but_no_secret() {
    let captured = CapturedLog::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = CaptureServer::start().await;
    let token = "sts-token-that-must-not-leak";
    let config = Config::builder()
        .credentials(Credentials::new("LTAIvisible", ACCESS_KEY_SECRET).with_security_token(token))
        .endpoint_url(server.endpoint())
        .retry(alibabacloud_integration_tests::fast_retries())
        .build()
        .expect("config");
    let client = Client::new(&config);
    server.reply(503, r#"{"RequestId":"REQ-503","Code":"ServiceUnavailable","Message":"busy"}"#);
    let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("503");

    let logs = captured.text();
    for expected in [
        "action=\"RejectVpcPeerConnection\"",
        "attempt=1",
        "attempt=3",
        "status=503",
        "REQ-503",
        "retrying",
        "delay_ms",
        "not retrying",
    ] {
        assert!(logs.contains(expected), "missing {expected} in:\n{logs}");
    }
    let signature = server.last().query_value("Signature").expect("signed");
    let shown = format!("{logs}\n{client:?}\n{config:?}\n{error:?}\n{error}");
    for secret in [ACCESS_KEY_SECRET, token, signature.as_str()] {
        assert!(!shown.contains(secret), "{secret} leaked into:\n{shown}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn transport_errors_do_not_carry_the_signed_url() {
    let captured = CapturedLog::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let token = "sts-token-that-must-not-leak";
    let config = Config::builder()
        .credentials(Credentials::new("LTAIvisible", ACCESS_KEY_SECRET).with_security_token(token))
        .endpoint_url(&closed)
        .retry(alibabacloud_integration_tests::fast_retries())
        .build()
        .expect("config");
    let error =
        Client::new(&config).reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("refused");
    let shown = format!("{}\n{error:?}\n{error}\n{:?}", captured.text(), std::error::Error::source(&error));
    assert!(shown.contains("transport error"), "{shown}");
    for leak in [token, ACCESS_KEY_SECRET, "Signature=", "SecurityToken=", "AccessKeyId="] {
        assert!(!shown.contains(leak), "{leak} leaked into:\n{shown}");
    }
}

#[tokio::test]
async fn an_sts_token_echoed_by_the_gateway_is_redacted_from_errors() {
    let emulator = alibabacloud_emulator::Emulator::builder().start().await.expect("emulator");
    let token = "CAIS+sts/token==with reserved chars";
    let config = Config::builder()
        .credentials(
            Credentials::new(alibabacloud_emulator::ACCOUNT_A.access_key_id, "a wrong secret")
                .with_security_token(token),
        )
        .endpoint_url(emulator.endpoint())
        .build()
        .expect("config");
    let error =
        Client::new(&config).reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("bad secret");
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    let shown = format!("{error}\n{error:?}\n{}", String::from_utf8_lossy(error.metadata().expect("metadata").body()));
    assert!(shown.contains("server string to sign is:") && shown.contains("** redacted **"), "{shown}");
    let once = alibabacloud_runtime::encoding::percent_encode(token);
    for form in [token.to_owned(), once.clone(), alibabacloud_runtime::encoding::percent_encode(&once)] {
        assert!(!shown.contains(&form), "{form} leaked into:\n{shown}");
    }
}
