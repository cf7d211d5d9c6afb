//! Chat completions: `POST /v1/chat/completions`, whole and streamed.
//!
//! - Request: [`ChatCompletionParams`] with [`ChatMessage`]s, [`ContentPart`]s and [`Tool`]s.
//! - Response: [`ChatCompletionResponse`].
//! - Stream: one [`ChatCompletionChunk`] per event; [`ChatCompletionAccumulator`] folds the
//!   chunks back into a [`ChatCompletionResponse`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::shared::Usage;

/// The body of a chat completion request.
///
/// Build it with [`new`](Self::new) (or [`from_template`](Self::from_template)) and the chainable
/// setters; every field left unset is omitted from the JSON body, so the server's default
/// applies. There is no `stream` field: the client's `create` and `stream` methods choose it.
///
/// ```
/// use meshapi::{ChatCompletionParams, ChatMessage};
/// use meshapi::types::chat::{Tool, ToolChoice};
/// use serde_json::json;
///
/// let params = ChatCompletionParams::new(
///     "openai/gpt-4o-mini",
///     vec![
///         ChatMessage::system("You are terse."),
///         ChatMessage::user("What's the weather in Paris?"),
///     ],
/// )
/// .temperature(0.2)
/// .max_tokens(256)
/// .stop(vec!["\n\n", "END"])
/// .tools(vec![Tool::function(
///     "get_weather",
///     "Current weather for a city",
///     json!({"type": "object", "properties": {"city": {"type": "string"}}}),
/// )])
/// .tool_choice(ToolChoice::Auto);
///
/// let body = serde_json::to_value(&params)?;
/// assert_eq!(body["model"], "openai/gpt-4o-mini");
/// assert_eq!(body["max_tokens"], 256);
/// assert_eq!(body["tool_choice"], "auto");
/// assert!(body.get("top_p").is_none()); // unset: omitted, never null
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionParams {
    /// Model id such as `openai/gpt-4o-mini`; may be left out when `template` supplies it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The conversation so far.
    pub messages: Vec<ChatMessage>,
    /// Server-side fallback models, tried in order when `model` fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<String>>,
    /// Name of a server-stored prompt template (a MeshAPI extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Values for the template's `{{var}}` slots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<BTreeMap<String, String>>,
    /// Session id grouping related requests (a MeshAPI extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Sampling temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Upper bound on generated tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Nucleus sampling probability mass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Penalty on tokens by how often they already appeared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    /// Penalty on tokens that already appeared at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    /// Sequence(s) at which generation stops.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<Stop>,
    /// Seed for best-effort deterministic sampling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Functions the model may call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// Whether and which tool the model must call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Output format, forwarded to the provider as is, e.g.
    /// `{"type":"json_schema","json_schema":{"name":..,"schema":{..}}}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    /// End-user id, for the provider's abuse monitoring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `text` or `image` (image generation through chat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modality: Option<String>,
    /// Image generation options, used with `modality: "image"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageOptions>,
    /// Run the request as a background job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub async_mode: Option<bool>,
    /// Output modalities, items `text` or `audio`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modalities: Option<Vec<String>>,
    /// Audio output options, used with `modalities: ["audio"]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<AudioOptions>,
    /// Upstream-provider timeout in seconds (a MeshAPI extension; the gateway's default is 300).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<f64>,
    /// Prompt caching on or off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<bool>,
    /// Prompt transforms, e.g. `middle-out`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transforms: Option<Vec<String>>,
    /// `high`, `medium`, `low` or `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<String>,
}

impl ChatCompletionParams {
    /// A request for `model` continuing `messages`; everything else unset.
    pub fn new(model: impl Into<String>, messages: Vec<ChatMessage>) -> Self {
        Self {
            model: Some(model.into()),
            ..Self::from_template_parts(None, messages)
        }
    }

    /// A request that renders the server-stored template named `template`, which also supplies
    /// the model; `messages` are sent along with it. Fill the template's slots with
    /// [`variable`](Self::variable).
    ///
    /// ```
    /// use meshapi::ChatCompletionParams;
    /// use serde_json::json;
    ///
    /// let params = ChatCompletionParams::from_template("support-triage", vec![])
    ///     .variable("product", "Widget");
    /// assert_eq!(
    ///     serde_json::to_value(&params)?,
    ///     json!({
    ///         "messages": [],
    ///         "template": "support-triage",
    ///         "variables": {"product": "Widget"},
    ///     }),
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_template(template: impl Into<String>, messages: Vec<ChatMessage>) -> Self {
        Self::from_template_parts(Some(template.into()), messages)
    }

    fn from_template_parts(template: Option<String>, messages: Vec<ChatMessage>) -> Self {
        Self {
            model: None,
            messages,
            models: None,
            template,
            variables: None,
            session_id: None,
            temperature: None,
            max_tokens: None,
            top_p: None,
            frequency_penalty: None,
            presence_penalty: None,
            stop: None,
            seed: None,
            tools: None,
            tool_choice: None,
            response_format: None,
            user: None,
            modality: None,
            image: None,
            async_mode: None,
            modalities: None,
            audio: None,
            timeout: None,
            cache: None,
            transforms: None,
            reasoning_effort: None,
        }
    }

    /// Sets the model id, overriding the one a template would supply.
    ///
    /// Defaults to the `new` argument, or unset for `from_template` (the template's model).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the server-side fallback models.
    ///
    /// Defaults to unset (no fallback).
    pub fn models(mut self, models: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.models = Some(models.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the name of the server-stored prompt template.
    ///
    /// Defaults to unset (no template), or the `from_template` argument.
    pub fn template(mut self, template: impl Into<String>) -> Self {
        self.template = Some(template.into());
        self
    }

    /// Replaces all template variables.
    ///
    /// Defaults to unset (no variables).
    pub fn variables<K, V>(mut self, variables: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.variables = Some(
            variables
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }

    /// Sets one template variable, keeping the others.
    ///
    /// Defaults to unset (no variables).
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables
            .get_or_insert_with(BTreeMap::new)
            .insert(name.into(), value.into());
        self
    }

    /// Sets the session id.
    ///
    /// Defaults to unset (no session).
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = Some(session_id.into());
        self
    }

    /// Sets the sampling temperature.
    ///
    /// Defaults to unset (the server's default).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the upper bound on generated tokens.
    ///
    /// Defaults to unset (the server's default).
    pub fn max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = Some(max_tokens);
        self
    }

    /// Sets the nucleus sampling probability mass.
    ///
    /// Defaults to unset (the server's default).
    pub fn top_p(mut self, top_p: f64) -> Self {
        self.top_p = Some(top_p);
        self
    }

