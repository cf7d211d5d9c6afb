//! The only module that names `ureq`: agent setup, headers, sending one request, reading bodies.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufReader, Read};
use std::time::{Duration, Instant};

use ureq::http;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport as Io,
};
use ureq::{Agent, RequestExt};

use crate::error::{ErrorCode, MeshApiError};

/// The most of an error body that is read for its message, and of a body that should have
/// been an event stream but was not: the message quotes only its first 500 characters.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;
/// How much already-received body is read to hand a finished connection back to the pool.
const DRAIN_LIMIT: u64 = 64 * 1024;
/// The longest a connection may take to open. Shorter than the overall timeout so that a
/// connect that times out is reported as such (ureq names the earliest deadline), which tells
/// the retry loop the request never left this machine.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Idle connections kept per host: ureq keeps 3, which makes a client shared by a pool of
/// worker threads open a new connection for most requests.
const IDLE_CONNECTIONS_PER_HOST: usize = 32;
/// The most memory reserved up front on the word of a `Content-Length`.
const RESERVE_AT_MOST: u64 = 1024 * 1024;
/// Large enough that a typical SSE frame is found within one buffered read.
const READ_BUFFER: usize = 64 * 1024;

/// The HTTP methods the API uses, for [`Client::request`](crate::Client::request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `PUT` (only the RAG upload to a signed URL uses it)
    Put,
}

impl Method {
    /// Whether repeating the request does no new work (GET, PUT and DELETE), so that the retry
    /// loop may repeat it after a timeout or a broken connection.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }

    /// The method's name on the wire, e.g. `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Put => "PUT",
        }
    }

    fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
            Method::Put => http::Method::PUT,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One request, built once and sent as often as the retry loop decides.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) url: String,
    /// The body and its content type, encoded once so that every attempt sends the same bytes.
    pub(crate) body: Option<(&'a [u8], &'a str)>,
    pub(crate) mode: Mode,
    /// This call's own headers, sent on every attempt after (and instead of) the client's.
    pub(crate) headers: &'a CallHeaders,
    /// This attempt's limit: the client's or the call's timeout, cut to what is left of the
    /// call's deadline.
    pub(crate) timeout: Duration,
}

/// Headers of one call (the caller's extra headers, a request id), validated before anything
/// is sent.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallHeaders(Vec<(http::HeaderName, http::HeaderValue)>);

impl CallHeaders {
    pub(crate) fn new<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<CallHeaders, MeshApiError> {
        let mut headers = CallHeaders::default();
        for (name, value) in pairs {
            let (name, value) = parse_header(name, value)?;
            headers.0.retain(|(existing, _)| *existing != name);
            headers.0.push((name, value));
        }
        Ok(headers)
    }

    fn names(&self) -> impl Iterator<Item = &http::HeaderName> {
        self.0.iter().map(|(name, _)| name)
    }
}

fn parse_header(
    name: &str,
    value: &str,
) -> Result<(http::HeaderName, http::HeaderValue), MeshApiError> {
    let name = http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| MeshApiError::config(format!("invalid header name {name:?}")).not_sent())?;
    let value = http::HeaderValue::from_str(value)
        .map_err(|_| MeshApiError::config(format!("invalid value for header {name}")).not_sent())?;
    Ok((name, value))
}

/// The headers of a response, read case-insensitively.
#[derive(Clone, Default)]
pub(crate) struct Headers(http::HeaderMap);

// Names looked up in every answer. A lookup by `&str` checks and lowercases the name each time
// (about 250 instructions); by a `HeaderName` it only hashes it.
pub(crate) static X_REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-request-id");
pub(crate) static DEPRECATION: http::HeaderName = http::HeaderName::from_static("deprecation");
pub(crate) static SUNSET: http::HeaderName = http::HeaderName::from_static("sunset");
pub(crate) static ROUTING_ATTEMPTS: http::HeaderName =
    http::HeaderName::from_static("x-mesh-routing-attempts");

impl Headers {
    /// A header's value, when it is present and visible ASCII; `name` is a `&str` or one of
    /// the names above.
    pub(crate) fn get(&self, name: impl http::header::AsHeaderName) -> Option<&str> {
        self.0.get(name).and_then(|v| v.to_str().ok())
    }

    /// The API version that served (`X-Mesh-Version`, or the older `Mesh-Version`).
    pub(crate) fn api_version(&self) -> Option<&str> {
        self.get("x-mesh-version")
            .or_else(|| self.get("mesh-version"))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
    }
}

