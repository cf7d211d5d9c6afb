//! Control of every call: request ids, metadata, per-call options, API versions, retry
//! policy and budget, model fallback, events.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use meshapi::mock::{MockReply, MockServer};
use meshapi::types::audio::TranscriptionParams;
use meshapi::types::rag::UploadFileParams;
use meshapi::{
    API_VERSION, ErrorCode, Event, MetaCapture, Method, RequestOptions, ResponseInfo, RetryBudget,
    RetryPolicy,
};
use serde_json::{Value, json};

use crate::common::{self, FIXTURE_RESPONSE, TOKEN};

fn ok() -> MockReply {
    MockReply::json(200, FIXTURE_RESPONSE)
}

fn unavailable() -> MockReply {
    MockReply::error(503, "provider_not_available", "try later")
}

/// Records every event a client raises, in order.
fn recorder() -> (
    Arc<Mutex<Vec<Event>>>,
    impl Fn(&Event) + Send + Sync + 'static,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |event: &Event| {
        sink.lock().unwrap().push(event.clone())
    })
}

#[test]
fn a_caller_request_id_is_sent_on_every_attempt_and_comes_back_in_the_metadata() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(unavailable());
    mock.enqueue(ok().header("X-Request-Id", "ticket-42"));
    let reply = client
        .with_options(RequestOptions::new().request_id("ticket-42"))
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    let seen = mock.requests();
    assert_eq!(seen.len(), 2);
    for request in &seen {
        assert_eq!(request.header("x-request-id"), Some("ticket-42"));
    }
    let meta = reply.meta().expect("metadata");
    assert_eq!(meta.request_id(), Some("ticket-42"));
    assert_eq!(meta.attempts(), 2);
    assert_eq!(meta.status(), 200);
}

#[test]
fn an_invalid_request_id_fails_before_anything_is_sent() {
    let mock = common::mock();
    let client = common::client(&mock);
    for bad in ["", "has space", "slash/es", "emoji-🚀", &"x".repeat(65)] {
        let view = client.with_options(RequestOptions::new().request_id(bad));
        let err = view
            .chat()
            .completions()
            .create(&common::params())
            .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig, "{bad:?}");
        let stream_err = view
            .chat()
            .completions()
            .stream(&common::params())
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(stream_err.code(), &ErrorCode::InvalidConfig);
    }
    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn the_request_id_goes_with_streams_and_multipart_but_never_to_the_signed_upload() {
    let gateway = common::mock();
    let storage = MockServer::start().unwrap();
    let client = common::client(&gateway);
    let view = client.with_options(RequestOptions::new().request_id("rid-1"));

    let text = common::collect_text(view.chat().completions().stream(&common::params())).unwrap();
    assert!(!text.is_empty());
    let signed = format!("{}/bucket/f_1?sig=1", storage.url());
    gateway.enqueue(MockReply::json(
        200,
        json!({"file_id": "f_1", "signed_url": signed, "expires_at": "2026-01-01T00:00:00Z"})
            .to_string(),
    ));
    storage.enqueue(MockReply::new(200));
    view.rag()
        .upload(&UploadFileParams::new(
            "a.txt",
            "text/plain",
            b"hi".to_vec(),
        ))
        .unwrap();
    view.audio()
        .transcriptions()
        .create(
            b"RIFF",
            "a.wav",
            &TranscriptionParams::new("sarvam/saaras:v3"),
        )
        .unwrap();

    let seen = gateway.requests();
    assert_eq!(seen.len(), 3);
    assert!(seen[2].multipart().is_some());
    for request in &seen {
        assert_eq!(
            request.header("x-request-id"),
            Some("rid-1"),
            "{}",
            request.path
        );
        assert_eq!(request.header("x-mesh-version"), Some(API_VERSION));
    }
    let put = &storage.requests()[0];
    assert_eq!(put.header("x-request-id"), None);
    assert_eq!(put.header("x-mesh-version"), None);
    assert_eq!(put.header("authorization"), None);
}

#[test]
fn the_api_version_header_is_pinned_overridden_or_left_out() {
    let mock = common::mock();
    common::client(&mock)
        .models()
        .list(&Default::default())
        .unwrap();
    common::builder(&mock)
        .api_version(Some("2026-09"))
        .build()
        .unwrap()
        .models()
        .list(&Default::default())
        .unwrap();
    common::builder(&mock)
        .api_version(None)
        .build()
        .unwrap()
        .models()
        .list(&Default::default())
        .unwrap();
    common::client(&mock)
        .with_options(RequestOptions::new().header("X-Mesh-Version", "2026-09"))
        .models()
        .list(&Default::default())
        .unwrap();
    let seen: Vec<Vec<String>> = mock
        .requests()
        .iter()
        .map(|r| {
            r.headers
                .iter()
                .filter(|(name, _)| name.eq_ignore_ascii_case("x-mesh-version"))
                .map(|(_, value)| value.clone())
                .collect()
        })
        .collect();
    assert_eq!(
        seen,
        vec![vec!["2026-08"], vec!["2026-09"], vec![], vec!["2026-09"]],
        "one header each, never empty"
    );
}

