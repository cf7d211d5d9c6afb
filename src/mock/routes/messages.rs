//! The default answer of the Anthropic-compatible Messages API, `POST /v1/messages`: a whole
//! `message`, or with `"stream": true` Anthropic's event sequence.
//!
//! The reply is one text block, [`DEFAULT_REPLY_PREFIX`] followed by the text of the last
//! `user` turn (its text blocks and tool results, cut to 200 characters), with
//! `stop_reason: "end_turn"`. When the request has `tools`, its last turn carries no
//! `tool_result` and `tool_choice` is not `none`, a `tool_use` block follows, calling the
//! `tool_choice` tool (else the first) with an input that follows its `input_schema` (strings
//! echo the user's text), and `stop_reason` is `tool_use`. A stop sequence in the text cuts it
//! there (`stop_reason: "stop_sequence"`); more words than `max_tokens` cut it to that many
//! (`"max_tokens"`); either way no tool is called. `input_tokens` counts the words of `system`
//! and of every turn, `output_tokens` the text's words plus the tool input's pieces.
//!
//! Streamed, each event has its `type` on an `event:` line too: `message_start` (usage all
//! zeros, as the gateway sends it), the text block's `content_block_start`, a `ping`, one
//! `text_delta` per word, `content_block_stop`; for a tool use, `content_block_start` with input
//! `{}`, the input's JSON in three `input_json_delta` pieces and `content_block_stop`; then
//! `message_delta` with the stop reason and the real usage, and `message_stop`. No `[DONE]`.
//!
//! A body that is not JSON, or without a string `model`, a positive integer `max_tokens` or a
//! non-empty `messages` list, gets a 400 `invalid_request_error` in Anthropic's envelope.

use serde_json::{Value, json};

use super::compare::words;
use super::{State, ok};
use crate::mock::structured::example;
use crate::mock::{DEFAULT_REPLY_PREFIX, MAX_ECHO_CHARS, MockReply, RecordedRequest};

const PATH: &str = "/v1/messages";
/// How many `input_json_delta` pieces a streamed tool input is sent in.
const INPUT_PIECES: usize = 3;

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    (request.method == "POST" && request.path == PATH).then(|| create(request, state))
}

/// What the reply holds before it is sent whole or streamed.
struct Reply {
    message: Value,
    text: String,
    tool_use: Option<Value>,
    /// The tool input's JSON text in the pieces a stream sends it in.
    input_pieces: Vec<String>,
}

fn create(request: &RecordedRequest, state: &State) -> MockReply {
    let Some(body) = request.body_json() else {
        return invalid("There was an error parsing the body of your request: not JSON");
    };
    let Some(model) = body.get("model").and_then(Value::as_str) else {
        return invalid(missing_or_wrong(&body, "model", "a valid string"));
    };
    let max_tokens = match body.get("max_tokens").map(Value::as_u64) {
        None => return invalid("max_tokens: Field required"),
        Some(Some(max)) if max >= 1 => usize::try_from(max).unwrap_or(usize::MAX),
        Some(_) => return invalid("max_tokens: Input should be an integer of at least 1"),
    };
    let messages = match body.get("messages").map(Value::as_array) {
        None => return invalid("messages: Field required"),
        Some(None) => return invalid("messages: Input should be a valid list"),
        Some(Some(messages)) if messages.is_empty() => {
            return invalid("messages: at least one message is required");
        }
        Some(Some(messages)) => messages,
    };

    let last_user = messages.iter().rev().find(|m| m["role"] == "user");
    let said: String = last_user
        .map(|m| text_of(&m["content"]))
        .unwrap_or_default()
        .chars()
        .take(MAX_ECHO_CHARS)
        .collect();
    let answers_a_tool = last_user.is_some_and(|m| {
        m["content"]
            .as_array()
            .is_some_and(|blocks| blocks.iter().any(|b| b["type"] == "tool_result"))
    });
    let input_tokens = text_of(&body["system"]).split_whitespace().count()
        + messages
            .iter()
            .map(|m| text_of(&m["content"]).split_whitespace().count())
            .sum::<usize>();

    let mut text = format!("{DEFAULT_REPLY_PREFIX}{said}");
    let mut stop_reason = "end_turn";
    let mut stop_sequence = Value::Null;
    if let Some((at, sequence)) = first_stop(&body, &text) {
        text.truncate(at);
        stop_reason = "stop_sequence";
        stop_sequence = json!(sequence);
    }
    let mut pieces = words(&text);
    if pieces.len() > max_tokens {
        pieces.truncate(max_tokens);
        text = pieces.concat();
        stop_reason = "max_tokens";
        stop_sequence = Value::Null;
    }
    let tool = if stop_reason == "end_turn" && !answers_a_tool {
        chosen_tool(&body)
    } else {
        None
    };
    let tool_use = tool.map(|tool| {
        let input = example(&tool["input_schema"], &said);
        json!({
            "type": "tool_use",
            "id": state.next_id("toolu_mock"),
            "name": tool["name"],
            "input": if input.is_object() { input } else { json!({}) },
        })
    });
    let input_pieces = tool_use.as_ref().map_or_else(Vec::new, |call| {
        split(&call["input"].to_string(), INPUT_PIECES)
    });
    let output_tokens = pieces.len() + input_pieces.len();
    let mut content = vec![json!({"type": "text", "text": text})];
    if let Some(call) = &tool_use {
        stop_reason = "tool_use";
        content.push(call.clone());
    }
    let message = json!({
        "id": state.next_id("msg_mock"),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "usage": usage(input_tokens, output_tokens),
    });
    let reply = Reply {
        message,
        text,
        tool_use,
        input_pieces,
    };
    if body["stream"] == true {
        stream(&reply)
    } else {
        ok(&reply.message)
    }
}

