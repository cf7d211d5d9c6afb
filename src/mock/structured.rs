//! Structured-output replies: the default chat route answers a `json_schema` response format
//! with a JSON value that follows the schema.

use serde_json::{Map, Value};

/// Nested schemas deeper than this get `null`, so a hostile schema cannot recurse forever.
const MAX_DEPTH: usize = 16;

/// The schema of a `{"type":"json_schema","json_schema":{"schema":..}}` response format.
pub(super) fn schema_of(body: &Value) -> Option<&Value> {
    let format = body.get("response_format")?;
    if format.get("type")?.as_str()? != "json_schema" {
        return None;
    }
    format.get("json_schema")?.get("schema")
}

/// A value following `schema`: its `const`, first `enum` value or `default` when it has one;
/// otherwise by `type` — strings are `said`, numbers 1, booleans true, arrays one item, objects
/// every listed property.
pub(super) fn example(schema: &Value, said: &str) -> Value {
    example_at(schema, said, 0)
}

fn example_at(schema: &Value, said: &str, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(value) = schema.get("const").or_else(|| schema.get("default")) {
        return value.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(first) = ["anyOf", "oneOf", "allOf"].iter().find_map(|k| {
        schema
            .get(*k)
            .and_then(Value::as_array)
            .and_then(|v| v.first())
    }) {
        return example_at(first, said, depth + 1);
    }
    let kind = match schema.get("type") {
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        Some(Value::String(kind)) => kind.as_str(),
        _ if schema.get("properties").is_some() => "object",
        _ => "string",
    };
    match kind {
        "object" => {
            let mut object = Map::new();
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    object.insert(name.clone(), example_at(property, said, depth + 1));
                }
            }
            Value::Object(object)
        }
        "array" => {
            let item = schema.get("items").unwrap_or(&Value::Null);
            Value::Array(vec![example_at(item, said, depth + 1)])
        }
        "integer" | "number" => Value::from(1),
        "boolean" => Value::Bool(true),
        "null" => Value::Null,
        _ => Value::from(said),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn examples_follow_the_schema() {
        let schema = json!({
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "population": {"type": "integer"},
                "capital": {"type": "boolean"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "kind": {"enum": ["metropolis", "town"]},
                "note": {"type": ["null", "string"]},
                "nested": {"properties": {"x": {"type": "number"}}},
                "pick": {"anyOf": [{"type": "integer"}, {"type": "string"}]}
            }
        });
        assert_eq!(
            example(&schema, "Paris"),
            json!({
                "city": "Paris", "population": 1, "capital": true, "tags": ["Paris"],
                "kind": "metropolis", "note": "Paris", "nested": {"x": 1}, "pick": 1
            })
        );
        let body =
            json!({"response_format": {"type": "json_schema", "json_schema": {"schema": schema}}});
        assert!(schema_of(&body).is_some());
        assert!(schema_of(&json!({"response_format": {"type": "json_object"}})).is_none());
    }

    #[test]
    fn deep_schemas_are_cut_off() {
        let mut schema = json!({"type": "string"});
        for _ in 0..100 {
            schema = json!({"type": "array", "items": schema});
        }
        let value = example(&schema, "x");
        assert!(value.to_string().contains("null"));
    }
}