/// What kind of exchange a request is: it decides `Accept`, the timeouts and the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A JSON answer, read whole within the client's timeout.
    Json,
    /// An SSE stream: no overall deadline, only an idle one between reads.
    Stream,
    /// Raw bytes (speech audio) the caller may read at its own pace: idle deadline only.
    Bytes,
    /// The upload to a signed URL on the storage host: no token and no SDK header, because the
    /// URL itself is the credential and the host is not the gateway.
    SignedUpload,
}

impl Mode {
    fn accept(self) -> Option<&'static str> {
        match self {
            Mode::Json => Some("application/json"),
            Mode::Stream => Some("text/event-stream"),
            Mode::Bytes => Some("*/*"),
            Mode::SignedUpload => None,
        }
    }

    fn reads_at_callers_pace(self) -> bool {
        matches!(self, Mode::Stream | Mode::Bytes)
    }
}

/// Settings the transport needs from the client builder.
pub(crate) struct TransportConfig {
    pub(crate) token: String,
    pub(crate) timeout: Duration,
    pub(crate) stream_idle_timeout: Duration,
    pub(crate) max_body_size: u64,
    pub(crate) headers: Vec<(String, String)>,
    /// The `X-Mesh-Version` label sent with every gateway request, if any.
    pub(crate) api_version: Option<String>,
    pub(crate) proxy: ProxyConfig,
}

/// Where a client's proxy comes from; see [`ClientBuilder::proxy`](crate::ClientBuilder::proxy).
#[derive(Clone)]
pub(crate) enum ProxyConfig {
    /// What ureq reads from `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (and their
    /// lower-case forms).
    FromEnv,
    /// Direct connections, whatever the environment says.
    Off,
    /// This proxy URL, for every host.
    Url(String),
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyConfig::FromEnv => f.write_str("FromEnv"),
            ProxyConfig::Off => f.write_str("Off"),
            ProxyConfig::Url(url) => f.debug_tuple("Url").field(&redact_proxy_url(url)).finish(),
        }
    }
}

/// The HTTP side of a client: one agent (one connection pool) and the headers of every request.
#[derive(Clone)]
pub(crate) struct Transport {
    agent: Agent,
    /// Authorization, the SDK header and the caller's extra headers, validated once.
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    timeout: Duration,
    stream_idle_timeout: Duration,
    /// The most a successful body read into memory whole (JSON, speech collected) may hold.
    max_body_size: u64,
    /// The agent's proxy again, for the realtime WebSocket, which opens its own connections.
    proxy: Option<ureq::Proxy>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values are left out: one of them is the bearer token.
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Transport")
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("max_body_size", &self.max_body_size)
            .field("proxy", &self.proxy.as_ref().map(shown_proxy))
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn new(config: TransportConfig) -> Result<Transport, MeshApiError> {
        let mut headers = Vec::with_capacity(config.headers.len() + 2);
        let mut auth =
            http::HeaderValue::from_str(&format!("Bearer {}", config.token)).map_err(|_| {
                MeshApiError::config("the token contains characters not allowed in a header")
            })?;
        auth.set_sensitive(true);
        headers.push((http::header::AUTHORIZATION, auth));
        headers.push((
            http::HeaderName::from_static("x-meshapi-sdk"),
            http::HeaderValue::from_static(crate::SDK_HEADER_VALUE),
        ));
        let version = config
            .api_version
            .as_deref()
            .map(|label| ("x-mesh-version", label));
        for (name, value) in version.into_iter().chain(
            config
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        ) {
            let (name, value) = parse_header(name, value)?;
            headers.retain(|(existing, _)| *existing != name);
            headers.push((name, value));
        }
        let proxy = match &config.proxy {
            ProxyConfig::FromEnv => ureq::Proxy::try_from_env(),
            ProxyConfig::Off => None,
            ProxyConfig::Url(url) => Some(parse_proxy(url)?),
        };
        let connect = CONNECT_TIMEOUT.min(config.timeout);
        let agent_config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(crate::USER_AGENT)
            .timeout_global(Some(config.timeout))
            .timeout_resolve(Some(connect))
            .timeout_connect(Some(connect))
            .max_idle_connections(IDLE_CONNECTIONS_PER_HOST * 2)
            .max_idle_connections_per_host(IDLE_CONNECTIONS_PER_HOST)
            .proxy(proxy.clone())
            .tls_config(tls_config())
            .build();
        let connector = DefaultConnector::new().chain(DeadlineConnector);
        let agent = Agent::with_parts(agent_config, connector, LiteralResolver::default());
        Ok(Transport {
            agent,
            headers,
            timeout: config.timeout,
            stream_idle_timeout: config.stream_idle_timeout,
            max_body_size: config.max_body_size,
            proxy,
        })
    }

