//! Request and response types of image generation and editing (`/v1/images`).
//!
//! - Generate: [`GenerateImageParams`] → [`ImagesResponse`], or streamed as
//!   [`ImageStreamChunk`]s.
//! - Edit: [`EditImageParams`] with [`ImageRef`]s → [`ImagesResponse`].
//! - [`ImageData::bytes`] decodes an image that came back inline (`b64_json` or a `data:` URL).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ErrorCode, MeshApiError};

/// The body of an image generation request.
///
/// Every field left unset is omitted from the JSON body, so the server's default applies.
/// There is no `stream` field: `generate` and `stream` decide it.
///
/// ```
/// use meshapi::types::images::GenerateImageParams;
/// use serde_json::json;
///
/// let params = GenerateImageParams::new("A lighthouse at dawn, watercolor")
///     .model("openai/gpt-image-1")
///     .size("1024x1024")
///     .response_format("b64_json")
///     .image(vec!["data:image/png;base64,iVBORw0KGgo="]);
/// assert_eq!(
///     serde_json::to_value(&params)?,
///     json!({
///         "prompt": "A lighthouse at dawn, watercolor",
///         "model": "openai/gpt-image-1",
///         "size": "1024x1024",
///         "response_format": "b64_json",
///         "image": ["data:image/png;base64,iVBORw0KGgo="],
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct GenerateImageParams {
    /// What to draw.
    pub prompt: String,
    /// Model id such as `openai/gpt-image-1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Number of images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// Size such as `1024x1024`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Quality tier, model-specific (e.g. `low`, `medium`, `high`, `hd`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    /// `url` or `b64_json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    /// `png`, `jpeg` or `webp`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
    /// Aspect ratio such as `16:9`, for models sized that way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<String>,
    /// Resolution such as `2K`, for models sized that way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Compression level 0..=100 for `jpeg` and `webp` output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_compression: Option<u8>,
    /// `transparent`, `opaque` or `auto`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// Provider moderation strictness: `low` or `auto`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<String>,
    /// Partial images 0..=3 sent while streaming.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_images: Option<u8>,
    /// Reference image(s), e.g. `data:` URLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageInput>,
    /// Seed, -1..=2147483647 (-1: random).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// `auto` or `disabled`: whether the model may produce a sequence of related images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequential_image_generation: Option<String>,
    /// Options of sequential generation, e.g. `{"max_images": 4}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequential_image_generation_options: Option<Value>,
    /// How closely to follow the prompt, 1..=10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guidance_scale: Option<f64>,
    /// Whether the provider adds a watermark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watermark: Option<bool>,
    /// Prompt-optimisation options, e.g. `{"mode": "standard"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimize_prompt_options: Option<Value>,
}

impl GenerateImageParams {
    /// A request drawing `prompt`; everything else unset.
    pub fn new(prompt: impl Into<String>) -> Self {
        Self {
            prompt: prompt.into(),
            model: None,
            n: None,
            size: None,
            quality: None,
            response_format: None,
            output_format: None,
            aspect_ratio: None,
            resolution: None,
            output_compression: None,
            background: None,
            moderation: None,
            partial_images: None,
            image: None,
            seed: None,
            sequential_image_generation: None,
            sequential_image_generation_options: None,
            guidance_scale: None,
            watermark: None,
            optimize_prompt_options: None,
        }
    }

    /// Sets the model id.
    ///
    /// Defaults to unset (the server's default model).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the number of images.
    ///
    /// Defaults to unset (the server's default, one image).
    pub fn n(mut self, n: u32) -> Self {
        self.n = Some(n);
        self
    }

    /// Sets the size, e.g. `1024x1024`.
    ///
    /// Defaults to unset (the model's default).
    pub fn size(mut self, size: impl Into<String>) -> Self {
        self.size = Some(size.into());
        self
    }

    /// Sets the quality tier.
    ///
    /// Defaults to unset (the model's default).
    pub fn quality(mut self, quality: impl Into<String>) -> Self {
        self.quality = Some(quality.into());
        self
    }

