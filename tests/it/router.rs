//! router: what the server received and what the caller got.

use meshapi::mock::MockReply;
use meshapi::types::chat::ContentPart;
use meshapi::types::router::RouterSelectParams;
use meshapi::{ChatMessage, ErrorCode};
use serde_json::json;

use crate::common::{self, TOKEN};

#[test]
fn a_simple_question_gets_the_small_model_and_only_messages_are_sent() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = RouterSelectParams::new(vec![
        ChatMessage::system("Be brief."),
        ChatMessage::user("What is the capital of France?"),
    ]);
    let choice = client.router().select(&params).unwrap();
    let request = &mock.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/router/select");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json(),
        Some(json!({"messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "What is the capital of France?"}
        ]}))
    );
    assert_eq!(choice.model, "openai/gpt-4o-mini");
    assert!(!choice.auto_router.fallback_used);
    assert_eq!(choice.auto_router.fallback_reason, None);
    assert_eq!(choice.reasoning_effort, None);
}

#[test]
fn hard_prompts_embeddings_and_exclusions_steer_the_choice() {
    let mock = common::mock();
    let client = common::client(&mock);
    let hard = vec![ChatMessage::user_parts(vec![ContentPart::text(
        "Prove that there are infinitely many primes.",
    )])];
    let choice = client
        .router()
        .select(&RouterSelectParams::new(hard.clone()))
        .unwrap();
    assert_eq!(choice.model, "anthropic/claude-sonnet-4");
    assert_eq!(choice.reasoning_effort.as_deref(), Some("medium"));

    let choice = client
        .router()
        .select(
            &RouterSelectParams::new(hard)
                .api_type("responses")
                .exclude_models(["anthropic/claude-sonnet-4"]),
        )
        .unwrap();
    assert_eq!(choice.model, "openai/gpt-4o-mini");

    let embed = RouterSelectParams::new(vec![ChatMessage::user("embed me")]).api_type("embeddings");
    let choice = client.router().select(&embed).unwrap();
    assert_eq!(choice.model, "openai/text-embedding-3-small");

    let requests = mock.requests();
    assert_eq!(
        requests[1].body_json().unwrap()["exclude_models"],
        json!(["anthropic/claude-sonnet-4"])
    );
    assert_eq!(requests[1].body_json().unwrap()["api_type"], "responses");
    assert_eq!(requests[2].body_json().unwrap()["api_type"], "embeddings");
}

#[test]
fn excluding_every_candidate_falls_back_to_the_default() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = RouterSelectParams::new(vec![ChatMessage::user("vectors please")])
        .api_type("embeddings")
        .exclude_models(["openai/text-embedding-3-small"]);
    let choice = client.router().select(&params).unwrap();
    assert_eq!(choice.model, "openai/text-embedding-3-small");
    assert!(choice.auto_router.fallback_used);
    assert_eq!(
        choice.auto_router.fallback_reason.as_deref(),
        Some("every candidate model is excluded")
    );
}

#[test]
fn a_realistic_body_decodes_with_unknown_fields_kept() {
    let mock = common::mock();
    mock.enqueue(MockReply::json(
        200,
        r#"{"model": "google/gemini-2.5-flash",
            "auto_router": {"fallback_used": true, "fallback_reason": "classifier_timeout", "classifier": "v2"},
            "reasoning_effort": "low", "candidates": 7}"#,
    ));
    let choice = common::client(&mock)
        .router()
        .select(&RouterSelectParams::new(vec![ChatMessage::user("hi")]))
        .unwrap();
    assert_eq!(choice.model, "google/gemini-2.5-flash");
    assert!(choice.auto_router.fallback_used);
    assert_eq!(
        choice.auto_router.fallback_reason.as_deref(),
        Some("classifier_timeout")
    );
    assert_eq!(choice.auto_router.extra["classifier"], "v2");
    assert_eq!(choice.reasoning_effort.as_deref(), Some("low"));
    assert_eq!(choice.extra["candidates"], 7);
}

#[test]
fn no_messages_is_a_validation_error_from_the_mock() {
    let mock = common::mock();
    let err = common::client(&mock)
        .router()
        .select(&RouterSelectParams::new(vec![]))
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
}

#[test]
fn a_deployment_without_the_auto_router_is_a_typed_error() {
    let mock = common::mock();
    mock.enqueue(MockReply::json(404, r#"{"detail": "Not Found"}"#));
    mock.enqueue(MockReply::error(
        501,
        "not_implemented",
        "Auto router disabled.",
    ));
    let client = common::client(&mock);
    let params = RouterSelectParams::new(vec![ChatMessage::user("hi")]);
    let missing = client.router().select(&params).unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert_eq!(missing.code(), &ErrorCode::NotFound);
    assert_eq!(missing.message(), "Not Found");
    let disabled = client.router().select(&params).unwrap_err();
    assert_eq!(disabled.status(), Some(501));
    assert_eq!(disabled.code(), &ErrorCode::Other("not_implemented".into()));
    assert_eq!(mock.requests().len(), 2);
}
