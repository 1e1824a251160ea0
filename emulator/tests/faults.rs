//! Injected faults as clients observe them: throttling with `x-acs-retry-after`, 503, 500,
//! connections dropped before and after the request is applied, latency, per-action scoping
//! and seeded fractions (seen with retries off), and the SDK's retries recovering from them
//! without duplicating a change.

mod support;

use alibabacloud_emulator::{ACCOUNT_A, ACCOUNT_B, Delays, Emulator, Fault, FaultRule};
use alibabacloud_runtime::RetryConfig;
use alibabacloud_vpcpeer::Client;
use alibabacloud_vpcpeer::SdkError;
use std::time::{Duration, Instant};
use support::{V1, client_with_retry};

/// A client that reports every fault as it happens.
fn client(emulator: &Emulator, account: alibabacloud_emulator::DefaultAccount) -> Client {
    client_with_retry(emulator, account, RetryConfig::disabled())
}

/// A client with the SDK's retries and a short backoff.
fn retrying_client(emulator: &Emulator) -> Client {
    let retry = RetryConfig::standard().with_max_attempts(4).with_initial_backoff(Duration::from_millis(10));
    client_with_retry(emulator, ACCOUNT_A, retry)
}

async fn zero_delay() -> Emulator {
    Emulator::builder().delays(Delays::ZERO).start().await.expect("emulator starts")
}

async fn count(client: &Client) -> i32 {
    client.list_vpc_peer_connections().send().await.expect("list").total_count.expect("total")
}

async fn try_create(client: &Client, vpc: &str) -> Result<String, String> {
    client
        .create_vpc_peer_connection()
        .region_id("cn-hangzhou")
        .vpc_id(vpc)
        .accepting_ali_uid(ACCOUNT_B.uid)
        .accepting_region_id("cn-hangzhou")
        .accepting_vpc_id("vpc-peer")
        .send()
        .await
        .map(|o| o.completed().and_then(|r| r.instance_id).unwrap_or_default())
        .map_err(|e| match e {
            SdkError::Transport(t) => format!("transport: {t}"),
            other => other.code().unwrap_or("no code").to_owned(),
        })
}

#[tokio::test]
async fn throttling_carries_retry_after_to_the_client() {
    let emu = zero_delay().await;
    emu.inject(FaultRule::new(Fault::Throttling { retry_after: Some(Duration::from_millis(1500)) }).next(2));
    let raw = V1::new(&emu, ACCOUNT_A, "ListVpcPeerConnections").send().await;
    assert_eq!((raw.status, raw.code(), raw.retry_after.as_deref()), (400, "Throttling.User", Some("1500")));
    assert_eq!(raw.message(), "Request was denied due to user flow control.");
    let a = client(&emu, ACCOUNT_A);
    let typed = a.list_vpc_peer_connections().send().await.unwrap_err();
    assert_eq!((typed.code(), typed.metadata().map(|m| m.status())), (Some("Throttling.User"), Some(400)));
    assert!(typed.request_id().is_some());
    assert_eq!(count(&a).await, 0, "only the next two requests were throttled");
}

#[tokio::test]
async fn server_errors_have_their_statuses() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    emu.inject(FaultRule::new(Fault::ServiceUnavailable));
    let e = a.list_vpc_peer_connections().send().await.unwrap_err();
    assert_eq!((e.code(), e.metadata().map(|m| m.status())), (Some("ServiceUnavailable"), Some(503)));
    emu.inject(FaultRule::new(Fault::InternalError));
    let e = a.list_vpc_peer_connections().send().await.unwrap_err();
    assert_eq!((e.code(), e.metadata().map(|m| m.status())), (Some("InternalError"), Some(500)));
    assert_eq!(count(&a).await, 0);
}

#[tokio::test]
async fn a_connection_dropped_before_applying_changes_nothing() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    emu.inject(FaultRule::new(Fault::DropBeforeApply).action("CreateVpcPeerConnection"));
    let error = try_create(&a, "vpc-a").await.unwrap_err();
    assert!(error.starts_with("transport"), "{error}");
    assert_eq!(count(&a).await, 0);
    assert!(try_create(&a, "vpc-a").await.is_ok(), "the rule hit one request only");
}

