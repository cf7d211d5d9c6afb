//! [`MeshApiError`], [`ErrorCode`], and the one mapping from an HTTP error response to an error.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

use serde_json::{Map, Value};

/// The most characters of a body that an error message quotes.
pub(crate) const SNIPPET_CHARS: usize = 500;

/// Defines [`ErrorCode`] with one line per code: its variant, wire slug and meaning, so that the
/// enum, [`ErrorCode::as_str`] and the parsing of a slug cannot disagree.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $slug:literal,)*) => {
        /// What went wrong, as a machine-readable code.
        ///
        /// Server codes come from the error envelope's `error.code`; when the body has none, the
        /// code follows from the HTTP status. Client-side failures have codes of their own. A code
        /// the crate does not know is kept verbatim in [`ErrorCode::Other`]. The statuses given
        /// are the ones the gateway documents; a code may come with another.
        ///
        /// ```
        /// use meshapi::ErrorCode;
        ///
        /// assert_eq!(ErrorCode::from("rate_limit_exceeded"), ErrorCode::RateLimitExceeded);
        /// assert_eq!(ErrorCode::RateLimitExceeded.as_str(), "rate_limit_exceeded");
        /// assert_eq!(ErrorCode::from("brand_new_code"), ErrorCode::Other("brand_new_code".into()));
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code the server sent that this version of the crate does not know, kept verbatim.
            Other(String),
        }

        impl ErrorCode {
            /// The code's wire slug, e.g. `"rate_limit_exceeded"`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $slug,)*
                    ErrorCode::Other(code) => code,
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(slug: &str) -> ErrorCode {
                match slug {
                    $($slug => ErrorCode::$variant,)*
                    "invalid_request_error" => ErrorCode::InvalidRequest,
                    other => ErrorCode::Other(other.to_owned()),
                }
            }
        }

        /// Every known code, for the tests that check the table against the README.
        #[cfg(test)]
        const KNOWN_CODES: &[ErrorCode] = &[$(ErrorCode::$variant,)*];
    };
}

