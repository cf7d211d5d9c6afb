//! rag: what the server (and the storage host) received and what the caller got.

use meshapi::mock::{MockReply, MockServer};
use meshapi::types::rag::{
    EmbedRagFilesParams, InitUploadParams, ListRagFilesParams, SearchRagFilesParams,
    UploadFileParams,
};
use meshapi::{ErrorCode, Method};
use serde_json::{Value, json};

use crate::common::{self, TOKEN};

fn init_reply(file_id: &str, signed_url: &str) -> MockReply {
    MockReply::json(
        200,
        json!({"file_id": file_id, "signed_url": signed_url,
               "expires_at": "2026-08-01T12:15:00Z", "bucket": "rag-eu"})
        .to_string(),
    )
}

fn status(file_id: &str) -> Value {
    json!({
        "file_id": file_id, "upload_status": "ready", "file_name": "handbook.pdf",
        "file_type": "pdf", "mime_type": "application/pdf", "embedding_status": "ready",
        "created_at": "2026-08-01T12:00:00Z", "updated_at": "2026-08-01T12:01:00Z",
        "size_bytes": 52344, "asset_url": "https://cdn.example/f.pdf",
        "signed_url": "https://cdn.example/f.pdf?sig=1",
        "signed_url_expires_at": "2026-08-01T13:00:00Z", "total_tokens": 1200,
        "total_cost_usd": 0.000024, "last_error_code": null, "chunking": "semantic"
    })
}

#[test]
fn init_upload_posts_the_request_and_decodes_the_answer() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(init_reply("f_1", "https://storage.example/u/f_1?sig=abc"));
    let init = client
        .rag()
        .init_upload(
            &InitUploadParams::new("handbook.pdf", "application/pdf")
                .embed(true)
                .metadata(json!({"team": "support"})),
        )
        .unwrap();
    assert_eq!(init.file_id, "f_1");
    assert_eq!(init.signed_url, "https://storage.example/u/f_1?sig=abc");
    assert_eq!(init.expires_at, "2026-08-01T12:15:00Z");
    assert_eq!(init.extra["bucket"], "rag-eu");

    let request = &mock.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/files")
    );
    assert_eq!(
        request.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({"file_name": "handbook.pdf", "mime_type": "application/pdf", "embed": true,
               "metadata": {"team": "support"}})
    );
}

#[test]
fn the_upload_goes_to_the_storage_host_without_credentials() {
    let gateway = common::mock();
    let storage = MockServer::start().unwrap();
    let client = common::builder(&gateway)
        .header("X-Team", "search")
        .build()
        .unwrap();
    let signed = format!(
        "{}/bucket/f_9?X-Signature=s%2F1&X-Expires=900",
        storage.url()
    );
    gateway.enqueue(init_reply("f_9", &signed));
    storage.enqueue(MockReply::new(200));
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();

    let init = client
        .rag()
        .upload(&UploadFileParams::new(
            "blob.bin",
            "application/octet-stream",
            bytes.clone(),
        ))
        .unwrap();
    assert_eq!(init.file_id, "f_9");

    let seen = gateway.requests();
    assert_eq!(seen.len(), 1, "the gateway never sees the PUT");
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/v1/files")
    );
    assert_eq!(
        seen[0].body_json().unwrap(),
        json!({"file_name": "blob.bin", "mime_type": "application/octet-stream"})
    );

    let put = &storage.requests()[0];
    assert_eq!(storage.requests().len(), 1);
    assert_eq!(put.method, "PUT");
    assert_eq!(put.path, "/bucket/f_9");
    assert_eq!(
        put.query, "X-Signature=s%2F1&X-Expires=900",
        "the signature is sent as given"
    );
    assert_eq!(put.body, bytes);
    assert_eq!(put.header("content-type"), Some("application/octet-stream"));
    assert_eq!(put.header("authorization"), None);
    assert_eq!(put.header("x-meshapi-sdk"), None);
    assert_eq!(
        put.header("x-team"),
        None,
        "the caller's extra headers stay with the gateway"
    );
    assert!(!format!("{:?}", put.headers).contains(TOKEN));
}

