//! Run with `cargo run --example stream_restart`.
//!
//! Streams are never retried by the SDK. When a connection drops mid-stream the iterator yields
//! `stream_interrupted`; this example restarts the request from scratch, as the Python SDK's
//! docs advise, and discards the partial text. Without `MESHAPI_TOKEN`, the embedded mock
//! gateway drops the first stream after two chunks.

mod support;

use meshapi::mock::MockReply;
use meshapi::{ChatCompletionParams, ChatMessage, Client, ErrorCode, MeshApiError};

const MAX_ATTEMPTS: u32 = 3;

/// Streams one completion to its end, returning the joined text.
fn stream_once(client: &Client, params: &ChatCompletionParams) -> Result<String, MeshApiError> {
    let mut text = String::new();
    for chunk in client.chat().completions().stream(params) {
        for choice in chunk?.choices {
            text.push_str(choice.delta.content.as_deref().unwrap_or_default());
        }
    }
    Ok(text)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, mock) = support::client()?;
    if let Some(mock) = &mock {
        let chunk = |text: &str| {
            format!(
                r#"{{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1712345678,"model":"openai/gpt-4o-mini","choices":[{{"index":0,"delta":{{"content":"{text}"}},"finish_reason":null}}]}}"#
            )
        };
        mock.enqueue(
            MockReply::sse()
                .data(&chunk("Once upon"))
                .data(&chunk(" a time"))
                .drop_connection(),
        );
    }
    let params = ChatCompletionParams::new(
        "openai/gpt-4o-mini",
        vec![ChatMessage::user("Tell me a very short story.")],
    );

    for attempt in 1..=MAX_ATTEMPTS {
        match stream_once(&client, &params) {
            Ok(text) => {
                println!("attempt {attempt}: {text}");
                return Ok(());
            }
            Err(e) if e.code() == &ErrorCode::StreamInterrupted => {
                println!("attempt {attempt}: {e}; restarting from scratch");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(format!("the stream was interrupted {MAX_ATTEMPTS} times").into())
}
