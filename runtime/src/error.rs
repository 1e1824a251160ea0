//! Errors: what a request builder, the transport, the service and response decoding can
//! report, with the service's error metadata kept whole.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName};
use std::error::Error as StdError;
use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

/// The header in which the service asks a client to wait before trying again (§6.4 of the
/// facts: milliseconds, on throttling answers).
const RETRY_AFTER_HEADER: HeaderName = HeaderName::from_static("x-acs-retry-after");

/// A request could not be built: a required parameter is missing or a value has no wire form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A required parameter was not set. Holds its wire name (e.g. `InstanceId`).
    #[error("missing required parameter `{0}`")]
    MissingParameter(&'static str),
    /// A parameter value could not be written to the wire.
    #[error("invalid parameter value: {0}")]
    InvalidValue(String),
    /// A required field of an object inside a parameter was not set. Holds its wire path
    /// (e.g. `RouteEntries.2.DstCidrBlock`).
    #[error("missing required field `{0}`")]
    MissingField(String),
}

impl BuildError {
    /// The error for a missing required parameter.
    pub fn missing(parameter: &'static str) -> Self {
        Self::MissingParameter(parameter)
    }

    /// The error for a missing required field inside parameter `parameter`, at `path` below it.
    pub fn missing_field(parameter: &str, path: &str) -> Self {
        Self::MissingField(format!("{parameter}.{path}"))
    }
}

/// Everything an error response said: code, message, request id, host id, recommendation,
/// RAM denial details, HTTP status, headers and the raw body (also when the body is not JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorMetadata {
    status: u16,
    /// Boxed, and only when there are any: errors (and every result) stay small.
    headers: Option<Box<HeaderMap>>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    access_denied_detail: Option<String>,
    body: Bytes,
}

impl ErrorMetadata {
    /// Reads an error response. Each field is read on its own, under its PascalCase or
    /// camelCase key, from a string or a number, so one unexpected member loses nothing else.
    /// A body that is not a JSON object still gives metadata with the status and the raw
    /// body, and no code.
    pub fn from_response(status: u16, body: Bytes) -> Self {
        let object = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&body).unwrap_or_default();
        let text = |keys: [&str; 2]| {
            keys.iter().find_map(|key| match object.get(*key)? {
                serde_json::Value::String(text) => Some(text.clone()),
                serde_json::Value::Number(number) => Some(number.to_string()),
                _ => None,
            })
        };
        let access_denied_detail = ["AccessDeniedDetail", "accessDeniedDetail"]
            .iter()
            .find_map(|key| object.get(*key).filter(|v| !v.is_null()))
            .map(ToString::to_string);
        Self {
            status,
            headers: None,
            code: text(["Code", "code"]),
            message: text(["Message", "message"]),
            request_id: text(["RequestId", "requestId"]),
            host_id: text(["HostId", "hostId"]),
            recommend: text(["Recommend", "recommend"]),
            access_denied_detail,
            body,
        }
    }

    /// The same metadata with the response's `headers`.
    pub fn with_headers(self, headers: HeaderMap) -> Self {
        self.with_boxed_headers(Some(Box::new(headers)))
    }

    /// [`Self::with_headers`] for headers already boxed, or none.
    pub(crate) fn with_boxed_headers(mut self, headers: Option<Box<HeaderMap>>) -> Self {
        self.headers = headers;
        self
    }

    /// The error code, e.g. `IncorrectStatus.VpcPeer`; `None` when the body had none.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id the service assigned.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The host that answered.
    pub fn host_id(&self) -> Option<&str> {
        self.host_id.as_deref()
    }

    /// The troubleshooting URL the service recommends.
    pub fn recommend(&self) -> Option<&str> {
        self.recommend.as_deref()
    }

    /// What a RAM policy denied (`AccessDeniedDetail`: the action, the policy type, the
    /// principal, ...), as the compact JSON text the service sent; `None` when there was none.
    pub fn access_denied_detail(&self) -> Option<&str> {
        self.access_denied_detail.as_deref()
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The response headers (none for metadata made from a body alone).
    pub fn headers(&self) -> &HeaderMap {
        static NONE: OnceLock<HeaderMap> = OnceLock::new();
        self.headers.as_deref().unwrap_or_else(|| NONE.get_or_init(HeaderMap::new))
    }

    /// How long the service asked the client to wait before trying again
    /// (`x-acs-retry-after`, in milliseconds on the wire); `None` when it did not ask, or the
    /// value is not a positive whole number.
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(self.headers())
    }
}

