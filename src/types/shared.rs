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
