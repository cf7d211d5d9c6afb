//! What the benches share: the chat stream and the chat completion they decode, the plain
//! struct a minimal hand-written client would decode a chunk into, and a server that writes
//! pre-built bytes.

// Each bench uses part of this module.
#![allow(dead_code)]

use serde::Deserialize;

pub mod server;

/// A chat completion streamed as `chunks` SSE frames, then `data: [DONE]`.
pub fn transcript(chunks: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..chunks {
        let frame = serde_json::json!({
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1712345678,
            "model": "openai/gpt-4o-mini",
            "choices": [{"index": 0, "delta": {"content": format!(" token{i}")}, "finish_reason": null}]
        });
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(frame.to_string().as_bytes());
        out.extend_from_slice(b"\n\n");
    }
    out.extend_from_slice(b"data: [DONE]\n\n");
    out
}

/// The answer of a non-streamed chat completion, as the gateway sends it.
pub fn completion() -> Vec<u8> {
    serde_json::json!({
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1712345678,
        "model": "openai/gpt-4o-mini",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "Hello! How can I help you today?"},
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 9, "completion_tokens": 9, "total_tokens": 18},
        "cost": "0.0000070",
        "system_fingerprint": null
    })
    .to_string()
    .into_bytes()
}

/// The body a minimal client sends to ask for a chat completion.
pub const REQUEST: &str =
    r#"{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"go"}]}"#;

/// The fields a minimal hand-written client would decode, and nothing else.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainChunk {
    id: String,
    object: String,
    created: u64,
    model: String,
    choices: Vec<PlainChoice>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainChoice {
    index: u32,
    delta: PlainDelta,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainDelta {
    content: Option<String>,
}
