//! The HTTP/1.1 side: accepting connections, parsing requests, writing replies.

use super::*;

pub(super) fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopped() {
            break;
        }
        let Ok(stream) = stream else {
            // Most likely out of file descriptors: back off rather than spin.
            thread::sleep(POLL);
            continue;
        };
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(shared);
        // Without a thread the stream is dropped, which the client sees as a closed connection.
        let _ = thread::Builder::new()
            .name("meshapi-mock-conn".into())
            .spawn(move || serve(stream, &shared));
    }
}

fn serve(stream: TcpStream, shared: &Shared) {
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
        shared,
    };
    if conn.configure().is_ok() {
        while conn.exchange() {}
    }
    conn.close();
}

/// Why no request could be read.
enum Fault {
    /// The client left or idled, or the server stopped: close without a word.
    Closed,
    /// Answer with this status and message, then close.
    Reject(u16, &'static str),
}

fn bad(message: &'static str) -> Fault {
    Fault::Reject(400, message)
}

fn too_large() -> Fault {
    Fault::Reject(413, "mock gateway: request body exceeds 64 MiB")
}

pub(super) struct Conn<'a> {
    pub(super) stream: TcpStream,
    /// Bytes received and not yet parsed.
    pub(super) buf: Vec<u8>,
    pub(super) shared: &'a Shared,
}

