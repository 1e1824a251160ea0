//! `CredentialsCache`: keeps a provider's credentials and refreshes them when they get within
//! a margin of their expiry, one refresh at a time however many callers ask.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Wraps a provider and serves its credentials from memory:
///
/// - long-term credentials (no expiry) are loaded once and kept;
/// - temporary ones are refreshed once they are within the refresh margin (15 minutes by
///   default, but at most half the lifetime they were fetched with, so that short-lived
///   credentials are not fetched again on every call) of their expiry, or earlier from the
///   time their provider asked for ([`Credentials::refresh_at`]);
/// - one refresh at a time: while it runs, callers holding no valid credentials wait for it
///   and share its outcome, and callers for whom the old credentials are still valid (stale
///   but not expired) are served those at once;
/// - when a refresh fails, or the caller running it drops its future before it ends (an
///   operation time limit, a `select!`), the previous credentials keep being served until
///   they really expire, and the next refresh waits [`CredentialsCache::RETRY_AFTER_FAILURE`]
///   (so an unreachable source does not slow down every call); after they expire the refresh
///   error is returned;
/// - credentials that arrive with less than [`CredentialsCache::RETRY_AFTER_FAILURE`] to live
///   are used until they expire, with no margin; credentials that arrive already expired (a
///   source, or this host's clock, that is wrong) are served as they are, for the server to
///   judge, also to the callers that waited for them, and fetched again at most once per
///   [`CredentialsCache::RETRY_AFTER_FAILURE`] while the source gives them.
///
/// The state lock is never held across an `await`; the refresh lock is held only by the
/// refreshing caller and waiters. Dropping the refreshing caller's future lets the next
/// waiter refresh.
pub struct CredentialsCache {
    provider: Box<dyn ProvideCredentials>,
    refresh_before: Duration,
    clock: Clock,
    state: Mutex<State>,
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    credentials: Option<Credentials>,
    /// When `credentials` were fetched, to know their lifetime.
    fetched_at: Option<SystemTime>,
    /// The error of the last refresh, when it failed.
    last_error: Option<CredentialsError>,
    /// When the last refresh failed, while credentials that are still valid were kept.
    failed_at: Option<SystemTime>,
    /// Counts finished refreshes, so a caller that waited for the refresh lock can tell that
    /// a refresh finished meanwhile and use its outcome instead of refreshing again.
    refreshes: u64,
}

/// Builds a [`CredentialsCache`].
pub struct CredentialsCacheBuilder {
    provider: Box<dyn ProvideCredentials>,
    refresh_before: Duration,
    clock: Clock,
}

impl CredentialsCacheBuilder {
    /// Refreshes temporary credentials this long before they expire (default 15 minutes).
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// Reads the current time from `clock` instead of the system clock (for tests).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The cache.
    pub fn build(self) -> CredentialsCache {
        CredentialsCache {
            provider: self.provider,
            refresh_before: self.refresh_before,
            clock: self.clock,
            state: Mutex::new(State::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }
}

impl CredentialsCache {
    /// How long before expiry temporary credentials are refreshed by default, as in all of
    /// Alibaba's credential libraries.
    pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(15 * 60);

    /// How long after a failed or abandoned refresh the cache serves the still-valid
    /// credentials it has before it tries again; also how long credentials that arrived
    /// already expired are kept.
    pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);

    /// A cache of `provider` with the default refresh margin.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::builder(provider).build()
    }