fn usage(input_tokens: usize, output_tokens: usize) -> Value {
    json!({
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "output_tokens": output_tokens,
    })
}

/// The text of a `content` or `system` value: the string, or its text blocks and tool results'
/// text joined with spaces.
fn text_of(content: &Value) -> String {
    match content {
        Value::String(text) => text.clone(),
        Value::Array(blocks) => blocks
            .iter()
            .map(|block| match block["type"].as_str() {
                Some("text") => block["text"].as_str().unwrap_or_default().to_owned(),
                Some("tool_result") => text_of(&block["content"]),
                _ => String::new(),
            })
            .filter(|text| !text.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// Where the first of the request's stop sequences starts in `text`, and which it is.
fn first_stop<'a>(body: &'a Value, text: &str) -> Option<(usize, &'a str)> {
    body["stop_sequences"]
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .filter(|sequence| !sequence.is_empty())
        .filter_map(|sequence| text.find(sequence).map(|at| (at, sequence)))
        .min_by_key(|(at, _)| *at)
}

/// The tool `tool_choice` names, else the first; none for `tool_choice: none` or no tools.
fn chosen_tool(body: &Value) -> Option<&Value> {
    let tools = body["tools"].as_array()?;
    let choice = &body["tool_choice"];
    if choice["type"] == "none" {
        return None;
    }
    tools
        .iter()
        .find(|tool| choice["type"] == "tool" && tool["name"] == choice["name"])
        .or_else(|| tools.first())
}

fn stream(reply: &Reply) -> MockReply {
    let mut start = reply.message.clone();
    start["content"] = json!([]);
    start["stop_reason"] = Value::Null;
    start["stop_sequence"] = Value::Null;
    start["usage"] = usage(0, 0);
    let mut sse = event(
        MockReply::sse(),
        &json!({"type": "message_start", "message": start}),
    );
    sse = event(
        sse,
        &json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "text", "text": ""}}),
    );
    sse = event(sse, &json!({"type": "ping"}));
    for word in words(&reply.text) {
        sse = event(
            sse,
            &json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": word}}),
        );
    }
    sse = event(sse, &json!({"type": "content_block_stop", "index": 0}));
    if let Some(call) = &reply.tool_use {
        let mut started = call.clone();
        started["input"] = json!({});
        sse = event(
            sse,
            &json!({"type": "content_block_start", "index": 1, "content_block": started}),
        );
        for piece in &reply.input_pieces {
            sse = event(
                sse,
                &json!({"type": "content_block_delta", "index": 1,
                        "delta": {"type": "input_json_delta", "partial_json": piece}}),
            );
        }
        sse = event(sse, &json!({"type": "content_block_stop", "index": 1}));
    }
    sse = event(
        sse,
        &json!({
            "type": "message_delta",
            "delta": {
                "stop_reason": reply.message["stop_reason"],
                "stop_sequence": reply.message["stop_sequence"],
            },
            "usage": reply.message["usage"],
        }),
    );
    event(sse, &json!({"type": "message_stop"}))
}

fn event(reply: MockReply, frame: &Value) -> MockReply {
    let name = frame["type"].as_str().unwrap_or("message");
    reply.raw(format!("event: {name}\ndata: {frame}\n\n"))
}

/// `text` in `parts` pieces of about equal length, cut on character boundaries.
fn split(text: &str, parts: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let size = chars.len().div_ceil(parts).max(1);
    chars
        .chunks(size)
        .map(|piece| piece.iter().collect())
        .collect()
}

/// The 400 Anthropic's envelope gives for a body it cannot use.
fn invalid(message: impl AsRef<str>) -> MockReply {
    MockReply::json(
        400,
        json!({
            "type": "error",
            "error": {"type": "invalid_request_error", "message": message.as_ref()},
        })
        .to_string(),
    )
}

fn missing_or_wrong(body: &Value, field: &str, expected: &str) -> String {
    if body.get(field).is_none() {
        format!("{field}: Field required")
    } else {
        format!("{field}: Input should be {expected}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_rejoin_to_the_text() {
        for text in ["", "{}", "{\"city\":\"Zürich\"}", "ab"] {
            let pieces = split(text, INPUT_PIECES);
            assert!(pieces.len() <= INPUT_PIECES, "{pieces:?}");
            assert_eq!(pieces.concat(), text);
        }
    }
}
