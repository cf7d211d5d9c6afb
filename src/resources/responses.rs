//! `client.responses()`: the Responses API (`/v1/responses`).

use crate::client::Client;

/// The Responses API (`/v1/responses`); made by [`Client::responses`].
#[derive(Debug, Clone, Copy)]
pub struct Responses<'a> {
    client: &'a Client,
}

impl<'a> Responses<'a> {
    pub(crate) fn new(client: &'a Client) -> Responses<'a> {
        Responses { client }
    }
}
