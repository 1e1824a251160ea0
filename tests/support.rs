//! Test support: a real HTTP server on 127.0.0.1 that records every request and answers
//! with a configurable status and body, plus helpers that verify a captured request's V1
//! signature the way the gateway does (decode, merge, re-canonicalize, re-sign).

// The README's Rust snippets compile as doc tests of this crate.
#[doc = include_str!("../README.md")]
pub mod readme {}

use alibabacloud_runtime::RetryConfig;
use alibabacloud_vpcpeer::{Client, Config, Credentials};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// AccessKey pair the tests sign with.
pub const ACCESS_KEY_ID: &str = "LTAItestkeyid";
pub const ACCESS_KEY_SECRET: &str = "test-secret-do-not-leak";

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Captured {
    pub method: Method,
    pub path: String,
    pub raw_query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Captured {
    /// Query parameters, percent-decoded.
    pub fn query(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.raw_query.as_bytes()).into_owned().collect()
    }

    /// Form-body parameters, percent-decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    /// The value of query parameter `name`.
    pub fn query_value(&self, name: &str) -> Option<String> {
        self.query().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Recomputes the V1 signature from what arrived and compares it with `Signature`. Written
    /// here from the facts doc, apart from the runtime's signer, so that a mistake in that
    /// signer (and in the emulator, which verifies with it) cannot pass unseen.
    pub fn v1_signature_matches(&self, secret: &str) -> bool {
        use base64::Engine;
        use hmac::Mac;
        let mut params: Vec<(String, String)> = self.query().into_iter().chain(self.form()).collect();
        let Some(index) = params.iter().position(|(k, _)| k == "Signature") else { return false };
        let (_, sent) = params.remove(index);
        params.sort();
        let canonical: Vec<String> = params.iter().map(|(k, v)| format!("{}={}", rfc3986(k), rfc3986(v))).collect();
        let string_to_sign = format!("{}&%2F&{}", self.method, rfc3986(&canonical.join("&")));
        let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes()).expect("any key");
        mac.update(string_to_sign.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()) == sent
    }
}

/// `text` percent-encoded as RFC 3986 and the V1 signature want it: every byte but the
/// unreserved `A-Z a-z 0-9 - _ . ~` as `%XX`, in upper-case hex.
fn rfc3986(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[derive(Default)]
struct Shared {
    captured: Vec<Captured>,
    reply: (u16, String),
}

/// A recording HTTP server on 127.0.0.1; stops when dropped.
pub struct CaptureServer {
    endpoint: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl CaptureServer {
    /// Starts a server that answers 200 `{"RequestId":"TEST-REQUEST-ID"}` until told otherwise.
    pub async fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared {
            captured: Vec::new(),
            reply: (200, r#"{"RequestId":"TEST-REQUEST-ID"}"#.to_owned()),
        }));
        let app = axum::Router::new().fallback(record).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("capture server runs");
        });
        Self { endpoint, shared, task }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Answers every following request with `status` and `body`.
    pub fn reply(&self, status: u16, body: impl Into<String>) {
        self.shared.lock().expect("lock").reply = (status, body.into());
    }

    /// Every request received so far.
    pub fn captured(&self) -> Vec<Captured> {
        self.shared.lock().expect("lock").captured.clone()
    }

    /// The last request received.
    pub fn last(&self) -> Captured {
        self.captured().pop().expect("the server received a request")
    }

    /// A VpcPeer client that talks to this server, with the standard retry policy but
    /// millisecond backoff.
    pub fn client(&self) -> Client {
        let config = Config::builder()
            .credentials(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
            .endpoint_url(self.endpoint())
            .retry(fast_retries())
            .build()
            .expect("valid config");
        Client::new(&config)
    }
}

impl Drop for CaptureServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn record(
    State(shared): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, [(&'static str, &'static str); 1], String) {
    let mut shared = shared.lock().expect("lock");
    shared.captured.push(Captured {
        method,
        path: uri.path().to_owned(),
        raw_query: uri.query().unwrap_or_default().to_owned(),
        headers,
        body,
    });
    let (status, body) = shared.reply.clone();
    (StatusCode::from_u16(status).expect("valid status"), [("content-type", "application/json;charset=utf-8")], body)
}

