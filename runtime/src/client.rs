//! The runtime client: resolves the endpoint, and for each call writes the parameters once,
//! then signs (V1 or V3), sends and classifies attempts until one succeeds, the failure is not
//! worth retrying, or attempts, budget or time run out; finally turns the response into a
//! typed result.

use crate::config::{Config, Overrides, SignatureVersion, TimeoutConfig};
use crate::credentials::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, Secret};
use crate::error::{
    BuildError, ConfigError, DecodeError, ErrorMetadata, SdkError, ServiceError, TimeoutError, TimeoutKind,
    TransportError, retry_after,
};
use crate::operation::{DryRunPassed, Endpoints, Operation, Outcome, OutcomeResult, SendResult, Service};
use crate::params::Params;
use crate::retry::{Failure, RetryBudget, RetryConfig};
use crate::signing::{v1, v3};
use bytes::Bytes;
use reqwest::header::HeaderValue;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};
// The clock of tokio's timers, which enforce the operation timeout (and which tests can pause).
use tokio::time::Instant;
use tracing::Instrument;

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("alibabacloud-rust-sdk/", env!("CARGO_PKG_VERSION"));
/// The header values every request carries, checked once at compile time rather than on
/// every request.
const USER_AGENT_VALUE: HeaderValue = HeaderValue::from_static(USER_AGENT);
const FORM_CONTENT_TYPE: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");
/// The header naming the credentials provider, e.g. `static_ak` or `cli_profile/static_ak`.
pub const CREDENTIALS_PROVIDER: &str = "x-acs-credentials-provider";
const CREDENTIALS_PROVIDER_HEADER: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static(CREDENTIALS_PROVIDER);

/// A client of one service version. Cheap to clone: clones share the connection pool and the
/// retry budget, and so do the copies made with [`Client::with_overrides`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    service: &'static Service,
    http: reqwest::Client,
    /// `scheme://host[:port]`, without a trailing slash.
    endpoint: Result<String, ConfigError>,
    /// The endpoint parsed once, with path `/`: each request only adds its query.
    endpoint_root: Option<reqwest::Url>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    signature_version: SignatureVersion,
    retry: RetryConfig,
    budget: Arc<RetryBudget>,
    timeouts: TimeoutConfig,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("product", &self.inner.service.product)
            .field("version", &self.inner.service.version)
            .field("endpoint", &self.inner.endpoint)
            .field("credentials", &self.inner.credentials)
            .field("signature_version", &self.inner.signature_version)
            .field("retry", &self.inner.retry)
            .field("timeouts", &self.inner.timeouts)
            .finish()
    }
}

/// One attempt's response, read whole.
struct Response {
    status: u16,
    /// An error's headers (a success's are not kept).
    headers: Option<Box<reqwest::header::HeaderMap>>,
    body: Bytes,
}

/// How far a call has got: the attempts made so far, and when its operation time limit ends.
struct Progress {
    attempts_made: AtomicU32,
    deadline: Option<Instant>,
}

/// Why an attempt produced no response.
enum AttemptError {
    /// No credentials to sign with; never retried.
    Credentials(CredentialsError),
    Transport(reqwest::Error),
    /// The per-attempt limit fired.
    Timeout,
}

impl Client {
    /// A client of `service` with `config`.
    pub fn new(service: &'static Service, config: &Config) -> Self {
        let endpoint = resolve_endpoint(service, config);
        let endpoint_root = endpoint.as_ref().ok().and_then(|base| reqwest::Url::parse(&format!("{base}/")).ok());
        Self {
            inner: Arc::new(Inner {
                service,
                http: config.http.clone(),
                endpoint,
                endpoint_root,
                credentials: config.credentials.clone(),
                signature_version: config.signature_version,
                budget: Arc::new(RetryBudget::new(config.retry.budget())),
                retry: config.retry.clone(),
                // A custom HTTP client's own connect and read limits apply, which this client
                // does not know: its timeout errors name none rather than the unused settings.
                timeouts: match config.custom_http {
                    true => TimeoutConfig { connect: None, read: None, ..config.timeouts },
                    false => config.timeouts,
                },
            }),
        }
    }

    /// A copy of this client whose calls retry and time out as `overrides` says. It shares the
    /// connection pool, the credentials and the retry budget (unless the overrides change the
    /// budget's settings).
    pub fn with_overrides(&self, overrides: &Overrides) -> Self {
        let mut inner = Inner::clone(&self.inner);
        if let Some(retry) = &overrides.retry {
            if retry.budget() != inner.retry.budget() {
                inner.budget = Arc::new(RetryBudget::new(retry.budget()));
            }
            inner.retry = retry.clone();
        }
        if let Some(limit) = overrides.attempt_timeout {
            inner.timeouts.attempt = limit;
        }
        if let Some(limit) = overrides.operation_timeout {
            inner.timeouts.operation = limit;
        }
        Self { inner: Arc::new(inner) }
    }

