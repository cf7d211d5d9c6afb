//! Default answers for `POST /v1/moderations`.
//!
//! Each input is flagged by keyword: `kill`, `hurt` → `violence`; `hate` → `hate`;
//! `idiot`, `stupid` → `harassment`. Images are never flagged.

use serde_json::{Map, Value, json};

use super::{State, invalid_field, ok};
use crate::mock::{MockReply, RecordedRequest};

const DEFAULT_MODEL: &str = "omni-moderation-latest";

const CATEGORIES: [&str; 8] = [
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "self-harm",
    "sexual",
    "violence",
    "violence/graphic",
];

const KEYWORDS: [(&str, &str); 5] = [
    ("kill", "violence"),
    ("hurt", "violence"),
    ("hate", "hate"),
    ("idiot", "harassment"),
    ("stupid", "harassment"),
];

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    if (request.method.as_str(), request.path.as_str()) != ("POST", "/v1/moderations") {
        return None;
    }
    let body = request.body_json().unwrap_or(Value::Null);
    let texts: Vec<String> = match &body["input"] {
        Value::String(text) => vec![text.clone()],
        Value::Array(inputs) if inputs.iter().all(Value::is_string) => inputs
            .iter()
            .filter_map(|text| text.as_str().map(str::to_owned))
            .collect(),
        // Typed parts make up one input: their texts are judged together.
        Value::Array(parts) if parts.iter().all(Value::is_object) => vec![
            parts
                .iter()
                .filter_map(|part| part["text"].as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ],
        _ => {
            return Some(invalid_field(
                "input",
                "Input should be a string, a list of strings or a list of items",
            ));
        }
    };
    let model = body["model"].as_str().unwrap_or(DEFAULT_MODEL);
    let results: Vec<Value> = texts.iter().map(|text| judge(text)).collect();
    Some(ok(&json!({
        "id": state.next_id("modr-mock"),
        "model": model,
        "results": results,
    })))
}

fn judge(text: &str) -> Value {
    let text = text.to_lowercase();
    let hits: Vec<&str> = KEYWORDS
        .iter()
        .filter(|(word, _)| text.contains(word))
        .map(|(_, category)| *category)
        .collect();
    let mut categories = Map::new();
    let mut scores = Map::new();
    for category in CATEGORIES {
        let hit = hits.contains(&category);
        categories.insert(category.into(), json!(hit));
        scores.insert(category.into(), json!(if hit { 0.92 } else { 0.0004 }));
    }
    json!({
        "flagged": !hits.is_empty(),
        "categories": categories,
        "category_scores": scores,
    })
}
