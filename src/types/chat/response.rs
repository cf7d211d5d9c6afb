//! The reply to a non-streaming call, and the tool calls a reply carries.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::types::shared::Usage;

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
    /// Price of the request in USD, as a decimal string; absent from some gateways and from
    /// other OpenAI-compatible servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    /// The service tier that served the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// Whether `model: "auto"` chose the model (streams carry this as the `X-Auto-Routed`
    /// header instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_auto_routed: Option<bool>,
    /// The model `auto` resolved to (streams: the `X-Resolved-Model-Id` header, see
    /// [`ResponseMeta::resolved_model_id`](crate::ResponseMeta::resolved_model_id)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_resolved_model_id: Option<String>,
    /// Whether the auto-router's classifier fell through to the default model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_auto_routed_fallback: Option<bool>,
    /// Why it fell through, e.g. `classifier_timeout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_auto_routed_fallback_reason: Option<String>,
    /// One entry per classifier attempt, as the gateway sends them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_classifier_usage: Option<Vec<Value>>,
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

/// The message of a [`Choice`]. Turn it into a [`ChatMessage`](super::ChatMessage) with `From`
/// to continue the conversation.
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

/// A call the model made to one of the request's tools; also sent back when replaying that turn.
///
/// ```
/// use meshapi::types::chat::ToolCall;
///
/// let call = ToolCall::function("call_1", "get_weather", r#"{"city":"Paris"}"#);
/// assert_eq!(
///     serde_json::to_string(&call)?,
///     r#"{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}"#,
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCall {
    /// Call id; a `tool` message answers it through `tool_call_id`.
    pub id: String,
    /// Always `function`.
    #[serde(default = "function_type")]
    pub r#type: String,
    /// Which function, with which arguments.
    pub function: FunctionCall,
    /// Opaque provider token that must be sent back unchanged with the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thought_signature: Option<String>,
    /// Fields this version of the crate does not know, kept as sent (and sent back when the
    /// call is replayed).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ToolCall {
    /// A call `id` of the function `name` with `arguments` (JSON text).
    pub fn function(
        id: impl Into<String>,
        name: impl Into<String>,
        arguments: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            r#type: function_type(),
            function: FunctionCall {
                name: name.into(),
                arguments: arguments.into(),
                extra: Map::new(),
            },
            thought_signature: None,
            extra: Map::new(),
        }
    }
}

pub(super) fn function_type() -> String {
    "function".to_owned()
}