#[tokio::test]
async fn a_connection_dropped_after_applying_loses_only_the_response() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    emu.inject(FaultRule::new(Fault::DropAfterApply).action("CreateVpcPeerConnection"));
    let error = try_create(&a, "vpc-a").await.unwrap_err();
    assert!(error.starts_with("transport"), "{error}");
    assert_eq!(count(&a).await, 1, "the peering was created although the client saw an error");
    assert_eq!(try_create(&a, "vpc-a").await.unwrap_err(), "ResourceAlreadyExist.VpcPeer");
}

#[tokio::test]
async fn latency_delays_the_response() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    emu.inject(FaultRule::new(Fault::Latency(Duration::from_millis(300))).action("ListVpcPeerConnections"));
    let start = Instant::now();
    count(&a).await;
    assert!(start.elapsed() >= Duration::from_millis(300), "{:?}", start.elapsed());
}

#[tokio::test]
async fn rules_are_scoped_to_their_action_and_can_be_cleared() {
    let emu = zero_delay().await;
    let a = client(&emu, ACCOUNT_A);
    emu.inject(FaultRule::new(Fault::InternalError).action("CreateVpcPeerConnection").next(u64::MAX));
    assert_eq!(count(&a).await, 0, "other actions are not affected");
    assert_eq!(try_create(&a, "vpc-a").await.unwrap_err(), "InternalError");
    assert_eq!(try_create(&a, "vpc-a").await.unwrap_err(), "InternalError");
    emu.clear_faults();
    assert!(try_create(&a, "vpc-a").await.is_ok());
}

async fn pattern(seed: u64) -> Vec<bool> {
    let emu = Emulator::builder()
        .delays(Delays::ZERO)
        .fault_seed(seed)
        .fault(FaultRule::new(Fault::ServiceUnavailable).fraction(0.5))
        .start()
        .await
        .unwrap();
    let a = client(&emu, ACCOUNT_A);
    let mut hits = Vec::new();
    for _ in 0..40 {
        hits.push(a.list_vpc_peer_connections().send().await.is_err());
    }
    hits
}

#[tokio::test]
async fn fractional_faults_are_deterministic_for_a_seed() {
    let (first, second, other) = (pattern(42).await, pattern(42).await, pattern(43).await);
    assert_eq!(first, second);
    assert_ne!(first, other);
    let hits = first.iter().filter(|h| **h).count();
    assert!((8..=32).contains(&hits), "{hits} of 40");
}

#[tokio::test]
async fn retries_honour_retry_after_and_do_not_duplicate_writes() {
    let emu = zero_delay().await;
    let a = retrying_client(&emu);
    emu.inject(
        FaultRule::new(Fault::Throttling { retry_after: Some(Duration::from_millis(200)) })
            .action("ListVpcPeerConnections"),
    );
    let start = Instant::now();
    assert_eq!(count(&a).await, 0);
    assert!(
        start.elapsed() >= Duration::from_millis(200),
        "the retry waited for x-acs-retry-after: {:?}",
        start.elapsed()
    );

    emu.inject(FaultRule::new(Fault::DropAfterApply).action("CreateVpcPeerConnection"));
    let id = try_create(&a, "vpc-a").await.expect("the retry with the same ClientToken succeeds");
    let listed = a.list_vpc_peer_connections().send().await.unwrap().vpc_peer_connects.unwrap();
    assert_eq!(listed.len(), 1, "the applied create was not repeated");
    assert_eq!(listed[0].instance_id.as_deref(), Some(id.as_str()), "the retry returned the first result");

    emu.inject(FaultRule::new(Fault::DropBeforeApply).action("CreateVpcPeerConnection"));
    emu.inject(FaultRule::new(Fault::InternalError).action("CreateVpcPeerConnection"));
    try_create(&a, "vpc-b").await.expect("retried past a dropped connection and a 500");
    assert_eq!(count(&a).await, 2);
}
