//! Load benchmark (not a timed test): the generated SDK over one pooled HTTP client (shared by
//! the clients of both accounts) with 64 calls in flight, against the emulator in the same
//! process. Two workloads: the signed read `GetVpcPeerConnectionAttribute`, and a write mix
//! where each step creates a cross-account peering and the other account rejects it. Prints
//! requests per second, p50 and p99.
//!
//! ```text
//! cargo bench -p alibabacloud-emulator --bench load [-- SECONDS] [read|mix] [http://127.0.0.1:PORT]
//! ```
//!
//! With an `http://` URL it drives an emulator already running there (started with delay 0,
//! e.g. `alibabacloud-emulator --listen 127.0.0.1:18080 --delay-ms 0`) instead of one in-process.

use alibabacloud_emulator::{ACCOUNT_A, ACCOUNT_B, DefaultAccount, Delays, Emulator};
use alibabacloud_vpcpeer::{Client, Config, Credentials};
use std::sync::Arc;
use std::time::{Duration, Instant};

const IN_FLIGHT: usize = 64;

/// A client of `account` sending on the shared connection pool `http`.
fn client(endpoint: &str, account: DefaultAccount, http: &reqwest::Client) -> Client {
    let config = Config::builder()
        .credentials(Credentials::new(account.access_key_id, account.access_key_secret))
        .endpoint_url(endpoint)
        .http_client(http.clone())
        .build()
        .expect("config");
    Client::new(&config)
}