/// The wait `headers` ask for in `x-acs-retry-after`, if any.
#[cold]
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(&RETRY_AFTER_HEADER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().filter(|ms| *ms > 0).map(Duration::from_millis)
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message.as_deref().unwrap_or("(no message)"))?,
            None => write!(f, "unrecognised error response: {}", snippet(&self.body))?,
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

/// The first 200 characters of a body, for messages.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return "(empty body)".to_owned();
    }
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A variant of a service error, as a constructor from the response: `Self::Unhandled`.
pub type ErrorVariant<E> = fn(ErrorMetadata) -> E;

/// A typed service error of one operation: one variant per documented code, plus one for any
/// other code. Generated for every operation, with `#[derive(ServiceError)]`, which also
/// implements `Display` (the [`ErrorMetadata`]'s) and `Error`:
///
/// ```
/// use alibabacloud_runtime::{ErrorMetadata, ServiceError};
///
/// #[derive(Debug, ServiceError)]
/// enum AcceptError {
///     #[code = "IncorrectStatus.VpcPeer"]
///     IncorrectStatus(ErrorMetadata),
///     /// Any other code: the one variant without `#[code]`.
///     Unhandled(ErrorMetadata),
/// }
///
/// let answer = |code: &str| {
///     let body = format!(r#"{{"Code":"{code}","Message":"busy","RequestId":"r-1"}}"#);
///     AcceptError::from_metadata(ErrorMetadata::from_response(400, body.into()))
/// };
/// assert!(matches!(answer("IncorrectStatus.VpcPeer"), AcceptError::IncorrectStatus(_)));
/// assert!(matches!(answer("Something.Else"), AcceptError::Unhandled(_)));
/// assert_eq!(answer("Something.Else").metadata().code(), Some("Something.Else"));
/// let error: Box<dyn std::error::Error> = Box::new(answer("IncorrectStatus.VpcPeer"));
/// assert_eq!(error.to_string(), "IncorrectStatus.VpcPeer: busy (HTTP 400, request id r-1)");
/// ```
pub trait ServiceError: StdError + Send + Sync + Sized + 'static {
    /// Every documented code with the variant it becomes, e.g.
    /// `("IncorrectStatus.VpcPeer", Self::IncorrectStatusVpcPeer)`.
    const CODES: &'static [(&'static str, ErrorVariant<Self>)];
    /// The variant of any other code, and of error responses without one.
    const UNHANDLED: ErrorVariant<Self>;

    /// Picks the variant for the response's code.
    fn from_metadata(metadata: ErrorMetadata) -> Self {
        let documented = metadata.code().and_then(|code| Self::CODES.iter().find(|(known, _)| *known == code));
        let variant = documented.map_or(Self::UNHANDLED, |(_, variant)| *variant);
        variant(metadata)
    }

    /// The response the error came from.
    fn metadata(&self) -> &ErrorMetadata;
}

/// A success response whose body does not match the operation's response shape.
#[derive(Debug, thiserror::Error)]
#[error("cannot decode the response (HTTP {status}) at `{path}`: {source}")]
pub struct DecodeError {
    status: u16,
    path: String,
    body: Bytes,
    #[source]
    source: serde_json::Error,
}

impl DecodeError {
    pub(crate) fn new(status: u16, body: Bytes, path: String, source: serde_json::Error) -> Self {
        Self { status, path, body, source }
    }

    /// The JSON path of the value that did not decode (`.` for the whole body).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }
}

/// The request could not be sent or its response not read.
#[derive(Debug, thiserror::Error)]
#[error("request to {endpoint} failed: {source}")]
pub struct TransportError {
    endpoint: String,
    #[source]
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(endpoint: &str, source: reqwest::Error) -> Self {
        Self { endpoint: endpoint.to_owned(), source }
    }

