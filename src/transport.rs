//! The only module that names `ureq`: agent setup, headers, sending one request, reading bodies.

use std::fmt;
use std::io::{self, BufReader, Read};
use std::time::{Duration, SystemTime};

use ureq::http;
use ureq::{Agent, RequestExt};

use crate::error::{ErrorCode, MeshApiError};
use crate::retry;

/// The most an error body is read for its message (REFERENCE 2.2: Go's limit, kept).
const ERROR_BODY_LIMIT: u64 = 64 * 1024;
/// The most a successful JSON body is read before it is refused.
const SUCCESS_BODY_LIMIT: u64 = 256 * 1024 * 1024;
/// How much of a finished stream is read to hand its connection back to the pool.
const DRAIN_LIMIT: u64 = 64 * 1024;
/// The longest a connection may take to open. Shorter than the overall timeout so that a
/// connect that times out is reported as such (ureq names the earliest deadline), which tells
/// the retry loop the request never left this machine.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Idle connections kept per host: ureq keeps 3, which makes a client shared by a pool of
/// worker threads open a new connection for most requests.
const IDLE_CONNECTIONS_PER_HOST: usize = 32;
/// Large enough that a typical SSE frame is found within one buffered read.
const READ_BUFFER: usize = 64 * 1024;

/// The HTTP methods the API uses, for [`Client::request_json`](crate::Client::request_json).
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

/// One request, built once and sent as often as the retry loop decides.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) url: String,
    /// The body and its content type, encoded once so that every attempt sends the same bytes.
    pub(crate) body: Option<(&'a [u8], &'a str)>,
    pub(crate) mode: Mode,
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
    pub(crate) headers: Vec<(String, String)>,
}

/// The HTTP side of a client: one agent (one connection pool) and the headers of every request.
#[derive(Clone)]
pub(crate) struct Transport {
    agent: Agent,
    /// Authorization, the SDK header and the caller's extra headers, validated once.
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    timeout: Duration,
    stream_idle_timeout: Duration,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values are left out: one of them is the bearer token.
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Transport")
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
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
        for (name, value) in &config.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| MeshApiError::config(format!("invalid header name {name:?}")))?;
            let value = http::HeaderValue::from_str(value)
                .map_err(|_| MeshApiError::config(format!("invalid value for header {name}")))?;
            headers.retain(|(existing, _)| *existing != name);
            headers.push((name, value));
        }
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(crate::USER_AGENT)
            .timeout_global(Some(config.timeout))
            .timeout_connect(Some(CONNECT_TIMEOUT.min(config.timeout)))
            .max_idle_connections(IDLE_CONNECTIONS_PER_HOST * 2)
            .max_idle_connections_per_host(IDLE_CONNECTIONS_PER_HOST)
            .build()
            .new_agent();
        Ok(Transport {
            agent,
            headers,
            timeout: config.timeout,
            stream_idle_timeout: config.stream_idle_timeout,
        })
    }

    /// Sends one request and returns the response, whatever its status.
    pub(crate) fn send(&self, req: &Request<'_>) -> Result<Response, MeshApiError> {
        let mut builder = http::Request::builder()
            .method(req.method.as_http())
            .uri(&req.url);
        if let Some(accept) = req.mode.accept() {
            builder = builder.header(http::header::ACCEPT, accept);
        }
        if req.mode != Mode::SignedUpload {
            for (name, value) in &self.headers {
                builder = builder.header(name, value);
            }
        }
        let result = match req.body {
            Some((body, content_type)) => builder
                .header(http::header::CONTENT_TYPE, content_type)
                .body(body)
                .map_err(invalid_request)
                .and_then(|r| self.run(r, req.mode)),
            None => builder
                .body(())
                .map_err(invalid_request)
                .and_then(|r| self.run(r, req.mode)),
        };
        result.map(Response::new)
    }

    fn run<S: ureq::AsSendBody>(
        &self,
        request: http::Request<S>,
        mode: Mode,
    ) -> Result<http::Response<ureq::Body>, MeshApiError> {
        let request = request.with_agent(&self.agent);
        let result = if mode.reads_at_callers_pace() {
            request
                .configure()
                .timeout_global(None)
                .timeout_send_request(Some(self.timeout))
                .timeout_send_body(Some(self.timeout))
                .timeout_recv_response(Some(self.timeout))
                .timeout_per_read(Some(self.stream_idle_timeout))
                .build()
                .run()
        } else {
            request.run()
        };
        result.map_err(from_ureq)
    }
}

