//! realtime: what the server received and what the caller got.

use std::time::{Duration, Instant};

use meshapi::mock::MockReply;
use meshapi::types::realtime::{RealtimeEvent, SessionConfig};
use meshapi::{Client, ErrorCode, MeshApiError};
use serde_json::json;

use crate::common::{self, TOKEN};

const MODEL: &str = "openai/gpt-realtime-mini";

fn next(session: &mut meshapi::resources::realtime::RealtimeSession) -> RealtimeEvent {
    session
        .next_event()
        .expect("an event before the close")
        .expect("an event, not an error")
}

#[test]
fn connect_sends_model_token_subprotocol_and_sdk_header_but_no_authorization() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut session = client.realtime().connect(MODEL).unwrap();
    let created = next(&mut session);
    assert_eq!(created.r#type, "session.created");
    assert!(created.event_id.is_some());
    assert_eq!(created.extra["session"]["model"], MODEL);
    assert_eq!(created.extra["session"]["type"], "realtime");
    assert!(
        session
            .request_id()
            .is_some_and(|id| id.starts_with("req_"))
    );
    session.close().unwrap();

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let upgrade = &requests[0];
    assert_eq!(upgrade.method, "GET");
    assert_eq!(upgrade.path, "/v1/realtime");
    assert_eq!(
        upgrade.query,
        format!("model=openai/gpt-realtime-mini&api_key={TOKEN}")
    );
    assert_eq!(upgrade.header("upgrade"), Some("websocket"));
    assert_eq!(upgrade.header("sec-websocket-version"), Some("13"));
    assert_eq!(
        upgrade.header("sec-websocket-protocol"),
        Some("openai-realtime")
    );
    assert_eq!(
        upgrade.header("x-meshapi-sdk"),
        Some(concat!("rust/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(upgrade.header("authorization"), None);
}

#[test]
fn model_ids_are_encoded_with_slashes_kept() {
    let mock = common::mock();
    let client = common::client(&mock);
    let session = client.realtime().connect("brand/model v2:free").unwrap();
    drop(session);
    let query = &mock.requests()[0].query;
    assert!(
        query.starts_with("model=brand/model%20v2%3Afree&api_key="),
        "{query}"
    );
}

#[test]
fn update_session_answers_session_updated_with_type_realtime() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut session = client.realtime().connect(MODEL).unwrap();
    assert_eq!(next(&mut session).r#type, "session.created");

    let config = SessionConfig::new()
        .instructions("Be brief.")
        .output_modalities(["text"])
        .extra("max_output_tokens", 50);
    session.update_session(&config).unwrap();
    let updated = next(&mut session);
    assert_eq!(updated.r#type, "session.updated");
    let echoed = &updated.extra["session"];
    assert_eq!(echoed["type"], "realtime");
    assert_eq!(echoed["instructions"], "Be brief.");
    assert_eq!(echoed["output_modalities"], json!(["text"]));
    assert_eq!(echoed["max_output_tokens"], 50);
    assert_eq!(echoed["model"], MODEL, "the rest of the session is kept");

    // A plain JSON object works too, and gets the type added.
    session
        .update_session(&json!({"audio": {"output": {"voice": "verse"}}}))
        .unwrap();
    let updated = next(&mut session);
    assert_eq!(
        updated.extra["session"]["audio"]["output"]["voice"],
        "verse"
    );
    assert_eq!(updated.extra["session"]["instructions"], "Be brief.");
}

#[test]
fn send_audio_is_echoed_back_decoded_byte_for_byte() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut session = client.realtime().connect(MODEL).unwrap();
    next(&mut session);

    let pcm: Vec<u8> = (0..=255u8).cycle().take(3001).collect();
    session.send_audio(&pcm[..1000]).unwrap();
    session.send_audio(&pcm[1000..]).unwrap();
    session.create_response().unwrap();

    let mut types = Vec::new();
    let mut audio = Vec::new();
    for event in &mut session {
        let event = event.unwrap();
        types.push(event.r#type.clone());
        if let Some(bytes) = &event.audio {
            assert_eq!(event.r#type, "response.output_audio.delta");
            assert!(event.extra["delta"].is_string(), "the base64 stays");
            audio.extend_from_slice(bytes);
        }
        if event.r#type == "response.done" {
            assert_eq!(event.extra["response"]["status"], "completed");
            break;
        }
    }
    assert_eq!(audio, pcm);
    assert_eq!(
        types,
        [
            "response.created",
            "response.output_audio.delta",
            "response.output_audio.delta",
            "response.output_audio.done",
            "response.output_audio_transcript.done",
            "response.done",
        ]
    );
    session.close().unwrap();
}

#[test]
fn send_takes_any_event_and_refuses_what_is_not_an_event() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut session = client.realtime().connect(MODEL).unwrap();
    next(&mut session);
    session
        .send(&json!({"type": "input_audio_buffer.commit"}))
        .unwrap();
    assert_eq!(next(&mut session).r#type, "input_audio_buffer.committed");

    for bad in [json!([1]), json!({"no": "type"}), json!({"type": 1})] {
        let err = session.send(&bad).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig, "{bad}");
    }
    // Still usable.
    session
        .send(&json!({"type": "input_audio_buffer.clear"}))
        .unwrap();
    assert_eq!(next(&mut session).r#type, "input_audio_buffer.cleared");
}

#[test]
fn an_error_event_is_an_error_and_the_session_goes_on() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut session = client.realtime().connect(MODEL).unwrap();
    next(&mut session);
    session.send(&json!({"type": "no.such.event"})).unwrap();
    let err = session.next_event().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidRequest);
    assert_eq!(
        err.message(),
        "unknown client event type \"no.such.event\" (param: type)"
    );
    assert_eq!(err.status(), None);
    assert!(err.request_id().is_some_and(|id| id.starts_with("req_")));

    session
        .send(&json!({"type": "session.update", "session": {"type": "transcription"}}))
        .unwrap();
    let err = session.next_event().unwrap().unwrap_err();
    assert_eq!(
        err.message(),
        "session.type must be \"realtime\" (param: session.type)"
    );

    session.update_session(&SessionConfig::new()).unwrap();
    assert_eq!(next(&mut session).r#type, "session.updated");
}

#[test]
fn a_refused_session_is_an_error_then_the_end() {
    let mock = common::mock();
    let cases = [
        ("not_rsk_token", MODEL, ErrorCode::InvalidApiKey),
        (TOKEN, "bad/model", ErrorCode::ModelNotFound),
    ];
    for (token, model, code) in cases {
        let client = common::builder(&mock).token(token).build().unwrap();
        let mut session = client.realtime().connect(model).unwrap();
        let err = session.next_event().unwrap().unwrap_err();
        assert_eq!(err.code(), &code);
        assert!(!err.message().is_empty());
        assert!(session.next_event().is_none(), "the server closed");
        let (close, _) = session.close_code().unwrap();
        assert_eq!(close, 1008);
        assert!(!format!("{err} {err:?} {session:?}").contains(token));
    }
}

#[test]
fn a_refused_handshake_maps_like_any_http_error() {
    let mock = common::mock();
    mock.enqueue(MockReply::json(
        401,
        include_str!("../fixtures/py_error_401.json"),
    ));
    let client = common::client(&mock);
    let err = client.realtime().connect(MODEL).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.status(), Some(401));
    assert!(!err.message().is_empty());
    let text = format!("{err} {err:?} {}", source_chain(&err));
    assert!(!text.contains(TOKEN), "{text}");
    assert_eq!(mock.requests()[0].path, "/v1/realtime");

    mock.enqueue(MockReply::error(429, "rate_limit_exceeded", "Slow down.").retry_after(3));
    let err = client.realtime().connect(MODEL).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::RateLimitExceeded);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert!(err.request_id().is_some_and(|id| id.starts_with("req_")));
    assert_eq!(mock.requests().len(), 2, "never retried");
}

#[test]
fn the_token_never_shows_in_debug_output_or_connection_errors() {
    let mock = common::mock();
    let client = common::client(&mock);
    let session = client.realtime().connect(MODEL).unwrap();
    let debug = format!("{session:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("api_key=<redacted>"), "{debug}");

    // Nothing listens on the port once the mock is gone.
    let url = mock.url();
    drop(session);
    drop(mock);
    let client = Client::builder()
        .token(TOKEN)
        .base_url(url)
        .build()
        .unwrap();
    let err = client.realtime().connect(MODEL).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Connection);
    let text = format!("{err} {err:?} {}", source_chain(&err));
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("<redacted>"), "{text}");
}

