//! The property checks behind the fuzz targets in `fuzz/`, shared with the stable replay of
//! `fuzz/seeds/` in this module's tests, so that a seed fails `cargo test` exactly when it
//! would crash its fuzz target.
//!
//! Compiled only for cargo-fuzz (`--cfg fuzzing`) and for the crate's own tests. Every check
//! panics when a property fails: a panic is what libFuzzer reports as a crash.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ErrorCode, MeshApiError, SNIPPET_CHARS};
use crate::sse::{DEFAULT_MAX_EVENT_SIZE, SseDecoder, SseEvent};
use crate::stream::Stream;
use crate::transport::Response;
use crate::types::chat::ChatCompletionChunk;
use crate::types::compare::CompareStreamEvent;
use crate::types::responses::ResponseStreamEvent;

/// Decodes an SSE body once whole and once in the pieces the input chooses, and checks that the
/// split changes nothing.
///
/// Input: one byte for the limit (below `0x80`: the default 16 MiB; else its low 7 bits, so
/// 0 to 127 bytes), one byte whose low 4 bits count the piece sizes that follow (none: 1-byte
/// pieces), those sizes (each byte + 1, used in turn), then the body.
pub fn check_sse(input: &[u8]) {
    let (limit, rest) = match input.split_first() {
        Some((&byte, rest)) if byte >= 0x80 => (usize::from(byte & 0x7F), rest),
        Some((_, rest)) => (DEFAULT_MAX_EVENT_SIZE, rest),
        None => (DEFAULT_MAX_EVENT_SIZE, input),
    };
    let (count, rest) = match rest.split_first() {
        Some((&byte, rest)) => (usize::from(byte & 0x0F).min(rest.len()), rest),
        None => (0, rest),
    };
    let (sizes, body) = rest.split_at(count);
    let mut sizes: Vec<usize> = sizes.iter().map(|&b| usize::from(b) + 1).collect();
    if sizes.is_empty() {
        sizes.push(1);
    }

    let whole = decode_sse(body, limit);
    let split = decode_sse(Script::cycled(body, &sizes), limit);
    assert_eq!(
        whole, split,
        "splitting the body into {sizes:?} changed what it decodes to"
    );

    let errors = whole.items.iter().filter(|item| item.is_err()).count();
    assert!(errors <= 1, "more than one error: {:?}", whole.items);
    if let Some(Err((code, message))) = whole.items.iter().find(|item| item.is_err()) {
        assert!(
            whole.items.last().is_some_and(Result::is_err),
            "an error is the last item"
        );
        assert_eq!(code, &ErrorCode::ParseError);
        let too_long =
            |what| format!("SSE {what} is longer than the maximum event size of {limit} bytes");
        assert!(
            *message == too_long("line") || *message == too_long("event data"),
            "unexpected error {message:?}"
        );
    }
    for event in whole.items.iter().flatten() {
        assert!(!event.event.is_empty(), "an event always has a type");
        assert!(
            event.data.len() <= limit,
            "{} data bytes over {limit}",
            event.data.len()
        );
        assert!(
            !event.data.contains('\r'),
            "CR ends a line, so never reaches data"
        );
        for field in [&event.event, &event.id] {
            assert!(!field.contains(['\r', '\n']), "{field:?} spans lines");
        }
        assert!(!event.id.contains('\0'), "an id with NUL is ignored");
    }
}

/// Everything a decoder yields, in a comparable form, and its state once it has ended.
#[derive(Debug, PartialEq)]
struct SseOutcome {
    items: Vec<Result<SseEvent, (ErrorCode, String)>>,
    last_event_id: String,
    retry: Option<Duration>,
}

fn decode_sse<R: BufRead>(reader: R, limit: usize) -> SseOutcome {
    let mut decoder = SseDecoder::new(reader).max_event_size(limit);
    let items = decoder
        .by_ref()
        .map(|item| item.map_err(|e| (e.code().clone(), e.message().to_owned())))
        .collect();
    assert!(decoder.next().is_none(), "an ended decoder stays ended");
    SseOutcome {
        items,
        last_event_id: decoder.last_event_id().to_owned(),
        retry: decoder.retry(),
    }
}

