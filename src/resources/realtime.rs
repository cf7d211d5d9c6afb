//! `client.realtime()`: the realtime WebSocket API (`/v1/realtime`), behind the `realtime`
//! feature.

use crate::client::Client;

/// The realtime WebSocket API; made by [`Client::realtime`].
#[derive(Debug, Clone, Copy)]
pub struct Realtime<'a> {
    client: &'a Client,
}

impl<'a> Realtime<'a> {
    pub(crate) fn new(client: &'a Client) -> Realtime<'a> {
        Realtime { client }
    }
}
