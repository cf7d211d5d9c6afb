//! Request and response types of usage, rate limits and balance (`/v1/usage…`, `/v1/balance`).
//!
//! - Requests: [`UsageSummaryParams`] (`POST /v1/usage`), [`ListUsageEventsParams`]
//!   (`POST /v1/usage/events`), [`RateLimitsParams`] and [`SpendTrendParams`].
//! - Responses: [`UsageSummary`], [`UsageEventsPage`] of [`UsageEvent`]s, [`UsageAttempts`],
//!   [`RateLimits`] with its [`RateLimitScope`]s of [`RateLimit`]s, [`SpendTrend`] and
//!   [`CreditBalance`].
//!
//! An API key only ever reads its own usage: the gateway derives the scope from the key and
//! ignores `org_id` and the member filters.
//!
//! **Money** is a decimal string (`"0.00720000"`), kept exactly as sent, in a plain `String`
//! like every price of the crate ([`ModelPricing`](super::models::ModelPricing)): parse it with a
//! decimal crate to compute with it. A money value sent as a JSON number is refused (a decode
//! error) rather than rounded through `f64`; the gateway documents strings.
//!
//! **Undocumented shapes.** The published pages lost most field tables, so these types carry
//! what the reference names and keep everything else in `extra`: every typed field is an
//! `Option` (or empty when absent) except [`UsageEventsPage::total`], which paging needs, and a
//! field this crate did not guess the name of is still there, verbatim, in the `extra` of the
//! object that holds it.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::shared::{rows_and_rest, serialize_rows};

/// Defines a params type of the usage filters that `POST /v1/usage` and `POST /v1/usage/events`
/// share, with its setters; `$limit` documents what `limit` counts for that endpoint.
macro_rules! usage_filters {
    ($(#[$doc:meta])* $name:ident, limit = $limit:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize)]
        #[non_exhaustive]
        #[must_use]
        pub struct $name {
            /// `org_id`: sent always, `""` unless set. The gateway's schema requires the field
            /// (`null` fails validation) and ignores its value for API-key callers.
            pub org_id: String,
            /// `since`: the earliest request time to count, ISO 8601 (e.g. `2026-11-01` or
            /// `2026-11-01T00:00:00Z`).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub since: Option<String>,
            /// `until`: the latest request time to count, ISO 8601.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub until: Option<String>,
            /// `model`: only requests to this model id.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub model: Option<String>,
            /// `status`: only requests with this outcome (e.g. `success`, `error`).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub status: Option<String>,
            /// `key_id`: only this API key's requests (dashboard callers; an API key is always
            /// scoped to itself).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub key_id: Option<String>,
            /// `team_id`: only this team's requests (dashboard callers).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub team_id: Option<String>,
            /// `member_user_id`: only this org member's requests (dashboard callers).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub member_user_id: Option<String>,
            /// `end_user_id`: only requests made for this end user.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub end_user_id: Option<String>,
            #[doc = $limit]
            #[serde(skip_serializing_if = "Option::is_none")]
            pub limit: Option<u32>,
            /// `offset`: how many rows to skip.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub offset: Option<u64>,
            /// `?refresh=true`: bypass the dashboard's ~60 s cache (API-key reads are always
            /// fresh). Sent in the query, not the body.
            #[serde(skip)]
            pub refresh: Option<bool>,
        }

        impl $name {
            /// No filter: everything the key may read, in the server's default page.
            pub fn new() -> Self {
                Self::default()
            }

            /// Sets `org_id` (dashboard callers; API keys are scoped to themselves).
            ///
            /// Defaults to `""`, which the schema accepts and the gateway ignores for API keys.
            pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
                self.org_id = org_id.into();
                self
            }

            /// Counts only requests from this time on, ISO 8601.
            ///
            /// Defaults to unset (the server's window).
            pub fn since(mut self, since: impl Into<String>) -> Self {
                self.since = Some(since.into());
                self
            }

            /// Counts only requests up to this time, ISO 8601.
            ///
            /// Defaults to unset (up to now).
            pub fn until(mut self, until: impl Into<String>) -> Self {
                self.until = Some(until.into());
                self
            }

            /// Counts only requests to this model id.
            ///
            /// Defaults to unset (every model).
            pub fn model(mut self, model: impl Into<String>) -> Self {
                self.model = Some(model.into());
                self
            }

            /// Counts only requests with this outcome, e.g. `success` or `error`.
            ///
            /// Defaults to unset (every outcome).
            pub fn status(mut self, status: impl Into<String>) -> Self {
                self.status = Some(status.into());
                self
            }

            /// Counts only this API key's requests (dashboard callers).
            ///
            /// Defaults to unset.
            pub fn key_id(mut self, key_id: impl Into<String>) -> Self {
                self.key_id = Some(key_id.into());
                self
            }

            /// Counts only this team's requests (dashboard callers).
            ///
            /// Defaults to unset.
            pub fn team_id(mut self, team_id: impl Into<String>) -> Self {
                self.team_id = Some(team_id.into());
                self
            }

            /// Counts only this org member's requests (dashboard callers).
            ///
            /// Defaults to unset.
            pub fn member_user_id(mut self, member_user_id: impl Into<String>) -> Self {
                self.member_user_id = Some(member_user_id.into());
                self
            }

            /// Counts only requests made for this end user.
            ///
            /// Defaults to unset.
            pub fn end_user_id(mut self, end_user_id: impl Into<String>) -> Self {
                self.end_user_id = Some(end_user_id.into());
                self
            }

            /// Sets the page size (see the field).
            ///
            /// Defaults to unset (the server's default).
            pub fn limit(mut self, limit: u32) -> Self {
                self.limit = Some(limit);
                self
            }

            /// Sets how many rows to skip.
            ///
            /// Defaults to unset (the start, 0).
            pub fn offset(mut self, offset: u64) -> Self {
                self.offset = Some(offset);
                self
            }

            /// Asks for uncached numbers (`?refresh=true`).
            ///
            /// Defaults to unset (not sent).
            pub fn refresh(mut self, refresh: bool) -> Self {
                self.refresh = Some(refresh);
                self
            }
        }
    };
}

