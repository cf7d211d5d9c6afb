//! The Anthropic-compatible Messages API over the wire: what the gateway received, what the
//! caller got, Anthropic's error envelope and event sequence, and how its streams end.

use std::time::{Duration, Instant};

use meshapi::mock::{DEFAULT_REPLY_PREFIX, MockReply};
use meshapi::types::messages::{
    ContentBlock, ContentBlockDelta, InputMessage, Message, MessageMetadata, MessageParams,
    MessageStreamEvent, MessageTool, MessageToolChoice,
};
use meshapi::{ErrorCode, Method};
use serde_json::{Value, json};

use crate::common::{self, TOKEN};

const MODEL: &str = "anthropic/claude-sonnet-4";

fn params(text: &str) -> MessageParams {
    MessageParams::new(MODEL, 1024, vec![InputMessage::user(text)])
}

fn weather_tool() -> MessageTool {
    MessageTool::new(
        "get_weather",
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
    )
    .description("Current weather for a city")
}

/// One SSE event the way Anthropic frames it: its type on the `event:` line and in the JSON.
fn frame(data: &Value) -> String {
    format!(
        "event: {}\ndata: {data}\n\n",
        data["type"].as_str().unwrap()
    )
}

fn message_start() -> Value {
    json!({"type": "message_start", "message": {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant",
        "content": [], "model": MODEL, "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": 0, "output_tokens": 0}}})
}

fn text_start() -> Value {
    json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
}

fn text_delta(text: &str) -> Value {
    json!({"type": "content_block_delta", "index": 0,
           "delta": {"type": "text_delta", "text": text}})
}

fn message_delta() -> Value {
    json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null},
           "usage": {"input_tokens": 10, "output_tokens": 2}})
}

/// A whole scripted stream up to (not including) `message_stop`.
fn transcript_until_stop() -> MockReply {
    let mut reply = MockReply::sse();
    for event in [
        message_start(),
        text_start(),
        json!({"type": "ping"}),
        text_delta("Hello"),
        text_delta(" there"),
        json!({"type": "content_block_stop", "index": 0}),
        message_delta(),
    ] {
        reply = reply.raw(frame(&event));
    }
    reply
}

#[test]
fn create_sends_anthropics_body_with_bearer_auth_and_decodes_the_message() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = params("What is 2 + 2?")
        .system("Answer in one sentence.")
        .temperature(0.2)
        .metadata(MessageMetadata::new().user_id("user-7f3a"));
    let reply = client.messages().create(&params).unwrap();

    let request = &mock.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/messages");
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(request.header("authorization"), Some(bearer.as_str()));
    assert_eq!(
        request.header("x-api-key"),
        None,
        "the crate keeps to Bearer"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "model": MODEL,
            "max_tokens": 1024,
            "messages": [{"role": "user", "content": "What is 2 + 2?"}],
            "system": "Answer in one sentence.",
            "temperature": 0.2,
            "metadata": {"user_id": "user-7f3a"},
            "stream": false,
        })
    );

    assert_eq!(reply.id, "msg_mock1");
    assert_eq!(
        (reply.r#type.as_str(), reply.role.as_str()),
        ("message", "assistant")
    );
    assert_eq!(reply.model, MODEL);
    assert_eq!(
        reply.text(),
        format!("{DEFAULT_REPLY_PREFIX}What is 2 + 2?")
    );
    assert_eq!(reply.content.len(), 1);
    assert_eq!(reply.stop_reason.as_deref(), Some("end_turn"));
    assert_eq!(reply.stop_sequence, None);
    // "Answer in one sentence." and "What is 2 + 2?": 9 words in.
    assert_eq!(reply.usage.input_tokens, 9);
    assert_eq!(reply.usage.output_tokens, words_of(&reply.text()));
    assert_eq!(reply.usage.cache_read_input_tokens, Some(0));
    let meta = reply.meta().unwrap();
    assert_eq!(meta.status(), 200);
    assert!(meta.request_id().is_some_and(|id| id.starts_with("req_")));
}

