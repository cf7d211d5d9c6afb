//! The retry policy and budget, the pure backoff function, `Retry-After` parsing, and
//! `send_with_retry`: the one loop every non-streaming request goes through.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use crate::error::{ErrorCode, MeshApiError};
use crate::events::{DeprecationEvent, Event, Listeners, ResponseInfo, RetryEvent, RoutingEvent};
use crate::meta::ResponseMeta;
use crate::transport::{
    DEPRECATION, Headers, Method, Mode, ROUTING_ATTEMPTS, Request, Response, SUNSET, Transport,
};

/// The statuses retried by default: the gateway did not do the work.
const RETRIED_STATUSES: [u16; 4] = [429, 502, 503, 504];

/// How often and how patiently a failed non-streaming request is repeated.
///
/// The defaults are the client's: up to 3 retries on 429, 502, 503 and 504, after
/// `min(500 ms × 2^n, 30 s)` with ±20 % jitter, never sooner than `Retry-After` asks. A
/// request that provably never left this machine (refused connection, DNS failure, connect
/// timeout) is repeated for every method; a timeout or broken connection after sending only
/// for GET, PUT and DELETE, because a POST or PATCH may already have been processed and billed.
///
/// ```
/// use std::time::Duration;
/// use meshapi::{Client, RetryPolicy};
///
/// let patient = RetryPolicy::default()
///     .max_retries(6)
///     .retry_on_status([429, 500, 502, 503, 504])
///     .max_delay(Duration::from_secs(10));
/// let client = Client::builder().token("rsk_...").retry_policy(patient).build()?;
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    retry_on_status: Vec<u16>,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    respect_retry_after: bool,
    retry_on_network_error: bool,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: crate::DEFAULT_MAX_RETRIES,
            retry_on_status: RETRIED_STATUSES.to_vec(),
            base_delay: crate::DEFAULT_RETRY_BASE_DELAY,
            max_delay: crate::DEFAULT_RETRY_MAX_DELAY,
            respect_retry_after: true,
            retry_on_network_error: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every call makes one attempt.
    pub fn never() -> RetryPolicy {
        RetryPolicy::default().max_retries(0)
    }

    /// How often a failed request is repeated; 0 disables retries.
    ///
    /// Defaults to 3.
    pub fn max_retries(mut self, max_retries: u32) -> RetryPolicy {
        self.max_retries = max_retries;
        self
    }

    /// The statuses that repeat a request, for every method; the others are final.
    ///
    /// Defaults to 429, 502, 503 and 504.
    pub fn retry_on_status(mut self, statuses: impl IntoIterator<Item = u16>) -> RetryPolicy {
        self.retry_on_status = statuses.into_iter().collect();
        self
    }

    /// The first backoff delay, doubled on every further retry.
    ///
    /// Defaults to 500 ms.
    pub fn base_delay(mut self, delay: Duration) -> RetryPolicy {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts, including one asked for by `Retry-After`.
    ///
    /// Defaults to 30 seconds.
    pub fn max_delay(mut self, delay: Duration) -> RetryPolicy {
        self.max_delay = delay;
        self
    }

    /// Whether a server's `Retry-After` (or the body's `retry_after_seconds`) is a floor for
    /// the wait; `false` waits the exponential delay alone.
    ///
    /// Defaults to `true`.
    pub fn respect_retry_after(mut self, respect: bool) -> RetryPolicy {
        self.respect_retry_after = respect;
        self
    }

    /// Whether failures without an answer (refused connections, DNS failures, timeouts,
    /// broken connections) are repeated, by the rules above; `false` repeats only statuses.
    ///
    /// Defaults to `true`.
    pub fn retry_on_network_error(mut self, retry: bool) -> RetryPolicy {
        self.retry_on_network_error = retry;
        self
    }

    /// Whether this policy repeats a failed attempt of `method`. `provider_job_failed` is
    /// final whatever the statuses say: a repeat would start a second paid job.
    fn repeats(&self, method: Method, err: &MeshApiError) -> bool {
        if err.code() == &ErrorCode::ProviderJobFailed {
            return false;
        }
        if let Some(status) = err.status() {
            return self.retry_on_status.contains(&status);
        }
        self.retry_on_network_error && should_retry(method, err)
    }
}

