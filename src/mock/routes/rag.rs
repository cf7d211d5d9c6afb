//! Default answers for `/v1/files` (RAG files) and the storage host's signed-URL uploads
//! (`PUT /storage/upload/{file_id}`), remembered per server.
//!
//! A file's chunks are its non-empty lines. Search scores a chunk by the share of the query's
//! words it contains, over files whose embedding is `ready`.

use serde_json::{Map, Value, json};

use super::templates::iso_time;
use super::{State, decode, invalid_field, not_found, ok, query_value};
use crate::mock::{MockReply, RecordedRequest};

const PREFIX: &str = "/v1/files";
/// Where signed URLs point: on the mock itself, but outside `/v1`, like a storage bucket.
const STORAGE: &str = "/storage/upload/";
/// `2026-08-01T12:00:00Z`; the clock ticks one second per change.
const EPOCH: u64 = 1_785_585_600;
/// How long a signed URL is valid.
const URL_TTL: u64 = 900;
const DEFAULT_LIMIT: usize = 20;
const DEFAULT_TOP_K: usize = 5;
const USD_PER_TOKEN: f64 = 0.000_000_02;

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    if let Some(id) = request.path.strip_prefix(STORAGE) {
        return (request.method == "PUT").then(|| upload(&decode(id), request, state));
    }
    let rest = request.path.strip_prefix(PREFIX)?;
    let reply = match (request.method.as_str(), rest) {
        ("POST", "") => init_upload(request, state),
        ("GET", "") => list(&request.query, state),
        ("POST", "/embed") => embed(request, state),
        ("POST", "/search") => search(request, state),
        ("GET", id) => {
            let id = decode(id.strip_prefix('/').filter(|id| !id.contains('/'))?);
            with_files(state, |files, _| match find(files, &id) {
                Some(file) => ok(&file["status"]),
                None => not_found(&format!("File {id}")),
            })
        }
        _ => return None,
    };
    Some(reply)
}

/// Runs `f` on the stored files (oldest first, each `{"status", "content", "embed",
/// "metadata", "created"}`) and the clock.
fn with_files<R>(state: &State, f: impl FnOnce(&mut Vec<Value>, &mut u64) -> R) -> R {
    state.with("rag", |store| {
        if !store.is_object() {
            *store = json!({"files": [], "clock": 0});
        }
        let mut clock = store["clock"].as_u64().unwrap_or(0);
        let mut files = match store["files"].take() {
            Value::Array(files) => files,
            _ => Vec::new(),
        };
        let out = f(&mut files, &mut clock);
        store["files"] = Value::Array(files);
        store["clock"] = json!(clock);
        out
    })
}

fn find<'v>(files: &'v [Value], id: &str) -> Option<&'v Value> {
    files.iter().find(|f| f["status"]["file_id"] == id)
}

fn find_mut<'v>(files: &'v mut [Value], id: &str) -> Option<&'v mut Value> {
    files.iter_mut().find(|f| f["status"]["file_id"] == id)
}

fn init_upload(request: &RecordedRequest, state: &State) -> MockReply {
    let body = request.body_json().unwrap_or(Value::Null);
    let (Some(file_name), Some(mime_type)) =
        (body["file_name"].as_str(), body["mime_type"].as_str())
    else {
        let field = if body["file_name"].is_string() {
            "mime_type"
        } else {
            "file_name"
        };
        return invalid_field(field, "Field required");
    };
    let file_id = state.next_id("file_mock");
    let file_type = file_name
        .rsplit_once('.')
        .map_or("bin", |(_, ext)| ext)
        .to_ascii_lowercase();
    with_files(state, |files, clock| {
        *clock = clock.saturating_add(1);
        let now = EPOCH.saturating_add(*clock);
        let signed_url = format!("{}{STORAGE}{file_id}?X-Signature=mock", state.url);
        files.push(json!({
            "status": {
                "file_id": file_id,
                "upload_status": "pending",
                "file_name": file_name,
                "file_type": file_type,
                "mime_type": mime_type,
                "embedding_status": "pending",
                "created_at": iso_time(now),
                "updated_at": iso_time(now),
            },
            "content": "",
            "embed": body["embed"].as_bool().unwrap_or(false),
            "metadata": body.get("metadata").filter(|m| m.is_object()).cloned().unwrap_or(json!({})),
            "created": now,
        }));
        ok(&json!({
            "file_id": file_id,
            "signed_url": signed_url,
            "expires_at": iso_time(now.saturating_add(URL_TTL)),
        }))
    })
}

