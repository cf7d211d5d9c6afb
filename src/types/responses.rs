//! Request and response types of the Responses API (`/v1/responses`).
//!
//! - Request: [`ResponseParams`] with its [`ResponseInput`].
//! - Response: [`ResponseObject`]; [`ResponseObject::output_text`] joins its text.
//! - Stream: one opaque [`ResponseStreamEvent`] per event.
//! - Background jobs: [`ListResponsesParams`] in, [`ResponseList`] of [`ResponseJob`]s out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of a Responses API request.
///
/// Every field left unset is omitted from the JSON body, so the server's default applies. There
/// is no `stream` field: `create` and `stream` choose it. Free-form fields (`text`,
/// `reasoning`, `tools`, ...) are JSON values sent as given.
///
/// ```
/// use meshapi::types::responses::ResponseParams;
/// use serde_json::json;
///
/// let params = ResponseParams::new("Write a haiku about Rust.")
///     .model("openai/gpt-4o-mini")
///     .instructions("Answer in English.")
///     .max_output_tokens(100)
///     .reasoning(json!({"effort": "low"}))
///     .tools([json!({"type": "function", "name": "lookup",
///                    "parameters": {"type": "object", "properties": {}}})])
///     .tool_choice("auto");
///
/// let body = serde_json::to_value(&params)?;
/// assert_eq!(body["input"], "Write a haiku about Rust.");
/// assert_eq!(body["tools"][0]["name"], "lookup"); // function tools are flat
/// assert_eq!(body["tool_choice"], "auto");
/// assert!(body.get("background").is_none()); // unset: omitted, never null
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct ResponseParams {
    /// The prompt: a string, or an array of input items.
    pub input: ResponseInput,
    /// Model id such as `openai/gpt-4o-mini`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Run as a background job, to be fetched later with `get` or found with `list`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<bool>,
    /// Text output options, e.g. `{"format": {"type": "text"}}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Value>,
    /// Name of a server-stored prompt template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Values for the template's `{{var}}` slots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<BTreeMap<String, String>>,
    /// Session id grouping related requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Upper bound on generated tokens (at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    /// Sampling temperature (0 to 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling probability mass (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Seed for best-effort deterministic sampling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Reasoning options, e.g. `{"effort": "medium"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<Value>,
    /// Tools: flat function tools `{"type": "function", "name": .., "parameters": ..}` or
    /// built-in ones such as `{"type": "web_search_preview"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Value>>,
    /// `"auto"`, `"none"`, `"required"` or an object naming a tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
    /// Output format, forwarded as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    /// End-user id (at most 256 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Upstream-provider timeout in seconds (a MeshAPI extension; the gateway's default is 300).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<f64>,
    /// Continue from this earlier response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_response_id: Option<String>,
    /// System-level instructions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Provider thinking options, free-form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking: Option<Value>,
    /// Provider caching options, free-form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caching: Option<Value>,
    /// Context management options, free-form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_management: Option<Value>,
    /// Whether the response is stored for later retrieval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<bool>,
    /// Extra output to include.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include: Option<Vec<Value>>,
    /// When a stored response expires, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// Upper bound on tool calls (1 to 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tool_calls: Option<u32>,
    /// Gateway plugins, free-form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugins: Option<Vec<Value>>,
}

/// The `input` of a [`ResponseParams`]: plain text, or an array of input items sent as given.
///
/// ```
/// use meshapi::types::responses::ResponseInput;
/// use serde_json::json;
///
/// assert_eq!(serde_json::to_value(ResponseInput::from("Hi"))?, json!("Hi"));
/// let items = ResponseInput::from(vec![json!({"role": "user", "content": "Hi"})]);
/// assert_eq!(serde_json::to_value(items)?, json!([{"role": "user", "content": "Hi"}]));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ResponseInput {
    /// A text prompt.
    Text(String),
    /// Input items, e.g. `{"role": "user", "content": [{"type": "input_text", "text": ..}]}`.
    Items(Vec<Value>),
}

