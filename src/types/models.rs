//! Request and response types of the model catalogue (`/v1/models`).
//!
//! - [`ModelInfo`] (with its [`ModelPricing`]) is one catalogue entry; `list`, `free` and `paid`
//!   answer a JSON array of them (bare, as MeshAPI sends it, or in OpenAI's
//!   `{"object": "list", "data": [..]}` wrapper), `get` one of them.
//! - [`ListModelsParams`] filters `list`; [`SearchModelsParams`] drives `search`, which answers
//!   a [`ModelsPage`].
//! - [`ModelProviders`] lists the routes that can serve a model, each a [`ModelProvider`] with
//!   its video-input flags.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Filters for `GET /v1/models`, sent as query parameters; unset ones are not sent.
///
/// ```
/// use meshapi::types::models::ListModelsParams;
///
/// let params = ListModelsParams::new().free(false).model_type("embedding").provider("openai");
/// assert_eq!(params.model_type.as_deref(), Some("embedding"));
/// assert_eq!(ListModelsParams::new(), ListModelsParams::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct ListModelsParams {
    /// `free`: only free (`true`) or only paid (`false`) models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free: Option<bool>,
    /// `type`: `text`, `embedding`, `image`, `audio` or `video`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub model_type: Option<String>,
    /// `provider`: the serving provider, e.g. `openai`, `amazon-bedrock`, `vertex`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

impl ListModelsParams {
    /// No filter: the whole catalogue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps only free (`true`) or only paid (`false`) models.
    ///
    /// Defaults to unset (both).
    pub fn free(mut self, free: bool) -> Self {
        self.free = Some(free);
        self
    }

    /// Keeps only models of this type (`text`, `embedding`, `image`, `audio`, `video`); sent as
    /// the `type` query parameter.
    ///
    /// Defaults to unset (every type).
    pub fn model_type(mut self, model_type: impl Into<String>) -> Self {
        self.model_type = Some(model_type.into());
        self
    }

    /// Keeps only models served by this provider (e.g. `openai`, `vertex`).
    ///
    /// Defaults to unset (every provider).
    pub fn provider(mut self, provider: impl Into<String>) -> Self {
        self.provider = Some(provider.into());
        self
    }
}

