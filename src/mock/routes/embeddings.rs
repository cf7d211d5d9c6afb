//! Default answers for `POST /v1/embeddings`.
//!
//! Vectors are deterministic: each input's byte trigrams are hashed into `dimensions` buckets
//! (8 unless asked) and the counts scaled to unit length, so texts sharing words come out
//! similar. Values are `f32`s, sent exactly, so the float and base64 forms of one vector decode
//! to the same `f32`s.

use serde_json::{Value, json};

use super::{State, invalid_field, ok};
use crate::mock::{MockReply, RecordedRequest};

const DEFAULT_MODEL: &str = "openai/text-embedding-3-small";
const DEFAULT_DIMENSIONS: usize = 8;
/// Keeps a request for a huge vector from making the mock allocate without bound.
const MAX_DIMENSIONS: u64 = 4096;
/// The API's limit on inputs per request. Each input costs a whole vector however short it
/// is, so without a bound a 64 MiB body of empty strings would ask for billions of floats.
const MAX_INPUTS: usize = 2048;

pub(super) fn route(request: &RecordedRequest, _state: &State) -> Option<MockReply> {
    if request.path != "/v1/embeddings" || request.method != "POST" {
        return None;
    }
    Some(embeddings(request))
}

fn embeddings(request: &RecordedRequest) -> MockReply {
    let Some(body) = request.body_json() else {
        return invalid_field("input", "Field required");
    };
    let texts = match body.get("input") {
        None | Some(Value::Null) => return invalid_field("input", "Field required"),
        Some(input) => match texts_of(input) {
            Some(texts) if texts.len() > MAX_INPUTS => {
                return invalid_field("input", "Input should have at most 2048 items");
            }
            Some(texts) => texts,
            None => {
                return invalid_field(
                    "input",
                    "Input should be a string, a list of strings, token ids or items",
                );
            }
        },
    };
    let dimensions = match body.get("dimensions") {
        None => DEFAULT_DIMENSIONS,
        Some(n) => match n.as_u64().filter(|n| (1..=MAX_DIMENSIONS).contains(n)) {
            // At most MAX_DIMENSIONS, so the conversion is exact.
            Some(n) => n as usize,
            None => {
                return invalid_field("dimensions", "Input should be an integer from 1 to 4096");
            }
        },
    };
    let base64 = match body.get("encoding_format").and_then(Value::as_str) {
        None | Some("float") => false,
        Some("base64") => true,
        Some(_) => {
            return invalid_field("encoding_format", "Input should be 'float' or 'base64'");
        }
    };
    let data: Vec<Value> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let vector = vector(text.as_bytes(), dimensions);
            let embedding = if base64 {
                let bytes: Vec<u8> = vector.iter().flat_map(|v| v.to_le_bytes()).collect();
                json!(crate::base64::encode(&bytes))
            } else {
                // Every f32 is exactly an f64, so the client reads back the very same f32s.
                let numbers: Vec<f64> = vector.iter().map(|&v| f64::from(v)).collect();
                json!(numbers)
            };
            json!({ "object": "embedding", "index": index, "embedding": embedding })
        })
        .collect();
    // At most one per byte of the body or per input (`max(1)`), so the sum cannot overflow.
    let tokens: usize = texts
        .iter()
        .map(|text| text.split_whitespace().count().max(1))
        .sum();
    ok(&json!({
        "object": "list",
        "model": body.get("model").and_then(Value::as_str).unwrap_or(DEFAULT_MODEL),
        "data": data,
        "usage": { "prompt_tokens": tokens, "total_tokens": tokens },
    }))
}

