//! [`Stream`]: a server-sent event stream of typed items, on top of [`crate::sse`].

use std::fmt;
use std::io::{self, Read};
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ErrorCode, MeshApiError, snippet};
use crate::meta::ResponseMeta;
use crate::sse::SseDecoder;
use crate::transport::{self, BodyReader, Response};

/// An iterator over the items of a streamed response.
///
/// Every item is `Ok(T)` until the stream ends: cleanly at `data: [DONE]` (then `None`) or, for
/// a Messages stream, right after its `message_stop` event; or with
/// one `Err` — the HTTP error that refused the stream, an error frame from the gateway, a frame
/// that does not decode (`parse_error`), a broken or truncated connection
/// (`stream_interrupted`), or no data within the idle timeout (`timeout`). After an `Err` the
/// iterator returns `None`. Streams are never retried: restart them from scratch.
///
/// Dropping a `Stream` early closes its connection.
///
/// ```no_run
/// use meshapi::{ChatCompletionParams, ChatMessage, Client};
///
/// let client = Client::from_env()?;
/// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi!")]);
/// for chunk in client.chat().completions().stream(&params) {
///     let chunk = chunk?;
///     if let Some(text) = chunk.choices.first().and_then(|c| c.delta.content.as_deref()) {
///         print!("{text}");
///     }
/// }
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
pub struct Stream<T> {
    state: State,
    request_id: Option<String>,
    meta: Option<Box<ResponseMeta>>,
    /// Copy each SSE event's name into the item's `event` field (compare events).
    event_names: bool,
    /// For a stream that ends after an item of its own rather than at `[DONE]`.
    last: Option<LastItem<T>>,
    item: PhantomData<fn() -> T>,
}

/// The item that ends a stream cleanly, for event sequences without `[DONE]` (Anthropic's ends
/// after `message_stop`).
struct LastItem<T> {
    is_last: fn(&T) -> bool,
    /// What the item is called, for the error when the connection closes before it.
    name: &'static str,
}

enum State {
    Failed(MeshApiError),
    Open(Box<SseDecoder<BodyReader>>),
    Done,
}

impl<T> fmt::Debug for Stream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Failed(_) => "failed",
            State::Open(_) => "open",
            State::Done => "done",
        };
        f.debug_struct("Stream")
            .field("state", &state)
            .field("request_id", &self.request_id)
            .finish()
    }
}

impl<T> Stream<T> {
    pub(crate) fn failed(err: MeshApiError) -> Stream<T> {
        Stream {
            state: State::Failed(err),
            request_id: None,
            meta: None,
            event_names: false,
            last: None,
            item: PhantomData,
        }
    }

    pub(crate) fn open(
        mut response: Response,
        max_event_size: usize,
        meta: Option<ResponseMeta>,
    ) -> Stream<T> {
        let request_id = response.request_id().map(str::to_owned);
        if !response.is_success() {
            return Stream::failed(response.into_error());
        }
        if let Some(err) = response.encoding_error() {
            return Stream::failed(err);
        }
        let status = response.status();
        let event_stream = response
            .content_type()
            .is_none_or(|ct| ct.to_ascii_lowercase().contains("text/event-stream"));
        if !event_stream {
            let content_type = response.content_type().unwrap_or_default().to_owned();
            let (body, cut) = response.read_quote();
            let mut message = format!(
                "expected an event stream, got {content_type}: {}",
                snippet(&body)
            );
            if let Some(cause) = &cut {
                message.push_str(&format!(
                    " (the body was cut short after {} bytes: {})",
                    body.len(),
                    if cause.kind() == io::ErrorKind::TimedOut {
                        "timed out"
                    } else {
                        "connection broke"
                    }
                ));
            }
            let mut err = MeshApiError::new(ErrorCode::ParseError, message)
                .with_status(status)
                .with_request_id(request_id.as_deref());
            if let Some(cause) = cut {
                err = err.with_source(cause);
            }
            return Stream::failed(err);
        }
        let decoder = SseDecoder::new(response.into_body()).max_event_size(max_event_size);
        Stream {
            state: State::Open(Box::new(decoder)),
            request_id,
            meta: meta.map(Box::new),
            event_names: false,
            last: None,
            item: PhantomData,
        }
    }

    /// Makes every item carry its SSE event name under the JSON key `event`: the `event:`
    /// line's value, overriding any `event` key in the payload; or, for an event without an
    /// `event:` line, the payload's own `event` key, else `"message"` (the SSE default).
    pub(crate) fn with_event_names(mut self) -> Stream<T> {
        self.event_names = true;
        self
    }

