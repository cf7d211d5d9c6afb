//! Request and response types of `POST /v1/embeddings`.
//!
//! - Request: [`EmbeddingsParams`] with an [`EmbeddingInput`] (text, texts, token ids, or
//!   [`MultimodalInput`]s).
//! - Response: [`EmbeddingsResponse`], whose vectors are `Vec<f32>` whether the server sent a
//!   float array or, with [`EncodingFormat::Base64`], a base64 string of little-endian `f32`s.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of an embeddings request.
///
/// Every field left unset is omitted from the JSON body, so the server's default applies.
///
/// ```
/// use meshapi::types::embeddings::{EmbeddingsParams, EncodingFormat};
/// use serde_json::json;
///
/// let params = EmbeddingsParams::new(vec!["first text", "second text"])
///     .model("openai/text-embedding-3-small")
///     .dimensions(256)
///     .encoding_format(EncodingFormat::Base64);
/// assert_eq!(
///     serde_json::to_value(&params)?,
///     json!({
///         "input": ["first text", "second text"],
///         "model": "openai/text-embedding-3-small",
///         "dimensions": 256,
///         "encoding_format": "base64",
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct EmbeddingsParams {
    /// What to embed.
    pub input: EmbeddingInput,
    /// Embedding model id such as `openai/text-embedding-3-small`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Length of each returned vector (at least 1), for models that can shorten them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<u32>,
    /// How vectors travel on the wire; both decode to `Vec<f32>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_format: Option<EncodingFormat>,
    /// Provider-specific input type, e.g. `search_query` or `search_document`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_type: Option<String>,
    /// Provider routing: a provider name or [`ProviderPreferences`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<EmbeddingProvider>,
    /// End-user id (at most 256 characters), for the provider's abuse monitoring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Instructions for instruction-tuned embedding models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Sparse-embedding options, e.g. `{"format": "lexical"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sparse_embedding: Option<Value>,
}

impl EmbeddingsParams {
    /// A request embedding `input`; everything else unset.
    ///
    /// `input` is a `&str`, a `String`, a `Vec` of either, token ids (`Vec<u32>`), batches of
    /// token ids (`Vec<Vec<u32>>`) or [`MultimodalInput`]s.
    pub fn new(input: impl Into<EmbeddingInput>) -> Self {
        Self {
            input: input.into(),
            model: None,
            dimensions: None,
            encoding_format: None,
            input_type: None,
            provider: None,
            user: None,
            instructions: None,
            sparse_embedding: None,
        }
    }

    /// Sets the embedding model id.
    ///
    /// Defaults to unset (the server's default model).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the length of each returned vector.
    ///
    /// Defaults to unset (the model's native length).
    pub fn dimensions(mut self, dimensions: u32) -> Self {
        self.dimensions = Some(dimensions);
        self
    }

    /// Sets how vectors travel on the wire. [`EncodingFormat::Base64`] is about a quarter of the
    /// size of a float array; the decoded vectors are the same.
    ///
    /// Defaults to unset (the server sends float arrays).
    pub fn encoding_format(mut self, encoding_format: EncodingFormat) -> Self {
        self.encoding_format = Some(encoding_format);
        self
    }

    /// Sets the provider-specific input type.
    ///
    /// Defaults to unset (the provider's default).
    pub fn input_type(mut self, input_type: impl Into<String>) -> Self {
        self.input_type = Some(input_type.into());
        self
    }

    /// Sets provider routing: a provider name (`"openai"`) or [`ProviderPreferences`].
    ///
    /// Defaults to unset (the gateway's routing).
    pub fn provider(mut self, provider: impl Into<EmbeddingProvider>) -> Self {
        self.provider = Some(provider.into());
        self
    }

