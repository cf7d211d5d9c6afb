//! Streams over the wire: framing, endings, errors, timeouts, limits, connection handling.

use std::error::Error as _;
use std::time::Duration;

use meshapi::ErrorCode;
use meshapi::mock::MockReply;

use crate::common::{self, chunk, collect_text};

#[test]
fn the_default_stream_arrives_in_order_and_ends_with_usage() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut stream = client.chat().completions().stream(&common::params());
    assert!(stream.request_id().is_some_and(|id| id.starts_with("req_")));
    let chunks: Vec<_> = stream.by_ref().collect::<Result<_, _>>().unwrap();
    assert!(stream.next().is_none(), "fused after [DONE]");
    let text: String = chunks
        .iter()
        .flat_map(|c| c.choices.iter().filter_map(|ch| ch.delta.content.clone()))
        .collect();
    assert!(
        text.starts_with("Hello from the MeshAPI mock gateway!"),
        "{text}"
    );
    assert!(text.ends_with("What is 2 + 2?"), "{text}");
    assert_eq!(
        chunks[0].choices[0].delta.role.as_deref(),
        Some("assistant")
    );
    let last = chunks.last().unwrap();
    assert!(last.choices.is_empty());
    assert!(last.usage.is_some());
    assert!(
        last.cost
            .as_deref()
            .is_some_and(|c| c.parse::<f64>().is_ok())
    );
    let finish = &chunks[chunks.len() - 2].choices[0];
    assert_eq!(finish.finish_reason.as_deref(), Some("stop"));

    let request = &mock.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    assert_eq!(request.body_json().unwrap()["stream"], true);
}

#[test]
fn accumulate_joins_the_stream_into_the_same_reply_as_create() {
    let mock = common::mock();
    let client = common::client(&mock);
    let whole = client
        .chat()
        .completions()
        .stream(&common::params())
        .accumulate()
        .unwrap();
    let created = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert_eq!(
        whole.choices[0].message.content,
        created.choices[0].message.content
    );
    assert_eq!(whole.choices[0].finish_reason.as_deref(), Some("stop"));
    assert!(whole.usage.is_some() && whole.cost.is_some());
}

/// Streams a scripted reply and returns the joined text or the error.
fn stream_text(reply: MockReply) -> Result<String, meshapi::MeshApiError> {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(reply);
    collect_text(client.chat().completions().stream(&common::params()))
}

#[test]
fn crlf_lone_cr_and_missing_space_framings_decode_alike() {
    let a = chunk("a");
    let b = chunk("b");
    let framings = [
        format!("data: {a}\r\n\r\ndata: {b}\r\n\r\ndata: [DONE]\r\n\r\n"),
        format!("data: {a}\r\rdata: {b}\r\rdata: [DONE]\r\r"),
        format!("data:{a}\n\ndata:{b}\n\ndata:[DONE]\n\n"),
        format!(
            "\u{feff}data: {a}\n\n: keep-alive\n\n:another comment\nevent: message\nid: 7\nretry: 100\ndata: {b}\n\ndata: [DONE]\n\n"
        ),
    ];
    for framing in framings {
        assert_eq!(
            stream_text(MockReply::sse().raw(framing.clone())).unwrap(),
            "ab",
            "{framing:?}"
        );
    }
}

#[test]
fn frames_split_across_network_reads_are_reassembled() {
    let frames = format!(
        "data: {}\r\n\r\ndata: {}\r\n\r\ndata: [DONE]\r\n\r\n",
        chunk("é€"),
        chunk("😀")
    );
    let bytes = frames.as_bytes();
    // Split inside "data", between CR and LF, and inside multi-byte characters.
    let mut cuts: Vec<usize> = vec![2];
    cuts.push(frames.find("\r\n").unwrap() + 1);
    cuts.push(frames.find('€').unwrap() + 1);
    cuts.push(frames.find('😀').unwrap() + 2);
    cuts.sort_unstable();
    let mut reply = MockReply::sse();
    let mut start = 0;
    for cut in cuts {
        reply = reply
            .raw(bytes[start..cut].to_vec())
            .pause(Duration::from_millis(20));
        start = cut;
    }
    reply = reply.raw(bytes[start..].to_vec());
    assert_eq!(stream_text(reply).unwrap(), "é€😀");
}

