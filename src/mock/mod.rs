//! An embedded MeshAPI gateway for tests, examples and benchmarks.
//!
//! [`MockServer`] is a small HTTP/1.1 server on `127.0.0.1`, on a free port, built on the
//! standard library alone. Point a client at [`MockServer::url`], script the next answers with
//! [`MockServer::enqueue`], and look at what arrived with [`MockServer::requests`]. It is
//! available behind the `mock` cargo feature.
//!
//! # Who answers
//!
//! Each request is answered by the oldest queued [`MockReply`], whatever its route. While
//! nothing is queued, the default routes answer:
//!
//! | Route | Answer |
//! |---|---|
//! | `POST /v1/chat/completions` | a `chat.completion`; with `"stream": true`, an SSE stream of `chat.completion.chunk`s ending in `data: [DONE]`; a 422 `validation_error` envelope when the body is not JSON or has no `messages` list |
//! | `POST /v1/chat/completions` with a `json_schema` `response_format` | the same, with a reply that is a JSON value following the schema (`const`, `default` or first `enum` value; strings echo the user's text, numbers 1, booleans true, arrays one item) |
//! | `POST /v1/chat/compare` | one result per model (`content` = the chat mock's reply text, `usage`, `latency_ms`, `request_id`, a `response_body`); a model whose id contains `fail` gets a string `error` + `error_code` and makes `partial: true`; a `comparison` synthesis unless `skip_comparison`. With `"stream": true`: `event: delta` frames (`model`, `delta`), `event: model_error` (string `error`), `event: model_done`, `event: comparison` frames, `event: done`, then `data: [DONE]`; a 422 envelope when `models` or `messages` is missing |
//! | `POST /v1/responses` | a `response` (`resp_mock<n>`, `status: "completed"`, one assistant message whose `output_text` echoes the input, `usage`); with `"background": true` it is remembered for list/get. With `"stream": true`: `response.created`, one `response.output_text.delta` per word, `response.completed`, then `data: [DONE]`; 422 when `input` is missing |
//! | `GET /v1/responses`, `GET /v1/responses/{id}` | the remembered background jobs (`after`, `limit`, `has_more`, `first_id`, `last_id`); one of them, else a 404 `{"detail": ..}` |
//! | `POST /v1/embeddings` | one deterministic unit-length vector per input (hashed byte trigrams, `dimensions` long, 8 by default), as floats or, with `encoding_format: "base64"`, base64 little-endian f32s; `usage`; 422 `detail` for a missing or badly shaped `input` or more than 2048 inputs |
//! | `GET /v1/models` | a bare JSON array of four models, `openai/gpt-4o-mini` first, then `meta-llama/llama-3.3-70b-instruct:free`, `anthropic/claude-sonnet-4` and `openai/text-embedding-3-small`, pricing as decimal strings; filtered by `free`, `type` and `provider` |
//! | `GET /v1/models/free`, `GET /v1/models/paid` | bare arrays of the free / paid models (these routes win over `{model_id:path}`) |
//! | `GET /v1/models/search` | `{items, total, limit, offset, brands}`: `q` terms matched in id, name and brand; `free`, `discounted`, repeated `brand`, `input_modality`, `output_modality`; `sort` and `order`; `limit` (echoed) and `offset`; a bad parameter → 422 `detail` |
//! | `GET /v1/models/{model_id:path}` | the model whose id is the percent-decoded rest of the path (`%3A` → `:`); unknown → 404 `{"detail": "Model '<id>' not found"}` |
//! | `POST /v1/moderations` | one result per input; `kill`/`hurt` flag `violence`, `hate` flags `hate`, `idiot`/`stupid` flag `harassment`; 422 without `input` |
//! | `POST /v1/images/generations` | `n` valid 1×1 PNGs as `b64_json` (or `data:` URLs with `response_format: "url"`), `usage`. With `"stream": true`: two `status: "processing"` keep-alive chunks with empty `data`, then the image chunk, then `data: [DONE]`; 422 without `prompt` |
//! | `POST /v1/images/edits` | the same shape; 422 without `model` or `image`; 400 `invalid_request` for a remote http(s) `image` |
//! | `POST /v1/audio/speech` | `audio/wav` bytes derived from `input` (its first 64 KiB; chunked with `"stream": true`); 422 `detail` when `input` is missing |
//! | `POST /v1/audio/transcriptions` | multipart; `{"text": "Transcribed N bytes from <filename>", "transcription_id": ..}`, remembered; 422 without a `file` part or `model` |
//! | `GET /v1/audio/transcriptions/{id}` | `{"id", "status": "completed", "text"}` of a transcription made on this server, else 404 `detail` |
//! | `POST /v1/audio/transcriptions/translate`, `POST /v1/audio/translations` | multipart; `{"text": "Translated N bytes from <filename> to English."}`; 422 without `file` (and, for `/translations`, `model`) |
//! | `GET /v1/audio/voices`, `GET /v1/audio/voices/{id}` | 5 voices, `page_size` + `next_page_token` pagination, `search`, `category`, repeated `voice_ids`, `total_count` with `include_total_count=true`; one voice, else 404 `detail` |
//! | `POST /v1/video/generations`, `GET /v1/video/generations`, `GET /v1/video/generations/{id}` | `{"id": "cgt-mock-<n>"}`, remembered as `queued`; the list (newest first, two seeded tasks, `status`/`model` filters, `limit`/`offset`/`total`/`has_more`); a task goes `running` on its first retrieve and `succeeded` (with `content.video_url`) on its second; unknown ids → 404 `detail` |
//! | `POST /v1/batches`, `GET /v1/batches`, `GET /v1/batches/{id}`, `POST /v1/batches/{id}/cancel` | a remembered batch (`validating`; `completed` with one chat result per request from the second GET on); the list (newest first, three seeded batches, `after`/`limit`, `has_more`, `first_id`, `last_id`); `cancelling` then `cancelled`, a 409 `conflict` envelope for a finished batch; unknown ids → 404 `detail`; 422 without `requests` |
//! | `POST /v1/templates`, `GET /v1/templates`, `GET`/`PATCH`/`DELETE /v1/templates/{id}` | an in-memory store: create (422 without `name`), a bare array, one template, a partial merge that moves `updated_at`, 204 then 404 `detail` |
//! | `POST /v1/files`, `GET /v1/files`, `GET /v1/files/{id}` | a remembered file with `signed_url` `<server>/storage/upload/<id>?X-Signature=mock` (not under `/v1`); `{files, total, limit, offset}`; the file status, else 404 `detail` |
//! | `PUT /storage/upload/{id}` | the signed-URL upload: stores the bytes, `upload_status: "ready"`; storage-style XML errors: 403 without `X-Signature` or when `Content-Type` is not the file's `mime_type`, 400 when an `Authorization` header is sent |
//! | `POST /v1/files/embed`, `POST /v1/files/search` | `embedding_status: "ready"` and `chunk_count` per uploaded file (`error` for others); chunks of embedded files ranked by the share of query words they hold, `top_k`, `file_ids`, `filter`, dates; 422 without `file_ids` / `query` |
//! | `POST /v1/web/search` | `max_results` (default 5) results on `include_domains` hosts minus `exclude_domains`, the query echoed, `answer` with `include_answer: true`, `provider` `native` unless asked; 422 for an empty `query` |
//! | `POST /v1/router/select` | `openai/text-embedding-3-small` for `api_type: "embeddings"`; `anthropic/claude-sonnet-4` with `reasoning_effort` for long or code/proof prompts; else `openai/gpt-4o-mini`; `exclude_models` skipped, all excluded → the default with `fallback_used: true`; 422 without messages |
//! | `GET /v1/realtime` (WebSocket upgrade, feature `realtime`) | a `101` echoing `Sec-WebSocket-Protocol: openai-realtime`, then `session.created`; `session.update` → `session.updated`; `input_audio_buffer.append` audio (up to 8 MiB buffered) is echoed back by `response.create` as two `response.output_audio.delta` events and `response.done`; binary or unknown frames → an `invalid_request` error event; a missing or non-`rsk_` `api_key` → `invalid_api_key`, model `bad/model` → `model_not_found`, each then close 1008. A queued `MockReply` answers the upgrade as plain HTTP instead |
//! | anything else | a 500 envelope with code `mock_unrouted` whose message names the method and path |
//!
//! The completion text is [`DEFAULT_REPLY_PREFIX`] followed by the text of the last `user`
//! message, cut to its first 200 characters (for an array `content`, the `text` parts joined
//! with spaces). The `model` field echoes the request's, or [`DEFAULT_MODEL`]. Ids count up per
//! server (`chatcmpl-mock1`, `chatcmpl-mock2`, …), and `created` is always `1712345678`.
//! `prompt_tokens` counts the whitespace-separated words of every message; `completion_tokens`
//! counts the reply's space-separated words, which are exactly the content chunks of a stream.
//!
//! A stream sends, each frame `data: <json>\n\n` in its own HTTP chunk: the role with the first
//! word of the reply, one chunk per further word (with its leading space, so the contents
//! concatenate to the reply), an empty delta with `"finish_reason": "stop"`, a usage chunk with
//! `"choices": []`, `usage.prompt_tokens_details.cached_tokens` and a decimal-string `cost`
//! (priced like `openai/gpt-4o-mini`), then `data: [DONE]`.
//!
//! # Wire behaviour
//!
//! * Every response carries `X-Request-Id: req_<26 Crockford base32 characters>` (ULID-like),
//!   unique per response; envelopes built by [`MockReply::error`] repeat it as the top-level
//!   `request_id`.
//! * Connections are kept alive until the client closes, sends `Connection: close`, speaks
//!   HTTP/1.0, or stays idle for 5 s.
//! * Request bodies may be sized by `Content-Length` or sent chunked; `Expect: 100-continue` is
//!   honoured. A malformed request or a head over 64 KiB gets a 400 `invalid_request` envelope,
//!   a body over 64 MiB a 413 `request_too_large` one, both followed by closing the connection.
//!   Such requests are not recorded and do not use up a scripted reply.
//! * Dropping the server closes its listener before `drop` returns; connection threads notice
//!   within about 100 ms and close their sockets.
//!
//! # Example
//!
//! A retry test: the first attempt meets a 503, the client retries, and the default route
//! answers the second.
//!
//! ```
//! use std::time::Duration;
//! use meshapi::mock::{MockReply, MockServer};
//! use meshapi::{Client, Method};
//!
//! let server = MockServer::start()?;
//! server.enqueue(MockReply::error(503, "upstream_error", "Try again."));
//! let client = Client::builder()
//!     .token("rsk_test")
//!     .base_url(server.url())
//!     .retry_base_delay(Duration::from_millis(1))
//!     .build()?;
//!
//! let models = client.request(Method::Get, "/v1/models").send::<serde_json::Value>()?;
//! assert_eq!(models[0]["id"], "openai/gpt-4o-mini");
//!
//! let requests = server.requests();
//! assert_eq!(requests.len(), 2); // the 503, then the retry
//! assert_eq!(requests[1].path, "/v1/models");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod multipart;
#[cfg(feature = "realtime")]
mod realtime;
mod routes;
mod structured;