    /// Sets the frequency penalty.
    ///
    /// Defaults to unset (the server's default).
    pub fn frequency_penalty(mut self, frequency_penalty: f64) -> Self {
        self.frequency_penalty = Some(frequency_penalty);
        self
    }

    /// Sets the presence penalty.
    ///
    /// Defaults to unset (the server's default).
    pub fn presence_penalty(mut self, presence_penalty: f64) -> Self {
        self.presence_penalty = Some(presence_penalty);
        self
    }

    /// Sets the stop sequence(s): a `&str`, a `String` or a `Vec` of them.
    ///
    /// Defaults to unset (no stop sequence).
    pub fn stop(mut self, stop: impl Into<Stop>) -> Self {
        self.stop = Some(stop.into());
        self
    }

    /// Sets the sampling seed.
    ///
    /// Defaults to unset (random sampling).
    pub fn seed(mut self, seed: i64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Sets the functions the model may call.
    ///
    /// Defaults to unset (no tools).
    pub fn tools(mut self, tools: impl IntoIterator<Item = Tool>) -> Self {
        self.tools = Some(tools.into_iter().collect());
        self
    }

    /// Sets whether and which tool the model must call.
    ///
    /// Defaults to unset (the server's default: `auto` when tools are given).
    pub fn tool_choice(mut self, tool_choice: ToolChoice) -> Self {
        self.tool_choice = Some(tool_choice);
        self
    }

    /// Sets the output format object, sent as is.
    ///
    /// Defaults to unset (free text).
    pub fn response_format(mut self, response_format: Value) -> Self {
        self.response_format = Some(response_format);
        self
    }

    /// Sets the end-user id.
    ///
    /// Defaults to unset (none sent).
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// Sets the modality, `text` or `image`.
    ///
    /// Defaults to unset (the server's default, text).
    pub fn modality(mut self, modality: impl Into<String>) -> Self {
        self.modality = Some(modality.into());
        self
    }

    /// Sets the image generation options.
    ///
    /// Defaults to unset (the server's defaults).
    pub fn image(mut self, image: ImageOptions) -> Self {
        self.image = Some(image);
        self
    }

    /// Sets whether the request runs as a background job.
    ///
    /// Defaults to unset (the server's default).
    pub fn async_mode(mut self, async_mode: bool) -> Self {
        self.async_mode = Some(async_mode);
        self
    }

    /// Sets the output modalities, items `text` or `audio`.
    ///
    /// Defaults to unset (the server's default, text).
    pub fn modalities(mut self, modalities: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.modalities = Some(modalities.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the audio output options.
    ///
    /// Defaults to unset (the server's defaults).
    pub fn audio(mut self, audio: AudioOptions) -> Self {
        self.audio = Some(audio);
        self
    }

    /// Sets the upstream-provider timeout in seconds (> 0). This is the gateway's wait for the
    /// provider, not the client's HTTP timeout.
    ///
    /// Defaults to unset (the gateway's 300 s).
    pub fn timeout(mut self, seconds: f64) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// Turns prompt caching on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn cache(mut self, cache: bool) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Sets the prompt transforms.
    ///
    /// Defaults to unset (the server's default).
    pub fn transforms(mut self, transforms: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.transforms = Some(transforms.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the reasoning effort: `high`, `medium`, `low` or `none`.
    ///
    /// Defaults to unset (the model's default).
    pub fn reasoning_effort(mut self, reasoning_effort: impl Into<String>) -> Self {
        self.reasoning_effort = Some(reasoning_effort.into());
        self
    }
}

/// Stop sequence(s): the wire accepts one string or an array of strings.
///
/// ```
/// use meshapi::types::chat::Stop;
///
/// assert_eq!(serde_json::to_string(&Stop::from("END"))?, r#""END""#);
/// assert_eq!(serde_json::to_string(&Stop::from(vec!["a", "b"]))?, r#"["a","b"]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Stop {
    /// A single stop sequence.
    One(String),
    /// Several stop sequences.
    Many(Vec<String>),
}

impl From<&str> for Stop {
    fn from(stop: &str) -> Self {
        Stop::One(stop.to_owned())
    }
}

impl From<String> for Stop {
    fn from(stop: String) -> Self {
        Stop::One(stop)
    }
}

impl From<Vec<String>> for Stop {
    fn from(stops: Vec<String>) -> Self {
        Stop::Many(stops)
    }
}

impl From<Vec<&str>> for Stop {
    fn from(stops: Vec<&str>) -> Self {
        Stop::Many(stops.into_iter().map(str::to_owned).collect())
    }
}

/// Image generation options (`image`), used with `modality: "image"`.
///
/// Unset fields are omitted, so the server's defaults apply.
///
/// ```
/// use meshapi::types::chat::ImageOptions;
///
/// let image = ImageOptions::new().n(2).size("512x512");
/// assert_eq!(serde_json::to_string(&image)?, r#"{"n":2,"size":"512x512"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageOptions {
    /// Number of images, 1 to 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// Size such as `1024x1024`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Quality such as `high`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    /// `url` or `b64_json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
}

impl ImageOptions {
    /// Options with every field unset.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the number of images.
    ///
    /// Defaults to unset (the server's default, 1).
    pub fn n(mut self, n: u32) -> Self {
        self.n = Some(n);
        self
    }

    /// Sets the image size.
    ///
    /// Defaults to unset (the server's default).
    pub fn size(mut self, size: impl Into<String>) -> Self {
        self.size = Some(size.into());
        self
    }

    /// Sets the image quality.
    ///
    /// Defaults to unset (the server's default).
    pub fn quality(mut self, quality: impl Into<String>) -> Self {
        self.quality = Some(quality.into());
        self
    }

    /// Sets how images are returned, `url` or `b64_json`.
    ///
    /// Defaults to unset (the server's default).
    pub fn response_format(mut self, response_format: impl Into<String>) -> Self {
        self.response_format = Some(response_format.into());
        self
    }
}

/// Audio output options (`audio`), used with `modalities: ["audio"]`.
///
/// ```
/// use meshapi::types::chat::AudioOptions;
///
/// let audio = AudioOptions::new().voice("alloy");
/// assert_eq!(serde_json::to_string(&audio)?, r#"{"voice":"alloy"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AudioOptions {
    /// Voice name such as `alloy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
    /// `wav`, `mp3`, `flac`, `opus` or `pcm16`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

impl AudioOptions {
    /// Options with every field unset.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the voice.
    ///
    /// Defaults to unset (the server's default).
    pub fn voice(mut self, voice: impl Into<String>) -> Self {
        self.voice = Some(voice.into());
        self
    }

    /// Sets the audio format.
    ///
    /// Defaults to unset (the server's default).
    pub fn format(mut self, format: impl Into<String>) -> Self {
        self.format = Some(format.into());
        self
    }
}

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

/// A function the model may call.
///
/// ```
/// use meshapi::types::chat::{Tool, ToolFunction};
/// use serde_json::json;
///
/// let tool = Tool::function("now", "Current time", json!({"type": "object"}));
/// assert_eq!(
///     serde_json::to_value(&tool)?,
///     json!({"type": "function", "function": {
///         "name": "now", "description": "Current time", "parameters": {"type": "object"}}}),
/// );
/// let bare = Tool::from(ToolFunction::new("ping"));
/// assert_eq!(
///     serde_json::to_value(&bare)?,
///     json!({"type": "function", "function": {"name": "ping"}}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tool {
    /// Always `function`.
    pub r#type: String,
    /// The function.
    pub function: ToolFunction,
}

impl Tool {
    /// A function tool with a description and a JSON Schema for its arguments.
    pub fn function(
        name: impl Into<String>,
        description: impl Into<String>,
        parameters: Value,
    ) -> Self {
        ToolFunction::new(name)
            .description(description)
            .parameters(parameters)
            .into()
    }
}

impl From<ToolFunction> for Tool {
    fn from(function: ToolFunction) -> Self {
        Self {
            r#type: "function".to_owned(),
            function,
        }
    }
}

/// The function of a [`Tool`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolFunction {
    /// Function name.
    pub name: String,
    /// What the function does, for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the arguments object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
}

impl ToolFunction {
    /// A function named `name` with no description and no parameter schema.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
            parameters: None,
        }
    }

    /// Sets the description.
    ///
    /// Defaults to unset (none sent).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the JSON Schema of the arguments.
    ///
    /// Defaults to unset (none sent).
    pub fn parameters(mut self, parameters: Value) -> Self {
        self.parameters = Some(parameters);
        self
    }
}