    /// Sets `url` or `b64_json`. Either way, [`ImageData::bytes`] decodes inline images.
    ///
    /// Defaults to unset (the model's default).
    pub fn response_format(mut self, response_format: impl Into<String>) -> Self {
        self.response_format = Some(response_format.into());
        self
    }

    /// Sets the file format: `png`, `jpeg` or `webp`.
    ///
    /// Defaults to unset (the model's default).
    pub fn output_format(mut self, output_format: impl Into<String>) -> Self {
        self.output_format = Some(output_format.into());
        self
    }

    /// Sets the aspect ratio, e.g. `16:9`.
    ///
    /// Defaults to unset (the model's default).
    pub fn aspect_ratio(mut self, aspect_ratio: impl Into<String>) -> Self {
        self.aspect_ratio = Some(aspect_ratio.into());
        self
    }

    /// Sets the resolution, e.g. `2K`.
    ///
    /// Defaults to unset (the model's default).
    pub fn resolution(mut self, resolution: impl Into<String>) -> Self {
        self.resolution = Some(resolution.into());
        self
    }

    /// Sets the compression level (0..=100) of `jpeg` and `webp` output.
    ///
    /// Defaults to unset (the model's default).
    pub fn output_compression(mut self, output_compression: u8) -> Self {
        self.output_compression = Some(output_compression);
        self
    }

    /// Sets the background: `transparent`, `opaque` or `auto`.
    ///
    /// Defaults to unset (the model's default).
    pub fn background(mut self, background: impl Into<String>) -> Self {
        self.background = Some(background.into());
        self
    }

    /// Sets the provider moderation strictness: `low` or `auto`.
    ///
    /// Defaults to unset (the provider's default).
    pub fn moderation(mut self, moderation: impl Into<String>) -> Self {
        self.moderation = Some(moderation.into());
        self
    }

    /// Sets how many partial images (0..=3) a stream sends.
    ///
    /// Defaults to unset (the model's default).
    pub fn partial_images(mut self, partial_images: u8) -> Self {
        self.partial_images = Some(partial_images);
        self
    }

    /// Sets the reference image(s): a string or a `Vec` of strings (data URLs or base64).
    ///
    /// Defaults to unset (no reference image).
    pub fn image(mut self, image: impl Into<ImageInput>) -> Self {
        self.image = Some(image.into());
        self
    }

    /// Sets the seed (-1: random).
    ///
    /// Defaults to unset (random).
    pub fn seed(mut self, seed: i64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Sets `auto` or `disabled` for sequential image generation.
    ///
    /// Defaults to unset (the model's default).
    pub fn sequential_image_generation(mut self, mode: impl Into<String>) -> Self {
        self.sequential_image_generation = Some(mode.into());
        self
    }

    /// Sets the options of sequential image generation.
    ///
    /// Defaults to unset (the model's default).
    pub fn sequential_image_generation_options(mut self, options: Value) -> Self {
        self.sequential_image_generation_options = Some(options);
        self
    }

    /// Sets how closely to follow the prompt (1..=10).
    ///
    /// Defaults to unset (the model's default).
    pub fn guidance_scale(mut self, guidance_scale: f64) -> Self {
        self.guidance_scale = Some(guidance_scale);
        self
    }

    /// Sets whether the provider adds a watermark.
    ///
    /// Defaults to unset (the provider's default).
    pub fn watermark(mut self, watermark: bool) -> Self {
        self.watermark = Some(watermark);
        self
    }

    /// Sets the prompt-optimisation options.
    ///
    /// Defaults to unset (the model's default).
    pub fn optimize_prompt_options(mut self, options: Value) -> Self {
        self.optimize_prompt_options = Some(options);
        self
    }
}

/// The `image` field of [`GenerateImageParams`]: one reference image or several.
///
/// ```
/// use meshapi::types::images::ImageInput;
/// use serde_json::json;
///
/// assert_eq!(serde_json::to_value(ImageInput::from("aGk="))?, json!("aGk="));
/// assert_eq!(serde_json::to_value(ImageInput::from(vec!["a", "b"]))?, json!(["a", "b"]));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ImageInput {
    /// One image.
    One(String),
    /// Several images.
    Many(Vec<String>),
}

