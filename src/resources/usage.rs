//! `client.usage()` and `client.balance()`: what the key used, what it may still use, and what
//! it has left (`/v1/usage…`, `/v1/balance`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::pagination::Paginator;
use crate::path::{self, Query};
use crate::transport::Method;
use crate::types::usage::{
    CreditBalance, ListUsageEventsParams, RateLimits, RateLimitsParams, SpendTrend,
    SpendTrendParams, UsageAttempts, UsageEvent, UsageEventsPage, UsageSummary, UsageSummaryParams,
};

const EVENTS: &str = "/v1/usage/events";

/// Usage, spend and rate limits (`/v1/usage…`); made by [`Client::usage`].
///
/// An API key reads only its own usage: the gateway derives the scope from the key. API-key
/// reads are computed fresh; costs show on [`events`](Usage::events) as soon as a request is
/// answered, streams included, which makes them the place to read what a call cost by its
/// request id. Every call is a read: the POSTs carry filters, not changes.
#[derive(Debug, Clone, Copy)]
pub struct Usage<'a> {
    client: &'a Client,
}

impl<'a> Usage<'a> {
    pub(crate) fn new(client: &'a Client) -> Usage<'a> {
        Usage { client }
    }

    /// `POST /v1/usage`: requests, tokens and spend over the filtered window, with one page of
    /// the per-model breakdown (`limit`/`offset` page `by_model`).
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// use meshapi::types::usage::UsageSummaryParams;
    ///
    /// let summary = client.usage().summary(&UsageSummaryParams::new().since("2026-11-01"))?;
    /// println!(
    ///     "{:?} requests, {:?} tokens, ${}",
    ///     summary.total_requests,
    ///     summary.total_tokens,
    ///     summary.total_cost_usd.as_deref().unwrap_or("?"),
    /// );
    /// for row in summary.by_model.iter().flatten() {
    ///     println!("  {:?}: {:?}", row.model, row.extra.get("cost_usd"));
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn summary(&self, params: &UsageSummaryParams) -> Result<UsageSummary, MeshApiError> {
        let path = Query::new()
            .opt("refresh", params.refresh)
            .to_path("/v1/usage");
        self.client.json(Method::Post, &path, Some(params))
    }

    /// Per-request history (`/v1/usage/events`): one page, every page, or the attempts behind
    /// one event.
    pub fn events(&self) -> UsageEvents<'a> {
        UsageEvents {
            client: self.client,
        }
    }

    /// `GET /v1/usage/rate-limits`: live RPM, RPD and TPM counters against the effective
    /// limits, never cached. An API key gets only the `key` scope.
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// use meshapi::types::usage::RateLimitsParams;
    ///
    /// let limits = client.usage().rate_limits(&RateLimitsParams::new())?;
    /// for (dimension, limit) in limits.key.iter().flat_map(|scope| &scope.limits) {
    ///     let pct = limit.pct.unwrap_or_default();
    ///     let warn = if pct >= 90.0 { "  <- close to the limit" } else { "" };
    ///     println!("{dimension}: {:?} of {:?} ({pct}%){warn}", limit.current, limit.limit);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn rate_limits(&self, params: &RateLimitsParams) -> Result<RateLimits, MeshApiError> {
        let path = Query::new()
            .opt("org_id", params.org_id.as_deref())
            .opt("team_id", params.team_id.as_deref())
            .to_path("/v1/usage/rate-limits");
        self.client.get(&path)
    }

    /// `GET /v1/usage/spend-trend`: spend per `granularity` bucket, a trailing 3-bucket moving
    /// average and the window's total. Only `granularity` is typed in the answer (see
    /// [`SpendTrend`]); the rest is in its `extra`.
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// use meshapi::types::usage::SpendTrendParams;
    ///
    /// let trend = client.usage().spend_trend(&SpendTrendParams::new().granularity("day"))?;
    /// println!("{:?} buckets: {}", trend.granularity, serde_json::Value::Object(trend.extra));
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn spend_trend(&self, params: &SpendTrendParams) -> Result<SpendTrend, MeshApiError> {
        let path = Query::new()
            .opt("granularity", params.granularity.as_deref())
            .to_path("/v1/usage/spend-trend");
        self.client.get(&path)
    }
}

/// Per-request usage history (`/v1/usage/events`); made by [`Usage::events`].
#[derive(Debug, Clone, Copy)]
pub struct UsageEvents<'a> {
    client: &'a Client,
}

