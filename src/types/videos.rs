//! Request and response types of video generation tasks (`/v1/video/generations`).
//!
//! Video generation is asynchronous: [`GenerateVideoParams`] starts a task
//! ([`VideoGenerationResponse`] holds its id), and the task ([`VideoTask`]) is polled until its
//! status is terminal ([`VideoTask::is_finished`]); [`ListVideoGenerationsParams`] lists tasks
//! ([`VideoTaskList`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The body of a video generation request.
///
/// Every optional field left unset is omitted from the JSON body, so the server's default
/// applies.
///
/// ```
/// use meshapi::types::videos::{VideoContentItem, GenerateVideoParams};
/// use serde_json::json;
///
/// let params = GenerateVideoParams::new(
///     "byteplus/dreamina-seedance-2-0",
///     vec![
///         VideoContentItem::text("A paper boat drifting down a rainy street"),
///         VideoContentItem::image_url("data:image/png;base64,iVBORw0KGgo=").role("first_frame"),
///     ],
/// )
/// .duration(5)
/// .ratio("16:9");
/// assert_eq!(
///     serde_json::to_value(&params)?,
///     json!({
///         "model": "byteplus/dreamina-seedance-2-0",
///         "content": [
///             {"type": "text", "text": "A paper boat drifting down a rainy street"},
///             {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="},
///              "role": "first_frame"},
///         ],
///         "ratio": "16:9",
///         "duration": 5,
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct GenerateVideoParams {
    /// Model id such as `byteplus/dreamina-seedance-2-0`.
    pub model: String,
    /// The prompt: text, and optionally images, videos or audio to start from.
    pub content: Vec<VideoContentItem>,
    /// URL the provider calls when the task changes status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// Also return the last frame as an image (`content.last_frame_url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_last_frame: Option<bool>,
    /// Generate a soundtrack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate_audio: Option<bool>,
    /// Make a cheap draft first (turn it into a video with a `draft_task` content item).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    /// Keep the camera still.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_fixed: Option<bool>,
    /// Whether the provider adds a watermark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watermark: Option<bool>,
    /// Provider service tier, e.g. `default` or `flex`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// Resolution such as `720p` or `1080p`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Aspect ratio such as `16:9`, or `adaptive`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<String>,
    /// End-user id, for the provider's abuse monitoring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety_identifier: Option<String>,
    /// Seconds after which an unfinished task expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_expires_after: Option<u64>,
    /// Length in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Length in frames (instead of `duration`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frames: Option<u32>,
    /// Seed (-1: random).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Queue priority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// The kind of reference job (generate, edit, extend), so that its constraints are checked
    /// when the task is submitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omni_reference_task_type: Option<String>,
}

impl GenerateVideoParams {
    /// A request for `model` made from `content`; everything else unset.
    pub fn new(model: impl Into<String>, content: Vec<VideoContentItem>) -> Self {
        Self {
            model: model.into(),
            content,
            callback_url: None,
            return_last_frame: None,
            generate_audio: None,
            draft: None,
            camera_fixed: None,
            watermark: None,
            service_tier: None,
            resolution: None,
            ratio: None,
            safety_identifier: None,
            execution_expires_after: None,
            duration: None,
            frames: None,
            seed: None,
            priority: None,
            omni_reference_task_type: None,
        }
    }

    /// Sets the status callback URL.
    ///
    /// Defaults to unset (poll with `get`).
    pub fn callback_url(mut self, callback_url: impl Into<String>) -> Self {
        self.callback_url = Some(callback_url.into());
        self
    }

    /// Sets whether to return the last frame as an image.
    ///
    /// Defaults to unset (the provider's default, no last frame).
    pub fn return_last_frame(mut self, return_last_frame: bool) -> Self {
        self.return_last_frame = Some(return_last_frame);
        self
    }

    /// Sets whether to generate a soundtrack.
    ///
    /// Defaults to unset (the model's default).
    pub fn generate_audio(mut self, generate_audio: bool) -> Self {
        self.generate_audio = Some(generate_audio);
        self
    }

    /// Sets whether to make a draft.
    ///
    /// Defaults to unset (a full video).
    pub fn draft(mut self, draft: bool) -> Self {
        self.draft = Some(draft);
        self
    }

    /// Sets whether to keep the camera still.
    ///
    /// Defaults to unset (the model's default).
    pub fn camera_fixed(mut self, camera_fixed: bool) -> Self {
        self.camera_fixed = Some(camera_fixed);
        self
    }

    /// Sets whether the provider adds a watermark.
    ///
    /// Defaults to unset (the provider's default).
    pub fn watermark(mut self, watermark: bool) -> Self {
        self.watermark = Some(watermark);
        self
    }

