//! [`Client`], [`ClientBuilder`], and the resource accessors.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::MeshApiError;
use crate::events::{Event, Listeners, ResponseInfo};
use crate::meta::{Answer, ResponseMeta};
use crate::multipart::Form;
use crate::options::{self, RequestOptions};
use crate::resources::usage::{Balance, Usage};
use crate::resources::{
    audio::Audio, batches::Batches, chat::Chat, compare::Compare, embeddings::Embeddings,
    images::Images, messages::Messages, models::Models, moderations::Moderations, rag::Rag,
    responses::Responses, router::Router, templates::Templates, videos::Videos, web::Web,
};
use crate::retry::{self, Call, Deprecations, RetryBudget, RetryPolicy};
use crate::stream::{ByteStream, Stream};
use crate::transport::{
    self, CallHeaders, Method, Mode, ProxyConfig, Request, Response, Transport, TransportConfig,
};

/// The gateway's production address.
pub const DEFAULT_BASE_URL: &str = "https://api.meshapi.ai";
/// How long one attempt of a non-streaming request may take, and how long a stream may take
/// to start.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// How often a failed request is repeated (so at most 4 attempts).
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// The first backoff delay; it doubles with every retry.
pub const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(500);
/// The longest backoff delay, also the cap on a server's `Retry-After`.
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(30);
/// The largest SSE line or event a stream accepts.
pub const DEFAULT_MAX_EVENT_SIZE: usize = crate::sse::DEFAULT_MAX_EVENT_SIZE;
/// Longer timeouts are cut to this (about a century): in effect no limit, and still a
/// deadline the clock can hold.
const LONGEST_TIMEOUT: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
/// The largest response body read into memory whole: 256 MiB.
pub const DEFAULT_MAX_BODY_SIZE: usize = 256 * 1024 * 1024;
/// The API version this crate is written against, sent as `X-Mesh-Version` unless the builder
/// chooses another or none ([`ClientBuilder::api_version`]).
pub const API_VERSION: &str = "2026-08";
/// The statuses on which the model fallback chain moves on, unless the builder says otherwise.
pub const DEFAULT_FALLBACK_STATUSES: [u16; 3] = [502, 503, 504];
/// The largest request body the gateway accepts: 32 MiB, on every endpoint. A larger one is
/// refused before it is sent, with [`ErrorCode::RequestTooLarge`](crate::ErrorCode::RequestTooLarge);
/// send large files by URL or through the RAG upload instead.
pub const MAX_REQUEST_BODY: usize = 32 * 1024 * 1024;
/// The environment variable [`Client::from_env`] reads the token from.
pub const ENV_TOKEN: &str = "MESHAPI_TOKEN";
/// The environment variable [`Client::from_env`] reads a base URL from, when set.
pub const ENV_BASE_URL: &str = "MESHAPI_BASE_URL";

/// A blocking MeshAPI client.
///
/// `Client` is cheap to clone and `Send + Sync`: clones share one connection pool, so hand a
/// clone to every thread.
///
/// ```no_run
/// use meshapi::{ChatCompletionParams, ChatMessage, Client};
///
/// let client = Client::from_env()?;
/// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi!")]);
/// let reply = client.chat().completions().create(&params)?;
/// println!("{}", reply.choices[0].message.content.as_deref().unwrap_or(""));
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Set on a view made by [`Client::with_options`].
    options: Option<Arc<RequestOptions>>,
}

struct Inner {
    transport: Transport,
    base_url: String,
    timeout: Duration,
    retry: RetryPolicy,
    budget: Option<RetryBudget>,
    listeners: Listeners,
    deprecations: Deprecations,
    fallback_models: Vec<String>,
    fallback_statuses: Vec<u16>,
    max_event_size: usize,
    /// The token and timeouts again, for the WebSocket, which does not go through the
    /// transport. Never printed: `Client`'s `Debug` leaves it out.
    #[cfg(feature = "realtime")]
    realtime: crate::resources::realtime::Settings,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &"<redacted>")
            .field("transport", &self.inner.transport)
            .field("retry", &self.inner.retry)
            .field("budget", &self.inner.budget)
            .field("listeners", &self.inner.listeners)
            .field("fallback_models", &self.inner.fallback_models)
            .field("max_event_size", &self.inner.max_event_size)
            .field("options", &self.options)
            .finish()
    }
}

impl Client {
    /// A client for the production gateway with every default.
    ///
    /// ```
    /// let client = meshapi::Client::new("rsk_...")?;
    /// assert_eq!(client.base_url(), "https://api.meshapi.ai");
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn new(token: impl Into<String>) -> Result<Client, MeshApiError> {
        Client::builder().token(token).build()
    }

