//! Request and response types of batch jobs (`/v1/batches`).
//!
//! - Requests: [`CreateBatchParams`] made of [`BatchRequest`]s, and [`ListBatchesParams`].
//! - Responses: [`BatchObject`] (create, get, cancel) and [`BatchList`] (one page of a list).
//!
//! A batch carries its requests inline (there is no file upload), and a finished batch carries
//! its answers inline too, in [`BatchObject::results`].

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::chat::ChatCompletionParams;

/// The body of `POST /v1/batches`: the requests to run, and how long the batch may take.
///
/// ```
/// use meshapi::{ChatCompletionParams, ChatMessage};
/// use meshapi::types::batches::{CreateBatchParams, BatchRequest};
/// use serde_json::json;
///
/// let ask = |q: &str| ChatCompletionParams::new("openai/gpt-5-nano", vec![ChatMessage::user(q)]);
/// let params = CreateBatchParams::new(vec![
///     BatchRequest::new("req-1", ask("What is 2 + 2?")),
///     BatchRequest::new("req-2", ask("What is the capital of France?")),
/// ])
/// .completion_window("24h")
/// .metadata(json!({"job": "nightly"}));
///
/// let body = serde_json::to_value(&params)?;
/// assert_eq!(body["requests"][0]["custom_id"], "req-1");
/// assert_eq!(body["requests"][1]["body"]["messages"][0]["content"], "What is the capital of France?");
/// assert_eq!(body["completion_window"], "24h");
/// assert!(body["requests"][0].get("url").is_none()); // the server's default endpoint
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct CreateBatchParams {
    /// The requests to run, each with a `custom_id` to find its answer by.
    pub requests: Vec<BatchRequest>,
    /// How long the batch may take, e.g. `24h`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_window: Option<String>,
    /// Free-form metadata kept with the batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

impl CreateBatchParams {
    /// A batch of `requests`; everything else unset.
    pub fn new(requests: impl IntoIterator<Item = BatchRequest>) -> Self {
        Self {
            requests: requests.into_iter().collect(),
            completion_window: None,
            metadata: None,
        }
    }

    /// Sets how long the batch may take, e.g. `24h`.
    ///
    /// Defaults to unset (the server's default).
    pub fn completion_window(mut self, completion_window: impl Into<String>) -> Self {
        self.completion_window = Some(completion_window.into());
        self
    }

    /// Sets the metadata object kept with the batch.
    ///
    /// Defaults to unset (no metadata).
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.metadata = Some(metadata);
        self
    }
}

/// One request of a batch: a chat-completions body and the id to find its answer by.
///
/// `method` and `url` are omitted unless set; the server then runs the body as
/// `POST /v1/chat/completions` (the Python SDK always sends those two values, the Go SDK
/// omits them).
///
/// ```
/// use meshapi::{ChatCompletionParams, ChatMessage};
/// use meshapi::types::batches::BatchRequest;
/// use serde_json::json;
///
/// let typed = BatchRequest::new(
///     "req-1",
///     ChatCompletionParams::new("openai/gpt-5-nano", vec![ChatMessage::user("Hi")]),
/// );
/// let raw = BatchRequest::from_json(
///     "req-1",
///     json!({"model": "openai/gpt-5-nano", "messages": [{"role": "user", "content": "Hi"}]}),
/// );
/// assert_eq!(serde_json::to_value(&typed)?, serde_json::to_value(&raw)?);
///
/// let explicit = raw.method("POST").url("/v1/chat/completions");
/// assert_eq!(serde_json::to_value(&explicit)?["url"], "/v1/chat/completions");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BatchRequest {
    /// The caller's id for this request; its result carries the same `custom_id`.
    pub custom_id: String,
    /// The HTTP method to run the body with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The endpoint to run the body against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The chat-completions body.
    pub body: BatchRequestBody,
}

impl BatchRequest {
    /// A request running the typed chat-completions `params`.
    pub fn new(custom_id: impl Into<String>, params: ChatCompletionParams) -> Self {
        Self::with_body(custom_id, BatchRequestBody::Chat(Box::new(params)))
    }

    /// A request whose body is any JSON object, sent as is: for fields this crate does not
    /// type yet.
    pub fn from_json(custom_id: impl Into<String>, body: Value) -> Self {
        Self::with_body(custom_id, BatchRequestBody::Json(body))
    }