struct Report {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Report {
    fn print(&mut self, name: &str) {
        self.latencies.sort_unstable();
        let at = |q: f64| {
            self.latencies.get(((self.latencies.len() as f64 - 1.0) * q) as usize).copied().unwrap_or_default()
        };
        println!(
            "{name:<32} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  ({} requests, {} errors, {:.1} s, {IN_FLIGHT} in flight)",
            self.requests as f64 / self.elapsed.as_secs_f64(),
            at(0.50).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            self.requests,
            self.errors,
            self.elapsed.as_secs_f64(),
        );
    }
}

/// The latencies of the (at most two) calls of one step.
type Latencies = [Option<Duration>; 2];

/// Runs `IN_FLIGHT` loops of `step` for `duration`; each step returns its calls' latencies
/// and error count.
async fn run<F, Fut>(duration: Duration, step: F) -> Report
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = (Latencies, usize)> + Send,
{
    let step = Arc::new(step);
    let start = Instant::now();
    let deadline = start + duration;
    let workers: Vec<_> = (0..IN_FLIGHT)
        .map(|worker| {
            let step = step.clone();
            tokio::spawn(async move {
                let (mut latencies, mut errors) = (Vec::with_capacity(1 << 16), 0);
                let mut iteration = 0;
                while Instant::now() < deadline {
                    let (l, e) = step(worker, iteration).await;
                    latencies.extend(l.into_iter().flatten());
                    errors += e;
                    iteration += 1;
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut report = Report { requests: 0, errors: 0, elapsed: Duration::ZERO, latencies: Vec::new() };
    for worker in workers {
        let (latencies, errors) = worker.await.expect("worker");
        report.latencies.extend(latencies);
        report.errors += errors;
    }
    report.elapsed = start.elapsed();
    report.requests = report.latencies.len();
    report
}

async fn timed<T, E>(call: impl std::future::Future<Output = Result<T, E>>) -> (Duration, Result<T, E>) {
    let start = Instant::now();
    let result = call.await;
    (start.elapsed(), result)
}

async fn bench(seconds: u64, workloads: &[String], endpoint: String) {
    let wanted = |name: &str| workloads.is_empty() || workloads.iter().any(|w| w == name);
    let duration = Duration::from_secs(seconds);
    // No proxy: a proxy set in the environment must not carry the load, nor see it.
    let http =
        reqwest::Client::builder().no_proxy().connect_timeout(Duration::from_secs(5)).build().expect("HTTP client");
    let (a, b) = (client(&endpoint, ACCOUNT_A, &http), client(&endpoint, ACCOUNT_B, &http));

    let id = a
        .create_vpc_peer_connection()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-bench")
        .accepting_ali_uid(ACCOUNT_A.uid)
        .accepting_region_id("cn-hangzhou")
        .accepting_vpc_id("vpc-benchpeer")
        .send()
        .await
        .expect("create")
        .completed()
        .and_then(|r| r.instance_id)
        .expect("instance id");
    let reader = a.clone();
    let id = Arc::new(id);
    if wanted("read") {
        run(Duration::from_secs(1), {
            let (reader, id) = (reader.clone(), id.clone());
            move |_, _| {
                let (reader, id) = (reader.clone(), id.clone());
                async move {
                    let (latency, result) =
                        timed(reader.get_vpc_peer_connection_attribute().instance_id(id.as_str()).send()).await;
                    ([Some(latency), None], usize::from(result.is_err()))
                }
            }
        })
        .await;
        let mut read = run(duration, move |_, _| {
            let (reader, id) = (reader.clone(), id.clone());
            async move {
                let (latency, result) =
                    timed(reader.get_vpc_peer_connection_attribute().instance_id(id.as_str()).send()).await;
                ([Some(latency), None], usize::from(result.is_err()))
            }
        })
        .await;
        read.print("GetVpcPeerConnectionAttribute");
    }
    if !wanted("mix") {
        return;
    }

    let mut mix = run(duration, move |worker, iteration| {
        let (a, b) = (a.clone(), b.clone());
        async move {
            let (create_latency, created) = timed(
                a.create_vpc_peer_connection()
                    .region_id("cn-hangzhou")
                    .vpc_id(format!("vpc-w{worker}i{iteration}"))
                    .accepting_ali_uid(ACCOUNT_B.uid)
                    .accepting_region_id("cn-hangzhou")
                    .accepting_vpc_id(format!("vpc-w{worker}p{iteration}"))
                    .send(),
            )
            .await;
            let Some(id) = created.ok().and_then(|o| o.completed()).and_then(|r| r.instance_id) else {
                return ([Some(create_latency), None], 1);
            };
            let (reject_latency, rejected) = timed(b.reject_vpc_peer_connection().instance_id(id).send()).await;
            ([Some(create_latency), Some(reject_latency)], usize::from(rejected.is_err()))
        }
    })
    .await;
    mix.print("Create + Reject (cross-account)");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let external = args.iter().find(|a| a.starts_with("http://")).cloned();
    // An emulator elsewhere on this host only: the load goes nowhere else.
    if let Some(url) = &external
        && !(url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:"))
    {
        eprintln!("the load goes to an emulator on this host only: http://127.0.0.1:PORT, not {url}");
        std::process::exit(2);
    }
    let args: Vec<String> = args.into_iter().filter(|a| !a.starts_with("http://")).collect();
    let seconds = args.iter().find_map(|a| a.parse::<u64>().ok()).unwrap_or(10);
    let workloads: Vec<String> = args.iter().filter(|a| a.parse::<u64>().is_err()).cloned().collect();
    println!(
        "emulator load benchmark: {} cores, {seconds} s per workload",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    // The emulator gets its own runtime (its own worker threads), as in a test process that
    // starts it once and runs clients elsewhere; the clients get another.
    let server_runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("server runtime");
    let emulator = match &external {
        Some(_) => None,
        None => Some(server_runtime.block_on(Emulator::builder().delays(Delays::ZERO).start()).expect("emulator")),
    };
    let endpoint = external.unwrap_or_else(|| emulator.as_ref().map(|e| e.endpoint().to_owned()).unwrap_or_default());
    let client_runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("client runtime");
    client_runtime.block_on(bench(seconds, &workloads, endpoint));
    drop(emulator);
}
