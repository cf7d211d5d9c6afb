//! `client.audio()`: speech, transcription, translation and voices (`/v1/audio`).

use crate::client::Client;

/// Speech, transcription, translation and voices (`/v1/audio`); made by [`Client::audio`].
#[derive(Debug, Clone, Copy)]
pub struct Audio<'a> {
    client: &'a Client,
}

impl<'a> Audio<'a> {
    pub(crate) fn new(client: &'a Client) -> Audio<'a> {
        Audio { client }
    }
}
