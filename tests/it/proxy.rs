//! Proxies: what a proxy written here saw (CONNECT lines, credentials, SOCKS requests), what
//! the mock gateway behind it received, and what the caller got.
//!
//! The environment's proxy variables are process-wide and the tests run in parallel, so no
//! test sets them in this process: the tests of environment behaviour run this test binary
//! again as a child process with the variables set only there.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use meshapi::{Client, ErrorCode, Method};
use serde_json::Value;

use crate::common::{self, TOKEN};

/// Every read and write of the test proxy, and how long its acceptor waits for connections.
const PROXY_TIMEOUT: Duration = Duration::from_secs(10);
/// The variables ureq reads; removed from every child's environment before a test sets some.
const PROXY_VARS: [&str; 8] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];
const MODEL: &str = "openai/gpt-realtime-mini";

/// What the test proxy does with each connection it accepts.
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    /// An HTTP proxy: reads the CONNECT head, connects to the target (on this machine only),
    /// answers `200 Connection established` and pipes both ways.
    Tunnel,
    /// Reads the head, writes these bytes, hangs up.
    Answer(&'static [u8]),
    /// Reads the head and never answers.
    Stall,
    /// A SOCKS5 proxy without authentication.
    Socks5,
}

/// A proxy on 127.0.0.1 that accepts at most `limit` connections, and stops accepting after
/// [`PROXY_TIMEOUT`] in any case.
struct TestProxy {
    addr: SocketAddr,
    /// The head lines of every request it read (a SOCKS request is written as one line).
    heads: Arc<Mutex<Vec<Vec<String>>>>,
    accepted: Arc<AtomicUsize>,
}

