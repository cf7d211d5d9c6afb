//! Default answers for `POST /v1/web/search`: deterministic made-up results.
//!
//! Result `i` (from 1) is on the `i`-th allowed domain, cycling: `include_domains` when given,
//! else `example.com`, `example.org`, `example.net`, minus `exclude_domains`.

use serde_json::{Value, json};

use super::{State, invalid_field, ok};
use crate::mock::{MockReply, RecordedRequest};

const DEFAULT_MAX_RESULTS: u64 = 5;
const DOMAINS: [&str; 3] = ["example.com", "example.org", "example.net"];

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    if (request.method.as_str(), request.path.as_str()) != ("POST", "/v1/web/search") {
        return None;
    }
    let body = request.body_json().unwrap_or(Value::Null);
    let query = match body["query"].as_str() {
        Some(q) if (1..=2000).contains(&q.chars().count()) => q,
        _ => {
            return Some(invalid_field(
                "query",
                "String should have 1 to 2000 characters",
            ));
        }
    };
    let max_results = match &body["max_results"] {
        Value::Null => DEFAULT_MAX_RESULTS,
        n => match n.as_u64().filter(|n| (1..=20).contains(n)) {
            Some(n) => n,
            None => return Some(invalid_field("max_results", "Input should be from 1 to 20")),
        },
    };
    let strings = |key: &str| -> Vec<String> {
        body[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let excluded = strings("exclude_domains");
    let included = strings("include_domains");
    let domains: Vec<String> = if included.is_empty() {
        DOMAINS.iter().map(|d| (*d).to_owned()).collect()
    } else {
        included
    }
    .into_iter()
    .filter(|d| !excluded.contains(d))
    .collect();
    let slug = query
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    let results: Vec<Value> = (1..=max_results)
        .zip(domains.iter().cycle())
        .map(|(i, domain)| {
            json!({
                "title": format!("{query} — result {i}"),
                "url": format!("https://{domain}/{slug}/{i}"),
                "content": format!("Mock page {i} about {query}."),
                "score": 1.0 - i as f64 / 100.0,
                "published_date": format!("2026-07-{i:02}"),
            })
        })
        .collect();
    let answer = if body["include_answer"] == true && !results.is_empty() {
        json!(format!(
            "Mock answer for \"{query}\" from {} results.",
            results.len()
        ))
    } else {
        Value::Null
    };
    let provider = body["provider"].as_str().unwrap_or("native");
    Some(ok(&json!({
        "query": query,
        "answer": answer,
        "results": results,
        "provider": provider,
        "request_id": state.next_id("req_mockweb"),
    })))
}
