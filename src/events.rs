//! [`Event`]s (retries, fallback hops, gateway routing, deprecation notices) and the
//! per-attempt [`ResponseInfo`], with the callbacks that receive them.
//!
//! No event, line or callback ever carries the token.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::transport::Method;

/// Something the SDK did or learned on the way to an answer.
///
/// Register a callback with [`ClientBuilder::on_event`](crate::ClientBuilder::on_event) (every
/// call) or [`RequestOptions::on_event`](crate::RequestOptions::on_event) (one call);
/// [`ClientBuilder::debug`](crate::ClientBuilder::debug) prints each as one line to stderr, and
/// the `log` feature forwards each to the `log` facade. `Display` is that line.
///
/// ```
/// use meshapi::{Client, Event};
///
/// let client = Client::builder()
///     .token("rsk_...")
///     .on_event(|event: &Event| {
///         if let Event::Retry(retry) = event {
///             eprintln!("retry {} of {} in {:?}", retry.attempt, retry.max_attempts, retry.delay);
///         }
///     })
///     .build()?;
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A failed attempt is about to be repeated.
    Retry(RetryEvent),
    /// The model fallback chain moved on to its next model.
    Fallback(FallbackEvent),
    /// The gateway's own routing retried or fell back (`X-Mesh-Routing-*` headers).
    GatewayRouting(RoutingEvent),
    /// A route answered with `Deprecation` or `Sunset`; sent once per client, method and path.
    Deprecation(DeprecationEvent),
}

/// See [`Event::Retry`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryEvent {
    /// The request's method.
    pub method: Method,
    /// The request's path, without the query.
    pub path: String,
    /// The attempt that just failed, from 1.
    pub attempt: u32,
    /// The most attempts the call may make (`max_retries + 1`).
    pub max_attempts: u32,
    /// The failed attempt's HTTP status; `None` for a network failure or a timeout.
    pub status: Option<u16>,
    /// The failed attempt's error code, e.g. `upstream_error` or `timeout`.
    pub code: String,
    /// The failed attempt's request id, when an answer came back.
    pub request_id: Option<String>,
    /// How long the SDK sleeps before the next attempt.
    pub delay: Duration,
}

/// See [`Event::Fallback`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FallbackEvent {
    /// The model that failed; `(key default)` when the request named none.
    pub from_model: String,
    /// The model tried next.
    pub to_model: String,
    /// The position of `to_model` in the chain, from 0 (the requested model is not counted).
    pub chain_index: usize,
    /// The number of models in the chain (the requested model is not counted).
    pub chain_length: usize,
    /// The failure's HTTP status; `None` for a network failure.
    pub status: Option<u16>,
    /// The failure's error code.
    pub code: String,
    /// The failure's request id.
    pub request_id: Option<String>,
}

/// See [`Event::GatewayRouting`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RoutingEvent {
    /// The request's path, without the query.
    pub path: String,
    /// `X-Mesh-Routing-Attempts`: the gateway's upstream attempts, the first included.
    pub attempts: u32,
    /// `X-Mesh-Routing-Fallback: true`: another provider served.
    pub fallback: bool,
    /// `X-Mesh-Routing-Model`, when the gateway moved to another model.
    pub model: Option<String>,
    /// The answer's request id.
    pub request_id: Option<String>,
}

