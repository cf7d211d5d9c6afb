//! moderations: what the server received and what the caller got.

use meshapi::ErrorCode;
use meshapi::mock::{MockReply, RecordedRequest};
use meshapi::types::moderations::{ModerationItem, ModerationParams};
use serde_json::json;

use crate::common::{self, TOKEN};

fn assert_post(request: &RecordedRequest, body: serde_json::Value) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/moderations");
    assert_eq!(request.query, "");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.body_json(), Some(body));
}

#[test]
fn one_text_omits_the_model_and_the_mock_flags_it() {
    let mock = common::mock();
    let client = common::client(&mock);
    let reply = client
        .moderations()
        .create(&ModerationParams::new(
            "I will kill the process, then hate myself",
        ))
        .unwrap();
    assert_post(
        &mock.requests()[0],
        json!({"input": "I will kill the process, then hate myself"}),
    );
    assert_eq!(reply.id.as_deref(), Some("modr-mock1"));
    assert_eq!(reply.model.as_deref(), Some("omni-moderation-latest"));
    assert_eq!(reply.results.len(), 1);
    assert!(reply.flagged());
    let result = &reply.results[0];
    assert_eq!(
        result.flagged_categories().collect::<Vec<_>>(),
        ["hate", "violence"]
    );
    assert!(!result.categories["violence/graphic"]);
    assert!(result.category_scores["violence"] > 0.9);
    assert!(result.category_scores["sexual"] < 0.01);
}

#[test]
fn several_texts_get_one_result_each_and_the_model_is_echoed() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = ModerationParams::new(vec!["Have a nice day", "You stupid idiot"])
        .model("text-moderation-007");
    let reply = client.moderations().create(&params).unwrap();
    assert_post(
        &mock.requests()[0],
        json!({"input": ["Have a nice day", "You stupid idiot"], "model": "text-moderation-007"}),
    );
    assert_eq!(reply.model.as_deref(), Some("text-moderation-007"));
    let flagged: Vec<bool> = reply.results.iter().map(|r| r.flagged).collect();
    assert_eq!(flagged, [false, true]);
    assert_eq!(
        reply.results[1].flagged_categories().collect::<Vec<_>>(),
        ["harassment"]
    );
}

#[test]
fn text_and_image_items_are_one_input() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = ModerationParams::new(vec![
        ModerationItem::text("Look at this"),
        ModerationItem::image_url("data:image/png;base64,iVBORw0KGgo="),
    ]);
    let reply = client.moderations().create(&params).unwrap();
    assert_post(
        &mock.requests()[0],
        json!({"input": [
            {"type": "text", "text": "Look at this"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
        ]}),
    );
    assert_eq!(reply.results.len(), 1);
    assert!(!reply.flagged());
}

#[test]
fn a_realistic_body_decodes_with_unknown_fields_kept() {
    let mock = common::mock();
    mock.enqueue(MockReply::json(
        200,
        r#"{"id": "modr-0d9740456c391e43", "model": "omni-moderation-2024-09-26",
            "results": [{
                "flagged": true,
                "categories": {"harassment": false, "violence": true, "violence/graphic": false},
                "category_scores": {"harassment": 0.0004, "violence": 0.8716, "violence/graphic": 0.0003},
                "category_applied_input_types": {"violence": ["text", "image"]}
            }],
            "usage": {"input_tokens": 12}}"#,
    ));
    let reply = common::client(&mock)
        .moderations()
        .create(&ModerationParams::new("x"))
        .unwrap();
    assert_eq!(reply.id.as_deref(), Some("modr-0d9740456c391e43"));
    assert_eq!(reply.extra["usage"]["input_tokens"], 12);
    let result = &reply.results[0];
    assert_eq!(result.category_scores["violence"], 0.8716);
    assert_eq!(
        result.extra["category_applied_input_types"]["violence"],
        json!(["text", "image"])
    );
}

#[test]
fn a_deployment_without_moderations_is_a_typed_error() {
    let mock = common::mock();
    let client = common::builder(&mock).max_retries(0).build().unwrap();
    mock.enqueue(MockReply::error(
        501,
        "not_implemented",
        "Moderations are not enabled on this deployment.",
    ));
    mock.enqueue(MockReply::json(404, r#"{"detail": "Not Found"}"#));
    mock.enqueue(MockReply::json(
        403,
        r#"{"detail": "Moderations disabled"}"#,
    ));
    mock.enqueue(MockReply::error(
        503,
        "provider_not_available",
        "Moderation provider unavailable.",
    ));
    let params = ModerationParams::new("hello");
    let errors: Vec<_> = (0..4)
        .map(|_| client.moderations().create(&params).unwrap_err())
        .collect();
    assert_eq!(errors[0].status(), Some(501));
    assert_eq!(
        errors[0].code(),
        &ErrorCode::Other("not_implemented".into())
    );
    assert_eq!(
        errors[0].message(),
        "Moderations are not enabled on this deployment."
    );
    assert!(
        errors[0]
            .request_id()
            .is_some_and(|id| id.starts_with("req_"))
    );
    assert_eq!(errors[1].status(), Some(404));
    assert_eq!(errors[1].code(), &ErrorCode::NotFound);
    assert_eq!(errors[1].message(), "Not Found");
    assert_eq!(errors[2].status(), Some(403));
    assert_eq!(errors[2].code(), &ErrorCode::Forbidden);
    assert_eq!(errors[3].status(), Some(503));
    assert_eq!(errors[3].code(), &ErrorCode::ProviderNotAvailable);
    assert_eq!(mock.requests().len(), 4);
}
