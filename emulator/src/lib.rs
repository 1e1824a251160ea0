//! A local Alibaba Cloud VpcPeer 2022-01-01 service for tests, examples and CI: a gateway
//! that verifies V1 and V3 signatures and answers with the real error codes, and a service
//! with per-account peering state and the documented lifecycle.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use alibabacloud_emulator::{ACCOUNT_A, Delays, Emulator};
//! let emulator = Emulator::builder().delays(Delays::ZERO).start().await?;
//! println!("endpoint {} (AccessKeyId {})", emulator.endpoint(), ACCOUNT_A.access_key_id);
//! # Ok(()) }
//! ```

// The Rust snippets of docs/EMULATOR.md compile as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/EMULATOR.md")]
struct EmulatorGuide;

mod accounts;
mod clock;
mod emulator;
mod errors;
mod fast_hash;
mod faults;
mod gateway;
mod ids;
mod nonces;
mod schema;
mod server;
mod service;
pub mod signature;
mod wire;

pub use accounts::{ACCOUNT_A, ACCOUNT_B, Account, DefaultAccount};
pub use emulator::{Emulator, EmulatorBuilder, StartError};
pub use errors::ApiError;
pub use faults::{Fault, FaultRule, Trigger};
pub use service::Delays;
pub use wire::{Pair, form_decode};