impl Conn<'_> {
    fn configure(&self) -> io::Result<()> {
        // Each chunk must leave as soon as it is written, not when Nagle decides.
        self.stream.set_nodelay(true)?;
        self.stream.set_read_timeout(Some(POLL))?;
        self.stream.set_write_timeout(Some(POLL))
    }

    /// Reads and answers one request; false when the connection should close.
    fn exchange(&mut self) -> bool {
        match self.read_request() {
            Ok((request, keep_alive)) => {
                let scripted = scripted_reply(&request, self.shared);
                #[cfg(feature = "realtime")]
                if scripted.is_none() && !self.shared.strict && realtime::is_upgrade(&request) {
                    lock(&self.shared.requests).push(request.clone());
                    realtime::serve(self, &request);
                    return false;
                }
                let reply = scripted.unwrap_or_else(|| default_reply(&request, self.shared));
                let reply = echo(reply, &request);
                let head_only = request.method == "HEAD";
                lock(&self.shared.requests).push(request);
                self.respond(reply, head_only, keep_alive).unwrap_or(false)
            }
            Err(Fault::Closed) => false,
            Err(Fault::Reject(status, message)) => {
                let code = if status == 413 {
                    "request_too_large"
                } else {
                    "invalid_request"
                };
                let _ = self.respond(MockReply::error(status, code, message), false, false);
                false
            }
        }
    }

    /// Reads more bytes into `buf`; false on end of stream, error, idleness or shutdown.
    fn fill(&mut self) -> bool {
        let waiting_since = Instant::now();
        let mut chunk = [0; 64 * 1024];
        while !self.shared.stopped() && waiting_since.elapsed() < IDLE_TIMEOUT {
            match self.stream.read(&mut chunk) {
                Ok(0) => return false,
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return true;
                }
                Err(e) if is_transient(&e) => {}
                Err(_) => return false,
            }
        }
        false
    }

    /// Takes one line, without its LF or CRLF, that may be at most `budget` bytes long
    /// (terminator included); the line's length is charged to `budget`.
    fn line(&mut self, budget: &mut usize) -> Result<Vec<u8>, Fault> {
        loop {
            if let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
                if end >= *budget {
                    break;
                }
                *budget -= end + 1;
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.buf.len() >= *budget {
                break;
            }
            if !self.fill() {
                return Err(Fault::Closed);
            }
        }
        Err(bad(
            "mock gateway: request head or chunk line exceeds 64 KiB",
        ))
    }

    fn take(&mut self, n: usize) -> Result<Vec<u8>, Fault> {
        while self.buf.len() < n {
            if !self.fill() {
                return Err(Fault::Closed);
            }
        }
        let rest = self.buf.split_off(n);
        Ok(std::mem::replace(&mut self.buf, rest))
    }

    /// Reads one request and whether the client allows the connection to stay open after it.
    fn read_request(&mut self) -> Result<(RecordedRequest, bool), Fault> {
        let mut budget = MAX_HEAD;
        let mut line = self.line(&mut budget)?;
        // RFC 9112 §2.2: ignore blank lines before a request line (some clients send a CRLF
        // after a body).
        while line.is_empty() {
            line = self.line(&mut budget)?;
        }
        let line =
            std::str::from_utf8(&line).map_err(|_| bad("mock gateway: malformed request line"))?;
        let mut words = line.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(bad("mock gateway: malformed request line"));
        };
        if !is_token(method) || !target.starts_with('/') {
            return Err(bad("mock gateway: malformed request line"));
        }
        let http11 = match version {
            "HTTP/1.1" => true,
            "HTTP/1.0" => false,
            _ => return Err(bad("mock gateway: unsupported HTTP version")),
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut request = RecordedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        };

        loop {
            let line = self.line(&mut budget)?;
            if line.is_empty() {
                break;
            }
            let line = String::from_utf8_lossy(&line);
            let Some((name, value)) = line.split_once(':') else {
                return Err(bad("mock gateway: malformed header line"));
            };
            // Also rejects obsolete line folding, whose continuation lines start with whitespace.
            if !is_token(name) {
                return Err(bad("mock gateway: malformed header line"));
            }
            request
                .headers
                .push((name.to_owned(), value.trim().to_owned()));
        }

        let chunked = match request.header("transfer-encoding") {
            None => false,
            Some(coding) if coding.eq_ignore_ascii_case("chunked") => true,
            Some(_) => return Err(bad("mock gateway: unsupported Transfer-Encoding")),
        };
        let length = content_length(&request.headers)?;
        if chunked && length.is_some() {
            return Err(bad(
                "mock gateway: both Content-Length and Transfer-Encoding",
            ));
        }
        if request
            .header("expect")
            .is_some_and(|expect| expect.eq_ignore_ascii_case("100-continue"))
            && self.send(b"HTTP/1.1 100 Continue\r\n\r\n").is_err()
        {
            return Err(Fault::Closed);
        }
        request.body = if chunked {
            self.chunked_body()?
        } else {
            self.take(length.unwrap_or(0))?
        };

        let close = request.header("connection").is_some_and(|connection| {
            connection
                .split(',')
                .any(|option| option.trim().eq_ignore_ascii_case("close"))
        });
        Ok((request, http11 && !close))
    }

    fn chunked_body(&mut self) -> Result<Vec<u8>, Fault> {
        let mut body = Vec::new();
        loop {
            let mut budget = MAX_HEAD;
            let line = self.line(&mut budget)?;
            let size = line.split(|&b| b == b';').next().unwrap_or_default();
            let size = std::str::from_utf8(size)
                .ok()
                .map(str::trim)
                .filter(|size| !size.is_empty() && size.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or_else(|| bad("mock gateway: malformed chunk size"))?;
            // All hex digits, so parsing fails only on overflow, which is too large anyway.
            let size = usize::from_str_radix(size, 16).unwrap_or(usize::MAX);
            if size == 0 {
                break;
            }
            if size > MAX_BODY.saturating_sub(body.len()) {
                return Err(too_large());
            }
            body.extend(self.take(size)?);
            if !self.line(&mut budget)?.is_empty() {
                return Err(bad("mock gateway: chunk data longer than its size"));
            }
        }
        let mut budget = MAX_HEAD;
        while !self.line(&mut budget)?.is_empty() {}
        Ok(body)
    }

    /// Writes `reply`; Ok(true) when the connection can serve another request.
    fn respond(&mut self, reply: MockReply, head_only: bool, keep_alive: bool) -> io::Result<bool> {
        if !self.shared.sleep(reply.delay) || reply.hang_up {
            return Ok(false);
        }
        let custom_id = reply.header_value("x-request-id").map(str::to_owned);
        let request_id = custom_id.clone().unwrap_or_else(mint_request_id);
        let streaming = reply.chunked
            || reply
                .parts
                .iter()
                .any(|part| matches!(part, Part::Pause(_) | Part::Drop));
        let chunked = streaming && !reply.close_delimited;
        let bodiless = head_only || matches!(reply.status, 100..=199 | 204 | 304);
        let keep_alive = keep_alive && !reply.close_delimited;

        let mut parts = reply.parts;
        if let Some(error) = reply.envelope {
            let envelope = json!({ "error": error, "request_id": request_id });
            parts.insert(0, Part::Bytes(envelope.to_string().into_bytes()));
        }

        let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
        for (name, value) in &reply.headers {
            head += &format!("{name}: {value}\r\n");
        }
        if custom_id.is_none() {
            head += &format!("X-Request-Id: {request_id}\r\n");
        }
        if !bodiless && chunked {
            head += "Transfer-Encoding: chunked\r\n";
        } else if !bodiless && !reply.close_delimited {
            // Each part is its own allocation, so together they fit in the address space.
            let length: usize = parts
                .iter()
                .map(|part| match part {
                    Part::Bytes(bytes) => bytes.len(),
                    Part::Pause(_) | Part::Drop => 0,
                })
                .sum();
            head += &format!("Content-Length: {length}\r\n");
        }
        if !keep_alive {
            head += "Connection: close\r\n";
        }
        head += "\r\n";

        let mut out = head.into_bytes();
        if !bodiless {
            for part in parts {
                if streaming {
                    self.send(&out)?;
                    out.clear();
                }
                match part {
                    // An empty chunk would end the body.
                    Part::Bytes(bytes) if chunked && bytes.is_empty() => {}
                    Part::Bytes(bytes) if chunked => {
                        out.extend(format!("{:X}\r\n", bytes.len()).into_bytes());
                        out.extend(bytes);
                        out.extend(b"\r\n");
                    }
                    Part::Bytes(bytes) => out.extend(bytes),
                    Part::Pause(d) => {
                        if !self.shared.sleep(d) {
                            return Ok(false);
                        }
                    }
                    Part::Drop => return Ok(false),
                }
            }
            if chunked {
                out.extend(b"0\r\n\r\n");
            }
        }
        self.send(&out)?;
        Ok(keep_alive)
    }

    /// Writes all of `bytes`, giving up if the server stops while the client is not reading.
    pub(super) fn send(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            if self.shared.stopped() {
                return Err(io::ErrorKind::ConnectionAborted.into());
            }
            match self.stream.write(bytes) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if is_transient(&e) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Closes the connection after briefly draining what the client still sends: closing a
    /// socket with unread input makes the kernel send a reset, which can destroy the response
    /// before the client reads it.
    fn close(mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let deadline = Instant::now() + LINGER;
        let mut sink = [0; 4096];
        while Instant::now() < deadline && !self.shared.stopped() {
            match self.stream.read(&mut sink) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if is_transient(&e) => {}
                Err(_) => break,
            }
        }
    }
}

