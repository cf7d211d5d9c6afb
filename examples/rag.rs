//! Run with `cargo run --example rag`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` is honoured);
//! without, it starts the embedded mock gateway (which is its own storage host) and says so on
//! stderr. It uploads a small document through its signed URL, waits until it is uploaded and
//! embedded, searches it, and lists the account's files page by page.

mod support;

use std::time::{Duration, Instant};

use meshapi::Client;
use meshapi::types::rag::{
    EmbedRagFilesParams, ListRagFilesParams, RagFileStatus, SearchRagFilesParams, UploadFileParams,
};

const DOCUMENT: &str = "# Returns policy
Refunds are accepted within 30 days of delivery.
Items must be unused and in their original packaging.
Shipping costs are refunded only for damaged items.
";

/// Polls the file until `done` says so, or gives up after `limit`.
fn wait_for(
    client: &Client,
    file_id: &str,
    limit: Duration,
    poll: Duration,
    done: impl Fn(&RagFileStatus) -> bool,
) -> Result<RagFileStatus, Box<dyn std::error::Error>> {
    let start = Instant::now();
    loop {
        let file = client.rag().get(file_id)?;
        if done(&file) {
            return Ok(file);
        }
        if start.elapsed() > limit {
            return Err(format!("gave up waiting for {file_id}: {file:?}").into());
        }
        std::thread::sleep(poll);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, mock) = support::client()?;
    let poll = if mock.is_some() {
        Duration::from_millis(10)
    } else {
        Duration::from_secs(2)
    };

    let init = client.rag().upload(
        &UploadFileParams::new("returns-policy.md", "text/markdown", DOCUMENT)
            .metadata(serde_json::json!({"team": "support"})),
    )?;
    println!(
        "uploaded {} (signed URL valid until {})",
        init.file_id, init.expires_at
    );

    let file = wait_for(&client, &init.file_id, Duration::from_secs(30), poll, |f| {
        f.upload_status == "ready"
    })?;
    println!(
        "  upload {} ({:?} bytes)",
        file.upload_status, file.size_bytes
    );

    for result in client
        .rag()
        .embed(&EmbedRagFilesParams::new([init.file_id.as_str()]))?
        .results
    {
        println!(
            "  embed {}: {} ({:?} chunks) {}",
            result.file_id,
            result.embedding_status,
            result.chunk_count,
            result.error.unwrap_or_default()
        );
    }
    let file = wait_for(&client, &init.file_id, Duration::from_secs(90), poll, |f| {
        f.embedding_status != "pending"
    })?;
    println!(
        "  embedding {} ({} tokens, ${})",
        file.embedding_status,
        file.total_tokens.unwrap_or_default(),
        file.total_cost_usd
            .map_or_else(|| "?".to_owned(), |usd| format!("{usd:.8}"))
    );

    let found = client.rag().search(
        &SearchRagFilesParams::new("refunds within how many days")
            .top_k(3)
            .file_ids([init.file_id.as_str()]),
    )?;
    println!("search:");
    for hit in &found.results {
        println!("  {:.2} {}", hit.score, hit.text);
    }

    println!("files:");
    for file in client
        .rag()
        .paginate(&ListRagFilesParams::new().limit(20))
        .take(20)
    {
        let file = file?;
        println!(
            "  {} {} upload={} embedding={}",
            file.file_id, file.file_name, file.upload_status, file.embedding_status
        );
    }
    Ok(())
}
