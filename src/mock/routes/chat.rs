//! `POST /v1/chat/completions`: completions, streams, and structured output.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use super::State;
use crate::mock::{
    CREATED, DEFAULT_MODEL, DEFAULT_REPLY_PREFIX, MAX_ECHO_CHARS, MockReply, RecordedRequest,
    structured,
};

/// The default answer for `POST /v1/chat/completions`.
pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    (request.method == "POST" && request.path == "/v1/chat/completions")
        .then(|| chat_completion(request, state))
}

fn chat_completion(request: &RecordedRequest, state: &State) -> MockReply {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return validation_error(json!({
            "type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"
        }));
    };
    let Some(messages) = body.get("messages") else {
        return validation_error(json!({
            "type": "missing", "loc": ["body", "messages"], "msg": "Field required"
        }));
    };
    let Some(messages) = messages.as_array() else {
        return validation_error(json!({
            "type": "list_type", "loc": ["body", "messages"], "msg": "Input should be a valid list"
        }));
    };

    let said: String = messages
        .iter()
        .rev()
        .find(|message| message["role"] == "user")
        .map(text_of)
        .unwrap_or_default()
        .chars()
        .take(MAX_ECHO_CHARS)
        .collect();
    let text = match structured::schema_of(&body) {
        Some(schema) => structured::example(schema, &said).to_string(),
        None => format!("{DEFAULT_REPLY_PREFIX}{said}"),
    };
    let words: Vec<String> = text
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            if i == 0 {
                word.to_owned()
            } else {
                format!(" {word}")
            }
        })
        .collect();
    let prompt_tokens: usize = messages
        .iter()
        .map(|message| text_of(message).split_whitespace().count())
        .sum();
    let completion_tokens = words.len();
    let usage = json!({
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens.saturating_add(completion_tokens),
    });
    let id = format!(
        "chatcmpl-mock{}",
        state.completions.fetch_add(1, Ordering::SeqCst) + 1
    );
    let model = body["model"].as_str().unwrap_or(DEFAULT_MODEL);

    if body["stream"] != true {
        let completion = json!({
            "id": id,
            "object": "chat.completion",
            "created": CREATED,
            "model": model,
            "choices": [{
                "index": 0,
                "message": { "role": "assistant", "content": text },
                "finish_reason": "stop",
            }],
            "usage": usage,
            "system_fingerprint": null,
        });
        return MockReply::json(200, completion.to_string());
    }

    let chunk = |choices: Value| {
        json!({
            "id": id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "choices": choices,
        })
    };
    let mut reply = MockReply::sse();
    for (i, word) in words.iter().enumerate() {
        let delta = if i == 0 {
            json!({ "role": "assistant", "content": word })
        } else {
            json!({ "content": word })
        };
        let choices = json!([{ "index": 0, "delta": delta, "finish_reason": null }]);
        reply = reply.data(&chunk(choices).to_string());
    }
    let stop = json!([{ "index": 0, "delta": {}, "finish_reason": "stop" }]);
    let mut last = chunk(json!([]));
    last["usage"] = usage;
    last["usage"]["prompt_tokens_details"] = json!({ "cached_tokens": 0 });
    last["cost"] = json!(cost(prompt_tokens, completion_tokens));
    reply
        .data(&chunk(stop).to_string())
        .data(&last.to_string())
        .done()
}

pub(crate) fn validation_error(detail: Value) -> MockReply {
    MockReply::enveloped(
        422,
        json!({
            "code": "validation_error",
            "message": "Request validation failed.",
            "details": [detail],
        }),
    )
}

/// A message's text: a string `content`, or the `text` parts of an array one joined with spaces.
pub(crate) fn text_of(message: &Value) -> String {
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

/// The USD cost at `openai/gpt-4o-mini` list prices (0.15 and 0.60 USD per million prompt and
/// completion tokens), as the decimal string the gateway sends.
pub(crate) fn cost(prompt_tokens: usize, completion_tokens: usize) -> String {
    // The counts come from the request body; a 64 MiB body of one-letter words would overflow
    // a 32-bit usize at 150 nano-USD each.
    let tokens = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let nano_usd = tokens(prompt_tokens)
        .saturating_mul(150)
        .saturating_add(tokens(completion_tokens).saturating_mul(600));
    let exact = format!(
        "{}.{:09}",
        nano_usd / 1_000_000_000,
        nano_usd % 1_000_000_000
    );
    exact.trim_end_matches('0').trim_end_matches('.').to_owned()
}
