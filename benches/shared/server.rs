//! A loopback HTTP/1.1 server that answers every request with the same pre-built bytes, so
//! that what a bench measures is the client: no routing, no JSON, no per-reply formatting.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

/// Serves on 127.0.0.1 until dropped; each connection is kept alive for as many requests as
/// the client sends on it.
pub struct Server {
    url: String,
    stop: Arc<AtomicBool>,
    accept: Option<thread::JoinHandle<()>>,
}

impl Server {
    /// Answers every request with `status 200`, `content_type` and `body`, whose length is
    /// sent as `Content-Length`.
    pub fn start(content_type: &str, body: &[u8]) -> Server {
        Server::repeating(content_type, body, 1, b"")
    }

    /// Answers every request with a body of `block` written `times` times, then `tail`: a
    /// body far larger than the memory it is written from.
    pub fn repeating(content_type: &str, block: &[u8], times: usize, tail: &[u8]) -> Server {
        let length = block.len() * times + tail.len();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\
             X-Request-Id: req_bench\r\n\r\n"
        );
        // The head goes out with the first block, in one write: a small answer is one segment.
        let mut first = head.into_bytes();
        if times > 0 {
            first.extend_from_slice(block);
        }
        let reply = Arc::new(Reply {
            first,
            block: block.to_vec(),
            more: times.saturating_sub(1),
            tail: tail.to_vec(),
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let accept = thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let reply = Arc::clone(&reply);
                thread::spawn(move || serve(conn, &reply));
            }
        });
        Server {
            url,
            stop,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// What every request is answered with.
struct Reply {
    /// The head and the first block.
    first: Vec<u8>,
    block: Vec<u8>,
    /// How many more times `block` is written.
    more: usize,
    tail: Vec<u8>,
}

impl Reply {
    fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(&self.first)?;
        for _ in 0..self.more {
            out.write_all(&self.block)?;
        }
        if !self.tail.is_empty() {
            out.write_all(&self.tail)?;
        }
        Ok(())
    }
}

/// Reads requests (head, then a `Content-Length` body) and writes `reply` to each, until the
/// client closes the connection.
fn serve(conn: TcpStream, reply: &Reply) {
    let _ = conn.set_nodelay(true);
    let mut writer = conn.try_clone().expect("clone the connection");
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    loop {
        let mut body_len = 0usize;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    body_len = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = reader.by_ref().take(body_len as u64);
        if std::io::copy(&mut body, &mut std::io::sink()).is_err()
            || reply.write_to(&mut writer).is_err()
        {
            return;
        }
    }
}
