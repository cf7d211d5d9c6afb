//! embeddings: what the server received and what the caller got.

use meshapi::mock::MockReply;
use meshapi::types::embeddings::{
    EmbeddingsParams, EmbeddingsResponse, EncodingFormat, MultimodalInput, ProviderPreferences,
};
use meshapi::{ErrorCode, Method};
use serde_json::json;

use crate::common::{self, TOKEN};

const FLOAT: &str = include_str!("../fixtures/go_embedding_response_float.json");
const BASE64: &str = include_str!("../fixtures/go_embedding_response_base64.json");
const BYOK: &str = include_str!("../fixtures/py_embeddings_byok_usage.json");

fn base64_of(values: &[f32]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn create_sends_every_param_and_decodes_the_float_fixture() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, FLOAT));
    let params = EmbeddingsParams::new("The quick brown fox")
        .model("openai/text-embedding-3-small")
        .dimensions(4)
        .encoding_format(EncodingFormat::Float)
        .input_type("search_query")
        .provider(
            ProviderPreferences::new()
                .order(["openai", "azure"])
                .allow_fallbacks(true)
                .require_parameters(false)
                .data_collection("deny"),
        )
        .user("user-42")
        .instructions("Represent the query for retrieval")
        .sparse_embedding(json!({"format": "lexical"}));
    let reply = client.embeddings().create(&params).unwrap();

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/embeddings");
    assert_eq!(request.query, "");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "input": "The quick brown fox",
            "model": "openai/text-embedding-3-small",
            "dimensions": 4,
            "encoding_format": "float",
            "input_type": "search_query",
            "provider": {
                "order": ["openai", "azure"],
                "allow_fallbacks": true,
                "require_parameters": false,
                "data_collection": "deny",
            },
            "user": "user-42",
            "instructions": "Represent the query for retrieval",
            "sparse_embedding": {"format": "lexical"},
        })
    );

    assert_eq!(reply.object, "list");
    assert_eq!(reply.model, "openai/text-embedding-3-small");
    assert_eq!(reply.data.len(), 1);
    assert_eq!(reply.data[0].object, "embedding");
    assert_eq!(reply.data[0].index, 0);
    assert_eq!(reply.data[0].embedding, [0.1, 0.2, 0.3, -0.4]);
    let usage = reply.usage.unwrap();
    assert_eq!(
        (usage.prompt_tokens, usage.total_tokens),
        (Some(5), Some(5))
    );
    assert_eq!((usage.byok_used, usage.fallback_triggered), (None, None));
    assert!(reply.extra.is_empty());
}

#[test]
fn the_go_base64_fixture_is_refused_because_it_is_11_bytes() {
    // The Go SDK keeps this vector as an opaque string; it is not a whole number of f32s.
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, BASE64));
    let params = EmbeddingsParams::new("x").encoding_format(EncodingFormat::Base64);
    let err = client.embeddings().create(&params).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert_eq!(err.status(), Some(200));
    assert!(common::chain(&err).contains("11 bytes"), "{err}");
    assert_eq!(
        mock.requests()[0].body_json().unwrap()["encoding_format"],
        "base64"
    );
}

#[test]
fn the_base64_form_of_the_float_fixture_decodes_to_the_same_floats() {
    let floats: EmbeddingsResponse = serde_json::from_str(FLOAT).unwrap();
    let vector = &floats.data[0].embedding;
    let mut body: serde_json::Value = serde_json::from_str(BASE64).unwrap();
    body["data"][0]["embedding"] = json!(base64_of(vector));

    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, body.to_string()));
    let reply = client
        .embeddings()
        .create(&EmbeddingsParams::new("x").encoding_format(EncodingFormat::Base64))
        .unwrap();
    assert_eq!(reply, floats);
    assert_eq!(reply.data[0].embedding, [0.1f32, 0.2, 0.3, -0.4]);
}

#[test]
fn invalid_base64_is_a_parse_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    let body = r#"{"object":"list","model":"m","data":[{"object":"embedding","index":0,"embedding":"AAAA!AAA"}]}"#;
    mock.enqueue(MockReply::json(200, body));
    let err = client
        .embeddings()
        .create(&EmbeddingsParams::new("x"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert!(
        common::chain(&err).contains("not valid base64"),
        "{}",
        err.message()
    );
}

#[test]
fn byok_usage_carries_only_the_flags() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, BYOK));
    let reply = client
        .embeddings()
        .create(&EmbeddingsParams::new(vec!["a"]).model("text-embedding-ada-002"))
        .unwrap();
    assert_eq!(reply.model, "text-embedding-ada-002");
    assert_eq!(reply.data[0].embedding, [0.1, 0.2, 0.3]);
    let usage = reply.usage.unwrap();
    assert_eq!(usage.prompt_tokens, None);
    assert_eq!(usage.total_tokens, None);
    assert_eq!(usage.byok_used, Some(true));
    assert_eq!(usage.fallback_triggered, Some(false));
    assert_eq!(
        mock.requests()[0].body_json().unwrap()["input"],
        json!(["a"])
    );
}

#[test]
fn unknown_fields_are_kept_in_extra() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({
            "object": "list", "model": "m", "cost": "0.0000001", "id": "emb_1",
            "data": [{"object": "embedding", "index": 0, "embedding": [1.0], "sparse": {"7": 0.5}}]
        })
        .to_string(),
    ));
    let reply = client
        .embeddings()
        .create(&EmbeddingsParams::new("x"))
        .unwrap();
    assert_eq!(reply.extra["cost"], "0.0000001");
    assert_eq!(reply.extra["id"], "emb_1");
    assert_eq!(reply.data[0].extra["sparse"], json!({"7": 0.5}));
    assert_eq!(reply.usage, None);
}

