//! Events of the realtime WebSocket API (`/v1/realtime`).
//!
//! The protocol is OpenAI's GA realtime protocol, passed through by the gateway: the client
//! sends JSON events (`session.update`, `input_audio_buffer.append`, `response.create`, …) and
//! the server answers with JSON events (`session.created`, `response.output_audio.delta`,
//! `response.done`, …). Only the envelope is typed here ([`RealtimeEvent`]); every other field
//! stays JSON, so events this crate does not know arrive intact.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The sample rate of the gateway's default audio format, `audio/pcm`: 16-bit little-endian
/// mono PCM at 24 kHz, both for input (`send_audio`) and output (`response.output_audio.delta`).
///
/// ```
/// use meshapi::types::realtime::SAMPLE_RATE;
///
/// let one_second_of_silence = vec![0u8; SAMPLE_RATE as usize * 2];
/// assert_eq!(one_second_of_silence.len(), 48_000);
/// ```
pub const SAMPLE_RATE: u32 = 24_000;

/// One event from the server, as read by `RealtimeSession::next_event` (feature `realtime`).
///
/// - A JSON text frame becomes an event with its `type`, its `event_id`, and every other field
///   in [`extra`](RealtimeEvent::extra). For `response.output_audio.delta` (GA) and
///   `response.audio.delta` (beta) events, [`audio`](RealtimeEvent::audio) also holds the
///   base64 `delta` decoded into raw PCM bytes (the `delta` string stays in `extra`).
/// - A binary frame (the gateway does not send them) becomes an event of type
///   [`BINARY`](RealtimeEvent::BINARY) whose `audio` holds the frame's bytes.
/// - A text frame that is not a JSON object becomes an event of type
///   [`TEXT`](RealtimeEvent::TEXT) whose [`text`](RealtimeEvent::text) holds the frame.
///
/// Server `error` events are not events: they arrive as `Err(MeshApiError)`.
///
/// ```
/// use meshapi::types::realtime::RealtimeEvent;
///
/// let event: RealtimeEvent = serde_json::from_str(
///     r#"{"type":"session.created","event_id":"event_1","session":{"id":"sess_1"}}"#,
/// )?;
/// assert_eq!(event.r#type, "session.created");
/// assert_eq!(event.event_id.as_deref(), Some("event_1"));
/// assert_eq!(event.extra["session"]["id"], "sess_1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RealtimeEvent {
    /// The event type, e.g. `session.created`, `response.output_audio.delta`, `response.done`;
    /// empty if the server sent none.
    #[serde(rename = "type", default)]
    pub r#type: String,
    /// The server's id for this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Raw audio bytes: the decoded `delta` of an audio delta event, or a binary frame's
    /// payload. Not part of the JSON.
    #[serde(skip)]
    pub audio: Option<Vec<u8>>,
    /// The frame itself, for a text frame that was not a JSON object. Not part of the JSON.
    #[serde(skip)]
    pub text: Option<String>,
    /// Fields this version of the crate does not know, kept as sent: everything but `type`
    /// and `event_id` (`session`, `response`, `delta`, `item_id`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl RealtimeEvent {
    /// The type given to a binary frame's event.
    pub const BINARY: &'static str = "binary";
    /// The type given to the event of a text frame that is not a JSON object.
    pub const TEXT: &'static str = "text";

    /// A field of the event's JSON other than `type` and `event_id`.
    ///
    /// ```
    /// use meshapi::types::realtime::RealtimeEvent;
    ///
    /// let event: RealtimeEvent =
    ///     serde_json::from_str(r#"{"type":"response.done","response":{"status":"completed"}}"#)?;
    /// assert_eq!(event.get("response").unwrap()["status"], "completed");
    /// assert!(event.get("missing").is_none());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.extra.get(field)
    }

    /// Whether this event carries output audio (a `response.output_audio.delta` or
    /// `response.audio.delta` event, or a binary frame).
    ///
    /// ```
    /// use meshapi::types::realtime::RealtimeEvent;
    ///
    /// let event: RealtimeEvent = serde_json::from_str(r#"{"type":"response.done"}"#)?;
    /// assert!(!event.is_audio());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn is_audio(&self) -> bool {
        self.audio.is_some()
    }
}

