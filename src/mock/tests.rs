//! Unit tests of the mock server at the socket level.

use super::routes::chat::cost;
use super::*;
use crate::{ChatCompletionParams, ChatMessage, Method};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};

/// A response as a client sees it, with the chunk boundaries kept.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    chunks: Vec<Vec<u8>>,
    /// Whether the body ended as its framing says, not by the connection closing early.
    complete: bool,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn body(&self) -> String {
        String::from_utf8(self.chunks.concat()).unwrap()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.chunks.concat()).unwrap()
    }
}

type Client = BufReader<TcpStream>;

fn connect(server: &MockServer) -> Client {
    let stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    BufReader::new(stream)
}

fn send(client: &mut Client, bytes: impl AsRef<[u8]>) {
    client.get_mut().write_all(bytes.as_ref()).unwrap();
}

fn post(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: mock\r\n\r\n")
}

fn read_head(client: &mut Client) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    client.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        line.clear();
        client.read_line(&mut line).unwrap();
        let Some((name, value)) = line.trim_end().split_once(": ") else {
            break;
        };
        headers.push((name.to_owned(), value.to_owned()));
    }
    (status, headers)
}

/// The next chunk of a chunked body: `Some(empty)` for the last chunk, `None` at EOF.
fn read_chunk(client: &mut Client) -> Option<Vec<u8>> {
    let mut line = String::new();
    if client.read_line(&mut line).unwrap() == 0 {
        return None;
    }
    let size = usize::from_str_radix(line.trim_end(), 16).unwrap();
    let mut chunk = vec![0; size + 2];
    client.read_exact(&mut chunk).unwrap();
    assert_eq!(chunk.split_off(size), b"\r\n");
    Some(chunk)
}

fn read_response(client: &mut Client) -> Response {
    let (status, headers) = read_head(client);
    let mut response = Response {
        status,
        headers,
        chunks: Vec::new(),
        complete: true,
    };
    if response.header("transfer-encoding") == Some("chunked") {
        loop {
            match read_chunk(client) {
                Some(chunk) if chunk.is_empty() => break,
                Some(chunk) => response.chunks.push(chunk),
                None => {
                    response.complete = false;
                    break;
                }
            }
        }
    } else if let Some(length) = response.header("content-length") {
        let mut body = vec![0; length.parse().unwrap()];
        client.read_exact(&mut body).unwrap();
        response.chunks.push(body);
    } else if status != 204 {
        let mut body = Vec::new();
        client.read_to_end(&mut body).unwrap();
        response.chunks.push(body);
    }
    response
}

fn exchange(server: &MockServer, request: impl AsRef<[u8]>) -> Response {
    let mut client = connect(server);
    send(&mut client, request);
    read_response(&mut client)
}

/// Everything the server sends on a fresh connection until it closes, with the
/// `X-Request-Id` value checked and replaced by `ID`.
fn raw_exchange(server: &MockServer, request: impl AsRef<[u8]>) -> String {
    let mut client = connect(server);
    send(&mut client, request);
    let mut raw = String::new();
    client.read_to_string(&mut raw).unwrap();
    let start = raw.find("X-Request-Id: ").unwrap() + "X-Request-Id: ".len();
    let end = start + raw[start..].find("\r\n").unwrap();
    assert_request_id(&raw[start..end]);
    raw.replace_range(start..end, "ID");
    raw
}

/// The crate's own client aimed at `server`, without retries so that every request the
/// test makes arrives exactly once.
fn sdk_client(server: &MockServer) -> crate::Client {
    crate::Client::builder()
        .token("rsk_test")
        .base_url(server.url())
        .max_retries(0)
        .build()
        .unwrap()
}

fn assert_at_eof(client: &mut Client) {
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    assert_eq!(String::from_utf8_lossy(&rest), "");
}

fn assert_request_id(id: &str) {
    let ulid = id.strip_prefix("req_").unwrap();
    assert_eq!(ulid.len(), 26, "{id}");
    assert!(
        ulid.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
        "{id}"
    );
}

fn chunk_frame(id: &str, model: &str, choices: Value) -> String {
    let chunk = json!({
        "id": id, "object": "chat.completion.chunk", "created": 1_712_345_678,
        "model": model, "choices": choices,
    });
    format!("data: {chunk}\n\n")
}

