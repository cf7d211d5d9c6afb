//! Default answers for `POST /v1/router/select`: a deterministic choice among the mock
//! catalogue's models.
//!
//! `embeddings` picks `openai/text-embedding-3-small`. Otherwise a last user message that
//! looks hard (over 200 characters, or mentioning code, a proof or steps) prefers
//! `anthropic/claude-sonnet-4` with `reasoning_effort: "medium"`, and anything else prefers
//! `openai/gpt-4o-mini`. Excluded models are skipped; when every candidate is excluded the
//! router falls back to its default for the API type, with `fallback_used: true`.

use serde_json::{Value, json};

use super::{State, invalid_field, ok};
use crate::mock::{MockReply, RecordedRequest};

const EMBEDDING: &str = "openai/text-embedding-3-small";
const SMALL: &str = "openai/gpt-4o-mini";
const FREE: &str = "meta-llama/llama-3.3-70b-instruct:free";
const STRONG: &str = "anthropic/claude-sonnet-4";
const HARD_WORDS: [&str; 4] = ["code", "prove", "proof", "step by step"];

pub(super) fn route(request: &RecordedRequest, _state: &State) -> Option<MockReply> {
    if (request.method.as_str(), request.path.as_str()) != ("POST", "/v1/router/select") {
        return None;
    }
    let body = request.body_json().unwrap_or(Value::Null);
    let messages = match body["messages"].as_array() {
        Some(messages) if !messages.is_empty() => messages,
        _ => {
            return Some(invalid_field(
                "messages",
                "List should have at least 1 item",
            ));
        }
    };
    let excluded: Vec<&str> = body["exclude_models"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let text = last_user_text(messages).to_lowercase();
    let hard = text.chars().count() > 200 || HARD_WORDS.iter().any(|w| text.contains(w));
    let (candidates, default): (&[&str], &str) = match body["api_type"].as_str() {
        None | Some("completions" | "responses") if hard => (&[STRONG, SMALL, FREE], SMALL),
        None | Some("completions" | "responses") => (&[SMALL, FREE, STRONG], SMALL),
        Some("embeddings") => (&[EMBEDDING], EMBEDDING),
        Some(_) => {
            return Some(invalid_field(
                "api_type",
                "Input should be 'completions', 'responses' or 'embeddings'",
            ));
        }
    };
    let answer = match candidates.iter().find(|m| !excluded.contains(m)) {
        Some(&model) => {
            let mut answer = json!({"model": model, "auto_router": {"fallback_used": false}});
            if model == STRONG {
                answer["reasoning_effort"] = json!("medium");
            }
            answer
        }
        None => json!({
            "model": default,
            "auto_router": {
                "fallback_used": true,
                "fallback_reason": "every candidate model is excluded",
            },
        }),
    };
    Some(ok(&answer))
}

/// The text of the last `user` message: its string content, or its `text` parts joined.
fn last_user_text(messages: &[Value]) -> String {
    let Some(message) = messages.iter().rev().find(|m| m["role"] == "user") else {
        return String::new();
    };
    match &message["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|part| part["text"].as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}
