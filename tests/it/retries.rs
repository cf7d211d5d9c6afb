//! send_with_retry over the wire: which failures are repeated, how often, how long it waits,
//! and that every attempt sends the same bytes.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant, SystemTime};

use meshapi::mock::MockReply;
use meshapi::{Client, ErrorCode, Method};

use crate::common::{self, TOKEN};

#[test]
fn each_retryable_status_is_retried_then_succeeds() {
    for status in [429, 502, 503, 504] {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(MockReply::error(status, "upstream_error", "try again"));
        let reply = client
            .chat()
            .completions()
            .create(&common::params())
            .unwrap();
        assert!(reply.choices[0].message.content.is_some());
        assert_eq!(mock.requests().len(), 2, "{status}");
    }
}

#[test]
fn exhausted_retries_return_the_last_error() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(2).build().unwrap();
    for attempt in 1..=3 {
        mock.enqueue(MockReply::error(
            503,
            "upstream_error",
            &format!("attempt {attempt}"),
        ));
    }
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(mock.requests().len(), 3);
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.message(), "attempt 3");
}

#[test]
fn the_default_policy_makes_four_attempts() {
    let mock = common::mock();
    let client = common::client(&mock);
    for _ in 0..5 {
        mock.enqueue(MockReply::error(429, "rate_limit_exceeded", "slow down"));
    }
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::RateLimitExceeded);
    assert_eq!(mock.requests().len(), 4);
}

#[test]
fn other_statuses_are_not_retried() {
    for (status, code) in [
        (500, "internal_error"),
        (400, "invalid_request"),
        (401, "unauthorized"),
        (422, "validation_error"),
        (404, "model_not_found"),
    ] {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(MockReply::error(status, code, "no"));
        let err = client
            .chat()
            .completions()
            .create(&common::params())
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(mock.requests().len(), 1, "{status} was retried");
    }
}

#[test]
fn max_retries_zero_means_one_attempt() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    mock.enqueue(MockReply::error(503, "upstream_error", "down"));
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn every_attempt_sends_the_same_bytes() {
    let mock = common::mock();
    let client = common::client(&mock);
    for _ in 0..3 {
        mock.enqueue(MockReply::error(502, "upstream_error", "again"));
    }
    client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 4);
    for r in &requests {
        assert_eq!(r.body, requests[0].body);
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    assert_eq!(requests[0].body_json().unwrap()["stream"], false);
}

/// Sends one request answered first by `first`, and returns how long until it succeeded.
fn time_retry(first: MockReply, max_delay: Duration) -> Duration {
    let mock = common::mock();
    let client = common::builder(&mock)
        .retry_max_delay(max_delay)
        .build()
        .unwrap();
    mock.enqueue(first);
    let start = Instant::now();
    client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert_eq!(mock.requests().len(), 2);
    start.elapsed()
}

#[test]
fn retry_after_in_seconds_is_a_floor() {
    let first = MockReply::error(429, "rate_limit_exceeded", "wait").header("Retry-After", "0.3");
    let waited = time_retry(first, Duration::from_secs(5));
    assert!(
        waited >= Duration::from_millis(300),
        "waited only {waited:?}"
    );
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let first = MockReply::error(503, "upstream_error", "wait").header("Retry-After", &at);
    let waited = time_retry(first, Duration::from_secs(5));
    // The date has one-second resolution, so at least one whole second remains.
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
}

#[test]
fn retry_after_is_capped_at_the_max_delay() {
    let first = MockReply::error(429, "rate_limit_exceeded", "wait").header("Retry-After", "3600");
    let waited = time_retry(first, Duration::from_millis(200));
    assert!(
        waited >= Duration::from_millis(200),
        "waited only {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(10),
        "waited {waited:?}, past the cap"
    );
}

#[test]
fn the_body_retry_after_seconds_is_used_without_a_header() {
    let first = MockReply::json(
        429,
        r#"{"error":{"code":"rate_limit_exceeded","message":"m","retry_after_seconds":0.25}}"#,
    );
    let waited = time_retry(first, Duration::from_secs(5));
    assert!(
        waited >= Duration::from_millis(250),
        "waited only {waited:?}"
    );
}

#[test]
fn a_stream_opening_on_503_is_not_retried() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(503, "upstream_error", "busy"));
    let mut stream = client.chat().completions().stream(&common::params());
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(stream.next().is_none());
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn connection_refused_is_retried_until_the_server_is_up() {
    // Learn a free port, free it, and bring a one-shot server up there only after the first
    // attempts were refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        let (mut conn, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).unwrap();
            request.extend_from_slice(&buf[..n]);
        }
        let body = include_str!("../fixtures/py_chat_completion_response.json");
        write!(
            conn,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });
    let client = Client::builder()
        .token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(10)
        .retry_base_delay(Duration::from_millis(50))
        .retry_max_delay(Duration::from_millis(100))
        .build()
        .unwrap();
    let reply = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert_eq!(reply.id, "chatcmpl-abc123");
    let request = server.join().unwrap();
    assert!(request.starts_with("POST /v1/chat/completions HTTP/1.1"));
}

#[test]
fn connection_refused_gives_up_after_max_retries() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(2)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Connection);
    assert_eq!(err.status(), None);
    assert!(err.is_retryable());
    assert!(!err.to_string().contains(TOKEN));
}

#[test]
fn a_post_that_reached_the_server_is_not_retried_after_a_dropped_connection() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::hang_up());
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Connection);
    assert_eq!(
        mock.requests().len(),
        1,
        "a POST that may have been billed was repeated"
    );
}

#[test]
fn a_get_is_retried_after_a_dropped_connection() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::hang_up());
    let models = client
        .request(Method::Get, "/v1/models")
        .send::<serde_json::Value>()
        .unwrap();
    assert!(models.as_array().is_some_and(|m| !m.is_empty()));
    assert_eq!(mock.requests().len(), 2);
}

#[test]
fn a_post_timeout_is_not_retried_but_a_get_timeout_is() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    mock.enqueue(MockReply::json(200, "{}").delay(Duration::from_millis(800)));
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert_eq!(err.code(), &ErrorCode::Timeout);
    assert_eq!(mock.requests().len(), 1);

    mock.enqueue(MockReply::json(200, "[]").delay(Duration::from_millis(800)));
    let models = client
        .request(Method::Get, "/v1/models")
        .send::<serde_json::Value>()
        .unwrap();
    assert!(
        models.as_array().is_some_and(|m| !m.is_empty()),
        "the retry got the default list"
    );
    assert_eq!(mock.requests().len(), 3);
}
