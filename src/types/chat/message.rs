//! The messages of a request and their content parts.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::response::{ChatCompletionMessage, ToolCall};

/// One message of the conversation sent in a request.
///
/// ```
/// use meshapi::ChatMessage;
/// use meshapi::types::chat::ContentPart;
/// use serde_json::json;
///
/// assert_eq!(
///     serde_json::to_value(ChatMessage::user("Hi").name("ann"))?,
///     json!({"role": "user", "content": "Hi", "name": "ann"}),
/// );
/// assert_eq!(
///     serde_json::to_value(ChatMessage::tool("call_1", "18°C"))?,
///     json!({"role": "tool", "content": "18°C", "tool_call_id": "call_1"}),
/// );
/// let parts = ChatMessage::user_parts(vec![
///     ContentPart::text("What is in this picture?"),
///     ContentPart::image_url("https://example.com/cat.png"),
/// ]);
/// assert_eq!(
///     serde_json::to_value(parts)?["content"][1],
///     json!({"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct ChatMessage {
    /// Who wrote the message.
    pub role: Role,
    /// Text or content parts; unset on an assistant turn that only calls tools.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<MessageContent>,
    /// Optional participant name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// On a `tool` message: the id of the call it answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    /// On a replayed assistant turn: the tool calls it made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    /// On a replayed assistant turn: the provider's opaque reasoning blocks, sent back unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning_details: Option<Vec<Value>>,
}

impl ChatMessage {
    fn new(role: Role, content: Option<MessageContent>) -> Self {
        Self {
            role,
            content,
            name: None,
            tool_call_id: None,
            tool_calls: None,
            reasoning_details: None,
        }
    }

    /// A `system` message.
    pub fn system(text: impl Into<String>) -> Self {
        Self::new(Role::System, Some(MessageContent::Text(text.into())))
    }

    /// A `user` message with plain text.
    pub fn user(text: impl Into<String>) -> Self {
        Self::new(Role::User, Some(MessageContent::Text(text.into())))
    }

    /// A `user` message made of content parts (text, images, audio, video).
    pub fn user_parts(parts: Vec<ContentPart>) -> Self {
        Self::new(Role::User, Some(MessageContent::Parts(parts)))
    }

    /// An `assistant` message, e.g. an earlier reply or a few-shot example.
    pub fn assistant(text: impl Into<String>) -> Self {
        Self::new(Role::Assistant, Some(MessageContent::Text(text.into())))
    }

    /// A `tool` message carrying the result of the tool call `tool_call_id`.
    pub fn tool(tool_call_id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            tool_call_id: Some(tool_call_id.into()),
            ..Self::new(Role::Tool, Some(MessageContent::Text(text.into())))
        }
    }

    /// Sets the participant name.
    ///
    /// Defaults to unset (no name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the tool calls of an assistant turn being replayed.
    ///
    /// Defaults to unset (no tool calls).
    pub fn tool_calls(mut self, tool_calls: Vec<ToolCall>) -> Self {
        self.tool_calls = Some(tool_calls);
        self
    }

    /// Sets the provider's reasoning blocks of an assistant turn being replayed.
    ///
    /// Defaults to unset (none sent).
    pub fn reasoning_details(mut self, reasoning_details: Vec<Value>) -> Self {
        self.reasoning_details = Some(reasoning_details);
        self
    }
}

/// Replays a reply into the next request: role, text, tool calls and reasoning blocks are kept
/// (an unknown role becomes [`Role::Assistant`]). `audio` and the message's own unknown fields
/// (its `extra`, e.g. `refusal` or `annotations`) have no request counterpart and are dropped;
/// the tool calls keep theirs, since some providers need such fields echoed back with the call.
///
/// ```
/// use meshapi::{ChatCompletionResponse, ChatMessage};
/// use meshapi::types::chat::Role;
///
/// let reply: ChatCompletionResponse = serde_json::from_str(r#"{
///     "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
///     "choices": [{"index": 0, "message": {"role": "assistant", "content": "4"}}]
/// }"#)?;
/// let message = ChatMessage::from(reply.choices[0].message.clone());
/// assert_eq!(message, ChatMessage::assistant("4"));
/// assert_eq!(message.role, Role::Assistant);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl From<ChatCompletionMessage> for ChatMessage {
    fn from(message: ChatCompletionMessage) -> Self {
        let role = match message.role.as_str() {
            "system" => Role::System,
            "user" => Role::User,
            "tool" => Role::Tool,
            _ => Role::Assistant,
        };
        Self {
            tool_calls: message.tool_calls,
            reasoning_details: message.reasoning_details,
            ..Self::new(role, message.content.map(MessageContent::Text))
        }
    }
}

/// The author of a [`ChatMessage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Role {
    /// `system`: instructions for the model.
    System,
    /// `user`: the person talking to the model.
    User,
    /// `assistant`: the model.
    Assistant,
    /// `tool`: the result of a tool call.
    Tool,
}

