//! `client.videos()`: video generation tasks (`/v1/video/generations`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::pagination::Paginator;
use crate::path::{Query, with_id};
use crate::transport::Method;
use crate::types::videos::{
    GenerateVideoParams, ListVideoGenerationsParams, VideoGenerationResponse, VideoTask,
    VideoTaskList,
};

const GENERATIONS: &str = "/v1/video/generations";

/// Video generation tasks (`/v1/video/generations`); made by [`Client::videos`].
///
/// Generation is asynchronous: [`generate`](Self::generate) starts a task, and
/// [`get`](Self::get) polls it until [`VideoTask::is_finished`].
#[derive(Debug, Clone, Copy)]
pub struct Videos<'a> {
    client: &'a Client,
}

impl<'a> Videos<'a> {
    pub(crate) fn new(client: &'a Client) -> Videos<'a> {
        Videos { client }
    }

    /// Starts a video generation task: `POST /v1/video/generations`.
    ///
    /// Returns at once with the task id; poll it with [`get`](Self::get). Retried on
    /// 429, 502, 503 and 504 per the client's retry policy (a retried attempt may start a
    /// second task).
    ///
    /// ```no_run
    /// use std::{thread, time::Duration};
    /// use meshapi::Client;
    /// use meshapi::types::videos::{VideoContentItem, GenerateVideoParams};
    ///
    /// let client = Client::from_env()?;
    /// let params = GenerateVideoParams::new(
    ///     "byteplus/dreamina-seedance-2-0",
    ///     vec![VideoContentItem::text("A paper boat drifting down a rainy street")],
    /// )
    /// .duration(5);
    /// let created = client.videos().generate(&params)?;
    /// let task = loop {
    ///     let task = client.videos().get(&created.id)?;
    ///     if task.is_finished() {
    ///         break task;
    ///     }
    ///     thread::sleep(Duration::from_secs(5));
    /// };
    /// println!("{}: {:?}", task.status, task.video_url());
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn generate(
        &self,
        params: &GenerateVideoParams,
    ) -> Result<VideoGenerationResponse, MeshApiError> {
        self.client.json(Method::Post, GENERATIONS, Some(params))
    }

    /// Lists video tasks, one page: `GET /v1/video/generations`.
    ///
    /// For every page, use [`paginate`](Self::paginate).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::videos::ListVideoGenerationsParams;
    ///
    /// let client = Client::from_env()?;
    /// let page = client
    ///     .videos()
    ///     .list(&ListVideoGenerationsParams::new().status("succeeded").limit(10))?;
    /// println!("{} of {} tasks", page.data.len(), page.total);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn list(&self, params: &ListVideoGenerationsParams) -> Result<VideoTaskList, MeshApiError> {
        let path = Query::new()
            .opt("status", params.status.as_deref())
            .opt("model", params.model.as_deref())
            .opt("created_after", params.created_after.as_deref())
            .opt("created_before", params.created_before.as_deref())
            .opt("limit", params.limit)
            .opt("offset", params.offset)
            .to_path(GENERATIONS);
        self.client.get(&path)
    }

    /// Every video task matching `params`, fetched a page (`GET /v1/video/generations`) at a
    /// time as the iteration reaches it.
    ///
    /// Pages follow each other by `offset`, starting at `params.offset` (or 0), with
    /// `params.limit` as the page size, until `total` tasks have been seen.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::videos::ListVideoGenerationsParams;
    ///
    /// let client = Client::from_env()?;
    /// for task in client.videos().paginate(&ListVideoGenerationsParams::new().limit(50)) {
    ///     let task = task?;
    ///     println!("{} {}", task.id, task.status);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn paginate(&self, params: &ListVideoGenerationsParams) -> Paginator<'a, VideoTask> {
        let videos = *self;
        let params = params.clone();
        Paginator::by_offset(params.offset, move |offset| {
            let mut page = params.clone();
            page.offset = offset.or(page.offset);
            let list = videos.list(&page)?;
            Ok((list.data, list.total))
        })
    }

    /// Fetches a video task: `GET /v1/video/generations/{task_id}`.
    ///
    /// Under API version `2026-09` (see `ClientBuilder::api_version`) the gateway also takes
    /// the task's Mesh `request_id` (from [`VideoGenerationResponse::request_id`]) in place of
    /// the provider's task id; an id that is not yours is a 404. The id is sent as one
    /// percent-encoded path segment; an empty id is refused before sending.
    ///
    /// [`VideoGenerationResponse::request_id`]: crate::types::videos::VideoGenerationResponse::request_id
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let task = client.videos().get("cgt-20250101-abc")?;
    /// match (task.status.as_str(), &task.error) {
    ///     ("succeeded", _) => println!("video at {:?}", task.video_url()),
    ///     ("failed", Some(error)) => println!("failed: {} {}", error.code, error.message),
    ///     (status, _) => println!("still {status}"),
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self, task_id: &str) -> Result<VideoTask, MeshApiError> {
        let path = with_id(GENERATIONS, "task id", task_id)?;
        self.client.get(&path)
    }
}
