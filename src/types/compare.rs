//! Request and response types of `POST /v1/chat/compare`: one prompt fanned out to several models.
//!
//! - Request: [`CompareParams`], with optional per-model [`ModelOverride`]s.
//! - Response: [`CompareResponse`], one [`CompareResult`] per model plus the synthesis.
//! - Stream: one [`CompareStreamEvent`] per event; [`CompareAccumulator`] joins each model's
//!   text and the synthesis.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::chat::ChatMessage;

/// The body of a compare request: the same conversation sent to several models at once, and
/// optionally a synthesis written by a comparison model.
///
/// Every field left unset is omitted from the JSON body, so the server's default applies. The
/// official Python SDK always sends `"skip_comparison": false`; this crate omits it unless set,
/// which the gateway treats the same. There is no `stream` field: `create` and `stream` choose it.
///
/// ```
/// use meshapi::ChatMessage;
/// use meshapi::types::compare::{CompareParams, ModelOverride};
/// use serde_json::json;
///
/// let params = CompareParams::new(
///     ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"],
///     vec![ChatMessage::user("Name a prime above 100.")],
/// )
/// .model_override(ModelOverride::new("anthropic/claude-3-5-haiku").temperature(0.0))
/// .comparison_model("openai/gpt-4o")
/// .max_tokens(64);
///
/// assert_eq!(
///     serde_json::to_value(&params)?,
///     json!({
///         "models": ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"],
///         "messages": [{"role": "user", "content": "Name a prime above 100."}],
///         "model_overrides": [{"model": "anthropic/claude-3-5-haiku", "temperature": 0.0}],
///         "comparison_model": "openai/gpt-4o",
///         "max_tokens": 64,
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct CompareParams {
    /// The models to run in parallel.
    pub models: Vec<String>,
    /// The conversation every model continues.
    pub messages: Vec<ChatMessage>,
    /// Per-model settings that replace the shared ones for that model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_overrides: Option<Vec<ModelOverride>>,
    /// The model that writes the synthesis of the answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison_model: Option<String>,
    /// Instructions for the synthesis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison_instructions: Option<String>,
    /// Sampling temperature (0 to 2) for every model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Upper bound on each model's generated tokens (at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Prompt caching on or off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<bool>,
    /// Name of a server-stored prompt template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Values for the template's `{{var}}` slots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<BTreeMap<String, String>>,
    /// `true`: fan out only, without a synthesis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_comparison: Option<bool>,
}

impl CompareParams {
    /// A comparison of `models` on `messages`; everything else unset.
    pub fn new(
        models: impl IntoIterator<Item = impl Into<String>>,
        messages: Vec<ChatMessage>,
    ) -> Self {
        Self {
            models: models.into_iter().map(Into::into).collect(),
            messages,
            model_overrides: None,
            comparison_model: None,
            comparison_instructions: None,
            temperature: None,
            max_tokens: None,
            cache: None,
            template: None,
            variables: None,
            skip_comparison: None,
        }
    }

    /// Replaces all per-model overrides.
    ///
    /// Defaults to unset (every model uses the shared settings).
    pub fn model_overrides(mut self, overrides: impl IntoIterator<Item = ModelOverride>) -> Self {
        self.model_overrides = Some(overrides.into_iter().collect());
        self
    }

    /// Adds one per-model override, keeping the others.
    ///
    /// Defaults to unset (every model uses the shared settings).
    pub fn model_override(mut self, model_override: ModelOverride) -> Self {
        self.model_overrides
            .get_or_insert_with(Vec::new)
            .push(model_override);
        self
    }

    /// Sets the model that writes the synthesis.
    ///
    /// Defaults to unset (the server picks one).
    pub fn comparison_model(mut self, model: impl Into<String>) -> Self {
        self.comparison_model = Some(model.into());
        self
    }

    /// Sets instructions for the synthesis.
    ///
    /// Defaults to unset (the server's own instructions).
    pub fn comparison_instructions(mut self, instructions: impl Into<String>) -> Self {
        self.comparison_instructions = Some(instructions.into());
        self
    }