pub(super) fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// RFC 9110 `token`, the syntax of methods and header names.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The request's `Content-Length`, if any; repeated headers must agree.
fn content_length(headers: &[(String, String)]) -> Result<Option<usize>, Fault> {
    let mut length = None;
    for (_, value) in headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"))
    {
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("mock gateway: malformed Content-Length"));
        }
        // All digits, so parsing fails only on overflow, which is too large anyway.
        let n = value.parse::<usize>().unwrap_or(usize::MAX);
        if length.is_some_and(|previous| previous != n) {
            return Err(bad("mock gateway: conflicting Content-Length headers"));
        }
        length = Some(n);
    }
    if length.is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    Ok(length)
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `req_` and a ULID-like id: 48 bits of milliseconds, then 80 bits that differ for every id
/// this process mints.
pub(super) fn mint_request_id() -> String {
    const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static SEED: OnceLock<u64> = OnceLock::new();
    let seed = *SEED.get_or_init(|| RandomState::new().build_hasher().finish());
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() & ((1 << 48) - 1));
    // xor with a constant keeps distinct counters distinct.
    let random = (u128::from(seed) << 16) ^ u128::from(COUNTER.fetch_add(1, Ordering::Relaxed));
    let value = (millis << 80) | random;
    let mut id = String::from("req_");
    for digit in (0..26).rev() {
        id.push(char::from(
            CROCKFORD[((value >> (digit * 5)) & 31) as usize],
        ));
    }
    id
}

/// What the gateway adds to every answer that does not set it: the caller's request id when
/// it is a valid one (else the server mints its own), and the API version that served.
fn echo(mut reply: MockReply, request: &RecordedRequest) -> MockReply {
    if reply.header_value("x-request-id").is_none() {
        if let Some(id) = request
            .header("x-request-id")
            .filter(|id| crate::options::is_request_id(id))
        {
            reply = reply.header("X-Request-Id", id);
        }
    }
    if reply.header_value("x-mesh-version").is_none()
        && reply.header_value("mesh-version").is_none()
    {
        let served = super::routes::versions::requested(request)
            .filter(|label| super::routes::versions::SERVED.contains(label))
            .unwrap_or(super::routes::versions::SERVED[0]);
        reply = reply.header("X-Mesh-Version", served);
    }
    reply
}
