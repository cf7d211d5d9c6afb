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

fn run(workload: &str, n: usize) -> usize {
    let bytes = transcript(n);
    match workload {
        "none" => n,
        "sse-json" => sse_json(&bytes),
        "stream" => stream(&bytes),
        "baseline" => baseline(&bytes),
        other => panic!("unknown workload {other:?}: sse-json, stream or baseline"),
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
            for workload in ["sse-json", "stream", "baseline"] {
                assert_eq!(run(workload, 100), 100, "{workload}");
            }
            println!("count: smoke run done; benches/instructions.sh counts instructions");
        }
    }
}
