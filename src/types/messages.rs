//! The Anthropic-compatible Messages API: `POST /v1/messages`, whole and streamed.
//!
//! The shapes are Anthropic's published ones; the gateway serves them for any catalog model.
//!
//! - Request: [`MessageParams`] (`model`, `max_tokens` and `messages` required) with
//!   [`InputMessage`]s whose [`Content`] is text or [`ContentBlock`]s, a `system` prompt and
//!   [`MessageTool`]s.
//! - Response: [`Message`], whose `content` is [`ContentBlock`]s too, so a reply can be sent
//!   back as the next assistant turn (`InputMessage::from(message)`).
//! - Stream: [`MessageStreamEvent`]s; [`MessageAccumulator`] joins them into a [`Message`].
//!
//! Every enum the server sends ([`ContentBlock`], [`MessageStreamEvent`],
//! [`ContentBlockDelta`]) keeps a `type` it does not know as `Other` with the raw JSON, so a new
//! block or event type never fails decoding; a known `type` whose body does not fit is an error.

use std::collections::BTreeMap;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ErrorCode, MeshApiError, snippet};

/// Deserializes an enum tagged by `type` whose variants wrap one struct each: a known `type` is
/// decoded into its struct (an error when it does not fit), any other value is kept whole in
/// `Other`.
macro_rules! by_type {
    ($enum:ident { $($tag:literal => $variant:ident,)* }) => {
        impl<'de> Deserialize<'de> for $enum {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = Value::deserialize(deserializer)?;
                match value.get("type").and_then(Value::as_str) {
                    $(Some($tag) => without_type(value).map($enum::$variant),)*
                    _ => Ok($enum::Other(value)),
                }
            }
        }
    };
}

/// Decodes the body of a tagged value without its `type`, which the variant stands for (left
/// in, the struct's `extra` would keep it and serialize it twice).
fn without_type<T: DeserializeOwned, E: de::Error>(mut value: Value) -> Result<T, E> {
    if let Value::Object(map) = &mut value {
        map.remove("type");
    }
    serde_json::from_value(value).map_err(E::custom)
}

/// The body of `POST /v1/messages`.
///
/// `model`, `max_tokens` and `messages` are required (Anthropic has no default for
/// `max_tokens`); every other field left unset is omitted from the JSON body. There is no
/// `stream` field: the client's `create` and `stream` methods choose it. Fields this type does
/// not name (`thinking`, `service_tier`, …) go in [`extra`](Self::extra), sent at the top level.
///
/// ```
/// use meshapi::types::messages::{
///     ContentBlock, ImageSource, InputMessage, MessageParams, MessageTool, MessageToolChoice,
/// };
/// use serde_json::json;
///
/// let params = MessageParams::new(
///     "anthropic/claude-sonnet-4",
///     1024,
///     vec![InputMessage::user(vec![
///         ContentBlock::image(ImageSource::url("https://example.com/sky.png")),
///         ContentBlock::text("What's the weather like where this photo was taken?"),
///     ])],
/// )
/// .system("You are terse.")
/// .stop_sequences(["\n\nHuman:"])
/// .temperature(0.2)
/// .tools([MessageTool::new(
///     "get_weather",
///     json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
/// )
/// .description("Current weather for a city")])
/// .tool_choice(MessageToolChoice::auto())
/// .extra("thinking", json!({"type": "enabled", "budget_tokens": 512}));
///
/// let body = serde_json::to_value(&params)?;
/// assert_eq!(body["max_tokens"], 1024);
/// assert_eq!(body["system"], "You are terse.");
/// assert_eq!(body["messages"][0]["content"][0]["source"], json!({"type": "url", "url": "https://example.com/sky.png"}));
/// assert_eq!(body["tool_choice"], json!({"type": "auto"}));
/// assert_eq!(body["thinking"]["budget_tokens"], 512);
/// assert!(body.get("top_k").is_none()); // unset: omitted, never null
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct MessageParams {
    /// Model id such as `anthropic/claude-sonnet-4`; any catalog model is served.
    pub model: String,
    /// The most tokens to generate.
    pub max_tokens: u32,
    /// The conversation so far, alternating `user` and `assistant` turns.
    pub messages: Vec<InputMessage>,
    /// The system prompt: text, or `text` blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<Content>,
    /// Sequences that stop generation (`stop_reason: "stop_sequence"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequences: Option<Vec<String>>,
    /// Sampling temperature, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling probability mass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Sample only from the `top_k` likeliest tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// Tools the model may call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<MessageTool>>,
    /// Whether and which tool the model must call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<MessageToolChoice>,
    /// About the request, e.g. an opaque end-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MessageMetadata>,
    /// Further top-level body fields, sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MessageParams {
    /// A request for `model` to continue `messages` with at most `max_tokens` tokens;
    /// everything else unset.
    pub fn new(model: impl Into<String>, max_tokens: u32, messages: Vec<InputMessage>) -> Self {
        Self {
            model: model.into(),
            max_tokens,
            messages,
            system: None,
            stop_sequences: None,
            temperature: None,
            top_p: None,
            top_k: None,
            tools: None,
            tool_choice: None,
            metadata: None,
            extra: Map::new(),
        }
    }

    /// Sets the system prompt: a `&str`, a `String` or a `Vec` of `text` blocks.
    ///
    /// Defaults to unset (no system prompt).
    pub fn system(mut self, system: impl Into<Content>) -> Self {
        self.system = Some(system.into());
        self
    }

    /// Sets the stop sequences.
    ///
    /// Defaults to unset (none).
    pub fn stop_sequences(mut self, stop: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.stop_sequences = Some(stop.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the sampling temperature.
    ///
    /// Defaults to unset (the server's default, 1).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the nucleus sampling probability mass.
    ///
    /// Defaults to unset (the server's default).
    pub fn top_p(mut self, top_p: f64) -> Self {
        self.top_p = Some(top_p);
        self
    }

    /// Sets top-k sampling.
    ///
    /// Defaults to unset (the server's default).
    pub fn top_k(mut self, top_k: u32) -> Self {
        self.top_k = Some(top_k);
        self
    }

    /// Sets the tools the model may call.
    ///
    /// Defaults to unset (no tools).
    pub fn tools(mut self, tools: impl IntoIterator<Item = MessageTool>) -> Self {
        self.tools = Some(tools.into_iter().collect());
        self
    }

    /// Sets whether and which tool the model must call.
    ///
    /// Defaults to unset (the server's default: `auto` when tools are given).
    pub fn tool_choice(mut self, tool_choice: MessageToolChoice) -> Self {
        self.tool_choice = Some(tool_choice);
        self
    }

    /// Sets the request's metadata.
    ///
    /// Defaults to unset (none sent).
    pub fn metadata(mut self, metadata: MessageMetadata) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Sets one further top-level body field, replacing a previous value of that name; a name
    /// this type has a field for is sent twice, so use the field's setter instead.
    ///
    /// Defaults to none.
    pub fn extra(mut self, name: impl Into<String>, value: Value) -> Self {
        self.extra.insert(name.into(), value);
        self
    }
}

/// The author of an [`InputMessage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum MessageRole {
    /// `user`: the person (and tool results).
    User,
    /// `assistant`: the model.
    Assistant,
}

/// One turn of the conversation sent in [`MessageParams::messages`].
///
/// ```
/// use meshapi::types::messages::{ContentBlock, InputMessage};
/// use serde_json::json;
///
/// assert_eq!(
///     serde_json::to_value(InputMessage::user("Hi"))?,
///     json!({"role": "user", "content": "Hi"}),
/// );
/// let result = InputMessage::user(vec![ContentBlock::tool_result("toolu_1", "18°C")]);
/// assert_eq!(
///     serde_json::to_value(result)?["content"][0],
///     json!({"type": "tool_result", "tool_use_id": "toolu_1", "content": "18°C"}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputMessage {
    /// Who wrote the turn.
    pub role: MessageRole,
    /// Its text or blocks.
    pub content: Content,
}

