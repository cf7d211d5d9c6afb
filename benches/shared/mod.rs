//! What the benches share: the chat stream they decode, and the plain struct a minimal
//! hand-written client would decode it into.

use serde::Deserialize;

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
