//! `client.batches()`: batch jobs (`/v1/batches`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::pagination::{Cursor, Page, Paginator};
use crate::path::{self, Query};
use crate::transport::Method;
use crate::types::batches::{BatchList, BatchObject, CreateBatchParams, ListBatchesParams};

const BATCHES: &str = "/v1/batches";

/// Batch jobs (`/v1/batches`); made by [`Client::batches`].
///
/// A batch runs many chat completions at the provider's batch price; create one, poll it with
/// [`get`](Batches::get) until its `status` is `completed`, then read its `results`.
#[derive(Debug, Clone, Copy)]
pub struct Batches<'a> {
    client: &'a Client,
}

impl<'a> Batches<'a> {
    pub(crate) fn new(client: &'a Client) -> Batches<'a> {
        Batches { client }
    }

    /// `POST /v1/batches`: starts a batch job.
    ///
    /// Not every model supports batches (`openai/gpt-5-nano` does).
    ///
    /// ```no_run
    /// use meshapi::{ChatCompletionParams, ChatMessage, Client};
    /// use meshapi::types::batches::{CreateBatchParams, BatchRequest};
    ///
    /// let client = Client::from_env()?;
    /// let ask = |q: &str| ChatCompletionParams::new("openai/gpt-5-nano", vec![ChatMessage::user(q)]);
    /// let batch = client.batches().create(&CreateBatchParams::new(vec![
    ///     BatchRequest::new("req-1", ask("What is 2 + 2?")),
    ///     BatchRequest::new("req-2", ask("Name a prime number.")),
    /// ]))?;
    /// println!("{} is {:?}", batch.id, batch.status);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(&self, params: &CreateBatchParams) -> Result<BatchObject, MeshApiError> {
        self.client.json(Method::Post, BATCHES, Some(params))
    }

    /// `GET /v1/batches?after=&limit=`: one page of batches. To walk every page, use
    /// [`paginate`](Batches::paginate).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::batches::ListBatchesParams;
    ///
    /// let client = Client::from_env()?;
    /// let page = client.batches().list(&ListBatchesParams::new().limit(10))?;
    /// for batch in &page.data {
    ///     println!("{} {:?}", batch.id, batch.status);
    /// }
    /// if page.has_more {
    ///     let next = ListBatchesParams::new().limit(10).after(page.last_id.unwrap_or_default());
    ///     println!("{} more", client.batches().list(&next)?.data.len());
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn list(&self, params: &ListBatchesParams) -> Result<BatchList, MeshApiError> {
        let path = Query::new()
            .opt("after", params.after.as_deref())
            .opt("limit", params.limit)
            .to_path(BATCHES);
        self.client.get(&path)
    }

    /// Every batch from `params.after` on, fetched a page (`GET /v1/batches`) at a time as the
    /// iteration reaches it; each page starts after the previous page's `last_id` (or its last
    /// batch's id) while `has_more` is true. `params.limit` is the page size.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::batches::ListBatchesParams;
    ///
    /// let client = Client::from_env()?;
    /// let unfinished = client
    ///     .batches()
    ///     .paginate(&ListBatchesParams::new().limit(50))
    ///     .filter(|batch| batch.as_ref().map_or(true, |b| b.status.as_deref() != Some("completed")))
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// println!("{} batches still running", unfinished.len());
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn paginate(&self, params: &ListBatchesParams) -> Paginator<'a, BatchObject> {
        let batches = *self;
        let params = params.clone();
        Paginator::new(move |cursor: &Cursor| {
            let mut params = params.clone();
            if let Cursor::After(after) = cursor {
                params.after = Some(after.clone());
            }
            let page = batches.list(&params)?;
            let last_id = page
                .last_id
                .or_else(|| page.data.last().map(|batch| batch.id.clone()));
            Ok(Page::by_after(page.data, page.has_more, last_id))
        })
    }

    /// `GET /v1/batches/{batch_id}`: a batch's status, counts and (once finished) results.
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let batch = client.batches().get("batch_abc123")?;
    /// for result in &batch.results {
    ///     let status = result.response.as_ref().map(|r| r.status_code);
    ///     println!("{}: {:?}", result.custom_id, status);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self, batch_id: &str) -> Result<BatchObject, MeshApiError> {
        let path = path::with_id(BATCHES, "batch id", batch_id)?;
        self.client.get(&path)
    }

    /// `POST /v1/batches/{batch_id}/cancel` (body `{}`): asks the gateway to stop a batch; the
    /// answer usually has `status` `cancelling`.
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let batch = client.batches().cancel("batch_abc123")?;
    /// println!("{:?}", batch.status);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn cancel(&self, batch_id: &str) -> Result<BatchObject, MeshApiError> {
        let path = path::with_id(BATCHES, "batch id", batch_id)? + "/cancel";
        self.client.json(
            Method::Post,
            &path,
            Some(&serde_json::Value::Object(serde_json::Map::new())),
        )
    }
}
