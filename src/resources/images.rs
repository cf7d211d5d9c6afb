//! `client.images()`: image generation and editing (`/v1/images`).

use crate::client::Client;

/// Image generation and editing (`/v1/images`); made by [`Client::images`].
#[derive(Debug, Clone, Copy)]
pub struct Images<'a> {
    client: &'a Client,
}

impl<'a> Images<'a> {
    pub(crate) fn new(client: &'a Client) -> Images<'a> {
        Images { client }
    }
}
