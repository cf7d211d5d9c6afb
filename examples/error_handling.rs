//! Run with `cargo run --example error_handling`.
//!
//! The Python SDK's error-handling example, in Rust: one `match` on [`ErrorCode`]. Without
//! `MESHAPI_TOKEN` it scripts the embedded mock gateway to answer with each kind of error in
//! turn; with it, it asks the real gateway for a model that does not exist.

use meshapi::mock::{MockReply, MockServer};
use meshapi::{ChatCompletionParams, ChatMessage, Client, ErrorCode, MeshApiError};

fn report(e: &MeshApiError) {
    println!(
        "[{}] {}: {}",
        e.status().map_or("-".into(), |s| s.to_string()),
        e.code(),
        e.message()
    );
    println!("    request id: {}", e.request_id().unwrap_or("none"));
    match e.code() {
        ErrorCode::RateLimitExceeded => println!("    retry after {:?}", e.retry_after()),
        ErrorCode::SpendLimitExceeded => {
            println!("    account balance exhausted; top up to continue")
        }
        ErrorCode::Unauthorized => println!("    invalid API key"),
        ErrorCode::ModelNotFound => println!("    model not supported"),
        ErrorCode::UpstreamError => match e.provider_error() {
            Some(provider) => println!("    provider error: {provider}"),
            None => println!("    provider error (no details)"),
        },
        ErrorCode::ValidationError => {
            for detail in e.details() {
                println!("    invalid request: {detail}");
            }
        }
        _ => println!("    (other error)"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let params = ChatCompletionParams::new(
        "no-such-brand/no-such-model",
        vec![ChatMessage::user("Hello")],
    );
    if std::env::var_os(meshapi::ENV_TOKEN).is_some() {
        match Client::from_env()?.chat().completions().create(&params) {
            Ok(_) => println!("unexpected success"),
            Err(e) => report(&e),
        }
        return Ok(());
    }

    let mock = MockServer::start()?;
    eprintln!(
        "{} is not set: scripting the embedded mock gateway",
        meshapi::ENV_TOKEN
    );
    // One attempt per call, so each scripted reply is seen exactly once.
    let client = Client::builder()
        .token("rsk_mock")
        .base_url(mock.url())
        .max_retries(0)
        .build()?;
    let replies = [
        MockReply::error(401, "unauthorized", "Invalid or missing API key."),
        MockReply::error(402, "spend_limit_exceeded", "Account balance at zero."),
        MockReply::error(404, "model_not_found", "Model not supported."),
        MockReply::json(
            422,
            r#"{"error":{"code":"validation_error","message":"Request validation failed.","details":[{"type":"missing","loc":["body","messages"],"msg":"Field required"}]},"request_id":"req_01HZABC"}"#,
        ),
        MockReply::error(429, "rate_limit_exceeded", "Rate limit exceeded.")
            .header("Retry-After", "5"),
        MockReply::json(
            502,
            r#"{"error":{"code":"upstream_error","message":"Provider failed.","provider_error":{"type":"overloaded_error"}}}"#,
        ),
    ];
    for reply in replies {
        mock.enqueue(reply);
        match client.chat().completions().create(&params) {
            Ok(_) => println!("unexpected success"),
            Err(e) => report(&e),
        }
    }
    Ok(())
}