impl From<&str> for ImageInput {
    fn from(image: &str) -> Self {
        ImageInput::One(image.to_owned())
    }
}

impl From<String> for ImageInput {
    fn from(image: String) -> Self {
        ImageInput::One(image)
    }
}

impl From<Vec<String>> for ImageInput {
    fn from(images: Vec<String>) -> Self {
        ImageInput::Many(images)
    }
}

impl From<Vec<&str>> for ImageInput {
    fn from(images: Vec<&str>) -> Self {
        ImageInput::Many(images.into_iter().map(str::to_owned).collect())
    }
}

/// The body of an image edit request (JSON mode: images travel inline as base64).
///
/// `image`, `mask` and `reference_images` must be `data:` URLs or bare base64: the server
/// refuses remote http(s) URLs, so [`Images::edit`](crate::resources::images::Images::edit)
/// refuses them before sending. Python's SDK always sends `"prompt": ""` and
/// `"operation": "edit"`; this one omits both unless set, which the server reads the same way.
///
/// ```
/// use meshapi::types::images::{EditImageParams, ImageRef};
/// use serde_json::json;
///
/// let png = [0x89, b'P', b'N', b'G'];
/// let params = EditImageParams::new("openai/gpt-image-1", ImageRef::from_bytes("image/png", &png))
///     .prompt("Make the sky purple")
///     .mask(ImageRef::url("data:image/png;base64,iVBORw0KGgo="));
/// assert_eq!(
///     serde_json::to_value(&params)?,
///     json!({
///         "model": "openai/gpt-image-1",
///         "image": "data:image/png;base64,iVBORw==",
///         "prompt": "Make the sky purple",
///         "mask": {"url": "data:image/png;base64,iVBORw0KGgo="},
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct EditImageParams {
    /// Model id such as `openai/gpt-image-1`.
    pub model: String,
    /// The image to edit.
    pub image: ImageRef,
    /// What to change; the server requires it for `edit`, `outpaint` and `mix`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// `edit`, `inpaint`, `outpaint`, `mix`, `reframe`, `upscale` or `remove_background`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Mask of the area to change (transparent pixels are edited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask: Option<ImageRef>,
    /// Further images to draw from (`mix`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_images: Option<Vec<ImageRef>>,
    /// Number of images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// Size such as `1024x1024`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// `transparent`, `opaque` or `auto`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// Upscale factor such as `2` or `4` (`upscale`), as a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upscale_factor: Option<String>,
    /// Provider quality tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality_tier: Option<String>,
    /// Aspect ratio such as `16:9` (`reframe`, `outpaint`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<String>,
    /// Resolution such as `2K`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// `url` or `b64_json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    /// How far to extend the canvas (`outpaint`): a number or a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expand_factor: Option<ExpandFactor>,
    /// Feathering of the mask edge, in pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask_feather: Option<u32>,
}

impl EditImageParams {
    /// An edit of `image` with `model`; everything else unset.
    pub fn new(model: impl Into<String>, image: impl Into<ImageRef>) -> Self {
        Self {
            model: model.into(),
            image: image.into(),
            prompt: None,
            operation: None,
            mask: None,
            reference_images: None,
            n: None,
            size: None,
            background: None,
            upscale_factor: None,
            quality_tier: None,
            aspect_ratio: None,
            resolution: None,
            response_format: None,
            expand_factor: None,
            mask_feather: None,
        }
    }