    /// The endpoint requests go to, e.g. `https://vpcpeer.aliyuncs.com`.
    pub fn endpoint(&self) -> Result<&str, &ConfigError> {
        self.inner.endpoint.as_deref()
    }

    /// Sends `input` and decodes the response.
    pub async fn send<O: Operation>(&self, input: &O) -> SendResult<O> {
        self.call::<O>(&write_params(input)?).await
    }

    /// Sends `input` of an operation that supports `DryRun`. When the request carries
    /// `DryRun=true`, the service's `DryRunOperation` answer (HTTP 400) is
    /// [`Outcome::DryRunPassed`], not an error.
    pub async fn send_with_dry_run<O: Operation>(&self, input: &O) -> OutcomeResult<O> {
        let params = write_params(input)?;
        match self.call::<O>(&params).await {
            Err(SdkError::Service(error))
                if error.metadata().status() == 400
                    && error.metadata().code() == Some(DryRunPassed::CODE)
                    && params.value("DryRun") == Some("true") =>
            {
                Ok(Outcome::DryRunPassed(DryRunPassed::new(error.metadata().clone())))
            }
            result => result.map(Outcome::Completed),
        }
    }

    /// One call of operation `O` with its written `params` ([`Self::attempts_within_limit`]),
    /// decoded into the response or the operation's typed error.
    async fn call<O: Operation>(&self, params: &Params<'_>) -> SendResult<O> {
        let idempotent = O::READ_ONLY || O::CLIENT_TOKEN.is_some();
        let response = self.attempts_within_limit(O::ACTION, idempotent, params).await.map_err(SdkError::widen)?;
        if (200..300).contains(&response.status) {
            return decode(response.status, response.body);
        }
        let metadata =
            ErrorMetadata::from_response(response.status, response.body).with_boxed_headers(response.headers);
        Err(SdkError::Service(O::Error::from_metadata(metadata)))
    }

    /// Attempts within the operation time limit. Gives the last response (success or error)
    /// or the error that ended the call without one. Not generic, so compiled once for all
    /// operations rather than once per operation.
    async fn attempts_within_limit(
        &self,
        action: &'static str,
        idempotent: bool,
        params: &Params<'_>,
    ) -> Result<Response, SdkError<Infallible>> {
        let span = tracing::debug_span!("alibabacloud", product = self.inner.service.product, action);
        let endpoint = self.inner.endpoint.as_ref().map_err(|e| SdkError::Config(e.clone()))?;
        let credentials = self.inner.credentials.as_ref().ok_or_else(|| {
            SdkError::Config(ConfigError(
                "no credentials configured: set them with Config::builder().credentials(..)".into(),
            ))
        })?;
        let progress = Progress {
            attempts_made: AtomicU32::new(0),
            deadline: self.inner.timeouts.operation.and_then(|limit| Instant::now().checked_add(limit)),
        };
        let attempts = self.attempts(action, idempotent, endpoint, credentials, params, &progress).instrument(span);
        // The timer is boxed: only calls with a limit carry it, every other call's future stays
        // smaller (the same for the attempt limit and the backoff below).
        match self.inner.timeouts.operation {
            None => attempts.await,
            Some(limit) => Box::pin(tokio::time::timeout(limit, attempts)).await.unwrap_or_else(|_| {
                let made = progress.attempts_made.load(Ordering::Relaxed);
                tracing::debug!(attempts = made, "operation timeout fired");
                Err(SdkError::Timeout(TimeoutError::new(TimeoutKind::Operation, Some(limit), made)))
            }),
        }
    }