#[test]
fn token_and_multimodal_inputs_go_out_as_sent() {
    let mock = common::mock();
    let client = common::client(&mock);
    let inputs = [
        (
            EmbeddingsParams::new(vec![9906u32, 1917]),
            json!([9906, 1917]),
        ),
        (
            EmbeddingsParams::new(vec![vec![1u32], vec![2, 3]]),
            json!([[1], [2, 3]]),
        ),
        (
            EmbeddingsParams::new(vec![
                MultimodalInput::text("a red bicycle"),
                MultimodalInput::image_url("data:image/png;base64,iVBORw=="),
                MultimodalInput::video_url("https://example.com/clip.mp4"),
            ])
            .model("byteplus/doubao-embedding-vision"),
            json!([
                {"type": "text", "text": "a red bicycle"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}},
                {"type": "video_url", "video_url": {"url": "https://example.com/clip.mp4"}},
            ]),
        ),
    ];
    for (params, want) in &inputs {
        let reply = client.embeddings().create(params).unwrap();
        let expected_vectors = want.as_array().map_or(0, |items| {
            if items.iter().all(|i| i.is_u64()) {
                1
            } else {
                items.len()
            }
        });
        assert_eq!(reply.data.len(), expected_vectors, "{want}");
    }
    let sent: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| r.body_json().unwrap()["input"].clone())
        .collect();
    let wanted: Vec<_> = inputs.iter().map(|(_, want)| want.clone()).collect();
    assert_eq!(sent, wanted);
}

#[test]
fn errors_map_to_codes() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(401, common::FIXTURE_401));
    let err = client
        .embeddings()
        .create(&EmbeddingsParams::new("x"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.status(), Some(401));
    assert!(!err.message().is_empty());
}

#[test]
fn the_default_route_answers_float_and_base64_with_the_same_vectors() {
    let mock = common::mock();
    let client = common::client(&mock);
    let texts = vec![
        "the cat sat on the mat",
        "a cat sat on a mat",
        "quarterly revenue",
    ];
    let float = client
        .embeddings()
        .create(&EmbeddingsParams::new(texts.clone()).dimensions(64))
        .unwrap();
    let base64 = client
        .embeddings()
        .create(
            &EmbeddingsParams::new(texts)
                .dimensions(64)
                .encoding_format(EncodingFormat::Base64),
        )
        .unwrap();
    assert_eq!(float, base64);
    assert_eq!(float.object, "list");
    assert_eq!(float.model, "openai/text-embedding-3-small");
    assert_eq!(float.data.len(), 3);
    for (i, item) in float.data.iter().enumerate() {
        assert_eq!(item.index as usize, i);
        assert_eq!(item.embedding.len(), 64);
        let norm: f32 = item.embedding.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-4);
    }
    let cosine = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    let v = |i: usize| float.data[i].embedding.as_slice();
    assert!(cosine(v(0), v(1)) > cosine(v(0), v(2)));
    let usage = float.usage.unwrap();
    assert_eq!(usage.prompt_tokens, Some(6 + 6 + 2));
    assert_eq!(usage.total_tokens, usage.prompt_tokens);

    // Raw wire shapes: a number array, then a string.
    let raw = client
        .request(Method::Post, "/v1/embeddings")
        .json(&json!({"input": "hi"}))
        .send::<serde_json::Value>()
        .unwrap();
    assert!(raw["data"][0]["embedding"].is_array());
    assert_eq!(raw["data"][0]["embedding"].as_array().unwrap().len(), 8);
    let raw = client
        .request(Method::Post, "/v1/embeddings")
        .json(&json!({"input": "hi", "encoding_format": "base64", "model": "x/y"}))
        .send::<serde_json::Value>()
        .unwrap();
    assert!(raw["data"][0]["embedding"].is_string());
    assert_eq!(raw["model"], "x/y");
}

#[test]
fn the_default_route_refuses_a_request_without_input() {
    let mock = common::mock();
    let client = common::client(&mock);
    for body in [
        json!({"model": "m"}),
        json!({"input": null}),
        json!({"input": 3}),
    ] {
        let err = client
            .request(Method::Post, "/v1/embeddings")
            .json(&body)
            .send::<serde_json::Value>()
            .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ValidationError, "{body}");
        assert_eq!(err.status(), Some(422));
    }
}

#[test]
fn unknown_usage_fields_are_kept_in_extra() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({
            "object": "list", "model": "m",
            "data": [{"object": "embedding", "index": 0, "embedding": [0.5]}],
            "usage": {"prompt_tokens": 1, "total_tokens": 1, "cost": "0.0001",
                      "provider": {"name": "openai"}}
        })
        .to_string(),
    ));
    let reply = client
        .embeddings()
        .create(&EmbeddingsParams::new("x"))
        .unwrap();
    let usage = reply.usage.unwrap();
    assert_eq!(usage.total_tokens, Some(1));
    assert_eq!(usage.extra["cost"], "0.0001");
    assert_eq!(usage.extra["provider"], json!({"name": "openai"}));
    assert_eq!(usage.extra.len(), 2);
}