    /// Sets what to change.
    ///
    /// Defaults to unset (Python sends `""`; the server reads both the same way).
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = Some(prompt.into());
        self
    }

    /// Sets the operation: `edit`, `inpaint`, `outpaint`, `mix`, `reframe`, `upscale` or
    /// `remove_background`.
    ///
    /// Defaults to unset (the server's default, `edit`).
    pub fn operation(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }

    /// Sets the mask.
    ///
    /// Defaults to unset (no mask).
    pub fn mask(mut self, mask: impl Into<ImageRef>) -> Self {
        self.mask = Some(mask.into());
        self
    }

    /// Sets the reference images.
    ///
    /// Defaults to unset (none).
    pub fn reference_images(
        mut self,
        images: impl IntoIterator<Item = impl Into<ImageRef>>,
    ) -> Self {
        self.reference_images = Some(images.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the number of images.
    ///
    /// Defaults to unset (the server's default, one image).
    pub fn n(mut self, n: u32) -> Self {
        self.n = Some(n);
        self
    }

    /// Sets the size, e.g. `1024x1024`.
    ///
    /// Defaults to unset (the model's default).
    pub fn size(mut self, size: impl Into<String>) -> Self {
        self.size = Some(size.into());
        self
    }

    /// Sets the background: `transparent`, `opaque` or `auto`.
    ///
    /// Defaults to unset (the model's default).
    pub fn background(mut self, background: impl Into<String>) -> Self {
        self.background = Some(background.into());
        self
    }

    /// Sets the upscale factor, e.g. `"2"`.
    ///
    /// Defaults to unset (the model's default).
    pub fn upscale_factor(mut self, upscale_factor: impl Into<String>) -> Self {
        self.upscale_factor = Some(upscale_factor.into());
        self
    }

    /// Sets the provider quality tier.
    ///
    /// Defaults to unset (the provider's default).
    pub fn quality_tier(mut self, quality_tier: impl Into<String>) -> Self {
        self.quality_tier = Some(quality_tier.into());
        self
    }

    /// Sets the aspect ratio, e.g. `16:9`.
    ///
    /// Defaults to unset (the input's aspect ratio).
    pub fn aspect_ratio(mut self, aspect_ratio: impl Into<String>) -> Self {
        self.aspect_ratio = Some(aspect_ratio.into());
        self
    }

    /// Sets the resolution, e.g. `2K`.
    ///
    /// Defaults to unset (the model's default).
    pub fn resolution(mut self, resolution: impl Into<String>) -> Self {
        self.resolution = Some(resolution.into());
        self
    }

    /// Sets `url` or `b64_json`.
    ///
    /// Defaults to unset (the model's default).
    pub fn response_format(mut self, response_format: impl Into<String>) -> Self {
        self.response_format = Some(response_format.into());
        self
    }

    /// Sets how far to extend the canvas: a number (`1.5`) or a string (`"1.5"`).
    ///
    /// Defaults to unset (the model's default).
    pub fn expand_factor(mut self, expand_factor: impl Into<ExpandFactor>) -> Self {
        self.expand_factor = Some(expand_factor.into());
        self
    }

    /// Sets the feathering of the mask edge, in pixels.
    ///
    /// Defaults to unset (the model's default).
    pub fn mask_feather(mut self, mask_feather: u32) -> Self {
        self.mask_feather = Some(mask_feather);
        self
    }

    /// The first image (`image`, `mask`, then `reference_images`) given as a remote http(s)
    /// URL, which the server would refuse.
    pub(crate) fn remote_image(&self) -> Option<(&'static str, &str)> {
        let refs = std::iter::once(("image", &self.image))
            .chain(self.mask.iter().map(|mask| ("mask", mask)))
            .chain(
                self.reference_images
                    .iter()
                    .flatten()
                    .map(|image| ("reference_images", image)),
            );
        refs.map(|(field, image)| (field, image.as_str()))
            .find(|(_, location)| is_remote(location))
    }
}

/// An image of an edit: a `data:` URL or bare base64 as a string, or `{"url": …}`.
///
/// ```
/// use meshapi::types::images::ImageRef;
/// use serde_json::json;
///
/// let inline = ImageRef::from_bytes("image/png", b"\x89PNG");
/// assert_eq!(inline, ImageRef::from("data:image/png;base64,iVBORw=="));
/// assert_eq!(
///     serde_json::to_value(ImageRef::url("data:image/png;base64,iVBORw=="))?,
///     json!({"url": "data:image/png;base64,iVBORw=="}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ImageRef {
    /// A `data:image/<fmt>;base64,…` URL or bare base64, sent as a string.
    Data(String),
    /// `{"url": …}`, where the URL is a `data:` URL.
    Url {
        /// The `data:` URL.
        url: String,
    },
}

