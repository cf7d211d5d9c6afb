//! Messages and their content parts, and the tool calls an assistant turn carries.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::*;

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

pub(super) fn function_type() -> String {
    "function".to_owned()
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
