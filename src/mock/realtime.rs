//! The mock gateway's realtime WebSocket (`GET /v1/realtime` with `Upgrade: websocket`).
//!
//! The HTTP side reads and records the upgrade request; unless a scripted reply is queued
//! (which then answers it as plain HTTP, e.g. a refused handshake), [`serve`] writes the `101`
//! itself and speaks a small, strict imitation of the gateway's realtime protocol:
//!
//! - `api_key` missing or not starting with `rsk_` → an `invalid_api_key` error event, then a
//!   close (1008); model empty or [`UNKNOWN_MODEL`] →
//!   `model_not_found`, then a close (1008);
//! - otherwise `session.created` at once;
//! - `session.update` → `session.updated` with the merged session (an `invalid_request` error
//!   event when `session.type` is not `realtime`);
//! - `input_audio_buffer.append` → the decoded `audio` is kept (no answer), up to
//!   [`MAX_AUDIO`] bytes in all; an append that would pass it gets an `invalid_request` error
//!   event and is dropped;
//!   `input_audio_buffer.commit` → `input_audio_buffer.committed`;
//!   `input_audio_buffer.clear` → `input_audio_buffer.cleared`;
//! - `response.create` → `response.created`, the buffered audio echoed back in two
//!   `response.output_audio.delta` events (base64 `delta`; none when the buffer is empty),
//!   `response.output_audio.done`, `response.output_audio_transcript.done`, `response.done`;
//!   the buffer is emptied;
//! - a binary frame, a frame that is not a JSON object, or an unknown event type → an
//!   `invalid_request` error event; the session goes on.
//!
//! Error events are `{"type":"error","event_id":…,"error":{"code","message","param"?},
//! "request_id":"req_…"}`.

use std::net::TcpStream;

use serde_json::{Map, Value, json};
use tungstenite::handshake::derive_accept_key;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, Role};
use tungstenite::{Message, WebSocket};

use super::routes::query_value;
use super::server::{Conn, is_transient};
use super::{RecordedRequest, Shared, mint_request_id};

const SUBPROTOCOL: &str = "openai-realtime";
/// The model the mock refuses with `model_not_found`.
const UNKNOWN_MODEL: &str = "bad/model";
/// The most input audio the mock buffers: without a bound, appends could grow it until the
/// process runs out of memory. Half of it, base64-encoded, also stays well inside the 16 MiB
/// frame a client accepts by default, so the echo of a full buffer can always be read.
const MAX_AUDIO: usize = 8 * 1024 * 1024;
/// RFC 6455 §5.5: a control frame's payload is at most 125 bytes, 2 of them the close code.
const MAX_CLOSE_REASON: usize = 123;

/// Whether `request` asks to open the realtime WebSocket.
pub(super) fn is_upgrade(request: &RecordedRequest) -> bool {
    request.method == "GET"
        && request.path == "/v1/realtime"
        && request.header("sec-websocket-key").is_some()
        && request
            .header("upgrade")
            .is_some_and(|upgrade| upgrade.eq_ignore_ascii_case("websocket"))
}

