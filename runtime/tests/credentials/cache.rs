//! The refreshing cache: expiry-driven refresh, single flight, stale-but-valid on failure.

use crate::support::{SECRET, ScriptedProvider};
use alibabacloud_runtime::Credentials;
use alibabacloud_runtime::credentials::{CredentialsCache, CredentialsErrorKind, ProvideCredentials};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MINUTE: u64 = 60;
const START: u64 = 1_800_000_000;

/// A clock the test moves by hand, in seconds since the epoch.
#[derive(Clone)]
struct ManualClock(Arc<AtomicU64>);

impl ManualClock {
    fn new() -> Self {
        Self(Arc::new(AtomicU64::new(START)))
    }

    fn set_minutes(&self, minutes: u64) {
        self.set_seconds(minutes * MINUTE);
    }

    fn set_seconds(&self, seconds: u64) {
        self.0.store(START + seconds, Ordering::SeqCst);
    }

    fn reader(&self) -> impl Fn() -> SystemTime + Send + Sync + 'static {
        let seconds = self.0.clone();
        move || UNIX_EPOCH + Duration::from_secs(seconds.load(Ordering::SeqCst))
    }
}

/// Temporary credentials `id` expiring `minutes` after the start.
fn temporary(id: &str, minutes: u64) -> Credentials {
    Credentials::new(id, SECRET)
        .with_security_token("token")
        .with_expiry(UNIX_EPOCH + Duration::from_secs(START + minutes * MINUTE))
}

fn calls(provider: &ScriptedProvider) -> Arc<std::sync::atomic::AtomicUsize> {
    provider.calls.clone()
}