pub use multipart::FormPart;

use std::collections::VecDeque;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// The start of every default chat completion's text; the last user message follows it.
///
/// ```
/// use meshapi::mock::DEFAULT_REPLY_PREFIX;
///
/// let expected = format!("{DEFAULT_REPLY_PREFIX}Ping?");
/// assert_eq!(expected, "Hello from the MeshAPI mock gateway! You said: Ping?");
/// ```
pub const DEFAULT_REPLY_PREFIX: &str = "Hello from the MeshAPI mock gateway! You said: ";

/// The `model` of a default chat completion whose request named none.
///
/// ```
/// assert_eq!(meshapi::mock::DEFAULT_MODEL, "openai/gpt-4o-mini");
/// ```
pub const DEFAULT_MODEL: &str = "openai/gpt-4o-mini";

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 64 * 1024 * 1024;
/// How often a blocked thread looks up to see whether the server was dropped.
const POLL: Duration = Duration::from_millis(50);
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a closing connection waits for the client's unread bytes; see [`Conn::close`].
const LINGER: Duration = Duration::from_millis(100);
const CREATED: u64 = 1_712_345_678;
const MAX_ECHO_CHARS: usize = 200;

/// A running mock gateway; dropping it shuts it down.
///
/// Each accepted connection gets its own thread. The server is `Send + Sync`, so tests can
/// share it with client threads and read [`MockServer::requests`] at any time.
///
/// ```
/// use meshapi::mock::MockServer;
/// use meshapi::{Client, Method};
///
/// let server = MockServer::start()?;
/// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
/// let models = client.request(Method::Get, "/v1/models").send::<serde_json::Value>()?;
/// assert!(models.is_array());
/// assert_eq!(server.connections(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    stopped: AtomicBool,
    queue: Mutex<VecDeque<MockReply>>,
    requests: Mutex<Vec<RecordedRequest>>,
    connections: AtomicUsize,
    completions: AtomicU64,
    routes: routes::State,
}

