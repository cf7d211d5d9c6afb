//! Memory over a long stream: `cargo bench --bench memory`.
//!
//! Streams about 1 GB of chat chunks through `Stream<ChatCompletionChunk>` from a loopback
//! server that writes the same 1,000-frame block again and again, and reports the process's
//! peak resident memory (`VmHWM` in `/proc/self/status`, so Linux only) after 10 MB and after
//! the whole gigabyte. A stream that kept what it had read would grow with the second figure;
//! one that does not stays flat.

use std::time::Instant;

mod shared;

use shared::server::Server;
use shared::{DONE, client, frames, sdk_stream};

const FRAMES_PER_BLOCK: usize = 1_000;

/// A `kB` line of `/proc/self/status`, in KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Streams `blocks` blocks and returns how many chunks arrived.
fn stream(block: &[u8], blocks: usize) -> usize {
    let server = Server::repeating("text/event-stream", block, blocks, DONE);
    sdk_stream(&client(&server))
}

fn main() {
    let Some(start) = status_kib("VmHWM:") else {
        println!("memory: no /proc/self/status here (Linux only); nothing measured");
        return;
    };
    let block = frames(FRAMES_PER_BLOCK);
    let small = 10_000_000 / block.len();
    let large = 1_000_000_000 / block.len();
    println!(
        "peak resident memory (VmHWM), {:.0} KB blocks of {FRAMES_PER_BLOCK} chunks",
        block.len() as f64 / 1e3
    );
    println!("{:<28} {:>10}", "before any stream", format!("{start} KiB"));
    for blocks in [small, large] {
        let began = Instant::now();
        let chunks = stream(&block, blocks);
        assert_eq!(chunks, blocks * FRAMES_PER_BLOCK);
        let peak = status_kib("VmHWM:").expect("VmHWM");
        let gb = (block.len() * blocks) as f64 / 1e9;
        println!(
            "{:<28} {:>10}   ({chunks} chunks in {:.1} s)",
            format!("after a {gb:.2} GB stream"),
            format!("{peak} KiB"),
            began.elapsed().as_secs_f64()
        );
    }
}