    /// The HTTP proxy a WebSocket to `host` goes through, chosen as ureq chooses one for a
    /// request: `None` for a direct connection (no proxy, or `host` is on `NO_PROXY`). Only an
    /// `http://` proxy can be tunnelled through without ureq; any other kind is an error
    /// rather than a silent direct connection.
    #[cfg(feature = "realtime")]
    pub(crate) fn tunnel_proxy(&self, host: &str) -> Result<Option<TunnelProxy>, MeshApiError> {
        let Some(proxy) = &self.proxy else {
            return Ok(None);
        };
        let bypass = format!("http://{host}/")
            .parse::<http::Uri>()
            .is_ok_and(|uri| proxy.is_no_proxy(&uri));
        if bypass {
            return Ok(None);
        }
        if proxy.protocol() != ureq::ProxyProtocol::Http {
            return Err(MeshApiError::config(format!(
                "the realtime WebSocket can only go through an http:// proxy, not {}",
                shown_proxy(proxy)
            ))
            .not_sent());
        }
        let authorization = (proxy.username().is_some() || proxy.password().is_some()).then(|| {
            let user = proxy.username().unwrap_or_default();
            let password = proxy.password().unwrap_or_default();
            let credentials = format!("{user}:{password}");
            format!("Basic {}", crate::base64::encode(credentials.as_bytes()))
        });
        Ok(Some(TunnelProxy {
            host: proxy.host().to_owned(),
            port: proxy.port(),
            authorization,
            shown: shown_proxy(proxy),
        }))
    }

    /// Sends one request and returns the response, whatever its status.
    ///
    /// A JSON exchange is bounded in all, body included, by the client's timeout. An exchange
    /// read at the caller's pace (a stream, speech bytes) is bounded by the timeout until its
    /// response head has arrived, and after that by the idle timeout between reads.
    pub(crate) fn send(&self, req: &Request<'_>) -> Result<Response, MeshApiError> {
        let uri = http::Uri::try_from(req.url.as_str()).map_err(|e| invalid_request(e.into()))?;
        // The map is filled in place: each `http::request::Builder::header` moves the whole
        // request head, which for a call with a few headers costs more than the headers.
        let mut headers =
            http::HeaderMap::with_capacity(self.headers.len() + req.headers.0.len() + 2);
        if let Some(accept) = req.mode.accept() {
            headers.append(http::header::ACCEPT, http::HeaderValue::from_static(accept));
        }
        if req.mode != Mode::SignedUpload {
            for (name, value) in &self.headers {
                if !req.headers.names().any(|own| own == name) {
                    headers.append(name.clone(), value.clone());
                }
            }
            for (name, value) in &req.headers.0 {
                headers.append(name.clone(), value.clone());
            }
        }
        let deadline = req
            .mode
            .reads_at_callers_pace()
            .then(|| deadline_after(req.timeout));
        let head = |headers: http::HeaderMap| {
            let mut request = http::Request::new(());
            *request.method_mut() = req.method.as_http();
            *request.uri_mut() = uri;
            *request.headers_mut() = headers;
            request
        };
        let result = match req.body {
            Some((body, content_type)) => {
                let value = http::HeaderValue::from_str(content_type)
                    .map_err(|e| invalid_request(e.into()))?;
                headers.append(http::header::CONTENT_TYPE, value);
                self.run(head(headers).map(|()| body), req.timeout, deadline)
            }
            None => self.run(head(headers), req.timeout, deadline),
        };
        result.map(|response| Response::new(response, deadline, self.max_body_size))
    }

    /// Runs one exchange up to its response head; `deadline` is set for the exchanges read at
    /// the caller's pace, whose agent-wide overall timeout is lifted. A JSON exchange whose
    /// `timeout` is not the client's gets it as its overall timeout.
    fn run<S: ureq::AsSendBody>(
        &self,
        request: http::Request<S>,
        timeout: Duration,
        deadline: Option<Instant>,
    ) -> Result<http::Response<ureq::Body>, MeshApiError> {
        let request = request.with_agent(&self.agent);
        let connect = CONNECT_TIMEOUT.min(timeout);
        let result = match deadline {
            Some(deadline) => {
                let request = request
                    .configure()
                    .timeout_global(None)
                    .timeout_resolve(Some(connect))
                    .timeout_connect(Some(connect))
                    .timeout_per_read(Some(self.stream_idle_timeout))
                    .build();
                within(Some(deadline), || request.run())
            }
            None if timeout != self.timeout => request
                .configure()
                .timeout_global(Some(timeout))
                .timeout_resolve(Some(connect))
                .timeout_connect(Some(connect))
                .build()
                .run(),
            None => request.run(),
        };
        result.map_err(from_ureq)
    }
}

