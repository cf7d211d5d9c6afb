//! Run with `cargo run --example messages`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` and `MESHAPI_MODEL`
//! are honoured); without, it starts the embedded mock gateway and says so on stderr. Through
//! the Anthropic-compatible Messages API (`POST /v1/messages`) it sends one message, streams
//! another (printing text as it arrives and joining the events into the whole message), then
//! lets the model call a tool and answers with the tool's result.

mod support;

use std::io::Write;

use meshapi::types::messages::{
    ContentBlock, ContentBlockDelta, InputMessage, MessageAccumulator, MessageParams,
    MessageStreamEvent, MessageTool,
};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;
    let model =
        std::env::var("MESHAPI_MODEL").unwrap_or_else(|_| "anthropic/claude-sonnet-4".into());
    let params = MessageParams::new(
        &model,
        256,
        vec![InputMessage::user("Say hello to a Rust developer.")],
    )
    .system("You answer in one short sentence.");

    let reply = client.messages().create(&params)?;
    println!("create: {}", reply.text());
    println!(
        "        stop_reason {:?}, {} input + {} output tokens",
        reply.stop_reason, reply.usage.input_tokens, reply.usage.output_tokens
    );

    print!("stream: ");
    let mut stdout = std::io::stdout();
    let mut whole = MessageAccumulator::new();
    for event in client.messages().stream(&params) {
        let event = event?;
        if let MessageStreamEvent::ContentBlockDelta(delta) = &event {
            if let ContentBlockDelta::TextDelta(text) = &delta.delta {
                print!("{}", text.text);
                stdout.flush()?;
            }
        }
        whole.push(&event);
    }
    println!();
    let whole = whole.finish()?;
    println!(
        "        {} ({} output tokens, from message_delta)",
        whole.id, whole.usage.output_tokens
    );

    let weather = MessageTool::new(
        "get_weather",
        json!({
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}},
            "required": ["city"]
        }),
    )
    .description("The current weather in a city");
    let mut params = MessageParams::new(
        &model,
        512,
        vec![InputMessage::user("What's the weather in Oslo right now?")],
    )
    .tools([weather]);
    let reply = client.messages().create(&params)?;
    let calls: Vec<_> = reply.tool_uses().cloned().collect();
    if calls.is_empty() {
        println!("tools:  no tool call; the model said: {}", reply.text());
        return Ok(());
    }
    let mut results = Vec::new();
    for call in &calls {
        println!("tools:  the model calls {}({})", call.name, call.input);
        // A real program would look the weather up here.
        results.push(ContentBlock::tool_result(&call.id, "-3°C, light snow"));
    }
    params.messages.push(InputMessage::from(reply));
    params.messages.push(InputMessage::user(results));
    let answer = client.messages().stream(&params).accumulate()?;
    println!("        answer: {}", answer.text());
    Ok(())
}