/// A VpcPeer client of `endpoint` signing with `credentials`, with [`fast_retries`].
pub fn client_at(endpoint: &str, credentials: Credentials) -> Client {
    let config = Config::builder()
        .credentials(credentials)
        .endpoint_url(endpoint)
        .retry(fast_retries())
        .build()
        .expect("config");
    Client::new(&config)
}

/// `http://127.0.0.1:PORT` of a port that was just free: connecting to it is refused.
pub fn closed_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    format!("http://{}", listener.local_addr().expect("addr"))
}

/// The standard policy (3 attempts, budget) with millisecond backoff, for tests.
pub fn fast_retries() -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)).with_max_backoff(Duration::from_millis(5))
}

/// The workspace's VpcPeer spec file.
pub fn vpcpeer_spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/vpcpeer/2022-01-01/api-docs.json")
}

/// The VpcPeer spec lowered by the generator: the same source the client was generated from.
pub fn vpcpeer_spec() -> alibabacloud_codegen::ir::Service {
    alibabacloud_codegen::load(&vpcpeer_spec_path()).expect("the VpcPeer spec loads")
}

/// The JSON response example of every operation, from the spec's `responseDemo`.
pub fn response_examples() -> Vec<(String, String)> {
    let spec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vpcpeer_spec_path()).expect("spec")).expect("JSON");
    let apis = spec["apis"].as_object().expect("apis");
    apis.iter()
        .map(|(action, api)| {
            let demos: serde_json::Value =
                serde_json::from_str(api["responseDemo"].as_str().expect("responseDemo")).expect("demo JSON");
            let json = demos.as_array().and_then(|d| d.iter().find(|d| d["type"] == "json")).expect("a json demo");
            (action.clone(), json["example"].as_str().expect("example").to_owned())
        })
        .collect()
}

/// A service error body as the gateway sends it, with every field set.
pub fn error_body(code: &str) -> String {
    format!(
        r#"{{"RequestId":"ERR-REQUEST-ID","HostId":"vpcpeer.aliyuncs.com","Code":"{code}","Message":"message of {code}","Recommend":"https://api.aliyun.com/troubleshoot?q={code}"}}"#
    )
}

/// Calls operation `action` with every one of its parameters set; gives the `Debug` text of
/// the response or of the error. Panics only on an unknown action (a test bug).
pub async fn call_with_every_parameter(client: &Client, action: &str) -> Result<String, String> {
    use alibabacloud_vpcpeer::types::Tag;
    fn tag(i: u32) -> Tag {
        Tag { key: Some(format!("key {i}")), value: Some(format!("value {i}")) }
    }
    fn show<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<T, E>) -> Result<String, String> {
        result.map(|ok| format!("{ok:?}")).map_err(|err| format!("{err:?}"))
    }
    match action {
        "AcceptVpcPeerConnection" => show(
            client
                .accept_vpc_peer_connection()
                .instance_id("pcc-accept")
                .dry_run(false)
                .client_token("token-accept")
                .resource_group_id("rg-1")
                .tag(tag(1))
                .tag(tag(2))
                .send()
                .await,
        ),
        "CreateVpcPeerConnection" => show(
            client
                .create_vpc_peer_connection()
                .region_id("cn-hangzhou")
                .vpc_id("vpc-requester")
                .accepting_ali_uid(1_210_123_456_123_456)
                .accepting_region_id("cn-shanghai")
                .accepting_vpc_id("vpc-accepter")
                .name("peer name")
                .description("a description")
                .dry_run(false)
                .client_token("token-create")
                .resource_group_id("rg-1")
                .bandwidth(1024)
                .link_type("Platinum")
                .tag(tag(1))
                .send()
                .await,
        ),
        "DeleteVpcPeerConnection" => show(
            client
                .delete_vpc_peer_connection()
                .instance_id("pcc-delete")
                .force(true)
                .dry_run(false)
                .client_token("token-delete")
                .send()
                .await,
        ),
        "GetVpcPeerConnectionAttribute" => {
            show(client.get_vpc_peer_connection_attribute().instance_id("pcc-get").send().await)
        }
        "ListTagResources" => show(
            client
                .list_tag_resources()
                .resource_type("PeerConnection")
                .resource_id("pcc-1")
                .resource_id("pcc-2")
                .tag(tag(1))
                .max_results(50)
                .next_token("next")
                .region_id("cn-hangzhou")
                .category("Custom")
                .send()
                .await,
        ),
        "ListVpcPeerConnections" => show(
            client
                .list_vpc_peer_connections()
                .region_id("cn-hangzhou")
                .instance_id("pcc-list")
                .vpc_id("vpc-a")
                .vpc_id("vpc-b")
                .name("peer")
                .next_token("next")
                .max_results(20)
                .tags(tag(1))
                .resource_group_id("rg-1")
                .send()
                .await,
        ),
        "ModifyVpcPeerConnection" => show(
            client
                .modify_vpc_peer_connection()
                .instance_id("pcc-modify")
                .name("new name")
                .description("new description")
                .bandwidth(100)
                .link_type("Gold")
                .dry_run(false)
                .client_token("token-modify")
                .send()
                .await,
        ),
        "MoveResourceGroup" => show(
            client
                .move_resource_group()
                .resource_id("pcc-move")
                .resource_type("PeerConnection")
                .new_resource_group_id("rg-2")
                .region_id("cn-hangzhou")
                .send()
                .await,
        ),
        "RejectVpcPeerConnection" => show(
            client
                .reject_vpc_peer_connection()
                .instance_id("pcc-reject")
                .dry_run(false)
                .client_token("token-reject")
                .send()
                .await,
        ),
        "TagResources" => show(
            client
                .tag_resources()
                .resource_id("pcc-1")
                .tag(tag(1))
                .resource_type("PeerConnection")
                .client_token("token-tag")
                .region_id("cn-hangzhou")
                .send()
                .await,
        ),
        "UnTagResources" => show(
            client
                .un_tag_resources()
                .resource_id("pcc-1")
                .tag_key("key 1")
                .all(false)
                .resource_type("PeerConnection")
                .client_token("token-untag")
                .region_id("cn-hangzhou")
                .send()
                .await,
        ),
        other => panic!("no call written for {other}"),
    }
}

