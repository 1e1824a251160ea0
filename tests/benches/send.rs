//! Bench: a whole `reject_vpc_peer_connection().send()` (build, sign, send, read, decode)
//! against a hand-written `reqwest` POST of the same bytes, both to one minimal HTTP server
//! on 127.0.0.1 that answers a fixed 200. Goal: at most 1.05x. Run with
//! `cargo bench -p alibabacloud-integration-tests --bench send`.
//!
//! Measured twice, with the client on each kind of tokio runtime: a single-thread runtime,
//! where every microsecond of the client's work is on the path of the call, and the runtime
//! `#[tokio::main]` builds (multi-thread, the call run by `block_on`, as in the project's
//! example), where the connection's task runs on a worker thread. After each, a calibration:
//! the same POST after a fixed 2.5 µs of busy work, to show what client-side CPU time costs in
//! wall time, and the POST against itself, to show the resolution of one run.

use alibabacloud_integration_tests::bench::side_by_side;
use alibabacloud_runtime::signing::v1;
use alibabacloud_runtime::{Credentials, Operation, Params};
use alibabacloud_vpcpeer::operation::reject_vpc_peer_connection::RejectVpcPeerConnectionRequest;
use alibabacloud_vpcpeer::{Client, Config};
use std::time::{Duration, Instant, SystemTime};
use tokio::runtime::{Builder, Runtime};

const REPLY: &str = r#"{"RequestId":"4EC47282-1B74-4534-BD2E-403F3EE64CAF"}"#;

/// Serves a fixed 200 JSON answer on its own thread and runtime; gives its endpoint.
fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            tx.send(format!("http://{}", listener.local_addr().expect("addr"))).expect("hand over the endpoint");
            let app = axum::Router::new().fallback(|| async { ([("content-type", "application/json")], REPLY) });
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server started")
}

fn main() {
    let endpoint = start_server();
    let single_thread = Builder::new_current_thread().enable_all().build().expect("client runtime");
    compare("a single-thread runtime", &single_thread, &endpoint);
    let tokio_main = Builder::new_multi_thread().enable_all().build().expect("client runtime");
    compare("the runtime of #[tokio::main]", &tokio_main, &endpoint);
}

/// Prints the SDK call against the bare POST with the client on `runtime`, then the calibration.
fn compare(runtime_name: &str, runtime: &Runtime, endpoint: &str) {
    let credentials = Credentials::new("LTAI5tBenchmarkKeyId", "bench-secret-value-of-30-chars");
    let config = Config::builder().credentials(credentials.clone()).endpoint_url(endpoint).build().expect("config");
    let client = Client::new(&config);

    // The bytes one SDK call sends, for the hand-written POST to repeat.
    let request =
        RejectVpcPeerConnectionRequest::builder().instance_id("pcc-lnk0m24khwvtkm0abcd").build().expect("request");
    let mut params = Params::default();
    request.write_params(&mut params);
    // The SDK adds a ClientToken to every Reject; send one too.
    params.push(alibabacloud_runtime::Location::Form, "ClientToken", "123e4567-e89b-12d3-a456-426655440000".to_owned());
    let signed = v1::sign_request(
        endpoint,
        "2022-01-01",
        RejectVpcPeerConnectionRequest::ACTION,
        &params,
        &credentials,
        SystemTime::now(),
    );
    let bare = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client");

    let sdk_calls = |n: u32| {
        runtime.block_on(async {
            for _ in 0..n {
                let outcome = client.reject_vpc_peer_connection().instance_id("pcc-lnk0m24khwvtkm0abcd").send().await;
                assert!(outcome.is_ok_and(|o| o.completed().is_some()), "the SDK call succeeds");
            }
        })
    };
    // `busy` is client-side CPU work done before each POST, for the calibration below.
    let bare_posts = |n: u32, busy: Duration| {
        runtime.block_on(async {
            for _ in 0..n {
                let start = Instant::now();
                while start.elapsed() < busy {
                    std::hint::spin_loop();
                }
                let response = bare
                    .post(&signed.url)
                    .header("user-agent", alibabacloud_runtime::client::USER_AGENT)
                    .header(alibabacloud_runtime::client::CREDENTIALS_PROVIDER, "static_ak")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(signed.body.clone())
                    .send()
                    .await
                    .expect("POST");
                assert!(response.status().is_success());
                assert_eq!(response.bytes().await.expect("body").len(), REPLY.len());
            }
        })
    };
    let result = side_by_side(101, 400, sdk_calls, |n| bare_posts(n, Duration::ZERO));
    println!(
        "RejectVpcPeerConnection round trip to a fixed-answer server on 127.0.0.1 (one call in flight), \
         client on {runtime_name}"
    );
    println!("  SDK reject_vpc_peer_connection().send(): {:>7.1} µs", result.a.as_secs_f64() * 1e6);
    println!("  hand-written reqwest POST, same bytes:   {:>7.1} µs", result.b.as_secs_f64() * 1e6);
    println!("  ratio (median of the rounds' ratios): {:.3}x (goal: at most 1.05x)", result.ratio);

    // Calibration: what a known amount of client-side CPU work costs in wall-clock time here.
    let busy = Duration::from_nanos(2_500);
    let calibration = side_by_side(51, 400, |n| bare_posts(n, busy), |n| bare_posts(n, Duration::ZERO));
    println!("Calibration: the same POST after {} µs of busy work on the client", busy.as_secs_f64() * 1e6);
    println!(
        "  costs {:.1} µs more ({:.3}x)",
        (calibration.ratio - 1.0) * calibration.b.as_secs_f64() * 1e6,
        calibration.ratio
    );
    // And the resolution: the same POST against itself.
    let same = side_by_side(51, 400, |n| bare_posts(n, Duration::ZERO), |n| bare_posts(n, Duration::ZERO));
    println!("  the same POST against itself: {:.3}x", same.ratio);
}