/// A budget of retries shared by every clone of a client (and by every client given a clone
/// of it), so that a pool of workers meeting an outage does not multiply the load on a gateway
/// that is already down.
///
/// A token bucket: it starts full with `retries` tokens; every retry takes one, and every
/// successful call puts back `1 / successes_per_retry` of one, up to `retries`. When it is
/// empty, a failed call is not retried: it fails at once with its last error, whose message
/// says that the budget is spent. With `RetryBudget::new(10, 10)` and 32 workers facing a
/// gateway that answers only 503, the whole pool makes at most 10 retries in all beyond its
/// first attempts, and earns one retry back per 10 successes once the gateway recovers.
///
/// ```
/// use meshapi::{Client, RetryBudget};
///
/// let client = Client::builder()
///     .token("rsk_...")
///     .retry_budget(RetryBudget::new(10, 10))
///     .build()?;
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RetryBudget(Arc<Bucket>);

/// Tokens are counted in `1 / per_retry` parts of a retry, so that refills stay integers.
#[derive(Debug)]
struct Bucket {
    parts: AtomicU64,
    most: u64,
    per_retry: u64,
}

impl RetryBudget {
    /// A full budget of `retries` retries; `successes_per_retry` successful calls (at least 1)
    /// earn one back.
    pub fn new(retries: u32, successes_per_retry: u32) -> RetryBudget {
        let per_retry = u64::from(successes_per_retry.max(1));
        let most = u64::from(retries).saturating_mul(per_retry);
        RetryBudget(Arc::new(Bucket {
            parts: AtomicU64::new(most),
            most,
            per_retry,
        }))
    }

    /// How many whole retries the budget holds now.
    pub fn available(&self) -> u32 {
        let parts = self.0.parts.load(Ordering::Relaxed) / self.0.per_retry;
        u32::try_from(parts).unwrap_or(u32::MAX)
    }

    /// Takes one retry, if the budget holds one.
    fn withdraw(&self) -> bool {
        let bucket = &self.0;
        bucket
            .parts
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |parts| {
                parts.checked_sub(bucket.per_retry)
            })
            .is_ok()
    }

    pub(crate) fn deposit(&self) {
        let bucket = &self.0;
        let _ = bucket
            .parts
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |parts| {
                (parts < bucket.most).then(|| parts.saturating_add(1).min(bucket.most))
            });
    }
}

/// Routes that already raised a deprecation event, so that each does once per client.
#[derive(Debug, Default)]
pub(crate) struct Deprecations(Mutex<HashSet<(Method, String)>>);

/// The most routes remembered; beyond it, further routes raise no event, so that a client
/// calling endless distinct paths (ids in them) cannot grow without bound.
const MAX_DEPRECATED_ROUTES: usize = 1024;

impl Deprecations {
    /// Whether this is the first notice for the route (and it was remembered).
    fn first(&self, method: Method, path: &str) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() >= MAX_DEPRECATED_ROUTES || seen.contains(&(method, path.to_owned())) {
            return false;
        }
        seen.insert((method, path.to_owned()))
    }
}

/// Everything about one call that the loop needs besides the request itself.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) policy: Cow<'a, RetryPolicy>,
    pub(crate) budget: Option<&'a RetryBudget>,
    pub(crate) listeners: Cow<'a, Listeners>,
    pub(crate) deprecations: &'a Deprecations,
    /// One attempt's limit.
    pub(crate) timeout: Duration,
    /// When the whole call, retries and sleeps included, must be over.
    pub(crate) deadline: Option<(Instant, Duration)>,
    pub(crate) started: Instant,
}