impl InputMessage {
    /// A `user` turn: text, or blocks (text, images, tool results).
    pub fn user(content: impl Into<Content>) -> Self {
        Self {
            role: MessageRole::User,
            content: content.into(),
        }
    }

    /// An `assistant` turn: text, or blocks (text, tool uses); a last assistant turn is
    /// continued by the model.
    pub fn assistant(content: impl Into<Content>) -> Self {
        Self {
            role: MessageRole::Assistant,
            content: content.into(),
        }
    }
}

impl From<Message> for InputMessage {
    /// The reply as the next assistant turn, with every block as received (thinking blocks
    /// keep their signatures, unknown blocks their JSON).
    fn from(message: Message) -> Self {
        InputMessage::assistant(message.content)
    }
}

/// Text, or a list of content blocks: a message's `content`, the `system` prompt, a tool
/// result's `content`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Content {
    /// Plain text, sent as a JSON string.
    Text(String),
    /// Blocks, sent as a JSON array.
    Blocks(Vec<ContentBlock>),
}

impl From<&str> for Content {
    fn from(text: &str) -> Self {
        Content::Text(text.to_owned())
    }
}

impl From<String> for Content {
    fn from(text: String) -> Self {
        Content::Text(text)
    }
}

impl From<Vec<ContentBlock>> for Content {
    fn from(blocks: Vec<ContentBlock>) -> Self {
        Content::Blocks(blocks)
    }
}

/// One block of content, discriminated on the wire by `type`: in requests (text, images, tool
/// uses being replayed, tool results) and in replies (text, tool uses, thinking).
///
/// ```
/// use meshapi::types::messages::ContentBlock;
/// use serde_json::json;
///
/// let block: ContentBlock = serde_json::from_value(json!({
///     "type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Oslo"}
/// }))?;
/// let ContentBlock::ToolUse(call) = &block else { panic!("a tool use") };
/// assert_eq!(call.input["city"], "Oslo");
///
/// // A block type this version does not know is kept as sent.
/// let new: ContentBlock = serde_json::from_value(json!({"type": "hologram", "frames": 3}))?;
/// assert_eq!(new, ContentBlock::Other(json!({"type": "hologram", "frames": 3})));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContentBlock {
    /// `text`.
    Text(TextBlock),
    /// `image`: base64 data or a URL.
    Image(ImageBlock),
    /// `tool_use`: the model calls a tool.
    ToolUse(ToolUseBlock),
    /// `tool_result`: what a tool call returned, sent in a `user` turn.
    ToolResult(ToolResultBlock),
    /// `thinking`: the model's extended thinking, with the signature that lets it be replayed.
    Thinking(ThinkingBlock),
    /// A block of another type (`redacted_thinking`, `document`, server tools, …), as sent.
    #[serde(untagged)]
    Other(Value),
}

by_type!(ContentBlock {
    "text" => Text,
    "image" => Image,
    "tool_use" => ToolUse,
    "tool_result" => ToolResult,
    "thinking" => Thinking,
});

impl ContentBlock {
    /// A `text` block.
    pub fn text(text: impl Into<String>) -> Self {
        ContentBlock::Text(TextBlock {
            text: text.into(),
            extra: Map::new(),
        })
    }

