//! The raw fields of OpenAI-shaped and MeshAPI error envelopes, through accessors that
//! `MeshApiError` does not have yet (`server_code`, `error_type`, `param`, `provider_code`).
//!
//! Not listed in `main.rs` until those accessors exist, because it would not compile; add
//! `mod hostile_accessors;` there together with them.

use meshapi::mock::MockReply;
use meshapi::{ErrorCode, MeshApiError, Method};

use crate::common;

/// One GET answered by `reply`, with retries off so that a 429 is seen as it came.
fn fail_with(reply: MockReply) -> MeshApiError {
    let server = common::mock();
    let client = common::builder(&server).max_retries(0).build().unwrap();
    server.enqueue(reply);
    let err = client
        .request(Method::Get, "/v1/models")
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    err
}

#[test]
fn a_litellm_envelope_keeps_its_raw_fields() {
    let err = fail_with(MockReply::json(
        401,
        r#"{"error":{"message":"Invalid key","type":"auth_error","param":null,"code":"401"}}"#,
    ));
    assert_eq!(err.status(), Some(401));
    // The mapped code follows the status; the server's own string stays available verbatim.
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.server_code(), Some("401"));
    assert_eq!(err.error_type(), Some("auth_error"));
    assert_eq!(err.param(), None, "a null param is no param");
    assert_eq!(err.provider_code(), None);
    assert_eq!(err.message(), "Invalid key");
}

#[test]
fn an_openai_envelope_names_the_offending_param() {
    let err = fail_with(MockReply::json(
        400,
        r#"{"error":{"message":"messages must not be empty","type":"invalid_request_error","param":"messages","code":"400"}}"#,
    ));
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), &ErrorCode::InvalidRequest);
    assert_eq!(err.server_code(), Some("400"));
    assert_eq!(err.error_type(), Some("invalid_request_error"));
    assert_eq!(err.param(), Some("messages"));
}

#[test]
fn a_litellm_rate_limit_keeps_its_raw_code() {
    let err = fail_with(MockReply::json(
        429,
        r#"{"error":{"message":"slow down","type":"rate_limit","code":"429"}}"#,
    ));
    assert_eq!(err.code(), &ErrorCode::RateLimitExceeded);
    assert_eq!(err.server_code(), Some("429"));
    assert_eq!(err.error_type(), Some("rate_limit"));
    assert_eq!(err.param(), None, "an absent param is no param");
}

#[test]
fn a_meshapi_envelope_exposes_the_provider_code() {
    let err = fail_with(MockReply::json(
        400,
        r#"{"error":{"code":"context_window_exceeded","message":"too long","provider_code":"context_window_exceeded"},"request_id":"req_1"}"#,
    ));
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), &ErrorCode::ContextWindowExceeded);
    assert_eq!(err.server_code(), Some("context_window_exceeded"));
    assert_eq!(err.provider_code(), Some("context_window_exceeded"));
    assert_eq!(err.error_type(), None);
    assert_eq!(err.param(), None);
    assert_eq!(err.message(), "too long");
    assert_eq!(err.request_id(), Some("req_1"));
}

#[test]
fn an_envelope_without_a_code_has_no_server_code() {
    let err = fail_with(MockReply::json(404, r#"{"detail":"Model 'x' not found"}"#));
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(
        err.server_code(),
        None,
        "the status table's code is not the server's"
    );
    assert_eq!(err.error_type(), None);
    assert_eq!(err.param(), None);
    assert_eq!(err.provider_code(), None);
}