impl MockServer {
    /// Binds `127.0.0.1` on a free port and starts accepting connections.
    ///
    /// ```
    /// let server = meshapi::mock::MockServer::start()?;
    /// assert!(server.addr().ip().is_loopback());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start() -> io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            stopped: AtomicBool::new(false),
            queue: Mutex::new(VecDeque::new()),
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            completions: AtomicU64::new(0),
            routes: routes::State::new(format!("http://{addr}")),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("meshapi-mock-accept".into())
                .spawn(move || accept(&listener, &shared))?
        };
        Ok(MockServer {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    ///
    /// ```
    /// let server = meshapi::mock::MockServer::start()?;
    /// assert_eq!(server.url(), format!("http://127.0.0.1:{}", server.addr().port()));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    ///
    /// ```
    /// let server = meshapi::mock::MockServer::start()?;
    /// assert_ne!(server.addr().port(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues a scripted reply. Queued replies answer the next requests in FIFO order,
    /// whatever their method and path; once the queue is empty the default routes answer again.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{Client, Method};
    ///
    /// let server = MockServer::start()?;
    /// server.enqueue(MockReply::json(200, r#"{"anything":"goes"}"#));
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let body = client.request(Method::Get, "/v1/whatever").send::<serde_json::Value>()?;
    /// assert_eq!(body, serde_json::json!({ "anything": "goes" }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enqueue(&self, reply: MockReply) {
        lock(&self.shared.queue).push_back(reply);
    }

    /// Every request received so far, in arrival order, whoever answered it. Requests the
    /// server could not parse (answered 400 or 413) are not recorded.
    ///
    /// ```
    /// use meshapi::{Client, Method};
    ///
    /// let server = meshapi::mock::MockServer::start()?;
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// client.request(Method::Get, "/v1/models?free=true").send::<serde_json::Value>()?;
    /// let requests = server.requests();
    /// assert_eq!(requests[0].method, "GET");
    /// assert_eq!(requests[0].query, "free=true");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// How many TCP connections the server has accepted so far.
    ///
    /// ```
    /// use meshapi::{Client, Method};
    ///
    /// let server = meshapi::mock::MockServer::start()?;
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// client.request(Method::Get, "/v1/models").send::<serde_json::Value>()?;
    /// client.request(Method::Get, "/v1/models").send::<serde_json::Value>()?;
    /// assert_eq!(server.connections(), 1); // the client kept the connection alive
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .field("connections", &self.connections())
            .field("requests", &lock(&self.shared.requests).len())
            .field("queued", &lock(&self.shared.queue).len())
            .finish()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            // A blocking accept() returns only for a connection, so make one to wake it up.
            if TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok() {
                let _ = acceptor.join();
            }
        }
    }
}

