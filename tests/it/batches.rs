//! batches: what the server received and what the caller got.

use meshapi::mock::{MockReply, MockServer};
use meshapi::types::batches::{BatchObject, BatchRequest, CreateBatchParams, ListBatchesParams};
use meshapi::{ChatCompletionParams, ChatMessage, ErrorCode};
use serde_json::{Value, json};

use crate::common::{self, TOKEN};

const FIXTURE: &str = include_str!("../fixtures/go_batch_completed.json");

/// The golden batch plus a field this crate does not know.
fn fixture_with_extra() -> String {
    let mut batch: Value = serde_json::from_str(FIXTURE).unwrap();
    batch["priority"] = json!("low");
    batch.to_string()
}

fn assert_is_golden(batch: &BatchObject) {
    assert_eq!(batch.id, "batch_abc123");
    assert_eq!(batch.object.as_deref(), Some("batch"));
    assert_eq!(batch.status.as_deref(), Some("completed"));
    assert_eq!(batch.endpoint.as_deref(), Some("/v1/chat/completions"));
    assert_eq!(batch.input_file_id.as_deref(), Some("file-input-abc"));
    assert_eq!(batch.output_file_id.as_deref(), Some("file-output-abc"));
    assert_eq!(batch.error_file_id, None);
    assert_eq!(batch.created_at, Some(1710000000));
    assert_eq!(batch.completed_at, Some(1710003600));
    assert_eq!(batch.expires_at, Some(1710086400));
    assert_eq!(batch.completion_window.as_deref(), Some("24h"));
    let counts = batch.request_counts.as_ref().unwrap();
    assert_eq!((counts.total, counts.completed, counts.failed), (2, 2, 0));
    assert_eq!(batch.metadata, Some(json!({"job": "batch-test"})));
    assert_eq!(batch.results.len(), 2);
    assert_eq!(batch.results[1].custom_id, "req-2");
    let response = batch.results[1].response.as_ref().unwrap();
    assert_eq!(response.status_code, 200);
    assert_eq!(response.body, json!({"id": "chatcmpl-2"}));
    assert!(batch.errors_detail.is_empty());
    assert_eq!(batch.model, None);
    assert_eq!(batch.usage_synced, None);
}

fn ask(custom_id: &str, question: &str) -> BatchRequest {
    BatchRequest::new(
        custom_id,
        ChatCompletionParams::new("openai/gpt-5-nano", vec![ChatMessage::user(question)]),
    )
}

#[test]
fn create_posts_the_requests_and_decodes_the_golden_batch() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, fixture_with_extra()));
    let params = CreateBatchParams::new([
        ask("req-1", "What is 2 + 2?"),
        BatchRequest::from_json("req-2", json!({"model": "m", "messages": []}))
            .method("POST")
            .url("/v1/chat/completions"),
    ])
    .completion_window("24h")
    .metadata(json!({"job": "batch-test"}));
    let batch = client.batches().create(&params).unwrap();
    assert_is_golden(&batch);
    assert_eq!(batch.extra["priority"], "low");
    assert_eq!(batch.extra.len(), 1);

    let request = &mock.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/batches")
    );
    assert_eq!(request.query, "");
    assert_eq!(
        request.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "requests": [
                {"custom_id": "req-1", "body": {
                    "model": "openai/gpt-5-nano",
                    "messages": [{"role": "user", "content": "What is 2 + 2?"}]
                }},
                {"custom_id": "req-2", "method": "POST", "url": "/v1/chat/completions",
                 "body": {"model": "m", "messages": []}}
            ],
            "completion_window": "24h",
            "metadata": {"job": "batch-test"}
        })
    );
}

