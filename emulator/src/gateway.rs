//! The API gateway in front of the service: parameter decoding, signature verification (V1
//! or V3), timestamp and nonce checks, action lookup, fault injection, validation against the
//! spec and the JSON answer with a fresh `RequestId`.

use crate::accounts::Accounts;
use crate::errors::ApiError;
use crate::fast_hash::FastMap;
use crate::faults::{Drop, Faults};
use crate::ids::UniqueIds;
use crate::nonces::NonceStore;
use crate::schema::{OperationSchema, Schema};
use crate::service::{Action, Service};
use crate::signature::{self, Signed, TimeCheck, V1_COMMON_PARAMS};
use crate::wire::{self, Pair};
use bytes::Bytes;
use hyper::header::{CONTENT_TYPE, HOST, HeaderValue};
use hyper::{HeaderMap, Method, Response, StatusCode, Uri};
use std::time::{Duration, SystemTime};

/// What the connection should do with a request.
pub(crate) enum Reply {
    Respond(Response<http_body_util::Full<Bytes>>),
    /// Close the connection without answering.
    Drop,
}

/// A received request.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a Method,
    pub(crate) uri: &'a Uri,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// The gateway and everything it checks requests against; shared by all connections.
pub(crate) struct Gateway {
    accounts: Accounts,
    nonces: NonceStore,
    /// The served operations by action name, with their parameter schemas.
    operations: FastMap<String, (Action, OperationSchema)>,
    version: String,
    pub(crate) service: Service,
    pub(crate) faults: Faults,
    timestamp_window: Duration,
    request_ids: UniqueIds,
}

enum Served {
    /// A JSON object's text, without `RequestId`.
    Body(String),
    Drop,
}

impl Gateway {
    pub(crate) fn new(
        schema: Schema,
        accounts: Accounts,
        service: Service,
        faults: Faults,
        timestamp_window: Duration,
        nonce_retention: Duration,
    ) -> Result<Self, String> {
        let mut operations = FastMap::default();
        let mut schemas = schema.operations;
        for (name, action) in Action::ALL {
            let op = schemas.remove(name).ok_or_else(|| format!("the spec has no operation {name}"))?;
            operations.insert(name.to_owned(), (action, op));
        }
        Ok(Self {
            accounts,
            nonces: NonceStore::new(nonce_retention),
            operations,
            version: schema.version,
            service,
            faults,
            timestamp_window,
            request_ids: UniqueIds::new(),
        })
    }

    /// Serves one request.
    pub(crate) async fn handle(&self, request: Incoming<'_>) -> Reply {
        match self.serve(&request).await {
            Ok(Served::Drop) => Reply::Drop,
            Ok(Served::Body(fields)) => {
                let request_id = self.request_ids.request_id();
                let rest = fields.strip_prefix('{').unwrap_or("}");
                let separator = if rest.starts_with('}') { "" } else { "," };
                Reply::Respond(respond(
                    200,
                    format!("{{\"RequestId\":\"{request_id}\"{separator}{rest}"),
                    &request_id,
                    None,
                ))
            }
            Err(error) => self.reject(request.headers, &error),
        }
    }

    /// The error answer to a request, in the gateway's body shape.
    pub(crate) fn reject(&self, headers: &HeaderMap, error: &ApiError) -> Reply {
        let request_id = self.request_ids.request_id();
        let host = headers.get(HOST).and_then(|h| h.to_str().ok()).unwrap_or("vpcpeer.aliyuncs.com");
        Reply::Respond(respond(error.status, error.body(&request_id, host), &request_id, error.retry_after_ms))
    }

