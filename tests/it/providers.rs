//! models().providers(): what the server received and what the caller got.

use meshapi::ErrorCode;
use meshapi::mock::{MockReply, RecordedRequest};
use meshapi::types::models::ModelProvider;

use crate::common::{self, TOKEN};

fn assert_get(request: &RecordedRequest, path: &str) {
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", path)
    );
    assert_eq!(request.query, "");
    assert_eq!(
        request.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert!(request.body.is_empty());
}

fn flags(route: &ModelProvider) -> [Option<bool>; 6] {
    [
        route.supports_video_first_frame,
        route.supports_video_last_frame,
        route.supports_video_reference_image,
        route.supports_video_reference_video,
        route.supports_video_reference_audio,
        route.supports_video_negative_prompt,
    ]
}

#[test]
fn providers_keep_the_slash_and_match_before_the_model_route() {
    let mock = common::mock();
    let client = common::client(&mock);
    let routes = client
        .models()
        .providers("meta-llama/llama-3.3-70b-instruct:free")
        .unwrap();
    assert_get(
        &mock.requests()[0],
        "/v1/models/meta-llama/llama-3.3-70b-instruct%3Afree/providers",
    );
    assert_eq!(routes.providers.len(), 1);
    assert_eq!(routes.providers[0].extra["provider"], "amazon-bedrock");
    assert_eq!(flags(&routes.providers[0]), [Some(false); 6]);
    assert_eq!(
        routes.extra["model_id"],
        "meta-llama/llama-3.3-70b-instruct:free"
    );
    assert!(routes.meta().unwrap().request_id().is_some());

    let openai = client.models().providers("openai/gpt-4o-mini").unwrap();
    let names: Vec<&str> = openai
        .providers
        .iter()
        .filter_map(|r| r.extra["provider"].as_str())
        .collect();
    assert_eq!(names, ["openai", "azure"]);

    // The catch-all still answers the model itself.
    let model = client.models().get("openai/gpt-4o-mini").unwrap();
    assert_eq!(model.id, "openai/gpt-4o-mini");
    assert_get(&mock.requests()[2], "/v1/models/openai/gpt-4o-mini");
}

#[test]
fn providers_of_an_unknown_model_are_not_found_and_an_empty_id_is_not_sent() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client
        .models()
        .providers("nobody/no-such-model")
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.message(), "Model 'nobody/no-such-model' not found");
    assert_get(
        &mock.requests()[0],
        "/v1/models/nobody/no-such-model/providers",
    );

    let err = client.models().providers("").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn providers_decode_a_bare_array_keeping_unknown_fields() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"[
            {"provider": "byteplus", "supports_video_first_frame": true,
             "supports_video_last_frame": true, "supports_video_reference_image": true,
             "supports_video_reference_video": false, "supports_video_reference_audio": false,
             "supports_video_negative_prompt": true, "max_duration_seconds": 12},
            {"provider": "fal", "supports_video_first_frame": true}
        ]"#,
    ));
    let routes = client.models().providers("bytedance/seedance-2-5").unwrap();
    assert_get(
        &mock.requests()[0],
        "/v1/models/bytedance/seedance-2-5/providers",
    );
    assert_eq!(
        flags(&routes.providers[0]),
        [
            Some(true),
            Some(true),
            Some(true),
            Some(false),
            Some(false),
            Some(true)
        ]
    );
    assert_eq!(routes.providers[0].extra["max_duration_seconds"], 12);
    assert_eq!(
        flags(&routes.providers[1]),
        [Some(true), None, None, None, None, None],
        "absent is not false"
    );
    assert!(routes.extra.is_empty());
    assert!(
        routes
            .providers
            .iter()
            .any(|r| r.supports_video_last_frame == Some(true))
    );
}