    /// A client configured from `MESHAPI_TOKEN` and, when set, `MESHAPI_BASE_URL`.
    pub fn from_env() -> Result<Client, MeshApiError> {
        Client::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Client::from_env`] over any source of variables, so that it can be tested without
    /// touching the process environment.
    fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Client, MeshApiError> {
        let token = var(ENV_TOKEN).ok_or_else(|| {
            MeshApiError::config(format!("{ENV_TOKEN} is not set (or not valid unicode)"))
        })?;
        let mut builder = Client::builder().token(token);
        if let Some(base_url) = var(ENV_BASE_URL) {
            builder = builder.base_url(base_url);
        }
        builder.build()
    }

    /// A builder for a client with non-default settings.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = meshapi::Client::builder()
    ///     .token("rsk_...")
    ///     .base_url("http://localhost:8000/")
    ///     .timeout(Duration::from_secs(120))
    ///     .max_retries(5)
    ///     .header("X-Team", "search")
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://localhost:8000");
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Chat: `client.chat().completions()`.
    pub fn chat(&self) -> Chat<'_> {
        Chat::new(self)
    }

    /// `POST /v1/chat/compare`: one prompt fanned out to several models.
    pub fn compare(&self) -> Compare<'_> {
        Compare::new(self)
    }

    /// The Anthropic-compatible Messages API (`POST /v1/messages`).
    pub fn messages(&self) -> Messages<'_> {
        Messages::new(self)
    }

    /// The Responses API (`/v1/responses`).
    pub fn responses(&self) -> Responses<'_> {
        Responses::new(self)
    }

    /// `POST /v1/embeddings`.
    pub fn embeddings(&self) -> Embeddings<'_> {
        Embeddings::new(self)
    }

    /// The model catalogue (`/v1/models`).
    pub fn models(&self) -> Models<'_> {
        Models::new(self)
    }

    /// `POST /v1/moderations`.
    pub fn moderations(&self) -> Moderations<'_> {
        Moderations::new(self)
    }

    /// Image generation and editing (`/v1/images`).
    pub fn images(&self) -> Images<'_> {
        Images::new(self)
    }

    /// Speech, transcription, translation and voices (`/v1/audio`).
    pub fn audio(&self) -> Audio<'_> {
        Audio::new(self)
    }

    /// Video generation tasks (`/v1/video/generations`).
    pub fn videos(&self) -> Videos<'_> {
        Videos::new(self)
    }

    /// Batch jobs (`/v1/batches`).
    pub fn batches(&self) -> Batches<'_> {
        Batches::new(self)
    }

    /// Prompt templates (`/v1/templates`).
    pub fn templates(&self) -> Templates<'_> {
        Templates::new(self)
    }

    /// RAG files: upload, embed and search (`/v1/files`).
    pub fn rag(&self) -> Rag<'_> {
        Rag::new(self)
    }

    /// Web search (`POST /v1/web/search`).
    pub fn web(&self) -> Web<'_> {
        Web::new(self)
    }

    /// The auto-router's model choice (`POST /v1/router/select`).
    pub fn router(&self) -> Router<'_> {
        Router::new(self)
    }

    /// Usage, spend and rate limits (`/v1/usage…`).
    pub fn usage(&self) -> Usage<'_> {
        Usage::new(self)
    }

    /// The credit balance (`GET /v1/balance`).
    pub fn balance(&self) -> Balance<'_> {
        Balance::new(self)
    }

    /// The realtime WebSocket API (`/v1/realtime`); needs the `realtime` feature.
    #[cfg(feature = "realtime")]
    pub fn realtime(&self) -> crate::resources::realtime::Realtime<'_> {
        crate::resources::realtime::Realtime::new(self)
    }

    #[cfg(feature = "realtime")]
    pub(crate) fn realtime_settings(&self) -> &crate::resources::realtime::Settings {
        &self.inner.realtime
    }

    /// The API versions the gateway serves (`GET /v1/api-versions`), oldest first: which
    /// labels [`ClientBuilder::api_version`] may name, which is the baseline, and when one
    /// goes away. Read its metadata through [`RequestOptions::capture_meta`].
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// for version in client.api_versions()? {
    ///     println!("{} {:?} baseline={}", version.label, version.status, version.baseline);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn api_versions(&self) -> Result<Vec<crate::types::versions::ApiVersion>, MeshApiError> {
        self.get("/v1/api-versions")
    }

    /// For the realtime WebSocket to follow the same proxy as requests.
    #[cfg(feature = "realtime")]
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// A request to any path, sent through the same retry loop, error mapping and SSE decoder
    /// as the typed methods: for endpoints and fields this version of the crate does not type
    /// yet. Add a JSON body with [`RawRequest::json`], then [`send`](RawRequest::send) it and
    /// decode the answer into any type (`serde_json::Value` for anything, `()` for an empty
    /// body), or open it as a [`stream`](RawRequest::stream) of SSE items.
    ///
    /// `path` is appended to the base URL as given, so encode ids in it yourself; it must start
    /// with `/`.
    ///
    /// ```no_run
    /// use meshapi::{Client, Method};
    /// use serde_json::{Value, json};
    ///
    /// let client = Client::from_env()?;
    /// let models: Value = client.request(Method::Get, "/v1/models?free=true").send()?;
    /// let moderation: Value = client
    ///     .request(Method::Post, "/v1/moderations")
    ///     .json(&json!({"input": "hello"}))
    ///     .send()?;
    /// for event in client
    ///     .request(Method::Post, "/v1/some/new/stream")
    ///     .json(&json!({"stream": true}))
    ///     .stream::<Value>()
    /// {
    ///     println!("{}", event?);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn request(&self, method: Method, path: &str) -> RawRequest<'_> {
        let error = (!path.starts_with('/'))
            .then(|| MeshApiError::config(format!("the path {path:?} must start with '/'")));
        RawRequest {
            client: self,
            method,
            path: path.to_owned(),
            body: None,
            error,
        }
    }