impl ImageRef {
    /// `data:<content_type>;base64,<bytes>`, sent as a string.
    pub fn from_bytes(content_type: &str, bytes: &[u8]) -> Self {
        ImageRef::Data(format!(
            "data:{content_type};base64,{}",
            crate::base64::encode(bytes)
        ))
    }

    /// `{"url": url}`.
    pub fn url(url: impl Into<String>) -> Self {
        ImageRef::Url { url: url.into() }
    }

    /// The string or the URL.
    pub fn as_str(&self) -> &str {
        match self {
            ImageRef::Data(data) => data,
            ImageRef::Url { url } => url,
        }
    }
}

impl From<&str> for ImageRef {
    fn from(data: &str) -> Self {
        ImageRef::Data(data.to_owned())
    }
}

impl From<String> for ImageRef {
    fn from(data: String) -> Self {
        ImageRef::Data(data)
    }
}

/// The `expand_factor` of an [`EditImageParams`]: a number or a string.
///
/// ```
/// use meshapi::types::images::ExpandFactor;
///
/// assert_eq!(serde_json::to_string(&ExpandFactor::from(1.5))?, "1.5");
/// assert_eq!(serde_json::to_string(&ExpandFactor::from("2x"))?, r#""2x""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ExpandFactor {
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
}

impl From<f64> for ExpandFactor {
    fn from(factor: f64) -> Self {
        ExpandFactor::Number(factor)
    }
}

impl From<&str> for ExpandFactor {
    fn from(factor: &str) -> Self {
        ExpandFactor::Text(factor.to_owned())
    }
}

impl From<String> for ExpandFactor {
    fn from(factor: String) -> Self {
        ExpandFactor::Text(factor)
    }
}

/// The reply to an image generation or edit.
///
/// ```
/// use meshapi::types::images::ImagesResponse;
///
/// let reply: ImagesResponse = serde_json::from_str(r#"{
///     "created": 1712345678,
///     "data": [{"b64_json": "iVBORw0KGgo=", "revised_prompt": "A lighthouse at dawn"}],
///     "output_format": "png", "size": "1024x1024",
///     "usage": {"prompt_tokens": 9, "completion_tokens": 272, "total_tokens": 281}
/// }"#)?;
/// assert_eq!(reply.data[0].bytes()?, b"\x89PNG\r\n\x1a\n");
/// assert_eq!(reply.usage.map(|u| u.total_tokens), Some(281));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImagesResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Creation time, Unix seconds.
    pub created: u64,
    /// The images.
    pub data: Vec<ImageData>,
    /// The background used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// The file format: `png`, `jpeg` or `webp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
    /// The quality used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    /// The size used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Token counts, for token-billed models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<ImagesUsage>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Token counts of an image request.
///
/// ```
/// use meshapi::types::images::ImagesUsage;
///
/// let usage: ImagesUsage = serde_json::from_str(
///     r#"{"prompt_tokens": 9, "completion_tokens": 272, "total_tokens": 281,
///         "input_tokens_details": {"text_tokens": 9, "image_tokens": 0}}"#,
/// )?;
/// assert_eq!(usage.completion_tokens, 272);
/// assert!(usage.input_tokens_details.is_some());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImagesUsage {
    /// Tokens in the prompt (text and input images).
    pub prompt_tokens: u64,
    /// Tokens of the generated images.
    pub completion_tokens: u64,
    /// `prompt_tokens + completion_tokens`.
    pub total_tokens: u64,
    /// Breakdown of the input tokens, e.g. `{"text_tokens": 9, "image_tokens": 0}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens_details: Option<Value>,
    /// Breakdown of the output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_details: Option<Value>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One image of an [`ImagesResponse`] or an [`ImageStreamChunk`]: a `url` (remote, or an inline