/// Query of `GET /v1/models/search`, a catalogue-only search (no inference cost); unset
/// parameters are not sent and lists go out as repeated keys (`brand=a&brand=b`).
///
/// ```
/// use meshapi::types::models::SearchModelsParams;
///
/// let params = SearchModelsParams::new()
///     .q("llama")
///     .free(true)
///     .input_modality(["text", "image"])
///     .brand(["meta-llama"])
///     .sort("context_length")
///     .order("desc")
///     .limit(10);
/// assert_eq!(params.brand, Some(vec!["meta-llama".to_string()]));
/// assert_eq!(params.offset, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct SearchModelsParams {
    /// `q`: text matched loosely against model id, name and brand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// `free`: only free (`true`) or only paid (`false`) models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free: Option<bool>,
    /// `discounted`: only models with (`true`) or without (`false`) a current discount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discounted: Option<bool>,
    /// `input_modality` (repeated): input modalities, e.g. `text`, `image`, `audio`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_modality: Option<Vec<String>>,
    /// `output_modality` (repeated): output modalities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_modality: Option<Vec<String>>,
    /// `brand` (repeated): model brands, e.g. `openai`, `meta-llama`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<Vec<String>>,
    /// `sort`: `brand`, `name`, `id`, `context_length`, or `price` (which needs exactly one
    /// priceable `output_modality`: `text`, `image` or `video`; else `invalid_search_parameter`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// `order`: `asc` or `desc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// `limit`: page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `offset`: how many matches to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl SearchModelsParams {
    /// Everything unset: the first page of the whole catalogue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the search text, matched loosely against id, name and brand.
    ///
    /// Defaults to unset (every model).
    pub fn q(mut self, q: impl Into<String>) -> Self {
        self.q = Some(q.into());
        self
    }

    /// Keeps only free (`true`) or only paid (`false`) models.
    ///
    /// Defaults to unset (both).
    pub fn free(mut self, free: bool) -> Self {
        self.free = Some(free);
        self
    }

    /// Keeps only models with (`true`) or without (`false`) a current discount.
    ///
    /// Defaults to unset (both).
    pub fn discounted(mut self, discounted: bool) -> Self {
        self.discounted = Some(discounted);
        self
    }

    /// Sets the input modalities to match (replacing any set before).
    ///
    /// Defaults to unset (any).
    pub fn input_modality(
        mut self,
        modalities: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.input_modality = Some(modalities.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the output modalities to match (replacing any set before).
    ///
    /// Defaults to unset (any).
    pub fn output_modality(
        mut self,
        modalities: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.output_modality = Some(modalities.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the brands to match (replacing any set before).
    ///
    /// Defaults to unset (every brand).
    pub fn brand(mut self, brands: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.brand = Some(brands.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the sort key: `brand`, `name`, `id`, `context_length` or `price` (with exactly one
    /// priceable output modality).
    ///
    /// Defaults to unset (the server's order).
    pub fn sort(mut self, sort: impl Into<String>) -> Self {
        self.sort = Some(sort.into());
        self
    }

    /// Sets the sort direction: `asc` or `desc`.
    ///
    /// Defaults to unset (the server's default).
    pub fn order(mut self, order: impl Into<String>) -> Self {
        self.order = Some(order.into());
        self
    }

    /// Sets the page size.
    ///
    /// Defaults to unset (the server's default page size).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets how many matches to skip; `paginate_search` starts here.
    ///
    /// Defaults to unset (the start, 0).
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }
}

/// One page of `GET /v1/models/search`.
///
/// ```
/// use meshapi::types::models::ModelsPage;
///
/// let page: ModelsPage = serde_json::from_str(r#"{
///     "items": [{"id": "openai/gpt-4o-mini", "name": "GPT-4o Mini", "is_free": false}],
///     "total": 41, "limit": 1, "offset": 0, "brands": ["openai"]
/// }"#)?;
/// assert_eq!(page.items[0].id, "openai/gpt-4o-mini");
/// assert_eq!((page.total, page.limit, page.offset), (41, 1, 0));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelsPage {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The models of this page.
    #[serde(default)]
    pub items: Vec<ModelInfo>,
    /// How many models match the search in all.
    pub total: u64,
    /// The page size (echoes the requested `limit`).
    pub limit: u64,
    /// How many matches were skipped before this page.
    pub offset: u64,
    /// The brands among the matches (a facet for filtering).
    #[serde(default)]
    pub brands: Vec<String>,
    /// The values each filter may take (for `sort=price`, the priceable output modalities),
    /// as the gateway sends them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facets: Option<Value>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One model of the catalogue (`GET /v1/models`, `/v1/models/{model_id}`, …).
///
/// Only `id` is required, so the minimal model object of other OpenAI-compatible servers
/// decodes too; its `object`, `created` and `owned_by` land in [`extra`](Self::extra).
/// Capability flags are `Option<bool>`: `None` means the catalogue did not say, which is not
/// the same as `false`.
///
/// ```
/// use meshapi::types::models::ModelInfo;
///
/// let model: ModelInfo = serde_json::from_str(r#"{
///     "id": "meta-llama/llama-3.3-70b-instruct:free",
///     "name": "Llama 3.3 70B Instruct (free)",
///     "is_free": true,
///     "context_length": 131072,
///     "pricing": {"prompt_usd_per_1k": "0", "completion_usd_per_1k": "0"},
///     "supports_tools": true,
///     "brand_new_flag": 1
/// }"#)?;
/// assert_eq!(model.is_free, Some(true));
/// assert_eq!(model.pricing.as_ref().unwrap().prompt_usd_per_1k.as_deref(), Some("0"));
/// assert_eq!(model.supports_tools, Some(true));
/// assert_eq!(model.supports_thinking, None);
/// assert!(model.supports_system_prompt_or_default());
/// assert_eq!(model.extra["brand_new_flag"], 1);
///
/// let openai: ModelInfo = serde_json::from_str(
///     r#"{"id": "gpt-4o", "object": "model", "created": 1686935002, "owned_by": "openai"}"#,
/// )?;
/// assert_eq!((openai.name, openai.is_free), (None, None));
/// assert_eq!(openai.extra["owned_by"], "openai");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelInfo {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// `brand/model[:variant]`, e.g. `meta-llama/llama-3.3-70b-instruct:free`.
    pub id: String,
    /// Display name; MeshAPI always sends one, other OpenAI-compatible servers usually do not
    /// (`None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the model costs nothing to use; MeshAPI always says, other OpenAI-compatible
    /// servers usually do not (`None`, which is not the same as `Some(false)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_free: Option<bool>,
    /// Context length in tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_length: Option<u64>,
    /// Prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<ModelPricing>,
    /// Description; may be null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `text`, `embedding`, `image`, `audio` or `video` (the vocabulary of the list filter
    /// `type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_type: Option<String>,
    /// Input modalities, e.g. `["text", "image"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_modalities: Option<Vec<String>>,
    /// Output modalities, e.g. `["text"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_modalities: Option<Vec<String>>,
    /// Brand (the part of the id before `/`), e.g. `meta-llama`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Serving provider, e.g. `openai`, `vertex`, `amazon-bedrock`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Whether the model can produce reasoning ("thinking") output. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_thinking: Option<bool>,
    /// Whether the model is served on `POST /v1/chat/completions`. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_completions_api: Option<bool>,
    /// Whether the model is served on `POST /v1/responses`. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_responses_api: Option<bool>,
    /// Whether the model is served on the realtime WebSocket. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_realtime: Option<bool>,
    /// Whether the model is served on `POST /v1/embeddings`. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_embeddings: Option<bool>,
    /// Whether the model can call tools (functions). `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_tools: Option<bool>,
    /// Whether the model honours a JSON-schema `response_format`. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_structured_output: Option<bool>,
    /// Whether the model can be used in batch jobs. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_batching: Option<bool>,
    /// Whether the model can run background (async) responses. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_background_response: Option<bool>,
    /// Whether the model generates video. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_generation: Option<bool>,
    /// Whether a video model takes a first-frame image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_first_frame: Option<bool>,
    /// Whether a video model takes a last-frame image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_last_frame: Option<bool>,
    /// Whether a video model takes reference images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_reference_image: Option<bool>,
    /// Whether a video model takes reference videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_reference_video: Option<bool>,
    /// Whether a video model takes reference audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_reference_audio: Option<bool>,
    /// Whether a video model takes a `negative_prompt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_negative_prompt: Option<bool>,
    /// Whether the model can be served on the flex service tier (a weaker signal than a
    /// flex price in [`pricing`](ModelInfo::pricing)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_flex: Option<bool>,
    /// Whether the model edits images. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_image_edit: Option<bool>,
    /// Whether the model inpaints images. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_image_inpaint: Option<bool>,
    /// Whether the model outpaints images. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_image_outpaint: Option<bool>,
    /// Whether the model mixes several images. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_image_mix: Option<bool>,
    /// Whether the model reframes images. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_image_reframe: Option<bool>,
    /// Whether the model upscales images. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_image_upscale: Option<bool>,
    /// Whether the model removes image backgrounds. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_image_remove_background: Option<bool>,
    /// Whether the model accepts reference images. `None` when the catalogue does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_image_reference: Option<bool>,
    /// Whether the model accepts a `system` message. Absent means **true** (the API's default);
    /// [`supports_system_prompt_or_default`](Self::supports_system_prompt_or_default) applies it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_system_prompt: Option<bool>,
    /// Context window in tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_window: Option<u64>,
    /// Prompt size in tokens above which the long-context prices apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_context_threshold: Option<u64>,
    /// Token budget of one realtime session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime_session_max_tokens: Option<u64>,
    /// How many realtime sessions one owner may hold at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime_max_concurrent_per_owner: Option<u64>,
    /// Whether the model is a composite of several models (absent means `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_composite: Option<bool>,
    /// The models a composite is made of; may be null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composite_models: Option<Vec<String>>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ModelInfo {
    /// Whether the model accepts a `system` message, with the API's default applied: an absent
    /// `supports_system_prompt` means `true`.
    ///
    /// ```
    /// use meshapi::types::models::ModelInfo;
    ///
    /// let absent: ModelInfo = serde_json::from_str(r#"{"id": "a/b", "name": "B", "is_free": false}"#)?;
    /// assert_eq!(absent.supports_system_prompt, None);
    /// assert!(absent.supports_system_prompt_or_default());
    ///
    /// let no: ModelInfo = serde_json::from_str(
    ///     r#"{"id": "a/o1", "name": "O1", "is_free": false, "supports_system_prompt": false}"#,
    /// )?;
    /// assert!(!no.supports_system_prompt_or_default());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn supports_system_prompt_or_default(&self) -> bool {
        self.supports_system_prompt.unwrap_or(true)
    }
}

/// Prices of a [`ModelInfo`]. Every price is a decimal string (e.g. `"0.000150"`), kept as
/// sent so that no precision is lost; parse it with a decimal crate if you compute with it.
/// `None` means absent or null.
///
/// A price the server sends as a JSON number is kept as its decimal text rather than failing
/// the whole catalogue.
///
/// ```
/// use meshapi::types::models::ModelPricing;
///
/// let pricing: ModelPricing = serde_json::from_str(r#"{
///     "prompt_usd_per_1k": "0.000150",
///     "completion_usd_per_1k": "0.000600",
///     "discount_pct": null,
///     "prompt_usd_per_1k_discounted": null
/// }"#)?;
/// assert_eq!(pricing.prompt_usd_per_1k.as_deref(), Some("0.000150"));
/// assert_eq!(pricing.discount_pct, None);
/// assert!(pricing.extra.contains_key("prompt_usd_per_1k_discounted")); // a legacy key
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelPricing {
    /// USD per 1,000 prompt tokens (one of the two core prices; may be null).
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub prompt_usd_per_1k: Option<String>,
    /// USD per 1,000 completion tokens (one of the two core prices; may be null).
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub completion_usd_per_1k: Option<String>,
    /// What `input_usd_per_unit` and `output_usd_per_unit` are counted in, e.g.
    /// `per_1m_tokens`, `per_second` or `per_1k_chars` (free text).
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub pricing_unit: Option<String>,
    /// USD per [`pricing_unit`](ModelPricing::pricing_unit) of input: for token models the same
    /// as `prompt_usd_per_1m`, for video, image and speech models the only price.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub input_usd_per_unit: Option<String>,
    /// USD per [`pricing_unit`](ModelPricing::pricing_unit) of output.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_usd_per_unit: Option<String>,
    /// USD per million input tokens on the flex service tier; present only where flex can be
    /// served, which is the signal to rely on (more than `supports_flex`).
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub flex_input_usd_per_1m: Option<String>,
    /// USD per million output tokens on the flex service tier. Other `flex_*` prices stay in
    /// `extra`.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub flex_output_usd_per_1m: Option<String>,
    /// USD per million prompt tokens.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub prompt_usd_per_1m: Option<String>,
    /// USD per million completion tokens.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub completion_usd_per_1m: Option<String>,
    /// USD per generated image.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_output_usd_per_image: Option<String>,
    /// USD per request, on top of any token price.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_usd: Option<String>,
    /// USD per million input tokens beyond the standard context threshold.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub long_context_input_usd_per_1m: Option<String>,
    /// USD per million output tokens beyond the standard context threshold.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub long_context_output_usd_per_1m: Option<String>,
    /// USD per million input tokens read from the prompt cache.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub cache_read_input_usd_per_1m: Option<String>,
    /// USD per million input tokens written to the prompt cache.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub cache_write_input_usd_per_1m: Option<String>,
    /// USD per million audio input tokens read from the prompt cache.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub cache_read_audio_input_usd_per_1m: Option<String>,
    /// USD per million long-context input tokens read from the prompt cache.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub long_context_cache_read_input_usd_per_1m: Option<String>,
    /// USD per million long-context input tokens written to the prompt cache.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub long_context_cache_write_input_usd_per_1m: Option<String>,
    /// USD per million input tokens in batch jobs.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub batch_input_usd_per_1m: Option<String>,
    /// USD per million output tokens in batch jobs.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub batch_output_usd_per_1m: Option<String>,
    /// USD per million training tokens (fine-tuning).
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub training_usd_per_1m: Option<String>,
    /// USD per million input tokens on a fine-tuned variant.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub fine_tuned_input_usd_per_1m: Option<String>,
    /// USD per million output tokens on a fine-tuned variant.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub fine_tuned_output_usd_per_1m: Option<String>,
    /// USD per million audio input tokens.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_input_usd_per_1m: Option<String>,
    /// USD per million audio output tokens.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_output_usd_per_1m: Option<String>,
    /// USD per million transcription tokens.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub transcription_usd_per_1m: Option<String>,
    /// USD per million cached audio input tokens.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub cached_audio_input_usd_per_1m: Option<String>,
    /// USD per million cached text input tokens.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub cached_text_input_usd_per_1m: Option<String>,
    /// USD per million tokens served from a cache hit.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub cache_hit_usd_per_1m: Option<String>,
    /// USD per million output tokens when the output includes audio.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_with_audio_usd_per_1m: Option<String>,
    /// USD per million output tokens when the output includes video.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_with_video_usd_per_1m: Option<String>,
    /// USD per input image.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_input_usd_per_image: Option<String>,
    /// The image size the per-image prices apply to, e.g. `1024x1024`.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_output_size: Option<String>,
    /// Date from which these prices apply.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_date: Option<String>,
    /// Date the model is (or was) deprecated.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub deprecated_date: Option<String>,
    /// Free-text notes on the pricing.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub notes: Option<String>,
    /// Where the provider publishes these prices.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_url: Option<String>,
    /// Current discount in percent, e.g. `"20"`; null when there is none.
    #[serde(
        default,
        deserialize_with = "decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount_pct: Option<String>,
    /// Fields this version of the crate does not know, kept as sent (older payloads carry
    /// `image_usd_per_image`, `prompt_usd_per_1k_discounted`, `completion_usd_per_1k_discounted`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `GET /v1/models/{model_id}/providers`: every route that can serve the model.
///
/// A model entry of the catalogue reports the capability flags of the route a request is most
/// likely to get; this lists them for each route, so it answers "does *any* route take a last
/// frame". The wrapper is not documented, so both a bare array of routes and an object holding
/// them under `providers` (or `data`) decode; the object's other fields are in
/// [`extra`](Self::extra). An object with neither key gives no routes and keeps all its fields
/// in `extra`.
///
/// ```
/// use meshapi::types::models::ModelProviders;
///
/// let routes: ModelProviders = serde_json::from_str(r#"{
///     "model_id": "bytedance/seedance-2-5",
///     "providers": [
///         {"provider": "byteplus", "supports_video_first_frame": true, "supports_video_last_frame": true},
///         {"provider": "fal", "supports_video_first_frame": true, "supports_video_last_frame": false}
///     ]
/// }"#)?;
/// let any_last_frame = routes.providers.iter().any(|r| r.supports_video_last_frame == Some(true));
/// assert!(any_last_frame);
/// assert_eq!(routes.providers[1].extra["provider"], "fal");
/// assert_eq!(routes.extra["model_id"], "bytedance/seedance-2-5");
///
/// let bare: ModelProviders = serde_json::from_str(r#"[{"supports_video_reference_audio": false}]"#)?;
/// assert_eq!(bare.providers[0].supports_video_reference_audio, Some(false));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ModelProviders {
    pub(crate) meta: crate::meta::Meta,
    /// The routes that can serve the model.
    pub providers: Vec<ModelProvider>,
    /// The wrapper's other fields, kept as sent.
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for ModelProviders {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (providers, extra) = super::shared::rows_and_rest(
            Value::deserialize(deserializer)?,
            &["providers", "data"],
        )?;
        Ok(ModelProviders {
            meta: crate::meta::Meta::default(),
            providers,
            extra,
        })
    }
}

impl Serialize for ModelProviders {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::shared::serialize_rows(serializer, "providers", &self.providers, &self.extra)
    }
}

/// One route that can serve a model, with the six video-input capability flags the reference
/// names for it; `None` means the route did not say, which is not the same as `false`.
///
/// Five flags are named for a video `content` role (`first_frame`, `last_frame`,
/// `reference_image`, `reference_video`, `reference_audio`) and one for the top-level
/// `negative_prompt` parameter. Everything else about the route (which provider it is, say) is
/// not documented and is in [`extra`](Self::extra), as sent.
///
/// ```
/// use meshapi::types::models::ModelProvider;
///
/// let route: ModelProvider = serde_json::from_str(
///     r#"{"provider": "byteplus", "supports_video_first_frame": true, "supports_video_negative_prompt": false}"#,
/// )?;
/// assert_eq!(route.supports_video_first_frame, Some(true));
/// assert_eq!(route.supports_video_negative_prompt, Some(false));
/// assert_eq!(route.supports_video_reference_video, None);
/// assert_eq!(route.extra["provider"], "byteplus");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelProvider {
    /// Whether the route takes an opening frame (`role: "first_frame"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_first_frame: Option<bool>,
    /// Whether the route takes a closing frame (`role: "last_frame"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_last_frame: Option<bool>,
    /// Whether the route takes reference images (`role: "reference_image"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_reference_image: Option<bool>,
    /// Whether the route takes a reference clip (`role: "reference_video"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_reference_video: Option<bool>,
    /// Whether the route takes reference audio (`role: "reference_audio"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_reference_audio: Option<bool>,
    /// Whether the route honours the top-level `negative_prompt` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_video_negative_prompt: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A list of models in either shape: a bare JSON array (MeshAPI) or OpenAI's
/// `{"object": "list", "data": [..]}` wrapper, whose other keys are ignored.
///
/// A visitor rather than an untagged enum: untagged buffers the whole body and, when an item
/// does not decode, reports only that no variant matched instead of the item's own error.
pub(crate) struct Listed<T>(pub(crate) Vec<T>);

impl<T: serde::de::DeserializeOwned> crate::meta::Answer for Listed<T> {}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Listed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped<T> {
            data: Vec<T>,
        }

        struct ListedVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListedVisitor<T> {
            type Value = Listed<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array, or an object with a `data` array")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Listed)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Wrapped::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|wrapped| Listed(wrapped.data))
            }
        }

        deserializer.deserialize_any(ListedVisitor(PhantomData))
    }
}