    /// Attempts until one is final; retries only what is transient, and what may already
    /// have been applied only when the operation is idempotent.
    async fn attempts(
        &self,
        action: &'static str,
        idempotent: bool,
        endpoint: &str,
        credentials: &dyn ProvideCredentials,
        params: &Params<'_>,
        progress: &Progress,
    ) -> Result<Response, SdkError<Infallible>> {
        let mut refund = 0;
        let mut attempt = 1;
        loop {
            progress.attempts_made.store(attempt, Ordering::Relaxed);
            let span = tracing::debug_span!("attempt", attempt);
            let result = self.attempt(action, endpoint, credentials, params).instrument(span.clone()).await;
            let _entered = span.enter();
            let result = match result {
                Ok(response) if (200..300).contains(&response.status) => {
                    tracing::debug!(status = response.status, "succeeded");
                    self.inner.budget.success(refund);
                    return Ok(response);
                }
                other => other,
            };
            match self.retry_delay(&result, attempt, idempotent, progress.deadline) {
                Some((delay, tokens)) => {
                    refund = tokens;
                    drop(_entered);
                    Box::pin(tokio::time::sleep(delay)).await;
                    attempt += 1;
                }
                None => return self.final_result(result, attempt, endpoint),
            }
        }
    }

    /// After a failed attempt: how long to wait before the next one and the budget tokens it
    /// took, or `None` when the call ends here, also when the operation's `deadline` would
    /// pass during the wait (the caller then gets this attempt's error, not a timeout that
    /// hides it). Kept out of line: calls rarely fail.
    #[cold]
    fn retry_delay(
        &self,
        result: &Result<Response, AttemptError>,
        attempt: u32,
        idempotent: bool,
        deadline: Option<Instant>,
    ) -> Option<(Duration, u32)> {
        let (failure, retry_after) = match result {
            Ok(response) => {
                let metadata = ErrorMetadata::from_response(response.status, response.body.clone());
                let retry_after = response.headers.as_deref().and_then(retry_after);
                let failure = Failure::of_response(response.status, metadata.code(), retry_after.is_some());
                tracing::debug!(
                    status = response.status,
                    code = metadata.code(),
                    request_id = metadata.request_id(),
                    "service error"
                );
                (failure, retry_after)
            }
            Err(AttemptError::Transport(error)) => {
                tracing::debug!(error = %error, "transport error");
                (transport_failure(error), None)
            }
            Err(AttemptError::Timeout) => {
                tracing::debug!("attempt timeout fired");
                (Failure::Unknown { timeout: true }, None)
            }
            Err(AttemptError::Credentials(_)) => return None,
        };
        let retry = &self.inner.retry;
        if attempt >= retry.max_attempts() || !failure.retryable(idempotent) {
            tracing::debug!(?failure, "not retrying");
            return None;
        }
        let delay = retry.delay(attempt, retry_after);
        let wake = Instant::now().checked_add(delay);
        if let Some(deadline) = deadline
            && wake.is_none_or(|wake| wake >= deadline)
        {
            tracing::debug!(
                ?failure,
                delay_ms = delay.as_millis() as u64,
                "not retrying: the operation timeout comes first"
            );
            return None;
        }
        let after_timeout = matches!(failure, Failure::Unknown { timeout: true });
        let Some(tokens) = self.inner.budget.acquire(after_timeout) else {
            tracing::debug!(?failure, "not retrying: the retry budget is spent");
            return None;
        };
        tracing::debug!(?failure, delay_ms = delay.as_millis() as u64, "retrying");
        Some((delay, tokens))
    }

    /// The call's result after its last attempt.
    fn final_result(
        &self,
        result: Result<Response, AttemptError>,
        attempts: u32,
        endpoint: &str,
    ) -> Result<Response, SdkError<Infallible>> {
        let limits = &self.inner.timeouts;
        match result {
            Ok(response) => Ok(response),
            Err(AttemptError::Credentials(error)) => Err(SdkError::Credentials(error)),
            Err(AttemptError::Timeout) => {
                Err(SdkError::Timeout(TimeoutError::new(TimeoutKind::Attempt, limits.attempt, attempts)))
            }
            Err(AttemptError::Transport(error)) if error.is_timeout() => {
                let (kind, limit) = if error.is_connect() {
                    (TimeoutKind::Connect, limits.connect)
                } else {
                    (TimeoutKind::Read, limits.read)
                };
                Err(SdkError::Timeout(TimeoutError::new(kind, limit, attempts)))
            }
            Err(AttemptError::Transport(error)) => Err(SdkError::Transport(TransportError::new(endpoint, error))),
        }
    }

    /// A POST to `signed_url`, which is the endpoint, `/?` and the signed query: the endpoint
    /// is not parsed again, the query is set as it is (it holds only unreserved characters,
    /// `%XX`, `=` and `&`, which URL parsing leaves alone).
    fn post(&self, signed_url: String) -> reqwest::RequestBuilder {
        // The endpoint has no `?`, so the first one starts the query (a char search is small code).
        match (&self.inner.endpoint_root, signed_url.split_once('?')) {
            (Some(root), Some((_, query))) => {
                let mut url = root.clone();
                url.set_query(Some(query));
                self.inner.http.post(url)
            }
            _ => self.inner.http.post(signed_url),
        }
    }

