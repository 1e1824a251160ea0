//! Waiters: a request sent again and again, at an interval and within a time limit, until
//! what it answers says the wanted state came, or can no longer come.

use crate::error::{SdkError, ServiceError};
use crate::paginate::Repeatable;
use std::error::Error as StdError;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

/// What one call's result means for a wait.
enum Verdict<S, E> {
    /// The wanted state came; the wait gives this.
    Done(S),
    /// Not yet: call again after the interval.
    Again,
    /// The wanted state can no longer come, for this reason (e.g. "`Status` is `Rejected`"),
    /// shown with the error the call answered, if it was one.
    Unreachable(String, Option<SdkError<E>>),
    /// The call failed in a way the waiter does not expect; the wait ends with it.
    Error(SdkError<E>),
}

/// Reads the looked-for field's value from a response.
pub type ReadField<O> = fn(&O) -> Option<&str>;

/// What a wait's verdict on each call comes from: [`Waiter::judge`] or [`Waiter::judge_by_code`].
type Judge<O, S, E> = fn(&Waiter, Result<O, SdkError<E>>, ReadField<O>) -> Verdict<S, E>;

/// A waiter: its name, how often and for how long it calls, and what it looks for in each
/// result (values of one string field of the response, and error codes). Generated waiters
/// are constants of this type, run by [`Wait::for_value`] when a field value is the wanted
/// state and by [`Wait::for_code`] when an error code is (e.g. "not found" once a resource is
/// deleted).
#[derive(Clone, Copy, Debug)]
pub struct Waiter {
    /// E.g. `Activated`, for messages.
    pub name: &'static str,
    /// The default time between calls.
    pub interval: Duration,
    /// The default limit.
    pub timeout: Duration,
    /// The field's wire name, for messages; empty when no values are looked for.
    pub field: &'static str,
    /// Values that mean the wanted state came.
    pub success: &'static [&'static str],
    /// Values that mean it can no longer come.
    pub failure: &'static [&'static str],
    /// Error codes that mean the wanted state came.
    pub success_codes: &'static [&'static str],
    /// Error codes that mean it can no longer come.
    pub failure_codes: &'static [&'static str],
}

impl Waiter {
    /// Nothing set: the base that generated waiters fill in.
    pub const NONE: Waiter = Waiter {
        name: "",
        interval: Duration::ZERO,
        timeout: Duration::ZERO,
        field: "",
        success: &[],
        failure: &[],
        success_codes: &[],
        failure_codes: &[],
    };

    /// The verdict on `result` for a waiter whose wanted state is a field value; `field`
    /// reads the value from a response.
    fn judge<O, E: ServiceError>(&self, result: Result<O, SdkError<E>>, field: ReadField<O>) -> Verdict<O, E> {
        self.verdict(result, field).then(|response| response.map_or(Verdict::Again, Verdict::Done))
    }

    /// The verdict on `result` for a waiter whose wanted state is an error code.
    fn judge_by_code<O, E: ServiceError>(&self, result: Result<O, SdkError<E>>, field: ReadField<O>) -> Verdict<(), E> {
        self.verdict(result, field).then(|_| Verdict::Done(()))
    }

    /// The verdict when the wanted state came: the response if a field value said so, `None`
    /// if an error code did.
    fn verdict<O, E: ServiceError>(
        &self,
        result: Result<O, SdkError<E>>,
        field: ReadField<O>,
    ) -> Verdict<Option<O>, E> {
        match result {
            Ok(response) => match field(&response) {
                Some(value) if self.success.contains(&value) => Verdict::Done(Some(response)),
                Some(value) if self.failure.contains(&value) => {
                    Verdict::Unreachable(format!("`{}` is `{value}`", self.field), None)
                }
                _ => Verdict::Again,
            },
            Err(error) => match error.code() {
                Some(code) if self.success_codes.contains(&code) => Verdict::Done(None),
                Some(code) if self.failure_codes.contains(&code) => {
                    Verdict::Unreachable(format!("the call failed with `{code}`"), Some(error))
                }
                _ => Verdict::Error(error),
            },
        }
    }
}

impl<S, E> Verdict<S, E> {
    /// The verdict `done` gives for what `Done` holds; other verdicts stay as they are.
    fn then<T>(self, done: impl FnOnce(S) -> Verdict<T, E>) -> Verdict<T, E> {
        match self {
            Self::Done(value) => done(value),
            Self::Again => Verdict::Again,
            Self::Unreachable(reason, error) => Verdict::Unreachable(reason, error),
            Self::Error(error) => Verdict::Error(error),
        }
    }
}

/// A wait, ready to run: `.await` it, after changing its interval or time limit if needed.
///
/// ```no_run
/// # use std::time::Duration;
/// # async fn wait<R: alibabacloud_runtime::Repeatable + 'static>(wait: alibabacloud_runtime::Wait<R, ()>)
/// # -> Result<(), alibabacloud_runtime::WaitError<R::Error>>
/// # where R::Error: alibabacloud_runtime::ServiceError + 'static {
/// wait.interval(Duration::from_secs(2)).timeout(Duration::from_secs(600)).await?;
/// # Ok(())
/// # }
/// ```
pub struct Wait<R: Repeatable, S> {
    request: R,
    waiter: &'static Waiter,
    interval: Duration,
    timeout: Duration,
    field: ReadField<R::Output>,
    judge: Judge<R::Output, S, R::Error>,
}