/// `data:` URL with some models) or `b64_json`.
///
/// ```
/// use meshapi::types::images::ImageData;
///
/// let inline: ImageData = serde_json::from_str(r#"{"url": "data:image/png;base64,iVBORw=="}"#)?;
/// assert_eq!(inline.bytes()?, b"\x89PNG");
///
/// let remote: ImageData = serde_json::from_str(r#"{"url": "https://cdn.example.com/a.png"}"#)?;
/// assert!(remote.bytes().is_err()); // fetch remote URLs yourself
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageData {
    /// Where the image is: a remote URL, or a `data:image/…;base64,` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The image file, base64-encoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b64_json: Option<String>,
    /// The prompt the model actually used, when it rewrote yours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_prompt: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ImageData {
    /// The image file's bytes, decoded from `b64_json` or from an inline
    /// `data:…;base64,` `url`.
    ///
    /// Makes no request. A remote http(s) `url` is refused with
    /// [`ErrorCode::InvalidConfig`] (download it with the HTTP client of your choice), as is an
    /// image with neither field; invalid base64 is an [`ErrorCode::ParseError`].
    ///
    /// ```
    /// use meshapi::types::images::ImageData;
    ///
    /// let image: ImageData = serde_json::from_str(r#"{"b64_json": "iVBORw=="}"#)?;
    /// std::fs::write(std::env::temp_dir().join("meshapi-doc.png"), image.bytes()?)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bytes(&self) -> Result<Vec<u8>, MeshApiError> {
        if let Some(b64) = &self.b64_json {
            return decode_image("b64_json", b64);
        }
        let Some(url) = &self.url else {
            return Err(MeshApiError::config(
                "the image has neither `b64_json` nor `url`",
            ));
        };
        if is_remote(url) {
            return Err(MeshApiError::config(format!(
                "the image is at a remote URL ({}); download it yourself",
                crate::error::snippet(url.as_bytes())
            )));
        }
        let payload = url
            .get(..5)
            .filter(|scheme| scheme.eq_ignore_ascii_case("data:"))
            .and_then(|_| url.split_once(','))
            .filter(|(header, _)| header.to_ascii_lowercase().ends_with(";base64"))
            .map(|(_, payload)| payload);
        match payload {
            Some(payload) => decode_image("url", payload),
            None => Err(MeshApiError::new(
                ErrorCode::ParseError,
                format!(
                    "the image url is neither http(s) nor a base64 data URL: {}",
                    crate::error::snippet(url.as_bytes())
                ),
            )),
        }
    }
}

fn decode_image(field: &str, text: &str) -> Result<Vec<u8>, MeshApiError> {
    crate::base64::decode(text).map_err(|e| {
        MeshApiError::new(
            ErrorCode::ParseError,
            format!("the image's `{field}` is not valid base64: {e}"),
        )
    })
}

/// Whether `location` is a remote http(s) URL rather than inline image data.
fn is_remote(location: &str) -> bool {
    let start = location.trim_start();
    ["http://", "https://"].iter().any(|scheme| {
        start
            .get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    })
}

/// One event of an image stream.
///
/// The gateway streams by keep-alive: while the image is being made it sends chunks with
/// `status: "processing"` and no `data` (see [`is_keep_alive`](Self::is_keep_alive)); they are
/// delivered as items like any other. The image(s) arrive in a later chunk's `data`.
///
/// ```
/// use meshapi::types::images::ImageStreamChunk;
///
/// let waiting: ImageStreamChunk =
///     serde_json::from_str(r#"{"created": 1712345678, "status": "processing"}"#)?;
/// assert!(waiting.is_keep_alive());
/// assert_eq!(waiting.object, "image.chunk");
/// assert!(waiting.data.is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageStreamChunk {
    /// Chunk id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `image.chunk` (also when the server leaves it out).
    #[serde(default = "image_chunk")]
    pub object: String,
    /// Creation time, Unix seconds.
    pub created: u64,
    /// The model generating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// `processing` on keep-alives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Images carried by this chunk (empty on keep-alives).
    #[serde(default)]
    pub data: Vec<ImageData>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ImageStreamChunk {
    /// Whether this is a keep-alive: `status: "processing"` and no images.
    pub fn is_keep_alive(&self) -> bool {
        self.status.as_deref() == Some("processing") && self.data.is_empty()
    }
}