usage_filters!(
    /// The body of `POST /v1/usage` (and its `refresh` query): which requests to sum up.
    ///
    /// Filters that take several values (the docs speak of "array filters" without naming
    /// them) are typed here as one value each; send a list with
    /// [`RequestOptions::body_field`](crate::RequestOptions::body_field), which overrides the
    /// typed field.
    ///
    /// ```
    /// use meshapi::types::usage::UsageSummaryParams;
    /// use serde_json::json;
    ///
    /// let params = UsageSummaryParams::new().since("2026-11-01").model("openai/gpt-4o-mini");
    /// assert_eq!(
    ///     serde_json::to_value(&params)?,
    ///     json!({"org_id": "", "since": "2026-11-01", "model": "openai/gpt-4o-mini"})
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    UsageSummaryParams,
    limit = "`limit`: how many rows of the `by_model` breakdown to return (one page of it)."
);

usage_filters!(
    /// The body of `POST /v1/usage/events` (and its `refresh` query): which requests to list,
    /// newest first, and which page.
    ///
    /// `limit` is at most [`MAX_LIMIT`](Self::MAX_LIMIT) (200): `list` refuses a larger one
    /// before sending, and `paginate` cuts it to 200. Filters that take several values are
    /// typed as one value each; see [`UsageSummaryParams`].
    ///
    /// ```
    /// use meshapi::types::usage::ListUsageEventsParams;
    /// use serde_json::json;
    ///
    /// let params = ListUsageEventsParams::new().status("error").limit(50).offset(100).refresh(true);
    /// assert_eq!(
    ///     serde_json::to_value(&params)?,
    ///     json!({"org_id": "", "status": "error", "limit": 50, "offset": 100})
    /// );
    /// assert_eq!(params.refresh, Some(true)); // a query parameter, not in the body
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ListUsageEventsParams,
    limit = "`limit`: events per page, 1 to [`MAX_LIMIT`](Self::MAX_LIMIT) (200)."
);