    fn with_body(custom_id: impl Into<String>, body: BatchRequestBody) -> Self {
        Self {
            custom_id: custom_id.into(),
            method: None,
            url: None,
            body,
        }
    }

    /// Sets the HTTP method, e.g. `POST`.
    ///
    /// Defaults to unset (the server's default, `POST`).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Sets the endpoint the body runs against, e.g. `/v1/chat/completions`.
    ///
    /// Defaults to unset (the server's default, `/v1/chat/completions`).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
}

/// The body of a [`BatchRequest`]: typed chat-completions params or raw JSON, serialized the
/// same way (no `stream` field is added).
///
/// ```
/// use meshapi::types::batches::BatchRequestBody;
/// use serde_json::json;
///
/// let body = BatchRequestBody::from(json!({"model": "m", "messages": []}));
/// assert_eq!(serde_json::to_value(&body)?, json!({"model": "m", "messages": []}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum BatchRequestBody {
    /// Typed chat-completions params.
    Chat(Box<ChatCompletionParams>),
    /// Any JSON value, sent as is.
    Json(Value),
}

impl From<ChatCompletionParams> for BatchRequestBody {
    fn from(params: ChatCompletionParams) -> Self {
        BatchRequestBody::Chat(Box::new(params))
    }
}

impl From<Value> for BatchRequestBody {
    fn from(body: Value) -> Self {
        BatchRequestBody::Json(body)
    }
}

/// The query of `GET /v1/batches`: one page, starting after a batch id.
///
/// ```
/// use meshapi::types::batches::ListBatchesParams;
///
/// let params = ListBatchesParams::new().after("batch_abc123").limit(20);
/// assert_eq!(params.limit, Some(20));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct ListBatchesParams {
    /// Start after the batch with this id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The most batches per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl ListBatchesParams {
    /// The first page with the server's page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the id of the batch the page starts after.
    ///
    /// Defaults to unset (the first page).
    pub fn after(mut self, after: impl Into<String>) -> Self {
        self.after = Some(after.into());
        self
    }

    /// Sets the most batches per page.
    ///
    /// Defaults to unset (the server's default).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// A batch job, as returned by create, get, cancel and list.
///
/// Only `id` is always present; a batch that has finished carries its answers in `results`.
///
/// ```
/// use meshapi::types::batches::BatchObject;
///
/// let batch: BatchObject = serde_json::from_str(r#"{
///     "id": "batch_abc123", "object": "batch", "status": "completed",
///     "request_counts": {"total": 1, "completed": 1, "failed": 0},
///     "results": [{"custom_id": "req-1", "response": {"status_code": 200, "body": {"id": "chatcmpl-1"}}}],
///     "priority": "low"
/// }"#)?;
/// assert_eq!(batch.status.as_deref(), Some("completed"));
/// assert_eq!(batch.request_counts.as_ref().map(|c| c.completed), Some(1));
/// let answer = batch.results[0].response.as_ref().unwrap();
/// assert_eq!((answer.status_code, &answer.body["id"]), (200, &serde_json::json!("chatcmpl-1")));
/// assert_eq!(batch.extra["priority"], "low");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BatchObject {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Batch id, e.g. `batch_abc123`.
    pub id: String,
    /// `batch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The endpoint the requests run against, e.g. `/v1/chat/completions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The provider-side input file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_file_id: Option<String>,
    /// The provider-side output file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_file_id: Option<String>,
    /// The provider-side error file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_file_id: Option<String>,
    /// Where the batch is, e.g. `validating`, `in_progress`, `completed`, `cancelling`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The model the requests ran on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The provider that ran the batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Creation time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Completion time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<i64>,
    /// When the batch expires, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// Whether the batch's usage has been billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_synced: Option<bool>,
    /// How long the batch may take, e.g. `24h`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_window: Option<String>,
    /// How many requests there are, and how many have finished or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_counts: Option<BatchRequestCounts>,
    /// The metadata given at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// The answers, one per finished request; empty until the batch has finished (absent or
    /// `null` on the wire).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub results: Vec<BatchResult>,
    /// Batch-level errors, as sent; empty when none (absent or `null` on the wire).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub errors_detail: Vec<Value>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How many requests a batch has, and how far it got.