    /// Sets the sampling temperature (0 to 2) of every model.
    ///
    /// Defaults to unset (the server's default).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the upper bound on each model's generated tokens.
    ///
    /// Defaults to unset (the server's default).
    pub fn max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = Some(max_tokens);
        self
    }

    /// Turns prompt caching on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn cache(mut self, cache: bool) -> Self {
        self.cache = Some(cache);
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

    /// `true` fans out only, without a synthesis.
    ///
    /// Defaults to unset (the server's default, `false`: a synthesis is written).
    pub fn skip_comparison(mut self, skip_comparison: bool) -> Self {
        self.skip_comparison = Some(skip_comparison);
        self
    }
}

/// Settings for one model of a comparison, replacing the shared ones.
///
/// ```
/// use meshapi::types::compare::ModelOverride;
/// use serde_json::json;
///
/// let o = ModelOverride::new("openai/gpt-4o-mini").max_tokens(32).system_prompt("Be brief.");
/// assert_eq!(
///     serde_json::to_value(&o)?,
///     json!({"model": "openai/gpt-4o-mini", "max_tokens": 32, "system_prompt": "Be brief."}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModelOverride {
    /// The model these settings apply to; one of the request's `models`.
    pub model: String,
    /// Sampling temperature (0 to 2) for this model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Upper bound on this model's generated tokens (at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// A system prompt for this model only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_prompt: Option<String>,
}

impl ModelOverride {
    /// An override for `model` that changes nothing yet.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            temperature: None,
            max_tokens: None,
            system_prompt: None,
        }
    }

    /// Sets this model's sampling temperature.
    ///
    /// Defaults to unset (the request's `temperature`).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets this model's upper bound on generated tokens.
    ///
    /// Defaults to unset (the request's `max_tokens`).
    pub fn max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = Some(max_tokens);
        self
    }

    /// Sets a system prompt for this model only.
    ///
    /// Defaults to unset (none added).
    pub fn system_prompt(mut self, system_prompt: impl Into<String>) -> Self {
        self.system_prompt = Some(system_prompt.into());
        self
    }
}

/// Token counts of one model's answer or of the synthesis; every count may be absent.
///
/// ```
/// use meshapi::types::compare::TokenUsage;
///
/// let usage: TokenUsage = serde_json::from_str(r#"{"prompt_tokens": 9, "total_tokens": 12}"#)?;
/// assert_eq!(usage.prompt_tokens, Some(9));
/// assert_eq!(usage.completion_tokens, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenUsage {
    /// Tokens in the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    /// Tokens generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<u64>,
    /// Both together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `POST /v1/chat/compare`: every model's result and the synthesis.
///
/// ```
/// use meshapi::types::compare::CompareResponse;
///
/// let reply: CompareResponse = serde_json::from_str(r#"{
///     "comparison_id": "cmp_1", "object": "chat.compare", "created": 1712345678,
///     "models": ["a/one", "b/fail"],
///     "results": [
///         {"model": "a/one", "content": "Hi!", "latency_ms": 120, "request_id": "req_1",
///          "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}},
///         {"model": "b/fail", "error": "provider down", "error_code": "upstream_error",
///          "latency_ms": 40, "request_id": "req_2"}
///     ],
///     "comparison": "Only a/one answered.", "comparison_model": "a/one",
///     "total_latency_ms": 200, "partial": true, "region": "eu"
/// }"#)?;
/// assert_eq!(reply.results[0].content.as_deref(), Some("Hi!"));
/// assert_eq!(reply.results[1].error.as_deref(), Some("provider down"));
/// assert_eq!(reply.partial, Some(true));
/// assert_eq!(reply.skip_comparison, None); // absent, not false
/// assert_eq!(reply.extra["region"], "eu");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompareResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Id of this comparison.
    pub comparison_id: String,
    /// The object type.
    pub object: String,
    /// Creation time, Unix seconds.
    pub created: u64,
    /// The models that were run.
    pub models: Vec<String>,
    /// One result per requested model: each has `content` or `error`.
    pub results: Vec<CompareResult>,
    /// The synthesis text; absent with `skip_comparison`, when no model answered, or when the
    /// gateway fell back (`comparison_fallback_used`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<String>,
    /// The model that wrote the synthesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison_model: Option<String>,
    /// Token counts of the synthesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison_usage: Option<TokenUsage>,
    /// Whether the gateway fell back instead of writing the synthesis with the comparison model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison_fallback_used: Option<bool>,
    /// Wall time of the whole comparison, in milliseconds.
    pub total_latency_ms: u64,
    /// `true` when some models failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<bool>,
    /// Echo of the request's `skip_comparison`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_comparison: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One model's outcome in a [`CompareResponse`]: its text, or the error that stopped it.
