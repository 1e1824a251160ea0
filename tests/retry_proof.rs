//! The proof that retries never lose or duplicate a change: against the emulator with at
//! least 30% of the create attempts hit by throttling, 503s, and connections dropped before
//! and after the change is applied, 200 concurrent creates (64 in flight, one pooled client) produce
//! exactly one peering per call. The attempts and failures are counted from the client's own
//! tracing events and printed.

use alibabacloud_emulator::{Delays, Emulator, Fault, FaultRule};
use alibabacloud_integration_tests::CapturedLog;
use alibabacloud_integration_tests::emulated::{client, create, patient, peerings_by_name};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

const CALLS: usize = 200;
const IN_FLIGHT: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_under_faults_apply_exactly_once_each() {
    let events = CapturedLog::default();
    let writer = events.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .expect("the only subscriber of this test binary");

    let mut builder = Emulator::builder().delays(Delays::ZERO).fault_seed(7);
    for fault in [
        Fault::Throttling { retry_after: Some(Duration::from_millis(2)) },
        Fault::ServiceUnavailable,
        Fault::DropBeforeApply,
        Fault::DropAfterApply,
    ] {
        builder = builder.fault(FaultRule::new(fault).action("CreateVpcPeerConnection").fraction(0.12));
    }
    let emulator = builder.start().await.expect("emulator");
    let client = client(&emulator, patient());

    let gate = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let mut calls = tokio::task::JoinSet::new();
    for call in 0..CALLS {
        let (client, gate) = (client.clone(), gate.clone());
        calls.spawn(async move {
            let _permit = gate.acquire_owned().await.expect("semaphore");
            (call, create(&client, call).await)
        });
    }
    let mut created: HashMap<String, String> = HashMap::new();
    while let Some(joined) = calls.join_next().await {
        let (call, result) = joined.expect("task");
        let id = result.unwrap_or_else(|e| panic!("call {call} failed after retries: {e}"));
        created.insert(format!("call{call:04}"), id);
    }
    emulator.clear_faults();

    let log = events.text();
    let creates: Vec<&str> = log.lines().filter(|l| l.contains("CreateVpcPeerConnection")).collect();
    let count = |needle: &str| creates.iter().filter(|l| l.contains(needle)).count();
    let (attempts, succeeded) = (count("succeeded") + count("retrying"), count("succeeded"));
    let (throttled, unavailable, transport) =
        (count("Throttling.User"), count("ServiceUnavailable"), count("transport error"));
    println!(
        "{CALLS} creates: {attempts} attempts, {} failed ({:.0}%): {throttled} Throttling.User, {unavailable} ServiceUnavailable, \
         {transport} dropped connections; {succeeded} succeeded",
        attempts - succeeded,
        100.0 * (attempts - succeeded) as f64 / attempts as f64,
    );
    assert_eq!(succeeded, CALLS);
    assert!((attempts - succeeded) * 10 >= attempts * 3, "at least 30% of the attempts hit a fault");
    assert!(throttled > 0 && unavailable > 0 && transport > 0);

    let listed = peerings_by_name(&client).await;
    assert_eq!(created.len(), CALLS, "no call lost");
    assert_eq!(listed.values().map(Vec::len).sum::<usize>(), CALLS, "no change duplicated");
    for (name, id) in &created {
        assert_eq!(listed.get(name), Some(&vec![id.clone()]), "{name}: exactly one peering, the one the call returned");
    }
}