impl ListUsageEventsParams {
    /// The most events the gateway returns per page.
    pub const MAX_LIMIT: u32 = 200;
}

/// The query of `GET /v1/usage/rate-limits`; unset parameters are not sent.
///
/// ```
/// use meshapi::types::usage::RateLimitsParams;
///
/// let params = RateLimitsParams::new().team_id("team_42");
/// assert_eq!(params.team_id.as_deref(), Some("team_42"));
/// assert_eq!(params.org_id, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct RateLimitsParams {
    /// `org_id`: the org to read (dashboard callers; ignored for API keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// `team_id`: only this team's scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

impl RateLimitsParams {
    /// No parameter: the caller's own limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the org to read (ignored for API keys).
    ///
    /// Defaults to unset.
    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        self.org_id = Some(org_id.into());
        self
    }

    /// Sets the team whose limits to read.
    ///
    /// Defaults to unset (no team filter).
    pub fn team_id(mut self, team_id: impl Into<String>) -> Self {
        self.team_id = Some(team_id.into());
        self
    }
}

/// The query of `GET /v1/usage/spend-trend`; unset parameters are not sent.
///
/// Only `granularity` is documented. Any other query parameter the gateway takes can be sent
/// with [`RequestOptions::query`](crate::RequestOptions::query).
///
/// ```
/// use meshapi::types::usage::SpendTrendParams;
///
/// let params = SpendTrendParams::new().granularity("day");
/// assert_eq!(params.granularity.as_deref(), Some("day"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct SpendTrendParams {
    /// `granularity`: the bucket size, e.g. `day`, `week` or `month`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granularity: Option<String>,
}

impl SpendTrendParams {
    /// No parameter: the server's default buckets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the bucket size, e.g. `day`, `week` or `month`.
    ///
    /// Defaults to unset (the server's default).
    pub fn granularity(mut self, granularity: impl Into<String>) -> Self {
        self.granularity = Some(granularity.into());
        self
    }
}

/// The answer of `POST /v1/usage`: requests, tokens and spend over the filtered window, with a
/// per-model breakdown. Every field is as the reference names it; money is a decimal string.
///
/// ```
/// use meshapi::types::usage::UsageSummary;
///
/// let summary: UsageSummary = serde_json::from_str(r#"{
///     "total_requests": 6, "successful_requests": 5, "error_requests": 1,
///     "prompt_tokens": 4370, "completion_tokens": 1045, "total_tokens": 5415,
///     "total_cost_usd": "0.00773500",
///     "by_model": [{"model": "anthropic/claude-sonnet-4", "requests": 1, "cost_usd": "0.00720000"}],
///     "by_model_total": 4, "cached_at": null
/// }"#)?;
/// assert_eq!(summary.total_cost_usd.as_deref(), Some("0.00773500"));
/// let top = &summary.by_model.as_ref().unwrap()[0];
/// assert_eq!(top.model.as_deref(), Some("anthropic/claude-sonnet-4"));
/// assert_eq!(top.extra["cost_usd"], "0.00720000");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UsageSummary {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// Requests in the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_requests: Option<u64>,
    /// Requests that succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_requests: Option<u64>,
    /// Requests that failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_requests: Option<u64>,
    /// Prompt tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    /// Completion tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<u64>,
    /// All tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    /// What the window cost, USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cost_usd: Option<String>,
    /// One page of the per-model breakdown (its size is the request's `limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_model: Option<Vec<ModelUsage>>,
    /// How many distinct models the breakdown has in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_model_total: Option<u64>,
    /// Platform fees, USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_platform_fee_usd: Option<String>,
    /// Platform fees on bring-your-own-key requests, USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_byok_platform_fee_usd: Option<String>,
    /// What bring-your-own-key requests cost, USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_byok_cost_usd: Option<String>,
    /// Requests served on the caller's own provider keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_byok_requests: Option<u64>,
    /// Requests served on the platform's provider keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_platform_requests: Option<u64>,
    /// Tokens of bring-your-own-key requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_byok_tokens: Option<u64>,
    /// Tokens of platform requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_platform_tokens: Option<u64>,
    /// When a cached summary was computed; `None` for a fresh one (API-key reads are fresh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_at: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One row of [`UsageSummary::by_model`]. The row's fields are not documented: only `model` is
