//! A decoder for `text/event-stream` bodies that follows the WHATWG event-stream parsing rules.
//!
//! [`SseDecoder`] reads any [`BufRead`] and yields one [`SseEvent`] per dispatched event. It knows
//! nothing of JSON or of an end-of-stream sentinel such as `[DONE]`: that is its owner's business.
//!
//! ```
//! use meshapi::sse::SseDecoder;
//!
//! let body = &b"event: note\ndata: hello\ndata: world\n\n"[..];
//! let events = SseDecoder::new(body).collect::<Result<Vec<_>, _>>()?;
//! assert_eq!(events.len(), 1);
//! assert_eq!(events[0].event, "note");
//! assert_eq!(events[0].data, "hello\nworld");
//! # Ok::<(), meshapi::MeshApiError>(())
//! ```

use std::borrow::Cow;
use std::io::{self, BufRead};
use std::iter::FusedIterator;
use std::mem;
use std::time::Duration;

use crate::error::{ErrorCode, MeshApiError};

/// The default [`SseDecoder::max_event_size`]: 16 MiB.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SseEvent {
    /// The event type: the event's last `event` field, or `"message"` when it had none.
    pub event: String,
    /// The event's `data` field values joined by `"\n"`.
    pub data: String,
    /// The last event ID in force at dispatch; it carries over from earlier events, and is
    /// empty when none was set or a bare `id` field reset it.
    pub id: String,
}

/// One dispatched event, borrowed from the decoder's buffers until its next call: what
/// [`SseDecoder::next_event`] yields, so that reading an event allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SseEventRef<'a> {
    /// The event type, `"message"` when it had none.
    pub event: &'a str,
    /// The event's `data` field values joined by `"\n"`.
    pub data: &'a str,
    /// The last event ID in force at dispatch.
    pub id: &'a str,
}

impl SseEventRef<'_> {
    /// The event, owned.
    pub fn to_owned(&self) -> SseEvent {
        SseEvent {
            event: self.event.to_owned(),
            data: self.data.to_owned(),
            id: self.id.to_owned(),
        }
    }
}

/// Decodes a `text/event-stream` from a [`BufRead`] into [`SseEvent`]s.
///
/// The iterator yields each event as soon as the blank line that ends it arrives, having consumed
/// the reader only up to that line's end, so the rest of the body stays in the reader (see
/// [`reader_mut`](SseDecoder::reader_mut)). It returns `None` at end of input, dropping a last
/// event that no blank line ended, as the standard requires.
///
/// # Errors
///
/// The iterator yields one `Err` and then only `None`:
/// - [`ErrorCode::Timeout`] when a read times out, [`ErrorCode::StreamInterrupted`] when a read
///   fails otherwise, with the [`io::Error`] as the error's source;
/// - [`ErrorCode::ParseError`] when a line, or an event's data, is longer than
///   [`max_event_size`](SseDecoder::max_event_size).
///
/// ```
/// use meshapi::sse::SseDecoder;
///
/// let mut decoder = SseDecoder::new(&b"data: hi\n\n"[..]);
/// let event = decoder.next().transpose()?.map(|event| (event.event, event.data));
/// assert_eq!(event, Some(("message".to_owned(), "hi".to_owned())));
/// assert!(decoder.next().is_none());
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug)]
pub struct SseDecoder<R> {
    reader: R,
    parser: Parser,
}

/// Everything but the reader, so that a line borrowed from the reader's buffer can be parsed.
#[derive(Debug)]
struct Parser {
    max: usize,
    /// How many bytes of a BOM the stream has begun with, while that is still undecided.
    bom_matched: Option<usize>,
    /// The last line ended in a CR at the end of a read, so an LF opening the next read belongs
    /// to that line ending.
    pending_cr: bool,
    /// The start of a line that the reader's buffer cut short.
    line: Vec<u8>,
    data: String,
    event_type: String,
    /// The id buffer: set by `id` fields, it becomes the last event id only when an event is
    /// dispatched, so the id of an event cut off by the end of the stream is never reported.
    id_buffer: String,
    last_id: String,
    retry: Option<Duration>,
    /// `data` and `event_type` hold an event handed out by `next_event`, to be cleared before
    /// the next line is parsed.
    lent: bool,
    done: bool,
}

/// What parsing a line led to.
enum Outcome {
    /// An event is ready in `data` (without its last LF) and `event_type`.
    Dispatched,
    Failed(MeshApiError),
}

impl<R: BufRead> SseDecoder<R> {
    /// A decoder reading from `reader`.
    pub fn new(reader: R) -> SseDecoder<R> {
        SseDecoder {
            reader,
            parser: Parser {
                max: DEFAULT_MAX_EVENT_SIZE,
                bom_matched: Some(0),
                pending_cr: false,
                line: Vec::new(),
                data: String::new(),
                event_type: String::new(),
                id_buffer: String::new(),
                last_id: String::new(),
                retry: None,
                lent: false,
                done: false,
            },
        }
    }