/// Whether and which tool the model must call (`tool_choice`).
///
/// ```
/// use meshapi::types::chat::ToolChoice;
///
/// assert_eq!(serde_json::to_string(&ToolChoice::Required)?, r#""required""#);
/// assert_eq!(
///     serde_json::to_string(&ToolChoice::function("now"))?,
///     r#"{"type":"function","function":{"name":"now"}}"#,
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ToolChoice {
    /// `"auto"`: the model decides.
    Auto,
    /// `"none"`: the model must not call a tool.
    None,
    /// `"required"`: the model must call some tool.
    Required,
    /// `{"type":"function","function":{"name":..}}`: the model must call this function.
    Function(String),
}

impl ToolChoice {
    /// [`ToolChoice::Function`] for the function `name`.
    pub fn function(name: impl Into<String>) -> Self {
        ToolChoice::Function(name.into())
    }
}

/// The wire object of [`ToolChoice::Function`].
#[derive(Serialize, Deserialize)]
struct FunctionChoice<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    function: FunctionName<'a>,
}

#[derive(Serialize, Deserialize)]
struct FunctionName<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

impl Serialize for ToolChoice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ToolChoice::Auto => serializer.serialize_str("auto"),
            ToolChoice::None => serializer.serialize_str("none"),
            ToolChoice::Required => serializer.serialize_str("required"),
            ToolChoice::Function(name) => FunctionChoice {
                kind: "function".into(),
                function: FunctionName {
                    name: name.as_str().into(),
                },
            }
            .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ToolChoice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ToolChoiceVisitor;

        impl<'de> Visitor<'de> for ToolChoiceVisitor {
            type Value = ToolChoice;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#""auto", "none", "required" or a {"type":"function"} object"#)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<ToolChoice, E> {
                match value {
                    "auto" => Ok(ToolChoice::Auto),
                    "none" => Ok(ToolChoice::None),
                    "required" => Ok(ToolChoice::Required),
                    other => Err(E::unknown_variant(other, &["auto", "none", "required"])),
                }
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ToolChoice, A::Error> {
                let choice =
                    FunctionChoice::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if choice.kind != "function" {
                    return Err(de::Error::invalid_value(
                        de::Unexpected::Str(&choice.kind),
                        &"\"function\"",
                    ));
                }
                Ok(ToolChoice::Function(choice.function.name.into_owned()))
            }
        }

        deserializer.deserialize_any(ToolChoiceVisitor)
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

fn function_type() -> String {
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
fn content_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
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

/// One event of a streamed chat completion (`chat.completion.chunk`).
///
/// The last chunk before `[DONE]` usually has empty `choices` and carries `usage` and `cost`.
///
/// ```
/// use meshapi::ChatCompletionChunk;
///
/// let chunk: ChatCompletionChunk = serde_json::from_str(r#"{
///     "id": "chatcmpl-abc123", "object": "chat.completion.chunk", "created": 1712345678,
///     "model": "openai/gpt-4o-mini",
///     "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hello"},
///                  "finish_reason": null}]
/// }"#)?;
/// assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("Hello"));
/// assert_eq!(chunk.choices[0].finish_reason, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionChunk {
    /// Completion id, the same on every chunk of a stream.
    pub id: String,
    /// `chat.completion.chunk`.
    pub object: String,
    /// Creation time, Unix seconds.
    pub created: u64,
    /// The model that answers.
    pub model: String,
    /// Deltas, one per choice that advanced; empty on the final usage chunk.
    pub choices: Vec<ChunkChoice>,
    /// Token counts, on the final chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// Price of the request in USD as a decimal string, on the final chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    /// Provider backend fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One choice's progress in a [`ChatCompletionChunk`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkChoice {
    /// Which choice advanced.
    pub index: u32,
    /// What was added (empty when the server sends none).
    #[serde(default)]
    pub delta: Delta,
    /// Set on the choice's last chunk: `stop`, `length`, `tool_calls`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    /// Log probabilities of this delta's tokens, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<Value>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The fragment of a message carried by one [`ChunkChoice`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Delta {
    /// Role, usually only on the first chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Text to append (content-part arrays are joined as in [`ChatCompletionMessage::content`]).
    #[serde(
        default,
        deserialize_with = "content_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<String>,
    /// Tool-call fragments, to be joined per [`ToolCallDelta::index`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCallDelta>>,
    /// Audio fragment, when audio output was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<Value>,
    /// Reasoning blocks, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_details: Option<Vec<Value>>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A fragment of one tool call in a [`Delta`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCallDelta {
    /// Which tool call of the message this fragment belongs to.
    pub index: u32,
    /// Call id, usually on the call's first fragment only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `function`, usually on the call's first fragment only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Name and argument fragment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionCallDelta>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The function part of a [`ToolCallDelta`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionCallDelta {
    /// Function name, usually on the call's first fragment only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Piece of the arguments' JSON text, to append to the previous ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The JSON Schema a structured-output call asks for; see
/// [`Completions::parse`](crate::resources::chat::Completions::parse).
///
/// It replaces the params' `response_format` with
/// `{"type":"json_schema","json_schema":{"name":..,"schema":..}}`. A schema that already is a
/// whole `{"type":"json_schema",..}` response format is sent untouched.
///
/// ```
/// use meshapi::types::chat::StructuredOutput;
/// use serde_json::json;
///
/// let output = StructuredOutput::new(json!({
///     "type": "object",
///     "properties": {"city": {"type": "string"}},
///     "required": ["city"]
/// }))
/// .name("place")
/// .max_reasks(1);
/// assert_eq!(output.response_format()["json_schema"]["name"], "place");
/// assert_eq!(output.response_format()["type"], "json_schema");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StructuredOutput {
    /// The schema's name as the provider sees it.
    pub name: String,
    /// The JSON Schema the reply must follow.
    pub schema: Value,
    /// Asks the provider to enforce the schema strictly, where it can.
    pub strict: Option<bool>,
    /// How often a reply that does not parse is answered with a correction and asked again.
    pub max_reasks: u32,
}

