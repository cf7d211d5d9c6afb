//! The mock as our users script it: replies by route, expectations, strict mode, and the
//! gateway headers it echoes.

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use meshapi::mock::{MockReply, MockRoute, MockServer, RecordedRequest};
use meshapi::{ErrorCode, RequestOptions};

use crate::common;

#[test]
fn a_route_s_replies_never_reach_another_route() {
    let mock = common::mock();
    let client = common::client(&mock);
    let chat = mock.mount(
        MockRoute::new("POST", "/v1/chat/completions").reply(MockReply::error(
            401,
            "unauthorized",
            "meant for chat",
        )),
    );
    let models = mock.mount(
        MockRoute::new("GET", "/v1/models")
            .reply(MockReply::error(503, "upstream_error", "busy"))
            .reply(MockReply::json(200, r#"[{"id":"only/one"}]"#)),
    );
    // The 503 is retried; the retry takes the route's second reply, not the chat one.
    let listed = client.models().list(&Default::default()).unwrap();
    assert_eq!(listed[0].id, "only/one");
    assert_eq!(models.hits(), 2);
    assert_eq!(chat.hits(), 0);
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.message(), "meant for chat");
    assert_eq!(chat.hits(), 1);
    // Exhausted routes step aside: the defaults answer.
    assert_eq!(client.models().list(&Default::default()).unwrap().len(), 4);
    mock.verify();
}

#[test]
fn routes_come_before_the_queue_and_prefixes_match_ids() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    mock.enqueue(MockReply::json(200, r#"{"id":"from/queue"}"#));
    let models = mock.mount(
        MockRoute::prefix("GET", "/v1/models/").reply_always(MockReply::error(
            404,
            "model_not_found",
            "gone",
        )),
    );
    for id in ["a/b", "c:free", "x"] {
        let err = client.models().get(id).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ModelNotFound, "{id}");
    }
    assert_eq!(models.hits(), 3);
    let info = client
        .request(meshapi::Method::Get, "/v1/elsewhere")
        .send::<serde_json::Value>()
        .unwrap();
    assert_eq!(
        info["id"], "from/queue",
        "the queue answers what no route takes"
    );
    mock.verify();
}

#[test]
fn verify_names_each_unmet_expectation() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.mount(MockRoute::new("GET", "/v1/models").reply(MockReply::json(200, "[]")));
    mock.mount(
        MockRoute::new("GET", "/v1/models/free")
            .reply_always(MockReply::json(200, "[]"))
            .expect_at_most(1),
    );
    mock.mount(MockRoute::new("DELETE", "/v1/templates/t").expect(1));
    client.models().free().unwrap();
    client.models().free().unwrap();
    let report = panic::catch_unwind(AssertUnwindSafe(|| mock.verify()))
        .expect_err("three unmet expectations");
    let report = report.downcast_ref::<String>().unwrap();
    assert!(
        report.contains("GET /v1/models: expected exactly 1 request(s), got 0"),
        "{report}"
    );
    assert!(
        report.contains("GET /v1/models/free: expected 0 to 1 request(s), got 2"),
        "{report}"
    );
    assert!(
        report.contains("DELETE /v1/templates/t: expected exactly 1 request(s), got 0"),
        "{report}"
    );
    // Dropping the server would check again; this test has seen what it wanted.
    std::mem::forget(mock);
}

#[test]
fn dropping_a_server_with_an_unused_reply_fails_the_test() {
    let outcome = panic::catch_unwind(|| {
        let mock = MockServer::start().unwrap();
        mock.mount(MockRoute::new("GET", "/v1/models").reply(MockReply::new(500)));
    });
    let report = outcome.expect_err("the drop checks the expectations");
    let report = report.downcast_ref::<String>().unwrap();
    assert!(report.contains("GET /v1/models"), "{report}");

    // A test that already panics is not made to panic twice.
    let outcome = panic::catch_unwind(|| {
        let mock = MockServer::start().unwrap();
        mock.mount(MockRoute::new("GET", "/v1/models").reply(MockReply::new(500)));
        panic!("the test's own failure");
    });
    let report = outcome.expect_err("the test's panic");
    assert_eq!(
        report.downcast_ref::<&str>(),
        Some(&"the test's own failure")
    );
}

