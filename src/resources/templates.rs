//! `client.templates()`: prompt templates (`/v1/templates`).

use crate::client::Client;

/// Prompt templates (`/v1/templates`); made by [`Client::templates`].
#[derive(Debug, Clone, Copy)]
pub struct Templates<'a> {
    client: &'a Client,
}

impl<'a> Templates<'a> {
    pub(crate) fn new(client: &'a Client) -> Templates<'a> {
        Templates { client }
    }
}