/// A request as the server received it.
///
/// ```
/// use meshapi::mock::MockServer;
/// use meshapi::{ChatCompletionParams, ChatMessage, Client};
///
/// let server = MockServer::start()?;
/// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
/// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
/// client.chat().completions().create(&params)?;
/// let request = &server.requests()[0];
/// assert_eq!(request.header("authorization"), Some("Bearer rsk_test"));
/// assert_eq!(request.body_json().unwrap()["messages"][0]["content"], "Hi");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, as sent (`GET`, `POST`, …).
    pub method: String,
    /// The request target's path, as sent (not percent-decoded), without the query.
    pub path: String,
    /// The raw query string without the `?`; empty when there is none.
    pub query: String,
    /// The headers in arrival order, names as sent, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body, after undoing any chunked transfer coding.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of the first header called `name`, compared case-insensitively.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let request = RecordedRequest {
    ///     method: "GET".into(),
    ///     path: "/v1/models".into(),
    ///     query: String::new(),
    ///     headers: vec![("X-MeshAPI-SDK".into(), "rust/0.1.0".into())],
    ///     body: Vec::new(),
    /// };
    /// assert_eq!(request.header("x-meshapi-sdk"), Some("rust/0.1.0"));
    /// assert_eq!(request.header("accept"), None);
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as text, with invalid UTF-8 replaced by U+FFFD.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let request = RecordedRequest {
    ///     method: "POST".into(),
    ///     path: "/v1/echo".into(),
    ///     query: String::new(),
    ///     headers: Vec::new(),
    ///     body: b"caf\xC3\xA9 \xFF".to_vec(),
    /// };
    /// assert_eq!(request.body_text(), "café \u{FFFD}");
    /// ```
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON, or `None` when it is not JSON.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let mut request = RecordedRequest {
    ///     method: "POST".into(),
    ///     path: "/v1/chat/completions".into(),
    ///     query: String::new(),
    ///     headers: Vec::new(),
    ///     body: br#"{"stream":true}"#.to_vec(),
    /// };
    /// assert_eq!(request.body_json().unwrap()["stream"], true);
    /// request.body = b"not json".to_vec();
    /// assert!(request.body_json().is_none());
    /// ```
    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The parts of a `multipart/form-data` body in arrival order, or `None` when the request
    /// is not multipart or its body does not parse.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let request = RecordedRequest {
    ///     method: "POST".into(),
    ///     path: "/v1/audio/transcriptions".into(),
    ///     query: String::new(),
    ///     headers: vec![("Content-Type".into(), "multipart/form-data; boundary=b".into())],
    ///     body: b"--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--b--\r\n".to_vec(),
    /// };
    /// let parts = request.multipart().unwrap();
    /// assert_eq!(parts[0].name, "model");
    /// assert_eq!(parts[0].text(), "m");
    /// ```
    pub fn multipart(&self) -> Option<Vec<FormPart>> {
        multipart::parse(self.header("content-type")?, &self.body)
    }
}

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
    status: u16,
    headers: Vec<(String, String)>,
    /// The `error` object of an envelope that precedes `parts`; the envelope's `request_id`
    /// is only known when the reply is sent.
    envelope: Option<Value>,
    parts: Vec<Part>,
    delay: Duration,
    chunked: bool,
    close_delimited: bool,
    hang_up: bool,
}

