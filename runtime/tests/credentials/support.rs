//! Test doubles: a fake ECS metadata service, credentials URI, STS and CloudSSO portal on
//! 127.0.0.1, a server that accepts connections and never answers, scripted providers, and
//! temporary home directories.

use alibabacloud_runtime::credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideCredentialsFuture,
};
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use std::collections::{HashMap, VecDeque};
use std::future::IntoFuture;
use std::path::Path as FsPath;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SECRET: &str = "s3cret-value-9f2c";
pub const TOKEN: &str = "sts-t0ken-value-71ab";
pub const IMDS_TOKEN: &str = "imds-session-token";
pub const ROLE: &str = "my-ecs-role";
/// Short timeouts so that tests of unanswered requests finish quickly.
pub const SHORT: Duration = Duration::from_millis(200);
/// Timeouts for calls to fake servers that must succeed: long enough for a loaded machine.
pub const PATIENT: Duration = Duration::from_secs(5);

/// The JSON both the metadata service and a credentials URI answer.
pub fn credentials_json(id: &str, expiration: &str) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": id,
        "AccessKeySecret": SECRET,
        "SecurityToken": TOKEN,
        "Expiration": expiration,
        "LastUpdated": "2024-01-01T00:00:00Z",
    })
    .to_string()
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(axum::serve(listener, router).into_future());
    format!("http://{address}")
}

/// What the fake metadata service saw and how it behaves.
#[derive(Default)]
pub struct ImdsState {
    /// Whether `PUT /latest/api/token` issues a token (else answers 403, like a host without IMDSv2).
    pub issues_tokens: AtomicBool,
    /// Whether GETs carrying a token fail with 500.
    pub fails_with_token: AtomicBool,
    pub credentials_body: Mutex<String>,
    pub token_requests: AtomicUsize,
    pub role_requests: AtomicUsize,
    pub credentials_requests: AtomicUsize,
    pub gets_with_token: AtomicUsize,
    pub gets_without_token: AtomicUsize,
    pub token_ttl_headers: Mutex<Vec<String>>,
}

impl ImdsState {
    pub fn count(counter: &AtomicUsize) -> usize {
        counter.load(Ordering::SeqCst)
    }
}

/// A fake ECS metadata service serving role [`ROLE`].
pub struct FakeImds {
    pub url: String,
    pub state: Arc<ImdsState>,
}

impl FakeImds {
    /// A service that issues tokens and answers `credentials_body` for the role.
    pub async fn start(credentials_body: String) -> Self {
        let state = Arc::new(ImdsState::default());
        state.issues_tokens.store(true, Ordering::SeqCst);
        *state.credentials_body.lock().unwrap() = credentials_body;
        let router = Router::new()
            .route("/latest/api/token", put(issue_token))
            .route("/latest/meta-data/ram/security-credentials/", get(role_name))
            .route("/latest/meta-data/ram/security-credentials/{role}", get(role_credentials))
            .with_state(state.clone());
        Self { url: serve(router).await, state }
    }

    pub fn without_tokens(self) -> Self {
        self.state.issues_tokens.store(false, Ordering::SeqCst);
        self
    }
}

async fn issue_token(State(state): State<Arc<ImdsState>>, headers: HeaderMap) -> (StatusCode, String) {
    state.token_requests.fetch_add(1, Ordering::SeqCst);
    let ttl = headers.get("x-aliyun-ecs-metadata-token-ttl-seconds").and_then(|v| v.to_str().ok());
    state.token_ttl_headers.lock().unwrap().push(ttl.unwrap_or_default().to_owned());
    if !state.issues_tokens.load(Ordering::SeqCst) {
        return (StatusCode::FORBIDDEN, "no IMDSv2 here".to_owned());
    }
    if ttl.is_none() {
        return (StatusCode::BAD_REQUEST, "missing ttl header".to_owned());
    }
    (StatusCode::OK, IMDS_TOKEN.to_owned())
}