    /// A view of this client whose calls use `options` on top of the client's settings. It
    /// shares the connection pool, the retry budget and everything else with the client, and
    /// costs one allocation. A view of a view layers its options: later settings win, while
    /// headers, query parameters, body fields and callbacks add up.
    ///
    /// ```
    /// use std::time::Duration;
    /// use meshapi::RequestOptions;
    ///
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// let patient = client.with_options(RequestOptions::new().timeout(Duration::from_secs(600)));
    /// let page = patient.models().list(&Default::default())?;
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let options = match &self.options {
            Some(base) => base.as_ref().clone().layer(options),
            None => options,
        };
        Client {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(options)),
        }
    }

    fn options(&self) -> &RequestOptions {
        static NONE: LazyLock<RequestOptions> = LazyLock::new(RequestOptions::default);
        self.options.as_deref().unwrap_or(&NONE)
    }

    /// The models the chat fallback chain tries after the requested one, and the statuses that
    /// move it on.
    pub(crate) fn fallback_chain(&self) -> (&[String], &[u16]) {
        let models = self
            .options()
            .fallback_models
            .as_deref()
            .unwrap_or(&self.inner.fallback_models);
        (models, &self.inner.fallback_statuses)
    }

    pub(crate) fn listeners(&self) -> Cow<'_, Listeners> {
        let own = &self.options().listeners;
        if own.events.is_empty() && own.responses.is_empty() && !own.debug {
            Cow::Borrowed(&self.inner.listeners)
        } else {
            Cow::Owned(self.inner.listeners.and(own))
        }
    }

    /// Everything a call sends besides its method and mode, from the view's options: the URL
    /// with its extra query, the call's headers, the body with its extra fields, and the
    /// retry loop's settings. Fails, before anything is sent, on an invalid option.
    fn prepare(
        &self,
        target: &str,
        mode: Mode,
        body: Option<(&[u8], &str)>,
    ) -> Result<Prepared<'_>, MeshApiError> {
        let options = self.options();
        let timeout = match options.timeout {
            Some(t) if t.is_zero() => return Err(zero_timeout()),
            Some(t) => t.min(LONGEST_TIMEOUT),
            None => self.inner.timeout,
        };
        let deadline = match options.call_timeout {
            Some(t) if t.is_zero() => return Err(zero_timeout()),
            Some(t) => {
                let t = t.min(LONGEST_TIMEOUT);
                Instant::now().checked_add(t).map(|end| (end, t))
            }
            None => None,
        };
        let policy = match (&options.retry, options.max_retries) {
            (None, None) => Cow::Borrowed(&self.inner.retry),
            (policy, max_retries) => {
                let policy = policy.as_ref().unwrap_or(&self.inner.retry).clone();
                Cow::Owned(match max_retries {
                    Some(n) => policy.max_retries(n),
                    None => policy,
                })
            }
        };
        let call = Call {
            policy,
            budget: self.inner.budget.as_ref(),
            listeners: self.listeners(),
            deprecations: &self.inner.deprecations,
            timeout,
            deadline,
            started: Instant::now(),
        };
        let body_len = body.map_or(0, |(bytes, _)| bytes.len());
        if mode == Mode::SignedUpload {
            return Ok(Prepared {
                url: target.to_owned(),
                headers: CallHeaders::default(),
                body: None,
                call,
            });
        }
        if let Some(id) = &options.request_id {
            options::check_request_id(id)?;
        }
        let own = options
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()));
        let id = options.request_id.as_deref().map(|id| ("x-request-id", id));
        let headers = CallHeaders::new(own.chain(id))?;
        let mut url = String::with_capacity(self.inner.base_url.len() + target.len());
        url.push_str(&self.inner.base_url);
        url.push_str(target);
        for (i, (name, value)) in options.query.iter().enumerate() {
            url.push(if i == 0 && !target.contains('?') {
                '?'
            } else {
                '&'
            });
            crate::path::encode_into(&mut url, name, b"");
            url.push('=');
            crate::path::encode_into(&mut url, value, b"");
        }
        let body = if options.body_fields.is_empty() {
            None
        } else {
            let json = body.filter(|(_, content_type)| *content_type == JSON);
            Some(options::merge_body(
                json.map(|(b, _)| b),
                &options.body_fields,
            )?)
        };
        let size = body.as_ref().map_or(body_len, Vec::len);
        if size > MAX_REQUEST_BODY {
            return Err(MeshApiError::new(
                crate::ErrorCode::RequestTooLarge,
                format!(
                    "the request body is {size} bytes, over the gateway's limit of \
                     {MAX_REQUEST_BODY} (32 MiB); send large files by URL or through the RAG upload"
                ),
            )
            .not_sent());
        }
        Ok(Prepared {
            url,
            headers,
            body,
            call,
        })
    }

    /// Sends a request through the retry loop; `read` turns a successful response and its
    /// metadata into the answer, as a part of the attempt.
    fn send<T>(
        &self,
        method: Method,
        target: &str,
        body: Option<(&[u8], &str)>,
        mode: Mode,
        mut read: impl FnMut(Response, ResponseMeta) -> Result<T, MeshApiError>,
    ) -> Result<T, MeshApiError> {
        let prepared = self.prepare(target, mode, body)?;
        let mut req = Request {
            method,
            url: prepared.url,
            body: prepared.body.as_deref().map(|b| (b, JSON)).or(body),
            mode,
            headers: &prepared.headers,
            timeout: prepared.call.timeout,
        };
        let capture = self.options().capture.as_ref();
        retry::send_with_retry(
            &self.inner.transport,
            &prepared.call,
            &mut req,
            |response, meta| {
                if let Some(capture) = capture {
                    capture.put(&meta);
                }
                read(response, meta)
            },
        )
    }

    /// Sends one attempt of an exchange read at the caller's pace (a stream): never retried.
    /// Returns the response, whatever its status, with its metadata when it is a success.
    fn open(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<(Response, Option<ResponseMeta>), MeshApiError> {
        let body = body.map(|b| (b, JSON));
        let prepared = self.prepare(path, Mode::Stream, body)?;
        let call = &prepared.call;
        let req = Request {
            method,
            url: prepared.url.clone(),
            body: prepared.body.as_deref().map(|b| (b, JSON)).or(body),
            mode: Mode::Stream,
            headers: &prepared.headers,
            timeout: call.attempt_timeout(0)?,
        };
        let sent = Instant::now();
        let mut response = self
            .inner
            .transport
            .send(&req)
            .map_err(|err| call.deadline_error(err, 1))?;
        call.answered(&req, &response, 1, sent);
        if let (true, Some(budget)) = (response.is_success(), call.budget) {
            budget.deposit();
        }
        let meta = response.is_success().then(|| {
            let headers = response.take_headers();
            ResponseMeta::new(response.status(), 1, call.started.elapsed(), headers)
        });
        if let (Some(capture), Some(meta)) = (&self.options().capture, &meta) {
            capture.put(meta);
        }
        Ok((response, meta))
    }

    /// Sends a request through the retry loop and decodes its JSON answer.
    pub(crate) fn json<T: Answer>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, MeshApiError> {
        let bytes = body.map(serialize).transpose()?;
        self.json_bytes(method, path, bytes.as_deref())
    }

    fn json_bytes<T: Answer>(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<T, MeshApiError> {
        let body = body.map(|b| (b, JSON));
        self.send(method, path, body, Mode::Json, decode)
    }

    /// Sends a `GET` (no body) through the retry loop and decodes its JSON answer.
    pub(crate) fn get<T: Answer>(&self, path: &str) -> Result<T, MeshApiError> {
        self.json(Method::Get, path, None::<&()>)
    }

    /// Sends a `multipart/form-data` POST, encoded once so that retries repeat it byte for byte.
    pub(crate) fn multipart<T: Answer>(&self, path: &str, form: &Form) -> Result<T, MeshApiError> {
        let encoded = form.encode();
        let body = Some((encoded.body.as_slice(), encoded.content_type.as_str()));
        self.send(Method::Post, path, body, Mode::Json, decode)
    }

    /// Sends a request whose answer carries nothing to decode (`DELETE` → 204); whatever body a
    /// successful answer has is ignored.
    pub(crate) fn no_content(&self, method: Method, path: &str) -> Result<(), MeshApiError> {
        self.send(method, path, None, Mode::Json, |response, _| {
            response.finish();
            Ok(())
        })
    }

    /// POSTs JSON and returns the answer's body as raw bytes, to be read at the caller's pace.
    pub(crate) fn bytes(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<ByteStream, MeshApiError> {
        let bytes = serialize(body)?;
        let body = Some((bytes.as_slice(), JSON));
        self.send(Method::Post, path, body, Mode::Bytes, ByteStream::new)
    }

    /// PUTs `data` to a signed URL on a storage host: not through the base URL, without the
    /// token, the SDK header or the call's own headers (the URL is its own credential).
    /// Retried like any idempotent request.
    pub(crate) fn upload_signed(
        &self,
        url: &str,
        data: &[u8],
        content_type: &str,
    ) -> Result<(), MeshApiError> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(MeshApiError::config(format!(
                "the signed upload URL must be an absolute http(s) URL, got {:?}",
                crate::error::snippet(url.as_bytes())
            ))
            .not_sent());
        }
        let body = Some((data, content_type));
        self.send(Method::Put, url, body, Mode::SignedUpload, |response, _| {
            response.finish();
            Ok(())
        })
    }

    /// Opens a stream: one attempt, never retried; a failure to open is the stream's first item.
    pub(crate) fn stream<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Stream<T> {
        match serialize(body) {
            Ok(bytes) => self.stream_bytes(Method::Post, path, Some(&bytes)),
            Err(e) => Stream::failed(e),
        }
    }

    fn stream_bytes<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Stream<T> {
        match self.open(method, path, body) {
            Ok((response, meta)) => Stream::open(response, self.inner.max_event_size, meta),
            Err(e) => Stream::failed(e),
        }
    }
}