/// The `session` object of a `session.update` event: what `RealtimeSession::update_session`
/// (feature `realtime`) sends. `session.type = "realtime"`, which the gateway requires, is
/// added when sending.
///
/// Only the most common fields are named; put any other session field (`tools`,
/// `tool_choice`, `max_output_tokens`, …) in [`extra`](SessionConfig::extra).
///
/// ```
/// use meshapi::types::realtime::SessionConfig;
/// use serde_json::json;
///
/// let session = SessionConfig::new()
///     .instructions("Answer in one sentence.")
///     .output_modalities(["audio"])
///     .audio(json!({"output": {"voice": "alloy"}}))
///     .extra("max_output_tokens", 200);
/// assert_eq!(
///     serde_json::to_value(&session)?,
///     json!({
///         "instructions": "Answer in one sentence.",
///         "output_modalities": ["audio"],
///         "audio": {"output": {"voice": "alloy"}},
///         "max_output_tokens": 200
///     })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SessionConfig {
    /// The system instructions of the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// What the model answers with: `["audio"]` or `["text"]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_modalities: Option<Vec<String>>,
    /// Input and output audio settings, e.g.
    /// `{"input": {"format": {"type": "audio/pcm", "rate": 24000}}, "output": {"voice": "alloy"}}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<Value>,
    /// Any other session field, sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SessionConfig {
    /// A session update that changes nothing until fields are set.
    ///
    /// ```
    /// let session = meshapi::types::realtime::SessionConfig::new();
    /// assert_eq!(serde_json::to_string(&session).unwrap(), "{}");
    /// ```
    pub fn new() -> SessionConfig {
        SessionConfig::default()
    }

    /// The system instructions.
    ///
    /// Defaults to unset (the session keeps its current instructions).
    ///
    /// ```
    /// let session = meshapi::types::realtime::SessionConfig::new().instructions("Be brief.");
    /// assert_eq!(session.instructions.as_deref(), Some("Be brief."));
    /// ```
    pub fn instructions(mut self, instructions: impl Into<String>) -> SessionConfig {
        self.instructions = Some(instructions.into());
        self
    }

    /// The output modalities, `audio` or `text`.
    ///
    /// Defaults to unset (the session keeps its current modalities; the server starts with
    /// audio).
    ///
    /// ```
    /// let session = meshapi::types::realtime::SessionConfig::new().output_modalities(["text"]);
    /// assert_eq!(session.output_modalities, Some(vec!["text".to_owned()]));
    /// ```
    pub fn output_modalities<S: Into<String>>(
        mut self,
        modalities: impl IntoIterator<Item = S>,
    ) -> SessionConfig {
        self.output_modalities = Some(modalities.into_iter().map(Into::into).collect());
        self
    }

    /// The audio settings object (`input.format`, `output.format`, `output.voice`, …).
    ///
    /// Defaults to unset (the session keeps its current audio settings).
    ///
    /// ```
    /// use serde_json::json;
    ///
    /// let session = meshapi::types::realtime::SessionConfig::new()
    ///     .audio(json!({"output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy"}}));
    /// assert_eq!(session.audio.unwrap()["output"]["voice"], "alloy");
    /// ```
    pub fn audio(mut self, audio: Value) -> SessionConfig {
        self.audio = Some(audio);
        self
    }

    /// Any other session field; a later call with the same name replaces the value.
    ///
    /// Defaults to none.
    ///
    /// ```
    /// use serde_json::json;
    ///
    /// let session = meshapi::types::realtime::SessionConfig::new()
    ///     .extra("tools", json!([]))
    ///     .extra("max_output_tokens", 100);
    /// assert_eq!(session.extra["max_output_tokens"], 100);
    /// ```
    pub fn extra(mut self, field: impl Into<String>, value: impl Into<Value>) -> SessionConfig {
        self.extra.insert(field.into(), value.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_keep_every_field_and_serialize_back() {
        let wire = json!({
            "type": "response.output_audio.delta",
            "event_id": "event_9",
            "response_id": "resp_1",
            "delta": "AAE=",
        });
        let event: RealtimeEvent = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(event.r#type, "response.output_audio.delta");
        assert_eq!(event.extra["delta"], "AAE=");
        assert_eq!(event.audio, None, "decoding is the session's job");
        assert_eq!(serde_json::to_value(&event).unwrap(), wire);
        let bare: RealtimeEvent = serde_json::from_value(json!({})).unwrap();
        assert_eq!(bare.r#type, "");
        assert_eq!(bare.event_id, None);
    }
}