/// typed (named after the `model` filter); counts and spend are in [`extra`](Self::extra).
///
/// ```
/// use meshapi::types::usage::ModelUsage;
///
/// let row: ModelUsage = serde_json::from_str(r#"{"model": "openai/gpt-4o-mini", "requests": 3}"#)?;
/// assert_eq!(row.model.as_deref(), Some("openai/gpt-4o-mini"));
/// assert_eq!(row.extra["requests"], 3);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelUsage {
    /// The model id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Every other field (requests, tokens, spend), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of `POST /v1/usage/events`: events newest first, and the count of all matches.
///
/// ```
/// use meshapi::types::usage::UsageEventsPage;
///
/// let page: UsageEventsPage = serde_json::from_str(r#"{
///     "events": [{"id": "evt_1", "request_id": "req_1", "cost_usd": "0.00004500", "routing_fallback": false}],
///     "total": 6, "limit": 1, "offset": 0
/// }"#)?;
/// assert_eq!(page.events[0].cost_usd.as_deref(), Some("0.00004500"));
/// assert_eq!((page.total, page.limit, page.offset), (6, Some(1), Some(0)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UsageEventsPage {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The events of this page, newest first (empty when absent).
    #[serde(default)]
    pub events: Vec<UsageEvent>,
    /// How many events match the filters in all.
    pub total: u64,
    /// The page size the server applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// How many matches were skipped before this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One billed request (a row of `POST /v1/usage/events`), or one attempt of it (a row of
/// `GET /v1/usage/events/{event_id}/attempts`).
///
/// The reference names `request_id`, `cost_usd` and `routing_fallback`. Two more are typed by
/// inference: `id`, the event id that the attempts endpoint takes (a string, or an integer kept
/// as its decimal text), and `model` (named after the `model` filter). Everything else (times,
/// status, tokens, endpoint) is in [`extra`](Self::extra) until its name is documented.
///
/// ```
/// use meshapi::types::usage::UsageEvent;
///
/// let event: UsageEvent = serde_json::from_str(r#"{
///     "id": 1042, "request_id": "req_01J", "model": "anthropic/claude-sonnet-4",
///     "cost_usd": "0.00720000", "routing_fallback": true, "status": "success"
/// }"#)?;
/// assert_eq!(event.id.as_deref(), Some("1042"));
/// assert_eq!(event.cost_usd.as_deref(), Some("0.00720000"));
/// assert_eq!(event.routing_fallback, Some(true));
/// assert_eq!(event.extra["status"], "success");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UsageEvent {
    /// The event id, for [`attempts`](crate::resources::usage::UsageEvents::attempts).
    #[serde(
        default,
        deserialize_with = "string_or_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// The request id the gateway answered with (`X-Request-Id`); every attempt of one request
    /// shares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The model id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// What the request cost, USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<String>,
    /// Whether a provider other than the first one served (the gateway's own fallback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_fallback: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `GET /v1/usage/events/{event_id}/attempts`: every attempt that shares the
/// event's `request_id`, oldest first (the served one and each retried one).
///
/// The wrapper is not documented, so both a bare array of rows and an object holding them under
/// `attempts` (or `events`) decode; the object's other fields are in [`extra`](Self::extra). An
/// object with neither key gives no attempts and keeps all its fields in `extra`.
///
/// ```
/// use meshapi::types::usage::UsageAttempts;
///
/// let wrapped: UsageAttempts = serde_json::from_str(
///     r#"{"request_id": "req_1", "attempts": [{"id": "evt_1a"}, {"id": "evt_1"}]}"#,
/// )?;
/// assert_eq!(wrapped.attempts.len(), 2);
/// assert_eq!(wrapped.extra["request_id"], "req_1");
///
/// let bare: UsageAttempts = serde_json::from_str(r#"[{"id": "evt_1"}]"#)?;
/// assert_eq!(bare.attempts[0].id.as_deref(), Some("evt_1"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UsageAttempts {
    pub(crate) meta: crate::meta::Meta,
    /// The attempts, oldest first.
    pub attempts: Vec<UsageEvent>,
    /// The wrapper's other fields, kept as sent.
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for UsageAttempts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (attempts, extra) =
            rows_and_rest(Value::deserialize(deserializer)?, &["attempts", "events"])?;
        Ok(UsageAttempts {
            meta: crate::meta::Meta::default(),
            attempts,
            extra,
        })
    }
}

