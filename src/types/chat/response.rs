//! The whole (non-streamed) answer: [`ChatCompletionResponse`].

use crate::types::shared::Usage;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

use super::*;

/// The reply to a non-streaming chat completion (`chat.completion`).
///
/// ```
/// use meshapi::ChatCompletionResponse;
///
/// let reply: ChatCompletionResponse = serde_json::from_str(r#"{
///     "id": "chatcmpl-abc123", "object": "chat.completion", "created": 1712345678,
///     "model": "openai/gpt-4o-mini",
///     "choices": [{"index": 0, "message": {"role": "assistant", "content": "2 + 2 equals 4."},
///                  "finish_reason": "stop"}],
///     "usage": {"prompt_tokens": 14, "completion_tokens": 7, "total_tokens": 21}
/// }"#)?;
/// assert_eq!(reply.choices[0].message.content.as_deref(), Some("2 + 2 equals 4."));
/// assert_eq!(reply.usage.map(|u| u.total_tokens), Some(21));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Completion id.
    pub id: String,
    /// `chat.completion`.
    pub object: String,
    /// Creation time, Unix seconds.
    pub created: u64,
    /// The model that answered (after any routing or fallback).
    pub model: String,
    /// One entry per requested completion.
    pub choices: Vec<Choice>,
    /// Token counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// Provider backend fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// Price of the request in USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One completion of a [`ChatCompletionResponse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Choice {
    /// Position among the choices.
    pub index: u32,
    /// The generated message (an empty assistant message when the server sends none).
    #[serde(default)]
    pub message: ChatCompletionMessage,
    /// `stop`, `length`, `tool_calls`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    /// Token log probabilities, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<Value>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The message of a [`Choice`]. Turn it into a [`ChatMessage`] with `From` to continue the
/// conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionMessage {
    /// Normally `assistant`.
    pub role: String,
    /// The text. When the server sends content parts, the `text` parts are joined; `None` when
    /// the content is null, absent or has no text part.
    #[serde(
        default,
        deserialize_with = "content_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<String>,
    /// Tool calls the model made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    /// Generated audio, when audio output was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<Value>,
    /// The provider's opaque reasoning blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_details: Option<Vec<Value>>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for ChatCompletionMessage {
    fn default() -> Self {
        Self {
            role: "assistant".to_owned(),
            content: None,
            tool_calls: None,
            audio: None,
            reasoning_details: None,
            extra: Map::new(),
        }
    }
}

/// Reads `content` as a string, null, or a content-part array whose `text` parts are joined.
///
/// A Visitor rather than an untagged enum: untagged buffers every value into serde's `Content`
/// tree first, which doubles the work on the streaming hot path.
pub(super) fn content_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    struct ContentVisitor;

    impl<'de> Visitor<'de> for ContentVisitor {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string, null or an array of content parts")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Some(value.to_owned()))
        }

        fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
            Ok(Some(value))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
            inner.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut joined: Option<String> = None;
            while let Some(part) = seq.next_element::<ResponsePart>()? {
                if let (true, Some(text)) = (part.kind == "text", part.text) {
                    joined.get_or_insert_with(String::new).push_str(&text);
                }
            }
            Ok(joined)
        }
    }

    deserializer.deserialize_any(ContentVisitor)
}

/// Just enough of a response content part to find its text; other part kinds are skipped.
#[derive(Deserialize)]
struct ResponsePart {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    text: Option<String>,
}
