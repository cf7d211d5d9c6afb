//! Request and response types of RAG files: upload, embed and search (`/v1/files`).
//!
//! These are retrieval files, not the OpenAI Files API. The flow:
//!
//! 1. [`InitUploadParams`] → [`InitUploadResponse`] (a file id and a signed upload URL);
//!    [`UploadFileParams`] does this and the upload of the bytes in one call.
//! 2. Poll the file's [`RagFileStatus`] until `upload_status` is `ready`.
//! 3. [`EmbedRagFilesParams`] → [`BulkEmbedResponse`] (unless the upload asked for `embed`), then
//!    poll until `embedding_status` is `ready` (or `failed`).
//! 4. [`SearchRagFilesParams`] → [`SearchResponse`].

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// The body of `POST /v1/files`: announces a file and asks for a URL to upload it to.
///
/// ```
/// use meshapi::types::rag::InitUploadParams;
/// use serde_json::json;
///
/// let request = InitUploadParams::new("handbook.md", "text/markdown")
///     .embed(true)
///     .metadata(json!({"team": "support"}));
/// assert_eq!(
///     serde_json::to_value(&request)?,
///     json!({"file_name": "handbook.md", "mime_type": "text/markdown", "embed": true,
///            "metadata": {"team": "support"}}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct InitUploadParams {
    /// The file's name.
    pub file_name: String,
    /// The file's MIME type, e.g. `application/pdf`; the upload must send the same.
    pub mime_type: String,
    /// Whether to embed the file as soon as it is uploaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embed: Option<bool>,
    /// Free-form metadata kept with the file and returned with search results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

impl InitUploadParams {
    /// A file called `file_name` of type `mime_type`; everything else unset.
    pub fn new(file_name: impl Into<String>, mime_type: impl Into<String>) -> Self {
        Self {
            file_name: file_name.into(),
            mime_type: mime_type.into(),
            embed: None,
            metadata: None,
        }
    }

    /// Sets whether to embed the file once uploaded.
    ///
    /// Defaults to unset (the server's default: not embedded until asked).
    pub fn embed(mut self, embed: bool) -> Self {
        self.embed = Some(embed);
        self
    }

    /// Sets the metadata object.
    ///
    /// Defaults to unset (no metadata).
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.metadata = Some(metadata);
        self
    }
}

/// The answer to `POST /v1/files`: the new file's id and where to `PUT` its bytes.
///
/// ```
/// use meshapi::types::rag::InitUploadResponse;
///
/// let init: InitUploadResponse = serde_json::from_str(r#"{"file_id":"f1",
///     "signed_url":"https://storage.example/upload/f1?X-Signature=abc",
///     "expires_at":"2026-08-01T12:00:00Z"}"#)?;
/// assert_eq!(init.file_id, "f1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InitUploadResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The new file's id.
    pub file_id: String,
    /// A pre-authenticated URL (possibly on another host) to `PUT` the bytes to.
    pub signed_url: String,
    /// When `signed_url` stops working (a timestamp string).
    pub expires_at: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What [`Rag::upload`](crate::resources::rag::Rag::upload) uploads: the file's
/// name, type and bytes, and the options of [`InitUploadParams`].
///
/// `Debug` shows the length of `content`, not its bytes.
///
/// ```
/// use meshapi::types::rag::UploadFileParams;
///
/// let params = UploadFileParams::new("notes.txt", "text/plain", "Rust is fast.").embed(true);
/// assert_eq!(params.content, b"Rust is fast.");
/// assert!(format!("{params:?}").contains("13 bytes"));
/// ```
#[derive(Clone, PartialEq)]
#[non_exhaustive]
#[must_use]
pub struct UploadFileParams {
    /// The file's name.
    pub file_name: String,
    /// The file's MIME type, sent as the upload's `Content-Type`.
    pub mime_type: String,
    /// The file's bytes.
    pub content: Vec<u8>,
    /// Whether to embed the file as soon as it is uploaded.
    pub embed: Option<bool>,
    /// Free-form metadata kept with the file.
    pub metadata: Option<Value>,
}