/// An HTTP proxy to open a CONNECT tunnel through; made by [`Transport::tunnel_proxy`].
#[cfg(feature = "realtime")]
pub(crate) struct TunnelProxy {
    pub(crate) host: String,
    pub(crate) port: u16,
    /// The `Proxy-Authorization` value, when the proxy URL carries credentials.
    pub(crate) authorization: Option<String>,
    /// The proxy URL as it may be printed: without its credentials.
    pub(crate) shown: String,
}

/// Parses a proxy URL the way ureq does, refusing what ureq would quietly misread.
fn parse_proxy(url: &str) -> Result<ureq::Proxy, MeshApiError> {
    let proxy = ureq::Proxy::new(url.trim()).ok().filter(|proxy| {
        // An unreadable port (`:99999`, a lone `:`) makes ureq fall back to the default one.
        let authority = proxy.uri().authority().map_or("", |a| a.as_str());
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let has_port = host_port
            .rsplit(']')
            .next()
            .unwrap_or_default()
            .contains(':');
        !proxy.host().is_empty() && has_port == proxy.uri().port_u16().is_some()
    });
    proxy.ok_or_else(|| {
        MeshApiError::config(format!(
            "invalid proxy URL {:?}: expected scheme://[user:password@]host[:port] with the \
             scheme http, https, socks4, socks4a, socks5 or socks5h",
            redact_proxy_url(url)
        ))
    })
}

/// A proxy as it may be printed: scheme, host and port, with `<redacted>` for credentials.
fn shown_proxy(proxy: &ureq::Proxy) -> String {
    let scheme = proxy.uri().scheme_str().unwrap_or("http");
    let credentials = proxy.username().is_some() || proxy.password().is_some();
    let at = if credentials { "<redacted>@" } else { "" };
    format!("{scheme}://{at}{}:{}", proxy.host(), proxy.port())
}

/// `url` as it may be printed, even when it does not parse: everything between the scheme and
/// the last `@` is user info, which may hold a password, so it is replaced.
fn redact_proxy_url(url: &str) -> String {
    let url = url.trim();
    let Some(at) = url.rfind('@') else {
        return url.to_owned();
    };
    let scheme_end = url.find("://").filter(|&end| {
        let scheme = &url[..end];
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let start = scheme_end.map_or(0, |end| end + 3);
    format!("{}<redacted>{}", &url[..start], &url[at..])
}

/// Which certificates TLS trusts: the bundled webpki roots, or with the `platform-verifier`
/// feature the operating system's verifier, which also trusts a CA installed there by a
/// company's TLS-inspecting proxy.
fn tls_config() -> ureq::tls::TlsConfig {
    let roots = if cfg!(feature = "platform-verifier") {
        ureq::tls::RootCerts::PlatformVerifier
    } else {
        ureq::tls::RootCerts::WebPki
    };
    ureq::tls::TlsConfig::builder().root_certs(roots).build()
}

/// `now + timeout`; the builder keeps timeouts short enough for the clock.
fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout).unwrap_or(now)
}

thread_local! {
    /// While set, every read and write of this thread's connections ends by this instant, and
    /// the per-read limit does not apply. The client is blocking, so the thread that sends a
    /// request is the one that reads its answer; this is how an exchange whose agent has no
    /// overall timeout (a stream) gets one for a part of it: waiting for its head, reading an
    /// error body, draining after `[DONE]`.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `f` with this thread's reads and writes bounded by `deadline` alone.
fn within<T>(deadline: Option<Instant>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.set(self.0);
        }
    }
    let _restore = Restore(DEADLINE.replace(deadline));
    f()
}

/// Wraps every connection in [`Deadline`].
#[derive(Debug)]
struct DeadlineConnector;

impl Connector<Box<dyn Io>> for DeadlineConnector {
    type Out = Box<dyn Io>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<Box<dyn Io>>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|io| Box::new(Deadline(io)) as Box<dyn Io>))
    }
}

/// A connection whose I/O obeys this thread's [`DEADLINE`] when one is set.
#[derive(Debug)]
struct Deadline(Box<dyn Io>);

impl Deadline {
    fn bound(mut timeout: NextTimeout) -> Result<NextTimeout, ureq::Error> {
        let Some(deadline) = DEADLINE.get() else {
            return Ok(timeout);
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ureq::Error::Timeout(ureq::Timeout::Global));
        }
        timeout.per_read = None;
        timeout.per_write = None;
        let left = left.into();
        if left < timeout.after {
            timeout.after = left;
            timeout.reason = ureq::Timeout::Global;
        }
        Ok(timeout)
    }
}

