use std::time::Duration;

use meshapi::mock::MockServer;
use meshapi::{ChatCompletionParams, ChatMessage, Client, ClientBuilder};

pub const TOKEN: &str = "rsk_test_0123456789abcdef";

/// A builder aimed at `mock`, with millisecond backoff so retry tests run fast.
pub fn builder(mock: &MockServer) -> ClientBuilder {
    Client::builder()
        .token(TOKEN)
        .base_url(mock.url())
        .timeout(Duration::from_secs(10))
        .retry_base_delay(Duration::from_millis(1))
        .retry_max_delay(Duration::from_millis(20))
}

pub fn client(mock: &MockServer) -> Client {
    builder(mock).build().expect("client")
}

pub fn mock() -> MockServer {
    MockServer::start().expect("mock server")
}

pub fn params() -> ChatCompletionParams {
    ChatCompletionParams::new(
        "openai/gpt-4o-mini",
        vec![ChatMessage::user("What is 2 + 2?")],
    )
}

/// One chat chunk frame's JSON with the given delta content.
pub fn chunk(content: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1712345678,
        "model": "openai/gpt-4o-mini",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]
    })
    .to_string()
}

/// The text of every content delta of a stream, joined, or the stream's error.
pub fn collect_text(
    stream: impl Iterator<Item = Result<meshapi::ChatCompletionChunk, meshapi::MeshApiError>>,
) -> Result<String, meshapi::MeshApiError> {
    let mut text = String::new();
    for chunk in stream {
        for choice in chunk?.choices {
            text.push_str(choice.delta.content.as_deref().unwrap_or_default());
        }
    }
    Ok(text)
}

pub const FIXTURE_RESPONSE: &str = include_str!("../fixtures/py_chat_completion_response.json");
pub const FIXTURE_401: &str = include_str!("../fixtures/py_error_401.json");
pub const FIXTURE_422: &str = include_str!("../fixtures/py_error_422.json");
pub const FIXTURE_429: &str = include_str!("../fixtures/py_error_429.json");

/// An error and its sources, as an error-chain reporter prints them: `a: b: c`.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