#[test]
fn get_and_cancel_use_the_encoded_id() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, fixture_with_extra()));
    let mut cancelling: Value = serde_json::from_str(FIXTURE).unwrap();
    cancelling["status"] = json!("cancelling");
    mock.enqueue(MockReply::json(200, cancelling.to_string()));

    let batch = client.batches().get("batch_abc123").unwrap();
    assert_is_golden(&batch);
    assert_eq!(batch.extra["priority"], "low");
    let batch = client.batches().cancel("batch/abc 123").unwrap();
    assert_eq!(batch.status.as_deref(), Some("cancelling"));

    let requests = mock.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/batches/batch_abc123");
    assert!(requests[0].body.is_empty());
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].path, "/v1/batches/batch%2Fabc%20123/cancel");
    assert_eq!(requests[1].body, b"{}");
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    assert_eq!(
        requests[1].header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
}

#[test]
fn ids_stay_one_path_segment() {
    let mock = common::mock();
    let client = common::client(&mock);
    let cases = [
        ("a/b", "/v1/batches/a%2Fb"),
        ("x?y=1", "/v1/batches/x%3Fy%3D1"),
        ("frag#1", "/v1/batches/frag%231"),
        ("..", "/v1/batches/%2E%2E"),
        ("with space", "/v1/batches/with%20space"),
    ];
    for (id, _) in cases {
        let err = client.batches().get(id).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::NotFound, "{id}");
    }
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    let want: Vec<&str> = cases.iter().map(|(_, path)| *path).collect();
    assert_eq!(paths, want);
    assert!(mock.requests().iter().all(|r| r.query.is_empty()));

    let err = client.batches().cancel("").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert_eq!(
        mock.requests().len(),
        cases.len(),
        "an empty id is never sent"
    );
}

#[test]
fn list_sends_after_and_limit_and_decodes_the_page() {
    let mock = common::mock();
    let client = common::client(&mock);
    let golden: Value = serde_json::from_str(FIXTURE).unwrap();
    mock.enqueue(MockReply::json(
        200,
        json!({"object": "list", "data": [golden], "has_more": true,
               "first_id": "batch_abc123", "last_id": "batch_abc123", "url": "/v1/batches"})
        .to_string(),
    ));
    mock.enqueue(MockReply::json(
        200,
        json!({"object": "list", "data": [], "has_more": false}).to_string(),
    ));
    let page = client
        .batches()
        .list(&ListBatchesParams::new().after("batch 0/1").limit(1))
        .unwrap();
    assert_eq!(page.object, "list");
    assert!(page.has_more);
    assert_is_golden(&page.data[0]);
    assert_eq!(page.first_id.as_deref(), Some("batch_abc123"));
    assert_eq!(page.last_id.as_deref(), Some("batch_abc123"));
    assert_eq!(page.extra["url"], "/v1/batches");

    let empty = client.batches().list(&ListBatchesParams::new()).unwrap();
    assert!(empty.data.is_empty() && !empty.has_more);
    assert_eq!(empty.last_id, None);

    let requests = mock.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/batches");
    assert_eq!(requests[0].query, "after=batch%200%2F1&limit=1");
    assert_eq!(requests[1].query, "");
}

#[test]
fn paginate_follows_last_id_and_stops_at_the_end() {
    let mock = common::mock();
    let client = common::client(&mock);
    // Two created batches on top of the three seeded ones.
    for id in ["a", "b"] {
        client
            .batches()
            .create(&CreateBatchParams::new([ask(id, "Hi")]))
            .unwrap();
    }
    let before = mock.requests().len();
    let mut pager = client
        .batches()
        .paginate(&ListBatchesParams::new().limit(2));
    let ids: Vec<String> = pager.by_ref().map(|b| b.unwrap().id).collect();
    assert_eq!(
        ids,
        [
            "batch_mock2",
            "batch_mock1",
            "batch_seed3",
            "batch_seed2",
            "batch_seed1"
        ]
    );
    assert_eq!(pager.pages_fetched(), 3);
    let queries: Vec<String> = mock.requests()[before..]
        .iter()
        .map(|r| r.query.clone())
        .collect();
    assert_eq!(
        queries,
        [
            "limit=2",
            "after=batch_mock1&limit=2",
            "after=batch_seed2&limit=2"
        ]
    );
}