    /// A builder for a cache of `provider`.
    pub fn builder(provider: impl ProvideCredentials + 'static) -> CredentialsCacheBuilder {
        CredentialsCacheBuilder {
            provider: Box::new(provider),
            refresh_before: Self::DEFAULT_REFRESH_BEFORE,
            clock: Arc::new(SystemTime::now),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached credentials if they need no refresh at `now`.
    fn fresh(&self, state: &State, now: SystemTime) -> Option<Credentials> {
        let credentials = state.credentials.as_ref()?;
        let fresh_until_expiry = credentials.expiry().is_none_or(|expiry| {
            match state.fetched_at.map(|at| (at, expiry.duration_since(at))) {
                Some((_, Ok(lifetime))) if lifetime >= Self::RETRY_AFTER_FAILURE => {
                    let margin = self.refresh_before.min(lifetime / 2);
                    now.checked_add(margin).is_some_and(|t| t < expiry)
                }
                // Short-lived on arrival: used until they expire, with no margin (which would
                // fetch again at once).
                Some((_, Ok(lifetime))) if !lifetime.is_zero() => now < expiry,
                // Expired on arrival (a wrong source, or this host's clock ahead): kept a short
                // while for the server to judge, so that they are not fetched on every call.
                Some((at, _)) => now.duration_since(at).is_ok_and(|age| age < Self::RETRY_AFTER_FAILURE),
                None => false,
            }
        });
        let fresh = fresh_until_expiry && credentials.refresh_at().is_none_or(|refresh_at| now < refresh_at);
        fresh.then(|| credentials.clone())
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let now = (self.clock)();
        let (seen, still_usable) = {
            let state = self.state();
            if let Some(credentials) = self.fresh(&state, now) {
                return Ok(credentials);
            }
            let still_usable = state.credentials.as_ref().filter(|c| still_valid(c, now)).cloned();
            let failed_recently = state
                .failed_at
                .and_then(|at| now.duration_since(at).ok())
                .is_some_and(|since| since < Self::RETRY_AFTER_FAILURE);
            if let Some(credentials) = still_usable.as_ref().filter(|_| failed_recently) {
                return Ok(credentials.clone());
            }
            (state.refreshes, still_usable)
        };
        let _refreshing = match still_usable {
            // Stale but valid: refresh unless another caller already is, and meanwhile serve them.
            Some(credentials) => match self.refresh.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Ok(credentials),
            },
            None => self.refresh.lock().await,
        };
        if let Some(outcome) = self.outcome_since(seen) {
            return outcome;
        }
        let abandoned = AbandonedRefresh(Some(self));
        let result = self.provider.provide_credentials().await;
        abandoned.finished();
        let now = (self.clock)();
        let mut state = self.state();
        state.refreshes += 1;
        match result {
            Ok(credentials) => {
                if credentials.expiry().is_some_and(|expiry| expiry <= now) {
                    tracing::warn!(
                        provider = self.provider.name(),
                        "the credentials arrived already expired; is this host's clock right?"
                    );
                }
                state.credentials = Some(credentials.clone());
                state.fetched_at = Some(now);
                state.last_error = None;
                state.failed_at = None;
                Ok(credentials)
            }
            Err(error) => {
                state.last_error = Some(error.clone());
                state.failed_at = Some(now);
                state.credentials.as_ref().filter(|c| still_valid(c, now)).cloned().ok_or(error)
            }
        }
    }

    /// When a refresh finished after the caller saw `seen` refreshes, what the caller gets from
    /// it: the cached credentials if still valid (new, or kept after a failed refresh), else
    /// that refresh's error. `None` when no refresh finished meanwhile.
    fn outcome_since(&self, seen: u64) -> Option<Result<Credentials, CredentialsError>> {
        let now = (self.clock)();
        let state = self.state();
        if state.refreshes == seen {
            return None;
        }
        // Also credentials that arrived expired, within the while they are kept.
        if let Some(fresh) = self.fresh(&state, now) {
            return Some(Ok(fresh));
        }
        match state.credentials.as_ref().filter(|c| still_valid(c, now)) {
            Some(credentials) => Some(Ok(credentials.clone())),
            None => state.last_error.clone().map(Err),
        }
    }
}

/// Marks the refresh as failed, for [`CredentialsCache::RETRY_AFTER_FAILURE`], when it is
/// dropped before [`AbandonedRefresh::finished`]: its caller stopped waiting (a time limit),
/// and the next caller holding still-valid credentials should not wait for the source again.
struct AbandonedRefresh<'a>(Option<&'a CredentialsCache>);

impl AbandonedRefresh<'_> {
    fn finished(mut self) {
        self.0 = None;
    }
}

impl Drop for AbandonedRefresh<'_> {
    fn drop(&mut self) {
        if let Some(cache) = self.0 {
            let now = (cache.clock)();
            cache.state().failed_at = Some(now);
        }
    }
}

fn still_valid(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expiry().is_none_or(|expiry| now < expiry)
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("refresh_before", &self.refresh_before)
            .field("credentials", &state.credentials)
            .field("last_error", &state.last_error)
            .finish()
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let now = (self.clock)();
        let fresh = self.fresh(&self.state(), now);
        match fresh {
            Some(credentials) => ProvideCredentialsFuture::ready(Ok(credentials)),
            None => ProvideCredentialsFuture::new(self.load()),
        }
    }

    fn name(&self) -> &'static str {
        self.provider.name()
    }
}