    /// Whether the connection could not be established.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// Whether a timeout fired.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }
}

/// Which time limit fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutKind {
    /// Establishing the connection.
    Connect,
    /// Waiting for the response's next bytes.
    Read,
    /// One attempt.
    Attempt,
    /// The whole call, retries included.
    Operation,
}

/// A time limit fired. For an attempt that may have reached the server, the change may or
/// may not have been applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the {} timeout{} fired after {} attempt(s)", kind_name(.kind), limit_text(.limit), .attempts)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Option<std::time::Duration>,
    attempts: u32,
}

fn kind_name(kind: &TimeoutKind) -> &'static str {
    match kind {
        TimeoutKind::Connect => "connect",
        TimeoutKind::Read => "read",
        TimeoutKind::Attempt => "per-attempt",
        TimeoutKind::Operation => "operation",
    }
}

fn limit_text(limit: &Option<std::time::Duration>) -> String {
    limit.map(|l| format!(" ({l:?})")).unwrap_or_default()
}

impl TimeoutError {
    pub(crate) fn new(kind: TimeoutKind, limit: Option<std::time::Duration>, attempts: u32) -> Self {
        Self { kind, limit, attempts }
    }

    /// Which limit fired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured limit, when known.
    pub fn limit(&self) -> Option<std::time::Duration> {
        self.limit
    }

    /// Attempts made, the last one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// The service answered a `NextToken` it had already given in the same run of pages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the service gave the page token `{token}` a second time; stopped instead of looping")]
pub struct PaginationError {
    token: String,
}

impl PaginationError {
    pub(crate) fn repeated(token: &str) -> Self {
        Self { token: token.to_owned() }
    }

    /// The repeated token.
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// The client configuration cannot serve this request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(pub(crate) String);

/// The error of every operation call. `E` is the operation's typed service error.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request was not built; nothing was sent.
    Construction(BuildError),
    /// The configuration cannot serve the request (for example no endpoint); nothing was sent.
    Config(ConfigError),
    /// No credentials could be had; nothing was sent.
    Credentials(crate::credentials::CredentialsError),
    /// A time limit fired.
    Timeout(TimeoutError),
    /// The request was not sent or the response not read.
    Transport(TransportError),
    /// The service answered with an error.
    Service(E),
    /// The service answered 2xx with a body that does not match the response shape.
    Decode(DecodeError),
    /// A paginated call cannot go on: the service gave a page token it had given before.
    Pagination(PaginationError),
}

impl<E: ServiceError> SdkError<E> {
    /// The typed service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Consumes the error, giving the typed service error if there is one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service's error metadata, if the service answered with an error.
    pub fn metadata(&self) -> Option<&ErrorMetadata> {
        self.as_service_error().map(ServiceError::metadata)
    }

    /// The service's error code, if any.
    pub fn code(&self) -> Option<&str> {
        self.metadata().and_then(ErrorMetadata::code)
    }

    /// The request id of the service's error response, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.metadata().and_then(ErrorMetadata::request_id)
    }
}

impl<E: ServiceError> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Construction(e) => write!(f, "request not sent: {e}"),
            Self::Config(e) => write!(f, "request not sent: {e}"),
            Self::Credentials(e) => write!(f, "request not sent: {e}"),
            Self::Timeout(e) => e.fmt(f),
            Self::Transport(e) => e.fmt(f),
            Self::Service(e) => write!(f, "service error: {}", e.metadata()),
            Self::Decode(e) => e.fmt(f),
            Self::Pagination(e) => e.fmt(f),
        }
    }
}

impl<E: ServiceError> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Construction(e) => Some(e),
            Self::Config(e) => Some(e),
            Self::Credentials(e) => Some(e),
            Self::Timeout(e) => Some(e),
            Self::Transport(e) => Some(e),
            Self::Service(e) => Some(e),
            Self::Decode(e) => Some(e),
            Self::Pagination(e) => Some(e),
        }
    }
}

