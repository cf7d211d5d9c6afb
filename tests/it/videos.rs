//! videos: what the server received and what the caller got.

use meshapi::ErrorCode;
use meshapi::mock::MockReply;
use meshapi::types::videos::{GenerateVideoParams, ListVideoGenerationsParams, VideoContentItem};
use serde_json::{Value, json};

use crate::common::{self, TOKEN};

const MODEL: &str = "byteplus/dreamina-seedance-2-0";

fn full_task() -> Value {
    json!({
        "id": "cgt-20250101-abc", "status": "succeeded", "model": MODEL,
        "error": {"code": "", "message": ""},
        "created_at": 1712345678, "updated_at": 1712345778,
        "content": {"video_url": "https://cdn.example.com/v.mp4",
                    "last_frame_url": "https://cdn.example.com/v.png"},
        "seed": 42, "duration": 5, "frames": 121, "framespersecond": 24, "priority": 1,
        "execution_expires_after": 172800, "resolution": "720p", "ratio": "16:9",
        "safety_identifier": "user-1", "draft_task_id": "cgt-draft-1", "service_tier": "default",
        "generate_audio": true, "draft": false,
        "usage": {"completion_tokens": 108900, "total_tokens": 108900},
        "subdivisionlevel": "high"
    })
}

fn page(ids: &[&str], total: u64, limit: u64, offset: u64) -> String {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "status": "queued"}))
        .collect();
    json!({
        "object": "list", "data": data, "has_more": offset + (ids.len() as u64) < total,
        "total": total, "limit": limit, "offset": offset
    })
    .to_string()
}

#[test]
fn generate_sends_the_content_and_returns_the_task_id() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"{"id":"cgt-20250101-abc","queued_at":1}"#,
    ));
    let params = GenerateVideoParams::new(
        MODEL,
        vec![
            VideoContentItem::text("A paper boat on a rainy street"),
            VideoContentItem::image_url("data:image/png;base64,iVBORw==").role("first_frame"),
        ],
    )
    .return_last_frame(true)
    .duration(5)
    .seed(7);
    let created = client.videos().generate(&params).unwrap();

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/video/generations")
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "model": MODEL,
            "content": [
                {"type": "text", "text": "A paper boat on a rainy street"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="},
                 "role": "first_frame"},
            ],
            "return_last_frame": true,
            "duration": 5,
            "seed": 7,
        })
    );
    assert_eq!(created.id, "cgt-20250101-abc");
    assert_eq!(created.extra["queued_at"], 1);
}

#[test]
fn get_decodes_every_task_field() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, full_task().to_string()));
    let task = client.videos().get("cgt-20250101-abc").unwrap();

    let request = &mock.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v1/video/generations/cgt-20250101-abc");
    assert_eq!(request.query, "");
    assert!(request.body.is_empty());

    assert_eq!(task.id, "cgt-20250101-abc");
    assert_eq!(task.status, "succeeded");
    assert!(task.is_finished());
    assert_eq!(task.model.as_deref(), Some(MODEL));
    assert_eq!(task.error.as_ref().map(|e| e.code.as_str()), Some(""));
    assert_eq!(
        (task.created_at, task.updated_at),
        (Some(1712345678), Some(1712345778))
    );
    let content = task.content.as_ref().unwrap();
    assert_eq!(
        content.video_url.as_deref(),
        Some("https://cdn.example.com/v.mp4")
    );
    assert_eq!(
        content.last_frame_url.as_deref(),
        Some("https://cdn.example.com/v.png")
    );
    assert_eq!(task.video_url(), Some("https://cdn.example.com/v.mp4"));
    assert_eq!(
        (
            task.seed,
            task.duration,
            task.frames,
            task.framespersecond,
            task.priority
        ),
        (Some(42), Some(5), Some(121), Some(24), Some(1))
    );
    assert_eq!(task.execution_expires_after, Some(172800));
    assert_eq!(task.resolution.as_deref(), Some("720p"));
    assert_eq!(task.ratio.as_deref(), Some("16:9"));
    assert_eq!(task.safety_identifier.as_deref(), Some("user-1"));
    assert_eq!(task.draft_task_id.as_deref(), Some("cgt-draft-1"));
    assert_eq!(task.service_tier.as_deref(), Some("default"));
    assert_eq!((task.generate_audio, task.draft), (Some(true), Some(false)));
    let usage = task.usage.as_ref().unwrap();
    assert_eq!(
        (usage.completion_tokens, usage.total_tokens),
        (Some(108900), Some(108900))
    );
    assert_eq!(task.extra["subdivisionlevel"], "high");
    assert_eq!(task.extra.len(), 1);
}

