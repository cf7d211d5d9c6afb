//! `client.messages()`: the Anthropic-compatible Messages API (`POST /v1/messages`), whole or
//! streamed.

use crate::client::Client;
use crate::error::MeshApiError;
use crate::resources::WithStream;
use crate::stream::Stream;
use crate::transport::Method;
use crate::types::messages::{Message, MessageAccumulator, MessageParams, MessageStreamEvent};

const MESSAGES: &str = "/v1/messages";

/// The Anthropic-compatible Messages API (`POST /v1/messages`); made by [`Client::messages`].
///
/// Requests, replies and stream events follow Anthropic's published shapes, for any catalog
/// model; `/v1/chat/completions` remains the gateway's widest-coverage entry point. The client
/// authenticates with its usual `Authorization: Bearer` header (the gateway also takes
/// `x-api-key` here, which the crate has no need for). Errors come in Anthropic's envelope,
/// `{"type": "error", "error": {"type": …, "message": …}}`, and map to the same
/// [`ErrorCode`](crate::ErrorCode)s as the gateway's own (`invalid_request_error` →
/// `InvalidRequest`, `overloaded_error` → `UpstreamError`, …; see
/// [`MeshApiError::error_type`]); a body the gateway rejects is a 400 `invalid_request_error`
/// there, not a 422.
///
/// ```no_run
/// let client = meshapi::Client::from_env()?;
/// let messages = client.messages(); // a cheap handle: create, stream
/// # let _ = messages;
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Messages<'a> {
    client: &'a Client,
}

impl<'a> Messages<'a> {
    pub(crate) fn new(client: &'a Client) -> Messages<'a> {
        Messages { client }
    }

    /// Sends a message request and waits for the whole reply (`"stream": false`).
    ///
    /// Retried on 429, 502, 503 and 504 per the client's retry policy.
    ///
    /// ```
    /// use meshapi::types::messages::{InputMessage, MessageParams};
    ///
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// // let client = meshapi::Client::from_env()?;
    /// let params = MessageParams::new(
    ///     "anthropic/claude-sonnet-4",
    ///     256,
    ///     vec![InputMessage::user("What is 2 + 2?")],
    /// )
    /// .system("Answer in one sentence.");
    /// let reply = client.messages().create(&params)?;
    /// println!("{} ({:?}, {} tokens out)", reply.text(), reply.stop_reason, reply.usage.output_tokens);
    /// # assert_eq!(reply.stop_reason.as_deref(), Some("end_turn"));
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(&self, params: &MessageParams) -> Result<Message, MeshApiError> {
        let body = WithStream::new(params, false);
        self.client.json(Method::Post, MESSAGES, Some(&body))
    }

    /// Sends a message request with `"stream": true` and returns its events as they arrive.
    ///
    /// The stream ends cleanly right after `message_stop` (Anthropic's streams send no
    /// `[DONE]`); a connection that closes before it is a `stream_interrupted` error. An `error`
    /// event ends the stream with its mapped error (an `overloaded_error` mid-stream is an
    /// [`UpstreamError`](crate::ErrorCode::UpstreamError) with
    /// [`error_type`](MeshApiError::error_type) `"overloaded_error"`). `ping`s are delivered as
    /// [`MessageStreamEvent::Ping`]. The request is sent at once; an HTTP error is the stream's
    /// first item. Streams are never retried. Join the events into a [`Message`] with
    /// [`accumulate`](Stream::<MessageStreamEvent>::accumulate) or a [`MessageAccumulator`].
    ///
    /// ```
    /// use meshapi::types::messages::{
    ///     ContentBlockDelta, InputMessage, MessageParams, MessageStreamEvent,
    /// };
    ///
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// // let client = meshapi::Client::from_env()?;
    /// let params = MessageParams::new("anthropic/claude-sonnet-4", 256, vec![InputMessage::user("Hi!")]);
    /// for event in client.messages().stream(&params) {
    ///     match event? {
    ///         MessageStreamEvent::ContentBlockDelta(delta) => {
    ///             if let ContentBlockDelta::TextDelta(text) = delta.delta {
    ///                 print!("{}", text.text);
    ///             }
    ///         }
    ///         MessageStreamEvent::MessageDelta(delta) => {
    ///             println!("\n[{:?}]", delta.delta.stop_reason);
    ///         }
    ///         _ => {}
    ///     }
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn stream(&self, params: &MessageParams) -> Stream<MessageStreamEvent> {
        let body = WithStream::new(params, true);
        self.client
            .stream(MESSAGES, &body)
            .ends_after("message_stop", |event| {
                matches!(event, MessageStreamEvent::MessageStop(_))
            })
    }
}

impl Stream<MessageStreamEvent> {
    /// Reads the stream to its end and joins it into one [`Message`], as
    /// [`MessageAccumulator`] does; the message's [`meta`](Message::meta) is the stream's.
    ///
    /// To show text as it arrives and still get the whole message, feed each event to a
    /// [`MessageAccumulator`] yourself.
    ///
    /// ```
    /// use meshapi::types::messages::{InputMessage, MessageParams};
    ///
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// // let client = meshapi::Client::from_env()?;
    /// let params = MessageParams::new("anthropic/claude-sonnet-4", 256, vec![InputMessage::user("Hi!")]);
    /// let message = client.messages().stream(&params).accumulate()?;
    /// println!("{} ({} + {} tokens)", message.text(), message.usage.input_tokens, message.usage.output_tokens);
    /// # assert!(message.text().ends_with("Hi!"));
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn accumulate(mut self) -> Result<Message, MeshApiError> {
        let meta = self.take_meta();
        let request_id = self.request_id().map(str::to_owned);
        let mut accumulator = MessageAccumulator::new();
        for event in self {
            accumulator.push(&event?);
        }
        let mut message = accumulator
            .finish()
            .map_err(|e| e.with_request_id(request_id.as_deref()))?;
        if let Some(meta) = meta {
            message.meta.set(meta);
        }
        Ok(message)
    }
}