#[test]
fn an_api_key_in_the_base_path_does_not_unmask_the_token() {
    let token = "rsk_recognisable_7c1e";
    let check = |err: &MeshApiError| {
        let text = format!("{err} {err:?} {}", source_chain(err));
        assert!(!text.contains(token), "{text}");
        assert!(text.contains("api_key=<redacted>"), "{text}");
    };
    // A port nothing listens on: the listener is gone before the connect.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = Client::builder()
        .token(token)
        .base_url(format!("http://{closed}/api_key=x/gw"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = client.realtime().connect(MODEL).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Connection);
    check(&err);

    // A server that refuses the handshake, whose answer the error quotes.
    let mock = common::mock();
    mock.enqueue(MockReply::error(403, "forbidden", "Suspended."));
    let client = Client::builder()
        .token(token)
        .base_url(format!("{}/api_key=x/gw", mock.url()))
        .build()
        .unwrap();
    let err = client.realtime().connect(MODEL).unwrap_err();
    assert_eq!(err.status(), Some(403));
    let text = format!("{err} {err:?} {}", source_chain(&err));
    assert!(!text.contains(token), "{text}");
    assert_eq!(mock.requests()[0].path, "/api_key=x/gw/v1/realtime");

    // A timeout too long for any clock changes nothing but the wait.
    let client = Client::builder()
        .token(token)
        .base_url(format!("http://{closed}/api_key=x/gw"))
        .timeout(Duration::MAX)
        .build()
        .unwrap();
    check(&client.realtime().connect(MODEL).unwrap_err());
}

#[test]
fn a_silent_server_trips_the_idle_timeout_and_the_session_survives() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .stream_idle_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let mut session = client.realtime().connect(MODEL).unwrap();
    next(&mut session);
    let started = Instant::now();
    let err = session.next_event().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Timeout);
    assert!(err.is_timeout());
    assert!(started.elapsed() >= Duration::from_millis(90));
    session.update_session(&SessionConfig::new()).unwrap();
    assert_eq!(next(&mut session).r#type, "session.updated");
}

#[test]
fn an_empty_model_fails_before_the_network() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client.realtime().connect("").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert!(mock.requests().is_empty());
}

fn source_chain(err: &MeshApiError) -> String {
    let mut text = String::new();
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        text.push_str(&format!("{e} / {e:?}; "));
        source = e.source();
    }
    text
}
