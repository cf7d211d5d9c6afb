//! `client.realtime()`: the realtime WebSocket API (`/v1/realtime`), behind the `realtime`
//! feature.
//!
//! [`Realtime::connect`] opens a [`RealtimeSession`]: a blocking WebSocket on which you
//! [`send`](RealtimeSession::send) JSON events and read [`RealtimeEvent`]s, one at a time with
//! [`next_event`](RealtimeSession::next_event) or by iterating over the session.
//!
//! The token travels in the URL's `api_key` query parameter (the gateway's scheme; browsers
//! cannot set headers on a WebSocket), never in an `Authorization` header. Proxies may log
//! that URL; this crate never prints it unredacted.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{Map, Value, json};
use tungstenite::client::IntoClientRequest;
use tungstenite::error::{Error as WsError, ProtocolError};
use tungstenite::http::HeaderValue;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{HandshakeError, Message, WebSocket};

use crate::client::Client;
use crate::error::{ErrorCode, MeshApiError};
use crate::path;
use crate::transport::TunnelProxy;
use crate::types::realtime::RealtimeEvent;

/// The WebSocket subprotocol the gateway speaks.
const SUBPROTOCOL: &str = "openai-realtime";
/// The longest answer head a proxy may send to CONNECT: a status line and a few headers.
const PROXY_HEAD_LIMIT: usize = 8 * 1024;

/// What a realtime session needs from the client builder: the token (for the URL) and the
/// timeouts. Kept by the [`Client`]; never printed.
pub(crate) struct Settings {
    pub(crate) token: String,
    /// Bounds connecting and each step of the handshake, and every write.
    pub(crate) timeout: Duration,
    /// The longest wait for the next frame.
    pub(crate) idle_timeout: Duration,
}

/// The realtime WebSocket API; made by [`Client::realtime`].
///
/// ```no_run
/// let client = meshapi::Client::from_env()?;
/// let session = client.realtime().connect("openai/gpt-realtime-mini")?;
/// # drop(session);
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Realtime<'a> {
    client: &'a Client,
}

impl<'a> Realtime<'a> {
    pub(crate) fn new(client: &'a Client) -> Realtime<'a> {
        Realtime { client }
    }

    /// `GET /v1/realtime` upgraded to a WebSocket: opens a realtime session with `model`.
    ///
    /// The URL is the client's base URL with `http` → `ws` and `https` → `wss`, plus
    /// `/v1/realtime?model=<model>&api_key=<token>` (the model percent-encoded with `/` kept
    /// literal). The handshake offers the `openai-realtime` subprotocol and sends the
    /// `X-MeshAPI-SDK` header but no `Authorization`.
    ///
    /// Connecting, and each read and write of the handshake, may take up to the client's
    /// [`timeout`](crate::ClientBuilder::timeout); afterwards each wait for a server event may
    /// take up to its [`stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout).
    /// Never retried.
    ///
    /// The WebSocket goes through the same proxy as the client's requests (set with
    /// [`proxy`](crate::ClientBuilder::proxy), or from the environment, `NO_PROXY` included),
    /// in a CONNECT tunnel; opening it takes up to `timeout` too. Only an `http://` proxy can
    /// carry it.
    ///
    /// # Errors
    ///
    /// - a refused handshake (any status but 101) maps like any HTTP error response: a 401
    ///   is [`ErrorCode::Unauthorized`] with status 401, the body's code and message win;
    /// - a server that answers 101 without agreeing to `openai-realtime` (none, or another
    ///   subprotocol) is [`ErrorCode::Connection`];
    /// - connection, TLS and timeout failures are [`ErrorCode::Connection`] and
    ///   [`ErrorCode::Timeout`]; an empty model is [`ErrorCode::InvalidConfig`];
    /// - a proxy that refuses the tunnel (any status but 2xx) is [`ErrorCode::Connection`], one
    ///   that does not answer in HTTP is [`ErrorCode::ParseError`], and a proxy other than
    ///   `http://` is [`ErrorCode::InvalidConfig`].
    ///
    /// The gateway may also accept the handshake and then refuse the session with an `error`
    /// event (`invalid_api_key`, `model_not_found`): that arrives as the first
    /// [`next_event`](RealtimeSession::next_event).
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let mut session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// let first = session.next_event().expect("session.created")?;
    /// assert_eq!(first.r#type, "session.created");
    /// session.close()?;
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn connect(&self, model: &str) -> Result<RealtimeSession, MeshApiError> {
        let settings = self.client.realtime_settings();
        let url = realtime_url(self.client.base_url(), model, &settings.token)?;
        let shown = redact(&url, &settings.token);
        let mut request = url.as_str().into_client_request().map_err(|e| {
            MeshApiError::config(format!("invalid realtime URL {shown}: {e}")).not_sent()
        })?;
        let headers = request.headers_mut();
        headers.insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static(SUBPROTOCOL),
        );
        headers.insert(
            "X-MeshAPI-SDK",
            HeaderValue::from_static(crate::SDK_HEADER_VALUE),
        );
        headers.insert("User-Agent", HeaderValue::from_static(crate::USER_AGENT));

        let uri = request.uri();
        let secure = uri.scheme_str() == Some("wss");
        let host = uri.host().unwrap_or_default().to_owned();
        let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
        let tcp = match self.client.transport().tunnel_proxy(&host)? {
            None => connect_tcp(&host, port, settings.timeout, &shown)?,
            Some(proxy) => {
                let via = format!("the proxy {}", proxy.shown);
                let mut tcp = connect_tcp(&proxy.host, proxy.port, settings.timeout, &via)?;
                open_tunnel(&mut tcp, &proxy, &host, port, settings.timeout)?;
                tcp
            }
        };
        // A clone of the socket handle, to change timeouts once the TLS layer owns the stream.
        let control = tcp
            .try_clone()
            .and_then(|control| {
                control.set_nodelay(true)?;
                control.set_read_timeout(Some(settings.timeout))?;
                control.set_write_timeout(Some(settings.timeout))?;
                Ok(control)
            })
            .map_err(|e| connection_error(&shown, e))?;

        let (socket, response) = tungstenite::client_tls_with_config(request, tcp, None, None)
            .map_err(|e| match e {
                HandshakeError::Failure(e) => handshake_error(e, &shown),
                // With a blocking socket, this is a read or write that hit the timeout.
                HandshakeError::Interrupted(_) => MeshApiError::new(
                    ErrorCode::Timeout,
                    format!("the realtime handshake with {shown} timed out"),
                ),
            })?;
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        control
            .set_read_timeout(Some(settings.idle_timeout))
            .map_err(|e| connection_error(&shown, e))?;
        Ok(RealtimeSession {
            socket,
            url: shown,
            model: model.to_owned(),
            request_id,
            close_frame: None,
            open: true,
        })
    }
}

