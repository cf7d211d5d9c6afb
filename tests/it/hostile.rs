//! Hostile servers: heads and bodies that come late, trickle, stall, break off, lie about their
//! encoding, or stay open after the stream is over. Each test bounds the call from outside (see
//! [`within`]), so a client that hangs fails at the bound instead of sitting out the mock's
//! 30 s pauses.
//!
//! Time assertions are loose on purpose: upper bounds are many times the configured limit, and
//! lower bounds only ever say that a limit did not fire before it was due.

use std::error::Error as _;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use meshapi::mock::{MockReply, MockServer};
use meshapi::sse::SseDecoder;
use meshapi::types::models::ListModelsParams;
use meshapi::{ChatCompletionChunk, Client, ClientBuilder, ErrorCode, MeshApiError, Method};
use serde_json::json;

use crate::common::{self, chunk};

/// Far longer than any bound below: a client still waiting when it ends has hung.
const LONG: Duration = Duration::from_secs(30);

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .token("rsk_test")
        .base_url(server.url())
        .retry_base_delay(Duration::from_millis(1))
}

/// Runs `f` on a thread of its own and gives it `limit`, returning its result and how long it
/// took. A call that overruns fails the test there; its thread is left behind and ends once the
/// test drops the server. A panic inside `f` is reported as such, not as a timeout.
fn within<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> (T, Duration) {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let started = Instant::now();
        let value = f();
        let _ = tx.send((value, started.elapsed()));
    });
    match rx.recv_timeout(limit) {
        Ok(done) => done,
        Err(RecvTimeoutError::Timeout) => panic!("the call did not return within {limit:?}"),
        Err(RecvTimeoutError::Disconnected) => panic!("the call panicked"),
    }
}

fn stream_all(client: &Client) -> Result<Vec<ChatCompletionChunk>, MeshApiError> {
    client
        .chat()
        .completions()
        .stream(&common::params())
        .collect()
}

/// A chat stream, bounded by `limit`.
fn stream_within(
    client: &Client,
    limit: Duration,
) -> (Result<Vec<ChatCompletionChunk>, MeshApiError>, Duration) {
    let client = client.clone();
    within(limit, move || stream_all(&client))
}

/// A raw request, bounded by `limit`.
fn json_within(
    client: &Client,
    limit: Duration,
    method: Method,
    path: &'static str,
    body: Option<serde_json::Value>,
) -> (Result<serde_json::Value, MeshApiError>, Duration) {
    let client = client.clone();
    within(limit, move || {
        let request = client.request(method, path);
        match &body {
            Some(body) => request.json(body),
            None => request,
        }
        .send::<serde_json::Value>()
    })
}

fn get_models_within(
    client: &Client,
    limit: Duration,
) -> (Result<serde_json::Value, MeshApiError>, Duration) {
    json_within(client, limit, Method::Get, "/v1/models", None)
}

fn post_moderation_within(
    client: &Client,
    limit: Duration,
) -> (Result<serde_json::Value, MeshApiError>, Duration) {
    let body = json!({"input": "x"});
    json_within(client, limit, Method::Post, "/v1/moderations", Some(body))
}

/// Appends `count` parts of one byte each, `every` apart: every read succeeds, yet the body
/// never ends in any time a test can wait.
fn trickle(mut reply: MockReply, byte: u8, count: usize, every: Duration) -> MockReply {
    for _ in 0..count {
        reply = reply.raw(vec![byte]).pause(every);
    }
    reply
}

fn json_head(status: u16) -> MockReply {
    MockReply::new(status).header("Content-Type", "application/json")
}

/// Whether `word` occurs in `text` as a word of its own: "br" must not be found in "broke".
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(word))
}

