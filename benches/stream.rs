//! Throughput of the streaming path: `cargo bench --bench stream`.
//!
//! One 100,000-chunk chat completion, decoded six ways in the same run:
//! - baseline: split lines by hand and `serde_json::from_slice` each payload into a minimal
//!   plain struct written here (no SSE rules, no unknown-field map);
//! - the same, into the crate's `ChatCompletionChunk` (which keeps unknown fields in `extra`);
//! - `SseDecoder` alone, from memory (the full event-stream rules, no JSON);
//! - `SseDecoder` + chunk decoding, from memory;
//! - the hand baseline over loopback HTTP: raw ureq, lines split by hand, the plain struct;
//! - `Stream<ChatCompletionChunk>` over loopback HTTP.
//!
//! Both loopback rows read from a server that writes the transcript from memory. The six run in
//! turn, round after round and each round starting with the next, so that a change in the
//! machine's load hits them alike and none always follows the same one; the best
//! (least disturbed) round of each is reported, with its ratio to the in-memory baseline and,
//! for the loopback rows, to the loopback baseline.

use std::hint::black_box;
use std::time::{Duration, Instant};

use meshapi::sse::SseDecoder;
use meshapi::{ChatCompletionChunk, ChatCompletionParams, ChatMessage, Client};
mod shared;

use shared::server::Server;
use shared::{PlainChunk, raw_stream, transcript};

const CHUNKS: usize = 100_000;
const RUNS: usize = 9;

fn split_lines<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> usize {
    let mut n = 0;
    for line in bytes.split(|&b| b == b'\n') {
        if let Some(payload) = line.strip_prefix(b"data: ") {
            if payload == b"[DONE]" {
                break;
            }
            let chunk: T = serde_json::from_slice(payload).expect("chunk");
            black_box(&chunk);
            n += 1;
        }
    }
    n
}

fn sse_only(bytes: &[u8]) -> usize {
    SseDecoder::new(bytes)
        .map(|event| black_box(event.expect("event")))
        .take_while(|event| event.data != "[DONE]")
        .count()
}

fn sse_and_json(bytes: &[u8]) -> usize {
    let mut n = 0;
    for event in SseDecoder::new(bytes) {
        let event = event.expect("event");
        if event.data == "[DONE]" {
            break;
        }
        let chunk: ChatCompletionChunk = serde_json::from_str(&event.data).expect("chunk");
        black_box(&chunk);
        n += 1;
    }
    n
}

fn over_loopback(client: &Client) -> usize {
    let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("go")]);
    let mut n = 0;
    for chunk in client.chat().completions().stream(&params) {
        black_box(chunk.expect("chunk"));
        n += 1;
    }
    n
}

/// A row's name and one run of it, which returns how many chunks it decoded.
type Path<'a> = (&'static str, Box<dyn FnMut() -> usize + 'a>);

/// Times one run of `f`, which must decode every chunk.
fn timed(f: &mut dyn FnMut() -> usize) -> Duration {
    let start = Instant::now();
    assert_eq!(f(), CHUNKS);
    start.elapsed()
}

fn main() {
    let bytes = transcript(CHUNKS);
    let server = Server::start("text/event-stream", &bytes);
    let client = Client::builder()
        .token("rsk_bench")
        .base_url(server.url())
        .build()
        .expect("client");
    let agent = ureq::Agent::new_with_defaults();
    let url = format!("{}/v1/chat/completions", server.url());

    let mut paths: [Path; 6] = [
        (
            "baseline: split lines + plain struct",
            Box::new(|| split_lines::<PlainChunk>(&bytes)),
        ),
        (
            "split lines + ChatCompletionChunk",
            Box::new(|| split_lines::<ChatCompletionChunk>(&bytes)),
        ),
        ("SseDecoder only (memory)", Box::new(|| sse_only(&bytes))),
        (
            "SseDecoder + chunk JSON (memory)",
            Box::new(|| sse_and_json(&bytes)),
        ),
        (
            "baseline over loopback HTTP (raw ureq)",
            Box::new(|| raw_stream(&agent, &url)),
        ),
        (
            "Stream<ChatCompletionChunk> (loopback HTTP)",
            Box::new(|| over_loopback(&client)),
        ),
    ];
    let mut best = [Duration::MAX; 6];
    for round in 0..RUNS {
        // Each round starts with the next path, so that none always follows the same one.
        for i in 0..paths.len() {
            let path = (round + i) % paths.len();
            best[path] = best[path].min(timed(paths[path].1.as_mut()));
        }
    }
    let rows: Vec<(&str, Duration)> = paths.iter().map(|(name, _)| *name).zip(best).collect();
    let base = rows[0].1.as_secs_f64();
    let loopback_base = rows[4].1.as_secs_f64();
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "{CHUNKS} chunks, {mb:.1} MB of SSE; best of {RUNS} rounds\n{:<46} {:>10} {:>12} {:>9} {:>10} {:>13}",
        "path", "time", "chunks/s", "MB/s", "vs base", "vs loopback"
    );
    for (i, (name, time)) in rows.into_iter().enumerate() {
        let secs = time.as_secs_f64();
        let vs_loopback = if i >= 4 {
            format!("{:.2}x", secs / loopback_base)
        } else {
            "-".to_owned()
        };
        println!(
            "{name:<46} {:>8.1}ms {:>12.0} {:>9.1} {:>9.2}x {vs_loopback:>13}",
            secs * 1e3,
            CHUNKS as f64 / secs,
            mb / secs,
            secs / base
        );
    }
}