impl<'a> UsageEvents<'a> {
    /// `POST /v1/usage/events`: one page of billed requests, newest first. To walk every page,
    /// use [`paginate`](Self::paginate).
    ///
    /// A `limit` above [`ListUsageEventsParams::MAX_LIMIT`] (200) is refused with
    /// [`ErrorCode::InvalidConfig`](crate::ErrorCode::InvalidConfig) before anything is sent,
    /// rather than cut: the page would be smaller than asked, which reads like the end of the
    /// list.
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// use meshapi::types::usage::ListUsageEventsParams;
    ///
    /// // What did the requests of this session cost? Match them by the request id.
    /// let page = client.usage().events().list(&ListUsageEventsParams::new().since("2026-12-01").limit(200))?;
    /// for event in &page.events {
    ///     println!("{:?} {:?}: ${:?}", event.request_id, event.model, event.cost_usd);
    /// }
    /// println!("{} of {}", page.events.len(), page.total);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn list(&self, params: &ListUsageEventsParams) -> Result<UsageEventsPage, MeshApiError> {
        if let Some(limit) = params
            .limit
            .filter(|&limit| limit > ListUsageEventsParams::MAX_LIMIT)
        {
            return Err(MeshApiError::config(format!(
                "a usage events page holds at most {} events, not {limit} (`paginate` walks every page)",
                ListUsageEventsParams::MAX_LIMIT
            ))
            .not_sent());
        }
        let path = Query::new().opt("refresh", params.refresh).to_path(EVENTS);
        self.client.json(Method::Post, &path, Some(params))
    }

    /// `POST /v1/usage/events`, page after page: every matching event, newest first, fetched
    /// lazily. The first page starts at the caller's `offset` (or 0) and each next one at the
    /// offset asked for plus the events received, until `total` is reached.
    ///
    /// `limit` is the page size; one above 200 is cut to 200 (and 0 raised to 1), since the
    /// walk covers every event whatever the page size. Events are newest first, so requests
    /// answered during the walk push older events onto later pages and one may be seen twice;
    /// set `until` to walk a fixed window.
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// use meshapi::types::usage::ListUsageEventsParams;
    ///
    /// let params = ListUsageEventsParams::new().status("error").until("2026-12-01T00:00:00Z").limit(200);
    /// let failed: Vec<_> = client.usage().events().paginate(&params).collect::<Result<_, _>>()?;
    /// println!("{} failed requests", failed.len());
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn paginate(&self, params: &ListUsageEventsParams) -> Paginator<'a, UsageEvent> {
        let events = *self;
        let mut params = params.clone();
        params.limit = params.limit.map(page_size);
        Paginator::by_offset(params.offset, move |offset| {
            let mut params = params.clone();
            params.offset = offset.or(params.offset);
            let page = events.list(&params)?;
            Ok((page.events, page.total))
        })
    }

    /// `GET /v1/usage/events/{event_id}/attempts`: every attempt that shares the event's
    /// `request_id`, oldest first: the served one and each retried or rerouted one. The id is
    /// sent as one percent-encoded path segment; an empty id is refused with
    /// [`ErrorCode::InvalidConfig`](crate::ErrorCode::InvalidConfig) before anything is sent.
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// use meshapi::types::usage::ListUsageEventsParams;
    ///
    /// let usage = client.usage();
    /// let page = usage.events().list(&ListUsageEventsParams::new().limit(20))?;
    /// for event in page.events.iter().filter(|e| e.routing_fallback == Some(true)) {
    ///     let Some(id) = event.id.as_deref() else { continue };
    ///     for attempt in usage.events().attempts(id)?.attempts {
    ///         println!("{id}: tried {:?} ({:?})", attempt.model, attempt.extra.get("status"));
    ///     }
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn attempts(&self, event_id: &str) -> Result<UsageAttempts, MeshApiError> {
        let path = path::with_id(EVENTS, "event id", event_id)? + "/attempts";
        self.client.get(&path)
    }
}

/// A page size the gateway serves: 1 to [`ListUsageEventsParams::MAX_LIMIT`]. An empty page
/// would end the walk before its total.
fn page_size(limit: u32) -> u32 {
    limit.clamp(1, ListUsageEventsParams::MAX_LIMIT)
}

/// The credit balance (`/v1/balance`); made by [`Client::balance`].
#[derive(Debug, Clone, Copy)]
pub struct Balance<'a> {
    client: &'a Client,
}

impl<'a> Balance<'a> {
    pub(crate) fn new(client: &'a Client) -> Balance<'a> {
        Balance { client }
    }

    /// `GET /v1/balance`: the credit balance, what in-flight operations reserve of it, and what
    /// is available to spend; never cached. A key of an org reads the org's shared balance.
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// let balance = client.balance().get()?;
    /// println!(
    ///     "${} available of ${} (${} reserved)",
    ///     balance.available_usd.as_deref().unwrap_or("?"),
    ///     balance.balance_usd.as_deref().unwrap_or("?"),
    ///     balance.reserved_usd.as_deref().unwrap_or("0"),
    /// );
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self) -> Result<CreditBalance, MeshApiError> {
        self.client.get("/v1/balance")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_stay_within_what_the_gateway_serves() {
        assert_eq!(page_size(0), 1);
        assert_eq!(page_size(1), 1);
        assert_eq!(page_size(200), 200);
        assert_eq!(page_size(201), 200);
        assert_eq!(page_size(u32::MAX), 200);
    }
}
