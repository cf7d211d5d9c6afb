//! Request and response types of web search (`POST /v1/web/search`).
//!
//! - Request: [`WebSearchParams`].
//! - Response: [`WebSearchResponse`] with its [`WebSearchResult`]s.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of a web search.
///
/// Fields left unset are omitted and the server's defaults apply: 5 results, `basic` depth, no
/// answer (the Python SDK always sends these defaults explicitly; the Go SDK, like this crate,
/// does not).
///
/// ```
/// use meshapi::types::web::WebSearchParams;
/// use serde_json::json;
///
/// let params = WebSearchParams::new("rust serde flatten")
///     .max_results(3)
///     .include_answer(true)
///     .include_domains(["docs.rs", "serde.rs"]);
/// assert_eq!(
///     serde_json::to_value(&params)?,
///     json!({
///         "query": "rust serde flatten",
///         "max_results": 3,
///         "include_domains": ["docs.rs", "serde.rs"],
///         "include_answer": true,
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct WebSearchParams {
    /// What to search for, 1 to 2000 characters.
    pub query: String,
    /// Model used to write the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Search engine: `native`, `tavily` or `tinyfish` (kept as a string, so an engine added
    /// later is never refused by the SDK). Pinning one turns the gateway's failover off; only
    /// `tinyfish` returns [`page_content`](WebSearchResult::page_content).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// How many results, 1 to 20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// `basic` or `advanced`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_depth: Option<String>,
    /// Only search these domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_domains: Option<Vec<String>>,
    /// Never return results from these domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_domains: Option<Vec<String>>,
    /// Whether to write a short answer from the results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_answer: Option<bool>,
    /// Whether results carry the extracted text of their page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_page_content: Option<bool>,
}

impl WebSearchParams {
    /// A search for `query`; everything else unset.
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            query: query.into(),
            model: None,
            provider: None,
            max_results: None,
            search_depth: None,
            include_domains: None,
            exclude_domains: None,
            include_answer: None,
            include_page_content: None,
        }
    }

    /// Sets the model that writes the answer.
    ///
    /// Defaults to unset (the server's default).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the search engine, `native` or `tavily`.
    ///
    /// Defaults to unset (the gateway tries `native` first, then `tavily`).
    pub fn provider(mut self, provider: impl Into<String>) -> Self {
        self.provider = Some(provider.into());
        self
    }

    /// Sets how many results to return (1 to 20).
    ///
    /// Defaults to unset (the server's default, 5).
    pub fn max_results(mut self, max_results: u32) -> Self {
        self.max_results = Some(max_results);
        self
    }

    /// Sets the search depth, `basic` or `advanced`.
    ///
    /// Defaults to unset (the server's default, `basic`).
    pub fn search_depth(mut self, search_depth: impl Into<String>) -> Self {
        self.search_depth = Some(search_depth.into());
        self
    }

    /// Restricts the search to these domains.
    ///
    /// Defaults to unset (any domain).
    pub fn include_domains(mut self, domains: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.include_domains = Some(domains.into_iter().map(Into::into).collect());
        self
    }

    /// Excludes these domains from the results.
    ///
    /// Defaults to unset (none excluded).
    pub fn exclude_domains(mut self, domains: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.exclude_domains = Some(domains.into_iter().map(Into::into).collect());
        self
    }

    /// Asks for a short answer written from the results.
    ///
    /// Defaults to unset (the server's default, no answer).
    pub fn include_answer(mut self, include_answer: bool) -> Self {
        self.include_answer = Some(include_answer);
        self
    }

    /// Asks for each result's page text in [`page_content`](WebSearchResult::page_content)
    /// (the `tinyfish` engine provides it).
    ///
    /// Defaults to unset: the field is not sent, and the request is the same as without it.
    pub fn include_page_content(mut self, include: bool) -> Self {
        self.include_page_content = Some(include);
        self
    }
}

/// The answer of `POST /v1/web/search`.
///
/// ```
/// use meshapi::types::web::WebSearchResponse;
///
/// let reply: WebSearchResponse = serde_json::from_str(r#"{
///     "query": "rust",
///     "answer": null,
///     "results": [{"title": "Rust", "url": "https://www.rust-lang.org/", "score": 0.98}],
///     "provider": "native",
///     "request_id": "req_01HZXYZ"
/// }"#)?;
/// assert_eq!(reply.answer, None);
/// assert_eq!(reply.results[0].content, ""); // absent content defaults to empty
/// assert_eq!(reply.provider, "native");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebSearchResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The query, echoed.
    pub query: String,
    /// A short answer written from the results, when asked for and available (best effort).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// The results, best first.
    #[serde(default)]
    pub results: Vec<WebSearchResult>,
    /// The engine that served the search: `native` or `tavily` today; treat it as open-ended.
    pub provider: String,
    /// The gateway's request id; `None` when absent or empty.
    #[serde(
        default,
        deserialize_with = "non_empty",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One web page found by a search.
///
/// ```
/// use meshapi::types::web::WebSearchResult;
///
/// let result: WebSearchResult = serde_json::from_str(r#"{
///     "title": "The Rust Book", "url": "https://doc.rust-lang.org/book/",
///     "content": "An introductory book about Rust.", "published_date": "2026-01-15"
/// }"#)?;
/// assert_eq!(result.score, None);
/// assert_eq!(result.published_date.as_deref(), Some("2026-01-15"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebSearchResult {
    /// Page title.
    pub title: String,
    /// Page URL.
    pub url: String,
    /// Extract of the page; empty when the engine gave none.
    #[serde(default)]
    pub content: String,
    /// Relevance score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Publication date, as the engine formats it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_date: Option<String>,
    /// The page's extracted text, when asked for and the engine gives it; `Some("")` is an
    /// empty page, `None` no text at all. Separate from the `content` snippet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_content: Option<String>,
    /// Whether `page_content` was cut at the server's per-result ceiling; `None` from a
    /// gateway that does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_content_truncated: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The API documents `request_id` as defaulting to `""`; an empty id is no id.
fn non_empty<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.filter(|id| !id.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_empty_or_null_request_id_is_none() {
        for id in [json!(""), Value::Null] {
            let reply: WebSearchResponse = serde_json::from_value(
                json!({"query": "q", "provider": "tavily", "request_id": id}),
            )
            .unwrap();
            assert_eq!(reply.request_id, None);
            assert!(reply.results.is_empty());
        }
    }

    #[test]
    fn query_and_provider_are_required() {
        assert!(serde_json::from_value::<WebSearchResponse>(json!({"query": "q"})).is_err());
        assert!(
            serde_json::from_value::<WebSearchResponse>(json!({"provider": "native"})).is_err()
        );
    }
}
