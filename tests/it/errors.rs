//! The error mapping, over the wire: every status, envelope shape and header rule.

use std::error::Error as _;
use std::time::Duration;

use meshapi::mock::MockReply;
use meshapi::{ErrorCode, MeshApiError};
use serde_json::json;

use crate::common::{self, FIXTURE_401, FIXTURE_422, FIXTURE_429, TOKEN};

/// Sends one chat completion answered by `reply`, with retries off.
fn fail_with(reply: MockReply) -> MeshApiError {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    mock.enqueue(reply);
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(mock.requests().len(), 1);
    assert!(
        !format!("{err} {err:?}").contains(TOKEN),
        "token leaked: {err:?}"
    );
    err
}

#[test]
fn every_server_code_of_the_seed_table_maps_with_all_its_fields() {
    let rows = [
        ("unauthorized", 401, ErrorCode::Unauthorized),
        ("forbidden", 403, ErrorCode::Forbidden),
        ("not_found", 404, ErrorCode::NotFound),
        ("model_not_found", 404, ErrorCode::ModelNotFound),
        ("spend_limit_exceeded", 402, ErrorCode::SpendLimitExceeded),
        ("validation_error", 422, ErrorCode::ValidationError),
        ("unprocessable_entity", 422, ErrorCode::UnprocessableEntity),
        ("rate_limit_exceeded", 429, ErrorCode::RateLimitExceeded),
        ("upstream_error", 500, ErrorCode::UpstreamError),
        ("gateway_timeout", 500, ErrorCode::GatewayTimeout),
        ("internal_error", 500, ErrorCode::InternalError),
    ];
    for (slug, status, code) in rows {
        let body = json!({
            "error": {
                "code": slug,
                "message": format!("{slug} happened"),
                "details": [{"loc": ["body", "model"], "msg": "bad"}],
                "provider_error": {"type": "overloaded", "status": 529},
                "retry_after_seconds": 7
            },
            "request_id": format!("req_{slug}")
        });
        let err = fail_with(MockReply::json(status, body.to_string()));
        assert_eq!(err.code(), &code, "{slug}");
        assert_eq!(err.code().as_str(), slug);
        assert_eq!(err.status(), Some(status), "{slug}");
        assert_eq!(err.message(), format!("{slug} happened"));
        assert_eq!(err.request_id(), Some(format!("req_{slug}").as_str()));
        assert_eq!(
            err.details(),
            &[json!({"loc": ["body", "model"], "msg": "bad"})]
        );
        assert_eq!(
            err.provider_error(),
            Some(&json!({"type": "overloaded", "status": 529}))
        );
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)), "{slug}");
        assert_eq!(
            err.to_string(),
            format!("[{status}] {slug}: {slug} happened (request_id req_{slug})")
        );
    }
}

#[test]
fn golden_fixtures_map_exactly() {
    let err = fail_with(MockReply::json(401, FIXTURE_401));
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.message(), "Invalid or missing API key.");
    assert_eq!(err.request_id(), Some("req_01HZXYZ"));
    assert!(err.details().is_empty());
    assert_eq!(err.provider_error(), None);
    assert_eq!(err.retry_after(), None);
    assert!(!err.is_retryable());

    let err = fail_with(MockReply::json(422, FIXTURE_422));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(
        err.details(),
        &[json!({"type": "missing", "loc": ["body", "messages"], "msg": "Field required"})]
    );

    // The body's retry_after_seconds, and the header when both are given.
    let err = fail_with(MockReply::json(429, FIXTURE_429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(5)));
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "[429] rate_limit_exceeded: Rate limit exceeded. (request_id req_01HZDEF)"
    );
    let err = fail_with(MockReply::json(429, FIXTURE_429).header("Retry-After", "2"));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    let go = include_str!("../fixtures/go_error_429.json");
    let err = fail_with(MockReply::json(429, go));
    assert_eq!(err.code(), &ErrorCode::RateLimitExceeded);
    assert_eq!(err.request_id(), Some("req_01HZDEF"));
}

#[test]
fn a_non_json_body_is_a_parse_error_with_the_status_and_at_most_500_chars() {
    let page = format!("<html><body>{}</body></html>", "Bad gateway. ".repeat(100));
    let err = fail_with(
        MockReply::new(502)
            .header("Content-Type", "text/html")
            .header("X-Request-Id", "req_html")
            .body(page.clone()),
    );
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.request_id(), Some("req_html"));
    assert!(err.message().starts_with("<html><body>Bad gateway."));
    assert_eq!(
        err.message().chars().count(),
        503,
        "500 chars and an ellipsis"
    );
    assert!(err.is_retryable(), "the status still says 502");
    assert!(err.source().is_some());

    let err = fail_with(MockReply::new(503).header("Content-Type", "text/plain"));
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert_eq!(err.message(), "HTTP 503");
}

#[test]
fn fastapi_detail_bodies() {
    let err = fail_with(MockReply::json(
        404,
        r#"{"detail":"Model 'x/y' not found"}"#,
    ));
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.message(), "Model 'x/y' not found");

    let err = fail_with(MockReply::json(
        422,
        r#"{"detail":[{"type":"missing","loc":["body","messages"],"msg":"Field required"}]}"#,
    ));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.message(), "HTTP 422");
    assert_eq!(
        err.details().len(),
        1,
        "the FastAPI list is kept as details"
    );
    assert_eq!(err.details()[0]["msg"], "Field required");
}

#[test]
fn unknown_codes_are_kept_verbatim() {
    let err = fail_with(MockReply::error(
        400,
        "model_capability_not_supported",
        "No tools.",
    ));
    assert_eq!(err.code(), &ErrorCode::ModelCapabilityNotSupported);
    assert_eq!(err.code().as_str(), "model_capability_not_supported");
    assert_eq!(err.message(), "No tools.");
}