// ---------------------------------------------------------------------------------------------
// 1. Opening a stream is bounded by `timeout`; its body by `stream_idle_timeout`.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_stream_head_later_than_the_idle_limit_but_within_timeout_opens() {
    let server = common::mock();
    let client = builder(&server)
        .timeout(Duration::from_secs(5))
        .stream_idle_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    server.enqueue(
        MockReply::sse()
            .data(&chunk("late"))
            .done()
            .delay(Duration::from_secs(1)),
    );
    let (result, elapsed) = stream_within(&client, Duration::from_secs(10));
    let chunks = result.expect("waiting for the head is the timeout's job, not the idle limit's");
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].choices[0].delta.content.as_deref(), Some("late"));
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_stream_silent_between_frames_fails_at_the_idle_limit() {
    let server = common::mock();
    // A timeout far above the bound: only the idle limit can end this in time.
    let client = builder(&server)
        .timeout(Duration::from_secs(20))
        .stream_idle_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    server.enqueue(
        MockReply::sse()
            .data(&chunk("a"))
            .pause(LONG)
            .data(&chunk("b"))
            .done(),
    );
    let (items, elapsed) = within(Duration::from_secs(5), move || {
        let mut stream = client.chat().completions().stream(&common::params());
        (stream.next(), stream.next(), stream.next().is_none())
    });
    let (first, second, fused) = items;
    assert!(first.unwrap().is_ok());
    let err = second.unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Timeout);
    assert_eq!(err.status(), None);
    assert!(fused, "nothing after the error");
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_stream_whose_head_never_comes_fails_at_the_timeout() {
    let server = common::mock();
    // An idle limit far above the bound: only the timeout can end this in time.
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .stream_idle_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    server.enqueue(MockReply::sse().data(&chunk("never")).done().delay(LONG));
    let (result, elapsed) = stream_within(&client, Duration::from_secs(5));
    let err = result.unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Timeout);
    assert_eq!(err.status(), None);
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert_eq!(server.requests().len(), 1, "streams are never retried");
}

// ---------------------------------------------------------------------------------------------
// 2. A stream that never opens: its error body is read within the timeout, and at most 64 KiB.
// ---------------------------------------------------------------------------------------------

const CUT_ENVELOPE: &str = r#"{"error":{"code":"upstream_error","#;

fn assert_cut_500(result: Result<Vec<ChatCompletionChunk>, MeshApiError>) {
    let err = result.unwrap_err();
    assert_eq!(err.status(), Some(500));
    // The JSON never completed, so its code is unknown and the status decides.
    assert_eq!(err.code(), &ErrorCode::UpstreamError, "{err}");
    assert!(
        err.message().contains("upstream_error"),
        "{}",
        err.message()
    );
}

