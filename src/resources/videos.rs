//! `client.videos()`: video generation tasks (`/v1/video/generations`).

use crate::client::Client;

/// Video generation tasks (`/v1/video/generations`); made by [`Client::videos`].
#[derive(Debug, Clone, Copy)]
pub struct Videos<'a> {
    client: &'a Client,
}

impl<'a> Videos<'a> {
    pub(crate) fn new(client: &'a Client) -> Videos<'a> {
        Videos { client }
    }
}