impl Call<'_> {
    /// The limit for an attempt starting now, or the error that the call's time is up.
    pub(crate) fn attempt_timeout(&self, attempts: u32) -> Result<Duration, MeshApiError> {
        let Some((deadline, total)) = self.deadline else {
            return Ok(self.timeout);
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(call_timed_out(total, attempts));
        }
        Ok(self.timeout.min(left))
    }

    /// `err`, or, when it is a timeout that the call's deadline caused, the error that says so
    /// with `err` as its source.
    pub(crate) fn deadline_error(&self, err: MeshApiError, attempts: u32) -> MeshApiError {
        match self.deadline {
            Some((end, total)) if err.is_timeout() && Instant::now() >= end => {
                call_timed_out(total, attempts).with_source(err)
            }
            _ => err,
        }
    }

    /// Tells the listeners about an answer's head: its per-attempt notice, and the events its
    /// headers call for.
    pub(crate) fn answered(
        &self,
        req: &Request<'_>,
        response: &Response,
        attempt: u32,
        sent: Instant,
    ) {
        let listeners = &*self.listeners;
        if listeners.wants_responses() {
            listeners.response(&ResponseInfo {
                method: req.method,
                url: shown_url(req),
                status: response.status(),
                request_id: response.request_id().map(str::to_owned),
                attempt,
                duration: sent.elapsed(),
            });
        }
        if req.mode == Mode::SignedUpload {
            return;
        }
        let headers = response.headers();
        if headers.get(&DEPRECATION).is_some() || headers.get(&SUNSET).is_some() {
            let path = path_of(&req.url);
            if self.deprecations.first(req.method, path) {
                listeners.event(&Event::Deprecation(DeprecationEvent {
                    method: req.method,
                    path: path.to_owned(),
                    deprecation: headers.get("deprecation").map(str::to_owned),
                    sunset: headers.get("sunset").map(str::to_owned),
                    api_version: headers.api_version().map(str::to_owned),
                }));
            }
        }
        routing_event(listeners, req, headers);
    }
}

/// The gateway-routing event, when its headers show more than one upstream attempt or a
/// provider fallback.
fn routing_event(listeners: &Listeners, req: &Request<'_>, headers: &Headers) {
    let Some(raw) = headers.get(&ROUTING_ATTEMPTS) else {
        return;
    };
    let attempts = raw
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|&n| n > 0)
        .unwrap_or(1);
    let fallback = headers.get("x-mesh-routing-fallback") == Some("true");
    if attempts > 1 || fallback {
        listeners.event(&Event::GatewayRouting(RoutingEvent {
            path: path_of(&req.url).to_owned(),
            attempts,
            fallback,
            model: headers.get("x-mesh-routing-model").map(str::to_owned),
            request_id: headers.get("x-request-id").map(str::to_owned),
        }));
    }
}

/// The path of an absolute URL, without its query.
pub(crate) fn path_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(url, |i| &url[i + 3..]);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

/// The URL as callbacks see it: a signed upload URL loses its query, which is its credential.
fn shown_url(req: &Request<'_>) -> String {
    if req.mode == Mode::SignedUpload {
        req.url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_owned()
    } else {
        req.url.clone()
    }
}

fn call_timed_out(total: Duration, attempts: u32) -> MeshApiError {
    MeshApiError::new(
        ErrorCode::Timeout,
        format!("the call timeout of {total:?} ran out after {attempts} attempt(s)"),
    )
}

/// Jitter spreads the retries of many clients hit by the same outage.
const JITTER_MIN: f64 = 0.8;
const JITTER_MAX: f64 = 1.2;

/// The wait before retry number `attempt` (0-based).
///
/// Without a server hint: `min(base * 2^attempt, max_delay)` times a jitter factor in
/// [0.8, 1.2]. With one (`Retry-After`, or the body's `retry_after_seconds`): at least the
/// hint, capped at `max_delay`; jitter only lengthens it. A zero hint means at once.
pub(crate) fn delay(
    policy: &RetryPolicy,
    attempt: u32,
    server_hint: Option<Duration>,
    rng: &mut fastrand::Rng,
) -> Duration {
    let jitter = JITTER_MIN + rng.f64() * (JITTER_MAX - JITTER_MIN);
    match server_hint {
        Some(hint) if hint.is_zero() => Duration::ZERO,
        Some(hint) => {
            let floor = hint.min(policy.max_delay);
            scale(floor, jitter.max(1.0)).min(policy.max_delay)
        }
        None => {
            let exponential = policy
                .base_delay
                .saturating_mul(2u32.saturating_pow(attempt))
                .min(policy.max_delay);
            scale(exponential, jitter)
        }
    }
}