/// An open realtime session: send client events, read server events.
///
/// Reading is blocking; each read waits at most the client's
/// [`stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout). The session answers
/// server pings by itself (while reading or sending), and closes with code 1000 on
/// [`close`](RealtimeSession::close) or when dropped.
///
/// Iterating over the session yields what [`next_event`](RealtimeSession::next_event) returns
/// until the server closes the connection.
///
/// ```no_run
/// use meshapi::Client;
/// use meshapi::types::realtime::SessionConfig;
///
/// let client = Client::from_env()?;
/// let mut session = client.realtime().connect("openai/gpt-realtime-mini")?;
/// session.update_session(&SessionConfig::new().instructions("Be brief.").output_modalities(["audio"]))?;
/// session.send_audio(&vec![0u8; 4800])?; // 100 ms of 24 kHz PCM16 silence
/// session.create_response()?;
/// let mut audio = Vec::new();
/// for event in &mut session {
///     let event = event?;
///     if let Some(bytes) = &event.audio {
///         audio.extend_from_slice(bytes);
///     }
///     if event.r#type == "response.done" {
///         break;
///     }
/// }
/// session.close()?;
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
pub struct RealtimeSession {
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    /// The URL with the token redacted: the only form that may be printed.
    url: String,
    model: String,
    /// The handshake's `X-Request-Id`, the fallback request id of error events.
    request_id: Option<String>,
    close_frame: Option<(u16, String)>,
    /// False once a close was sent or received, or the connection failed.
    open: bool,
}

impl fmt::Debug for RealtimeSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RealtimeSession")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("request_id", &self.request_id)
            .field("open", &self.open)
            .field("close_frame", &self.close_frame)
            .finish_non_exhaustive()
    }
}

impl RealtimeSession {
    /// Sends one client event as a JSON text frame. `event` may be a `serde_json::Value` or
    /// any serializable type; it must serialize to a JSON object with a string `type`.
    ///
    /// ```no_run
    /// use serde_json::json;
    ///
    /// let client = meshapi::Client::from_env()?;
    /// let mut session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// session.send(&json!({"type": "input_audio_buffer.clear"}))?;
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn send<E: Serialize + ?Sized>(&mut self, event: &E) -> Result<(), MeshApiError> {
        let value = serde_json::to_value(event).map_err(|e| {
            MeshApiError::config(format!("could not serialize the realtime event: {e}"))
                .with_source(e)
        })?;
        if value.get("type").and_then(Value::as_str).is_none() {
            return Err(MeshApiError::config(
                "a realtime event must be a JSON object with a string \"type\"",
            )
            .not_sent());
        }
        self.send_text(value.to_string())
    }