impl TestProxy {
    fn start(behaviour: Behaviour, limit: usize) -> TestProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let proxy = TestProxy {
            addr: listener.local_addr().unwrap(),
            heads: Arc::default(),
            accepted: Arc::default(),
        };
        let (heads, accepted) = (Arc::clone(&proxy.heads), Arc::clone(&proxy.accepted));
        thread::spawn(move || {
            let until = Instant::now() + PROXY_TIMEOUT;
            while accepted.load(Ordering::SeqCst) < limit && Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => {
                        accepted.fetch_add(1, Ordering::SeqCst);
                        let heads = Arc::clone(&heads);
                        thread::spawn(move || serve(behaviour, stream, &heads));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        proxy
    }

    /// `http://127.0.0.1:PORT`, with `user:password@` when given.
    fn url(&self, credentials: &str) -> String {
        format!("http://{credentials}{}", self.addr)
    }

    fn heads(&self) -> Vec<Vec<String>> {
        self.heads.lock().unwrap().clone()
    }

    fn request_lines(&self) -> Vec<String> {
        self.heads()
            .into_iter()
            .map(|head| head[0].clone())
            .collect()
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

fn serve(behaviour: Behaviour, mut client: TcpStream, heads: &Mutex<Vec<Vec<String>>>) {
    // Some systems hand on the listener's non-blocking mode.
    client.set_nonblocking(false).unwrap();
    client.set_read_timeout(Some(PROXY_TIMEOUT)).unwrap();
    client.set_write_timeout(Some(PROXY_TIMEOUT)).unwrap();
    let record_head = |client: &mut TcpStream| {
        let head = read_head(client)?;
        let request_line = head[0].clone();
        heads.lock().unwrap().push(head);
        Some(request_line)
    };
    match behaviour {
        Behaviour::Socks5 => socks5(client, heads),
        Behaviour::Tunnel => {
            if let Some(request_line) = record_head(&mut client) {
                tunnel(client, &request_line);
            }
        }
        Behaviour::Answer(bytes) => {
            if record_head(&mut client).is_some() {
                let _ = client.write_all(bytes);
            }
        }
        Behaviour::Stall => {
            if record_head(&mut client).is_some() {
                // Until the caller gives up and hangs up, or the read times out.
                let _ = client.read(&mut [0u8; 1]);
            }
        }
    }
}

/// Opens the tunnel a `CONNECT ip:port HTTP/1.1` line asks for, to this machine only.
fn tunnel(mut client: TcpStream, request_line: &str) {
    let mut parts = request_line.split(' ');
    let target = match (parts.next(), parts.next()) {
        (Some("CONNECT"), Some(target)) => target.parse::<SocketAddr>().ok(),
        _ => None,
    };
    let Some(target) = target.filter(|t| t.ip().is_loopback()) else {
        let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        return;
    };
    let server = TcpStream::connect_timeout(&target, PROXY_TIMEOUT).unwrap();
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .unwrap();
    pipe(client, server);
}

/// The head's lines, read byte by byte up to the blank line (at most 16 KiB).
fn read_head(stream: &mut TcpStream) -> Option<Vec<String>> {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 || stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head[..head.len() - 4]).into_owned();
    Some(text.split("\r\n").map(str::to_owned).collect())
}

/// The SOCKS5 exchange (RFC 1928, no authentication, CONNECT to an IPv4 address), recorded
/// as `SOCKS5 CONNECT ip:port`, then a pipe to the target.
fn socks5(mut client: TcpStream, heads: &Mutex<Vec<Vec<String>>>) {
    let mut greeting = [0u8; 2];
    client.read_exact(&mut greeting).unwrap();
    let mut methods = vec![0u8; usize::from(greeting[1])];
    client.read_exact(&mut methods).unwrap();
    assert_eq!(greeting[0], 5);
    assert!(methods.contains(&0), "{methods:?}");
    client.write_all(&[5, 0]).unwrap();
    let mut request = [0u8; 10];
    client.read_exact(&mut request).unwrap();
    assert_eq!(request[..4], [5, 1, 0, 1], "CONNECT to an IPv4 address");
    let ip = std::net::Ipv4Addr::new(request[4], request[5], request[6], request[7]);
    let target = SocketAddr::from((ip, u16::from_be_bytes([request[8], request[9]])));
    heads
        .lock()
        .unwrap()
        .push(vec![format!("SOCKS5 CONNECT {target}")]);
    assert!(target.ip().is_loopback(), "{target}");
    let server = TcpStream::connect_timeout(&target, PROXY_TIMEOUT).unwrap();
    client.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).unwrap();
    pipe(client, server);
}

/// Copies both ways until either side closes or goes quiet for [`PROXY_TIMEOUT`].
fn pipe(client: TcpStream, server: TcpStream) {
    server.set_read_timeout(Some(PROXY_TIMEOUT)).unwrap();
    let copy = |mut from: TcpStream, mut to: TcpStream| {
        let _ = io::copy(&mut from, &mut to);
        let _ = to.shutdown(Shutdown::Both);
        let _ = from.shutdown(Shutdown::Both);
    };
    let (client2, server2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let upstream = thread::spawn(move || copy(client2, server2));
    copy(server, client);
    let _ = upstream.join();
}

fn models(client: &Client) -> Result<Value, meshapi::MeshApiError> {
    client.request(Method::Get, "/v1/models").send::<Value>()
}

#[test]
fn requests_tunnel_through_an_http_proxy_with_connect_and_its_credentials() {
    let mock = common::mock();
    let proxy = TestProxy::start(Behaviour::Tunnel, 4);
    let client = common::builder(&mock)
        .proxy(proxy.url("alice:s%40cret@"))
        .build()
        .unwrap();
    let models = models(&client).unwrap();
    assert!(
        models.is_array() || models.get("data").is_some(),
        "{models}"
    );
    let text = common::collect_text(client.chat().completions().stream(&common::params()));
    assert!(!text.unwrap().is_empty());

    // ureq opens a CONNECT tunnel for a plain http:// target too; requests inside it are in
    // origin form, and the pooled tunnel may carry both.
    let target = mock.addr();
    let heads = proxy.heads();
    assert!(!heads.is_empty());
    for head in &heads {
        assert_eq!(head[0], format!("CONNECT {target} HTTP/1.1"));
        assert!(head.contains(&format!("Host: {target}")), "{head:?}");
        // "alice:s@cret", percent-decoded from the URL, in base64.
        assert!(
            head.contains(&"Proxy-Authorization: Basic YWxpY2U6c0BjcmV0".to_owned()),
            "{head:?}"
        );
    }
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("GET", "/v1/models")
    );
    assert_eq!(requests[1].path, "/v1/chat/completions");
    for request in &requests {
        let bearer = format!("Bearer {TOKEN}");
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
        assert_eq!(request.header("proxy-authorization"), None);
    }
}

#[test]
fn a_proxy_refusing_the_tunnel_is_a_connection_error_that_never_reached_the_gateway() {
    let mock = common::mock();
    let proxy = TestProxy::start(
        Behaviour::Answer(
            b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n",
        ),
        1,
    );
    let client = common::builder(&mock)
        .max_retries(0)
        .proxy(proxy.url("alice:hunter2@"))
        .build()
        .unwrap();
    let err = models(&client).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Connection, "{err:?}");
    assert_eq!(err.status(), None);
    let chain = common::chain(&err);
    assert!(chain.contains("proxy") && chain.contains("407"), "{chain}");
    assert!(!format!("{chain} {err:?}").contains("hunter2"), "{chain}");
    assert_eq!(proxy.accepted(), 1);
    assert!(mock.requests().is_empty());
}

#[test]
fn no_proxy_after_proxy_connects_directly() {
    let mock = common::mock();
    let proxy = TestProxy::start(Behaviour::Tunnel, 1);
    let client = common::builder(&mock)
        .proxy(proxy.url(""))
        .no_proxy()
        .build()
        .unwrap();
    models(&client).unwrap();
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(proxy.accepted(), 0);
}

#[test]
fn socks5_proxies_carry_requests_but_not_the_realtime_websocket() {
    let mock = common::mock();
    let proxy = TestProxy::start(Behaviour::Socks5, 2);
    let client = common::builder(&mock)
        .proxy(format!("socks5://{}", proxy.addr))
        .build()
        .unwrap();
    models(&client).unwrap();
    assert_eq!(
        proxy.request_lines(),
        [format!("SOCKS5 CONNECT {}", mock.addr())]
    );
    assert_eq!(mock.requests()[0].path, "/v1/models");

    let err = client.realtime().connect(MODEL).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig, "{err:?}");
    assert!(err.message().contains("http:// proxy"), "{}", err.message());
    assert_eq!(proxy.accepted(), 1, "nothing was tried for the WebSocket");
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn realtime_tunnels_through_the_same_proxy() {
    let mock = common::mock();
    let proxy = TestProxy::start(Behaviour::Tunnel, 1);
    let client = common::builder(&mock)
        .proxy(proxy.url("alice:hunter2@"))
        .build()
        .unwrap();
    let mut session = client.realtime().connect(MODEL).unwrap();
    let created = session.next_event().unwrap().unwrap();
    assert_eq!(created.r#type, "session.created");
    assert!(!format!("{session:?}").contains("hunter2"));
    session.close().unwrap();

    let heads = proxy.heads();
    assert_eq!(heads.len(), 1);
    let target = mock.addr();
    assert_eq!(heads[0][0], format!("CONNECT {target} HTTP/1.1"));
    assert!(heads[0].contains(&format!("Host: {target}")), "{heads:?}");
    // "alice:hunter2" in base64.
    assert!(
        heads[0].contains(&"Proxy-Authorization: Basic YWxpY2U6aHVudGVyMg==".to_owned()),
        "{heads:?}"
    );
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/v1/realtime");
    assert_eq!(requests[0].header("upgrade"), Some("websocket"));
}

#[test]
fn realtime_reports_a_proxy_that_refuses_or_misbehaves() {
    static LONG: [u8; 9000] = [b'A'; 9000];
    let cases: [(&'static [u8], ErrorCode, &str); 7] = [
        (
            b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n",
            ErrorCode::Connection,
            "with status 407",
        ),
        (
            b"HTTP/1.0 502 Bad Gateway\r\nVia: x\r\n\r\n",
            ErrorCode::Connection,
            "with status 502",
        ),
        (
            b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
            ErrorCode::ParseError,
            "SSH-2.0",
        ),
        (
            b"HTTP/1.1 2000 OK\r\n\r\n",
            ErrorCode::ParseError,
            "status line",
        ),
        (
            b"\xff\xfe\x00\x80\r\n\r\n",
            ErrorCode::ParseError,
            "status line",
        ),
        (&LONG, ErrorCode::ParseError, "8 KiB"),
        (b"HTTP/1.1 200 OK\r\n", ErrorCode::Connection, "closed"),
    ];
    for (answer, code, says) in cases {
        let mock = common::mock();
        let proxy = TestProxy::start(Behaviour::Answer(answer), 1);
        let client = common::builder(&mock)
            .proxy(proxy.url("alice:hunter2@"))
            .build()
            .unwrap();
        let err = client.realtime().connect(MODEL).unwrap_err();
        let shown = String::from_utf8_lossy(&answer[..answer.len().min(40)]).into_owned();
        assert_eq!(err.code(), &code, "{shown:?}: {err:?}");
        let chain = common::chain(&err);
        assert!(chain.contains(says), "{shown:?}: {chain}");
        assert!(!format!("{chain} {err:?}").contains("hunter2"), "{chain}");
        assert!(mock.requests().is_empty(), "{shown:?}");
    }
}

#[test]
fn realtime_gives_up_on_a_silent_proxy_within_the_timeout() {
    let mock = common::mock();
    let proxy = TestProxy::start(Behaviour::Stall, 1);
    let client = common::builder(&mock)
        .timeout(Duration::from_millis(300))
        .proxy(proxy.url(""))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.realtime().connect(MODEL).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Timeout, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{err:?}");
    assert_eq!(
        proxy.request_lines(),
        [format!("CONNECT {} HTTP/1.1", mock.addr())]
    );
}

#[test]
fn bad_proxy_urls_fail_build_as_invalid_config_without_their_credentials() {
    for url in [
        "",
        "   ",
        "ftp://alice:hunter2@proxy:21",
        "http://alice:hunter2@",
        "http://alice:hunter2@proxy:99999",
        "http://alice:hunter2@proxy:",
        "http://alice:hun/ter2@proxy:3128",
        "http://alice:hunter2@pro xy:3128",
    ] {
        let builder = Client::builder().token("t").proxy(url);
        assert!(!format!("{builder:?}").contains("hunter2"), "{builder:?}");
        let err = builder.build().unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig, "{url}");
        assert!(err.message().contains("proxy URL"), "{url}: {err}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("hun/"),
            "{shown}"
        );
    }
}

#[test]
fn proxy_credentials_never_show_in_debug() {
    for (url, shown) in [
        (
            "http://alice:hunter2@127.0.0.1:3128",
            "http://<redacted>@127.0.0.1:3128",
        ),
        ("alice:hunter2@proxy:3128", "http://<redacted>@proxy:3128"),
        ("socks5://hunter2@proxy", "socks5://<redacted>@proxy:1080"),
        ("http://proxy", "http://proxy:80"),
    ] {
        let builder = Client::builder().token("rsk_secret").proxy(url);
        let debug = format!("{builder:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        let client = builder.build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains(shown), "{debug}");
    }
}

/// What one child run does: read by [`child_calls_the_mock_with_its_environment`].
struct ChildRun<'a> {
    base_url: &'a str,
    /// `default`, `no_proxy`, or a proxy URL for `ClientBuilder::proxy`.
    builder: &'a str,
    realtime: bool,
    env: &'a [(&'a str, &'a str)],
}

/// Runs [`child_calls_the_mock_with_its_environment`] in a child process whose environment
/// has none of ureq's proxy variables but `run.env`; panics unless it passed.
fn run_child(run: &ChildRun<'_>) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "proxy::child_calls_the_mock_with_its_environment",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .env("MESHAPI_TEST_CHILD_BASE_URL", run.base_url)
        .env("MESHAPI_TEST_CHILD_BUILDER", run.builder)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if run.realtime {
        command.env("MESHAPI_TEST_CHILD_REALTIME", "1");
    }
    for name in PROXY_VARS {
        command.env_remove(name);
    }
    command.envs(run.env.iter().copied());
    let mut child = command.spawn().unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > until {
            let _ = child.kill();
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{:?}\n{stdout}\n{}",
        run.env,
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[ignore = "the child process of the environment tests, which set its variables"]
fn child_calls_the_mock_with_its_environment() {
    let Ok(base_url) = std::env::var("MESHAPI_TEST_CHILD_BASE_URL") else {
        return;
    };
    let builder = Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .max_retries(0)
        .timeout(PROXY_TIMEOUT);
    let builder = match std::env::var("MESHAPI_TEST_CHILD_BUILDER").as_deref() {
        Ok("default") => builder,
        Ok("no_proxy") => builder.no_proxy(),
        Ok(url) => builder.proxy(url),
        Err(e) => panic!("{e}"),
    };
    let client = builder.build().unwrap();
    models(&client).unwrap();
    if std::env::var_os("MESHAPI_TEST_CHILD_REALTIME").is_some() {
        let mut session = client.realtime().connect(MODEL).unwrap();
        assert_eq!(
            session.next_event().unwrap().unwrap().r#type,
            "session.created"
        );
        session.close().unwrap();
    }
}

#[test]
fn the_environment_proxy_is_used_whatever_the_scheme_its_variable_names() {
    for var in ["http_proxy", "HTTPS_PROXY", "all_proxy"] {
        let mock = common::mock();
        let proxy = TestProxy::start(Behaviour::Tunnel, 2);
        let url = proxy.url("");
        run_child(&ChildRun {
            base_url: &mock.url(),
            builder: "default",
            realtime: true,
            env: &[(var, &url)],
        });
        let connect = format!("CONNECT {} HTTP/1.1", mock.addr());
        // The request and the WebSocket.
        assert_eq!(proxy.request_lines(), [connect.clone(), connect], "{var}");
        assert_eq!(mock.requests().len(), 2, "{var}");
    }
}

#[test]
fn the_environment_proxy_is_taken_in_order_skipping_unreadable_values() {
    let mock = common::mock();
    let unused = TestProxy::start(Behaviour::Tunnel, 1);
    let used = TestProxy::start(Behaviour::Tunnel, 1);
    run_child(&ChildRun {
        base_url: &mock.url(),
        builder: "default",
        realtime: false,
        env: &[
            ("ALL_PROXY", "ftp://not-a-proxy"),
            ("https_proxy", &used.url("")),
            ("HTTP_PROXY", &unused.url("")),
        ],
    });
    assert_eq!(used.accepted(), 1);
    assert_eq!(unused.accepted(), 0);
}

#[test]
fn no_proxy_in_the_environment_sends_listed_hosts_direct() {
    for (no_proxy, proxied) in [
        (&[("NO_PROXY", "127.0.0.1")][..], false),
        (&[("no_proxy", "example.com,127.0.0.1")], false),
        (&[("NO_PROXY", "*")], false),
        (&[("NO_PROXY", "127.0.0.*")], false),
        (&[("NO_PROXY", "127.0.0.")], false),
        // Entries are split at commas and not trimmed: " 127.0.0.1" does not match.
        (&[("NO_PROXY", "example.com, 127.0.0.1")], true),
        (&[("NO_PROXY", "localhost")], true),
        (&[("NO_PROXY", "127.0.0.1:1234")], true),
        // NO_PROXY, when set at all, hides no_proxy.
        (&[("NO_PROXY", ""), ("no_proxy", "127.0.0.1")], true),
    ] {
        let mock = common::mock();
        let proxy = TestProxy::start(Behaviour::Tunnel, 2);
        let url = proxy.url("");
        let mut env = vec![("HTTP_PROXY", url.as_str())];
        env.extend_from_slice(no_proxy);
        run_child(&ChildRun {
            base_url: &mock.url(),
            builder: "default",
            realtime: true,
            env: &env,
        });
        let expected = if proxied { 2 } else { 0 };
        assert_eq!(proxy.accepted(), expected, "{no_proxy:?}");
        assert_eq!(mock.requests().len(), 2, "{no_proxy:?}");
    }
}

#[test]
fn the_builder_overrides_the_environment_and_its_no_proxy() {
    let mock = common::mock();
    let from_env = TestProxy::start(Behaviour::Tunnel, 2);
    let env = [
        ("HTTPS_PROXY", from_env.url("")),
        ("NO_PROXY", "127.0.0.1".into()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    run_child(&ChildRun {
        base_url: &mock.url(),
        builder: "no_proxy",
        realtime: true,
        env: &env[..1],
    });
    assert_eq!(from_env.accepted(), 0);
    assert_eq!(mock.requests().len(), 2);

    // NO_PROXY belongs to the environment's proxy; one set on the builder is used for every host.
    let explicit = TestProxy::start(Behaviour::Tunnel, 2);
    run_child(&ChildRun {
        base_url: &mock.url(),
        builder: &explicit.url(""),
        realtime: true,
        env: &env,
    });
    assert_eq!(explicit.accepted(), 2);
    assert_eq!(from_env.accepted(), 0);
    assert_eq!(mock.requests().len(), 4);
}
