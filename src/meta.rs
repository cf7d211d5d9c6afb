//! [`ResponseMeta`]: what the exchange behind a result looked like, for every operation.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::transport::Headers;

/// What the HTTP exchange behind a result looked like: the request id to quote in a support
/// ticket, the status, how many attempts the SDK made and how long the call took, the API
/// version that served it, deprecation notices, the gateway's routing and cache headers, and
/// every other response header.
///
/// Reach it with `meta()` on any top-level response type, [`Stream::meta`](crate::Stream::meta)
/// and [`ByteStream::meta`](crate::ByteStream::meta), or, for any operation (including those
/// that return a bare list, `()` or bytes), through [`MetaCapture`].
///
/// ```
/// # let server = meshapi::mock::MockServer::start().unwrap();
/// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
/// # let params = meshapi::ChatCompletionParams::new("m", vec![meshapi::ChatMessage::user("Hi")]);
/// let reply = client.chat().completions().create(&params)?;
/// let meta = reply.meta().expect("set on every answer the client decoded");
/// println!("request {:?} took {:?} in {} attempt(s)", meta.request_id(), meta.elapsed(), meta.attempts());
/// assert_eq!(meta.status(), 200);
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Clone)]
pub struct ResponseMeta {
    status: u16,
    attempts: u32,
    elapsed: Duration,
    headers: Headers,
    fallback: Option<Fallback>,
}

/// Which model of a fallback chain answered.
#[derive(Debug, Clone)]
struct Fallback {
    model: String,
    hops: u32,
}

impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("attempts", &self.attempts)
            .field("elapsed", &self.elapsed)
            .field("api_version", &self.api_version())
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl ResponseMeta {
    pub(crate) fn new(status: u16, attempts: u32, elapsed: Duration, headers: Headers) -> Self {
        ResponseMeta {
            status,
            attempts,
            elapsed,
            headers,
            fallback: None,
        }
    }

    pub(crate) fn set_fallback(&mut self, model: &str, hops: u32) {
        self.fallback = Some(Fallback {
            model: model.to_owned(),
            hops,
        });
    }

    /// The gateway's request id (`X-Request-Id`), or the caller's own when it set a valid one.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-request-id")
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// How many HTTP requests the SDK sent for this result: 1, plus one per retry. A fallback
    /// chain counts the attempts of the hop that answered.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// How long the call took until its answer's head arrived, retries and backoff included.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The API version that served the request (`X-Mesh-Version`, or the older `Mesh-Version`).
    pub fn api_version(&self) -> Option<&str> {
        self.headers.api_version()
    }

    /// The `Deprecation` header, verbatim: the route or version is scheduled for retirement.
    pub fn deprecation(&self) -> Option<&str> {
        self.header("deprecation")
    }

    /// The `Sunset` header, verbatim: when the route or version goes away.
    pub fn sunset(&self) -> Option<&str> {
        self.header("sunset")
    }

    /// `X-Mesh-Routing-Attempts`: how many upstream attempts the gateway made, the first
    /// included, when the key has a routing policy.
    pub fn routing_attempts(&self) -> Option<u32> {
        self.header("x-mesh-routing-attempts")
            .and_then(|v| v.trim().parse().ok())
    }

    /// `X-Mesh-Routing-Fallback: true`: a provider other than the primary one served.
    pub fn routing_fallback(&self) -> bool {
        self.header("x-mesh-routing-fallback") == Some("true")
    }

    /// `X-Mesh-Routing-Model`: the model that served after the gateway's cross-model fallback.
    pub fn routing_model(&self) -> Option<&str> {
        self.header("x-mesh-routing-model")
    }

    /// `X-Resolved-Model-Id`: the model `auto` resolved to.
    pub fn resolved_model_id(&self) -> Option<&str> {
        self.header("x-resolved-model-id")
    }

    /// Whether the gateway's response cache answered (`X-Cache: HIT`; a miss sends nothing).
    pub fn cache_hit(&self) -> bool {
        self.header("x-cache")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("hit"))
    }

    /// The model that answered when the client's model fallback chain moved on from the
    /// requested one; `None` when the first model answered.
    pub fn fallback_model(&self) -> Option<&str> {
        self.fallback.as_ref().map(|f| f.model.as_str())
    }

    /// How many models of the fallback chain failed before one answered (0 without fallback).
    pub fn fallback_hops(&self) -> u32 {
        self.fallback.as_ref().map_or(0, |f| f.hops)
    }

    /// Any response header by name, case-insensitively (rate-limit headers, whatever the
    /// gateway adds next); `None` when absent or not visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// Every response header whose value is visible ASCII, names in lowercase.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter()
    }
}

