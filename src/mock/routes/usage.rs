//! Default answers for usage, rate limits and balance (`/v1/usage…`, `/v1/balance`).
//!
//! | Route | Answer |
//! |---|---|
//! | `POST /v1/usage` | sums over six seeded requests (27 Nov – 1 Dec 2026, four models, one failed, one rerouted) filtered by `model`, `status`, `since` (inclusive) and `until` (exclusive); `by_model` paged by `limit`/`offset`, costliest first; money as 8-decimal strings; 422 `detail` without a string `org_id` or with a bad `limit`/`offset` |
//! | `POST /v1/usage/events` | the seeded requests, newest first, same filters, `{events, total, limit, offset}`, `limit` 1–200 (default 50), else 422 |
//! | `GET /v1/usage/events/{event_id}/attempts` | `{request_id, attempts}`: every row sharing the event's request id, oldest first (`evt_seed5` has two failed attempts before it); unknown → 404 `detail` |
//! | `GET /v1/usage/rate-limits` | `as_of`, a `key` scope with `rpm`, `rpd`, `tpm` (`current`, `limit`, `pct`, `resets_in_seconds`, `is_default_limit`), `org`/`team`/`member` null |
//! | `GET /v1/usage/spend-trend` | `{granularity, buckets: [{bucket, spend_usd, moving_avg_usd}], total_usd}` for `granularity` `day` (default), `week` (Monday dates) or `month`; anything else → 422 |
//! | `GET /v1/balance` | `balance_usd` 25, `reserved_usd` 1.25 (`reserved_breakdown` by category), `available_usd` 23.75, `updated_at`, `message` null |
//!
//! The reference names the request filters and most top-level answer fields; the keys inside
//! events, `by_model` rows, rate-limit scopes, spend-trend buckets and `reserved_breakdown` are
//! this mock's guesses, chosen to be plausible, not known.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{State, decode, invalid_field, not_found, ok, query_value};
use crate::mock::{MockReply, RecordedRequest};

const DEFAULT_LIMIT: u64 = 50;
const MAX_EVENTS_LIMIT: u64 = 200;
/// Money is counted in units of 10⁻⁸ USD, the precision the gateway's decimal strings carry.
const UNITS_PER_USD: u64 = 100_000_000;
const AS_OF: &str = "2026-12-01T12:00:00Z";

/// One row of the mock's usage log.
struct Row {
    id: &'static str,
    request_id: &'static str,
    created_at: &'static str,
    model: &'static str,
    success: bool,
    prompt_tokens: u64,
    completion_tokens: u64,
    /// In units of 10⁻⁸ USD.
    cost: u64,
    routing_fallback: bool,
}

/// The requests the log holds, newest first: one event each.
const EVENTS: [Row; 6] = [
    row(
        "evt_seed6",
        "req_seed6",
        "2026-12-01T09:30:00Z",
        "openai/gpt-4o-mini",
        (120, 45),
        4_500,
    ),
    Row {
        routing_fallback: true,
        ..row(
            "evt_seed5",
            "req_seed5",
            "2026-11-30T18:05:00Z",
            "anthropic/claude-sonnet-4",
            (900, 300),
            720_000,
        )
    },
    row(
        "evt_seed4",
        "req_seed4",
        "2026-11-30T11:00:00Z",
        "openai/text-embedding-3-small",
        (2_000, 0),
        4_000,
    ),
    Row {
        success: false,
        ..row(
            "evt_seed3",
            "req_seed3",
            "2026-11-29T16:45:00Z",
            "openai/gpt-4o-mini",
            (50, 0),
            0,
        )
    },
    row(
        "evt_seed2",
        "req_seed2",
        "2026-11-28T08:15:00Z",
        "meta-llama/llama-3.3-70b-instruct:free",
        (300, 200),
        0,
    ),
    row(
        "evt_seed1",
        "req_seed1",
        "2026-11-27T20:00:00Z",
        "openai/gpt-4o-mini",
        (1_000, 500),
        45_000,
    ),
];

/// The failed attempts behind `evt_seed5`, which the gateway rerouted: they share its
/// request id, cost nothing and are not events of their own.
const RETRIED: [Row; 2] = [
    Row {
        success: false,
        ..row(
            "evt_seed5a1",
            "req_seed5",
            "2026-11-30T18:04:57Z",
            "anthropic/claude-sonnet-4",
            (900, 0),
            0,
        )
    },
    Row {
        success: false,
        ..row(
            "evt_seed5a2",
            "req_seed5",
            "2026-11-30T18:04:59Z",
            "anthropic/claude-sonnet-4",
            (900, 0),
            0,
        )
    },
];