    /// Sets the provider service tier.
    ///
    /// Defaults to unset (the provider's default).
    pub fn service_tier(mut self, service_tier: impl Into<String>) -> Self {
        self.service_tier = Some(service_tier.into());
        self
    }

    /// Sets the resolution, e.g. `720p`.
    ///
    /// Defaults to unset (the model's default).
    pub fn resolution(mut self, resolution: impl Into<String>) -> Self {
        self.resolution = Some(resolution.into());
        self
    }

    /// Sets the aspect ratio, e.g. `16:9`.
    ///
    /// Defaults to unset (the model's default).
    pub fn ratio(mut self, ratio: impl Into<String>) -> Self {
        self.ratio = Some(ratio.into());
        self
    }

    /// Sets the end-user id.
    ///
    /// Defaults to unset (no end-user id).
    pub fn safety_identifier(mut self, safety_identifier: impl Into<String>) -> Self {
        self.safety_identifier = Some(safety_identifier.into());
        self
    }

    /// Sets the seconds after which an unfinished task expires.
    ///
    /// Defaults to unset (the provider's default).
    pub fn execution_expires_after(mut self, seconds: u64) -> Self {
        self.execution_expires_after = Some(seconds);
        self
    }

    /// Sets the length in seconds.
    ///
    /// Defaults to unset (the model's default).
    pub fn duration(mut self, seconds: u32) -> Self {
        self.duration = Some(seconds);
        self
    }

    /// Sets the length in frames.
    ///
    /// Defaults to unset (the model's default, or `duration`).
    pub fn frames(mut self, frames: u32) -> Self {
        self.frames = Some(frames);
        self
    }

    /// Sets the seed (-1: random).
    ///
    /// Defaults to unset (random).
    pub fn seed(mut self, seed: i64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Names the kind of reference job (generate, edit, extend), so that its constraints are
    /// checked at submission.
    ///
    /// Defaults to unset.
    pub fn omni_reference_task_type(mut self, task_type: impl Into<String>) -> Self {
        self.omni_reference_task_type = Some(task_type.into());
        self
    }

    /// Sets the queue priority.
    ///
    /// Defaults to unset (the provider's default).
    pub fn priority(mut self, priority: i64) -> Self {
        self.priority = Some(priority);
        self
    }
}

/// One item of a video request's `content`: `{"type": …, …}`.
///
/// The media objects (`image_url`, `video_url`, `audio_url`, `draft_task`) are free-form
/// JSON; the constructors fill in the usual `{"url": …}` / `{"id": …}` shape.
///
/// ```
/// use meshapi::types::videos::VideoContentItem;
/// use serde_json::json;
///
/// let last = VideoContentItem::image_url("data:image/png;base64,iVBORw0KGgo=").role("last_frame");
/// assert_eq!(
///     serde_json::to_value(&last)?,
///     json!({"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="},
///            "role": "last_frame"}),
/// );
/// let from_draft = VideoContentItem::draft_task("cgt-20250101-abc");
/// assert_eq!(
///     serde_json::to_value(&from_draft)?,
///     json!({"type": "draft_task", "draft_task": {"id": "cgt-20250101-abc"}}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoContentItem {
    /// `text`, `image_url`, `video_url`, `audio_url`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The text of a `text` item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The image of an `image_url` item, e.g. `{"url": …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<Value>,
    /// The video of a `video_url` item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<Value>,
    /// The audio of an `audio_url` item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<Value>,
    /// The draft to turn into a video, e.g. `{"id": …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_task: Option<Value>,
    /// What the item is for: `first_frame`, `last_frame`, `reference_image`,
    /// `reference_video` or `reference_audio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The name a reference item is cited by in the prompt (`@name`): 1 to 64 of
    /// `A-Z a-z 0-9 _ -`, case-sensitive; only on reference items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

impl VideoContentItem {
    /// An item of type `kind` with nothing else set, for types without a constructor.
    pub fn new(kind: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            text: None,
            image_url: None,
            video_url: None,
            audio_url: None,
            draft_task: None,
            role: None,
            subject: None,
        }
    }