    /// Makes the stream end cleanly right after the item for which `is_last` holds (called
    /// `name` in the error when the connection closes before it); `[DONE]` still ends it too.
    pub(crate) fn ends_after(mut self, name: &'static str, is_last: fn(&T) -> bool) -> Stream<T> {
        self.last = Some(LastItem { is_last, name });
        self
    }

    /// The gateway's request id for this stream (the `X-Request-Id` response header).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The stream's response metadata, there as soon as the stream opened (before its first
    /// item); `None` for a stream that failed to open.
    pub fn meta(&self) -> Option<&ResponseMeta> {
        self.meta.as_deref()
    }

    pub(crate) fn meta_mut(&mut self) -> Option<&mut ResponseMeta> {
        self.meta.as_deref_mut()
    }

    pub(crate) fn take_meta(&mut self) -> Option<ResponseMeta> {
        self.meta.take().map(|meta| *meta)
    }

    /// Whether the stream failed before it opened, and so delivered nothing.
    pub(crate) fn failed_to_open(&self) -> Option<&MeshApiError> {
        match &self.state {
            State::Failed(err) => Some(err),
            _ => None,
        }
    }

    fn fail(&mut self, err: MeshApiError) -> Option<Result<T, MeshApiError>> {
        self.state = State::Done;
        Some(Err(err.with_request_id(self.request_id.as_deref())))
    }
}

impl<T: DeserializeOwned> Iterator for Stream<T> {
    type Item = Result<T, MeshApiError>;

    fn next(&mut self) -> Option<Self::Item> {
        let decoder = match &mut self.state {
            State::Open(decoder) => decoder,
            State::Done => return None,
            State::Failed(_) => {
                return match std::mem::replace(&mut self.state, State::Done) {
                    State::Failed(err) => Some(Err(err)),
                    _ => None,
                };
            }
        };
        let event_names = self.event_names;
        // The event is borrowed from the decoder's buffers: decode it before anything else
        // touches the decoder.
        let decoded = match decoder.next_event() {
            Some(Ok(event)) if event.data.trim_ascii() == "[DONE]" => None,
            Some(Ok(event)) => Some(decode_frame(event.data, event_names.then_some(event.event))),
            Some(Err(err)) => Some(Err(err)),
            None => Some(Err(MeshApiError::new(
                ErrorCode::StreamInterrupted,
                format!(
                    "the connection closed before {}",
                    self.last.as_ref().map_or("[DONE]", |last| last.name)
                ),
            ))),
        };
        match decoded {
            None => {
                transport::finish_body(decoder.reader_mut());
                self.state = State::Done;
                None
            }
            Some(Ok(item)) => {
                if self.last.as_ref().is_some_and(|last| (last.is_last)(&item)) {
                    transport::finish_body(decoder.reader_mut());
                    self.state = State::Done;
                }
                Some(Ok(item))
            }
            Some(Err(err)) => self.fail(err),
        }
    }
}

/// Decodes one frame's JSON: an item, or the error it carries; `event` is the SSE event name
/// to inject, if the stream asked for it.
///
/// Only an object-valued `error` ends a stream; `"error": null` is an ordinary frame, and a
/// string `error` is data for the item type to keep. The substring test keeps the common
/// frame to a single parse.
fn decode_frame<T: DeserializeOwned>(data: &str, event: Option<&str>) -> Result<T, MeshApiError> {
    if event.is_none() && !data.contains("\"error\"") {
        return serde_json::from_str(data).map_err(|e| invalid_frame(data, e));
    }
    let mut value: Value = serde_json::from_str(data).map_err(|e| invalid_frame(data, e))?;
    if let Some(error @ Value::Object(_)) = value.get("error") {
        let request_id = value.get("request_id").and_then(Value::as_str);
        return Err(MeshApiError::from_stream_frame(error, request_id));
    }
    if event.is_none() {
        // A `Value` keeps the last of two equal keys, which the item's own parse refuses:
        // decode the text itself, so that a frame means the same whatever it holds.
        return serde_json::from_str(data).map_err(|e| invalid_frame(data, e));
    }
    if let (Some(name), Value::Object(map)) = (event, &mut value) {
        if name == "message" {
            map.entry("event").or_insert_with(|| name.into());
        } else {
            map.insert("event".to_owned(), name.into());
        }
    }
    T::deserialize(value).map_err(|e| invalid_frame(data, e))
}

fn invalid_frame(data: &str, err: serde_json::Error) -> MeshApiError {
    MeshApiError::new(
        ErrorCode::ParseError,
        format!("invalid stream frame: {}", snippet(data.as_bytes())),
    )
    .with_source(err)
}