#[test]
fn multi_line_data_is_joined_with_newlines() {
    let frame = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\ndata: \"created\":1,\"model\":\"m\",\ndata: \"choices\":[{\"index\":0,\"delta\":{\"content\":\"joined\"}}]}\n\n";
    let reply = MockReply::sse().raw(frame).done();
    assert_eq!(stream_text(reply).unwrap(), "joined");
}

#[test]
fn nothing_after_done_is_read_and_the_connection_is_reused() {
    let mock = common::mock();
    let client = common::client(&mock);
    for _ in 0..3 {
        mock.enqueue(MockReply::sse().data(&chunk("x")).done());
    }
    for _ in 0..3 {
        let text = collect_text(client.chat().completions().stream(&common::params())).unwrap();
        assert_eq!(text, "x");
    }
    assert_eq!(
        mock.connections(),
        1,
        "finished streams return their connection to the pool"
    );

    mock.enqueue(
        MockReply::sse()
            .data(&chunk("y"))
            .done()
            .data("not json, never parsed"),
    );
    let text = collect_text(client.chat().completions().stream(&common::params())).unwrap();
    assert_eq!(text, "y");
}

#[test]
fn a_mid_stream_error_frame_ends_the_stream_with_its_code() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(
        MockReply::sse()
            .data(&chunk("partial"))
            .data(r#"{"error":{"code":"gateway_timeout","message":"Upstream provider did not respond in time."}}"#)
            .done(),
    );
    let mut stream = client.chat().completions().stream(&common::params());
    let first = stream.next().unwrap().unwrap();
    assert_eq!(first.choices[0].delta.content.as_deref(), Some("partial"));
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::GatewayTimeout);
    assert_eq!(err.message(), "Upstream provider did not respond in time.");
    assert_eq!(err.status(), None);
    assert_eq!(
        err.request_id(),
        stream.request_id(),
        "the stream's request id is carried"
    );
    assert!(err.request_id().is_some());
    assert!(stream.next().is_none());
}

#[test]
fn an_error_frame_without_a_code_is_an_upstream_error() {
    let err = stream_text(MockReply::sse().data(r#"{"error":{"message":"boom"}}"#)).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::UpstreamError);
    assert_eq!(err.message(), "boom");
}

#[test]
fn a_null_error_field_is_not_an_error() {
    let frame = chunk("fine").replacen('{', r#"{"error":null,"#, 1);
    assert_eq!(
        stream_text(MockReply::sse().data(&frame).done()).unwrap(),
        "fine"
    );
}

#[test]
fn an_invalid_frame_is_a_parse_error_never_skipped() {
    for bad in ["{not json", r#"{"id":"c","choices":"nope"}"#, "[DONE"] {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(
            MockReply::sse()
                .data(&chunk("a"))
                .data(bad)
                .data(&chunk("b"))
                .done(),
        );
        let mut stream = client.chat().completions().stream(&common::params());
        assert!(stream.next().unwrap().is_ok());
        let err = stream.next().unwrap().unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ParseError, "{bad}");
        assert!(err.message().contains(bad), "{}", err.message());
        assert!(stream.next().is_none(), "fused after an error");
    }
}

#[test]
fn a_dropped_connection_is_stream_interrupted_with_a_source() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(
        MockReply::sse()
            .data(&chunk("a"))
            .data(&chunk("b"))
            .drop_connection(),
    );
    let mut stream = client.chat().completions().stream(&common::params());
    assert!(stream.next().unwrap().is_ok());
    assert!(stream.next().unwrap().is_ok());
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
    assert!(err.source().is_some(), "the I/O error is kept");
    assert!(stream.next().is_none());
}

