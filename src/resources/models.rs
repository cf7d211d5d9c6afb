//! `client.models()`: the model catalogue (`/v1/models`).

use crate::client::Client;

/// The model catalogue (`/v1/models`); made by [`Client::models`].
#[derive(Debug, Clone, Copy)]
pub struct Models<'a> {
    client: &'a Client,
}

impl<'a> Models<'a> {
    pub(crate) fn new(client: &'a Client) -> Models<'a> {
        Models { client }
    }
}