/// A successful, directly served row.
const fn row(
    id: &'static str,
    request_id: &'static str,
    created_at: &'static str,
    model: &'static str,
    (prompt_tokens, completion_tokens): (u64, u64),
    cost: u64,
) -> Row {
    Row {
        id,
        request_id,
        created_at,
        model,
        success: true,
        prompt_tokens,
        completion_tokens,
        cost,
        routing_fallback: false,
    }
}

impl Row {
    fn total_tokens(&self) -> u64 {
        self.prompt_tokens.saturating_add(self.completion_tokens)
    }

    fn status(&self) -> &'static str {
        if self.success { "success" } else { "error" }
    }

    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "request_id": self.request_id,
            "created_at": self.created_at,
            "model": self.model,
            "endpoint": "chat/completions",
            "status": self.status(),
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens(),
            "cost_usd": usd(self.cost),
            "routing_fallback": self.routing_fallback,
            "is_byok": false,
        })
    }
}

pub(super) fn route(request: &RecordedRequest, _state: &State) -> Option<MockReply> {
    let reply = match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/v1/usage") => summary(request),
        ("POST", "/v1/usage/events") => events(request),
        ("GET", "/v1/usage/rate-limits") => ok(&rate_limits()),
        ("GET", "/v1/usage/spend-trend") => spend_trend(&request.query),
        ("GET", "/v1/balance") => ok(&balance()),
        ("GET", path) => {
            let id = path
                .strip_prefix("/v1/usage/events/")?
                .strip_suffix("/attempts")
                .filter(|id| !id.contains('/'))?;
            attempts(&decode(id))
        }
        _ => return None,
    };
    Some(reply)
}

/// What a body of `POST /v1/usage` or `/v1/usage/events` asks for.
struct Filters {
    model: Option<String>,
    status: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: u64,
    offset: u64,
}

impl Filters {
    /// The body's filters, validated as the gateway's schema does; `max_limit` bounds `limit`.
    fn parse(request: &RecordedRequest, max_limit: u64) -> Result<Filters, MockReply> {
        if let Some(refresh) = query_value(&request.query, "refresh") {
            if !matches!(refresh.as_str(), "true" | "false" | "1" | "0") {
                return Err(field_error(
                    "query",
                    "refresh",
                    "bool_parsing",
                    "Input should be a valid boolean",
                ));
            }
        }
        let Some(Value::Object(body)) = request.body_json() else {
            return Err(field_error(
                "body",
                "",
                "dict_type",
                "Input should be a valid dictionary",
            ));
        };
        match body.get("org_id") {
            None => return Err(invalid_field("org_id", "Field required")),
            Some(Value::String(_)) => {}
            Some(_) => return Err(string_error("org_id")),
        }
        let text = |key: &str| -> Result<Option<String>, MockReply> {
            match body.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(string_error(key)),
            }
        };
        for key in ["key_id", "team_id", "member_user_id", "end_user_id"] {
            text(key)?;
        }
        Ok(Filters {
            model: text("model")?,
            status: text("status")?,
            since: text("since")?,
            until: text("until")?,
            limit: number(&body, "limit", DEFAULT_LIMIT, 1, max_limit)?,
            offset: number(&body, "offset", 0, 0, u64::MAX)?,
        })
    }

    /// The events that match, newest first. Times are compared as text, which orders ISO 8601
    /// stamps of one format, and makes a bare date mean its midnight.
    fn matching(&self) -> Vec<&'static Row> {
        EVENTS
            .iter()
            .filter(|row| self.model.as_ref().is_none_or(|m| m == row.model))
            .filter(|row| self.status.as_ref().is_none_or(|s| s == row.status()))
            .filter(|row| {
                self.since
                    .as_ref()
                    .is_none_or(|s| row.created_at >= s.as_str())
            })
            .filter(|row| {
                self.until
                    .as_ref()
                    .is_none_or(|u| row.created_at < u.as_str())
            })
            .collect()
    }

    fn page<T>(&self, items: impl IntoIterator<Item = T>) -> Vec<T> {
        items
            .into_iter()
            .skip(usize::try_from(self.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(self.limit).unwrap_or(usize::MAX))
            .collect()
    }
}

