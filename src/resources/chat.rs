//! `client.chat().completions()`: chat completions, whole or streamed.

use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{ErrorCode, MeshApiError};
use crate::events::{Event, FallbackEvent};
use crate::meta::ResponseMeta;
use crate::resources::WithStream;
use crate::stream::Stream;
use crate::transport::Method;
use crate::types::chat::{
    ChatCompletionAccumulator, ChatCompletionChunk, ChatCompletionParams, ChatCompletionResponse,
    ChatMessage, ParsedCompletion, StructuredOutput,
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
        fallback(
            self.client,
            params,
            |params| {
                let body = WithStream::new(params, false);
                self.client.json(Method::Post, COMPLETIONS, Some(&body))
            },
            |reply: &mut ChatCompletionResponse| reply.meta.get_mut(),
        )
    }

    /// Sends a chat completion with `"stream": true` and returns its chunks as they arrive.
    ///
    /// The request is sent at once; an HTTP error is the stream's first item. Streams are
    /// never retried; with a model fallback chain, a stream that fails to open moves on to the
    /// next model, one that has opened never does. See [`Stream`] for how a stream ends.
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
        let open = |params: &ChatCompletionParams| {
            let body = WithStream::new(params, true);
            let stream = self.client.stream(COMPLETIONS, &body);
            match stream.failed_to_open() {
                Some(_) => Err(stream),
                None => Ok(stream),
            }
        };
        let result = fallback_by(
            self.client,
            params,
            open,
            |stream| stream.failed_to_open(),
            Stream::meta_mut,
        );
        result.unwrap_or_else(|stream| stream)
    }
}

impl Completions<'_> {
    /// Structured output: asks for a reply following `output`'s JSON Schema and decodes it
    /// into `T`.
    ///
    /// The call is [`create`](Completions::create) with `response_format` replaced by the
    /// schema. The reply text is the first choice's content (none counts as `""`). A reply that
    /// is not JSON, or is JSON of another shape than `T`, is an error with code
    /// [`ErrorCode::StructuredOutputParseError`] whose message says which of the two it was and
    /// quotes the model's text; "not JSON" usually means the model does not support structured
    /// output (see `ModelInfo::supports_structured_output`).
    ///
    /// With [`StructuredOutput::max_reasks`] above 0, a bad reply is sent back as an assistant
    /// turn followed by a user turn quoting the problem, and the model is asked again: **every
    /// re-ask is a new, billed call**. HTTP errors are returned at once, after the client's
    /// usual retries.
    ///
    /// ```no_run
    /// use meshapi::types::chat::StructuredOutput;
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client, ErrorCode};
    /// use serde_json::json;
    ///
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Verdict { positive: bool, confidence: f64 }
    ///
    /// let client = Client::from_env()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![
    ///     ChatMessage::user("Is 'what a lovely day' positive? Answer as JSON."),
    /// ]);
    /// let schema = json!({
    ///     "type": "object",
    ///     "properties": {"positive": {"type": "boolean"}, "confidence": {"type": "number"}},
    ///     "required": ["positive", "confidence"],
    ///     "additionalProperties": false
    /// });
    /// let output = StructuredOutput::new(schema).name("verdict").max_reasks(1);
    /// match client.chat().completions().parse::<Verdict>(&params, &output) {
    ///     Ok(reply) => println!("{:?}", reply.parsed),
    ///     Err(e) if e.code() == &ErrorCode::StructuredOutputParseError => eprintln!("{e}"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn parse<T: DeserializeOwned>(
        &self,
        params: &ChatCompletionParams,
        output: &StructuredOutput,
    ) -> Result<ParsedCompletion<T>, MeshApiError> {
        let mut params = params.clone();
        params.response_format = Some(output.response_format());
        let mut calls = 0;
        loop {
            let response = self.create(&params)?;
            calls += 1;
            let choice = response.choices.first();
            let text = choice
                .and_then(|c| c.message.content.clone())
                .unwrap_or_default();
            let cut_off = choice.and_then(|c| c.finish_reason.as_deref()) == Some("length");
            let failure = match parse_reply::<T>(&text) {
                Ok(parsed) => {
                    return Ok(ParsedCompletion {
                        parsed,
                        response,
                        calls,
                    });
                }
                Err(failure) => failure,
            };
            if calls > output.max_reasks {
                return Err(failure.into_error::<T>(&text, calls, cut_off));
            }
            params.messages.push(ChatMessage::assistant(text));
            params.messages.push(ChatMessage::user(format!(
                "Your previous reply could not be used: it {} ({}). Reply again with only a JSON \
                 value that follows the requested schema, and no other text.",
                failure.describe::<T>(),
                failure.cause()
            )));
        }
    }
}

/// Why a structured-output reply could not be used.
#[derive(Debug)]
enum ParseFailure {
    NotJson(serde_json::Error),
    WrongShape(serde_json::Error),
}

fn parse_reply<T: DeserializeOwned>(text: &str) -> Result<T, ParseFailure> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(ParseFailure::NotJson)?;
    T::deserialize(value).map_err(ParseFailure::WrongShape)
}

impl ParseFailure {
    /// The JSON error, which the model is shown when it is asked again.
    fn cause(&self) -> &serde_json::Error {
        let (ParseFailure::NotJson(cause) | ParseFailure::WrongShape(cause)) = self;
        cause
    }

    fn describe<T>(&self) -> String {
        match self {
            ParseFailure::NotJson(_) => "is not valid JSON".to_owned(),
            ParseFailure::WrongShape(_) => format!(
                "is JSON but does not fit the expected shape `{}`",
                std::any::type_name::<T>()
            ),
        }
    }