    /// Sets the end-user id.
    ///
    /// Defaults to unset (no user id).
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// Sets instructions for instruction-tuned embedding models.
    ///
    /// Defaults to unset (no instructions).
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = Some(instructions.into());
        self
    }

    /// Sets the sparse-embedding options, e.g. `json!({"format": "lexical"})`.
    ///
    /// Defaults to unset (dense vectors only).
    pub fn sparse_embedding(mut self, sparse_embedding: Value) -> Self {
        self.sparse_embedding = Some(sparse_embedding);
        self
    }
}

/// What to embed: the `input` field of [`EmbeddingsParams`].
///
/// Usually built through `From`: `"text"`, `String`, `vec!["a", "b"]`, `vec![1u32, 2]`,
/// `vec![vec![1u32], vec![2]]` or `vec![MultimodalInput::text("…")]`.
///
/// ```
/// use meshapi::types::embeddings::{EmbeddingInput, MultimodalInput};
/// use serde_json::json;
///
/// let tokens = EmbeddingInput::from(vec![9906u32, 1917]);
/// assert_eq!(serde_json::to_value(&tokens)?, json!([9906, 1917]));
///
/// let mixed = EmbeddingInput::from(vec![
///     MultimodalInput::text("a red bicycle"),
///     MultimodalInput::image_url("data:image/png;base64,iVBORw0KGgo="),
/// ]);
/// assert_eq!(
///     serde_json::to_value(&mixed)?,
///     json!([
///         {"type": "text", "text": "a red bicycle"},
///         {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
///     ]),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum EmbeddingInput {
    /// One text.
    Text(String),
    /// Several texts, one vector each.
    Texts(Vec<String>),
    /// One text as token ids.
    Tokens(Vec<u32>),
    /// Several texts as token ids, one vector each.
    TokenBatches(Vec<Vec<u32>>),
    /// Text, image and video items, for multimodal embedding models
    /// (e.g. `byteplus/doubao-embedding-vision`).
    Multimodal(Vec<MultimodalInput>),
}

impl From<&str> for EmbeddingInput {
    fn from(text: &str) -> Self {
        EmbeddingInput::Text(text.to_owned())
    }
}

impl From<String> for EmbeddingInput {
    fn from(text: String) -> Self {
        EmbeddingInput::Text(text)
    }
}

impl From<Vec<String>> for EmbeddingInput {
    fn from(texts: Vec<String>) -> Self {
        EmbeddingInput::Texts(texts)
    }
}

impl From<Vec<&str>> for EmbeddingInput {
    fn from(texts: Vec<&str>) -> Self {
        EmbeddingInput::Texts(texts.into_iter().map(str::to_owned).collect())
    }
}

impl From<&[&str]> for EmbeddingInput {
    fn from(texts: &[&str]) -> Self {
        EmbeddingInput::Texts(texts.iter().map(|&text| text.to_owned()).collect())
    }
}

impl From<Vec<u32>> for EmbeddingInput {
    fn from(tokens: Vec<u32>) -> Self {
        EmbeddingInput::Tokens(tokens)
    }
}

impl From<Vec<Vec<u32>>> for EmbeddingInput {
    fn from(batches: Vec<Vec<u32>>) -> Self {
        EmbeddingInput::TokenBatches(batches)
    }
}

impl From<Vec<MultimodalInput>> for EmbeddingInput {
    fn from(items: Vec<MultimodalInput>) -> Self {
        EmbeddingInput::Multimodal(items)
    }
}

/// One item of a multimodal [`EmbeddingInput`]: `{"type": "text" | "image_url" | "video_url", …}`.
///
/// ```
/// use meshapi::types::embeddings::MultimodalInput;
/// use serde_json::json;
///
/// let clip = MultimodalInput::video_url("https://example.com/clip.mp4");
/// assert_eq!(
///     serde_json::to_value(&clip)?,
///     json!({"type": "video_url", "video_url": {"url": "https://example.com/clip.mp4"}}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MultimodalInput {
    /// A text item.
    Text {
        /// The text.
        text: String,
    },
    /// An image item.
    ImageUrl {
        /// Where the image is: an http(s) URL or a `data:` URL.
        image_url: MediaUrl,
    },
    /// A video item.
    VideoUrl {
        /// Where the video is.
        video_url: MediaUrl,
    },
}