    /// `{"type": "text", "text": text}`.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::new("text")
        }
    }

    /// `{"type": "image_url", "image_url": {"url": url}}`; `url` is an http(s) or `data:` URL.
    pub fn image_url(url: impl Into<String>) -> Self {
        Self {
            image_url: Some(json!({ "url": url.into() })),
            ..Self::new("image_url")
        }
    }

    /// `{"type": "video_url", "video_url": {"url": url}}`.
    pub fn video_url(url: impl Into<String>) -> Self {
        Self {
            video_url: Some(json!({ "url": url.into() })),
            ..Self::new("video_url")
        }
    }

    /// `{"type": "audio_url", "audio_url": {"url": url}}`.
    pub fn audio_url(url: impl Into<String>) -> Self {
        Self {
            audio_url: Some(json!({ "url": url.into() })),
            ..Self::new("audio_url")
        }
    }

    /// `{"type": "draft_task", "draft_task": {"id": task_id}}`: make the video from a draft.
    pub fn draft_task(task_id: impl Into<String>) -> Self {
        Self {
            draft_task: Some(json!({ "id": task_id.into() })),
            ..Self::new("draft_task")
        }
    }

    /// Sets what the item is for, e.g. `first_frame`.
    ///
    /// Defaults to unset (the model decides).
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Names a reference item, to cite it in the prompt as `@name`.
    ///
    /// Defaults to unset.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }
}

/// The reply to a video generation request: the id of the task to poll.
///
/// ```
/// use meshapi::types::videos::VideoGenerationResponse;
///
/// let created: VideoGenerationResponse = serde_json::from_str(r#"{"id": "cgt-20250101-abc"}"#)?;
/// assert_eq!(created.id, "cgt-20250101-abc");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoGenerationResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The task id.
    pub id: String,
    /// The Mesh request id of the task (API version `2026-09` and later), which
    /// `videos().get` also accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The top-level parameters the model ignored; `None` when it dropped nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsupported_params: Option<Vec<String>>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A video generation task.
///
/// ```
/// use meshapi::types::videos::VideoTask;
///
/// let task: VideoTask = serde_json::from_str(r#"{
///     "id": "cgt-20250101-abc", "status": "succeeded", "model": "byteplus/dreamina-seedance-2-0",
///     "content": {"video_url": "https://cdn.example.com/v.mp4"},
///     "duration": 5, "framespersecond": 24, "usage": {"completion_tokens": 108900, "total_tokens": 108900}
/// }"#)?;
/// assert!(task.is_finished());
/// assert_eq!(task.video_url(), Some("https://cdn.example.com/v.mp4"));
/// assert_eq!(task.framespersecond, Some(24));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoTask {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The task id.
    pub id: String,
    /// `queued`, `running`, `succeeded`, `failed`, … (see [`is_finished`](Self::is_finished)).
    pub status: String,
    /// The model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Why the task failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<VideoTaskError>,
    /// Creation time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Time of the last status change, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    /// The result, once the task has succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<VideoTaskContent>,
    /// The seed used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Length in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Length in frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frames: Option<u32>,
    /// Frames per second (one word on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framespersecond: Option<u32>,
    /// Queue priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// Seconds after which an unfinished task expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_expires_after: Option<u64>,
    /// Resolution such as `720p`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Aspect ratio such as `16:9`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<String>,
    /// The end-user id sent with the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_identifier: Option<String>,
    /// The draft this task was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_task_id: Option<String>,
    /// Provider service tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// Whether a soundtrack was generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_audio: Option<bool>,
    /// The resolution the finished task was billed at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billed_resolution: Option<String>,
    /// The Mesh request id the task was created with (API version `2026-09` and later; tasks
    /// created before 2026-08-20 have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Whether this is a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    /// Tokens billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<VideoUsage>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl VideoTask {
    /// Whether the task will not change any more: `succeeded`, `failed`, `cancelled` or
    /// `expired`.
    pub fn is_finished(&self) -> bool {
        matches!(
            self.status.as_str(),
            "succeeded" | "failed" | "cancelled" | "expired"
        )
    }

    /// The video's URL, once the task has succeeded.
    pub fn video_url(&self) -> Option<&str> {
        self.content.as_ref()?.video_url.as_deref()
    }
}

/// Why a [`VideoTask`] failed.
///
/// ```
/// use meshapi::types::videos::VideoTaskError;
///
/// let error: VideoTaskError =
///     serde_json::from_str(r#"{"code": "InputTextSensitiveContentDetected", "message": "…"}"#)?;
/// assert_eq!(error.code, "InputTextSensitiveContentDetected");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoTaskError {
    /// Machine-readable code (the provider's).
    #[serde(default)]
    pub code: String,
    /// Human-readable text.
    #[serde(default)]
    pub message: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of a succeeded [`VideoTask`].
///
/// ```
/// use meshapi::types::videos::VideoTaskContent;
///
/// let content: VideoTaskContent = serde_json::from_str(
///     r#"{"video_url": "https://cdn.example.com/v.mp4", "last_frame_url": "https://cdn.example.com/v.png"}"#,
/// )?;
/// assert!(content.last_frame_url.is_some());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoTaskContent {
    /// Where to download the video (usually a time-limited URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// Where to download the last frame, when `return_last_frame` was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_frame_url: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Tokens billed for a [`VideoTask`].
