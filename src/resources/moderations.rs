//! `client.moderations()`: `POST /v1/moderations`.

use crate::client::Client;
use crate::error::MeshApiError;
use crate::transport::Method;
use crate::types::moderations::{ModerationParams, ModerationResponse};

/// `POST /v1/moderations`; made by [`Client::moderations`].
///
/// Moderation is a feature a deployment may switch off. A gateway without it answers 403,
/// 404, 501 or 503 (which one is not pinned down), so expect a [`MeshApiError`] with
/// [`ErrorCode::Forbidden`](crate::ErrorCode::Forbidden),
/// [`ErrorCode::NotFound`](crate::ErrorCode::NotFound), a `not_implemented` code, or
/// [`ErrorCode::UpstreamError`](crate::ErrorCode::UpstreamError), and check
/// [`MeshApiError::status`] to tell "switched off" from a real failure.
#[derive(Debug, Clone, Copy)]
pub struct Moderations<'a> {
    client: &'a Client,
}

impl<'a> Moderations<'a> {
    pub(crate) fn new(client: &'a Client) -> Moderations<'a> {
        Moderations { client }
    }

    /// `POST /v1/moderations`: classifies the input(s) for harmful content.
    ///
    /// Retried on 429, 502, 503 and 504 per the client's retry policy; note that a 503 may
    /// also mean moderation is switched off on this deployment (see [`Moderations`]).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::moderations::ModerationParams;
    ///
    /// let client = Client::from_env()?;
    /// let reply = client.moderations().create(&ModerationParams::new(vec![
    ///     "Have a lovely day!",
    ///     "I am going to hurt you.",
    /// ]))?;
    /// for (i, result) in reply.results.iter().enumerate() {
    ///     println!("input {i}: flagged={} {:?}", result.flagged, result.flagged_categories().collect::<Vec<_>>());
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(&self, params: &ModerationParams) -> Result<ModerationResponse, MeshApiError> {
        self.client
            .json(Method::Post, "/v1/moderations", Some(params))
    }
}