#[test]
fn metadata_reads_the_gateway_headers() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(
        ok().header("X-Request-Id", "req_1")
            .header("Mesh-Version", "2026-08")
            .header("Deprecation", "@1767225600")
            .header("Sunset", "Thu, 01 Jan 2027 00:00:00 GMT")
            .header("X-Mesh-Routing-Attempts", "3")
            .header("X-Mesh-Routing-Fallback", "true")
            .header("X-Mesh-Routing-Model", "anthropic/claude-sonnet-5")
            .header("X-Resolved-Model-Id", "openai/gpt-4o")
            .header("X-Cache", "HIT")
            .header("X-RateLimit-Remaining-Requests", "59"),
    );
    let reply = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    let meta = reply.meta().unwrap();
    assert_eq!(meta.request_id(), Some("req_1"));
    assert_eq!(meta.api_version(), Some("2026-08"), "the older header name");
    assert_eq!(meta.deprecation(), Some("@1767225600"));
    assert_eq!(meta.sunset(), Some("Thu, 01 Jan 2027 00:00:00 GMT"));
    assert_eq!(meta.routing_attempts(), Some(3));
    assert!(meta.routing_fallback());
    assert_eq!(meta.routing_model(), Some("anthropic/claude-sonnet-5"));
    assert_eq!(meta.resolved_model_id(), Some("openai/gpt-4o"));
    assert!(meta.cache_hit());
    assert_eq!(meta.header("x-ratelimit-remaining-requests"), Some("59"));
    assert_eq!(meta.header("X-RATELIMIT-REMAINING-REQUESTS"), Some("59"));
    assert_eq!(meta.attempts(), 1);
    assert!(meta.elapsed() < Duration::from_secs(30));
    assert_eq!(meta.fallback_model(), None);

    let json = serde_json::to_value(&reply).unwrap();
    assert!(json.get("meta").is_none(), "never serialized");
    let again: meshapi::ChatCompletionResponse = serde_json::from_value(json).unwrap();
    assert!(again.meta().is_none(), "never decoded");
    assert_eq!(again, reply, "left out of comparisons");
}