    /// Sends `session.update` with `session` as its `session` object, adding
    /// `"type": "realtime"` (which the gateway requires) unless `session` sets a type.
    /// `session` is usually a [`SessionConfig`](crate::types::realtime::SessionConfig), or a
    /// `serde_json::Value` object. The server answers with a `session.updated` event.
    ///
    /// ```no_run
    /// use meshapi::types::realtime::SessionConfig;
    /// use serde_json::json;
    ///
    /// let client = meshapi::Client::from_env()?;
    /// let mut session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// session.update_session(&SessionConfig::new().instructions("Be brief."))?;
    /// session.update_session(&json!({"audio": {"output": {"voice": "alloy"}}}))?;
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn update_session<S: Serialize + ?Sized>(
        &mut self,
        session: &S,
    ) -> Result<(), MeshApiError> {
        let mut session = match serde_json::to_value(session) {
            Ok(Value::Object(session)) => session,
            Ok(_) => {
                return Err(
                    MeshApiError::config("the realtime session must be a JSON object").not_sent(),
                );
            }
            Err(e) => {
                return Err(MeshApiError::config(format!(
                    "could not serialize the realtime session: {e}"
                ))
                .with_source(e));
            }
        };
        session
            .entry("type")
            .or_insert_with(|| Value::from("realtime"));
        self.send(&json!({"type": "session.update", "session": session}))
    }

    /// Appends audio to the input buffer: sends
    /// `{"type": "input_audio_buffer.append", "audio": "<base64>"}`. `pcm` is raw audio in
    /// the session's input format (by default 16-bit little-endian mono PCM at
    /// [`SAMPLE_RATE`](crate::types::realtime::SAMPLE_RATE)).
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// let mut session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// session.send_audio(&[0u8; 4800])?;
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn send_audio(&mut self, pcm: &[u8]) -> Result<(), MeshApiError> {
        let event = json!({
            "type": "input_audio_buffer.append",
            "audio": crate::base64::encode(pcm),
        });
        self.send_text(event.to_string())
    }

    /// Asks for a response: sends `{"type": "response.create"}`.
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// let mut session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// session.create_response()?;
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create_response(&mut self) -> Result<(), MeshApiError> {
        self.send_text(r#"{"type":"response.create"}"#.to_owned())
    }

    /// Waits for the next server event; `None` once the server has closed the connection (see
    /// [`close_code`](RealtimeSession::close_code)).
    ///
    /// - A server `error` event, `{"type": "error", "error": {"code", "message", "param"}}`,
    ///   is an `Err` with the event's code (default `unknown`, as [`ErrorCode::Other`] unless
    ///   the crate knows it), its message (default `realtime error`, followed by
    ///   `(param: …)` when the event names one), no status, and the event's `request_id`
    ///   (else the handshake's `X-Request-Id`). The session stays usable: the gateway closes
    ///   it after fatal errors, which ends the iteration.
    /// - No frame within the idle timeout is [`ErrorCode::Timeout`]; the session stays usable
    ///   and the next call waits again.
    /// - A JSON object whose `type` or `event_id` is not a string is
    ///   [`ErrorCode::ParseError`] (the session stays usable).
    /// - A broken connection is [`ErrorCode::StreamInterrupted`], after which the session is
    ///   closed.
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// let mut session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// while let Some(event) = session.next_event() {
    ///     let event = event?;
    ///     println!("{}", event.r#type);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn next_event(&mut self) -> Option<Result<RealtimeEvent, MeshApiError>> {
        loop {
            if !self.open {
                return None;
            }
            match self.socket.read() {
                Ok(Message::Text(text)) => {
                    return Some(decode_text(text.as_str(), self.request_id.as_deref()));
                }
                Ok(Message::Binary(bytes)) => return Some(Ok(binary_event(bytes.to_vec()))),
                Ok(Message::Close(frame)) => {
                    self.close_frame = Some(frame.map_or((1005, String::new()), |f| {
                        (u16::from(f.code), f.reason.as_str().to_owned())
                    }));
                    // Sends the close reply tungstenite has queued; the server hangs up anyway.
                    let _ = self.socket.flush();
                    self.open = false;
                }
                // Pings are answered inside read(); pongs and raw frames carry no event.
                Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_)) => {}
                Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => self.open = false,
                Err(WsError::Io(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Some(Err(MeshApiError::stream_io(e)));
                }
                Err(e) => {
                    self.open = false;
                    return Some(Err(read_error(e)));
                }
            }
        }
    }

    /// Closes the session with code 1000 and waits (at most the idle timeout) for the
    /// server's reply. Dropping a session also closes it, without waiting.
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// let session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// session.close()?;
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn close(mut self) -> Result<(), MeshApiError> {
        if !self.open {
            return Ok(());
        }
        self.open = false;
        let result = self.socket.close(Some(normal_closure()));
        let result = result.and_then(|()| {
            loop {
                // Read until the server's close reply (or anything that ends the connection).
                match self.socket.read() {
                    Ok(_) => {}
                    Err(WsError::ConnectionClosed | WsError::AlreadyClosed) => break Ok(()),
                    Err(e) => break Err(e),
                }
            }
        });
        match result {
            Ok(()) => Ok(()),
            Err(WsError::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Err(MeshApiError::new(
                    ErrorCode::Timeout,
                    "the server did not answer the realtime close within the idle timeout",
                )
                .with_source(e))
            }
            Err(e) => Err(send_error(e)),
        }
    }

    /// The close code and reason the server sent (1005 and `""` for a close frame without a
    /// code), once it closed the connection.
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// let mut session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// while let Some(event) = session.next_event() {
    ///     println!("{:?}", event);
    /// }
    /// println!("closed: {:?}", session.close_code());
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn close_code(&self) -> Option<(u16, &str)> {
        self.close_frame
            .as_ref()
            .map(|(code, reason)| (*code, reason.as_str()))
    }

    /// The `X-Request-Id` of the handshake response, when the server sent one.
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// let session = client.realtime().connect("openai/gpt-realtime-mini")?;
    /// println!("{:?}", session.request_id());
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    fn send_text(&mut self, text: String) -> Result<(), MeshApiError> {
        if !self.open {
            return Err(
                MeshApiError::new(ErrorCode::Connection, "the realtime session is closed")
                    .not_sent(),
            );
        }
        self.socket.send(Message::text(text)).map_err(|e| {
            if matches!(e, WsError::Io(_)) {
                self.open = false;
            }
            send_error(e)
        })
    }
}