impl From<&str> for ResponseInput {
    fn from(text: &str) -> Self {
        ResponseInput::Text(text.to_owned())
    }
}

impl From<String> for ResponseInput {
    fn from(text: String) -> Self {
        ResponseInput::Text(text)
    }
}

impl From<Vec<Value>> for ResponseInput {
    fn from(items: Vec<Value>) -> Self {
        ResponseInput::Items(items)
    }
}

impl ResponseParams {
    /// A request for `input` (a `&str`, a `String` or a `Vec` of input items); everything else
    /// unset.
    pub fn new(input: impl Into<ResponseInput>) -> Self {
        Self {
            input: input.into(),
            model: None,
            background: None,
            text: None,
            template: None,
            variables: None,
            session_id: None,
            max_output_tokens: None,
            temperature: None,
            top_p: None,
            seed: None,
            reasoning: None,
            tools: None,
            tool_choice: None,
            response_format: None,
            user: None,
            timeout: None,
            previous_response_id: None,
            instructions: None,
            thinking: None,
            caching: None,
            context_management: None,
            store: None,
            include: None,
            expire_at: None,
            max_tool_calls: None,
            plugins: None,
        }
    }

    /// Sets the model id.
    ///
    /// Defaults to unset (the server's or the template's model).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Runs the request as a background job.
    ///
    /// Defaults to unset (the server's default: not in the background).
    pub fn background(mut self, background: bool) -> Self {
        self.background = Some(background);
        self
    }

    /// Sets the text output options.
    ///
    /// Defaults to unset (the server's default).
    pub fn text(mut self, text: Value) -> Self {
        self.text = Some(text);
        self
    }

    /// Sets the name of the server-stored prompt template.
    ///
    /// Defaults to unset (no template).
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

    /// Sets the upper bound on generated tokens.
    ///
    /// Defaults to unset (the server's default).
    pub fn max_output_tokens(mut self, max_output_tokens: u32) -> Self {
        self.max_output_tokens = Some(max_output_tokens);
        self
    }

    /// Sets the sampling temperature.
    ///
    /// Defaults to unset (the server's default).
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