#[test]
fn a_tool_use_round_trips_through_its_result() {
    let mock = common::mock();
    let client = common::client(&mock);
    let first = params("Weather in Oslo?")
        .tools([weather_tool()])
        .tool_choice(MessageToolChoice::tool("get_weather"));
    let reply = client.messages().create(&first).unwrap();
    assert_eq!(reply.stop_reason.as_deref(), Some("tool_use"));
    let call = reply.tool_uses().next().unwrap().clone();
    assert_eq!(call.name, "get_weather");
    assert!(call.id.starts_with("toolu_mock"), "{}", call.id);
    assert_eq!(call.input, json!({"city": "Weather in Oslo?"}));
    let sent = mock.requests()[0].body_json().unwrap();
    assert_eq!(
        sent["tools"],
        json!([{"name": "get_weather", "description": "Current weather for a city",
                "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                                 "required": ["city"]}}])
    );
    assert_eq!(
        sent["tool_choice"],
        json!({"type": "tool", "name": "get_weather"})
    );

    let mut next = first.clone();
    next.messages.push(InputMessage::from(reply));
    next.messages
        .push(InputMessage::user(vec![ContentBlock::tool_result(
            &call.id,
            "-3°C and snowing",
        )]));
    let answer = client.messages().create(&next).unwrap();
    assert_eq!(answer.stop_reason.as_deref(), Some("end_turn"));
    assert_eq!(answer.tool_uses().count(), 0);
    assert!(
        answer.text().ends_with("-3°C and snowing"),
        "{}",
        answer.text()
    );

    let sent = mock.requests()[1].body_json().unwrap();
    assert_eq!(sent["messages"][1]["role"], "assistant");
    assert_eq!(sent["messages"][1]["content"][1]["type"], "tool_use");
    assert_eq!(sent["messages"][1]["content"][1]["id"], call.id.as_str());
    assert_eq!(
        sent["messages"][2]["content"],
        json!([{"type": "tool_result", "tool_use_id": call.id, "content": "-3°C and snowing"}])
    );
}

#[test]
fn stop_sequences_and_max_tokens_cut_the_reply() {
    let mock = common::mock();
    let client = common::client(&mock);
    let reply = client
        .messages()
        .create(&params("one two three").stop_sequences(["three", "gateway"]))
        .unwrap();
    assert_eq!(reply.stop_reason.as_deref(), Some("stop_sequence"));
    assert_eq!(reply.stop_sequence.as_deref(), Some("gateway"));
    assert_eq!(reply.text(), "Hello from the MeshAPI mock ");

    let mut short = params("one two three").tools([weather_tool()]);
    short.max_tokens = 3;
    let reply = client.messages().create(&short).unwrap();
    assert_eq!(reply.stop_reason.as_deref(), Some("max_tokens"));
    assert_eq!(reply.text(), "Hello from the");
    assert_eq!(reply.usage.output_tokens, 3);
    assert_eq!(reply.tool_uses().count(), 0, "a cut reply calls no tool");
}

#[test]
fn the_stream_is_anthropics_event_sequence_and_ends_after_message_stop() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut stream = client
        .messages()
        .stream(&params("Hi there").system("Be kind."));
    assert!(stream.request_id().is_some_and(|id| id.starts_with("req_")));
    let events: Vec<_> = stream.by_ref().collect::<Result<_, _>>().unwrap();
    assert!(stream.next().is_none(), "fused after message_stop");

    let kinds: Vec<&str> = events.iter().map(kind).collect();
    let words = words_of(&format!("{DEFAULT_REPLY_PREFIX}Hi there"));
    let mut expected = vec!["message_start", "content_block_start", "ping"];
    expected.extend(std::iter::repeat_n("content_block_delta", words as usize));
    expected.extend(["content_block_stop", "message_delta", "message_stop"]);
    assert_eq!(kinds, expected);

    let MessageStreamEvent::MessageStart(start) = &events[0] else {
        unreachable!()
    };
    assert_eq!(start.message.model, MODEL);
    assert!(start.message.content.is_empty());
    assert_eq!(
        (
            start.message.usage.input_tokens,
            start.message.usage.output_tokens
        ),
        (0, 0),
        "the gateway's message_start counts nothing"
    );
    let text: String = events
        .iter()
        .filter_map(|event| match event {
            MessageStreamEvent::ContentBlockDelta(delta) => match &delta.delta {
                ContentBlockDelta::TextDelta(text) => Some(text.text.as_str()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(text, format!("{DEFAULT_REPLY_PREFIX}Hi there"));
    let MessageStreamEvent::MessageDelta(delta) = &events[events.len() - 2] else {
        unreachable!()
    };
    assert_eq!(delta.delta.stop_reason.as_deref(), Some("end_turn"));
    let usage = delta.usage.as_ref().unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens),
        (Some(4), Some(words))
    );

    let request = &mock.requests()[0];
    assert_eq!(request.path, "/v1/messages");
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    let body = request.body_json().unwrap();
    assert_eq!(body["stream"], true);
    assert_eq!(body["system"], "Be kind.");
}

/// The mock's token count: one per space-separated word.
fn words_of(text: &str) -> u64 {
    text.split(' ').count() as u64
}

fn kind(event: &MessageStreamEvent) -> &'static str {
    match event {
        MessageStreamEvent::MessageStart(_) => "message_start",
        MessageStreamEvent::ContentBlockStart(_) => "content_block_start",
        MessageStreamEvent::ContentBlockDelta(_) => "content_block_delta",
        MessageStreamEvent::ContentBlockStop(_) => "content_block_stop",
        MessageStreamEvent::MessageDelta(_) => "message_delta",
        MessageStreamEvent::MessageStop(_) => "message_stop",
        MessageStreamEvent::Ping(_) => "ping",
        _ => "other",
    }
}

#[test]
fn a_streamed_tool_use_accumulates_into_the_message_create_returns() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = params("Weather in Oslo?").tools([weather_tool()]);
    let streamed = client.messages().stream(&params).accumulate().unwrap();
    let whole = client.messages().create(&params).unwrap();

    let events: Vec<_> = client
        .messages()
        .stream(&params)
        .collect::<Result<_, _>>()
        .unwrap();
    let pieces = events
        .iter()
        .filter(|event| {
            matches!(event, MessageStreamEvent::ContentBlockDelta(delta)
                if matches!(delta.delta, ContentBlockDelta::InputJsonDelta(_)))
        })
        .count();
    assert_eq!(pieces, 3, "the input arrives in input_json_delta pieces");

    let same = |message: &Message| {
        let call = message.tool_uses().next().unwrap();
        (
            message.text(),
            call.name.clone(),
            call.input.clone(),
            message.stop_reason.clone(),
            message.usage.clone(),
        )
    };
    assert_eq!(same(&streamed), same(&whole));
    assert_eq!(streamed.stop_reason.as_deref(), Some("tool_use"));
    assert_eq!(
        streamed.tool_uses().next().unwrap().input,
        json!({"city": "Weather in Oslo?"})
    );
    assert!(streamed.meta().is_some_and(|meta| meta.status() == 200));
}

#[test]
fn events_decode_by_their_json_type_and_unknown_ones_are_kept() {
    let mock = common::mock();
    let client = common::client(&mock);
    // The `event:` lines disagree with the JSON on purpose: the JSON decides.
    let reply = MockReply::sse()
        .raw(format!("event: message\ndata: {}\n\n", message_start()))
        .raw(format!("data: {}\n\n", text_start()))
        .raw(frame(&json!({"type": "brand_new_event", "detail": [1, 2]})))
        .raw(format!("event: ping\ndata: {}\n\n", text_delta("Hi")))
        .raw(frame(&json!({"type": "message_stop"})));
    mock.enqueue(reply);
    let events: Vec<_> = client
        .messages()
        .stream(&params("x"))
        .collect::<Result<_, _>>()
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(kind).collect();
    assert_eq!(
        kinds,
        [
            "message_start",
            "content_block_start",
            "other",
            "content_block_delta",
            "message_stop"
        ]
    );
    assert_eq!(
        events[2],
        MessageStreamEvent::Other(json!({"type": "brand_new_event", "detail": [1, 2]}))
    );
}

#[test]
fn an_error_event_ends_the_stream_with_the_mapped_code() {
    let mock = common::mock();
    let client = common::client(&mock);
    let error = json!({"type": "error",
                       "error": {"type": "overloaded_error", "message": "Overloaded"}});
    mock.enqueue(
        MockReply::sse()
            .raw(frame(&message_start()))
            .raw(frame(&text_start()))
            .raw(frame(&text_delta("Hel")))
            .raw(frame(&error))
            .raw(frame(&text_delta("never read"))),
    );
    let mut stream = client.messages().stream(&params("x"));
    let request_id = stream.request_id().unwrap().to_owned();
    for _ in 0..3 {
        stream.next().unwrap().unwrap();
    }
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::UpstreamError);
    assert_eq!(err.error_type(), Some("overloaded_error"));
    assert_eq!(err.message(), "Overloaded");
    assert_eq!(err.status(), None);
    assert_eq!(err.request_id(), Some(request_id.as_str()));
    assert!(stream.next().is_none());

    mock.enqueue(
        MockReply::sse()
            .raw(frame(&message_start()))
            .raw(frame(&json!(
                {"type": "error", "error": {"type": "rate_limit_error", "message": "Slow down."}}
            ))),
    );
    let err = client
        .messages()
        .stream(&params("x"))
        .accumulate()
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::RateLimitExceeded);
}

