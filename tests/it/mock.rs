//! The mock gateway's default routes answer bodies of the wrong shape with an HTTP error, never
//! by dying mid-request (a panicking route would drop the connection).

use meshapi::Method;
use serde_json::{Value, json};

use crate::common;

const ROUTES: &[(Method, &str)] = &[
    (Method::Post, "/v1/chat/completions"),
    (Method::Post, "/v1/chat/compare"),
    (Method::Post, "/v1/responses"),
    (Method::Get, "/v1/responses/resp_x"),
    (Method::Post, "/v1/embeddings"),
    (Method::Get, "/v1/models/search?limit=x&free=maybe"),
    (Method::Post, "/v1/moderations"),
    (Method::Post, "/v1/images/generations"),
    (Method::Post, "/v1/images/edits"),
    (Method::Post, "/v1/audio/speech"),
    (Method::Post, "/v1/audio/transcriptions"),
    (Method::Post, "/v1/audio/transcriptions/translate"),
    (Method::Post, "/v1/audio/translations"),
    (
        Method::Get,
        "/v1/audio/voices?page_size=-1&next_page_token=%FF",
    ),
    (Method::Post, "/v1/video/generations"),
    (Method::Get, "/v1/video/generations?limit=0"),
    (Method::Post, "/v1/batches"),
    (Method::Post, "/v1/batches/nope/cancel"),
    (Method::Post, "/v1/templates"),
    (Method::Patch, "/v1/templates/nope"),
    (Method::Post, "/v1/files"),
    (Method::Post, "/v1/files/embed"),
    (Method::Post, "/v1/files/search"),
    (Method::Post, "/v1/web/search"),
    (Method::Post, "/v1/router/select"),
];

fn odd_bodies() -> Vec<Value> {
    vec![
        Value::Null,
        json!([1, 2]),
        json!("text"),
        json!(42),
        json!({}),
        json!({"input": 5, "messages": "x", "models": [1], "requests": [null], "query": [],
               "prompt": {}, "model": 7, "name": [], "file_ids": "f", "content": 3,
               "stream": "yes", "dimensions": -1, "encoding_format": 1}),
    ]
}

#[test]
fn wrong_shapes_get_an_http_answer_on_every_route() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    for (method, path) in ROUTES {
        for body in odd_bodies() {
            let mut request = client.request(*method, path);
            if *method != Method::Get {
                request = request.json(&body);
            }
            if let Err(e) = request.send::<serde_json::Value>() {
                assert!(
                    e.status().is_some_and(|s| (400..500).contains(&s)),
                    "{method:?} {path} with {body:?}: {e}"
                );
            }
        }
    }
    // The server is still healthy after all of it.
    let models = client
        .request(Method::Get, "/v1/models")
        .send::<serde_json::Value>()
        .unwrap();
    assert!(models.as_array().is_some_and(|m| !m.is_empty()));
}
