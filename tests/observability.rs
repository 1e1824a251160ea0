//! Tracing: each call has an operation span and attempt spans with the retry decisions, and
//! no secret, token or signature ever appears in the captured logs or in Debug output.

use alibabacloud_integration_tests::{ACCESS_KEY_SECRET, CaptureServer, CapturedLog, client_at, closed_endpoint};
use alibabacloud_vpcpeer::{Client, Config, Credentials, SignatureVersion};

/// One test function: `tracing` caches which callsites are enabled process-wide, so tests in
/// parallel threads with and without a subscriber would race; this binary holds only this test.
#[tokio::test(flavor = "current_thread")]
async fn logs_show_the_call_but_never_a_secret() {
    let captured = CapturedLog::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    spans_show_action_attempts_status_and_retries_but_no_secret(&captured).await;
    transport_errors_do_not_carry_the_signed_url(&captured).await;
    an_echoed_token_is_redacted_from_the_error_headers().await;
}

async fn spans_show_action_attempts_status_and_retries_but_no_secret(captured: &CapturedLog) {
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

async fn transport_errors_do_not_carry_the_signed_url(captured: &CapturedLog) {
    let token = "sts-token-that-must-not-leak";
    let credentials = Credentials::new("LTAIvisible", ACCESS_KEY_SECRET).with_security_token(token);
    let error =
        client_at(&closed_endpoint(), credentials).reject_vpc_peer_connection().instance_id("pcc-1").send().await;
    let error = error.expect_err("refused");
    let shown = format!("{}\n{error:?}\n{error}\n{:?}", captured.text(), std::error::Error::source(&error));
    assert!(shown.contains("transport error"), "{shown}");
    for leak in [token, ACCESS_KEY_SECRET, "Signature=", "SecurityToken=", "AccessKeyId="] {
        assert!(!shown.contains(leak), "{leak} leaked into:\n{shown}");
    }
}

/// A server (a proxy, say) that echoes the V3 token header in its error answer: the error keeps
/// the answer's headers, but not the token.
async fn an_echoed_token_is_redacted_from_the_error_headers() {
    async fn echo(headers: axum::http::HeaderMap) -> impl axum::response::IntoResponse {
        let token = headers.get("x-acs-security-token").cloned();
        let echoed = token.unwrap_or(axum::http::HeaderValue::from_static("(no token header)"));
        let answer = r#"{"RequestId":"ECHO-ID","Code":"Echo"}"#;
        (axum::http::StatusCode::BAD_REQUEST, [("x-echo", echoed.clone()), ("x-other", echoed)], answer)
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let server = tokio::spawn(async move { axum::serve(listener, axum::Router::new().fallback(echo)).await });
    let token = "sts-token-echoed-back";
    let config = Config::builder()
        .credentials(Credentials::new("LTAIvisible", ACCESS_KEY_SECRET).with_security_token(token))
        .endpoint_url(&endpoint)
        .signature_version(SignatureVersion::V3)
        .build()
        .expect("config");
    let error = Client::new(&config).reject_vpc_peer_connection().instance_id("pcc-1").send().await;
    let error = error.expect_err("400");
    let headers = error.metadata().expect("a service error").headers();
    assert_eq!(headers["x-echo"], "** redacted **", "the server saw the token and echoed it");
    assert_eq!(headers["x-other"], headers["x-echo"]);
    assert!(!format!("{error:?}").contains(token));
    server.abort();
}