#[test]
fn eof_without_done_is_stream_interrupted() {
    let clean_end = MockReply::sse().data(&chunk("a"));
    let err = stream_text(clean_end).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
    assert!(err.message().contains("[DONE]"), "{}", err.message());

    let closed = MockReply::sse().data(&chunk("a")).close_delimited();
    assert_eq!(
        stream_text(closed).unwrap_err().code(),
        &ErrorCode::StreamInterrupted
    );

    let unterminated = MockReply::sse().data(&chunk("a")).raw("data: [DONE]");
    assert_eq!(
        stream_text(unterminated).unwrap_err().code(),
        &ErrorCode::StreamInterrupted
    );
}

#[test]
fn an_idle_gap_longer_than_the_idle_timeout_is_a_timeout() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .stream_idle_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    mock.enqueue(
        MockReply::sse()
            .data(&chunk("a"))
            .pause(Duration::from_millis(1500))
            .data(&chunk("b"))
            .done(),
    );
    let mut stream = client.chat().completions().stream(&common::params());
    assert!(stream.next().unwrap().is_ok());
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Timeout);
    assert!(err.is_timeout());
    assert!(stream.next().is_none());
}

#[test]
fn a_stream_longer_than_the_timeout_but_never_idle_succeeds() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let mut reply = MockReply::sse();
    for _ in 0..10 {
        reply = reply.data(&chunk("z")).pause(Duration::from_millis(100));
    }
    mock.enqueue(reply.done());
    let text = collect_text(client.chat().completions().stream(&common::params())).unwrap();
    assert_eq!(
        text,
        "z".repeat(10),
        "a 1 s stream outlived a 300 ms timeout"
    );
}

#[test]
fn a_stream_that_does_not_start_within_the_timeout_fails_with_timeout() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    mock.enqueue(
        MockReply::sse()
            .data(&chunk("late"))
            .done()
            .delay(Duration::from_millis(1000)),
    );
    let mut stream = client.chat().completions().stream(&common::params());
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Timeout);
    assert!(stream.next().is_none());
}

#[test]
fn an_event_over_the_size_limit_is_an_error_and_8_mib_under_it_is_delivered() {
    let mock = common::mock();
    let client = common::builder(&mock).max_event_size(4096).build().unwrap();
    mock.enqueue(MockReply::sse().data(&chunk(&"x".repeat(8192))).done());
    let err = collect_text(client.chat().completions().stream(&common::params())).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert!(err.message().contains("4096"), "{}", err.message());

    let big = "y".repeat(8 * 1024 * 1024);
    let client = common::client(&mock);
    mock.enqueue(MockReply::sse().data(&chunk(&big)).done());
    let text = collect_text(client.chat().completions().stream(&common::params())).unwrap();
    assert_eq!(text.len(), big.len());
    assert!(text == big);
}

#[test]
fn an_http_error_on_opening_is_the_first_item() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        401,
        include_str!("../fixtures/py_error_401.json"),
    ));
    let mut stream = client.chat().completions().stream(&common::params());
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.request_id(), Some("req_01HZXYZ"));
    assert!(stream.next().is_none());
}

#[test]
fn a_json_reply_to_a_stream_request_is_a_parse_error() {
    let err = stream_text(MockReply::json(200, common::FIXTURE_RESPONSE)).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert!(
        err.message().contains("application/json"),
        "{}",
        err.message()
    );
}

#[test]
fn dropping_a_stream_early_closes_its_connection() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut reply = MockReply::sse();
    for _ in 0..50 {
        reply = reply.data(&chunk("t")).pause(Duration::from_millis(20));
    }
    mock.enqueue(reply.done());
    let mut stream = client.chat().completions().stream(&common::params());
    assert!(stream.next().unwrap().is_ok());
    drop(stream);
    // The next request cannot reuse the abandoned connection: it opens a new one.
    client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert_eq!(mock.connections(), 2);
}