impl<R: Repeatable> Wait<R, R::Output>
where
    R::Error: ServiceError,
{
    /// A wait that sends `request` as `waiter` says (its interval and limit, which can still
    /// be changed) until the value `field` reads from a response is a wanted one; it gives
    /// that response.
    pub fn for_value(request: R, waiter: &'static Waiter, field: ReadField<R::Output>) -> Self {
        Wait { request, waiter, interval: waiter.interval, timeout: waiter.timeout, field, judge: Waiter::judge }
    }
}

impl<R: Repeatable> Wait<R, ()>
where
    R::Error: ServiceError,
{
    /// A wait that sends `request` as `waiter` says until a call fails with a wanted error
    /// code (values `field` reads can still end it as unreachable).
    pub fn for_code(request: R, waiter: &'static Waiter, field: ReadField<R::Output>) -> Self {
        Wait {
            request,
            waiter,
            interval: waiter.interval,
            timeout: waiter.timeout,
            field,
            judge: Waiter::judge_by_code,
        }
    }
}

impl<R: Repeatable, S> Wait<R, S> {
    /// Waits this long between calls.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Gives up once this much time has passed since the first call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs the wait. Calls start within the time limit, the last one at the limit when the
    /// interval would pass it; a call in progress finishes within the client's own time limits
    /// (set an operation timeout on the client for a harder bound).
    pub async fn wait(self) -> Result<S, WaitError<R::Error>> {
        // A limit too far away for the clock to hold (`Duration::MAX` says "no limit") never
        // ends the wait.
        let deadline = tokio::time::Instant::now().checked_add(self.timeout);
        let (waiter, timeout) = (self.waiter.name, self.timeout);
        let timed_out = |calls, last_value| WaitError::TimedOut { waiter, timeout, calls, last_value };
        let (mut calls, mut last_value) = (0, None);
        loop {
            calls += 1;
            let result = self.request.clone().send_once().await;
            if let Some(value) = result.as_ref().ok().and_then(|response| (self.field)(response)) {
                last_value = Some(value.to_owned());
            }
            match (self.judge)(self.waiter, result, self.field) {
                Verdict::Done(done) => return Ok(done),
                Verdict::Again => {}
                Verdict::Unreachable(reason, error) => {
                    let waiter = self.waiter.name;
                    return Err(WaitError::Unreachable { waiter, reason, error: error.map(Box::new) });
                }
                Verdict::Error(error) => {
                    return Err(WaitError::Call { waiter: self.waiter.name, error: Box::new(error) });
                }
            }
            let now = tokio::time::Instant::now();
            let next_call = now.checked_add(self.interval);
            match deadline {
                Some(deadline) if now >= deadline => return Err(timed_out(calls, last_value)),
                Some(deadline) => tokio::time::sleep_until(next_call.map_or(deadline, |next| next.min(deadline))).await,
                None => tokio::time::sleep(self.interval).await,
            }
        }
    }
}

impl<R, S> IntoFuture for Wait<R, S>
where
    R: Repeatable + 'static,
    R::Error: 'static,
    S: Send + 'static,
{
    type Output = Result<S, WaitError<R::Error>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

impl<R: Repeatable, S> fmt::Debug for Wait<R, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("waiter", &self.waiter.name)
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Why a wait ended without the wanted state. Variants and their fields may be added: match
/// with `..`.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<E> {
    /// The wanted state can no longer come: a call answered a state or error the waiter
    /// treats as final.
    #[non_exhaustive]
    Unreachable {
        /// The waiter, e.g. `Activated`.
        waiter: &'static str,
        /// What was answered, e.g. "`Status` is `Rejected`".
        reason: String,
        /// The call's error, when the answer was one.
        error: Option<Box<SdkError<E>>>,
    },
    /// The time limit passed before the wanted state came.
    #[non_exhaustive]
    TimedOut {
        /// The waiter, e.g. `Activated`.
        waiter: &'static str,
        /// The limit.
        timeout: Duration,
        /// Calls made.
        calls: u32,
        /// The last value of the looked-for field that a response had, e.g. `Updating`; `None`
        /// when none had it.
        last_value: Option<String>,
    },
    /// A call failed in a way the waiter does not expect (after the client's own retries).
    #[non_exhaustive]
    Call {
        /// The waiter, e.g. `Activated`.
        waiter: &'static str,
        /// The call's error.
        error: Box<SdkError<E>>,
    },
}

impl<E: ServiceError> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreachable { waiter, reason, .. } => {
                write!(f, "waiting until {waiter} stopped: {reason}, so {waiter} can no longer come")
            }
            Self::TimedOut { waiter, timeout, calls, last_value } => {
                write!(f, "waiting until {waiter} timed out after {timeout:?} ({calls} calls")?;
                match last_value {
                    Some(value) => write!(f, "; the last answer was `{value}`)"),
                    None => f.write_str(")"),
                }
            }
            Self::Call { waiter, error } => write!(f, "waiting until {waiter} failed: {error}"),
        }
    }
}

impl<E: ServiceError> StdError for WaitError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Unreachable { error: Some(error), .. } | Self::Call { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}