    /// Sets the sampling seed.
    ///
    /// Defaults to unset (random sampling).
    pub fn seed(mut self, seed: i64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Sets the reasoning options, e.g. `json!({"effort": "medium"})`.
    ///
    /// Defaults to unset (the model's default).
    pub fn reasoning(mut self, reasoning: Value) -> Self {
        self.reasoning = Some(reasoning);
        self
    }

    /// Sets the tools, each a JSON object as the API spells it.
    ///
    /// Defaults to unset (no tools).
    pub fn tools(mut self, tools: impl IntoIterator<Item = Value>) -> Self {
        self.tools = Some(tools.into_iter().collect());
        self
    }

    /// Sets the tool choice: a string such as `"auto"`, or an object.
    ///
    /// Defaults to unset (the server's default).
    pub fn tool_choice(mut self, tool_choice: impl Into<Value>) -> Self {
        self.tool_choice = Some(tool_choice.into());
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

    /// Sets the upstream-provider timeout in seconds (> 0). This is the gateway's wait for the
    /// provider, not the client's HTTP timeout.
    ///
    /// Defaults to unset (the gateway's 300 s).
    pub fn timeout(mut self, seconds: f64) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// Continues from an earlier response.
    ///
    /// Defaults to unset (a new conversation).
    pub fn previous_response_id(mut self, id: impl Into<String>) -> Self {
        self.previous_response_id = Some(id.into());
        self
    }

    /// Sets the system-level instructions.
    ///
    /// Defaults to unset (none).
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = Some(instructions.into());
        self
    }

    /// Sets the provider thinking options.
    ///
    /// Defaults to unset (the provider's default).
    pub fn thinking(mut self, thinking: Value) -> Self {
        self.thinking = Some(thinking);
        self
    }

    /// Sets the provider caching options.
    ///
    /// Defaults to unset (the provider's default).
    pub fn caching(mut self, caching: Value) -> Self {
        self.caching = Some(caching);
        self
    }

    /// Sets the context management options.
    ///
    /// Defaults to unset (the server's default).
    pub fn context_management(mut self, context_management: Value) -> Self {
        self.context_management = Some(context_management);
        self
    }

    /// Sets whether the response is stored.
    ///
    /// Defaults to unset (the server's default).
    pub fn store(mut self, store: bool) -> Self {
        self.store = Some(store);
        self
    }

    /// Sets the extra output to include.
    ///
    /// Defaults to unset (nothing extra).
    pub fn include(mut self, include: impl IntoIterator<Item = Value>) -> Self {
        self.include = Some(include.into_iter().collect());
        self
    }

    /// Sets when a stored response expires, Unix seconds.
    ///
    /// Defaults to unset (the server's retention).
    pub fn expire_at(mut self, expire_at: i64) -> Self {
        self.expire_at = Some(expire_at);
        self
    }

    /// Sets the upper bound on tool calls.
    ///
    /// Defaults to unset (the server's default).
    pub fn max_tool_calls(mut self, max_tool_calls: u32) -> Self {
        self.max_tool_calls = Some(max_tool_calls);
        self
    }

    /// Sets the gateway plugins.
    ///
    /// Defaults to unset (none).
    pub fn plugins(mut self, plugins: impl IntoIterator<Item = Value>) -> Self {
        self.plugins = Some(plugins.into_iter().collect());
        self
    }
}

/// A response of the Responses API, from `create` or `get`. Every field is optional.
///
/// ```
/// use meshapi::types::responses::ResponseObject;
///
/// let reply: ResponseObject = serde_json::from_str(r#"{
///     "id": "resp_1", "object": "response", "model": "openai/gpt-4o-mini",
///     "status": "completed", "created_at": 1712345678,
///     "output": [{"type": "message", "role": "assistant",
///                 "content": [{"type": "output_text", "text": "Hello!", "annotations": []}]}],
///     "usage": {"input_tokens": 5, "output_tokens": 2, "total_tokens": 7}
/// }"#)?;
/// assert_eq!(reply.output_text(), "Hello!");
/// assert_eq!(reply.usage.unwrap().output_tokens, Some(2));
/// assert_eq!(reply.extra["created_at"], 1712345678);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseObject {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Response id, e.g. `resp_...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The object type, `response`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The model that answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Output items (messages, tool calls, ...) as sent; see [`output_text`](Self::output_text).
    #[serde(default)]
    pub output: Vec<Value>,
    /// Token counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<ResponseUsage>,
    /// `completed`, `in_progress`, `queued`, `failed`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResponseObject {
    /// The text of the output: every `output_text` part of every output item's `content`,
    /// joined in order; empty when there is none.
    ///
    /// ```
    /// use meshapi::types::responses::ResponseObject;
    ///
    /// let reply: ResponseObject = serde_json::from_str(r#"{"output": [
    ///     {"type": "reasoning", "summary": []},
    ///     {"type": "message", "content": [
    ///         {"type": "output_text", "text": "Hel"},
    ///         {"type": "refusal", "refusal": "no"},
    ///         {"type": "output_text", "text": "lo"}]}
    /// ]}"#)?;
    /// assert_eq!(reply.output_text(), "Hello");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn output_text(&self) -> String {
        self.output
            .iter()
            .filter_map(|item| item.get("content").and_then(Value::as_array))
            .flatten()
            .filter(|part| part.get("type").and_then(Value::as_str) == Some("output_text"))
            .filter_map(|part| part.get("text").and_then(Value::as_str))
            .collect()
    }
}

