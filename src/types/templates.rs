//! Request and response types of prompt templates (`/v1/templates`).
//!
//! - Requests: [`CreateTemplateParams`], [`UpdateTemplateParams`] (partial).
//! - Response: [`TemplateSummary`].
//!
//! A template is used from chat, compare and responses by its **name**, with values for its
//! `{{var}}` slots; see [`ChatCompletionParams::from_template`](crate::ChatCompletionParams::from_template).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of `POST /v1/templates`.
///
/// ```
/// use meshapi::types::templates::CreateTemplateParams;
/// use serde_json::json;
///
/// let params = CreateTemplateParams::new("pirate-assistant")
///     .description("A pirate-themed assistant")
///     .system("You are a helpful assistant who speaks like a pirate. Topic: {{topic}}")
///     .model("openai/gpt-4o-mini")
///     .params(json!({"temperature": 0.7}))
///     .variables(["topic"]);
/// let body = serde_json::to_value(&params)?;
/// assert_eq!(body["name"], "pirate-assistant");
/// assert_eq!(body["variables"], json!(["topic"]));
/// assert!(body.get("team_id").is_none());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct CreateTemplateParams {
    /// The template's name, which chat requests refer to it by.
    pub name: String,
    /// What the template is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The system prompt; may contain `{{var}}` slots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Messages sent before the caller's, as chat message objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<Value>>,
    /// The model to use when the request names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Default request parameters, e.g. `{"temperature": 0.7}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Value>,
    /// The names of the `{{var}}` slots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Vec<String>>,
    /// The team that owns the template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

impl CreateTemplateParams {
    /// A template called `name`; everything else unset.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
            system: None,
            messages: None,
            model: None,
            params: None,
            variables: None,
            team_id: None,
        }
    }

    /// Sets the description.
    ///
    /// Defaults to unset (none).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the system prompt.
    ///
    /// Defaults to unset (none).
    pub fn system(mut self, system: impl Into<String>) -> Self {
        self.system = Some(system.into());
        self
    }

    /// Sets the messages, as chat message objects such as
    /// `{"role": "user", "content": "Tell me about {{topic}}"}`.
    ///
    /// Defaults to unset (none).
    pub fn messages(mut self, messages: impl IntoIterator<Item = Value>) -> Self {
        self.messages = Some(messages.into_iter().collect());
        self
    }

    /// Sets the model.
    ///
    /// Defaults to unset (the request must name one).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the default request parameters object.
    ///
    /// Defaults to unset (none).
    pub fn params(mut self, params: Value) -> Self {
        self.params = Some(params);
        self
    }

    /// Sets the names of the `{{var}}` slots.
    ///
    /// Defaults to unset (none).
    pub fn variables(mut self, variables: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.variables = Some(variables.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the owning team.
    ///
    /// Defaults to unset (the caller owns the template).
    pub fn team_id(mut self, team_id: impl Into<String>) -> Self {
        self.team_id = Some(team_id.into());
        self
    }
}

/// The body of `PATCH /v1/templates/{id}`: only the fields that are set are sent and changed;
/// an empty update (`{}`) is allowed.
///
/// A field cannot be cleared to `null` this way (neither official SDK can send `null` either).
///
/// ```
/// use meshapi::types::templates::UpdateTemplateParams;
/// use serde_json::json;
///
/// let params = UpdateTemplateParams::new().model("openai/gpt-4o");
/// assert_eq!(serde_json::to_value(&params)?, json!({"model": "openai/gpt-4o"}));
/// assert_eq!(serde_json::to_value(UpdateTemplateParams::new())?, json!({}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct UpdateTemplateParams {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A new system prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// New messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<Value>>,
    /// A new model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// New default request parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Value>,
    /// New slot names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Vec<String>>,
}

impl UpdateTemplateParams {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a new name.
    ///
    /// Defaults to unset (the name is kept).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets a new description.
    ///
    /// Defaults to unset (the description is kept).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets a new system prompt.
    ///
    /// Defaults to unset (the system prompt is kept).
    pub fn system(mut self, system: impl Into<String>) -> Self {
        self.system = Some(system.into());
        self
    }

    /// Sets new messages.
    ///
    /// Defaults to unset (the messages are kept).
    pub fn messages(mut self, messages: impl IntoIterator<Item = Value>) -> Self {
        self.messages = Some(messages.into_iter().collect());
        self
    }

    /// Sets a new model.
    ///
    /// Defaults to unset (the model is kept).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets new default request parameters.
    ///
    /// Defaults to unset (the parameters are kept).
    pub fn params(mut self, params: Value) -> Self {
        self.params = Some(params);
        self
    }

    /// Sets new slot names.
    ///
    /// Defaults to unset (the slot names are kept).
    pub fn variables(mut self, variables: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.variables = Some(variables.into_iter().map(Into::into).collect());
        self
    }
}

/// A stored prompt template, as returned by create, list, get and update.
///
/// ```
/// use meshapi::types::templates::TemplateSummary;
///
/// let template: TemplateSummary = serde_json::from_str(r#"{
///     "id": "550e8400-e29b-41d4-a716-446655440000", "name": "pirate-assistant",
///     "owner": null, "is_global": true, "system": "Arr.", "messages": null,
///     "created_at": "2024-04-01T12:00:00Z", "updated_at": "2024-04-01T12:00:00Z"
/// }"#)?;
/// assert_eq!(template.name, "pirate-assistant");
/// assert!(template.is_global);
/// assert_eq!(template.owner, None);
/// assert_eq!(template.messages, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplateSummary {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Template id (a UUID).
    pub id: String,
    /// The name chat requests refer to it by.
    pub name: String,
    /// The owning user's id; `None` for global templates.
    #[serde(default)]
    pub owner: Option<String>,
    /// Whether the template is shared with every account.
    pub is_global: bool,
    /// What the template is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The system prompt, with `{{var}}` slots.
    #[serde(default)]
    pub system: Option<String>,
    /// Messages sent before the caller's.
    #[serde(default)]
    pub messages: Option<Vec<Value>>,
    /// The default model.
    #[serde(default)]
    pub model: Option<String>,
    /// Default request parameters.
    #[serde(default)]
    pub params: Option<Value>,
    /// The names of the `{{var}}` slots.
    #[serde(default)]
    pub variables: Option<Vec<String>>,
    /// Creation time, ISO-8601.
    pub created_at: String,
    /// Last change, ISO-8601.
    pub updated_at: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_sends_only_what_is_set() {
        let full = CreateTemplateParams::new("t")
            .description("d")
            .system("s")
            .messages([json!({"role": "user", "content": "{{q}}"})])
            .model("m")
            .params(json!({"temperature": 0.5}))
            .variables(["q"])
            .team_id("team");
        assert_eq!(
            serde_json::to_value(&full).unwrap(),
            json!({"name": "t", "description": "d", "system": "s",
                   "messages": [{"role": "user", "content": "{{q}}"}], "model": "m",
                   "params": {"temperature": 0.5}, "variables": ["q"], "team_id": "team"})
        );
        assert_eq!(
            serde_json::to_value(CreateTemplateParams::new("t")).unwrap(),
            json!({"name": "t"})
        );
    }

    #[test]
    fn summaries_require_the_identity_and_timestamps() {
        let err = serde_json::from_value::<TemplateSummary>(json!({
            "id": "x", "name": "n", "is_global": false, "created_at": "t"
        }))
        .unwrap_err();
        assert!(err.to_string().contains("updated_at"), "{err}");
    }
}
