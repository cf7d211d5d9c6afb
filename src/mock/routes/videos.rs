//! Default answers for `/v1/video/generations`: generate, list, retrieve.
//!
//! Tasks live in the server's memory, seeded with two finished ones so that a plain list is not
//! empty. A new task is `queued`; its first retrieve finds it `running`, its second `succeeded`
//! with a `content.video_url`, so polling loops end.

use serde_json::{Map, Value, json};

use super::{State, decode, invalid_field, not_found, ok, query_value};
use crate::mock::{MockReply, RecordedRequest};

const PREFIX: &str = "/v1/video/generations";
const CREATED: i64 = 1_712_345_678;
const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 100;
const SEED_MODEL: &str = "byteplus/dreamina-seedance-2-0";

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    let rest = request.path.strip_prefix(PREFIX)?;
    match (request.method.as_str(), rest) {
        ("POST", "") => Some(generate(request, state)),
        ("GET", "") => Some(list(&request.query, state)),
        ("GET", id) => {
            let id = id.strip_prefix('/').filter(|id| !id.is_empty())?;
            Some(retrieve(&decode(id), state))
        }
        _ => None,
    }
}

/// The memory: `{"tasks": [task, …] (oldest first), "polls": {id: retrieves so far}}`.
fn with_tasks<R>(
    state: &State,
    f: impl FnOnce(&mut Vec<Value>, &mut Map<String, Value>) -> R,
) -> R {
    state.with("videos", |memory| {
        if memory.is_null() {
            *memory = json!({ "tasks": seeds(), "polls": {} });
        }
        let mut tasks = match memory["tasks"].take() {
            Value::Array(tasks) => tasks,
            _ => Vec::new(),
        };
        let mut polls = match memory["polls"].take() {
            Value::Object(polls) => polls,
            _ => Map::new(),
        };
        let result = f(&mut tasks, &mut polls);
        *memory = json!({ "tasks": tasks, "polls": polls });
        result
    })
}

fn seeds() -> Value {
    json!([
        {
            "id": "cgt-mock-seed-1", "model": SEED_MODEL, "status": "succeeded",
            "created_at": CREATED - 7200, "updated_at": CREATED - 7080,
            "content": { "video_url": video_url("cgt-mock-seed-1") },
            "seed": 42, "duration": 5, "framespersecond": 24, "resolution": "720p",
            "ratio": "16:9", "service_tier": "default", "execution_expires_after": 172_800,
            "generate_audio": true, "draft": false,
            "usage": { "completion_tokens": 108_900, "total_tokens": 108_900 },
        },
        {
            "id": "cgt-mock-seed-2", "model": SEED_MODEL, "status": "failed",
            "created_at": CREATED - 3600, "updated_at": CREATED - 3590,
            "error": {
                "code": "InputTextSensitiveContentDetected",
                "message": "The request failed because the input text may contain sensitive information.",
            },
            "duration": 5, "resolution": "720p", "ratio": "16:9", "service_tier": "default",
        },
    ])
}

fn video_url(id: &str) -> String {
    format!("https://videos.mock.meshapi.invalid/{id}.mp4")
}

fn generate(request: &RecordedRequest, state: &State) -> MockReply {
    let body = request.body_json().unwrap_or(Value::Null);
    let Some(model) = body.get("model").and_then(Value::as_str) else {
        return invalid_field("model", "Field required");
    };
    if !body.get("content").is_some_and(Value::is_array) {
        return invalid_field("content", "Field required");
    }
    let id = state.next_id("cgt-mock-");
    let mut task = json!({
        "id": id, "model": model, "status": "queued",
        "duration": body["duration"].as_u64().unwrap_or(5),
        "resolution": body["resolution"].as_str().unwrap_or("720p"),
        "ratio": body["ratio"].as_str().unwrap_or("16:9"),
        "service_tier": body["service_tier"].as_str().unwrap_or("default"),
        "execution_expires_after": body["execution_expires_after"].as_u64().unwrap_or(172_800),
    });
    for key in [
        "seed",
        "frames",
        "priority",
        "generate_audio",
        "draft",
        "safety_identifier",
    ] {
        if let Some(value) = body.get(key) {
            task[key] = value.clone();
        }
    }
    // `return_last_frame` is not a task field; remember it for the answer that succeeds.
    if body["return_last_frame"] == true {
        task["return_last_frame"] = json!(true);
    }
    with_tasks(state, |tasks, _| {
        let created = CREATED.saturating_add(i64::try_from(tasks.len()).unwrap_or(i64::MAX));
        task["created_at"] = json!(created);
        task["updated_at"] = json!(created);
        tasks.push(task);
    });
    ok(&json!({ "id": id }))
}

