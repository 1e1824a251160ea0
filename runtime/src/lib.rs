//! Runtime of the generated Alibaba Cloud SDK crates: configuration, credentials, RPC
//! signatures (V1 and V3), parameter serialization, transport and error metadata. Generated
//! crates call into it; applications mostly use it through their re-exports.

pub mod client;
pub mod config;
pub mod credentials;
pub mod encoding;
pub mod error;
pub mod operation;
pub mod params;
pub mod signing;

pub use client::Client;
pub use config::{Config, ConfigBuilder};
pub use credentials::{Credentials, Secret};
pub use error::{BuildError, ConfigError, DecodeError, ErrorMetadata, SdkError, ServiceError, TransportError};
pub use operation::{DryRunPassed, Endpoints, Operation, Outcome, Service};
pub use params::{Params, Style};