impl StructuredOutput {
    /// A schema named `"response"`, with no re-asks.
    pub fn new(schema: Value) -> Self {
        StructuredOutput {
            name: "response".to_owned(),
            schema,
            strict: None,
            max_reasks: 0,
        }
    }

    /// The schema's name. Defaults to `"response"` (as both official SDKs send for a raw schema).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets `"strict"` in the `json_schema` object. Defaults to unset (neither official SDK
    /// sends it).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }

    /// After a reply that is not JSON or does not fit the target type, send the bad reply
    /// back with a correction and ask again, up to this many times. **Each re-ask is a new,
    /// billed call.** Defaults to 0.
    pub fn max_reasks(mut self, max_reasks: u32) -> Self {
        self.max_reasks = max_reasks;
        self
    }

    /// The `response_format` value sent on the wire.
    pub fn response_format(&self) -> Value {
        if self.schema.get("type").and_then(Value::as_str) == Some("json_schema") {
            return self.schema.clone();
        }
        let mut json_schema = Map::new();
        json_schema.insert("name".to_owned(), Value::from(self.name.as_str()));
        json_schema.insert("schema".to_owned(), self.schema.clone());
        if let Some(strict) = self.strict {
            json_schema.insert("strict".to_owned(), Value::from(strict));
        }
        serde_json::json!({"type": "json_schema", "json_schema": json_schema})
    }
}

/// A structured-output reply: the decoded value and the response it came from.
///
/// ```no_run
/// use meshapi::types::chat::StructuredOutput;
/// use meshapi::{ChatCompletionParams, ChatMessage, Client};
/// use serde_json::json;
///
/// #[derive(serde::Deserialize)]
/// struct City { name: String }
///
/// let client = Client::from_env()?;
/// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![
///     ChatMessage::user("Name the capital of France."),
/// ]);
/// let schema = json!({"type": "object", "properties": {"name": {"type": "string"}}});
/// let parsed = client
///     .chat()
///     .completions()
///     .parse::<City>(&params, &StructuredOutput::new(schema))?;
/// println!("{} ({} call(s), cost {:?})", parsed.parsed.name, parsed.calls, parsed.response.cost);
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ParsedCompletion<T> {
    /// The reply's JSON, decoded.
    pub parsed: T,
    /// The response whose reply parsed (the last call's).
    pub response: ChatCompletionResponse,
    /// How many calls were made, each billed: 1 plus the re-asks used.
    pub calls: u32,
}

/// Folds the chunks of a stream into the [`ChatCompletionResponse`] a non-streaming call would
/// have returned.
///
/// Per choice `index`: the first role, the concatenated text, the last finish reason, and the
/// tool calls joined per tool-call `index` (argument fragments concatenated in order).
/// Reasoning blocks are kept in order; audio fragments have their `data` and `transcript`
/// concatenated; log-probability arrays are appended. `usage` (with its `extra`) and `cost`
/// come from the chunk that carries them.
///
/// Unknown fields (`extra`) are carried over level by level:
/// - a chunk's go to the response, each as the latest chunk sent it;
/// - a choice's go to the [`Choice`], each with its latest non-null value;
/// - a [`Delta`]'s go to the [`ChatCompletionMessage`], a [`ToolCallDelta`]'s to the
///   [`ToolCall`] and a [`FunctionCallDelta`]'s to the [`FunctionCall`]. These are fragments,
///   like `content` and `arguments`: strings are appended (so a streamed `refusal` or
///   `reasoning` text arrives whole), arrays are extended, `null` only fills a gap, and any
///   other value replaces the previous one. A streamed `thought_signature` string becomes
///   [`ToolCall::thought_signature`].
///
/// ```
/// use meshapi::ChatCompletionChunk;
/// use meshapi::types::chat::ChatCompletionAccumulator;
///
/// let frames = [
///     r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
///         "choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"#,
///     r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
///         "choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}"#,
/// ];
/// let mut acc = ChatCompletionAccumulator::new();
/// for frame in frames {
///     acc.push(&serde_json::from_str::<ChatCompletionChunk>(frame)?);
/// }
/// let reply = acc.finish();
/// assert_eq!(reply.object, "chat.completion");
/// assert_eq!(reply.choices[0].message.content.as_deref(), Some("Hello"));
/// assert_eq!(reply.choices[0].finish_reason.as_deref(), Some("stop"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct ChatCompletionAccumulator {
    id: String,
    created: u64,
    model: String,
    system_fingerprint: Option<String>,
    choices: BTreeMap<u32, ChoiceState>,
    usage: Option<Usage>,
    cost: Option<String>,
    extra: Map<String, Value>,
}

#[derive(Debug, Default)]
struct ChoiceState {
    role: Option<String>,
    content: Option<String>,
    finish_reason: Option<String>,
    logprobs: Option<Value>,
    tool_calls: BTreeMap<u32, ToolCallState>,
    audio: Option<Value>,
    reasoning_details: Option<Vec<Value>>,
    extra: Map<String, Value>,
    message_extra: Map<String, Value>,
}

#[derive(Debug, Default)]
struct ToolCallState {
    id: Option<String>,
    r#type: Option<String>,
    name: Option<String>,
    arguments: String,
    extra: Map<String, Value>,
    function_extra: Map<String, Value>,
}

