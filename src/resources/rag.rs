//! `client.rag()`: RAG files: upload, embed and search (`/v1/files`).

use crate::client::Client;

/// RAG files: upload, embed and search (`/v1/files`); made by [`Client::rag`].
#[derive(Debug, Clone, Copy)]
pub struct Rag<'a> {
    client: &'a Client,
}

impl<'a> Rag<'a> {
    pub(crate) fn new(client: &'a Client) -> Rag<'a> {
        Rag { client }
    }
}
