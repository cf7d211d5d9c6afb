//! API versions: `GET /v1/api-versions`, and the check of a request's `X-Mesh-Version`.

use serde_json::json;

use super::State;
use crate::mock::{MockReply, RecordedRequest};

/// The versions the mock serves, oldest first; the first is the baseline.
pub(crate) const SERVED: [&str; 2] = ["2026-08", "2026-09"];

pub(super) fn route(request: &RecordedRequest, _state: &State) -> Option<MockReply> {
    if let Some(label) = requested(request).filter(|label| !SERVED.contains(label)) {
        return Some(MockReply::json(
            400,
            json!({
                "error": {
                    "code": "invalid_api_version",
                    "message": format!("API version {label:?} is not served"),
                    "supported_versions": SERVED,
                }
            })
            .to_string(),
        ));
    }
    if (request.method.as_str(), request.path.as_str()) != ("GET", "/v1/api-versions") {
        return None;
    }
    let versions: Vec<_> = SERVED
        .iter()
        .enumerate()
        .map(|(i, label)| {
            json!({
                "label": label, "status": "ga", "baseline": i == 0,
                "latest": i + 1 == SERVED.len(), "sunset_on": null, "notes_url": null,
                "capabilities": if i == 0 { json!([]) } else { json!(["video.poll_by_request_id"]) },
            })
        })
        .collect();
    Some(MockReply::json(200, json!(versions).to_string()))
}

/// The label the request asks for (`X-Mesh-Version`, or the older `Mesh-Version`).
pub(crate) fn requested(request: &RecordedRequest) -> Option<&str> {
    request
        .header("x-mesh-version")
        .or_else(|| request.header("mesh-version"))
}