/// One step of a [`Script`].
#[derive(Debug)]
pub(crate) enum Step<'a> {
    /// Bytes served by reads until consumed; an empty one is skipped.
    Bytes(&'a [u8]),
    /// One read that fails with this kind.
    #[cfg_attr(not(test), allow(dead_code))] // the SSE unit tests script failures
    Fail(io::ErrorKind),
    /// One read that reports end of input, though more bytes follow.
    #[cfg_attr(not(test), allow(dead_code))]
    Eof,
}

/// A reader that serves its bytes in exactly the pieces it is given, the way a socket delivers
/// whatever arrived, failing where told: a piece the decoder consumes only partly is served
/// again from where it stopped.
#[derive(Debug)]
pub(crate) struct Script<'a> {
    steps: VecDeque<Step<'a>>,
}

// The SSE unit tests use every constructor; the fuzz targets only `cycled`.
#[cfg_attr(not(test), allow(dead_code))]
impl<'a> Script<'a> {
    pub(crate) fn new(steps: impl IntoIterator<Item = Step<'a>>) -> Self {
        Script {
            steps: steps.into_iter().collect(),
        }
    }

    pub(crate) fn pieces(pieces: impl IntoIterator<Item = &'a [u8]>) -> Self {
        Script::new(pieces.into_iter().map(Step::Bytes))
    }

    /// At most `n` bytes per read.
    pub(crate) fn chunked(input: &'a [u8], n: usize) -> Self {
        Script::pieces(input.chunks(n.max(1)))
    }

    /// Cut at each of the ascending `offsets`.
    pub(crate) fn split(input: &'a [u8], offsets: &[usize]) -> Self {
        let mut pieces = Vec::new();
        let mut rest = input;
        let mut at = 0;
        for &offset in offsets {
            let (piece, tail) = rest.split_at(offset - at);
            pieces.push(piece);
            rest = tail;
            at = offset;
        }
        pieces.push(rest);
        Script::pieces(pieces)
    }

    /// Pieces of the given sizes, in turn (a size of 0 counts as 1).
    pub(crate) fn cycled(input: &'a [u8], sizes: &[usize]) -> Self {
        let mut pieces = Vec::new();
        let mut rest = input;
        for &size in sizes.iter().cycle() {
            if rest.is_empty() || sizes.is_empty() {
                break;
            }
            let (piece, tail) = rest.split_at(size.clamp(1, rest.len()));
            pieces.push(piece);
            rest = tail;
        }
        Script::pieces(pieces)
    }
}

impl Read for Script<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Script<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        loop {
            match self.steps.front() {
                Some(Step::Bytes([])) => {}
                Some(&Step::Fail(kind)) => {
                    self.steps.pop_front();
                    return Err(io::Error::new(kind, "scripted failure"));
                }
                Some(Step::Eof) => {
                    self.steps.pop_front();
                    return Ok(&[]);
                }
                Some(Step::Bytes(bytes)) => return Ok(bytes),
                None => return Ok(&[]),
            }
            self.steps.pop_front();
        }
    }

    fn consume(&mut self, n: usize) {
        if let Some(Step::Bytes(bytes)) = self.steps.front_mut() {
            *bytes = &bytes[n.min(bytes.len())..];
        }
    }
}