/// What [`Client::prepare`] makes of a view's options for one call.
struct Prepared<'c> {
    url: String,
    headers: CallHeaders,
    /// The body with the options' extra fields merged in, when there are any.
    body: Option<Vec<u8>>,
    call: Call<'c>,
}

fn zero_timeout() -> MeshApiError {
    MeshApiError::config("timeouts must be longer than zero").not_sent()
}

const JSON: &str = "application/json";

/// A request to any path; made by [`Client::request`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent or streamed"]
pub struct RawRequest<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    body: Option<Vec<u8>>,
    /// A bad path or body, reported by `send` or `stream` before anything is sent.
    error: Option<MeshApiError>,
}

impl RawRequest<'_> {
    /// Sends `body`, serialized as JSON, as the request body.
    pub fn json(mut self, body: &(impl Serialize + ?Sized)) -> Self {
        match serialize(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.error = self.error.or(Some(e)),
        }
        self
    }

    /// Sends the request with the client's retries, and decodes the JSON answer into `T`; an
    /// empty body decodes as `null`, which suits `serde_json::Value`, `Option<_>` and `()`.
    /// Read the answer's metadata through [`RequestOptions::capture_meta`].
    pub fn send<T: DeserializeOwned>(self) -> Result<T, MeshApiError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let body = self.body.as_deref().map(|b| (b, JSON));
        self.client
            .send(self.method, &self.path, body, Mode::Json, |response, _| {
                decode_json(response)
            })
    }

    /// Opens the request as a server-sent event stream of `T` items, exactly as the typed
    /// streams are read: one attempt, ended by `data: [DONE]`, errors as the stream's items.
    pub fn stream<T: DeserializeOwned>(self) -> Stream<T> {
        if let Some(e) = self.error {
            return Stream::failed(e);
        }
        self.client
            .stream_bytes(self.method, &self.path, self.body.as_deref())
    }
}