impl Io for Deadline {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, Deadline::bound(timeout)?)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(Deadline::bound(timeout)?)
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

/// How long a host's addresses are reused before it is looked up again.
const DNS_TTL: Duration = Duration::from_secs(30);
/// The most hosts remembered; a client talks to one or two.
const DNS_CACHE_HOSTS: usize = 16;

/// ureq resolves the host of every request, even one that will go over a pooled connection,
/// and with a timeout set its resolver looks the host up on a new thread so that the lookup can
/// be abandoned: a thread per call. This resolver answers an IP-literal host on the calling
/// thread (there is nothing to look up), and reuses a host's addresses for [`DNS_TTL`]; a
/// lookup it does make is still ureq's, bounded by the connect timeout.
#[derive(Debug, Default)]
struct LiteralResolver {
    inner: DefaultResolver,
    cache: std::sync::Mutex<Vec<(String, Instant, ResolvedSocketAddrs)>>,
}

impl Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &ureq::config::Config,
        mut timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = literal.parse::<std::net::IpAddr>() {
            let port = uri.port_u16().or(match uri.scheme_str() {
                Some("https") => Some(443),
                Some("http") => Some(80),
                _ => None,
            });
            let wanted = port
                .map(|port| std::net::SocketAddr::new(ip, port))
                .and_then(|addr| config.ip_family().keep_wanted([addr].into_iter()).next());
            if let Some(addr) = wanted {
                let mut addrs = self.empty();
                addrs.push(addr);
                return Ok(addrs);
            }
            // Not an address this agent may use: ureq's resolver says why, at once and on this
            // thread, since a literal needs no lookup.
            timeout.after = UreqDuration::NotHappening;
            return self.inner.resolve(uri, config, timeout);
        }
        // Hosts are remembered as `scheme://authority` (the port follows from both), compared
        // in pieces so that a call answered from the cache allocates nothing.
        let scheme = uri.scheme_str().unwrap_or_default();
        let authority = uri.authority().map_or("", |a| a.as_str());
        let is_this_host = |key: &str| {
            key.strip_prefix(scheme)
                .and_then(|rest| rest.strip_prefix("://"))
                == Some(authority)
        };
        let lock = || {
            self.cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let now = Instant::now();
        if let Some((_, _, addrs)) = lock()
            .iter()
            .find(|(k, at, _)| is_this_host(k) && now.saturating_duration_since(*at) < DNS_TTL)
        {
            return Ok(addrs.clone());
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        let mut cache = lock();
        cache.retain(|(k, at, _)| !is_this_host(k) && now.saturating_duration_since(*at) < DNS_TTL);
        if cache.len() >= DNS_CACHE_HOSTS {
            cache.remove(0);
        }
        cache.push((format!("{scheme}://{authority}"), now, addrs.clone()));
        Ok(addrs)
    }
}

fn invalid_request(err: http::Error) -> MeshApiError {
    MeshApiError::config("could not build the request")
        .with_source(err)
        .not_sent()
}

/// A response: status, the headers the SDK reads, and the body as a buffered reader.
pub(crate) struct Response {
    status: u16,
    headers: Headers,
    request_id: Option<String>,
    content_type: Option<String>,
    /// A content coding other than `identity`: the SDK asks for none and decodes none.
    content_encoding: Option<String>,
    /// For an exchange read at the caller's pace: when reading a body the SDK reads itself
    /// (an error body, a body that should have been an event stream) must end.
    deadline: Option<Instant>,
    /// The most of a successful body that is read into memory whole.
    max_body_size: u64,
    /// The `Content-Length` the server announced, a hint for the buffer a body is read into.
    content_length: Option<u64>,
    body: BodyReader,
}

