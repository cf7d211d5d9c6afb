//! Scripted answers: [`MockReply`] and the parts of its body.

use super::*;

/// A scripted answer for [`MockServer::enqueue`], built up from a status.
///
/// The body is a sequence of parts. A reply whose parts are only bytes is sent with
/// `Content-Length`. A reply made by [`MockReply::sse`], or with a [`pause`](MockReply::pause)
/// or a [`drop_connection`](MockReply::drop_connection), is sent with
/// `Transfer-Encoding: chunked`, one chunk per part, each flushed as it is written (empty parts
/// are skipped, since an empty chunk would end the body). A
/// [`close_delimited`](MockReply::close_delimited) reply has neither and ends by closing the
/// connection.
///
/// ```
/// use std::time::Duration;
/// use meshapi::mock::MockReply;
///
/// // Half a chat stream, then the upstream dies.
/// let reply = MockReply::sse()
///     .data(r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}"#)
///     .pause(Duration::from_millis(20))
///     .drop_connection();
/// # let _ = reply;
/// ```
#[derive(Debug, Clone)]
pub struct MockReply {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    /// The `error` object of an envelope that precedes `parts`; the envelope's `request_id`
    /// is only known when the reply is sent.
    pub(super) envelope: Option<Value>,
    pub(super) parts: Vec<Part>,
    pub(super) delay: Duration,
    pub(super) chunked: bool,
    pub(super) close_delimited: bool,
    pub(super) hang_up: bool,
}

#[derive(Debug, Clone)]
pub(super) enum Part {
    Bytes(Vec<u8>),
    Pause(Duration),
    Drop,
}

