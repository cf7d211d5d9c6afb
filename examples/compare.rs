//! Run with `cargo run --example compare`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` is honoured, and
//! `MESHAPI_COMPARE_MODELS` may list comma-separated model ids); without, it starts the embedded
//! mock gateway, where a model whose id contains `fail` fails on purpose. It runs one comparison
//! whole, then streams it, printing each event as it arrives and each model's joined text.

mod support;

use meshapi::ChatMessage;
use meshapi::types::compare::{CompareAccumulator, CompareParams};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, mock) = support::client()?;
    let models: Vec<String> = match std::env::var("MESHAPI_COMPARE_MODELS") {
        Ok(list) => list.split(',').map(|m| m.trim().to_owned()).collect(),
        Err(_) if mock.is_some() => vec![
            "openai/gpt-4o-mini".into(),
            "anthropic/claude-3-5-haiku".into(),
            "acme/always-fail".into(),
        ],
        Err(_) => vec![
            "openai/gpt-4o-mini".into(),
            "anthropic/claude-3-5-haiku".into(),
        ],
    };
    let params = CompareParams::new(
        models,
        vec![ChatMessage::user(
            "In one sentence: why do people like Rust?",
        )],
    )
    .max_tokens(80);

    let reply = client.compare().create(&params)?;
    println!("create: comparison {}", reply.comparison_id);
    for result in &reply.results {
        match (&result.content, &result.error) {
            (Some(text), _) => println!("  [{}] {text}", result.model),
            (None, error) => println!(
                "  [{}] failed ({}): {}",
                result.model,
                result.error_code.as_deref().unwrap_or("?"),
                error.as_deref().unwrap_or("no message")
            ),
        }
    }
    if let Some(synthesis) = &reply.comparison {
        println!("  synthesis: {synthesis}");
    }
    println!(
        "  {} ms in all{}",
        reply.total_latency_ms,
        if reply.partial == Some(true) {
            ", some models failed"
        } else {
            ""
        }
    );

    // Deltas of different models interleave, so print one line per event, then the joined text.
    println!("stream:");
    let mut whole = CompareAccumulator::new();
    for event in client.compare().stream(&params) {
        let event = event?;
        let name = event.event.as_deref().unwrap_or("message");
        let who = match (name, &event.model, &event.comparison_model) {
            ("comparison", _, Some(judge)) => format!("synthesis by {judge}"),
            (_, Some(model), _) => model.clone(),
            _ => String::new(),
        };
        match (&event.delta, &event.error) {
            (Some(delta), _) => println!("  {name:<11} {who:<30} {delta:?}"),
            (None, Some(error)) => println!("  {name:<11} {who:<30} failed: {error}"),
            (None, None) => println!("  {name:<11} {who}"),
        }
        whole.push(&event);
    }
    println!("joined:");
    for result in &whole.results {
        let text = result.content.as_deref().or(result.error.as_deref());
        println!("  [{}] {}", result.model, text.unwrap_or_default());
    }
    if let Some(synthesis) = &whole.comparison {
        println!("  synthesis: {synthesis}");
    }
    println!(
        "  comparison {:?}, {:?} ms",
        whole.comparison_id, whole.total_latency_ms
    );
    Ok(())
}