/// Decodes a successful response's JSON body and gives it its metadata.
fn decode<T: Answer>(response: Response, meta: ResponseMeta) -> Result<T, MeshApiError> {
    let mut answer: T = decode_json(response)?;
    answer.attach(meta);
    Ok(answer)
}

/// Decodes a successful response's JSON body; an empty body (204) decodes as `null`, which
/// suits `Value` and `()` and is an error for anything else.
fn decode_json<T: DeserializeOwned>(response: Response) -> Result<T, MeshApiError> {
    let status = response.status();
    let request_id = response.request_id().map(str::to_owned);
    let bytes = response.into_bytes()?;
    let json: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
    serde_json::from_slice(json).map_err(|e| {
        MeshApiError::decode(status, std::any::type_name::<T>(), &bytes, e)
            .with_request_id(request_id.as_deref())
    })
}

fn serialize(body: &(impl Serialize + ?Sized)) -> Result<Vec<u8>, MeshApiError> {
    serde_json::to_vec(body)
        .map_err(|e| MeshApiError::config("could not serialize the request body").with_source(e))
}

/// Builds a [`Client`]; made by [`Client::builder`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    token: Option<String>,
    base_url: String,
    timeout: Duration,
    retry: RetryPolicy,
    budget: Option<RetryBudget>,
    stream_idle_timeout: Option<Duration>,
    max_event_size: usize,
    max_body_size: usize,
    headers: Vec<(String, String)>,
    api_version: Option<String>,
    listeners: Listeners,
    fallback_models: Vec<String>,
    fallback_statuses: Vec<u16>,
    proxy: ProxyConfig,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("budget", &self.budget)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("max_event_size", &self.max_event_size)
            .field("max_body_size", &self.max_body_size)
            .field("headers", &self.headers)
            .field("api_version", &self.api_version)
            .field("listeners", &self.listeners)
            .field("fallback_models", &self.fallback_models)
            .field("fallback_statuses", &self.fallback_statuses)
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> ClientBuilder {
        ClientBuilder {
            token: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            budget: None,
            stream_idle_timeout: None,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            headers: Vec::new(),
            api_version: Some(API_VERSION.to_owned()),
            listeners: Listeners::default(),
            fallback_models: Vec::new(),
            fallback_statuses: DEFAULT_FALLBACK_STATUSES.to_vec(),
            proxy: ProxyConfig::FromEnv,
        }
    }
}

impl ClientBuilder {
    /// The API key (`rsk_...`) sent as `Authorization: Bearer <token>`.
    ///
    /// Required: [`build`](ClientBuilder::build) fails without it.
    pub fn token(mut self, token: impl Into<String>) -> ClientBuilder {
        self.token = Some(token.into());
        self
    }