impl MockReply {
    /// A reply with this status, no `Content-Type` and an empty body. Any `u16` is written as
    /// given, so invalid statuses can be tested too.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{Client, Method};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(MockReply::new(204));
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let body = client.request(Method::Delete, "/v1/templates/t1").send::<serde_json::Value>()?;
    /// assert!(body.is_null()); // an empty body
    /// assert_eq!(server.requests()[0].method, "DELETE");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(status: u16) -> MockReply {
        MockReply {
            status,
            headers: Vec::new(),
            envelope: None,
            parts: Vec::new(),
            delay: Duration::ZERO,
            chunked: false,
            close_delimited: false,
            hang_up: false,
        }
    }

    /// A reply with this status, `Content-Type: application/json` and `body` sent verbatim.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{Client, Method};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(MockReply::json(200, r#"{"detail":"ok"}"#));
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let body = client.request(Method::Get, "/v1/anything").send::<serde_json::Value>()?;
    /// assert_eq!(body, serde_json::json!({ "detail": "ok" }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn json(status: u16, body: impl Into<String>) -> MockReply {
        MockReply::new(status)
            .header("Content-Type", "application/json")
            .body(body.into())
    }

    /// The gateway's error envelope,
    /// `{"error":{"code":…,"message":…},"request_id":"req_…"}`, as JSON. The `request_id` is
    /// the response's `X-Request-Id`, minted when the reply is sent (so clones of one reply
    /// still get distinct ids) unless [`header`](MockReply::header) sets it.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{Client, ErrorCode, Method};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(MockReply::error(401, "unauthorized", "Invalid API key."));
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let err = client.request(Method::Get, "/v1/models").send::<serde_json::Value>().unwrap_err();
    /// assert_eq!(err.status(), Some(401));
    /// assert_eq!(err.code(), &ErrorCode::Unauthorized);
    /// assert_eq!(err.message(), "Invalid API key.");
    /// assert!(err.request_id().is_some_and(|id| id.starts_with("req_")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn error(status: u16, code: &str, message: &str) -> MockReply {
        MockReply::enveloped(status, json!({ "code": code, "message": message }))
    }

    pub(super) fn enveloped(status: u16, error: Value) -> MockReply {
        MockReply {
            envelope: Some(error),
            ..MockReply::new(status).header("Content-Type", "application/json")
        }
    }

    /// A `200` Server-Sent Events reply (`Content-Type: text/event-stream`), always chunked.
    /// Its parts are the whole stream: add frames with [`data`](MockReply::data) or
    /// [`raw`](MockReply::raw), and finish with [`done`](MockReply::done) if the stream should
    /// end properly.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    ///
    /// let server = MockServer::start()?;
    /// let chunk = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}"#;
    /// server.enqueue(MockReply::sse().data(chunk).done());
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    /// let chunks: Vec<_> = client.chat().completions().stream(&params).collect::<Result<_, _>>()?;
    /// assert_eq!(chunks.len(), 1); // [DONE] ends the stream cleanly
    /// assert_eq!(chunks[0].id, "c1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sse() -> MockReply {
        MockReply {
            chunked: true,
            ..MockReply::new(200).header("Content-Type", "text/event-stream")
        }
    }

    /// Sets a response header, replacing any earlier one of the same name (case-insensitive).
    /// Setting `X-Request-Id` replaces the minted id, in the header and in an error envelope.
    /// The framing headers (`Content-Length`, `Transfer-Encoding`, `Connection`) are written by
    /// the server; setting them too sends them twice, which is only useful to test how a client
    /// copes with broken framing.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(MockReply::sse().done().header("X-Request-Id", "req_01HZXYZ"));
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    /// let stream = client.chat().completions().stream(&params);
    /// assert_eq!(stream.request_id(), Some("req_01HZXYZ"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn header(mut self, name: &str, value: &str) -> MockReply {
        self.headers
            .retain(|(key, _)| !key.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces the whole body (every part so far, and the envelope of an
    /// [`error`](MockReply::error) reply) with `bytes`.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{Client, Method};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(
    ///     MockReply::new(502).header("Content-Type", "text/html").body("<h1>Bad Gateway</h1>"),
    /// );
    /// // No retries: a 502 is retried, and the retry would meet the default route instead.
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).max_retries(0).build()?;
    /// let err = client.request(Method::Get, "/v1/models").send::<serde_json::Value>().unwrap_err();
    /// assert_eq!(err.status(), Some(502));
    /// assert_eq!(err.message(), "<h1>Bad Gateway</h1>"); // a body that is not an envelope
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body(mut self, bytes: impl Into<Vec<u8>>) -> MockReply {
        self.envelope = None;
        self.parts = vec![Part::Bytes(bytes.into())];
        self
    }

    /// Appends the SSE frame `data: {payload}\n\n` as a part of its own.
    ///
    /// ```
    /// use meshapi::mock::MockReply;
    ///
    /// // A mid-stream error, as the gateway reports it after the 200.
    /// let reply = MockReply::sse()
    ///     .data(r#"{"error":{"code":"gateway_timeout","message":"Upstream provider did not respond in time."}}"#);
    /// # let _ = reply;
    /// ```
    pub fn data(self, payload: &str) -> MockReply {
        self.raw(format!("data: {payload}\n\n"))
    }

    /// Appends the terminating frame `data: [DONE]\n\n`.
    ///
    /// ```
    /// use meshapi::mock::MockReply;
    ///
    /// let reply = MockReply::sse().data("{}").done();
    /// # let _ = reply;
    /// ```
    pub fn done(self) -> MockReply {
        self.data("[DONE]")
    }

    /// Appends raw bytes as a part of their own, for what [`data`](MockReply::data) cannot
    /// say: CRLF framing, comments, `event:` lines, frames split across chunks, invalid UTF-8.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    ///
    /// let server = MockServer::start()?;
    /// let chunk = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}"#;
    /// let (head, tail) = chunk.split_at(20);
    /// // A comment, then one frame split across two chunks and ended by CRLFs.
    /// server.enqueue(
    ///     MockReply::sse()
    ///         .raw(": keep-alive\n\n")
    ///         .raw(format!("data: {head}"))
    ///         .raw(format!("{tail}\r\n\r\n"))
    ///         .done(),
    /// );
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    /// let chunks: Vec<_> = client.chat().completions().stream(&params).collect::<Result<_, _>>()?;
    /// assert_eq!(chunks.len(), 1);
    /// assert_eq!(chunks[0].id, "c1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn raw(mut self, bytes: impl Into<Vec<u8>>) -> MockReply {
        self.parts.push(Part::Bytes(bytes.into()));
        self
    }

    /// Waits `d` between the parts before and after it; everything before is flushed to the
    /// client first. Makes the reply chunked unless it is
    /// [`close_delimited`](MockReply::close_delimited).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    ///
    /// let server = MockServer::start()?;
    /// let chunk = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}"#;
    /// server.enqueue(MockReply::sse().data(chunk).pause(Duration::from_millis(50)).data(chunk).done());
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    /// let started = Instant::now();
    /// let chunks: Vec<_> = client.chat().completions().stream(&params).collect::<Result<_, _>>()?;
    /// assert_eq!(chunks.len(), 2);
    /// assert!(started.elapsed() >= Duration::from_millis(50));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pause(mut self, d: Duration) -> MockReply {
        self.parts.push(Part::Pause(d));
        self
    }

    /// Waits `d` before sending the status line (or, for [`hang_up`](MockReply::hang_up),
    /// before closing): a slow upstream, or a client timeout to trip.
    ///
    /// ```
    /// use std::time::Duration;
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{Client, ErrorCode, Method};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(MockReply::json(200, "[]").delay(Duration::from_secs(2)));
    /// // No retries: a timed-out GET is retried, and the retry would meet the default route.
    /// let client = Client::builder()
    ///     .token("rsk_test")
    ///     .base_url(server.url())
    ///     .timeout(Duration::from_millis(100))
    ///     .max_retries(0)
    ///     .build()?;
    /// let err = client.request(Method::Get, "/v1/models").send::<serde_json::Value>().unwrap_err();
    /// assert_eq!(err.code(), &ErrorCode::Timeout);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delay(mut self, d: Duration) -> MockReply {
        self.delay = d;
        self
    }

    /// After the parts so far, closes the connection abruptly: a chunked reply ends without
    /// its terminating chunk, so the client sees a truncated body. Parts after it are never
    /// sent. Makes the reply chunked unless it is [`close_delimited`](MockReply::close_delimited).
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client, ErrorCode};
    ///
    /// let server = MockServer::start()?;
    /// let chunk = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}"#;
    /// server.enqueue(MockReply::sse().data(chunk).drop_connection());
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    /// let mut stream = client.chat().completions().stream(&params);
    /// assert!(stream.next().unwrap().is_ok());
    /// let err = stream.next().unwrap().unwrap_err();
    /// assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn drop_connection(mut self) -> MockReply {
        self.parts.push(Part::Drop);
        self
    }

    /// Reads the request, then closes the connection without answering at all.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client, ErrorCode};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(MockReply::hang_up());
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    /// let err = client.chat().completions().create(&params).unwrap_err();
    /// assert_eq!(err.code(), &ErrorCode::Connection);
    /// assert_eq!(server.requests().len(), 1); // the POST may have been billed, so no retry
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hang_up() -> MockReply {
        MockReply {
            hang_up: true,
            ..MockReply::new(200)
        }
    }

    /// Sends neither `Content-Length` nor chunking: the body ends when the server closes the
    /// connection (which it announces with `Connection: close`).
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    ///
    /// let server = MockServer::start()?;
    /// let chunk = r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}"#;
    /// server.enqueue(MockReply::sse().data(chunk).done().close_delimited());
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    /// let chunks: Vec<_> = client.chat().completions().stream(&params).collect::<Result<_, _>>()?;
    /// assert_eq!(chunks.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close_delimited(mut self) -> MockReply {
        self.close_delimited = true;
        self
    }

    /// Sets `Retry-After: {seconds}` and, on an [`error`](MockReply::error) envelope,
    /// `error.retry_after_seconds`, as the gateway does on a 429.
    ///
    /// ```
    /// use std::time::Duration;
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{Client, ErrorCode, Method};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(MockReply::error(429, "rate_limit_exceeded", "Rate limit exceeded.").retry_after(5));
    /// // No retries: the client would wait the 5 s, then meet the default route.
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).max_retries(0).build()?;
    /// let err = client.request(Method::Get, "/v1/models").send::<serde_json::Value>().unwrap_err();
    /// assert_eq!(err.code(), &ErrorCode::RateLimitExceeded);
    /// assert_eq!(err.retry_after(), Some(Duration::from_secs(5)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn retry_after(mut self, seconds: u64) -> MockReply {
        if let Some(error) = &mut self.envelope {
            error["retry_after_seconds"] = json!(seconds);
        }
        self.header("Retry-After", &seconds.to_string())
    }

    pub(super) fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}
