//! templates: what the server received and what the caller got.

use meshapi::ErrorCode;
use meshapi::mock::MockReply;
use meshapi::types::templates::{CreateTemplateParams, TemplateSummary, UpdateTemplateParams};
use serde_json::{Value, json};

use crate::common::{self, TOKEN};

const PY_SUMMARY: &str = include_str!("../fixtures/py_template_summary.json");
const GO_SUMMARY: &str = include_str!("../fixtures/go_template_summary.json");
const PY_LIST: &str = include_str!("../fixtures/py_template_list.json");
const ID: &str = "550e8400-e29b-41d4-a716-446655440000";

fn with_extra(body: &str) -> String {
    let mut json: Value = serde_json::from_str(body).unwrap();
    json["team_id"] = json!("team_1");
    json.to_string()
}

fn assert_is_pirate(t: &TemplateSummary) {
    assert_eq!(t.id, ID);
    assert_eq!(t.name, "pirate-assistant");
    assert_eq!(
        t.owner.as_deref(),
        Some("6088773a-147a-49d7-8ba4-1d9836cbe415")
    );
    assert!(!t.is_global);
    assert_eq!(t.description.as_deref(), Some("A pirate-themed assistant"));
    assert_eq!(
        t.system.as_deref(),
        Some("You are a helpful assistant who speaks like a pirate.")
    );
    assert_eq!(t.messages, None);
    assert_eq!(t.model.as_deref(), Some("openai/gpt-4o-mini"));
    assert_eq!(t.created_at, "2024-04-01T12:00:00Z");
    assert_eq!(t.updated_at, "2024-04-01T12:00:00Z");
}

#[test]
fn create_posts_the_params_and_decodes_both_golden_summaries() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, with_extra(PY_SUMMARY)));
    mock.enqueue(MockReply::json(200, GO_SUMMARY));
    let params = CreateTemplateParams::new("pirate-assistant")
        .description("A pirate-themed assistant")
        .system("You are a helpful assistant who speaks like a pirate.")
        .model("openai/gpt-4o-mini")
        .params(json!({"temperature": 0.7}))
        .variables(["topic"]);

    let py = client.templates().create(&params).unwrap();
    assert_is_pirate(&py);
    assert_eq!(py.params, Some(json!({"temperature": 0.7})));
    assert_eq!(py.variables, Some(vec!["topic".to_owned()]));
    assert_eq!(py.extra["team_id"], "team_1");
    assert_eq!(py.extra.len(), 1);

    let go = client.templates().create(&params).unwrap();
    assert_is_pirate(&go);
    assert_eq!(go.params, None, "omitted in the Go fixture");
    assert!(go.extra.is_empty());

    let request = &mock.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/templates")
    );
    assert_eq!(
        request.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "name": "pirate-assistant",
            "description": "A pirate-themed assistant",
            "system": "You are a helpful assistant who speaks like a pirate.",
            "model": "openai/gpt-4o-mini",
            "params": {"temperature": 0.7},
            "variables": ["topic"]
        })
    );
}

#[test]
fn list_decodes_the_bare_array() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut list: Value = serde_json::from_str(PY_LIST).unwrap();
    list[0]["usage_count"] = json!(3);
    mock.enqueue(MockReply::json(200, list.to_string()));
    let templates = client.templates().list().unwrap();
    assert_eq!(templates.len(), 1);
    assert_is_pirate(&templates[0]);
    assert_eq!(templates[0].params, None);
    assert_eq!(templates[0].variables, None);
    assert_eq!(templates[0].extra["usage_count"], 3);
    let request = &mock.requests()[0];
    assert_eq!(
        (
            request.method.as_str(),
            request.path.as_str(),
            request.query.as_str()
        ),
        ("GET", "/v1/templates", "")
    );
    assert!(request.body.is_empty());
}

