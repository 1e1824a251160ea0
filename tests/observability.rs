//! Tracing: each call has an operation span and attempt spans with the retry decisions, and
//! no secret, token or signature ever appears in the captured logs or in Debug output.

use alibabacloud_integration_tests::{ACCESS_KEY_SECRET, CaptureServer};
use alibabacloud_vpcpeer::{Client, Config, Credentials};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn spans_show_action_attempts_status_and_retries_but_no_secret() {
    let captured = Captured::default();
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
