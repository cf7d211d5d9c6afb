//! `client.responses()`: the Responses API (`/v1/responses`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::pagination::{Cursor, Page, Paginator};
use crate::path::{self, Query};
use crate::resources::WithStream;
use crate::stream::Stream;
use crate::transport::Method;
use crate::types::responses::{
    ListResponsesParams, ResponseJob, ResponseList, ResponseObject, ResponseParams,
    ResponseStreamEvent,
};

const RESPONSES: &str = "/v1/responses";

/// The Responses API (`/v1/responses`); made by [`Client::responses`].
///
/// ```no_run
/// let client = meshapi::Client::from_env()?;
/// let responses = client.responses(); // a cheap handle: create, stream, list, paginate, get
/// # let _ = responses;
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Responses<'a> {
    client: &'a Client,
}

impl<'a> Responses<'a> {
    pub(crate) fn new(client: &'a Client) -> Responses<'a> {
        Responses { client }
    }

    /// `POST /v1/responses` with `"stream": false`: creates a response and waits for it (or, with
    /// `background(true)`, for the job to be accepted).
    ///
    /// Models without native Responses support may answer 501 (`not_implemented`). Retried on
    /// 429, 502, 503 and 504 per the client's retry policy.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::responses::ResponseParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = ResponseParams::new("Write a haiku about Rust.").model("openai/gpt-4o-mini");
    /// let reply = client.responses().create(&params)?;
    /// println!("{:?}: {}", reply.id, reply.output_text());
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(&self, params: &ResponseParams) -> Result<ResponseObject, MeshApiError> {
        let body = WithStream::new(params, false);
        self.client.json(Method::Post, RESPONSES, Some(&body))
    }

    /// `POST /v1/responses` with `"stream": true`: the response's events as they arrive.
    ///
    /// Events are kept opaque: an event's [`type`](ResponseStreamEvent#structfield.type) (such
    /// as `response.output_text.delta`) says which fields it has. The request is sent at once;
    /// an HTTP error is the stream's first item. Streams are never retried.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::responses::ResponseParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = ResponseParams::new("Hi!").model("openai/gpt-4o-mini");
    /// for event in client.responses().stream(&params) {
    ///     let event = event?;
    ///     if event.r#type.as_deref() == Some("response.output_text.delta") {
    ///         print!("{}", event.delta.unwrap_or_default());
    ///     }
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn stream(&self, params: &ResponseParams) -> Stream<ResponseStreamEvent> {
        let body = WithStream::new(params, true);
        self.client.stream(RESPONSES, &body)
    }

    /// `GET /v1/responses`: one page of background jobs. See [`paginate`](Self::paginate) to
    /// walk all of them.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::responses::ListResponsesParams;
    ///
    /// let client = Client::from_env()?;
    /// let page = client.responses().list(&ListResponsesParams::new().limit(10))?;
    /// for job in &page.data {
    ///     println!("{} {:?}", job.id, job.status);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn list(&self, params: &ListResponsesParams) -> Result<ResponseList, MeshApiError> {
        let path = Query::new()
            .opt("after", params.after.as_deref())
            .opt("limit", params.limit)
            .to_path(RESPONSES);
        self.client.get(&path)
    }

    /// `GET /v1/responses`, page after page: every background job from `params.after` on,
    /// fetched lazily with the caller's `limit` as the page size; the next page starts after
    /// the previous page's `last_id` while `has_more` is true.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::responses::ListResponsesParams;
    ///
    /// let client = Client::from_env()?;
    /// for job in client.responses().paginate(&ListResponsesParams::new().limit(50)) {
    ///     let job = job?;
    ///     println!("{} {:?}", job.id, job.status);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn paginate(&self, params: &ListResponsesParams) -> Paginator<'a, ResponseJob> {
        let responses = *self;
        let params = params.clone();
        Paginator::new(move |cursor: &Cursor| {
            let mut params = params.clone();
            if let Cursor::After(id) = cursor {
                params.after = Some(id.clone());
            }
            let page = responses.list(&params)?;
            // `last_id` is optional in the API; the last item's id is the same cursor.
            let last_id = page
                .last_id
                .or_else(|| page.data.last().map(|job| job.id.clone()));
            Ok(Page::by_after(page.data, page.has_more, last_id))
        })
    }

    /// `GET /v1/responses/{response_id}`: a response by id, typically a background job's.
    ///
    /// The id is sent as one percent-encoded path segment. Synchronous responses are not
    /// guaranteed to be retrievable; an unknown id is a 404 (`not_found`) or a 400.
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let reply = client.responses().get("resp_abc123")?;
    /// println!("{:?}: {}", reply.status, reply.output_text());
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self, id: &str) -> Result<ResponseObject, MeshApiError> {
        let path = path::with_id(RESPONSES, "response id", id)?;
        self.client.get(&path)
    }
}
