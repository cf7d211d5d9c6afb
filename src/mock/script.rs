//! Replies scripted by route, with expectations: [`MockRoute`] and [`RouteHandle`].

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use super::{MockReply, RecordedRequest, Shared, lock};

/// Which request paths a [`MockRoute`] answers: compared with the path as sent (still
/// percent-encoded), without the query.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathMatch {
    /// This path and no other.
    Exact(String),
    /// Every path that starts with this.
    Prefix(String),
}

impl PathMatch {
    fn matches(&self, path: &str) -> bool {
        match self {
            PathMatch::Exact(exact) => path == exact,
            PathMatch::Prefix(prefix) => path.starts_with(prefix.as_str()),
        }
    }
}

impl fmt::Display for PathMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathMatch::Exact(path) => f.write_str(path),
            PathMatch::Prefix(prefix) => write!(f, "{prefix}*"),
        }
    }
}

/// Replies for one method and path, mounted with [`MockServer::mount`]: they answer only
/// requests of that route, so a retry of another call can never use them up.
///
/// Each [`reply`](MockRoute::reply) answers one request, in order; a
/// [`reply_always`](MockRoute::reply_always) answers every request after those. A route with
/// nothing left to answer steps aside, and the request goes on to the next route, the
/// server's queue ([`MockServer::enqueue`]), and the default routes.
///
/// Unless told otherwise with [`expect`](MockRoute::expect) and its siblings, a route expects
/// every one of its replies to be used, and a route with a `reply_always` at least one request.
/// [`MockServer::verify`] checks that, and so does dropping the server (unless the thread is
/// already panicking).
///
/// ```
/// use std::time::Duration;
/// use meshapi::mock::{MockReply, MockRoute, MockServer};
/// use meshapi::{ChatCompletionParams, ChatMessage, Client};
///
/// let server = MockServer::start()?;
/// let chat = server.mount(
///     MockRoute::new("POST", "/v1/chat/completions")
///         .reply(MockReply::error(503, "upstream_error", "busy"))
///         .reply(MockReply::error(503, "upstream_error", "still busy")),
/// );
/// let client = Client::builder()
///     .token("rsk_test")
///     .base_url(server.url())
///     .retry_base_delay(Duration::from_millis(1))
///     .build()?;
/// let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
/// // Two 503s, then the default route answers the third attempt.
/// let reply = client.chat().completions().create(&params)?;
/// assert!(reply.choices[0].message.content.is_some());
/// assert_eq!(chat.hits(), 2);
/// server.verify();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`MockServer::mount`]: super::MockServer::mount
/// [`MockServer::enqueue`]: super::MockServer::enqueue
/// [`MockServer::verify`]: super::MockServer::verify
#[derive(Debug, Clone)]
#[must_use = "a route answers nothing until it is mounted with MockServer::mount"]
pub struct MockRoute {
    method: String,
    path: PathMatch,
    replies: VecDeque<MockReply>,
    always: Option<MockReply>,
    expect: Option<(usize, Option<usize>)>,
}

impl MockRoute {
    /// A route for `method` (any case) and exactly `path`.
    pub fn new(method: &str, path: &str) -> MockRoute {
        MockRoute::matching(method, PathMatch::Exact(path.to_owned()))
    }

    /// A route for `method` and every path that starts with `prefix`.
    ///
    /// ```
    /// use meshapi::mock::{MockReply, MockRoute};
    ///
    /// let any_model = MockRoute::prefix("GET", "/v1/models/").reply_always(MockReply::new(404));
    /// ```
    pub fn prefix(method: &str, prefix: &str) -> MockRoute {
        MockRoute::matching(method, PathMatch::Prefix(prefix.to_owned()))
    }

    fn matching(method: &str, path: PathMatch) -> MockRoute {
        MockRoute {
            method: method.to_ascii_uppercase(),
            path,
            replies: VecDeque::new(),
            always: None,
            expect: None,
        }
    }

    /// Adds a reply that answers one request, after the ones added before it.
    pub fn reply(mut self, reply: MockReply) -> MockRoute {
        self.replies.push_back(reply);
        self
    }

    /// A reply for every request once the one-off replies are used.
    pub fn reply_always(mut self, reply: MockReply) -> MockRoute {
        self.always = Some(reply);
        self
    }

    /// Expects exactly `n` requests to reach this route.
    pub fn expect(mut self, n: usize) -> MockRoute {
        self.expect = Some((n, Some(n)));
        self
    }

    /// Expects at least `n` requests to reach this route.
    pub fn expect_at_least(mut self, n: usize) -> MockRoute {
        self.expect = Some((n, self.expect.and_then(|(_, most)| most)));
        self
    }

    /// Expects at most `n` requests to reach this route.
    pub fn expect_at_most(mut self, n: usize) -> MockRoute {
        self.expect = Some((self.expect.map_or(0, |(least, _)| least), Some(n)));
        self
    }

    /// The expected number of hits, at least and at most.
    fn expected(&self, queued: usize) -> (usize, Option<usize>) {
        self.expect.unwrap_or(match self.always {
            Some(_) => (queued.max(1), None),
            None => (queued, Some(queued)),
        })
    }
}

/// A mounted route, with what it has answered.
#[derive(Debug)]
pub(super) struct Mounted {
    route: MockRoute,
    /// How many one-off replies it started with.
    queued: usize,
    hits: usize,
}

/// The routes of a server, in the order they were mounted.
pub(super) type Routes = Mutex<Vec<Mounted>>;

/// The reply of the first mounted route that matches `request` and has one left.
pub(super) fn take(routes: &Routes, request: &RecordedRequest) -> Option<MockReply> {
    let mut routes = lock(routes);
    let mounted = routes.iter_mut().find(|m| {
        m.route.method.eq_ignore_ascii_case(&request.method)
            && m.route.path.matches(&request.path)
            && (!m.route.replies.is_empty() || m.route.always.is_some())
    })?;
    mounted.hits = mounted.hits.saturating_add(1);
    mounted
        .route
        .replies
        .pop_front()
        .or_else(|| mounted.route.always.clone())
}

pub(super) fn mount(routes: &Routes, route: MockRoute) -> usize {
    let mut routes = lock(routes);
    let queued = route.replies.len();
    routes.push(Mounted {
        route,
        queued,
        hits: 0,
    });
    routes.len() - 1
}

/// Every unmet expectation, one line each.
pub(super) fn unmet(routes: &Routes) -> Vec<String> {
    lock(routes)
        .iter()
        .filter_map(|m| {
            let (least, most) = m.route.expected(m.queued);
            let expected = match most {
                Some(most) if most == least => format!("exactly {least}"),
                Some(most) => format!("{least} to {most}"),
                None => format!("at least {least}"),
            };
            let ok = m.hits >= least && most.is_none_or(|most| m.hits <= most);
            (!ok).then(|| {
                format!(
                    "{} {}: expected {expected} request(s), got {}",
                    m.route.method, m.route.path, m.hits
                )
            })
        })
        .collect()
}

/// A mounted route, to ask how many requests it answered; made by
/// [`MockServer::mount`](super::MockServer::mount).
#[derive(Clone)]
pub struct RouteHandle {
    pub(super) shared: Arc<Shared>,
    pub(super) index: usize,
}

impl RouteHandle {
    /// How many requests this route has answered so far.
    pub fn hits(&self) -> usize {
        lock(&self.shared.scripted)
            .get(self.index)
            .map_or(0, |m| m.hits)
    }
}

impl fmt::Debug for RouteHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteHandle")
            .field("index", &self.index)
            .field("hits", &self.hits())
            .finish()
    }
}
