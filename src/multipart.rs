//! A small `multipart/form-data` encoder (RFC 7578) for the audio uploads.
//!
//! The body is built once, in memory, so that a retry sends exactly the same bytes.

use std::fmt::Display;

/// A form under construction; text fields are added in call order, then files.
#[derive(Debug)]
pub(crate) struct Form {
    fields: Vec<Field>,
}

#[derive(Debug)]
struct Field {
    name: String,
    file: Option<(String, String)>,
    data: Vec<u8>,
}

/// A finished form: its body and the `Content-Type` naming its boundary.
#[derive(Debug)]
pub(crate) struct Encoded {
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: String,
}

impl Form {
    pub(crate) fn new() -> Form {
        Form { fields: Vec::new() }
    }

    /// Adds a text field; booleans print as `true`/`false`, numbers in shortest decimal form.
    pub(crate) fn text(&mut self, name: &str, value: impl Display) -> &mut Form {
        self.fields.push(Field {
            name: name.to_owned(),
            file: None,
            data: value.to_string().into_bytes(),
        });
        self
    }

    /// Adds a text field when `value` is set.
    pub(crate) fn opt(&mut self, name: &str, value: Option<impl Display>) -> &mut Form {
        if let Some(value) = value {
            self.text(name, value);
        }
        self
    }

    /// Adds one text field per value, all with the same name.
    pub(crate) fn list<V: Display>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Form {
        for value in values {
            self.text(name, value);
        }
        self
    }

    /// Adds a file field.
    pub(crate) fn file(
        &mut self,
        name: &str,
        filename: &str,
        content_type: &str,
        data: &[u8],
    ) -> &mut Form {
        self.fields.push(Field {
            name: name.to_owned(),
            file: Some((filename.to_owned(), content_type.to_owned())),
            data: data.to_vec(),
        });
        self
    }

    /// Encodes the form with a boundary that occurs in none of its values.
    pub(crate) fn encode(&self) -> Encoded {
        let mut rng = fastrand::Rng::new();
        let boundary = loop {
            let candidate: String = std::iter::repeat_with(|| rng.alphanumeric())
                .take(32)
                .collect();
            let candidate = format!("meshapi-{candidate}");
            if !self.fields.iter().any(|f| contains(&f.data, &candidate)) {
                break candidate;
            }
        };
        self.encode_with(&boundary)
    }

    fn encode_with(&self, boundary: &str) -> Encoded {
        // The caller's parts, plus room for each one's headers; only a hint, so a sum that
        // overflows (or an allocation that fails) just leaves the growing to the writes.
        let size = self.fields.iter().try_fold(boundary.len() + 8, |size, f| {
            size.checked_add(f.data.len())?.checked_add(200)
        });
        let mut body = Vec::new();
        if let Some(size) = size {
            let _ = body.try_reserve(size);
        }
        for field in &self.fields {
            body.extend_from_slice(b"--");
            body.extend_from_slice(boundary.as_bytes());
            body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            push_quoted(&mut body, &field.name);
            body.push(b'"');
            if let Some((filename, content_type)) = &field.file {
                body.extend_from_slice(b"; filename=\"");
                push_quoted(&mut body, filename);
                body.extend_from_slice(b"\"\r\nContent-Type: ");
                push_header_value(&mut body, content_type);
            }
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(&field.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        Encoded {
            body,
            content_type: format!("multipart/form-data; boundary={boundary}"),
        }
    }
}

/// Escapes a name or filename inside its double quotes the way browsers do (WHATWG HTML,
/// "multipart/form-data encoding"): `"` as `%22`, CR as `%0D`, LF as `%0A`, so that no value
/// can end the header line or the quoted string early.
fn push_quoted(out: &mut Vec<u8>, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"%22"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            other => out.push(other),
        }
    }
}

/// A content type comes from the caller; line breaks in it would start a new header.
fn push_header_value(out: &mut Vec<u8>, text: &str) {
    out.extend(text.bytes().filter(|b| !matches!(b, b'\r' | b'\n')));
}

/// An empty needle would make `windows` panic; it is in every haystack anyway.
fn contains(haystack: &[u8], needle: &str) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_text_fields_lists_and_files() {
        let mut form = Form::new();
        form.text("model", "sarvam/saaras:v3")
            .text("diarize", true)
            .opt("seed", Some(7))
            .opt("prompt", None::<&str>)
            .text("temperature", 0.2)
            .list("keyterms", ["alpha", "beta"])
            .file(
                "file",
                "clip.wav",
                "application/octet-stream",
                b"RIFF\x00\xff",
            );
        let encoded = form.encode_with("B");
        assert_eq!(encoded.content_type, "multipart/form-data; boundary=B");
        let want: &[u8] = b"--B\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsarvam/saaras:v3\r\n\
--B\r\nContent-Disposition: form-data; name=\"diarize\"\r\n\r\ntrue\r\n\
--B\r\nContent-Disposition: form-data; name=\"seed\"\r\n\r\n7\r\n\
--B\r\nContent-Disposition: form-data; name=\"temperature\"\r\n\r\n0.2\r\n\
--B\r\nContent-Disposition: form-data; name=\"keyterms\"\r\n\r\nalpha\r\n\
--B\r\nContent-Disposition: form-data; name=\"keyterms\"\r\n\r\nbeta\r\n\
--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.wav\"\r\nContent-Type: application/octet-stream\r\n\r\nRIFF\x00\xff\r\n\
--B--\r\n";
        assert_eq!(encoded.body, want);
    }

    #[test]
    fn quotes_and_line_breaks_in_names_cannot_escape_their_header() {
        let mut form = Form::new();
        form.file(
            "fi\"le",
            "evil\"; name=\"model\r\nX-Injected: 1.mp3",
            "audio/mpeg\r\nX: y",
            b"",
        );
        let body = String::from_utf8(form.encode_with("B").body).unwrap();
        assert!(body.contains(
            "name=\"fi%22le\"; filename=\"evil%22; name=%22model%0D%0AX-Injected: 1.mp3\"\r\nContent-Type: audio/mpegX: y\r\n"
        ), "{body}");
        assert_eq!(body.matches("\r\n").count(), 6, "{body}");
    }

    #[test]
    fn the_boundary_never_occurs_in_a_value_and_encoding_is_stable() {
        let mut form = Form::new();
        form.file("file", "a.bin", "application/octet-stream", &[0u8; 4096]);
        let first = form.encode();
        let boundary = first.content_type.rsplit('=').next().unwrap().to_owned();
        assert!(boundary.starts_with("meshapi-") && boundary.len() == 40);
        let body = &first.body;
        let marker = format!("--{boundary}");
        let count = body
            .windows(marker.len())
            .filter(|w| *w == marker.as_bytes())
            .count();
        assert_eq!(count, 2);
        assert!(contains(body, &format!("--{boundary}--\r\n")));
    }
}
