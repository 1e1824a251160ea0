//! Fault injection: rules that make matching requests fail the way a real gateway does under
//! trouble (throttling, 503, 500, dropped connections, latency), either for the next N
//! matching requests or for a fraction of them chosen by a seeded, deterministic generator.

use crate::errors::ApiError;
use crate::ids::splitmix64;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// What happens to a request a rule hits.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// 400 `Throttling.User`, with `x-acs-retry-after` (milliseconds) when given.
    Throttling {
        /// The wait the answer asks for.
        retry_after: Option<Duration>,
    },
    /// 503 `ServiceUnavailable`.
    ServiceUnavailable,
    /// 500 `InternalError`.
    InternalError,
    /// The connection is closed without a response; the request is not applied.
    DropBeforeApply,
    /// The request is applied, then the connection is closed: the response is lost.
    DropAfterApply,
    /// The response is delayed by this much; the request is otherwise served normally.
    Latency(Duration),
}

/// Which matching requests a rule hits.
#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    /// The next `n` matching requests.
    Next(u64),
    /// Each matching request with this probability (0.0 to 1.0), drawn from the seeded
    /// generator: the same seed and the same request sequence give the same hits.
    Fraction(f64),
}

/// A fault, the requests it applies to, and how many of them it hits.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultRule {
    /// What happens to a request the rule hits.
    pub fault: Fault,
    /// `None` matches every action.
    pub action: Option<String>,
    /// Which matching requests it hits.
    pub trigger: Trigger,
}

impl FaultRule {
    /// A rule hitting the next matching request of any action.
    pub fn new(fault: Fault) -> Self {
        Self { fault, action: None, trigger: Trigger::Next(1) }
    }

    /// Restricts the rule to one action, e.g. `GetVpcPeerConnectionAttribute`.
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    /// Hits the next `n` matching requests.
    pub fn next(mut self, n: u64) -> Self {
        self.trigger = Trigger::Next(n);
        self
    }

    /// Hits each matching request with probability `fraction` (clamped to 0.0..=1.0).
    pub fn fraction(mut self, fraction: f64) -> Self {
        self.trigger = Trigger::Fraction(if fraction.is_nan() { 0.0 } else { fraction.clamp(0.0, 1.0) });
        self
    }
}

/// When a dropped connection happens relative to applying the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Drop {
    BeforeApply,
    AfterApply,
}

/// The combined effect of every rule that hit one request.
#[derive(Debug, Default)]
pub(crate) struct Decision {
    pub(crate) latency: Duration,
    pub(crate) error: Option<ApiError>,
    pub(crate) drop: Option<Drop>,
}

struct ActiveRule {
    rule: FaultRule,
    salt: u64,
    /// Matching requests seen (fractions) or hits left (`Next`).
    counter: AtomicU64,
}

/// The installed rules and the generator seed.
pub(crate) struct Faults {
    seed: u64,
    any: AtomicBool,
    rules: RwLock<Vec<ActiveRule>>,
    next_salt: AtomicU64,
}

impl Faults {
    pub(crate) fn new(seed: u64, rules: Vec<FaultRule>) -> Self {
        let faults =
            Self { seed, any: AtomicBool::new(false), rules: RwLock::new(Vec::new()), next_salt: AtomicU64::new(0) };
        for rule in rules {
            faults.add(rule);
        }
        faults
    }

    pub(crate) fn add(&self, rule: FaultRule) {
        let counter = match rule.trigger {
            Trigger::Next(n) => n,
            Trigger::Fraction(_) => 0,
        };
        let salt = self.next_salt.fetch_add(1, Ordering::Relaxed);
        self.rules.write().unwrap_or_else(|e| e.into_inner()).push(ActiveRule {
            rule,
            salt,
            counter: AtomicU64::new(counter),
        });
        self.any.store(true, Ordering::Release);
    }

