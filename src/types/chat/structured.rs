//! Structured output: the JSON Schema a reply must follow, and the decoded reply.

use serde_json::{Map, Value};

use super::response::ChatCompletionResponse;

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
#[must_use]
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