/// Checks the token header of a GET: `Err` with the status to answer when it is wrong.
fn check_token(state: &ImdsState, headers: &HeaderMap) -> Result<(), StatusCode> {
    match headers.get("x-aliyun-ecs-metadata-token") {
        Some(token) => {
            state.gets_with_token.fetch_add(1, Ordering::SeqCst);
            if token != IMDS_TOKEN {
                return Err(StatusCode::UNAUTHORIZED);
            }
            if state.fails_with_token.load(Ordering::SeqCst) {
                return Err(StatusCode::INTERNAL_SERVER_ERROR);
            }
            Ok(())
        }
        None => {
            state.gets_without_token.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }
}

async fn role_name(State(state): State<Arc<ImdsState>>, headers: HeaderMap) -> (StatusCode, String) {
    state.role_requests.fetch_add(1, Ordering::SeqCst);
    match check_token(&state, &headers) {
        Ok(()) => (StatusCode::OK, format!("{ROLE}\n")),
        Err(status) => (status, String::new()),
    }
}

async fn role_credentials(
    State(state): State<Arc<ImdsState>>,
    Path(role): Path<String>,
    headers: HeaderMap,
) -> (StatusCode, String) {
    state.credentials_requests.fetch_add(1, Ordering::SeqCst);
    if let Err(status) = check_token(&state, &headers) {
        return (status, String::new());
    }
    if role != ROLE {
        return (StatusCode::NOT_FOUND, "no such role".to_owned());
    }
    (StatusCode::OK, state.credentials_body.lock().unwrap().clone())
}

/// A fake credentials URI: `GET /credentials` answers `status` and `body`.
pub struct FakeCredentialsUri {
    pub url: String,
    pub requests: Arc<AtomicUsize>,
}

impl FakeCredentialsUri {
    pub async fn start(status: StatusCode, body: String) -> Self {
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let router = Router::new().route(
            "/credentials",
            get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                std::future::ready((status, body.clone()))
            }),
        );
        Self { url: format!("{}/credentials", serve(router).await), requests }
    }
}

/// A server that accepts connections and never answers; returns its base URL.
pub async fn start_silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{address}")
}

/// A base URL where nothing listens (connections are refused at once).
pub async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}")
}

/// A provider answering from a script, one entry per call (the last entry repeats), counting
/// calls. Optionally each call first waits for a permit of the semaphore [`ScriptedProvider::gated`] gives.
#[derive(Debug)]
pub struct ScriptedProvider {
    name: &'static str,
    script: Mutex<VecDeque<Result<Credentials, CredentialsError>>>,
    pub calls: Arc<AtomicUsize>,
    gate: Option<Arc<tokio::sync::Semaphore>>,
}

impl ScriptedProvider {
    pub fn new(name: &'static str, script: Vec<Result<Credentials, CredentialsError>>) -> Self {
        Self { name, script: Mutex::new(script.into()), calls: Arc::new(AtomicUsize::new(0)), gate: None }
    }

    /// Makes every call wait until the returned semaphore gets a permit.
    pub fn gated(mut self) -> (Self, Arc<tokio::sync::Semaphore>) {
        let gate = Arc::new(tokio::sync::Semaphore::new(0));
        self.gate = Some(gate.clone());
        (self, gate)
    }

    pub fn failure(name: &'static str) -> Result<Credentials, CredentialsError> {
        Err(CredentialsError::new(name, CredentialsErrorKind::NotConfigured, format!("{name} has nothing")))
    }
}

impl ProvideCredentials for ScriptedProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if let Some(gate) = &self.gate {
                gate.acquire().await.expect("gate open").forget();
            }
            let mut script = self.script.lock().unwrap();
            if script.len() > 1 { script.pop_front().unwrap() } else { script.front().cloned().expect("a script") }
        })
    }

    fn name(&self) -> &'static str {
        self.name
    }
}

/// Writes `contents` to `home/relative`, creating directories.
pub fn write_file(home: &FsPath, relative: &str, contents: &str) {
    let path = home.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// What a fake STS received: the query and form parameters of each `AssumeRoleWithOIDC` call.
pub type StsCalls = Arc<Mutex<Vec<(HashMap<String, String>, HashMap<String, String>)>>>;

/// A fake STS answering `POST /` with `status` and `body`.
pub struct FakeSts {
    pub url: String,
    pub calls: StsCalls,
}

impl FakeSts {
    pub async fn start(status: StatusCode, body: String) -> Self {
        let calls = StsCalls::default();
        let recorded = calls.clone();
        let router = Router::new().route(
            "/",
            post(move |Query(query): Query<HashMap<String, String>>, Form(form): Form<HashMap<String, String>>| {
                recorded.lock().unwrap().push((query, form));
                std::future::ready((status, body.clone()))
            }),
        );
        Self { url: serve(router).await, calls }
    }
}

/// What a fake CloudSSO portal received: the headers and body of each request.
pub type PortalCalls = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A fake CloudSSO portal answering `POST /cloud-credentials` with `status` and `body`.
pub struct FakeCloudSsoPortal {
    pub url: String,
    pub calls: PortalCalls,
}

impl FakeCloudSsoPortal {
    pub async fn start(status: StatusCode, body: String) -> Self {
        let calls = PortalCalls::default();
        let recorded = calls.clone();
        let router = Router::new().route(
            "/cloud-credentials",
            post(move |headers: HeaderMap, request_body: String| {
                recorded.lock().unwrap().push((headers, request_body));
                std::future::ready((status, body.clone()))
            }),
        );
        Self { url: serve(router).await, calls }
    }
}
