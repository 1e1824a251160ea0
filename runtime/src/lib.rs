//! Runtime of the generated Alibaba Cloud SDK crates: configuration, credentials, RPC
//! signatures (V1 and V3), parameter serialization, transport, paginators, waiters and error metadata. Generated
//! crates call into it; applications mostly use it through their re-exports.

pub mod client;
pub mod config;
pub mod credentials;
pub mod encoding;
pub mod env;
pub mod error;
mod load;
pub mod operation;
pub mod paginate;
pub mod params;
pub mod prelude;
mod random;
mod required;
pub mod retry;
pub mod signing;
pub mod wait;

/// Derives [`ServiceError`](trait@ServiceError) for a generated error enum (see the trait).
pub use alibabacloud_runtime_macros::ServiceError;
pub use client::Client;
pub use config::{Config, ConfigBuilder, Overrides, SignatureVersion, TimeoutConfig};
pub use credentials::{
    Credentials, CredentialsCache, CredentialsError, CredentialsErrorKind, DefaultCredentialsChain, ProvideCredentials,
    Secret,
};
pub use env::Env;
pub use error::{
    BuildError, ConfigError, DecodeError, ErrorMetadata, ErrorVariant, PaginationError, SdkError, ServiceError,
    TimeoutError, TimeoutKind, TransportError,
};
pub use operation::{DryRunPassed, Endpoints, Operation, Outcome, OutcomeResult, SendResult, Service};
pub use paginate::{Items, Pages, Paginate, PaginateItems, Repeatable};
pub use params::{Location, Params, Style};
pub use required::{RequiredFields, missing_item};
pub use retry::{BudgetConfig, RetryConfig};
pub use wait::{ReadField, Wait, WaitError, Waiter};