///
/// A failed model is data, not an error of the call: check [`error`](Self::error).
///
/// ```
/// use meshapi::types::compare::CompareResult;
///
/// let failed: CompareResult = serde_json::from_str(r#"{"model": "b/two", "latency_ms": 40,
///     "error": "provider down", "error_code": "upstream_error", "request_id": "req_2"}"#)?;
/// assert_eq!(failed.content, None);
/// assert_eq!(failed.error_code.as_deref(), Some("upstream_error"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompareResult {
    /// The model.
    pub model: String,
    /// The model's raw answer body (a chat completion object), when the gateway includes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_body: Option<Value>,
    /// The answer text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// How long the model took, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Why the model failed (its siblings still ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The failure's machine-readable code, e.g. `upstream_error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Token counts of the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
    /// The gateway's request id for this model's call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CompareResult {
    fn new(model: String) -> Self {
        Self {
            model,
            response_body: None,
            content: None,
            latency_ms: None,
            error: None,
            error_code: None,
            usage: None,
            request_id: None,
            extra: Map::new(),
        }
    }
}

/// One event of a streamed comparison.
///
/// Which fields are set depends on [`event`](Self::event), the SSE event name: the gateway's
/// vocabulary is not documented, so every field is optional and unknown ones land in `extra`.
/// A per-model failure arrives as a string [`error`](Self::error) with an `error_code`: it is
/// an ordinary event, and the other models' events keep coming. Only a frame whose `error` is
/// an object ends the stream, as an `Err`.
///
/// ```
/// use meshapi::types::compare::CompareStreamEvent;
///
/// let event: CompareStreamEvent = serde_json::from_str(
///     r#"{"event": "delta", "model": "openai/gpt-4o-mini", "delta": "Hel"}"#,
/// )?;
/// assert_eq!(event.event.as_deref(), Some("delta"));
/// assert_eq!(event.delta.as_deref(), Some("Hel"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompareStreamEvent {
    /// The SSE event name, e.g. `delta` (`message` when the frame had no `event:` line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// A free-form payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// A text fragment to append.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
    /// The model this event is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Id of the comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison_id: Option<String>,
    /// The model writing the synthesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison_model: Option<String>,
    /// The models being run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<String>>,
    /// How long the model took, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Wall time of the whole comparison, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_latency_ms: Option<u64>,
    /// Why the model stopped: `stop`, `length`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    /// A per-model failure (data: the stream goes on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The per-model failure's code, e.g. `upstream_error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Token counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
    /// Echo of the request's `skip_comparison`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_comparison: Option<bool>,
    /// `true` when some models failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<bool>,
    /// Whether the gateway fell back instead of writing the synthesis with the comparison model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison_fallback_used: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Folds the events of a compare stream into per-model results and the synthesis.