impl MultimodalInput {
    /// A text item.
    pub fn text(text: impl Into<String>) -> Self {
        MultimodalInput::Text { text: text.into() }
    }

    /// An image item at `url` (an http(s) URL or a `data:image/…;base64,` URL).
    pub fn image_url(url: impl Into<String>) -> Self {
        MultimodalInput::ImageUrl {
            image_url: MediaUrl::new(url),
        }
    }

    /// A video item at `url`.
    pub fn video_url(url: impl Into<String>) -> Self {
        MultimodalInput::VideoUrl {
            video_url: MediaUrl::new(url),
        }
    }
}

/// `{"url": …}`: where an image or video of a [`MultimodalInput`] is.
///
/// ```
/// use meshapi::types::embeddings::MediaUrl;
///
/// assert_eq!(MediaUrl::new("https://example.com/a.png").url, "https://example.com/a.png");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaUrl {
    /// The URL.
    pub url: String,
}

impl MediaUrl {
    /// `{"url": url}`.
    pub fn new(url: impl Into<String>) -> Self {
        MediaUrl { url: url.into() }
    }
}

/// The `encoding_format` of an embeddings request: how vectors travel on the wire.
///
/// ```
/// use meshapi::types::embeddings::EncodingFormat;
///
/// assert_eq!(serde_json::to_string(&EncodingFormat::Base64)?, r#""base64""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EncodingFormat {
    /// JSON arrays of numbers (`float`).
    Float,
    /// Base64 strings of little-endian 32-bit floats (`base64`).
    Base64,
}

/// The `provider` field of [`EmbeddingsParams`]: a provider name or routing preferences.
///
/// ```
/// use meshapi::types::embeddings::{EmbeddingProvider, ProviderPreferences};
/// use serde_json::json;
///
/// let name = EmbeddingProvider::from("openai");
/// assert_eq!(serde_json::to_value(&name)?, json!("openai"));
///
/// let prefs = EmbeddingProvider::from(ProviderPreferences::new().order(["openai", "azure"]));
/// assert_eq!(serde_json::to_value(&prefs)?, json!({"order": ["openai", "azure"]}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum EmbeddingProvider {
    /// One provider by name, e.g. `openai`.
    Name(String),
    /// Routing preferences.
    Preferences(ProviderPreferences),
}

impl From<&str> for EmbeddingProvider {
    fn from(name: &str) -> Self {
        EmbeddingProvider::Name(name.to_owned())
    }
}

impl From<String> for EmbeddingProvider {
    fn from(name: String) -> Self {
        EmbeddingProvider::Name(name)
    }
}

impl From<ProviderPreferences> for EmbeddingProvider {
    fn from(preferences: ProviderPreferences) -> Self {
        EmbeddingProvider::Preferences(preferences)
    }
}

/// Provider routing preferences: which providers to try, in which order, under which terms.
///
/// ```
/// use meshapi::types::embeddings::ProviderPreferences;
/// use serde_json::json;
///
/// let prefs = ProviderPreferences::new()
///     .order(["openai"])
///     .allow_fallbacks(false)
///     .data_collection("deny");
/// assert_eq!(
///     serde_json::to_value(&prefs)?,
///     json!({"order": ["openai"], "allow_fallbacks": false, "data_collection": "deny"}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProviderPreferences {
    /// Providers to try, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<String>>,
    /// Whether other providers may serve the request when those in `order` fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_fallbacks: Option<bool>,
    /// Only use providers that support every parameter of the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_parameters: Option<bool>,
    /// `allow` or `deny`: whether providers that may retain data are acceptable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_collection: Option<String>,
}

