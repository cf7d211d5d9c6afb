//! compare: what the server received and what the caller got.

use meshapi::mock::{DEFAULT_REPLY_PREFIX, MockReply};
use meshapi::types::compare::{CompareParams, CompareStreamEvent, ModelOverride};
use meshapi::{ChatMessage, ErrorCode, MeshApiError, Method};
use serde_json::json;

use crate::common::{self, FIXTURE_401, TOKEN};

fn params(models: &[&str]) -> CompareParams {
    CompareParams::new(models.iter().copied(), vec![ChatMessage::user("Ping?")])
}

fn frame(name: &str, data: serde_json::Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn names(events: &[CompareStreamEvent]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e.event.as_deref().unwrap_or("<none>"))
        .collect()
}

#[test]
fn create_sends_stream_false_and_decodes_every_field() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({
            "comparison_id": "cmp_01", "object": "chat.compare", "created": 1712345678,
            "models": ["openai/gpt-4o-mini", "x/fail"],
            "results": [
                {"model": "openai/gpt-4o-mini", "content": "4", "latency_ms": 210,
                 "request_id": "req_A", "usage": {"prompt_tokens": 5, "completion_tokens": 1,
                 "total_tokens": 6}, "response_body": {"id": "chatcmpl-1"}, "cost": "0.00001"},
                {"model": "x/fail", "error": "provider unavailable", "error_code": "upstream_error",
                 "latency_ms": 30, "request_id": "req_B"}
            ],
            "comparison": "Only one model answered.", "comparison_model": "openai/gpt-4o",
            "comparison_usage": {"total_tokens": 40}, "comparison_fallback_used": false,
            "total_latency_ms": 400, "partial": true, "skip_comparison": false,
            "region": "eu-west"
        })
        .to_string(),
    ));
    let params = params(&["openai/gpt-4o-mini", "x/fail"])
        .model_override(
            ModelOverride::new("x/fail")
                .temperature(0.1)
                .max_tokens(10)
                .system_prompt("Be terse."),
        )
        .comparison_model("openai/gpt-4o")
        .comparison_instructions("Which is right?")
        .temperature(0.7)
        .max_tokens(50)
        .cache(true)
        .skip_comparison(false);
    let reply = client.compare().create(&params).unwrap();

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/chat/compare");
    assert_eq!(request.query, "");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "models": ["openai/gpt-4o-mini", "x/fail"],
            "messages": [{"role": "user", "content": "Ping?"}],
            "model_overrides": [{"model": "x/fail", "temperature": 0.1, "max_tokens": 10,
                                 "system_prompt": "Be terse."}],
            "comparison_model": "openai/gpt-4o",
            "comparison_instructions": "Which is right?",
            "temperature": 0.7,
            "max_tokens": 50,
            "cache": true,
            "skip_comparison": false,
            "stream": false
        })
    );

    assert_eq!(reply.comparison_id, "cmp_01");
    assert_eq!(reply.object, "chat.compare");
    assert_eq!(reply.created, 1712345678);
    assert_eq!(reply.models, ["openai/gpt-4o-mini", "x/fail"]);
    let ok = &reply.results[0];
    assert_eq!(ok.content.as_deref(), Some("4"));
    assert_eq!(ok.latency_ms, Some(210));
    assert_eq!(ok.request_id.as_deref(), Some("req_A"));
    assert_eq!(ok.usage.as_ref().unwrap().completion_tokens, Some(1));
    assert_eq!(ok.response_body, Some(json!({"id": "chatcmpl-1"})));
    assert_eq!(ok.extra["cost"], "0.00001");
    assert_eq!(ok.error, None);
    let failed = &reply.results[1];
    assert_eq!(failed.content, None);
    assert_eq!(failed.error.as_deref(), Some("provider unavailable"));
    assert_eq!(failed.error_code.as_deref(), Some("upstream_error"));
    assert_eq!(
        reply.comparison.as_deref(),
        Some("Only one model answered.")
    );
    assert_eq!(reply.comparison_model.as_deref(), Some("openai/gpt-4o"));
    assert_eq!(
        reply.comparison_usage.as_ref().unwrap().total_tokens,
        Some(40)
    );
    assert_eq!(reply.comparison_fallback_used, Some(false));
    assert_eq!(reply.total_latency_ms, 400);
    assert_eq!(reply.partial, Some(true));
    assert_eq!(reply.skip_comparison, Some(false));
    assert_eq!(reply.extra["region"], "eu-west");
}

