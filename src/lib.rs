//! A blocking Rust SDK for [MeshAPI](https://meshapi.ai), the OpenAI-compatible gateway in front
//! of 300+ models — for scripts, CLIs and worker threads that want no async runtime.
//!
//! # Quick start
//!
//! ```no_run
//! use meshapi::{ChatCompletionParams, ChatMessage, Client};
//!
//! let client = Client::from_env()?; // MESHAPI_TOKEN, and MESHAPI_BASE_URL if set
//! let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi!")]);
//!
//! let reply = client.chat().completions().create(&params)?;
//! println!("{}", reply.choices[0].message.content.as_deref().unwrap_or(""));
//!
//! for chunk in client.chat().completions().stream(&params) {
//!     for choice in chunk?.choices {
//!         print!("{}", choice.delta.content.unwrap_or_default());
//!     }
//! }
//! # Ok::<(), meshapi::MeshApiError>(())
//! ```
//!
//! # Resources
//!
//! Every operation of the official Python and Go SDKs has a method on a resource handle
//! borrowed from the client, and so has what the gateway added since; the README lists them
//! all.
//!
//! | handle | operations |
//! |---|---|
//! | [`client.chat().completions()`](resources::chat::Completions) | `create`, `stream`, `parse` (structured output) |
//! | [`client.messages()`](resources::messages::Messages) | `create`, `stream` (and `accumulate`): the Anthropic-compatible Messages API |
//! | [`client.compare()`](resources::compare::Compare) | `create`, `stream` (and `accumulate`) |
//! | [`client.responses()`](resources::responses::Responses) | `create`, `stream`, `list`, `paginate`, `get` |
//! | [`client.embeddings()`](resources::embeddings::Embeddings) | `create` |
//! | [`client.models()`](resources::models::Models) | `list`, `free`, `paid`, `search`, `paginate_search`, `get`, `providers` |
//! | [`client.moderations()`](resources::moderations::Moderations) | `create` |
//! | [`client.images()`](resources::images::Images) | `generate`, `stream`, `edit` |
//! | [`client.audio()`](resources::audio::Audio) | `speech()` (`create`, `stream`), `transcriptions()` (`create`, `get`, `translate`), `translations()` (`create`), `voices()` (`list`, `paginate`, `get`) |
//! | [`client.videos()`](resources::videos::Videos) | `generate`, `list`, `paginate`, `get` |
//! | [`client.batches()`](resources::batches::Batches) | `create`, `list`, `paginate`, `get`, `cancel` |
//! | [`client.templates()`](resources::templates::Templates) | `create`, `list`, `get`, `update`, `delete` |
//! | [`client.rag()`](resources::rag::Rag) | `init_upload`, `upload`, `list`, `paginate`, `get`, `embed`, `search` |
//! | [`client.web()`](resources::web::Web) | `search` |
//! | [`client.router()`](resources::router::Router) | `select` |
//! | [`client.usage()`](resources::usage::Usage) | `summary`, `events()` (`list`, `paginate`, `attempts`), `rate_limits`, `spend_trend` |
//! | [`client.balance()`](resources::usage::Balance) | `get` |
//! | `client.realtime()` (feature `realtime`) | `connect`, then send events and audio, iterate events |
//!
//! Request types are in [`types`], one module per resource. Every response type keeps the
//! fields this version does not know in an `extra` map, and [`Client::request`] reaches
//! anything not typed yet through the same retries and error mapping. Ids in paths are
//! percent-encoded as single segments (model ids keep their `/`), so no id can reach another
//! route. List endpoints that page have a lazy [`Paginator`].
//!
//! # Cargo features
//!
//! - `mock`: [`mock::MockServer`], the embedded gateway the crate's tests and examples run
//!   against, with a realistic default answer for every endpoint.
//! - `realtime`: the realtime WebSocket API, on the `tungstenite` crate.
//! - `platform-verifier`: trust the operating system's certificates; see
//!   [Proxies and TLS](#proxies-and-tls).
//!
//! # Errors
//!
//! Every failure is a [`MeshApiError`]: an error response from the gateway (with its
//! [`status`](MeshApiError::status), [`code`](MeshApiError::code),
//! [`request_id`](MeshApiError::request_id), [`details`](MeshApiError::details),
//! [`provider_error`](MeshApiError::provider_error) and
//! [`retry_after`](MeshApiError::retry_after)), an error frame inside a stream, a response the
//! SDK could not parse ([`ErrorCode::ParseError`]), a stream cut short
//! ([`ErrorCode::StreamInterrupted`]), a timeout, a connection failure, or a bad configuration.
//! Match on [`ErrorCode`]; codes the crate does not know arrive verbatim as
//! [`ErrorCode::Other`]. The SDK never panics on what a server sends.
//!
//! # Retries and timeouts
//!
//! Non-streaming requests are retried on 429, 502, 503 and 504 up to
//! [`max_retries`](ClientBuilder::max_retries) times (default [`DEFAULT_MAX_RETRIES`]), after
//! `min(500 ms × 2^n, 30 s)` with ±20 % jitter. A `Retry-After` header (seconds or HTTP-date),
//! or else the body's `retry_after_seconds`, is a floor: the SDK never waits less than asked
//! (capped at [`retry_max_delay`](ClientBuilder::retry_max_delay)). A request that never reached
//! the server (connection refused, DNS failure, connect timeout) is retried for any method; a
//! timeout or broken connection after sending is retried only for GET, PUT and DELETE, because
//! a POST or PATCH may already have been processed and billed. 500 and other 4xx are never retried, and
//! streams are never retried.
//!
//! [`timeout`](ClientBuilder::timeout) (default 60 s) bounds one attempt: a whole
//! non-streaming exchange, body included, and a stream up to its response head. Retries and
//! their backoff sleeps come on top of it. Opening a connection gets at most 10 s of it. A
//! stream has no overall limit — a healthy one may run for many minutes — only an idle limit
//! between bytes once its head has arrived,
//! [`stream_idle_timeout`](ClientBuilder::stream_idle_timeout). Raw byte bodies (synthesized
//! speech, a [`ByteStream`]) are read the same way, at the caller's pace.
//!
//! # Proxies and TLS
//!
//! Unless the builder says otherwise, a client uses the proxy that ureq reads from the
//! environment once, when [`build`](ClientBuilder::build) runs:
//!
//! - the first of `ALL_PROXY`, `all_proxy`, `HTTPS_PROXY`, `https_proxy`, `HTTP_PROXY`,
//!   `http_proxy` that is set and parses as a proxy URL; one that does not parse is skipped
//!   silently. The name is not matched against the request's scheme: `HTTPS_PROXY` carries
//!   `http://` requests too, and `HTTP_PROXY` `https://` ones.
//! - `NO_PROXY`, or `no_proxy` when `NO_PROXY` is not set at all, lists the hosts that connect
//!   directly, split at commas and not trimmed (`a,b`, not `a, b`): `*` for every host,
//!   `.example.com` or `*.example.com` for its subdomains (not `example.com` itself),
//!   `10.0.` or `10.0.*` for a prefix, anything else one host name or IP address, compared
//!   without regard to case. Ports and CIDR ranges are not understood. It applies only to a
//!   proxy from the environment.
//!
//! [`ClientBuilder::proxy`] sets one proxy for every host instead, and
//! [`ClientBuilder::no_proxy`] connects directly; either way the environment is not read.
//! Proxy URLs are `http://`, `https://` (TLS to the proxy), `socks4://`, `socks4a://`,
//! `socks5://` or `socks5h://`, with credentials as `user:password@`; they never appear in
//! `Debug` output or error messages.
//!
//! An `http://` or `https://` proxy is asked for a CONNECT tunnel to the gateway, for an
//! `http://` base URL too, so the proxy sees the gateway's host and port and nothing else of
//! an `https://` exchange. A proxy that refuses the tunnel is an [`ErrorCode::Connection`]
//! error that never reached the gateway, and is retried like a refused connection.
//!
//! The realtime WebSocket follows the same proxy, chosen the same way (`NO_PROXY` included),
//! through a CONNECT tunnel it opens itself within [`timeout`](ClientBuilder::timeout). Only an
//! `http://` proxy can carry it; with another kind `connect` fails with
//! [`ErrorCode::InvalidConfig`] rather than connecting directly.
//!
//! TLS is rustls. By default it trusts the webpki roots bundled into the binary (Mozilla's),
//! which do not include the company CA of a TLS-inspecting proxy: there, every connection
//! fails with [`ErrorCode::Connection`]. The `platform-verifier` feature trusts the operating
//! system instead: HTTP requests use the `rustls-platform-verifier` crate (on macOS, iOS,
//! Windows and Android the system verifies each certificate, with the CAs and policies
//! installed there; on Linux and other Unix systems, the system's CA store alone, as
//! `rustls-native-certs` finds it, `SSL_CERT_FILE` and `SSL_CERT_DIR` included), and the
//! realtime WebSocket trusts the system's CA store as well as the webpki roots.
//!
//! # Thread safety
//!
//! [`Client`] is `Clone + Send + Sync`; clones share one connection pool. Build one client and
//! give each thread a clone. Redirects are never followed, so the token is never sent to
//! another host; the token never appears in `Debug` output or error messages.
//!
//! # Defaults and environment
//!
//! | constant | value |
//! |---|---|
//! | [`DEFAULT_BASE_URL`] | `https://api.meshapi.ai` |
//! | [`DEFAULT_TIMEOUT`] | 60 s |
//! | [`DEFAULT_MAX_RETRIES`] | 3 |
//! | [`DEFAULT_RETRY_BASE_DELAY`] | 500 ms |
//! | [`DEFAULT_RETRY_MAX_DELAY`] | 30 s |
//! | [`DEFAULT_MAX_EVENT_SIZE`] | 16 MiB |
//! | [`DEFAULT_MAX_BODY_SIZE`] | 256 MiB |
//! | [`ENV_TOKEN`] | `MESHAPI_TOKEN` |
//! | [`ENV_BASE_URL`] | `MESHAPI_BASE_URL` |
//!
//! # Testing without the network
//!
//! With the `mock` feature, [`mock::MockServer`] is a local gateway on 127.0.0.1 with a
//! realistic default answer for every route of the API, and can be scripted with any status,
//! headers, body or SSE frames, so you can test your own error handling.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(unreachable_pub, missing_debug_implementations)]