#[test]
fn a_stream_cut_before_message_stop_is_stream_interrupted() {
    let mock = common::mock();
    let client = common::client(&mock);
    // The body ends cleanly, but without message_stop.
    mock.enqueue(transcript_until_stop());
    let results: Vec<_> = client.messages().stream(&params("x")).collect();
    assert_eq!(results.len(), 8, "seven events, then the error");
    assert!(results[..7].iter().all(Result::is_ok));
    let err = results[7].as_ref().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
    assert!(err.message().contains("message_stop"), "{}", err.message());

    // A connection that breaks mid-stream.
    mock.enqueue(transcript_until_stop().drop_connection());
    let err = client
        .messages()
        .stream(&params("x"))
        .accumulate()
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
    assert!(std::error::Error::source(&err).is_some());

    // `[DONE]` is not Anthropic's, but it still ends a stream cleanly.
    mock.enqueue(transcript_until_stop().done());
    let message = client.messages().stream(&params("x")).accumulate().unwrap();
    assert_eq!(message.text(), "Hello there");
    assert_eq!(message.usage.output_tokens, 2);
}

#[test]
fn a_body_held_open_after_message_stop_does_not_hold_the_stream() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(
        transcript_until_stop()
            .raw(frame(&json!({"type": "message_stop"})))
            .pause(Duration::from_secs(30)),
    );
    let started = Instant::now();
    let message = client.messages().stream(&params("x")).accumulate().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(message.id, "msg_01XFDUDYJgAACzvnptvVoYEL");
    assert_eq!(message.text(), "Hello there");
    assert_eq!(message.stop_reason.as_deref(), Some("end_turn"));
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (10, 2)
    );
}

