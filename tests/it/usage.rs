//! usage and balance: what the server received and what the caller got.

use std::time::Duration;

use meshapi::mock::{MockReply, RecordedRequest};
use meshapi::types::usage::{
    ListUsageEventsParams, RateLimitsParams, SpendTrendParams, UsageEvent, UsageSummaryParams,
};
use meshapi::{ErrorCode, RequestOptions};
use serde_json::{Value, json};

use crate::common::{self, TOKEN};

fn assert_sent(request: &RecordedRequest, method: &str, path: &str, query: &str) {
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        (method, path)
    );
    assert_eq!(request.query, query);
    assert_eq!(
        request.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    if method == "GET" {
        assert!(request.body.is_empty());
    } else {
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
}

fn ids(events: &[UsageEvent]) -> Vec<&str> {
    events.iter().filter_map(|e| e.id.as_deref()).collect()
}

fn body_limits_and_offsets(requests: &[RecordedRequest]) -> Vec<(Value, Value)> {
    requests
        .iter()
        .map(|r| {
            let body = r.body_json().unwrap();
            (body["limit"].clone(), body["offset"].clone())
        })
        .collect()
}

#[test]
fn summary_posts_the_filters_with_an_empty_org_id_and_gets_exact_money() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = UsageSummaryParams::new()
        .since("2026-11-01")
        .model("openai/gpt-4o-mini");
    let summary = client.usage().summary(&params).unwrap();

    let request = &mock.requests()[0];
    assert_sent(request, "POST", "/v1/usage", "");
    assert_eq!(
        request.body_json().unwrap(),
        json!({"org_id": "", "since": "2026-11-01", "model": "openai/gpt-4o-mini"})
    );

    assert_eq!(summary.total_requests, Some(3));
    assert_eq!(
        (summary.successful_requests, summary.error_requests),
        (Some(2), Some(1))
    );
    assert_eq!(
        (
            summary.prompt_tokens,
            summary.completion_tokens,
            summary.total_tokens
        ),
        (Some(1170), Some(545), Some(1715))
    );
    assert_eq!(summary.total_cost_usd.as_deref(), Some("0.00049500"));
    assert_eq!(summary.total_byok_cost_usd.as_deref(), Some("0.00000000"));
    assert_eq!(summary.total_platform_requests, Some(3));
    assert_eq!(summary.by_model_total, Some(1));
    let rows = summary.by_model.as_ref().unwrap();
    assert_eq!(rows[0].model.as_deref(), Some("openai/gpt-4o-mini"));
    assert_eq!(rows[0].extra["cost_usd"], "0.00049500");
    assert_eq!(summary.cached_at, None);
    assert!(summary.extra.is_empty(), "{:?}", summary.extra);
    let meta = summary.meta().unwrap();
    assert!(meta.request_id().is_some_and(|id| id.starts_with("req_")));
}

#[test]
fn summary_pages_the_per_model_breakdown_costliest_first() {
    let mock = common::mock();
    let client = common::client(&mock);
    let all = client.usage().summary(&UsageSummaryParams::new()).unwrap();
    assert_eq!(all.total_requests, Some(6));
    assert_eq!(all.total_cost_usd.as_deref(), Some("0.00773500"));
    let models = |rows: &[meshapi::types::usage::ModelUsage]| -> Vec<String> {
        rows.iter().filter_map(|r| r.model.clone()).collect()
    };
    assert_eq!(
        models(all.by_model.as_deref().unwrap()),
        [
            "anthropic/claude-sonnet-4",
            "openai/gpt-4o-mini",
            "openai/text-embedding-3-small",
            "meta-llama/llama-3.3-70b-instruct:free",
        ]
    );

    let page = client
        .usage()
        .summary(&UsageSummaryParams::new().limit(2).offset(1))
        .unwrap();
    assert_eq!(
        mock.requests()[1].body_json().unwrap(),
        json!({"org_id": "", "limit": 2, "offset": 1})
    );
    assert_eq!(
        models(page.by_model.as_deref().unwrap()),
        ["openai/gpt-4o-mini", "openai/text-embedding-3-small"]
    );
    assert_eq!(page.by_model_total, Some(4));
}

