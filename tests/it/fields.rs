//! Fields the gateway added after 0.1.12: per-unit and flex pricing, video input flags, web
//! page content, video references and task request ids, search facets.

use meshapi::mock::MockReply;
use meshapi::types::models::SearchModelsParams;
use meshapi::types::videos::{GenerateVideoParams, VideoContentItem};
use meshapi::types::web::WebSearchParams;
use serde_json::json;

use crate::common;

#[test]
fn models_carry_per_unit_and_flex_prices_and_video_input_flags() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!([
            {"id": "openai/gpt-4o-mini", "supports_flex": true,
             "pricing": {"pricing_unit": "per_1m_tokens", "prompt_usd_per_1m": "0.15000000",
                         "input_usd_per_unit": "0.15000000", "output_usd_per_unit": "0.60000000",
                         "cache_read_input_usd_per_1m": "0.07500000",
                         "flex_input_usd_per_1m": "0.07500000", "flex_cached_input_usd_per_1m": "0.03"}},
            {"id": "bytedance/seedance-2-5", "context_length": null,
             "supports_video_first_frame": true, "supports_video_last_frame": false,
             "supports_video_reference_image": true, "supports_video_reference_video": false,
             "supports_video_reference_audio": false, "supports_video_negative_prompt": true,
             "pricing": {"pricing_unit": "per_second", "prompt_usd_per_1m": null,
                         "input_usd_per_unit": "10.70000000", "output_usd_per_unit": "6.40000000"}}
        ])
        .to_string(),
    ));
    let models = client.models().list(&Default::default()).unwrap();
    let text = models[0].pricing.as_ref().unwrap();
    assert_eq!(
        text.input_usd_per_unit.as_deref(),
        Some("0.15000000"),
        "kept exact"
    );
    assert_eq!(text.output_usd_per_unit.as_deref(), Some("0.60000000"));
    assert_eq!(text.flex_input_usd_per_1m.as_deref(), Some("0.07500000"));
    assert_eq!(text.extra["flex_cached_input_usd_per_1m"], "0.03");
    assert_eq!(text.prompt_usd_per_1k, None, "retired, still optional");
    assert_eq!(models[0].supports_flex, Some(true));
    let video = &models[1];
    assert_eq!(
        video.pricing.as_ref().unwrap().pricing_unit.as_deref(),
        Some("per_second")
    );
    assert_eq!(video.pricing.as_ref().unwrap().prompt_usd_per_1m, None);
    assert_eq!(
        (
            video.supports_video_first_frame,
            video.supports_video_last_frame,
            video.supports_video_reference_image,
            video.supports_video_reference_video,
            video.supports_video_reference_audio,
            video.supports_video_negative_prompt,
        ),
        (
            Some(true),
            Some(false),
            Some(true),
            Some(false),
            Some(false),
            Some(true)
        )
    );
}

#[test]
fn search_sorts_by_price_and_keeps_the_facets() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({"items": [], "total": 0, "limit": 20, "offset": 0, "brands": [],
               "facets": {"output_modality": ["text", "image", "video"]}})
        .to_string(),
    ));
    let page = client
        .models()
        .search(
            &SearchModelsParams::new()
                .sort("price")
                .output_modality(["video"]),
        )
        .unwrap();
    let query = &mock.requests()[0].query;
    assert!(query.contains("sort=price"), "{query}");
    assert_eq!(page.facets.unwrap()["output_modality"][2], "video");
}

#[test]
fn web_search_page_content_is_asked_for_only_when_set() {
    let mock = common::mock();
    let client = common::client(&mock);
    client.web().search(&WebSearchParams::new("rust")).unwrap();
    mock.enqueue(MockReply::json(
        200,
        json!({"query": "rust", "provider": "tinyfish", "results": [
            {"title": "a", "url": "https://a", "content": "snippet",
             "page_content": "the whole page", "page_content_truncated": true},
            {"title": "b", "url": "https://b", "content": "", "page_content": ""},
            {"title": "c", "url": "https://c", "content": "", "page_content": null}
        ]})
        .to_string(),
    ));
    let answer = client
        .web()
        .search(
            &WebSearchParams::new("rust")
                .provider("tinyfish")
                .include_page_content(true),
        )
        .unwrap();
    let seen = mock.requests();
    assert_eq!(
        seen[0].body_json().unwrap(),
        json!({"query": "rust"}),
        "unchanged when unset"
    );
    assert_eq!(
        seen[1].body_json().unwrap(),
        json!({"query": "rust", "provider": "tinyfish", "include_page_content": true})
    );
    assert_eq!(
        answer.provider, "tinyfish",
        "a new engine never fails decoding"
    );
    let results = &answer.results;
    assert_eq!(results[0].page_content.as_deref(), Some("the whole page"));
    assert_eq!(results[0].page_content_truncated, Some(true));
    assert_eq!(
        results[1].page_content.as_deref(),
        Some(""),
        "empty is not absent"
    );
    assert_eq!(results[2].page_content, None);
    assert_eq!(results[2].page_content_truncated, None);
}