impl Serialize for UsageAttempts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_rows(serializer, "attempts", &self.attempts, &self.extra)
    }
}

/// The answer of `GET /v1/usage/rate-limits`: live counters against the effective limits,
/// per scope. An API key gets only the `key` scope; `org`, `team` and `member` are for
/// dashboard callers and `None` otherwise.
///
/// ```
/// use meshapi::types::usage::RateLimits;
///
/// let limits: RateLimits = serde_json::from_str(r#"{
///     "as_of": "2026-12-01T12:00:00Z",
///     "key": {"rpm": {"current": 3, "limit": 60, "pct": 5.0, "resets_in_seconds": 42,
///                     "is_default_limit": false}},
///     "org": null, "team": null, "member": null
/// }"#)?;
/// let rpm = &limits.key.as_ref().unwrap().limits["rpm"];
/// assert_eq!((rpm.current, rpm.limit, rpm.pct), (Some(3), Some(60), Some(5.0)));
/// assert!(limits.org.is_none());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RateLimits {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// When the counters were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The calling key's limits (the only scope an API key gets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<RateLimitScope>,
    /// The org's limits (dashboard callers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<RateLimitScope>,
    /// The team's limits (dashboard callers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<RateLimitScope>,
    /// The member's limits (dashboard callers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<RateLimitScope>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The limits of one scope, by dimension (requests per minute, requests per day, tokens per
/// minute).
///
/// The dimensions' JSON names are not documented, so they are not fields: every member of the
/// scope that is an object with a [`RateLimit`] field (`current`, `limit`, `pct`,
/// `resets_in_seconds` or `is_default_limit`) is in [`limits`](Self::limits) under its name as
/// sent (the mock gateway says `rpm`, `rpd` and `tpm`); every other member is in
/// [`extra`](Self::extra).
///
/// ```
/// use meshapi::types::usage::RateLimitScope;
///
/// let scope: RateLimitScope = serde_json::from_str(r#"{
///     "key_id": "key_1",
///     "rpm": {"current": 3, "limit": 60, "pct": 5.0},
///     "tpm": {"current": 1365, "limit": 100000, "is_default_limit": true}
/// }"#)?;
/// for (dimension, limit) in &scope.limits {
///     println!("{dimension}: {:?}% of {:?}", limit.pct, limit.limit);
/// }
/// assert_eq!(scope.limits["tpm"].is_default_limit, Some(true));
/// assert_eq!(scope.extra["key_id"], "key_1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RateLimitScope {
    /// The scope's limits by dimension name, as sent.
    pub limits: BTreeMap<String, RateLimit>,
    /// The scope's other members, kept as sent.
    pub extra: Map<String, Value>,
}

/// The members of a [`RateLimit`] that make an object one.
const RATE_LIMIT_FIELDS: [&str; 5] = [
    "current",
    "limit",
    "pct",
    "resets_in_seconds",
    "is_default_limit",
];

impl<'de> Deserialize<'de> for RateLimitScope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut scope = RateLimitScope::default();
        for (name, value) in Map::<String, Value>::deserialize(deserializer)? {
            let is_limit = value
                .as_object()
                .is_some_and(|fields| RATE_LIMIT_FIELDS.iter().any(|f| fields.contains_key(*f)));
            if is_limit {
                let limit = serde_json::from_value(value)
                    .map_err(|e| de::Error::custom(format_args!("rate limit `{name}`: {e}")))?;
                scope.limits.insert(name, limit);
            } else {
                scope.extra.insert(name, value);
            }
        }
        Ok(scope)
    }
}

