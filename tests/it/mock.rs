//! The mock gateway's default routes answer bodies of the wrong shape with an HTTP error, never
//! by dying mid-request (a panicking route would drop the connection); the same goes for raw
//! requests whose lengths, sizes and delays are as large as their types allow.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use meshapi::Method;
use meshapi::mock::{MockReply, MockServer};
use meshapi::types::audio::SpeechParams;
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

/// Sends `request` on a fresh connection and returns everything the mock answers until it
/// closes, or what arrived before `wait` passed without a byte.
fn raw(mock: &MockServer, request: &[u8], wait: Duration) -> (String, bool) {
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let mut chunk = [0; 4096];
    let closed = loop {
        match stream.read(&mut chunk) {
            Ok(0) => break true,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break false;
            }
            // A reset after the answer still counts as closed.
            Err(_) => break true,
        }
    };
    (String::from_utf8_lossy(&answer).into_owned(), closed)
}

fn status_of(answer: &str) -> Option<u16> {
    answer.split(' ').nth(1)?.parse().ok()
}

#[test]
fn extreme_lengths_get_a_413_or_400_and_the_server_lives_on() {
    let mock = common::mock();
    let long_chunk_line = format!(
        "POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{}1\r\n",
        "0".repeat(70_000)
    );
    let long_header = format!(
        "GET /v1/models HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let cases: [(&[u8], u16); 7] = [
        // u64::MAX, and one more, which no integer type of the parser holds.
        (
            b"POST /v1/x HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n",
            413,
        ),
        (
            b"POST /v1/x HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n",
            413,
        ),
        (
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n",
            413,
        ),
        (
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\n",
            413,
        ),
        // A first chunk under the limit, then one whose size would carry the body past it.
        (
            b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n4000000\r\n",
            413,
        ),
        (long_chunk_line.as_bytes(), 400),
        (long_header.as_bytes(), 400),
    ];
    for (request, status) in cases {
        let (answer, closed) = raw(&mock, request, Duration::from_secs(5));
        let case = String::from_utf8_lossy(&request[..request.len().min(80)]);
        assert_eq!(status_of(&answer), Some(status), "{case}: {answer}");
        assert!(closed, "{case}");
    }
    // Leading zeros are not an overflow.
    let (answer, _) = raw(
        &mock,
        b"POST /v1/x HTTP/1.1\r\nConnection: close\r\nContent-Length: 000000000000000000000002\r\n\r\nhi",
        Duration::from_secs(5),
    );
    assert_eq!(status_of(&answer), Some(500), "{answer}");
    assert_eq!(mock.requests()[0].body, b"hi");
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    assert!(
        client
            .request(Method::Get, "/v1/models")
            .send::<serde_json::Value>()
            .is_ok()
    );
}

#[test]
fn a_delay_longer_than_the_clock_holds_the_reply_until_the_server_stops() {
    let mock = common::mock();
    mock.enqueue(MockReply::json(200, "{}").delay(Duration::MAX));
    mock.enqueue(
        MockReply::sse()
            .data("one")
            .pause(Duration::MAX)
            .data("never"),
    );
    let open = |n: usize| {
        let mut stream = TcpStream::connect(mock.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream.write_all(b"GET /v1/x HTTP/1.1\r\n\r\n").unwrap();
        // The replies are handed out in arrival order.
        let started = Instant::now();
        while mock.requests().len() < n && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        stream
    };
    let mut delayed = open(1);
    let mut paused = open(2);
    let mut head = [0; 12];
    paused.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    // A connection thread that panicked would close its socket (after printing the panic,
    // which can take a while), so give it time to.
    std::thread::sleep(Duration::from_secs(1));
    for stream in [&mut delayed, &mut paused] {
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let mut rest = Vec::new();
        let err = stream.read_to_end(&mut rest).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "{err}"
        );
        assert!(!String::from_utf8_lossy(&rest).contains("never"));
    }
    let started = Instant::now();
    drop(mock);
    for stream in [&mut delayed, &mut paused] {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        assert!(!String::from_utf8_lossy(&rest).contains("never"));
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_video_duration_of_u64_max_saturates_the_usage() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    let body = json!({"model": "m", "content": [], "duration": u64::MAX});
    let task = client
        .request(Method::Post, "/v1/video/generations")
        .json(&body)
        .send::<serde_json::Value>()
        .unwrap();
    let path = format!("/v1/video/generations/{}", task["id"].as_str().unwrap());
    client
        .request(Method::Get, &path)
        .send::<serde_json::Value>()
        .unwrap();
    let done = client
        .request(Method::Get, &path)
        .send::<serde_json::Value>()
        .unwrap();
    assert_eq!(done["status"], "succeeded");
    assert_eq!(done["usage"]["completion_tokens"], u64::MAX);
}

#[test]
fn a_body_sized_speech_input_and_2049_embedding_inputs_are_bounded() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    let input = "a".repeat(1024 * 1024);
    let audio = client
        .audio()
        .speech()
        .create(&SpeechParams::new(input))
        .unwrap();
    assert_eq!(
        audio.len(),
        44 + 64 * 64 * 1024,
        "only the first 64 KiB is voiced"
    );
    let body = json!({"input": vec!["x"; 2049]});
    let err = client
        .request(Method::Post, "/v1/embeddings")
        .json(&body)
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
}