    /// The gateway's address; a trailing `/` is stripped and a path prefix kept.
    ///
    /// Defaults to [`DEFAULT_BASE_URL`] (`https://api.meshapi.ai`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> ClientBuilder {
        self.base_url = base_url.into();
        self
    }

    /// How long one attempt may take: for a non-streaming request, connecting, sending and
    /// reading the whole response; for a stream or speech bytes, everything up to the response
    /// head (the idle timeout takes over from there), and reading the body of an answer that
    /// did not open the stream. Opening the connection gets at most 10 seconds of it, so that
    /// a connect timeout is known not to have sent the request, and is retried.
    ///
    /// Each retry gets a fresh `timeout`, and the backoff sleeps between attempts are not part
    /// of it: a call that is retried takes up to `(max_retries + 1) × timeout` plus the sleeps.
    ///
    /// Defaults to 60 seconds.
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = timeout;
        self
    }

    /// How often a failed non-streaming request is repeated; 0 disables retries. The same as
    /// [`RetryPolicy::max_retries`] on the client's policy.
    ///
    /// Defaults to 3.
    pub fn max_retries(mut self, max_retries: u32) -> ClientBuilder {
        self.retry = self.retry.max_retries(max_retries);
        self
    }

    /// The first backoff delay, doubled on every further retry. The same as
    /// [`RetryPolicy::base_delay`] on the client's policy.
    ///
    /// Defaults to 500 ms.
    pub fn retry_base_delay(mut self, delay: Duration) -> ClientBuilder {
        self.retry = self.retry.base_delay(delay);
        self
    }

    /// The longest wait between attempts, including one asked for by `Retry-After`. The same
    /// as [`RetryPolicy::max_delay`] on the client's policy.
    ///
    /// Defaults to 30 seconds.
    pub fn retry_max_delay(mut self, delay: Duration) -> ClientBuilder {
        self.retry = self.retry.max_delay(delay);
        self
    }

    /// The whole retry policy, replacing the one the settings above built.
    ///
    /// Defaults to [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = policy;
        self
    }

    /// A budget of retries shared by this client's clones (and by other clients given a clone
    /// of the same budget); see [`RetryBudget`].
    ///
    /// Defaults to none: every call may make all its retries.
    pub fn retry_budget(mut self, budget: RetryBudget) -> ClientBuilder {
        self.budget = Some(budget);
        self
    }

    /// The `X-Mesh-Version` label sent with every HTTP request (JSON, streams, uploads; never
    /// the realtime handshake or the signed-URL upload), or `None` to send none and be served
    /// by the key's pinned version or the gateway's baseline. The label must read `YYYY-MM`;
    /// [`build`](ClientBuilder::build) fails otherwise.
    ///
    /// Defaults to [`API_VERSION`], the version this crate is written against.
    pub fn api_version(mut self, label: Option<&str>) -> ClientBuilder {
        self.api_version = label.map(str::to_owned);
        self
    }

    /// A callback for every [`Event`] of every call (retries, fallback hops, gateway routing,
    /// deprecation notices), on the calling thread; may be called more than once to add more.
    ///
    /// Defaults to none.
    pub fn on_event(mut self, callback: impl Fn(&Event) + Send + Sync + 'static) -> ClientBuilder {
        self.listeners.events.push(Arc::new(callback));
        self
    }

    /// A callback for every HTTP attempt that got an answer, streaming or not, success or
    /// error status; see [`ResponseInfo`].
    ///
    /// Defaults to none.
    pub fn on_response(
        mut self,
        callback: impl Fn(&ResponseInfo) + Send + Sync + 'static,
    ) -> ClientBuilder {
        self.listeners.responses.push(Arc::new(callback));
        self
    }

    /// Prints one line per [`Event`] to stderr, `[meshapi] ` first, e.g.
    /// `[meshapi] retrying POST /v1/chat/completions (attempt 1/4 failed: 503, next in 512ms) [req_1]`.
    ///
    /// Defaults to `false`.
    pub fn debug(mut self, debug: bool) -> ClientBuilder {
        self.listeners.debug = debug;
        self
    }

    /// The models chat `create`, `parse` and `stream` fall back to, in order, when the
    /// requested model fails with one of the [`fallback_statuses`](ClientBuilder::fallback_statuses)
    /// or a network error after all its retries. Each model gets the full retries; the list is
    /// never sent to the server (only `model` changes from hop to hop); the requested model
    /// is skipped if it is listed; when all fail, the last error is returned. A stream falls
    /// back only when it fails to open, never once a chunk was delivered. The hop shows in
    /// [`ResponseMeta::fallback_model`] and as an [`Event::Fallback`].
    ///
    /// Defaults to none.
    pub fn fallback_models<S: Into<String>>(
        mut self,
        models: impl IntoIterator<Item = S>,
    ) -> ClientBuilder {
        self.fallback_models = models.into_iter().map(Into::into).collect();
        self
    }

    /// The statuses that move the fallback chain on to its next model.
    ///
    /// Defaults to [`DEFAULT_FALLBACK_STATUSES`] (502, 503, 504).
    pub fn fallback_statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> ClientBuilder {
        self.fallback_statuses = statuses.into_iter().collect();
        self
    }

    /// How long a stream (or a [`ByteStream`]) may go without receiving a byte once its
    /// response head has arrived; a stream has no overall limit. Waiting for the head is
    /// bounded by [`timeout`](ClientBuilder::timeout) alone.
    ///
    /// Defaults to the [`timeout`](ClientBuilder::timeout).
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.stream_idle_timeout = Some(timeout);
        self
    }

    /// The largest SSE line or event (in bytes) a stream accepts before failing.
    ///
    /// Defaults to 16 MiB.
    pub fn max_event_size(mut self, bytes: usize) -> ClientBuilder {
        self.max_event_size = bytes;
        self
    }

    /// The largest response body (in bytes) read into memory whole: a JSON answer, or speech
    /// collected by `audio().speech().create()`. A larger one fails with
    /// [`ErrorCode::ParseError`](crate::ErrorCode::ParseError) once this much has arrived, so a
    /// misbehaving server cannot exhaust memory; read long audio through
    /// `audio().speech().stream()` instead.
    ///
    /// Defaults to 256 MiB.
    pub fn max_body_size(mut self, bytes: usize) -> ClientBuilder {
        self.max_body_size = bytes;
        self
    }

    /// A header sent with every request; a later call with the same name replaces it.
    ///
    /// Defaults to none.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> ClientBuilder {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
        self
    }

    /// Sends every request, and the realtime WebSocket, through the proxy at `url`, for every
    /// host: `http://` (a CONNECT tunnel, for `http://` base URLs too), `https://` (the same,
    /// over TLS to the proxy), or `socks4://`, `socks4a://`, `socks5://` (`socks://`),
    /// `socks5h://`. Credentials go in the URL, percent-encoded
    /// (`http://user:p%40ss@proxy:3128`); they are never printed, and `Debug` shows
    /// `<redacted>` instead. The environment's proxy variables, `NO_PROXY` included, are then
    /// ignored. The realtime WebSocket can only use an `http://` proxy; with any other,
    /// `connect` fails with [`ErrorCode::InvalidConfig`](crate::ErrorCode::InvalidConfig).
    /// An unreadable URL fails [`build`](ClientBuilder::build) with the same code.
    ///
    /// ```
    /// let client = meshapi::Client::builder()
    ///     .token("rsk_...")
    ///     .proxy("http://user:secret@proxy.internal:3128")
    ///     .build()?;
    /// assert!(!format!("{client:?}").contains("secret"));
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    ///
    /// Defaults to the proxy in the environment, as described in the crate docs under
    /// "Proxies and TLS".
    pub fn proxy(mut self, url: impl Into<String>) -> ClientBuilder {
        self.proxy = ProxyConfig::Url(url.into());
        self
    }

    /// Connects directly, ignoring any proxy in the environment and any set with
    /// [`proxy`](ClientBuilder::proxy) before; a later `proxy` call wins again.
    ///
    /// ```
    /// let client = meshapi::Client::builder().token("rsk_...").no_proxy().build()?;
    /// # drop(client);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    ///
    /// Defaults to the proxy in the environment, as described in the crate docs under
    /// "Proxies and TLS".
    pub fn no_proxy(mut self) -> ClientBuilder {
        self.proxy = ProxyConfig::Off;
        self
    }

    /// Builds the client; fails on a missing token, an unusable base URL or proxy URL, or an
    /// invalid header.
    pub fn build(self) -> Result<Client, MeshApiError> {
        let token = self.token.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
            MeshApiError::config(format!(
                "no API token: call ClientBuilder::token or set {ENV_TOKEN}"
            ))
        })?;
        let base_url = self.base_url.trim().trim_end_matches('/').to_owned();
        transport::check_url(&base_url)
            .map_err(|why| MeshApiError::config(format!("invalid base URL {base_url:?}: {why}")))?;
        if self.timeout.is_zero() || self.stream_idle_timeout.is_some_and(|t| t.is_zero()) {
            return Err(MeshApiError::config("timeouts must be longer than zero"));
        }
        if let Some(label) = &self.api_version {
            check_api_version(label)?;
        }
        // A deadline is `now + timeout`, which overflows the clock for `Duration::MAX`.
        let timeout = self.timeout.min(LONGEST_TIMEOUT);
        let idle_timeout = self
            .stream_idle_timeout
            .unwrap_or(timeout)
            .min(LONGEST_TIMEOUT);
        #[cfg(feature = "realtime")]
        let realtime = crate::resources::realtime::Settings {
            token: token.clone(),
            timeout,
            idle_timeout,
        };
        let transport = Transport::new(TransportConfig {
            token,
            timeout,
            stream_idle_timeout: idle_timeout,
            max_body_size: u64::try_from(self.max_body_size).unwrap_or(u64::MAX),
            headers: self.headers,
            api_version: self.api_version,
            proxy: self.proxy,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                base_url,
                timeout,
                retry: self.retry,
                budget: self.budget,
                listeners: self.listeners,
                deprecations: Deprecations::default(),
                fallback_models: self.fallback_models,
                fallback_statuses: self.fallback_statuses,
                max_event_size: self.max_event_size,
                #[cfg(feature = "realtime")]
                realtime,
            }),
            options: None,
        })
    }
}

