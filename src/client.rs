//! [`Client`], [`ClientBuilder`], and the resource accessors.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::MeshApiError;
use crate::multipart::Form;
use crate::resources::{
    audio::Audio, batches::Batches, chat::Chat, compare::Compare, embeddings::Embeddings,
    images::Images, models::Models, moderations::Moderations, rag::Rag, responses::Responses,
    router::Router, templates::Templates, videos::Videos, web::Web,
};
use crate::retry::{self, RetryPolicy};
use crate::stream::{ByteStream, Stream};
use crate::transport::{
    self, Method, Mode, ProxyConfig, Request, Response, Transport, TransportConfig,
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
}

struct Inner {
    transport: Transport,
    base_url: String,
    retry: RetryPolicy,
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
            .field("max_event_size", &self.inner.max_event_size)
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

    /// The realtime WebSocket API (`/v1/realtime`); needs the `realtime` feature.
    #[cfg(feature = "realtime")]
    pub fn realtime(&self) -> crate::resources::realtime::Realtime<'_> {
        crate::resources::realtime::Realtime::new(self)
    }

    #[cfg(feature = "realtime")]
    pub(crate) fn realtime_settings(&self) -> &crate::resources::realtime::Settings {
        &self.inner.realtime
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

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.inner.base_url)
    }

    /// Sends a request through the retry loop; `read` turns a successful response into the
    /// answer, as a part of the attempt.
    fn send<T>(
        &self,
        method: Method,
        url: String,
        body: Option<(&[u8], &str)>,
        mode: Mode,
        read: impl FnMut(Response) -> Result<T, MeshApiError>,
    ) -> Result<T, MeshApiError> {
        let req = Request {
            method,
            url,
            body,
            mode,
        };
        retry::send_with_retry(&self.inner.transport, &self.inner.retry, &req, read)
    }

    /// Sends a request through the retry loop and decodes its JSON answer.
    pub(crate) fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, MeshApiError> {
        let bytes = body.map(serialize).transpose()?;
        self.json_bytes(method, path, bytes.as_deref())
    }

    fn json_bytes<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<T, MeshApiError> {
        let body = body.map(|b| (b, JSON));
        self.send(method, self.url(path), body, Mode::Json, decode)
    }

    /// Sends a `GET` (no body) through the retry loop and decodes its JSON answer.
    pub(crate) fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, MeshApiError> {
        self.json(Method::Get, path, None::<&()>)
    }

    /// Sends a `multipart/form-data` POST, encoded once so that retries repeat it byte for byte.
    pub(crate) fn multipart<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &Form,
    ) -> Result<T, MeshApiError> {
        let encoded = form.encode();
        let body = Some((encoded.body.as_slice(), encoded.content_type.as_str()));
        self.send(Method::Post, self.url(path), body, Mode::Json, decode)
    }

    /// Sends a request whose answer carries nothing to decode (`DELETE` → 204); whatever body a
    /// successful answer has is ignored.
    pub(crate) fn no_content(&self, method: Method, path: &str) -> Result<(), MeshApiError> {
        self.send(method, self.url(path), None, Mode::Json, |response| {
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
        self.send(
            Method::Post,
            self.url(path),
            body,
            Mode::Bytes,
            ByteStream::new,
        )
    }

    /// PUTs `data` to a signed URL on a storage host: not through the base URL, without the
    /// token or the SDK header (the URL is its own credential). Retried like any idempotent
    /// request.
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
        self.send(
            Method::Put,
            url.to_owned(),
            body,
            Mode::SignedUpload,
            |response| {
                response.finish();
                Ok(())
            },
        )
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
        let req = Request {
            method,
            url: self.url(path),
            body: body.map(|b| (b, JSON)),
            mode: Mode::Stream,
        };
        match self.inner.transport.send(&req) {
            Ok(response) => Stream::open(response, self.inner.max_event_size),
            Err(e) => Stream::failed(e),
        }
    }
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
    pub fn send<T: DeserializeOwned>(self) -> Result<T, MeshApiError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.client
            .json_bytes(self.method, &self.path, self.body.as_deref())
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

/// Decodes a successful response's JSON body; an empty body (204) decodes as `null`, which
/// suits `Value` and `()` and is an error for anything else.
fn decode<T: DeserializeOwned>(response: Response) -> Result<T, MeshApiError> {
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
    max_retries: u32,
    retry_base_delay: Duration,
    retry_max_delay: Duration,
    stream_idle_timeout: Option<Duration>,
    max_event_size: usize,
    max_body_size: usize,
    headers: Vec<(String, String)>,
    proxy: ProxyConfig,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_base_delay", &self.retry_base_delay)
            .field("retry_max_delay", &self.retry_max_delay)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("max_event_size", &self.max_event_size)
            .field("max_body_size", &self.max_body_size)
            .field("headers", &self.headers)
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
            max_retries: DEFAULT_MAX_RETRIES,
            retry_base_delay: DEFAULT_RETRY_BASE_DELAY,
            retry_max_delay: DEFAULT_RETRY_MAX_DELAY,
            stream_idle_timeout: None,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            headers: Vec::new(),
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

    /// How often a failed non-streaming request is repeated; 0 disables retries.
    ///
    /// Defaults to 3.
    pub fn max_retries(mut self, max_retries: u32) -> ClientBuilder {
        self.max_retries = max_retries;
        self
    }

    /// The first backoff delay, doubled on every further retry.
    ///
    /// Defaults to 500 ms.
    pub fn retry_base_delay(mut self, delay: Duration) -> ClientBuilder {
        self.retry_base_delay = delay;
        self
    }

    /// The longest wait between attempts, including one asked for by `Retry-After`.
    ///
    /// Defaults to 30 seconds.
    pub fn retry_max_delay(mut self, delay: Duration) -> ClientBuilder {
        self.retry_max_delay = delay;
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
            proxy: self.proxy,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                base_url,
                retry: RetryPolicy {
                    max_retries: self.max_retries,
                    base_delay: self.retry_base_delay,
                    max_delay: self.retry_max_delay,
                },
                max_event_size: self.max_event_size,
                #[cfg(feature = "realtime")]
                realtime,
            }),
        })
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
        assert_eq!(client.url("/v1/models"), "http://h:8/gw/v1/models");
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
