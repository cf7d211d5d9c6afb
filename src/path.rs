//! Request paths: ids as percent-encoded path segments, and query strings.

use std::fmt::{Display, Write};

use crate::error::MeshApiError;

/// Percent-encodes `text` for a URL, keeping only the unreserved characters
/// (`A-Za-z0-9-._~`) and the bytes in `keep` literal, so that `/`, `?`, `#`, `%`, spaces and
/// `:` cannot change the meaning of the URL.
pub(crate) fn encode_into(out: &mut String, text: &str, keep: &[u8]) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || keep.contains(&byte)
        {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Encodes one segment; `.` and `..` would be resolved away by a server normalising the
/// path, so their dots are encoded too.
fn push_segment(out: &mut String, segment: &str) {
    if segment == "." || segment == ".." {
        out.push_str(&"%2E".repeat(segment.len()));
    } else {
        encode_into(out, segment, b"");
    }
}

fn non_empty<'a>(what: &str, id: &'a str) -> Result<&'a str, MeshApiError> {
    if id.is_empty() {
        // An empty id would turn `GET /v1/batches/{id}` into the list route.
        Err(MeshApiError::config(format!("the {what} must not be empty")).not_sent())
    } else {
        Ok(id)
    }
}

/// `prefix`, in a string with room for `id` to follow encoded. The room is only a hint: the
/// worst case, every byte as `%XX`, can pass what `with_capacity` accepts without panicking
/// (or even `usize`) for an id from the caller, so the sum is checked, the reservation may
/// fail quietly, and an allocation that cannot be made is left to the pushes.
fn with_room(prefix: &str, id: &str) -> String {
    let mut path = String::new();
    if let Some(room) = id
        .len()
        .checked_mul(3)
        .and_then(|n| n.checked_add(prefix.len() + 1))
    {
        let _ = path.try_reserve(room);
    }
    path.push_str(prefix);
    path
}

/// `prefix/` followed by `id` as a single path segment: `/` in the id becomes `%2F`, so the id
/// can never reach another route.
///
/// `what` names the id in the error for an empty one (`"batch id"`).
pub(crate) fn with_id(prefix: &str, what: &str, id: &str) -> Result<String, MeshApiError> {
    let id = non_empty(what, id)?;
    let mut path = with_room(prefix, id);
    path.push('/');
    push_segment(&mut path, id);
    Ok(path)
}

/// `prefix/` followed by a model id: `/` stays literal (the gateway's route is a `:path`
/// parameter and ids look like `brand/model:variant`), and each part between slashes is
/// encoded as a segment (`:` becomes `%3A`).
pub(crate) fn with_model_id(prefix: &str, id: &str) -> Result<String, MeshApiError> {
    let id = non_empty("model id", id)?;
    let mut path = with_room(prefix, id);
    for segment in id.split('/') {
        path.push('/');
        push_segment(&mut path, segment);
    }
    Ok(path)
}

/// A query string under construction: only parameters that are set are sent, booleans as
/// `true`/`false`, numbers in decimal, lists as repeated keys.
#[derive(Debug, Default)]
pub(crate) struct Query {
    text: String,
}

impl Query {
    pub(crate) fn new() -> Query {
        Query::default()
    }

    /// Adds `key=value`.
    pub(crate) fn push(&mut self, key: &str, value: impl Display) -> &mut Query {
        self.text.push(if self.text.is_empty() { '?' } else { '&' });
        encode_into(&mut self.text, key, b"");
        self.text.push('=');
        encode_into(&mut self.text, &value.to_string(), b"");
        self
    }

    /// Adds `key=value` when `value` is set.
    pub(crate) fn opt(&mut self, key: &str, value: Option<impl Display>) -> &mut Query {
        if let Some(value) = value {
            self.push(key, value);
        }
        self
    }

    /// Adds `key=value` once per value.
    pub(crate) fn list<V: Display>(
        &mut self,
        key: &str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Query {
        for value in values {
            self.push(key, value);
        }
        self
    }

    /// `path` followed by the query, or `path` alone when nothing was added.
    pub(crate) fn to_path(&self, path: &str) -> String {
        format!("{path}{}", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_inside_their_segment() {
        let cases = [
            ("batch_abc123", "/v1/batches/batch_abc123"),
            ("a/b", "/v1/batches/a%2Fb"),
            ("../templates", "/v1/batches/..%2Ftemplates"),
            ("..", "/v1/batches/%2E%2E"),
            (".", "/v1/batches/%2E"),
            ("x?y#z", "/v1/batches/x%3Fy%23z"),
            ("50% off", "/v1/batches/50%25%20off"),
            ("é", "/v1/batches/%C3%A9"),
            ("a.b-c_d~e", "/v1/batches/a.b-c_d~e"),
        ];
        for (id, want) in cases {
            assert_eq!(
                with_id("/v1/batches", "batch id", id).unwrap(),
                want,
                "{id}"
            );
        }
    }

    #[test]
    fn model_ids_keep_their_slashes_and_encode_the_rest() {
        let cases = [
            ("openai/gpt-4o", "/v1/models/openai/gpt-4o"),
            (
                "meta-llama/llama-3.3-70b-instruct:free",
                "/v1/models/meta-llama/llama-3.3-70b-instruct%3Afree",
            ),
            ("a b?c#d", "/v1/models/a%20b%3Fc%23d"),
            ("../../v1/batches", "/v1/models/%2E%2E/%2E%2E/v1/batches"),
        ];
        for (id, want) in cases {
            assert_eq!(with_model_id("/v1/models", id).unwrap(), want, "{id}");
        }
    }

    #[test]
    fn empty_ids_are_refused_before_sending() {
        for err in [
            with_id("/v1/files", "file id", "").unwrap_err(),
            with_model_id("/v1/models", "").unwrap_err(),
        ] {
            assert_eq!(err.code(), &crate::ErrorCode::InvalidConfig);
            assert!(err.was_not_sent());
        }
    }

    #[test]
    fn queries_send_only_what_is_set() {
        let mut q = Query::new();
        assert_eq!(q.to_path("/v1/models"), "/v1/models");
        q.opt("free", Some(true))
            .opt("type", None::<&str>)
            .push("q", "gpt 4o/mini&x=1")
            .list("brand", ["openai", "meta-llama"])
            .push("limit", 5)
            .push("temperature", 0.5);
        assert_eq!(
            q.to_path("/v1/models/search"),
            "/v1/models/search?free=true&q=gpt%204o%2Fmini%26x%3D1&brand=openai&brand=meta-llama&limit=5&temperature=0.5"
        );
    }
}