///
/// ```
/// use meshapi::types::batches::BatchRequestCounts;
///
/// let counts: BatchRequestCounts = serde_json::from_str(r#"{"total":2,"completed":1,"failed":1}"#)?;
/// assert_eq!((counts.total, counts.completed, counts.failed), (2, 1, 1));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BatchRequestCounts {
    /// Requests in the batch (0 when not sent).
    #[serde(default)]
    pub total: u64,
    /// Requests that finished (0 when not sent).
    #[serde(default)]
    pub completed: u64,
    /// Requests that failed (0 when not sent).
    #[serde(default)]
    pub failed: u64,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer to one request of a finished batch.
///
/// ```
/// use meshapi::types::batches::BatchResult;
///
/// let result: BatchResult = serde_json::from_str(
///     r#"{"custom_id":"req-1","response":{"status_code":200,"body":{"id":"chatcmpl-1"}}}"#,
/// )?;
/// assert_eq!(result.custom_id, "req-1");
/// assert_eq!(result.response.unwrap().status_code, 200);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BatchResult {
    /// The `custom_id` of the request this answers.
    pub custom_id: String,
    /// The HTTP answer the request got, when it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<BatchResultResponse>,
    /// Fields this version of the crate does not know (such as a per-request `error`), kept as
    /// sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The HTTP answer of one batch request: its status and JSON body (a `chat.completion` for a
/// chat request, an error envelope otherwise).
///
/// ```
/// use meshapi::ChatCompletionResponse;
/// use meshapi::types::batches::BatchResultResponse;
///
/// let response: BatchResultResponse = serde_json::from_str(r#"{"status_code":200,"body":{
///     "id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
///     "choices":[{"index":0,"message":{"role":"assistant","content":"4"},"finish_reason":"stop"}]}}"#)?;
/// let completion: ChatCompletionResponse = serde_json::from_value(response.body)?;
/// assert_eq!(completion.choices[0].message.content.as_deref(), Some("4"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BatchResultResponse {
    /// The HTTP status the request got.
    pub status_code: u16,
    /// The JSON body it got (`null` when none was sent).
    #[serde(default)]
    pub body: Value,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of `GET /v1/batches`.
///
/// ```
/// use meshapi::types::batches::BatchList;
///
/// let page: BatchList = serde_json::from_str(r#"{"object":"list","data":[{"id":"batch_1"}],
///     "has_more":true,"first_id":"batch_1","last_id":"batch_1"}"#)?;
/// assert_eq!(page.data[0].id, "batch_1");
/// assert!(page.has_more);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BatchList {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// `list`.
    pub object: String,
    /// The batches of this page.
    pub data: Vec<BatchObject>,
    /// Whether more batches follow this page.
    pub has_more: bool,
    /// The id of the page's first batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_id: Option<String>,
    /// The id of the page's last batch: the `after` of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_id: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An absent or `null` list as an empty one.
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChatMessage;
    use serde_json::json;

    #[test]
    fn only_the_id_is_required_and_null_lists_are_empty() {
        let batch: BatchObject =
            serde_json::from_value(json!({"id": "b", "results": null, "errors_detail": null}))
                .unwrap();
        assert_eq!(batch.id, "b");
        assert!(batch.results.is_empty() && batch.errors_detail.is_empty());
        assert_eq!(batch.status, None);
        assert!(batch.extra.is_empty());
        assert!(serde_json::from_value::<BatchObject>(json!({"status": "x"})).is_err());
    }

    #[test]
    fn requests_omit_unset_fields() {
        let params = CreateBatchParams::new([BatchRequest::new(
            "a",
            ChatCompletionParams::new("m", vec![ChatMessage::user("q")]),
        )]);
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({"requests": [{"custom_id": "a", "body": {
                "model": "m", "messages": [{"role": "user", "content": "q"}]
            }}]})
        );
        assert_eq!(
            serde_json::to_value(ListBatchesParams::new()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn results_keep_unknown_fields() {
        let result: BatchResult =
            serde_json::from_value(json!({"custom_id": "a", "error": {"code": "x"}})).unwrap();
        assert_eq!(result.response, None);
        assert_eq!(result.extra["error"]["code"], "x");
    }
}
