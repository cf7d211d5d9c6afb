//! `client.compare()`: `POST /v1/chat/compare`: one prompt fanned out to several models.

use crate::client::Client;
use crate::error::MeshApiError;
use crate::resources::WithStream;
use crate::stream::Stream;
use crate::transport::Method;
use crate::types::compare::{
    CompareAccumulator, CompareParams, CompareResponse, CompareStreamEvent,
};

const COMPARE: &str = "/v1/chat/compare";

/// `POST /v1/chat/compare`: one prompt fanned out to several models; made by [`Client::compare`].
///
/// ```no_run
/// let client = meshapi::Client::from_env()?;
/// let compare = client.compare(); // a cheap handle: `create` and `stream`
/// # let _ = compare;
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Compare<'a> {
    client: &'a Client,
}

impl<'a> Compare<'a> {
    pub(crate) fn new(client: &'a Client) -> Compare<'a> {
        Compare { client }
    }

    /// `POST /v1/chat/compare` with `"stream": false`: runs every model and waits for all the
    /// results and the synthesis.
    ///
    /// A model that fails does not fail the call: its [`CompareResult`] carries `error` and
    /// `error_code`, and the response has `partial: true`. Retried on 429, 502, 503 and 504 per
    /// the client's retry policy.
    ///
    /// [`CompareResult`]: crate::types::compare::CompareResult
    ///
    /// ```no_run
    /// use meshapi::{ChatMessage, Client};
    /// use meshapi::types::compare::CompareParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = CompareParams::new(
    ///     ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"],
    ///     vec![ChatMessage::user("Explain SSE in one sentence.")],
    /// );
    /// let reply = client.compare().create(&params)?;
    /// for result in &reply.results {
    ///     match (&result.content, &result.error) {
    ///         (Some(text), _) => println!("{}: {text}", result.model),
    ///         (None, error) => println!("{} failed: {error:?}", result.model),
    ///     }
    /// }
    /// println!("synthesis: {:?}", reply.comparison);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(&self, params: &CompareParams) -> Result<CompareResponse, MeshApiError> {
        let body = WithStream::new(params, false);
        self.client.json(Method::Post, COMPARE, Some(&body))
    }

    /// `POST /v1/chat/compare` with `"stream": true`: the models' text fragments, completions,
    /// failures and the synthesis as they arrive.
    ///
    /// Each event's [`event`](CompareStreamEvent::event) is the SSE event name (such as
    /// `delta`). A failing model arrives as an ordinary event with a string `error`; the other
    /// models go on. The stream ends with an `Err` only for a frame whose `error` is an object
    /// (the whole comparison failed), a broken connection, or an HTTP error (its first item).
    /// Streams are never retried.
    ///
    /// ```no_run
    /// use meshapi::{ChatMessage, Client};
    /// use meshapi::types::compare::CompareParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = CompareParams::new(
    ///     ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"],
    ///     vec![ChatMessage::user("Hi!")],
    /// );
    /// for event in client.compare().stream(&params) {
    ///     let event = event?;
    ///     match (event.event.as_deref(), &event.model, &event.delta, &event.error) {
    ///         (Some("delta"), Some(model), Some(text), _) => println!("[{model}] {text}"),
    ///         (_, Some(model), _, Some(error)) => println!("[{model}] failed: {error}"),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn stream(&self, params: &CompareParams) -> Stream<CompareStreamEvent> {
        let body = WithStream::new(params, true);
        self.client.stream(COMPARE, &body).with_event_names()
    }
}

impl Stream<CompareStreamEvent> {
    /// Reads the stream to its end and joins it with a [`CompareAccumulator`]: each model's
    /// text, errors, latency and usage, and the synthesis.
    ///
    /// ```no_run
    /// use meshapi::{ChatMessage, Client};
    /// use meshapi::types::compare::CompareParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = CompareParams::new(
    ///     ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"],
    ///     vec![ChatMessage::user("Hi!")],
    /// );
    /// let whole = client.compare().stream(&params).accumulate()?;
    /// for result in &whole.results {
    ///     println!("{}: {:?} {:?}", result.model, result.content, result.error);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn accumulate(self) -> Result<CompareAccumulator, MeshApiError> {
        let mut accumulator = CompareAccumulator::new();
        for event in self {
            accumulator.push(&event?);
        }
        Ok(accumulator)
    }
}
