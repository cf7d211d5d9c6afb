//! `client.batches()`: batch jobs (`/v1/batches`).

use crate::client::Client;

/// Batch jobs (`/v1/batches`); made by [`Client::batches`].
#[derive(Debug, Clone, Copy)]
pub struct Batches<'a> {
    client: &'a Client,
}

impl<'a> Batches<'a> {
    pub(crate) fn new(client: &'a Client) -> Batches<'a> {
        Batches { client }
    }
}