#[test]
fn bodies_without_a_code_fall_back_to_the_status_table() {
    let rows = [
        (400, ErrorCode::InvalidRequest),
        (401, ErrorCode::Unauthorized),
        (402, ErrorCode::SpendLimitExceeded),
        (403, ErrorCode::Forbidden),
        (404, ErrorCode::NotFound),
        (409, ErrorCode::Conflict),
        (418, ErrorCode::HttpError),
        (422, ErrorCode::ValidationError),
        (429, ErrorCode::RateLimitExceeded),
        (500, ErrorCode::UpstreamError),
        (502, ErrorCode::UpstreamError),
        (503, ErrorCode::UpstreamError),
        (504, ErrorCode::UpstreamError),
        (501, ErrorCode::HttpError),
    ];
    for (status, code) in rows {
        for body in [
            r#"{"error":{"message":"m"}}"#,
            r#"{"error":"boom"}"#,
            "[1,2]",
            "{}",
        ] {
            let err = fail_with(MockReply::json(status, body));
            assert_eq!(err.code(), &code, "{status} {body}");
            assert_eq!(err.status(), Some(status));
        }
    }
    let err = fail_with(MockReply::json(
        409,
        r#"{"error":{"code":"","message":""}}"#,
    ));
    assert_eq!(err.code(), &ErrorCode::Conflict);
    assert_eq!(err.message(), "HTTP 409");
}

#[test]
fn the_request_id_comes_from_the_body_else_the_header() {
    let both = MockReply::json(
        403,
        r#"{"error":{"code":"forbidden","message":"m"},"request_id":"req_body"}"#,
    )
    .header("X-Request-Id", "req_header");
    assert_eq!(fail_with(both).request_id(), Some("req_body"));
    let header_only = MockReply::json(403, r#"{"error":{"code":"forbidden","message":"m"}}"#)
        .header("X-Request-Id", "req_header");
    assert_eq!(fail_with(header_only).request_id(), Some("req_header"));
    let empty_in_body = MockReply::json(403, r#"{"error":{"code":"forbidden"},"request_id":""}"#)
        .header("X-Request-Id", "req_header");
    assert_eq!(fail_with(empty_in_body).request_id(), Some("req_header"));
}

#[test]
fn a_success_that_does_not_decode_is_a_parse_error_not_a_panic() {
    let bodies = [
        "not json at all",
        "",
        r#"{"id": 5}"#,
        r#"{"id":"x","object":"chat.completion","created":"yesterday","model":"m","choices":[]}"#,
        "\u{0}\u{1}\u{2}",
    ];
    for body in bodies {
        let err = fail_with(MockReply::json(200, body));
        assert_eq!(err.code(), &ErrorCode::ParseError, "{body:?}");
        assert_eq!(err.status(), Some(200));
        assert!(err.request_id().is_some_and(|id| id.starts_with("req_")));
        assert!(
            err.message().contains("ChatCompletionResponse"),
            "{}",
            err.message()
        );
        assert!(err.source().is_some());
    }
}

#[test]
fn redirects_are_not_followed_and_name_their_location() {
    for status in [301, 302, 307, 308] {
        let err = fail_with(
            MockReply::new(status).header("Location", "http://elsewhere.invalid/v1/steal"),
        );
        assert_eq!(err.code(), &ErrorCode::HttpError);
        assert_eq!(err.status(), Some(status));
        assert!(
            err.message().contains("http://elsewhere.invalid/v1/steal"),
            "{}",
            err.message()
        );
        assert!(err.message().contains(&status.to_string()));
    }
    let json_body = MockReply::json(
        302,
        r#"{"error":{"code":"moved","message":"see elsewhere"}}"#,
    )
    .header("Location", "https://other.invalid/");
    let err = fail_with(json_body);
    assert_eq!(err.code(), &ErrorCode::HttpError);
    assert!(
        err.message().contains("https://other.invalid/"),
        "{}",
        err.message()
    );
}

#[test]
fn an_oversized_error_body_is_cut_not_buffered_whole() {
    let body = format!(
        r#"{{"error":{{"code":"x","message":"{}"}}}}"#,
        "a".repeat(200_000)
    );
    let err = fail_with(MockReply::json(400, body));
    // Only 64 KiB were read, so the JSON is incomplete: a parse error quoting 500 chars.
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert_eq!(err.status(), Some(400));
    assert!(err.message().len() < 600);
}

#[test]
fn messages_never_repeat_their_source() {
    use meshapi::mock::{MockReply, MockServer};
    use std::error::Error as _;
    use std::time::Duration;

    let mock = MockServer::start().unwrap();
    let client = common::builder(&mock)
        .max_retries(0)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    mock.enqueue(MockReply::json(200, r#"{"id": 1}"#));
    mock.enqueue(MockReply::json(200, "[]").delay(Duration::from_secs(30)));
    mock.enqueue(
        MockReply::new(200)
            .header("Content-Type", "application/json")
            .raw("[{")
            .drop_connection(),
    );
    let mut errors = vec![
        client.models().get("m").unwrap_err(),
        client.models().free().unwrap_err(),
        client.models().paid().unwrap_err(),
    ];
    errors.push(
        common::builder(&mock)
            .base_url("http://127.0.0.1:1")
            .max_retries(0)
            .build()
            .unwrap()
            .models()
            .free()
            .unwrap_err(),
    );
    for err in errors {
        let source = err
            .source()
            .expect("every one of these has a cause")
            .to_string();
        assert!(!source.is_empty());
        assert!(
            !err.to_string().contains(&source),
            "{err} repeats its source {source}"
        );
    }
}