    /// An `image` block.
    pub fn image(source: ImageSource) -> Self {
        ContentBlock::Image(ImageBlock {
            source,
            extra: Map::new(),
        })
    }

    /// A `tool_use` block, to replay an assistant turn that called a tool.
    pub fn tool_use(id: impl Into<String>, name: impl Into<String>, input: Value) -> Self {
        ContentBlock::ToolUse(ToolUseBlock {
            id: id.into(),
            name: name.into(),
            input,
            extra: Map::new(),
        })
    }

    /// A `tool_result` block answering the tool use `tool_use_id` with text or blocks. Mark a
    /// failed call with [`ToolResultBlock::is_error`].
    pub fn tool_result(tool_use_id: impl Into<String>, content: impl Into<Content>) -> Self {
        ToolResultBlock::new(tool_use_id, content).into()
    }
}

/// A `text` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextBlock {
    /// The text.
    pub text: String,
    /// Fields this version of the crate does not know (`citations`, `cache_control`, …), kept as
    /// sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An `image` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageBlock {
    /// Where the image comes from.
    pub source: ImageSource,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `source` of an [`ImageBlock`], discriminated by `type`.
///
/// ```
/// use meshapi::types::messages::ImageSource;
/// use serde_json::json;
///
/// assert_eq!(
///     serde_json::to_value(ImageSource::base64("image/png", "iVBORw0KGgo="))?,
///     json!({"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ImageSource {
    /// `base64`: the image's bytes.
    Base64 {
        /// `image/jpeg`, `image/png`, `image/gif` or `image/webp`.
        media_type: String,
        /// The bytes, base64-encoded.
        data: String,
    },
    /// `url`: an image on the web.
    Url {
        /// Its http(s) URL.
        url: String,
    },
    /// A source of another type (such as `file`), as sent.
    #[serde(untagged)]
    Other(Value),
}

impl ImageSource {
    /// Base64-encoded bytes of type `media_type`.
    pub fn base64(media_type: impl Into<String>, data: impl Into<String>) -> Self {
        ImageSource::Base64 {
            media_type: media_type.into(),
            data: data.into(),
        }
    }

    /// An image by URL.
    pub fn url(url: impl Into<String>) -> Self {
        ImageSource::Url { url: url.into() }
    }
}

/// A `tool_use` block: the model calls `name` with `input`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolUseBlock {
    /// The call's id, which its [`ToolResultBlock`] names.
    pub id: String,
    /// The tool's name.
    pub name: String,
    /// The arguments, a JSON object following the tool's `input_schema`.
    #[serde(default = "empty_object")]
    pub input: Value,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

/// A `tool_result` block: what the tool use `tool_use_id` returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct ToolResultBlock {
    /// The id of the [`ToolUseBlock`] answered.
    pub tool_use_id: String,
    /// The result: text, or blocks (text, images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    /// Whether the call failed (the content then says why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_error: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ToolResultBlock {
    /// The result `content` of the tool use `tool_use_id`.
    pub fn new(tool_use_id: impl Into<String>, content: impl Into<Content>) -> Self {
        Self {
            tool_use_id: tool_use_id.into(),
            content: Some(content.into()),
            is_error: None,
            extra: Map::new(),
        }
    }

    /// Marks whether the call failed.
    ///
    /// Defaults to unset (a success).
    pub fn is_error(mut self, is_error: bool) -> Self {
        self.is_error = Some(is_error);
        self
    }
}

impl From<ToolResultBlock> for ContentBlock {
    fn from(block: ToolResultBlock) -> Self {
        ContentBlock::ToolResult(block)
    }
}

/// A `thinking` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThinkingBlock {
    /// The model's reasoning text.
    #[serde(default)]
    pub thinking: String,
    /// The provider's signature over the thinking, needed to send the block back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tool the model may call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct MessageTool {
    /// The tool's name.
    pub name: String,
    /// What the tool does, for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the tool's `input` object.
    pub input_schema: Value,
    /// Further fields of the tool (such as `cache_control`), sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MessageTool {
    /// A tool named `name` whose input follows the JSON Schema `input_schema`.
    pub fn new(name: impl Into<String>, input_schema: Value) -> Self {
        Self {
            name: name.into(),
            description: None,
            input_schema,
            extra: Map::new(),
        }
    }

    /// Sets the description.
    ///
    /// Defaults to unset (none sent).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// Whether and which tool the model must call (`tool_choice`), discriminated by `type`.
///
/// ```
/// use meshapi::types::messages::MessageToolChoice;
/// use serde_json::json;
///
/// assert_eq!(serde_json::to_value(MessageToolChoice::any())?, json!({"type": "any"}));
/// assert_eq!(
///     serde_json::to_value(MessageToolChoice::tool("get_weather"))?,
///     json!({"type": "tool", "name": "get_weather"}),
/// );
/// let one_at_a_time = MessageToolChoice::Auto { disable_parallel_tool_use: Some(true) };
/// assert_eq!(
///     serde_json::to_value(one_at_a_time)?,
///     json!({"type": "auto", "disable_parallel_tool_use": true}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageToolChoice {
    /// `auto`: the model decides.
    Auto {
        /// At most one tool use per turn.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        disable_parallel_tool_use: Option<bool>,
    },
    /// `any`: the model must use some tool.
    Any {
        /// Exactly one tool use per turn.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        disable_parallel_tool_use: Option<bool>,
    },
    /// `tool`: the model must use the tool `name`.
    Tool {
        /// The tool's name.
        name: String,
        /// Exactly one tool use per turn.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        disable_parallel_tool_use: Option<bool>,
    },
    /// `none`: the model must not use a tool.
    None,
}