impl SdkError<std::convert::Infallible> {
    /// The same error, as one of an operation whose service errors are `E`: it holds none.
    pub(crate) fn widen<E>(self) -> SdkError<E> {
        match self {
            Self::Construction(e) => SdkError::Construction(e),
            Self::Config(e) => SdkError::Config(e),
            Self::Credentials(e) => SdkError::Credentials(e),
            Self::Timeout(e) => SdkError::Timeout(e),
            Self::Transport(e) => SdkError::Transport(e),
            Self::Service(never) => match never {},
            Self::Decode(e) => SdkError::Decode(e),
            Self::Pagination(e) => SdkError::Pagination(e),
        }
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(error: BuildError) -> Self {
        Self::Construction(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_bodies_keep_every_field() {
        let body = r#"{"RequestId":"R1","HostId":"vpcpeer.aliyuncs.com","Code":"IncorrectStatus.VpcPeer","Message":"The status of VpcPeer [pcc-1] is incorrect.","Recommend":"https://x"}"#;
        let meta = ErrorMetadata::from_response(400, Bytes::from(body));
        assert_eq!(meta.code(), Some("IncorrectStatus.VpcPeer"));
        assert_eq!(meta.host_id(), Some("vpcpeer.aliyuncs.com"));
        assert_eq!(meta.recommend(), Some("https://x"));
        assert_eq!(meta.body().as_ref(), body.as_bytes());
        assert_eq!(
            meta.to_string(),
            "IncorrectStatus.VpcPeer: The status of VpcPeer [pcc-1] is incorrect. (HTTP 400, request id R1)"
        );
    }

    #[test]
    fn lower_case_keys_are_accepted() {
        let meta = ErrorMetadata::from_response(
            403,
            Bytes::from(r#"{"code":"Forbidden.RAM","message":"no","requestId":"R2"}"#),
        );
        assert_eq!((meta.code(), meta.message(), meta.request_id()), (Some("Forbidden.RAM"), Some("no"), Some("R2")));
    }

    #[test]
    fn non_json_and_empty_bodies_keep_status_and_body() {
        let html = ErrorMetadata::from_response(502, Bytes::from("<html>Bad Gateway</html>"));
        assert_eq!((html.status(), html.code()), (502, None));
        assert_eq!(html.to_string(), "unrecognised error response: <html>Bad Gateway</html> (HTTP 502)");
        let empty = ErrorMetadata::from_response(503, Bytes::new());
        assert_eq!(empty.to_string(), "unrecognised error response: (empty body) (HTTP 503)");
        let array = ErrorMetadata::from_response(500, Bytes::from("[1,2]"));
        assert_eq!(array.code(), None);
    }

    #[test]
    fn one_unexpected_member_loses_no_other_field() {
        // Both spellings of a key (a duplicate field for a derived reader), a number where text
        // was expected, an object where text was expected.
        let body =
            r#"{"Code":"Throttling.User","code":"Throttling.User","Message":{"zh":"x"},"RequestId":42,"HostId":"h"}"#;
        let meta = ErrorMetadata::from_response(400, Bytes::from(body));
        assert_eq!(meta.code(), Some("Throttling.User"));
        assert_eq!(meta.message(), None);
        assert_eq!((meta.request_id(), meta.host_id()), (Some("42"), Some("h")));
    }

    #[test]
    fn ram_denials_keep_their_detail() {
        let body = r#"{"Code":"Forbidden.RAM","RequestId":"R","AccessDeniedDetail":{"AuthAction":"vpc:RejectVpcPeerConnection","PolicyType":"AccountLevelIdentityBasedPolicy"}}"#;
        let meta = ErrorMetadata::from_response(403, Bytes::from(body));
        assert_eq!(
            meta.access_denied_detail(),
            Some(r#"{"AuthAction":"vpc:RejectVpcPeerConnection","PolicyType":"AccountLevelIdentityBasedPolicy"}"#)
        );
        let camel = ErrorMetadata::from_response(403, Bytes::from(r#"{"accessDeniedDetail":{"A":1}}"#));
        assert_eq!(camel.access_denied_detail(), Some(r#"{"A":1}"#));
        assert_eq!(ErrorMetadata::from_response(403, Bytes::from(r#"{"Code":"X"}"#)).access_denied_detail(), None);
    }
}