#[test]
fn a_stalling_500_on_a_stream_keeps_its_status_and_what_was_read() {
    let server = common::mock();
    let client = builder(&server)
        .timeout(Duration::from_millis(500))
        .stream_idle_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    server.enqueue(
        json_head(500)
            .raw(CUT_ENVELOPE)
            .pause(LONG)
            .raw(r#""message":"late"}}"#),
    );
    let (result, elapsed) = stream_within(&client, Duration::from_secs(5));
    assert_cut_500(result);
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_500_trickling_a_byte_at_a_time_on_a_stream_is_bounded_by_the_timeout() {
    let server = common::mock();
    // Every read succeeds well within the idle limit: only a deadline on the whole error body
    // can stop this before the minute of trickle is over.
    let client = builder(&server)
        .timeout(Duration::from_secs(1))
        .stream_idle_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    server.enqueue(trickle(
        json_head(500).raw(CUT_ENVELOPE),
        b' ',
        600,
        Duration::from_millis(100),
    ));
    let (result, _) = stream_within(&client, Duration::from_secs(6));
    assert_cut_500(result);
    assert_eq!(server.requests().len(), 1);
}

const CUT_COMPLETION: &str = r#"{"id":"chatcmpl-cut","object":"#;

fn assert_json_instead_of_stream(result: Result<Vec<ChatCompletionChunk>, MeshApiError>) {
    let err = result.unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError, "{err}");
    assert_eq!(err.status(), Some(200));
    assert!(err.message().contains("event stream"), "{}", err.message());
    assert!(
        err.message().contains("chatcmpl-cut"),
        "quotes the bytes that were read: {}",
        err.message()
    );
}

#[test]
fn a_stalling_json_200_on_a_stream_is_a_parse_error_quoting_what_was_read() {
    let server = common::mock();
    let client = builder(&server)
        .timeout(Duration::from_millis(500))
        .stream_idle_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    server.enqueue(
        json_head(200)
            .raw(CUT_COMPLETION)
            .pause(LONG)
            .raw(r#""chat.completion"}"#),
    );
    let (result, _) = stream_within(&client, Duration::from_secs(5));
    assert_json_instead_of_stream(result);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_json_200_trickling_on_a_stream_is_bounded_by_the_timeout() {
    let server = common::mock();
    let client = builder(&server)
        .timeout(Duration::from_secs(1))
        .stream_idle_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    server.enqueue(trickle(
        json_head(200).raw(CUT_COMPLETION),
        b' ',
        600,
        Duration::from_millis(100),
    ));
    let (result, _) = stream_within(&client, Duration::from_secs(6));
    assert_json_instead_of_stream(result);
    assert_eq!(server.requests().len(), 1);
}

/// 1 MiB of error body, then a server that keeps the connection open.
fn huge_500() -> MockReply {
    MockReply::new(500)
        .header("Content-Type", "text/plain")
        .raw(vec![b'x'; 1 << 20])
        .pause(LONG)
        .raw("x")
}

fn assert_capped(err: &MeshApiError) {
    assert_eq!(err.status(), Some(500));
    // The cap cut it, not the server: the same rule as a whole body that is not JSON.
    assert_eq!(err.code(), &ErrorCode::ParseError, "{err}");
    assert!(err.message().contains("xxx"), "{}", err.message());
    assert!(
        err.message().chars().count() <= 600,
        "{} chars",
        err.message().chars().count()
    );
}

#[test]
fn an_error_body_is_read_up_to_its_cap_and_no_further() {
    let server = common::mock();
    // Limits far above the bound: returning in time means the client stopped at the cap.
    let client = builder(&server)
        .timeout(Duration::from_secs(20))
        .stream_idle_timeout(Duration::from_secs(20))
        .max_retries(0)
        .build()
        .unwrap();

    server.enqueue(huge_500());
    let (result, _) = stream_within(&client, Duration::from_secs(5));
    assert_capped(&result.unwrap_err());

    server.enqueue(huge_500());
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    assert_capped(&result.unwrap_err());
    assert_eq!(server.requests().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// 3. After [DONE] the stream is over, whatever the server does with the connection.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_body_held_open_after_done_does_not_hold_the_stream() {
    let server = common::mock();
    // Default timeouts (60 s): a client that waits for the body to end sits out the pause.
    let client = builder(&server).build().unwrap();
    server.enqueue(MockReply::sse().data(&chunk("a")).done().pause(LONG));
    let (result, _) = stream_within(&client, Duration::from_secs(5));
    assert_eq!(result.unwrap().len(), 1);

    // The held-open connection cannot be reused; the next request must open its own.
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    assert!(result.unwrap().is_array());
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn bytes_trickling_after_done_do_not_hold_the_stream() {
    let server = common::mock();
    let client = builder(&server).build().unwrap();
    let mut reply = MockReply::sse().data(&chunk("a")).done();
    for _ in 0..300 {
        reply = reply.raw(": x\n").pause(Duration::from_millis(100));
    }
    server.enqueue(reply);
    let (result, _) = stream_within(&client, Duration::from_secs(5));
    assert_eq!(result.unwrap().len(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_client_stays_usable_after_a_finished_stream() {
    let server = common::mock();
    let client = builder(&server).build().unwrap();
    server.enqueue(MockReply::sse().data(&chunk("a")).done());
    let (result, _) = stream_within(&client, Duration::from_secs(5));
    assert_eq!(result.unwrap().len(), 1);
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    assert!(result.unwrap().is_array());
    let (result, _) = stream_within(&client, Duration::from_secs(5));
    assert!(!result.unwrap().is_empty(), "the default route's stream");
    assert_eq!(server.requests().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// 4. An error body that breaks off keeps its status; the cut decides nothing but the message.
// ---------------------------------------------------------------------------------------------

const CUT_400: &str = r#"{"error":{"code":"bad_thing","mess"#;

fn assert_cut_400(err: &MeshApiError) {
    assert_eq!(err.status(), Some(400));
    // "bad_thing" never arrived whole, so the status table's code stands.
    assert_eq!(err.code(), &ErrorCode::InvalidRequest, "{err}");
    assert!(err.message().contains("cut"), "{}", err.message());
    assert!(err.message().contains("bad_thing"), "{}", err.message());
    assert!(err.source().is_some(), "the read error is kept");
}

#[test]
fn an_error_body_cut_by_a_dropped_connection_keeps_status_and_code() {
    let server = common::mock();
    let client = builder(&server).max_retries(0).build().unwrap();
    server.enqueue(json_head(400).raw(CUT_400).drop_connection());
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    assert_cut_400(&result.unwrap_err());
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn an_error_body_cut_by_the_timeout_keeps_status_and_code() {
    let server = common::mock();
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    server.enqueue(json_head(400).raw(CUT_400).pause(LONG).raw(r#"age":"x"}}"#));
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    assert_cut_400(&result.unwrap_err());
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 5. Reading a success body is part of the attempt: a GET that breaks off is retried; a POST,
//    which may have been billed, is not.
// ---------------------------------------------------------------------------------------------

fn cut_list() -> MockReply {
    json_head(200).raw(r#"[{"id":"#).drop_connection()
}

fn stalled_list() -> MockReply {
    json_head(200).raw(r#"[{"id":"#).pause(LONG).raw("1}]")
}

#[test]
fn a_get_whose_body_breaks_off_is_retried() {
    let server = common::mock();
    let client = builder(&server).max_retries(2).build().unwrap();
    server.enqueue(cut_list());
    server.enqueue(MockReply::json(200, "[]"));
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    assert_eq!(result.unwrap(), json!([]));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method == "GET"));
}

#[test]
fn a_get_whose_body_always_breaks_off_fails_after_its_retries() {
    let server = common::mock();
    let client = builder(&server).max_retries(2).build().unwrap();
    for _ in 0..3 {
        server.enqueue(cut_list());
    }
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    let err = result.unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Connection, "{err}");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_get_whose_body_stalls_past_the_timeout_is_retried() {
    let server = common::mock();
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .max_retries(2)
        .build()
        .unwrap();
    server.enqueue(stalled_list());
    server.enqueue(MockReply::json(200, "[]"));
    let (result, elapsed) = get_models_within(&client, Duration::from_secs(5));
    assert_eq!(result.unwrap(), json!([]));
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_post_whose_body_breaks_off_is_not_repeated() {
    let server = common::mock();
    let client = builder(&server).max_retries(3).build().unwrap();
    server.enqueue(json_head(200).raw(r#"{"id":"#).drop_connection());
    // Would answer a wrong retry, turning the error into a success.
    server.enqueue(MockReply::json(200, "{}"));
    let (result, _) = post_moderation_within(&client, Duration::from_secs(5));
    let err = result.unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Connection, "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_post_whose_body_stalls_past_the_timeout_is_not_repeated() {
    let server = common::mock();
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .max_retries(3)
        .build()
        .unwrap();
    server.enqueue(json_head(200).raw(r#"{"id":"#).pause(LONG).raw("1}"));
    server.enqueue(MockReply::json(200, "{}"));
    let (result, _) = post_moderation_within(&client, Duration::from_secs(5));
    let err = result.unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Timeout, "{err}");
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 6. `timeout` bounds one attempt, not the call with its retries (a documented decision).
// ---------------------------------------------------------------------------------------------

#[test]
fn the_timeout_bounds_each_attempt_not_the_whole_call() {
    let server = common::mock();
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .max_retries(2)
        .build()
        .unwrap();
    for _ in 0..3 {
        server.enqueue(MockReply::json(200, "[]").delay(LONG));
    }
    let (result, elapsed) = get_models_within(&client, Duration::from_secs(15));
    let err = result.unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Timeout);
    assert_eq!(
        server.requests().len(),
        3,
        "every attempt got its own 300 ms"
    );
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// 7. Compressed bodies: the client asks for none and decodes none, so it must say so instead of
//    quoting binary as if it were the server's words.
// ---------------------------------------------------------------------------------------------

/// A gzip header and some bytes that are not a valid deflate stream.
const GZIP: &[u8] = &[
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xab, 0x56, 0xca, 0xff, 0x03,
];

#[test]
fn a_gzip_success_body_is_refused_by_name() {
    let server = common::mock();
    let client = builder(&server).build().unwrap();
    server.enqueue(json_head(200).header("Content-Encoding", "gzip").body(GZIP));
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    let err = result.unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError, "{err}");
    assert_eq!(err.status(), Some(200));
    assert!(err.message().contains("gzip"), "{}", err.message());
    assert_eq!(
        server.requests().len(),
        1,
        "a decoding problem is not retried"
    );
}

#[test]
fn a_brotli_stream_is_refused_by_name() {
    let server = common::mock();
    let client = builder(&server).build().unwrap();
    server.enqueue(
        MockReply::sse()
            .header("Content-Encoding", "br")
            .raw(vec![0x1b, 0x03, 0x00, 0xf8, 0xa5, 0x40, 0x82, 0x9c, 0xff]),
    );
    let (first, _) = within(Duration::from_secs(5), move || {
        client.chat().completions().stream(&common::params()).next()
    });
    let err = first.expect("an item").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError, "{err}");
    assert!(has_word(err.message(), "br"), "{}", err.message());
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_gzip_error_body_keeps_its_status_and_names_the_encoding() {
    let server = common::mock();
    let client = builder(&server).max_retries(0).build().unwrap();
    server.enqueue(json_head(503).header("Content-Encoding", "gzip").body(GZIP));
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    let err = result.unwrap_err();
    assert_eq!(err.status(), Some(503));
    // Either reading is defensible: the body could not be parsed, or the status decides as for
    // any body that says nothing readable.
    assert!(
        matches!(err.code(), ErrorCode::ParseError | ErrorCode::UpstreamError),
        "{err}"
    );
    assert!(err.message().contains("gzip"), "{}", err.message());
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 8. The last event id is the id of the last event dispatched, not of the last line read.
// ---------------------------------------------------------------------------------------------

#[test]
fn an_event_cut_off_by_eof_does_not_set_the_last_event_id() {
    let mut decoder = SseDecoder::new(&b"id: 1\ndata: a\n\nid: 2\ndata: b"[..]);
    let events: Vec<_> = decoder.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].data.as_str(), events[0].id.as_str()), ("a", "1"));
    // A reconnecting client resumes after the last event it was given: event 2 never was.
    assert_eq!(decoder.last_event_id(), "1");
}

#[test]
fn an_event_without_data_still_sets_the_last_event_id() {
    let mut decoder = SseDecoder::new(&b"id: 7\n\n"[..]);
    assert!(
        decoder
            .by_ref()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .is_empty()
    );
    assert_eq!(decoder.last_event_id(), "7");
}

// ---------------------------------------------------------------------------------------------
// 9. OpenAI-compatible gateways (LiteLLM and the like) answer in OpenAI's shapes.
// ---------------------------------------------------------------------------------------------

#[test]
fn numeric_string_codes_map_by_the_status_table() {
    let server = common::mock();
    let client = builder(&server).max_retries(0).build().unwrap();
    server.enqueue(MockReply::json(
        401,
        r#"{"error":{"message":"Invalid key","type":"auth_error","param":null,"code":"401"}}"#,
    ));
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    let err = result.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), &ErrorCode::Unauthorized, "{err}");
    assert_eq!(err.message(), "Invalid key");

    server.enqueue(MockReply::json(
        429,
        r#"{"error":{"message":"slow down","type":"rate_limit","code":"429"}}"#,
    ));
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    let err = result.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.code(), &ErrorCode::RateLimitExceeded, "{err}");
    assert_eq!(err.message(), "slow down");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn an_openai_shaped_model_list_decodes() {
    let server = common::mock();
    let client = builder(&server).build().unwrap();
    server.enqueue(MockReply::json(
        200,
        r#"{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1686935002,"owned_by":"openai"}]}"#,
    ));
    let models = client
        .models()
        .list(&ListModelsParams::new())
        .expect("an OpenAI model list");
    assert_eq!(models.len(), 1);
    assert_eq!(models[0].id, "gpt-4o");
    assert_eq!(server.requests()[0].path, "/v1/models");
}

#[test]
fn an_openai_shaped_model_decodes() {
    let server = common::mock();
    let client = builder(&server).build().unwrap();
    server.enqueue(MockReply::json(
        200,
        r#"{"id":"gpt-4o","object":"model","created":1686935002,"owned_by":"openai"}"#,
    ));
    let model = client
        .models()
        .get("gpt-4o")
        .expect("an OpenAI model object");
    assert_eq!(model.id, "gpt-4o");
    assert_eq!(server.requests()[0].path, "/v1/models/gpt-4o");
}

// ---------------------------------------------------------------------------------------------
// 10. Retry-After values no sane server sends must not panic the client.
// ---------------------------------------------------------------------------------------------

#[test]
fn an_absurd_retry_after_does_not_panic() {
    for value in [
        "10000000000000000000",
        "18446744073709551616",
        "1e300",
        "-1",
        "NaN",
        "inf",
    ] {
        let server = common::mock();
        let client = builder(&server)
            .retry_max_delay(Duration::MAX)
            .max_retries(0)
            .build()
            .unwrap();
        server.enqueue(
            MockReply::error(429, "rate_limit_exceeded", "slow down").header("Retry-After", value),
        );
        let (result, _) = get_models_within(&client, Duration::from_secs(5));
        let err = result.unwrap_err();
        assert_eq!(err.status(), Some(429), "{value}");
        assert_eq!(err.code(), &ErrorCode::RateLimitExceeded, "{value}");
        assert_eq!(server.requests().len(), 1, "{value}");
    }
}

#[test]
fn an_absurd_retry_after_is_capped_by_retry_max_delay() {
    let server = common::mock();
    let client = builder(&server)
        .retry_max_delay(Duration::from_millis(50))
        .max_retries(1)
        .build()
        .unwrap();
    server.enqueue(
        MockReply::error(429, "rate_limit_exceeded", "slow down")
            .header("Retry-After", "10000000000000000000"),
    );
    let (result, _) = get_models_within(&client, Duration::from_secs(5));
    assert!(
        result.unwrap().is_array(),
        "the retry met the default route"
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn timeouts_of_duration_max_mean_no_limit_and_do_not_panic() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .timeout(Duration::MAX)
        .stream_idle_timeout(Duration::MAX)
        .retry_base_delay(Duration::MAX)
        .retry_max_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    mock.enqueue(MockReply::error(503, "upstream_error", "again"));
    let (models, _) = get_models_within(&client, Duration::from_secs(5));
    assert!(models.unwrap().is_array());
    let (chunks, _) = stream_within(&client, Duration::from_secs(5));
    assert!(!chunks.unwrap().is_empty());
    assert_eq!(mock.requests().len(), 3);
}

#[test]
fn bodies_read_whole_stop_at_max_body_size() {
    use meshapi::types::audio::SpeechParams;

    let mock = common::mock();
    let client = common::builder(&mock).max_body_size(1024).build().unwrap();
    mock.enqueue(MockReply::json(200, format!("[\"{}\"]", "x".repeat(2000))));
    let (err, _) = get_models_within(&client, Duration::from_secs(5));
    let err = err.unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert!(err.message().contains("larger than 1024 bytes"), "{err}");
    // At the limit exactly, the body is read.
    mock.enqueue(MockReply::json(200, format!("[\"{}\"]", "x".repeat(1020))));
    assert!(get_models_within(&client, Duration::from_secs(5)).0.is_ok());

    mock.enqueue(
        MockReply::new(200)
            .header("Content-Type", "audio/wav")
            .body(vec![7u8; 4096]),
    );
    let err = client
        .audio()
        .speech()
        .create(&SpeechParams::new("hi"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert!(err.message().contains("larger than 1024 bytes"), "{err}");
    // Read as a stream, the same audio has no cap.
    mock.enqueue(
        MockReply::new(200)
            .header("Content-Type", "audio/wav")
            .body(vec![7u8; 4096]),
    );
    let mut audio = client
        .audio()
        .speech()
        .stream(&SpeechParams::new("hi"))
        .unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut audio, &mut bytes).unwrap();
    assert_eq!(bytes.len(), 4096);
}
