//! `CredentialsError`: which provider failed, what kind of failure it was and why, with its
//! source kept; the chain's error lists every provider's failure. No secret ever goes into
//! one: providers name fields, files and JSON paths, never their values.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// What kind of failure a [`CredentialsError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The provider's source is absent: variables unset, file missing, no home directory.
    NotConfigured,
    /// The source is present but wrong: bad JSON or INI, a missing field, an unknown mode.
    InvalidConfig,
    /// The source asks for a credential type this SDK does not implement yet.
    Unsupported,
    /// A credentials service did not answer in time.
    Timeout,
    /// A credentials service could not be reached or answered with a non-200 status.
    Transport,
    /// A credentials service answered with a body that is not valid credentials.
    InvalidResponse,
    /// Every provider of a chain failed; see [`CredentialsError::failures`].
    AllProvidersFailed,
}

/// Credentials could not be loaded. Cheap to clone (the source is shared), `Send + Sync`.
#[derive(Clone, Debug)]
pub struct CredentialsError {
    provider: Cow<'static, str>,
    kind: CredentialsErrorKind,
    message: String,
    source: Option<Arc<dyn StdError + Send + Sync>>,
    failures: Vec<CredentialsError>,
}

impl CredentialsError {
    /// An error of `provider` of the given kind, with a message saying why.
    pub fn new(provider: impl Into<Cow<'static, str>>, kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        Self { provider: provider.into(), kind, message: message.into(), source: None, failures: Vec::new() }
    }

    /// The error of a chain in which every provider failed, one failure per provider in order.
    pub fn all_failed(chain: impl Into<Cow<'static, str>>, failures: Vec<CredentialsError>) -> Self {
        let message = if failures.is_empty() {
            "the chain has no providers".to_owned()
        } else {
            format!("all {} providers failed", failures.len())
        };
        Self { failures, ..Self::new(chain, CredentialsErrorKind::AllProvidersFailed, message) }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The same failure reported by `provider`, the message prefixed with `context`: for a
    /// provider that delegates (a profile in `EcsRamRole` mode asks the metadata service).
    pub(crate) fn in_context(mut self, provider: impl Into<Cow<'static, str>>, context: &str) -> Self {
        self.provider = provider.into();
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// The name of the provider that failed, e.g. `ecs_ram_role` or `default`.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// Why it failed, without the provider name or the source.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// For a chain: each provider's failure, in chain order. Empty otherwise.
    pub fn failures(&self) -> &[CredentialsError] {
        &self.failures
    }

    /// Writes this error and each of its sources, `: `-separated.
    fn write_with_sources(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")?;
        let mut source = StdError::source(self);
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl fmt::Display for CredentialsError {
    /// `provider: message`; a chain's error goes on with `[provider: message: source]` for
    /// every provider that failed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "credentials provider `{}`: {}", self.provider, self.message)?;
        for failure in &self.failures {
            f.write_str(" [")?;
            failure.write_with_sources(f)?;
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl StdError for CredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_error_lists_every_failure_with_its_source() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let failures = vec![
            CredentialsError::new("env", CredentialsErrorKind::NotConfigured, "ALIBABA_CLOUD_ACCESS_KEY_ID is not set"),
            CredentialsError::new("profile", CredentialsErrorKind::NotConfigured, "cannot read /x").with_source(io),
        ];
        let error = CredentialsError::all_failed("default", failures);
        let shown = error.to_string();
        assert!(shown.starts_with("credentials provider `default`: all 2 providers failed"), "{shown}");
        assert!(shown.contains("[credentials provider `env`: ALIBABA_CLOUD_ACCESS_KEY_ID is not set]"), "{shown}");
        assert!(shown.contains("cannot read /x: no such file]"), "{shown}");
        assert_eq!(error.kind(), CredentialsErrorKind::AllProvidersFailed);
        assert_eq!(error.failures().len(), 2);
    }

    #[test]
    fn is_send_sync_static() {
        fn assert_bounds<T: StdError + Send + Sync + 'static>() {}
        assert_bounds::<CredentialsError>();
    }
}