/// Damaged copies of a JSON document, for the tests that feed damaged input to the generator
/// and to the client: every node in turn removed or replaced by a value of another type.
pub mod damage {
    use serde_json::{Value, json};

    /// What node `i` becomes: `DAMAGE[i % DAMAGE.len()]` (`None` removes it).
    pub fn replacements() -> Vec<Option<Value>> {
        vec![
            None,
            Some(Value::Null),
            Some(json!(-7)),
            Some(json!("")),
            Some(json!("type")),
            Some(json!(true)),
            Some(json!([])),
            Some(json!({})),
            Some(json!("Ünïcode value, with spaces")),
            Some(json!(1.5)),
        ]
    }

    /// The JSON pointer of every node of `value` except the root, parents before children.
    pub fn pointers(value: &Value) -> Vec<String> {
        fn walk(value: &Value, pointer: &str, out: &mut Vec<String>) {
            let children: Vec<(String, &Value)> = match value {
                Value::Object(map) => map.iter().map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v)).collect(),
                Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
                _ => Vec::new(),
            };
            for (step, child) in children {
                let pointer = format!("{pointer}/{step}");
                out.push(pointer.clone());
                walk(child, &pointer, out);
            }
        }
        let mut out = Vec::new();
        walk(value, "", &mut out);
        out
    }

    /// `value` with the node at `pointer` (not the root) removed (`None`) or replaced.
    pub fn damaged(value: &Value, pointer: &str, replacement: Option<&Value>) -> Value {
        let mut value = value.clone();
        let (parent, last) = pointer.rsplit_once('/').expect("not the root");
        match (replacement, value.pointer_mut(parent).expect("parent exists")) {
            (Some(replacement), _) => *value.pointer_mut(pointer).expect("node exists") = replacement.clone(),
            (None, Value::Object(map)) => {
                map.remove(&last.replace("~1", "/").replace("~0", "~"));
            }
            (None, Value::Array(items)) => {
                items.remove(last.parse::<usize>().expect("an index"));
            }
            (None, _) => unreachable!("a parent is an object or an array"),
        }
        value
    }

    /// What the damage at `pointer` was, for failure messages.
    pub fn describe(pointer: &str, replacement: Option<&Value>) -> String {
        format!("`{pointer}` {}", replacement.map_or("removed".to_owned(), |v| format!("set to {v}")))
    }
}

/// Side-by-side timing for the bench binaries: both candidates run in alternating batches in
/// one process, so that machine noise hits them alike.
pub mod bench {
    use std::time::{Duration, Instant};

