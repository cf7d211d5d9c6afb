//! Default answers for `/v1/models` (the model catalogue).
//!
//! A fixed catalogue of four models; `list` filters it, `search` filters, sorts and pages it,
//! and `/v1/models/{id:path}` looks one up by its percent-decoded id.
//! `/v1/models/{id:path}/providers`, matched before it, lists the routes serving a model in a
//! shape of the mock's choosing (`{model_id, providers: [{provider, supports_video_*}]}`), since
//! the gateway's is not documented.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::{State, decode, not_found, ok, query_pairs};
use crate::mock::{MockReply, RecordedRequest};

const DEFAULT_SEARCH_LIMIT: u64 = 20;
const MAX_SEARCH_LIMIT: u64 = 100;

pub(super) fn route(request: &RecordedRequest, _state: &State) -> Option<MockReply> {
    if request.method != "GET" {
        return None;
    }
    let query = query_pairs(&request.query);
    // The fixed routes are matched before the catch-all `{model_id:path}`, as on the gateway.
    let reply = match request.path.as_str() {
        "/v1/models" => list(&query),
        "/v1/models/free" => ok(&Value::Array(where_free(Some(true)))),
        "/v1/models/paid" => ok(&Value::Array(where_free(Some(false)))),
        "/v1/models/search" => search(&query),
        path => {
            let rest = path.strip_prefix("/v1/models/")?;
            if let Some(id) = rest.strip_suffix("/providers") {
                return Some(providers(&decode(id)));
            }
            let id = decode(rest);
            match catalogue().into_iter().find(|m| m["id"] == id.as_str()) {
                Some(model) => ok(&model),
                None => not_found(&format!("Model '{id}'")),
            }
        }
    };
    Some(reply)
}

/// The routes that serve a catalogue model: its own provider, and Azure for OpenAI's models.
/// They are text models, so every video-input flag is false.
fn providers(id: &str) -> MockReply {
    let Some(model) = catalogue().into_iter().find(|m| m["id"] == id) else {
        return not_found(&format!("Model '{id}'"));
    };
    let mut names = vec![model["provider"].as_str().unwrap_or("openai")];
    if model["brand"] == "openai" {
        names.push("azure");
    }
    let routes: Vec<Value> = names
        .into_iter()
        .map(|provider| {
            json!({
                "provider": provider,
                "supports_video_first_frame": false,
                "supports_video_last_frame": false,
                "supports_video_reference_image": false,
                "supports_video_reference_video": false,
                "supports_video_reference_audio": false,
                "supports_video_negative_prompt": false,
            })
        })
        .collect();
    ok(&json!({"model_id": id, "providers": routes}))
}

fn list(query: &[(String, String)]) -> MockReply {
    let free = match flag(query, "free") {
        Ok(free) => free,
        Err(reply) => return reply,
    };
    let models: Vec<Value> = where_free(free)
        .into_iter()
        .filter(|m| matches_field(m, "model_type", value(query, "type")))
        .filter(|m| matches_field(m, "provider", value(query, "provider")))
        .collect();
    ok(&Value::Array(models))
}

fn search(query: &[(String, String)]) -> MockReply {
    let (free, discounted) = match (flag(query, "free"), flag(query, "discounted")) {
        (Ok(free), Ok(discounted)) => (free, discounted),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let (limit, offset) = match (
        number(query, "limit", DEFAULT_SEARCH_LIMIT, 1..=MAX_SEARCH_LIMIT),
        number(query, "offset", 0, 0..=u64::MAX),
    ) {
        (Ok(limit), Ok(offset)) => (limit, offset),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let sort = value(query, "sort");
    if sort.is_some_and(|s| !["brand", "name", "id", "context_length"].contains(&s)) {
        return query_error(
            "sort",
            "Input should be 'brand', 'name', 'id' or 'context_length'",
        );
    }
    let descending = match value(query, "order") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => return query_error("order", "Input should be 'asc' or 'desc'"),
    };
    let terms: Vec<String> = value(query, "q")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let brands = values(query, "brand");
    let inputs = values(query, "input_modality");
    let outputs = values(query, "output_modality");

    let mut matches: Vec<Value> = where_free(free)
        .into_iter()
        .filter(|m| {
            let haystack = ["id", "name", "brand"]
                .map(|key| m[key].as_str().unwrap_or_default().to_lowercase())
                .join(" ");
            terms.iter().all(|term| haystack.contains(term.as_str()))
        })
        .filter(|m| discounted.is_none_or(|want| is_discounted(m) == want))
        .filter(|m| brands.is_empty() || brands.contains(&m["brand"].as_str().unwrap_or_default()))
        .filter(|m| has_all(m, "input_modalities", &inputs))
        .filter(|m| has_all(m, "output_modalities", &outputs))
        .collect();
    if let Some(key) = sort {
        matches.sort_by(|a, b| compare(&a[key], &b[key]));
    }
    if descending {
        matches.reverse();
    }
    let mut facet: Vec<&str> = matches.iter().filter_map(|m| m["brand"].as_str()).collect();
    facet.sort_unstable();
    facet.dedup();
    let total = matches.len();
    let items: Vec<&Value> = matches
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    ok(&json!({
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "brands": facet,
    }))
}

fn where_free(free: Option<bool>) -> Vec<Value> {
    catalogue()
        .into_iter()
        .filter(|m| free.is_none_or(|want| m["is_free"] == want))
        .collect()
}

fn value<'q>(query: &'q [(String, String)], key: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn values<'q>(query: &'q [(String, String)], key: &str) -> Vec<&'q str> {
    query
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// A boolean query parameter, as FastAPI reads one.
fn flag(query: &[(String, String)], key: &str) -> Result<Option<bool>, MockReply> {
    match value(query, key) {
        None => Ok(None),
        Some("true" | "1" | "yes" | "on") => Ok(Some(true)),
        Some("false" | "0" | "no" | "off") => Ok(Some(false)),
        Some(_) => Err(query_error(key, "Input should be a valid boolean")),
    }
}