#[test]
fn get_encodes_the_task_id_as_one_segment() {
    let mock = common::mock();
    let client = common::client(&mock);
    let cases = [
        ("a/b", "/v1/video/generations/a%2Fb"),
        ("x?y#z", "/v1/video/generations/x%3Fy%23z"),
        ("..", "/v1/video/generations/%2E%2E"),
        ("a b", "/v1/video/generations/a%20b"),
        (
            "../../v1/models",
            "/v1/video/generations/..%2F..%2Fv1%2Fmodels",
        ),
    ];
    for (id, _) in cases {
        mock.enqueue(MockReply::json(
            200,
            json!({"id": id, "status": "queued"}).to_string(),
        ));
        assert_eq!(client.videos().get(id).unwrap().id, id);
    }
    let paths: Vec<_> = mock.requests().into_iter().map(|r| r.path).collect();
    let wanted: Vec<_> = cases.iter().map(|(_, path)| path.to_string()).collect();
    assert_eq!(paths, wanted);

    let err = client.videos().get("").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert_eq!(
        mock.requests().len(),
        cases.len(),
        "an empty id is not sent"
    );
}

#[test]
fn get_of_an_unknown_task_is_not_found() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client.videos().get("cgt-nope").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), "Video generation task cgt-nope not found");
    // The id containing '/' reaches the task route (encoded) and is unknown there too.
    let err = client.videos().get("cgt/1").unwrap_err();
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.message(), "Video generation task cgt/1 not found");
}

#[test]
fn list_sends_only_the_set_filters_and_decodes_the_page() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut body: Value = serde_json::from_str(&page(&[], 3, 1, 1)).unwrap();
    body["data"] = json!([full_task()]);
    body["next_offset"] = json!(2);
    mock.enqueue(MockReply::json(200, body.to_string()));
    mock.enqueue(MockReply::json(200, page(&[], 0, 20, 0)));
    let params = ListVideoGenerationsParams::new()
        .status("succeeded")
        .model(MODEL)
        .created_after("2025-01-01T00:00:00Z")
        .created_before("1712345679")
        .limit(1)
        .offset(1);
    let list = client.videos().list(&params).unwrap();
    let empty = client
        .videos()
        .list(&ListVideoGenerationsParams::new())
        .unwrap();

    let requests = mock.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/video/generations");
    assert_eq!(
        requests[0].query,
        "status=succeeded&model=byteplus%2Fdreamina-seedance-2-0\
         &created_after=2025-01-01T00%3A00%3A00Z&created_before=1712345679&limit=1&offset=1"
    );
    assert_eq!(requests[1].query, "");
    assert_eq!(list.object.as_deref(), Some("list"));
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].framespersecond, Some(24));
    assert!(list.has_more);
    assert_eq!((list.total, list.limit, list.offset), (3, 1, 1));
    assert_eq!(list.extra["next_offset"], 2);
    assert!(empty.data.is_empty() && !empty.has_more);
}