    /// What a side-by-side run measured.
    pub struct Comparison {
        /// The median time per iteration of `a`.
        pub a: Duration,
        /// The median time per iteration of `b`.
        pub b: Duration,
        /// The median over the rounds of `a / b` within one round: the two ran back to back,
        /// so the machine's drift cancels out of each round's ratio (a bare POST measured
        /// against itself this way gives 0.985x to 1.014x on the 2-core VM, where the ratio
        /// of the two medians gives 0.962x to 1.034x).
        pub ratio: f64,
    }

    /// Runs `rounds` rounds; in each, `a` and `b` (in alternating order) run `batch` iterations
    /// each. The closures get the iteration count and run that many.
    pub fn side_by_side(rounds: usize, batch: u32, mut a: impl FnMut(u32), mut b: impl FnMut(u32)) -> Comparison {
        a(batch);
        b(batch);
        let (mut times_a, mut times_b) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
        for round in 0..rounds {
            let time = |f: &mut dyn FnMut(u32)| {
                let start = Instant::now();
                f(batch);
                start.elapsed() / batch
            };
            if round % 2 == 0 {
                times_a.push(time(&mut a));
                times_b.push(time(&mut b));
            } else {
                times_b.push(time(&mut b));
                times_a.push(time(&mut a));
            }
        }
        let mut ratios: Vec<f64> =
            times_a.iter().zip(&times_b).map(|(a, b)| a.as_secs_f64() / b.as_secs_f64()).collect();
        ratios.sort_unstable_by(f64::total_cmp);
        Comparison { a: median(times_a), b: median(times_b), ratio: ratios[rounds / 2] }
    }

    fn median(mut times: Vec<Duration>) -> Duration {
        times.sort_unstable();
        times[times.len() / 2]
    }
}

/// Helpers for tests against the emulator as account A.
pub mod emulated {
    use alibabacloud_emulator::{ACCOUNT_A, DefaultAccount, Emulator};
    use alibabacloud_runtime::RetryConfig;
    use alibabacloud_vpcpeer::{Client, Config, Credentials};
    use std::collections::HashMap;
    use std::time::Duration;

    /// A client of account A with `retry`.
    pub fn client(emulator: &Emulator, retry: RetryConfig) -> Client {
        account_client(emulator, ACCOUNT_A, retry)
    }

    /// A client of `account` with `retry`.
    pub fn account_client(emulator: &Emulator, account: DefaultAccount, retry: RetryConfig) -> Client {
        let config = Config::builder()
            .credentials(Credentials::new(account.access_key_id, account.access_key_secret))
            .endpoint_url(emulator.endpoint())
            .retry(retry)
            .build()
            .expect("config");
        Client::new(&config)
    }

    /// Many attempts, millisecond backoff, no budget limit.
    pub fn patient() -> RetryConfig {
        RetryConfig::standard()
            .with_max_attempts(12)
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(20))
            .with_budget(None)
    }

    /// Creates a same-account peering named `call<NNNN>` between VPCs of its own; gives its id.
    pub async fn create(client: &Client, call: usize) -> Result<String, String> {
        let outcome = client
            .create_vpc_peer_connection()
            .region_id("cn-hangzhou")
            .vpc_id(format!("vpc-requester{call:04}"))
            .accepting_ali_uid(ACCOUNT_A.uid)
            .accepting_region_id("cn-hangzhou")
            .accepting_vpc_id(format!("vpc-accepter{call:04}"))
            .name(format!("call{call:04}"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        outcome.completed().and_then(|r| r.instance_id).ok_or_else(|| "no instance id".to_owned())
    }

    /// Every peering of the account in cn-hangzhou by name, through every page.
    pub async fn peerings_by_name(client: &Client) -> HashMap<String, Vec<String>> {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        let mut pages = client.list_vpc_peer_connections().region_id("cn-hangzhou").max_results(100).into_pages();
        while let Some(page) = pages.next().await {
            for peer in page.expect("list").vpc_peer_connects.unwrap_or_default() {
                by_name.entry(peer.name.unwrap_or_default()).or_default().push(peer.instance_id.unwrap_or_default());
            }
        }
        by_name
    }
}

/// A `tracing` writer that keeps everything written, for tests that read the logs.
#[derive(Clone, Default)]
pub struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl CapturedLog {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