/// The function and arguments of a [`ToolCall`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionCall {
    /// Function name.
    pub name: String,
    /// Arguments as JSON text, exactly as the model wrote them (it may not be valid JSON).
    pub arguments: String,
    /// Fields this version of the crate does not know, kept as sent (and sent back when the
    /// call is replayed).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::chat::{ChatCompletionChunk, ChunkChoice, Delta};
    use serde_json::json;

    fn assert_fixture_response(reply: &ChatCompletionResponse) {
        assert_eq!(reply.id, "chatcmpl-abc123");
        assert_eq!(reply.object, "chat.completion");
        assert_eq!(reply.created, 1712345678);
        assert_eq!(reply.model, "openai/gpt-4o-mini");
        assert_eq!(reply.choices.len(), 1);
        let choice = &reply.choices[0];
        assert_eq!(choice.index, 0);
        assert_eq!(choice.message.role, "assistant");
        assert_eq!(choice.message.content.as_deref(), Some("2 + 2 equals 4."));
        assert_eq!(choice.message.tool_calls, None);
        assert_eq!(choice.finish_reason.as_deref(), Some("stop"));
        assert_eq!(choice.logprobs, None);
        let usage = reply.usage.as_ref().unwrap();
        assert_eq!(
            (
                usage.prompt_tokens,
                usage.completion_tokens,
                usage.total_tokens
            ),
            (14, 7, 21)
        );
        assert_eq!(usage.prompt_tokens_details, None);
        assert_eq!(reply.system_fingerprint, None);
        assert_eq!(reply.cost, None);
    }

    #[test]
    fn py_response_fixture_decodes_with_null_fingerprint() {
        let reply: ChatCompletionResponse = serde_json::from_str(include_str!(
            "../../../tests/fixtures/py_chat_completion_response.json"
        ))
        .unwrap();
        assert_fixture_response(&reply);
    }

    #[test]
    fn go_response_fixture_decodes_without_fingerprint() {
        let reply: ChatCompletionResponse = serde_json::from_str(include_str!(
            "../../../tests/fixtures/go_chat_completion_response.json"
        ))
        .unwrap();
        assert_fixture_response(&reply);
    }

    #[test]
    fn response_tolerates_unknown_fields_everywhere() {
        let reply: ChatCompletionResponse = serde_json::from_value(json!({
            "id": "x", "object": "chat.completion", "created": 5, "model": "m",
            "provider": "openai", "routing": {"strategy": "auto"},
            "choices": [{
                "index": 0, "native_finish_reason": "end_turn", "finish_reason": "stop",
                "message": {"role": "assistant", "content": "ok", "refusal": null,
                            "annotations": []}
            }],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                      "cost_details": {"x": 1}},
            "cost": "0.5"
        }))
        .unwrap();
        assert_eq!(reply.choices[0].message.content.as_deref(), Some("ok"));
        assert_eq!(reply.choices[0].finish_reason.as_deref(), Some("stop"));
        assert_eq!(reply.usage.unwrap().total_tokens, 3);
        assert_eq!(reply.cost.as_deref(), Some("0.5"));
    }

    #[test]
    fn response_keeps_unknown_fields_at_every_nested_level() {
        let reply: ChatCompletionResponse = serde_json::from_value(json!({
            "id": "x", "object": "chat.completion", "created": 5, "model": "m",
            "choices": [{
                "index": 0, "finish_reason": "tool_calls", "native_finish_reason": "end_turn",
                "message": {
                    "role": "assistant", "content": null, "refusal": null,
                    "annotations": [{"type": "url_citation"}],
                    "tool_calls": [{
                        "id": "call_1", "type": "function",
                        "function": {"name": "f", "arguments": "{}", "strict": true},
                        "extra_content": {"google": {"thought_signature": "c2ln"}}
                    }]
                }
            }],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                      "cost_details": {"upstream": "0.1"}}
        }))
        .unwrap();
        let choice = &reply.choices[0];
        assert_eq!(choice.extra["native_finish_reason"], "end_turn");
        assert_eq!(choice.extra.len(), 1);
        assert_eq!(choice.message.extra["refusal"], Value::Null);
        assert_eq!(
            choice.message.extra["annotations"],
            json!([{"type": "url_citation"}])
        );
        assert_eq!(choice.message.extra.len(), 2);
        let call = &choice.message.tool_calls.as_ref().unwrap()[0];
        assert_eq!(
            call.extra["extra_content"],
            json!({"google": {"thought_signature": "c2ln"}})
        );
        assert_eq!(call.function.extra["strict"], true);
        let usage = reply.usage.as_ref().unwrap();
        assert_eq!(usage.extra["cost_details"], json!({"upstream": "0.1"}));
        assert!(reply.extra.is_empty());
    }

    #[test]
    fn empty_extra_maps_add_nothing_to_a_request_body() {
        let call = ToolCall::function("call_1", "f", "{}");
        assert!(call.extra.is_empty() && call.function.extra.is_empty());
        assert_eq!(
            serde_json::to_string(&call).unwrap(),
            r#"{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}"#
        );
        assert_eq!(
            serde_json::to_value(ChatCompletionMessage::default()).unwrap(),
            json!({"role": "assistant"})
        );
        assert_eq!(serde_json::to_value(Delta::default()).unwrap(), json!({}));
    }

    #[test]
    fn response_requires_the_fields_python_requires() {
        let err = serde_json::from_value::<ChatCompletionResponse>(json!({
            "id": "x", "object": "chat.completion", "model": "m", "choices": []
        }))
        .unwrap_err();
        assert_eq!(err.to_string(), "missing field `created`");
        let err = serde_json::from_value::<ChatCompletionChunk>(json!({
            "id": "x", "object": "chat.completion.chunk", "created": 1, "model": "m"
        }))
        .unwrap_err();
        assert_eq!(err.to_string(), "missing field `choices`");
    }

    #[test]
    fn array_content_joins_text_parts_and_skips_others() {
        let message: ChatCompletionMessage = serde_json::from_value(json!({
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Here is "},
                {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
                {"type": "text", "text": "a cat.", "annotations": []}
            ]
        }))
        .unwrap();
        assert_eq!(message.content.as_deref(), Some("Here is a cat."));

        let images_only: ChatCompletionMessage = serde_json::from_value(json!({
            "role": "assistant",
            "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]
        }))
        .unwrap();
        assert_eq!(images_only.content, None);
    }

    #[test]
    fn null_or_absent_content_is_none() {
        for message in [
            json!({"role": "assistant", "content": null}),
            json!({"role": "assistant"}),
        ] {
            let message: ChatCompletionMessage = serde_json::from_value(message).unwrap();
            assert_eq!(message.content, None);
        }
        // from_str exercises serde_json's borrowed-string and null paths, unlike from_value.
        let message: ChatCompletionMessage =
            serde_json::from_str(r#"{"role":"assistant","content":null}"#).unwrap();
        assert_eq!(message.content, None);
        let delta: Delta = serde_json::from_str(r#"{"content":"a\"b"}"#).unwrap();
        assert_eq!(delta.content.as_deref(), Some("a\"b"));
    }

    #[test]
    fn content_of_another_type_is_rejected() {
        let err =
            serde_json::from_str::<ChatCompletionMessage>(r#"{"role":"assistant","content":7}"#)
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: integer `7`, expected a string, null or an array of content parts at line 1 column 31"
        );
    }

    #[test]
    fn missing_message_and_delta_default_to_empty() {
        let choice: Choice =
            serde_json::from_value(json!({"index": 0, "finish_reason": "length"})).unwrap();
        assert_eq!(choice.message, ChatCompletionMessage::default());
        assert_eq!(choice.message.role, "assistant");
        let chunk_choice: ChunkChoice = serde_json::from_value(json!({"index": 2})).unwrap();
        assert_eq!(chunk_choice.delta, Delta::default());
        assert_eq!(chunk_choice.finish_reason, None);
    }
}
