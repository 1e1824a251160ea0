//! What generated code tells the runtime about a service and its operations, and the
//! outcome type of operations that support `DryRun`.

use crate::error::{ErrorMetadata, SdkError, ServiceError};
use crate::params::{Location, Params};
use serde::de::DeserializeOwned;

/// A service version, as its OpenMeta metadata describes it.
#[derive(Debug)]
pub struct Service {
    /// Product code, e.g. `VpcPeer`.
    pub product: &'static str,
    /// API version, e.g. `2022-01-01`.
    pub version: &'static str,
    /// How to find the endpoint when none is configured.
    pub endpoints: Endpoints,
}

/// Where a service is reached.
#[derive(Debug)]
pub enum Endpoints {
    /// One host for every region, e.g. `vpcpeer.aliyuncs.com`.
    Central(&'static str),
    /// A host per region (`(region, host)`, sorted by region); regions not listed use
    /// `<product>.<region>.aliyuncs.com`.
    Regional(&'static [(&'static str, &'static str)]),
}

/// One operation's request: generated for every operation.
pub trait Operation {
    /// The RPC `Action`, e.g. `RejectVpcPeerConnection`.
    const ACTION: &'static str;
    /// Whether the operation only reads, so that repeating it after a lost response is safe.
    const READ_ONLY: bool = false;
    /// Where the operation's `ClientToken` goes, when it has one. The runtime sends a fresh
    /// token when the caller gave none, the same on every attempt of one call, so that a retry
    /// after a lost response cannot apply the change twice.
    const CLIENT_TOKEN: Option<Location> = None;
    /// The generated client of the operation's service: the only one that can send it.
    type Client;
    /// The decoded success body.
    type Response: DeserializeOwned;
    /// The typed service error.
    type Error: ServiceError;
    /// Writes every set parameter to the query or the form body.
    fn write_params<'a>(&'a self, params: &mut Params<'a>);
}

/// What `send()` gives for operation `O`: its response, or why there is none.
pub type SendResult<O> = Result<<O as Operation>::Response, SdkError<<O as Operation>::Error>>;

/// What `send()` gives for operation `O` when it supports `DryRun`: its [`Outcome`], or why
/// there is none.
pub type OutcomeResult<O> = Result<Outcome<<O as Operation>::Response>, SdkError<<O as Operation>::Error>>;

/// The result of an operation that supports `DryRun`: the operation was performed, or the
/// dry run passed every check and nothing was changed.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome<T> {
    /// The operation was performed.
    Completed(T),
    /// `DryRun` was set and the request passed all checks; nothing was changed.
    DryRunPassed(DryRunPassed),
}

impl<T> Outcome<T> {
    /// The response if the operation was performed.
    pub fn completed(self) -> Option<T> {
        match self {
            Self::Completed(response) => Some(response),
            Self::DryRunPassed(_) => None,
        }
    }

    /// The response if the operation was performed, borrowed.
    pub fn as_completed(&self) -> Option<&T> {
        match self {
            Self::Completed(response) => Some(response),
            Self::DryRunPassed(_) => None,
        }
    }

    /// Whether this was a dry run that passed.
    pub fn is_dry_run_passed(&self) -> bool {
        matches!(self, Self::DryRunPassed(_))
    }
}

/// The service's confirmation that a dry run passed (HTTP 400 `DryRunOperation`).
#[derive(Clone, Debug, PartialEq)]
pub struct DryRunPassed {
    metadata: ErrorMetadata,
}

impl DryRunPassed {
    /// The code that signals a passed dry run.
    pub const CODE: &'static str = "DryRunOperation";

    pub(crate) fn new(metadata: ErrorMetadata) -> Self {
        Self { metadata }
    }

    /// The request id of the dry run.
    pub fn request_id(&self) -> Option<&str> {
        self.metadata.request_id()
    }

    /// The service's message, e.g. `Request validation has been passed with DryRun flag set.`
    pub fn message(&self) -> Option<&str> {
        self.metadata.message()
    }

    /// The whole response.
    pub fn metadata(&self) -> &ErrorMetadata {
        &self.metadata
    }
}