impl Iterator for RealtimeSession {
    type Item = Result<RealtimeEvent, MeshApiError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event()
    }
}

impl Drop for RealtimeSession {
    fn drop(&mut self) {
        if self.open {
            // Best effort within the write timeout; the server sees a normal closure.
            let _ = self.socket.close(Some(normal_closure()));
            let _ = self.socket.flush();
        }
    }
}

fn normal_closure() -> CloseFrame {
    CloseFrame {
        code: CloseCode::Normal,
        reason: "".into(),
    }
}

/// The WebSocket URL for `model`: the base URL's scheme swapped to `ws`/`wss`, plus
/// `/v1/realtime?model=…&api_key=…`.
fn realtime_url(base_url: &str, model: &str, token: &str) -> Result<String, MeshApiError> {
    if model.is_empty() {
        return Err(MeshApiError::config("the realtime model must not be empty").not_sent());
    }
    let base = base_url.trim_end_matches('/');
    let split = base.find("://").unwrap_or(0);
    let (scheme, rest) = base.split_at(split);
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "wss"
    } else if scheme.eq_ignore_ascii_case("http") {
        "ws"
    } else {
        return Err(MeshApiError::config(format!(
            "the base URL {:?} is not http(s), so it has no WebSocket form",
            redact(base, token)
        ))
        .not_sent());
    };
    let mut url = format!("{scheme}{rest}/v1/realtime?model=");
    // `/` stays literal in the model, as the Python SDK sends it.
    path::encode_into(&mut url, model, b"/");
    url.push_str("&api_key=");
    path::encode_into(&mut url, token, b"");
    Ok(url)
}

/// What stands in for the token wherever a URL is shown.
const REDACTED: &str = "<redacted>";

/// `url` as it may be shown: the value of every `api_key` query parameter replaced by
/// `<redacted>`, and then any other occurrence of `token`, raw or percent-encoded, too. The
/// base URL is the caller's, so the token (or an `api_key=` of its own) could be anywhere in
/// it, also before the query, where a search for the first `api_key=` used to stop.
fn redact(url: &str, token: &str) -> String {
    let mut shown = match url.split_once('?') {
        None => url.to_owned(),
        Some((head, query)) => {
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some(("api_key", _)) => format!("api_key={REDACTED}"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{head}?{}", pairs.join("&"))
        }
    };
    let mut encoded = String::new();
    path::encode_into(&mut encoded, token, b"");
    for form in [encoded.as_str(), token] {
        if !form.is_empty() {
            shown = shown.replace(form, REDACTED);
        }
    }
    shown
}

/// Connects to the first address of `host` that answers within `timeout`.
fn connect_tcp(
    host: &str,
    port: u16,
    timeout: Duration,
    shown: &str,
) -> Result<TcpStream, MeshApiError> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs = (host, port).to_socket_addrs().map_err(|e| {
        MeshApiError::new(
            ErrorCode::Connection,
            format!("could not resolve the host of {shown}: {e}"),
        )
        .with_source(e)
        .not_sent()
    })?;
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = Some(e),
        }
    }
    let err = last.unwrap_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no address"));
    Err(if err.kind() == io::ErrorKind::TimedOut {
        MeshApiError::new(
            ErrorCode::Timeout,
            format!("connecting to {shown} timed out"),
        )
        .with_source(err)
        .not_sent()
    } else {
        connection_error(shown, err).not_sent()
    })
}