/// The content of a [`ChatMessage`]: plain text or a list of parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MessageContent {
    /// Plain text, sent as a JSON string.
    Text(String),
    /// Content parts, sent as a JSON array.
    Parts(Vec<ContentPart>),
}

impl From<String> for MessageContent {
    fn from(text: String) -> Self {
        MessageContent::Text(text)
    }
}

impl From<&str> for MessageContent {
    fn from(text: &str) -> Self {
        MessageContent::Text(text.to_owned())
    }
}

impl From<Vec<ContentPart>> for MessageContent {
    fn from(parts: Vec<ContentPart>) -> Self {
        MessageContent::Parts(parts)
    }
}

/// One part of a multi-part message, discriminated on the wire by `type`.
///
/// ```
/// use meshapi::types::chat::{ContentPart, ImageUrl, VideoUrl};
/// use serde_json::json;
///
/// let detailed = ContentPart::ImageUrl {
///     image_url: ImageUrl::new("https://x/y.png").detail("low"),
/// };
/// assert_eq!(
///     serde_json::to_value(detailed)?,
///     json!({"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}}),
/// );
/// let video = ContentPart::VideoUrl {
///     video_url: VideoUrl::new("https://x/v.mp4"),
///     fps: Some("2".into()),
/// };
/// assert_eq!(
///     serde_json::to_value(video)?,
///     json!({"type": "video_url", "video_url": {"url": "https://x/v.mp4"}, "fps": "2"}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContentPart {
    /// `text`: a piece of text.
    Text {
        /// The text.
        text: String,
    },
    /// `image_url`: an image by http(s) or `data:` URL.
    ImageUrl {
        /// The image.
        image_url: ImageUrl,
    },
    /// `input_audio`: an audio clip.
    InputAudio {
        /// The clip.
        input_audio: InputAudio,
    },
    /// `video_url`: a video by URL.
    VideoUrl {
        /// The video.
        video_url: VideoUrl,
        /// Frames per second to sample, as a decimal string.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fps: Option<String>,
    },
}

impl ContentPart {
    /// A `text` part.
    pub fn text(text: impl Into<String>) -> Self {
        ContentPart::Text { text: text.into() }
    }

    /// An `image_url` part with the server's default detail.
    pub fn image_url(url: impl Into<String>) -> Self {
        ContentPart::ImageUrl {
            image_url: ImageUrl::new(url),
        }
    }

    /// An `input_audio` part from base64 `data` in `format` (`wav`, `mp3`, ...).
    pub fn input_audio_base64(data: impl Into<String>, format: impl Into<String>) -> Self {
        ContentPart::InputAudio {
            input_audio: InputAudio::new(format).data(data),
        }
    }

    /// A `video_url` part with the server's default frame rate.
    pub fn video_url(url: impl Into<String>) -> Self {
        ContentPart::VideoUrl {
            video_url: VideoUrl::new(url),
            fps: None,
        }
    }
}

/// The image of a [`ContentPart::ImageUrl`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct ImageUrl {
    /// http(s) or `data:` URL.
    pub url: String,
    /// `auto`, `low` or `high`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl ImageUrl {
    /// The image at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            detail: None,
        }
    }

    /// Sets the detail level, `auto`, `low` or `high`.
    ///
    /// Defaults to unset (the server's default).
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The clip of a [`ContentPart::InputAudio`]; supply one of `data`, `uri` or `url`.
///
/// ```
/// use meshapi::types::chat::InputAudio;
///
/// let clip = InputAudio::new("flac").uri("gs://bucket/a.flac");
/// assert_eq!(serde_json::to_string(&clip)?, r#"{"uri":"gs://bucket/a.flac","format":"flac"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct InputAudio {
    /// Base64-encoded audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Storage URI such as `gs://...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// http(s) URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `wav`, `mp3`, `aiff`, `aac`, `ogg`, `flac`, `m4a`, `pcm16` or `pcm24`.
    pub format: String,
}

impl InputAudio {
    /// A clip in `format` with no source yet; set one of [`data`](Self::data),
    /// [`uri`](Self::uri) or [`url`](Self::url).
    pub fn new(format: impl Into<String>) -> Self {
        Self {
            data: None,
            uri: None,
            url: None,
            format: format.into(),
        }
    }

    /// Sets the base64-encoded audio.
    ///
    /// Defaults to unset.
    pub fn data(mut self, data: impl Into<String>) -> Self {
        self.data = Some(data.into());
        self
    }

    /// Sets the storage URI.
    ///
    /// Defaults to unset.
    pub fn uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into());
        self
    }

    /// Sets the http(s) URL.
    ///
    /// Defaults to unset.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
}

/// The video of a [`ContentPart::VideoUrl`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoUrl {
    /// URL of the video.
    pub url: String,
}

