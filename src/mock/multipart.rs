//! Parsing `multipart/form-data` request bodies, so tests can assert field by field.

/// One part of a `multipart/form-data` request, as [`RecordedRequest::multipart`] found it.
///
/// [`RecordedRequest::multipart`]: super::RecordedRequest::multipart
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormPart {
    /// The `name` of its `Content-Disposition`, exactly as sent (escapes not undone).
    pub name: String,
    /// The `filename`, for file parts, exactly as sent.
    pub filename: Option<String>,
    /// The part's own `Content-Type`, if it had one.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub data: Vec<u8>,
}

impl FormPart {
    /// The data as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// Splits `body` by the boundary named in `content_type`; `None` when it is not multipart or
/// does not parse.
///
/// What counts as well-formed (RFC 2046 section 5.1, RFC 7578): a preamble before the first
/// delimiter and an epilogue after the closing one are ignored; each part is its header lines,
/// a blank line, then its data up to the CRLF before the next delimiter; every part needs a
/// `Content-Disposition: form-data` with a `name`. Quoted values end at the next `"` (the
/// WHATWG encoding, which escapes `"` as `%22`, not with backslashes), and are kept as sent.
pub(crate) fn parse(content_type: &str, body: &[u8]) -> Option<Vec<FormPart>> {
    let boundary = boundary(content_type)?;
    let delimiter = [b"--", boundary.as_bytes()].concat();
    let next_delimiter = [b"\r\n--", boundary.as_bytes()].concat();

    // The first delimiter opens the body or follows the preamble's last CRLF.
    let mut pos = if body.starts_with(&delimiter) {
        delimiter.len()
    } else {
        find(body, &next_delimiter, 0)? + next_delimiter.len()
    };
    let mut parts = Vec::new();
    loop {
        let rest = body.get(pos..)?;
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        // Transport padding (spaces and tabs) may precede the delimiter line's CRLF.
        let padding = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if !rest.get(padding..)?.starts_with(b"\r\n") {
            return None;
        }
        let head_start = pos + padding + 2;
        // A part without headers has no name, and its data could pass for headers.
        if body.get(head_start..)?.starts_with(b"\r\n") {
            return None;
        }
        let head_end = find(body, b"\r\n\r\n", head_start)?;
        let head = std::str::from_utf8(body.get(head_start..head_end)?).ok()?;
        let data_start = head_end + 4;
        let data_end = find(body, &next_delimiter, data_start)?;
        let mut part = part_head(head)?;
        part.data = body.get(data_start..data_end)?.to_vec();
        parts.push(part);
        pos = data_end + next_delimiter.len();
    }
}

/// The `boundary` parameter of a `multipart/*` content type, unquoted.
fn boundary(content_type: &str) -> Option<String> {
    let (media_type, params) = content_type.split_once(';')?;
    let media_type = media_type.trim();
    if !media_type
        .get(..10)
        .is_some_and(|t| t.eq_ignore_ascii_case("multipart/"))
    {
        return None;
    }
    let boundary = params_of(params)?
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value)?;
    // RFC 2046: 1 to 70 characters.
    (1..=70)
        .contains(&boundary.len())
        .then(|| boundary.to_owned())
}

/// A part's headers: its `Content-Disposition` names it; its `Content-Type` is kept.
fn part_head(head: &str) -> Option<FormPart> {
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (key, value) = line.split_once(':')?;
        let value = value.trim();
        if key.eq_ignore_ascii_case("content-disposition") {
            let (kind, params) = value.split_once(';').unwrap_or((value, ""));
            if !kind.trim().eq_ignore_ascii_case("form-data") {
                return None;
            }
            for (key, value) in params_of(params)? {
                if key.eq_ignore_ascii_case("name") {
                    name = Some(value.to_owned());
                } else if key.eq_ignore_ascii_case("filename") {
                    filename = Some(value.to_owned());
                }
            }
        } else if key.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.to_owned());
        } else if key.is_empty() || key.contains(|c: char| c.is_whitespace()) {
            return None;
        }
    }
    Some(FormPart {
        name: name?,
        filename,
        content_type,
        data: Vec::new(),
    })
}