impl ChatCompletionAccumulator {
    /// An accumulator that has seen no chunk.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one chunk, in stream order.
    pub fn push(&mut self, chunk: &ChatCompletionChunk) {
        if self.id.is_empty() {
            self.id.clone_from(&chunk.id);
        }
        if self.model.is_empty() {
            self.model.clone_from(&chunk.model);
        }
        if self.created == 0 {
            self.created = chunk.created;
        }
        if chunk.system_fingerprint.is_some() {
            self.system_fingerprint
                .clone_from(&chunk.system_fingerprint);
        }
        if chunk.usage.is_some() {
            self.usage.clone_from(&chunk.usage);
        }
        if chunk.cost.is_some() {
            self.cost.clone_from(&chunk.cost);
        }
        for choice in &chunk.choices {
            self.choices.entry(choice.index).or_default().push(choice);
        }
        // Unknown fields are kept as the latest chunk sent them.
        for (key, value) in &chunk.extra {
            self.extra.insert(key.clone(), value.clone());
        }
    }

    /// The response assembled from every chunk pushed so far.
    pub fn finish(self) -> ChatCompletionResponse {
        ChatCompletionResponse {
            meta: crate::meta::Meta::default(),
            id: self.id,
            object: "chat.completion".to_owned(),
            created: self.created,
            model: self.model,
            choices: self
                .choices
                .into_iter()
                .map(|(index, state)| state.finish(index))
                .collect(),
            usage: self.usage,
            system_fingerprint: self.system_fingerprint,
            cost: self.cost,
            extra: self.extra,
        }
    }
}

impl ChoiceState {
    fn push(&mut self, choice: &ChunkChoice) {
        let delta = &choice.delta;
        if self.role.is_none() {
            self.role.clone_from(&delta.role);
        }
        if let Some(text) = &delta.content {
            self.content.get_or_insert_with(String::new).push_str(text);
        }
        if choice.finish_reason.is_some() {
            self.finish_reason.clone_from(&choice.finish_reason);
        }
        for call in delta.tool_calls.iter().flatten() {
            self.tool_calls.entry(call.index).or_default().push(call);
        }
        if let Some(details) = &delta.reasoning_details {
            self.reasoning_details
                .get_or_insert_with(Vec::new)
                .extend_from_slice(details);
        }
        if let Some(audio) = &delta.audio {
            merge_fragment(&mut self.audio, audio);
        }
        if let Some(logprobs) = &choice.logprobs {
            merge_fragment(&mut self.logprobs, logprobs);
        }
        merge_latest(&mut self.extra, &choice.extra);
        merge_delta(&mut self.message_extra, &delta.extra);
    }

    fn finish(self, index: u32) -> Choice {
        let tool_calls = (!self.tool_calls.is_empty()).then(|| {
            self.tool_calls
                .into_values()
                .map(ToolCallState::finish)
                .collect()
        });
        Choice {
            index,
            message: ChatCompletionMessage {
                role: self.role.unwrap_or_else(|| "assistant".to_owned()),
                content: self.content,
                tool_calls,
                audio: self.audio,
                reasoning_details: self.reasoning_details,
                extra: self.message_extra,
            },
            finish_reason: self.finish_reason,
            logprobs: self.logprobs,
            extra: self.extra,
        }
    }
}

impl ToolCallState {
    fn push(&mut self, call: &ToolCallDelta) {
        if call.id.is_some() {
            self.id.clone_from(&call.id);
        }
        if call.r#type.is_some() {
            self.r#type.clone_from(&call.r#type);
        }
        if let Some(function) = &call.function {
            if function.name.is_some() {
                self.name.clone_from(&function.name);
            }
            if let Some(arguments) = &function.arguments {
                self.arguments.push_str(arguments);
            }
            merge_delta(&mut self.function_extra, &function.extra);
        }
        merge_delta(&mut self.extra, &call.extra);
    }

    fn finish(mut self) -> ToolCall {
        // A known field of ToolCall, but not of ToolCallDelta: left in `extra` it would be
        // serialized twice on replay.
        let thought_signature = match self.extra.remove("thought_signature") {
            Some(Value::String(signature)) => Some(signature),
            Some(other) => {
                self.extra.insert("thought_signature".to_owned(), other);
                None
            }
            None => None,
        };
        ToolCall {
            id: self.id.unwrap_or_default(),
            r#type: self.r#type.unwrap_or_else(function_type),
            function: FunctionCall {
                name: self.name.unwrap_or_default(),
                arguments: self.arguments,
                extra: self.function_extra,
            },
            thought_signature,
            extra: self.extra,
        }
    }
}

/// Folds the unknown fields of one choice into those seen before: each takes its latest
/// non-null value, as `finish_reason` does.
fn merge_latest(accumulated: &mut Map<String, Value>, fields: &Map<String, Value>) {
    for (key, value) in fields {
        if value.is_null() && accumulated.contains_key(key) {
            continue;
        }
        accumulated.insert(key.clone(), value.clone());
    }
}