fn image_chunk() -> String {
    "image.chunk".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn image(value: Value) -> ImageData {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn bytes_decodes_b64_json_first_then_data_urls() {
        assert_eq!(image(json!({"b64_json": "aGk="})).bytes().unwrap(), b"hi");
        assert_eq!(
            image(json!({"b64_json": "aGk=", "url": "https://x/y.png"}))
                .bytes()
                .unwrap(),
            b"hi"
        );
        for url in [
            "data:image/png;base64,aGk=",
            "DATA:image/webp;BASE64,aGk=",
            "data:;base64,aGk",
        ] {
            assert_eq!(
                image(json!({ "url": url })).bytes().unwrap(),
                b"hi",
                "{url}"
            );
        }
    }

    #[test]
    fn bytes_refuses_remote_missing_and_broken_images() {
        for url in ["https://cdn/x.png", "HTTP://cdn/x.png", " http://x"] {
            let err = image(json!({ "url": url })).bytes().unwrap_err();
            assert_eq!(err.code(), &ErrorCode::InvalidConfig, "{url}");
            assert!(err.message().contains("remote URL"));
        }
        let err = image(json!({})).bytes().unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
        for broken in [
            json!({"b64_json": "!!"}),
            json!({"url": "data:image/png;base64,%%%"}),
            json!({"url": "data:image/svg+xml,<svg/>"}),
            json!({"url": "data:"}),
            json!({"url": "ftp://x"}),
            json!({"url": "é"}),
        ] {
            let err = image(broken.clone()).bytes().unwrap_err();
            assert_eq!(err.code(), &ErrorCode::ParseError, "{broken}");
        }
    }

    #[test]
    fn remote_images_are_found_in_every_image_field() {
        let inline = "data:image/png;base64,aGk=";
        let ok = EditImageParams::new("m", inline)
            .mask(ImageRef::url(inline))
            .reference_images([inline, "aGk="]);
        assert_eq!(ok.remote_image(), None);
        assert_eq!(
            EditImageParams::new("m", ImageRef::url("HTTPS://x/a.png")).remote_image(),
            Some(("image", "HTTPS://x/a.png"))
        );
        assert_eq!(
            ok.clone().mask("http://x/m.png").remote_image(),
            Some(("mask", "http://x/m.png"))
        );
        assert_eq!(
            ok.reference_images([ImageRef::from(inline), ImageRef::url("https://x/r")])
                .remote_image(),
            Some(("reference_images", "https://x/r"))
        );
    }

    #[test]
    fn edit_params_serialize_every_field() {
        let params = EditImageParams::new("m", "aGk=")
            .prompt("p")
            .operation("outpaint")
            .n(2)
            .size("1024x1024")
            .background("opaque")
            .upscale_factor("2")
            .quality_tier("pro")
            .aspect_ratio("16:9")
            .resolution("2K")
            .response_format("b64_json")
            .expand_factor(1.5)
            .mask_feather(4);
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({
                "model": "m", "image": "aGk=", "prompt": "p", "operation": "outpaint", "n": 2,
                "size": "1024x1024", "background": "opaque", "upscale_factor": "2",
                "quality_tier": "pro", "aspect_ratio": "16:9", "resolution": "2K",
                "response_format": "b64_json", "expand_factor": 1.5, "mask_feather": 4,
            })
        );
    }

    #[test]
    fn stream_chunks_keep_unknown_fields_and_default_their_object() {
        let chunk: ImageStreamChunk = serde_json::from_value(json!({
            "created": 1, "status": "completed", "data": [{"b64_json": "aGk="}], "progress": 1.0
        }))
        .unwrap();
        assert!(!chunk.is_keep_alive());
        assert_eq!(chunk.object, "image.chunk");
        assert_eq!(chunk.extra["progress"], 1.0);
        assert_eq!(chunk.data[0].bytes().unwrap(), b"hi");
    }
}