impl ProviderPreferences {
    /// No preferences set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the providers to try, in order.
    ///
    /// Defaults to unset (the gateway's order).
    pub fn order(mut self, order: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.order = Some(order.into_iter().map(Into::into).collect());
        self
    }

    /// Sets whether other providers may serve the request.
    ///
    /// Defaults to unset (the gateway's default).
    pub fn allow_fallbacks(mut self, allow_fallbacks: bool) -> Self {
        self.allow_fallbacks = Some(allow_fallbacks);
        self
    }

    /// Sets whether only providers supporting every parameter may serve the request.
    ///
    /// Defaults to unset (the gateway's default).
    pub fn require_parameters(mut self, require_parameters: bool) -> Self {
        self.require_parameters = Some(require_parameters);
        self
    }

    /// Sets `allow` or `deny` for providers that may retain data.
    ///
    /// Defaults to unset (the gateway's default).
    pub fn data_collection(mut self, data_collection: impl Into<String>) -> Self {
        self.data_collection = Some(data_collection.into());
        self
    }
}

/// The reply to an embeddings request: one [`Embedding`] per input.
///
/// ```
/// use meshapi::types::embeddings::EmbeddingsResponse;
///
/// let reply: EmbeddingsResponse = serde_json::from_str(r#"{
///     "object": "list", "model": "openai/text-embedding-3-small",
///     "data": [
///         {"object": "embedding", "index": 0, "embedding": [0.5, -1.0]},
///         {"object": "embedding", "index": 1, "embedding": "AAAAPwAAgL8="}
///     ],
///     "usage": {"prompt_tokens": 4, "total_tokens": 4}
/// }"#)?;
/// // A float array and its base64 form decode to the same vector.
/// assert_eq!(reply.data[0].embedding, [0.5, -1.0]);
/// assert_eq!(reply.data[1].embedding, [0.5, -1.0]);
/// assert_eq!(reply.usage.and_then(|u| u.total_tokens), Some(4));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingsResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// `list`.
    pub object: String,
    /// The model that answered.
    pub model: String,
    /// One vector per input, in input order (see [`Embedding::index`]).
    pub data: Vec<Embedding>,
    /// Token counts and bring-your-own-key flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<EmbeddingsUsage>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One vector of an [`EmbeddingsResponse`].
///
/// On the wire `embedding` is a float array, or a base64 string of little-endian `f32`s when
/// the request asked for [`EncodingFormat::Base64`]; both decode to the same `Vec<f32>`. A
/// base64 payload that is not valid base64 or whose length is not a multiple of 4 bytes is a
/// decode error. Serializing writes a float array.
///
/// ```
/// use meshapi::types::embeddings::Embedding;
///
/// let item: Embedding = serde_json::from_str(
///     r#"{"object": "embedding", "index": 0, "embedding": "AACAPw=="}"#,
/// )?;
/// assert_eq!(item.embedding, [1.0]);
///
/// let bad = serde_json::from_str::<Embedding>(r#"{"index": 0, "embedding": "AACA"}"#);
/// assert!(bad.unwrap_err().to_string().contains("not a multiple of 4"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Embedding {
    /// `embedding`.
    #[serde(default)]
    pub object: String,
    /// Position of the input this vector belongs to.
    pub index: u32,
    /// The vector.
    #[serde(deserialize_with = "vector")]
    pub embedding: Vec<f32>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Usage of an embeddings request. Every field may be absent: bring-your-own-key responses
/// can carry only the flags.
///
/// ```
/// use meshapi::types::embeddings::EmbeddingsUsage;
///
/// let usage: EmbeddingsUsage =
///     serde_json::from_str(r#"{"byok_used": true, "fallback_triggered": false}"#)?;
/// assert_eq!(usage.prompt_tokens, None);
/// assert_eq!(usage.byok_used, Some(true));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingsUsage {
    /// Tokens in the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    /// Tokens billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// Whether your own provider key (BYOK) served the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byok_used: Option<bool>,
    /// Whether the gateway fell back to another provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_triggered: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Decodes a vector sent as a float array or as a base64 string of little-endian `f32`s.