    /// The longest line, and the longest event data, in bytes, that the decoder accepts before
    /// it fails with [`ErrorCode::ParseError`]; it never buffers much more than this.
    ///
    /// Defaults to 16 MiB.
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.parser.max = bytes;
        self
    }

    /// The last event ID: the `id` field in force when the latest event was dispatched (by its
    /// blank line); empty when none was set or it was reset. An `id` field of an event that the
    /// end of the stream cut off does not count, so a client that resumes from this id gets
    /// that event again.
    pub fn last_event_id(&self) -> &str {
        &self.parser.last_id
    }

    /// The reconnection time set by the last valid `retry` field (milliseconds, in ASCII
    /// digits only), if any.
    pub fn retry(&self) -> Option<Duration> {
        self.parser.retry
    }

    /// The reader, positioned just past the last line the decoder consumed.
    ///
    /// After an event, that is the end of the blank line that dispatched it (only the LF of a
    /// CRLF split across reads may still be ahead), so the owner can read or drain the rest of
    /// the body itself.
    pub fn reader_mut(&mut self) -> &mut R {
        &mut self.reader
    }

    /// The reader, positioned as for [`reader_mut`](SseDecoder::reader_mut).
    pub fn into_inner(self) -> R {
        self.reader
    }
}

impl<R: BufRead> SseDecoder<R> {
    /// The next event, borrowed from the decoder until the next call: the allocation-free twin
    /// of [`next`](Iterator::next), which yields the same events owned.
    ///
    /// ```
    /// use meshapi::sse::SseDecoder;
    ///
    /// let mut decoder = SseDecoder::new(&b"event: note\ndata: hi\n\ndata: again\n\n"[..]);
    /// let mut seen = Vec::new();
    /// while let Some(event) = decoder.next_event() {
    ///     let event = event?;
    ///     seen.push(format!("{}={}", event.event, event.data));
    /// }
    /// assert_eq!(seen, ["note=hi", "message=again"]);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn next_event(&mut self) -> Option<Result<SseEventRef<'_>, MeshApiError>> {
        if self.parser.done {
            return None;
        }
        if self.parser.lent {
            self.parser.lent = false;
            self.parser.data.clear();
            self.parser.event_type.clear();
        }
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.parser.done = true;
                    return Some(Err(MeshApiError::stream_io(e)));
                }
            };
            if buf.is_empty() {
                self.parser.done = true;
                return None;
            }
            let (used, outcome) = self.parser.feed(buf);
            self.reader.consume(used);
            match outcome {
                None => {}
                Some(Outcome::Failed(err)) => {
                    self.parser.done = true;
                    return Some(Err(err));
                }
                Some(Outcome::Dispatched) => {
                    let parser = &mut self.parser;
                    parser.lent = true;
                    let event = if parser.event_type.is_empty() {
                        "message"
                    } else {
                        parser.event_type.as_str()
                    };
                    return Some(Ok(SseEventRef {
                        event,
                        data: &parser.data,
                        id: &parser.last_id,
                    }));
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for SseDecoder<R> {
    type Item = Result<SseEvent, MeshApiError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event()
            .map(|event| event.map(|event| event.to_owned()))
    }
}

impl<R: BufRead> FusedIterator for SseDecoder<R> {}

impl Parser {
    /// Parses the lines of `buf` until one dispatches an event or fails; returns how many bytes
    /// of `buf` that took.
    fn feed(&mut self, buf: &[u8]) -> (usize, Option<Outcome>) {
        let mut rest = buf;
        if let Some(matched) = self.bom_matched {
            rest = self.skip_bom(matched, rest);
        }
        if self.pending_cr && !rest.is_empty() {
            self.pending_cr = false;
            rest = rest.strip_prefix(b"\n").unwrap_or(rest);
        }
        while let Some(end) = find_eol(rest) {
            let (line, ending) = rest.split_at(end);
            rest = match ending {
                [b'\r', b'\n', tail @ ..] => tail,
                [b'\r'] => {
                    self.pending_cr = true;
                    &[]
                }
                [_, tail @ ..] => tail,
                [] => ending,
            };
            let item = if self.line.is_empty() {
                self.parse_line(line)
            } else {
                self.finish_line(line)
            };
            if item.is_some() {
                return (buf.len() - rest.len(), item);
            }
        }
        if self.line.len().saturating_add(rest.len()) > self.max {
            return (buf.len(), Some(Outcome::Failed(self.too_long("line"))));
        }
        self.line.extend_from_slice(rest);
        (buf.len(), None)
    }

    /// Skips the part of a BOM that opens `rest`; bytes that turn out not to be one are kept as
    /// the start of the first line.
    fn skip_bom<'a>(&mut self, mut matched: usize, mut rest: &'a [u8]) -> &'a [u8] {
        while let Some((&byte, tail)) = rest.split_first() {
            if BOM.get(matched) != Some(&byte) {
                self.line.extend_from_slice(&BOM[..matched]);
                self.bom_matched = None;
                return rest;
            }
            rest = tail;
            matched += 1;
            if matched == BOM.len() {
                self.bom_matched = None;
                return rest;
            }
        }
        self.bom_matched = Some(matched);
        rest
    }

    /// Parses the buffered start of a line together with its `tail` from the current read.
    fn finish_line(&mut self, tail: &[u8]) -> Option<Outcome> {
        if self.line.len().saturating_add(tail.len()) > self.max {
            return Some(Outcome::Failed(self.too_long("line")));
        }
        let mut line = mem::take(&mut self.line);
        line.extend_from_slice(tail);
        let item = self.parse_line(&line);
        line.clear();
        self.line = line;
        item
    }

    fn parse_line(&mut self, line: &[u8]) -> Option<Outcome> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line.len() > self.max {
            return Some(Outcome::Failed(self.too_long("line")));
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(0) => return None,
            Some(colon) => match line.split_at(colon) {
                (field, [_, b' ', value @ ..] | [_, value @ ..]) => (field, value),
                (field, []) => (field, &[][..]),
            },
            None => (line, &[][..]),
        };
        match field {
            b"data" => {
                let value = decode(value);
                if self.data.len().saturating_add(value.len()) > self.max {
                    return Some(Outcome::Failed(self.too_long("event data")));
                }
                self.data.reserve(value.len() + 1);
                self.data.push_str(&value);
                self.data.push('\n');
            }
            b"event" => {
                self.event_type.clear();
                self.event_type.push_str(&decode(value));
            }
            b"id" if !value.contains(&0) => {
                self.id_buffer.clear();
                self.id_buffer.push_str(&decode(value));
            }
            b"retry" => {
                if let Some(ms) = parse_retry(value) {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
        None
    }

    /// Ends an event at a blank line: it is ready when it has data, and is dropped (with its
    /// type) when it has none.
    fn dispatch(&mut self) -> Option<Outcome> {
        if self.last_id != self.id_buffer {
            self.last_id.clone_from(&self.id_buffer);
        }
        if self.data.is_empty() {
            self.event_type.clear();
            return None;
        }
        self.data.pop();
        Some(Outcome::Dispatched)
    }

    fn too_long(&self, what: &str) -> MeshApiError {
        MeshApiError::new(
            ErrorCode::ParseError,
            format!(
                "SSE {what} is longer than the maximum event size of {} bytes",
                self.max
            ),
        )
    }
}

/// The index of the first CR or LF in `bytes`.
fn find_eol(bytes: &[u8]) -> Option<usize> {
    // The test of a whole block has no branch and compiles to a few vector instructions; only
    // the block that holds a line ending is searched, a word at a time.
    const BLOCK: usize = 16;
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut start = 0;
    for block in &mut blocks {
        let any = block.iter().fold(0u8, |any, &b| {
            any | u8::from(b == b'\n') | u8::from(b == b'\r')
        });
        if any != 0 {
            let (low, high) = block.split_at(BLOCK / 2);
            let (offset, bits) = match eol_bits(low) {
                0 => (BLOCK / 2, eol_bits(high)),
                bits => (0, bits),
            };
            return Some(start + offset + bits.trailing_zeros() as usize / 8);
        }
        start += BLOCK;
    }
    let found = blocks
        .remainder()
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')?;
    Some(start + found)
}

/// For the first eight bytes of `word`: a mask whose lowest set bit is the top bit of the first
/// CR or LF byte, and 0 if there is none. (Bits above that one may be set by the borrow of the
/// subtraction, so only the lowest one means anything.)
fn eol_bits(word: &[u8]) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const TOPS: u64 = u64::from_le_bytes([0x80; 8]);
    let word = word
        .first_chunk()
        .map_or(0, |bytes| u64::from_le_bytes(*bytes));
    // A byte of `x` is zero where `x - ONES` sets its top bit and `x` itself had it clear.
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & TOPS;
    zero_bytes(word ^ (ONES * u64::from(b'\n'))) | zero_bytes(word ^ (ONES * u64::from(b'\r')))
}

fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A `retry` value in milliseconds: only ASCII digits, and small enough for a `u64`.
fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |ms, &b| {
        let digit = b.is_ascii_digit().then(|| u64::from(b - b'0'))?;
        ms.checked_mul(10)?.checked_add(digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzing::{Script, Step};
    use std::error::Error as _;
    use std::io::Read;

    fn ev(event: &str, data: &str, id: &str) -> SseEvent {
        SseEvent {
            event: event.to_owned(),
            data: data.to_owned(),
            id: id.to_owned(),
        }
    }

    fn events(reader: impl BufRead) -> Vec<SseEvent> {
        SseDecoder::new(reader)
            .collect::<Result<_, _>>()
            .expect("stream decodes")
    }

    fn events_of(input: &[u8]) -> Vec<SseEvent> {
        events(input)
    }

    /// Events, last event ID and retry: all a stream can tell.
    fn outcome(reader: impl BufRead) -> (Vec<SseEvent>, String, Option<Duration>) {
        let mut decoder = SseDecoder::new(reader);
        let events = decoder
            .by_ref()
            .collect::<Result<_, _>>()
            .expect("stream decodes");
        (events, decoder.last_event_id().to_owned(), decoder.retry())
    }

    /// Decodes `input` whole, one byte per read and cut at every offset, and checks all agree.
    fn events_every_way(input: &[u8]) -> Vec<SseEvent> {
        let whole = events_of(input);
        assert_eq!(
            events(Script::chunked(input, 1)),
            whole,
            "one byte per read"
        );
        for cut in 0..=input.len() {
            assert_eq!(events(Script::split(input, &[cut])), whole, "cut at {cut}");
        }
        whole
    }

    const SAMPLE: &[u8] = b"\xEF\xBB\xBF: welcome\r\n\
        event: greeting\r\n\
        id: 1\r\n\
        retry: 1500\r\n\
        data:hello\r\n\
        data:  two spaces\r\n\
        \r\n\
        data: line1\rdata: line2\r\r\
        : keep-alive\n\
        data: \xE2\x82\xAC and \xF0\x9F\x98\x80\n\
        id: 2\n\
        \n\
        event: ping\n\
        \n\
        data\n\
        id\n\
        \n\
        unknown: field\n\
        event: update\r\n\
        data: {\"a\":1}\r\n\
        \r\n\
        data: never dispatched\n";

    fn sample_outcome() -> (Vec<SseEvent>, String, Option<Duration>) {
        (
            vec![
                ev("greeting", "hello\n two spaces", "1"),
                ev("message", "line1\nline2", "1"),
                ev("message", "\u{20AC} and \u{1F600}", "2"),
                ev("message", "", ""),
                ev("update", "{\"a\":1}", ""),
            ],
            String::new(),
            Some(Duration::from_millis(1500)),
        )
    }

    #[test]
    fn sample_decodes_whole() {
        assert_eq!(outcome(SAMPLE), sample_outcome());
    }

    #[test]
    fn sample_decodes_in_reads_of_every_size() {
        for n in 1..=SAMPLE.len() {
            assert_eq!(outcome(Script::chunked(SAMPLE, n)), sample_outcome(), "{n}");
        }
    }

    #[test]
    fn sample_decodes_cut_at_every_offset() {
        for cut in 0..=SAMPLE.len() {
            let got = outcome(Script::split(SAMPLE, &[cut]));
            assert_eq!(got, sample_outcome(), "cut at {cut}");
        }
    }

    #[test]
    fn sample_decodes_cut_at_every_pair_of_offsets() {
        for first in 0..=SAMPLE.len() {
            for second in first..=SAMPLE.len() {
                let got = outcome(Script::split(SAMPLE, &[first, second]));
                assert_eq!(got, sample_outcome(), "cuts at {first} and {second}");
            }
        }
    }

    #[test]
    fn bom_at_start_is_stripped() {
        assert_eq!(
            events_every_way(b"\xEF\xBB\xBFdata: x\n\n"),
            vec![ev("message", "x", "")]
        );
    }

    #[test]
    fn only_one_bom_is_stripped() {
        assert_eq!(
            events_every_way(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\ndata: y\n\n"),
            vec![ev("message", "y", "")]
        );
    }

    #[test]
    fn bom_after_the_start_is_not_stripped() {
        assert_eq!(
            events_every_way(b"data: a\xEF\xBB\xBFb\n\n\xEF\xBB\xBFdata: c\n\ndata: d\n\n"),
            vec![ev("message", "a\u{FEFF}b", ""), ev("message", "d", "")]
        );
    }

    #[test]
    fn partial_bom_bytes_stay_part_of_the_first_line() {
        assert_eq!(
            events_every_way(b"\xEF\xBBdata: x\n\ndata: y\n\n"),
            vec![ev("message", "y", "")]
        );
        assert_eq!(
            events_every_way(b"\xEF\n\xEF\xBB\ndata: y\n\n"),
            vec![ev("message", "y", "")]
        );
    }

    #[test]
    fn stream_of_only_a_bom_or_nothing_has_no_events() {
        assert_eq!(events_every_way(b"\xEF\xBB\xBF"), vec![]);
        assert_eq!(events_every_way(b"\xEF\xBB"), vec![]);
        assert_eq!(events_every_way(b""), vec![]);
    }

    #[test]
    fn lines_end_in_lf_crlf_or_lone_cr() {
        let expected = vec![ev("message", "a\nb", ""), ev("message", "c", "")];
        assert_eq!(
            events_every_way(b"data: a\ndata: b\n\ndata: c\n\n"),
            expected
        );
        assert_eq!(
            events_every_way(b"data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"),
            expected
        );
        assert_eq!(
            events_every_way(b"data: a\rdata: b\r\rdata: c\r\r"),
            expected
        );
        assert_eq!(
            events_every_way(b"data: a\rdata: b\r\n\ndata: c\n\r"),
            expected
        );
    }

    #[test]
    fn lf_after_cr_in_the_next_read_is_one_line_ending() {
        let reader = Script::pieces([&b"data: a\r"[..], b"\ndata: b\r", b"\n\r", b"\n"]);
        assert_eq!(events(reader), vec![ev("message", "a\nb", "")]);
    }

    #[test]
    fn cr_at_the_end_of_a_read_without_lf_is_a_line_ending() {
        let reader = Script::pieces([&b"data: a\r"[..], b"data: b\r", b"\r"]);
        assert_eq!(events(reader), vec![ev("message", "a\nb", "")]);
    }

    #[test]
    fn cr_ending_a_dispatching_line_swallows_the_lf_of_the_next_read() {
        let mut decoder = SseDecoder::new(Script::pieces([&b"data: a\r\r"[..], b"\ndata: b\n\n"]));
        assert_eq!(
            decoder.next().transpose().ok(),
            Some(Some(ev("message", "a", "")))
        );
        assert_eq!(
            decoder.next().transpose().ok(),
            Some(Some(ev("message", "b", "")))
        );
        assert!(decoder.next().is_none());
    }

    #[test]
    fn one_leading_space_of_a_value_is_stripped() {
        assert_eq!(
            events_every_way(b"data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\ndata: \n\n"),
            vec![
                ev("message", "x", ""),
                ev("message", "x", ""),
                ev("message", " x", ""),
                ev("message", "\tx", ""),
                ev("message", "", ""),
            ]
        );
    }

    #[test]
    fn value_runs_from_the_first_colon() {
        assert_eq!(
            events_every_way(b"data: a: b:c\n\n"),
            vec![ev("message", "a: b:c", "")]
        );
    }

    #[test]
    fn data_lines_join_with_newlines() {
        assert_eq!(
            events_every_way(b"data: one\ndata:\ndata: three\ndata\n\n"),
            vec![ev("message", "one\n\nthree\n", "")]
        );
    }

    #[test]
    fn comments_are_ignored() {
        assert_eq!(
            events_every_way(b":\n: hi\ndata: a\n:data: b\ndata: c\n: \n\n:only\n\n"),
            vec![ev("message", "a\nc", "")]
        );
    }

    #[test]
    fn event_type_defaults_to_message_and_resets_after_dispatch() {
        assert_eq!(
            events_every_way(b"event: a\nevent: b\ndata: 1\n\ndata: 2\n\nevent\ndata: 3\n\n"),
            vec![
                ev("b", "1", ""),
                ev("message", "2", ""),
                ev("message", "3", ""),
            ]
        );
    }

    #[test]
    fn event_type_resets_when_nothing_is_dispatched() {
        assert_eq!(
            events_every_way(b"event: lost\n\ndata: x\n\n"),
            vec![ev("message", "x", "")]
        );
    }

    #[test]
    fn id_persists_across_events() {
        let input = b"id: 7\ndata: a\n\ndata: b\n\nid: 8\ndata: c\n\n";
        assert_eq!(
            events_every_way(input),
            vec![
                ev("message", "a", "7"),
                ev("message", "b", "7"),
                ev("message", "c", "8")
            ]
        );
        let mut decoder = SseDecoder::new(&input[..]);
        assert_eq!(decoder.last_event_id(), "");
        assert!(decoder.next().is_some());
        assert_eq!(decoder.last_event_id(), "7");
        assert_eq!(decoder.by_ref().count(), 2);
        assert_eq!(decoder.last_event_id(), "8");
    }

    #[test]
    fn id_is_set_even_by_an_event_without_data() {
        let input = b"id: 5\n\ndata: a\n\n";
        assert_eq!(
            outcome(&input[..]),
            (vec![ev("message", "a", "5")], "5".to_owned(), None)
        );
    }

    #[test]
    fn the_id_of_an_event_cut_off_by_the_end_is_not_the_last_id() {
        for input in [
            &b"id: 1\ndata: a\n\nid: 2\ndata: b"[..],
            b"id: 1\ndata: a\n\nid: 2\n",
        ] {
            assert_eq!(
                outcome(input),
                (vec![ev("message", "a", "1")], "1".to_owned(), None),
                "{}",
                String::from_utf8_lossy(input)
            );
            let mut decoder = SseDecoder::new(input);
            assert_eq!(decoder.by_ref().count(), 1);
            assert_eq!(decoder.last_event_id(), "1");
        }
    }

    #[test]
    fn id_with_nul_is_ignored() {
        let input = b"id: 1\n\nid: 2\x003\ndata: a\n\n";
        assert_eq!(events_every_way(input), vec![ev("message", "a", "1")]);
        assert_eq!(outcome(&input[..]).1, "1");
    }

    #[test]
    fn bare_or_empty_id_resets_it() {
        assert_eq!(
            events_every_way(b"id: 1\ndata: a\n\nid\ndata: b\n\nid: 2\n\nid:\ndata: c\n\n"),
            vec![
                ev("message", "a", "1"),
                ev("message", "b", ""),
                ev("message", "c", "")
            ]
        );
    }

    #[test]
    fn retry_takes_only_ascii_digits() {
        let retry = |input: &[u8]| outcome(input).2;
        assert_eq!(retry(b"retry: 10\n"), Some(Duration::from_millis(10)));
        assert_eq!(retry(b"retry:0\n"), Some(Duration::ZERO));
        assert_eq!(
            retry(b"retry: 18446744073709551615\n"),
            Some(Duration::from_millis(u64::MAX))
        );
        assert_eq!(retry(b"retry: 10x\n"), None);
        assert_eq!(retry(b"retry: +5\n"), None);
        assert_eq!(retry(b"retry: -5\n"), None);
        assert_eq!(retry(b"retry: 1.5\n"), None);
        assert_eq!(retry(b"retry:  5\n"), None);
        assert_eq!(retry(b"retry: \xD9\xA5\n"), None);
        assert_eq!(retry(b"retry:\n"), None);
        assert_eq!(retry(b"retry\n"), None);
        assert_eq!(retry(b"retry: 18446744073709551616\n"), None);
        assert_eq!(
            retry(b"retry: 10\nretry: 20\n"),
            Some(Duration::from_millis(20))
        );
        assert_eq!(
            retry(b"retry: 10\nretry: x\n"),
            Some(Duration::from_millis(10))
        );
        assert_eq!(SseDecoder::new(&b""[..]).retry(), None);
    }

    #[test]
    fn retry_alone_dispatches_nothing() {
        assert_eq!(
            outcome(&b"retry: 3000\n\n"[..]),
            (vec![], String::new(), Some(Duration::from_millis(3000)))
        );
    }

    #[test]
    fn unknown_fields_are_ignored() {
        assert_eq!(
            events_every_way(b"foo: bar\nDATA: x\ndata : y\n data: z\nEvent: e\ndata: a\n\n"),
            vec![ev("message", "a", "")]
        );
    }

    #[test]
    fn field_without_colon_has_an_empty_value() {
        assert_eq!(
            events_every_way(b"data\n\nevent\ndata\ndata\n\n"),
            vec![ev("message", "", ""), ev("message", "\n", "")]
        );
    }

    #[test]
    fn blank_line_without_data_dispatches_nothing() {
        assert_eq!(
            events_every_way(b"\n\n\r\n\rid: 1\nevent: e\n\n: c\n\ndata: x\n\n"),
            vec![ev("message", "x", "1")]
        );
    }

    #[test]
    fn unterminated_last_event_is_not_dispatched() {
        assert_eq!(
            events_every_way(b"data: a\n\ndata: b\n"),
            vec![ev("message", "a", "")]
        );
        assert_eq!(
            events_every_way(b"data: a\n\ndata: b"),
            vec![ev("message", "a", "")]
        );
        assert_eq!(
            events_every_way(b"data: a\n\ndata: b\r"),
            vec![ev("message", "a", "")]
        );
    }

    #[test]
    fn decoder_stays_ended_after_end_of_input() {
        let mut decoder = SseDecoder::new(Script::new([
            Step::Bytes(b"data: a\n"),
            Step::Eof,
            Step::Bytes(b"\n"),
        ]));
        assert!(decoder.next().is_none());
        assert!(decoder.next().is_none());
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        assert_eq!(
            events_every_way(b"data: a\xFFb\ndata: \xE2\x82\nevent: \xC0\xAF\nid: \x80\n\n"),
            vec![ev("\u{FFFD}\u{FFFD}", "a\u{FFFD}b\n\u{FFFD}", "\u{FFFD}")]
        );
    }

    #[test]
    fn invalid_utf8_in_a_field_name_makes_it_unknown() {
        assert_eq!(
            events_every_way(b"d\xFFata: a\n\xFFdata: b\ndata: c\n\n"),
            vec![ev("message", "c", "")]
        );
    }

    #[test]
    fn multibyte_characters_split_across_reads_decode_whole() {
        let input = "event: caf\u{E9}\ndata: \u{20AC}\u{1F600}\u{E9}\nid: \u{1F600}\n\n";
        assert_eq!(
            events_every_way(input.as_bytes()),
            vec![ev("caf\u{E9}", "\u{20AC}\u{1F600}\u{E9}", "\u{1F600}")]
        );
    }

    #[test]
    fn max_event_size_defaults_to_16_mib() {
        assert_eq!(DEFAULT_MAX_EVENT_SIZE, 16 * 1024 * 1024);
        assert_eq!(SseDecoder::new(&b""[..]).parser.max, DEFAULT_MAX_EVENT_SIZE);
        assert_eq!(SseDecoder::new(&b""[..]).max_event_size(64).parser.max, 64);
    }

    fn assert_too_long(err: &MeshApiError, what: &str, limit: usize) {
        assert_eq!(err.code(), &ErrorCode::ParseError);
        assert_eq!(
            err.message(),
            format!("SSE {what} is longer than the maximum event size of {limit} bytes")
        );
        assert!(err.source().is_none());
    }

    /// Decodes with a limit of 64 bytes and returns the events before the error, the error, and
    /// the decoder after it.
    fn decode_limited<R: BufRead>(
        reader: R,
    ) -> (Vec<SseEvent>, Option<MeshApiError>, SseDecoder<R>) {
        let mut decoder = SseDecoder::new(reader).max_event_size(64);
        let mut events = Vec::new();
        let mut error = None;
        for item in decoder.by_ref() {
            match item {
                Ok(event) => events.push(event),
                Err(e) => error = Some(e),
            }
        }
        (events, error, decoder)
    }

    fn long_line(len: usize) -> Vec<u8> {
        let mut line = b"data: ".to_vec();
        line.resize(len, b'x');
        line
    }

    #[test]
    fn line_at_the_limit_is_accepted() {
        let mut input = long_line(64);
        input.extend_from_slice(b"\n\n");
        for reader in [
            Script::chunked(&input, input.len()),
            Script::chunked(&input, 1),
        ] {
            let (events, error, _) = decode_limited(reader);
            assert_eq!(events, vec![ev("message", &"x".repeat(58), "")]);
            assert!(error.is_none());
        }
    }

    #[test]
    fn line_over_the_limit_fails_then_ends() {
        let mut input = b"data: a\n\n".to_vec();
        input.extend_from_slice(&long_line(65));
        input.extend_from_slice(b"\n\ndata: b\n\n");
        for n in [input.len(), 1, 7, 64, 70] {
            let (events, error, mut decoder) = decode_limited(Script::chunked(&input, n));
            assert_eq!(events, vec![ev("message", "a", "")], "{n}");
            assert_too_long(&error.expect("an error"), "line", 64);
            assert!(decoder.next().is_none());
            assert!(decoder.parser.line.capacity() <= 128, "{n}");
        }
    }

    #[test]
    fn endless_line_fails_without_buffering_past_the_limit() {
        let input = vec![b'x'; 100_000];
        for n in [1, 10, 1000, input.len()] {
            let (events, error, _) = decode_limited(Script::chunked(&input, n));
            assert_eq!(events, vec![]);
            assert_too_long(&error.expect("an error"), "line", 64);
        }
        let mut decoder = SseDecoder::new(Script::chunked(&input, 1)).max_event_size(64);
        assert!(decoder.next().is_some_and(|item| item.is_err()));
        assert!(decoder.parser.line.len() <= 64);
        assert!(decoder.parser.line.capacity() <= 128);
    }

    #[test]
    fn long_comment_line_also_fails() {
        let mut input = b":".to_vec();
        input.resize(65, b' ');
        input.extend_from_slice(b"\ndata: a\n\n");
        let (events, error, _) = decode_limited(&input[..]);
        assert_eq!(events, vec![]);
        assert_too_long(&error.expect("an error"), "line", 64);
    }

    #[test]
    fn data_over_the_limit_fails_then_ends() {
        let input = b"data: 0123456789\n".repeat(10);
        for n in [input.len(), 1, 5] {
            let (events, error, mut decoder) = decode_limited(Script::chunked(&input, n));
            assert_eq!(events, vec![]);
            assert_too_long(&error.expect("an error"), "event data", 64);
            assert!(decoder.next().is_none());
            assert!(decoder.parser.data.capacity() <= 128);
        }
    }

    #[test]
    fn data_at_the_limit_is_delivered() {
        let (a, b) = ("a".repeat(31), "b".repeat(32));
        let input = format!("data: {a}\ndata: {b}\n\ndata: {a}\ndata: {b}b\n\n");
        let (events, error, _) = decode_limited(input.as_bytes());
        assert_eq!(events, vec![ev("message", &format!("{a}\n{b}"), "")]);
        assert_too_long(&error.expect("an error"), "event data", 64);
    }

    #[test]
    fn limit_counts_data_after_utf8_repair() {
        let mut input = b"data: ".to_vec();
        input.extend_from_slice(&[0xFF; 30]);
        input.extend_from_slice(b"\n\n");
        let (events, error, _) = decode_limited(&input[..]);
        assert_eq!(events, vec![]);
        assert_too_long(&error.expect("an error"), "event data", 64);
    }

    #[test]
    fn limit_applies_per_event() {
        let input = b"data: 0123456789012345678901234567890123456789\n\n".repeat(20);
        let (events, error, _) = decode_limited(&input[..]);
        assert_eq!(events.len(), 20);
        assert!(error.is_none());
    }

    fn io_error_of(err: &MeshApiError) -> Option<&io::Error> {
        err.source()?.downcast_ref()
    }

    #[test]
    fn read_error_interrupts_the_stream_then_ends_it() {
        let mut decoder = SseDecoder::new(Script::new([
            Step::Bytes(b"data: a\n\ndata: b"),
            Step::Fail(io::ErrorKind::ConnectionReset),
            Step::Bytes(b"\n\ndata: c\n\n"),
        ]));
        assert_eq!(
            decoder.next().transpose().ok(),
            Some(Some(ev("message", "a", "")))
        );
        let err = decoder.next().and_then(Result::err).expect("an error");
        assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
        assert_eq!(
            io_error_of(&err).map(io::Error::kind),
            Some(io::ErrorKind::ConnectionReset)
        );
        assert!(decoder.next().is_none());
        assert!(decoder.next().is_none());
    }

    #[test]
    fn read_timeout_is_a_timeout() {
        for kind in [io::ErrorKind::TimedOut, io::ErrorKind::WouldBlock] {
            let mut decoder =
                SseDecoder::new(Script::new([Step::Bytes(b"data: a\n"), Step::Fail(kind)]));
            let err = decoder.next().and_then(Result::err).expect("an error");
            assert_eq!(err.code(), &ErrorCode::Timeout);
            assert!(err.is_timeout());
            assert_eq!(io_error_of(&err).map(io::Error::kind), Some(kind));
            assert!(decoder.next().is_none());
        }
    }

    #[test]
    fn interrupted_reads_are_retried() {
        let reader = Script::new([
            Step::Fail(io::ErrorKind::Interrupted),
            Step::Bytes(b"data: a\n"),
            Step::Fail(io::ErrorKind::Interrupted),
            Step::Fail(io::ErrorKind::Interrupted),
            Step::Bytes(b"\n"),
            Step::Fail(io::ErrorKind::Interrupted),
        ]);
        assert_eq!(events(reader), vec![ev("message", "a", "")]);
    }

    #[test]
    fn reader_keeps_the_bytes_after_the_dispatching_line() {
        let mut decoder = SseDecoder::new(&b"data: [DONE]\r\n\r\nrest: 1\n"[..]);
        assert_eq!(
            decoder.next().transpose().ok(),
            Some(Some(ev("message", "[DONE]", "")))
        );
        assert_eq!(*decoder.reader_mut(), &b"rest: 1\n"[..]);
        let mut rest = String::new();
        decoder
            .into_inner()
            .read_to_string(&mut rest)
            .expect("in-memory read");
        assert_eq!(rest, "rest: 1\n");
    }

    #[test]
    fn find_eol_finds_the_first_cr_or_lf_anywhere() {
        // Bytes one bit or one step away from CR and LF, and bytes whose subtraction borrows,
        // around every position of an ending in blocks, words and the tail.
        let fillers = [
            b'x', 0x00, 0x01, 0x09, 0x0b, 0x0c, 0x0e, 0x8a, 0x8d, 0x80, 0xff,
        ];
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100] {
            for filler in fillers {
                assert_eq!(find_eol(&vec![filler; len]), None, "{len} {filler}");
                for at in 0..len {
                    for eol in [b'\r', b'\n'] {
                        let mut bytes = vec![filler; len];
                        bytes[at] = eol;
                        for later in bytes.iter_mut().skip(at + 1).step_by(3) {
                            *later = b'\n';
                        }
                        assert_eq!(find_eol(&bytes), Some(at), "{len} {filler} {at}");
                    }
                }
            }
        }
    }
}
