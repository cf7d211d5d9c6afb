//! The mock gateway's default answers, one module per API resource.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use super::{MockReply, RecordedRequest, lock};

mod audio;
mod batches;
pub(crate) mod chat;
mod compare;
mod embeddings;
mod images;
mod messages;
mod models;
mod moderations;
mod rag;
mod responses;
mod router;
mod templates;
mod usage;
pub(crate) mod versions;
mod videos;
mod web;

/// What default routes remember between requests (templates created, files uploaded, …).
pub(super) struct State {
    /// The server's own base URL, for answers that point back at it (signed upload URLs).
    pub(super) url: String,
    /// Free-form memory, one key per resource (e.g. `"templates"`), each module's own.
    store: Mutex<Map<String, Value>>,
    ids: AtomicU64,
    /// Chat completions answered, for their ids (`chatcmpl-mock<n>`).
    completions: AtomicU64,
}

impl State {
    pub(super) fn new(url: String) -> State {
        State {
            url,
            store: Mutex::new(Map::new()),
            ids: AtomicU64::new(0),
            completions: AtomicU64::new(0),
        }
    }

    /// A fresh id, unique per server: `<prefix>1`, `<prefix>2`, …
    pub(super) fn next_id(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.ids.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// Runs `f` on the resource's memory (created as `null` on first use), under the lock.
    pub(super) fn with<R>(&self, resource: &str, f: impl FnOnce(&mut Value) -> R) -> R {
        let mut store = lock(&self.store);
        f(store.entry(resource).or_insert(Value::Null))
    }
}

/// The default answer for `request`, or `None` when no resource module routes it.
pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    let routes: [fn(&RecordedRequest, &State) -> Option<MockReply>; 17] = [
        versions::route,
        chat::route,
        models::route,
        compare::route,
        responses::route,
        embeddings::route,
        moderations::route,
        images::route,
        audio::route,
        videos::route,
        batches::route,
        templates::route,
        rag::route,
        web::route,
        router::route,
        usage::route,
        messages::route,
    ];
    routes.iter().find_map(|route| route(request, state))
}

/// Percent-decodes a path or query component (`%2F` → `/`; `+` is left alone).
pub(super) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: Option<&u8>| b.and_then(|&b| char::from(b).to_digit(16));
    while let Some(&b) = bytes.get(i) {
        match (b, hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits make at most 0xFF.
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query's `key=value` pairs in order, percent-decoded; repeated keys stay repeated.
pub(super) fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// The first value of `key` in the query.
pub(super) fn query_value(query: &str, key: &str) -> Option<String> {
    query_pairs(query)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// A 200 JSON answer.
pub(super) fn ok(body: &Value) -> MockReply {
    MockReply::json(200, body.to_string())
}

/// The FastAPI-style 404 the gateway gives for unknown ids: `{"detail": "..."}`.
pub(super) fn not_found(what: &str) -> MockReply {
    MockReply::json(
        404,
        serde_json::json!({ "detail": format!("{what} not found") }).to_string(),
    )
}

/// A 422 FastAPI validation error naming the missing or invalid body field.
pub(super) fn invalid_field(field: &str, msg: &str) -> MockReply {
    MockReply::json(
        422,
        serde_json::json!({
            "detail": [{ "type": "missing", "loc": ["body", field], "msg": msg }]
        })
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_undoes_percent_escapes_only() {
        assert_eq!(decode("a%2Fb%3Afree+x%zz%4"), "a/b:free+x%zz%4");
        assert_eq!(
            query_pairs("brand=a&brand=b%20c&free=true&x"),
            [
                ("brand".into(), "a".into()),
                ("brand".into(), "b c".into()),
                ("free".into(), "true".into()),
                ("x".into(), String::new())
            ]
        );
        assert_eq!(query_value("a=1&b=2", "b").as_deref(), Some("2"));
    }
}
