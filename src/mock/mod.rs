//! An embedded MeshAPI gateway for tests, examples and benchmarks.
//!
//! [`MockServer`] is a small HTTP/1.1 server on `127.0.0.1`, on a free port, built on the
//! standard library alone. Point a client at [`MockServer::url`], script the next answers with
//! [`MockServer::enqueue`], and look at what arrived with [`MockServer::requests`]. It is
//! available behind the `mock` cargo feature.
//!
//! # Who answers
//!
//! A request is answered by the first of:
//!
//! 1. a mounted [`MockRoute`] of its method and path (exact or prefix) that has a reply left,
//!    in the order routes were mounted ([`MockServer::mount`]); a route's replies never reach
//!    another route, so a retry of one call cannot use up the reply meant for the next;
//! 2. the oldest reply queued with [`MockServer::enqueue`], whatever the route (the simple
//!    case: a test that scripts one call after another);
//! 3. the default routes below, or, for a server made by [`MockServer::start_strict`], a 500
//!    envelope with code `mock_unscripted`.
//!
//! Mounted routes carry expectations (by default: every reply used), which
//! [`MockServer::verify`] checks, and so does dropping the server unless the test is already
//! panicking. Every answer not scripted otherwise echoes the request's valid `X-Request-Id`
//! and carries `X-Mesh-Version` (the label asked for, else `2026-08`); a default route asked
//! for a version it does not serve answers 400 `invalid_api_version` with
//! `supported_versions`.
//!
//! | Route | Answer |
//! |---|---|
//! | `POST /v1/chat/completions` | a `chat.completion`; with `"stream": true`, an SSE stream of `chat.completion.chunk`s ending in `data: [DONE]`; a 422 `validation_error` envelope when the body is not JSON or has no `messages` list |
//! | `POST /v1/chat/completions` with a `json_schema` `response_format` | the same, with a reply that is a JSON value following the schema (`const`, `default` or first `enum` value; strings echo the user's text, numbers 1, booleans true, arrays one item) |
//! | `POST /v1/messages` | Anthropic's `message` (`msg_mock<n>`) with one text block echoing the last user turn, `end_turn`; with `tools` (and no `tool_result` in the last turn, `tool_choice` not `none`) a `tool_use` block follows (`stop_reason: "tool_use"`, input following the tool's `input_schema`); `stop_sequences` and `max_tokens` cut the text. With `"stream": true`: Anthropic's events, each also on an `event:` line — `message_start` (usage zeros), text block start, a `ping`, one `text_delta` per word, block stop, the tool use in `input_json_delta` pieces, `message_delta` (stop reason, real usage), `message_stop`, no `[DONE]`; a 400 `invalid_request_error` in Anthropic's envelope without `model`, `max_tokens` or `messages` |
//! | `POST /v1/chat/compare` | one result per model (`content` = the chat mock's reply text, `usage`, `latency_ms`, `request_id`, a `response_body`); a model whose id contains `fail` gets a string `error` + `error_code` and makes `partial: true`; a `comparison` synthesis unless `skip_comparison`. With `"stream": true`: `event: delta` frames (`model`, `delta`), `event: model_error` (string `error`), `event: model_done`, `event: comparison` frames, `event: done`, then `data: [DONE]`; a 422 envelope when `models` or `messages` is missing |
//! | `POST /v1/responses` | a `response` (`resp_mock<n>`, `status: "completed"`, one assistant message whose `output_text` echoes the input, `usage`); with `"background": true` it is remembered for list/get. With `"stream": true`: `response.created`, one `response.output_text.delta` per word, `response.completed`, then `data: [DONE]`; 422 when `input` is missing |
//! | `GET /v1/responses`, `GET /v1/responses/{id}` | the remembered background jobs (`after`, `limit`, `has_more`, `first_id`, `last_id`); one of them, else a 404 `{"detail": ..}` |
//! | `POST /v1/embeddings` | one deterministic unit-length vector per input (hashed byte trigrams, `dimensions` long, 8 by default), as floats or, with `encoding_format: "base64"`, base64 little-endian f32s; `usage`; 422 `detail` for a missing or badly shaped `input` or more than 2048 inputs |
//! | `GET /v1/models` | a bare JSON array of four models, `openai/gpt-4o-mini` first, then `meta-llama/llama-3.3-70b-instruct:free`, `anthropic/claude-sonnet-4` and `openai/text-embedding-3-small`, pricing as decimal strings; filtered by `free`, `type` and `provider` |
//! | `GET /v1/models/free`, `GET /v1/models/paid` | bare arrays of the free / paid models (these routes win over `{model_id:path}`) |
//! | `GET /v1/models/search` | `{items, total, limit, offset, brands}`: `q` terms matched in id, name and brand; `free`, `discounted`, repeated `brand`, `input_modality`, `output_modality`; `sort` and `order`; `limit` (echoed) and `offset`; a bad parameter → 422 `detail` |
//! | `GET /v1/models/{model_id:path}/providers` | the serving routes of a catalogue model, each with the six `supports_video_*` input flags (matched before the model route); unknown → 404 `detail` |
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
//! | `POST /v1/usage` | sums over six seeded requests (27 Nov – 1 Dec 2026, four models, one failed, one rerouted) filtered by `model`, `status`, `since` (inclusive) and `until` (exclusive); `by_model` paged by `limit`/`offset`, costliest first; money as 8-decimal strings; 422 `detail` without a string `org_id` or with a bad `limit`/`offset` |
//! | `POST /v1/usage/events` | the seeded requests, newest first, same filters, `{events, total, limit, offset}`, `limit` 1–200 (default 50), else 422 |
//! | `GET /v1/usage/events/{event_id}/attempts` | `{request_id, attempts}`: every row sharing the event's request id, oldest first (`evt_seed5` has two failed attempts before it); unknown → 404 `detail` |
//! | `GET /v1/usage/rate-limits` | `as_of`, a `key` scope with `rpm`, `rpd`, `tpm` (`current`, `limit`, `pct`, `resets_in_seconds`, `is_default_limit`), `org`/`team`/`member` null |
//! | `GET /v1/usage/spend-trend` | `{granularity, buckets: [{bucket, spend_usd, moving_avg_usd}], total_usd}` for `granularity` `day` (default), `week` (Monday dates) or `month`; anything else → 422 |
//! | `GET /v1/balance` | `balance_usd` 25, `reserved_usd` 1.25 (`reserved_breakdown` by category), `available_usd` 23.75, `updated_at`, `message` null |
//! | `GET /v1/api-versions` | a bare array of the served versions, `2026-08` (the baseline) and `2026-09` (the latest, with capability `video.poll_by_request_id`) |
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
//! * Every response carries `X-Request-Id`: the caller's own when the request sent a valid one
//!   (1 to 64 of `A-Z a-z 0-9 . _ : -`), else `req_<26 Crockford base32 characters>`
//!   (ULID-like), unique per response; envelopes built by [`MockReply::error`] repeat it as the
//!   top-level `request_id`.
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
mod recording;
mod reply;
mod routes;
mod script;
mod server;
mod structured;