///
/// An event with a `model` (other than a `comparison` event) belongs to that model: its `delta`
/// is appended to the model's `content`; `error`, `error_code`, `latency_ms` and `usage` are
/// kept. A `delta` without a `model`, or any `delta` of a `comparison` event, is appended to
/// the synthesis. Summary fields (`comparison_id`, `total_latency_ms`, `partial`, ...) are kept
/// from whichever event carries them. Results are in the order the models first appear.
///
/// ```
/// use meshapi::types::compare::{CompareAccumulator, CompareStreamEvent};
///
/// let frames = [
///     r#"{"event":"delta","model":"a/one","delta":"Hel"}"#,
///     r#"{"event":"model_error","model":"b/fail","error":"down","error_code":"upstream_error"}"#,
///     r#"{"event":"delta","model":"a/one","delta":"lo"}"#,
///     r#"{"event":"comparison","comparison_model":"a/one","delta":"Only a/one answered."}"#,
///     r#"{"event":"done","comparison_id":"cmp_1","total_latency_ms":180,"partial":true}"#,
/// ];
/// let mut acc = CompareAccumulator::new();
/// for frame in frames {
///     acc.push(&serde_json::from_str::<CompareStreamEvent>(frame)?);
/// }
/// assert_eq!(acc.results[0].content.as_deref(), Some("Hello"));
/// assert_eq!(acc.results[1].error.as_deref(), Some("down"));
/// assert_eq!(acc.comparison.as_deref(), Some("Only a/one answered."));
/// assert_eq!(acc.comparison_id.as_deref(), Some("cmp_1"));
/// assert_eq!(acc.partial, Some(true));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CompareAccumulator {
    /// One result per model seen, in order of first appearance (`request_id` and
    /// `response_body` stay unset: the stream does not carry them).
    pub results: Vec<CompareResult>,
    /// The synthesis text joined, if any fragment arrived.
    pub comparison: Option<String>,
    /// The model that wrote the synthesis.
    pub comparison_model: Option<String>,
    /// Token counts of the synthesis, from a `comparison` event that carries `usage`.
    pub comparison_usage: Option<TokenUsage>,
    /// Id of the comparison.
    pub comparison_id: Option<String>,
    /// The models being run, as announced by the stream.
    pub models: Option<Vec<String>>,
    /// Wall time of the whole comparison, in milliseconds.
    pub total_latency_ms: Option<u64>,
    /// `true` when some models failed.
    pub partial: Option<bool>,
    /// Echo of the request's `skip_comparison`.
    pub skip_comparison: Option<bool>,
    /// Whether the gateway fell back instead of writing the synthesis.
    pub comparison_fallback_used: Option<bool>,
}

impl CompareAccumulator {
    /// An accumulator that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one event.
    pub fn push(&mut self, event: &CompareStreamEvent) {
        let is_comparison = event.event.as_deref() == Some("comparison");
        match (&event.model, is_comparison) {
            (Some(model), false) => self.push_model(model, event),
            _ => {
                if let Some(delta) = &event.delta {
                    self.comparison
                        .get_or_insert_with(String::new)
                        .push_str(delta);
                }
                if is_comparison && event.usage.is_some() {
                    self.comparison_usage.clone_from(&event.usage);
                }
            }
        }
        keep(&mut self.comparison_model, &event.comparison_model);
        keep(&mut self.comparison_id, &event.comparison_id);
        keep(&mut self.models, &event.models);
        keep(&mut self.total_latency_ms, &event.total_latency_ms);
        keep(&mut self.partial, &event.partial);
        keep(&mut self.skip_comparison, &event.skip_comparison);
        keep(
            &mut self.comparison_fallback_used,
            &event.comparison_fallback_used,
        );
    }

    fn push_model(&mut self, model: &str, event: &CompareStreamEvent) {
        let index = match self.results.iter().position(|r| r.model == model) {
            Some(index) => index,
            None => {
                self.results.push(CompareResult::new(model.to_owned()));
                self.results.len() - 1
            }
        };
        let Some(result) = self.results.get_mut(index) else {
            return;
        };
        if let Some(delta) = &event.delta {
            result
                .content
                .get_or_insert_with(String::new)
                .push_str(delta);
        }
        keep(&mut result.error, &event.error);
        keep(&mut result.error_code, &event.error_code);
        keep(&mut result.latency_ms, &event.latency_ms);
        keep(&mut result.usage, &event.usage);
    }
}

