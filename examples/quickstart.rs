//! Run with `cargo run --example quickstart`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` and `MESHAPI_MODEL`
//! are honoured); without, it starts the embedded mock gateway and says so on stderr. It sends
//! one chat completion, then streams another, printing tokens as they arrive.

mod support;

use std::io::Write;

use meshapi::types::chat::ChatCompletionAccumulator;
use meshapi::{ChatCompletionParams, ChatMessage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;
    let model = std::env::var("MESHAPI_MODEL").unwrap_or_else(|_| "openai/gpt-4o-mini".into());
    let params = ChatCompletionParams::new(
        model,
        vec![
            ChatMessage::system("You answer in one short sentence."),
            ChatMessage::user("Say hello to a Rust developer."),
        ],
    );

    let reply = client.chat().completions().create(&params)?;
    let text = reply
        .choices
        .first()
        .and_then(|choice| choice.message.content.as_deref())
        .unwrap_or("<no content>");
    println!("create: {text}");
    if let Some(usage) = &reply.usage {
        println!(
            "        {} prompt + {} completion tokens",
            usage.prompt_tokens, usage.completion_tokens
        );
    }

    print!("stream: ");
    let mut stdout = std::io::stdout();
    let mut whole = ChatCompletionAccumulator::new();
    for chunk in client.chat().completions().stream(&params) {
        let chunk = chunk?;
        for choice in &chunk.choices {
            if let Some(token) = &choice.delta.content {
                print!("{token}");
                stdout.flush()?;
            }
        }
        whole.push(&chunk);
    }
    println!();
    let whole = whole.finish();
    if let (Some(usage), Some(cost)) = (&whole.usage, &whole.cost) {
        println!("        {} tokens, ${cost}", usage.total_tokens);
    }
    Ok(())
}