/// Reads a price: a decimal string as is, a JSON number as its decimal text, null as `None`.
fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct Decimal;

    impl<'de> Visitor<'de> for Decimal {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal string, a number or null")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(Decimal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_documented_price_decodes_and_legacy_keys_stay_in_extra() {
        let names = [
            "prompt_usd_per_1k",
            "completion_usd_per_1k",
            "pricing_unit",
            "prompt_usd_per_1m",
            "completion_usd_per_1m",
            "image_output_usd_per_image",
            "request_usd",
            "long_context_input_usd_per_1m",
            "long_context_output_usd_per_1m",
            "cache_read_input_usd_per_1m",
            "cache_write_input_usd_per_1m",
            "cache_read_audio_input_usd_per_1m",
            "long_context_cache_read_input_usd_per_1m",
            "long_context_cache_write_input_usd_per_1m",
            "batch_input_usd_per_1m",
            "batch_output_usd_per_1m",
            "training_usd_per_1m",
            "fine_tuned_input_usd_per_1m",
            "fine_tuned_output_usd_per_1m",
            "audio_input_usd_per_1m",
            "audio_output_usd_per_1m",
            "transcription_usd_per_1m",
            "cached_audio_input_usd_per_1m",
            "cached_text_input_usd_per_1m",
            "cache_hit_usd_per_1m",
            "output_with_audio_usd_per_1m",
            "output_with_video_usd_per_1m",
            "image_input_usd_per_image",
            "image_output_size",
            "effective_date",
            "deprecated_date",
            "notes",
            "source_url",
            "discount_pct",
        ];
        let mut body: Map<String, Value> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.to_string(), json!(format!("0.{i}"))))
            .collect();
        body.insert("image_usd_per_image".into(), Value::Null);
        let pricing: ModelPricing = serde_json::from_value(Value::Object(body.clone())).unwrap();
        // Everything known is a typed field: re-encoding gives the same object minus the
        // legacy key, which waits in `extra`.
        assert_eq!(pricing.extra.len(), 1);
        assert_eq!(serde_json::to_value(&pricing).unwrap(), Value::Object(body));
        assert_eq!(pricing.discount_pct.as_deref(), Some("0.33"));
    }

    #[test]
    fn prices_sent_as_numbers_or_null_do_not_fail_the_catalogue() {
        let pricing: ModelPricing = serde_json::from_value(json!({
            "prompt_usd_per_1k": 0.00015,
            "completion_usd_per_1k": 2,
            "request_usd": -1,
            "discount_pct": null,
        }))
        .unwrap();
        assert_eq!(pricing.prompt_usd_per_1k.as_deref(), Some("0.00015"));
        assert_eq!(pricing.completion_usd_per_1k.as_deref(), Some("2"));
        assert_eq!(pricing.request_usd.as_deref(), Some("-1"));
        assert_eq!(pricing.discount_pct, None);
        assert!(serde_json::from_value::<ModelPricing>(json!({"notes": true})).is_err());
    }

    #[test]
    fn model_info_needs_only_an_id() {
        let model: ModelInfo =
            serde_json::from_value(json!({"id": "a/b", "name": "B", "is_free": false})).unwrap();
        assert_eq!(model.name.as_deref(), Some("B"));
        assert_eq!(model.is_free, Some(false));
        assert_eq!(model.pricing, None);
        assert_eq!(model.supports_tools, None);
        assert!(model.extra.is_empty());
        assert_eq!(
            serde_json::to_value(&model).unwrap(),
            json!({"id": "a/b", "name": "B", "is_free": false})
        );
        let bare: ModelInfo = serde_json::from_value(json!({"id": "a/b"})).unwrap();
        assert_eq!((&bare.name, bare.is_free), (&None, None));
        assert_eq!(serde_json::to_value(&bare).unwrap(), json!({"id": "a/b"}));
        let err = serde_json::from_value::<ModelInfo>(json!({"name": "B"})).unwrap_err();
        assert_eq!(err.to_string(), "missing field `id`");
    }

    #[test]
    fn the_openai_model_object_decodes_keeping_its_own_fields() {
        let model: ModelInfo = serde_json::from_value(json!({
            "id": "gpt-4o", "object": "model", "created": 1686935002, "owned_by": "openai"
        }))
        .unwrap();
        assert_eq!(model.id, "gpt-4o");
        assert_eq!((model.name, model.is_free), (None, None));
        assert_eq!(
            Value::Object(model.extra),
            json!({"object": "model", "created": 1686935002, "owned_by": "openai"})
        );
    }

    fn listed(value: Value) -> Result<Vec<String>, serde_json::Error> {
        let Listed(models) = serde_json::from_value::<Listed<ModelInfo>>(value)?;
        Ok(models.into_iter().map(|m| m.id).collect())
    }

    #[test]
    fn listed_accepts_a_bare_array_and_the_openai_wrapper() {
        let models = json!([{"id": "a/1"}, {"id": "a/2", "name": "Two", "is_free": true}]);
        assert_eq!(listed(models.clone()).unwrap(), ["a/1", "a/2"]);
        assert_eq!(
            listed(json!({"object": "list", "data": models, "has_more": false})).unwrap(),
            ["a/1", "a/2"]
        );
        assert_eq!(listed(json!({"data": []})).unwrap(), Vec::<String>::new());
        assert_eq!(listed(json!([])).unwrap(), Vec::<String>::new());
        // from_str exercises serde_json's own sequence and map access, unlike from_value.
        let Listed(models) =
            serde_json::from_str::<Listed<ModelInfo>>(r#"{"object":"list","data":[{"id":"x"}]}"#)
                .unwrap();
        assert_eq!(models[0].id, "x");
    }

    #[test]
    fn listed_reports_the_items_own_error_and_other_shapes() {
        let err = listed(json!([{"id": "a/1"}, {"name": "no id"}])).unwrap_err();
        assert_eq!(err.to_string(), "missing field `id`");
        let err = listed(json!({"object": "list", "data": [{"id": 7}]})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: integer `7`, expected a string"
        );
        let err = listed(json!({"object": "list"})).unwrap_err();
        assert_eq!(err.to_string(), "missing field `data`");
        let err = listed(json!("models")).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid type: string "models", expected an array, or an object with a `data` array"#
        );
    }
}
