//! Default answers for `/v1/templates` (prompt templates), remembered per server.
//!
//! Timestamps come from a per-server clock that ticks one second per change, starting at
//! `2024-04-01T12:00:00Z`, so every update visibly changes `updated_at`.

use serde_json::{Map, Value, json};

use super::{State, decode, invalid_field, not_found, ok};
use crate::mock::{MockReply, RecordedRequest};

const PREFIX: &str = "/v1/templates";
/// The user every template created through the mock belongs to.
const OWNER: &str = "6088773a-147a-49d7-8ba4-1d9836cbe415";
/// `2024-04-01T12:00:00Z`.
const EPOCH: u64 = 1_711_972_800;
/// The fields a create or an update may set.
const FIELDS: [&str; 7] = [
    "name",
    "description",
    "system",
    "messages",
    "model",
    "params",
    "variables",
];

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    let rest = request.path.strip_prefix(PREFIX)?;
    let reply = match (request.method.as_str(), rest) {
        ("POST", "") => create(request, state),
        ("GET", "") => with_store(state, |templates, _| ok(&Value::Array(templates.clone()))),
        (method, id) => {
            let id = decode(id.strip_prefix('/').filter(|id| !id.contains('/'))?);
            match method {
                "GET" => with_store(state, |templates, _| {
                    find(templates, &id).map_or_else(|| missing(&id), ok)
                }),
                "PATCH" => update(&id, request, state),
                "DELETE" => delete(&id, state),
                _ => return None,
            }
        }
    };
    Some(reply)
}

/// Runs `f` on the stored templates (oldest first) and the clock.
fn with_store<R>(state: &State, f: impl FnOnce(&mut Vec<Value>, &mut u64) -> R) -> R {
    state.with("templates", |store| {
        if !store.is_object() {
            *store = json!({"items": [], "clock": 0});
        }
        let mut clock = store["clock"].as_u64().unwrap_or(0);
        let mut items = match store["items"].take() {
            Value::Array(items) => items,
            _ => Vec::new(),
        };
        let out = f(&mut items, &mut clock);
        store["items"] = Value::Array(items);
        store["clock"] = json!(clock);
        out
    })
}

fn find<'v>(templates: &'v [Value], id: &str) -> Option<&'v Value> {
    templates.iter().find(|t| t["id"] == id)
}

fn missing(id: &str) -> MockReply {
    not_found(&format!("Template {id}"))
}

/// The body's fields that a template stores, or the 422 for a body that is not an object.
fn settable(request: &RecordedRequest) -> Result<Map<String, Value>, MockReply> {
    match request.body_json() {
        Some(Value::Object(fields)) => Ok(fields
            .into_iter()
            .filter(|(key, _)| FIELDS.contains(&key.as_str()))
            .collect()),
        _ => Err(invalid_field("body", "Input should be a valid JSON object")),
    }
}

fn create(request: &RecordedRequest, state: &State) -> MockReply {
    let fields = match settable(request) {
        Ok(fields) => fields,
        Err(reply) => return reply,
    };
    if fields
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return invalid_field("name", "Field required");
    }
    let serial = state.next_id("");
    with_store(state, |templates, clock| {
        *clock = clock.saturating_add(1);
        let now = iso_time(EPOCH.saturating_add(*clock));
        let mut template = json!({
            "id": format!("6f1c2a9e-0d4b-4c1e-8a7f-{serial:0>12}"),
            "owner": OWNER,
            "is_global": false,
            "description": null,
            "system": null,
            "messages": null,
            "model": null,
            "params": null,
            "variables": null,
            "created_at": now,
            "updated_at": now,
        });
        for (key, value) in fields {
            template[key] = value;
        }
        templates.push(template.clone());
        ok(&template)
    })
}

fn update(id: &str, request: &RecordedRequest, state: &State) -> MockReply {
    let fields = match settable(request) {
        Ok(fields) => fields,
        Err(reply) => return reply,
    };
    with_store(state, |templates, clock| {
        let Some(template) = templates.iter_mut().find(|t| t["id"] == id) else {
            return missing(id);
        };
        *clock = clock.saturating_add(1);
        for (key, value) in fields {
            template[key] = value;
        }
        template["updated_at"] = json!(iso_time(EPOCH.saturating_add(*clock)));
        ok(template)
    })
}

fn delete(id: &str, state: &State) -> MockReply {
    with_store(state, |templates, _| {
        match templates.iter().position(|t| t["id"] == id) {
            Some(i) => {
                templates.remove(i);
                MockReply::new(204)
            }
            None => missing(id),
        }
    })
}

/// `secs` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian calendar).
pub(super) fn iso_time(secs: u64) -> String {
    // Total on u64: days < 2^48, so every product below stays far from overflow.
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 (never negative here).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::iso_time;

    #[test]
    fn iso_times_follow_the_calendar() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_time(super::EPOCH), "2024-04-01T12:00:00Z");
        assert_eq!(iso_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso_time(1_767_225_599), "2025-12-31T23:59:59Z");
        assert!(iso_time(u64::MAX).ends_with("T07:00:15Z"));
    }
}
