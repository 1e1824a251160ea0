//! Waiters from `spec/vpcpeer/2022-01-01/waiters.json` driving the emulator's real peering
//! lifecycle (asynchronous steps take 150 ms here): success, a state that makes the wanted
//! one unreachable, the time limit, and errors the waiter does not expect.

use alibabacloud_emulator::{ACCOUNT_A, ACCOUNT_B, DefaultAccount, Delays, Emulator};
use alibabacloud_integration_tests::{emulated, fast_retries};
use alibabacloud_vpcpeer::{Client, Config, Credentials, SdkError, WaitError};
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(10);

fn client(emulator: &Emulator, account: DefaultAccount) -> Client {
    emulated::account_client(emulator, account, fast_retries())
}

/// Account A asks account B for a peering; gives its id.
async fn request_peering(a: &Client, name: &str) -> String {
    let created = a
        .create_vpc_peer_connection()
        .region_id("cn-hangzhou")
        .vpc_id(format!("vpc-{name}a"))
        .accepting_ali_uid(ACCOUNT_B.uid)
        .accepting_region_id("cn-hangzhou")
        .accepting_vpc_id(format!("vpc-{name}b"))
        .name(name)
        .send()
        .await
        .expect("create")
        .completed()
        .expect("performed");
    created.instance_id.expect("instance id")
}

#[tokio::test]
async fn waiters_follow_the_lifecycle_from_request_to_deletion() {
    let emulator =
        Emulator::builder().delays(Delays::uniform(Duration::from_millis(150))).start().await.expect("emulator");
    let (a, b) = (client(&emulator, ACCOUNT_A), client(&emulator, ACCOUNT_B));
    // The emulator's delay runs from the create, so the clock starts before it.
    let started = Instant::now();
    let id = request_peering(&a, "lifecycle").await;
    let get = || a.get_vpc_peer_connection_attribute().instance_id(&id);

    let accepting = get().wait_until_accepting().interval(POLL).await.expect("Accepting comes");
    assert_eq!(accepting.status.as_deref(), Some("Accepting"));
    assert!(started.elapsed() >= Duration::from_millis(150), "it waited for the asynchronous create");

    b.accept_vpc_peer_connection().instance_id(&id).send().await.expect("accept");
    let activated = get().wait_until_activated().interval(POLL).await.expect("Activated comes");
    assert_eq!(activated.status.as_deref(), Some("Activated"));

    a.delete_vpc_peer_connection().instance_id(&id).send().await.expect("delete");
    get().wait_until_deleted().interval(POLL).await.expect("the peering goes");
    let gone = get().send().await.expect_err("deleted");
    assert_eq!(gone.code(), Some("ResourceNotFound.InstanceId"));
}

#[tokio::test]
async fn a_rejected_peering_can_never_become_active() {
    let emulator =
        Emulator::builder().delays(Delays::uniform(Duration::from_millis(50))).start().await.expect("emulator");
    let (a, b) = (client(&emulator, ACCOUNT_A), client(&emulator, ACCOUNT_B));
    let id = request_peering(&a, "rejected").await;
    b.get_vpc_peer_connection_attribute()
        .instance_id(&id)
        .wait_until_accepting()
        .interval(POLL)
        .await
        .expect("Accepting");
    b.reject_vpc_peer_connection().instance_id(&id).send().await.expect("reject");

    let get = || a.get_vpc_peer_connection_attribute().instance_id(&id);
    let rejected = get().wait_until_rejected().interval(POLL).await.expect("Rejected comes");
    assert_eq!(rejected.status.as_deref(), Some("Rejected"));
    match get().wait_until_activated().interval(POLL).await {
        Err(error @ WaitError::Unreachable { waiter: "Activated", error: None, .. }) => {
            assert_eq!(
                error.to_string(),
                "waiting until Activated stopped: `Status` is `Rejected`, so Activated can no longer come"
            );
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
}

#[tokio::test]
async fn limits_and_unexpected_errors_end_the_wait() {
    let emulator =
        Emulator::builder().delays(Delays::uniform(Duration::from_secs(60))).start().await.expect("emulator");
    let a = client(&emulator, ACCOUNT_A);
    let id = request_peering(&a, "slow").await;

    let started = Instant::now();
    let timed_out = a
        .get_vpc_peer_connection_attribute()
        .instance_id(&id)
        .wait_until_activated()
        .interval(Duration::from_millis(20))
        .timeout(Duration::from_millis(200))
        .await;
    match timed_out {
        Err(error @ WaitError::TimedOut { waiter: "Activated", timeout, calls, .. }) => {
            assert_eq!(timeout, Duration::from_millis(200));
            // The error says where the peering was stuck.
            assert!(error.to_string().ends_with("calls; the last answer was `Creating`)"), "{error}");
            // At most one call per interval, and more than one (a slow machine makes fewer).
            assert!((2..=11).contains(&calls), "{calls} calls in 200 ms at 20 ms");
        }
        other => panic!("expected TimedOut, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));

    // Limits too large for the clock: no limit (the wait ends as it would with one), or a
    // first call and a last one at the limit.
    let unknown = a.get_vpc_peer_connection_attribute().instance_id("pcc-unknown");
    let ended = unknown.wait_until_activated().timeout(Duration::MAX).await;
    assert!(matches!(ended, Err(WaitError::Unreachable { .. })), "{ended:?}");
    let get = a.get_vpc_peer_connection_attribute().instance_id(&id);
    let started = Instant::now();
    match get.wait_until_activated().interval(Duration::MAX).timeout(Duration::from_millis(300)).await {
        Err(WaitError::TimedOut { calls: 2, .. }) => {}
        other => panic!("expected TimedOut after two calls, got {other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(300), "the last call waited for the limit");

    // The last call, at the limit, is answered: a state that comes just before the limit is seen.
    let quick = Emulator::builder().delays(Delays::uniform(Duration::from_millis(150))).start().await.expect("emu");
    let quick_client = client(&quick, ACCOUNT_A);
    let created = request_peering(&quick_client, "justintime").await;
    let get = quick_client.get_vpc_peer_connection_attribute().instance_id(&created);
    let accepting = get.wait_until_accepting().interval(Duration::MAX).timeout(Duration::from_millis(400)).await;
    assert_eq!(accepting.expect("seen at the limit").status.as_deref(), Some("Accepting"));

    // An id the service does not know: a failure code, kept with its metadata.
    match a.get_vpc_peer_connection_attribute().instance_id("pcc-unknown").wait_until_activated().await {
        Err(WaitError::Unreachable { reason, error: Some(error), .. }) => {
            assert_eq!(reason, "the call failed with `ResourceNotFound.InstanceId`");
            assert!(error.request_id().is_some());
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }

    // A bad secret is no state of the peering: the wait ends with the call's error.
    let config = Config::builder()
        .credentials(Credentials::new(ACCOUNT_A.access_key_id, "not-the-secret"))
        .endpoint_url(emulator.endpoint())
        .build()
        .expect("config");
    let wrong = Client::new(&config);
    match wrong.get_vpc_peer_connection_attribute().instance_id(&id).wait_until_deleted().await {
        Err(WaitError::Call { waiter: "Deleted", error, .. }) => {
            assert!(matches!(*error, SdkError::Service(_)));
            assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
        }
        other => panic!("expected the call's error, got {other:?}"),
    }
}
