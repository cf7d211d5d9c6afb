//! `client.rag()`: RAG files: upload, embed and search (`/v1/files`).

use crate::client::Client;
use crate::error::{ErrorCode, MeshApiError};
use crate::pagination::Paginator;
use crate::path::{self, Query};
use crate::transport::Method;
use crate::types::rag::{
    BulkEmbedResponse, EmbedRagFilesParams, InitUploadParams, InitUploadResponse,
    ListRagFilesParams, RagFileList, RagFileStatus, SearchRagFilesParams, SearchResponse,
    UploadFileParams,
};

const FILES: &str = "/v1/files";

/// RAG files: upload, embed and search (`/v1/files`); made by [`Client::rag`].
///
/// These are retrieval files, not the OpenAI Files API; there is no delete.
#[derive(Debug, Clone, Copy)]
pub struct Rag<'a> {
    client: &'a Client,
}

impl<'a> Rag<'a> {
    pub(crate) fn new(client: &'a Client) -> Rag<'a> {
        Rag { client }
    }

    /// `POST /v1/files`: announces a file and gets its id and a signed URL to `PUT` the bytes
    /// to. [`upload`](Rag::upload) does both steps.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::rag::InitUploadParams;
    ///
    /// let client = Client::from_env()?;
    /// let init = client.rag().init_upload(&InitUploadParams::new("handbook.pdf", "application/pdf"))?;
    /// println!("upload {} to {} before {}", init.file_id, init.signed_url, init.expires_at);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn init_upload(
        &self,
        request: &InitUploadParams,
    ) -> Result<InitUploadResponse, MeshApiError> {
        self.client.json(Method::Post, FILES, Some(request))
    }

    /// Uploads a file: `POST /v1/files`, then `PUT <signed_url>` with the bytes and
    /// `Content-Type: <mime_type>`. Returns the answer of the first step; poll
    /// [`get`](Rag::get) until `upload_status` is `ready`.
    ///
    /// The `PUT` goes to the signed URL as given (often another host), not through the base
    /// URL, and carries neither the token nor the SDK header: the URL is its own credential.
    /// It is retried like any idempotent request. If it fails, the error has the storage
    /// host's status, a code from that status (a storage host answers in XML or text, so a
    /// 403 is [`ErrorCode::Forbidden`], not a parse error), and a message naming the file id;
    /// the file then stays `pending` and the upload can be repeated from the start.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::rag::UploadFileParams;
    ///
    /// let client = Client::from_env()?;
    /// let bytes = std::fs::read("handbook.md").expect("readable file");
    /// let init = client
    ///     .rag()
    ///     .upload(&UploadFileParams::new("handbook.md", "text/markdown", bytes).embed(true))?;
    /// println!("uploaded {}", init.file_id);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn upload(&self, params: &UploadFileParams) -> Result<InitUploadResponse, MeshApiError> {
        let init = self.init_upload(&params.init_request())?;
        self.client
            .upload_signed(&init.signed_url, &params.content, &params.mime_type)
            .map_err(|err| upload_failed(&init.file_id, err))?;
        Ok(init)
    }

    /// `GET /v1/files?limit=&offset=`: one page of files. To walk every page, use
    /// [`paginate`](Rag::paginate).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::rag::ListRagFilesParams;
    ///
    /// let client = Client::from_env()?;
    /// let page = client.rag().list(&ListRagFilesParams::new().limit(20))?;
    /// println!("{} of {} files", page.files.len(), page.total);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn list(&self, params: &ListRagFilesParams) -> Result<RagFileList, MeshApiError> {
        let path = Query::new()
            .opt("limit", params.limit)
            .opt("offset", params.offset)
            .to_path(FILES);
        self.client.get(&path)
    }

    /// Every file from `params.offset` on, fetched a page (`GET /v1/files`) at a time as the
    /// iteration reaches it: each page's offset is the previous one plus its length, until
    /// `total` is reached. `params.limit` is the page size.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::rag::ListRagFilesParams;
    ///
    /// let client = Client::from_env()?;
    /// for file in client.rag().paginate(&ListRagFilesParams::new().limit(100)) {
    ///     let file = file?;
    ///     println!("{} {} {}", file.file_id, file.upload_status, file.embedding_status);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn paginate(&self, params: &ListRagFilesParams) -> Paginator<'a, RagFileStatus> {
        let rag = *self;
        let params = params.clone();
        Paginator::by_offset(params.offset, move |offset| {
            let mut params = params.clone();
            params.offset = offset.or(params.offset);
            let page = rag.list(&params)?;
            Ok((page.files, page.total))
        })
    }

    /// `GET /v1/files/{file_id}`: a file's upload and embedding state.
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let file = client.rag().get("f_123")?;
    /// if file.embedding_status == "failed" {
    ///     println!("embedding failed: {:?}", file.last_error_code);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self, file_id: &str) -> Result<RagFileStatus, MeshApiError> {
        let path = path::with_id(FILES, "file id", file_id)?;
        self.client.get(&path)
    }

    /// `POST /v1/files/embed`: embeds uploaded files (1 to 100 per call).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::rag::EmbedRagFilesParams;
    ///
    /// let client = Client::from_env()?;
    /// let answer = client.rag().embed(&EmbedRagFilesParams::new(["f_123"]))?;
    /// for result in answer.results {
    ///     println!("{}: {} {:?}", result.file_id, result.embedding_status, result.error);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn embed(&self, request: &EmbedRagFilesParams) -> Result<BulkEmbedResponse, MeshApiError> {
        self.client
            .json(Method::Post, &format!("{FILES}/embed"), Some(request))
    }

    /// `POST /v1/files/search`: the chunks of embedded files closest to a query, best first.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::rag::SearchRagFilesParams;
    ///
    /// let client = Client::from_env()?;
    /// let answer = client.rag().search(&SearchRagFilesParams::new("refund policy").top_k(3))?;
    /// for hit in answer.results {
    ///     println!("{:.2} {:?}: {}", hit.score, hit.file_name, hit.text);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn search(&self, request: &SearchRagFilesParams) -> Result<SearchResponse, MeshApiError> {
        self.client
            .json(Method::Post, &format!("{FILES}/search"), Some(request))
    }
}