impl Response {
    fn new(
        response: http::Response<ureq::Body>,
        deadline: Option<Instant>,
        max_body_size: u64,
    ) -> Response {
        let (head, body) = response.into_parts();
        let headers = Headers(head.headers);
        let header = |name: &http::HeaderName| headers.get(name).map(str::to_owned);
        let content_length = headers
            .get(&http::header::CONTENT_LENGTH)
            .and_then(|n| n.trim().parse::<u64>().ok());
        // A body read whole gets a buffer no larger than it: the buffer is zeroed on its first
        // fill, which for a small JSON answer in a 64 KiB buffer costs more than the decoding.
        let capacity = match (deadline, content_length) {
            (None, Some(n)) => usize::try_from(n)
                .unwrap_or(READ_BUFFER)
                .clamp(1, READ_BUFFER),
            _ => READ_BUFFER,
        };
        let content_encoding = header(&http::header::CONTENT_ENCODING)
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("identity"));
        Response {
            status: head.status.as_u16(),
            request_id: header(&X_REQUEST_ID),
            content_type: header(&http::header::CONTENT_TYPE),
            content_encoding,
            headers,
            deadline,
            max_body_size,
            content_length,
            body: BufReader::with_capacity(capacity, BodyRead(body.into_reader())),
        }
    }

    /// A `200 text/event-stream` response whose body is `body`, read through the same ureq body
    /// reader and buffer as one from the network, so the fuzz targets run the real [`Stream`]
    /// without a connection.
    ///
    /// [`Stream`]: crate::Stream
    #[cfg(any(fuzzing, test))]
    pub(crate) fn event_stream(request_id: Option<&str>, body: Vec<u8>) -> Response {
        Response {
            status: 200,
            headers: Headers::default(),
            request_id: request_id.map(str::to_owned),
            content_type: Some("text/event-stream".to_owned()),
            content_encoding: None,
            deadline: None,
            max_body_size: u64::MAX,
            content_length: None,
            body: BufReader::with_capacity(
                READ_BUFFER,
                BodyRead(ureq::Body::builder().data(body).into_reader()),
            ),
        }
    }

    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    pub(crate) fn headers(&self) -> &Headers {
        &self.headers
    }

    /// Moves the headers out, for the answer's metadata; the status, request id and content
    /// type stay readable.
    pub(crate) fn take_headers(&mut self) -> Headers {
        std::mem::take(&mut self.headers)
    }

    pub(crate) fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The error for a body in a content coding the SDK does not decode, if it is one.
    pub(crate) fn encoding_error(&self) -> Option<MeshApiError> {
        let encoding = self.content_encoding.as_deref()?;
        Some(
            MeshApiError::encoded_body(self.status, encoding)
                .with_request_id(self.request_id.as_deref()),
        )
    }

    /// Reads at most `limit` bytes of the body, by this response's deadline if it has one;
    /// returns what arrived, and the error that cut the read short, if one did.
    fn read_up_to(&mut self, limit: u64) -> (Vec<u8>, Option<io::Error>) {
        let mut bytes = Vec::new();
        // The announced length is only a hint from the server: reserving may fail quietly, and
        // never more than the limit.
        if let Some(n) = self
            .content_length
            .map(|n| n.min(limit).min(RESERVE_AT_MOST))
        {
            let _ = bytes.try_reserve(usize::try_from(n).unwrap_or(0));
        }
        let body = &mut self.body;
        let result = within(self.deadline, || body.take(limit).read_to_end(&mut bytes));
        (bytes, result.err())
    }

    /// Reads the start of a body that is only to be quoted in an error message.
    pub(crate) fn read_quote(&mut self) -> (Vec<u8>, Option<io::Error>) {
        self.read_up_to(ERROR_BODY_LIMIT)
    }

    /// Reads a successful body whole (bounded), for decoding.
    pub(crate) fn into_bytes(mut self) -> Result<Vec<u8>, MeshApiError> {
        if let Some(err) = self.encoding_error() {
            return Err(err);
        }
        let limit = self.max_body_size;
        let (bytes, cut) = self.read_up_to(limit.saturating_add(1));
        if let Some(err) = cut {
            return Err(body_read_error(err).with_request_id(self.request_id.as_deref()));
        }
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
            return Err(too_large(limit)
                .with_status(self.status)
                .with_request_id(self.request_id.as_deref()));
        }
        Ok(bytes)
    }

    /// Turns an unsuccessful response into its error, reading at most 64 KiB of the body.
    pub(crate) fn into_error(mut self) -> MeshApiError {
        if let Some(encoded) = self.encoding_error() {
            // The body is unreadable; the head still says when to retry.
            let head = MeshApiError::from_head(
                self.status,
                |n| self.headers.get(n).map(str::to_owned),
                b"",
            );
            return encoded.with_retry_after(head.retry_after());
        }
        let (body, cut) = self.read_up_to(ERROR_BODY_LIMIT);
        let err = MeshApiError::from_head(
            self.status,
            |n| self.headers.get(n).map(str::to_owned),
            &body,
        );
        match cut {
            Some(cause) => err.body_cut_short(&body, cause),
            None => err,
        }
    }

    pub(crate) fn max_body_size(&self) -> u64 {
        self.max_body_size
    }

    pub(crate) fn into_body(self) -> BodyReader {
        self.body
    }

    /// Reads what has already arrived of the rest of the body, without waiting for more, so
    /// that a connection whose body is complete goes back to the pool; one whose body is
    /// still coming is closed when the body is dropped.
    pub(crate) fn finish(mut self) {
        finish_body(&mut self.body);
    }
}