/// A storage-host error: XML, as an S3-style bucket answers.
fn storage_error(status: u16, code: &str, message: &str) -> MockReply {
    MockReply::new(status)
        .header("Content-Type", "application/xml")
        .body(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        ))
}

fn upload(id: &str, request: &RecordedRequest, state: &State) -> MockReply {
    if query_value(&request.query, "X-Signature").is_none() {
        return storage_error(
            403,
            "AccessDenied",
            "Query-string authentication requires the X-Signature parameter",
        );
    }
    if request.header("authorization").is_some() {
        return storage_error(
            400,
            "InvalidArgument",
            "Only one auth mechanism allowed; only the X-Signature query parameter is supported",
        );
    }
    with_files(state, |files, clock| {
        let Some(file) = find_mut(files, id) else {
            return storage_error(404, "NoSuchUpload", "The specified upload does not exist");
        };
        let content_type = request.header("content-type").unwrap_or_default();
        if file["status"]["mime_type"] != content_type {
            return storage_error(
                403,
                "SignatureDoesNotMatch",
                "The Content-Type does not match the signed one",
            );
        }
        *clock = clock.saturating_add(1);
        file["content"] = json!(request.body_text());
        let status = &mut file["status"];
        status["upload_status"] = json!("ready");
        status["size_bytes"] = json!(request.body.len());
        status["asset_url"] = json!(format!("{}/storage/files/{id}", state.url));
        status["updated_at"] = json!(iso_time(EPOCH.saturating_add(*clock)));
        if file["embed"] == true {
            embed_file(file);
        }
        MockReply::new(200)
    })
}

fn chunks(content: &str) -> Vec<&str> {
    content
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}

/// Embeds an uploaded file; its status then says `ready` with tokens and cost.
fn embed_file(file: &mut Value) -> usize {
    let content = file["content"].as_str().unwrap_or_default().to_owned();
    let chunk_count = chunks(&content).len().max(1);
    let tokens = content.split_whitespace().count();
    let status = &mut file["status"];
    status["embedding_status"] = json!("ready");
    status["total_tokens"] = json!(tokens);
    status["total_cost_usd"] = json!(tokens as f64 * USD_PER_TOKEN);
    chunk_count
}

fn embed(request: &RecordedRequest, state: &State) -> MockReply {
    let body = request.body_json().unwrap_or(Value::Null);
    let Some(ids) = body["file_ids"]
        .as_array()
        .filter(|ids| (1..=100).contains(&ids.len()))
    else {
        return invalid_field("file_ids", "Field required (a list of 1 to 100 file ids)");
    };
    let ids: Vec<String> = ids
        .iter()
        .filter_map(|id| id.as_str().map(str::to_owned))
        .collect();
    with_files(state, |files, clock| {
        *clock = clock.saturating_add(1);
        let results: Vec<Value> = ids
            .iter()
            .map(|id| match find_mut(files, id) {
                None => {
                    json!({"file_id": id, "embedding_status": "failed", "error": "File not found"})
                }
                Some(file) if file["status"]["upload_status"] != "ready" => json!({
                    "file_id": id,
                    "embedding_status": file["status"]["embedding_status"],
                    "error": "File upload is not complete",
                }),
                Some(file) => {
                    let chunk_count = embed_file(file);
                    file["status"]["updated_at"] = json!(iso_time(EPOCH.saturating_add(*clock)));
                    json!({"file_id": id, "embedding_status": "ready", "chunk_count": chunk_count})
                }
            })
            .collect();
        ok(&json!({ "results": results }))
    })
}