/// The error of a failed upload to a signed URL: the storage host's status, a code from that
/// status (its XML or text body would otherwise read as a parse error), and the file id in the
/// message; the original error stays reachable through `source()`.
fn upload_failed(file_id: &str, err: MeshApiError) -> MeshApiError {
    let code = match (err.status(), err.code()) {
        (Some(status), ErrorCode::ParseError) => ErrorCode::for_status(status),
        (_, code) => code.clone(),
    };
    let mut wrapped = MeshApiError::new(
        code,
        format!("uploading the bytes of RAG file {file_id} to its signed URL failed"),
    )
    .with_request_id(err.request_id());
    if let Some(status) = err.status() {
        wrapped = wrapped.with_status(status);
    }
    if err.was_not_sent() {
        wrapped = wrapped.not_sent();
    }
    wrapped.with_source(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_errors_name_the_file_and_keep_the_status() {
        let storage = MeshApiError::from_response(
            403,
            None,
            None,
            None,
            b"<Error><Code>SignatureDoesNotMatch</Code></Error>",
        );
        let err = upload_failed("f_1", storage);
        assert_eq!(err.status(), Some(403));
        assert_eq!(err.code(), &ErrorCode::Forbidden);
        assert!(err.message().contains("f_1"), "{}", err.message());
        // The storage host's answer is the source, not repeated in the message.
        let source = std::error::Error::source(&err).map(ToString::to_string);
        assert!(source.is_some_and(|s| s.contains("SignatureDoesNotMatch")));
        assert!(!err.message().contains("SignatureDoesNotMatch"));

        let refused = upload_failed("f_2", MeshApiError::config("bad url").not_sent());
        assert_eq!(refused.code(), &ErrorCode::InvalidConfig);
        assert_eq!(refused.status(), None);
        assert!(refused.was_not_sent());
    }
}