fn number(
    query: &[(String, String)],
    key: &str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, MockReply> {
    match value(query, key).map(str::parse::<u64>) {
        None => Ok(default),
        Some(Ok(n)) if range.contains(&n) => Ok(n),
        Some(_) => Err(query_error(
            key,
            &format!(
                "Input should be an integer from {} to {}",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// FastAPI's 422 for a bad query parameter.
fn query_error(key: &str, msg: &str) -> MockReply {
    MockReply::json(
        422,
        json!({"detail": [{"type": "value_error", "loc": ["query", key], "msg": msg}]}).to_string(),
    )
}

fn matches_field(model: &Value, key: &str, want: Option<&str>) -> bool {
    want.is_none_or(|want| model[key] == want)
}

fn has_all(model: &Value, key: &str, wanted: &[&str]) -> bool {
    let have = model[key].as_array();
    wanted
        .iter()
        .all(|w| have.is_some_and(|have| have.iter().any(|h| h == w)))
}

fn is_discounted(model: &Value) -> bool {
    model["pricing"]["discount_pct"]
        .as_str()
        .and_then(|pct| pct.parse::<f64>().ok())
        .is_some_and(|pct| pct > 0.0)
}

/// Numbers by value, strings case-insensitively.
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_lowercase();
            text(a).cmp(&text(b))
        }
    }
}

/// The mock's catalogue. The first two models carry every field of the SDKs' golden list
/// fixture (legacy pricing keys included), so decoding the default list exercises them.
fn catalogue() -> Vec<Value> {
    vec![
        json!({
            "id": "openai/gpt-4o-mini",
            "name": "GPT-4o Mini",
            "context_length": 128000,
            "is_free": false,
            "pricing": {
                "prompt_usd_per_1k": "0.000150",
                "completion_usd_per_1k": "0.000600",
                "image_usd_per_image": null,
                "discount_pct": null,
                "prompt_usd_per_1k_discounted": null,
                "completion_usd_per_1k_discounted": null,
            },
            "description": "Affordable and intelligent small model for fast tasks",
            "model_type": "text",
            "input_modalities": ["text", "image"],
            "output_modalities": ["text"],
            "brand": "openai",
            "provider": "openai",
            "supports_completions_api": true,
            "supports_responses_api": true,
            "supports_tools": true,
            "supports_structured_output": true,
            "supports_batching": true,
            "supports_thinking": false,
            "context_window": 128000,
        }),
        json!({
            "id": "meta-llama/llama-3.3-70b-instruct:free",
            "name": "Llama 3.3 70B Instruct (free)",
            "context_length": 131072,
            "is_free": true,
            "pricing": {
                "prompt_usd_per_1k": "0",
                "completion_usd_per_1k": "0",
                "image_usd_per_image": null,
                "discount_pct": null,
                "prompt_usd_per_1k_discounted": null,
                "completion_usd_per_1k_discounted": null,
            },
            "description": null,
            "model_type": "text",
            "input_modalities": ["text"],
            "output_modalities": ["text"],
            "brand": "meta-llama",
            "provider": "amazon-bedrock",
            "supports_completions_api": true,
            "supports_tools": true,
        }),
        json!({
            "id": "anthropic/claude-sonnet-4",
            "name": "Claude Sonnet 4",
            "context_length": 200000,
            "is_free": false,
            "pricing": {
                "prompt_usd_per_1k": "0.003",
                "completion_usd_per_1k": "0.015",
                "pricing_unit": "token",
                "prompt_usd_per_1m": "3.00",
                "completion_usd_per_1m": "15.00",
                "cache_read_input_usd_per_1m": "0.30",
                "cache_write_input_usd_per_1m": "3.75",
                "batch_input_usd_per_1m": "1.50",
                "batch_output_usd_per_1m": "7.50",
                "effective_date": "2026-05-01",
                "discount_pct": "20",
            },
            "description": "Balanced model for coding, analysis and agents",
            "model_type": "text",
            "input_modalities": ["text", "image"],
            "output_modalities": ["text"],
            "brand": "anthropic",
            "provider": "vertex",
            "supports_thinking": true,
            "supports_completions_api": true,
            "supports_responses_api": true,
            "supports_tools": true,
            "supports_structured_output": true,
            "supports_batching": true,
            "supports_system_prompt": true,
            "context_window": 200000,
            "is_composite": false,
            "composite_models": null,
        }),
        json!({
            "id": "openai/text-embedding-3-small",
            "name": "Text Embedding 3 Small",
            "context_length": 8191,
            "is_free": false,
            "pricing": {
                "prompt_usd_per_1k": "0.00002",
                "completion_usd_per_1k": null,
                "prompt_usd_per_1m": "0.02",
                "batch_input_usd_per_1m": "0.01",
                "discount_pct": null,
            },
            "description": "Small, efficient text embedding model (1536 dimensions)",
            "model_type": "embedding",
            "input_modalities": ["text"],
            "output_modalities": ["embedding"],
            "brand": "openai",
            "provider": "openai",
            "supports_embeddings": true,
            "supports_completions_api": false,
            "supports_batching": true,
        }),
    ]
}