pub use multipart::FormPart;
pub use recording::RecordedRequest;
pub use reply::MockReply;
pub use script::{MockRoute, PathMatch, RouteHandle};

use reply::Part;
use routes::chat::{text_of, validation_error};
use server::{accept, mint_request_id};

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
/// How long a closing connection waits for the client's unread bytes; see [`server::Conn::close`].
const LINGER: Duration = Duration::from_millis(100);
pub(crate) const CREATED: u64 = 1_712_345_678;
pub(crate) const MAX_ECHO_CHARS: usize = 200;

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
    /// Unscripted requests get the loud 500 instead of the default routes.
    strict: bool,
    scripted: script::Routes,
    queue: Mutex<VecDeque<MockReply>>,
    requests: Mutex<Vec<RecordedRequest>>,
    connections: AtomicUsize,
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
        MockServer::bind(false)
    }

    /// A server in strict mode: a request that no mounted route or queued reply answers gets
    /// a 500 envelope with code `mock_unscripted` naming its method and path, instead of the
    /// default routes' answer, so a test sees every call its code makes that it did not script.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockRoute, MockServer};
    /// use meshapi::{Client, ErrorCode};
    ///
    /// let server = MockServer::start_strict()?;
    /// server.mount(MockRoute::new("GET", "/v1/models").reply(MockReply::json(200, "[]")));
    /// let client = Client::builder().token("rsk_test").base_url(server.url()).max_retries(0).build()?;
    /// assert!(client.models().list(&Default::default())?.is_empty());
    /// let err = client.models().free().unwrap_err();
    /// assert_eq!(err.code(), &ErrorCode::Other("mock_unscripted".into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start_strict() -> io::Result<MockServer> {
        MockServer::bind(true)
    }

    fn bind(strict: bool) -> io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            stopped: AtomicBool::new(false),
            strict,
            scripted: Mutex::new(Vec::new()),
            queue: Mutex::new(VecDeque::new()),
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
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

    /// Queues a scripted reply for the next request that no mounted route answers, whatever
    /// its method and path, in FIFO order; once the queue is empty the default routes answer
    /// again. Queued replies carry no expectations: for those, and for replies that only one
    /// route may use, [`mount`](MockServer::mount) a [`MockRoute`].
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

    /// Mounts a route: its replies answer only requests of its method and path, before the
    /// queue and the defaults; routes are tried in the order they were mounted. See
    /// [`MockRoute`].
    pub fn mount(&self, route: MockRoute) -> RouteHandle {
        RouteHandle {
            shared: Arc::clone(&self.shared),
            index: script::mount(&self.shared.scripted, route),
        }
    }

    /// Panics, listing each one, if a mounted route's expectation is not met: a reply never
    /// used, a route used more or less often than it expects. Dropping the server runs the
    /// same check, unless the thread is already panicking.
    ///
    /// ```should_panic
    /// use meshapi::mock::{MockReply, MockRoute, MockServer};
    ///
    /// let server = MockServer::start().unwrap();
    /// server.mount(MockRoute::new("GET", "/v1/models").reply(MockReply::json(200, "[]")));
    /// server.verify(); // panics: "GET /v1/models: expected exactly 1 request(s), got 0"
    /// ```
    pub fn verify(&self) {
        let unmet = script::unmet(&self.shared.scripted);
        assert!(
            unmet.is_empty(),
            "mock gateway: unmet expectations:\n  {}",
            unmet.join("\n  ")
        );
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
        // Stop first: a panic here must not leave the server running.
        let verify = !thread::panicking();
        if let Some(acceptor) = self.acceptor.take() {
            // A blocking accept() returns only for a connection, so make one to wake it up.
            if TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok() {
                let _ = acceptor.join();
            }
        }
        if verify {
            self.verify();
        }
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

/// The mounted route's reply for `request`, else the queue's next.
fn scripted_reply(request: &RecordedRequest, shared: &Shared) -> Option<MockReply> {
    script::take(&shared.scripted, request).or_else(|| lock(&shared.queue).pop_front())
}

fn default_reply(request: &RecordedRequest, shared: &Shared) -> MockReply {
    if shared.strict {
        let (method, path) = (&request.method, &request.path);
        return MockReply::error(
            500,
            "mock_unscripted",
            &format!("mock gateway (strict): nothing scripted for {method} {path}"),
        );
    }
    routes::route(request, &shared.routes).unwrap_or_else(|| {
        let (method, path) = (&request.method, &request.path);
        MockReply::error(
            500,
            "mock_unrouted",
            &format!(
                "mock gateway: no route for {method} {path} (enqueue a MockReply to script it)"
            ),
        )
    })
}

#[cfg(test)]
mod tests;
