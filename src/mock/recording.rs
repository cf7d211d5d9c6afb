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
    /// The value of the first header called `name`, compared case-insensitively.
    ///
    /// ```
    /// use meshapi::mock::RecordedRequest;
    ///
    /// let request = RecordedRequest {
    ///     method: "GET".into(),
    ///     path: "/v1/models".into(),
    ///     query: String::new(),
    ///     headers: vec![("X-MeshAPI-SDK".into(), "rust/0.1.0".into())],
    ///     body: Vec::new(),
    /// };
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
    /// let request = RecordedRequest {
    ///     method: "POST".into(),
    ///     path: "/v1/echo".into(),
    ///     query: String::new(),
    ///     headers: Vec::new(),
    ///     body: b"caf\xC3\xA9 \xFF".to_vec(),
    /// };
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
    /// let mut request = RecordedRequest {
    ///     method: "POST".into(),
    ///     path: "/v1/chat/completions".into(),
    ///     query: String::new(),
    ///     headers: Vec::new(),
    ///     body: br#"{"stream":true}"#.to_vec(),
    /// };
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
    /// let request = RecordedRequest {
    ///     method: "POST".into(),
    ///     path: "/v1/audio/transcriptions".into(),
    ///     query: String::new(),
    ///     headers: vec![("Content-Type".into(), "multipart/form-data; boundary=b".into())],
    ///     body: b"--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--b--\r\n".to_vec(),
    /// };
    /// let parts = request.multipart().unwrap();
    /// assert_eq!(parts[0].name, "model");
    /// assert_eq!(parts[0].text(), "m");
    /// ```
    pub fn multipart(&self) -> Option<Vec<FormPart>> {
        multipart::parse(self.header("content-type")?, &self.body)
    }
}