#[test]
fn capture_reaches_the_metadata_of_lists_empty_answers_and_streams() {
    let mock = common::mock();
    let client = common::client(&mock);
    let meta = MetaCapture::new();
    let view = client.with_options(RequestOptions::new().capture_meta(&meta));

    mock.enqueue(MockReply::json(200, r#"[{"id":"m/1"}]"#).header("X-Request-Id", "req_list"));
    let models = view.models().free().unwrap();
    assert_eq!(models.len(), 1);
    assert_eq!(meta.take().unwrap().request_id(), Some("req_list"));

    mock.enqueue(MockReply::new(204).header("X-Request-Id", "req_gone"));
    view.templates().delete("t_1").unwrap();
    assert_eq!(meta.take().unwrap().request_id(), Some("req_gone"));

    mock.enqueue(
        MockReply::sse()
            .header("X-Request-Id", "req_stream")
            .data(&common::chunk("hi"))
            .done(),
    );
    let stream = view.chat().completions().stream(&common::params());
    assert_eq!(
        stream.meta().and_then(|m| m.request_id()),
        Some("req_stream"),
        "there before the first item"
    );
    assert_eq!(meta.get().unwrap().request_id(), Some("req_stream"));
    let whole = stream.accumulate().unwrap();
    assert_eq!(whole.meta().unwrap().request_id(), Some("req_stream"));
}

#[test]
fn extra_body_fields_override_typed_ones_and_extra_query_parameters_are_encoded() {
    let mock = common::mock();
    let client = common::client(&mock);
    let view = client.with_options(
        RequestOptions::new()
            .body_field("min_p", 0.05)
            .body_field("temperature", 0.1)
            .query("trace", "a b")
            .header("X-Team", "search"),
    );
    view.chat()
        .completions()
        .create(&common::params().temperature(1.0))
        .unwrap();
    let seen = &mock.requests()[0];
    let body = seen.body_json().unwrap();
    assert_eq!(body["min_p"], json!(0.05));
    assert_eq!(body["temperature"], json!(0.1), "the extra field wins");
    assert_eq!(body["model"], "openai/gpt-4o-mini");
    assert_eq!(body["stream"], false);
    assert_eq!(seen.query, "trace=a%20b");
    assert_eq!(seen.header("x-team"), Some("search"));

    let err = view.models().list(&Default::default()).unwrap_err();
    assert_eq!(
        err.code(),
        &ErrorCode::InvalidConfig,
        "a GET has no body to merge into"
    );
    assert_eq!(mock.requests().len(), 1, "nothing more was sent");
}

#[test]
fn a_call_timeout_bounds_the_retries_and_never_sleeps_past_it() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .retry_max_delay(Duration::from_secs(30))
        .build()
        .unwrap();
    for _ in 0..4 {
        mock.enqueue(unavailable().retry_after(20));
    }
    let started = Instant::now();
    let err = client
        .with_options(RequestOptions::new().call_timeout(Duration::from_millis(500)))
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(err.message().contains("call timeout"), "{}", err.message());
    let source = std::error::Error::source(&err)
        .map(ToString::to_string)
        .unwrap();
    assert!(
        source.contains("503"),
        "the last error is the source: {source}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        mock.requests().len(),
        1,
        "a 20 s sleep would pass the deadline"
    );
}

#[test]
fn a_per_call_timeout_replaces_the_client_s() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    mock.enqueue(ok().delay(Duration::from_secs(20)));
    let started = Instant::now();
    let err = client
        .with_options(RequestOptions::new().timeout(Duration::from_millis(300)))
        .models()
        .list(&Default::default())
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_retry_policy_chooses_statuses_and_may_ignore_retry_after() {
    let mock = common::mock();
    let policy = RetryPolicy::default()
        .max_retries(2)
        .retry_on_status([500])
        .base_delay(Duration::from_millis(1))
        .respect_retry_after(false);
    let client = common::builder(&mock).retry_policy(policy).build().unwrap();
    mock.enqueue(MockReply::error(500, "internal_error", "boom").retry_after(60));
    mock.enqueue(ok());
    let started = Instant::now();
    client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "Retry-After was ignored"
    );
    assert_eq!(mock.requests().len(), 2);

    mock.enqueue(unavailable());
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "503 is not in this policy");
    assert_eq!(mock.requests().len(), 3);

    mock.enqueue(unavailable());
    mock.enqueue(ok());
    client
        .with_options(
            RequestOptions::new()
                .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1))),
        )
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert_eq!(
        mock.requests().len(),
        5,
        "a per-call policy replaces the client's"
    );
}

#[test]
fn retry_events_and_response_notices_arrive_in_order_with_their_fields() {
    let mock = common::mock();
    let (events, on_event) = recorder();
    let responses: Arc<Mutex<Vec<ResponseInfo>>> = Arc::default();
    let sink = Arc::clone(&responses);
    let client = common::builder(&mock)
        .on_event(on_event)
        .on_response(move |info| sink.lock().unwrap().push(info.clone()))
        .build()
        .unwrap();
    mock.enqueue(unavailable().header("X-Request-Id", "req_a"));
    mock.enqueue(ok().header("X-Request-Id", "req_b"));
    client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();

    let events = events.lock().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let Event::Retry(retry) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(retry.method, Method::Post);
    assert_eq!(retry.path, "/v1/chat/completions");
    assert_eq!((retry.attempt, retry.max_attempts), (1, 4));
    assert_eq!(retry.status, Some(503));
    assert_eq!(retry.request_id.as_deref(), Some("req_a"));
    assert!(retry.delay <= Duration::from_millis(30));
    let line = events[0].to_string();
    assert!(
        line.starts_with("retrying POST /v1/chat/completions (attempt 1/4 failed: 503, next in "),
        "{line}"
    );
    assert!(line.ends_with("ms) [req_a]"), "{line}");
    assert!(!line.contains(TOKEN));

    let responses = responses.lock().unwrap();
    let summary: Vec<_> = responses
        .iter()
        .map(|r| (r.attempt, r.status, r.request_id.as_deref()))
        .collect();
    assert_eq!(
        summary,
        vec![(1, 503, Some("req_a")), (2, 200, Some("req_b"))]
    );
    assert!(responses[0].url.ends_with("/v1/chat/completions"));
    assert!(!format!("{responses:?}").contains(TOKEN));
}

