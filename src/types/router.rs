//! Request and response types of the auto-router's model choice (`POST /v1/router/select`).
//!
//! - Request: [`RouterSelectParams`], the conversation as [`ChatMessage`]s.
//! - Response: [`RouterSelectResponse`] with its [`AutoRouterInfo`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::chat::ChatMessage;

/// The body of a router selection: which model would the auto-router pick for this
/// conversation? No inference is run.
///
/// `api_type` is omitted unless set; the server's default is `completions` (which the Python
/// SDK always sends explicitly).
///
/// ```
/// use meshapi::ChatMessage;
/// use meshapi::types::router::RouterSelectParams;
/// use serde_json::json;
///
/// let params = RouterSelectParams::new(vec![ChatMessage::user("Prove that √2 is irrational.")])
///     .exclude_models(["openai/gpt-4o-mini"]);
/// assert_eq!(
///     serde_json::to_value(&params)?,
///     json!({
///         "messages": [{"role": "user", "content": "Prove that √2 is irrational."}],
///         "exclude_models": ["openai/gpt-4o-mini"],
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct RouterSelectParams {
    /// The conversation to route (at least one message).
    pub messages: Vec<ChatMessage>,
    /// The API the chosen model will be called through: `completions`, `responses` or
    /// `embeddings`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_type: Option<String>,
    /// Models never to pick, unless the router falls back to its configured default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_models: Option<Vec<String>>,
}

impl RouterSelectParams {
    /// A selection for `messages`; everything else unset.
    pub fn new(messages: Vec<ChatMessage>) -> Self {
        Self {
            messages,
            api_type: None,
            exclude_models: None,
        }
    }

    /// Sets the API the model will be called through: `completions`, `responses` or
    /// `embeddings`.
    ///
    /// Defaults to unset (the server's default, `completions`).
    pub fn api_type(mut self, api_type: impl Into<String>) -> Self {
        self.api_type = Some(api_type.into());
        self
    }

    /// Sets the models never to pick.
    ///
    /// Defaults to unset (none excluded).
    pub fn exclude_models(mut self, models: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.exclude_models = Some(models.into_iter().map(Into::into).collect());
        self
    }
}

/// The answer of `POST /v1/router/select`.
///
/// The router fails soft: when it cannot classify the conversation it still names a model
/// (its configured default) and says so in [`auto_router`](Self::auto_router).
///
/// ```
/// use meshapi::types::router::RouterSelectResponse;
///
/// let reply: RouterSelectResponse = serde_json::from_str(r#"{
///     "model": "anthropic/claude-sonnet-4",
///     "auto_router": {"fallback_used": false},
///     "reasoning_effort": "medium"
/// }"#)?;
/// assert_eq!(reply.model, "anthropic/claude-sonnet-4");
/// assert!(!reply.auto_router.fallback_used);
/// assert_eq!(reply.reasoning_effort.as_deref(), Some("medium"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RouterSelectResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The chosen model id.
    pub model: String,
    /// How the choice was made.
    pub auto_router: AutoRouterInfo,
    /// Suggested `reasoning_effort` for the call, e.g. `low`, `medium`, `high`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How the auto-router made its choice.
///
/// ```
/// use meshapi::types::router::AutoRouterInfo;
///
/// let info: AutoRouterInfo = serde_json::from_str(
///     r#"{"fallback_used": true, "fallback_reason": "classifier timeout"}"#,
/// )?;
/// assert!(info.fallback_used);
/// assert_eq!(info.fallback_reason.as_deref(), Some("classifier timeout"));
/// let quiet: AutoRouterInfo = serde_json::from_str("{}")?;
/// assert!(!quiet.fallback_used); // absent means false
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AutoRouterInfo {
    /// Whether the router fell back to its configured default model (absent means `false`).
    #[serde(default)]
    pub fallback_used: bool,
    /// Why it fell back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