/// The raw bytes of a response (synthesized speech), read as they arrive.
///
/// Reads have no overall deadline, only the client's
/// [`stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout) between them, so a long
/// body can be copied to a file or a player at its own pace. A connection that breaks before
/// the body is complete is a read error, never a silently short body.
///
/// ```no_run
/// use meshapi::Client;
/// use meshapi::types::audio::SpeechParams;
///
/// let client = Client::from_env()?;
/// let mut audio = client.audio().speech().stream(&SpeechParams::new("Hello!"))?;
/// let mut file = std::fs::File::create("hello.mp3")?;
/// std::io::copy(&mut audio, &mut file)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ByteStream {
    request_id: Option<String>,
    meta: ResponseMeta,
    content_type: Option<String>,
    max_body_size: u64,
    body: BodyReader,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("request_id", &self.request_id)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(response: Response, meta: ResponseMeta) -> Result<ByteStream, MeshApiError> {
        if let Some(err) = response.encoding_error() {
            return Err(err);
        }
        Ok(ByteStream {
            request_id: response.request_id().map(str::to_owned),
            meta,
            content_type: response.content_type().map(str::to_owned),
            max_body_size: response.max_body_size(),
            body: response.into_body(),
        })
    }

    /// The gateway's request id (the `X-Request-Id` response header).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response's metadata.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The response's `Content-Type`, e.g. `audio/mpeg`, as the server sent it.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Reads the rest of the body into memory; a broken connection is a `stream_interrupted`
    /// error (or `timeout` when the server went silent), and a body over the client's
    /// [`max_body_size`](crate::ClientBuilder::max_body_size) (256 MiB by default) a
    /// `parse_error`: copy a longer one to a file through [`Read`] instead.
    pub fn into_vec(mut self) -> Result<Vec<u8>, MeshApiError> {
        transport::read_whole(&mut self.body, self.max_body_size)
            .map_err(|e| e.with_request_id(self.request_id.as_deref()))
    }
}

impl Read for ByteStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.body.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Item {
        n: u32,
        #[serde(default)]
        error: Option<String>,
    }

    #[test]
    fn plain_frames_decode() {
        assert_eq!(
            decode_frame::<Item>(r#"{"n":1}"#, None).unwrap(),
            Item { n: 1, error: None }
        );
    }

    #[test]
    fn null_and_string_errors_are_data() {
        let item: Item = decode_frame(r#"{"n":2,"error":null}"#, None).unwrap();
        assert_eq!(item, Item { n: 2, error: None });
        let item: Item = decode_frame(r#"{"n":3,"error":"model b failed"}"#, None).unwrap();
        assert_eq!(item.error.as_deref(), Some("model b failed"));
    }

    #[test]
    fn an_object_error_ends_the_stream_with_its_code() {
        let err = decode_frame::<Item>(
            r#"{"error":{"code":"gateway_timeout","message":"too slow"},"request_id":"req_1"}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::GatewayTimeout);
        assert_eq!(err.message(), "too slow");
        assert_eq!(err.status(), None);
        assert_eq!(err.request_id(), Some("req_1"));
        let err = decode_frame::<Item>(r#"{"error":{}}"#, None).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::UpstreamError);
        assert_eq!(err.message(), "upstream error");
    }

    #[test]
    fn event_names_are_injected_only_when_asked_for() {
        #[derive(Debug, serde::Deserialize)]
        struct Named {
            event: Option<String>,
        }
        let named: Named = decode_frame(r#"{"event":"own"}"#, Some("delta")).unwrap();
        assert_eq!(named.event.as_deref(), Some("delta"));
        let named: Named = decode_frame(r#"{"event":"own"}"#, Some("message")).unwrap();
        assert_eq!(named.event.as_deref(), Some("own"));
        let named: Named = decode_frame("{}", Some("message")).unwrap();
        assert_eq!(named.event.as_deref(), Some("message"));
        let named: Named = decode_frame("{}", None).unwrap();
        assert_eq!(named.event, None);
        let err = decode_frame::<Named>(r#"{"error":{"message":"x"}}"#, Some("error")).unwrap_err();
        assert_eq!(err.message(), "x");
    }

    #[test]
    fn undecodable_frames_are_parse_errors_with_a_snippet() {
        for frame in ["not json", r#"{"n":"one"}"#, r#"{"error":"x""#, "[1,2]"] {
            let err = decode_frame::<Item>(frame, None).unwrap_err();
            assert_eq!(err.code(), &ErrorCode::ParseError, "{frame}");
            assert!(err.message().contains(frame), "{}", err.message());
            assert!(std::error::Error::source(&err).is_some());
        }
    }
}
