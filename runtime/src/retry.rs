//! Retries that never duplicate a change: which failures are retried (transient ones only,
//! and those that may have been applied only for idempotent calls), exponential backoff with
//! full jitter, `x-acs-retry-after`, and a shared retry budget (token bucket).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Longest wait a server's `x-acs-retry-after` can ask for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// How calls are retried.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Option<BudgetConfig>,
}

/// The retry budget: a token bucket shared by every call of one client. A retry takes
/// `retry_cost` tokens (`timeout_retry_cost` after a timeout); a call that succeeds on its first
/// attempt puts one back; when the bucket is empty nothing is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BudgetConfig {
    /// Tokens in a full bucket, which is how it starts.
    pub capacity: u32,
    /// Tokens a retry takes.
    pub retry_cost: u32,
    /// Tokens a retry after a timeout takes.
    pub timeout_retry_cost: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// On by default: at most 3 attempts, backoff from 1 s doubling up to 20 s with full
    /// jitter, a budget of 500 tokens (retry 5, retry after a timeout 10).
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            budget: Some(BudgetConfig { capacity: 500, retry_cost: 5, timeout_retry_cost: 10 }),
        }
    }

    /// One attempt, never retried.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::standard() }
    }

    /// Attempts per call, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles for each further one.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// A different budget, or `None` for unlimited retries (still at most `max_attempts`).
    pub fn with_budget(mut self, budget: Option<BudgetConfig>) -> Self {
        self.budget = budget;
        self
    }

    /// Attempts per call, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The retry budget, if any.
    pub fn budget(&self) -> Option<BudgetConfig> {
        self.budget
    }

    /// The wait before retry number `retry` (1 for the first retry): the server's
    /// `retry_after` when it sent one (at most 120 s), else a random duration below
    /// `min(max_backoff, initial_backoff × 2^(retry-1))`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(MAX_RETRY_AFTER);
        }
        let exponential = self.initial_backoff.saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        exponential.min(self.max_backoff).mul_f64(crate::random::unit_interval())
    }
}

/// What a failed attempt tells about retrying it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The request never reached the server (connection refused, connect timeout).
    NotSent,
    /// The server refused it before acting: throttling, `ServiceUnavailable`, `SystemBusy`.
    Refused,
    /// It may have been applied: a 5xx, `InternalError` or `UnknownError` under any status,
    /// a reset or timeout after sending.
    Unknown { timeout: bool },
    /// Not transient: other 4xx.
    Permanent,
}

impl Failure {
    /// Classifies an error response by status and code.
    pub(crate) fn of_response(status: u16, code: Option<&str>, has_retry_after: bool) -> Self {
        let refusal = code.is_some_and(|c| {
            c.starts_with("Throttling") || matches!(c, "Rejected.Throttling" | "ServiceUnavailable" | "SystemBusy")
        });
        if refusal || has_retry_after || status == 503 || status == 429 {
            Self::Refused
        } else if status >= 500 || matches!(code, Some("InternalError" | "UnknownError")) {
            Self::Unknown { timeout: false }
        } else {
            Self::Permanent
        }
    }

    /// Whether to retry: failures that may have been applied only when repeating the call is
    /// harmless (a read, or a write carrying the same `ClientToken`).
    pub(crate) fn retryable(self, idempotent: bool) -> bool {
        match self {
            Self::NotSent | Self::Refused => true,
            Self::Unknown { .. } => idempotent,
            Self::Permanent => false,
        }
    }
}

/// The shared token bucket of [`BudgetConfig`].
#[derive(Debug)]
pub(crate) struct RetryBudget {
    config: Option<BudgetConfig>,
    tokens: AtomicU32,
}

impl RetryBudget {
    pub(crate) fn new(config: Option<BudgetConfig>) -> Self {
        Self { tokens: AtomicU32::new(config.map_or(0, |c| c.capacity)), config }
    }

