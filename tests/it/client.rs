//! The client over the wire: headers, bodies, base URLs, thread safety and connection reuse.

use std::sync::Arc;

use meshapi::mock::MockReply;
use meshapi::{ChatCompletionParams, ChatMessage, Client, ErrorCode, Method};

use crate::common::{self, TOKEN};

#[test]
fn every_request_carries_the_sdk_headers() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .header("X-Team", "search")
        .header("x-team", "ranking")
        .build()
        .unwrap();
    client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    client
        .request(Method::Get, "/v1/models")
        .send::<serde_json::Value>()
        .unwrap();
    let requests = mock.requests();
    let version = env!("CARGO_PKG_VERSION");
    for r in &requests {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(
            r.header("x-meshapi-sdk"),
            Some(format!("rust/{version}").as_str())
        );
        assert_eq!(
            r.header("user-agent"),
            Some(format!("meshapi-rust/{version}").as_str())
        );
        assert_eq!(r.header("accept"), Some("application/json"));
        assert_eq!(
            r.header("x-team"),
            Some("ranking"),
            "a later header replaces an earlier one"
        );
    }
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(requests[1].method, "GET");
    assert_eq!(
        requests[1].header("content-type"),
        None,
        "no body, no content type"
    );
    assert!(requests[1].body.is_empty());
}

#[test]
fn the_body_is_the_params_plus_stream_false_and_omits_what_is_unset() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = ChatCompletionParams::new(
        "openai/gpt-4o-mini",
        vec![ChatMessage::system("Be brief."), ChatMessage::user("Hi")],
    )
    .temperature(0.5)
    .max_tokens(64);
    client.chat().completions().create(&params).unwrap();
    let body = mock.requests()[0].body_json().unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "model": "openai/gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hi"}
            ],
            "temperature": 0.5,
            "max_tokens": 64,
            "stream": false
        })
    );
}

#[test]
fn a_base_url_path_prefix_is_kept() {
    let mock = common::mock();
    let client = Client::builder()
        .token(TOKEN)
        .base_url(format!("{}/gateway/", mock.url()))
        .build()
        .unwrap();
    mock.enqueue(MockReply::json(200, common::FIXTURE_RESPONSE));
    client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert_eq!(mock.requests()[0].path, "/gateway/v1/chat/completions");
}

#[test]
fn raw_requests_go_through_the_same_mapping() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client
        .request(Method::Get, "/v1/nope")
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.message().contains("/v1/nope"), "{}", err.message());
    assert_eq!(mock.requests().len(), 1, "500 is not retried");

    mock.enqueue(MockReply::new(204));
    let value = client
        .request(Method::Delete, "/v1/templates/t1")
        .send::<serde_json::Value>()
        .unwrap();
    assert!(value.is_null());
    assert_eq!(mock.requests()[1].method, "DELETE");

    let err = client
        .request(Method::Get, "v1/models")
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
}

#[test]
fn eight_threads_share_one_client_and_few_connections() {
    const THREADS: usize = 8;
    const REQUESTS: usize = 200;
    let mock = Arc::new(common::mock());
    let client = common::client(&mock);
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let client = client.clone();
            std::thread::spawn(move || {
                for i in 0..REQUESTS {
                    let params = ChatCompletionParams::new(
                        "openai/gpt-4o-mini",
                        vec![ChatMessage::user(format!("thread {t} request {i}"))],
                    );
                    let reply = client.chat().completions().create(&params).unwrap();
                    let content = reply.choices[0].message.content.clone().unwrap();
                    assert!(
                        content.ends_with(&format!("thread {t} request {i}")),
                        "{content}"
                    );
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(mock.requests().len(), THREADS * REQUESTS);
    let connections = mock.connections();
    assert!(
        connections <= THREADS,
        "{connections} connections for {} requests",
        THREADS * REQUESTS
    );
}

#[test]
fn the_token_never_shows_in_debug_or_errors() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    assert!(!format!("{client:?}").contains(TOKEN));
    mock.enqueue(MockReply::json(
        401,
        r#"{"error":{"code":"unauthorized","message":"bad key"}}"#,
    ));
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(TOKEN));
    let stream = client.chat().completions().stream(&common::params());
    assert!(!format!("{stream:?}").contains(TOKEN));
}