fn vector<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f32>, D::Error> {
    deserializer.deserialize_any(VectorVisitor)
}

struct VectorVisitor;

impl<'de> Visitor<'de> for VectorVisitor {
    type Value = Vec<f32>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of numbers or a base64 string of little-endian f32s")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f32>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16_384));
        while let Some(value) = seq.next_element::<f32>()? {
            out.push(value);
        }
        Ok(out)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<f32>, E> {
        decode_base64_f32s(text).map_err(E::custom)
    }
}

/// The `f32`s of a base64 embedding.
fn decode_base64_f32s(text: &str) -> Result<Vec<f32>, String> {
    let bytes = crate::base64::decode(text)
        .map_err(|e| format!("base64 embedding is not valid base64: {e}"))?;
    if bytes.len() % 4 != 0 {
        return Err(format!(
            "base64 embedding decodes to {} bytes, not a multiple of 4 (little-endian f32s)",
            bytes.len()
        ));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encode_f32s(values: &[f32]) -> String {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        crate::base64::encode(&bytes)
    }

    #[test]
    fn base64_vectors_round_trip_exactly() {
        let values = [0.1f32, -0.4, f32::MIN_POSITIVE, 1e30, 0.0, -0.0];
        let decoded = decode_base64_f32s(&encode_f32s(&values)).unwrap();
        assert_eq!(
            decoded.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(decode_base64_f32s("").unwrap(), Vec::<f32>::new());
    }

    #[test]
    fn bad_base64_vectors_are_errors_not_panics() {
        // The Go SDK's fixture: 11 bytes.
        let err = decode_base64_f32s("AAAAMAAAQAAAA8A=").unwrap_err();
        assert!(err.contains("11 bytes"), "{err}");
        for bad in ["A", "AA", "AAA", "AAAAA", "!!!!", "AA==AA", "AAAA===", "é"] {
            assert!(decode_base64_f32s(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn embedding_rejects_other_shapes() {
        for bad in [json!(null), json!(1.0), json!({"a": 1}), json!(["x"])] {
            let item = json!({"object": "embedding", "index": 0, "embedding": bad});
            assert!(serde_json::from_value::<Embedding>(item).is_err());
        }
    }

    #[test]
    fn embedding_serializes_as_a_float_array() {
        let item: Embedding = serde_json::from_value(
            json!({"object": "embedding", "index": 2, "embedding": encode_f32s(&[0.5, 2.0]), "x": 1}),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&item).unwrap(),
            json!({"object": "embedding", "index": 2, "embedding": [0.5, 2.0], "x": 1})
        );
    }

    #[test]
    fn every_input_shape_serializes_as_on_the_wire() {
        let cases: [(EmbeddingInput, Value); 7] = [
            ("one".into(), json!("one")),
            (String::from("two").into(), json!("two")),
            (vec!["a", "b"].into(), json!(["a", "b"])),
            (vec![String::from("c")].into(), json!(["c"])),
            (vec![1u32, 2].into(), json!([1, 2])),
            (vec![vec![1u32], vec![2, 3]].into(), json!([[1], [2, 3]])),
            (
                vec![MultimodalInput::text("t")].into(),
                json!([{"type": "text", "text": "t"}]),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(serde_json::to_value(&input).unwrap(), want);
        }
        let slice: &[&str] = &["x"];
        assert_eq!(EmbeddingInput::from(slice), vec!["x"].into());
    }

    #[test]
    fn unset_params_are_omitted() {
        assert_eq!(
            serde_json::to_value(EmbeddingsParams::new("hi")).unwrap(),
            json!({"input": "hi"})
        );
    }
}