/// Accepts the upgrade on `conn` and runs the session until either side closes.
pub(super) fn serve(conn: &mut Conn<'_>, request: &RecordedRequest) {
    let Some(key) = request.header("sec-websocket-key") else {
        return;
    };
    let mut head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n",
        derive_accept_key(key.as_bytes())
    );
    let offered = request
        .header("sec-websocket-protocol")
        .is_some_and(|offer| offer.split(',').any(|p| p.trim() == SUBPROTOCOL));
    if offered {
        head += &format!("Sec-WebSocket-Protocol: {SUBPROTOCOL}\r\n");
    }
    head += &format!("X-Request-Id: {}\r\n\r\n", mint_request_id());
    if conn.send(head.as_bytes()).is_err() {
        return;
    }
    let tail = std::mem::take(&mut conn.buf);
    let shared = conn.shared;
    let socket = WebSocket::from_partially_read(&mut conn.stream, tail, Role::Server, None);
    let model = query_value(&request.query, "model").unwrap_or_default();
    let mut session = Session {
        socket,
        shared,
        session: json!({
            "id": format!("sess_mock{}", mint_request_id().trim_start_matches("req_")),
            "object": "realtime.session",
            "type": "realtime",
            "model": model,
            "output_modalities": ["audio"],
            "instructions": "",
            "audio": {
                "input": {"format": {"type": "audio/pcm", "rate": 24000}},
                "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy"},
            },
        }),
        audio: Vec::new(),
        events: 0,
        responses: 0,
    };
    let authorised = query_value(&request.query, "api_key").is_some_and(|k| k.starts_with("rsk_"));
    if !authorised {
        session.refuse("invalid_api_key", "Invalid API key.");
    } else if model.is_empty() || model == UNKNOWN_MODEL {
        session.refuse(
            "model_not_found",
            &format!("The model {model:?} does not exist or does not support realtime."),
        );
    } else {
        let created = json!({"type": "session.created", "session": session.session});
        if session.emit(created) {
            session.run();
        }
    }
}

struct Session<'a> {
    socket: WebSocket<&'a mut TcpStream>,
    shared: &'a Shared,
    session: Value,
    /// Input audio appended since the last response.
    audio: Vec<u8>,
    events: u64,
    responses: u64,
}