/// Token counts of a [`ResponseObject`]: Responses-style (`input_tokens`, ...) or chat-style
/// (`prompt_tokens`, ...), whichever the gateway sends; every count may be absent.
///
/// ```
/// use meshapi::types::responses::ResponseUsage;
///
/// let usage: ResponseUsage = serde_json::from_str(
///     r#"{"input_tokens": 5, "output_tokens": 2, "total_tokens": 7}"#,
/// )?;
/// assert_eq!(usage.total_tokens, Some(7));
/// assert_eq!(usage.prompt_tokens, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseUsage {
    /// Tokens in the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Tokens generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Input and output together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// Tokens in the prompt (chat-style name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    /// Tokens generated (chat-style name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<u64>,
    /// Breakdown of the prompt tokens, e.g. `{"cached_tokens": 0}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens_details: Option<Value>,
    /// Breakdown of the completion tokens, e.g. reasoning tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens_details: Option<Value>,
    /// Tokens spent by the gateway's auto-router classifier (a MeshAPI extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classifier_tokens: Option<u64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One event of a streamed response, kept opaque: its `type` (such as
/// `response.output_text.delta`) says which other fields it has.
///
/// ```
/// use meshapi::types::responses::ResponseStreamEvent;
///
/// let event: ResponseStreamEvent = serde_json::from_str(
///     r#"{"type": "response.output_text.delta", "output_index": 0, "delta": "Hel"}"#,
/// )?;
/// assert_eq!(event.r#type.as_deref(), Some("response.output_text.delta"));
/// assert_eq!(event.delta.as_deref(), Some("Hel"));
/// assert_eq!(event.extra["output_index"], 0);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseStreamEvent {
    /// The event type, e.g. `response.created`, `response.output_text.delta`,
    /// `response.completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// The response so far, on lifecycle events (`response.created`, `response.completed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
    /// A text fragment to append, on `*.delta` events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
    /// Token counts, when the event carries them at the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<ResponseUsage>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Query of `GET /v1/responses` (background jobs).
///
/// ```
/// use meshapi::types::responses::ListResponsesParams;
///
/// let params = ListResponsesParams::new().after("resp_abc").limit(20);
/// assert_eq!(params.after.as_deref(), Some("resp_abc"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct ListResponsesParams {
    /// Cursor: list the jobs after this response id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl ListResponsesParams {
    /// The first page, at the server's page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts after this response id.
    ///
    /// Defaults to unset (the first page).
    pub fn after(mut self, after: impl Into<String>) -> Self {
        self.after = Some(after.into());
        self
    }

    /// Sets the page size.
    ///
    /// Defaults to unset (the server's page size).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// One page of background jobs, from `GET /v1/responses`.
///
/// ```
/// use meshapi::types::responses::ResponseList;
///
/// let page: ResponseList = serde_json::from_str(r#"{
///     "object": "list",
///     "data": [{"id": "resp_1", "status": "completed", "created_at": 1712345678}],
///     "has_more": false, "first_id": "resp_1", "last_id": "resp_1"
/// }"#)?;
/// assert_eq!(page.data[0].id, "resp_1");
/// assert!(!page.has_more);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseList {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// `list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The jobs of this page (possibly none).
    #[serde(default)]
    pub data: Vec<ResponseJob>,
    /// Whether another page follows (absent means no, as the API documents).
    #[serde(default)]
    pub has_more: bool,
    /// Id of the first job of this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_id: Option<String>,
    /// Id of the last job of this page: the `after` cursor of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_id: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A background job in a [`ResponseList`]; fetch its response with `get(id)`.