/// Runs one frame through the chat, responses and compare streams, each reading a real
/// in-memory response, and checks what they make of it.
///
/// Input: an optional first line `event: <name>` (the SSE event line, which compare streams
/// inject into their items), then the frame's JSON text, sent as one `data:` line per line.
pub fn check_frames(input: &[u8]) {
    let (event_line, frame) = match input.strip_prefix(b"event:") {
        Some(_) => {
            let end = input
                .iter()
                .position(|&b| b == b'\r' || b == b'\n')
                .unwrap_or(input.len());
            (&input[..end], input.get(end + 1..).unwrap_or_default())
        }
        None => (&b""[..], input),
    };
    let mut body = event_line.to_vec();
    body.push(b'\n');
    let mut lines = Vec::new();
    for line in frame.split(|&b| b == b'\r' || b == b'\n') {
        body.extend_from_slice(b"data: ");
        body.extend_from_slice(line);
        body.push(b'\n');
        lines.push(String::from_utf8_lossy(line));
    }
    body.extend_from_slice(b"\ndata: [DONE]\n\n");
    // What the SSE decoder hands to the frame decoder.
    let data = lines.join("\n");
    let name = match event_line.strip_prefix(b"event:") {
        Some(value) => String::from_utf8_lossy(value.strip_prefix(b" ").unwrap_or(value)),
        None => "".into(),
    };
    let name = if name.is_empty() { "message" } else { &name };
    let json = serde_json::from_str::<Value>(&data).ok();

    check_frame::<ChatCompletionChunk>(&body, &data, json.as_ref(), false);
    check_frame::<ResponseStreamEvent>(&body, &data, json.as_ref(), false);
    let compare = check_frame::<CompareStreamEvent>(&body, &data, json.as_ref(), true);
    if let Some(Ok(event)) = compare {
        // The SSE name wins, but a frame without an `event:` line keeps its own `event` key.
        let expected = match (name, json.as_ref().and_then(|v| v.get("event"))) {
            ("message", Some(own)) => own.as_str(),
            (name, _) => Some(name),
        };
        assert_eq!(event.event.as_deref(), expected, "the compare event's name");
    }
}

/// Reads the first item of a `T` stream over `body` and checks it; returns that item.
fn check_frame<T>(
    body: &[u8],
    data: &str,
    json: Option<&Value>,
    event_names: bool,
) -> Option<Result<T, MeshApiError>>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let response = Response::event_stream(Some("req_fuzz"), body.to_vec());
    let mut stream = Stream::<T>::open(response, DEFAULT_MAX_EVENT_SIZE, None);
    if event_names {
        stream = stream.with_event_names();
    }
    let first = stream.next();
    let rest = stream.next();
    assert!(
        rest.is_none(),
        "the stream goes on after its first frame: {rest:?}"
    );
    if data.trim_ascii() == "[DONE]" {
        assert!(first.is_none(), "[DONE] ends the stream, got {first:?}");
        return first;
    }
    let error_object = json
        .and_then(|v| v.get("error"))
        .is_some_and(Value::is_object);
    match &first {
        None => panic!("a frame that is not [DONE] is an item"),
        Some(Err(err)) => {
            assert!(
                err.request_id().is_some(),
                "{err:?} lost the stream's request id"
            );
            assert_eq!(err.status(), None, "an error inside a stream has no status");
            let _ = err.to_string();
        }
        Some(Ok(item)) => {
            assert!(
                !error_object,
                "a frame with an object `error` is not an item: {item:?}"
            );
            let again = serde_json::to_value(item).map(serde_json::from_value::<T>);
            match again {
                Ok(Ok(again)) => assert_eq!(&again, item, "the item does not round-trip"),
                other => panic!("{item:?} does not round-trip: {other:?}"),
            }
        }
    }
    if !event_names && !error_object {
        // Whichever way the stream parses a frame, it agrees with parsing it straight.
        let direct = serde_json::from_str::<T>(data).ok();
        let streamed = first.as_ref().and_then(|item| item.as_ref().ok());
        assert_eq!(
            streamed,
            direct.as_ref(),
            "the stream and a direct parse disagree"
        );
    }
    first
}

