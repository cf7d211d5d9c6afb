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
use std::time::Duration;

use meshapi::ChatCompletionChunk;
use meshapi::sse::SseDecoder;
mod shared;

use shared::server::Server;
use shared::{PlainChunk, best_in_turn, client, raw_stream, sdk_stream, transcript};

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

fn main() {
    let bytes = transcript(CHUNKS);
    let server = Server::start("text/event-stream", &bytes);
    let client = client(&server);
    let agent = ureq::Agent::new_with_defaults();
    let url = format!("{}/v1/chat/completions", server.url());

    // Each path must decode every chunk.
    let mut paths: [Box<dyn FnMut()>; 6] = [
        Box::new(|| assert_eq!(split_lines::<PlainChunk>(&bytes), CHUNKS)),
        Box::new(|| assert_eq!(split_lines::<ChatCompletionChunk>(&bytes), CHUNKS)),
        Box::new(|| assert_eq!(sse_only(&bytes), CHUNKS)),
        Box::new(|| assert_eq!(sse_and_json(&bytes), CHUNKS)),
        Box::new(|| assert_eq!(raw_stream(&agent, &url), CHUNKS)),
        Box::new(|| assert_eq!(sdk_stream(&client), CHUNKS)),
    ];
    let names = [
        "baseline: split lines + plain struct",
        "split lines + ChatCompletionChunk",
        "SseDecoder only (memory)",
        "SseDecoder + chunk JSON (memory)",
        "baseline over loopback HTTP (raw ureq)",
        "Stream<ChatCompletionChunk> (loopback HTTP)",
    ];
    let rows: Vec<(&str, Duration)> = names
        .into_iter()
        .zip(best_in_turn(RUNS, &mut paths))
        .collect();
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