/// See [`Event::Deprecation`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeprecationEvent {
    /// The request's method.
    pub method: Method,
    /// The request's path, without the query.
    pub path: String,
    /// The `Deprecation` header, verbatim.
    pub deprecation: Option<String>,
    /// The `Sunset` header, verbatim.
    pub sunset: Option<String>,
    /// The API version that answered.
    pub api_version: Option<String>,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = |id: &Option<String>| id.as_ref().map(|id| format!(" [{id}]")).unwrap_or_default();
        match self {
            Event::Retry(e) => {
                let cause = match e.status {
                    Some(status) => status.to_string(),
                    None if e.code == "timeout" => "timeout".to_owned(),
                    None => "network error".to_owned(),
                };
                write!(
                    f,
                    "retrying {} {} (attempt {}/{} failed: {cause}, next in {}ms){}",
                    e.method,
                    e.path,
                    e.attempt,
                    e.max_attempts,
                    e.delay.as_millis(),
                    id(&e.request_id)
                )
            }
            Event::Fallback(e) => {
                let cause = match e.status {
                    Some(status) => format!("{status} {}", e.code),
                    None => e.code.clone(),
                };
                write!(
                    f,
                    "falling back {} → {} ({}/{}: {cause}){}",
                    e.from_model,
                    e.to_model,
                    e.chain_index.saturating_add(1),
                    e.chain_length,
                    id(&e.request_id)
                )
            }
            Event::GatewayRouting(e) => {
                let mut what = format!("{} attempts", e.attempts);
                if e.fallback {
                    what.push_str(", provider fallback");
                }
                if let Some(model) = &e.model {
                    what.push_str(", model ");
                    what.push_str(model);
                }
                write!(f, "gateway served {} ({what}){}", e.path, id(&e.request_id))
            }
            Event::Deprecation(e) => {
                write!(f, "{} {} is deprecated", e.method, e.path)?;
                if let Some(sunset) = &e.sunset {
                    write!(f, ", sunset {sunset}")?;
                }
                if let Some(version) = &e.api_version {
                    write!(f, " (API version {version})")?;
                }
                Ok(())
            }
        }
    }
}

/// One HTTP attempt that got an answer, for
/// [`ClientBuilder::on_response`](crate::ClientBuilder::on_response) and
/// [`RequestOptions::on_response`](crate::RequestOptions::on_response): streaming or not,
/// success or error status. An attempt that got no answer (a refused connection, a timeout)
/// has none; its error says what happened.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResponseInfo {
    /// The request's method.
    pub method: Method,
    /// The request's URL; for a host other than the gateway (the signed upload) without its
    /// query, which is a credential there.
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The answer's `X-Request-Id`.
    pub request_id: Option<String>,
    /// The attempt, from 1.
    pub attempt: u32,
    /// From sending the request until the answer's head arrived.
    pub duration: Duration,
}

pub(crate) type EventCallback = Arc<dyn Fn(&Event) + Send + Sync>;
pub(crate) type ResponseCallback = Arc<dyn Fn(&ResponseInfo) + Send + Sync>;

/// Where a call's events and response notices go: the client's callbacks, then the call's.
#[derive(Clone, Default)]
pub(crate) struct Listeners {
    pub(crate) events: Vec<EventCallback>,
    pub(crate) responses: Vec<ResponseCallback>,
    pub(crate) debug: bool,
}

impl Listeners {
    pub(crate) fn wants_responses(&self) -> bool {
        !self.responses.is_empty()
    }

    /// A panic in a user's callback is the user's bug; it unwinds through the call like a
    /// panic in any closure the caller passed.
    pub(crate) fn event(&self, event: &Event) {
        if self.debug {
            eprintln!("[meshapi] {event}");
        }
        #[cfg(feature = "log")]
        match event {
            Event::Retry(_) | Event::Deprecation(_) => log::warn!(target: "meshapi", "{event}"),
            _ => log::info!(target: "meshapi", "{event}"),
        }
        for callback in &self.events {
            callback(event);
        }
    }

    pub(crate) fn response(&self, info: &ResponseInfo) {
        for callback in &self.responses {
            callback(info);
        }
    }

    /// These listeners followed by `more`.
    pub(crate) fn and(&self, more: &Listeners) -> Listeners {
        Listeners {
            events: self.events.iter().chain(&more.events).cloned().collect(),
            responses: self
                .responses
                .iter()
                .chain(&more.responses)
                .cloned()
                .collect(),
            debug: self.debug || more.debug,
        }
    }
}

impl fmt::Debug for Listeners {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listeners")
            .field("events", &self.events.len())
            .field("responses", &self.responses.len())
            .field("debug", &self.debug)
            .finish()
    }
}