#[test]
fn strict_mode_refuses_what_was_not_scripted() {
    let mock = MockServer::start_strict().unwrap();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    mock.mount(MockRoute::new("GET", "/v1/models").reply(MockReply::json(200, "[]")));
    assert!(
        client
            .models()
            .list(&Default::default())
            .unwrap()
            .is_empty()
    );
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.code(), &ErrorCode::Other("mock_unscripted".into()));
    assert!(
        err.message().contains("POST /v1/chat/completions"),
        "{}",
        err.message()
    );
    mock.enqueue(MockReply::json(200, "[]"));
    assert!(
        client.models().free().unwrap().is_empty(),
        "the queue still answers"
    );
}

#[test]
fn the_caller_s_request_id_and_the_version_are_echoed() {
    let mock = common::mock();
    let client = common::client(&mock);
    let view = client.with_options(RequestOptions::new().request_id("my-id_1.2:3"));
    let reply = view.chat().completions().create(&common::params()).unwrap();
    assert_eq!(reply.meta().unwrap().request_id(), Some("my-id_1.2:3"));
    assert_eq!(reply.meta().unwrap().api_version(), Some("2026-08"));

    mock.enqueue(MockReply::error(429, "rate_limit_exceeded", "slow down"));
    let err = client
        .with_options(RequestOptions::new().request_id("ticket-9").max_retries(0))
        .models()
        .list(&Default::default())
        .unwrap_err();
    assert_eq!(err.request_id(), Some("ticket-9"), "in the error body too");

    let pinned = common::builder(&mock)
        .api_version(Some("2026-09"))
        .build()
        .unwrap();
    let reply = pinned
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert_eq!(reply.meta().unwrap().api_version(), Some("2026-09"));

    // An id the gateway would ignore (sent as a raw header) gets the server's own.
    let meta = meshapi::MetaCapture::new();
    client
        .with_options(
            RequestOptions::new()
                .header("X-Request-Id", "has space")
                .capture_meta(&meta),
        )
        .models()
        .free()
        .unwrap();
    let id = meta.get().unwrap().request_id().unwrap().to_owned();
    assert!(id.starts_with("req_"), "{id}");
    assert_eq!(
        mock.requests().last().unwrap().header("x-request-id"),
        Some("has space")
    );
}

#[test]
fn recorded_requests_can_be_built_for_unit_tests() {
    let request = RecordedRequest::new("POST", "/v1/x?a=1", &[("X-A", "b")], "{}");
    assert_eq!(request.query, "a=1");
    assert_eq!(request.header("x-a"), Some("b"));
    assert_eq!(request.body_json(), Some(serde_json::json!({})));
}

#[test]
fn an_unserved_version_is_refused_and_the_versions_are_listed() {
    let mock = common::mock();
    let old = common::builder(&mock)
        .api_version(Some("1999-01"))
        .build()
        .unwrap();
    let err = old.models().list(&Default::default()).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidApiVersion);
    assert_eq!(err.supported_versions(), ["2026-08", "2026-09"]);

    let versions = common::client(&mock).api_versions().unwrap();
    let labels: Vec<_> = versions.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["2026-08", "2026-09"]);
    assert!(versions[0].baseline && versions[1].latest);
}

#[test]
fn gateway_headers_can_be_scripted() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.mount(
        MockRoute::new("POST", "/v1/chat/completions").reply(
            MockReply::json(200, common::FIXTURE_RESPONSE)
                .header("X-Mesh-Routing-Attempts", "2")
                .header("X-Cache", "HIT")
                .header("Sunset", "Thu, 01 Jan 2027 00:00:00 GMT")
                .header("X-RateLimit-Remaining-Requests", "9")
                .delay(Duration::from_millis(1)),
        ),
    );
    let meta = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap()
        .meta()
        .cloned()
        .unwrap();
    assert_eq!(meta.routing_attempts(), Some(2));
    assert!(meta.cache_hit());
    assert!(meta.sunset().is_some());
    assert_eq!(meta.header("x-ratelimit-remaining-requests"), Some("9"));
    mock.verify();
}
