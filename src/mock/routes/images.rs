//! Default answers for `POST /v1/images/generations` (whole or streamed) and
//! `POST /v1/images/edits`.
//!
//! Every image is the same valid 1×1 PNG, as `b64_json`, or as a `data:image/png;base64,` URL
//! when the request asks for `"response_format": "url"` (the mock hosts no files).

use serde_json::{Value, json};

use super::{State, invalid_field, ok};
use crate::mock::{MockReply, RecordedRequest};

/// A 1×1 PNG, base64-encoded.
const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const CREATED: u64 = 1_712_345_678;
const DEFAULT_MODEL: &str = "openai/gpt-image-1";
/// Keeps `n` from making the mock build huge answers.
const MAX_IMAGES: u64 = 10;
/// Tokens billed per generated image.
const IMAGE_TOKENS: u64 = 272;

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    if request.method != "POST" {
        return None;
    }
    match request.path.as_str() {
        "/v1/images/generations" => Some(generate(request, state)),
        "/v1/images/edits" => Some(edit(request)),
        _ => None,
    }
}

fn generate(request: &RecordedRequest, state: &State) -> MockReply {
    let body = request.body_json().unwrap_or(Value::Null);
    let Some(prompt) = body.get("prompt").and_then(Value::as_str) else {
        return invalid_field("prompt", "Field required");
    };
    let response = images_response(&body, Some(prompt));
    if body["stream"] != true {
        return ok(&response);
    }
    let id = state.next_id("imgchunk-mock");
    let model = body["model"].as_str().unwrap_or(DEFAULT_MODEL);
    let chunk = |status: &str, data: &Value| {
        json!({
            "id": id, "object": "image.chunk", "created": CREATED, "model": model,
            "status": status, "data": data,
        })
        .to_string()
    };
    MockReply::sse()
        .data(&chunk("processing", &json!([])))
        .data(&chunk("processing", &json!([])))
        .data(&chunk("completed", &response["data"]))
        .done()
}

fn edit(request: &RecordedRequest) -> MockReply {
    let body = request.body_json().unwrap_or(Value::Null);
    if body.get("model").and_then(Value::as_str).is_none() {
        return invalid_field("model", "Field required");
    }
    let image = match &body["image"] {
        Value::String(image) => image.as_str(),
        other => match other["url"].as_str() {
            Some(url) => url,
            None => return invalid_field("image", "Field required"),
        },
    };
    if image.starts_with("http://") || image.starts_with("https://") {
        return MockReply::error(
            400,
            "invalid_request",
            "Remote image URLs are not supported; send a data URL or base64.",
        );
    }
    ok(&images_response(&body, None))
}

/// An answer to `body` with `n` copies of the PNG; `revised` comes back as `revised_prompt`.
fn images_response(body: &Value, revised: Option<&str>) -> Value {
    let n = body["n"].as_u64().unwrap_or(1).clamp(1, MAX_IMAGES);
    let as_url = body["response_format"] == "url";
    let image = |_| {
        let mut image = if as_url {
            json!({ "url": format!("data:image/png;base64,{PNG_BASE64}") })
        } else {
            json!({ "b64_json": PNG_BASE64 })
        };
        if let Some(revised) = revised {
            image["revised_prompt"] = json!(revised);
        }
        image
    };
    let data: Vec<Value> = (0..n).map(image).collect();
    // Words of the body and at most MAX_IMAGES images: the sums below cannot overflow a u64.
    let prompt_tokens = body["prompt"]
        .as_str()
        .map_or(0, |p| p.split_whitespace().count() as u64);
    json!({
        "created": CREATED,
        "data": data,
        "background": body["background"].as_str().unwrap_or("opaque"),
        "output_format": "png",
        "quality": body["quality"].as_str().unwrap_or("medium"),
        "size": body["size"].as_str().unwrap_or("1024x1024"),
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": IMAGE_TOKENS * n,
            "total_tokens": prompt_tokens + IMAGE_TOKENS * n,
            "input_tokens_details": { "text_tokens": prompt_tokens, "image_tokens": 0 },
        },
    })
}