#[test]
fn paginate_uses_the_last_item_when_last_id_is_missing() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({"object": "list", "data": [{"id": "b1"}, {"id": "b2"}], "has_more": true})
            .to_string(),
    ));
    mock.enqueue(MockReply::json(
        200,
        json!({"object": "list", "data": [{"id": "b3"}], "has_more": false, "last_id": "b3"})
            .to_string(),
    ));
    let ids: Vec<String> = client
        .batches()
        .paginate(&ListBatchesParams::new().after("b0"))
        .map(|b| b.unwrap().id)
        .collect();
    assert_eq!(ids, ["b1", "b2", "b3"]);
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].query, "after=b0");
    assert_eq!(requests[1].query, "after=b2");
}

#[test]
fn the_default_routes_run_a_batch_through_its_lifecycle() {
    let mock = MockServer::start().unwrap();
    let client = common::client(&mock);
    let created = client
        .batches()
        .create(
            &CreateBatchParams::new([ask("q1", "What is 2 + 2?"), ask("q2", "Ping?")])
                .metadata(json!({"job": "demo"})),
        )
        .unwrap();
    assert_eq!(created.status.as_deref(), Some("validating"));
    assert_eq!(created.request_counts.as_ref().unwrap().total, 2);
    assert_eq!(created.model.as_deref(), Some("openai/gpt-5-nano"));
    assert_eq!(created.metadata, Some(json!({"job": "demo"})));
    assert!(created.results.is_empty());
    assert!(created.extra.is_empty(), "{:?}", created.extra);

    let batches = client.batches();
    assert_eq!(
        batches.get(&created.id).unwrap().status.as_deref(),
        Some("validating")
    );
    let done = batches.get(&created.id).unwrap();
    assert_eq!(done.status.as_deref(), Some("completed"));
    assert_eq!(done.request_counts.as_ref().unwrap().completed, 2);
    let second = done.results[1].response.as_ref().unwrap();
    assert_eq!(done.results[1].custom_id, "q2");
    assert_eq!(second.status_code, 200);
    assert_eq!(
        second.body["choices"][0]["message"]["content"],
        format!("{}Ping?", meshapi::mock::DEFAULT_REPLY_PREFIX)
    );

    let err = batches.cancel(&created.id).unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.code(), &ErrorCode::Conflict);
    assert!(
        err.message().contains("already completed"),
        "{}",
        err.message()
    );
    assert!(err.request_id().is_some());

    let other = batches
        .create(&CreateBatchParams::new([ask("q", "Hi")]))
        .unwrap();
    assert_eq!(
        batches.cancel(&other.id).unwrap().status.as_deref(),
        Some("cancelling")
    );
    assert_eq!(
        batches.get(&other.id).unwrap().status.as_deref(),
        Some("cancelling")
    );
    assert_eq!(
        batches.get(&other.id).unwrap().status.as_deref(),
        Some("cancelled")
    );

    let page = batches.list(&ListBatchesParams::new()).unwrap();
    assert_eq!(page.data.len(), 5);
    assert_eq!(page.first_id.as_deref(), Some(other.id.as_str()));
    assert!(!page.has_more);
}

#[test]
fn unknown_ids_and_bad_bodies_map_to_errors() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client.batches().get("batch_missing").unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.message(), "Batch batch_missing not found");

    let err = client
        .batches()
        .create(&CreateBatchParams::new([]))
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.details()[0]["loc"], json!(["body", "requests"]));

    mock.enqueue(MockReply::error(429, "rate_limit_exceeded", "Slow down."));
    let batch = client.batches().get("batch_seed1").unwrap();
    assert_eq!(
        batch.status.as_deref(),
        Some("completed"),
        "retried after the 429"
    );
}