fn summary(request: &RecordedRequest) -> MockReply {
    let filters = match Filters::parse(request, MAX_EVENTS_LIMIT) {
        Ok(filters) => filters,
        Err(reply) => return reply,
    };
    let rows = filters.matching();
    let sum = |f: fn(&Row) -> u64| rows.iter().fold(0u64, |n, row| n.saturating_add(f(row)));
    let requests = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    let succeeded = sum(|row| u64::from(row.success));
    let tokens = sum(Row::total_tokens);

    let mut models: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        models.entry(row.model).or_default().push(row);
    }
    let mut by_model: Vec<(u64, Value)> = models
        .into_iter()
        .map(|(model, rows)| {
            let sum =
                |f: fn(&Row) -> u64| rows.iter().fold(0u64, |n, row| n.saturating_add(f(row)));
            let cost = sum(|row| row.cost);
            let row = json!({
                "model": model,
                "requests": rows.len(),
                "prompt_tokens": sum(|row| row.prompt_tokens),
                "completion_tokens": sum(|row| row.completion_tokens),
                "total_tokens": sum(Row::total_tokens),
                "cost_usd": usd(cost),
            });
            (cost, row)
        })
        .collect();
    // Costliest first; the map's order breaks ties by model id, and the sort is stable.
    by_model.sort_by_key(|(cost, _)| Reverse(*cost));
    let by_model_total = by_model.len();
    ok(&json!({
        "total_requests": requests,
        "successful_requests": succeeded,
        "error_requests": requests.saturating_sub(succeeded),
        "prompt_tokens": sum(|row| row.prompt_tokens),
        "completion_tokens": sum(|row| row.completion_tokens),
        "total_tokens": tokens,
        "total_cost_usd": usd(sum(|row| row.cost)),
        "by_model": filters.page(by_model.into_iter().map(|(_, row)| row)),
        "by_model_total": by_model_total,
        "total_platform_fee_usd": usd(0),
        "total_byok_platform_fee_usd": usd(0),
        "total_byok_cost_usd": usd(0),
        "total_byok_requests": 0,
        "total_platform_requests": requests,
        "total_byok_tokens": 0,
        "total_platform_tokens": tokens,
        "cached_at": null,
    }))
}

fn events(request: &RecordedRequest) -> MockReply {
    let filters = match Filters::parse(request, MAX_EVENTS_LIMIT) {
        Ok(filters) => filters,
        Err(reply) => return reply,
    };
    let rows = filters.matching();
    ok(&json!({
        "events": filters.page(rows.iter().map(|row| row.to_json())),
        "total": rows.len(),
        "limit": filters.limit,
        "offset": filters.offset,
    }))
}

fn attempts(id: &str) -> MockReply {
    let mut all = EVENTS.iter().chain(RETRIED.iter());
    let Some(request_id) = all.find(|row| row.id == id).map(|row| row.request_id) else {
        return not_found(&format!("Usage event '{id}'"));
    };
    let mut rows: Vec<&Row> = EVENTS
        .iter()
        .chain(RETRIED.iter())
        .filter(|row| row.request_id == request_id)
        .collect();
    rows.sort_by_key(|row| row.created_at);
    ok(&json!({
        "request_id": request_id,
        "attempts": rows.iter().map(|row| row.to_json()).collect::<Vec<_>>(),
    }))
}

fn rate_limits() -> Value {
    let limit = |current: u64, limit: u64, pct: f64, resets: u64, default: bool| {
        json!({
            "current": current,
            "limit": limit,
            "pct": pct,
            "resets_in_seconds": resets,
            "is_default_limit": default,
        })
    };
    json!({
        "as_of": AS_OF,
        "key": {
            "rpm": limit(3, 60, 5.0, 42, false),
            "rpd": limit(8, 1_000, 0.8, 43_200, true),
            "tpm": limit(1_365, 100_000, 1.37, 42, true),
        },
        "org": null,
        "team": null,
        "member": null,
    })
}

fn spend_trend(query: &str) -> MockReply {
    let granularity = query_value(query, "granularity").unwrap_or_else(|| "day".into());
    let bucket_of: fn(&str) -> Option<String> = match granularity.as_str() {
        "day" => |at| at.get(..10).map(str::to_owned),
        "month" => |at| at.get(..7).map(str::to_owned),
        "week" => monday_of,
        _ => {
            return field_error(
                "query",
                "granularity",
                "literal_error",
                "Input should be 'day', 'week' or 'month'",
            );
        }
    };
    let mut spend: BTreeMap<String, u64> = BTreeMap::new();
    for row in &EVENTS {
        let bucket = bucket_of(row.created_at).unwrap_or_default();
        let total = spend.entry(bucket).or_default();
        *total = total.saturating_add(row.cost);
    }
    let costs: Vec<u64> = spend.values().copied().collect();
    let buckets: Vec<Value> = spend
        .keys()
        .enumerate()
        .map(|(i, bucket)| {
            let window = costs.get(i.saturating_sub(2)..=i).unwrap_or_default();
            let sum = window.iter().fold(0u64, |n, c| n.saturating_add(*c));
            let len = u64::try_from(window.len()).unwrap_or(1).max(1);
            json!({
                "bucket": bucket,
                "spend_usd": usd(costs.get(i).copied().unwrap_or_default()),
                "moving_avg_usd": usd(sum / len),
            })
        })
        .collect();
    ok(&json!({
        "granularity": granularity,
        "buckets": buckets,
        "total_usd": usd(costs.iter().fold(0u64, |n, c| n.saturating_add(*c))),
    }))
}