/// Overwrites `slot` with `value` when the event carries one.
fn keep<T: Clone>(slot: &mut Option<T>, value: &Option<T>) {
    if value.is_some() {
        slot.clone_from(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(value: Value) -> CompareStreamEvent {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn params_serialize_only_what_is_set() {
        let params = CompareParams::new(["a/one"], vec![ChatMessage::user("Hi")]);
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({"models": ["a/one"], "messages": [{"role": "user", "content": "Hi"}]})
        );
        let params = params
            .model_overrides([ModelOverride::new("a/one").temperature(0.5)])
            .model_override(ModelOverride::new("b/two").max_tokens(9))
            .comparison_instructions("Pick the shortest.")
            .temperature(1.0)
            .cache(false)
            .template("t")
            .variables([("x", "1")])
            .variable("y", "2")
            .skip_comparison(true);
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({
                "models": ["a/one"],
                "messages": [{"role": "user", "content": "Hi"}],
                "model_overrides": [
                    {"model": "a/one", "temperature": 0.5},
                    {"model": "b/two", "max_tokens": 9}
                ],
                "comparison_instructions": "Pick the shortest.",
                "temperature": 1.0,
                "cache": false,
                "template": "t",
                "variables": {"x": "1", "y": "2"},
                "skip_comparison": true
            })
        );
    }

    #[test]
    fn response_keeps_unknown_fields_and_absent_booleans() {
        let reply: CompareResponse = serde_json::from_value(json!({
            "comparison_id": "cmp_1", "object": "chat.compare", "created": 1, "models": ["a"],
            "results": [{"model": "a", "content": "x", "latency_ms": 5, "request_id": "req_1",
                         "cost": "0.1"}],
            "total_latency_ms": 7, "new_field": [1]
        }))
        .unwrap();
        assert_eq!(reply.partial, None);
        assert_eq!(reply.comparison_fallback_used, None);
        assert_eq!(reply.results[0].extra["cost"], "0.1");
        assert_eq!(reply.extra["new_field"], json!([1]));
        let missing = serde_json::from_value::<CompareResponse>(json!({"comparison_id": "c"}));
        assert!(
            missing.is_err(),
            "the gateway always sends the summary fields"
        );
    }

    #[test]
    fn stream_events_tolerate_null_errors_and_keep_extras() {
        let e = event(json!({"event": "delta", "error": null, "seq": 3}));
        assert_eq!(e.error, None);
        assert_eq!(e.extra["seq"], 3);
    }

    #[test]
    fn accumulator_joins_per_model_and_comparison_text() {
        let mut acc = CompareAccumulator::new();
        for value in [
            json!({"event": "delta", "model": "b", "delta": "B1"}),
            json!({"event": "delta", "model": "a", "delta": "A1"}),
            json!({"event": "delta", "model": "b", "delta": " B2"}),
            json!({"event": "model_done", "model": "b", "latency_ms": 9, "finish_reason": "stop",
                   "usage": {"total_tokens": 2}}),
            json!({"event": "comparison", "comparison_model": "c", "model": "c", "delta": "S1"}),
            json!({"delta": " S2"}),
            json!({"event": "comparison", "usage": {"total_tokens": 4}}),
            json!({"event": "done", "comparison_id": "cmp", "models": ["a", "b"],
                   "total_latency_ms": 30, "partial": false, "skip_comparison": false,
                   "comparison_fallback_used": false}),
        ] {
            acc.push(&event(value));
        }
        assert_eq!(acc.results.len(), 2);
        assert_eq!(acc.results[0].model, "b");
        assert_eq!(acc.results[0].content.as_deref(), Some("B1 B2"));
        assert_eq!(acc.results[0].latency_ms, Some(9));
        assert_eq!(acc.results[0].usage.as_ref().unwrap().total_tokens, Some(2));
        assert_eq!(acc.results[1].content.as_deref(), Some("A1"));
        assert_eq!(acc.results[1].latency_ms, None);
        assert_eq!(acc.comparison.as_deref(), Some("S1 S2"));
        assert_eq!(acc.comparison_model.as_deref(), Some("c"));
        assert_eq!(acc.comparison_usage.as_ref().unwrap().total_tokens, Some(4));
        assert_eq!(acc.comparison_id.as_deref(), Some("cmp"));
        assert_eq!(acc.models, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(acc.total_latency_ms, Some(30));
        assert_eq!(acc.partial, Some(false));
        assert_eq!(acc.skip_comparison, Some(false));
        assert_eq!(acc.comparison_fallback_used, Some(false));
    }

    #[test]
    fn accumulator_keeps_a_model_error_without_content() {
        let mut acc = CompareAccumulator::new();
        acc.push(&event(json!({"event": "model_error", "model": "x/fail",
                                "error": "boom", "error_code": "upstream_error"})));
        let result = &acc.results[0];
        assert_eq!(result.content, None);
        assert_eq!(result.error.as_deref(), Some("boom"));
        assert_eq!(result.error_code.as_deref(), Some("upstream_error"));
        assert_eq!(acc.comparison, None);
    }
}
