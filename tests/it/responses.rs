//! responses: what the server received and what the caller got.

use meshapi::mock::{DEFAULT_REPLY_PREFIX, MockReply};
use meshapi::types::responses::{ListResponsesParams, ResponseParams, ResponseStreamEvent};
use meshapi::{ErrorCode, MeshApiError};
use serde_json::json;

use crate::common::{self, TOKEN};

#[test]
fn create_sends_stream_false_and_decodes_the_reply() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({
            "id": "resp_abc", "object": "response", "model": "openai/gpt-4o-mini",
            "status": "completed", "created_at": 1712345678,
            "output": [
                {"type": "reasoning", "id": "rs_1", "summary": []},
                {"type": "message", "id": "msg_1", "role": "assistant", "content": [
                    {"type": "output_text", "text": "Crab shells ", "annotations": []},
                    {"type": "output_text", "text": "never rust.", "annotations": []}
                ]}
            ],
            "usage": {"input_tokens": 12, "output_tokens": 5, "total_tokens": 17,
                      "completion_tokens_details": {"reasoning_tokens": 2},
                      "classifier_tokens": 3}
        })
        .to_string(),
    ));
    let params = ResponseParams::new("Write a haiku about Rust.")
        .model("openai/gpt-4o-mini")
        .instructions("Be brief.")
        .max_output_tokens(64)
        .temperature(0.3)
        .store(true)
        .tools([json!({"type": "function", "name": "lookup", "strict": true})]);
    let reply = client.responses().create(&params).unwrap();

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/responses");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "input": "Write a haiku about Rust.",
            "model": "openai/gpt-4o-mini",
            "instructions": "Be brief.",
            "max_output_tokens": 64,
            "temperature": 0.3,
            "store": true,
            "tools": [{"type": "function", "name": "lookup", "strict": true}],
            "stream": false
        })
    );

    assert_eq!(reply.id.as_deref(), Some("resp_abc"));
    assert_eq!(reply.object.as_deref(), Some("response"));
    assert_eq!(reply.model.as_deref(), Some("openai/gpt-4o-mini"));
    assert_eq!(reply.status.as_deref(), Some("completed"));
    assert_eq!(reply.output.len(), 2);
    assert_eq!(reply.output_text(), "Crab shells never rust.");
    let usage = reply.usage.unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens, usage.total_tokens),
        (Some(12), Some(5), Some(17))
    );
    assert_eq!(usage.classifier_tokens, Some(3));
    assert_eq!(
        usage.completion_tokens_details,
        Some(json!({"reasoning_tokens": 2}))
    );
    assert_eq!(reply.extra["created_at"], 1712345678);
}

#[test]
fn default_route_echoes_string_and_item_inputs() {
    let mock = common::mock();
    let client = common::client(&mock);
    let reply = client
        .responses()
        .create(&ResponseParams::new("Ping?"))
        .unwrap();
    assert_eq!(reply.id.as_deref(), Some("resp_mock1"));
    assert_eq!(reply.status.as_deref(), Some("completed"));
    assert_eq!(reply.model.as_deref(), Some(meshapi::mock::DEFAULT_MODEL));
    assert_eq!(reply.output_text(), format!("{DEFAULT_REPLY_PREFIX}Ping?"));
    assert!(reply.usage.unwrap().total_tokens.unwrap() > 0);

    let items = vec![
        json!({"role": "user", "content": "first"}),
        json!({"role": "assistant", "content": "ok"}),
        json!({"role": "user", "content": [{"type": "input_text", "text": "second"}]}),
    ];
    let reply = client
        .responses()
        .create(&ResponseParams::new(items.clone()).model("meta/llama"))
        .unwrap();
    assert_eq!(reply.output_text(), format!("{DEFAULT_REPLY_PREFIX}second"));
    assert_eq!(reply.model.as_deref(), Some("meta/llama"));
    assert_eq!(
        mock.requests()[1].body_json().unwrap()["input"],
        json!(items)
    );
}