#[test]
fn summary_sends_refresh_in_the_query_and_a_null_org_id_is_refused_by_the_gateway() {
    let mock = common::mock();
    let client = common::client(&mock);
    client
        .usage()
        .summary(&UsageSummaryParams::new().refresh(true))
        .unwrap();
    assert_sent(&mock.requests()[0], "POST", "/v1/usage", "refresh=true");
    assert_eq!(
        mock.requests()[0].body_json().unwrap(),
        json!({"org_id": ""})
    );

    // The schema requires `org_id`, which is why the crate always sends it.
    let err = client
        .with_options(RequestOptions::new().body_field("org_id", Value::Null))
        .usage()
        .summary(&UsageSummaryParams::new())
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.details()[0]["loc"], json!(["body", "org_id"]));
    assert_eq!(err.details()[0]["msg"], "Input should be a valid string");
    assert_eq!(
        mock.requests()[1].body_json().unwrap()["org_id"],
        Value::Null
    );
}

#[test]
fn usage_reads_are_retried_like_any_call_on_a_503() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(503, "upstream_error", "Try again."));
    let summary = client.usage().summary(&UsageSummaryParams::new()).unwrap();
    assert_eq!(summary.total_requests, Some(6));
    assert_eq!(summary.meta().unwrap().attempts(), 2);
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

#[test]
fn events_list_sends_the_page_and_gets_events_newest_first() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = ListUsageEventsParams::new()
        .status("success")
        .limit(2)
        .offset(1);
    let page = client.usage().events().list(&params).unwrap();

    let request = &mock.requests()[0];
    assert_sent(request, "POST", "/v1/usage/events", "");
    assert_eq!(
        request.body_json().unwrap(),
        json!({"org_id": "", "status": "success", "limit": 2, "offset": 1})
    );

    assert_eq!(ids(&page.events), ["evt_seed5", "evt_seed4"]);
    assert_eq!((page.total, page.limit, page.offset), (5, Some(2), Some(1)));
    let rerouted = &page.events[0];
    assert_eq!(rerouted.request_id.as_deref(), Some("req_seed5"));
    assert_eq!(rerouted.model.as_deref(), Some("anthropic/claude-sonnet-4"));
    assert_eq!(rerouted.cost_usd.as_deref(), Some("0.00720000"));
    assert_eq!(rerouted.routing_fallback, Some(true));
    assert_eq!(rerouted.extra["status"], "success");
    assert_eq!(rerouted.extra["total_tokens"], 1200);
    assert_eq!(page.events[1].routing_fallback, Some(false));
    assert!(page.meta().is_some());
}

#[test]
fn events_filter_by_time_and_send_refresh_in_the_query() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = ListUsageEventsParams::new()
        .since("2026-11-28")
        .until("2026-11-30")
        .refresh(true);
    let page = client.usage().events().list(&params).unwrap();
    assert_sent(
        &mock.requests()[0],
        "POST",
        "/v1/usage/events",
        "refresh=true",
    );
    assert_eq!(ids(&page.events), ["evt_seed3", "evt_seed2"]);
    assert_eq!(page.total, 2);
}

#[test]
fn events_list_refuses_a_page_above_200_before_sending() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client
        .usage()
        .events()
        .list(&ListUsageEventsParams::new().limit(201))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert!(err.message().contains("at most 200"), "{}", err.message());
    assert!(mock.requests().is_empty());

    let page = client
        .usage()
        .events()
        .list(&ListUsageEventsParams::new().limit(ListUsageEventsParams::MAX_LIMIT))
        .unwrap();
    assert_eq!((page.events.len(), page.limit), (6, Some(200)));
}

#[test]
fn events_list_reports_the_gateways_validation_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    // `list` passes a limit of 0 on; the gateway's schema decides.
    let err = client
        .usage()
        .events()
        .list(&ListUsageEventsParams::new().limit(0))
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(
        err.details()[0]["msg"],
        "Input should be greater than or equal to 1"
    );
    assert_eq!(mock.requests()[0].body_json().unwrap()["limit"], 0);
}

#[test]
fn paginate_walks_every_page_by_the_offset_asked_for() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut pages = client
        .usage()
        .events()
        .paginate(&ListUsageEventsParams::new().limit(2));
    assert!(
        mock.requests().is_empty(),
        "nothing is fetched before iterating"
    );
    let events: Vec<UsageEvent> = pages.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(
        ids(&events),
        [
            "evt_seed6",
            "evt_seed5",
            "evt_seed4",
            "evt_seed3",
            "evt_seed2",
            "evt_seed1"
        ]
    );
    assert_eq!(pages.pages_fetched(), 3);
    let requests = mock.requests();
    assert!(
        requests
            .iter()
            .all(|r| (r.method.as_str(), r.path.as_str()) == ("POST", "/v1/usage/events"))
    );
    assert_eq!(
        body_limits_and_offsets(&requests),
        [
            (json!(2), Value::Null),
            (json!(2), json!(2)),
            (json!(2), json!(4))
        ]
    );

    // From the caller's own offset on, with the filters kept on every page.
    let mock = common::mock();
    let client = common::client(&mock);
    let params = ListUsageEventsParams::new()
        .model("openai/gpt-4o-mini")
        .limit(1)
        .offset(1);
    let events: Vec<UsageEvent> = client
        .usage()
        .events()
        .paginate(&params)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids(&events), ["evt_seed3", "evt_seed1"]);
    let requests = mock.requests();
    assert_eq!(
        body_limits_and_offsets(&requests),
        [(json!(1), json!(1)), (json!(1), json!(2))]
    );
    assert!(
        requests
            .iter()
            .all(|r| r.body_json().unwrap()["model"] == "openai/gpt-4o-mini")
    );
}