    fn into_error<T>(self, text: &str, calls: u32, cut_off: bool) -> MeshApiError {
        let hint = match (&self, cut_off) {
            (_, true) => " The reply was cut off at the token limit (finish_reason \"length\").",
            (ParseFailure::NotJson(_), false) => {
                " The model may not support structured output (see ModelInfo::supports_structured_output)."
            }
            (ParseFailure::WrongShape(_), false) => "",
        };
        let message = format!(
            "structured output unusable after {calls} call(s): the reply {}.{hint} Reply: {text}",
            self.describe::<T>()
        );
        let (ParseFailure::NotJson(source) | ParseFailure::WrongShape(source)) = self;
        MeshApiError::new(ErrorCode::StructuredOutputParseError, message).with_source(source)
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
    pub fn accumulate(mut self) -> Result<ChatCompletionResponse, MeshApiError> {
        let meta = self.take_meta();
        let mut accumulator = ChatCompletionAccumulator::new();
        for chunk in self {
            accumulator.push(&chunk?);
        }
        let mut reply = accumulator.finish();
        if let Some(meta) = meta {
            reply.meta.set(meta);
        }
        Ok(reply)
    }
}

/// Calls `call` with `params`, then, while the failure is one the client's fallback chain
/// covers, with each model of the chain in turn; records the hop in the answer's metadata.
fn fallback<T>(
    client: &Client,
    params: &ChatCompletionParams,
    call: impl FnMut(&ChatCompletionParams) -> Result<T, MeshApiError>,
    meta: impl FnMut(&mut T) -> Option<&mut ResponseMeta>,
) -> Result<T, MeshApiError> {
    fallback_by(client, params, call, |err| Some(err), meta)
}

/// [`fallback`] for a call whose failure `F` holds its error (a stream that failed to open).
fn fallback_by<T, F>(
    client: &Client,
    params: &ChatCompletionParams,
    mut call: impl FnMut(&ChatCompletionParams) -> Result<T, F>,
    error: impl Fn(&F) -> Option<&MeshApiError>,
    mut meta: impl FnMut(&mut T) -> Option<&mut ResponseMeta>,
) -> Result<T, F> {
    let (models, statuses) = client.fallback_chain();
    let chain: Vec<&str> = models
        .iter()
        .map(String::as_str)
        .filter(|model| params.model.as_deref() != Some(*model))
        .collect();
    let mut failure = match call(params) {
        Ok(answer) => return Ok(answer),
        Err(failure) => failure,
    };
    let mut from = params
        .model
        .as_deref()
        .filter(|model| !model.is_empty())
        .unwrap_or("(key default)");
    for (index, model) in chain.iter().enumerate() {
        let Some(err) = error(&failure).filter(|err| falls_back(err, statuses)) else {
            break;
        };
        client.listeners().event(&Event::Fallback(FallbackEvent {
            from_model: from.to_owned(),
            to_model: (*model).to_owned(),
            chain_index: index,
            chain_length: chain.len(),
            status: err.status(),
            code: err.code().as_str().to_owned(),
            request_id: err.request_id().map(str::to_owned),
        }));
        let mut hop = params.clone();
        hop.model = Some((*model).to_owned());
        match call(&hop) {
            Ok(mut answer) => {
                if let Some(meta) = meta(&mut answer) {
                    meta.set_fallback(model, u32::try_from(index + 1).unwrap_or(u32::MAX));
                }
                return Ok(answer);
            }
            Err(next) => failure = next,
        }
        from = model;
    }
    Err(failure)
}

/// Whether the fallback chain moves on after `err`: a status it covers, or a connection that
/// failed (never a timeout, which may have been served and billed).
fn falls_back(err: &MeshApiError, statuses: &[u16]) -> bool {
    match err.status() {
        Some(status) => statuses.contains(&status),
        None => err.code() == &ErrorCode::Connection,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct City {
        name: String,
    }

    #[test]
    fn replies_parse_or_say_why_not() {
        assert_eq!(
            parse_reply::<City>(r#"{"name":"Paris"}"#).unwrap(),
            City {
                name: "Paris".into()
            }
        );
        let not_json = parse_reply::<City>("Paris, of course.").unwrap_err();
        assert!(matches!(not_json, ParseFailure::NotJson(_)));
        let err = not_json.into_error::<City>("Paris, of course.", 1, false);
        assert_eq!(err.code(), &ErrorCode::StructuredOutputParseError);
        assert_eq!(err.status(), None);
        assert!(!err.is_retryable());
        assert!(
            err.message().contains("is not valid JSON"),
            "{}",
            err.message()
        );
        assert!(err.message().contains("supports_structured_output"));
        assert!(err.message().ends_with("Reply: Paris, of course."));

        let shape = parse_reply::<City>(r#"{"city":"Paris"}"#).unwrap_err();
        assert!(matches!(shape, ParseFailure::WrongShape(_)));
        let err = shape.into_error::<City>(r#"{"city":"Paris"}"#, 3, false);
        assert!(
            err.message().contains("is JSON but does not fit"),
            "{}",
            err.message()
        );
        assert!(err.message().contains("after 3 call(s)"));
        // The serde error is the source, and is not repeated in the message.
        let source = std::error::Error::source(&err).map(ToString::to_string);
        assert!(source.is_some_and(|s| s.contains("missing field `name`")));
        assert!(
            !err.message().contains("missing field"),
            "{}",
            err.message()
        );

        let cut = parse_reply::<City>(r#"{"name":"Par"#).unwrap_err();
        let err = cut.into_error::<City>(r#"{"name":"Par"#, 1, true);
        assert!(err.message().contains("cut off"), "{}", err.message());
        assert!(matches!(
            parse_reply::<City>(""),
            Err(ParseFailure::NotJson(_))
        ));
        assert!(matches!(
            parse_reply::<City>("null"),
            Err(ParseFailure::WrongShape(_))
        ));
    }
}
