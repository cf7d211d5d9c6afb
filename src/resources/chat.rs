//! `client.chat().completions()`: chat completions, whole or streamed.

use serde::Serialize;

use crate::client::Client;
use crate::error::MeshApiError;
use crate::stream::Stream;
use crate::transport::Method;
use crate::types::chat::{
    ChatCompletionAccumulator, ChatCompletionChunk, ChatCompletionParams, ChatCompletionResponse,
};

const COMPLETIONS: &str = "/v1/chat/completions";

/// The chat resource; made by [`Client::chat`].
#[derive(Debug, Clone, Copy)]
pub struct Chat<'a> {
    client: &'a Client,
}

impl<'a> Chat<'a> {
    pub(crate) fn new(client: &'a Client) -> Chat<'a> {
        Chat { client }
    }

    /// Chat completions: `create` and `stream`.
    pub fn completions(&self) -> Completions<'a> {
        Completions {
            client: self.client,
        }
    }
}

/// `POST /v1/chat/completions`; made by [`Chat::completions`].
#[derive(Debug, Clone, Copy)]
pub struct Completions<'a> {
    client: &'a Client,
}

/// The request body: the caller's params plus the `stream` flag, which the method decides.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(flatten)]
    params: &'a ChatCompletionParams,
    stream: bool,
}

impl Completions<'_> {
    /// Sends a chat completion and waits for the whole reply (`"stream": false`).
    ///
    /// Retried on 429, 502, 503 and 504 per the client's retry policy.
    ///
    /// ```no_run
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    ///
    /// let client = Client::from_env()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![
    ///     ChatMessage::system("Answer in one sentence."),
    ///     ChatMessage::user("What is 2 + 2?"),
    /// ])
    /// .temperature(0.2);
    /// let reply = client.chat().completions().create(&params)?;
    /// println!("{:?}", reply.choices[0].message.content);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(
        &self,
        params: &ChatCompletionParams,
    ) -> Result<ChatCompletionResponse, MeshApiError> {
        let body = Body {
            params,
            stream: false,
        };
        self.client.json(Method::Post, COMPLETIONS, Some(&body))
    }

    /// Sends a chat completion with `"stream": true` and returns its chunks as they arrive.
    ///
    /// The request is sent at once; an HTTP error is the stream's first item. Streams are
    /// never retried. See [`Stream`] for how a stream ends.
    ///
    /// ```no_run
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    ///
    /// let client = Client::from_env()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi!")]);
    /// for chunk in client.chat().completions().stream(&params) {
    ///     for choice in chunk?.choices {
    ///         print!("{}", choice.delta.content.unwrap_or_default());
    ///     }
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn stream(&self, params: &ChatCompletionParams) -> Stream<ChatCompletionChunk> {
        let body = Body {
            params,
            stream: true,
        };
        self.client.stream(COMPLETIONS, &body)
    }
}

impl Stream<ChatCompletionChunk> {
    /// Reads the stream to its end and joins it into one response: content and tool-call
    /// arguments concatenated per index, usage and cost from the final chunk.
    ///
    /// To show tokens as they arrive and still get the whole reply, feed each chunk to a
    /// [`ChatCompletionAccumulator`] yourself.
    ///
    /// ```no_run
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    ///
    /// let client = Client::from_env()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi!")]);
    /// let reply = client.chat().completions().stream(&params).accumulate()?;
    /// println!("{:?} cost {:?}", reply.choices[0].message.content, reply.cost);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn accumulate(self) -> Result<ChatCompletionResponse, MeshApiError> {
        let mut accumulator = ChatCompletionAccumulator::new();
        for chunk in self {
            accumulator.push(&chunk?);
        }
        Ok(accumulator.finish())
    }
}
