//! What the benches share: the chat stream and the chat completion they decode, the plain
//! struct a minimal hand-written client would decode a chunk into, a server that writes
//! pre-built bytes, and the rounds in which the paths of a bench take turns.

// Each bench uses part of this module.
#![allow(dead_code)]

use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use serde::Deserialize;

pub mod server;

/// The best time of each of `paths` over `rounds` rounds. The paths run in turn and each round
/// starts with the next one, so that a change in the machine's load hits them alike and none
/// always follows the same one (a path run right after raw ureq with timeouts, which starts a
/// thread per call, measured up to 1.4 times slower).
pub fn best_in_turn(rounds: usize, paths: &mut [Box<dyn FnMut() + '_>]) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; paths.len()];
    for round in 0..rounds {
        for i in 0..paths.len() {
            let path = (round + i) % paths.len();
            let start = Instant::now();
            paths[path]();
            best[path] = best[path].min(start.elapsed());
        }
    }
    best
}

/// A client of the crate for `server`.
pub fn client(server: &server::Server) -> meshapi::Client {
    meshapi::Client::builder()
        .token("rsk_bench")
        .base_url(server.url())
        .build()
        .expect("client")
}

/// The chat completion every bench asks for.
pub fn params() -> meshapi::ChatCompletionParams {
    meshapi::ChatCompletionParams::new("openai/gpt-4o-mini", vec![meshapi::ChatMessage::user("go")])
}

/// One chat stream through the crate; returns how many chunks it decoded.
pub fn sdk_stream(client: &meshapi::Client) -> usize {
    let mut n = 0;
    for chunk in client.chat().completions().stream(&params()) {
        black_box(chunk.expect("chunk"));
        n += 1;
    }
    n
}

/// The end of a chat completion stream.
pub const DONE: &[u8] = b"data: [DONE]\n\n";

/// A chat completion streamed as `chunks` SSE frames, then `data: [DONE]`.
pub fn transcript(chunks: usize) -> Vec<u8> {
    let mut out = frames(chunks);
    out.extend_from_slice(DONE);
    out
}

/// `chunks` SSE frames of a chat completion stream, without its end.
pub fn frames(chunks: usize) -> Vec<u8> {
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

/// A raw ureq agent with the client's settings; `timeouts` adds the client's timeouts too.
pub fn raw_agent(timeouts: bool) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false);
    let config = if timeouts {
        config
            .timeout_global(Some(Duration::from_secs(60)))
            .timeout_resolve(Some(Duration::from_secs(10)))
            .timeout_connect(Some(Duration::from_secs(10)))
    } else {
        config
    };
    config.build().into()
}

/// One chat completion through raw ureq, decoded into the crate's response type.
pub fn raw_create(agent: &ureq::Agent, url: &str) -> meshapi::ChatCompletionResponse {
    let mut response = agent
        .post(url)
        .header("Authorization", "Bearer rsk_bench")
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .send(REQUEST)
        .expect("response");
    let bytes = response.body_mut().read_to_vec().expect("body");
    serde_json::from_slice(&bytes).expect("reply")
}

/// The hand baseline: a stream through raw ureq, lines split by hand, each payload decoded
/// into the plain struct; returns how many chunks it decoded.
pub fn raw_stream(agent: &ureq::Agent, url: &str) -> usize {
    let response = agent
        .post(url)
        .header("Authorization", "Bearer rsk_bench")
        .send(REQUEST)
        .expect("response");
    let reader = BufReader::with_capacity(64 * 1024, response.into_body().into_reader());
    let mut n = 0;
    for line in reader.split(b'\n') {
        let line = line.expect("line");
        if let Some(payload) = line.strip_prefix(b"data: ") {
            if payload == b"[DONE]" {
                break;
            }
            black_box(serde_json::from_slice::<PlainChunk>(payload).expect("chunk"));
            n += 1;
        }
    }
    n
}