/// Asks an HTTP proxy, on `tcp`, to open a tunnel to `host:port`, and reads its answer, all
/// within `timeout`.
fn open_tunnel(
    tcp: &mut TcpStream,
    proxy: &TunnelProxy,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<(), MeshApiError> {
    let shown = &proxy.shown;
    let failed = |e: io::Error| {
        match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => MeshApiError::new(
                ErrorCode::Timeout,
                format!("the proxy {shown} did not answer CONNECT in time"),
            )
            .with_source(e),
            _ => MeshApiError::new(
                ErrorCode::Connection,
                format!("the CONNECT exchange with the proxy {shown} failed"),
            )
            .with_source(e),
        }
        .not_sent()
    };
    let mut head = format!(
        "CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: {}\r\n",
        crate::USER_AGENT
    );
    if let Some(authorization) = &proxy.authorization {
        head.push_str(&format!("Proxy-Authorization: {authorization}\r\n"));
    }
    head.push_str("\r\n");
    tcp.set_write_timeout(Some(timeout))
        .and_then(|()| tcp.write_all(head.as_bytes()))
        .map_err(failed)?;

    let now = Instant::now();
    let deadline = now.checked_add(timeout).unwrap_or(now);
    let mut reply = Vec::new();
    let mut byte = [0u8];
    // One byte at a time, so that nothing the target sends after the head is read here.
    while !reply.ends_with(b"\r\n\r\n") {
        if reply.len() >= PROXY_HEAD_LIMIT {
            return Err(MeshApiError::new(
                ErrorCode::ParseError,
                format!("the proxy {shown} answered CONNECT with a head over 8 KiB"),
            )
            .not_sent());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(failed(io::ErrorKind::TimedOut.into()));
        }
        tcp.set_read_timeout(Some(left)).map_err(failed)?;
        match tcp.read(&mut byte) {
            Ok(0) => {
                let closed = io::Error::new(io::ErrorKind::UnexpectedEof, "closed mid-answer");
                return Err(failed(closed));
            }
            Ok(_) => reply.extend_from_slice(&byte),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(failed(e)),
        }
    }
    let status_line = reply.split(|&b| b == b'\n').next().unwrap_or_default();
    let status = std::str::from_utf8(status_line).ok().and_then(|line| {
        let mut parts = line.trim_end().split(' ');
        let version = parts.next()?;
        let code = parts.next()?;
        let is_code = code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit());
        if !(version.starts_with("HTTP/1.") && is_code) {
            return None;
        }
        code.parse::<u16>().ok()
    });
    match status {
        Some(200..=299) => Ok(()),
        Some(status) => Err(MeshApiError::new(
            ErrorCode::Connection,
            format!("the proxy {shown} refused the tunnel to {host}:{port} with status {status}"),
        )
        .not_sent()),
        None => Err(MeshApiError::new(
            ErrorCode::ParseError,
            format!(
                "the proxy {shown} did not answer CONNECT with an HTTP status line: {}",
                crate::error::snippet(status_line)
            ),
        )
        .not_sent()),
    }
}

fn connection_error(shown: &str, err: io::Error) -> MeshApiError {
    MeshApiError::new(
        ErrorCode::Connection,
        format!("could not connect to {shown}: {err}"),
    )
    .with_source(err)
}

/// A failed handshake: a refusal maps like any HTTP error response.
fn handshake_error(err: WsError, shown: &str) -> MeshApiError {
    match err {
        WsError::Http(response) => {
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            MeshApiError::from_head(
                response.status().as_u16(),
                header,
                response.body().as_deref().unwrap_or_default(),
            )
        }
        WsError::Protocol(ProtocolError::SecWebSocketSubProtocolError(e)) => MeshApiError::new(
            ErrorCode::Connection,
            format!("{shown} did not agree to the {SUBPROTOCOL} subprotocol: {e}"),
        )
        .with_source(e),
        WsError::Io(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            MeshApiError::new(
                ErrorCode::Timeout,
                format!("the realtime handshake with {shown} timed out"),
            )
            .with_source(e)
        }
        WsError::Url(e) => {
            MeshApiError::config(format!("invalid realtime URL {shown}: {e}")).not_sent()
        }
        e => MeshApiError::new(
            ErrorCode::Connection,
            format!("the realtime handshake with {shown} failed: {e}"),
        )
        .with_source(e),
    }
}

