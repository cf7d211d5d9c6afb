//! web: what the server received and what the caller got.

use meshapi::ErrorCode;
use meshapi::mock::MockReply;
use meshapi::types::web::WebSearchParams;
use serde_json::json;

use crate::common::{self, TOKEN};

#[test]
fn a_plain_search_sends_only_the_query_and_gets_the_default_five_results() {
    let mock = common::mock();
    let client = common::client(&mock);
    let reply = client
        .web()
        .search(&WebSearchParams::new("rust ureq timeouts"))
        .unwrap();
    let request = &mock.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/web/search");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json(),
        Some(json!({"query": "rust ureq timeouts"}))
    );
    assert_eq!(reply.query, "rust ureq timeouts");
    assert_eq!(reply.answer, None);
    assert_eq!(reply.provider, "native");
    assert_eq!(reply.request_id.as_deref(), Some("req_mockweb1"));
    assert_eq!(reply.results.len(), 5);
    let first = &reply.results[0];
    assert_eq!(first.url, "https://example.com/rust-ureq-timeouts/1");
    assert_eq!(first.content, "Mock page 1 about rust ureq timeouts.");
    assert_eq!(first.score, Some(0.99));
    assert_eq!(first.published_date.as_deref(), Some("2026-07-01"));
}

#[test]
fn every_option_is_sent_and_the_mock_honours_it() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = WebSearchParams::new("serde flatten")
        .model("openai/gpt-4o-mini")
        .provider("tavily")
        .max_results(3)
        .search_depth("advanced")
        .include_domains(["docs.rs", "serde.rs"])
        .exclude_domains(["serde.rs"])
        .include_answer(true);
    let reply = client.web().search(&params).unwrap();
    assert_eq!(
        mock.requests()[0].body_json(),
        Some(json!({
            "query": "serde flatten",
            "model": "openai/gpt-4o-mini",
            "provider": "tavily",
            "max_results": 3,
            "search_depth": "advanced",
            "include_domains": ["docs.rs", "serde.rs"],
            "exclude_domains": ["serde.rs"],
            "include_answer": true
        }))
    );
    assert_eq!(reply.provider, "tavily");
    assert_eq!(
        reply.answer.as_deref(),
        Some("Mock answer for \"serde flatten\" from 3 results.")
    );
    let urls: Vec<&str> = reply.results.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://docs.rs/serde-flatten/1",
            "https://docs.rs/serde-flatten/2",
            "https://docs.rs/serde-flatten/3"
        ]
    );
}

#[test]
fn a_realistic_body_decodes_with_unknown_fields_kept() {
    let mock = common::mock();
    mock.enqueue(MockReply::json(
        200,
        r#"{"query": "rust 2024 edition", "answer": "Rust 2024 shipped with 1.85.",
            "results": [
              {"title": "Announcing Rust 1.85.0", "url": "https://blog.rust-lang.org/2025/02/20/Rust-1.85.0.html",
               "content": "The Rust team is happy to announce...", "score": 0.93,
               "published_date": "2025-02-20", "favicon": "https://blog.rust-lang.org/favicon.ico"},
              {"title": "Edition guide", "url": "https://doc.rust-lang.org/edition-guide/"}
            ],
            "provider": "tavily", "request_id": "", "response_time": 1.2}"#,
    ));
    let reply = common::client(&mock)
        .web()
        .search(&WebSearchParams::new("rust 2024 edition"))
        .unwrap();
    assert_eq!(
        reply.answer.as_deref(),
        Some("Rust 2024 shipped with 1.85.")
    );
    assert_eq!(reply.request_id, None, "an empty id is no id");
    assert_eq!(reply.extra["response_time"], 1.2);
    assert_eq!(
        reply.results[0].extra["favicon"],
        "https://blog.rust-lang.org/favicon.ico"
    );
    assert_eq!(reply.results[1].content, "");
    assert_eq!(reply.results[1].score, None);
}

#[test]
fn the_mock_rejects_what_the_server_would() {
    let mock = common::mock();
    let client = common::client(&mock);
    for params in [
        WebSearchParams::new(""),
        WebSearchParams::new("q").max_results(21),
    ] {
        let err = client.web().search(&params).unwrap_err();
        assert_eq!(err.status(), Some(422));
        assert_eq!(err.code(), &ErrorCode::ValidationError);
    }
}

#[test]
fn a_deployment_without_web_search_is_a_typed_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(
        501,
        "not_implemented",
        "Web search is disabled.",
    ));
    mock.enqueue(MockReply::json(404, r#"{"detail": "Not Found"}"#));
    let params = WebSearchParams::new("anything");
    let disabled = client.web().search(&params).unwrap_err();
    assert_eq!(disabled.status(), Some(501));
    assert_eq!(disabled.code().as_str(), "not_implemented");
    assert_eq!(disabled.message(), "Web search is disabled.");
    assert!(!disabled.is_retryable());
    let missing = client.web().search(&params).unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert_eq!(missing.code(), &ErrorCode::NotFound);
    assert_eq!(mock.requests().len(), 2, "neither is retried");
}