    /// Takes the cost of one retry; `None` when the budget is exhausted. Gives the tokens
    /// taken, to hand back if the retry succeeds.
    pub(crate) fn acquire(&self, after_timeout: bool) -> Option<u32> {
        let Some(config) = self.config else { return Some(0) };
        let cost = if after_timeout { config.timeout_retry_cost } else { config.retry_cost };
        self.tokens.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |tokens| tokens.checked_sub(cost)).ok()?;
        Some(cost)
    }

    /// A call succeeded: returns the tokens of its successful retry, or one token after a
    /// first-attempt success, never above capacity.
    pub(crate) fn success(&self, refund: u32) {
        let Some(config) = self.config else { return };
        let refill = |tokens: u32| Some(tokens.saturating_add(refund.max(1)).min(config.capacity));
        // The closure always gives a value, so the update cannot fail.
        let _ = self.tokens.fetch_update(Ordering::Relaxed, Ordering::Relaxed, refill);
    }

    #[cfg(test)]
    fn available(&self) -> u32 {
        self.tokens.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_failures_are_retried_and_unknown_outcomes_only_when_idempotent() {
        assert_eq!(Failure::of_response(400, Some("Throttling.User"), false), Failure::Refused);
        assert_eq!(Failure::of_response(400, Some("Rejected.Throttling"), false), Failure::Refused);
        assert_eq!(Failure::of_response(503, Some("ServiceUnavailable"), false), Failure::Refused);
        assert_eq!(Failure::of_response(400, Some("SystemBusy"), false), Failure::Refused);
        assert_eq!(Failure::of_response(400, Some("Anything"), true), Failure::Refused);
        assert_eq!(Failure::of_response(500, Some("InternalError"), false), Failure::Unknown { timeout: false });
        assert_eq!(Failure::of_response(502, None, false), Failure::Unknown { timeout: false });
        for code in ["InternalError", "UnknownError"] {
            assert_eq!(Failure::of_response(400, Some(code), false), Failure::Unknown { timeout: false }, "{code}");
        }
        for code in ["IncorrectStatus.VpcPeer", "SignatureNonceUsed", "InvalidParameter", "DryRunOperation"] {
            assert_eq!(Failure::of_response(400, Some(code), false), Failure::Permanent, "{code}");
        }
        assert!(Failure::NotSent.retryable(false) && Failure::Refused.retryable(false));
        assert!(!Failure::Unknown { timeout: true }.retryable(false));
        assert!(Failure::Unknown { timeout: true }.retryable(true));
        assert!(!Failure::Permanent.retryable(true));
    }

    #[test]
    fn backoff_is_jittered_exponential_and_bounded() {
        let config = RetryConfig::standard()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        for retry in 1..=6 {
            let bound = Duration::from_millis((100u64 << (retry - 1)).min(350));
            let delays: Vec<Duration> = (0..200).map(|_| config.delay(retry, None)).collect();
            assert!(delays.iter().all(|d| *d < bound), "retry {retry}");
            assert!(delays.iter().any(|d| *d > bound / 2), "retry {retry}: jitter spans the range");
        }
        assert_eq!(config.delay(1, Some(Duration::from_millis(2000))), Duration::from_millis(2000));
        assert_eq!(config.delay(1, Some(Duration::from_secs(600))), MAX_RETRY_AFTER);
        assert!(config.delay(40, None) < Duration::from_millis(350));
    }

    #[test]
    fn the_budget_runs_out_and_refills_on_success() {
        let budget = RetryBudget::new(Some(BudgetConfig { capacity: 12, retry_cost: 5, timeout_retry_cost: 10 }));
        assert_eq!(budget.acquire(false), Some(5));
        assert_eq!(budget.acquire(false), Some(5));
        assert_eq!(budget.acquire(false), None, "2 tokens left");
        assert_eq!(budget.acquire(true), None);
        budget.success(5);
        assert_eq!(budget.available(), 7);
        budget.success(0);
        budget.success(100);
        assert_eq!(budget.available(), 12, "never above capacity");
        let unlimited = RetryBudget::new(None);
        assert!((0..1000).all(|_| unlimited.acquire(true).is_some()));
    }
}