#[test]
fn a_base_url_path_prefix_does_not_apply_to_the_signed_url() {
    let mock = common::mock();
    let plain = common::client(&mock);
    // A real signed URL from the default route, answered by a client behind a prefix.
    let real = plain
        .rag()
        .init_upload(&InitUploadParams::new("notes.txt", "text/plain"))
        .unwrap();
    let prefixed = common::builder(&mock)
        .base_url(format!("{}/gw/", mock.url()))
        .build()
        .unwrap();
    mock.enqueue(init_reply(&real.file_id, &real.signed_url));
    prefixed
        .rag()
        .upload(&UploadFileParams::new(
            "notes.txt",
            "text/plain",
            "Rust is fast.",
        ))
        .unwrap();

    let requests = mock.requests();
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].path, "/gw/v1/files");
    assert_eq!(requests[2].method, "PUT");
    assert_eq!(
        requests[2].path,
        format!("/storage/upload/{}", real.file_id)
    );
    assert_eq!(requests[2].query, "X-Signature=mock");
    assert_eq!(requests[2].header("authorization"), None);

    let file = plain.rag().get(&real.file_id).unwrap();
    assert_eq!(file.upload_status, "ready");
    assert_eq!(file.size_bytes, Some(13));
}

#[test]
fn a_storage_rejection_is_an_error_naming_the_file() {
    let mock = common::mock();
    let client = common::client(&mock);
    let real = client
        .rag()
        .init_upload(&InitUploadParams::new("a.txt", "text/plain"))
        .unwrap();
    // The same URL without its signature: the storage host answers 403 in XML.
    let unsigned = real.signed_url.split('?').next().unwrap().to_owned();
    mock.enqueue(init_reply(&real.file_id, &unsigned));
    let err = client
        .rag()
        .upload(&UploadFileParams::new("a.txt", "text/plain", "x"))
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), &ErrorCode::Forbidden);
    assert!(err.message().contains(&real.file_id), "{}", err.message());
    assert!(common::chain(&err).contains("AccessDenied"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(mock.requests().len(), 3, "a 403 is not retried");
    assert_eq!(
        client.rag().get(&real.file_id).unwrap().upload_status,
        "pending"
    );

    // The wrong Content-Type breaks the signature too.
    let again = client
        .rag()
        .init_upload(&InitUploadParams::new("b.txt", "text/plain"))
        .unwrap();
    mock.enqueue(init_reply(&again.file_id, &again.signed_url));
    let err = client
        .rag()
        .upload(&UploadFileParams::new("b.txt", "text/markdown", "x"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Forbidden);
    assert!(
        common::chain(&err).contains("SignatureDoesNotMatch"),
        "{err}"
    );

    // The storage host refuses a second credential, so a leaked token would show.
    let err = client
        .request(
            Method::Put,
            &format!("/storage/upload/{}?X-Signature=mock", again.file_id),
        )
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(
        err.message().contains("InvalidArgument"),
        "{}",
        err.message()
    );

    mock.enqueue(init_reply("f_rel", "/relative/upload"));
    let err = client
        .rag()
        .upload(&UploadFileParams::new("c.txt", "text/plain", "x"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    assert_eq!(err.status(), None);
    assert!(err.message().contains("f_rel"), "{}", err.message());
}

#[test]
fn get_uses_the_encoded_id_and_decodes_every_field() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, status("f/1").to_string()));
    let file = client.rag().get("f/1 ?#").unwrap();
    assert_eq!(file.file_id, "f/1");
    assert_eq!(file.upload_status, "ready");
    assert_eq!(file.file_name, "handbook.pdf");
    assert_eq!(file.file_type, "pdf");
    assert_eq!(file.mime_type, "application/pdf");
    assert_eq!(file.embedding_status, "ready");
    assert_eq!(file.created_at, "2026-08-01T12:00:00Z");
    assert_eq!(file.updated_at, "2026-08-01T12:01:00Z");
    assert_eq!(file.size_bytes, Some(52344));
    assert_eq!(file.asset_url.as_deref(), Some("https://cdn.example/f.pdf"));
    assert_eq!(
        file.signed_url.as_deref(),
        Some("https://cdn.example/f.pdf?sig=1")
    );
    assert_eq!(
        file.signed_url_expires_at.as_deref(),
        Some("2026-08-01T13:00:00Z")
    );
    assert_eq!(file.total_tokens, Some(1200));
    assert_eq!(file.total_cost_usd, Some(0.000024));
    assert_eq!(file.last_error_code, None);
    assert_eq!(file.extra["chunking"], "semantic");
    assert_eq!(file.extra.len(), 1);

    let request = &mock.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v1/files/f%2F1%20%3F%23");
    assert_eq!(request.query, "");

    for id in ["..", "embed"] {
        let err = client.rag().get(id).unwrap_err();
        assert_eq!(err.status(), Some(404), "{id}");
        assert_eq!(err.code(), &ErrorCode::NotFound);
        assert_eq!(err.message(), format!("File {id} not found"));
    }
    assert_eq!(mock.requests()[1].path, "/v1/files/%2E%2E");
    assert_eq!(
        client.rag().get("").unwrap_err().code(),
        &ErrorCode::InvalidConfig
    );
}

#[test]
fn list_sends_limit_and_offset_and_decodes_the_page() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({"files": [status("f1")], "total": 7, "limit": 1, "offset": 3, "next": null})
            .to_string(),
    ));
    let page = client
        .rag()
        .list(&ListRagFilesParams::new().limit(1).offset(3))
        .unwrap();
    assert_eq!((page.total, page.limit, page.offset), (7, 1, 3));
    assert_eq!(page.files[0].file_id, "f1");
    assert_eq!(page.extra["next"], Value::Null);
    let request = &mock.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/v1/files")
    );
    assert_eq!(request.query, "limit=1&offset=3");

    let empty = client.rag().list(&ListRagFilesParams::new()).unwrap();
    assert_eq!((empty.total, empty.limit, empty.offset), (0, 20, 0));
    assert_eq!(mock.requests()[1].query, "");
}

