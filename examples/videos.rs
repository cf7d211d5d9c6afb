//! Run with `cargo run --example videos`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` and
//! `MESHAPI_VIDEO_MODEL` are honoured; real generations take minutes and are billed); without,
//! it starts the embedded mock gateway and says so on stderr. It starts a video generation
//! task, polls it until it finishes, then lists recent tasks.

mod support;

use std::thread;
use std::time::Duration;

use meshapi::types::videos::{GenerateVideoParams, ListVideoGenerationsParams, VideoContentItem};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, mock) = support::client()?;
    // The mock finishes a task on its second poll; a real one needs patience.
    let interval = if mock.is_some() {
        Duration::from_millis(10)
    } else {
        Duration::from_secs(10)
    };
    let model = std::env::var("MESHAPI_VIDEO_MODEL")
        .unwrap_or_else(|_| "byteplus/dreamina-seedance-2-0".into());
    let params = GenerateVideoParams::new(
        model,
        vec![VideoContentItem::text(
            "A paper boat drifting down a rainy street, cinematic",
        )],
    )
    .duration(5)
    .ratio("16:9");

    let created = client.videos().generate(&params)?;
    println!("task {}", created.id);
    let task = loop {
        let task = client.videos().get(&created.id)?;
        println!("  status: {}", task.status);
        if task.is_finished() {
            break task;
        }
        thread::sleep(interval);
    };
    match (&task.error, task.video_url()) {
        (Some(error), _) => println!("failed: {} {}", error.code, error.message),
        (None, Some(url)) => println!("video: {url}"),
        (None, None) => println!("finished without a video URL"),
    }

    let recent = client
        .videos()
        .list(&ListVideoGenerationsParams::new().limit(5))?;
    println!("{} of {} tasks:", recent.data.len(), recent.total);
    for task in &recent.data {
        println!("  {} {}", task.id, task.status);
    }
    Ok(())
}
