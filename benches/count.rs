//! Workloads for instruction counts: `benches/instructions.sh` runs each under callgrind twice,
//! with two sizes, so that the difference is the cost of the extra items alone (setup,
//! connection and thread start-up cancel out).
//!
//! `cargo bench --bench count -- <workload> <n>` runs one workload; with no workload, every
//! workload runs once, small, as a smoke test. Every workload first builds an `n`-chunk
//! transcript and a loopback server that sends it (`none` does only that, and the script takes
//! its cost off the others). The servers write pre-built bytes, so they cost the client
//! nothing.
//!
//! From memory:
//! - `sse`: `SseDecoder::next_event` alone;
//! - `sse-json`: `SseDecoder::next_event` + `serde_json` into `ChatCompletionChunk`;
//! - `sse-plain`: `SseDecoder::next_event` + `serde_json` into a minimal plain struct;
//! - `split-plain`: lines split by hand + `serde_json::from_slice` into the plain struct.
//!
//! Over loopback HTTP:
//! - `stream`: `Stream<ChatCompletionChunk>`;
//! - `baseline`: raw ureq, lines split by hand, `serde_json::from_slice` into the plain struct;
//! - `create`: sequential `chat().completions().create` calls over one kept-alive connection;
//! - `create-ureq`: the same calls through raw ureq with the client's settings (timeouts
//!   included), decoded into the same `ChatCompletionResponse`;
//! - `create-bare`: the same through raw ureq with no timeout at all.

use std::hint::black_box;

use meshapi::ChatCompletionChunk;
use meshapi::sse::SseDecoder;
mod shared;

use shared::server::Server;
use shared::{
    PlainChunk, client, completion, params, raw_agent, raw_create, raw_stream, sdk_stream,
    transcript,
};

const WORKLOADS: [&str; 9] = [
    "sse",
    "sse-json",
    "sse-plain",
    "split-plain",
    "stream",
    "baseline",
    "create",
    "create-ureq",
    "create-bare",
];

#[inline(never)]
fn sse_only(bytes: &[u8]) -> usize {
    let mut decoder = SseDecoder::new(bytes);
    let mut n = 0;
    while let Some(event) = decoder.next_event() {
        if black_box(event.expect("event").data) == "[DONE]" {
            break;
        }
        n += 1;
    }
    n
}

#[inline(never)]
fn sse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> usize {
    let mut decoder = SseDecoder::new(bytes);
    let mut n = 0;
    while let Some(event) = decoder.next_event() {
        let event = event.expect("event");
        if event.data == "[DONE]" {
            break;
        }
        black_box(serde_json::from_str::<T>(event.data).expect("chunk"));
        n += 1;
    }
    n
}

#[inline(never)]
fn split_plain(bytes: &[u8]) -> usize {
    let mut n = 0;
    for line in bytes.split(|&b| b == b'\n') {
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

#[inline(never)]
fn stream(server: &Server) -> usize {
    sdk_stream(&client(server))
}

#[inline(never)]
fn baseline(server: &Server) -> usize {
    let url = format!("{}/v1/chat/completions", server.url());
    raw_stream(&raw_agent(false), &url)
}

#[inline(never)]
fn create(server: &Server, n: usize) -> usize {
    let client = client(server);
    let params = params();
    for _ in 0..n {
        black_box(client.chat().completions().create(&params).expect("reply"));
    }
    n
}

/// Raw ureq calls decoded into the crate's response type; `timeouts` gives the agent the
/// client's settings, timeouts included.
#[inline(never)]
fn create_ureq(server: &Server, n: usize, timeouts: bool) -> usize {
    let url = format!("{}/v1/chat/completions", server.url());
    let agent = raw_agent(timeouts);
    for _ in 0..n {
        black_box(raw_create(&agent, &url));
    }
    n
}

fn run(workload: &str, n: usize) -> usize {
    let bytes = transcript(n);
    let chunks = Server::start("text/event-stream", &bytes);
    let answer = || Server::start("application/json", &completion());
    match workload {
        "none" => n,
        "sse" => sse_only(&bytes),
        "sse-json" => sse_json::<ChatCompletionChunk>(&bytes),
        "sse-plain" => sse_json::<PlainChunk>(&bytes),
        "split-plain" => split_plain(&bytes),
        "stream" => stream(&chunks),
        "baseline" => baseline(&chunks),
        "create" => create(&answer(), n),
        "create-ureq" => create_ureq(&answer(), n, true),
        "create-bare" => create_ureq(&answer(), n, false),
        other => panic!("unknown workload {other:?}: none or one of {WORKLOADS:?}"),
    }
}

fn main() {
    // `cargo bench` adds `--bench`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.as_slice() {
        [workload, n] => {
            let n = n.parse().expect("a count");
            assert_eq!(run(workload, n), n);
        }
        _ => {
            for workload in WORKLOADS {
                assert_eq!(run(workload, 100), 100, "{workload}");
            }
            println!("count: smoke run done; benches/instructions.sh counts instructions");
        }
    }
}