fn balance() -> Value {
    let reserved = [("video_generation", 100_000_000), ("realtime", 25_000_000)];
    let total = 2_500_000_000u64;
    let held = reserved.iter().fold(0u64, |n, (_, c)| n.saturating_add(*c));
    let breakdown: Map<String, Value> = reserved
        .iter()
        .map(|(category, cost)| ((*category).to_owned(), Value::String(usd(*cost))))
        .collect();
    json!({
        "balance_usd": usd(total),
        "available_usd": usd(total.saturating_sub(held)),
        "reserved_usd": usd(held),
        "reserved_breakdown": breakdown,
        "updated_at": AS_OF,
        "message": null,
    })
}

/// Units of 10⁻⁸ USD as the gateway's decimal string: `4500` → `"0.00004500"`.
fn usd(units: u64) -> String {
    format!("{}.{:08}", units / UNITS_PER_USD, units % UNITS_PER_USD)
}

/// The Monday of an ISO 8601 stamp's week, as `YYYY-MM-DD`.
fn monday_of(at: &str) -> Option<String> {
    let part = |range: std::ops::Range<usize>| at.get(range)?.parse::<i64>().ok();
    let days = days_from_civil(part(0..4)?, part(5..7)?, part(8..10)?);
    // 1970-01-01 was a Thursday, three days after a Monday.
    let monday = days - (days + 3).rem_euclid(7);
    let (y, m, d) = civil_from_days(monday);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A body or query field as an integer from `min` to `max`, or `default` when absent.
fn number(
    body: &Map<String, Value>,
    key: &str,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, MockReply> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(value) => match value.as_u64() {
            Some(n) if n < min => Err(field_error(
                "body",
                key,
                "greater_than_equal",
                &format!("Input should be greater than or equal to {min}"),
            )),
            Some(n) if n > max => Err(field_error(
                "body",
                key,
                "less_than_equal",
                &format!("Input should be less than or equal to {max}"),
            )),
            Some(n) => Ok(n),
            None => Err(field_error(
                "body",
                key,
                "int_type",
                "Input should be a valid integer",
            )),
        },
    }
}

fn string_error(key: &str) -> MockReply {
    field_error("body", key, "string_type", "Input should be a valid string")
}

/// FastAPI's 422 for one field of the body or query (`key` empty for the body itself).
fn field_error(place: &str, key: &str, kind: &str, msg: &str) -> MockReply {
    let loc: Vec<&str> = [place, key].into_iter().filter(|s| !s.is_empty()).collect();
    MockReply::json(
        422,
        json!({"detail": [{"type": kind, "loc": loc, "msg": msg}]}).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_an_eight_decimal_string() {
        assert_eq!(usd(0), "0.00000000");
        assert_eq!(usd(4_500), "0.00004500");
        assert_eq!(usd(2_500_000_000), "25.00000000");
        assert_eq!(usd(u64::MAX), "184467440737.09551615");
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(
            monday_of("2026-11-27T20:00:00Z").as_deref(),
            Some("2026-11-23")
        );
        assert_eq!(monday_of("2026-11-30").as_deref(), Some("2026-11-30"));
        assert_eq!(
            monday_of("2026-12-01T09:30:00Z").as_deref(),
            Some("2026-11-30")
        );
        assert_eq!(monday_of("1970-01-01").as_deref(), Some("1969-12-29"));
        assert_eq!(monday_of("2024-03-03").as_deref(), Some("2024-02-26"));
        assert_eq!(monday_of("soon"), None);
        for days in [-800_000, -1, 0, 59, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn every_seeded_request_id_belongs_to_its_event() {
        for row in &EVENTS {
            assert_eq!(row.request_id.replace("req_", "evt_"), row.id);
        }
        assert!(RETRIED.iter().all(|row| row.request_id == "req_seed5"));
    }
}