#[test]
fn paginate_cuts_a_page_size_above_200_and_stops_after_an_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    let events: Vec<UsageEvent> = client
        .usage()
        .events()
        .paginate(&ListUsageEventsParams::new().limit(5_000))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(events.len(), 6);
    assert_eq!(mock.requests()[0].body_json().unwrap()["limit"], 200);

    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"{"events": [{"id": "a"}, {"id": "b"}], "total": 3, "limit": 2, "offset": 0}"#,
    ));
    mock.enqueue(MockReply::error(401, "unauthorized", "Invalid API key."));
    let mut pages = client
        .usage()
        .events()
        .paginate(&ListUsageEventsParams::new().limit(2));
    assert_eq!(pages.next().unwrap().unwrap().id.as_deref(), Some("a"));
    assert_eq!(pages.next().unwrap().unwrap().id.as_deref(), Some("b"));
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert!(pages.next().is_none());
    assert_eq!(mock.requests()[1].body_json().unwrap()["offset"], 2);
}

#[test]
fn attempts_send_the_id_as_one_segment_and_come_oldest_first() {
    let mock = common::mock();
    let client = common::client(&mock);
    let attempts = client.usage().events().attempts("evt_seed5").unwrap();
    assert_sent(
        &mock.requests()[0],
        "GET",
        "/v1/usage/events/evt_seed5/attempts",
        "",
    );
    assert_eq!(
        ids(&attempts.attempts),
        ["evt_seed5a1", "evt_seed5a2", "evt_seed5"]
    );
    assert!(
        attempts
            .attempts
            .iter()
            .all(|a| a.request_id.as_deref() == Some("req_seed5"))
    );
    assert_eq!(attempts.attempts[0].extra["status"], "error");
    assert_eq!(attempts.attempts[0].cost_usd.as_deref(), Some("0.00000000"));
    assert_eq!(attempts.attempts[2].routing_fallback, Some(true));
    assert_eq!(attempts.extra["request_id"], "req_seed5");
    assert!(attempts.meta().is_some());

    // A request served at once has one attempt.
    let single = client.usage().events().attempts("evt_seed1").unwrap();
    assert_eq!(ids(&single.attempts), ["evt_seed1"]);
}

#[test]
fn attempts_of_an_unknown_or_hostile_id_stay_on_their_route() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client.usage().events().attempts("../a/b?c#d").unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.message(), "Usage event '../a/b?c#d' not found");
    assert_sent(
        &mock.requests()[0],
        "GET",
        "/v1/usage/events/..%2Fa%2Fb%3Fc%23d/attempts",
        "",
    );

    let err = client.usage().events().attempts("").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert_eq!(mock.requests().len(), 1, "an empty id is not sent");
}

#[test]
fn attempts_decode_a_bare_array_too() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"[{"id": 7, "request_id": "req_7", "cost_usd": "0.1"}]"#,
    ));
    let attempts = client.usage().events().attempts("7").unwrap();
    assert_eq!(ids(&attempts.attempts), ["7"]);
    assert!(attempts.extra.is_empty());
}