    /// Signs and sends one attempt (fresh credentials, nonce and timestamp) and reads the
    /// whole response. An error body never shows the STS token the request carried.
    async fn attempt(
        &self,
        action: &str,
        endpoint: &str,
        credentials: &dyn ProvideCredentials,
        params: &Params<'_>,
    ) -> Result<Response, AttemptError> {
        // Credentials are asked for on every attempt: temporary ones may have rotated.
        let credentials = credentials.provide_credentials().await.map_err(|error| {
            tracing::debug!(provider = error.provider(), "no credentials");
            AttemptError::Credentials(error)
        })?;
        let credentials = &credentials;
        let (service, now) = (self.inner.service, SystemTime::now());
        let request = match self.inner.signature_version {
            SignatureVersion::V1 => {
                let signed = v1::sign_request(endpoint, service.version, action, params, credentials, now);
                let request = self.post(signed.url).header(reqwest::header::USER_AGENT, USER_AGENT_VALUE);
                // Alibaba's SDKs name the credentials provider in this header; a name that is
                // not a valid header value (only possible through `with_provider_name`) is left
                // out. (V3 signs it with the other `x-acs-*` headers.)
                let request = match credentials.provider_header() {
                    Some(name) => request.header(CREDENTIALS_PROVIDER_HEADER, name.clone()),
                    None => request,
                };
                if signed.body.is_empty() {
                    request
                } else {
                    request.header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE).body(signed.body)
                }
            }
            SignatureVersion::V3 => {
                let signed = v3::sign_request(endpoint, service.version, action, params, credentials, now);
                let mut request = self.post(signed.url).header(reqwest::header::USER_AGENT, USER_AGENT_VALUE);
                for (name, value) in signed.headers {
                    request = request.header(name, value);
                }
                request.body(signed.body)
            }
        };
        // Sent (lazily) here, so that the future below holds the small pending response rather
        // than the whole request builder.
        let pending = request.send();
        let exchange = async {
            // Transport errors lose the URL: it carries the signature and any STS token.
            let mut response = pending.await.map_err(|e| {
                if e.is_builder() {
                    unusable_credentials(credentials, e.without_url())
                } else {
                    AttemptError::Transport(e.without_url())
                }
            })?;
            let status = response.status().as_u16();
            let failed = !(200..300).contains(&status);
            let headers = failed.then(|| Box::new(std::mem::take(response.headers_mut())));
            let body = response.bytes().await.map_err(|e| AttemptError::Transport(e.without_url()))?;
            Ok(Response { status, headers, body })
        };
        let mut response = match self.inner.timeouts.attempt {
            None => exchange.await,
            Some(limit) => Box::pin(tokio::time::timeout(limit, exchange)).await.unwrap_or(Err(AttemptError::Timeout)),
        }?;
        if let Some(token) = credentials.security_token()
            && response.status >= 300
        {
            response.body = redact(&response.body, token);
            if let Some(headers) = &mut response.headers {
                redact_headers(headers, token);
            }
        }
        Ok(response)
    }
}

/// Writes the operation's parameters once per call, adding a fresh `ClientToken` when the
/// operation has one and the caller gave none, so every attempt carries the same token. An
/// empty token is refused: it would not make the call safe to retry, and the service would
/// use each attempt's request id instead.
fn write_params<O: Operation>(input: &O) -> Result<Params<'_>, BuildError> {
    let mut params = Params::default();
    input.write_params(&mut params);
    if let Some(error) = params.error() {
        return Err(BuildError::InvalidValue(error.to_owned()));
    }
    if let Some(location) = O::CLIENT_TOKEN {
        match params.value("ClientToken") {
            None => params.push(location, "ClientToken", crate::random::uuid_v4()),
            Some("") => {
                let why = "parameter `ClientToken` is empty; leave it unset to have one generated";
                return Err(BuildError::InvalidValue(why.to_owned()));
            }
            Some(_) => {}
        }
    }
    Ok(params)
}

/// `body` with every occurrence of the STS `token` redacted ([`Secret::redact_from`]).
fn redact(body: &Bytes, token: &Secret) -> Bytes {
    match token.redact_from(&String::from_utf8_lossy(body)) {
        Cow::Borrowed(_) => body.clone(),
        Cow::Owned(redacted) => Bytes::from(redacted),
    }
}

