//! The error answers of the emulator: code, HTTP status and message, rendered in the
//! gateway's JSON body shape (`RequestId`, `HostId`, `Code`, `Message`, `Recommend`).

use std::borrow::Cow;
use std::fmt;

/// An error the emulator answers with instead of a success body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status, e.g. 400.
    pub status: u16,
    /// The dotted error code, e.g. `IncorrectStatus.VpcPeer`.
    pub code: Cow<'static, str>,
    /// The human-readable message.
    pub message: String,
    /// Value of the `x-acs-retry-after` header (milliseconds), for throttling faults.
    pub retry_after_ms: Option<u64>,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: u16, code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self { status, code: code.into(), message: message.into(), retry_after_ms: None }
    }

    /// A 400 error.
    pub fn bad_request(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    /// `MissingParameter`: a mandatory parameter is absent or empty.
    pub fn missing_parameter(name: &str) -> Self {
        Self::bad_request(
            "MissingParameter",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        )
    }

    /// `InvalidParameter`: a value that cannot be read as its declared type or shape.
    pub fn invalid_parameter(name: &str, why: impl fmt::Display) -> Self {
        Self::bad_request("InvalidParameter", format!("The specified parameter \"{name}\" is not valid: {why}."))
    }

    /// `IllegalParam.<Name>`: a well-typed value that breaks the operation's rules.
    pub fn illegal_param(name: &str, why: impl fmt::Display) -> Self {
        Self::bad_request(format!("IllegalParam.{name}"), format!("The param of {name} is illegal: {why}."))
    }

    /// `IncorrectStatus.VpcPeer` for a peering whose state does not allow the operation.
    pub fn incorrect_status(instance_id: &str) -> Self {
        Self::bad_request("IncorrectStatus.VpcPeer", format!("The status of VpcPeer [{instance_id}] is incorrect."))
    }

    /// `ResourceNotFound.InstanceId` for a peering the caller cannot see.
    pub fn instance_not_found(instance_id: &str) -> Self {
        Self::bad_request(
            "ResourceNotFound.InstanceId",
            format!("The specified resource of VpcPeer [{instance_id}] is not found."),
        )
    }

    /// The JSON error body, with a fresh request id and the answering host.
    pub fn body(&self, request_id: &str, host: &str) -> String {
        serde_json::json!({
            "RequestId": request_id,
            "HostId": host,
            "Code": self.code,
            "Message": self.message,
            "Recommend": format!(
                "https://api.aliyun.com/troubleshoot?q={}&product=VpcPeer&requestId={request_id}",
                self.code
            ),
        })
        .to_string()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
