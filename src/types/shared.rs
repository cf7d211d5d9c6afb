//! Types used by several resources.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Token counts of one request, as reported by the gateway.
///
/// Chat completions carry it in `usage`; a stream carries it on its final chunk.
///
/// ```
/// use meshapi::types::shared::Usage;
///
/// let usage: Usage = serde_json::from_str(
///     r#"{"prompt_tokens":14,"completion_tokens":7,"total_tokens":21,
///         "prompt_tokens_details":{"cached_tokens":0}}"#,
/// )?;
/// assert_eq!(usage.total_tokens, 21);
/// assert_eq!(usage.prompt_tokens_details, Some(serde_json::json!({"cached_tokens": 0})));
/// assert_eq!(usage.classifier_tokens, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Usage {
    /// Tokens in the prompt.
    pub prompt_tokens: u64,
    /// Tokens in the generated completion.
    pub completion_tokens: u64,
    /// `prompt_tokens + completion_tokens`.
    pub total_tokens: u64,
    /// Breakdown of the prompt tokens, e.g. `{"cached_tokens": 0}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_tokens_details: Option<Value>,
    /// Breakdown of the completion tokens, e.g. reasoning tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_tokens_details: Option<Value>,
    /// Prompt tokens spent by the gateway's auto-router classifier (a MeshAPI extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classifier_prompt_tokens: Option<u64>,
    /// Completion tokens spent by the gateway's auto-router classifier (a MeshAPI extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classifier_completion_tokens: Option<u64>,
    /// Total tokens spent by the gateway's auto-router classifier (a MeshAPI extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classifier_tokens: Option<u64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Rows sent either as a bare JSON array or inside an object under the first of `keys` that
/// holds an array, and the object's other fields. For answers whose wrapper is not documented:
/// both shapes decode, and nothing the server sent is dropped. An object with none of `keys`
/// gives no rows and keeps every field.
pub(crate) fn rows_and_rest<T, E>(
    value: Value,
    keys: &[&str],
) -> Result<(Vec<T>, Map<String, Value>), E>
where
    T: serde::de::DeserializeOwned,
    E: serde::de::Error,
{
    let (rows, rest) = match value {
        Value::Array(rows) => (rows, Map::new()),
        Value::Object(mut fields) => {
            let key = keys
                .iter()
                .find(|key| fields.get(**key).is_some_and(Value::is_array));
            match key.and_then(|key| fields.remove(*key)) {
                Some(Value::Array(rows)) => (rows, fields),
                _ => (Vec::new(), fields),
            }
        }
        _ => return Err(E::custom("expected an array, or an object holding one")),
    };
    let rows = rows
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<Vec<T>, _>>()
        .map_err(E::custom)?;
    Ok((rows, rest))
}

/// Writes `rows` under `key`, then the other fields (`rows_and_rest` read backwards); a field
/// of `rest` named `key` gives way to the rows.
pub(crate) fn serialize_rows<S, T>(
    serializer: S,
    key: &str,
    rows: &[T],
    rest: &Map<String, Value>,
) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    T: Serialize,
{
    use serde::ser::SerializeMap;

    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry(key, rows)?;
    for (name, value) in rest.iter().filter(|(name, _)| *name != key) {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn usage_decodes_extensions_and_ignores_unknown_fields() {
        let usage: Usage = serde_json::from_value(json!({
            "prompt_tokens": 14,
            "completion_tokens": 7,
            "total_tokens": 21,
            "completion_tokens_details": {"reasoning_tokens": 3},
            "classifier_prompt_tokens": 5,
            "classifier_completion_tokens": 1,
            "classifier_tokens": 6,
            "brand_new_counter": 99
        }))
        .unwrap();
        assert_eq!(usage.prompt_tokens, 14);
        assert_eq!(usage.completion_tokens, 7);
        assert_eq!(usage.total_tokens, 21);
        assert_eq!(usage.prompt_tokens_details, None);
        assert_eq!(
            usage.completion_tokens_details,
            Some(json!({"reasoning_tokens": 3}))
        );
        assert_eq!(usage.classifier_prompt_tokens, Some(5));
        assert_eq!(usage.classifier_completion_tokens, Some(1));
        assert_eq!(usage.classifier_tokens, Some(6));
    }

    #[test]
    fn usage_requires_the_token_counts() {
        let err = serde_json::from_value::<Usage>(json!({"prompt_tokens": 1, "total_tokens": 1}))
            .unwrap_err();
        assert_eq!(err.to_string(), "missing field `completion_tokens`");
    }

    #[test]
    fn rows_come_bare_or_wrapped_and_the_rest_is_kept() {
        type Rows = (Vec<u8>, Map<String, Value>);
        let rows = |value: Value| rows_and_rest::<u8, serde_json::Error>(value, &["a", "b"]);
        let (bare, rest): Rows = rows(json!([1, 2])).unwrap();
        assert_eq!((bare, rest.len()), (vec![1, 2], 0));
        // The first key holding an array wins; a key holding something else stays in the rest.
        let (wrapped, rest): Rows = rows(json!({"a": null, "b": [3], "id": "x"})).unwrap();
        assert_eq!(wrapped, [3]);
        assert_eq!(Value::Object(rest), json!({"a": null, "id": "x"}));
        let (none, rest): Rows = rows(json!({"c": [4]})).unwrap();
        assert!(none.is_empty());
        assert_eq!(Value::Object(rest), json!({"c": [4]}));
        assert!(rows(json!("text")).is_err());
        let err = rows(json!({"a": ["no"]})).unwrap_err();
        assert!(err.to_string().contains("expected u8"), "{err}");
    }

    #[test]
    fn rows_serialize_under_their_key_before_the_rest() {
        struct Wrapped(Vec<u8>, Map<String, Value>);
        impl Serialize for Wrapped {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_rows(s, "a", &self.0, &self.1)
            }
        }
        let rest = json!({"a": null, "id": "x"}).as_object().cloned().unwrap();
        assert_eq!(
            serde_json::to_value(Wrapped(vec![1], rest)).unwrap(),
            json!({"a": [1], "id": "x"})
        );
    }

    #[test]
    fn usage_serializes_without_nulls() {
        let usage: Usage = serde_json::from_value(
            json!({"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&usage).unwrap(),
            json!({"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3})
        );
    }
}