/// `d * factor`, saturating at `Duration::MAX` where `Duration::mul_f64` would panic.
fn scale(d: Duration, factor: f64) -> Duration {
    Duration::try_from_secs_f64(d.as_secs_f64() * factor).unwrap_or(Duration::MAX)
}

/// Parses a `Retry-After` value: delta-seconds (integer or decimal) or an HTTP-date.
/// A date in the past means "now".
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether an answer with this status is repeated by the default policy, for any method: the
/// gateway did not do the work (429, 502, 503, 504).
pub(crate) fn is_retried_status(status: u16) -> bool {
    RETRIED_STATUSES.contains(&status)
}

/// Whether the default policy repeats a failed attempt.
///
/// 429/502/503/504 are repeated for every method: the gateway did not do the work. A request
/// that never left this machine is repeated for every method too. A timeout or a broken
/// connection after sending, while waiting for the answer or reading its body, may have been
/// processed (and billed): only GET, PUT and DELETE, which do no new work when repeated, are
/// tried again then.
fn should_retry(method: Method, err: &MeshApiError) -> bool {
    if let Some(status) = err.status() {
        return is_retried_status(status);
    }
    err.was_not_sent() || (method.is_idempotent() && err.is_retryable())
}

/// Sends `req`, repeating it per the call's policy, budget and deadline, and hands each
/// successful response with its metadata to `read`; returns what `read` made of the first one
/// that it read without error, or the last attempt's error.
///
/// Reading the body is part of the attempt: a body that breaks off is retried by the same
/// rules as a request that did (for idempotent methods only), while a body that arrived whole
/// but does not decode is not retried.
pub(crate) fn send_with_retry<T>(
    transport: &Transport,
    call: &Call<'_>,
    req: &mut Request<'_>,
    mut read: impl FnMut(Response, ResponseMeta) -> Result<T, MeshApiError>,
) -> Result<T, MeshApiError> {
    let policy = &*call.policy;
    let mut rng = fastrand::Rng::new();
    let mut retries: u32 = 0;
    loop {
        let attempt = retries.saturating_add(1);
        req.timeout = call.attempt_timeout(retries)?;
        let sent = Instant::now();
        let err = match transport.send(req) {
            Ok(mut response) => {
                call.answered(req, &response, attempt, sent);
                if response.is_success() {
                    let headers = response.take_headers();
                    let meta = ResponseMeta::new(
                        response.status(),
                        attempt,
                        call.started.elapsed(),
                        headers,
                    );
                    match read(response, meta) {
                        Ok(value) => {
                            if let Some(budget) = call.budget {
                                budget.deposit();
                            }
                            return Ok(value);
                        }
                        Err(err) => err,
                    }
                } else {
                    response.into_error()
                }
            }
            Err(err) => err,
        };
        let timed_out = |err: MeshApiError| match call.deadline {
            Some((_, total)) => call_timed_out(total, attempt).with_source(err),
            None => err,
        };
        let err = call.deadline_error(err, attempt);
        if err.is_timeout() && call.deadline.is_some_and(|(end, _)| Instant::now() >= end) {
            return Err(err);
        }
        if retries >= policy.max_retries || !policy.repeats(req.method, &err) {
            return Err(err);
        }
        let hint = if policy.respect_retry_after {
            err.retry_after()
        } else {
            None
        };
        let wait = delay(policy, retries, hint, &mut rng);
        if let Some((end, _)) = call.deadline {
            if Instant::now()
                .checked_add(wait)
                .is_none_or(|wake| wake >= end)
            {
                return Err(timed_out(err));
            }
        }
        if call.budget.is_some_and(|budget| !budget.withdraw()) {
            return Err(err.note("not retried: the client's retry budget is spent"));
        }
        call.listeners.event(&Event::Retry(RetryEvent {
            method: req.method,
            path: path_of(&req.url).to_owned(),
            attempt,
            max_attempts: policy.max_retries.saturating_add(1),
            status: err.status(),
            code: err.code().as_str().to_owned(),
            request_id: err.request_id().map(str::to_owned),
            delay: wait,
        }));
        std::thread::sleep(wait);
        retries = attempt;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    static POLICY: std::sync::LazyLock<RetryPolicy> =
        std::sync::LazyLock::new(RetryPolicy::default);

    fn ms(d: Duration) -> u128 {
        d.as_millis()
    }

    #[test]
    fn exponential_delays_stay_within_the_jitter_band() {
        let mut rng = fastrand::Rng::with_seed(7);
        for attempt in 0..12 {
            let nominal = (500u128 << attempt).min(30_000);
            for _ in 0..200 {
                let d = ms(delay(&POLICY, attempt, None, &mut rng));
                assert!(
                    d >= nominal * 8 / 10,
                    "attempt {attempt}: {d} < 0.8 x {nominal}"
                );
                assert!(
                    d <= nominal * 12 / 10,
                    "attempt {attempt}: {d} > 1.2 x {nominal}"
                );
            }
        }
    }

    #[test]
    fn jitter_covers_the_band_and_is_reproducible_with_a_seed() {
        let draw = |seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            (0..500)
                .map(|_| ms(delay(&POLICY, 0, None, &mut rng)))
                .collect::<Vec<_>>()
        };
        let a = draw(42);
        assert_eq!(a, draw(42));
        assert!(
            a.iter().any(|&d| d < 430),
            "low end of the band never drawn"
        );
        assert!(
            a.iter().any(|&d| d > 570),
            "high end of the band never drawn"
        );
    }

    #[test]
    fn huge_attempt_numbers_saturate_at_the_cap() {
        let mut rng = fastrand::Rng::with_seed(1);
        let d = delay(&POLICY, u32::MAX, None, &mut rng);
        assert!(d >= Duration::from_secs(24) && d <= Duration::from_secs(36));
    }

    #[test]
    fn a_server_hint_is_a_floor_that_jitter_only_lengthens() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..500 {
            let d = delay(&POLICY, 0, Some(Duration::from_secs(5)), &mut rng);
            assert!(d >= Duration::from_secs(5), "{d:?} shorter than asked");
            assert!(d <= Duration::from_secs(6), "{d:?} longer than 1.2 x asked");
        }
    }

    #[test]
    fn a_server_hint_is_capped_at_the_max_delay() {
        let mut rng = fastrand::Rng::with_seed(4);
        for _ in 0..100 {
            let d = delay(&POLICY, 0, Some(Duration::from_secs(600)), &mut rng);
            assert_eq!(d, Duration::from_secs(30));
        }
    }

    #[test]
    fn extreme_hints_and_settings_saturate_instead_of_panicking() {
        let mut rng = fastrand::Rng::with_seed(6);
        let unbounded = RetryPolicy::default()
            .base_delay(Duration::MAX)
            .max_delay(Duration::MAX);
        let huge = parse_retry_after("10000000000000000000", SystemTime::now());
        assert_eq!(huge, Some(Duration::from_secs(10_000_000_000_000_000_000)));
        for _ in 0..100 {
            assert!(delay(&unbounded, 0, huge, &mut rng) >= huge.unwrap_or_default());
            let exponential = delay(&unbounded, u32::MAX, None, &mut rng);
            assert!(
                exponential >= Duration::from_secs(u64::MAX / 10 * 8),
                "{exponential:?}"
            );
            assert!(delay(&unbounded, 0, Some(Duration::MAX), &mut rng) == Duration::MAX);
        }
        let capped = unbounded.max_delay(Duration::from_millis(50));
        assert_eq!(delay(&capped, 0, huge, &mut rng), Duration::from_millis(50));
        assert!(parse_retry_after("1e400", SystemTime::now()).is_none());
    }

    #[test]
    fn a_zero_hint_means_at_once() {
        let mut rng = fastrand::Rng::with_seed(5);
        assert_eq!(
            delay(&POLICY, 2, Some(Duration::ZERO), &mut rng),
            Duration::ZERO
        );
    }

    #[test]
    fn retry_after_parses_seconds_decimals_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(
            parse_retry_after(" 1.5 ", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        let in_ten = httpdate::fmt_http_date(now + Duration::from_secs(10));
        assert_eq!(
            parse_retry_after(&in_ten, now),
            Some(Duration::from_secs(10))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(10));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    fn status_error(status: u16) -> MeshApiError {
        MeshApiError::from_response(status, None, None, None, b"{}")
    }

    #[test]
    fn retried_statuses_are_exactly_429_502_503_504_for_every_method() {
        for method in [Method::Get, Method::Post, Method::Patch, Method::Delete] {
            for status in [400, 401, 402, 403, 404, 409, 422, 500, 501, 505] {
                assert!(
                    !should_retry(method, &status_error(status)),
                    "{method:?} {status}"
                );
            }
            for status in [429, 502, 503, 504] {
                assert!(
                    should_retry(method, &status_error(status)),
                    "{method:?} {status}"
                );
            }
        }
    }

    #[test]
    fn transport_failures_are_retried_only_where_no_work_can_be_duplicated() {
        let refused = || MeshApiError::new(ErrorCode::Connection, "refused").not_sent();
        let read_timeout = || MeshApiError::new(ErrorCode::Timeout, "read");
        let reset = || MeshApiError::new(ErrorCode::Connection, "reset");
        for method in [
            Method::Get,
            Method::Post,
            Method::Patch,
            Method::Put,
            Method::Delete,
        ] {
            assert!(should_retry(method, &refused()));
            let idempotent = matches!(method, Method::Get | Method::Put | Method::Delete);
            assert_eq!(should_retry(method, &read_timeout()), idempotent);
            assert_eq!(should_retry(method, &reset()), idempotent);
            let parse = MeshApiError::new(ErrorCode::ParseError, "bad json");
            assert!(!should_retry(method, &parse));
        }
    }

    #[test]
    fn a_budget_spends_whole_retries_and_earns_them_back_in_parts() {
        let budget = RetryBudget::new(2, 3);
        assert_eq!(budget.available(), 2);
        assert!(budget.withdraw() && budget.withdraw());
        assert!(!budget.withdraw(), "empty");
        budget.deposit();
        budget.deposit();
        assert!(!budget.withdraw(), "two thirds of a retry is not one");
        budget.deposit();
        assert!(budget.withdraw());
        for _ in 0..100 {
            budget.deposit();
        }
        assert_eq!(budget.available(), 2, "never more than it started with");
        let shared = budget.clone();
        assert!(shared.withdraw());
        assert_eq!(budget.available(), 1, "clones share one bucket");
        let huge = RetryBudget::new(u32::MAX, u32::MAX);
        assert_eq!(huge.available(), u32::MAX);
        assert_eq!(
            RetryBudget::new(1, 0).available(),
            1,
            "0 successes count as 1"
        );
    }

    #[test]
    fn policies_choose_statuses_and_network_retries() {
        let timeout = || MeshApiError::new(ErrorCode::Timeout, "read");
        let policy = RetryPolicy::default().retry_on_status([500]);
        assert!(policy.repeats(Method::Post, &status_error(500)));
        assert!(!policy.repeats(Method::Post, &status_error(503)));
        assert!(policy.repeats(Method::Get, &timeout()));
        assert!(
            !policy.repeats(Method::Post, &timeout()),
            "never a POST after sending"
        );
        let statuses_only = RetryPolicy::default().retry_on_network_error(false);
        assert!(!statuses_only.repeats(Method::Get, &timeout()));
        assert!(statuses_only.repeats(Method::Get, &status_error(503)));
        assert_eq!(RetryPolicy::never().max_retries, 0);
    }

    #[test]
    fn paths_lose_scheme_host_and_query() {
        assert_eq!(
            path_of("https://api.meshapi.ai/v1/models?free=true"),
            "/v1/models"
        );
        assert_eq!(path_of("http://127.0.0.1:9/gw/v1/x#f"), "/gw/v1/x");
        assert_eq!(path_of("https://host"), "/");
    }
}