impl MessageToolChoice {
    /// `{"type": "auto"}`.
    pub fn auto() -> Self {
        MessageToolChoice::Auto {
            disable_parallel_tool_use: None,
        }
    }

    /// `{"type": "any"}`.
    pub fn any() -> Self {
        MessageToolChoice::Any {
            disable_parallel_tool_use: None,
        }
    }

    /// `{"type": "tool", "name": name}`.
    pub fn tool(name: impl Into<String>) -> Self {
        MessageToolChoice::Tool {
            name: name.into(),
            disable_parallel_tool_use: None,
        }
    }

    /// `{"type": "none"}`.
    pub fn none() -> Self {
        MessageToolChoice::None
    }
}

/// The `metadata` of a [`MessageParams`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct MessageMetadata {
    /// An opaque id of the end user (a hash or UUID, never a name or address), for the
    /// provider's abuse detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Further metadata fields, sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MessageMetadata {
    /// Empty metadata.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the end user's opaque id.
    ///
    /// Defaults to unset (none sent).
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }
}

/// The reply to `POST /v1/messages` (`"type": "message"`).
///
/// ```
/// use meshapi::types::messages::{ContentBlock, Message};
///
/// let reply: Message = serde_json::from_str(r#"{
///     "id": "msg_01", "type": "message", "role": "assistant", "model": "anthropic/claude-sonnet-4",
///     "content": [
///         {"type": "text", "text": "Let me check."},
///         {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Oslo"}}
///     ],
///     "stop_reason": "tool_use", "stop_sequence": null,
///     "usage": {"input_tokens": 25, "output_tokens": 18, "cache_creation_input_tokens": 0,
///               "cache_read_input_tokens": 0}
/// }"#)?;
/// assert_eq!(reply.text(), "Let me check.");
/// assert_eq!(reply.tool_uses().next().map(|call| call.name.as_str()), Some("get_weather"));
/// assert_eq!(reply.stop_reason.as_deref(), Some("tool_use"));
/// assert_eq!((reply.usage.input_tokens, reply.usage.output_tokens), (25, 18));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Message {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Message id (`msg_…`).
    pub id: String,
    /// `message`.
    #[serde(default = "message_type")]
    pub r#type: String,
    /// `assistant`.
    #[serde(default = "assistant_role")]
    pub role: String,
    /// What the model produced, in order.
    #[serde(default)]
    pub content: Vec<ContentBlock>,
    /// The model that answered.
    pub model: String,
    /// Why generation stopped: `end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, … (kept
    /// as a string, so a new reason is never refused); `None` until known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<String>,
    /// Which of the `stop_sequences` stopped generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequence: Option<String>,
    /// Token counts.
    #[serde(default)]
    pub usage: MessageUsage,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn message_type() -> String {
    "message".to_owned()
}

fn assistant_role() -> String {
    "assistant".to_owned()
}

impl Message {
    /// The text of every `text` block, joined.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|block| match block {
                ContentBlock::Text(block) => Some(block.text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The `tool_use` blocks, in order.
    pub fn tool_uses(&self) -> impl Iterator<Item = &ToolUseBlock> {
        self.content.iter().filter_map(|block| match block {
            ContentBlock::ToolUse(call) => Some(call),
            _ => None,
        })
    }
}

/// The token counts of a [`Message`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageUsage {
    /// Input tokens not read from or written to the prompt cache.
    #[serde(default)]
    pub input_tokens: u64,
    /// Generated tokens.
    #[serde(default)]
    pub output_tokens: u64,
    /// Input tokens written to the prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation_input_tokens: Option<u64>,
    /// Input tokens read from the prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One event of a streamed message, discriminated by its JSON `type`.
///
/// A stream runs `message_start`, then per content block `content_block_start`, its
/// `content_block_delta`s and `content_block_stop`, then `message_delta` (the stop reason and
/// the real token counts: the gateway's `message_start` carries zeros) and `message_stop`,
/// after which the stream ends. Keep-alive `ping`s are delivered like any event, for callers
/// that watch the connection; skip them with `_ => {}`. An `error` event never arrives as an
/// item: it ends the stream with its error, mapped like an HTTP error of the same `type`.
///
/// ```
/// use meshapi::types::messages::{ContentBlockDelta, MessageStreamEvent};
///
/// let event: MessageStreamEvent = serde_json::from_str(
///     r#"{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}"#,
/// )?;
/// let MessageStreamEvent::ContentBlockDelta(delta) = &event else { panic!("a delta") };
/// assert_eq!(delta.index, 0);
/// assert!(matches!(&delta.delta, ContentBlockDelta::TextDelta(text) if text.text == "Hi"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageStreamEvent {
    /// `message_start`: the message with empty `content`.
    MessageStart(MessageStartEvent),
    /// `content_block_start`: a block begins, with its empty or initial content.
    ContentBlockStart(ContentBlockStartEvent),
    /// `content_block_delta`: a fragment of a block.
    ContentBlockDelta(ContentBlockDeltaEvent),
    /// `content_block_stop`: a block is complete.
    ContentBlockStop(ContentBlockStopEvent),
    /// `message_delta`: the stop reason and the token counts.
    MessageDelta(MessageDeltaEvent),
    /// `message_stop`: the last event of the stream.
    MessageStop(MessageStopEvent),
    /// `ping`: a keep-alive.
    Ping(PingEvent),
    /// An event of another type, as sent.
    #[serde(untagged)]
    Other(Value),
}

