//! images: what the server received and what the caller got.

use meshapi::ErrorCode;
use meshapi::mock::MockReply;
use meshapi::types::images::{EditImageParams, GenerateImageParams, ImageRef};
use serde_json::json;

use crate::common::{self, TOKEN};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn images_body() -> String {
    json!({
        "created": 1712345678,
        "data": [
            {"b64_json": "iVBORw0KGgo=", "revised_prompt": "A lighthouse at dawn", "seed": 7},
            {"url": "https://cdn.example.com/img/2.png"}
        ],
        "background": "opaque", "output_format": "png", "quality": "high", "size": "1024x1024",
        "usage": {
            "prompt_tokens": 9, "completion_tokens": 544, "total_tokens": 553,
            "input_tokens_details": {"text_tokens": 9, "image_tokens": 0},
            "output_tokens_details": {"image_tokens": 544}
        },
        "provider": "openai"
    })
    .to_string()
}

#[test]
fn generate_sends_every_param_without_stream_and_decodes_the_reply() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, images_body()));
    let params = GenerateImageParams::new("A lighthouse at dawn")
        .model("openai/gpt-image-1")
        .n(2)
        .size("1024x1024")
        .quality("high")
        .response_format("b64_json")
        .output_format("png")
        .aspect_ratio("1:1")
        .resolution("1K")
        .output_compression(80)
        .background("opaque")
        .moderation("low")
        .partial_images(1)
        .image("data:image/png;base64,iVBORw==")
        .seed(-1)
        .sequential_image_generation("disabled")
        .sequential_image_generation_options(json!({"max_images": 2}))
        .guidance_scale(2.5)
        .watermark(false)
        .optimize_prompt_options(json!({"mode": "standard"}));
    let reply = client.images().generate(&params).unwrap();

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/images/generations")
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "prompt": "A lighthouse at dawn", "model": "openai/gpt-image-1", "n": 2,
            "size": "1024x1024", "quality": "high", "response_format": "b64_json",
            "output_format": "png", "aspect_ratio": "1:1", "resolution": "1K",
            "output_compression": 80, "background": "opaque", "moderation": "low",
            "partial_images": 1, "image": "data:image/png;base64,iVBORw==", "seed": -1,
            "sequential_image_generation": "disabled",
            "sequential_image_generation_options": {"max_images": 2},
            "guidance_scale": 2.5, "watermark": false,
            "optimize_prompt_options": {"mode": "standard"},
        })
    );

    assert_eq!(reply.created, 1712345678);
    assert_eq!(reply.data.len(), 2);
    assert_eq!(reply.data[0].bytes().unwrap(), PNG_SIGNATURE);
    assert_eq!(
        reply.data[0].revised_prompt.as_deref(),
        Some("A lighthouse at dawn")
    );
    assert_eq!(reply.data[0].extra["seed"], 7);
    assert_eq!(
        reply.data[1].url.as_deref(),
        Some("https://cdn.example.com/img/2.png")
    );
    let err = reply.data[1].bytes().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert_eq!(reply.background.as_deref(), Some("opaque"));
    assert_eq!(reply.output_format.as_deref(), Some("png"));
    assert_eq!(reply.quality.as_deref(), Some("high"));
    assert_eq!(reply.size.as_deref(), Some("1024x1024"));
    let usage = reply.usage.unwrap();
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (9, 544, 553)
    );
    assert_eq!(
        usage.output_tokens_details,
        Some(json!({"image_tokens": 544}))
    );
    assert_eq!(reply.extra["provider"], "openai");
}

#[test]
fn stream_sends_stream_true_and_yields_keep_alives_then_the_image() {
    let mock = common::mock();
    let client = common::client(&mock);
    let keep_alive = json!({"id": "img_1", "object": "image.chunk", "created": 1712345678,
        "model": "openai/gpt-image-1", "status": "processing", "data": []});
    let last = json!({"id": "img_1", "created": 1712345679, "status": "completed",
        "data": [{"b64_json": "iVBORw0KGgo="}], "progress": 100});
    mock.enqueue(
        MockReply::sse()
            .data(&keep_alive.to_string())
            .data(&json!({"created": 1712345678, "status": "processing"}).to_string())
            .data(&last.to_string())
            .done(),
    );
    let params = GenerateImageParams::new("A lighthouse").model("openai/gpt-image-1");
    let chunks: Vec<_> = client
        .images()
        .stream(&params)
        .collect::<Result<_, _>>()
        .unwrap();

    let request = &mock.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/images/generations")
    );
    assert_eq!(
        request.body_json().unwrap(),
        json!({"prompt": "A lighthouse", "model": "openai/gpt-image-1", "stream": true})
    );
    assert_eq!(chunks.len(), 3);
    assert!(chunks[0].is_keep_alive() && chunks[1].is_keep_alive());
    assert_eq!(chunks[0].id.as_deref(), Some("img_1"));
    assert_eq!(chunks[0].model.as_deref(), Some("openai/gpt-image-1"));
    assert_eq!(chunks[1].object, "image.chunk");
    assert_eq!(chunks[1].id, None);
    assert!(!chunks[2].is_keep_alive());
    assert_eq!(chunks[2].status.as_deref(), Some("completed"));
    assert_eq!(chunks[2].created, 1712345679);
    assert_eq!(chunks[2].data[0].bytes().unwrap(), PNG_SIGNATURE);
    assert_eq!(chunks[2].extra["progress"], 100);
}