#[test]
fn anthropics_error_envelope_maps_to_error_codes() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    // The mock's own answer to a body without max_tokens.
    let err = client
        .request(Method::Post, "/v1/messages")
        .json(&json!({"model": MODEL, "messages": [{"role": "user", "content": "Hi"}]}))
        .send::<Value>()
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), &ErrorCode::InvalidRequest);
    assert_eq!(err.message(), "max_tokens: Field required");
    assert_eq!(err.error_type(), Some("invalid_request_error"));
    assert!(err.request_id().is_some_and(|id| id.starts_with("req_")));
    let err = client
        .request(Method::Post, "/v1/messages")
        .json(&json!({"model": MODEL, "max_tokens": 8}))
        .send::<Value>()
        .unwrap_err();
    assert_eq!(err.message(), "messages: Field required");

    let rows = [
        (401, "authentication_error", ErrorCode::Unauthorized),
        (403, "permission_error", ErrorCode::Forbidden),
        (404, "not_found_error", ErrorCode::NotFound),
        (413, "request_too_large", ErrorCode::RequestTooLarge),
        (429, "rate_limit_error", ErrorCode::RateLimitExceeded),
        (500, "api_error", ErrorCode::UpstreamError),
        (529, "overloaded_error", ErrorCode::UpstreamError),
    ];
    for (status, kind, code) in rows {
        let body = json!({"type": "error", "error": {"type": kind, "message": "m"},
                          "request_id": "req_body"});
        mock.enqueue(MockReply::json(status, body.to_string()));
        let err = client.messages().create(&params("x")).unwrap_err();
        assert_eq!((err.status(), err.code()), (Some(status), &code), "{kind}");
        assert_eq!(err.error_type(), Some(kind));
        assert_eq!(err.request_id(), Some("req_body"));
    }

    // A stream refused before it opens: the error is its first item.
    let body = json!({"type": "error",
                      "error": {"type": "authentication_error", "message": "invalid x-api-key"}});
    mock.enqueue(MockReply::json(401, body.to_string()));
    let mut stream = client.messages().stream(&params("x"));
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.message(), "invalid x-api-key");
    assert!(stream.next().is_none());
}