#[test]
fn stream_sends_stream_true_and_yields_opaque_events() {
    let mock = common::mock();
    let client = common::client(&mock);
    let events: Vec<ResponseStreamEvent> = client
        .responses()
        .stream(&ResponseParams::new("Ping?"))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(mock.requests()[0].body_json().unwrap()["stream"], true);

    let types: Vec<&str> = events
        .iter()
        .map(|e| e.r#type.as_deref().unwrap())
        .collect();
    assert_eq!(types.first(), Some(&"response.created"));
    assert_eq!(types.last(), Some(&"response.completed"));
    let text: String = events
        .iter()
        .filter(|e| e.r#type.as_deref() == Some("response.output_text.delta"))
        .map(|e| e.delta.as_deref().unwrap())
        .collect();
    let expected = format!("{DEFAULT_REPLY_PREFIX}Ping?");
    assert_eq!(text, expected);
    assert_eq!(
        events[0].response.as_ref().unwrap()["status"],
        "in_progress"
    );
    let completed = events.last().unwrap().response.as_ref().unwrap();
    assert_eq!(completed["status"], "completed");
    assert_eq!(
        completed["output"][0]["content"][0]["text"],
        expected.as_str()
    );
    assert_eq!(events[1].extra["output_index"], 0);
}

#[test]
fn an_unsupported_model_refuses_the_stream_with_501() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(
        501,
        "not_implemented",
        "Streaming is not supported for this model.",
    ));
    let mut stream = client.responses().stream(&ResponseParams::new("Hi"));
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Other("not_implemented".into()));
    assert_eq!(err.status(), Some(501));
    assert_eq!(err.message(), "Streaming is not supported for this model.");
    assert!(stream.next().is_none());
}

#[test]
fn list_sends_the_query_and_decodes_the_page() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({
            "object": "list",
            "data": [{"id": "resp_2", "object": "response", "model": "openai/gpt-4o",
                      "provider": "openai", "status": "completed", "created_at": 1712345600,
                      "completed_at": 1712345610, "usage_synced": false, "cost": "0.002"}],
            "has_more": true, "first_id": "resp_2", "last_id": "resp_2", "cursor_kind": "id"
        })
        .to_string(),
    ));
    mock.enqueue(MockReply::json(
        200,
        json!({"object": "list", "data": []}).to_string(),
    ));
    let page = client
        .responses()
        .list(&ListResponsesParams::new().after("resp 1/x").limit(1))
        .unwrap();
    let empty = client
        .responses()
        .list(&ListResponsesParams::new())
        .unwrap();

    let requests = mock.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/responses");
    assert_eq!(requests[0].query, "after=resp%201%2Fx&limit=1");
    assert_eq!(requests[1].query, "");

    let job = &page.data[0];
    assert_eq!(job.id, "resp_2");
    assert_eq!(job.object.as_deref(), Some("response"));
    assert_eq!(job.model.as_deref(), Some("openai/gpt-4o"));
    assert_eq!(job.provider.as_deref(), Some("openai"));
    assert_eq!(job.status.as_deref(), Some("completed"));
    assert_eq!(job.created_at, Some(1712345600));
    assert_eq!(job.completed_at, Some(1712345610));
    assert_eq!(job.usage_synced, Some(false));
    assert_eq!(job.extra["cost"], "0.002");
    assert!(page.has_more);
    assert_eq!(page.object.as_deref(), Some("list"));
    assert_eq!(page.first_id.as_deref(), Some("resp_2"));
    assert_eq!(page.last_id.as_deref(), Some("resp_2"));
    assert_eq!(page.extra["cursor_kind"], "id");
    assert!(empty.data.is_empty());
    assert!(!empty.has_more);
}

