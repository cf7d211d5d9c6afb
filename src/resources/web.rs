//! `client.web()`: web search (`POST /v1/web/search`).

use crate::client::Client;

/// Web search (`POST /v1/web/search`); made by [`Client::web`].
#[derive(Debug, Clone, Copy)]
pub struct Web<'a> {
    client: &'a Client,
}

impl<'a> Web<'a> {
    pub(crate) fn new(client: &'a Client) -> Web<'a> {
        Web { client }
    }
}