impl UploadFileParams {
    /// The file `file_name` of type `mime_type` with these bytes; everything else unset.
    pub fn new(
        file_name: impl Into<String>,
        mime_type: impl Into<String>,
        content: impl Into<Vec<u8>>,
    ) -> Self {
        Self {
            file_name: file_name.into(),
            mime_type: mime_type.into(),
            content: content.into(),
            embed: None,
            metadata: None,
        }
    }

    /// Sets whether to embed the file once uploaded.
    ///
    /// Defaults to unset (the server's default: not embedded until asked).
    pub fn embed(mut self, embed: bool) -> Self {
        self.embed = Some(embed);
        self
    }

    /// Sets the metadata object.
    ///
    /// Defaults to unset (no metadata).
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// The `POST /v1/files` body for this upload.
    pub(crate) fn init_request(&self) -> InitUploadParams {
        InitUploadParams {
            file_name: self.file_name.clone(),
            mime_type: self.mime_type.clone(),
            embed: self.embed,
            metadata: self.metadata.clone(),
        }
    }
}

impl fmt::Debug for UploadFileParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadFileParams")
            .field("file_name", &self.file_name)
            .field("mime_type", &self.mime_type)
            .field("content", &format_args!("<{} bytes>", self.content.len()))
            .field("embed", &self.embed)
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// The query of `GET /v1/files`: one page by offset.
///
/// ```
/// use meshapi::types::rag::ListRagFilesParams;
///
/// let params = ListRagFilesParams::new().limit(50).offset(100);
/// assert_eq!((params.limit, params.offset), (Some(50), Some(100)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct ListRagFilesParams {
    /// The most files per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// How many files to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl ListRagFilesParams {
    /// The first page with the server's page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the most files per page.
    ///
    /// Defaults to unset (the server's default).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets how many files to skip.
    ///
    /// Defaults to unset (0, the first page).
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }
}

/// One page of `GET /v1/files`.
///
/// ```
/// use meshapi::types::rag::RagFileList;
///
/// let page: RagFileList = serde_json::from_str(r#"{"files":[],"total":0,"limit":20,"offset":0}"#)?;
/// assert_eq!(page.total, 0);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RagFileList {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The files of this page.
    pub files: Vec<RagFileStatus>,
    /// How many files there are in all.
    pub total: u64,
    /// The page size used.
    pub limit: u64,
    /// How many files this page skipped.
    pub offset: u64,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A RAG file's state: `GET /v1/files/{file_id}`, and the items of a list.
///
/// ```
/// use meshapi::types::rag::RagFileStatus;
///
/// let file: RagFileStatus = serde_json::from_str(r#"{
///     "file_id": "f1", "upload_status": "ready", "file_name": "notes.txt",
///     "file_type": "txt", "mime_type": "text/plain", "embedding_status": "failed",
///     "created_at": "2026-08-01T12:00:00Z", "updated_at": "2026-08-01T12:00:05Z",
///     "size_bytes": 13, "total_cost_usd": 0.00012, "last_error_code": "empty_document"
/// }"#)?;
/// assert_eq!(file.embedding_status, "failed");
/// assert_eq!(file.total_cost_usd, Some(0.00012));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RagFileStatus {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// File id.
    pub file_id: String,
    /// Upload state: `pending` until the bytes arrive, then `ready`.
    pub upload_status: String,
    /// The file's name.
    pub file_name: String,
    /// The file's kind, e.g. `pdf`.
    pub file_type: String,
    /// The file's MIME type.
    pub mime_type: String,
    /// Embedding state: `pending`, `ready` or `failed`.
    pub embedding_status: String,
    /// Creation time, a timestamp string.
    pub created_at: String,
    /// Last change, a timestamp string.
    pub updated_at: String,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// Where the stored file can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_url: Option<String>,
    /// A signed URL to download the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_url: Option<String>,
    /// When `signed_url` stops working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_url_expires_at: Option<String>,
    /// Tokens embedded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// What embedding cost, in USD. Unlike most prices of the API this one is a JSON number,
    /// not a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cost_usd: Option<f64>,
    /// Why embedding failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error_code: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The body of `POST /v1/files/embed`: embeds uploaded files (1 to 100 of them).