impl Serialize for RateLimitScope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;

        let mut map = serializer.serialize_map(None)?;
        for (name, limit) in &self.limits {
            map.serialize_entry(name, limit)?;
        }
        for (name, value) in self
            .extra
            .iter()
            .filter(|(n, _)| !self.limits.contains_key(*n))
        {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// One rate-limit dimension: the live counter against the effective limit.
///
/// ```
/// use std::time::Duration;
/// use meshapi::types::usage::RateLimit;
///
/// let limit: RateLimit = serde_json::from_str(
///     r#"{"current": 57, "limit": 60, "pct": 95.0, "resets_in_seconds": 12, "is_default_limit": false}"#,
/// )?;
/// if limit.pct.is_some_and(|pct| pct >= 90.0) {
///     println!("slow down: {:?} requests left", limit.remaining());
/// }
/// assert_eq!(limit.remaining(), Some(3));
/// assert_eq!(limit.resets_in(), Some(Duration::from_secs(12)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RateLimit {
    /// The count so far in the current window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<u64>,
    /// The effective limit of the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// `current` as a percentage of `limit`, 0 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pct: Option<f64>,
    /// Seconds until the window resets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resets_in_seconds: Option<f64>,
    /// `true` when the key sets no limit of its own and the system default is shown. A default
    /// TPM limit is display-only: keys without their own `tpm_limit` are not TPM-throttled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default_limit: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl RateLimit {
    /// How much of the window is left: `limit - current`, 0 once the count has reached the
    /// limit; `None` unless both were sent.
    pub fn remaining(&self) -> Option<u64> {
        Some(self.limit?.saturating_sub(self.current?))
    }

    /// [`resets_in_seconds`](Self::resets_in_seconds) as a `Duration`; `None` when absent,
    /// negative or too large for one.
    pub fn resets_in(&self) -> Option<Duration> {
        Duration::try_from_secs_f64(self.resets_in_seconds?).ok()
    }
}

/// The answer of `GET /v1/usage/spend-trend`: spend per `granularity` bucket, a trailing
/// 3-bucket moving average and the window's total.
///
/// Only `granularity` is named by the reference; the names of the buckets, the average and the
/// total are not, so they are in [`extra`](Self::extra), as sent. (The mock gateway answers
/// `buckets` of `{bucket, spend_usd, moving_avg_usd}` and a `total_usd`; the real gateway's
/// names may differ.)
///
/// ```
/// use meshapi::types::usage::SpendTrend;
///
/// let trend: SpendTrend = serde_json::from_str(r#"{
///     "granularity": "day",
///     "buckets": [{"bucket": "2026-11-30", "spend_usd": "0.00724000", "moving_avg_usd": "0.00241333"}],
///     "total_usd": "0.00773500"
/// }"#)?;
/// assert_eq!(trend.granularity.as_deref(), Some("day"));
/// assert_eq!(trend.extra["total_usd"], "0.00773500");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpendTrend {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The bucket size, e.g. `day`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granularity: Option<String>,
    /// The buckets, the moving average, the total and anything else, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `GET /v1/balance`: the credit balance, what in-flight operations hold of it,
/// and what can be spent. A key of an org reads the org owner's shared balance.
///
/// ```
/// use meshapi::types::usage::CreditBalance;
///
/// let balance: CreditBalance = serde_json::from_str(r#"{
///     "balance_usd": "25.00000000", "available_usd": "23.75000000", "reserved_usd": "1.25000000",
///     "reserved_breakdown": {"video_generation": "1.00000000", "realtime": "0.25000000"},
///     "updated_at": "2026-12-01T12:00:00Z", "message": null
/// }"#)?;
/// assert_eq!(balance.available_usd.as_deref(), Some("23.75000000"));
/// assert_eq!(balance.reserved_breakdown.unwrap()["realtime"], "0.25000000");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreditBalance {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The whole credit balance, USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_usd: Option<String>,
    /// What can be spent: `max(0, balance_usd - reserved_usd)`, USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_usd: Option<String>,
    /// What in-flight operations (realtime sessions, background jobs, video generation) hold,
    /// USD, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_usd: Option<String>,
    /// `reserved_usd` by category, listing only categories that hold funds; kept as sent, since
    /// its shape is not documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_breakdown: Option<Value>,
    /// When the balance last changed, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// A note from the gateway, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Reads an id sent as a string, or as an integer (kept as its decimal text, which is exact);
