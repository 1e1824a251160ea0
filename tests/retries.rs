//! Retry behaviour against the emulator and a capture server: lost responses, throttling,
//! what is never retried, disabling retries, the retry budget. The many-calls proof is in
//! `retry_proof.rs`.

use alibabacloud_emulator::{Delays, Emulator, Fault, FaultRule};
use alibabacloud_integration_tests::CaptureServer;
use alibabacloud_integration_tests::emulated::{client, create, patient, peerings_by_name};
use alibabacloud_runtime::RetryConfig;

#[tokio::test]
async fn a_lost_response_is_retried_with_the_same_client_token() {
    let emulator = Emulator::builder().delays(Delays::ZERO).start().await.expect("emulator");
    emulator.inject(FaultRule::new(Fault::DropAfterApply).action("CreateVpcPeerConnection").next(2));
    let client = client(&emulator, patient());
    let id = create(&client, 1).await.expect("the third attempt answers");
    let listed = peerings_by_name(&client).await;
    assert_eq!(listed.get("call0001"), Some(&vec![id]), "applied once although the first two responses were lost");
}

#[tokio::test]
async fn throttling_is_retried_and_gives_up_after_max_attempts() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let action = "GetVpcPeerConnectionAttribute";
    emulator.inject(FaultRule::new(Fault::Throttling { retry_after: None }).action(action).next(2));
    let client = client(&emulator, patient().with_max_attempts(3));
    let error =
        client.get_vpc_peer_connection_attribute().instance_id("pcc-missing").send().await.expect_err("missing");
    assert_eq!(error.code(), Some("ResourceNotFound.InstanceId"), "two throttles retried, then the real answer");

    emulator.inject(FaultRule::new(Fault::Throttling { retry_after: None }).action(action).next(3));
    let error =
        client.get_vpc_peer_connection_attribute().instance_id("pcc-missing").send().await.expect_err("throttled");
    assert_eq!(error.code(), Some("Throttling.User"), "three attempts, all throttled");
}

#[tokio::test]
async fn only_transient_answers_are_retried() {
    let server = CaptureServer::start().await;
    let client = server.client();
    let cases = [
        (400, "IncorrectStatus.VpcPeer", 1),
        (400, "SignatureNonceUsed", 1),
        (404, "InvalidAccessKeyId.NotFound", 1),
        (400, "Throttling.User", 3),
        (400, "Throttling", 3),
        (503, "ServiceUnavailable", 3),
        (400, "SystemBusy", 3),
        (500, "InternalError", 3),
    ];
    for (status, code, attempts) in cases {
        let before = server.captured().len();
        server.reply(status, format!(r#"{{"RequestId":"R","Code":"{code}","Message":"m"}}"#));
        let error = client.reject_vpc_peer_connection().instance_id("pcc-1").send().await.expect_err("an error");
        assert_eq!(error.code(), Some(code));
        let sent = &server.captured()[before..];
        assert_eq!(sent.len(), attempts, "{code}");
        let nonces: std::collections::HashSet<_> = sent.iter().map(|c| c.query_value("SignatureNonce")).collect();
        let tokens: std::collections::HashSet<_> =
            sent.iter().map(|c| c.form().into_iter().find(|(k, _)| k == "ClientToken")).collect();
        assert_eq!(nonces.len(), attempts, "{code}: every attempt is signed anew");
        assert_eq!(tokens.len(), 1, "{code}: one ClientToken for the whole call");
        assert!(tokens.iter().all(Option::is_some), "{code}: a ClientToken was generated");
    }
}

#[tokio::test]
async fn a_caller_client_token_is_kept() {
    let server = CaptureServer::start().await;
    let client = server.client();
    client.reject_vpc_peer_connection().instance_id("pcc-1").client_token("mine").send().await.expect("ok");
    let form = server.last().form();
    assert_eq!(
        form.iter().filter(|(k, _)| k == "ClientToken").collect::<Vec<_>>(),
        [&("ClientToken".to_owned(), "mine".to_owned())]
    );
    client.get_vpc_peer_connection_attribute().instance_id("pcc-1").send().await.expect("ok");
    assert!(!server.last().form().iter().any(|(k, _)| k == "ClientToken"), "reads have no ClientToken");

    // An empty token would make retries unsafe: refused before anything is sent.
    let sent = server.captured().len();
    let error = client.reject_vpc_peer_connection().instance_id("pcc-1").client_token("").send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "request not sent: invalid parameter value: parameter `ClientToken` is empty; leave it unset to have one generated"
    );
    assert_eq!(server.captured().len(), sent, "nothing was sent");
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    emulator.inject(FaultRule::new(Fault::ServiceUnavailable).next(1));
    let client = client(&emulator, RetryConfig::disabled());
    let error = client.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("503");
    assert_eq!(error.code(), Some("ServiceUnavailable"));
}

#[tokio::test]
async fn a_dropped_connection_on_a_write_without_client_token_is_not_retried() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    emulator.inject(FaultRule::new(Fault::DropAfterApply).action("MoveResourceGroup").next(1));
    let client = client(&emulator, patient());
    let error = client
        .move_resource_group()
        .resource_id("pcc-x")
        .resource_type("PeerConnection")
        .new_resource_group_id("rg-1")
        .region_id("cn-hangzhou")
        .send()
        .await
        .expect_err("the response was lost");
    assert!(matches!(error, alibabacloud_vpcpeer::SdkError::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn an_exhausted_budget_stops_retrying() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    // Five 503s: the first call spends the whole budget on two retries (3 attempts); the
    // next two get no retry (1 attempt each); so the fourth call is served. Without the
    // budget, the second call's retries would reach the real answer.
    emulator.inject(FaultRule::new(Fault::ServiceUnavailable).action("GetVpcPeerConnectionAttribute").next(5));
    let budget = alibabacloud_runtime::BudgetConfig { capacity: 10, retry_cost: 5, timeout_retry_cost: 10 };
    let client = client(&emulator, patient().with_budget(Some(budget)));
    for _ in 0..3 {
        let error = client.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("503");
        assert_eq!(error.code(), Some("ServiceUnavailable"));
    }
    let served = client.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("missing");
    assert_eq!(served.code(), Some("ResourceNotFound.InstanceId"));
}

#[tokio::test]
async fn the_servers_retry_after_sets_the_wait() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let wait = std::time::Duration::from_millis(300);
    emulator
        .inject(FaultRule::new(Fault::Throttling { retry_after: Some(wait) }).action("GetVpcPeerConnectionAttribute"));
    let client = client(&emulator, patient());
    let started = std::time::Instant::now();
    let error = client.get_vpc_peer_connection_attribute().instance_id("pcc-x").send().await.expect_err("missing");
    assert_eq!(error.code(), Some("ResourceNotFound.InstanceId"), "retried after the throttle");
    assert!(started.elapsed() >= wait, "waited {:?}, the server asked for {wait:?}", started.elapsed());
}

#[test]
fn every_error_is_send_sync_and_static() {
    fn check<T: Send + Sync + 'static + std::error::Error>() {}
    check::<
        alibabacloud_vpcpeer::SdkError<
            alibabacloud_vpcpeer::operation::reject_vpc_peer_connection::RejectVpcPeerConnectionError,
        >,
    >();
    check::<alibabacloud_runtime::CredentialsError>();
    check::<alibabacloud_runtime::TimeoutError>();
    check::<alibabacloud_runtime::ConfigError>();
}