#[test]
fn default_chat_completion_is_a_chat_completion_object() {
    let server = MockServer::start().unwrap();
    let body = r#"{"model":"acme/x-1","stream":false,"messages":[
        {"role":"system","content":"Be brief."},{"role":"user","content":"Ping? \"quoted\""}]}"#;
    let response = exchange(&server, post("/v1/chat/completions", body));
    assert_eq!(response.status, 200);
    assert_eq!(response.header("Content-Type"), Some("application/json"));
    assert_request_id(response.header("X-Request-Id").unwrap());
    assert_eq!(
        response.json(),
        json!({
            "id": "chatcmpl-mock1",
            "object": "chat.completion",
            "created": 1_712_345_678,
            "model": "acme/x-1",
            "choices": [{
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "Hello from the MeshAPI mock gateway! You said: Ping? \"quoted\"",
                },
                "finish_reason": "stop",
            }],
            "usage": { "prompt_tokens": 4, "completion_tokens": 10, "total_tokens": 14 },
            "system_fingerprint": null,
        })
    );
    let again = exchange(&server, post("/v1/chat/completions", body));
    assert_eq!(again.json()["id"], "chatcmpl-mock2");
}

#[test]
fn default_chat_stream_sends_one_frame_per_chunk() {
    let server = MockServer::start().unwrap();
    let body =
        r#"{"model":"acme/x","stream":true,"messages":[{"role":"user","content":"Hi there"}]}"#;
    let request = post("/v1/chat/completions", body).replacen(
        "Host: mock\r\n",
        "Host: mock\r\nConnection: close\r\n",
        1,
    );
    let raw = raw_exchange(&server, request);

    let words = [
        "Hello",
        " from",
        " the",
        " MeshAPI",
        " mock",
        " gateway!",
        " You",
        " said:",
        " Hi",
        " there",
    ];
    let mut frames = vec![chunk_frame(
        "chatcmpl-mock1",
        "acme/x",
        json!([{ "index": 0, "delta": { "role": "assistant", "content": "Hello" }, "finish_reason": null }]),
    )];
    for word in &words[1..] {
        frames.push(chunk_frame(
            "chatcmpl-mock1",
            "acme/x",
            json!([{ "index": 0, "delta": { "content": word }, "finish_reason": null }]),
        ));
    }
    frames.push(chunk_frame(
        "chatcmpl-mock1",
        "acme/x",
        json!([{ "index": 0, "delta": {}, "finish_reason": "stop" }]),
    ));
    let usage = json!({
        "id": "chatcmpl-mock1", "object": "chat.completion.chunk", "created": 1_712_345_678,
        "model": "acme/x", "choices": [],
        "usage": {
            "prompt_tokens": 2, "completion_tokens": 10, "total_tokens": 12,
            "prompt_tokens_details": { "cached_tokens": 0 },
        },
        "cost": "0.0000063",
    });
    frames.push(format!("data: {usage}\n\n"));
    frames.push("data: [DONE]\n\n".to_owned());

    let mut expected = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
        X-Mesh-Version: 2026-08\r\nX-Request-Id: ID\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        .to_owned();
    for frame in &frames {
        expected += &format!("{:X}\r\n{frame}\r\n", frame.len());
    }
    expected += "0\r\n\r\n";
    assert_eq!(raw, expected);
}

#[test]
fn default_chat_echoes_the_last_user_message_cut_to_200_characters() {
    let server = MockServer::start().unwrap();
    let long = "é".repeat(300);
    let body = json!({
        "messages": [
            { "role": "user", "content": "first" },
            { "role": "user", "content": [
                { "type": "text", "text": "part one" },
                { "type": "image_url", "image_url": { "url": "https://example.com/a.png" } },
                { "type": "text", "text": long },
            ]},
            { "role": "assistant", "content": "ignored" },
        ],
    });
    let response = exchange(&server, post("/v1/chat/completions", &body.to_string()));
    let said: String = format!("part one {long}").chars().take(200).collect();
    assert_eq!(
        response.json()["choices"][0]["message"]["content"],
        format!("{DEFAULT_REPLY_PREFIX}{said}")
    );
    assert_eq!(response.json()["model"], DEFAULT_MODEL);
}