#[test]
fn paginate_walks_the_offsets_and_stops_at_the_total() {
    let mock = common::mock();
    let client = common::client(&mock);
    for n in 0..5 {
        client
            .rag()
            .init_upload(&InitUploadParams::new(format!("f{n}.txt"), "text/plain"))
            .unwrap();
    }
    let before = mock.requests().len();
    let mut pager = client.rag().paginate(&ListRagFilesParams::new().limit(2));
    let names: Vec<String> = pager.by_ref().map(|f| f.unwrap().file_name).collect();
    assert_eq!(names, ["f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt"]);
    assert_eq!(pager.pages_fetched(), 3);
    let queries: Vec<String> = mock.requests()[before..]
        .iter()
        .map(|r| r.query.clone())
        .collect();
    assert_eq!(queries, ["limit=2", "limit=2&offset=2", "limit=2&offset=4"]);

    // Starting part-way, and a server whose total overstates what it has: no endless loop.
    mock.enqueue(MockReply::json(
        200,
        json!({"files": [status("x")], "total": 50, "limit": 10, "offset": 10}).to_string(),
    ));
    mock.enqueue(MockReply::json(
        200,
        json!({"files": [], "total": 50, "limit": 10, "offset": 11}).to_string(),
    ));
    let before = mock.requests().len();
    let rest: Vec<_> = client
        .rag()
        .paginate(&ListRagFilesParams::new().offset(10))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rest.len(), 1);
    let queries: Vec<String> = mock.requests()[before..]
        .iter()
        .map(|r| r.query.clone())
        .collect();
    assert_eq!(queries, ["offset=10", "offset=11"]);
}

#[test]
fn embed_and_search_post_their_bodies_and_decode_the_answers() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({"results": [
            {"file_id": "f1", "embedding_status": "ready", "chunk_count": 12, "model": "e5"},
            {"file_id": "f2", "embedding_status": "failed", "error": "upload not ready"}
        ], "queued": 0})
        .to_string(),
    ));
    mock.enqueue(MockReply::json(
        200,
        json!({"results": [{
            "score": 0.91, "text": "Refunds within 30 days.", "parent_text": "Policy.",
            "file_id": "f1", "file_name": "policy.md", "file_type": "md",
            "mime_type": "text/markdown", "chunk_index": 4, "created_at": 1785585600,
            "metadata": {"team": "support"}, "highlight": "<em>Refunds</em>"
        }, {"score": 0.2, "text": "t", "parent_text": "p"}], "took_ms": 12})
        .to_string(),
    ));

    let embedded = client
        .rag()
        .embed(
            &EmbedRagFilesParams::new(["f1", "f2"])
                .wait(true)
                .metadata(json!({"v": 2})),
        )
        .unwrap();
    assert_eq!(embedded.results[0].chunk_count, Some(12));
    assert_eq!(embedded.results[0].extra["model"], "e5");
    assert_eq!(embedded.results[1].embedding_status, "failed");
    assert_eq!(
        embedded.results[1].error.as_deref(),
        Some("upload not ready")
    );
    assert_eq!(embedded.extra["queued"], 0);

    let found = client
        .rag()
        .search(
            &SearchRagFilesParams::new("refund policy")
                .top_k(2)
                .file_ids(["f1"])
                .filter(json!({"team": "support"}))
                .date_from(1)
                .date_to(2_000_000_000),
        )
        .unwrap();
    let hit = &found.results[0];
    assert_eq!(hit.score, 0.91);
    assert_eq!(hit.text, "Refunds within 30 days.");
    assert_eq!(hit.parent_text, "Policy.");
    assert_eq!(hit.file_id.as_deref(), Some("f1"));
    assert_eq!(hit.file_name.as_deref(), Some("policy.md"));
    assert_eq!(hit.file_type.as_deref(), Some("md"));
    assert_eq!(hit.mime_type.as_deref(), Some("text/markdown"));
    assert_eq!(hit.chunk_index, Some(4));
    assert_eq!(hit.created_at, Some(1785585600));
    assert_eq!(hit.metadata["team"], "support");
    assert_eq!(hit.extra["highlight"], "<em>Refunds</em>");
    assert!(found.results[1].metadata.is_empty());
    assert_eq!(found.extra["took_ms"], 12);

    let requests = mock.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("POST", "/v1/files/embed")
    );
    assert_eq!(
        requests[0].body_json().unwrap(),
        json!({"file_ids": ["f1", "f2"], "wait": true, "metadata": {"v": 2}})
    );
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        ("POST", "/v1/files/search")
    );
    assert_eq!(
        requests[1].body_json().unwrap(),
        json!({"query": "refund policy", "top_k": 2, "file_ids": ["f1"],
               "filter": {"team": "support"}, "date_from": 1, "date_to": 2_000_000_000})
    );
    assert!(
        requests
            .iter()
            .all(|r| r.header("authorization") == Some(&*format!("Bearer {TOKEN}")))
    );
}