#[derive(Debug, Clone)]
enum Part {
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

    fn enveloped(status: u16, error: Value) -> MockReply {
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

    fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not take the server down with it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Sleeps for `d`, in naps short enough to notice a shutdown; false if the server stopped.
    fn sleep(&self, d: Duration) -> bool {
        // A pause too long for the clock (`Duration::MAX`) lasts until the server stops.
        let end = Instant::now().checked_add(d);
        loop {
            if self.stopped() {
                return false;
            }
            let now = Instant::now();
            let left = match end {
                Some(end) if now >= end => return true,
                Some(end) => end - now,
                None => POLL,
            };
            thread::sleep(left.min(POLL));
        }
    }
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopped() {
            break;
        }
        let Ok(stream) = stream else {
            // Most likely out of file descriptors: back off rather than spin.
            thread::sleep(POLL);
            continue;
        };
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(shared);
        // Without a thread the stream is dropped, which the client sees as a closed connection.
        let _ = thread::Builder::new()
            .name("meshapi-mock-conn".into())
            .spawn(move || serve(stream, &shared));
    }
}

fn serve(stream: TcpStream, shared: &Shared) {
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
        shared,
    };
    if conn.configure().is_ok() {
        while conn.exchange() {}
    }
    conn.close();
}

/// Why no request could be read.
enum Fault {
    /// The client left or idled, or the server stopped: close without a word.
    Closed,
    /// Answer with this status and message, then close.
    Reject(u16, &'static str),
}

fn bad(message: &'static str) -> Fault {
    Fault::Reject(400, message)
}

fn too_large() -> Fault {
    Fault::Reject(413, "mock gateway: request body exceeds 64 MiB")
}

struct Conn<'a> {
    stream: TcpStream,
    /// Bytes received and not yet parsed.
    buf: Vec<u8>,
    shared: &'a Shared,
}