/// The metadata slot of a response type: set by the client, never serialized or decoded, and
/// left out of comparisons (two answers with the same body are equal whatever their exchange).
#[derive(Clone, Default)]
pub(crate) struct Meta(Option<Box<ResponseMeta>>);

impl Meta {
    pub(crate) fn get(&self) -> Option<&ResponseMeta> {
        self.0.as_deref()
    }

    pub(crate) fn get_mut(&mut self) -> Option<&mut ResponseMeta> {
        self.0.as_deref_mut()
    }

    pub(crate) fn set(&mut self, meta: ResponseMeta) {
        self.0 = Some(Box::new(meta));
    }
}

impl PartialEq for Meta {
    fn eq(&self, _: &Meta) -> bool {
        true
    }
}

impl fmt::Debug for Meta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(meta) => fmt::Debug::fmt(meta, f),
            None => f.write_str("None"),
        }
    }
}

/// A type the client decodes an answer into, and whether it has room for the metadata.
pub(crate) trait Answer: DeserializeOwned {
    fn attach(&mut self, _meta: ResponseMeta) {}
}

impl Answer for () {}
impl Answer for serde_json::Value {}
impl<T: DeserializeOwned> Answer for Vec<T> {}

/// Gives each response type its `meta()` and lets the client fill it.
macro_rules! answers_with_meta {
    ($($ty:ty),* $(,)?) => {$(
        impl $ty {
            /// What the exchange behind this answer looked like; `None` for a value that did
            /// not come from the client (built or deserialized by hand).
            pub fn meta(&self) -> Option<&$crate::ResponseMeta> {
                self.meta.get()
            }
        }

        impl $crate::meta::Answer for $ty {
            fn attach(&mut self, meta: $crate::ResponseMeta) {
                self.meta.set(meta);
            }
        }
    )*};
}

answers_with_meta!(
    crate::types::audio::Transcription,
    crate::types::audio::TranscriptionResponse,
    crate::types::audio::Voice,
    crate::types::audio::VoiceList,
    crate::types::batches::BatchList,
    crate::types::batches::BatchObject,
    crate::types::chat::ChatCompletionResponse,
    crate::types::compare::CompareResponse,
    crate::types::embeddings::EmbeddingsResponse,
    crate::types::images::ImagesResponse,
    crate::types::messages::Message,
    crate::types::models::ModelInfo,
    crate::types::models::ModelProviders,
    crate::types::models::ModelsPage,
    crate::types::moderations::ModerationResponse,
    crate::types::rag::BulkEmbedResponse,
    crate::types::rag::InitUploadResponse,
    crate::types::rag::RagFileList,
    crate::types::rag::RagFileStatus,
    crate::types::rag::SearchResponse,
    crate::types::responses::ResponseList,
    crate::types::responses::ResponseObject,
    crate::types::router::RouterSelectResponse,
    crate::types::templates::TemplateSummary,
    crate::types::usage::CreditBalance,
    crate::types::usage::RateLimits,
    crate::types::usage::SpendTrend,
    crate::types::usage::UsageAttempts,
    crate::types::usage::UsageEventsPage,
    crate::types::usage::UsageSummary,
    crate::types::videos::VideoGenerationResponse,
    crate::types::videos::VideoTask,
    crate::types::videos::VideoTaskList,
    crate::types::web::WebSearchResponse,
);

/// A place a call puts its [`ResponseMeta`] once it has an answer: the uniform way to read it
/// for every operation, also those whose result has no room for it (a bare list, `()`, bytes).
/// Clones share the slot; each call through options holding it overwrites what is there.
///
/// ```
/// use meshapi::{MetaCapture, RequestOptions};
///
/// # let server = meshapi::mock::MockServer::start().unwrap();
/// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
/// let meta = MetaCapture::new();
/// let models = client
///     .with_options(RequestOptions::new().capture_meta(&meta))
///     .models()
///     .free()?; // a bare Vec<ModelInfo>
/// println!("{} models, request {:?}", models.len(), meta.get().unwrap().request_id());
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MetaCapture(Arc<Mutex<Option<ResponseMeta>>>);

impl MetaCapture {
    /// An empty slot.
    pub fn new() -> MetaCapture {
        MetaCapture::default()
    }

    /// The metadata of the last call that answered, if any did.
    pub fn get(&self) -> Option<ResponseMeta> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Takes the metadata out, leaving the slot empty.
    pub fn take(&self) -> Option<ResponseMeta> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    pub(crate) fn put(&self, meta: &ResponseMeta) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(meta.clone());
    }
}