/// Checks an `X-Mesh-Version` label: `YYYY-MM`, a month from 01 to 12.
fn check_api_version(label: &str) -> Result<(), MeshApiError> {
    let well_formed = match label.as_bytes() {
        [y1, y2, y3, y4, b'-', m1, m2] => {
            [y1, y2, y3, y4].iter().all(|b| b.is_ascii_digit())
                && matches!((m1, m2), (b'0', b'1'..=b'9') | (b'1', b'0'..=b'2'))
        }
        _ => false,
    };
    if well_formed {
        Ok(())
    } else {
        Err(MeshApiError::config(format!(
            "invalid API version {:?}: it must read YYYY-MM, e.g. {API_VERSION:?}",
            crate::error::snippet(label.as_bytes())
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    const _: () = {
        const fn shareable<T: Clone + Send + Sync + 'static>() {}
        shareable::<Client>();
    };

    #[test]
    fn builder_rejects_a_missing_or_blank_token() {
        for builder in [Client::builder(), Client::builder().token("  ")] {
            let err = builder.build().unwrap_err();
            assert_eq!(err.code(), &ErrorCode::InvalidConfig);
            assert!(err.message().contains("token"), "{}", err.message());
        }
    }

    #[test]
    fn builder_rejects_unusable_base_urls() {
        for url in [
            "",
            "api.meshapi.ai",
            "ftp://h",
            "http://",
            "http://h/?a=1",
            "http://h/#x",
            "http://h h",
        ] {
            let err = Client::builder()
                .token("t")
                .base_url(url)
                .build()
                .unwrap_err();
            assert_eq!(err.code(), &ErrorCode::InvalidConfig, "{url}");
            assert!(
                err.message().contains("base URL"),
                "{url}: {}",
                err.message()
            );
        }
    }

    #[test]
    fn base_url_keeps_its_prefix_and_loses_trailing_slashes() {
        let client = Client::builder()
            .token("t")
            .base_url("http://h:8/gw//")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://h:8/gw");
        let prepared = client.prepare("/v1/models", Mode::Json, None).unwrap();
        assert_eq!(prepared.url, "http://h:8/gw/v1/models");
    }

    #[test]
    fn options_add_an_encoded_query_after_the_path_s_own() {
        let client = Client::builder().token("t").build().unwrap();
        let view = client.with_options(RequestOptions::new().query("a b", "1&2").query("c", "3"));
        let plain = view.prepare("/v1/models", Mode::Json, None).unwrap();
        assert_eq!(
            plain.url,
            "https://api.meshapi.ai/v1/models?a%20b=1%262&c=3"
        );
        let with_query = view
            .prepare("/v1/models?free=true", Mode::Json, None)
            .unwrap();
        assert_eq!(
            with_query.url,
            "https://api.meshapi.ai/v1/models?free=true&a%20b=1%262&c=3"
        );
        let signed = view
            .prepare("https://bucket.example/x?sig=1", Mode::SignedUpload, None)
            .unwrap();
        assert_eq!(signed.url, "https://bucket.example/x?sig=1");
    }

    #[test]
    fn api_version_labels_must_read_year_dash_month() {
        for good in ["2026-08", "2026-09", "1999-12"] {
            assert!(check_api_version(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "2026-8",
            "2026-13",
            "2026-00",
            "26-08",
            "2026_08",
            "2026-08-01",
            "２０２６-08",
        ] {
            let err = Client::builder()
                .token("t")
                .api_version(Some(bad))
                .build()
                .unwrap_err();
            assert_eq!(err.code(), &crate::ErrorCode::InvalidConfig, "{bad}");
        }
        assert!(
            Client::builder()
                .token("t")
                .api_version(None)
                .build()
                .is_ok()
        );
    }

    #[test]
    fn invalid_headers_and_tokens_are_config_errors() {
        let err = Client::builder()
            .token("t")
            .header("bad name", "v")
            .build()
            .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
        let err = Client::builder()
            .token("t")
            .header("X-Ok", "line\nbreak")
            .build()
            .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
        let err = Client::new("rsk_secret\r\nX-Evil: 1").unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
        assert!(!err.to_string().contains("rsk_secret"));
    }

    #[test]
    fn from_env_reads_the_token_and_an_optional_base_url() {
        let vars = |token: Option<&str>, base: Option<&str>| {
            let (token, base) = (token.map(str::to_owned), base.map(str::to_owned));
            move |name: &str| match name {
                ENV_TOKEN => token.clone(),
                ENV_BASE_URL => base.clone(),
                _ => None,
            }
        };
        let client = Client::from_vars(vars(Some("rsk_env"), None)).unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        let client = Client::from_vars(vars(Some("rsk_env"), Some("http://gw:8000/"))).unwrap();
        assert_eq!(client.base_url(), "http://gw:8000");
        let err = Client::from_vars(vars(None, Some("http://gw:8000"))).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
        assert!(err.message().contains(ENV_TOKEN), "{}", err.message());
        let err = Client::from_vars(vars(Some("rsk_env"), Some("gw"))).unwrap_err();
        assert!(err.message().contains("base URL"), "{}", err.message());
    }

    #[test]
    fn zero_timeouts_are_refused() {
        let zero = Duration::ZERO;
        for builder in [
            Client::builder().token("t").timeout(zero),
            Client::builder().token("t").stream_idle_timeout(zero),
        ] {
            assert_eq!(
                builder.build().unwrap_err().code(),
                &ErrorCode::InvalidConfig
            );
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let builder = Client::builder().token("rsk_supersecret");
        assert!(!format!("{builder:?}").contains("rsk_supersecret"));
        let client = builder.build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("rsk_supersecret"), "{debug}");
        assert!(debug.contains("<redacted>"));
    }
}