#[test]
fn rate_limits_send_only_the_set_query_and_get_the_key_scope() {
    let mock = common::mock();
    let client = common::client(&mock);
    let limits = client
        .usage()
        .rate_limits(&RateLimitsParams::new().team_id("team 1"))
        .unwrap();
    assert_sent(
        &mock.requests()[0],
        "GET",
        "/v1/usage/rate-limits",
        "team_id=team%201",
    );
    assert_eq!(limits.as_of.as_deref(), Some("2026-12-01T12:00:00Z"));
    let key = limits.key.as_ref().unwrap();
    assert_eq!(
        key.limits.keys().map(String::as_str).collect::<Vec<_>>(),
        ["rpd", "rpm", "tpm"]
    );
    let rpm = &key.limits["rpm"];
    assert_eq!(
        (rpm.current, rpm.limit, rpm.pct),
        (Some(3), Some(60), Some(5.0))
    );
    assert_eq!(rpm.remaining(), Some(57));
    assert_eq!(rpm.resets_in(), Some(Duration::from_secs(42)));
    assert_eq!(rpm.is_default_limit, Some(false));
    assert_eq!(key.limits["tpm"].is_default_limit, Some(true));
    assert!(key.extra.is_empty());
    assert!(limits.org.is_none() && limits.team.is_none() && limits.member.is_none());

    client
        .usage()
        .rate_limits(&RateLimitsParams::new().org_id("org_1").team_id("t"))
        .unwrap();
    assert_eq!(mock.requests()[1].query, "org_id=org_1&team_id=t");
    client
        .usage()
        .rate_limits(&RateLimitsParams::new())
        .unwrap();
    assert_eq!(mock.requests()[2].query, "");
}

#[test]
fn rate_limits_report_an_error_envelope() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(
        403,
        "forbidden",
        "Not a member of this org.",
    ));
    let err = client
        .usage()
        .rate_limits(&RateLimitsParams::new().org_id("org_other"))
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), &ErrorCode::Forbidden);
    assert_eq!(err.message(), "Not a member of this org.");
    assert!(err.request_id().is_some());
}

#[test]
fn spend_trend_buckets_by_the_granularity_asked_for() {
    let mock = common::mock();
    let client = common::client(&mock);
    let weekly = client
        .usage()
        .spend_trend(&SpendTrendParams::new().granularity("week"))
        .unwrap();
    assert_sent(
        &mock.requests()[0],
        "GET",
        "/v1/usage/spend-trend",
        "granularity=week",
    );
    assert_eq!(weekly.granularity.as_deref(), Some("week"));
    assert_eq!(
        weekly.extra["buckets"],
        json!([
            {"bucket": "2026-11-23", "spend_usd": "0.00045000", "moving_avg_usd": "0.00045000"},
            {"bucket": "2026-11-30", "spend_usd": "0.00728500", "moving_avg_usd": "0.00386750"},
        ])
    );
    assert_eq!(weekly.extra["total_usd"], "0.00773500");

    let daily = client
        .usage()
        .spend_trend(&SpendTrendParams::new())
        .unwrap();
    assert_eq!(mock.requests()[1].query, "");
    assert_eq!(daily.granularity.as_deref(), Some("day"));
    let buckets = daily.extra["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 5);
    // The trailing average of the last three days: (0 + 0.00724 + 0.000045) / 3, cut to 8 places.
    assert_eq!(buckets[4]["moving_avg_usd"], "0.00242833");
}

#[test]
fn spend_trend_reports_a_bad_granularity() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client
        .usage()
        .spend_trend(&SpendTrendParams::new().granularity("fortnight"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.details()[0]["loc"], json!(["query", "granularity"]));
    assert_eq!(
        err.details()[0]["msg"],
        "Input should be 'day', 'week' or 'month'"
    );
}

#[test]
fn balance_gets_exact_decimal_strings() {
    let mock = common::mock();
    let client = common::client(&mock);
    let balance = client.balance().get().unwrap();
    assert_sent(&mock.requests()[0], "GET", "/v1/balance", "");
    assert_eq!(balance.balance_usd.as_deref(), Some("25.00000000"));
    assert_eq!(balance.available_usd.as_deref(), Some("23.75000000"));
    assert_eq!(balance.reserved_usd.as_deref(), Some("1.25000000"));
    assert_eq!(
        balance.reserved_breakdown,
        Some(json!({"realtime": "0.25000000", "video_generation": "1.00000000"}))
    );
    assert_eq!(balance.updated_at.as_deref(), Some("2026-12-01T12:00:00Z"));
    assert_eq!(balance.message, None);
    assert!(balance.extra.is_empty());
    assert_eq!(balance.meta().unwrap().status(), 200);

    // Digits beyond f64's precision arrive intact.
    mock.enqueue(MockReply::json(
        200,
        r#"{"balance_usd": "12345678901234567.123456789", "available_usd": "0", "reserved_usd": "0"}"#,
    ));
    let exact = client.balance().get().unwrap();
    assert_eq!(
        exact.balance_usd.as_deref(),
        Some("12345678901234567.123456789")
    );
}

#[test]
fn balance_reports_an_invalid_key_and_a_number_where_money_belongs() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(401, "unauthorized", "Invalid API key."));
    let err = client.balance().get().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.status(), Some(401));

    mock.enqueue(MockReply::json(200, r#"{"balance_usd": 25.5}"#));
    let err = client.balance().get().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError);
}