fn invalid_request(err: http::Error) -> MeshApiError {
    MeshApiError::config(format!("could not build the request: {err}"))
        .with_source(err)
        .not_sent()
}

/// A response: status, the headers the SDK reads, and the body as a buffered reader.
pub(crate) struct Response {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<String>,
    location: Option<String>,
    content_type: Option<String>,
    body: BodyReader,
}

impl Response {
    fn new(response: http::Response<ureq::Body>) -> Response {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Response {
            status: response.status().as_u16(),
            request_id: header("x-request-id"),
            retry_after: header("retry-after"),
            location: header("location"),
            content_type: header("content-type"),
            body: BufReader::with_capacity(
                READ_BUFFER,
                BodyRead(response.into_body().into_reader()),
            ),
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
            request_id: request_id.map(str::to_owned),
            retry_after: None,
            location: None,
            content_type: Some("text/event-stream".to_owned()),
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

    pub(crate) fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Reads a successful body whole (bounded), for decoding.
    pub(crate) fn into_bytes(self) -> Result<Vec<u8>, MeshApiError> {
        let request_id = self.request_id.clone();
        let mut bytes = Vec::new();
        self.body
            .take(SUCCESS_BODY_LIMIT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| body_read_error(e).with_request_id(request_id.as_deref()))?;
        if bytes.len() as u64 > SUCCESS_BODY_LIMIT {
            return Err(MeshApiError::new(
                ErrorCode::ParseError,
                format!("response body larger than {SUCCESS_BODY_LIMIT} bytes"),
            )
            .with_status(self.status)
            .with_request_id(request_id.as_deref()));
        }
        Ok(bytes)
    }

    /// Turns an unsuccessful response into its error, reading at most 64 KiB of the body.
    pub(crate) fn into_error(self) -> MeshApiError {
        let mut body = Vec::new();
        // A body that breaks off still says what it said so far; the status decides the rest.
        let _ = self.body.take(ERROR_BODY_LIMIT).read_to_end(&mut body);
        let retry_after = self
            .retry_after
            .as_deref()
            .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
        MeshApiError::from_response(
            self.status,
            self.request_id.as_deref(),
            retry_after,
            self.location.as_deref(),
            &body,
        )
    }

    pub(crate) fn into_body(self) -> BodyReader {
        self.body
    }

    pub(crate) fn body_mut(&mut self) -> &mut BodyReader {
        &mut self.body
    }
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

/// Reads what is left of a finished stream, so that its connection can go back to the pool;
/// a body with more than a little left is dropped instead, which closes the connection.
pub(crate) fn drain(body: &mut BodyReader) {
    let _ = io::copy(&mut body.take(DRAIN_LIMIT), &mut io::sink());
}

/// A body read that failed on a non-streaming response.
fn body_read_error(err: io::Error) -> MeshApiError {
    if err.kind() == io::ErrorKind::TimedOut {
        MeshApiError::new(
            ErrorCode::Timeout,
            format!("timed out reading the response body: {err}"),
        )
        .with_source(err)
    } else {
        MeshApiError::new(
            ErrorCode::Connection,
            format!("connection failed reading the response body: {err}"),
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
            let e = MeshApiError::new(ErrorCode::Timeout, format!("request timed out ({phase})"))
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
            let e = MeshApiError::new(ErrorCode::Connection, format!("connection failed: {io}"))
                .with_source(io);
            if unsent { e.not_sent() } else { e }
        }
        E::BadUri(uri) => MeshApiError::config(format!("invalid URL: {uri}")).not_sent(),
        E::Http(e) => invalid_request(e),
        e @ (E::Tls(_) | E::Rustls(_) | E::Pem(_)) => {
            MeshApiError::new(ErrorCode::Connection, format!("TLS failed: {e}"))
                .with_source(e)
                .not_sent()
        }
        e @ E::LargeResponseHeader(..) => {
            MeshApiError::new(ErrorCode::ParseError, format!("invalid response: {e}"))
                .with_source(e)
        }
        other => MeshApiError::new(ErrorCode::Connection, format!("request failed: {other}"))
            .with_source(other),
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
}