#[test]
fn the_default_routes_upload_embed_and_search() {
    let mock = common::mock();
    let client = common::client(&mock);
    let rag = client.rag();
    let policy = rag
        .upload(
            &UploadFileParams::new(
                "policy.md",
                "text/markdown",
                "# Policy\nRefunds are accepted within 30 days.\n\nShipping takes 5 days.\n",
            )
            .metadata(json!({"team": "support"})),
        )
        .unwrap();
    let file = rag.get(&policy.file_id).unwrap();
    assert_eq!(file.upload_status, "ready");
    assert_eq!(file.embedding_status, "pending");
    assert_eq!(file.file_type, "md");

    let embedded = rag
        .embed(&EmbedRagFilesParams::new([policy.file_id.as_str(), "nope"]))
        .unwrap();
    assert_eq!(embedded.results[0].embedding_status, "ready");
    assert_eq!(embedded.results[0].chunk_count, Some(3));
    assert_eq!(embedded.results[1].embedding_status, "failed");
    assert!(embedded.results[1].error.is_some());
    let file = rag.get(&policy.file_id).unwrap();
    assert_eq!(file.embedding_status, "ready");
    assert!(file.total_cost_usd.is_some_and(|usd| usd > 0.0));

    // `embed: true` embeds on upload.
    let faq = rag
        .upload(
            &UploadFileParams::new("faq.txt", "text/plain", "Refunds take 30 days to arrive.")
                .embed(true),
        )
        .unwrap();
    assert_eq!(rag.get(&faq.file_id).unwrap().embedding_status, "ready");

    let found = rag
        .search(&SearchRagFilesParams::new("refunds within 30 days"))
        .unwrap();
    assert_eq!(found.results.len(), 3);
    assert_eq!(found.results[2].text, "Shipping takes 5 days.");
    assert_eq!(found.results[2].score, 0.25);
    assert_eq!(
        found.results[0].text,
        "Refunds are accepted within 30 days."
    );
    assert_eq!(found.results[0].score, 1.0);
    assert_eq!(found.results[0].chunk_index, Some(1));
    assert_eq!(found.results[0].metadata["team"], "support");
    assert_eq!(
        found.results[1].file_id.as_deref(),
        Some(faq.file_id.as_str())
    );
    assert_eq!(found.results[1].score, 0.75);

    let only_faq = rag
        .search(
            &SearchRagFilesParams::new("refunds")
                .file_ids([faq.file_id.as_str()])
                .top_k(1),
        )
        .unwrap();
    assert_eq!(only_faq.results.len(), 1);
    assert_eq!(only_faq.results[0].file_name.as_deref(), Some("faq.txt"));
    let filtered = rag
        .search(&SearchRagFilesParams::new("refunds").filter(json!({"team": "support"})))
        .unwrap();
    assert_eq!(filtered.results.len(), 1);

    let err = client
        .request(Method::Post, "/v1/files/search")
        .json(&json!({"top_k": 1}))
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.details()[0]["loc"], json!(["body", "query"]));
}
