//! `client.compare()`: `POST /v1/chat/compare`: one prompt fanned out to several models.

use crate::client::Client;

/// `POST /v1/chat/compare`: one prompt fanned out to several models; made by [`Client::compare`].
#[derive(Debug, Clone, Copy)]
pub struct Compare<'a> {
    client: &'a Client,
}

impl<'a> Compare<'a> {
    pub(crate) fn new(client: &'a Client) -> Compare<'a> {
        Compare { client }
    }
}
