//! The `ProvideCredentials` trait every credentials source implements.

use super::{Credentials, CredentialsError};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The future a provider returns: either ready at once, without allocating (fixed or cached
/// credentials), or a boxed computation (a file to read, a service to ask).
pub struct ProvideCredentialsFuture<'a>(Pending<'a>);

enum Pending<'a> {
    Ready(Option<Result<Credentials, CredentialsError>>),
    Boxed(Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>),
}

impl<'a> ProvideCredentialsFuture<'a> {
    /// A future that is ready with `result`.
    pub fn ready(result: Result<Credentials, CredentialsError>) -> Self {
        Self(Pending::Ready(Some(result)))
    }

    /// A future that runs `future`.
    pub fn new(future: impl Future<Output = Result<Credentials, CredentialsError>> + Send + 'a) -> Self {
        Self(Pending::Boxed(Box::pin(future)))
    }
}

impl Future for ProvideCredentialsFuture<'_> {
    type Output = Result<Credentials, CredentialsError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            Pending::Ready(result) => Poll::Ready(result.take().expect("polled after it was ready")),
            Pending::Boxed(future) => future.as_mut().poll(cx),
        }
    }
}

impl fmt::Debug for ProvideCredentialsFuture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProvideCredentialsFuture")
    }
}

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
