//! Run with `cargo run --example structured`.
//!
//! Structured output: ask for a reply that follows a JSON Schema and decode it into a Rust
//! type, allowing one re-ask (a second, billed call) if the model's first reply does not fit.
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_MODEL` is honoured); without,
//! the embedded mock gateway answers with a value built from the schema.

mod support;

use meshapi::types::chat::StructuredOutput;
use meshapi::{ChatCompletionParams, ChatMessage, ErrorCode};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
struct Recipe {
    title: String,
    servings: u32,
    ingredients: Vec<String>,
    vegetarian: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;
    let model = std::env::var("MESHAPI_MODEL").unwrap_or_else(|_| "openai/gpt-4o-mini".into());

    let schema = json!({
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "servings": {"type": "integer"},
            "ingredients": {"type": "array", "items": {"type": "string"}},
            "vegetarian": {"type": "boolean"}
        },
        "required": ["title", "servings", "ingredients", "vegetarian"],
        "additionalProperties": false
    });
    let params = ChatCompletionParams::new(
        model,
        vec![ChatMessage::user(
            "A simple pancake recipe for two, as JSON.",
        )],
    );
    let output = StructuredOutput::new(schema).name("recipe").max_reasks(1);

    match client
        .chat()
        .completions()
        .parse::<Recipe>(&params, &output)
    {
        Ok(reply) => {
            let recipe = reply.parsed;
            println!(
                "{} (serves {}, vegetarian: {})",
                recipe.title, recipe.servings, recipe.vegetarian
            );
            for ingredient in &recipe.ingredients {
                println!("  - {ingredient}");
            }
            println!("{} call(s), cost {:?}", reply.calls, reply.response.cost);
        }
        Err(e) if e.code() == &ErrorCode::StructuredOutputParseError => {
            eprintln!("the model's reply did not fit the schema: {e}");
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