#[test]
fn default_route_answers_every_model_and_reports_a_failing_one() {
    let mock = common::mock();
    let client = common::client(&mock);
    let reply = client
        .compare()
        .create(&params(&[
            "openai/gpt-4o-mini",
            "acme/will-fail",
            "meta/llama",
        ]))
        .unwrap();
    let expected = format!("{DEFAULT_REPLY_PREFIX}Ping?");
    assert!(reply.comparison_id.starts_with("cmp_mock"));
    assert_eq!(reply.results.len(), 3);
    for i in [0, 2] {
        let result = &reply.results[i];
        assert_eq!(result.content.as_deref(), Some(expected.as_str()));
        assert_eq!(result.error, None);
        assert!(result.request_id.as_deref().unwrap().starts_with("req_"));
        assert_eq!(
            result.response_body.as_ref().unwrap()["choices"][0]["message"]["content"],
            expected.as_str()
        );
        assert!(result.latency_ms.is_some());
    }
    let failed = &reply.results[1];
    assert_eq!(failed.model, "acme/will-fail");
    assert_eq!(failed.content, None);
    assert!(failed.error.as_deref().unwrap().contains("acme/will-fail"));
    assert_eq!(failed.error_code.as_deref(), Some("upstream_error"));
    assert_eq!(reply.partial, Some(true));
    assert!(reply.comparison.as_deref().unwrap().contains("2 answers"));
    assert_eq!(
        reply.comparison_model.as_deref(),
        Some("openai/gpt-4o-mini")
    );
    assert!(reply.comparison_usage.is_some());
    assert_eq!(reply.comparison_fallback_used, Some(false));
    assert_eq!(mock.requests()[0].body_json().unwrap()["stream"], false);
}

#[test]
fn skip_comparison_leaves_out_the_synthesis() {
    let mock = common::mock();
    let client = common::client(&mock);
    let reply = client
        .compare()
        .create(&params(&["a/one", "b/two"]).skip_comparison(true))
        .unwrap();
    assert_eq!(reply.comparison, None);
    assert_eq!(reply.comparison_model, None);
    assert_eq!(reply.skip_comparison, Some(true));
    assert_eq!(reply.partial, Some(false));
    assert_eq!(
        mock.requests()[0].body_json().unwrap()["skip_comparison"],
        true
    );
}

#[test]
fn missing_models_is_a_validation_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client.compare().create(&params(&[])).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.details()[0]["loc"], json!(["body", "models"]));
    assert!(err.request_id().unwrap().starts_with("req_"));
    // The typed params cannot leave `messages` out; the mock refuses that body the same way.
    let err = client
        .request(Method::Post, "/v1/chat/compare")
        .json(&json!({"models": ["a/one"]}))
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.details()[0]["loc"], json!(["body", "messages"]));
}

#[test]
fn stream_sends_stream_true_and_exposes_event_names() {
    let mock = common::mock();
    let client = common::client(&mock);
    let events: Vec<CompareStreamEvent> = client
        .compare()
        .stream(&params(&["a/one", "b/fail"]).comparison_model("c/judge"))
        .collect::<Result<_, _>>()
        .unwrap();
    let request = &mock.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/chat/compare");
    let body = request.body_json().unwrap();
    assert_eq!(body["stream"], true);
    assert_eq!(body["comparison_model"], "c/judge");

    let names = names(&events);
    let words = format!("{DEFAULT_REPLY_PREFIX}Ping?").split(' ').count();
    assert_eq!(names[0], "delta");
    assert_eq!(names.iter().filter(|n| **n == "delta").count(), words);
    assert_eq!(names.iter().filter(|n| **n == "model_error").count(), 1);
    assert_eq!(names.iter().filter(|n| **n == "model_done").count(), 1);
    assert!(names.contains(&"comparison"));
    assert_eq!(names.last(), Some(&"done"));

    // The failing model's error is data, and the other model's deltas keep coming after it.
    let error_at = names.iter().position(|n| *n == "model_error").unwrap();
    let failed = &events[error_at];
    assert_eq!(failed.model.as_deref(), Some("b/fail"));
    assert!(failed.error.as_deref().unwrap().contains("b/fail"));
    assert_eq!(failed.error_code.as_deref(), Some("upstream_error"));
    assert!(names[error_at + 1..].contains(&"delta"));

    let done = events.last().unwrap();
    assert!(
        done.comparison_id
            .as_deref()
            .unwrap()
            .starts_with("cmp_mock")
    );
    assert_eq!(done.partial, Some(true));
    assert!(done.total_latency_ms.is_some());
    assert_eq!(done.comparison_model.as_deref(), Some("c/judge"));
    assert!(done.extra.contains_key("comparison_usage"));
}

