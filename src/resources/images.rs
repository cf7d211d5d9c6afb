//! `client.images()`: image generation and editing (`/v1/images`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::resources::WithStream;
use crate::stream::Stream;
use crate::transport::Method;
use crate::types::images::{
    EditImageParams, GenerateImageParams, ImageStreamChunk, ImagesResponse,
};

const GENERATIONS: &str = "/v1/images/generations";
const EDITS: &str = "/v1/images/edits";

/// Image generation and editing (`/v1/images`); made by [`Client::images`].
#[derive(Debug, Clone, Copy)]
pub struct Images<'a> {
    client: &'a Client,
}

impl<'a> Images<'a> {
    pub(crate) fn new(client: &'a Client) -> Images<'a> {
        Images { client }
    }

    /// Generates images and waits for them: `POST /v1/images/generations`.
    ///
    /// No `stream` field is sent. Retried on 429, 502, 503 and 504 per the client's retry
    /// policy (each attempt may be billed).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::images::GenerateImageParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = GenerateImageParams::new("A lighthouse at dawn, watercolor")
    ///     .model("openai/gpt-image-1")
    ///     .response_format("b64_json");
    /// let reply = client.images().generate(&params)?;
    /// for (i, image) in reply.data.iter().enumerate() {
    ///     std::fs::write(format!("lighthouse-{i}.png"), image.bytes()?).expect("write");
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn generate(&self, params: &GenerateImageParams) -> Result<ImagesResponse, MeshApiError> {
        self.client.json(Method::Post, GENERATIONS, Some(params))
    }

    /// Generates images as a stream: `POST /v1/images/generations` with `"stream": true`.
    ///
    /// The gateway keeps the connection alive with chunks whose `status` is `"processing"`
    /// and whose `data` is empty; they are yielded like any other chunk
    /// ([`ImageStreamChunk::is_keep_alive`] tells them apart). The image(s) come in a later
    /// chunk's `data`. Frames can be large (base64 images); the client's
    /// [`max_event_size`](crate::ClientBuilder::max_event_size) bounds them. Streams are never
    /// retried; see [`Stream`] for how one ends.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::images::GenerateImageParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = GenerateImageParams::new("A lighthouse at dawn").model("openai/gpt-image-1");
    /// for chunk in client.images().stream(&params) {
    ///     let chunk = chunk?;
    ///     if chunk.is_keep_alive() {
    ///         eprint!(".");
    ///         continue;
    ///     }
    ///     for image in &chunk.data {
    ///         println!("got {} bytes", image.bytes()?.len());
    ///     }
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn stream(&self, params: &GenerateImageParams) -> Stream<ImageStreamChunk> {
        let body = WithStream::new(params, true);
        self.client.stream(GENERATIONS, &body)
    }

    /// Edits an image: `POST /v1/images/edits` (JSON; images travel inline).
    ///
    /// The server refuses remote http(s) image URLs, so an `image`, `mask` or
    /// `reference_images` entry that is one fails here with
    /// [`ErrorCode::InvalidConfig`](crate::ErrorCode::InvalidConfig) before anything is sent;
    /// pass the bytes with [`ImageRef::from_bytes`](crate::types::images::ImageRef::from_bytes)
    /// instead. Retried on 429, 502, 503 and 504 per the client's retry policy.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::images::{EditImageParams, ImageRef};
    ///
    /// let client = Client::from_env()?;
    /// let photo = std::fs::read("photo.png").expect("read");
    /// let params = EditImageParams::new("openai/gpt-image-1", ImageRef::from_bytes("image/png", &photo))
    ///     .prompt("Add a rainbow over the hills")
    ///     .response_format("b64_json");
    /// let reply = client.images().edit(&params)?;
    /// std::fs::write("photo-edited.png", reply.data[0].bytes()?).expect("write");
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn edit(&self, params: &EditImageParams) -> Result<ImagesResponse, MeshApiError> {
        if let Some((field, url)) = params.remote_image() {
            return Err(MeshApiError::config(format!(
                "image edits take inline images (data: URLs or base64), not remote URLs; \
                 `{field}` is {}",
                crate::error::snippet(url.as_bytes())
            ))
            .not_sent());
        }
        self.client.json(Method::Post, EDITS, Some(params))
    }
}
