//! [`RequestOptions`]: settings for one call, applied through [`Client::with_options`].
//!
//! [`Client::with_options`]: crate::Client::with_options

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::MeshApiError;
use crate::events::{Event, Listeners, ResponseInfo};
use crate::meta::MetaCapture;
use crate::retry::RetryPolicy;

/// Settings for the calls made through one [`Client::with_options`](crate::Client::with_options)
/// view: a timeout, a whole-call deadline, the retry policy, extra headers, a request id of the
/// caller's, extra query parameters, extra JSON body fields, a model fallback chain, and
/// callbacks. Unset fields keep the client's settings.
///
/// ```
/// use std::time::Duration;
/// use meshapi::{ChatCompletionParams, ChatMessage, RequestOptions};
///
/// # let server = meshapi::mock::MockServer::start().unwrap();
/// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
/// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
/// let options = RequestOptions::new()
///     .request_id("ticket-4711.1")
///     .timeout(Duration::from_secs(300))
///     .call_timeout(Duration::from_secs(600))
///     .header("X-Mesh-Cache", "no-store")
///     .body_field("min_p", 0.05);
/// let reply = client.with_options(options).chat().completions().create(&params)?;
/// assert_eq!(reply.meta().unwrap().request_id(), Some("ticket-4711.1"));
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) request_id: Option<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body_fields: Map<String, Value>,
    pub(crate) fallback_models: Option<Vec<String>>,
    pub(crate) capture: Option<MetaCapture>,
    pub(crate) listeners: Listeners,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("call_timeout", &self.call_timeout)
            .field("retry", &self.retry)
            .field("max_retries", &self.max_retries)
            .field("headers", &header_names)
            .field("request_id", &self.request_id)
            .field("query", &self.query)
            .field("body_fields", &self.body_fields)
            .field("fallback_models", &self.fallback_models)
            .field("listeners", &self.listeners)
            .finish_non_exhaustive()
    }
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> RequestOptions {
        RequestOptions::default()
    }

    /// How long one attempt may take, as [`ClientBuilder::timeout`](crate::ClientBuilder::timeout)
    /// but for these calls.
    pub fn timeout(mut self, timeout: Duration) -> RequestOptions {
        self.timeout = Some(timeout);
        self
    }

    /// A deadline for the whole call: every attempt, every backoff sleep, and for a stream
    /// everything up to its response head. The retry loop never sleeps past it; when it runs
    /// out, the call fails with a [`timeout`](crate::ErrorCode::Timeout) error that says so,
    /// with the last attempt's error as its source.
    pub fn call_timeout(mut self, timeout: Duration) -> RequestOptions {
        self.call_timeout = Some(timeout);
        self
    }

    /// The retry policy for these calls, replacing the client's.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> RequestOptions {
        self.retry = Some(policy);
        self
    }

    /// How often these calls are retried, keeping the rest of the policy.
    pub fn max_retries(mut self, max_retries: u32) -> RequestOptions {
        self.max_retries = Some(max_retries);
        self
    }

    /// A header sent with these calls, replacing a client header of the same name; a later
    /// call with the same name replaces the earlier one. Checked before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> RequestOptions {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
        self
    }

    /// Sends `X-Request-Id: <id>` on every attempt of these calls (streams and uploads
    /// included; never on the signed-URL upload or the realtime handshake). The gateway
    /// echoes it in the answer and in error bodies, and keys its logs by it.
    ///
    /// The id must match `^[A-Za-z0-9._:-]{1,64}$`, which the gateway would silently ignore
    /// otherwise: a call with an invalid id fails with
    /// [`invalid_config`](crate::ErrorCode::InvalidConfig) and sends nothing.
    pub fn request_id(mut self, id: impl Into<String>) -> RequestOptions {
        self.request_id = Some(id.into());
        self
    }

    /// A query parameter appended to these calls' URLs, percent-encoded.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> RequestOptions {
        self.query.push((name.into(), value.into()));
        self
    }

    /// A field merged into these calls' JSON body, for a field this version does not type
    /// (a new sampling parameter, say). It **overrides** a typed field of the same name. A call
    /// whose body is not a JSON object (a GET, an upload) fails with
    /// [`invalid_config`](crate::ErrorCode::InvalidConfig) rather than drop the field.
    pub fn body_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<Value>,
    ) -> RequestOptions {
        self.body_fields.insert(name.into(), value.into());
        self
    }

    /// The models chat `create`, `parse` and `stream` fall back to, in order, replacing the
    /// client's chain (an empty list turns fallback off); see
    /// [`ClientBuilder::fallback_models`](crate::ClientBuilder::fallback_models).
    pub fn fallback_models<S: Into<String>>(
        mut self,
        models: impl IntoIterator<Item = S>,
    ) -> RequestOptions {
        self.fallback_models = Some(models.into_iter().map(Into::into).collect());
        self
    }

    /// Puts each call's [`ResponseMeta`](crate::ResponseMeta) into `capture` once it has an
    /// answer.
    pub fn capture_meta(mut self, capture: &MetaCapture) -> RequestOptions {
        self.capture = Some(capture.clone());
        self
    }

    /// A callback for these calls' [`Event`]s, after the client's own.
    pub fn on_event(mut self, callback: impl Fn(&Event) + Send + Sync + 'static) -> RequestOptions {
        self.listeners.events.push(Arc::new(callback));
        self
    }

    /// A callback for every HTTP attempt of these calls that got an answer, after the
    /// client's own; see [`ResponseInfo`].
    pub fn on_response(
        mut self,
        callback: impl Fn(&ResponseInfo) + Send + Sync + 'static,
    ) -> RequestOptions {
        self.listeners.responses.push(Arc::new(callback));
        self
    }
}