fn list(query: &str, state: &State) -> MockReply {
    let number = |key: &str, default: usize| match query_value(query, key) {
        None => Ok(default),
        Some(v) => v.parse::<usize>().map_err(|_| {
            MockReply::json(
                422,
                json!({"detail": [{"type": "int_parsing", "loc": ["query", key],
                    "msg": "Input should be a valid integer"}]})
                .to_string(),
            )
        }),
    };
    let (limit, offset) = match (number("limit", DEFAULT_LIMIT), number("offset", 0)) {
        (Ok(limit), Ok(offset)) => (limit, offset),
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    with_files(state, |files, _| {
        let page: Vec<Value> = files
            .iter()
            .skip(offset)
            .take(limit)
            .map(|f| f["status"].clone())
            .collect();
        ok(&json!({"files": page, "total": files.len(), "limit": limit, "offset": offset}))
    })
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn search(request: &RecordedRequest, state: &State) -> MockReply {
    let body = request.body_json().unwrap_or(Value::Null);
    let Some(query) = body["query"].as_str() else {
        return invalid_field("query", "Field required");
    };
    let wanted = words(query);
    // A `top_k` past usize (on 32-bit targets) asks for everything, not for `top_k mod 2^32`.
    let top_k = body["top_k"]
        .as_u64()
        .map_or(DEFAULT_TOP_K, |k| usize::try_from(k).unwrap_or(usize::MAX));
    let only: Option<Vec<&str>> = body["file_ids"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_str).collect());
    let filter = body["filter"].as_object().cloned().unwrap_or_default();
    let (from, to) = (body["date_from"].as_u64(), body["date_to"].as_u64());
    with_files(state, |files, _| {
        let mut hits: Vec<(f64, Value)> = Vec::new();
        for file in files.iter() {
            let status = &file["status"];
            let created = file["created"].as_u64().unwrap_or(0);
            let metadata = file["metadata"].as_object().cloned().unwrap_or_default();
            let wanted_file = status["embedding_status"] == "ready"
                && only.as_ref().is_none_or(|ids| {
                    status["file_id"]
                        .as_str()
                        .is_some_and(|id| ids.contains(&id))
                })
                && matches(&metadata, &filter)
                && from.is_none_or(|from| created >= from)
                && to.is_none_or(|to| created <= to);
            if !wanted_file || wanted.is_empty() {
                continue;
            }
            let content = file["content"].as_str().unwrap_or_default();
            for (index, chunk) in chunks(content).into_iter().enumerate() {
                let have = words(chunk);
                let found = wanted.iter().filter(|w| have.contains(w)).count();
                if found == 0 {
                    continue;
                }
                let score = found as f64 / wanted.len() as f64;
                hits.push((
                    score,
                    json!({
                        "score": score,
                        "text": chunk,
                        "parent_text": content.chars().take(1000).collect::<String>(),
                        "file_id": status["file_id"],
                        "file_name": status["file_name"],
                        "file_type": status["file_type"],
                        "mime_type": status["mime_type"],
                        "chunk_index": index,
                        "created_at": created,
                        "metadata": metadata,
                    }),
                ));
            }
        }
        // Stable: equal scores keep file and chunk order.
        hits.sort_by(|a, b| b.0.total_cmp(&a.0));
        let results: Vec<Value> = hits.into_iter().take(top_k).map(|(_, hit)| hit).collect();
        ok(&json!({ "results": results }))
    })
}

/// Whether every key of `filter` has the same value in `metadata`.
fn matches(metadata: &Map<String, Value>, filter: &Map<String, Value>) -> bool {
    filter
        .iter()
        .all(|(key, value)| metadata.get(key) == Some(value))
}