/// Maps an error response, and its body as a stream's error frame, and checks the errors.
///
/// Input: the status (2 bytes, big-endian), a flags byte (bit 0: an `X-Request-Id` header,
/// bit 1: a `Retry-After`, bit 2: a `Location`), then the body.
pub fn check_error_map(input: &[u8]) {
    let status = match input {
        [hi, lo, ..] => u16::from_be_bytes([*hi, *lo]),
        _ => 0,
    };
    let flags = input.get(2).copied().unwrap_or(0);
    let body = input.get(3..).unwrap_or_default();
    let request_id = (flags & 1 != 0).then_some("req_header");
    let retry_after = (flags & 2 != 0).then_some(Duration::from_secs(7));
    let location = (flags & 4 != 0).then_some("https://elsewhere.invalid/next");

    let err = MeshApiError::from_response(status, request_id, retry_after, location, body);
    assert_eq!(err.status(), Some(status));
    if retry_after.is_some() {
        assert_eq!(
            err.retry_after(),
            retry_after,
            "the header's Retry-After wins"
        );
    }
    assert_ne!(err.request_id(), Some(""), "an empty request id is none");
    if request_id.is_some() {
        assert!(
            err.request_id().is_some(),
            "the header's request id is kept"
        );
    }
    let message = err.message();
    let status_only = format!("HTTP {status}");
    let json = serde_json::from_slice::<Value>(body);
    if (300..400).contains(&status) {
        assert_eq!(err.code(), &ErrorCode::HttpError);
        assert!(message.contains(location.unwrap_or("an unnamed location")));
        assert!(message.len() <= 200, "{} bytes: {message:?}", message.len());
    } else if json.is_ok() {
        // The body's own message is quoted whole, so it can be as long as the body (escapes
        // only shrink it), but never longer.
        assert!(
            *message == status_only || message.len() <= body.len(),
            "{} bytes of message from a {}-byte body",
            message.len(),
            body.len()
        );
    } else {
        assert_eq!(err.code(), &ErrorCode::ParseError);
        assert!(
            std::error::Error::source(&err).is_some(),
            "the JSON error is kept"
        );
        // A body that is not JSON is quoted as a snippet: at most 500 characters and "...".
        let chars = message.chars().count();
        assert!(chars <= SNIPPET_CHARS + 3, "{chars} characters quoted");
    }
    assert_eq!(err.to_string(), display(&err));

    if let Ok(frame) = json {
        let frame_request_id = frame.get("request_id").and_then(Value::as_str);
        let err = MeshApiError::from_stream_frame(&frame, frame_request_id);
        assert_eq!(err.status(), None, "an error frame has no status");
        assert!(
            !err.message().is_empty(),
            "an error frame always has a message"
        );
        assert_ne!(err.request_id(), Some(""), "an empty request id is none");
        assert_eq!(err.to_string(), display(&err));
    }
}

/// The `Display` form documented on [`MeshApiError`], rebuilt from its parts.
fn display(err: &MeshApiError) -> String {
    let status = err.status().map(|s| format!("[{s}] ")).unwrap_or_default();
    let request_id = err
        .request_id()
        .map(|id| format!(" (request_id {id})"))
        .unwrap_or_default();
    format!("{status}{}: {}{request_id}", err.code(), err.message())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{self, AssertUnwindSafe};
    use std::path::Path;

    /// Runs `check` on every seed of `target`, and fails naming each seed that fails.
    fn replay(target: &str, check: fn(&[u8])) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/seeds")
            .join(target);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        entries.sort();
        let mut failed = Vec::new();
        for path in &entries {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if panic::catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err() {
                failed.push(path.display().to_string());
            }
        }
        assert!(!entries.is_empty(), "no seeds in {}", dir.display());
        assert!(failed.is_empty(), "seeds that fail: {failed:#?}");
    }

    #[test]
    fn sse_seeds_replay() {
        replay("sse", check_sse);
    }

    #[test]
    fn frames_seeds_replay() {
        replay("frames", check_frames);
    }

    #[test]
    fn error_map_seeds_replay() {
        replay("error_map", check_error_map);
    }

    #[test]
    fn cycled_pieces_serve_the_sizes_in_turn_and_honour_consume() {
        let mut pieces = Script::cycled(b"abcdefgh", &[2, 3]);
        assert_eq!(pieces.fill_buf().ok(), Some(&b"ab"[..]));
        pieces.consume(1);
        assert_eq!(pieces.fill_buf().ok(), Some(&b"b"[..]));
        pieces.consume(1);
        assert_eq!(pieces.fill_buf().ok(), Some(&b"cde"[..]));
        pieces.consume(3);
        let mut rest = Vec::new();
        pieces.read_to_end(&mut rest).expect("in-memory read");
        assert_eq!(rest, b"fgh");
        assert_eq!(pieces.fill_buf().ok(), Some(&b""[..]));
    }

    #[test]
    fn a_replay_of_nothing_fails() {
        let outcome = panic::catch_unwind(|| replay("no-such-target", |_| {}));
        assert!(outcome.is_err());
    }
}