#[test]
fn background_jobs_are_listed_paginated_and_fetched() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut ids = Vec::new();
    for i in 0..5 {
        let params = ResponseParams::new(format!("job {i}")).background(true);
        ids.push(client.responses().create(&params).unwrap().id.unwrap());
    }
    // Not a background job: neither listed nor retrievable.
    let sync = client
        .responses()
        .create(&ResponseParams::new("now"))
        .unwrap();

    let before = mock.requests().len();
    let mut pager = client
        .responses()
        .paginate(&ListResponsesParams::new().limit(2));
    let listed: Vec<String> = pager.by_ref().map(|job| job.unwrap().id).collect();
    assert_eq!(listed, ids);
    assert_eq!(pager.pages_fetched(), 3);
    let queries: Vec<String> = mock.requests()[before..]
        .iter()
        .map(|r| r.query.clone())
        .collect();
    assert_eq!(
        queries,
        [
            "limit=2".to_owned(),
            format!("after={}&limit=2", ids[1]),
            format!("after={}&limit=2", ids[3]),
        ]
    );

    let page = client
        .responses()
        .list(&ListResponsesParams::new().after(&ids[3]))
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.first_id.as_deref(), Some(ids[4].as_str()));
    assert!(!page.has_more);
    assert_eq!(page.data[0].status.as_deref(), Some("completed"));
    assert_eq!(page.data[0].usage_synced, Some(true));

    let fetched = client.responses().get(&ids[2]).unwrap();
    assert_eq!(fetched.id.as_deref(), Some(ids[2].as_str()));
    assert_eq!(
        fetched.output_text(),
        format!("{DEFAULT_REPLY_PREFIX}job 2")
    );
    assert_eq!(fetched.extra["background"], true);

    let err: MeshApiError = client
        .responses()
        .get(sync.id.as_deref().unwrap())
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.message(),
        format!("Response {} not found", sync.id.unwrap())
    );
}

#[test]
fn paginate_stops_when_has_more_is_false_and_falls_back_to_the_last_item() {
    let mock = common::mock();
    let client = common::client(&mock);
    // No `last_id` on the first page: the cursor is the last item's id.
    mock.enqueue(MockReply::json(
        200,
        json!({"data": [{"id": "r1"}, {"id": "r2"}], "has_more": true}).to_string(),
    ));
    mock.enqueue(MockReply::json(
        200,
        json!({"data": [{"id": "r3"}], "has_more": false, "last_id": "r3"}).to_string(),
    ));
    let ids: Vec<String> = client
        .responses()
        .paginate(&ListResponsesParams::new().after("r0"))
        .map(|job| job.unwrap().id)
        .collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].query, "after=r0");
    assert_eq!(requests[1].query, "after=r2");
}

#[test]
fn get_encodes_the_id_as_one_segment() {
    let mock = common::mock();
    let client = common::client(&mock);
    let cases = [
        ("resp_abc123", "/v1/responses/resp_abc123"),
        ("a/b", "/v1/responses/a%2Fb"),
        ("x?y#z", "/v1/responses/x%3Fy%23z"),
        ("..", "/v1/responses/%2E%2E"),
        ("has space", "/v1/responses/has%20space"),
    ];
    for (id, _) in cases {
        mock.enqueue(MockReply::json(200, json!({"id": id}).to_string()));
        let reply = client.responses().get(id).unwrap();
        assert_eq!(reply.id.as_deref(), Some(id));
    }
    let requests = mock.requests();
    for ((_, path), request) in cases.iter().zip(&requests) {
        assert_eq!(request.method, "GET");
        assert_eq!(&request.path, path);
        assert_eq!(request.query, "");
    }

    let err = client.responses().get("").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert_eq!(
        mock.requests().len(),
        cases.len(),
        "an empty id is never sent"
    );
}

#[test]
fn default_get_of_an_unknown_id_is_a_fastapi_404() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client.responses().get("resp/../missing").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), "Response resp/../missing not found");
    assert_eq!(mock.requests()[0].path, "/v1/responses/resp%2F..%2Fmissing");
}

#[test]
fn unknown_usage_fields_are_kept_in_extra() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({
            "id": "resp_1", "status": "completed",
            "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3,
                      "input_tokens_details": {"cached_tokens": 1}}
        })
        .to_string(),
    ));
    let reply = client.responses().get("resp_1").unwrap();
    let usage = reply.usage.unwrap();
    assert_eq!(usage.total_tokens, Some(3));
    assert_eq!(
        usage.extra["input_tokens_details"],
        json!({"cached_tokens": 1})
    );
    assert_eq!(usage.extra.len(), 1);
}
