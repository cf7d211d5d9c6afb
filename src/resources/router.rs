//! `client.router()`: the auto-router's model choice (`POST /v1/router/select`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::transport::Method;
use crate::types::router::{RouterSelectParams, RouterSelectResponse};

/// The auto-router's model choice (`POST /v1/router/select`); made by [`Client::router`].
///
/// The auto-router is a feature a deployment may switch off (`AUTO_ROUTER_ENABLED`). A gateway
/// without it answers 403, 404 or 501 (which one is not pinned down), so expect a
/// [`MeshApiError`] with [`ErrorCode::Forbidden`](crate::ErrorCode::Forbidden),
/// [`ErrorCode::NotFound`](crate::ErrorCode::NotFound) or a `not_implemented` code, and check
/// [`MeshApiError::status`] to tell "switched off" from a real failure.
#[derive(Debug, Clone, Copy)]
pub struct Router<'a> {
    client: &'a Client,
}

impl<'a> Router<'a> {
    pub(crate) fn new(client: &'a Client) -> Router<'a> {
        Router { client }
    }

    /// `POST /v1/router/select`: asks which model the auto-router would pick for a
    /// conversation, without running it.
    ///
    /// Retried on 429, 502, 503 and 504 per the client's retry policy (nothing is billed).
    ///
    /// ```no_run
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    /// use meshapi::types::router::RouterSelectParams;
    ///
    /// let client = Client::from_env()?;
    /// let messages = vec![ChatMessage::user("Summarise the plot of Hamlet in two lines.")];
    /// let choice = client.router().select(&RouterSelectParams::new(messages.clone()))?;
    /// if choice.auto_router.fallback_used {
    ///     eprintln!("router fell back: {:?}", choice.auto_router.fallback_reason);
    /// }
    /// let reply = client.chat().completions().create(&ChatCompletionParams::new(choice.model, messages))?;
    /// println!("{}", reply.model);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn select(
        &self,
        params: &RouterSelectParams,
    ) -> Result<RouterSelectResponse, MeshApiError> {
        self.client
            .json(Method::Post, "/v1/router/select", Some(params))
    }
}
