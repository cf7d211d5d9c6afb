//! Default answers for the Responses API: `POST /v1/responses` (whole or streamed),
//! `GET /v1/responses` (background jobs) and `GET /v1/responses/{id}`.

use serde_json::{Map, Value, json};

use super::compare::words;
use super::{State, decode, not_found, ok, query_value};
use crate::mock::{
    CREATED, DEFAULT_MODEL, DEFAULT_REPLY_PREFIX, MAX_ECHO_CHARS, MockReply, RecordedRequest,
    text_of, validation_error,
};

const PREFIX: &str = "/v1/responses";
/// The key of this module's memory in [`State`].
const MEMORY: &str = "responses";
/// The page size of `GET /v1/responses` without a `limit`.
const DEFAULT_LIMIT: usize = 20;

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    match (request.method.as_str(), request.path.as_str()) {
        ("POST", PREFIX) => Some(create(request, state)),
        ("GET", PREFIX) => Some(list(&request.query, state)),
        ("GET", path) => {
            let id = path.strip_prefix(PREFIX)?.strip_prefix('/')?;
            (!id.is_empty() && !id.contains('/')).then(|| get(&decode(id), state))
        }
        _ => None,
    }
}

fn create(request: &RecordedRequest, state: &State) -> MockReply {
    let Some(body) = request.body_json() else {
        return validation_error(
            json!({"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"}),
        );
    };
    let said = match &body["input"] {
        Value::String(text) => text.clone(),
        Value::Array(items) => items
            .iter()
            .rev()
            .find(|item| item["role"] == "user")
            .map(text_of)
            .unwrap_or_default(),
        Value::Null => {
            return validation_error(
                json!({"type": "missing", "loc": ["body", "input"], "msg": "Field required"}),
            );
        }
        _ => {
            return validation_error(json!({
                "type": "union_type", "loc": ["body", "input"],
                "msg": "Input should be a valid string or a valid list"
            }));
        }
    };
    let said: String = said.chars().take(MAX_ECHO_CHARS).collect();
    let text = format!("{DEFAULT_REPLY_PREFIX}{said}");
    let id = state.next_id("resp_mock");
    let model = body["model"].as_str().unwrap_or(DEFAULT_MODEL);
    let input_tokens = said.split_whitespace().count();
    let output_tokens = words(&text).len();
    let response = json!({
        "id": id,
        "object": "response",
        "created_at": CREATED,
        "status": "completed",
        "model": model,
        "output": [{
            "type": "message",
            "id": format!("msg_{id}"),
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": text, "annotations": []}],
        }],
        "usage": {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "total_tokens": input_tokens.saturating_add(output_tokens),
        },
        "background": body["background"] == true,
    });
    if body["background"] == true {
        remember(state, &response);
    }
    if body["stream"] == true {
        stream(&response, &text)
    } else {
        ok(&response)
    }
}

/// `response.created`, one `response.output_text.delta` per word, `response.completed`, each
/// with its `type` also on the `event:` line, then `[DONE]`.
fn stream(response: &Value, text: &str) -> MockReply {
    let mut created = response.clone();
    created["status"] = json!("in_progress");
    created["output"] = json!([]);
    created["usage"] = Value::Null;
    let item_id = response["output"][0]["id"].clone();
    let mut reply = event(
        MockReply::sse(),
        json!({"type": "response.created", "sequence_number": 0, "response": created}),
    );
    let mut sequence = 1;
    for word in words(text) {
        reply = event(
            reply,
            json!({
                "type": "response.output_text.delta", "sequence_number": sequence,
                "item_id": item_id, "output_index": 0, "content_index": 0, "delta": word,
            }),
        );
        sequence += 1;
    }
    event(
        reply,
        json!({"type": "response.completed", "sequence_number": sequence, "response": response}),
    )
    .done()
}

fn event(reply: MockReply, frame: Value) -> MockReply {
    let name = frame["type"].as_str().unwrap_or("message").to_owned();
    reply.raw(format!("event: {name}\ndata: {frame}\n\n"))
}

/// Keeps a background job: its list entry (in creation order) and its whole response.
fn remember(state: &State, response: &Value) {
    let model = response["model"].as_str().unwrap_or(DEFAULT_MODEL);
    let job = json!({
        "id": response["id"],
        "object": "response",
        "model": model,
        "provider": model.split_once('/').map_or("mock", |(brand, _)| brand),
        "status": "completed",
        "created_at": CREATED,
        "completed_at": CREATED + 2,
        "usage_synced": true,
    });
    state.with(MEMORY, |memory| {
        if !memory.is_object() {
            *memory = json!({"jobs": [], "bodies": {}});
        }
        if let Some(jobs) = memory["jobs"].as_array_mut() {
            jobs.push(job);
        }
        if let (Some(bodies), Some(id)) =
            (memory["bodies"].as_object_mut(), response["id"].as_str())
        {
            bodies.insert(id.to_owned(), response.clone());
        }
    });
}

/// The jobs after `after` (none when it is unknown), `limit` at a time, oldest first.
fn list(query: &str, state: &State) -> MockReply {
    let limit = query_value(query, "limit")
        .and_then(|limit| limit.parse::<usize>().ok())
        .unwrap_or(DEFAULT_LIMIT);
    let after = query_value(query, "after");
    let jobs: Vec<Value> = state.with(MEMORY, |memory| {
        memory["jobs"].as_array().cloned().unwrap_or_default()
    });
    let start = match &after {
        None => 0,
        Some(after) => jobs
            .iter()
            .position(|job| job["id"] == after.as_str())
            .map_or(jobs.len(), |i| i + 1),
    };
    let rest = jobs.get(start..).unwrap_or_default();
    let page: Vec<Value> = rest.iter().take(limit).cloned().collect();
    let mut reply = Map::new();
    reply.insert("object".into(), json!("list"));
    reply.insert(
        "first_id".into(),
        page.first().map_or(Value::Null, |j| j["id"].clone()),
    );
    reply.insert(
        "last_id".into(),
        page.last().map_or(Value::Null, |j| j["id"].clone()),
    );
    reply.insert("has_more".into(), json!(rest.len() > page.len()));
    reply.insert("data".into(), Value::Array(page));
    ok(&Value::Object(reply))
}

fn get(id: &str, state: &State) -> MockReply {
    let found = state.with(MEMORY, |memory| memory["bodies"].get(id).cloned());
    match found {
        Some(response) => ok(&response),
        None => not_found(&format!("Response {id}")),
    }
}
