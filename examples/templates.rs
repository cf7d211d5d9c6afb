//! Run with `cargo run --example templates`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` is honoured);
//! without, it starts the embedded mock gateway and says so on stderr. It creates a prompt
//! template, lists, reads and updates it, uses it for a chat completion, and deletes it.

mod support;

use meshapi::types::templates::{CreateTemplateParams, UpdateTemplateParams};
use meshapi::{ChatCompletionParams, ChatMessage, ErrorCode};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;
    let templates = client.templates();
    // A unique name, so that repeated runs against a real account do not collide.
    let name = format!("rust-sdk-example-{}", std::process::id());

    let created = templates.create(
        &CreateTemplateParams::new(name.as_str())
            .description("Answers like a pirate")
            .system("You are a helpful assistant who speaks like a pirate. Topic: {{topic}}")
            .model("openai/gpt-4o-mini")
            .variables(["topic"]),
    )?;
    println!(
        "created {} ({}) at {}",
        created.name, created.id, created.created_at
    );

    for template in templates.list()? {
        println!("  listed {} {}", template.id, template.name);
    }

    let updated = templates.update(
        &created.id,
        &UpdateTemplateParams::new().description("Answers like a pirate, briefly"),
    )?;
    println!(
        "updated: {:?} (updated_at {})",
        updated.description, updated.updated_at
    );
    println!("get: system = {:?}", templates.get(&created.id)?.system);

    let params = ChatCompletionParams::from_template(
        name.as_str(),
        vec![ChatMessage::user("Tell me about the sea.")],
    )
    .variable("topic", "the sea");
    match client.chat().completions().create(&params) {
        Ok(reply) => println!(
            "chat with the template: {}",
            reply
                .choices
                .first()
                .and_then(|c| c.message.content.as_deref())
                .unwrap_or("<no content>")
        ),
        Err(e) => println!("chat with the template failed: {e}"),
    }

    templates.delete(&created.id)?;
    match templates.get(&created.id) {
        Err(e) if e.code() == &ErrorCode::NotFound => println!("deleted: {}", e.message()),
        other => println!("unexpected after delete: {other:?}"),
    }
    Ok(())
}