///
/// ```
/// use meshapi::types::responses::ResponseJob;
///
/// let job: ResponseJob = serde_json::from_str(r#"{"id": "resp_1", "provider": "openai",
///     "status": "completed", "created_at": 1712345678, "usage_synced": true}"#)?;
/// assert_eq!(job.provider.as_deref(), Some("openai"));
/// assert_eq!(job.completed_at, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseJob {
    /// The response id.
    pub id: String,
    /// The object type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The provider that serves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `queued`, `in_progress`, `completed`, `failed`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Creation time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<u64>,
    /// Completion time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
    /// Whether the job's usage has been recorded for billing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_synced: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn params_serialize_every_setter_and_nothing_unset() {
        assert_eq!(
            serde_json::to_value(ResponseParams::new(String::from("Hi"))).unwrap(),
            json!({"input": "Hi"})
        );
        let params = ResponseParams::new(vec![json!({"role": "user", "content": "Hi"})])
            .model("m")
            .background(true)
            .text(json!({"format": {"type": "text"}}))
            .template("t")
            .variables([("a", "1")])
            .variable("b", "2")
            .session_id("s")
            .max_output_tokens(5)
            .temperature(0.5)
            .top_p(0.9)
            .seed(7)
            .reasoning(json!({"effort": "low"}))
            .tools([json!({"type": "web_search_preview"})])
            .tool_choice(json!({"type": "function", "name": "f"}))
            .response_format(json!({"type": "json_object"}))
            .user("u")
            .timeout(30.0)
            .previous_response_id("resp_0")
            .instructions("i")
            .thinking(json!({"budget": 1}))
            .caching(json!({"mode": "auto"}))
            .context_management(json!({"strategy": "truncate"}))
            .store(false)
            .include([json!("reasoning.encrypted_content")])
            .expire_at(1_800_000_000)
            .max_tool_calls(3)
            .plugins([json!({"id": "web"})]);
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({
                "input": [{"role": "user", "content": "Hi"}],
                "model": "m", "background": true, "text": {"format": {"type": "text"}},
                "template": "t", "variables": {"a": "1", "b": "2"}, "session_id": "s",
                "max_output_tokens": 5, "temperature": 0.5, "top_p": 0.9, "seed": 7,
                "reasoning": {"effort": "low"}, "tools": [{"type": "web_search_preview"}],
                "tool_choice": {"type": "function", "name": "f"},
                "response_format": {"type": "json_object"}, "user": "u", "timeout": 30.0,
                "previous_response_id": "resp_0", "instructions": "i",
                "thinking": {"budget": 1}, "caching": {"mode": "auto"},
                "context_management": {"strategy": "truncate"}, "store": false,
                "include": ["reasoning.encrypted_content"], "expire_at": 1_800_000_000,
                "max_tool_calls": 3, "plugins": [{"id": "web"}]
            })
        );
    }

    #[test]
    fn output_text_skips_what_is_not_output_text() {
        let reply: ResponseObject = serde_json::from_value(json!({
            "output": [
                {"type": "function_call", "name": "f", "arguments": "{}"},
                {"type": "message", "content": "not an array"},
                {"type": "message", "content": [{"type": "output_text"}, {"text": "untyped"},
                                                {"type": "output_text", "text": "ok"}]},
                "not an object"
            ]
        }))
        .unwrap();
        assert_eq!(reply.output_text(), "ok");
        let empty: ResponseObject = serde_json::from_value(json!({})).unwrap();
        assert_eq!(empty.output_text(), "");
        assert!(empty.output.is_empty());
        assert_eq!(empty.id, None);
    }

    #[test]
    fn usage_accepts_both_naming_styles() {
        let usage: ResponseUsage = serde_json::from_value(json!({
            "prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
            "prompt_tokens_details": {"cached_tokens": 0}, "classifier_tokens": 4
        }))
        .unwrap();
        assert_eq!(usage.prompt_tokens, Some(1));
        assert_eq!(usage.input_tokens, None);
        assert_eq!(usage.classifier_tokens, Some(4));
        assert_eq!(
            usage.prompt_tokens_details,
            Some(json!({"cached_tokens": 0}))
        );
    }

    #[test]
    fn list_defaults_and_extras() {
        let page: ResponseList = serde_json::from_value(json!({
            "data": [{"id": "r", "usage_synced": true, "region": "eu"}], "next": "x"
        }))
        .unwrap();
        assert!(!page.has_more);
        assert_eq!(page.last_id, None);
        assert_eq!(page.data[0].usage_synced, Some(true));
        assert_eq!(page.data[0].extra["region"], "eu");
        assert_eq!(page.extra["next"], "x");
        assert!(serde_json::from_value::<ResponseJob>(json!({"status": "x"})).is_err());
    }
}