/// See [`Response::finish`].
pub(crate) fn finish_body(body: &mut BodyReader) {
    let _ = within(Some(Instant::now()), || {
        io::copy(&mut body.take(DRAIN_LIMIT), &mut io::sink())
    });
}

fn too_large(limit: u64) -> MeshApiError {
    MeshApiError::new(
        ErrorCode::ParseError,
        format!("the response body is larger than {limit} bytes, the client's max_body_size"),
    )
}

/// Reads a body that is read at the caller's pace into memory, up to `limit` bytes.
pub(crate) fn read_whole(body: &mut impl Read, limit: u64) -> Result<Vec<u8>, MeshApiError> {
    let mut bytes = Vec::new();
    body.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(MeshApiError::stream_io)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// The buffered body of a response.
pub(crate) type BodyReader = BufReader<BodyRead>;

/// A response body whose read errors carry an [`io::ErrorKind`] the rest of the crate can
/// classify without knowing ureq: a timeout becomes [`io::ErrorKind::TimedOut`].
pub(crate) struct BodyRead(ureq::BodyReader<'static>);

impl Read for BodyRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(classify_read_error)
    }
}

/// ureq wraps its own errors in `io::ErrorKind::Other`; unwrap them so that a timeout
/// carries [`io::ErrorKind::TimedOut`].
fn classify_read_error(err: io::Error) -> io::Error {
    match ureq::Error::from(err) {
        ureq::Error::Io(e) => e,
        ureq::Error::Timeout(t) => io::Error::new(io::ErrorKind::TimedOut, ureq::Error::Timeout(t)),
        other => io::Error::other(other),
    }
}

/// A body read that failed on a non-streaming response.
fn body_read_error(err: io::Error) -> MeshApiError {
    if err.kind() == io::ErrorKind::TimedOut {
        MeshApiError::new(ErrorCode::Timeout, "timed out reading the response body")
            .with_source(err)
    } else {
        MeshApiError::new(
            ErrorCode::Connection,
            "connection failed reading the response body",
        )
        .with_source(err)
    }
}

/// The one mapping from a ureq failure to an error, marking those that happened before any
/// byte of the request left this machine.
fn from_ureq(err: ureq::Error) -> MeshApiError {
    use ureq::Error as E;
    use ureq::Timeout as T;
    match err {
        E::Timeout(phase) => {
            let unsent = matches!(phase, T::Resolve | T::Connect);
            let e = MeshApiError::new(ErrorCode::Timeout, "request timed out")
                .with_source(E::Timeout(phase));
            if unsent { e.not_sent() } else { e }
        }
        E::HostNotFound => MeshApiError::new(ErrorCode::Connection, "could not resolve the host")
            .with_source(E::HostNotFound)
            .not_sent(),
        E::ConnectionFailed => MeshApiError::new(ErrorCode::Connection, "could not connect")
            .with_source(E::ConnectionFailed)
            .not_sent(),
        E::Io(io) => {
            let unsent = matches!(
                io.kind(),
                io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::AddrNotAvailable
                    | io::ErrorKind::NetworkUnreachable
                    | io::ErrorKind::HostUnreachable
            );
            let e = MeshApiError::new(ErrorCode::Connection, "connection failed").with_source(io);
            if unsent { e.not_sent() } else { e }
        }
        E::BadUri(uri) => MeshApiError::config(format!("invalid URL: {uri}")).not_sent(),
        e @ E::ConnectProxyFailed(_) => {
            MeshApiError::new(ErrorCode::Connection, "the proxy did not open a tunnel")
                .with_source(e)
                .not_sent()
        }
        E::Http(e) => invalid_request(e),
        e @ (E::Tls(_) | E::Rustls(_) | E::Pem(_)) => {
            MeshApiError::new(ErrorCode::Connection, "TLS failed")
                .with_source(e)
                .not_sent()
        }
        e @ E::LargeResponseHeader(..) => {
            MeshApiError::new(ErrorCode::ParseError, "invalid response").with_source(e)
        }
        other => MeshApiError::new(ErrorCode::Connection, "request failed").with_source(other),
    }
}