#[test]
fn accumulate_joins_each_models_text_and_the_synthesis() {
    let mock = common::mock();
    let client = common::client(&mock);
    let whole = client
        .compare()
        .stream(&params(&["a/one", "b/fail", "c/two"]))
        .accumulate()
        .unwrap();
    let expected = format!("{DEFAULT_REPLY_PREFIX}Ping?");
    let models: Vec<&str> = whole.results.iter().map(|r| r.model.as_str()).collect();
    assert_eq!(
        models,
        ["a/one", "c/two", "b/fail"],
        "order of first appearance"
    );
    assert_eq!(whole.results[0].content.as_deref(), Some(expected.as_str()));
    assert_eq!(whole.results[1].content.as_deref(), Some(expected.as_str()));
    assert!(whole.results[0].usage.is_some());
    assert_eq!(whole.results[2].content, None);
    assert!(whole.results[2].error.is_some());
    assert!(
        whole
            .comparison
            .as_deref()
            .unwrap()
            .starts_with("Compared 2 answers")
    );
    assert_eq!(whole.comparison_model.as_deref(), Some("a/one"));
    assert_eq!(whole.partial, Some(true));
    assert_eq!(whole.models.as_ref().unwrap().len(), 3);

    let skipped = client
        .compare()
        .stream(&params(&["a/one"]).skip_comparison(true))
        .accumulate()
        .unwrap();
    assert_eq!(skipped.comparison, None);
    assert_eq!(skipped.skip_comparison, Some(true));
    assert_eq!(skipped.partial, Some(false));
}

#[test]
fn a_string_error_does_not_end_the_stream() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(
        MockReply::sse()
            .raw(frame("delta", json!({"model": "a", "delta": "Hi"})))
            .raw(frame(
                "model_error",
                json!({"model": "b", "error": "rate limited upstream", "error_code": "rate_limit_exceeded"}),
            ))
            .raw(frame("delta", json!({"model": "a", "delta": " there"})))
            // No `event:` line: the SSE default name.
            .data(&json!({"comparison_id": "cmp_9", "partial": true}).to_string())
            .done(),
    );
    let events: Vec<CompareStreamEvent> = client
        .compare()
        .stream(&params(&["a", "b"]))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names(&events), ["delta", "model_error", "delta", "message"]);
    assert_eq!(events[1].error.as_deref(), Some("rate limited upstream"));
    assert_eq!(events[1].error_code.as_deref(), Some("rate_limit_exceeded"));
    assert_eq!(events[2].delta.as_deref(), Some(" there"));
    assert_eq!(events[3].comparison_id.as_deref(), Some("cmp_9"));
}

#[test]
fn an_object_error_ends_the_stream_with_the_mapped_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(
        MockReply::sse()
            .raw(frame("delta", json!({"model": "a", "delta": "Hi"})))
            .raw(frame(
                "error",
                json!({"error": {"code": "gateway_timeout",
                                 "message": "Upstream provider did not respond in time."},
                       "request_id": "req_frame"}),
            ))
            .raw(frame("delta", json!({"model": "a", "delta": "never seen"})))
            .done(),
    );
    let mut stream = client.compare().stream(&params(&["a"]));
    assert_eq!(stream.next().unwrap().unwrap().delta.as_deref(), Some("Hi"));
    let err: MeshApiError = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::GatewayTimeout);
    assert_eq!(err.message(), "Upstream provider did not respond in time.");
    assert_eq!(err.status(), None);
    assert_eq!(err.request_id(), Some("req_frame"));
    assert!(stream.next().is_none());
}

#[test]
fn a_refused_stream_yields_the_http_error_first() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(401, FIXTURE_401));
    let mut stream = client.compare().stream(&params(&["a"]));
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.status(), Some(401));
    assert!(stream.next().is_none());
    assert_eq!(mock.requests().len(), 1, "streams are never retried");
}

#[test]
fn unknown_usage_fields_are_kept_in_extra_whole_and_streamed() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({
            "comparison_id": "cmp_1", "object": "chat.compare", "created": 1,
            "models": ["a/one"],
            "results": [{"model": "a/one", "content": "Hi", "latency_ms": 1,
                         "usage": {"total_tokens": 4, "cached_tokens": 2}}],
            "comparison_usage": {"total_tokens": 9, "cost": "0.01"},
            "total_latency_ms": 2
        })
        .to_string(),
    ));
    let reply = client.compare().create(&params(&["a/one"])).unwrap();
    let usage = reply.results[0].usage.as_ref().unwrap();
    assert_eq!(
        (usage.total_tokens, &usage.extra["cached_tokens"]),
        (Some(4), &json!(2))
    );
    assert_eq!(reply.comparison_usage.unwrap().extra["cost"], "0.01");

    mock.enqueue(
        MockReply::sse()
            .raw(frame(
                "delta",
                json!({"event": "delta", "model": "a/one", "delta": "Hi",
                       "usage": {"total_tokens": 4, "cached_tokens": 2}}),
            ))
            .raw(frame(
                "comparison",
                json!({"event": "comparison", "comparison_model": "a/one", "delta": "ok",
                       "usage": {"total_tokens": 9, "cost": "0.01"}}),
            ))
            .done(),
    );
    let whole = client
        .compare()
        .stream(&params(&["a/one"]))
        .accumulate()
        .unwrap();
    assert_eq!(
        whole.results[0].usage.as_ref().unwrap().extra["cached_tokens"],
        2
    );
    assert_eq!(whole.comparison_usage.unwrap().extra["cost"], "0.01");
}
