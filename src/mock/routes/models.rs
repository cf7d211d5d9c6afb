//! Default answers for `/v1/...` (models).

use serde_json::{Value, json};

use super::{State, ok};
use crate::mock::{MockReply, RecordedRequest};

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    let _ = state;
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/v1/models") => Some(ok(&models())),
        _ => None,
    }
}

fn models() -> Value {
    json!([
        {
            "id": "openai/gpt-4o-mini",
            "name": "GPT-4o Mini",
            "context_length": 128000,
            "is_free": false,
            "pricing": {
                "prompt_usd_per_1k": "0.000150",
                "completion_usd_per_1k": "0.000600",
                "image_usd_per_image": null,
                "discount_pct": null,
                "prompt_usd_per_1k_discounted": null,
                "completion_usd_per_1k_discounted": null,
            },
            "description": "Affordable and intelligent small model for fast tasks",
        },
        {
            "id": "meta-llama/llama-3.3-70b-instruct:free",
            "name": "Llama 3.3 70B Instruct (free)",
            "context_length": 131072,
            "is_free": true,
            "pricing": {
                "prompt_usd_per_1k": "0",
                "completion_usd_per_1k": "0",
                "image_usd_per_image": null,
                "discount_pct": null,
                "prompt_usd_per_1k_discounted": null,
                "completion_usd_per_1k_discounted": null,
            },
            "description": null,
        },
    ])
}