#[test]
fn per_call_callbacks_see_only_their_call() {
    let mock = common::mock();
    let client = common::client(&mock);
    let statuses: Arc<Mutex<Vec<u16>>> = Arc::default();
    let sink = Arc::clone(&statuses);
    let view = client.with_options(
        RequestOptions::new().on_response(move |info| sink.lock().unwrap().push(info.status)),
    );
    client.models().list(&Default::default()).unwrap();
    view.chat()
        .completions()
        .stream(&common::params())
        .for_each(drop);
    assert_eq!(
        *statuses.lock().unwrap(),
        vec![200],
        "the stream, not the other call"
    );
}

#[test]
fn deprecation_and_gateway_routing_raise_events_once_per_route() {
    let mock = common::mock();
    let (events, on_event) = recorder();
    let client = common::builder(&mock).on_event(on_event).build().unwrap();
    for _ in 0..3 {
        mock.enqueue(
            ok().header("Deprecation", "true")
                .header("X-Mesh-Version", "2026-08"),
        );
    }
    for _ in 0..3 {
        client
            .chat()
            .completions()
            .create(&common::params())
            .unwrap();
    }
    mock.enqueue(
        MockReply::json(200, r#"{"object":"list","data":[]}"#)
            .header("X-Mesh-Routing-Attempts", "2")
            .header("X-Request-Id", "req_r"),
    );
    client.models().list(&Default::default()).unwrap();
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    let Event::Deprecation(deprecation) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(deprecation.path, "/v1/chat/completions");
    assert_eq!(deprecation.deprecation.as_deref(), Some("true"));
    assert_eq!(deprecation.api_version.as_deref(), Some("2026-08"));
    let Event::GatewayRouting(routing) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!((routing.attempts, routing.fallback), (2, false));
    assert_eq!(
        events[1].to_string(),
        "gateway served /v1/models (2 attempts) [req_r]"
    );
}

#[test]
fn a_shared_budget_bounds_the_retries_of_32_threads_and_recovers() {
    let mock = common::mock();
    let budget = RetryBudget::new(10, 2);
    let client = common::builder(&mock)
        .retry_budget(budget.clone())
        .build()
        .unwrap();
    // Without a budget the 32 calls would make 128 attempts.
    for _ in 0..(32 + 10) {
        mock.enqueue(unavailable());
    }
    let workers: Vec<_> = (0..32)
        .map(|_| {
            let client = client.clone();
            thread::spawn(move || client.chat().completions().create(&common::params()))
        })
        .collect();
    let errors: Vec<_> = workers
        .into_iter()
        .map(|w| w.join().unwrap().unwrap_err())
        .collect();
    assert_eq!(
        mock.requests().len(),
        32 + 10,
        "one attempt each and the 10 retries"
    );
    assert_eq!(budget.available(), 0);
    assert!(errors.iter().all(|e| e.status() == Some(503)));
    let spent = errors
        .iter()
        .filter(|e| e.message().contains("retry budget is spent"))
        .count();
    assert!(spent >= 32 - 10, "{spent} calls said the budget was spent");

    // The gateway is back (the mock's defaults answer 200): two successes earn a retry.
    for _ in 0..4 {
        client.models().list(&Default::default()).unwrap();
    }
    assert_eq!(budget.available(), 2);
    mock.enqueue(unavailable());
    mock.enqueue(unavailable());
    mock.enqueue(ok());
    client
        .chat()
        .completions()
        .create(&common::params())
        .expect("retried with the earned budget");
    assert_eq!(
        budget.available(),
        0,
        "spent again, then half a retry earned back"
    );
}

#[test]
fn the_fallback_chain_moves_on_with_full_retries_and_never_sends_the_list() {
    let mock = common::mock();
    let (events, on_event) = recorder();
    let client = common::builder(&mock)
        .max_retries(1)
        .fallback_models(["openai/gpt-4o-mini", "b/one", "c/two"])
        .on_event(on_event)
        .build()
        .unwrap();
    for _ in 0..4 {
        mock.enqueue(unavailable().header("X-Request-Id", "req_x"));
    }
    mock.enqueue(ok());
    let reply = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    let models: Vec<Value> = mock
        .requests()
        .iter()
        .map(|r| r.body_json().unwrap()["model"].clone())
        .collect();
    assert_eq!(
        models,
        [
            "openai/gpt-4o-mini",
            "openai/gpt-4o-mini",
            "b/one",
            "b/one",
            "c/two"
        ],
        "each hop with its retries; the requested model is not tried twice"
    );
    for request in mock.requests() {
        let body = request.body_text();
        assert!(!body.contains("fallback"), "{body}");
        assert!(!body.contains("c/two") || request.body_json().unwrap()["model"] == "c/two");
    }
    let meta = reply.meta().unwrap();
    assert_eq!(meta.fallback_model(), Some("c/two"));
    assert_eq!(meta.fallback_hops(), 2);
    let hops: Vec<String> = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, Event::Fallback(_)))
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        hops,
        [
            "falling back openai/gpt-4o-mini → b/one (1/2: 503 provider_not_available) [req_x]",
            "falling back b/one → c/two (2/2: 503 provider_not_available) [req_x]",
        ]
    );
}

