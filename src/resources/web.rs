//! `client.web()`: web search (`POST /v1/web/search`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::transport::Method;
use crate::types::web::{WebSearchParams, WebSearchResponse};

/// Web search (`POST /v1/web/search`); made by [`Client::web`].
///
/// Web search is a feature a deployment may switch off (`WEB_SEARCH_ENABLED`). A gateway
/// without it answers 403, 404 or 501 (which one is not pinned down), so expect a
/// [`MeshApiError`] with [`ErrorCode::Forbidden`](crate::ErrorCode::Forbidden),
/// [`ErrorCode::NotFound`](crate::ErrorCode::NotFound) or a `not_implemented` code, and check
/// [`MeshApiError::status`] to tell "switched off" from a real failure.
#[derive(Debug, Clone, Copy)]
pub struct Web<'a> {
    client: &'a Client,
}

impl<'a> Web<'a> {
    pub(crate) fn new(client: &'a Client) -> Web<'a> {
        Web { client }
    }

    /// `POST /v1/web/search`: searches the web (native engine first, Tavily as fallback; the
    /// response's `provider` says which served).
    ///
    /// Retried on 429, 502, 503 and 504 per the client's retry policy.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::web::WebSearchParams;
    ///
    /// let client = Client::from_env()?;
    /// let reply = client.web().search(&WebSearchParams::new("latest Rust release").include_answer(true))?;
    /// println!("answer: {:?} (via {})", reply.answer, reply.provider);
    /// for result in &reply.results {
    ///     println!("- {} <{}>", result.title, result.url);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn search(&self, params: &WebSearchParams) -> Result<WebSearchResponse, MeshApiError> {
        self.client
            .json(Method::Post, "/v1/web/search", Some(params))
    }
}