impl RequestOptions {
    /// `over` on top of these options: its settings win, and its headers, query parameters,
    /// body fields and callbacks come after these.
    pub(crate) fn layer(mut self, over: RequestOptions) -> RequestOptions {
        self.timeout = over.timeout.or(self.timeout);
        self.call_timeout = over.call_timeout.or(self.call_timeout);
        self.retry = over.retry.or(self.retry);
        self.max_retries = over.max_retries.or(self.max_retries);
        for (name, value) in over.headers {
            self = self.header(name, value);
        }
        self.request_id = over.request_id.or(self.request_id);
        self.query.extend(over.query);
        self.body_fields.extend(over.body_fields);
        self.fallback_models = over.fallback_models.or(self.fallback_models);
        self.capture = over.capture.or(self.capture);
        self.listeners = self.listeners.and(&over.listeners);
        self
    }
}

/// Whether `id` is a request id the gateway accepts (it ignores any other): 1 to 64 of
/// `A-Z a-z 0-9 . _ : -`.
pub(crate) fn is_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// [`is_request_id`], as the error a call with an invalid one fails with.
pub(crate) fn check_request_id(id: &str) -> Result<(), MeshApiError> {
    if is_request_id(id) {
        Ok(())
    } else {
        Err(MeshApiError::config(format!(
            "invalid request id {:?}: it must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'",
            crate::error::snippet(id.as_bytes())
        ))
        .not_sent())
    }
}

/// Merges `fields` into a serialized JSON object body; they override typed fields.
pub(crate) fn merge_body(
    body: Option<&[u8]>,
    fields: &Map<String, Value>,
) -> Result<Vec<u8>, MeshApiError> {
    let not_an_object = || {
        MeshApiError::config("extra body fields need a call whose body is a JSON object").not_sent()
    };
    let mut object: Map<String, Value> = match body {
        Some(bytes) => serde_json::from_slice(bytes).map_err(|_| not_an_object())?,
        None => return Err(not_an_object()),
    };
    for (name, value) in fields {
        object.insert(name.clone(), value.clone());
    }
    serde_json::to_vec(&object)
        .map_err(|e| MeshApiError::config("could not serialize the request body").with_source(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_follow_the_gateway_rule() {
        for good in [
            "x",
            &"x".repeat(64),
            "A-Za-z0-9._:-",
            "my-id_1.2:3",
            "req_01J",
        ] {
            assert!(check_request_id(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "has space",
            "emoji-🚀",
            &"x".repeat(65),
            "slash/es",
            "tab\t",
            "é",
        ] {
            let err = check_request_id(bad).unwrap_err();
            assert_eq!(err.code(), &crate::ErrorCode::InvalidConfig, "{bad}");
            assert!(err.message().contains("request id"), "{}", err.message());
        }
    }

    #[test]
    fn body_fields_override_typed_fields_and_need_an_object() {
        let mut fields = Map::new();
        fields.insert("temperature".into(), 0.1.into());
        fields.insert("min_p".into(), 0.05.into());
        let merged = merge_body(Some(br#"{"model":"m","temperature":1.0}"#), &fields).unwrap();
        let merged: Value = serde_json::from_slice(&merged).unwrap();
        assert_eq!(
            merged,
            serde_json::json!({"model":"m","temperature":0.1,"min_p":0.05})
        );
        assert!(merge_body(None, &fields).is_err());
        assert!(merge_body(Some(b"[1]"), &fields).is_err());
    }
}
