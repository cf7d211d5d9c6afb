//! The API versions the gateway serves (`GET /v1/api-versions`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One API version, as `GET /v1/api-versions` lists them, oldest first.
///
/// ```
/// use meshapi::types::versions::ApiVersion;
///
/// let version: ApiVersion = serde_json::from_str(
///     r#"{"label":"2026-09","status":"ga","baseline":false,"latest":true,
///         "sunset_on":null,"notes_url":null,"capabilities":["video.poll_by_request_id"]}"#,
/// )?;
/// assert_eq!(version.label, "2026-09");
/// assert_eq!(version.capabilities, ["video.poll_by_request_id"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiVersion {
    /// The label to send as `X-Mesh-Version`, e.g. `2026-08`.
    pub label: String,
    /// `ga`, or a later stage such as `sunset`.
    #[serde(default)]
    pub status: Option<String>,
    /// Whether this is the baseline: the version that serves requests that name none and
    /// whose key has no pin.
    #[serde(default)]
    pub baseline: bool,
    /// Whether this is the newest version.
    #[serde(default)]
    pub latest: bool,
    /// The day the version goes away, when one is set.
    #[serde(default)]
    pub sunset_on: Option<String>,
    /// Where its release notes are.
    #[serde(default)]
    pub notes_url: Option<String>,
    /// What the version adds, cumulatively, e.g. `video.poll_by_request_id`.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Fields this version of the crate does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
