//! What the server saw: [`RecordedRequest`].

use super::*;

/// A request as the server received it.
///
/// ```
/// use meshapi::mock::MockServer;
/// use meshapi::{ChatCompletionParams, ChatMessage, Client};
///
/// let server = MockServer::start()?;
/// let client = Client::builder().token("rsk_test").base_url(server.url()).build()?;
/// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
/// client.chat().completions().create(&params)?;
/// let request = &server.requests()[0];
/// assert_eq!(request.header("authorization"), Some("Bearer rsk_test"));
/// assert_eq!(request.body_json().unwrap()["messages"][0]["content"], "Hi");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method, as sent (`GET`, `POST`, …).
    pub method: String,
    /// The request target's path, as sent (not percent-decoded), without the query.
    pub path: String,
    /// The raw query string without the `?`; empty when there is none.
    pub query: String,
    /// The headers in arrival order, names as sent, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body, after undoing any chunked transfer coding.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// A request as if the server had received it, for unit tests of code that inspects
    /// recorded requests; `target` is the path with an optional `?query`.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let request = RecordedRequest::new("GET", "/v1/models?free=true", &[], "");
    /// assert_eq!((request.path.as_str(), request.query.as_str()), ("/v1/models", "free=true"));
    /// ```
    pub fn new(
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) -> RecordedRequest {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        RecordedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers: headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            body: body.into(),
        }
    }

    /// The value of the first header called `name`, compared case-insensitively.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let request = RecordedRequest::new("GET", "/v1/models", &[("X-MeshAPI-SDK", "rust/0.1.0")], "");
    /// assert_eq!(request.header("x-meshapi-sdk"), Some("rust/0.1.0"));
    /// assert_eq!(request.header("accept"), None);
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as text, with invalid UTF-8 replaced by U+FFFD.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let request = RecordedRequest::new("POST", "/v1/echo", &[], b"caf\xC3\xA9 \xFF".to_vec());
    /// assert_eq!(request.body_text(), "café \u{FFFD}");
    /// ```
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON, or `None` when it is not JSON.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let mut request = RecordedRequest::new("POST", "/v1/chat/completions", &[], r#"{"stream":true}"#);
    /// assert_eq!(request.body_json().unwrap()["stream"], true);
    /// request.body = b"not json".to_vec();
    /// assert!(request.body_json().is_none());
    /// ```
    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The parts of a `multipart/form-data` body in arrival order, or `None` when the request
    /// is not multipart or its body does not parse.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let request = RecordedRequest::new(
    ///     "POST",
    ///     "/v1/audio/transcriptions",
    ///     &[("Content-Type", "multipart/form-data; boundary=b")],
    ///     "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--b--\r\n",
    /// );
    /// let parts = request.multipart().unwrap();
    /// assert_eq!(parts[0].name, "model");
    /// assert_eq!(parts[0].text(), "m");
    /// ```
    pub fn multipart(&self) -> Option<Vec<FormPart>> {
        multipart::parse(self.header("content-type")?, &self.body)
    }
}