error_codes! {
    /// `unauthorized` (401): the Mesh key is missing, malformed, revoked or unknown.
    Unauthorized => "unauthorized",
    /// `forbidden` (403): the key is valid but not permitted (deactivated, or the model is not
    /// allowed).
    Forbidden => "forbidden",
    /// `not_found` (404): a Mesh resource (template, batch, key, …) is missing or not visible.
    NotFound => "not_found",
    /// `model_not_found` (404): the model is unknown, disabled or not permitted for this key.
    ModelNotFound => "model_not_found",
    /// `spend_limit_exceeded` (402): the key's spend cap or the balance is used up.
    SpendLimitExceeded => "spend_limit_exceeded",
    /// `validation_error` (422): the body was rejected by validation; see
    /// [`MeshApiError::details`].
    ValidationError => "validation_error",
    /// `unprocessable_entity` (422): the request is semantically invalid, with no more specific
    /// code.
    UnprocessableEntity => "unprocessable_entity",
    /// `rate_limit_exceeded` (429): the key's RPM, RPD or TPM limit; see
    /// [`MeshApiError::retry_after`].
    RateLimitExceeded => "rate_limit_exceeded",
    /// `upstream_error` (5xx, or a mid-stream error frame): the provider failed;
    /// [`MeshApiError::provider_code`] narrows it (`bad_response`, `connection_error`,
    /// `provider_overloaded`, …).
    UpstreamError => "upstream_error",
    /// `gateway_timeout` (504, or a mid-stream frame): the provider did not answer within the
    /// gateway's timeout.
    GatewayTimeout => "gateway_timeout",
    /// `internal_error` (500): the gateway itself failed.
    InternalError => "internal_error",
    /// `parse_error`: the SDK could not parse a response body or stream frame.
    ParseError => "parse_error",
    /// `stream_interrupted`: the stream ended or broke before its end (`[DONE]`).
    StreamInterrupted => "stream_interrupted",
    /// `invalid_request` (400, also when the body names no code): parameters malformed, out of
    /// range or unsupported by the model. Anthropic's `invalid_request_error` (`/v1/messages`) maps
    /// here too; [`MeshApiError::server_code`] keeps the slug sent.
    InvalidRequest => "invalid_request",
    /// `conflict` (409): the resource's state refuses the request.
    Conflict => "conflict",
    /// `http_error`: any other unsuccessful status, including a redirect the SDK does not follow.
    HttpError => "http_error",
    /// `timeout`: no response, or no stream data, within the configured time.
    Timeout => "timeout",
    /// `connection`: the SDK could not connect (refused, DNS, TLS) or the connection failed.
    Connection => "connection",
    /// `invalid_config`: the client or a request could not be built from what was given.
    InvalidConfig => "invalid_config",
    /// `structured_output_parse_error`: a structured-output reply was not JSON, or not JSON of the
    /// requested shape; see `Completions::parse`.
    StructuredOutputParseError => "structured_output_parse_error",
    /// `invalid_api_version` (400): the `X-Mesh-Version` label is not served, malformed, or sent
    /// twice; see [`MeshApiError::supported_versions`].
    InvalidApiVersion => "invalid_api_version",
    /// `request_too_large` (413): the request body is over the gateway's 32 MiB limit. The SDK
    /// refuses such a body before sending it; the edge answers one that gets through with an HTML
    /// page and no request id.
    RequestTooLarge => "request_too_large",
    /// `bad_request` (400): rejected before reaching a provider: missing fields or an invalid
    /// combination.
    BadRequest => "bad_request",
    /// `content_policy_violation`: the provider's content filter refused the request.
    ContentPolicyViolation => "content_policy_violation",
    /// `context_window_exceeded`: the input (and the requested output) exceeds the model's context
    /// window.
    ContextWindowExceeded => "context_window_exceeded",
    /// `invalid_input`: an attached image, audio, file or data URL is corrupt, unsupported or too
    /// large.
    InvalidInput => "invalid_input",
    /// `model_capability_not_supported` (400): the model cannot serve this endpoint, capability or
    /// `service_tier`.
    ModelCapabilityNotSupported => "model_capability_not_supported",
    /// `model_not_available_on_pinned_provider`: the key is pinned to a provider that lacks the
    /// model; the details name both.
    ModelNotAvailableOnPinnedProvider => "model_not_available_on_pinned_provider",
    /// `resource_not_found`: a referenced file, batch, previous response or fine-tune is missing or
    /// expired.
    ResourceNotFound => "resource_not_found",
    /// `unsupported_operation`: the model or provider lacks the capability (tools, streaming,
    /// vision, the endpoint).
    UnsupportedOperation => "unsupported_operation",
    /// `insufficient_credits`: the BYOK provider account is out of credit or has a billing problem.
    InsufficientCredits => "insufficient_credits",
    /// `upstream_auth_error`: the BYOK credential was rejected by the provider (`provider_code`:
    /// `invalid_auth`, `permission_denied`, `account_not_entitled`).
    UpstreamAuthError => "upstream_auth_error",
    /// `upstream_rate_limit_error`: the BYOK provider throttled or ran out of quota (not the Mesh
    /// key's own limit).
    UpstreamRateLimitError => "upstream_rate_limit_error",
    /// `api_version_migration_failed`: the gateway could not convert the answer to the older pinned
    /// version's shape; retry, or pin a newer version.
    ApiVersionMigrationFailed => "api_version_migration_failed",
    /// `byok_fallback_disabled`: the BYOK key could not serve and forbids falling back to platform
    /// credentials (`allow_fallback`).
    ByokFallbackDisabled => "byok_fallback_disabled",
    /// `invalid_search_parameter`: `models().search()` got an unknown capability filter, or
    /// `sort=price` without exactly one priceable output modality; valid values are in the answer's
    /// facets.
    InvalidSearchParameter => "invalid_search_parameter",
    /// `model_brand_unknown`: a brand-wide model policy cannot apply to a model with no brand.
    ModelBrandUnknown => "model_brand_unknown",
    /// `model_excluded`: a model policy (org, team, account or key) excludes the model.
    ModelExcluded => "model_excluded",
    /// `model_policy_unavailable`: the model policy could not be evaluated; retry.
    ModelPolicyUnavailable => "model_policy_unavailable",
    /// `pii_redaction_unavailable`: PII redaction is on and could not complete; refused before the
    /// provider and not billed, and the same request fails again.
    PiiRedactionUnavailable => "pii_redaction_unavailable",
    /// `provider_job_failed` (500): paid provider work produced no usable result, or its outcome
    /// could not be confirmed; not charged. **Never retried**, whatever the retry policy says:
    /// resending starts a second paid job, so resend only when a new job is wanted.
    ProviderJobFailed => "provider_job_failed",
    /// `provider_not_available` (503): the provider adapter is not registered or its circuit
    /// breaker is open.
    ProviderNotAvailable => "provider_not_available",
    /// `provider_resource_not_found`: the video provider no longer knows the task (expired
    /// upstream).
    ProviderResourceNotFound => "provider_resource_not_found",
    /// `secret_provision_failed`: a BYOK credential could not be stored; nothing was saved.
    SecretProvisionFailed => "secret_provision_failed",
    /// `all_models_failed`: every model of a compare fan-out failed; the per-model errors say why.
    AllModelsFailed => "all_models_failed",
    /// `concurrent_sessions_exceeded`: realtime: too many simultaneous sessions.
    ConcurrentSessionsExceeded => "concurrent_sessions_exceeded",
    /// `feature_not_enabled`: realtime: the feature is not enabled for the account.
    FeatureNotEnabled => "feature_not_enabled",
    /// `insufficient_quota`: realtime: no credit, the session is refused.
    InsufficientQuota => "insufficient_quota",
    /// `invalid_api_key`: realtime: the socket was opened with a missing, malformed, revoked or
    /// suspended key.
    InvalidApiKey => "invalid_api_key",
    /// `session_token_cap_exceeded`: realtime: the session's token cap is reached.
    SessionTokenCapExceeded => "session_token_cap_exceeded",
    /// `connection_timeout`: realtime: heartbeats stopped.
    ConnectionTimeout => "connection_timeout",
    /// `idle_timeout`: realtime: the socket was idle too long.
    IdleTimeout => "idle_timeout",
    /// `provider_error`: realtime: the upstream realtime session failed.
    ProviderError => "provider_error",
    /// `service_draining`: realtime: the instance is draining for a deploy; reconnect.
    ServiceDraining => "service_draining",
    /// `session_duration_exceeded`: realtime: the session reached its longest lifetime.
    SessionDurationExceeded => "session_duration_exceeded",
    /// `upstream_overload`: realtime: the provider refused the session (overloaded).
    UpstreamOverload => "upstream_overload",
}