fn retrieve(id: &str, state: &State) -> MockReply {
    let task = with_tasks(state, |tasks, polls| {
        let task = tasks.iter_mut().find(|task| task["id"] == id)?;
        let seen = polls
            .get(id)
            .and_then(Value::as_u64)
            .unwrap_or(0)
            .saturating_add(1);
        polls.insert(id.to_owned(), json!(seen));
        if task["status"] == "queued" || task["status"] == "running" {
            advance(task, id, seen);
        }
        Some(public(task))
    });
    match task {
        Some(task) => ok(&task),
        None => not_found(&format!("Video generation task {id}")),
    }
}

/// Moves a new task along: `running` on its first retrieve, `succeeded` on its second.
fn advance(task: &mut Value, id: &str, seen: u64) {
    let polled = i64::try_from(seen).unwrap_or(i64::MAX).saturating_mul(30);
    let updated = task["created_at"]
        .as_i64()
        .unwrap_or(CREATED)
        .saturating_add(polled);
    task["updated_at"] = json!(updated);
    if seen < 2 {
        task["status"] = json!("running");
        return;
    }
    task["status"] = json!("succeeded");
    let mut content = json!({ "video_url": video_url(id) });
    if task["return_last_frame"] == true {
        content["last_frame_url"] =
            json!(format!("https://videos.mock.meshapi.invalid/{id}-last.png"));
    }
    task["content"] = content;
    if task.get("seed").is_none_or(|seed| seed == -1) {
        task["seed"] = json!(42);
    }
    task["framespersecond"] = json!(24);
    // `duration` is the client's, up to u64::MAX.
    let tokens = task["duration"]
        .as_u64()
        .unwrap_or(5)
        .saturating_mul(21_780);
    task["usage"] = json!({ "completion_tokens": tokens, "total_tokens": tokens });
}

/// The task as the API shows it, without the mock's bookkeeping.
fn public(task: &Value) -> Value {
    let mut task = task.clone();
    if let Some(fields) = task.as_object_mut() {
        fields.remove("return_last_frame");
    }
    task
}

fn list(query: &str, state: &State) -> MockReply {
    let status = query_value(query, "status");
    let model = query_value(query, "model");
    let after = query_value(query, "created_after").and_then(|t| t.parse::<i64>().ok());
    let before = query_value(query, "created_before").and_then(|t| t.parse::<i64>().ok());
    let limit = match query_value(query, "limit").map(|l| l.parse::<u64>()) {
        None => DEFAULT_LIMIT,
        Some(Ok(limit)) if (1..=MAX_LIMIT).contains(&limit) => limit,
        Some(_) => return invalid_field("limit", "Input should be an integer from 1 to 100"),
    };
    let offset = match query_value(query, "offset").map(|o| o.parse::<u64>()) {
        None => 0,
        Some(Ok(offset)) => offset,
        Some(Err(_)) => return invalid_field("offset", "Input should be a valid integer"),
    };
    let matching: Vec<Value> = with_tasks(state, |tasks, _| {
        tasks
            .iter()
            .rev()
            .filter(|task| status.as_ref().is_none_or(|s| task["status"] == s.as_str()))
            .filter(|task| model.as_ref().is_none_or(|m| task["model"] == m.as_str()))
            .filter(|task| {
                let created = task["created_at"].as_i64().unwrap_or(0);
                after.is_none_or(|a| created > a) && before.is_none_or(|b| created < b)
            })
            .map(public)
            .collect()
    });
    let total = matching.len() as u64;
    let page: Vec<Value> = matching
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        // `limit` is at most MAX_LIMIT, so the conversion is exact.
        .take(limit as usize)
        .collect();
    ok(&json!({
        "object": "list",
        "has_more": offset.saturating_add(page.len() as u64) < total,
        "data": page,
        "total": total,
        "limit": limit,
        "offset": offset,
    }))
}
