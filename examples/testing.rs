//! Run with `cargo run --example testing`.
//!
//! How to test your own code with the embedded mock gateway (feature `mock`). The code under
//! test is `stream_with_restarts`: it streams a chat completion and, when the stream breaks
//! (`stream_interrupted`), starts it again from scratch, a bounded number of times. Each check
//! below is what would be a `#[test]` in your crate: script the gateway by route, run the code,
//! then assert what the gateway saw and what the code returned. The mock checks its own
//! expectations when it is dropped.

use meshapi::mock::{MockReply, MockRoute, MockServer};
use meshapi::{ChatCompletionParams, ChatMessage, Client, ErrorCode, MeshApiError};

const COMPLETIONS: &str = "/v1/chat/completions";

/// What a check returns, as a `#[test]` function may.
type Outcome = Result<(), Box<dyn std::error::Error>>;

/// The code under test: the text of a streamed completion, restarting the whole stream up to
/// `restarts` times when it breaks off; any other error is returned at once.
fn stream_with_restarts(
    client: &Client,
    params: &ChatCompletionParams,
    restarts: u32,
) -> Result<String, MeshApiError> {
    let mut attempt = 0;
    loop {
        let mut text = String::new();
        let outcome: Result<(), MeshApiError> = client
            .chat()
            .completions()
            .stream(params)
            .try_for_each(|chunk| {
                for choice in chunk?.choices {
                    text.push_str(choice.delta.content.as_deref().unwrap_or_default());
                }
                Ok(())
            });
        match outcome {
            Ok(()) => return Ok(text),
            Err(e) if e.code() == &ErrorCode::StreamInterrupted && attempt < restarts => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

fn chunk(text: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]
    })
    .to_string()
}

fn setup() -> Result<(MockServer, Client, ChatCompletionParams), Box<dyn std::error::Error>> {
    // Strict: a request the test did not script is a loud 500, not a friendly default.
    let mock = MockServer::start_strict()?;
    let client = Client::builder()
        .token("rsk_test")
        .base_url(mock.url())
        .build()?;
    let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    Ok((mock, client, params))
}

/// A stream that breaks once is restarted, and only the second stream's text is kept.
fn restarts_a_broken_stream() -> Outcome {
    let (mock, client, params) = setup()?;
    let route = mock.mount(
        MockRoute::new("POST", COMPLETIONS)
            .reply(MockReply::sse().data(&chunk("Hel")).drop_connection())
            .reply(
                MockReply::sse()
                    .data(&chunk("Hello"))
                    .data(&chunk("!"))
                    .done(),
            ),
    );
    let text = stream_with_restarts(&client, &params, 2)?;
    assert_eq!(text, "Hello!", "no text from the broken attempt");
    assert_eq!(route.hits(), 2);
    let bodies: Vec<_> = mock.requests().iter().map(|r| r.body_json()).collect();
    assert!(bodies.iter().all(|b| b.as_ref().unwrap()["stream"] == true));
    Ok(())
}

/// It gives up after its restarts, with the stream's own error.
fn gives_up_after_its_restarts() -> Outcome {
    let (mock, client, params) = setup()?;
    mock.mount(
        MockRoute::new("POST", COMPLETIONS)
            .reply_always(MockReply::sse().data(&chunk("x")).drop_connection())
            .expect(3),
    );
    let err = stream_with_restarts(&client, &params, 2).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
    Ok(())
}

/// An error the gateway answers with is not a reason to restart.
fn does_not_restart_on_an_http_error() -> Outcome {
    let (mock, client, params) = setup()?;
    mock.mount(MockRoute::new("POST", COMPLETIONS).reply(MockReply::error(
        401,
        "unauthorized",
        "Invalid API key",
    )));
    let err = stream_with_restarts(&client, &params, 2).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(mock.requests().len(), 1);
    Ok(())
}

fn main() -> Outcome {
    restarts_a_broken_stream()?;
    gives_up_after_its_restarts()?;
    does_not_restart_on_an_http_error()?;
    println!("ok: 3 checks of stream_with_restarts passed");
    Ok(())
}
