//! The `ProvideCredentials` trait every credentials source implements.

use super::{Credentials, CredentialsError};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The future a provider returns.
pub type ProvideCredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. Object-safe: store it as `Arc<dyn ProvideCredentials>`.
///
/// Each call loads the credentials again (reads the file, asks the service); wrap a provider
/// in a [`CredentialsCache`](super::CredentialsCache) to reuse them until they go stale.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Loads credentials.
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_>;

    /// The provider's name in errors and in [`Credentials::provider_name`], e.g. `env`.
    fn name(&self) -> &'static str;
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        (**self).provide_credentials()
    }

    fn name(&self) -> &'static str {
        (**self).name()
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Box<P> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        (**self).provide_credentials()
    }

    fn name(&self) -> &'static str {
        (**self).name()
    }
}