#[test]
fn paginate_follows_offsets_keeps_the_limit_and_stops_at_the_total() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, page(&["t1", "t2"], 5, 2, 0)));
    mock.enqueue(MockReply::json(200, page(&["t3", "t4"], 5, 2, 2)));
    mock.enqueue(MockReply::json(200, page(&["t5"], 5, 2, 4)));
    let params = ListVideoGenerationsParams::new().status("queued").limit(2);
    let mut pager = client.videos().paginate(&params);
    let ids: Vec<String> = pager.by_ref().map(|task| task.unwrap().id).collect();
    assert_eq!(ids, ["t1", "t2", "t3", "t4", "t5"]);
    assert_eq!(pager.pages_fetched(), 3);
    let queries: Vec<_> = mock.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        [
            "status=queued&limit=2",
            "status=queued&limit=2&offset=2",
            "status=queued&limit=2&offset=4"
        ]
    );
}

#[test]
fn paginate_stops_at_an_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, page(&["t1"], 2, 1, 0)));
    mock.enqueue(MockReply::error(401, "unauthorized", "Invalid API key."));
    let results: Vec<_> = client
        .videos()
        .paginate(&ListVideoGenerationsParams::new().limit(1))
        .collect();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[1].as_ref().unwrap_err().code(),
        &ErrorCode::Unauthorized
    );
}

#[test]
fn the_default_routes_run_a_task_to_completion() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = GenerateVideoParams::new(MODEL, vec![VideoContentItem::text("A paper boat")])
        .return_last_frame(true)
        .duration(4);
    let created = client.videos().generate(&params).unwrap();
    assert!(created.id.starts_with("cgt-mock-"));

    let listed = client
        .videos()
        .list(&ListVideoGenerationsParams::new())
        .unwrap();
    assert_eq!(listed.total, 3, "two seeded tasks and the new one");
    assert_eq!(listed.data[0].id, created.id, "newest first");
    assert_eq!(listed.data[0].status, "queued");

    let first = client.videos().get(&created.id).unwrap();
    assert_eq!(first.status, "running");
    assert!(!first.is_finished());
    let second = client.videos().get(&created.id).unwrap();
    assert_eq!(second.status, "succeeded");
    assert_eq!(second.duration, Some(4));
    assert!(second.video_url().unwrap().ends_with(".mp4"));
    assert!(second.content.unwrap().last_frame_url.is_some());
    assert!(second.usage.is_some());
    assert!(second.extra.is_empty(), "{:?}", second.extra);
    let third = client.videos().get(&created.id).unwrap();
    assert_eq!(third.status, "succeeded");

    let succeeded = client
        .videos()
        .list(&ListVideoGenerationsParams::new().status("succeeded"))
        .unwrap();
    assert_eq!(succeeded.total, 2);

    let all: Vec<_> = client
        .videos()
        .paginate(&ListVideoGenerationsParams::new().limit(1))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[2].id, "cgt-mock-seed-1");
    assert_eq!(
        all[1].error.as_ref().unwrap().code,
        "InputTextSensitiveContentDetected"
    );

    let err = client
        .request(meshapi::Method::Post, "/v1/video/generations")
        .json(&json!({"model": MODEL}))
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
}

#[test]
fn unknown_fields_of_the_error_content_and_usage_are_kept_in_extra() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut task = full_task();
    task["error"]["param"] = json!("prompt");
    task["content"]["cover_url"] = json!("https://cdn.example.com/c.png");
    task["usage"]["prompt_tokens"] = json!(7);
    mock.enqueue(MockReply::json(200, task.to_string()));
    let task = client.videos().get("cgt-20250101-abc").unwrap();
    assert_eq!(task.error.unwrap().extra["param"], "prompt");
    let content = task.content.unwrap();
    assert_eq!(
        content.video_url.as_deref(),
        Some("https://cdn.example.com/v.mp4")
    );
    assert_eq!(content.extra["cover_url"], "https://cdn.example.com/c.png");
    let usage = task.usage.unwrap();
    assert_eq!(usage.total_tokens, Some(108900));
    assert_eq!(usage.extra["prompt_tokens"], 7);
    assert_eq!(usage.extra.len(), 1);
}