impl Conn<'_> {
    fn configure(&self) -> io::Result<()> {
        // Each chunk must leave as soon as it is written, not when Nagle decides.
        self.stream.set_nodelay(true)?;
        self.stream.set_read_timeout(Some(POLL))?;
        self.stream.set_write_timeout(Some(POLL))
    }

    /// Reads and answers one request; false when the connection should close.
    fn exchange(&mut self) -> bool {
        match self.read_request() {
            Ok((request, keep_alive)) => {
                let scripted = lock(&self.shared.queue).pop_front();
                #[cfg(feature = "realtime")]
                if scripted.is_none() && realtime::is_upgrade(&request) {
                    lock(&self.shared.requests).push(request.clone());
                    realtime::serve(self, &request);
                    return false;
                }
                let reply = scripted.unwrap_or_else(|| default_reply(&request, self.shared));
                let head_only = request.method == "HEAD";
                lock(&self.shared.requests).push(request);
                self.respond(reply, head_only, keep_alive).unwrap_or(false)
            }
            Err(Fault::Closed) => false,
            Err(Fault::Reject(status, message)) => {
                let code = if status == 413 {
                    "request_too_large"
                } else {
                    "invalid_request"
                };
                let _ = self.respond(MockReply::error(status, code, message), false, false);
                false
            }
        }
    }

    /// Reads more bytes into `buf`; false on end of stream, error, idleness or shutdown.
    fn fill(&mut self) -> bool {
        let waiting_since = Instant::now();
        let mut chunk = [0; 64 * 1024];
        while !self.shared.stopped() && waiting_since.elapsed() < IDLE_TIMEOUT {
            match self.stream.read(&mut chunk) {
                Ok(0) => return false,
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return true;
                }
                Err(e) if is_transient(&e) => {}
                Err(_) => return false,
            }
        }
        false
    }

    /// Takes one line, without its LF or CRLF, that may be at most `budget` bytes long
    /// (terminator included); the line's length is charged to `budget`.
    fn line(&mut self, budget: &mut usize) -> Result<Vec<u8>, Fault> {
        loop {
            if let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
                if end >= *budget {
                    break;
                }
                *budget -= end + 1;
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.buf.len() >= *budget {
                break;
            }
            if !self.fill() {
                return Err(Fault::Closed);
            }
        }
        Err(bad(
            "mock gateway: request head or chunk line exceeds 64 KiB",
        ))
    }

    fn take(&mut self, n: usize) -> Result<Vec<u8>, Fault> {
        while self.buf.len() < n {
            if !self.fill() {
                return Err(Fault::Closed);
            }
        }
        let rest = self.buf.split_off(n);
        Ok(std::mem::replace(&mut self.buf, rest))
    }

    /// Reads one request and whether the client allows the connection to stay open after it.
    fn read_request(&mut self) -> Result<(RecordedRequest, bool), Fault> {
        let mut budget = MAX_HEAD;
        let mut line = self.line(&mut budget)?;
        // RFC 9112 §2.2: ignore blank lines before a request line (some clients send a CRLF
        // after a body).
        while line.is_empty() {
            line = self.line(&mut budget)?;
        }
        let line =
            std::str::from_utf8(&line).map_err(|_| bad("mock gateway: malformed request line"))?;
        let mut words = line.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(bad("mock gateway: malformed request line"));
        };
        if !is_token(method) || !target.starts_with('/') {
            return Err(bad("mock gateway: malformed request line"));
        }
        let http11 = match version {
            "HTTP/1.1" => true,
            "HTTP/1.0" => false,
            _ => return Err(bad("mock gateway: unsupported HTTP version")),
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut request = RecordedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        };

        loop {
            let line = self.line(&mut budget)?;
            if line.is_empty() {
                break;
            }
            let line = String::from_utf8_lossy(&line);
            let Some((name, value)) = line.split_once(':') else {
                return Err(bad("mock gateway: malformed header line"));
            };
            // Also rejects obsolete line folding, whose continuation lines start with whitespace.
            if !is_token(name) {
                return Err(bad("mock gateway: malformed header line"));
            }
            request
                .headers
                .push((name.to_owned(), value.trim().to_owned()));
        }

        let chunked = match request.header("transfer-encoding") {
            None => false,
            Some(coding) if coding.eq_ignore_ascii_case("chunked") => true,
            Some(_) => return Err(bad("mock gateway: unsupported Transfer-Encoding")),
        };
        let length = content_length(&request.headers)?;
        if chunked && length.is_some() {
            return Err(bad(
                "mock gateway: both Content-Length and Transfer-Encoding",
            ));
        }
        if request
            .header("expect")
            .is_some_and(|expect| expect.eq_ignore_ascii_case("100-continue"))
            && self.send(b"HTTP/1.1 100 Continue\r\n\r\n").is_err()
        {
            return Err(Fault::Closed);
        }
        request.body = if chunked {
            self.chunked_body()?
        } else {
            self.take(length.unwrap_or(0))?
        };

        let close = request.header("connection").is_some_and(|connection| {
            connection
                .split(',')
                .any(|option| option.trim().eq_ignore_ascii_case("close"))
        });
        Ok((request, http11 && !close))
    }

    fn chunked_body(&mut self) -> Result<Vec<u8>, Fault> {
        let mut body = Vec::new();
        loop {
            let mut budget = MAX_HEAD;
            let line = self.line(&mut budget)?;
            let size = line.split(|&b| b == b';').next().unwrap_or_default();
            let size = std::str::from_utf8(size)
                .ok()
                .map(str::trim)
                .filter(|size| !size.is_empty() && size.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or_else(|| bad("mock gateway: malformed chunk size"))?;
            // All hex digits, so parsing fails only on overflow, which is too large anyway.
            let size = usize::from_str_radix(size, 16).unwrap_or(usize::MAX);
            if size == 0 {
                break;
            }
            if size > MAX_BODY.saturating_sub(body.len()) {
                return Err(too_large());
            }
            body.extend(self.take(size)?);
            if !self.line(&mut budget)?.is_empty() {
                return Err(bad("mock gateway: chunk data longer than its size"));
            }
        }
        let mut budget = MAX_HEAD;
        while !self.line(&mut budget)?.is_empty() {}
        Ok(body)
    }

    /// Writes `reply`; Ok(true) when the connection can serve another request.
    fn respond(&mut self, reply: MockReply, head_only: bool, keep_alive: bool) -> io::Result<bool> {
        if !self.shared.sleep(reply.delay) || reply.hang_up {
            return Ok(false);
        }
        let custom_id = reply.header_value("x-request-id").map(str::to_owned);
        let request_id = custom_id.clone().unwrap_or_else(mint_request_id);
        let streaming = reply.chunked
            || reply
                .parts
                .iter()
                .any(|part| matches!(part, Part::Pause(_) | Part::Drop));
        let chunked = streaming && !reply.close_delimited;
        let bodiless = head_only || matches!(reply.status, 100..=199 | 204 | 304);
        let keep_alive = keep_alive && !reply.close_delimited;

        let mut parts = reply.parts;
        if let Some(error) = reply.envelope {
            let envelope = json!({ "error": error, "request_id": request_id });
            parts.insert(0, Part::Bytes(envelope.to_string().into_bytes()));
        }

        let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
        for (name, value) in &reply.headers {
            head += &format!("{name}: {value}\r\n");
        }
        if custom_id.is_none() {
            head += &format!("X-Request-Id: {request_id}\r\n");
        }
        if !bodiless && chunked {
            head += "Transfer-Encoding: chunked\r\n";
        } else if !bodiless && !reply.close_delimited {
            // Each part is its own allocation, so together they fit in the address space.
            let length: usize = parts
                .iter()
                .map(|part| match part {
                    Part::Bytes(bytes) => bytes.len(),
                    Part::Pause(_) | Part::Drop => 0,
                })
                .sum();
            head += &format!("Content-Length: {length}\r\n");
        }
        if !keep_alive {
            head += "Connection: close\r\n";
        }
        head += "\r\n";

        let mut out = head.into_bytes();
        if !bodiless {
            for part in parts {
                if streaming {
                    self.send(&out)?;
                    out.clear();
                }
                match part {
                    // An empty chunk would end the body.
                    Part::Bytes(bytes) if chunked && bytes.is_empty() => {}
                    Part::Bytes(bytes) if chunked => {
                        out.extend(format!("{:X}\r\n", bytes.len()).into_bytes());
                        out.extend(bytes);
                        out.extend(b"\r\n");
                    }
                    Part::Bytes(bytes) => out.extend(bytes),
                    Part::Pause(d) => {
                        if !self.shared.sleep(d) {
                            return Ok(false);
                        }
                    }
                    Part::Drop => return Ok(false),
                }
            }
            if chunked {
                out.extend(b"0\r\n\r\n");
            }
        }
        self.send(&out)?;
        Ok(keep_alive)
    }

    /// Writes all of `bytes`, giving up if the server stops while the client is not reading.
    fn send(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            if self.shared.stopped() {
                return Err(io::ErrorKind::ConnectionAborted.into());
            }
            match self.stream.write(bytes) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if is_transient(&e) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Closes the connection after briefly draining what the client still sends: closing a
    /// socket with unread input makes the kernel send a reset, which can destroy the response
    /// before the client reads it.
    fn close(mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let deadline = Instant::now() + LINGER;
        let mut sink = [0; 4096];
        while Instant::now() < deadline && !self.shared.stopped() {
            match self.stream.read(&mut sink) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if is_transient(&e) => {}
                Err(_) => break,
            }
        }
    }
}

fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// RFC 9110 `token`, the syntax of methods and header names.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The request's `Content-Length`, if any; repeated headers must agree.
fn content_length(headers: &[(String, String)]) -> Result<Option<usize>, Fault> {
    let mut length = None;
    for (_, value) in headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"))
    {
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("mock gateway: malformed Content-Length"));
        }
        // All digits, so parsing fails only on overflow, which is too large anyway.
        let n = value.parse::<usize>().unwrap_or(usize::MAX);
        if length.is_some_and(|previous| previous != n) {
            return Err(bad("mock gateway: conflicting Content-Length headers"));
        }
        length = Some(n);
    }
    if length.is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    Ok(length)
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `req_` and a ULID-like id: 48 bits of milliseconds, then 80 bits that differ for every id
/// this process mints.
fn mint_request_id() -> String {
    const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static SEED: OnceLock<u64> = OnceLock::new();
    let seed = *SEED.get_or_init(|| RandomState::new().build_hasher().finish());
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() & ((1 << 48) - 1));
    // xor with a constant keeps distinct counters distinct.
    let random = (u128::from(seed) << 16) ^ u128::from(COUNTER.fetch_add(1, Ordering::Relaxed));
    let value = (millis << 80) | random;
    let mut id = String::from("req_");
    for digit in (0..26).rev() {
        id.push(char::from(
            CROCKFORD[((value >> (digit * 5)) & 31) as usize],
        ));
    }
    id
}

fn default_reply(request: &RecordedRequest, shared: &Shared) -> MockReply {
    if let Some(reply) = routes::route(request, &shared.routes) {
        return reply;
    }
    match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/v1/chat/completions") => chat_completion(request, &shared.completions),
        (method, path) => MockReply::error(
            500,
            "mock_unrouted",
            &format!(
                "mock gateway: no route for {method} {path} (enqueue a MockReply to script it)"
            ),
        ),
    }
}