    pub(crate) fn clear(&self) {
        self.rules.write().unwrap_or_else(|e| e.into_inner()).clear();
        self.any.store(false, Ordering::Release);
    }

    /// Applies every rule to one request of `action`.
    pub(crate) fn decide(&self, action: &str) -> Decision {
        let mut decision = Decision::default();
        if !self.any.load(Ordering::Acquire) {
            return decision;
        }
        let rules = self.rules.read().unwrap_or_else(|e| e.into_inner());
        for active in rules.iter() {
            if active.rule.action.as_deref().is_some_and(|a| a != action) || !self.hits(active) {
                continue;
            }
            match &active.rule.fault {
                Fault::Latency(d) => decision.latency += *d,
                Fault::DropBeforeApply if decision.error.is_none() && decision.drop.is_none() => {
                    decision.drop = Some(Drop::BeforeApply)
                }
                Fault::DropAfterApply if decision.error.is_none() && decision.drop.is_none() => {
                    decision.drop = Some(Drop::AfterApply)
                }
                fault if decision.error.is_none() && decision.drop.is_none() => decision.error = error_of(fault),
                _ => {}
            }
        }
        decision
    }

    fn hits(&self, active: &ActiveRule) -> bool {
        match active.rule.trigger {
            Trigger::Next(_) => {
                active.counter.fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| left.checked_sub(1)).is_ok()
            }
            Trigger::Fraction(p) => {
                let n = active.counter.fetch_add(1, Ordering::AcqRel);
                let draw = splitmix64(self.seed ^ active.salt.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ splitmix64(n));
                ((draw >> 11) as f64 / (1u64 << 53) as f64) < p
            }
        }
    }
}

fn error_of(fault: &Fault) -> Option<ApiError> {
    Some(match fault {
        Fault::Throttling { retry_after } => {
            let mut e = ApiError::bad_request("Throttling.User", "Request was denied due to user flow control.");
            e.retry_after_ms = retry_after.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1));
            e
        }
        Fault::ServiceUnavailable => {
            ApiError::new(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
        }
        Fault::InternalError => ApiError::new(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        ),
        Fault::DropBeforeApply | Fault::DropAfterApply | Fault::Latency(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(faults: &Faults, action: &str, n: usize) -> Vec<bool> {
        (0..n).map(|_| faults.decide(action).error.is_some()).collect()
    }

    #[test]
    fn next_n_hits_exactly_n_matching_requests() {
        let faults = Faults::new(1, vec![FaultRule::new(Fault::InternalError).action("A").next(2)]);
        assert_eq!(hits(&faults, "B", 3), [false, false, false]);
        assert_eq!(hits(&faults, "A", 3), [true, true, false]);
    }

    #[test]
    fn fractions_are_deterministic_per_seed_and_near_the_rate() {
        let make = |seed| Faults::new(seed, vec![FaultRule::new(Fault::ServiceUnavailable).fraction(0.3)]);
        let (a, b, c) = (hits(&make(7), "X", 1000), hits(&make(7), "X", 1000), hits(&make(8), "X", 1000));
        assert_eq!(a, b);
        assert_ne!(a, c);
        let rate = a.iter().filter(|h| **h).count();
        assert!((230..370).contains(&rate), "{rate}");
    }

    #[test]
    fn throttling_carries_retry_after_and_latency_adds_up() {
        let faults = Faults::new(
            0,
            vec![
                FaultRule::new(Fault::Latency(Duration::from_millis(5))).next(1),
                FaultRule::new(Fault::Latency(Duration::from_millis(7))).next(1),
                FaultRule::new(Fault::Throttling { retry_after: Some(Duration::from_millis(1500)) }),
            ],
        );
        let d = faults.decide("X");
        assert_eq!(d.latency, Duration::from_millis(12));
        let e = d.error.unwrap();
        assert_eq!((e.status, e.code.as_ref(), e.retry_after_ms), (400, "Throttling.User", Some(1500)));
    }
}
