//! Run with `cargo run --example batches`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` and `MESHAPI_MODEL`
//! are honoured; the model must support batches, `openai/gpt-5-nano` does); without, it starts
//! the embedded mock gateway and says so on stderr. It creates a batch of two questions, polls
//! it until it has finished, prints the answers, then lists the account's batches page by page.

mod support;

use std::time::Duration;

use meshapi::types::batches::{BatchRequest, CreateBatchParams, ListBatchesParams};
use meshapi::{ChatCompletionParams, ChatCompletionResponse, ChatMessage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, mock) = support::client()?;
    let model = std::env::var("MESHAPI_MODEL").unwrap_or_else(|_| "openai/gpt-5-nano".into());
    let ask = |q: &str| ChatCompletionParams::new(model.as_str(), vec![ChatMessage::user(q)]);

    let batch = client.batches().create(
        &CreateBatchParams::new([
            BatchRequest::new("q-1", ask("What is 2 + 2?")),
            BatchRequest::new("q-2", ask("Name one prime number.")),
        ])
        .completion_window("24h"),
    )?;
    println!("created {} ({:?})", batch.id, batch.status);

    let poll = if mock.is_some() {
        Duration::from_millis(10)
    } else {
        Duration::from_secs(10)
    };
    let finished = loop {
        let batch = client.batches().get(&batch.id)?;
        match batch.status.as_deref() {
            Some("completed" | "failed" | "expired" | "cancelled") => break batch,
            status => println!("  {status:?}, waiting"),
        }
        std::thread::sleep(poll);
    };
    println!("{} is {:?}", finished.id, finished.status);
    for result in &finished.results {
        let Some(response) = &result.response else {
            println!("  {}: no response", result.custom_id);
            continue;
        };
        match serde_json::from_value::<ChatCompletionResponse>(response.body.clone()) {
            Ok(reply) => println!(
                "  {}: {}",
                result.custom_id,
                reply
                    .choices
                    .first()
                    .and_then(|c| c.message.content.as_deref())
                    .unwrap_or("<no content>")
            ),
            Err(_) => println!(
                "  {}: HTTP {} {}",
                result.custom_id, response.status_code, response.body
            ),
        }
    }

    println!("all batches:");
    for batch in client
        .batches()
        .paginate(&ListBatchesParams::new().limit(2))
        .take(10)
    {
        let batch = batch?;
        println!("  {} {:?}", batch.id, batch.status);
    }
    Ok(())
}