by_type!(MessageStreamEvent {
    "message_start" => MessageStart,
    "content_block_start" => ContentBlockStart,
    "content_block_delta" => ContentBlockDelta,
    "content_block_stop" => ContentBlockStop,
    "message_delta" => MessageDelta,
    "message_stop" => MessageStop,
    "ping" => Ping,
});

/// A `message_start` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageStartEvent {
    /// The message so far: id, model, role, empty content, initial usage.
    pub message: Message,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `content_block_start` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentBlockStartEvent {
    /// The block's position in the message's `content`.
    pub index: u32,
    /// The block as it starts (empty text, a tool use with empty input, …).
    pub content_block: ContentBlock,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `content_block_delta` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentBlockDeltaEvent {
    /// The position of the block it extends.
    pub index: u32,
    /// The fragment.
    pub delta: ContentBlockDelta,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `content_block_stop` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentBlockStopEvent {
    /// The position of the block that is complete.
    pub index: u32,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The fragment of a [`ContentBlockDeltaEvent`], discriminated by `type`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContentBlockDelta {
    /// `text_delta`: text to append to a text block.
    TextDelta(TextDelta),
    /// `input_json_delta`: a piece of a tool use's `input` as JSON text; the pieces joined are
    /// the whole object.
    InputJsonDelta(InputJsonDelta),
    /// `thinking_delta`: text to append to a thinking block.
    ThinkingDelta(ThinkingDelta),
    /// `signature_delta`: a thinking block's signature.
    SignatureDelta(SignatureDelta),
    /// `citations_delta`: a citation to add to a text block.
    CitationsDelta(CitationsDelta),
    /// A fragment of another type, as sent.
    #[serde(untagged)]
    Other(Value),
}

by_type!(ContentBlockDelta {
    "text_delta" => TextDelta,
    "input_json_delta" => InputJsonDelta,
    "thinking_delta" => ThinkingDelta,
    "signature_delta" => SignatureDelta,
    "citations_delta" => CitationsDelta,
});

/// A `text_delta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextDelta {
    /// The text to append.
    pub text: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An `input_json_delta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputJsonDelta {
    /// A piece of JSON text (not JSON by itself).
    pub partial_json: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `thinking_delta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThinkingDelta {
    /// The thinking text to append.
    pub thinking: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `signature_delta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SignatureDelta {
    /// The thinking block's signature.
    pub signature: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `citations_delta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CitationsDelta {
    /// The citation, as sent.
    pub citation: Value,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `message_delta` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageDeltaEvent {
    /// The message-level changes.
    #[serde(default)]
    pub delta: MessageDelta,
    /// The token counts so far; those present replace the message's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<MessageDeltaUsage>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `delta` of a [`MessageDeltaEvent`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageDelta {
    /// Why generation stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<String>,
    /// Which stop sequence stopped it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequence: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `usage` of a [`MessageDeltaEvent`]: cumulative counts, each only when sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageDeltaUsage {
    /// Input tokens not read from or written to the prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Generated tokens so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Input tokens written to the prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation_input_tokens: Option<u64>,
    /// Input tokens read from the prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `message_stop` event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageStopEvent {
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `ping` event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PingEvent {
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Joins the events of a stream into the [`Message`] a non-streaming call would have returned.
///
/// `message_start` gives the id, model, role and initial usage; each `content_block_start`
/// places a block at its `index`, and its deltas extend it: text and thinking appended, the
/// signature set, citations added to the text block's `citations`, and `input_json_delta`
/// pieces joined and parsed as the tool use's `input` (also for a block of a type this version
/// does not know, such as a server tool use). `message_delta` sets the stop reason and stop
/// sequence, and each token count it carries replaces the one before; its other fields join the
/// message's `extra`, the latest value winning. Pings, unknown events, and deltas of a block
/// that never started or of a kind that does not fit the block are left out.
///
/// ```
/// use meshapi::types::messages::{MessageAccumulator, MessageStreamEvent};
///
/// let frames = [
///     r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",
///         "content":[],"model":"m","stop_reason":null,"usage":{"input_tokens":0,"output_tokens":0}}}"#,
///     r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
///     r#"{"type":"ping"}"#,
///     r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#,
///     r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}"#,
///     r#"{"type":"content_block_stop","index":0}"#,
///     r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
///         "usage":{"input_tokens":9,"output_tokens":2}}"#,
///     r#"{"type":"message_stop"}"#,
/// ];
/// let mut acc = MessageAccumulator::new();
/// for frame in frames {
///     acc.push(&serde_json::from_str::<MessageStreamEvent>(frame)?);
/// }
/// let message = acc.finish()?;
/// assert_eq!(message.text(), "Hello");
/// assert_eq!(message.stop_reason.as_deref(), Some("end_turn"));
/// assert_eq!((message.usage.input_tokens, message.usage.output_tokens), (9, 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct MessageAccumulator {
    message: Option<Message>,
    blocks: BTreeMap<u32, BlockState>,
}

#[derive(Debug)]
struct BlockState {
    block: ContentBlock,
    /// The `input_json_delta` pieces so far.
    json: String,
}

impl MessageAccumulator {
    /// An accumulator that has seen no event.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one event, in stream order.
    pub fn push(&mut self, event: &MessageStreamEvent) {
        match event {
            MessageStreamEvent::MessageStart(start) => {
                let mut message = start.message.clone();
                for (index, block) in (0..).zip(message.content.drain(..)) {
                    self.blocks.insert(index, BlockState::new(block));
                }
                self.message = Some(message);
            }
            MessageStreamEvent::ContentBlockStart(start) => {
                let block = BlockState::new(start.content_block.clone());
                self.blocks.insert(start.index, block);
            }
            MessageStreamEvent::ContentBlockDelta(delta) => {
                if let Some(block) = self.blocks.get_mut(&delta.index) {
                    block.push(&delta.delta);
                }
            }
            MessageStreamEvent::MessageDelta(delta) => self.message_delta(delta),
            _ => {}
        }
    }

    fn message_delta(&mut self, event: &MessageDeltaEvent) {
        let message = self.message.get_or_insert_with(empty_message);
        if event.delta.stop_reason.is_some() {
            message.stop_reason.clone_from(&event.delta.stop_reason);
        }
        if event.delta.stop_sequence.is_some() {
            message.stop_sequence.clone_from(&event.delta.stop_sequence);
        }
        for (key, value) in event.delta.extra.iter().chain(&event.extra) {
            message.extra.insert(key.clone(), value.clone());
        }
        let Some(delta) = &event.usage else {
            return;
        };
        let usage = &mut message.usage;
        if let Some(tokens) = delta.input_tokens {
            usage.input_tokens = tokens;
        }
        if let Some(tokens) = delta.output_tokens {
            usage.output_tokens = tokens;
        }
        if delta.cache_creation_input_tokens.is_some() {
            usage.cache_creation_input_tokens = delta.cache_creation_input_tokens;
        }
        if delta.cache_read_input_tokens.is_some() {
            usage.cache_read_input_tokens = delta.cache_read_input_tokens;
        }
        for (key, value) in &delta.extra {
            usage.extra.insert(key.clone(), value.clone());
        }
    }

    /// The message assembled from every event pushed so far, blocks in `index` order.
    ///
    /// Fails with a `parse_error` when a tool use's joined `input_json_delta` pieces are not a
    /// JSON value (a stream that ended mid-block, or a server fault).
    pub fn finish(self) -> Result<Message, MeshApiError> {
        let mut message = self.message.unwrap_or_else(empty_message);
        message.content = self
            .blocks
            .into_iter()
            .map(|(index, block)| block.finish(index))
            .collect::<Result<_, _>>()?;
        Ok(message)
    }
}

/// The message of a stream whose `message_start` has not arrived.
fn empty_message() -> Message {
    Message {
        meta: crate::meta::Meta::default(),
        id: String::new(),
        r#type: message_type(),
        role: assistant_role(),
        content: Vec::new(),
        model: String::new(),
        stop_reason: None,
        stop_sequence: None,
        usage: MessageUsage::default(),
        extra: Map::new(),
    }
}

impl BlockState {
    fn new(block: ContentBlock) -> Self {
        BlockState {
            block,
            json: String::new(),
        }
    }

    fn push(&mut self, delta: &ContentBlockDelta) {
        match (&mut self.block, delta) {
            (ContentBlock::Text(block), ContentBlockDelta::TextDelta(delta)) => {
                block.text.push_str(&delta.text);
            }
            (ContentBlock::Text(block), ContentBlockDelta::CitationsDelta(delta)) => {
                let citations = block
                    .extra
                    .entry("citations")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !citations.is_array() {
                    *citations = Value::Array(Vec::new());
                }
                if let Value::Array(citations) = citations {
                    citations.push(delta.citation.clone());
                }
            }
            (ContentBlock::Thinking(block), ContentBlockDelta::ThinkingDelta(delta)) => {
                block.thinking.push_str(&delta.thinking);
            }
            (ContentBlock::Thinking(block), ContentBlockDelta::SignatureDelta(delta)) => {
                block.signature = Some(delta.signature.clone());
            }
            (
                ContentBlock::ToolUse(_) | ContentBlock::Other(_),
                ContentBlockDelta::InputJsonDelta(delta),
            ) => self.json.push_str(&delta.partial_json),
            _ => {}
        }
    }

    fn finish(mut self, index: u32) -> Result<ContentBlock, MeshApiError> {
        // No pieces: the input the block started with stands (`{}` for a tool without
        // parameters).
        if self.json.trim().is_empty() {
            return Ok(self.block);
        }
        let input: Value = serde_json::from_str(&self.json).map_err(|e| {
            MeshApiError::new(
                ErrorCode::ParseError,
                format!(
                    "the input of content block {index} is not JSON: {}",
                    snippet(self.json.as_bytes())
                ),
            )
            .with_source(e)
        })?;
        match &mut self.block {
            ContentBlock::ToolUse(call) => call.input = input,
            ContentBlock::Other(Value::Object(block)) => {
                block.insert("input".to_owned(), input);
            }
            _ => {}
        }
        Ok(self.block)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(value: Value) -> MessageStreamEvent {
        serde_json::from_value(value).unwrap()
    }

    fn accumulate(events: impl IntoIterator<Item = Value>) -> Result<Message, MeshApiError> {
        let mut acc = MessageAccumulator::new();
        for value in events {
            acc.push(&event(value));
        }
        acc.finish()
    }

    fn start() -> Value {
        json!({"type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "content": [],
            "model": "anthropic/claude-sonnet-4", "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": 0, "output_tokens": 0}}})
    }

    fn block_start(index: u32, block: Value) -> Value {
        json!({"type": "content_block_start", "index": index, "content_block": block})
    }

    fn delta(index: u32, delta: Value) -> Value {
        json!({"type": "content_block_delta", "index": index, "delta": delta})
    }

    #[test]
    fn text_and_a_tool_use_join_per_index() {
        let message = accumulate([
            start(),
            block_start(0, json!({"type": "text", "text": ""})),
            json!({"type": "ping"}),
            delta(0, json!({"type": "text_delta", "text": "Checking"})),
            delta(0, json!({"type": "text_delta", "text": " now."})),
            json!({"type": "content_block_stop", "index": 0}),
            block_start(
                1,
                json!({"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}),
            ),
            delta(1, json!({"type": "input_json_delta", "partial_json": ""})),
            delta(1, json!({"type": "input_json_delta", "partial_json": "{\"city\": \"Os"})),
            delta(1, json!({"type": "input_json_delta", "partial_json": "lo\"}"})),
            json!({"type": "content_block_stop", "index": 1}),
            json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null},
                   "usage": {"input_tokens": 12, "output_tokens": 30}}),
            json!({"type": "message_stop"}),
        ])
        .unwrap();
        assert_eq!(message.id, "msg_1");
        assert_eq!(message.model, "anthropic/claude-sonnet-4");
        assert_eq!(message.text(), "Checking now.");
        let calls: Vec<_> = message.tool_uses().collect();
        assert_eq!(calls.len(), 1);
        assert_eq!(
            (calls[0].id.as_str(), calls[0].name.as_str()),
            ("toolu_1", "get_weather")
        );
        assert_eq!(calls[0].input, json!({"city": "Oslo"}));
        assert_eq!(message.stop_reason.as_deref(), Some("tool_use"));
        assert_eq!(message.stop_sequence, None);
        assert_eq!(
            (message.usage.input_tokens, message.usage.output_tokens),
            (12, 30)
        );
        assert!(message.extra.is_empty(), "{:?}", message.extra);
    }

    #[test]
    fn a_tool_use_without_pieces_keeps_its_start_input() {
        let message = accumulate([
            start(),
            block_start(
                0,
                json!({"type": "tool_use", "id": "t", "name": "now", "input": {}}),
            ),
            json!({"type": "content_block_stop", "index": 0}),
        ])
        .unwrap();
        assert_eq!(message.tool_uses().next().unwrap().input, json!({}));
    }

    #[test]
    fn thinking_signatures_and_citations_accumulate() {
        let message = accumulate([
            start(),
            block_start(
                0,
                json!({"type": "thinking", "thinking": "", "signature": ""}),
            ),
            delta(
                0,
                json!({"type": "thinking_delta", "thinking": "Two plus "}),
            ),
            delta(
                0,
                json!({"type": "thinking_delta", "thinking": "two is four."}),
            ),
            delta(
                0,
                json!({"type": "signature_delta", "signature": "EqQBCgIYAhIM"}),
            ),
            block_start(1, json!({"type": "text", "text": "", "citations": null})),
            delta(1, json!({"type": "text_delta", "text": "4"})),
            delta(
                1,
                json!({"type": "citations_delta", "citation": {"cited_text": "2+2=4"}}),
            ),
        ])
        .unwrap();
        let ContentBlock::Thinking(thinking) = &message.content[0] else {
            panic!("{:?}", message.content[0]);
        };
        assert_eq!(thinking.thinking, "Two plus two is four.");
        assert_eq!(thinking.signature.as_deref(), Some("EqQBCgIYAhIM"));
        let ContentBlock::Text(text) = &message.content[1] else {
            panic!("{:?}", message.content[1]);
        };
        assert_eq!(text.text, "4");
        assert_eq!(text.extra["citations"], json!([{"cited_text": "2+2=4"}]));
    }

    #[test]
    fn usage_counts_are_replaced_only_when_sent() {
        let mut real_start = start();
        real_start["message"]["usage"] = json!({"input_tokens": 25, "output_tokens": 1,
            "cache_read_input_tokens": 7, "service_tier": "standard"});
        let message = accumulate([
            real_start,
            json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"},
                   "usage": {"output_tokens": 15, "server_tool_use": {"web_search_requests": 1}}}),
        ])
        .unwrap();
        let usage = &message.usage;
        assert_eq!((usage.input_tokens, usage.output_tokens), (25, 15));
        assert_eq!(usage.cache_read_input_tokens, Some(7));
        assert_eq!(usage.cache_creation_input_tokens, None);
        assert_eq!(usage.extra["service_tier"], "standard");
        assert_eq!(usage.extra["server_tool_use"]["web_search_requests"], 1);
    }

    #[test]
    fn unknown_events_and_blocks_are_kept_or_left_out() {
        let server_tool = json!({"type": "server_tool_use", "id": "srvtoolu_1",
            "name": "web_search", "input": {}});
        let message = accumulate([
            json!({"type": "brand_new_event", "x": 1}),
            start(),
            block_start(0, server_tool),
            delta(0, json!({"type": "input_json_delta", "partial_json": "{\"query\":\"rust\"}"})),
            delta(0, json!({"type": "text_delta", "text": "ignored: not a text block"})),
            delta(1, json!({"type": "text_delta", "text": "ignored: block 1 never started"})),
            block_start(2, json!({"type": "text", "text": "as sent"})),
            delta(2, json!({"type": "brand_new_delta", "x": 1})),
            json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_details": {"a": 1}},
                   "context_management": {"applied_edits": []}}),
        ])
        .unwrap();
        assert_eq!(message.content.len(), 2);
        assert_eq!(
            message.content[0],
            ContentBlock::Other(json!({"type": "server_tool_use", "id": "srvtoolu_1",
                "name": "web_search", "input": {"query": "rust"}}))
        );
        assert_eq!(message.text(), "as sent");
        assert_eq!(message.extra["stop_details"], json!({"a": 1}));
        assert_eq!(
            message.extra["context_management"],
            json!({"applied_edits": []})
        );
    }

    #[test]
    fn broken_tool_input_is_a_parse_error_naming_the_block() {
        let err = accumulate([
            start(),
            block_start(
                0,
                json!({"type": "tool_use", "id": "t", "name": "f", "input": {}}),
            ),
            delta(
                0,
                json!({"type": "input_json_delta", "partial_json": "{\"city\": \"Os"}),
            ),
        ])
        .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ParseError);
        assert!(
            err.message().contains("content block 0"),
            "{}",
            err.message()
        );
        assert!(
            err.message().contains("{\"city\": \"Os"),
            "{}",
            err.message()
        );
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn a_stream_without_message_start_still_finishes() {
        let message = accumulate([
            block_start(0, json!({"type": "text", "text": "a"})),
            json!({"type": "message_delta", "delta": {"stop_reason": "max_tokens"}}),
        ])
        .unwrap();
        assert_eq!(
            (message.id.as_str(), message.r#type.as_str()),
            ("", "message")
        );
        assert_eq!(message.role, "assistant");
        assert_eq!(message.text(), "a");
        assert_eq!(message.stop_reason.as_deref(), Some("max_tokens"));
        assert_eq!(MessageAccumulator::new().finish().unwrap().content, []);
    }

    #[test]
    fn events_round_trip_through_serde() {
        let frames = [
            start(),
            block_start(
                0,
                json!({"type": "text", "text": "", "cache_control": {"type": "ephemeral"}}),
            ),
            delta(0, json!({"type": "text_delta", "text": "Hi"})),
            delta(0, json!({"type": "brand_new_delta", "x": 1})),
            json!({"type": "content_block_stop", "index": 0}),
            json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 1}}),
            json!({"type": "message_stop", "amazon-bedrock-invocationMetrics": {"inputTokenCount": 1}}),
            json!({"type": "ping"}),
            json!({"type": "brand_new_event", "x": [1, 2]}),
            json!({"no": "type"}),
        ];
        for frame in frames {
            let decoded = event(frame.clone());
            let mut expected = frame;
            // Message serializes its defaults and skips what is null.
            if expected["type"] == "message_start" {
                expected["message"]
                    .as_object_mut()
                    .unwrap()
                    .retain(|_, v| !v.is_null());
            }
            assert_eq!(serde_json::to_value(&decoded).unwrap(), expected);
        }
        assert!(matches!(
            event(json!({"type": "brand_new_event"})),
            MessageStreamEvent::Other(_)
        ));
        assert!(matches!(
            event(json!({"type": "ping"})),
            MessageStreamEvent::Ping(_)
        ));
    }

    #[test]
    fn a_known_type_that_does_not_fit_is_an_error_not_other() {
        for bad in [
            json!({"type": "content_block_delta", "delta": {"type": "text_delta", "text": "x"}}),
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}}),
            json!({"type": "message_start", "message": {"content": []}}),
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text"}}),
        ] {
            assert!(
                serde_json::from_value::<MessageStreamEvent>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn request_blocks_serialize_with_their_type_and_replies_replay() {
        let blocks = vec![
            ContentBlock::text("Here:"),
            ContentBlock::image(ImageSource::base64("image/png", "iVBORw0KGgo=")),
            ContentBlock::tool_use("toolu_1", "f", json!({"a": 1})),
            ToolResultBlock::new("toolu_1", vec![ContentBlock::text("boom")])
                .is_error(true)
                .into(),
            ContentBlock::Other(json!({"type": "document", "source": {"type": "text"}})),
        ];
        assert_eq!(
            serde_json::to_value(&blocks).unwrap(),
            json!([
                {"type": "text", "text": "Here:"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1}},
                {"type": "tool_result", "tool_use_id": "toolu_1",
                 "content": [{"type": "text", "text": "boom"}], "is_error": true},
                {"type": "document", "source": {"type": "text"}},
            ])
        );
        let back: Vec<ContentBlock> =
            serde_json::from_value(serde_json::to_value(&blocks).unwrap()).unwrap();
        assert_eq!(back, blocks);

        let reply: Message = serde_json::from_value(json!({
            "id": "msg_1", "model": "m", "content": [
                {"type": "thinking", "thinking": "hm", "signature": "sig"},
                {"type": "redacted_thinking", "data": "opaque"},
                {"type": "text", "text": "hi"}]
        }))
        .unwrap();
        let turn = InputMessage::from(reply);
        assert_eq!(
            serde_json::to_value(turn).unwrap(),
            json!({"role": "assistant", "content": [
                {"type": "thinking", "thinking": "hm", "signature": "sig"},
                {"type": "redacted_thinking", "data": "opaque"},
                {"type": "text", "text": "hi"}]})
        );
    }

    #[test]
    fn params_omit_what_is_unset() {
        let params = MessageParams::new("m", 16, vec![InputMessage::user("Hi")]);
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({"model": "m", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]})
        );
        let full = params
            .system(vec![ContentBlock::text("Be brief.")])
            .stop_sequences(["END"])
            .top_p(0.9)
            .top_k(40)
            .tool_choice(MessageToolChoice::none())
            .metadata(MessageMetadata::new().user_id("u_1"));
        let body = serde_json::to_value(&full).unwrap();
        assert_eq!(
            body["system"],
            json!([{"type": "text", "text": "Be brief."}])
        );
        assert_eq!(body["stop_sequences"], json!(["END"]));
        assert_eq!(
            (body["top_p"].clone(), body["top_k"].clone()),
            (json!(0.9), json!(40))
        );
        assert_eq!(body["tool_choice"], json!({"type": "none"}));
        assert_eq!(body["metadata"], json!({"user_id": "u_1"}));
        assert!(body.get("temperature").is_none());
    }
}
