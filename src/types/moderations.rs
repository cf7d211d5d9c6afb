//! Request and response types of `POST /v1/moderations`.
//!
//! - Request: [`ModerationParams`], whose [`ModerationInput`] is a string, a list of strings,
//!   or a list of [`ModerationItem`]s (text and image parts of one input).
//! - Response: [`ModerationResponse`], one [`ModerationResult`] per input.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of a moderation request.
///
/// `model` is omitted unless set; the server's default is `omni-moderation-latest` (which the
/// Python SDK always sends explicitly).
///
/// ```
/// use meshapi::types::moderations::{ModerationItem, ModerationParams};
/// use serde_json::json;
///
/// let one = ModerationParams::new("I will hurt you");
/// assert_eq!(serde_json::to_value(&one)?, json!({"input": "I will hurt you"}));
///
/// let many = ModerationParams::new(vec!["first text", "second text"]).model("omni-moderation-latest");
/// assert_eq!(
///     serde_json::to_value(&many)?,
///     json!({"input": ["first text", "second text"], "model": "omni-moderation-latest"}),
/// );
///
/// let mixed = ModerationParams::new(vec![
///     ModerationItem::text("Is this picture fine?"),
///     ModerationItem::image_url("https://example.com/photo.png"),
/// ]);
/// assert_eq!(
///     serde_json::to_value(&mixed)?["input"][1],
///     json!({"type": "image_url", "image_url": {"url": "https://example.com/photo.png"}}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct ModerationParams {
    /// What to classify.
    pub input: ModerationInput,
    /// Moderation model, e.g. `omni-moderation-latest`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

impl ModerationParams {
    /// A request classifying `input`: a `&str`/`String`, a `Vec` of them, or a
    /// `Vec<ModerationItem>`.
    pub fn new(input: impl Into<ModerationInput>) -> Self {
        Self {
            input: input.into(),
            model: None,
        }
    }

    /// Sets the moderation model.
    ///
    /// Defaults to unset (the server's default, `omni-moderation-latest`).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }
}

/// The `input` of a moderation request: one text, several texts (one result each), or the
/// text and image parts of a single input.
///
/// ```
/// use meshapi::types::moderations::{ModerationInput, ModerationItem};
///
/// assert_eq!(ModerationInput::from("hi"), ModerationInput::Text("hi".into()));
/// assert_eq!(
///     ModerationInput::from(vec!["a", "b"]),
///     ModerationInput::Texts(vec!["a".into(), "b".into()]),
/// );
/// let items = ModerationInput::from(vec![ModerationItem::text("a")]);
/// assert!(matches!(items, ModerationInput::Items(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ModerationInput {
    /// One text; sent as a JSON string.
    Text(String),
    /// Several texts, each classified on its own; sent as an array of strings.
    Texts(Vec<String>),
    /// Text and image parts of one input; sent as an array of typed objects.
    Items(Vec<ModerationItem>),
}

impl From<&str> for ModerationInput {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for ModerationInput {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<Vec<String>> for ModerationInput {
    fn from(texts: Vec<String>) -> Self {
        Self::Texts(texts)
    }
}

impl From<Vec<&str>> for ModerationInput {
    fn from(texts: Vec<&str>) -> Self {
        Self::Texts(texts.into_iter().map(str::to_owned).collect())
    }
}

impl From<Vec<ModerationItem>> for ModerationInput {
    fn from(items: Vec<ModerationItem>) -> Self {
        Self::Items(items)
    }
}

/// One part of a multi-modal moderation input, tagged by `type`.
///
/// ```
/// use meshapi::types::moderations::ModerationItem;
/// use serde_json::json;
///
/// assert_eq!(
///     serde_json::to_value(ModerationItem::text("hello"))?,
///     json!({"type": "text", "text": "hello"}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ModerationItem {
    /// `{"type": "text", "text": ...}`.
    Text {
        /// The text.
        text: String,
    },
    /// `{"type": "image_url", "image_url": {"url": ...}}`.
    ImageUrl {
        /// Where the image is.
        image_url: ModerationImageUrl,
    },
}

impl ModerationItem {
    /// A text part.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }

    /// An image part: an `http(s)` URL or a `data:` URL.
    pub fn image_url(url: impl Into<String>) -> Self {
        Self::ImageUrl {
            image_url: ModerationImageUrl { url: url.into() },
        }
    }
}

/// The `image_url` object of a [`ModerationItem::ImageUrl`].
///
/// ```
/// use meshapi::types::moderations::ModerationItem;
///
/// let ModerationItem::ImageUrl { image_url } = ModerationItem::image_url("https://x.test/a.png")
/// else { unreachable!() };
/// assert_eq!(image_url.url, "https://x.test/a.png");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModerationImageUrl {
    /// An `http(s)` URL or a `data:` URL.
    pub url: String,
}

/// The answer of `POST /v1/moderations`.
///
/// ```
/// use meshapi::types::moderations::ModerationResponse;
///
/// let reply: ModerationResponse = serde_json::from_str(r#"{
///     "id": "modr-123",
///     "model": "omni-moderation-latest",
///     "results": [{
///         "flagged": true,
///         "categories": {"violence": true, "hate": false},
///         "category_scores": {"violence": 0.91, "hate": 0.002}
///     }]
/// }"#)?;
/// assert!(reply.flagged());
/// let result = &reply.results[0];
/// assert_eq!(result.categories["violence"], true);
/// assert_eq!(result.flagged_categories().collect::<Vec<_>>(), ["violence"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModerationResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Moderation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The moderation model that answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// One result per input (a list of [`ModerationItem`]s is one input).
    #[serde(default)]
    pub results: Vec<ModerationResult>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ModerationResponse {
    /// Whether any input was flagged.
    ///
    /// ```
    /// use meshapi::types::moderations::ModerationResponse;
    ///
    /// let reply: ModerationResponse = serde_json::from_str(r#"{"results": [{"flagged": false}]}"#)?;
    /// assert!(!reply.flagged());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn flagged(&self) -> bool {
        self.results.iter().any(|r| r.flagged)
    }
}

/// The verdict on one input.
///
/// ```
/// use meshapi::types::moderations::ModerationResult;
///
/// let result: ModerationResult = serde_json::from_str(
///     r#"{"flagged": false, "categories": {"hate": false}, "category_scores": {"hate": 0.01}}"#,
/// )?;
/// assert!(!result.flagged);
/// assert_eq!(result.category_scores["hate"], 0.01);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModerationResult {
    /// Whether any category applies.
    pub flagged: bool,
    /// Category name (e.g. `hate`, `violence/graphic`) → whether it applies.
    #[serde(default)]
    pub categories: BTreeMap<String, bool>,
    /// Category name → the model's confidence, from 0 to 1.
    #[serde(default)]
    pub category_scores: BTreeMap<String, f64>,
    /// Fields this version of the crate does not know, kept as sent (e.g.
    /// `category_applied_input_types`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ModerationResult {
    /// The names of the categories that apply, in name order.
    ///
    /// ```
    /// use meshapi::types::moderations::ModerationResult;
    ///
    /// let result: ModerationResult = serde_json::from_str(
    ///     r#"{"flagged": true, "categories": {"violence": true, "hate": true, "sexual": false}}"#,
    /// )?;
    /// assert_eq!(result.flagged_categories().collect::<Vec<_>>(), ["hate", "violence"]);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn flagged_categories(&self) -> impl Iterator<Item = &str> {
        self.categories
            .iter()
            .filter(|(_, on)| **on)
            .map(|(name, _)| name.as_str())
    }
}