#[test]
fn get_update_and_delete_use_the_encoded_id() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, with_extra(PY_SUMMARY)));
    mock.enqueue(MockReply::json(200, PY_SUMMARY));
    mock.enqueue(MockReply::json(200, PY_SUMMARY));
    mock.enqueue(MockReply::new(204));

    let got = client.templates().get(ID).unwrap();
    assert_is_pirate(&got);
    assert_eq!(got.extra["team_id"], "team_1");
    client
        .templates()
        .update(
            "a/b",
            &UpdateTemplateParams::new()
                .name("pirate-v2")
                .messages([json!({"role": "user", "content": "Tell me about {{topic}}"})]),
        )
        .unwrap();
    client
        .templates()
        .update(ID, &UpdateTemplateParams::new())
        .unwrap();
    client.templates().delete("x?y#z").unwrap();

    let requests = mock.requests();
    let seen: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", &*format!("/v1/templates/{ID}")),
            ("PATCH", "/v1/templates/a%2Fb"),
            ("PATCH", &*format!("/v1/templates/{ID}")),
            ("DELETE", "/v1/templates/x%3Fy%23z"),
        ]
    );
    assert_eq!(
        requests[1].body_json().unwrap(),
        json!({"name": "pirate-v2",
               "messages": [{"role": "user", "content": "Tell me about {{topic}}"}]})
    );
    assert_eq!(requests[2].body, b"{}");
    assert!(requests[3].body.is_empty());
    assert!(
        requests
            .iter()
            .all(|r| r.header("authorization") == Some(&*format!("Bearer {TOKEN}")))
    );
}

#[test]
fn ids_that_could_escape_their_segment_are_encoded() {
    let mock = common::mock();
    let client = common::client(&mock);
    for id in ["..", "with space", "../models"] {
        let err = client.templates().get(id).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::NotFound);
    }
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/v1/templates/%2E%2E",
            "/v1/templates/with%20space",
            "/v1/templates/..%2Fmodels"
        ]
    );
    let err = client.templates().delete("").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert_eq!(mock.requests().len(), 3);
}

#[test]
fn the_default_routes_keep_templates_until_deleted() {
    let mock = common::mock();
    let client = common::client(&mock);
    let templates = client.templates();
    assert!(templates.list().unwrap().is_empty());

    let created = templates
        .create(
            &CreateTemplateParams::new("support-triage")
                .system("Triage tickets about {{product}}.")
                .variables(["product"]),
        )
        .unwrap();
    assert_eq!(created.name, "support-triage");
    assert_eq!(created.variables, Some(vec!["product".to_owned()]));
    assert_eq!(created.model, None);
    assert!(!created.is_global);
    assert!(created.owner.is_some());
    assert_eq!(created.id.len(), 36, "UUID-like: {}", created.id);
    assert_eq!(created.created_at, created.updated_at);
    assert!(created.extra.is_empty(), "{:?}", created.extra);

    assert_eq!(templates.get(&created.id).unwrap(), created);
    assert_eq!(templates.list().unwrap(), std::slice::from_ref(&created));

    let updated = templates
        .update(
            &created.id,
            &UpdateTemplateParams::new().model("openai/gpt-4o"),
        )
        .unwrap();
    assert_eq!(updated.model.as_deref(), Some("openai/gpt-4o"));
    assert_eq!(updated.system, created.system, "a PATCH keeps unset fields");
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at > created.updated_at);
    let unchanged = templates
        .update(&created.id, &UpdateTemplateParams::new())
        .unwrap();
    assert_eq!(unchanged.model, updated.model);

    templates.delete(&created.id).unwrap();
    let deleted = mock.requests().pop().unwrap();
    assert_eq!(deleted.method, "DELETE");
    let err = templates.get(&created.id).unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.message(), format!("Template {} not found", created.id));
    assert_eq!(
        templates.delete(&created.id).unwrap_err().code(),
        &ErrorCode::NotFound
    );
    assert!(templates.list().unwrap().is_empty());
}

#[test]
fn a_create_without_a_name_is_a_validation_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client
        .templates()
        .create(&CreateTemplateParams::new(""))
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.details()[0]["loc"], json!(["body", "name"]));
}

#[test]
fn a_non_204_delete_body_is_ignored_and_errors_map() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, r#"{"deleted": true}"#));
    client.templates().delete(ID).unwrap();
    mock.enqueue(MockReply::error(
        403,
        "forbidden",
        "Global templates are read-only.",
    ));
    let err = client.templates().delete(ID).unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), &ErrorCode::Forbidden);
    assert_eq!(err.message(), "Global templates are read-only.");
}