/// A failed read after the handshake (not a timeout, not a close).
fn read_error(err: WsError) -> MeshApiError {
    match err {
        WsError::Io(e) => MeshApiError::stream_io(e),
        e @ (WsError::Capacity(_) | WsError::Utf8(_)) => MeshApiError::new(
            ErrorCode::ParseError,
            format!("unreadable realtime frame: {e}"),
        )
        .with_source(e),
        e => MeshApiError::new(
            ErrorCode::StreamInterrupted,
            format!("the realtime connection broke: {e}"),
        )
        .with_source(e),
    }
}

/// A failed send.
fn send_error(err: WsError) -> MeshApiError {
    match err {
        WsError::ConnectionClosed | WsError::AlreadyClosed => {
            MeshApiError::new(ErrorCode::Connection, "the realtime session is closed").not_sent()
        }
        WsError::Io(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            MeshApiError::new(ErrorCode::Timeout, "sending a realtime event timed out")
                .with_source(e)
        }
        e => MeshApiError::new(
            ErrorCode::Connection,
            format!("could not send the realtime event: {e}"),
        )
        .with_source(e),
    }
}

/// A text frame: an event, an error event as `Err`, or a raw-text event.
fn decode_text(
    text: &str,
    handshake_request_id: Option<&str>,
) -> Result<RealtimeEvent, MeshApiError> {
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
        return Ok(raw_text_event(text));
    };
    if object.get("type").and_then(Value::as_str) == Some("error") {
        return Err(error_event(&object, handshake_request_id));
    }
    let mut event: RealtimeEvent = serde_json::from_value(Value::Object(object)).map_err(|e| {
        MeshApiError::new(
            ErrorCode::ParseError,
            format!(
                "could not decode a realtime event: {e}; frame: {}",
                crate::error::snippet(text.as_bytes())
            ),
        )
        .with_source(e)
    })?;
    if matches!(
        event.r#type.as_str(),
        "response.output_audio.delta" | "response.audio.delta"
    ) {
        if let Some(delta) = event.extra.get("delta").and_then(Value::as_str) {
            event.audio = Some(crate::base64::decode(delta).map_err(|why| {
                MeshApiError::new(
                    ErrorCode::ParseError,
                    format!(
                        "the audio delta of a {} event is not base64: {why}",
                        event.r#type
                    ),
                )
            })?);
        }
    }
    Ok(event)
}