#[test]
fn video_references_are_sent_and_task_ids_and_drops_come_back() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({"id": "cgt-1", "request_id": "req_v1", "unsupported_params": ["seed"]}).to_string(),
    ));
    let params = GenerateVideoParams::new(
        "bytedance/seedance-2-5",
        vec![
            VideoContentItem::text("@hero walks in"),
            VideoContentItem::image_url("https://x/hero.png")
                .role("reference_image")
                .subject("hero"),
        ],
    )
    .omni_reference_task_type("generate")
    .callback_url("https://me.example/hook")
    .seed(7);
    let created = client.videos().generate(&params).unwrap();
    let body = mock.requests()[0].body_json().unwrap();
    assert_eq!(body["content"][1]["role"], "reference_image");
    assert_eq!(body["content"][1]["subject"], "hero");
    assert_eq!(body["omni_reference_task_type"], "generate");
    assert_eq!(body["callback_url"], "https://me.example/hook");
    assert!(
        body["content"][0].get("subject").is_none(),
        "absent fields are omitted"
    );
    assert_eq!(created.request_id.as_deref(), Some("req_v1"));
    assert_eq!(
        created.unsupported_params.as_deref(),
        Some(&["seed".to_owned()][..])
    );

    mock.enqueue(MockReply::json(
        200,
        json!({"id": "cgt-1", "status": "succeeded", "request_id": "req_v1",
               "billed_resolution": "720p"})
        .to_string(),
    ));
    let task = client.videos().get("req_v1").unwrap();
    assert_eq!(mock.requests()[1].path, "/v1/video/generations/req_v1");
    assert_eq!(task.request_id.as_deref(), Some("req_v1"));
    assert_eq!(task.billed_resolution.as_deref(), Some("720p"));
}

#[test]
fn chat_sends_stream_options_weight_profile_and_tier_and_reads_auto_routing() {
    use meshapi::types::chat::StreamOptions;
    let mock = common::mock();
    let client = common::client(&mock);
    let params = common::params()
        .model("auto")
        .weight_profile("cost_first")
        .service_tier("flex")
        .stream_options(StreamOptions::new().include_usage(true));
    let text = common::collect_text(client.chat().completions().stream(&params)).unwrap();
    assert!(!text.is_empty());
    let body = mock.requests()[0].body_json().unwrap();
    assert_eq!(body["stream_options"], json!({"include_usage": true}));
    assert_eq!(body["weight_profile"], "cost_first");
    assert_eq!(body["service_tier"], "flex");
    let plain = mock.requests().len();
    client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    let body = mock.requests()[plain].body_json().unwrap();
    for absent in ["stream_options", "weight_profile", "service_tier"] {
        assert!(body.get(absent).is_none(), "{absent} is omitted when unset");
    }

    let mut reply: serde_json::Value = serde_json::from_str(common::FIXTURE_RESPONSE).unwrap();
    reply["x_auto_routed"] = json!(true);
    reply["x_resolved_model_id"] = json!("openai/gpt-4o");
    reply["x_auto_routed_fallback"] = json!(true);
    reply["x_auto_routed_fallback_reason"] = json!("classifier_timeout");
    reply["x_classifier_usage"] = json!([{"tokens": 12}, {"tokens": 3}]);
    reply["service_tier"] = json!("flex");
    mock.enqueue(MockReply::json(200, reply.to_string()));
    let reply = client.chat().completions().create(&params).unwrap();
    assert_eq!(reply.x_auto_routed, Some(true));
    assert_eq!(reply.x_resolved_model_id.as_deref(), Some("openai/gpt-4o"));
    assert_eq!(reply.x_auto_routed_fallback, Some(true));
    assert_eq!(
        reply.x_auto_routed_fallback_reason.as_deref(),
        Some("classifier_timeout")
    );
    assert_eq!(reply.x_classifier_usage.as_ref().map(Vec::len), Some(2));
    assert_eq!(reply.service_tier.as_deref(), Some("flex"));

    // A stream's chunks carry them as unknown fields; the joined reply has them typed.
    let frame = json!({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "service_tier": "flex", "x_auto_routed": "not a bool",
        "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": "stop"}]});
    mock.enqueue(MockReply::sse().data(&frame.to_string()).done());
    let whole = client
        .chat()
        .completions()
        .stream(&params)
        .accumulate()
        .unwrap();
    assert_eq!(whole.service_tier.as_deref(), Some("flex"));
    assert_eq!(whole.x_auto_routed, None);
    assert_eq!(
        whole.extra["x_auto_routed"], "not a bool",
        "kept, not dropped"
    );
}
