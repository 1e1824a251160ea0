//! Time limits: a server that accepts and never answers, and an emulator with added latency,
//! end calls with a typed timeout error that says which limit fired.

use alibabacloud_emulator::{ACCOUNT_A, Emulator, Fault, FaultRule};
use alibabacloud_integration_tests::fast_retries;
use alibabacloud_runtime::{RetryConfig, TimeoutKind};
use alibabacloud_vpcpeer::operation::get_vpc_peer_connection_attribute::GetVpcPeerConnectionAttributeError;
use alibabacloud_vpcpeer::{Client, Config, ConfigBuilder, Credentials, SdkError};
use std::time::{Duration, Instant};

fn builder(endpoint: &str) -> ConfigBuilder {
    Config::builder()
        .credentials(Credentials::new(ACCOUNT_A.access_key_id, ACCOUNT_A.access_key_secret))
        .endpoint_url(endpoint)
}

/// A TCP server on 127.0.0.1 that accepts connections, reads, and never answers.
async fn silent_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    (endpoint, task)
}

fn timeout_kind(error: &SdkError<impl alibabacloud_runtime::ServiceError>) -> Option<TimeoutKind> {
    match error {
        SdkError::Timeout(timeout) => Some(timeout.kind()),
        _ => None,
    }
}

#[tokio::test]
async fn a_silent_server_fires_the_read_timeout_and_reads_are_retried() {
    let (endpoint, server) = silent_server().await;
    let config =
        builder(&endpoint).read_timeout(Duration::from_millis(150)).retry(fast_retries()).build().expect("config");
    let started = Instant::now();
    let error =
        Client::new(&config).get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.expect_err("silent");
    assert_eq!(timeout_kind(&error), Some(TimeoutKind::Read), "{error:?}");
    let SdkError::Timeout(timeout) = &error else { unreachable!() };
    assert_eq!(timeout.attempts(), 3, "a read is safe to retry");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(error.to_string(), "the read timeout (150ms) fired after 3 attempt(s)");
    server.abort();
}

#[tokio::test]
async fn with_a_custom_http_client_its_own_limit_fires_and_no_unused_limit_is_named() {
    let (endpoint, server) = silent_server().await;
    let http = reqwest::Client::builder().no_proxy().read_timeout(Duration::from_millis(100)).build().expect("client");
    let config = builder(&endpoint).http_client(http).retry(RetryConfig::disabled()).build().expect("config");
    assert_eq!(config.timeouts().read, Some(Duration::from_secs(10)), "the configuration stays as given");
    let error =
        Client::new(&config).get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.expect_err("silent");
    assert_eq!(timeout_kind(&error), Some(TimeoutKind::Read), "{error:?}");
    assert_eq!(error.to_string(), "the read timeout fired after 1 attempt(s)");
    server.abort();
}

#[tokio::test]
async fn the_attempt_timeout_bounds_each_attempt() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    emulator.inject(FaultRule::new(Fault::Latency(Duration::from_secs(30))).next(2));
    // Long enough for the third, served attempt on a loaded machine.
    let config = builder(emulator.endpoint())
        .attempt_timeout(Duration::from_secs(1))
        .retry(fast_retries())
        .build()
        .expect("config");
    let error = Client::new(&config)
        .get_vpc_peer_connection_attribute()
        .instance_id("pcc-1")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(error.code(), Some("ResourceNotFound.InstanceId"), "two slow attempts timed out, the third was served");
}

/// A Get that the emulator answers with `fault` (ten times), in at most ten attempts within an
/// operation timeout of `limit`.
async fn get_within(limit: Duration, fault: Fault) -> SdkError<GetVpcPeerConnectionAttributeError> {
    let emulator = Emulator::builder().start().await.expect("emulator");
    emulator.inject(FaultRule::new(fault).next(10));
    let config = builder(emulator.endpoint())
        .operation_timeout(limit)
        .retry(RetryConfig::standard().with_max_attempts(10))
        .build()
        .expect("config");
    let client = Client::new(&config);
    client.get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.expect_err("no answer in time")
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call() {
    let started = Instant::now();
    let error = get_within(Duration::from_millis(300), Fault::Latency(Duration::from_secs(30))).await;
    assert_eq!(timeout_kind(&error), Some(TimeoutKind::Operation), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "the 30 s answer was not waited for");
}

#[tokio::test]
async fn a_retry_wait_past_the_operation_timeout_ends_the_call_with_the_answer() {
    let wait = Duration::from_secs(60);
    let error = get_within(Duration::from_secs(5), Fault::Throttling { retry_after: Some(wait) }).await;
    // Not an operation timeout after 5 s of waiting: the throttling answer, with its wait.
    assert_eq!(error.code(), Some("Throttling.User"), "{error:?}");
    let metadata = error.metadata().expect("a service error");
    assert_eq!(metadata.retry_after(), Some(wait));
    assert_eq!(metadata.headers()["x-acs-retry-after"], "60000");
    assert!(metadata.request_id().is_some());
}

#[tokio::test]
async fn a_timed_out_write_without_client_token_is_not_retried() {
    let (endpoint, server) = silent_server().await;
    let config =
        builder(&endpoint).read_timeout(Duration::from_millis(100)).retry(fast_retries()).build().expect("config");
    let error = Client::new(&config)
        .move_resource_group()
        .resource_id("pcc-1")
        .resource_type("PeerConnection")
        .new_resource_group_id("rg-1")
        .region_id("cn-hangzhou")
        .send()
        .await
        .expect_err("silent");
    let SdkError::Timeout(timeout) = &error else { panic!("{error:?}") };
    assert_eq!((timeout.kind(), timeout.attempts()), (TimeoutKind::Read, 1), "it may have been applied: not repeated");
    server.abort();
}

#[tokio::test]
async fn a_full_accept_queue_fires_the_connect_timeout() {
    // A listener that never accepts, with a backlog of one: once it holds a connection or
    // two, the kernel ignores further handshakes and connecting hangs.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().expect("address")).expect("bind");
    let address = socket.local_addr().expect("address");
    let _listener = socket.listen(1).expect("listen");
    let mut fillers = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(Duration::from_millis(100), tokio::net::TcpStream::connect(address)).await {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => break,
        }
    }
    let config = builder(&format!("http://{address}"))
        .connect_timeout(Duration::from_millis(200))
        .retry(RetryConfig::disabled())
        .build()
        .expect("config");
    let started = Instant::now();
    let error =
        Client::new(&config).get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.expect_err("hangs");
    assert_eq!(timeout_kind(&error), Some(TimeoutKind::Connect), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A credentials command that hangs holds the call only until the operation timeout.
#[cfg(unix)]
#[tokio::test]
async fn the_operation_timeout_ends_a_hanging_credentials_command() {
    use alibabacloud_runtime::credentials::ExternalProcessProvider;
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("hang");
    std::fs::write(&script, "sleep 2\n").expect("script");
    let config = Config::builder()
        .credentials_provider(ExternalProcessProvider::new(format!("/bin/sh '{}'", script.display())))
        .endpoint_url("http://127.0.0.1:9")
        .operation_timeout(Duration::from_millis(200))
        .build()
        .expect("config");
    let error = Client::new(&config).reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("hangs");
    assert_eq!(timeout_kind(&error), Some(TimeoutKind::Operation), "{error:?}");
    let SdkError::Timeout(timeout) = &error else { unreachable!() };
    assert_eq!(timeout.attempts(), 1, "stopped in the first attempt, waiting for credentials");
}