#[tokio::test]
async fn refreshes_within_the_margin_before_expiry() {
    let clock = ManualClock::new();
    let provider = ScriptedProvider::new("sts", vec![Ok(temporary("first", 60)), Ok(temporary("second", 120))]);
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();

    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    clock.set_minutes(44);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // 15 minutes before expiry the credentials are stale and get refreshed.
    clock.set_minutes(45);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "second");
    clock.set_minutes(100);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "second");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_refresh_margin_is_configurable() {
    let clock = ManualClock::new();
    let provider = ScriptedProvider::new("sts", vec![Ok(temporary("first", 60)), Ok(temporary("second", 120))]);
    let calls = calls(&provider);
    let cache =
        CredentialsCache::builder(provider).refresh_before(Duration::from_secs(MINUTE)).clock(clock.reader()).build();
    cache.provide_credentials().await.unwrap();
    clock.set_minutes(58);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    clock.set_minutes(59);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "second");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_provider_can_ask_for_a_refresh_before_the_margin() {
    let clock = ManualClock::new();
    // Six-hour credentials whose provider asks for new ones after an hour, like ECS's.
    let early = |id: &str| temporary(id, 360).with_refresh_at(UNIX_EPOCH + Duration::from_secs(START + 60 * MINUTE));
    let script = vec![Ok(early("first")), ScriptedProvider::failure("ecs"), Ok(temporary("second", 720))];
    let provider = ScriptedProvider::new("ecs", script);
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();
    cache.provide_credentials().await.unwrap();

    clock.set_minutes(59);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // From the time asked for, a refresh is tried; a failed one keeps serving the old ones.
    clock.set_minutes(60);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    clock.set_minutes(61);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "second");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn long_term_credentials_are_kept_forever() {
    let clock = ManualClock::new();
    let provider = ScriptedProvider::new("ak", vec![Ok(Credentials::new("long", SECRET))]);
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();
    for minutes in [0, 60, 60 * 24 * 365 * 50] {
        clock.set_minutes(minutes);
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "long");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_failed_refresh_serves_the_old_credentials_until_they_expire() {
    let clock = ManualClock::new();
    let script = vec![Ok(temporary("first", 60)), ScriptedProvider::failure("sts")];
    let provider = ScriptedProvider::new("sts", script);
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();
    cache.provide_credentials().await.unwrap();

    clock.set_minutes(50);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    clock.set_minutes(59);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    assert_eq!(calls.load(Ordering::SeqCst), 3, "each stale call retries the refresh");

    clock.set_minutes(60);
    let error = cache.provide_credentials().await.unwrap_err();
    assert_eq!(error.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(error.message(), "sts has nothing");
}

#[tokio::test]
async fn after_a_failed_refresh_the_next_waits_a_little() {
    let clock = ManualClock::new();
    let script = vec![Ok(temporary("first", 60)), ScriptedProvider::failure("sts"), Ok(temporary("second", 120))];
    let provider = ScriptedProvider::new("sts", script);
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();
    cache.provide_credentials().await.unwrap();

    clock.set_minutes(50);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first", "the refresh failed");
    for _ in 0..3 {
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2, "no new attempt right after a failure");
    clock.0.fetch_add(CredentialsCache::RETRY_AFTER_FAILURE.as_secs(), Ordering::SeqCst);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "second");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn short_lived_credentials_are_refreshed_at_half_their_lifetime() {
    let clock = ManualClock::new();
    // Ten-minute credentials: within the 15-minute margin from the moment they arrive.
    let provider = ScriptedProvider::new("external", vec![Ok(temporary("first", 10)), Ok(temporary("second", 20))]);
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();
    for minute in [0, 1, 4] {
        clock.set_minutes(minute);
        assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1, "served from memory, not fetched on every call");
    clock.set_minutes(5);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "second");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_refresh() {
    let (provider, gate) = ScriptedProvider::new("sts", vec![Ok(temporary("only", 60))]).gated();
    let calls = calls(&provider);
    let cache = Arc::new(CredentialsCache::builder(provider).clock(ManualClock::new().reader()).build());
    let callers: Vec<_> = (0..64)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    while calls.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    gate.add_permits(1000);
    for caller in callers {
        let credentials = tokio::time::timeout(Duration::from_secs(5), caller).await.unwrap().unwrap().unwrap();
        assert_eq!(credentials.access_key_id(), "only");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// On the current-thread runtime every spawned caller runs up to its first wait (the leader
/// in the provider, the others on the refresh lock) before the test task resumes.
#[tokio::test(flavor = "current_thread")]
async fn concurrent_callers_share_one_failed_refresh() {
    let (provider, gate) = ScriptedProvider::new("sts", vec![ScriptedProvider::failure("sts")]).gated();
    let calls = calls(&provider);
    let cache = Arc::new(CredentialsCache::new(provider));
    let callers: Vec<_> = (0..32)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    tokio::task::yield_now().await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    gate.add_permits(1);
    for caller in callers {
        let result = tokio::time::timeout(Duration::from_secs(5), caller).await.unwrap().unwrap();
        assert_eq!(result.unwrap_err().message(), "sts has nothing");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_dropped_refresh_lets_the_next_caller_refresh() {
    let (provider, gate) = ScriptedProvider::new("sts", vec![Ok(temporary("only", 60))]).gated();
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(ManualClock::new().reader()).build();
    let abandoned = tokio::time::timeout(Duration::from_millis(20), cache.provide_credentials()).await;
    assert!(abandoned.is_err());
    gate.add_permits(1);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "only");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_get_stale_but_valid_credentials_at_once_during_a_refresh() {
    let clock = ManualClock::new();
    let script = vec![Ok(temporary("first", 60)), Ok(temporary("second", 120))];
    let (provider, gate) = ScriptedProvider::new("sts", script).gated();
    let calls = calls(&provider);
    let cache = Arc::new(CredentialsCache::builder(provider).clock(clock.reader()).build());
    gate.add_permits(1);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "first");

    clock.set_minutes(50);
    let refreshing = tokio::spawn({
        let cache = cache.clone();
        async move { cache.provide_credentials().await }
    });
    while calls.load(Ordering::SeqCst) < 2 {
        tokio::task::yield_now().await;
    }
    // The refresh is blocked in the provider; other callers are not.
    for _ in 0..10 {
        let served = tokio::time::timeout(Duration::from_secs(5), cache.provide_credentials()).await.unwrap();
        assert_eq!(served.unwrap().access_key_id(), "first");
    }
    gate.add_permits(1);
    assert_eq!(refreshing.await.unwrap().unwrap().access_key_id(), "second");
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "second");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refresh_its_caller_abandons_does_not_hold_up_the_next_callers() {
    let clock = ManualClock::new();
    let script = vec![Ok(temporary("first", 60)), Ok(temporary("second", 120))];
    let (provider, gate) = ScriptedProvider::new("sts", script).gated();
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();
    gate.add_permits(1);
    cache.provide_credentials().await.unwrap();

    // Stale but valid; the source hangs, and the caller refreshing gives up (a time limit).
    clock.set_minutes(50);
    let abandoned = tokio::time::timeout(Duration::from_millis(20), cache.provide_credentials()).await;
    assert!(abandoned.is_err(), "the refresh was waited for");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // The next callers are served the old credentials at once, as after a failed refresh.
    for _ in 0..5 {
        let served = tokio::time::timeout(Duration::from_millis(20), cache.provide_credentials()).await;
        assert_eq!(served.expect("served at once").unwrap().access_key_id(), "first");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Half a minute later the refresh is tried again.
    clock.set_minutes(51);
    gate.add_permits(1);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "second");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn credentials_that_arrive_expired_are_fetched_again_at_most_twice_a_minute() {
    let clock = ManualClock::new();
    clock.set_minutes(120);
    // Expired an hour before they arrive: a wrong source, or this host's clock running ahead.
    let script = vec![Ok(temporary("late", 60)), Ok(temporary("later", 61))];
    let provider = ScriptedProvider::new("sts", script);
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();
    for _ in 0..10 {
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "late",
            "served for the server to judge"
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    clock.set_minutes(121);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "later");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_waiting_for_a_refresh_share_credentials_that_arrive_expired() {
    let clock = ManualClock::new();
    clock.set_minutes(120);
    let (provider, gate) = ScriptedProvider::new("sts", vec![Ok(temporary("late", 60))]).gated();
    let calls = calls(&provider);
    let cache = Arc::new(CredentialsCache::builder(provider).clock(clock.reader()).build());
    let waiting: Vec<_> = (0..10)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.provide_credentials().await })
        })
        .collect();
    while calls.load(Ordering::SeqCst) < 1 {
        tokio::task::yield_now().await;
    }
    gate.add_permits(10);
    for caller in waiting {
        assert_eq!(caller.await.unwrap().unwrap().access_key_id(), "late");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one fetch for every caller that waited");
}

#[tokio::test]
async fn credentials_a_few_seconds_from_expiry_on_arrival_are_used_until_they_expire() {
    let clock = ManualClock::new();
    // Ten seconds to live when they arrive (a source handing out a token near its end).
    let short = |id: &str, seconds: u64| {
        Credentials::new(id, SECRET)
            .with_security_token("token")
            .with_expiry(UNIX_EPOCH + Duration::from_secs(START + seconds))
    };
    let provider = ScriptedProvider::new("sts", vec![Ok(short("short", 10)), Ok(temporary("next", 60))]);
    let calls = calls(&provider);
    let cache = CredentialsCache::builder(provider).clock(clock.reader()).build();
    // Past half their life they are still used (a margin would fetch again at once)…
    clock.set_seconds(0);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "short");
    clock.set_seconds(9);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "short");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // …and never after they expire.
    clock.set_seconds(10);
    assert_eq!(cache.provide_credentials().await.unwrap().access_key_id(), "next");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
