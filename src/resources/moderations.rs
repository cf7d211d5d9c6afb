//! `client.moderations()`: `POST /v1/moderations`.

use crate::client::Client;

/// `POST /v1/moderations`; made by [`Client::moderations`].
#[derive(Debug, Clone, Copy)]
pub struct Moderations<'a> {
    client: &'a Client,
}

impl<'a> Moderations<'a> {
    pub(crate) fn new(client: &'a Client) -> Moderations<'a> {
        Moderations { client }
    }
}