    async fn serve(&self, request: &Incoming<'_>) -> Result<Served, ApiError> {
        let method = request.method.as_str();
        if *request.method != Method::POST && *request.method != Method::GET {
            return Err(ApiError::bad_request(
                "UnsupportedHTTPMethod",
                format!("The HTTP method {method} is not supported; use POST or GET."),
            ));
        }
        if request.uri.path() != "/" {
            return Err(ApiError::new(
                404,
                "InvalidApi.NotFound",
                format!("Specified api is not found, please check your url and method: path {:?}.", request.uri.path()),
            ));
        }
        let query = wire::form_decode(request.uri.query().unwrap_or("").as_bytes(), "query string")?;
        let body = self.body_params(request)?;
        let time = TimeCheck { now: SystemTime::now(), window: self.timestamp_window };
        let (signed, params): (Signed, Vec<Pair>) = if request.headers.contains_key("authorization") {
            // Values as bytes: a V3 client signs the UTF-8 it sent (a user-agent with `é`),
            // which `HeaderValue::to_str` would refuse.
            let headers: Vec<(&str, &[u8])> = request.headers.iter().map(|(n, v)| (n.as_str(), v.as_bytes())).collect();
            let signed =
                signature::verify_v3(method, request.uri.path(), &query, &headers, request.body, &self.accounts, time)?;
            (signed, wire::merge(query, body)?)
        } else {
            let params = wire::merge(query, body)?;
            let signed = signature::verify_v1(method, &params, &self.accounts, time)?;
            if let Some(format) = wire::lookup(&params, "Format") {
                // `None` is what the old core SDK sends when no format is set.
                if !["json", "xml", "none"].iter().any(|f| format.eq_ignore_ascii_case(f)) {
                    return Err(ApiError::bad_request(
                        "InvalidParameter.Format",
                        format!("Specified parameter Format {format:?} is not valid; use JSON or XML."),
                    ));
                }
            }
            (signed, params)
        };
        if !self.nonces.record(&signed.access_key_id, &signed.nonce) {
            return Err(ApiError::bad_request("SignatureNonceUsed", "Specified signature nonce was used already."));
        }
        let (action, schema) =
            self.operations.get(&signed.action).filter(|_| signed.version == self.version).ok_or_else(|| {
                ApiError::new(
                    404,
                    "InvalidApi.NotFound",
                    format!(
                        "Specified api is not found, please check your url and method: Action={}, Version={}.",
                        signed.action, signed.version
                    ),
                )
            })?;
        let decision = self.faults.decide(&signed.action);
        if !decision.latency.is_zero() {
            tokio::time::sleep(decision.latency).await;
        }
        if let Some(error) = decision.error {
            return Err(error);
        }
        if decision.drop == Some(Drop::BeforeApply) {
            return Ok(Served::Drop);
        }
        let business: Vec<Pair> = params.into_iter().filter(|(n, _)| !V1_COMMON_PARAMS.contains(&n.as_str())).collect();
        let validated = schema.validate(&business)?;
        let caller = self
            .accounts
            .get(&signed.access_key_id)
            .ok_or_else(|| ApiError::new(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."))?;
        let result = self.service.execute(caller, *action, &validated);
        if decision.drop == Some(Drop::AfterApply) {
            return Ok(Served::Drop);
        }
        result.map(Served::Body)
    }

    fn body_params(&self, request: &Incoming<'_>) -> Result<Vec<Pair>, ApiError> {
        if request.body.is_empty() {
            return Ok(Vec::new());
        }
        let content_type = match request.headers.get(CONTENT_TYPE) {
            Some(value) => std::str::from_utf8(value.as_bytes())
                .map_err(|_| ApiError::invalid_parameter("Content-Type", "the header value is not valid UTF-8"))?,
            None => "",
        };
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err(ApiError::invalid_parameter(
                "Content-Type",
                format_args!("a request body must be application/x-www-form-urlencoded, got {content_type:?}"),
            ));
        }
        wire::form_decode(request.body, "request body")
    }
}

fn respond(
    status: u16,
    body: String,
    request_id: &str,
    retry_after_ms: Option<u64>,
) -> Response<http_body_util::Full<Bytes>> {
    let mut response = Response::new(http_body_util::Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json;charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-acs-request-id", value);
    }
    if let Some(ms) = retry_after_ms {
        headers.insert("x-acs-retry-after", HeaderValue::from(ms));
    }
    response
}