/// Folds the unknown fields of one delta into those seen before, as fragments: strings are
/// appended and arrays extended (the way `content` and `arguments` are joined), `null` only
/// fills a gap, and any other value replaces the previous one.
fn merge_delta(accumulated: &mut Map<String, Value>, fragment: &Map<String, Value>) {
    for (key, value) in fragment {
        match (accumulated.get_mut(key), value) {
            (Some(Value::String(acc)), Value::String(more)) => acc.push_str(more),
            (Some(Value::Array(acc)), Value::Array(more)) => acc.extend_from_slice(more),
            (Some(_), Value::Null) => {}
            _ => {
                accumulated.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Merges one streamed fragment object into the accumulated one, the way OpenAI-style streams
/// split them: arrays (log-probability lists) are appended, the audio `data` and `transcript`
/// strings are concatenated, and any other key takes its latest value.
fn merge_fragment(accumulated: &mut Option<Value>, fragment: &Value) {
    let (Some(Value::Object(acc)), Value::Object(fragment)) = (accumulated.as_mut(), fragment)
    else {
        *accumulated = Some(fragment.clone());
        return;
    };
    for (key, value) in fragment {
        match (acc.get_mut(key), value) {
            (Some(Value::Array(acc)), Value::Array(more)) => acc.extend_from_slice(more),
            (Some(Value::String(acc)), Value::String(more))
                if key == "data" || key == "transcript" =>
            {
                acc.push_str(more);
            }
            _ => {
                acc.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chunk(value: Value) -> ChatCompletionChunk {
        serde_json::from_value(value).unwrap()
    }

    fn chunk_with_choices(choices: Value) -> ChatCompletionChunk {
        chunk(json!({
            "id": "chatcmpl-s", "object": "chat.completion.chunk", "created": 1712345678,
            "model": "openai/gpt-4o-mini", "choices": choices
        }))
    }

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
            "../../tests/fixtures/py_chat_completion_response.json"
        ))
        .unwrap();
        assert_fixture_response(&reply);
    }

    #[test]
    fn go_response_fixture_decodes_without_fingerprint() {
        let reply: ChatCompletionResponse = serde_json::from_str(include_str!(
            "../../tests/fixtures/go_chat_completion_response.json"
        ))
        .unwrap();
        assert_fixture_response(&reply);
    }

    fn assert_fixture_first_chunk(chunk: &ChatCompletionChunk) {
        assert_eq!(chunk.id, "chatcmpl-abc123");
        assert_eq!(chunk.object, "chat.completion.chunk");
        assert_eq!(chunk.created, 1712345678);
        assert_eq!(chunk.model, "openai/gpt-4o-mini");
        assert_eq!(chunk.choices.len(), 1);
        let choice = &chunk.choices[0];
        assert_eq!(choice.index, 0);
        assert_eq!(choice.delta.role.as_deref(), Some("assistant"));
        assert_eq!(choice.delta.content.as_deref(), Some("Hello"));
        assert_eq!(choice.delta.tool_calls, None);
        assert_eq!(choice.finish_reason, None);
        assert_eq!(chunk.usage, None);
        assert_eq!(chunk.cost, None);
    }

    #[test]
    fn py_chunk_fixture_decodes() {
        let chunk: ChatCompletionChunk = serde_json::from_str(include_str!(
            "../../tests/fixtures/py_chat_completion_chunk.json"
        ))
        .unwrap();
        assert_fixture_first_chunk(&chunk);
    }

    #[test]
    fn go_chunk_fixture_decodes() {
        let chunk: ChatCompletionChunk = serde_json::from_str(include_str!(
            "../../tests/fixtures/go_chat_completion_chunk.json"
        ))
        .unwrap();
        assert_fixture_first_chunk(&chunk);
    }

    #[test]
    fn usage_chunk_fixture_has_no_choices_and_a_string_cost() {
        let chunk: ChatCompletionChunk = serde_json::from_str(include_str!(
            "../../tests/fixtures/py_chat_completion_chunk_usage.json"
        ))
        .unwrap();
        assert_eq!(chunk.id, "chatcmpl-abc123");
        assert_eq!(chunk.choices, vec![]);
        assert_eq!(chunk.cost.as_deref(), Some("0.0000021"));
        let usage = chunk.usage.unwrap();
        assert_eq!(
            (
                usage.prompt_tokens,
                usage.completion_tokens,
                usage.total_tokens
            ),
            (14, 7, 21)
        );
        assert_eq!(
            usage.prompt_tokens_details,
            Some(json!({"cached_tokens": 0}))
        );
        assert_eq!(usage.completion_tokens_details, None);
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
    fn chunk_keeps_unknown_fields_at_every_nested_level() {
        let chunk = chunk(json!({
            "id": "x", "object": "chat.completion.chunk", "created": 5, "model": "m",
            "choices": [{
                "index": 0, "native_finish_reason": null,
                "delta": {
                    "reasoning": "hm",
                    "tool_calls": [{"index": 0, "id": "call_1", "extra_content": {"a": 1},
                                    "function": {"name": "f", "arguments": "", "strict": true}}]
                }
            }],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                      "cost_details": {"upstream": "0.1"}}
        }));
        let choice = &chunk.choices[0];
        assert_eq!(choice.extra["native_finish_reason"], Value::Null);
        assert_eq!(choice.delta.extra["reasoning"], "hm");
        let call = &choice.delta.tool_calls.as_ref().unwrap()[0];
        assert_eq!(call.extra["extra_content"], json!({"a": 1}));
        assert_eq!(call.function.as_ref().unwrap().extra["strict"], true);
        assert_eq!(
            chunk.usage.as_ref().unwrap().extra["cost_details"],
            json!({"upstream": "0.1"})
        );
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
    fn chunk_tolerates_unknown_fields_and_null_error() {
        let chunk = chunk(json!({
            "id": "x", "object": "chat.completion.chunk", "created": 5, "model": "m",
            "error": null, "provider": "openai",
            "choices": [{"index": 1, "native_finish_reason": null,
                         "delta": {"content": "a", "refusal": null}, "logprobs": null}]
        }));
        assert_eq!(chunk.choices[0].index, 1);
        assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("a"));
        assert_eq!(chunk.choices[0].logprobs, None);
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
    fn new_params_serialize_only_model_and_messages() {
        let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            r#"{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"#
        );
    }

    #[test]
    fn from_template_omits_model() {
        let params = ChatCompletionParams::from_template("greeting", vec![]);
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            r#"{"messages":[],"template":"greeting"}"#
        );
        assert_eq!(
            serde_json::to_value(params.model("m")).unwrap(),
            json!({"model": "m", "messages": [], "template": "greeting"})
        );
    }

    #[test]
    fn every_setter_serializes_under_its_wire_name() {
        let params = ChatCompletionParams::new("m", vec![ChatMessage::system("be brief")])
            .models(["a/1", "b/2"])
            .template("t")
            .variables([("x", "1")])
            .variable("y", "2")
            .session_id("sess")
            .temperature(0.5)
            .max_tokens(64)
            .top_p(0.25)
            .frequency_penalty(0.125)
            .presence_penalty(-0.5)
            .stop("END")
            .seed(-7)
            .tools(vec![Tool::function(
                "f",
                "does f",
                json!({"type": "object"}),
            )])
            .tool_choice(ToolChoice::Required)
            .response_format(json!({"type": "json_object"}))
            .user("u-1")
            .modality("image")
            .image(
                ImageOptions::new()
                    .n(2)
                    .size("512x512")
                    .quality("low")
                    .response_format("b64_json"),
            )
            .async_mode(true)
            .modalities(["text", "audio"])
            .audio(AudioOptions::new().voice("alloy").format("mp3"))
            .timeout(12.5)
            .cache(false)
            .transforms(["middle-out"])
            .reasoning_effort("low");
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({
                "model": "m",
                "messages": [{"role": "system", "content": "be brief"}],
                "models": ["a/1", "b/2"],
                "template": "t",
                "variables": {"x": "1", "y": "2"},
                "session_id": "sess",
                "temperature": 0.5,
                "max_tokens": 64,
                "top_p": 0.25,
                "frequency_penalty": 0.125,
                "presence_penalty": -0.5,
                "stop": "END",
                "seed": -7,
                "tools": [{"type": "function", "function": {
                    "name": "f", "description": "does f", "parameters": {"type": "object"}}}],
                "tool_choice": "required",
                "response_format": {"type": "json_object"},
                "user": "u-1",
                "modality": "image",
                "image": {"n": 2, "size": "512x512", "quality": "low", "response_format": "b64_json"},
                "async_mode": true,
                "modalities": ["text", "audio"],
                "audio": {"voice": "alloy", "format": "mp3"},
                "timeout": 12.5,
                "cache": false,
                "transforms": ["middle-out"],
                "reasoning_effort": "low"
            })
        );
        // The mock gateway reads requests back with the same types.
        let echoed: ChatCompletionParams =
            serde_json::from_value(serde_json::to_value(&params).unwrap()).unwrap();
        assert_eq!(echoed, params);
    }

    #[test]
    fn variables_replaces_and_variable_inserts() {
        let params = ChatCompletionParams::from_template("t", vec![])
            .variable("old", "gone")
            .variables([("a".to_owned(), "1".to_owned())])
            .variable("b", "2")
            .variable("a", "3");
        assert_eq!(
            serde_json::to_value(&params).unwrap()["variables"],
            json!({"a": "3", "b": "2"})
        );
    }

    #[test]
    fn empty_sub_options_serialize_as_empty_objects() {
        let params = ChatCompletionParams::new("m", vec![])
            .image(ImageOptions::new())
            .audio(AudioOptions::new());
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            r#"{"model":"m","messages":[],"image":{},"audio":{}}"#
        );
    }

    #[test]
    fn stop_variants_serialize_to_string_or_array() {
        let wire = |stop: Stop| serde_json::to_string(&stop).unwrap();
        assert_eq!(wire(Stop::from("a")), r#""a""#);
        assert_eq!(wire(Stop::from("a".to_owned())), r#""a""#);
        assert_eq!(
            wire(Stop::from(vec!["a".to_owned(), "b".to_owned()])),
            r#"["a","b"]"#
        );
        assert_eq!(wire(Stop::from(vec!["x"])), r#"["x"]"#);
        assert_eq!(
            serde_json::from_str::<Stop>(r#"["a"]"#).unwrap(),
            Stop::Many(vec!["a".into()])
        );
    }

    #[test]
    fn tool_choice_variants_round_trip_the_wire_json() {
        for (choice, wire) in [
            (ToolChoice::Auto, r#""auto""#),
            (ToolChoice::None, r#""none""#),
            (ToolChoice::Required, r#""required""#),
            (
                ToolChoice::function("get_weather"),
                r#"{"type":"function","function":{"name":"get_weather"}}"#,
            ),
        ] {
            assert_eq!(serde_json::to_string(&choice).unwrap(), wire);
            assert_eq!(serde_json::from_str::<ToolChoice>(wire).unwrap(), choice);
        }
    }

    #[test]
    fn tool_choice_rejects_unknown_values() {
        let err = serde_json::from_str::<ToolChoice>(r#""sometimes""#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown variant `sometimes`, expected one of `auto`, `none`, `required` at line 1 column 11"
        );
        let err = serde_json::from_str::<ToolChoice>(r#"{"type":"web","function":{"name":"f"}}"#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid value: string "web", expected "function" at line 1 column 38"#
        );
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

    #[test]
    fn accumulates_text_across_three_chunks() {
        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk_with_choices(json!([
            {"index": 0, "delta": {"role": "assistant", "content": "Hel"}, "finish_reason": null}
        ])));
        acc.push(&chunk_with_choices(json!([
            {"index": 0, "delta": {"content": "lo, "}, "finish_reason": null}
        ])));
        acc.push(&chunk_with_choices(json!([
            {"index": 0, "delta": {"content": "world"}, "finish_reason": "stop"}
        ])));
        let reply = acc.finish();
        assert_eq!(
            serde_json::to_value(&reply).unwrap(),
            json!({
                "id": "chatcmpl-s", "object": "chat.completion", "created": 1712345678,
                "model": "openai/gpt-4o-mini",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": "Hello, world"}}]
            })
        );
    }

    #[test]
    fn accumulates_interleaved_parallel_tool_calls() {
        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk_with_choices(
            json!([{"index": 0, "delta": {"role": "assistant",
            "tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                            "function": {"name": "get_weather", "arguments": ""}}]}}]),
        ));
        acc.push(&chunk_with_choices(json!([{"index": 0, "delta": {
            "tool_calls": [{"index": 1, "id": "call_b", "type": "function",
                            "function": {"name": "get_time", "arguments": "{\"tz\":"}}]}}])));
        acc.push(&chunk_with_choices(json!([{"index": 0, "delta": {
            "tool_calls": [{"index": 0, "function": {"arguments": "{\"city\":"}}]}}])));
        acc.push(&chunk_with_choices(json!([{"index": 0, "delta": {
            "tool_calls": [{"index": 1, "function": {"arguments": "\"CET\"}"}},
                           {"index": 0, "function": {"arguments": "\"Paris\"}"}}]}}])));
        acc.push(&chunk_with_choices(json!([
            {"index": 0, "delta": {}, "finish_reason": "tool_calls"}
        ])));
        let reply = acc.finish();
        let message = &reply.choices[0].message;
        assert_eq!(message.content, None);
        assert_eq!(
            message.tool_calls,
            Some(vec![
                ToolCall::function("call_a", "get_weather", r#"{"city":"Paris"}"#),
                ToolCall::function("call_b", "get_time", r#"{"tz":"CET"}"#),
            ])
        );
        assert_eq!(
            reply.choices[0].finish_reason.as_deref(),
            Some("tool_calls")
        );
    }

    #[test]
    fn accumulates_two_choices_sorted_by_index() {
        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk_with_choices(json!([
            {"index": 1, "delta": {"role": "assistant", "content": "B"}},
            {"index": 0, "delta": {"role": "assistant", "content": "A"}}
        ])));
        acc.push(&chunk_with_choices(json!([
            {"index": 0, "delta": {"content": "a"}, "finish_reason": "stop"}
        ])));
        acc.push(&chunk_with_choices(json!([
            {"index": 1, "delta": {"content": "b"}, "finish_reason": "length"}
        ])));
        let reply = acc.finish();
        let summary: Vec<_> = reply
            .choices
            .iter()
            .map(|c| {
                (
                    c.index,
                    c.message.content.as_deref(),
                    c.finish_reason.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, Some("Aa"), Some("stop")),
                (1, Some("Bb"), Some("length"))
            ]
        );
    }

    #[test]
    fn takes_usage_cost_and_fingerprint_from_the_chunks_that_carry_them() {
        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk(json!({
            "id": "chatcmpl-abc123", "object": "chat.completion.chunk", "created": 1712345678,
            "model": "openai/gpt-4o-mini", "system_fingerprint": "fp_1",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"},
                         "finish_reason": "stop"}]
        })));
        acc.push(
            &serde_json::from_str(include_str!(
                "../../tests/fixtures/py_chat_completion_chunk_usage.json"
            ))
            .unwrap(),
        );
        let reply = acc.finish();
        assert_eq!(reply.id, "chatcmpl-abc123");
        assert_eq!(reply.created, 1712345678);
        assert_eq!(reply.model, "openai/gpt-4o-mini");
        assert_eq!(reply.system_fingerprint.as_deref(), Some("fp_1"));
        assert_eq!(reply.cost.as_deref(), Some("0.0000021"));
        assert_eq!(reply.choices.len(), 1);
        assert_eq!(reply.choices[0].message.content.as_deref(), Some("Hi"));
        let usage = reply.usage.unwrap();
        assert_eq!(
            (
                usage.prompt_tokens,
                usage.completion_tokens,
                usage.total_tokens
            ),
            (14, 7, 21)
        );
        assert_eq!(
            usage.prompt_tokens_details,
            Some(json!({"cached_tokens": 0}))
        );
    }

    #[test]
    fn no_content_delta_means_no_content_and_the_default_role() {
        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk_with_choices(json!([{"index": 0, "delta": {}}])));
        acc.push(&chunk_with_choices(json!([
            {"index": 0, "delta": {}, "finish_reason": "stop"}
        ])));
        let reply = acc.finish();
        assert_eq!(reply.choices[0].message.role, "assistant");
        assert_eq!(reply.choices[0].message.content, None);
        assert_eq!(reply.choices[0].message.tool_calls, None);

        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk_with_choices(
            json!([{"index": 0, "delta": {"content": ""}}]),
        ));
        assert_eq!(acc.finish().choices[0].message.content.as_deref(), Some(""));
    }

    #[test]
    fn an_empty_stream_gives_an_empty_completion() {
        let reply = ChatCompletionAccumulator::new().finish();
        assert_eq!(
            serde_json::to_value(&reply).unwrap(),
            json!({"id": "", "object": "chat.completion", "created": 0, "model": "", "choices": []})
        );
    }

    #[test]
    fn accumulates_unknown_fields_of_choices_deltas_and_tool_calls() {
        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk_with_choices(json!([{
            "index": 0, "native_finish_reason": null, "provider_rank": 1,
            "delta": {"role": "assistant", "refusal": null, "reasoning": "Let me ",
                      "annotations": [{"n": 1}], "mood": 1,
                      "tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                      "thought_signature": "c2ln", "extra_content": {"v": 1},
                                      "function": {"name": "f", "arguments": "{", "tag": "a"}}]}
        }])));
        acc.push(&chunk_with_choices(json!([{
            "index": 0, "native_finish_reason": "end_turn", "provider_rank": null,
            "delta": {"refusal": "I can", "reasoning": "think.", "annotations": [{"n": 2}],
                      "mood": null,
                      "tool_calls": [{"index": 0, "thought_signature": "Zw==",
                                      "extra_content": {"v": 2},
                                      "function": {"arguments": "}", "tag": "b"}}]}
        }])));
        acc.push(&chunk_with_choices(json!([{
            "index": 0, "native_finish_reason": null, "finish_reason": "tool_calls",
            "delta": {"refusal": "not.", "mood": 2}
        }])));
        let choice = acc.finish().choices.remove(0);
        // Choice level: the latest non-null value.
        assert_eq!(
            Value::Object(choice.extra),
            json!({"native_finish_reason": "end_turn", "provider_rank": 1})
        );
        // Delta level: fragments joined; null only fills a gap; other values replaced.
        assert_eq!(
            Value::Object(choice.message.extra),
            json!({"refusal": "I cannot.", "reasoning": "Let me think.",
                   "annotations": [{"n": 1}, {"n": 2}], "mood": 2})
        );
        let call = choice.message.tool_calls.unwrap().remove(0);
        assert_eq!(call.function.arguments, "{}");
        assert_eq!(call.thought_signature.as_deref(), Some("c2lnZw=="));
        assert_eq!(
            Value::Object(call.extra.clone()),
            json!({"extra_content": {"v": 2}})
        );
        assert_eq!(
            Value::Object(call.function.extra.clone()),
            json!({"tag": "ab"})
        );
        assert_eq!(
            serde_json::to_value(&call).unwrap(),
            json!({"id": "call_1", "type": "function", "thought_signature": "c2lnZw==",
                   "extra_content": {"v": 2},
                   "function": {"name": "f", "arguments": "{}", "tag": "ab"}})
        );
    }

    #[test]
    fn accumulated_usage_keeps_its_unknown_fields() {
        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk(json!({
            "id": "x", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                      "cost_details": {"upstream": "0.1"}}
        })));
        assert_eq!(
            acc.finish().usage.unwrap().extra["cost_details"],
            json!({"upstream": "0.1"})
        );
    }

    #[test]
    fn accumulates_reasoning_audio_and_logprobs() {
        let mut acc = ChatCompletionAccumulator::new();
        acc.push(&chunk_with_choices(json!([{
            "index": 0,
            "delta": {"role": "assistant",
                      "reasoning_details": [{"type": "reasoning.text", "text": "a"}],
                      "audio": {"id": "audio_1", "data": "UklG", "transcript": "He"}},
            "logprobs": {"content": [{"token": "He", "logprob": -0.5}]}
        }])));
        acc.push(&chunk_with_choices(json!([{
            "index": 0,
            "delta": {"reasoning_details": [{"type": "reasoning.text", "text": "b"}],
                      "audio": {"data": "Rg==", "transcript": "llo", "expires_at": 9}},
            "logprobs": {"content": [{"token": "llo", "logprob": -0.25}]}
        }])));
        let choice = acc.finish().choices.remove(0);
        assert_eq!(
            choice.message.reasoning_details,
            Some(vec![
                json!({"type": "reasoning.text", "text": "a"}),
                json!({"type": "reasoning.text", "text": "b"}),
            ])
        );
        assert_eq!(
            choice.message.audio,
            Some(
                json!({"id": "audio_1", "data": "UklGRg==", "transcript": "Hello", "expires_at": 9})
            )
        );
        assert_eq!(
            choice.logprobs,
            Some(json!({"content": [{"token": "He", "logprob": -0.5},
                                    {"token": "llo", "logprob": -0.25}]}))
        );
    }
}