impl Session<'_> {
    fn run(&mut self) {
        loop {
            match self.socket.read() {
                Ok(Message::Text(text)) => {
                    if !self.on_text(text.as_str()) {
                        return;
                    }
                }
                Ok(Message::Binary(_)) => {
                    if !self.error("invalid_request", "binary frames are not supported", None) {
                        return;
                    }
                }
                // Pings are answered by tungstenite; a close is answered on the next read,
                // which then reports the connection closed.
                Ok(_) => {}
                Err(tungstenite::Error::Io(e)) if is_transient(&e) => {
                    if self.shared.stopped() {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
    }

    /// Answers one client event; false when the connection is gone.
    fn on_text(&mut self, text: &str) -> bool {
        let Ok(Value::Object(event)) = serde_json::from_str::<Value>(text) else {
            return self.error("invalid_request", "events must be JSON objects", None);
        };
        match event
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
        {
            "session.update" => self.update_session(&event),
            "input_audio_buffer.append" => {
                let audio = event.get("audio").and_then(Value::as_str);
                match audio.map(crate::base64::decode) {
                    Some(Ok(bytes)) if bytes.len() > MAX_AUDIO.saturating_sub(self.audio.len()) => {
                        self.error(
                            "invalid_request",
                            "the input audio buffer is full (8 MiB); commit or clear it",
                            Some("audio"),
                        )
                    }
                    Some(Ok(bytes)) => {
                        self.audio.extend(bytes);
                        true
                    }
                    _ => self.error(
                        "invalid_request",
                        "audio must be a base64 string",
                        Some("audio"),
                    ),
                }
            }
            "input_audio_buffer.commit" => {
                self.emit(json!({"type": "input_audio_buffer.committed", "item_id": "item_mock"}))
            }
            "input_audio_buffer.clear" => {
                self.audio.clear();
                self.emit(json!({"type": "input_audio_buffer.cleared"}))
            }
            "response.create" => self.respond(),
            other => self.error(
                "invalid_request",
                &format!("unknown client event type {other:?}"),
                Some("type"),
            ),
        }
    }

    fn update_session(&mut self, event: &Map<String, Value>) -> bool {
        let Some(update) = event.get("session").and_then(Value::as_object) else {
            return self.error(
                "invalid_request",
                "session must be an object",
                Some("session"),
            );
        };
        if update.get("type").and_then(Value::as_str) != Some("realtime") {
            return self.error(
                "invalid_request",
                "session.type must be \"realtime\"",
                Some("session.type"),
            );
        }
        if let Value::Object(session) = &mut self.session {
            for (key, value) in update {
                session.insert(key.clone(), value.clone());
            }
        }
        let updated = json!({"type": "session.updated", "session": self.session});
        self.emit(updated)
    }

    /// The buffered audio echoed back as a response.
    fn respond(&mut self) -> bool {
        self.responses = self.responses.saturating_add(1);
        let response_id = format!("resp_mock{}", self.responses);
        let item_id = format!("item_mock{}", self.responses);
        let audio = std::mem::take(&mut self.audio);
        let (first, second) = audio.split_at(audio.len() / 2);
        let transcript = format!("(mock) echoed {} bytes of audio", audio.len());
        let mut events = vec![json!({
            "type": "response.created",
            "response": {"id": response_id, "object": "realtime.response", "status": "in_progress", "output": []},
        })];
        for piece in [first, second].into_iter().filter(|p| !p.is_empty()) {
            events.push(json!({
                "type": "response.output_audio.delta",
                "response_id": response_id,
                "item_id": item_id,
                "output_index": 0,
                "content_index": 0,
                "delta": crate::base64::encode(piece),
            }));
        }
        let part = json!({"response_id": response_id, "item_id": item_id, "output_index": 0, "content_index": 0});
        let mut done = part.clone();
        done["type"] = json!("response.output_audio.done");
        events.push(done);
        let mut transcript_done = part;
        transcript_done["type"] = json!("response.output_audio_transcript.done");
        transcript_done["transcript"] = json!(transcript);
        events.push(transcript_done);
        events.push(json!({
            "type": "response.done",
            "response": {
                "id": response_id,
                "object": "realtime.response",
                "status": "completed",
                "output": [{
                    "id": item_id,
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_audio", "transcript": transcript}],
                }],
                "usage": {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0},
            },
        }));
        events.into_iter().all(|event| self.emit(event))
    }

    /// Sends an `error` event; false when the connection is gone.
    fn error(&mut self, code: &str, message: &str, param: Option<&str>) -> bool {
        let mut error = json!({"code": code, "message": message});
        if let Some(param) = param {
            error["param"] = json!(param);
        }
        self.emit(json!({"type": "error", "error": error, "request_id": mint_request_id()}))
    }

    /// An error event, then a close with code 1008 (policy violation).
    fn refuse(&mut self, code: &str, message: &str) {
        if self.error(code, message, None) {
            let close = CloseFrame {
                code: CloseCode::Policy,
                reason: close_reason(message).to_owned().into(),
            };
            let _ = self.socket.close(Some(close));
            // Drive the close handshake until the client answers or leaves.
            while !self.shared.stopped() {
                match self.socket.read() {
                    Err(tungstenite::Error::Io(e)) if is_transient(&e) => {}
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
    }

    /// Sends one event with a fresh `event_id`; false when the connection is gone.
    fn emit(&mut self, mut event: Value) -> bool {
        self.events = self.events.saturating_add(1);
        event["event_id"] = json!(format!("event_mock{}", self.events));
        let mut result = self.socket.send(Message::text(event.to_string()));
        // The socket's write timeout is short so that a shutdown is noticed; keep flushing.
        while let Err(tungstenite::Error::Io(e)) = &result {
            if !is_transient(e) || self.shared.stopped() {
                break;
            }
            result = self.socket.flush();
        }
        result.is_ok()
    }
}

/// `message` cut to fit a close frame, at a character boundary.
fn close_reason(message: &str) -> &str {
    let mut end = message.len().min(MAX_CLOSE_REASON);
    // Index 0 is always a boundary, so this stops before it could wrap.
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    &message[..end]
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::thread;
    use std::time::Duration;

    use super::*;
    use crate::mock::{MockReply, MockServer};
    use crate::{Client, ErrorCode};

    fn raw_client(
        server: &MockServer,
        query: &str,
        protocol: Option<&str>,
    ) -> WebSocket<TcpStream> {
        use tungstenite::client::IntoClientRequest;
        let url = format!("ws://{}/v1/realtime?{query}", server.addr());
        let mut request = url.into_client_request().unwrap();
        if let Some(protocol) = protocol {
            request
                .headers_mut()
                .insert("Sec-WebSocket-Protocol", protocol.parse().unwrap());
        }
        let stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        tungstenite::client(request, stream).unwrap().0
    }

    fn next_json(socket: &mut WebSocket<TcpStream>) -> Value {
        loop {
            match socket.read().unwrap() {
                Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
                Message::Close(_) => panic!("closed"),
                _ => {}
            }
        }
    }

    #[test]
    fn binary_frames_and_junk_are_rejected_without_ending_the_session() {
        let server = MockServer::start().unwrap();
        let mut socket = raw_client(&server, "model=m&api_key=rsk_x", None);
        assert_eq!(next_json(&mut socket)["type"], "session.created");
        socket.send(Message::binary(vec![1, 2, 3])).unwrap();
        let error = next_json(&mut socket);
        assert_eq!(error["type"], "error");
        assert_eq!(error["error"]["code"], "invalid_request");
        assert_eq!(error["error"]["message"], "binary frames are not supported");
        assert!(error["request_id"].as_str().unwrap().starts_with("req_"));
        socket.send(Message::text("not json")).unwrap();
        assert_eq!(next_json(&mut socket)["error"]["code"], "invalid_request");
        socket.send(Message::Ping(vec![7].into())).unwrap();
        loop {
            if let Message::Pong(payload) = socket.read().unwrap() {
                assert_eq!(payload.as_ref(), [7]);
                break;
            }
        }
        socket.close(None).unwrap();
        while socket.read().is_ok() {}
    }

    #[test]
    fn a_frame_length_of_2_pow_63_closes_the_connection_and_nothing_else() {
        let server = MockServer::start().unwrap();
        let mut socket = raw_client(&server, "model=m&api_key=rsk_x", None);
        assert_eq!(next_json(&mut socket)["type"], "session.created");
        // A masked text frame header claiming 2^63 payload bytes, then a mask and no payload.
        let mut header = vec![0x81, 0x80 | 127];
        header.extend_from_slice(&(1u64 << 63).to_be_bytes());
        header.extend_from_slice(&[1, 2, 3, 4]);
        socket.get_mut().write_all(&header).unwrap();
        let end = loop {
            match socket.read() {
                Ok(_) => {}
                Err(e) => break e,
            }
        };
        assert!(
            !matches!(&end, tungstenite::Error::Io(e) if is_transient(e)),
            "the server should hang up, not leave the client waiting: {end}"
        );
        let mut again = raw_client(&server, "model=m&api_key=rsk_x", None);
        assert_eq!(next_json(&mut again)["type"], "session.created");
    }

    #[test]
    fn appends_past_the_audio_cap_are_refused_and_the_echo_stays_readable() {
        let server = MockServer::start().unwrap();
        let mut socket = raw_client(&server, "model=m&api_key=rsk_x", None);
        assert_eq!(next_json(&mut socket)["type"], "session.created");
        let third = vec![7u8; MAX_AUDIO / 3 + 1];
        let append =
            json!({"type": "input_audio_buffer.append", "audio": crate::base64::encode(&third)});
        for _ in 0..2 {
            socket.send(Message::text(append.to_string())).unwrap();
        }
        socket.send(Message::text(append.to_string())).unwrap();
        let refused = next_json(&mut socket);
        assert_eq!(refused["error"]["code"], "invalid_request", "{refused}");
        assert_eq!(refused["error"]["param"], "audio");
        socket
            .send(Message::text(r#"{"type":"response.create"}"#))
            .unwrap();
        let mut echoed = 0;
        loop {
            let event = next_json(&mut socket);
            match event["type"].as_str() {
                Some("response.output_audio.delta") => {
                    echoed += crate::base64::decode(event["delta"].as_str().unwrap())
                        .unwrap()
                        .len();
                }
                Some("response.done") => break,
                _ => {}
            }
        }
        assert_eq!(echoed, 2 * third.len());
    }

    #[test]
    fn close_reasons_fit_a_control_frame_at_a_character_boundary() {
        assert_eq!(close_reason("short"), "short");
        let long = "é".repeat(100);
        let cut = close_reason(&long);
        assert!(cut.len() <= MAX_CLOSE_REASON && long.starts_with(cut));
        assert_eq!(cut.chars().count(), 61);
    }

    #[test]
    fn the_subprotocol_is_echoed_only_when_offered() {
        let server = MockServer::start().unwrap();
        // tungstenite fails the handshake when the answer does not match the offer.
        raw_client(&server, "model=m&api_key=rsk_x", Some(SUBPROTOCOL));
        raw_client(&server, "model=m&api_key=rsk_x", None);
        assert_eq!(server.requests().len(), 2);
    }

    #[test]
    fn a_queued_reply_answers_the_upgrade_instead() {
        let server = MockServer::start().unwrap();
        server.enqueue(MockReply::error(403, "forbidden", "Suspended."));
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream
            .write_all(
                b"GET /v1/realtime?model=m HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\
                  Connection: close, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
                  Sec-WebSocket-Version: 13\r\n\r\n",
            )
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 403 Forbidden\r\n"), "{answer}");
    }

    #[test]
    fn the_client_refuses_a_server_that_ignores_the_subprotocol() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            // A plain accept answers 101 without Sec-WebSocket-Protocol.
            let _ = tungstenite::accept(stream);
        });
        let client = Client::builder()
            .token("rsk_secret")
            .base_url(format!("http://{addr}"))
            .build()
            .unwrap();
        let err = client.realtime().connect("m").unwrap_err();
        assert_eq!(err.code(), &ErrorCode::Connection);
        assert!(err.message().contains("openai-realtime"), "{err}");
        assert!(!format!("{err} {err:?}").contains("rsk_secret"));
        server.join().unwrap();
    }

    /// A server the mock cannot imitate: binary and non-JSON frames, a ping, a custom close.
    #[test]
    // The handshake callback's error type is tungstenite's, not ours to shrink.
    #[allow(clippy::result_large_err)]
    fn the_client_surfaces_binary_and_raw_text_frames_and_the_close_code() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let respond =
                |_: &tungstenite::handshake::server::Request,
                 mut response: tungstenite::handshake::server::Response| {
                    response
                        .headers_mut()
                        .insert("Sec-WebSocket-Protocol", SUBPROTOCOL.parse().unwrap());
                    Ok(response)
                };
            let mut socket = tungstenite::accept_hdr(stream, respond).unwrap();
            socket.send(Message::binary(vec![1, 2, 3])).unwrap();
            socket.send(Message::Ping(vec![9].into())).unwrap();
            socket.send(Message::text("plain words")).unwrap();
            socket
                .close(Some(CloseFrame {
                    code: CloseCode::Library(4001),
                    reason: "bye".into(),
                }))
                .unwrap();
            // The client's pong and close reply, then the end.
            let mut pong = false;
            loop {
                match socket.read() {
                    Ok(Message::Pong(_)) => pong = true,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            pong
        });
        let client = Client::builder()
            .token("rsk_x")
            .base_url(format!("http://{addr}"))
            .build()
            .unwrap();
        let mut session = client.realtime().connect("m").unwrap();
        let binary = session.next_event().unwrap().unwrap();
        assert_eq!(binary.r#type, "binary");
        assert_eq!(binary.audio, Some(vec![1, 2, 3]));
        let text = session.next_event().unwrap().unwrap();
        assert_eq!(text.r#type, "text");
        assert_eq!(text.text.as_deref(), Some("plain words"));
        assert!(session.next_event().is_none());
        assert!(session.next_event().is_none());
        assert_eq!(session.close_code(), Some((4001, "bye")));
        let err = session.send_audio(&[0]).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::Connection);
        drop(session);
        assert!(server.join().unwrap(), "the ping was answered");
    }
}
