//! Per-call settings: a copy of a client made with `with_overrides` retries and times out as
//! the overrides say, while the client itself keeps its own settings; copies share the retry
//! budget unless their budget settings differ.

use alibabacloud_emulator::{Emulator, Fault, FaultRule};
use alibabacloud_integration_tests::emulated::{client, patient};
use alibabacloud_runtime::{BudgetConfig, TimeoutKind};
use alibabacloud_vpcpeer::{Overrides, RetryConfig, SdkError};
use std::time::Duration;

fn operation_timeout<E>(error: &SdkError<E>) -> bool {
    matches!(error, SdkError::Timeout(timeout) if timeout.kind() == TimeoutKind::Operation)
}

#[tokio::test]
async fn a_copy_with_an_operation_limit_ends_a_slow_call_the_client_waits_for() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = client(&emulator, patient());
    let hasty = client.with_overrides(&Overrides::new().operation_timeout(Some(Duration::from_millis(100))));
    let slow = || FaultRule::new(Fault::Latency(Duration::from_millis(400))).next(1);

    emulator.inject(slow());
    let error = hasty.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("too slow");
    assert!(operation_timeout(&error), "{error:?}");

    emulator.inject(slow());
    let answer = client.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("unknown");
    assert_eq!(answer.code(), Some("ResourceNotFound.InstanceId"), "the client itself has no limit");

    // And the other way round: a copy can lift the client's limit.
    let patient_copy = hasty.with_overrides(&Overrides::new().operation_timeout(None));
    emulator.inject(slow());
    let answer =
        patient_copy.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("unknown");
    assert_eq!(answer.code(), Some("ResourceNotFound.InstanceId"));
}

#[tokio::test]
async fn a_copy_without_retries_gives_up_where_the_client_retries() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = client(&emulator, patient());
    let once = client.with_overrides(&Overrides::new().retry(RetryConfig::disabled()));
    let unavailable = || FaultRule::new(Fault::ServiceUnavailable).action("GetVpcPeerConnectionAttribute").next(1);

    emulator.inject(unavailable());
    let error = once.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("503");
    assert_eq!(error.code(), Some("ServiceUnavailable"));

    emulator.inject(unavailable());
    let answer = client.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("unknown");
    assert_eq!(answer.code(), Some("ResourceNotFound.InstanceId"), "the client retried past the 503");
}

#[tokio::test]
async fn copies_share_the_budget_unless_their_budget_settings_differ() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    // One retry empties this budget.
    let budget = BudgetConfig { capacity: 5, retry_cost: 5, timeout_retry_cost: 10 };
    let client = client(&emulator, patient().with_budget(Some(budget)));
    let unavailable = |n| FaultRule::new(Fault::ServiceUnavailable).action("GetVpcPeerConnectionAttribute").next(n);
    let lookup = |client: alibabacloud_vpcpeer::Client| async move {
        client.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("an error")
    };

    // A copy with other time limits shares the budget: its retry empties it for the client.
    let sharing = client.with_overrides(&Overrides::new().attempt_timeout(Some(Duration::from_secs(5))));
    emulator.inject(unavailable(1));
    assert_eq!(lookup(sharing).await.code(), Some("ResourceNotFound.InstanceId"), "retried once");
    emulator.inject(unavailable(1));
    assert_eq!(lookup(client.clone()).await.code(), Some("ServiceUnavailable"), "no budget left");

    // A copy with other budget settings has a budget of its own.
    let own = client
        .with_overrides(&Overrides::new().retry(patient().with_budget(Some(BudgetConfig { capacity: 50, ..budget }))));
    emulator.inject(unavailable(1));
    assert_eq!(lookup(own).await.code(), Some("ResourceNotFound.InstanceId"), "retried on its own budget");
}