impl ErrorCode {
    /// The code used when an error body names none.
    pub(crate) fn for_status(status: u16) -> ErrorCode {
        match status {
            400 => ErrorCode::InvalidRequest,
            401 => ErrorCode::Unauthorized,
            402 => ErrorCode::SpendLimitExceeded,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            409 => ErrorCode::Conflict,
            413 => ErrorCode::RequestTooLarge,
            422 => ErrorCode::ValidationError,
            429 => ErrorCode::RateLimitExceeded,
            500 | 502 | 503 | 504 => ErrorCode::UpstreamError,
            _ => ErrorCode::HttpError,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The string fields of an error envelope that the crate keeps as sent.
#[derive(Debug, Default)]
struct Envelope {
    /// `error.code` exactly as the server sent it, e.g. `"401"` from an OpenAI-style proxy.
    code: Option<String>,
    /// `error.type` (OpenAI's and Anthropic's envelopes).
    kind: Option<String>,
    /// `error.param` (OpenAI's envelope).
    param: Option<String>,
    /// `error.provider_code`: the provider's own code, narrowing `code`.
    provider_code: Option<String>,
}

/// Every failure of the SDK: an error response, a broken stream, a timeout, a bad configuration.
///
/// Branch on [`code`](MeshApiError::code) the way the Python SDK branches on `e.error_code`:
///
/// ```no_run
/// use meshapi::{ChatCompletionParams, ChatMessage, Client, ErrorCode};
///
/// let client = Client::new("rsk_...")?;
/// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
/// match client.chat().completions().create(&params) {
///     Ok(reply) => println!("{:?}", reply.choices[0].message.content),
///     Err(e) => match e.code() {
///         ErrorCode::RateLimitExceeded => println!("retry after {:?}", e.retry_after()),
///         ErrorCode::Unauthorized => println!("invalid API key"),
///         _ => println!("{e}"),
///     },
/// }
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
///
/// `Display` reads `[429] rate_limit_exceeded: Rate limit exceeded. (request_id req_01HZDEF)`.
#[derive(thiserror::Error)]
#[error(transparent)]
pub struct MeshApiError {
    inner: Box<Inner>,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "{}{code}: {message}{}",
    .status.map(|s| format!("[{s}] ")).unwrap_or_default(),
    .request_id.as_ref().map(|id| format!(" (request_id {id})")).unwrap_or_default()
)]
struct Inner {
    status: Option<u16>,
    code: ErrorCode,
    message: String,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    details: Vec<Value>,
    provider_error: Option<Value>,
    /// The labels an `invalid_api_version` body lists.
    supported_versions: Vec<String>,
    /// The envelope's string fields beside `code` and `message`, kept verbatim.
    envelope: Envelope,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    /// The request provably never reached the server, so repeating it cannot duplicate work.
    not_sent: bool,
}

impl MeshApiError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> MeshApiError {
        MeshApiError {
            inner: Box::new(Inner {
                status: None,
                code,
                message: message.into(),
                request_id: None,
                retry_after: None,
                details: Vec::new(),
                provider_error: None,
                supported_versions: Vec::new(),
                envelope: Envelope::default(),
                source: None,
                not_sent: false,
            }),
        }
    }

    pub(crate) fn with_status(mut self, status: u16) -> MeshApiError {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> MeshApiError {
        self.inner.source = Some(source.into());
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> MeshApiError {
        if retry_after.is_some() {
            self.inner.retry_after = retry_after;
        }
        self
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<&str>) -> MeshApiError {
        if self.inner.request_id.is_none() {
            self.inner.request_id = request_id.filter(|id| !id.is_empty()).map(str::to_owned);
        }
        self
    }

    /// Marks a failure that happened before any byte of the request reached the server.
    /// Adds `note` to the message, in parentheses.
    pub(crate) fn note(mut self, note: &str) -> MeshApiError {
        self.inner.message.push_str(" (");
        self.inner.message.push_str(note);
        self.inner.message.push(')');
        self
    }

    pub(crate) fn not_sent(mut self) -> MeshApiError {
        self.inner.not_sent = true;
        self
    }

    pub(crate) fn was_not_sent(&self) -> bool {
        self.inner.not_sent
    }

    /// An invalid client configuration or request.
    pub(crate) fn config(message: impl Into<String>) -> MeshApiError {
        MeshApiError::new(ErrorCode::InvalidConfig, message)
    }

    /// A successful response whose body did not decode into the expected type.
    pub(crate) fn decode(status: u16, what: &str, body: &[u8], err: serde_json::Error) -> Self {
        MeshApiError::new(
            ErrorCode::ParseError,
            format!(
                "could not decode {what} from the response body: {}",
                snippet(body)
            ),
        )
        .with_status(status)
        .with_source(err)
    }

    /// A failure while reading a stream: an idle timeout, or anything else that cut it short.
    pub(crate) fn stream_io(err: io::Error) -> MeshApiError {
        if matches!(
            err.kind(),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
        ) {
            MeshApiError::new(ErrorCode::Timeout, "no stream data within the idle timeout")
                .with_source(err)
        } else {
            MeshApiError::new(
                ErrorCode::StreamInterrupted,
                "the connection broke mid-stream",
            )
            .with_source(err)
        }
    }

    /// A response whose body is in a content coding (`gzip`, `br`, ...) the SDK does not decode:
    /// a parse error for a successful status, the status table's code for an error status.
    pub(crate) fn encoded_body(status: u16, encoding: &str) -> MeshApiError {
        let code = if (200..300).contains(&status) {
            ErrorCode::ParseError
        } else {
            ErrorCode::for_status(status)
        };
        MeshApiError::new(
            code,
            format!(
                "HTTP {status} with a body in the {encoding:?} content coding \
                 (Content-Encoding: {encoding}), which the SDK neither asks for nor decodes"
            ),
        )
        .with_status(status)
    }

    /// Amends an error mapped from the part of an error body that arrived before the read
    /// failed: a body that did not parse (a cut JSON) gives way to the status table's code,
    /// the message says how the body was cut, and `cause` becomes the source.
    pub(crate) fn body_cut_short(mut self, received: &[u8], cause: io::Error) -> MeshApiError {
        let status = self.inner.status.unwrap_or_default();
        let mut message = if self.inner.code == ErrorCode::ParseError {
            self.inner.code = ErrorCode::for_status(status);
            format!("HTTP {status}")
        } else {
            std::mem::take(&mut self.inner.message)
        };
        let why = if cause.kind() == io::ErrorKind::TimedOut {
            "timed out"
        } else {
            "connection broke"
        };
        message.push_str(&format!(
            "; the error body was cut short after {} bytes ({why})",
            received.len()
        ));
        if !received.iter().all(u8::is_ascii_whitespace) {
            message.push_str(&format!("; received: {}", snippet(received)));
        }
        self.inner.message = message;
        self.inner.source = Some(Box::new(cause));
        self
    }

    /// Maps an unsuccessful response from its status, its headers (`header` looks one up by its
    /// lowercase name) and at most the first 64 KiB of its body: the one place that reads
    /// `X-Request-Id`, `Retry-After` and `Location`, for HTTP answers and refused WebSocket
    /// handshakes alike.
    pub(crate) fn from_head(
        status: u16,
        header: impl Fn(&str) -> Option<String>,
        body: &[u8],
    ) -> MeshApiError {
        let retry_after = header("retry-after")
            .and_then(|v| crate::retry::parse_retry_after(&v, std::time::SystemTime::now()));
        MeshApiError::from_response(
            status,
            header("x-request-id").as_deref(),
            retry_after,
            header("location").as_deref(),
            body,
        )
    }

    /// Maps an unsuccessful response to an error.
    ///
    /// `body` is at most the first 64 KiB of the response body; `header_retry_after` is the
    /// parsed `Retry-After` header, which wins over the body's `retry_after_seconds`.
    pub(crate) fn from_response(
        status: u16,
        header_request_id: Option<&str>,
        header_retry_after: Option<Duration>,
        location: Option<&str>,
        body: &[u8],
    ) -> MeshApiError {
        // Whatever its body says, a redirect is refused for where it points.
        let mut err = if (300..400).contains(&status) {
            redirect(status, location)
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(json) => from_json_body(status, &json),
                // The edge in front of the gateway answers an oversized body with an HTML
                // page: the status says all there is to say.
                Err(_) if status == 413 => MeshApiError::new(
                    ErrorCode::RequestTooLarge,
                    "the request body is over the gateway's 32 MiB limit (HTTP 413 from the edge)",
                ),
                Err(e) => {
                    let message = if body.iter().all(u8::is_ascii_whitespace) {
                        format!("HTTP {status}")
                    } else {
                        snippet(body)
                    };
                    MeshApiError::new(ErrorCode::ParseError, message).with_source(e)
                }
            }
        };
        err.inner.status = Some(status);
        if header_retry_after.is_some() {
            err.inner.retry_after = header_retry_after;
        }
        err.with_request_id(header_request_id)
    }

    /// The error carried by an SSE frame whose JSON has an object-valued `error`.
    pub(crate) fn from_stream_frame(error: &Value, request_id: Option<&str>) -> MeshApiError {
        // With no status to fall back on, an Anthropic `error` event's type is the best clue.
        let code = wire_code(error.get("code"), None)
            .or_else(|| anthropic_code(error.get("type")))
            .unwrap_or(ErrorCode::UpstreamError);
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .unwrap_or("upstream error");
        let mut err = MeshApiError::new(code, message);
        if let Some(error) = error.as_object() {
            copy_envelope_extras(&mut err, error);
        }
        err.with_request_id(request_id)
    }

    /// The HTTP status, or `None` for a failure on the client side or inside a stream.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The machine-readable code.
    pub fn code(&self) -> &ErrorCode {
        &self.inner.code
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The gateway's request id (`req_...`), from the body or the `X-Request-Id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// How long the server asked to wait: the `Retry-After` header, else the body's
    /// `retry_after_seconds`.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// Validation details (`error.details`, or a FastAPI `detail` list); empty when none.
    pub fn details(&self) -> &[Value] {
        &self.inner.details
    }

    /// The upstream provider's own error payload, when the gateway passed it on.
    pub fn provider_error(&self) -> Option<&Value> {
        self.inner.provider_error.as_ref()
    }

    /// `error.code` exactly as the server sent it, when it sent one. [`code`](Self::code) is
    /// derived from it, except that an all-digit code (an OpenAI-compatible proxy such as
    /// LiteLLM sends the HTTP status there, e.g. `"401"`) maps through the status table.
    ///
    /// ```
    /// # use meshapi::mock::{MockReply, MockServer};
    /// use meshapi::{Client, ErrorCode, Method};
    /// # let server = MockServer::start()?;
    /// # server.enqueue(MockReply::json(401,
    /// #     r#"{"error":{"message":"bad key","type":"auth_error","param":null,"code":"401"}}"#));
    /// # let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
    /// let err = client.request(Method::Get,
    /// "/v1/models").send::<serde_json::Value>().unwrap_err();
    /// assert_eq!(err.code(), &ErrorCode::Unauthorized);
    /// assert_eq!(err.server_code(), Some("401"));
    /// assert_eq!(err.error_type(), Some("auth_error"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn server_code(&self) -> Option<&str> {
        self.inner.envelope.code.as_deref()
    }

    /// `error.type` of an OpenAI-style envelope (e.g. `"invalid_request_error"`) or of
    /// Anthropic's (`/v1/messages`: `"overloaded_error"`, `"api_error"`, …), as sent. For
    /// Anthropic's envelope, which has no `code`, [`code`](Self::code) is derived from it:
    /// `invalid_request_error` → `InvalidRequest`, `authentication_error` → `Unauthorized`,
    /// `billing_error` → `SpendLimitExceeded`, `permission_error` → `Forbidden`,
    /// `not_found_error` → `NotFound`, `request_too_large` → `RequestTooLarge`,
    /// `rate_limit_error` → `RateLimitExceeded`, `api_error` and `overloaded_error` →
    /// `UpstreamError`; any other type → the status table.
    pub fn error_type(&self) -> Option<&str> {
        self.inner.envelope.kind.as_deref()
    }

    /// `error.param` of an OpenAI-style envelope: the request field the error is about.
    pub fn param(&self) -> Option<&str> {
        self.inner.envelope.param.as_deref()
    }

    /// `error.provider_code`: the upstream provider's own code, which narrows
    /// [`code`](Self::code) when the failure came from a provider (for example
    /// `context_window_exceeded`).
    pub fn provider_code(&self) -> Option<&str> {
        self.inner.envelope.provider_code.as_deref()
    }

    /// Whether repeating the same request may succeed: a 429, 502, 503 or 504, a failure to
    /// connect, or a timeout.
    ///
    /// The client's own retry loop also weighs the method: it repeats a POST or PATCH that
    /// may have reached the server only on those statuses, never after a timeout.
    pub fn is_retryable(&self) -> bool {
        self.inner
            .status
            .is_some_and(crate::retry::is_retried_status)
            || matches!(self.inner.code, ErrorCode::Connection | ErrorCode::Timeout)
    }

    /// The API versions an [`invalid_api_version`](ErrorCode::InvalidApiVersion) error lists
    /// as served (`supported_versions`, inside `error` or beside it); empty otherwise.
    pub fn supported_versions(&self) -> &[String] {
        &self.inner.supported_versions
    }

    /// Whether the failure is a client-side timeout (connect, response, or stream idle).
    pub fn is_timeout(&self) -> bool {
        self.inner.code == ErrorCode::Timeout
    }
}

fn redirect(status: u16, location: Option<&str>) -> MeshApiError {
    MeshApiError::new(
        ErrorCode::HttpError,
        format!(
            "redirect (HTTP {status}) to {} not followed: the SDK never replays a request \
             to another location",
            location.unwrap_or("an unnamed location")
        ),
    )
}

fn from_json_body(status: u16, json: &Value) -> MeshApiError {
    let empty = Map::new();
    let error = json
        .get("error")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    // Anthropic's envelope (`/v1/messages`) names no `code`, only `error.type`. An OpenAI
    // envelope has an `error.type` too, but one too coarse to override the status
    // (`invalid_request_error` on a 404), so only the envelope marked `"type": "error"` is read
    // that way.
    let anthropic = json.get("type").and_then(Value::as_str) == Some("error");
    let code = wire_code(error.get("code"), Some(status))
        .or_else(|| {
            anthropic
                .then(|| anthropic_code(error.get("type")))
                .flatten()
        })
        .unwrap_or_else(|| ErrorCode::for_status(status));
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .or_else(|| json.get("detail").and_then(Value::as_str))
        .map_or_else(|| format!("HTTP {status}"), str::to_owned);
    let mut err = MeshApiError::new(code, message);
    copy_envelope_extras(&mut err, error);
    if err.inner.details.is_empty() {
        if let Some(Value::Array(detail)) = json.get("detail") {
            err.inner.details = detail.clone();
        }
    }
    err.inner.supported_versions = [
        error.get("supported_versions"),
        json.get("supported_versions"),
    ]
    .into_iter()
    .flatten()
    .find_map(Value::as_array)
    .map(|labels| {
        labels
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default();
    let body_request_id = json.get("request_id").and_then(Value::as_str);
    err.with_request_id(body_request_id)
}

/// The code of an envelope's `code` value: a known or unknown slug, or, for an all-digit code,
/// the status table's code for that number (else for `status`); `None` when there is none.
fn wire_code(code: Option<&Value>, status: Option<u16>) -> Option<ErrorCode> {
    let code = code.and_then(Value::as_str).filter(|c| !c.is_empty())?;
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(ErrorCode::from(code));
    }
    code.parse().ok().or(status).map(ErrorCode::for_status)
}

/// The code for the `error.type` of Anthropic's envelope; `None` for a type it does not
/// document. Its `api_error` and `overloaded_error` (529) are the serving side failing, which the
/// gateway reports as `upstream_error` everywhere else; [`MeshApiError::error_type`] tells them
/// apart.
fn anthropic_code(error_type: Option<&Value>) -> Option<ErrorCode> {
    Some(match error_type?.as_str()? {
        "invalid_request_error" => ErrorCode::InvalidRequest,
        "authentication_error" => ErrorCode::Unauthorized,
        "billing_error" => ErrorCode::SpendLimitExceeded,
        "permission_error" => ErrorCode::Forbidden,
        "not_found_error" => ErrorCode::NotFound,
        "request_too_large" => ErrorCode::RequestTooLarge,
        "rate_limit_error" => ErrorCode::RateLimitExceeded,
        "api_error" | "overloaded_error" => ErrorCode::UpstreamError,
        _ => return None,
    })
}

fn copy_envelope_extras(err: &mut MeshApiError, error: &Map<String, Value>) {
    let text = |key: &str| error.get(key).and_then(Value::as_str).map(str::to_owned);
    err.inner.envelope = Envelope {
        code: text("code"),
        kind: text("type"),
        param: text("param"),
        provider_code: text("provider_code"),
    };
    if let Some(Value::Array(details)) = error.get("details") {
        err.inner.details = details.clone();
    }
    err.inner.provider_error = error
        .get("provider_error")
        .filter(|v| !v.is_null())
        .cloned();
    err.inner.retry_after = error
        .get("retry_after_seconds")
        .and_then(Value::as_f64)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok());
}

/// The body as text, lossily decoded and cut to [`SNIPPET_CHARS`] characters.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

impl fmt::Debug for MeshApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MeshApiError")
            .field("status", &self.inner.status)
            .field("code", &self.inner.code)
            .field("message", &self.inner.message)
            .field("request_id", &self.inner.request_id)
            .field("retry_after", &self.inner.retry_after)
            .field("details", &self.inner.details)
            .field("provider_error", &self.inner.provider_error)
            .field("envelope", &self.inner.envelope)
            .field("source", &self.inner.source)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(status: u16, body: &str) -> MeshApiError {
        MeshApiError::from_response(status, None, None, None, body.as_bytes())
    }

    #[test]
    fn the_readme_lists_every_code_with_its_slug() {
        let readme = include_str!("../README.md");
        for code in KNOWN_CODES {
            let row = format!("| `{code:?}` | `{}` |", code.as_str());
            assert!(readme.contains(&row), "README lacks {row}");
        }
    }

    #[test]
    fn a_413_from_the_edge_is_request_too_large_and_provider_job_failed_is_final() {
        let err = map(
            413,
            "<html><body>413 Request Entity Too Large</body></html>",
        );
        assert_eq!(err.code(), &ErrorCode::RequestTooLarge);
        assert_eq!(err.status(), Some(413));
        assert!(err.message().contains("32 MiB"), "{}", err.message());
        let job = map(
            500,
            r#"{"error":{"code":"provider_job_failed","message":"no result"}}"#,
        );
        assert_eq!(job.code(), &ErrorCode::ProviderJobFailed);
        assert!(!job.is_retryable());
        assert_eq!(
            ErrorCode::from("invalid_request_error"),
            ErrorCode::InvalidRequest
        );
    }

    #[test]
    fn every_known_slug_round_trips() {
        for code in KNOWN_CODES {
            assert_eq!(&ErrorCode::from(code.as_str()), code);
            assert_eq!(code.to_string(), code.as_str());
        }
        let other = ErrorCode::from("model_capability_not_yet_named");
        assert_eq!(
            other,
            ErrorCode::Other("model_capability_not_yet_named".into())
        );
        assert_eq!(other.as_str(), "model_capability_not_yet_named");
    }

    #[test]
    fn the_status_fallback_table() {
        let rows = [
            (400, ErrorCode::InvalidRequest),
            (401, ErrorCode::Unauthorized),
            (402, ErrorCode::SpendLimitExceeded),
            (403, ErrorCode::Forbidden),
            (404, ErrorCode::NotFound),
            (409, ErrorCode::Conflict),
            (422, ErrorCode::ValidationError),
            (429, ErrorCode::RateLimitExceeded),
            (500, ErrorCode::UpstreamError),
            (502, ErrorCode::UpstreamError),
            (503, ErrorCode::UpstreamError),
            (504, ErrorCode::UpstreamError),
            (405, ErrorCode::HttpError),
            (501, ErrorCode::HttpError),
            (599, ErrorCode::HttpError),
        ];
        for (status, code) in rows {
            assert_eq!(ErrorCode::for_status(status), code, "{status}");
            let err = map(status, r#"{"error":{"message":"m"}}"#);
            assert_eq!(err.code(), &code, "{status}");
            assert_eq!(err.message(), "m");
        }
    }

    #[test]
    fn a_full_envelope_is_copied_field_by_field() {
        let err = map(
            429,
            r#"{"error":{"code":"rate_limit_exceeded","message":"Slow.","details":[1,"two"],
                "provider_error":{"type":"x"},"retry_after_seconds":1.5},"request_id":"req_b"}"#,
        );
        assert_eq!(err.status(), Some(429));
        assert_eq!(err.code(), &ErrorCode::RateLimitExceeded);
        assert_eq!(err.message(), "Slow.");
        assert_eq!(err.details(), &[json!(1), json!("two")]);
        assert_eq!(err.provider_error(), Some(&json!({"type": "x"})));
        assert_eq!(err.retry_after(), Some(Duration::from_millis(1500)));
        assert_eq!(err.request_id(), Some("req_b"));
        assert_eq!(
            err.to_string(),
            "[429] rate_limit_exceeded: Slow. (request_id req_b)"
        );
    }

