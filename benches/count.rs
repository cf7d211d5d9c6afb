//! Workloads for instruction counts: `benches/instructions.sh` runs each under callgrind twice,
//! with two sizes, so that the difference is the cost of the extra items alone (setup,
//! connection and thread start-up cancel out).
//!
//! `cargo run --release --bench count -- <workload> <n>`; under `cargo bench` every workload
//! runs once, small, as a smoke test.
//!
//! - `none`: only builds the transcript, whose cost the script takes off the others;
//! - `sse-json`: `SseDecoder::next_event` + `serde_json` into `ChatCompletionChunk`, from memory;
//! - `stream`: `Stream<ChatCompletionChunk>` from the mock gateway over loopback HTTP;
//! - `create`: sequential chat completions from the mock over one connection;
//! - `create-ureq`: the same through raw ureq with the same timeouts, into the same type;
//! - `baseline`: the same bytes over loopback through raw ureq, lines split by hand and
//!   decoded into a minimal plain struct.

use std::hint::black_box;
use std::io::{BufRead, BufReader};

use meshapi::mock::{MockReply, MockServer};
use meshapi::sse::SseDecoder;
use meshapi::{ChatCompletionChunk, ChatCompletionParams, ChatMessage, Client};
mod shared;

use shared::{PlainChunk, transcript};

fn sse_json(bytes: &[u8]) -> usize {
    let mut decoder = SseDecoder::new(bytes);
    let mut n = 0;
    while let Some(event) = decoder.next_event() {
        let event = event.expect("event");
        if event.data == "[DONE]" {
            break;
        }
        let chunk: ChatCompletionChunk = serde_json::from_str(event.data).expect("chunk");
        black_box(&chunk);
        n += 1;
    }
    n
}

fn mock_with(bytes: &[u8]) -> MockServer {
    let mock = MockServer::start().expect("mock gateway");
    mock.enqueue(MockReply::sse().raw(bytes.to_vec()));
    mock
}

fn stream(bytes: &[u8]) -> usize {
    let mock = mock_with(bytes);
    let client = Client::builder()
        .token("rsk_bench")
        .base_url(mock.url())
        .build()
        .expect("client");
    let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("go")]);
    let mut n = 0;
    for chunk in client.chat().completions().stream(&params) {
        black_box(chunk.expect("chunk"));
        n += 1;
    }
    n
}

fn baseline(bytes: &[u8]) -> usize {
    let mock = mock_with(bytes);
    let url = format!("{}/v1/chat/completions", mock.url());
    let response = ureq::post(&url)
        .header("Authorization", "Bearer rsk_bench")
        .send(r#"{"model":"openai/gpt-4o-mini","messages":[],"stream":true}"#)
        .expect("response");
    let reader = BufReader::with_capacity(64 * 1024, response.into_body().into_reader());
    let mut n = 0;
    for line in reader.split(b'\n') {
        let line = line.expect("line");
        if let Some(payload) = line.strip_prefix(b"data: ") {
            if payload == b"[DONE]" {
                break;
            }
            let chunk: PlainChunk = serde_json::from_slice(payload).expect("chunk");
            black_box(&chunk);
            n += 1;
        }
    }
    n
}

/// `n` sequential chat completions over one kept-alive connection to the mock; the transcript
/// is not used, but built like every workload's so that `none` takes its cost off.
fn create(n: usize) -> usize {
    let mock = MockServer::start().expect("mock gateway");
    let client = Client::builder()
        .token("rsk_bench")
        .base_url(mock.url())
        .build()
        .expect("client");
    let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("go")]);
    for _ in 0..n {
        black_box(client.chat().completions().create(&params).expect("reply"));
    }
    n
}

/// The same calls through raw ureq with the crate's timeouts, decoded into the same type.
fn create_ureq(n: usize) -> usize {
    let mock = MockServer::start().expect("mock gateway");
    let url = format!("{}/v1/chat/completions", mock.url());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(60)))
        .timeout_connect(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();
    let body = r#"{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"go"}],"stream":false}"#;
    for _ in 0..n {
        let mut response = agent
            .post(&url)
            .header("Authorization", "Bearer rsk_bench")
            .header("Content-Type", "application/json")
            .send(body)
            .expect("response");
        let bytes = response.body_mut().read_to_vec().expect("body");
        let reply: meshapi::ChatCompletionResponse = serde_json::from_slice(&bytes).expect("reply");
        black_box(reply);
    }
    n
}

fn run(workload: &str, n: usize) -> usize {
    let bytes = transcript(n);
    match workload {
        "none" => n,
        "create" => create(n),
        "create-ureq" => create_ureq(n),
        "sse-json" => sse_json(&bytes),
        "stream" => stream(&bytes),
        "baseline" => baseline(&bytes),
        other => {
            panic!("unknown workload {other:?}: sse-json, stream, baseline, create or create-ureq")
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [workload, n] => {
            let n = n.parse().expect("a count");
            assert_eq!(run(workload, n), n);
        }
        _ => {
            for workload in ["sse-json", "stream", "baseline", "create", "create-ureq"] {
                assert_eq!(run(workload, 100), 100, "{workload}");
            }
            println!("count: smoke run done; benches/instructions.sh counts instructions");
        }
    }
}