/// null as `None`.
fn string_or_integer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    struct Id;

    impl<'de> Visitor<'de> for Id {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string, an integer or null")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(Id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_always_send_org_id_and_nothing_unset() {
        assert_eq!(
            serde_json::to_value(UsageSummaryParams::new()).unwrap(),
            json!({"org_id": ""})
        );
        let every = ListUsageEventsParams::new()
            .org_id("org_1")
            .since("2026-11-01")
            .until("2026-12-01")
            .model("m")
            .status("success")
            .key_id("k")
            .team_id("t")
            .member_user_id("u")
            .end_user_id("e")
            .limit(200)
            .offset(400)
            .refresh(false);
        assert_eq!(
            serde_json::to_value(&every).unwrap(),
            json!({
                "org_id": "org_1", "since": "2026-11-01", "until": "2026-12-01", "model": "m",
                "status": "success", "key_id": "k", "team_id": "t", "member_user_id": "u",
                "end_user_id": "e", "limit": 200, "offset": 400
            })
        );
        assert_eq!(every.refresh, Some(false));
        assert_eq!(
            serde_json::to_value(RateLimitsParams::new()).unwrap(),
            json!({})
        );
        assert_eq!(
            serde_json::to_value(SpendTrendParams::new()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn money_stays_the_string_that_was_sent_and_a_number_is_refused() {
        let summary: UsageSummary = serde_json::from_value(json!({
            "total_cost_usd": "0.10000000000000000001",
            "total_byok_cost_usd": "0",
            "total_platform_fee_usd": null,
        }))
        .unwrap();
        assert_eq!(
            summary.total_cost_usd.as_deref(),
            Some("0.10000000000000000001")
        );
        assert_eq!(summary.total_byok_cost_usd.as_deref(), Some("0"));
        assert_eq!(summary.total_platform_fee_usd, None);
        let err = serde_json::from_value::<CreditBalance>(json!({"balance_usd": 0.1})).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
        let err = serde_json::from_value::<UsageEvent>(json!({"cost_usd": 1})).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn every_response_decodes_from_an_empty_object_except_the_page_total() {
        let summary: UsageSummary = serde_json::from_value(json!({})).unwrap();
        assert_eq!((summary.total_requests, summary.by_model), (None, None));
        let limits: RateLimits = serde_json::from_value(json!({})).unwrap();
        assert!(limits.key.is_none() && limits.as_of.is_none());
        let trend: SpendTrend = serde_json::from_value(json!({})).unwrap();
        assert!(trend.granularity.is_none() && trend.extra.is_empty());
        let balance: CreditBalance = serde_json::from_value(json!({})).unwrap();
        assert_eq!(balance.balance_usd, None);
        let event: UsageEvent = serde_json::from_value(json!({})).unwrap();
        assert_eq!((event.id, event.cost_usd), (None, None));
        let err = serde_json::from_value::<UsageEventsPage>(json!({"events": []})).unwrap_err();
        assert_eq!(err.to_string(), "missing field `total`");
        let page: UsageEventsPage = serde_json::from_value(json!({"total": 0})).unwrap();
        assert!(page.events.is_empty());
    }

    #[test]
    fn unknown_fields_are_kept_at_every_level() {
        let summary: UsageSummary = serde_json::from_value(json!({
            "by_model": [{"model": "m", "requests": 2, "cost_usd": "0.1"}],
            "currency": "USD",
        }))
        .unwrap();
        assert_eq!(summary.extra["currency"], "USD");
        let row = &summary.by_model.as_ref().unwrap()[0];
        assert_eq!(row.model.as_deref(), Some("m"));
        assert_eq!(
            Value::Object(row.extra.clone()),
            json!({"requests": 2, "cost_usd": "0.1"})
        );

        let page: UsageEventsPage = serde_json::from_value(json!({
            "events": [{"id": "e", "created_at": "2026-11-30T18:05:00Z", "prompt_tokens": 900}],
            "total": 1, "has_more": false,
        }))
        .unwrap();
        assert_eq!(page.extra["has_more"], false);
        assert_eq!(page.events[0].extra["prompt_tokens"], 900);

        let limits: RateLimits = serde_json::from_value(json!({
            "key": {"rpm": {"current": 1, "limit": 2, "window": "minute"}},
            "scope_version": 2,
        }))
        .unwrap();
        assert_eq!(limits.extra["scope_version"], 2);
        assert_eq!(limits.key.unwrap().limits["rpm"].extra["window"], "minute");
    }

    #[test]
    fn event_ids_may_be_strings_or_integers() {
        let id = |value: Value| {
            serde_json::from_value::<UsageEvent>(json!({ "id": value }))
                .map(|event| event.id)
                .map_err(|e| e.to_string())
        };
        assert_eq!(id(json!("evt_1")), Ok(Some("evt_1".into())));
        assert_eq!(
            id(json!(18446744073709551615u64)),
            Ok(Some("18446744073709551615".into()))
        );
        assert_eq!(id(json!(-3)), Ok(Some("-3".into())));
        assert_eq!(id(Value::Null), Ok(None));
        assert!(
            id(json!(1.5))
                .unwrap_err()
                .contains("a string, an integer or null")
        );
        assert!(id(json!(true)).is_err());
    }

    #[test]
    fn a_scope_sorts_its_members_into_limits_and_the_rest() {
        let scope: RateLimitScope = serde_json::from_value(json!({
            "rpm": {"current": 3, "limit": 60},
            "tpm": {"is_default_limit": true},
            "key_id": "key_1",
            "labels": {"tier": "free"},
            "windows": [],
        }))
        .unwrap();
        assert_eq!(scope.limits.keys().collect::<Vec<_>>(), ["rpm", "tpm"]);
        assert_eq!(
            Value::Object(scope.extra.clone()),
            json!({"key_id": "key_1", "labels": {"tier": "free"}, "windows": []})
        );
        // Serializing gives back what was read.
        assert_eq!(
            serde_json::to_value(&scope).unwrap(),
            json!({
                "rpm": {"current": 3, "limit": 60},
                "tpm": {"is_default_limit": true},
                "key_id": "key_1",
                "labels": {"tier": "free"},
                "windows": [],
            })
        );
        let err = serde_json::from_value::<RateLimitScope>(json!({"rpd": {"current": "many"}}))
            .unwrap_err();
        assert!(err.to_string().starts_with("rate limit `rpd`: "), "{err}");
        assert!(serde_json::from_value::<RateLimitScope>(json!([1])).is_err());
    }

    #[test]
    fn remaining_and_reset_are_checked() {
        let limit = |value: Value| serde_json::from_value::<RateLimit>(value).unwrap();
        let over = limit(json!({"current": 75, "limit": 60, "resets_in_seconds": 0.25}));
        assert_eq!(over.remaining(), Some(0));
        assert_eq!(over.resets_in(), Some(Duration::from_millis(250)));
        let partial = limit(json!({"limit": 60, "resets_in_seconds": -1}));
        assert_eq!(partial.remaining(), None);
        assert_eq!(partial.resets_in(), None);
        assert_eq!(limit(json!({"resets_in_seconds": 1e300})).resets_in(), None);
        assert_eq!(limit(json!({})).resets_in(), None);
    }

    #[test]
    fn attempts_round_trip_through_their_wrapper() {
        let attempts: UsageAttempts = serde_json::from_value(json!({
            "events": [{"id": "a"}],
            "request_id": "req_1",
        }))
        .unwrap();
        assert_eq!(attempts.attempts[0].id.as_deref(), Some("a"));
        assert_eq!(
            serde_json::to_value(&attempts).unwrap(),
            json!({"attempts": [{"id": "a"}], "request_id": "req_1"})
        );
        let err = serde_json::from_value::<UsageAttempts>(json!([{"cost_usd": 2}])).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }
}