/// Checks that `url` is an absolute http(s) URL ureq can send to.
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    let uri: http::Uri = url.parse().map_err(|e| format!("{e}"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err("the scheme must be http or https".into()),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    if uri.query().is_some() || url.contains('#') {
        return Err("a base URL cannot carry a query or fragment".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_before_sending_are_marked_unsent() {
        let unsent = [
            ureq::Error::Timeout(ureq::Timeout::Connect),
            ureq::Error::Timeout(ureq::Timeout::Resolve),
            ureq::Error::HostNotFound,
            ureq::Error::ConnectionFailed,
            ureq::Error::Io(io::ErrorKind::ConnectionRefused.into()),
            ureq::Error::Io(io::ErrorKind::NetworkUnreachable.into()),
        ];
        for err in unsent {
            let name = format!("{err:?}");
            let mapped = from_ureq(err);
            assert!(mapped.was_not_sent(), "{name}");
            assert!(mapped.is_retryable(), "{name}");
        }
    }

    #[test]
    fn failures_after_sending_are_not_marked_unsent() {
        let cases = [
            (
                ureq::Error::Timeout(ureq::Timeout::Global),
                ErrorCode::Timeout,
            ),
            (
                ureq::Error::Timeout(ureq::Timeout::RecvResponse),
                ErrorCode::Timeout,
            ),
            (
                ureq::Error::Timeout(ureq::Timeout::PerRead),
                ErrorCode::Timeout,
            ),
            (
                ureq::Error::Io(io::ErrorKind::ConnectionReset.into()),
                ErrorCode::Connection,
            ),
            (
                ureq::Error::Io(io::ErrorKind::UnexpectedEof.into()),
                ErrorCode::Connection,
            ),
        ];
        for (err, code) in cases {
            let name = format!("{err:?}");
            let mapped = from_ureq(err);
            assert!(!mapped.was_not_sent(), "{name}");
            assert_eq!(mapped.code(), &code, "{name}");
            assert!(std::error::Error::source(&mapped).is_some(), "{name}");
        }
    }

    #[test]
    fn bad_urls_are_config_errors() {
        let mapped = from_ureq(ureq::Error::BadUri("nope".into()));
        assert_eq!(mapped.code(), &ErrorCode::InvalidConfig);
        assert!(check_url("https://api.meshapi.ai/prefix").is_ok());
        assert!(check_url("http://127.0.0.1:8000").is_ok());
        for bad in [
            "",
            "/v1",
            "ftp://h",
            "http://",
            "https://h/?q=1",
            "https://h/#f",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn read_timeouts_reach_the_crate_as_timed_out_io_errors() {
        let timeout = io::Error::other(ureq::Error::Timeout(ureq::Timeout::PerRead));
        assert_eq!(classify_read_error(timeout).kind(), io::ErrorKind::TimedOut);
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(
            classify_read_error(reset).kind(),
            io::ErrorKind::ConnectionReset
        );
        let protocol = io::Error::other(ureq::Error::BodyExceedsLimit(1));
        assert_eq!(classify_read_error(protocol).kind(), io::ErrorKind::Other);
    }

    #[test]
    fn literal_hosts_resolve_in_place_and_names_are_remembered() {
        let resolver = LiteralResolver::default();
        let config = ureq::config::Config::default();
        let timeout = NextTimeout {
            after: Duration::from_secs(5).into(),
            reason: ureq::Timeout::Resolve,
            per_read: None,
            per_write: None,
        };
        for (url, addr) in [
            ("http://127.0.0.1:8080/v1", "127.0.0.1:8080"),
            ("https://[::1]/v1", "[::1]:443"),
        ] {
            let uri: http::Uri = url.parse().unwrap();
            let addrs = resolver.resolve(&uri, &config, timeout).unwrap();
            assert_eq!(addrs.len(), 1);
            assert_eq!(addrs[0].to_string(), addr);
        }
        let v4_only = ureq::config::Config::builder()
            .ip_family(ureq::config::IpFamily::Ipv4Only)
            .build();
        let uri: http::Uri = "http://[::1]:8080/v1".parse().unwrap();
        assert!(
            resolver.resolve(&uri, &v4_only, timeout).is_err(),
            "an address of a family the agent does not use is refused"
        );
        assert!(
            resolver.cache.lock().unwrap().is_empty(),
            "literals are not cached"
        );
        let uri: http::Uri = "http://localhost:9/".parse().unwrap();
        let first = resolver.resolve(&uri, &config, timeout).unwrap();
        let again = resolver.resolve(&uri, &config, timeout).unwrap();
        assert_eq!(first.len(), again.len());
        assert_eq!(resolver.cache.lock().unwrap().len(), 1);
        for other in [
            "https://localhost:9/",
            "http://localhost:90/",
            "http://localhost/",
        ] {
            let uri: http::Uri = other.parse().unwrap();
            resolver.resolve(&uri, &config, timeout).unwrap();
        }
        resolver
            .resolve(&"http://localhost:9/x".parse().unwrap(), &config, timeout)
            .unwrap();
        assert_eq!(
            resolver.cache.lock().unwrap().len(),
            4,
            "a host is its scheme and authority"
        );
    }
}