/// `headers` with the STS `token` redacted from every value (a proxy may echo the request's
/// headers, and V3 sends the token in one).
fn redact_headers(headers: &mut reqwest::header::HeaderMap, token: &Secret) {
    for value in headers.values_mut() {
        if let Cow::Owned(redacted) = token.redact_from(&String::from_utf8_lossy(value.as_bytes())) {
            *value = HeaderValue::from_str(&redacted).unwrap_or(HeaderValue::from_static("[redacted]"));
        }
    }
}

/// A request that could not be built: only a header value the credentials gave can fail (V3
/// sends the AccessKeyId and the STS token as headers; the endpoint was checked with the
/// config). Never retried: the next attempt would fail the same way.
#[cold]
fn unusable_credentials(credentials: &Credentials, source: reqwest::Error) -> AttemptError {
    let message = "the AccessKeyId or SecurityToken cannot be sent: it must be a valid HTTP header value, \
                   without line breaks or other control characters";
    let provider = credentials.provider_name().to_owned();
    AttemptError::Credentials(
        CredentialsError::new(provider, CredentialsErrorKind::InvalidConfig, message).with_source(source),
    )
}

/// What a transport error says about retrying.
fn transport_failure(error: &reqwest::Error) -> Failure {
    if error.is_connect() { Failure::NotSent } else { Failure::Unknown { timeout: error.is_timeout() } }
}

fn decode<R: DeserializeOwned, E>(status: u16, body: Bytes) -> Result<R, SdkError<E>> {
    if let Ok(decoded) = serde_json::from_slice(&body) {
        return Ok(decoded);
    }
    // Decoded again, tracking the path, only to say where the body went wrong.
    let mut json = serde_json::Deserializer::from_slice(&body);
    let decoded = serde_path_to_error::deserialize(&mut json)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|value| json.end().map(|()| value).map_err(|e| (".".to_owned(), e)));
    decoded.map_err(|(path, e)| SdkError::Decode(DecodeError::new(status, body.clone(), path, e)))
}

fn resolve_endpoint(service: &Service, config: &Config) -> Result<String, ConfigError> {
    if let Some(url) = &config.endpoint {
        return Ok(url.as_str().trim_end_matches('/').to_owned());
    }
    let host = match &service.endpoints {
        Endpoints::Central(host) => (*host).to_owned(),
        Endpoints::Regional(hosts) => {
            let region = config.region.as_deref().ok_or_else(|| {
                ConfigError(format!("{} is a regional service: set a region or an endpoint URL", service.product))
            })?;
            match hosts.binary_search_by(|(r, _)| (*r).cmp(region)) {
                Ok(i) => hosts[i].1.to_owned(),
                Err(_) => format!("{}.{region}.aliyuncs.com", service.product.to_lowercase()),
            }
        }
    };
    Ok(format!("https://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    static CENTRAL: Service =
        Service { product: "VpcPeer", version: "2022-01-01", endpoints: Endpoints::Central("vpcpeer.aliyuncs.com") };
    static REGIONAL: Service = Service {
        product: "Vpc",
        version: "2016-04-28",
        endpoints: Endpoints::Regional(&[
            ("cn-hangzhou", "vpc.aliyuncs.com"),
            ("eu-central-1", "vpc.eu-central-1.aliyuncs.com"),
        ]),
    };

    fn resolve(service: &Service, config: crate::ConfigBuilder) -> Result<String, ConfigError> {
        resolve_endpoint(service, &config.build().expect("config"))
    }

    #[test]
    fn endpoints_resolve_override_first_then_list_then_rule() {
        assert_eq!(resolve(&CENTRAL, Config::builder()).unwrap(), "https://vpcpeer.aliyuncs.com");
        assert_eq!(
            resolve(&CENTRAL, Config::builder().region("eu-central-1")).unwrap(),
            "https://vpcpeer.aliyuncs.com"
        );
        assert_eq!(resolve(&REGIONAL, Config::builder().region("cn-hangzhou")).unwrap(), "https://vpc.aliyuncs.com");
        assert_eq!(
            resolve(&REGIONAL, Config::builder().region("me-east-1")).unwrap(),
            "https://vpc.me-east-1.aliyuncs.com"
        );
        let error = resolve(&REGIONAL, Config::builder()).unwrap_err();
        assert!(error.to_string().contains("Vpc is a regional service: set a region or an endpoint URL"), "{error}");
        let local = Config::builder().region("cn-hangzhou").endpoint_url("http://127.0.0.1:8080");
        assert_eq!(resolve(&REGIONAL, local).unwrap(), "http://127.0.0.1:8080", "an explicit endpoint always wins");
    }
}