///
/// Embedding needs `upload_status` `ready` and `embedding_status` `pending` or `failed`.
///
/// ```
/// use meshapi::types::rag::EmbedRagFilesParams;
/// use serde_json::json;
///
/// let request = EmbedRagFilesParams::new(["f1", "f2"]).wait(true);
/// assert_eq!(serde_json::to_value(&request)?, json!({"file_ids": ["f1", "f2"], "wait": true}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct EmbedRagFilesParams {
    /// The files to embed.
    pub file_ids: Vec<String>,
    /// Whether the gateway answers only once embedding has finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait: Option<bool>,
    /// Free-form metadata attached to the embedded chunks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

impl EmbedRagFilesParams {
    /// Embeds `file_ids`; everything else unset.
    pub fn new(file_ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            file_ids: file_ids.into_iter().map(Into::into).collect(),
            wait: None,
            metadata: None,
        }
    }

    /// Sets whether to wait for embedding to finish.
    ///
    /// Defaults to unset (the server's default).
    pub fn wait(mut self, wait: bool) -> Self {
        self.wait = Some(wait);
        self
    }

    /// Sets the metadata object.
    ///
    /// Defaults to unset (no metadata).
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.metadata = Some(metadata);
        self
    }
}

/// The answer to `POST /v1/files/embed`: one result per file.
///
/// ```
/// use meshapi::types::rag::BulkEmbedResponse;
///
/// let answer: BulkEmbedResponse = serde_json::from_str(r#"{"results":[
///     {"file_id":"f1","embedding_status":"ready","chunk_count":3},
///     {"file_id":"f2","embedding_status":"failed","error":"upload not ready"}]}"#)?;
/// assert_eq!(answer.results[0].chunk_count, Some(3));
/// assert_eq!(answer.results[1].error.as_deref(), Some("upload not ready"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BulkEmbedResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// One entry per requested file.
    pub results: Vec<EmbedResult>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How embedding one file went.
///
/// ```
/// use meshapi::types::rag::EmbedResult;
///
/// let result: EmbedResult = serde_json::from_str(r#"{"file_id":"f1","embedding_status":"pending"}"#)?;
/// assert_eq!(result.chunk_count, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbedResult {
    /// The file.
    pub file_id: String,
    /// Its embedding state: `pending`, `ready` or `failed`.
    pub embedding_status: String,
    /// How many chunks it was split into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk_count: Option<u64>,
    /// Why it could not be embedded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The body of `POST /v1/files/search`: a semantic search over embedded files.
///
/// ```
/// use meshapi::types::rag::SearchRagFilesParams;
/// use serde_json::json;
///
/// let request = SearchRagFilesParams::new("refund policy").top_k(3).file_ids(["f1"]);
/// assert_eq!(
///     serde_json::to_value(&request)?,
///     json!({"query": "refund policy", "top_k": 3, "file_ids": ["f1"]}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct SearchRagFilesParams {
    /// What to search for.
    pub query: String,
    /// The most results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// Search only these files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_ids: Option<Vec<String>>,
    /// A metadata filter object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<Value>,
    /// Only files created at or after this time, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_from: Option<i64>,
    /// Only files created at or before this time, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_to: Option<i64>,
}

