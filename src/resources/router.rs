//! `client.router()`: the auto-router's model choice (`POST /v1/router/select`).

use crate::client::Client;

/// The auto-router's model choice (`POST /v1/router/select`); made by [`Client::router`].
#[derive(Debug, Clone, Copy)]
pub struct Router<'a> {
    client: &'a Client,
}

impl<'a> Router<'a> {
    pub(crate) fn new(client: &'a Client) -> Router<'a> {
        Router { client }
    }
}
