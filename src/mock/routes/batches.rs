//! Default answers for `/v1/batches` (batch jobs), remembered per server.
//!
//! Three finished batches are seeded. A created batch is `validating`; the first GET still
//! shows it so and then finishes it, so later GETs show it `completed` with one result per
//! request. A cancelled batch likewise goes from `cancelling` to `cancelled`. Lists are newest
//! first.

use serde_json::{Value, json};

use super::{State, decode, invalid_field, not_found, ok, query_value};
use crate::mock::{DEFAULT_MODEL, DEFAULT_REPLY_PREFIX, MockReply, RecordedRequest, text_of};

const PREFIX: &str = "/v1/batches";
/// `created_at` of the first seeded batch; later batches are a minute apart.
const EPOCH: i64 = 1_712_000_000;
const SEEDED: usize = 3;
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 100;

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    let rest = request.path.strip_prefix(PREFIX)?;
    if !rest.is_empty() && !rest.starts_with('/') {
        return None;
    }
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
    let reply = match (request.method.as_str(), segments.as_slice()) {
        ("POST", []) => create(request, state),
        ("GET", []) => list(&request.query, state),
        ("GET", [id]) => get(&decode(id), state),
        ("POST", [id, "cancel"]) => cancel(&decode(id), state),
        _ => return None,
    };
    Some(reply)
}

/// The remembered batches, newest first, seeded on first use.
fn with_batches<R>(state: &State, f: impl FnOnce(&mut Vec<Value>) -> R) -> R {
    state.with("batches", |store| {
        if !store.is_array() {
            *store = Value::Array((1..=SEEDED).rev().map(seeded).collect());
        }
        match store {
            Value::Array(batches) => f(batches),
            _ => f(&mut Vec::new()),
        }
    })
}

/// `created_at` of the `n`th batch (1-based), a minute after the one before.
fn created_at(n: usize) -> i64 {
    let minutes = i64::try_from(n).unwrap_or(i64::MAX).saturating_mul(60);
    EPOCH.saturating_add(minutes)
}

fn seeded(n: usize) -> Value {
    let created = created_at(n);
    json!({
        "id": format!("batch_seed{n}"),
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "input_file_id": format!("file-input-seed{n}"),
        "output_file_id": format!("file-output-seed{n}"),
        "error_file_id": null,
        "status": "completed",
        "model": "openai/gpt-5-nano",
        "provider": "openai",
        "created_at": created,
        "completed_at": created.saturating_add(30),
        "expires_at": created.saturating_add(86_400),
        "usage_synced": true,
        "completion_window": "24h",
        "request_counts": {"total": 1, "completed": 1, "failed": 0},
        "metadata": {"seeded": "true"},
        "results": [result("req-1", "openai/gpt-5-nano", "seeded", created)],
        "errors_detail": [],
    })
}

/// One batch result: the answer the default chat route would have given.
fn result(custom_id: &str, model: &str, said: &str, created: i64) -> Value {
    json!({
        "custom_id": custom_id,
        "response": {
            "status_code": 200,
            "body": {
                "id": format!("chatcmpl-{custom_id}"),
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": format!("{DEFAULT_REPLY_PREFIX}{said}")},
                    "finish_reason": "stop",
                }],
            },
        },
    })
}

fn create(request: &RecordedRequest, state: &State) -> MockReply {
    let body = request.body_json().unwrap_or(Value::Null);
    let Some(requests) = body["requests"].as_array().filter(|r| !r.is_empty()) else {
        return invalid_field("requests", "Field required (a non-empty list)");
    };
    for (i, item) in requests.iter().enumerate() {
        if !item["custom_id"].is_string() || !item["body"].is_object() {
            return invalid_field(
                &format!("requests.{i}"),
                "custom_id (string) and body (object) are required",
            );
        }
    }
    let model = requests[0]["body"]["model"]
        .as_str()
        .unwrap_or(DEFAULT_MODEL)
        .to_owned();
    let id = state.next_id("batch_mock");
    with_batches(state, |batches| {
        let created = created_at(batches.len().saturating_add(1));
        let batch = json!({
            "id": id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "input_file_id": format!("file-input-{id}"),
            "output_file_id": null,
            "error_file_id": null,
            "status": "validating",
            "model": model,
            "provider": "openai",
            "created_at": created,
            "completed_at": null,
            "expires_at": created.saturating_add(86_400),
            "usage_synced": false,
            "completion_window": body["completion_window"].as_str().unwrap_or("24h"),
            "request_counts": {"total": requests.len(), "completed": 0, "failed": 0},
            "metadata": body.get("metadata").cloned().unwrap_or(Value::Null),
            "results": [],
            "errors_detail": [],
            // Kept for producing results; removed from every answer.
            "_requests": requests,
        });
        let reply = ok(&public(&batch));
        batches.insert(0, batch);
        reply
    })
}