impl SearchRagFilesParams {
    /// A search for `query` over every embedded file; everything else unset.
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            query: query.into(),
            top_k: None,
            file_ids: None,
            filter: None,
            date_from: None,
            date_to: None,
        }
    }

    /// Sets the most results.
    ///
    /// Defaults to unset (the server's default).
    pub fn top_k(mut self, top_k: u32) -> Self {
        self.top_k = Some(top_k);
        self
    }

    /// Restricts the search to these files.
    ///
    /// Defaults to unset (every embedded file).
    pub fn file_ids(mut self, file_ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.file_ids = Some(file_ids.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the metadata filter object.
    ///
    /// Defaults to unset (no filter).
    pub fn filter(mut self, filter: Value) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Sets the earliest creation time, Unix seconds.
    ///
    /// Defaults to unset (no lower bound).
    pub fn date_from(mut self, date_from: i64) -> Self {
        self.date_from = Some(date_from);
        self
    }

    /// Sets the latest creation time, Unix seconds.
    ///
    /// Defaults to unset (no upper bound).
    pub fn date_to(mut self, date_to: i64) -> Self {
        self.date_to = Some(date_to);
        self
    }
}

/// The answer to `POST /v1/files/search`: matching chunks, best first.
///
/// ```
/// use meshapi::types::rag::SearchResponse;
///
/// let answer: SearchResponse = serde_json::from_str(r#"{"results":[{"score":0.82,
///     "text":"Refunds within 30 days.","parent_text":"Policy. Refunds within 30 days.",
///     "file_id":"f1","chunk_index":0}]}"#)?;
/// let hit = &answer.results[0];
/// assert_eq!(hit.score, 0.82);
/// assert!(hit.metadata.is_empty()); // absent on the wire
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The matching chunks.
    pub results: Vec<SearchResult>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One matching chunk of a search.
///
/// ```
/// use meshapi::types::rag::SearchResult;
///
/// let hit: SearchResult = serde_json::from_str(
///     r#"{"score":0.5,"text":"t","parent_text":"p","metadata":{"team":"support"}}"#,
/// )?;
/// assert_eq!(hit.metadata["team"], "support");
/// assert_eq!(hit.file_id, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResult {
    /// Relevance; higher is better.
    pub score: f64,
    /// The matching chunk.
    pub text: String,
    /// The larger passage around the chunk.
    pub parent_text: String,
    /// The file the chunk is from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    /// That file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// That file's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_type: Option<String>,
    /// That file's MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The chunk's position in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk_index: Option<u64>,
    /// The file's creation time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// The file's metadata; empty when none was sent (absent or `null` on the wire).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub metadata: Map<String, Value>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An absent or `null` object as an empty one.
fn null_as_empty<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Map<String, Value>, D::Error> {
    Ok(Option::<Map<String, Value>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn upload_params_make_the_init_request() {
        let params = UploadFileParams::new("a.txt", "text/plain", vec![1, 2])
            .embed(false)
            .metadata(json!({"k": 1}));
        assert_eq!(
            serde_json::to_value(params.init_request()).unwrap(),
            json!({"file_name": "a.txt", "mime_type": "text/plain", "embed": false,
                   "metadata": {"k": 1}})
        );
        assert_eq!(
            format!("{:?}", UploadFileParams::new("a", "b", vec![0; 3])),
            r#"UploadFileParams { file_name: "a", mime_type: "b", content: <3 bytes>, embed: None, metadata: None }"#
        );
    }

    #[test]
    fn file_status_requires_its_states() {
        let err = serde_json::from_value::<RagFileStatus>(json!({"file_id": "f"})).unwrap_err();
        assert!(err.to_string().contains("missing field"), "{err}");
    }

    #[test]
    fn null_search_metadata_is_empty() {
        let hit: SearchResult = serde_json::from_value(
            json!({"score": 1.0, "text": "t", "parent_text": "p", "metadata": null}),
        )
        .unwrap();
        assert!(hit.metadata.is_empty());
    }

    #[test]
    fn search_sends_only_what_is_set() {
        assert_eq!(
            serde_json::to_value(
                SearchRagFilesParams::new("q")
                    .filter(json!({"team": "a"}))
                    .date_from(1)
                    .date_to(2)
            )
            .unwrap(),
            json!({"query": "q", "filter": {"team": "a"}, "date_from": 1, "date_to": 2})
        );
    }
}