fn chat_completion(request: &RecordedRequest, completions: &AtomicU64) -> MockReply {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return validation_error(json!({
            "type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"
        }));
    };
    let Some(messages) = body.get("messages") else {
        return validation_error(json!({
            "type": "missing", "loc": ["body", "messages"], "msg": "Field required"
        }));
    };
    let Some(messages) = messages.as_array() else {
        return validation_error(json!({
            "type": "list_type", "loc": ["body", "messages"], "msg": "Input should be a valid list"
        }));
    };

    let said: String = messages
        .iter()
        .rev()
        .find(|message| message["role"] == "user")
        .map(text_of)
        .unwrap_or_default()
        .chars()
        .take(MAX_ECHO_CHARS)
        .collect();
    let text = match structured::schema_of(&body) {
        Some(schema) => structured::example(schema, &said).to_string(),
        None => format!("{DEFAULT_REPLY_PREFIX}{said}"),
    };
    let words: Vec<String> = text
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            if i == 0 {
                word.to_owned()
            } else {
                format!(" {word}")
            }
        })
        .collect();
    let prompt_tokens: usize = messages
        .iter()
        .map(|message| text_of(message).split_whitespace().count())
        .sum();
    let completion_tokens = words.len();
    let usage = json!({
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens.saturating_add(completion_tokens),
    });
    let id = format!(
        "chatcmpl-mock{}",
        completions.fetch_add(1, Ordering::SeqCst) + 1
    );
    let model = body["model"].as_str().unwrap_or(DEFAULT_MODEL);

    if body["stream"] != true {
        let completion = json!({
            "id": id,
            "object": "chat.completion",
            "created": CREATED,
            "model": model,
            "choices": [{
                "index": 0,
                "message": { "role": "assistant", "content": text },
                "finish_reason": "stop",
            }],
            "usage": usage,
            "system_fingerprint": null,
        });
        return MockReply::json(200, completion.to_string());
    }

    let chunk = |choices: Value| {
        json!({
            "id": id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "choices": choices,
        })
    };
    let mut reply = MockReply::sse();
    for (i, word) in words.iter().enumerate() {
        let delta = if i == 0 {
            json!({ "role": "assistant", "content": word })
        } else {
            json!({ "content": word })
        };
        let choices = json!([{ "index": 0, "delta": delta, "finish_reason": null }]);
        reply = reply.data(&chunk(choices).to_string());
    }
    let stop = json!([{ "index": 0, "delta": {}, "finish_reason": "stop" }]);
    let mut last = chunk(json!([]));
    last["usage"] = usage;
    last["usage"]["prompt_tokens_details"] = json!({ "cached_tokens": 0 });
    last["cost"] = json!(cost(prompt_tokens, completion_tokens));
    reply
        .data(&chunk(stop).to_string())
        .data(&last.to_string())
        .done()
}

fn validation_error(detail: Value) -> MockReply {
    MockReply::enveloped(
        422,
        json!({
            "code": "validation_error",
            "message": "Request validation failed.",
            "details": [detail],
        }),
    )
}

/// A message's text: a string `content`, or the `text` parts of an array one joined with spaces.
fn text_of(message: &Value) -> String {
    match &message["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|part| part["text"].as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// The USD cost at `openai/gpt-4o-mini` list prices (0.15 and 0.60 USD per million prompt and
/// completion tokens), as the decimal string the gateway sends.
fn cost(prompt_tokens: usize, completion_tokens: usize) -> String {
    // The counts come from the request body; a 64 MiB body of one-letter words would overflow
    // a 32-bit usize at 150 nano-USD each.
    let tokens = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let nano_usd = tokens(prompt_tokens)
        .saturating_mul(150)
        .saturating_add(tokens(completion_tokens).saturating_mul(600));
    let exact = format!(
        "{}.{:09}",
        nano_usd / 1_000_000_000,
        nano_usd % 1_000_000_000
    );
    exact.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
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
            X-Request-Id: ID\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
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
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Request-Id: ID\r\n\
             Connection: close\r\n\r\ndata: 1\n\ndata: 2\n\n"
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
             X-Request-Id: ID\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}"
        );
        assert_eq!(
            raw_exchange(&server, close),
            "HTTP/1.1 599 \r\nX-Request-Id: ID\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
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
            (b"POST /v1/x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
            (b"POST /v1/x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            (b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
            (b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
            (b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n", 400),
            (big_head.as_bytes(), 400),
            (b"POST /v1/x HTTP/1.1\r\nContent-Length: 67108865\r\n\r\n", 413),
            (b"POST /v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4000001\r\n", 413),
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
}