    #[test]
    fn the_header_retry_after_wins_and_a_bad_body_value_is_ignored() {
        let body = br#"{"error":{"code":"rate_limit_exceeded","retry_after_seconds":9}}"#;
        let header = Some(Duration::from_secs(2));
        let err = MeshApiError::from_response(429, None, header, None, body);
        assert_eq!(err.retry_after(), header);
        for bad in ["-1", "\"soon\"", "null", "1e400"] {
            let body = format!(r#"{{"error":{{"retry_after_seconds":{bad}}}}}"#);
            assert_eq!(map(429, &body).retry_after(), None, "{bad}");
        }
    }

    #[test]
    fn messages_fall_back_to_detail_then_the_status() {
        assert_eq!(
            map(404, r#"{"detail":"No such model"}"#).message(),
            "No such model"
        );
        assert_eq!(
            map(404, r#"{"error":{"message":""},"detail":"d"}"#).message(),
            "d"
        );
        assert_eq!(
            map(404, r#"{"detail":{"not":"a string"}}"#).message(),
            "HTTP 404"
        );
        let err = map(422, r#"{"detail":[{"msg":"Field required"}]}"#);
        assert_eq!(err.message(), "HTTP 422");
        assert_eq!(err.details(), &[json!({"msg": "Field required"})]);
    }

    #[test]
    fn all_digit_codes_map_through_the_status_table_and_stay_reachable() {
        let err = map(
            401,
            r#"{"error":{"message":"Invalid key","type":"auth_error","param":"key","code":"401"}}"#,
        );
        assert_eq!(err.code(), &ErrorCode::Unauthorized);
        assert_eq!(err.message(), "Invalid key");
        assert_eq!(err.server_code(), Some("401"));
        assert_eq!(err.error_type(), Some("auth_error"));
        assert_eq!(err.param(), Some("key"));
        // The code's number decides; an unusable number falls back to the status.
        assert_eq!(
            map(400, r#"{"error":{"code":"429"}}"#).code(),
            &ErrorCode::RateLimitExceeded
        );
        assert_eq!(
            map(403, r#"{"error":{"code":"99999"}}"#).code(),
            &ErrorCode::Forbidden
        );
        let frame = MeshApiError::from_stream_frame(&json!({"code": "503", "message": "m"}), None);
        assert_eq!(frame.code(), &ErrorCode::UpstreamError);
        assert_eq!(frame.server_code(), Some("503"));
        // Codes with letters are slugs, known or not.
        assert_eq!(
            map(400, r#"{"error":{"code":"4xx"}}"#).code(),
            &ErrorCode::Other("4xx".into())
        );
        assert_eq!(map(400, "{}").server_code(), None);
    }

    #[test]
    fn anthropic_error_types_map_like_the_gateway_codes() {
        let rows = [
            (400, "invalid_request_error", ErrorCode::InvalidRequest),
            (401, "authentication_error", ErrorCode::Unauthorized),
            (402, "billing_error", ErrorCode::SpendLimitExceeded),
            (403, "permission_error", ErrorCode::Forbidden),
            (404, "not_found_error", ErrorCode::NotFound),
            (413, "request_too_large", ErrorCode::RequestTooLarge),
            (429, "rate_limit_error", ErrorCode::RateLimitExceeded),
            (500, "api_error", ErrorCode::UpstreamError),
            (529, "overloaded_error", ErrorCode::UpstreamError),
        ];
        for (status, kind, code) in rows {
            let error = json!({"type": kind, "message": "m"});
            let body = json!({"type": "error", "error": error, "request_id": "req_a"});
            let err = map(status, &body.to_string());
            assert_eq!(err.code(), &code, "{kind}");
            assert_eq!(err.status(), Some(status));
            assert_eq!(err.message(), "m");
            assert_eq!(err.error_type(), Some(kind));
            assert_eq!(err.server_code(), None);
            assert_eq!(err.request_id(), Some("req_a"));
            // The stream's `error` event has the same error object and no status.
            let frame = MeshApiError::from_stream_frame(&error, None);
            assert_eq!(frame.code(), &code, "{kind}");
            assert_eq!(frame.error_type(), Some(kind));
        }
        // A type it does not document falls back to the status, or in a stream to
        // upstream_error.
        let body = r#"{"type":"error","error":{"type":"brand_new_error","message":"m"}}"#;
        assert_eq!(map(529, body).code(), &ErrorCode::HttpError);
        assert_eq!(map(503, body).code(), &ErrorCode::UpstreamError);
        let frame = MeshApiError::from_stream_frame(&json!({"type": "brand_new_error"}), None);
        assert_eq!(frame.code(), &ErrorCode::UpstreamError);
        // A code wins over the type.
        let coded = r#"{"type":"error","error":{"type":"api_error","code":"gateway_timeout"}}"#;
        assert_eq!(map(504, coded).code(), &ErrorCode::GatewayTimeout);
        // An OpenAI envelope's type does not override the status.
        let openai = r#"{"error":{"message":"No such model","type":"invalid_request_error"}}"#;
        assert_eq!(map(404, openai).code(), &ErrorCode::NotFound);
        assert_eq!(map(404, openai).error_type(), Some("invalid_request_error"));
    }

    #[test]
    fn provider_code_is_kept() {
        let err = map(
            400,
            r#"{"error":{"code":"context_window_exceeded","message":"Too long.",
                "provider_code":"context_length_exceeded"},"request_id":"req_1"}"#,
        );
        assert_eq!(err.code(), &ErrorCode::ContextWindowExceeded);
        assert_eq!(err.provider_code(), Some("context_length_exceeded"));
        assert_eq!(err.server_code(), Some("context_window_exceeded"));
        assert_eq!(err.error_type(), None);
        let frame = MeshApiError::from_stream_frame(
            &json!({"code": "upstream_error", "provider_code": "overloaded"}),
            None,
        );
        assert_eq!(frame.provider_code(), Some("overloaded"));
    }

    #[test]
    fn a_cut_error_body_keeps_the_status_code_and_the_cause() {
        let received = br#"{"error":{"code":"bad_thing","mess"#;
        let cause = io::Error::new(io::ErrorKind::TimedOut, "read timed out");
        let err = map(400, std::str::from_utf8(received).unwrap()).body_cut_short(received, cause);
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.code(), &ErrorCode::InvalidRequest);
        assert!(
            err.message()
                .contains("cut short after 34 bytes (timed out"),
            "{}",
            err.message()
        );
        assert!(err.message().contains("bad_thing"), "{}", err.message());
        let source = StdError::source(&err).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("read timed out"));
        // A body that did parse keeps what it said.
        let whole = br#"{"error":{"code":"rate_limit_exceeded","message":"Slow."}}"#;
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        let err =
            MeshApiError::from_response(429, None, None, None, whole).body_cut_short(whole, reset);
        assert_eq!(err.code(), &ErrorCode::RateLimitExceeded);
        assert!(
            err.message()
                .starts_with("Slow.; the error body was cut short"),
            "{}",
            err.message()
        );
        let empty = map(503, "").body_cut_short(b"", io::ErrorKind::ConnectionReset.into());
        assert_eq!(empty.code(), &ErrorCode::UpstreamError);
        assert!(!empty.message().contains("received"), "{}", empty.message());
    }

    #[test]
    fn encoded_bodies_name_their_coding() {
        let ok = MeshApiError::encoded_body(200, "gzip");
        assert_eq!(ok.code(), &ErrorCode::ParseError);
        assert_eq!(ok.status(), Some(200));
        assert!(
            ok.message().contains("Content-Encoding: gzip"),
            "{}",
            ok.message()
        );
        let failed = MeshApiError::encoded_body(503, "br");
        assert_eq!(failed.code(), &ErrorCode::UpstreamError);
        assert!(failed.message().contains("br"), "{}", failed.message());
    }

    #[test]
    fn odd_json_shapes_use_the_status_table() {
        for body in [
            r#"{"error":"boom"}"#,
            "[1]",
            "42",
            "null",
            r#"{"error":null}"#,
        ] {
            let err = map(403, body);
            assert_eq!(err.code(), &ErrorCode::Forbidden, "{body}");
            assert_eq!(err.message(), "HTTP 403");
        }
    }

    #[test]
    fn non_json_bodies_are_parse_errors() {
        let err = map(502, "<h1>Bad Gateway</h1>");
        assert_eq!(err.code(), &ErrorCode::ParseError);
        assert_eq!(err.message(), "<h1>Bad Gateway</h1>");
        assert!(StdError::source(&err).is_some());
        assert_eq!(map(503, "").message(), "HTTP 503");
        assert_eq!(map(503, " \n").message(), "HTTP 503");
        let binary = MeshApiError::from_response(500, None, None, None, &[0xff, 0xfe, b'x']);
        assert_eq!(binary.message(), "\u{fffd}\u{fffd}x");
    }

    #[test]
    fn request_ids_prefer_a_non_empty_body_value() {
        let header = Some("req_h");
        let with =
            |body: &str| MeshApiError::from_response(400, header, None, None, body.as_bytes());
        assert_eq!(
            with(r#"{"request_id":"req_b"}"#).request_id(),
            Some("req_b")
        );
        assert_eq!(with(r#"{"request_id":""}"#).request_id(), Some("req_h"));
        assert_eq!(with(r#"{"request_id":null}"#).request_id(), Some("req_h"));
        assert_eq!(with("{}").request_id(), Some("req_h"));
        assert_eq!(map(400, "{}").request_id(), None);
    }

    #[test]
    fn redirects_name_their_location_whatever_the_body() {
        for body in ["", r#"{"error":{"code":"moved","message":"m"}}"#, "<html>"] {
            let err = MeshApiError::from_response(
                307,
                None,
                None,
                Some("https://x.invalid/"),
                body.as_bytes(),
            );
            assert_eq!(err.code(), &ErrorCode::HttpError);
            assert_eq!(err.status(), Some(307));
            assert!(
                err.message().contains("https://x.invalid/"),
                "{}",
                err.message()
            );
        }
    }

    #[test]
    fn snippets_cut_at_500_characters_on_a_char_boundary() {
        let long = "é".repeat(600);
        let cut = snippet(long.as_bytes());
        assert_eq!(cut.chars().count(), 503);
        assert!(cut.ends_with("é..."));
        assert_eq!(snippet(b"  short  "), "short");
    }

    #[test]
    fn stream_frames_default_to_upstream_error() {
        let err = MeshApiError::from_stream_frame(&json!({}), Some("req_s"));
        assert_eq!(err.code(), &ErrorCode::UpstreamError);
        assert_eq!(err.message(), "upstream error");
        assert_eq!(err.status(), None);
        assert_eq!(err.request_id(), Some("req_s"));
        let err = MeshApiError::from_stream_frame(
            &json!({"code": "gateway_timeout", "message": "slow", "provider_error": {"a": 1}}),
            None,
        );
        assert_eq!(err.code(), &ErrorCode::GatewayTimeout);
        assert_eq!(err.provider_error(), Some(&json!({"a": 1})));
        assert_eq!(err.to_string(), "gateway_timeout: slow");
    }

    #[test]
    fn stream_io_errors_split_into_timeouts_and_interruptions() {
        for kind in [io::ErrorKind::TimedOut, io::ErrorKind::WouldBlock] {
            let err = MeshApiError::stream_io(io::Error::from(kind));
            assert_eq!(err.code(), &ErrorCode::Timeout);
            assert!(err.is_timeout() && err.is_retryable());
        }
        let err = MeshApiError::stream_io(io::Error::from(io::ErrorKind::ConnectionReset));
        assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
        assert!(!err.is_timeout());
        assert!(StdError::source(&err).is_some());
    }

    #[test]
    fn retryability_follows_the_status_or_the_failure() {
        for status in [429, 502, 503, 504] {
            assert!(map(status, "{}").is_retryable());
        }
        for status in [400, 401, 404, 422, 500, 501] {
            assert!(!map(status, "{}").is_retryable());
        }
        assert!(MeshApiError::new(ErrorCode::Connection, "refused").is_retryable());
        assert!(!MeshApiError::config("bad").is_retryable());
    }
}
