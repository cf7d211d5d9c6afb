//! The retry policy, the pure backoff function, `Retry-After` parsing, and `send_with_retry`:
//! the one loop every non-streaming request goes through.

use std::time::{Duration, SystemTime};

use crate::error::MeshApiError;
use crate::transport::{Method, Request, Response, Transport};

/// How often and how patiently a failed request is repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
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

/// Whether an answer with this status may be repeated for any method: the gateway did not do
/// the work (429, 502, 503, 504).
pub(crate) fn is_retried_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Whether a failed attempt may be repeated.
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

/// Sends `req`, repeating it per `policy`, and hands each successful response to `read`;
/// returns what `read` made of the first one that it read without error, or the last
/// attempt's error.
///
/// Reading the body is part of the attempt: a body that breaks off is retried by the same
/// rules as a request that did (for idempotent methods only), while a body that arrived whole
/// but does not decode is not retried.
pub(crate) fn send_with_retry<T>(
    transport: &Transport,
    policy: &RetryPolicy,
    req: &Request<'_>,
    mut read: impl FnMut(Response) -> Result<T, MeshApiError>,
) -> Result<T, MeshApiError> {
    let mut rng = fastrand::Rng::new();
    let mut attempt = 0;
    loop {
        let err = match transport.send(req) {
            Ok(response) if response.is_success() => match read(response) {
                Ok(value) => return Ok(value),
                Err(err) => err,
            },
            Ok(response) => response.into_error(),
            Err(err) => err,
        };
        if attempt >= policy.max_retries || !should_retry(req.method, &err) {
            return Err(err);
        }
        std::thread::sleep(delay(policy, attempt, err.retry_after(), &mut rng));
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(500),
        max_delay: Duration::from_secs(30),
    };

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
        let unbounded = RetryPolicy {
            max_retries: 3,
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
        };
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
        let capped = RetryPolicy {
            max_delay: Duration::from_millis(50),
            ..unbounded
        };
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
}