#[test]
fn a_stream_error_frame_ends_the_stream_with_its_code() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(
        MockReply::sse()
            .data(r#"{"created":1,"status":"processing","data":[]}"#)
            .data(r#"{"error":{"code":"gateway_timeout","message":"Upstream took too long."}}"#),
    );
    let mut stream = client.images().stream(&GenerateImageParams::new("x"));
    assert!(stream.next().unwrap().unwrap().is_keep_alive());
    let err = stream.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::GatewayTimeout);
    assert_eq!(err.message(), "Upstream took too long.");
    assert!(stream.next().is_none());
}

#[test]
fn edit_sends_inline_images_and_decodes_the_reply() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, images_body()));
    let params = EditImageParams::new(
        "openai/gpt-image-1",
        ImageRef::from_bytes("image/png", PNG_SIGNATURE),
    )
    .prompt("Add a rainbow")
    .operation("inpaint")
    .mask(ImageRef::url("data:image/png;base64,AAAA"))
    .reference_images(["aGk=", "data:image/jpeg;base64,/9j/"])
    .expand_factor("1.5")
    .mask_feather(3);
    let reply = client.images().edit(&params).unwrap();

    let request = &mock.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/images/edits")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "model": "openai/gpt-image-1",
            "image": "data:image/png;base64,iVBORw0KGgo=",
            "prompt": "Add a rainbow",
            "operation": "inpaint",
            "mask": {"url": "data:image/png;base64,AAAA"},
            "reference_images": ["aGk=", "data:image/jpeg;base64,/9j/"],
            "expand_factor": "1.5",
            "mask_feather": 3,
        })
    );
    assert_eq!(reply.data[0].bytes().unwrap(), PNG_SIGNATURE);
    assert_eq!(reply.extra["provider"], "openai");
}

#[test]
fn edit_refuses_remote_images_before_sending() {
    let mock = common::mock();
    let client = common::client(&mock);
    let inline = "data:image/png;base64,aGk=";
    let cases = [
        EditImageParams::new("m", "https://example.com/photo.png"),
        EditImageParams::new("m", ImageRef::url("HTTP://example.com/photo.png")),
        EditImageParams::new("m", inline).mask("https://example.com/mask.png"),
        EditImageParams::new("m", inline).reference_images([inline, "http://x/r.png"]),
    ];
    for params in &cases {
        let err = client.images().edit(params).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
        assert_eq!(err.status(), None);
        assert!(
            err.message().contains("not remote URLs"),
            "{}",
            err.message()
        );
    }
    assert!(mock.requests().is_empty(), "nothing may be sent");
}

#[test]
fn edit_maps_a_provider_rejection() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(
        400,
        "invalid_request",
        "The image was rejected by the provider's safety system.",
    ));
    let err = client
        .images()
        .edit(&EditImageParams::new("m", "aGk=").prompt("x"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidRequest);
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        err.message(),
        "The image was rejected by the provider's safety system."
    );
    assert!(err.request_id().is_some_and(|id| id.starts_with("req_")));
    assert_eq!(mock.requests().len(), 1, "400 is not retried");
}

#[test]
fn default_routes_answer_with_a_decodable_png() {
    let mock = common::mock();
    let client = common::client(&mock);
    let b64 = client
        .images()
        .generate(&GenerateImageParams::new("a red circle").n(2))
        .unwrap();
    assert_eq!(b64.data.len(), 2);
    assert!(b64.data[0].b64_json.is_some() && b64.data[0].url.is_none());
    assert_eq!(b64.data[0].revised_prompt.as_deref(), Some("a red circle"));
    let png = b64.data[0].bytes().unwrap();
    assert!(png.starts_with(PNG_SIGNATURE));
    assert_eq!(b64.usage.as_ref().unwrap().prompt_tokens, 3);

    let url = client
        .images()
        .generate(&GenerateImageParams::new("a red circle").response_format("url"))
        .unwrap();
    let data_url = url.data[0].url.as_deref().unwrap();
    assert!(data_url.starts_with("data:image/png;base64,"));
    assert_eq!(url.data[0].bytes().unwrap(), png);

    let chunks: Vec<_> = client
        .images()
        .stream(&GenerateImageParams::new("a red circle"))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(chunks.len(), 3);
    assert!(chunks[0].is_keep_alive() && chunks[1].is_keep_alive());
    assert_eq!(chunks[2].data[0].bytes().unwrap(), png);

    let edited = client
        .images()
        .edit(&EditImageParams::new(
            "openai/gpt-image-1",
            ImageRef::from_bytes("image/png", &png),
        ))
        .unwrap();
    assert_eq!(edited.data[0].bytes().unwrap(), png);
}

#[test]
fn default_routes_validate_the_body() {
    let mock = common::mock();
    let client = common::client(&mock);
    let cases = [
        ("/v1/images/generations", json!({"model": "m"}), 422),
        ("/v1/images/edits", json!({"image": "aGk="}), 422),
        ("/v1/images/edits", json!({"model": "m"}), 422),
        (
            "/v1/images/edits",
            json!({"model": "m", "image": {"url": "https://x/y.png"}}),
            400,
        ),
    ];
    for (path, body, status) in cases {
        let err = client
            .request(meshapi::Method::Post, path)
            .json(&body)
            .send::<serde_json::Value>()
            .unwrap_err();
        assert_eq!(err.status(), Some(status), "{path} {body}");
    }
}

#[test]
fn unknown_usage_fields_are_kept_in_extra() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut body: serde_json::Value = serde_json::from_str(&images_body()).unwrap();
    body["usage"]["cost"] = json!("0.04");
    mock.enqueue(MockReply::json(200, body.to_string()));
    let reply = client
        .images()
        .generate(&GenerateImageParams::new("A lighthouse at dawn"))
        .unwrap();
    let usage = reply.usage.unwrap();
    assert_eq!(usage.total_tokens, 553);
    assert_eq!(usage.extra["cost"], "0.04");
    assert_eq!(usage.extra.len(), 1);
}