#[test]
fn invalid_chat_bodies_get_a_422_envelope() {
    let server = MockServer::start().unwrap();
    let cases = [
        (
            r#"{"model":"m"}"#,
            json!({ "type": "missing", "loc": ["body", "messages"], "msg": "Field required" }),
        ),
        (
            "not json",
            json!({ "type": "json_invalid", "loc": ["body"], "msg": "JSON decode error" }),
        ),
        (
            r#"{"messages":null}"#,
            json!({ "type": "list_type", "loc": ["body", "messages"], "msg": "Input should be a valid list" }),
        ),
    ];
    for (body, detail) in cases {
        let response = exchange(&server, post("/v1/chat/completions", body));
        assert_eq!(response.status, 422);
        assert_eq!(response.header("Content-Type"), Some("application/json"));
        let id = response.header("X-Request-Id").unwrap();
        assert_eq!(
            response.json(),
            json!({
                "error": {
                    "code": "validation_error",
                    "message": "Request validation failed.",
                    "details": [detail],
                },
                "request_id": id,
            })
        );
    }
    assert_eq!(server.requests().len(), 3);
    let valid = r#"{"messages":[]}"#;
    let response = exchange(&server, post("/v1/chat/completions", valid));
    assert_eq!(response.json()["id"], "chatcmpl-mock1");
    assert_eq!(
        response.json()["choices"][0]["message"]["content"],
        DEFAULT_REPLY_PREFIX
    );
}

#[test]
fn models_are_a_bare_array_like_the_fixture() {
    let server = MockServer::start().unwrap();
    let response = exchange(
        &server,
        "GET /v1/models HTTP/1.1\r\nContent-Type: application/json\r\n\r\n",
    );
    assert_eq!(response.status, 200);
    assert_eq!(response.header("Content-Type"), Some("application/json"));
    let fixture: Value = serde_json::from_str(
        r#"[
  {"id": "openai/gpt-4o-mini", "name": "GPT-4o Mini", "context_length": 128000, "is_free": false,
   "pricing": {"prompt_usd_per_1k": "0.000150", "completion_usd_per_1k": "0.000600",
 "image_usd_per_image": null, "discount_pct": null,
 "prompt_usd_per_1k_discounted": null, "completion_usd_per_1k_discounted": null},
   "description": "Affordable and intelligent small model for fast tasks"},
  {"id": "meta-llama/llama-3.3-70b-instruct:free", "name": "Llama 3.3 70B Instruct (free)",
   "context_length": 131072, "is_free": true,
   "pricing": {"prompt_usd_per_1k": "0", "completion_usd_per_1k": "0",
 "image_usd_per_image": null, "discount_pct": null,
 "prompt_usd_per_1k_discounted": null, "completion_usd_per_1k_discounted": null},
   "description": null}
]"#,
    )
    .unwrap();
    // The catalogue starts with the fixture's two models, every fixture field as sent there.
    let models = response.json();
    for (i, want) in fixture.as_array().unwrap().iter().enumerate() {
        for (key, value) in want.as_object().unwrap() {
            assert_eq!(&models[i][key], value, "model {i}, {key}");
        }
    }
}

#[test]
fn unrouted_requests_get_a_loud_500_naming_the_route() {
    let server = MockServer::start().unwrap();
    for (request, route) in [
        (get("/v1/nope?x=1"), "GET /v1/nope"),
        (get("/v1/chat/completions"), "GET /v1/chat/completions"),
        (post("/v1/models", "{}"), "POST /v1/models"),
    ] {
        let response = exchange(&server, request);
        assert_eq!(response.status, 500);
        let envelope = response.json();
        assert_eq!(envelope["error"]["code"], "mock_unrouted");
        assert_eq!(
            envelope["error"]["message"],
            format!("mock gateway: no route for {route} (enqueue a MockReply to script it)")
        );
        assert_eq!(
            envelope["request_id"],
            response.header("X-Request-Id").unwrap()
        );
    }
}