/// `; key=value; key="quoted value"` pairs; `None` when a quoted value is not closed or a
/// parameter has no `=`.
fn params_of(mut text: &str) -> Option<Vec<(&str, &str)>> {
    let mut params = Vec::new();
    loop {
        text = text.trim_start_matches(|c: char| c == ';' || c.is_ascii_whitespace());
        if text.is_empty() {
            return Some(params);
        }
        let (key, rest) = text.split_once('=')?;
        let key = key.trim();
        if key.is_empty() || key.contains(|c: char| c == ';' || c.is_ascii_whitespace()) {
            return None;
        }
        let rest = rest.trim_start();
        let (value, after) = match rest.strip_prefix('"') {
            Some(quoted) => {
                let (value, after) = quoted.split_once('"')?;
                if !after.trim_start().is_empty() && !after.trim_start().starts_with(';') {
                    return None;
                }
                (value, after)
            }
            None => {
                let end = rest.find(';').unwrap_or(rest.len());
                (rest[..end].trim_end(), &rest[end..])
            }
        };
        params.push((key, value));
        text = after;
    }
}

/// The first index at or after `from` where `needle` starts.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while let Some(rest) = haystack.get(at..) {
        let offset = rest.iter().position(|&b| b == first)?;
        at += offset;
        if haystack.get(at..)?.starts_with(needle) {
            return Some(at);
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multipart::Form;

    fn part(
        name: &str,
        filename: Option<&str>,
        content_type: Option<&str>,
        data: &[u8],
    ) -> FormPart {
        FormPart {
            name: name.to_owned(),
            filename: filename.map(str::to_owned),
            content_type: content_type.map(str::to_owned),
            data: data.to_vec(),
        }
    }

    #[test]
    fn reads_back_what_the_crate_encoder_wrote() {
        let tricky = b"RIFF\r\n--\r\n--meshapi-\r\n\r\n\x00\xff--";
        let mut form = Form::new();
        form.text("model", "sarvam/saaras:v3")
            .text("diarize", false)
            .text("temperature", 0.25)
            .list("keyterms", ["alpha", "beta gamma"])
            .text("empty", "")
            .file(
                "file",
                "say \"hi\"\r\n.wav",
                "application/octet-stream",
                tricky,
            );
        let encoded = form.encode();
        let parts = parse(&encoded.content_type, &encoded.body).unwrap();
        assert_eq!(
            parts,
            [
                part("model", None, None, b"sarvam/saaras:v3"),
                part("diarize", None, None, b"false"),
                part("temperature", None, None, b"0.25"),
                part("keyterms", None, None, b"alpha"),
                part("keyterms", None, None, b"beta gamma"),
                part("empty", None, None, b""),
                part(
                    "file",
                    Some("say %22hi%22%0D%0A.wav"),
                    Some("application/octet-stream"),
                    tricky
                ),
            ]
        );
        assert_eq!(parts[1].text(), "false");
    }

    #[test]
    fn an_empty_form_has_no_parts() {
        let encoded = Form::new().encode();
        assert_eq!(
            parse(&encoded.content_type, &encoded.body),
            Some(Vec::new())
        );
    }

    #[test]
    fn boundary_parameter_may_be_quoted_and_in_any_case() {
        let body = b"--a b;c\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a b;c--";
        for content_type in [
            "multipart/form-data; BOUNDARY=\"a b;c\"",
            "Multipart/Form-Data;charset=utf-8;  Boundary=\"a b;c\" ",
        ] {
            let parts = parse(content_type, body).expect(content_type);
            assert_eq!(parts, [part("x", None, None, b"1")], "{content_type}");
        }
        let unquoted =
            b"--xyz\r\ncontent-disposition: FORM-DATA; NAME=\"n\"; FileName=\"f.bin\"\r\n\
CONTENT-TYPE:  audio/wav \r\n\r\n\r\n\r\n--xyz--\r\n";
        assert_eq!(
            parse("multipart/form-data; boundary=xyz", unquoted),
            Some(vec![part("n", Some("f.bin"), Some("audio/wav"), b"\r\n")])
        );
    }

    #[test]
    fn preamble_padding_and_epilogue_are_skipped() {
        let body = b"preamble\r\n--b \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\
one\r\n--b\r\nContent-Disposition: form-data; name=\"b\"; filename=\"\"\r\n\r\ntwo\r\n--b--epilogue";
        assert_eq!(
            parse("multipart/form-data; boundary=b", body),
            Some(vec![
                part("a", None, None, b"one"),
                part("b", Some(""), None, b"two")
            ])
        );
    }

    #[test]
    fn names_keep_their_escapes_and_utf8() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"a%22b\\\"; filename=\"caf\u{e9}.wav\"\r\n\r\nx\r\n--b--";
        let parts = parse("multipart/form-data; boundary=b", body.as_bytes()).unwrap();
        assert_eq!(parts[0].name, "a%22b\\");
        assert_eq!(parts[0].filename.as_deref(), Some("caf\u{e9}.wav"));
    }

    #[test]
    fn malformed_bodies_are_none() {
        let ok = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--\r\n";
        assert!(parse("multipart/form-data; boundary=b", ok.as_bytes()).is_some());
        let content_types = [
            "application/json",
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\"\"",
            "multipart/form-data; boundary=\"b",
            "multipart/form-data; charset",
            "text/plain; boundary=b",
            "",
        ];
        for content_type in content_types {
            assert_eq!(parse(content_type, ok.as_bytes()), None, "{content_type}");
        }
        let long = format!("multipart/form-data; boundary={}", "b".repeat(71));
        assert_eq!(parse(&long, ok.as_bytes()), None);
        let bodies: [&[u8]; 11] = [
            b"",
            b"--c\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--c--",
            b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n",
            b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",
            b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--b--",
            b"--b\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--b--",
            b"--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--",
            b"--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--",
            b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\nNo colon\r\n\r\nx\r\n--b--",
            b"--b\r\n\r\nx\r\n--b--",
            b"--bx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bx--",
        ];
        for body in bodies {
            assert_eq!(
                parse("multipart/form-data; boundary=b", body),
                None,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let latin1 = b"--b\r\nContent-Disposition: form-data; name=\"\xe9\"\r\n\r\nx\r\n--b--";
        assert_eq!(parse("multipart/form-data; boundary=b", latin1), None);
    }

    #[test]
    fn every_truncation_is_none_until_the_closing_delimiter() {
        let mut form = Form::new();
        form.text("model", "m")
            .file("file", "a.wav", "application/octet-stream", b"\r\n--x\r\n");
        let encoded = form.encode();
        let full = parse(&encoded.content_type, &encoded.body).unwrap();
        let closed = encoded.body.len() - 2; // just after the closing `--boundary--`
        for cut in 0..encoded.body.len() {
            let parsed = parse(&encoded.content_type, &encoded.body[..cut]);
            if cut >= closed {
                assert_eq!(parsed.as_ref(), Some(&full), "cut at {cut}");
            } else {
                assert_eq!(parsed, None, "cut at {cut}");
            }
        }
    }

    #[test]
    fn find_scans_from_an_offset() {
        assert_eq!(find(b"abcabc", b"bc", 0), Some(1));
        assert_eq!(find(b"abcabc", b"bc", 2), Some(4));
        assert_eq!(find(b"abcabc", b"bc", 9), None);
        assert_eq!(find(b"abc", b"", 0), None);
    }
}
