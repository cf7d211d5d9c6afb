//! `client.embeddings()`: `POST /v1/embeddings`.

use crate::client::Client;
use crate::error::MeshApiError;
use crate::transport::Method;
use crate::types::embeddings::{EmbeddingsParams, EmbeddingsResponse};

const EMBEDDINGS: &str = "/v1/embeddings";

/// `POST /v1/embeddings`; made by [`Client::embeddings`].
#[derive(Debug, Clone, Copy)]
pub struct Embeddings<'a> {
    client: &'a Client,
}

impl<'a> Embeddings<'a> {
    pub(crate) fn new(client: &'a Client) -> Embeddings<'a> {
        Embeddings { client }
    }

    /// Embeds the input: `POST /v1/embeddings`.
    ///
    /// Vectors come back as `Vec<f32>` whichever [`encoding_format`] was asked for. Retried
    /// on 429, 502, 503 and 504 per the client's retry policy.
    ///
    /// [`encoding_format`]: EmbeddingsParams::encoding_format
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::embeddings::{EmbeddingsParams, EncodingFormat};
    ///
    /// let client = Client::from_env()?;
    /// let params = EmbeddingsParams::new(vec!["The cat sat.", "A cat was sitting."])
    ///     .model("openai/text-embedding-3-small")
    ///     .encoding_format(EncodingFormat::Base64);
    /// let reply = client.embeddings().create(&params)?;
    /// for item in &reply.data {
    ///     println!("#{}: {} dimensions", item.index, item.embedding.len());
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(&self, params: &EmbeddingsParams) -> Result<EmbeddingsResponse, MeshApiError> {
        self.client.json(Method::Post, EMBEDDINGS, Some(params))
    }
}