///
/// ```
/// use meshapi::types::videos::VideoUsage;
///
/// let usage: VideoUsage = serde_json::from_str(r#"{"completion_tokens": 10, "total_tokens": 10}"#)?;
/// assert_eq!(usage.total_tokens, Some(10));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoUsage {
    /// Tokens of the generated video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<u64>,
    /// Tokens billed in total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Query parameters of `GET /v1/video/generations`; only those set are sent.
///
/// ```
/// use meshapi::types::videos::ListVideoGenerationsParams;
///
/// let params = ListVideoGenerationsParams::new().status("succeeded").limit(10);
/// assert_eq!(params.limit, Some(10));
/// assert_eq!(params.offset, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct ListVideoGenerationsParams {
    /// Only tasks with this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Only tasks of this model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Only tasks created after this time (sent as given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_after: Option<String>,
    /// Only tasks created before this time (sent as given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_before: Option<String>,
    /// Page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Tasks to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl ListVideoGenerationsParams {
    /// No filter, the server's page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the status filter, e.g. `succeeded`.
    ///
    /// Defaults to unset (every status).
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// Sets the model filter.
    ///
    /// Defaults to unset (every model).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the lower bound on the creation time, sent as given.
    ///
    /// Defaults to unset (no lower bound).
    pub fn created_after(mut self, created_after: impl Into<String>) -> Self {
        self.created_after = Some(created_after.into());
        self
    }

    /// Sets the upper bound on the creation time, sent as given.
    ///
    /// Defaults to unset (no upper bound).
    pub fn created_before(mut self, created_before: impl Into<String>) -> Self {
        self.created_before = Some(created_before.into());
        self
    }

    /// Sets the page size.
    ///
    /// Defaults to unset (the server's page size).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets how many tasks to skip.
    ///
    /// Defaults to unset (from the first task).
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }
}

/// One page of video tasks.
///
/// ```
/// use meshapi::types::videos::VideoTaskList;
///
/// let page: VideoTaskList = serde_json::from_str(r#"{
///     "object": "list", "data": [{"id": "cgt-1", "status": "queued"}],
///     "has_more": true, "total": 3, "limit": 1, "offset": 0
/// }"#)?;
/// assert_eq!(page.data[0].status, "queued");
/// assert!(page.has_more);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoTaskList {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// `list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The tasks of this page.
    pub data: Vec<VideoTask>,
    /// Whether more tasks follow this page.
    pub has_more: bool,
    /// Tasks matching the filters, over all pages.
    pub total: u64,
    /// The page size used.
    pub limit: u64,
    /// Tasks skipped before this page.
    pub offset: u64,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_params_serialize_every_field() {
        let params = GenerateVideoParams::new(
            "m",
            vec![
                VideoContentItem::video_url("https://x/v.mp4").role("reference_video"),
                VideoContentItem::audio_url("https://x/a.mp3"),
                VideoContentItem::new("custom"),
            ],
        )
        .callback_url("https://hooks.example.com/v")
        .return_last_frame(true)
        .generate_audio(false)
        .draft(true)
        .camera_fixed(false)
        .watermark(true)
        .service_tier("flex")
        .resolution("720p")
        .ratio("adaptive")
        .safety_identifier("user-1")
        .execution_expires_after(3600)
        .duration(5)
        .frames(121)
        .seed(-1)
        .priority(2);
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            json!({
                "model": "m",
                "content": [
                    {"type": "video_url", "video_url": {"url": "https://x/v.mp4"}, "role": "reference_video"},
                    {"type": "audio_url", "audio_url": {"url": "https://x/a.mp3"}},
                    {"type": "custom"},
                ],
                "callback_url": "https://hooks.example.com/v", "return_last_frame": true,
                "generate_audio": false, "draft": true, "camera_fixed": false, "watermark": true,
                "service_tier": "flex", "resolution": "720p", "ratio": "adaptive",
                "safety_identifier": "user-1", "execution_expires_after": 3600, "duration": 5,
                "frames": 121, "seed": -1, "priority": 2,
            })
        );
    }

    #[test]
    fn finished_statuses() {
        for (status, finished) in [
            ("queued", false),
            ("running", false),
            ("succeeded", true),
            ("failed", true),
            ("cancelled", true),
            ("expired", true),
        ] {
            let task: VideoTask =
                serde_json::from_value(json!({"id": "t", "status": status})).unwrap();
            assert_eq!(task.is_finished(), finished, "{status}");
            assert_eq!(task.video_url(), None);
        }
    }
}
