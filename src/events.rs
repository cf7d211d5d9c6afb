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

#[cfg(test)]
mod tests {
    use super::*;

    fn retry(status: Option<u16>, code: &str, request_id: Option<&str>) -> Event {
        Event::Retry(RetryEvent {
            method: Method::Post,
            path: "/v1/chat/completions".into(),
            attempt: 2,
            max_attempts: 4,
            status,
            code: code.into(),
            request_id: request_id.map(Into::into),
            delay: Duration::from_millis(1000),
        })
    }

    #[test]
    fn debug_lines_read_like_the_other_sdks() {
        assert_eq!(
            retry(Some(503), "upstream_error", Some("req_1")).to_string(),
            "retrying POST /v1/chat/completions (attempt 2/4 failed: 503, next in 1000ms) [req_1]"
        );
        assert_eq!(
            retry(None, "connection", None).to_string(),
            "retrying POST /v1/chat/completions (attempt 2/4 failed: network error, next in 1000ms)"
        );
        assert!(
            retry(None, "timeout", None)
                .to_string()
                .contains("failed: timeout")
        );
        let hop = Event::Fallback(FallbackEvent {
            from_model: "openai/gpt-4o".into(),
            to_model: "anthropic/claude-sonnet-5".into(),
            chain_index: 0,
            chain_length: 2,
            status: Some(503),
            code: "provider_not_available".into(),
            request_id: None,
        });
        assert_eq!(
            hop.to_string(),
            "falling back openai/gpt-4o → anthropic/claude-sonnet-5 (1/2: 503 provider_not_available)"
        );
        let routing = Event::GatewayRouting(RoutingEvent {
            path: "/v1/chat/completions".into(),
            attempts: 2,
            fallback: true,
            model: None,
            request_id: Some("req_2".into()),
        });
        assert_eq!(
            routing.to_string(),
            "gateway served /v1/chat/completions (2 attempts, provider fallback) [req_2]"
        );
        let deprecation = Event::Deprecation(DeprecationEvent {
            method: Method::Get,
            path: "/v1/models".into(),
            deprecation: Some("true".into()),
            sunset: Some("Thu, 01 Jan 2027 00:00:00 GMT".into()),
            api_version: Some("2026-08".into()),
        });
        assert_eq!(
            deprecation.to_string(),
            "GET /v1/models is deprecated, sunset Thu, 01 Jan 2027 00:00:00 GMT (API version 2026-08)"
        );
    }

    #[test]
    fn layered_listeners_call_the_client_s_first() {
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (a, b) = (Arc::clone(&order), Arc::clone(&order));
        let client = Listeners {
            events: vec![Arc::new(move |_: &Event| a.lock().unwrap().push("client"))],
            ..Listeners::default()
        };
        let call = Listeners {
            events: vec![Arc::new(move |_: &Event| b.lock().unwrap().push("call"))],
            ..Listeners::default()
        };
        client.and(&call).event(&retry(Some(503), "x", None));
        assert_eq!(*order.lock().unwrap(), ["client", "call"]);
    }
}