/// The batch as the gateway shows it, without the mock's own bookkeeping.
fn public(batch: &Value) -> Value {
    let mut batch = batch.clone();
    if let Some(fields) = batch.as_object_mut() {
        fields.remove("_requests");
    }
    batch
}

fn get(id: &str, state: &State) -> MockReply {
    with_batches(state, |batches| {
        let Some(batch) = batches.iter_mut().find(|b| b["id"] == id) else {
            return not_found(&format!("Batch {id}"));
        };
        let reply = ok(&public(batch));
        advance(batch);
        reply
    })
}

/// Moves a batch one step on, as the provider would between two polls.
fn advance(batch: &mut Value) {
    match batch["status"].as_str() {
        Some("validating" | "in_progress") => complete(batch),
        Some("cancelling") => {
            batch["status"] = json!("cancelled");
            let created = batch["created_at"].as_i64().unwrap_or(EPOCH);
            batch["completed_at"] = json!(created.saturating_add(30));
        }
        _ => {}
    }
}

fn complete(batch: &mut Value) {
    let created = batch["created_at"].as_i64().unwrap_or(EPOCH);
    let model = batch["model"].as_str().unwrap_or(DEFAULT_MODEL).to_owned();
    let results: Vec<Value> = batch["_requests"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|request| {
            let said = request["body"]["messages"]
                .as_array()
                .and_then(|messages| messages.iter().rev().find(|m| m["role"] == "user"))
                .map(text_of)
                .unwrap_or_default();
            let custom_id = request["custom_id"].as_str().unwrap_or_default();
            result(custom_id, &model, &said, created.saturating_add(30))
        })
        .collect();
    let id = batch["id"].as_str().unwrap_or_default().to_owned();
    batch["request_counts"]["completed"] = json!(results.len());
    batch["results"] = Value::Array(results);
    batch["status"] = json!("completed");
    batch["completed_at"] = json!(created.saturating_add(30));
    batch["output_file_id"] = json!(format!("file-output-{id}"));
    batch["usage_synced"] = json!(true);
}

fn cancel(id: &str, state: &State) -> MockReply {
    with_batches(state, |batches| {
        let Some(batch) = batches.iter_mut().find(|b| b["id"] == id) else {
            return not_found(&format!("Batch {id}"));
        };
        match batch["status"].as_str() {
            Some(status @ ("completed" | "failed" | "expired" | "cancelled")) => MockReply::error(
                409,
                "conflict",
                &format!("Batch {id} is already {status} and cannot be cancelled."),
            ),
            _ => {
                batch["status"] = json!("cancelling");
                ok(&public(batch))
            }
        }
    })
}

fn list(query: &str, state: &State) -> MockReply {
    let limit = match query_value(query, "limit").map(|l| l.parse::<usize>()) {
        None => DEFAULT_LIMIT,
        Some(Ok(limit)) if (1..=MAX_LIMIT).contains(&limit) => limit,
        Some(_) => {
            return MockReply::json(
                422,
                json!({"detail": [{
                    "type": "less_than_equal", "loc": ["query", "limit"],
                    "msg": format!("Input should be an integer from 1 to {MAX_LIMIT}"),
                }]})
                .to_string(),
            );
        }
    };
    let after = query_value(query, "after");
    with_batches(state, |batches| {
        let start = match &after {
            None => 0,
            // An unknown cursor gives an empty page rather than starting over.
            Some(after) => batches
                .iter()
                .position(|b| b["id"] == after.as_str())
                .map_or(batches.len(), |i| i + 1),
        };
        let page: Vec<Value> = batches.iter().skip(start).take(limit).map(public).collect();
        // `page` is taken from `batches[start..]`, so the sum is at most `batches.len()`.
        let has_more = start + page.len() < batches.len();
        ok(&json!({
            "object": "list",
            "first_id": page.first().map(|b| b["id"].clone()),
            "last_id": page.last().map(|b| b["id"].clone()),
            "has_more": has_more,
            "data": page,
        }))
    })
}