/// The error carried by an `error` event.
fn error_event(event: &Map<String, Value>, handshake_request_id: Option<&str>) -> MeshApiError {
    let error = event.get("error").and_then(Value::as_object);
    let field = |name: &str| {
        error
            .and_then(|e| e.get(name))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let mut message = field("message").unwrap_or("realtime error").to_owned();
    if let Some(param) = field("param") {
        message.push_str(&format!(" (param: {param})"));
    }
    let mut shape = error.cloned().unwrap_or_default();
    shape.insert("code".into(), field("code").unwrap_or("unknown").into());
    shape.insert("message".into(), message.into());
    let request_id = event
        .get("request_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .or(handshake_request_id);
    MeshApiError::from_stream_frame(&Value::Object(shape), request_id)
}

/// The event for a text frame that is not a JSON object.
fn raw_text_event(text: &str) -> RealtimeEvent {
    RealtimeEvent {
        r#type: RealtimeEvent::TEXT.to_owned(),
        event_id: None,
        audio: None,
        text: Some(text.to_owned()),
        extra: Map::new(),
    }
}

/// The event for a binary frame.
fn binary_event(bytes: Vec<u8>) -> RealtimeEvent {
    RealtimeEvent {
        r#type: RealtimeEvent::BINARY.to_owned(),
        event_id: None,
        audio: Some(bytes),
        text: None,
        extra: Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;
    use std::thread;

    const TOKEN: &str = "rsk_abc";

    /// A one-connection server on 127.0.0.1 that accepts the handshake with the subprotocol
    /// (whatever the path), then hands the socket to `then`.
    // The handshake callback's error type is tungstenite's, not ours to shrink.
    #[allow(clippy::result_large_err)]
    fn one_shot_server(
        then: impl FnOnce(&mut WebSocket<TcpStream>) + Send + 'static,
    ) -> (String, thread::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let respond =
                |_: &tungstenite::handshake::server::Request,
                 mut response: tungstenite::handshake::server::Response| {
                    response.headers_mut().insert(
                        "Sec-WebSocket-Protocol",
                        HeaderValue::from_static(SUBPROTOCOL),
                    );
                    Ok(response)
                };
            let mut socket = tungstenite::accept_hdr(stream, respond).unwrap();
            then(&mut socket);
            // Until the client hangs up.
            while socket.read().is_ok() {}
        });
        (url, server)
    }

    fn client(base_url: &str, token: &str) -> Client {
        Client::builder()
            .token(token)
            .base_url(base_url)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap()
    }

    #[test]
    fn a_session_debug_hides_the_token_behind_a_base_path_with_api_key() {
        let token = "rsk_recognisable_9f3a";
        let (url, server) = one_shot_server(|_| {});
        let session = client(&format!("{url}/api_key=x/gw"), token)
            .realtime()
            .connect("m")
            .unwrap();
        let debug = format!("{session:?}");
        assert!(!debug.contains(token), "{debug}");
        assert!(
            debug.contains("/api_key=x/gw/v1/realtime?model=m&api_key=<redacted>"),
            "{debug}"
        );
        drop(session);
        server.join().unwrap();
    }

    #[test]
    fn a_server_frame_of_2_pow_63_bytes_is_an_error_not_an_allocation() {
        let (url, server) = one_shot_server(|socket| {
            // An unmasked text frame header claiming 2^63 payload bytes, and no payload.
            let mut header = vec![0x81, 127];
            header.extend_from_slice(&(1u64 << 63).to_be_bytes());
            let _ = socket.get_mut().write_all(&header);
        });
        let mut session = client(&url, TOKEN).realtime().connect("m").unwrap();
        let err = session.next_event().unwrap().unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ParseError, "{err}");
        assert!(session.next_event().is_none());
        drop(session);
        server.join().unwrap();
    }

    #[test]
    fn events_with_huge_numbers_arrive_intact() {
        let frame = r#"{"type":"response.done","event_id":"e","response":{"usage":{"total_tokens":18446744073709551616,"input_tokens":-9223372036854775809,"output_tokens":1e308}}}"#;
        let event = decode_text(frame, None).unwrap();
        assert_eq!(event.r#type, "response.done");
        let usage = &event.extra["response"]["usage"];
        assert_eq!(
            usage["total_tokens"].as_f64(),
            Some(18_446_744_073_709_551_616.0)
        );
        assert_eq!(usage["output_tokens"].as_f64(), Some(1e308));
        // Beyond f64, serde_json refuses the number; the frame is kept whole as raw text.
        let beyond = r#"{"type":"response.done","n":1e400}"#;
        let event = decode_text(beyond, None).unwrap();
        assert_eq!(event.r#type, RealtimeEvent::TEXT);
        assert_eq!(event.text.as_deref(), Some(beyond));
        let err = decode_text(r#"{"type":"x","event_id":1e308}"#, None).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ParseError);
    }

    #[test]
    fn urls_swap_the_scheme_and_encode_the_model_keeping_slashes() {
        let cases = [
            (
                "http://127.0.0.1:8000",
                "openai/gpt-realtime-mini",
                "ws://127.0.0.1:8000/v1/realtime?model=openai/gpt-realtime-mini&api_key=rsk_abc",
            ),
            (
                "https://api.meshapi.ai/",
                "openai/gpt-realtime-mini",
                "wss://api.meshapi.ai/v1/realtime?model=openai/gpt-realtime-mini&api_key=rsk_abc",
            ),
            (
                "HTTPS://gw.example/prefix//",
                "a b:c?d#e&f=g%+",
                "wss://gw.example/prefix/v1/realtime?model=a%20b%3Ac%3Fd%23e%26f%3Dg%25%2B&api_key=rsk_abc",
            ),
        ];
        for (base, model, expected) in cases {
            assert_eq!(realtime_url(base, model, TOKEN).unwrap(), expected);
        }
        let odd_token = realtime_url("http://h", "m", "rsk_a&b=c d").unwrap();
        assert_eq!(
            odd_token,
            "ws://h/v1/realtime?model=m&api_key=rsk_a%26b%3Dc%20d"
        );
    }

    #[test]
    fn bad_models_and_schemes_are_refused_before_connecting() {
        let err = realtime_url("http://h", "", TOKEN).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
        let err = realtime_url("ftp://h", "m", TOKEN).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
        assert!(!err.to_string().contains(TOKEN));
    }

    #[test]
    fn redaction_hides_only_the_api_key() {
        assert_eq!(
            redact(
                "wss://h/v1/realtime?model=m&api_key=rsk_secret",
                "rsk_secret"
            ),
            "wss://h/v1/realtime?model=m&api_key=<redacted>"
        );
        assert_eq!(
            redact(
                "ws://h/v1/realtime?api_key=rsk_secret&model=m",
                "rsk_secret"
            ),
            "ws://h/v1/realtime?api_key=<redacted>&model=m"
        );
        assert_eq!(
            redact("ws://h/v1/realtime?model=m", "rsk_secret"),
            "ws://h/v1/realtime?model=m"
        );
    }

    #[test]
    fn redaction_hides_every_api_key_and_the_token_wherever_it_is() {
        let token = "rsk_tok&en";
        let cases = [
            // An `api_key=` in the base path comes first; the token's parameter still goes.
            (
                "http://127.0.0.1:1/api_key=x/gw",
                "ws://127.0.0.1:1/api_key=x/gw/v1/realtime?model=m&api_key=<redacted>",
            ),
            // A base URL with a query of its own: every `api_key` value is hidden.
            (
                "http://h/gw?api_key=base_secret",
                "ws://h/gw?api_key=<redacted>&api_key=<redacted>",
            ),
            // The token itself in the base URL, raw or encoded.
            (
                "http://rsk_tok&en@h/rsk_tok%26en/",
                "ws://<redacted>@h/<redacted>/v1/realtime?model=m&api_key=<redacted>",
            ),
        ];
        for (base, want) in cases {
            let url = realtime_url(base, "m", token).unwrap();
            let shown = redact(&url, token);
            assert_eq!(shown, want, "{base}");
            assert!(!shown.contains("rsk_tok") && !shown.contains("base_secret"));
        }
        assert_eq!(redact("ws://h/?model=m", ""), "ws://h/?model=m");
        let err = realtime_url("ftp://rsk_tok&en@h", "m", token).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("rsk_tok"), "{err:?}");
    }

    #[test]
    fn text_frames_become_events_errors_or_raw_text() {
        let event = decode_text(
            r#"{"type":"session.created","event_id":"e1","session":{}}"#,
            None,
        )
        .unwrap();
        assert_eq!(event.r#type, "session.created");
        assert_eq!(event.event_id.as_deref(), Some("e1"));
        assert!(event.extra.contains_key("session"));

        for (frame, audio) in [
            (
                r#"{"type":"response.output_audio.delta","delta":"AAH/"}"#,
                vec![0, 1, 255],
            ),
            (r#"{"type":"response.audio.delta","delta":""}"#, vec![]),
        ] {
            let event = decode_text(frame, None).unwrap();
            assert_eq!(event.audio, Some(audio), "{frame}");
            assert!(event.extra.contains_key("delta"));
        }
        let no_audio = decode_text(
            r#"{"type":"response.output_audio_transcript.delta","delta":"hi"}"#,
            None,
        )
        .unwrap();
        assert_eq!(no_audio.audio, None);

        let err = decode_text(
            r#"{"type":"response.output_audio.delta","delta":"!!"}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ParseError);
        let err = decode_text(r#"{"type":7}"#, None).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ParseError);

        for raw in ["not json", "[1,2]", "\"s\"", ""] {
            let event = decode_text(raw, None).unwrap();
            assert_eq!(event.r#type, RealtimeEvent::TEXT);
            assert_eq!(event.text.as_deref(), Some(raw));
        }
        let binary = binary_event(vec![9, 8]);
        assert_eq!(binary.r#type, RealtimeEvent::BINARY);
        assert_eq!(binary.audio, Some(vec![9, 8]));
    }

    #[test]
    fn error_events_map_code_message_param_and_request_id() {
        let err = decode_text(
            r#"{"type":"error","error":{"code":"model_not_found","message":"No such model.","param":"model"},"request_id":"req_1"}"#,
            Some("req_handshake"),
        )
        .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::ModelNotFound);
        assert_eq!(err.message(), "No such model. (param: model)");
        assert_eq!(err.request_id(), Some("req_1"));
        assert_eq!(err.status(), None);

        for frame in [
            r#"{"type":"error"}"#,
            r#"{"type":"error","error":"boom"}"#,
            r#"{"type":"error","error":{"code":"","message":""}}"#,
        ] {
            let err = decode_text(frame, Some("req_handshake")).unwrap_err();
            assert_eq!(err.code(), &ErrorCode::Other("unknown".into()), "{frame}");
            assert_eq!(err.message(), "realtime error", "{frame}");
            assert_eq!(err.request_id(), Some("req_handshake"), "{frame}");
        }
        let err = decode_text(
            r#"{"type":"error","error":{"code":"insufficient_quota","message":"Out of credit."}}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(err.code().as_str(), "insufficient_quota");
        assert_eq!(err.request_id(), None);
    }
}