/// One text per vector the input asks for, or `None` for a shape the API does not accept.
fn texts_of(input: &Value) -> Option<Vec<String>> {
    match input {
        Value::String(text) => Some(vec![text.clone()]),
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) if items.iter().all(Value::is_u64) => Some(vec![token_text(items)]),
        Value::Array(items) => {
            items
                .iter()
                .map(|item| match item {
                    Value::String(text) => Some(text.clone()),
                    Value::Array(tokens) if tokens.iter().all(Value::is_u64) => {
                        Some(token_text(tokens))
                    }
                    Value::Object(_) => ["text", "image_url", "video_url"].iter().find_map(|key| {
                        match &item[*key] {
                            Value::String(text) => Some(text.clone()),
                            other => other["url"].as_str().map(str::to_owned),
                        }
                    }),
                    _ => None,
                })
                .collect()
        }
        _ => None,
    }
}

fn token_text(tokens: &[Value]) -> String {
    tokens
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Hashed byte-trigram counts, scaled to unit length (all zeros for an empty text).
fn vector(text: &[u8], dimensions: usize) -> Vec<f32> {
    let mut counts = vec![0f64; dimensions];
    let padded: Vec<u8> = [b' ']
        .iter()
        .chain(text)
        .chain([b' '].iter())
        .copied()
        .collect();
    for gram in padded.windows(3) {
        // FNV-1a: stable across runs and platforms.
        let hash = gram.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        let bucket = (hash % dimensions as u64) as usize;
        let sign = if hash >> 63 == 0 { 1.0 } else { -1.0 };
        if let Some(count) = counts.get_mut(bucket) {
            *count += sign;
        }
    }
    let norm = counts.iter().map(|c| c * c).sum::<f64>().sqrt();
    counts
        .iter()
        .map(|c| if norm > 0.0 { (c / norm) as f32 } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn vectors_are_unit_length_and_similar_for_similar_texts() {
        let cat = vector(b"the cat sat on the mat", 64);
        let cat2 = vector(b"the cat sat on a mat", 64);
        let other = vector(b"quarterly revenue grew 4%", 64);
        assert!((cosine(&cat, &cat) - 1.0).abs() < 1e-5);
        assert!(cosine(&cat, &cat2) > cosine(&cat, &other));
        assert_eq!(vector(b"", 3).len(), 3);
        assert_eq!(vector(b"x", 1).len(), 1);
    }

    #[test]
    fn more_inputs_than_the_api_allows_are_a_422() {
        let request = |count: usize| RecordedRequest {
            method: "POST".into(),
            path: "/v1/embeddings".into(),
            query: String::new(),
            headers: Vec::new(),
            body: json!({"input": vec![""; count], "dimensions": MAX_DIMENSIONS})
                .to_string()
                .into_bytes(),
        };
        let answer = |count| {
            let reply = embeddings(&request(count));
            let body = match reply.parts.first() {
                Some(crate::mock::Part::Bytes(bytes)) => bytes.clone(),
                _ => Vec::new(),
            };
            (
                reply.status,
                serde_json::from_slice::<Value>(&body).unwrap(),
            )
        };
        let (status, body) = answer(MAX_INPUTS + 1);
        assert_eq!(status, 422);
        assert_eq!(body["detail"][0]["loc"], json!(["body", "input"]));
        let (status, body) = answer(2);
        assert_eq!(status, 200);
        assert_eq!(body["data"][1]["embedding"].as_array().unwrap().len(), 4096);
    }

    #[test]
    fn every_input_shape_gives_one_text_per_vector() {
        let cases = [
            (json!("a"), Some(1)),
            (json!(["a", "b"]), Some(2)),
            (json!([1, 2, 3]), Some(1)),
            (json!([[1], [2, 3]]), Some(2)),
            (
                json!([{"type": "text", "text": "t"}, {"type": "image_url", "image_url": {"url": "u"}}]),
                Some(2),
            ),
            (json!([]), None),
            (json!(3), None),
            (json!([true]), None),
            (json!([{"type": "text"}]), None),
        ];
        for (input, want) in cases {
            assert_eq!(texts_of(&input).map(|t| t.len()), want, "{input}");
        }
    }
}