mod base64;
mod client;
mod error;
mod events;
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
mod meta;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod options;
mod pagination;
mod path;
pub mod resources;
mod retry;
pub mod sse;
mod stream;
mod transport;
pub mod types;

pub use client::{
    API_VERSION, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_FALLBACK_STATUSES,
    DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BASE_DELAY,
    DEFAULT_RETRY_MAX_DELAY, DEFAULT_TIMEOUT, ENV_BASE_URL, ENV_TOKEN, MAX_REQUEST_BODY,
    RawRequest,
};
pub use error::{ErrorCode, MeshApiError};
pub use events::{DeprecationEvent, Event, FallbackEvent, ResponseInfo, RetryEvent, RoutingEvent};
pub use meta::{MetaCapture, ResponseMeta};
pub use options::RequestOptions;
pub use pagination::Paginator;
pub use retry::{RetryBudget, RetryPolicy};
pub use stream::{ByteStream, Stream};
pub use transport::Method;
pub use types::chat::{
    ChatCompletionChunk, ChatCompletionParams, ChatCompletionResponse, ChatMessage,
};

/// The `X-MeshAPI-SDK` header's value: `rust/<crate version>`.
const SDK_HEADER_VALUE: &str = concat!("rust/", env!("CARGO_PKG_VERSION"));
/// The `User-Agent` header's value.
const USER_AGENT: &str = concat!("meshapi-rust/", env!("CARGO_PKG_VERSION"));

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;

    // What users hand to worker threads must stay `Send` (and `Sync` where shared).
    const _: () = {
        const fn send<T: Send>() {}
        const fn send_sync<T: Send + Sync>() {}
        send_sync::<Client>();
        send_sync::<MeshApiError>();
        send::<Stream<ChatCompletionChunk>>();
        send::<ByteStream>();
        send::<Paginator<'static, types::batches::BatchObject>>();
    };

    #[test]
    fn an_error_is_one_pointer_wide() {
        // `Result<T, MeshApiError>` stays small on every call's hot path.
        assert_eq!(
            std::mem::size_of::<MeshApiError>(),
            std::mem::size_of::<usize>()
        );
    }
}
