//! The request body, its sub-options and the tools the model may call.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::message::ChatMessage;

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
#[must_use]
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
    /// Options of a streamed answer; `include_usage` asks an OpenAI-style server for the final
    /// usage chunk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
    /// How `model: "auto"` weighs its choice: `quality_first`, `balanced` (the gateway's
    /// default), `cost_first` or `latency_first`; an unknown value counts as `balanced`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_profile: Option<String>,
    /// The service tier: `default`, `flex` (cheaper, OpenAI models only, may answer 503 with
    /// `Retry-After` when flex capacity is full) or `auto`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
}

/// `stream_options` of a streamed chat completion.
///
/// ```
/// use meshapi::types::chat::StreamOptions;
///
/// let options = StreamOptions::new().include_usage(true);
/// assert_eq!(serde_json::to_value(&options)?, serde_json::json!({"include_usage": true}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct StreamOptions {
    /// Whether the stream ends with a chunk carrying the whole call's `usage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_usage: Option<bool>,
    /// Fields this version of the crate does not type, sent as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StreamOptions {
    /// Options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for the final usage chunk.
    ///
    /// Defaults to unset (the server's default: MeshAPI sends usage anyway, OpenAI does not).
    pub fn include_usage(mut self, include: bool) -> Self {
        self.include_usage = Some(include);
        self
    }
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
            stream_options: None,
            weight_profile: None,
            service_tier: None,
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

    /// Sets the options of a streamed answer, e.g. `StreamOptions::new().include_usage(true)`.
    ///
    /// Defaults to unset.
    pub fn stream_options(mut self, options: StreamOptions) -> Self {
        self.stream_options = Some(options);
        self
    }

    /// Sets how `model: "auto"` weighs its choice (`quality_first`, `balanced`, `cost_first`,
    /// `latency_first`).
    ///
    /// Defaults to unset (the key's, team's or org's profile, else `balanced`).
    pub fn weight_profile(mut self, profile: impl Into<String>) -> Self {
        self.weight_profile = Some(profile.into());
        self
    }

    /// Sets the service tier (`default`, `flex`, `auto`).
    ///
    /// Defaults to unset (`default`).
    pub fn service_tier(mut self, tier: impl Into<String>) -> Self {
        self.service_tier = Some(tier.into());
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
#[must_use]
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
#[must_use]
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
#[must_use]
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
}