#[test]
fn fallback_stops_at_statuses_it_does_not_cover_and_returns_the_last_error() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .max_retries(0)
        .fallback_models(["b/one"])
        .build()
        .unwrap();
    mock.enqueue(MockReply::error(401, "unauthorized", "bad key"));
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(mock.requests().len(), 1, "401 never falls back");

    mock.enqueue(unavailable());
    mock.enqueue(
        MockReply::error(504, "gateway_timeout", "slow").header("X-Request-Id", "req_last"),
    );
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(
        (err.status(), err.request_id()),
        (Some(504), Some("req_last"))
    );

    mock.enqueue(unavailable());
    let err = client
        .with_options(RequestOptions::new().fallback_models(Vec::<String>::new()))
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(503),
        "an empty per-call list turns fallback off"
    );
    assert_eq!(mock.requests().len(), 4);
}

#[test]
fn a_stream_falls_back_only_before_it_opened() {
    let mock = common::mock();
    let client = common::builder(&mock)
        .fallback_models(["b/one"])
        .build()
        .unwrap();
    mock.enqueue(unavailable());
    mock.enqueue(MockReply::sse().data(&common::chunk("from b")).done());
    let stream = client.chat().completions().stream(&common::params());
    assert_eq!(stream.meta().unwrap().fallback_model(), Some("b/one"));
    assert_eq!(common::collect_text(stream).unwrap(), "from b");

    mock.enqueue(
        MockReply::sse()
            .data(&common::chunk("half"))
            .drop_connection(),
    );
    let err =
        common::collect_text(client.chat().completions().stream(&common::params())).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::StreamInterrupted);
    let models: Vec<Value> = mock
        .requests()
        .iter()
        .map(|r| r.body_json().unwrap()["model"].clone())
        .collect();
    assert_eq!(
        models,
        ["openai/gpt-4o-mini", "b/one", "openai/gpt-4o-mini"]
    );
}

#[test]
fn api_versions_are_listed_and_an_unserved_one_names_the_supported_ones() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"[{"label":"2026-08","status":"ga","baseline":true,"latest":false,"sunset_on":null,
             "notes_url":null,"capabilities":[]},
            {"label":"2026-09","status":"ga","baseline":false,"latest":true,"sunset_on":null,
             "notes_url":"https://x/n","capabilities":["video.poll_by_request_id"],"released":"2026-09-03"}]"#,
    ));
    let versions = client.api_versions().unwrap();
    assert_eq!(mock.requests()[0].path, "/v1/api-versions");
    assert_eq!(versions.len(), 2);
    assert!(versions[0].baseline && !versions[0].latest);
    assert_eq!(versions[1].capabilities, ["video.poll_by_request_id"]);
    assert_eq!(versions[1].extra["released"], "2026-09-03");

    mock.enqueue(MockReply::json(
        400,
        r#"{"error":{"code":"invalid_api_version","message":"unknown version 1999-01",
            "supported_versions":["2026-08","2026-09"]}}"#,
    ));
    let err = client.models().list(&Default::default()).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidApiVersion);
    assert_eq!(err.supported_versions(), ["2026-08", "2026-09"]);
    assert_eq!(mock.requests().len(), 2, "a 400 is not retried");
}

#[test]
fn a_body_over_32_mib_is_refused_before_sending_and_an_edge_413_is_typed() {
    let mock = common::mock();
    let client = common::client(&mock);
    let huge = "x".repeat(meshapi::MAX_REQUEST_BODY);
    let params = meshapi::ChatCompletionParams::new(
        "openai/gpt-4o-mini",
        vec![meshapi::ChatMessage::user(huge)],
    );
    let err = client.chat().completions().create(&params).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::RequestTooLarge);
    assert!(err.message().contains("32 MiB"), "{}", err.message());
    let err = common::collect_text(client.chat().completions().stream(&params)).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::RequestTooLarge);
    assert!(mock.requests().is_empty(), "nothing was sent");

    mock.enqueue(
        MockReply::new(413)
            .header("Content-Type", "text/html")
            .body("<html><body><h1>413 Request Entity Too Large</h1></body></html>"),
    );
    let err = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::RequestTooLarge);
    assert_eq!(err.status(), Some(413));
    assert_eq!(mock.requests().len(), 1, "a 413 is not retried");
}
