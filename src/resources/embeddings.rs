//! `client.embeddings()`: `POST /v1/embeddings`.

use crate::client::Client;

/// `POST /v1/embeddings`; made by [`Client::embeddings`].
#[derive(Debug, Clone, Copy)]
pub struct Embeddings<'a> {
    client: &'a Client,
}

impl<'a> Embeddings<'a> {
    pub(crate) fn new(client: &'a Client) -> Embeddings<'a> {
        Embeddings { client }
    }
}