#[test]
fn scripted_replies_answer_in_fifo_order_then_defaults_resume() {
    let server = MockServer::start().unwrap();
    server.enqueue(MockReply::json(201, r#"{"n":1}"#));
    server.enqueue(MockReply::error(429, "rate_limit_exceeded", "Slow down.").retry_after(2));
    server.enqueue(MockReply::new(204).header("X-Test", "c"));
    let mut client = connect(&server);

    send(&mut client, post("/v1/chat/completions", "{}"));
    let first = read_response(&mut client);
    assert_eq!((first.status, first.body()), (201, r#"{"n":1}"#.to_owned()));

    send(&mut client, get("/v1/models"));
    let second = read_response(&mut client);
    assert_eq!(second.status, 429);
    assert_eq!(second.header("Retry-After"), Some("2"));
    assert_eq!(
        second.json(),
        json!({
            "error": { "code": "rate_limit_exceeded", "message": "Slow down.", "retry_after_seconds": 2 },
            "request_id": second.header("X-Request-Id").unwrap(),
        })
    );

    send(&mut client, get("/v1/anything"));
    let third = read_response(&mut client);
    assert_eq!(third.status, 204);
    assert_eq!(third.header("X-Test"), Some("c"));
    assert_eq!(third.header("Content-Length"), None);

    send(&mut client, get("/v1/models"));
    let fourth = read_response(&mut client);
    assert_eq!(fourth.status, 200);
    assert_eq!(fourth.json()[0]["id"], "openai/gpt-4o-mini");
    assert_eq!(server.connections(), 1);
}

#[test]
fn requests_are_recorded_with_content_length_and_chunked_bodies() {
    let server = MockServer::start().unwrap();
    let mut client = connect(&server);
    send(
        &mut client,
        "POST /v1/x?a=1&b=two HTTP/1.1\r\nX-Custom:  first \r\nx-custom: second\r\n\
         Content-Length: 5\r\n\r\nhello",
    );
    read_response(&mut client);
    send(
        &mut client,
        "PUT /v1/y HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\
         5;ext=1\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\nX-Trailer: t\r\n\r\n",
    );
    read_response(&mut client);

    let requests = server.requests();
    assert_eq!(
        requests[0],
        RecordedRequest {
            method: "POST".into(),
            path: "/v1/x".into(),
            query: "a=1&b=two".into(),
            headers: vec![
                ("X-Custom".into(), "first".into()),
                ("x-custom".into(), "second".into()),
                ("Content-Length".into(), "5".into()),
            ],
            body: b"hello".to_vec(),
        }
    );
    assert_eq!(requests[0].header("X-CUSTOM"), Some("first"));
    assert_eq!(requests[0].body_text(), "hello");
    assert_eq!(requests[0].body_json(), None);
    assert_eq!(
        requests[1],
        RecordedRequest {
            method: "PUT".into(),
            path: "/v1/y".into(),
            query: String::new(),
            headers: vec![("Transfer-Encoding".into(), "chunked".into())],
            body: br#"{"a": 1}"#.to_vec(),
        }
    );
    assert_eq!(requests[1].body_json(), Some(json!({ "a": 1 })));
}

#[test]
fn keep_alive_serves_many_requests_per_connection() {
    let server = MockServer::start().unwrap();
    let mut client = connect(&server);
    // Pipelined: both requests in one write.
    send(&mut client, get("/v1/models") + &get("/v1/nope"));
    assert_eq!(read_response(&mut client).status, 200);
    assert_eq!(read_response(&mut client).status, 500);
    send(
        &mut client,
        "GET /v1/models HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    let last = read_response(&mut client);
    assert_eq!(last.header("Connection"), Some("close"));
    assert_at_eof(&mut client);
    assert_eq!(server.connections(), 1);

    let old = exchange(&server, "GET /v1/models HTTP/1.0\r\n\r\n");
    assert_eq!(old.header("Connection"), Some("close"));
    assert_eq!(server.connections(), 2);

    let sdk = sdk_client(&server);
    let params = ChatCompletionParams::new(DEFAULT_MODEL, Vec::new());
    for _ in 0..3 {
        sdk.chat().completions().create(&params).unwrap();
    }
    assert_eq!(server.connections(), 3);
    assert_eq!(server.requests().len(), 7);
}

#[test]
fn delay_holds_back_the_status_line() {
    let server = MockServer::start().unwrap();
    server.enqueue(MockReply::json(200, "[]").delay(Duration::from_millis(200)));
    let started = Instant::now();
    let response = exchange(&server, get("/v1/models"));
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(response.body(), "[]");
}

#[test]
fn pause_flushes_the_previous_chunk_first() {
    let server = MockServer::start().unwrap();
    server.enqueue(
        MockReply::sse()
            .data("one")
            .pause(Duration::from_millis(300))
            .data("two")
            .done(),
    );
    let mut client = connect(&server);
    let started = Instant::now();
    send(&mut client, get("/v1/x"));
    let (status, _) = read_head(&mut client);
    assert_eq!(status, 200);
    assert_eq!(read_chunk(&mut client).unwrap(), b"data: one\n\n");
    assert!(started.elapsed() < Duration::from_millis(250));
    assert_eq!(read_chunk(&mut client).unwrap(), b"data: two\n\n");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(read_chunk(&mut client).unwrap(), b"data: [DONE]\n\n");
    assert_eq!(read_chunk(&mut client).unwrap(), b"");
}

#[test]
fn drop_connection_ends_the_body_without_its_terminating_chunk() {
    let server = MockServer::start().unwrap();
    server.enqueue(MockReply::sse().data("a").drop_connection().data("never"));
    server.enqueue(MockReply::json(200, "{}").drop_connection());

    let mut client = connect(&server);
    send(&mut client, get("/v1/x"));
    let stream = read_response(&mut client);
    assert_eq!(stream.chunks, [b"data: a\n\n".to_vec()]);
    assert!(!stream.complete);

    let json = exchange(&server, get("/v1/x"));
    assert_eq!(json.header("Transfer-Encoding"), Some("chunked"));
    assert_eq!(json.header("Content-Length"), None);
    assert_eq!(json.chunks, [b"{}".to_vec()]);
    assert!(!json.complete);

    let listed = sdk_client(&server)
        .request(Method::Get, "/v1/models")
        .send::<serde_json::Value>()
        .unwrap();
    assert_eq!(listed[0]["id"], "openai/gpt-4o-mini");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn hang_up_reads_the_request_then_closes_without_a_word() {
    let server = MockServer::start().unwrap();
    server.enqueue(MockReply::hang_up());
    let mut client = connect(&server);
    send(&mut client, post("/v1/chat/completions", "{}"));
    assert_at_eof(&mut client);
    assert_eq!(server.requests()[0].body, b"{}");
    assert_eq!(exchange(&server, get("/v1/models")).status, 200);
}

#[test]
fn close_delimited_bodies_end_when_the_connection_closes() {
    let server = MockServer::start().unwrap();
    server.enqueue(
        MockReply::sse()
            .data("1")
            .pause(Duration::from_millis(20))
            .data("2")
            .close_delimited(),
    );
    assert_eq!(
        raw_exchange(&server, get("/v1/x")),
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Mesh-Version: 2026-08\r\n\
         X-Request-Id: ID\r\nConnection: close\r\n\r\ndata: 1\n\ndata: 2\n\n"
    );
}

#[test]
fn byte_bodies_are_sent_with_content_length() {
    let server = MockServer::start().unwrap();
    server.enqueue(MockReply::json(201, r#"{"a":1}"#).header("X-Custom", "v"));
    server.enqueue(MockReply::new(599).raw("ab").raw("").raw("c"));
    let close = "GET /v1/x HTTP/1.1\r\nConnection: close\r\n\r\n";
    assert_eq!(
        raw_exchange(&server, close),
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Custom: v\r\n\
         X-Mesh-Version: 2026-08\r\nX-Request-Id: ID\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}"
    );
    assert_eq!(
        raw_exchange(&server, close),
        "HTTP/1.1 599 \r\nX-Mesh-Version: 2026-08\r\nX-Request-Id: ID\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
    );
}

#[test]
fn error_envelopes_carry_the_response_request_id() {
    let server = MockServer::start().unwrap();
    let reply = MockReply::error(503, "upstream_error", "Down.");
    server.enqueue(reply.clone());
    server.enqueue(reply.clone());
    server.enqueue(reply.clone().header("x-request-id", "req_01HZXYZ"));
    server.enqueue(reply.body("plain"));
    let mut client = connect(&server);
    let mut ids = Vec::new();
    for _ in 0..3 {
        send(&mut client, get("/v1/models"));
        let response = read_response(&mut client);
        assert_eq!(response.status, 503);
        let id = response.header("X-Request-Id").unwrap().to_owned();
        assert_eq!(response.json()["request_id"], id.as_str());
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
    assert_eq!(ids[2], "req_01HZXYZ");
    send(&mut client, get("/v1/models"));
    assert_eq!(read_response(&mut client).body(), "plain");
}

#[test]
fn malformed_requests_get_a_400_or_413_and_a_closed_connection() {
    let server = MockServer::start().unwrap();
    let big_head = format!(
        "GET /v1/models HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(70_000)
    );
    let cases: [(&[u8], u16); 15] = [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /v1/models HTTP/2.0\r\n\r\n", 400),
        (b"GET v1/models HTTP/1.1\r\n\r\n", 400),
        (b"GET /\xFF HTTP/1.1\r\n\r\n", 400),
        (b"GET /v1/models HTTP/1.1\r\nNo colon\r\n\r\n", 400),
        (b"GET /v1/models HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400),
        (b"POST /v1/x HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc", 400),
        (
            b"POST /v1/x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            400,
        ),
        (
            b"POST /v1/x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            400,
        ),
        (
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            400,
        ),
        (
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            400,
        ),
        (
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
            400,
        ),
        (big_head.as_bytes(), 400),
        (
            b"POST /v1/x HTTP/1.1\r\nContent-Length: 67108865\r\n\r\n",
            413,
        ),
        (
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4000001\r\n",
            413,
        ),
    ];
    for (request, status) in cases {
        let mut client = connect(&server);
        send(&mut client, request);
        let response = read_response(&mut client);
        let case = String::from_utf8_lossy(&request[..request.len().min(60)]);
        assert_eq!(response.status, status, "{case}");
        assert_eq!(response.header("Connection"), Some("close"), "{case}");
        let code = if status == 413 {
            "request_too_large"
        } else {
            "invalid_request"
        };
        assert_eq!(response.json()["error"]["code"], code, "{case}");
        assert_at_eof(&mut client);
    }
    assert!(server.requests().is_empty());
    assert_eq!(exchange(&server, get("/v1/models")).status, 200);
}

#[test]
fn expect_100_continue_is_answered_before_the_body() {
    let server = MockServer::start().unwrap();
    server.enqueue(MockReply::new(200));
    let mut client = connect(&server);
    send(
        &mut client,
        "POST /v1/x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
    );
    assert_eq!(read_head(&mut client).0, 100);
    send(&mut client, "hello");
    assert_eq!(read_response(&mut client).status, 200);
    assert_eq!(server.requests()[0].body, b"hello");
}

#[test]
fn request_ids_are_ulid_like_and_unique() {
    let ids: HashSet<String> = (0..1000).map(|_| mint_request_id()).collect();
    assert_eq!(ids.len(), 1000);
    for id in &ids {
        assert_request_id(id);
    }
}

#[test]
fn cost_is_a_trimmed_decimal_string() {
    assert_eq!(cost(0, 0), "0");
    assert_eq!(cost(14, 7), "0.0000063");
    assert_eq!(cost(2_000_000, 1_000_000), "0.9");
    assert_eq!(cost(10_000_000, 0), "1.5");
    assert_eq!(cost(usize::MAX, usize::MAX), "18446744073.709551615");
}

#[test]
fn dropping_the_server_stops_accepting_and_closes_connections() {
    let server = MockServer::start().unwrap();
    let addr = server.addr();
    server.enqueue(MockReply::sse().data("x").pause(Duration::from_secs(30)));
    let mut streaming = connect(&server);
    send(&mut streaming, get("/v1/x"));
    read_head(&mut streaming);
    assert_eq!(read_chunk(&mut streaming).unwrap(), b"data: x\n\n");
    let mut idle = connect(&server);
    send(&mut idle, get("/v1/models"));
    read_response(&mut idle);

    let started = Instant::now();
    drop(server);
    assert_eq!(read_chunk(&mut streaming), None);
    assert_at_eof(&mut idle);
    assert!(started.elapsed() < Duration::from_millis(500));
    if let Ok(stream) = TcpStream::connect(addr) {
        let mut late = BufReader::new(stream);
        late.get_ref()
            .set_read_timeout(Some(Duration::from_secs(1)))
            .unwrap();
        assert_at_eof(&mut late);
    }
}

#[test]
fn concurrent_clients_and_a_poisoned_lock_are_fine() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<MockServer>();

    let server = MockServer::start().unwrap();
    let poisoner = thread::scope(|scope| {
        scope
            .spawn(|| {
                let _guard = server.shared.queue.lock();
                panic!("poisoning the queue on purpose");
            })
            .join()
    });
    assert!(poisoner.is_err());

    let sdk = sdk_client(&server);
    let params = ChatCompletionParams::new(DEFAULT_MODEL, vec![ChatMessage::user("hey")]);
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..5 {
                    // accumulate() fails unless the stream ends in [DONE].
                    let reply = sdk.chat().completions().stream(&params).accumulate();
                    assert_eq!(
                        reply.unwrap().choices[0].message.content.as_deref(),
                        Some(format!("{DEFAULT_REPLY_PREFIX}hey").as_str())
                    );
                }
            });
        }
    });
    let requests = server.requests();
    assert_eq!(requests.len(), 20);
    server.enqueue(MockReply::new(202));
    assert_eq!(exchange(&server, get("/v1/x")).status, 202);
}