impl VideoUrl {
    /// The video at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replay_keeps_tool_call_extras_and_drops_message_extras() {
        let message: ChatCompletionMessage = serde_json::from_value(json!({
            "role": "assistant", "content": "ok", "refusal": null, "annotations": [],
            "tool_calls": [{"id": "call_1", "type": "function",
                            "function": {"name": "f", "arguments": "{}"},
                            "extra_content": {"google": {"thought_signature": "c2ln"}}}]
        }))
        .unwrap();
        assert_eq!(
            serde_json::to_value(ChatMessage::from(message)).unwrap(),
            json!({
                "role": "assistant", "content": "ok",
                "tool_calls": [{"id": "call_1", "type": "function",
                                "function": {"name": "f", "arguments": "{}"},
                                "extra_content": {"google": {"thought_signature": "c2ln"}}}]
            })
        );
    }

    #[test]
    fn tool_calls_decode_and_replay_into_a_request_message() {
        let message: ChatCompletionMessage = serde_json::from_value(json!({
            "role": "assistant",
            "content": null,
            "tool_calls": [{
                "id": "call_1", "type": "function",
                "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
                "thought_signature": "sig=="
            }],
            "reasoning_details": [{"type": "reasoning.text", "text": "hmm"}]
        }))
        .unwrap();
        let replayed = ChatMessage::from(message);
        assert_eq!(
            serde_json::to_value(&replayed).unwrap(),
            json!({
                "role": "assistant",
                "tool_calls": [{
                    "id": "call_1", "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
                    "thought_signature": "sig=="
                }],
                "reasoning_details": [{"type": "reasoning.text", "text": "hmm"}]
            })
        );
    }

    #[test]
    fn replayed_roles_are_parsed_and_unknown_ones_become_assistant() {
        for (wire, role) in [
            ("system", Role::System),
            ("user", Role::User),
            ("assistant", Role::Assistant),
            ("tool", Role::Tool),
            ("model", Role::Assistant),
        ] {
            let message: ChatCompletionMessage =
                serde_json::from_value(json!({"role": wire, "content": "x"})).unwrap();
            let replayed = ChatMessage::from(message);
            assert_eq!(replayed.role, role);
            assert_eq!(replayed.content, Some(MessageContent::Text("x".into())));
        }
    }

    #[test]
    fn content_parts_serialize_to_the_wire_json() {
        let message = ChatMessage::user_parts(vec![
            ContentPart::text("Describe these."),
            ContentPart::image_url("data:image/png;base64,AAAA"),
            ContentPart::ImageUrl {
                image_url: ImageUrl::new("https://x/y.png").detail("high"),
            },
            ContentPart::input_audio_base64("UklGRg==", "wav"),
            ContentPart::InputAudio {
                input_audio: InputAudio::new("mp3").url("https://x/a.mp3"),
            },
            ContentPart::video_url("https://x/v.mp4"),
            ContentPart::VideoUrl {
                video_url: VideoUrl::new("https://x/w.mp4"),
                fps: Some("0.5".into()),
            },
        ]);
        let wire = json!({
            "role": "user",
            "content": [
                {"type": "text", "text": "Describe these."},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "high"}},
                {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
                {"type": "input_audio", "input_audio": {"url": "https://x/a.mp3", "format": "mp3"}},
                {"type": "video_url", "video_url": {"url": "https://x/v.mp4"}},
                {"type": "video_url", "video_url": {"url": "https://x/w.mp4"}, "fps": "0.5"}
            ]
        });
        assert_eq!(serde_json::to_value(&message).unwrap(), wire);
        assert_eq!(
            serde_json::from_value::<ChatMessage>(wire).unwrap(),
            message
        );
    }

    #[test]
    fn message_constructors_serialize_to_the_wire_json() {
        let call = ToolCall::function("call_9", "now", "{}");
        let messages = vec![
            ChatMessage::system("s"),
            ChatMessage::user("u").name("ann"),
            ChatMessage::assistant("a"),
            ChatMessage {
                content: None,
                ..ChatMessage::assistant("")
                    .tool_calls(vec![call])
                    .reasoning_details(vec![json!({"type": "reasoning.encrypted"})])
            },
            ChatMessage::tool("call_9", "12:00"),
        ];
        assert_eq!(
            serde_json::to_value(&messages).unwrap(),
            json!([
                {"role": "system", "content": "s"},
                {"role": "user", "content": "u", "name": "ann"},
                {"role": "assistant", "content": "a"},
                {"role": "assistant",
                 "tool_calls": [{"id": "call_9", "type": "function",
                                 "function": {"name": "now", "arguments": "{}"}}],
                 "reasoning_details": [{"type": "reasoning.encrypted"}]},
                {"role": "tool", "content": "12:00", "tool_call_id": "call_9"}
            ])
        );
    }

    #[test]
    fn message_content_conversions() {
        assert_eq!(MessageContent::from("a"), MessageContent::Text("a".into()));
        assert_eq!(
            MessageContent::from("a".to_owned()),
            MessageContent::Text("a".into())
        );
        assert_eq!(
            MessageContent::from(vec![ContentPart::text("a")]),
            MessageContent::Parts(vec![ContentPart::Text { text: "a".into() }])
        );
    }
}
