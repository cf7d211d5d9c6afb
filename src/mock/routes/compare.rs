//! Default answers for `POST /v1/chat/compare`: every model answers like the chat mock, a model
//! whose id contains `fail` fails, and a synthesis follows unless `skip_comparison` is true.

use serde_json::{Value, json};

use super::State;
use crate::mock::{
    CREATED, DEFAULT_MODEL, DEFAULT_REPLY_PREFIX, MAX_ECHO_CHARS, MockReply, RecordedRequest,
    mint_request_id, text_of, validation_error,
};

/// The latency the mock reports for a synthesis, in milliseconds.
const COMPARISON_LATENCY_MS: u64 = 80;

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    if (request.method.as_str(), request.path.as_str()) != ("POST", "/v1/chat/compare") {
        return None;
    }
    let body = match parse(request) {
        Ok(body) => body,
        Err(reply) => return Some(reply),
    };
    let plan = Plan::new(&body);
    let comparison_id = state.next_id("cmp_mock");
    Some(if body["stream"] == true {
        plan.stream(&comparison_id)
    } else {
        plan.whole(&comparison_id, state)
    })
}

/// The body, or the 422 the gateway gives when `models` or `messages` is missing or unusable.
fn parse(request: &RecordedRequest) -> Result<Value, MockReply> {
    let Some(body) = request.body_json() else {
        return Err(validation_error(
            json!({"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"}),
        ));
    };
    for field in ["models", "messages"] {
        let detail = match body.get(field) {
            None => json!({"type": "missing", "loc": ["body", field], "msg": "Field required"}),
            // A template may supply the messages, but there is nothing to compare without models.
            Some(Value::Array(items)) if items.is_empty() && field == "models" => json!({
                "type": "too_short", "loc": ["body", field],
                "msg": "List should have at least 1 item after validation, not 0"
            }),
            Some(Value::Array(_)) => continue,
            Some(_) => json!({
                "type": "list_type", "loc": ["body", field], "msg": "Input should be a valid list"
            }),
        };
        return Err(validation_error(detail));
    }
    Ok(body)
}

/// What every model says, decided once per request so both answer shapes agree.
struct Plan {
    models: Vec<Model>,
    text: String,
    prompt_tokens: usize,
    /// The synthesis model and text, unless skipped or no model answered.
    comparison: Option<(String, String)>,
    skip_comparison: bool,
}

struct Model {
    id: String,
    failed: bool,
    latency_ms: u64,
}

impl Plan {
    fn new(body: &Value) -> Plan {
        let messages = body["messages"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let said: String = messages
            .iter()
            .rev()
            .find(|message| message["role"] == "user")
            .map(text_of)
            .unwrap_or_default()
            .chars()
            .take(MAX_ECHO_CHARS)
            .collect();
        let prompt_tokens = messages
            .iter()
            .map(|message| text_of(message).split_whitespace().count())
            .sum();
        let models: Vec<Model> = body["models"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .zip(0u64..)
            .map(|(id, i)| {
                let id = id.as_str().unwrap_or(DEFAULT_MODEL).to_owned();
                Model {
                    failed: id.contains("fail"),
                    id,
                    latency_ms: i.saturating_mul(15).saturating_add(120),
                }
            })
            .collect();
        let skip_comparison = body["skip_comparison"] == true;
        let answered: Vec<&str> = models
            .iter()
            .filter(|m| !m.failed)
            .map(|m| m.id.as_str())
            .collect();
        let comparison = match (skip_comparison, answered.first()) {
            (false, Some(first)) => {
                let model = body["comparison_model"].as_str().unwrap_or(first);
                // `answered` is a subset of `models`.
                let failed = models.len() - answered.len();
                let mut text = format!(
                    "Compared {} answers: {} gave the same reply.",
                    answered.len(),
                    answered.join(", ")
                );
                if failed > 0 {
                    text.push_str(&format!(" {failed} model(s) failed."));
                }
                Some((model.to_owned(), text))
            }
            _ => None,
        };
        Plan {
            models,
            text: format!("{DEFAULT_REPLY_PREFIX}{said}"),
            prompt_tokens,
            comparison,
            skip_comparison,
        }
    }

    fn partial(&self) -> bool {
        self.models.iter().any(|m| m.failed)
    }

    fn total_latency_ms(&self) -> u64 {
        let slowest = self.models.iter().map(|m| m.latency_ms).max().unwrap_or(0);
        let comparison = self
            .comparison
            .as_ref()
            .map_or(0, |_| COMPARISON_LATENCY_MS);
        slowest.saturating_add(comparison)
    }

    fn usage(&self, text: &str) -> Value {
        let completion_tokens = words(text).len();
        json!({
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": self.prompt_tokens.saturating_add(completion_tokens),
        })
    }

    fn error_text(model: &Model) -> String {
        format!(
            "mock gateway: model {} failed (its id contains \"fail\")",
            model.id
        )
    }

    fn whole(&self, comparison_id: &str, state: &State) -> MockReply {
        let results: Vec<Value> = self
            .models
            .iter()
            .map(|model| {
                let mut result = json!({
                    "model": model.id,
                    "latency_ms": model.latency_ms,
                    "request_id": mint_request_id(),
                });
                if model.failed {
                    result["error"] = json!(Plan::error_text(model));
                    result["error_code"] = json!("upstream_error");
                } else {
                    let usage = self.usage(&self.text);
                    result["content"] = json!(self.text);
                    result["usage"] = usage.clone();
                    result["response_body"] = json!({
                        "id": state.next_id("chatcmpl-mock"),
                        "object": "chat.completion",
                        "created": CREATED,
                        "model": model.id,
                        "choices": [{
                            "index": 0,
                            "message": {"role": "assistant", "content": self.text},
                            "finish_reason": "stop",
                        }],
                        "usage": usage,
                    });
                }
                result
            })
            .collect();
        let mut reply = json!({
            "comparison_id": comparison_id,
            "object": "chat.compare",
            "created": CREATED,
            "models": self.models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            "results": results,
            "total_latency_ms": self.total_latency_ms(),
            "partial": self.partial(),
            "skip_comparison": self.skip_comparison,
        });
        if let Some((model, text)) = &self.comparison {
            reply["comparison"] = json!(text);
            reply["comparison_model"] = json!(model);
            reply["comparison_usage"] = self.usage(text);
            reply["comparison_fallback_used"] = json!(false);
        }
        super::ok(&reply)
    }

    /// Deltas interleaved round-robin across the answering models, as a fan-out would send
    /// them; a failing model reports its error after the first round, so events keep coming
    /// after it.
    fn stream(&self, comparison_id: &str) -> MockReply {
        let reply_words = words(&self.text);
        let mut reply = MockReply::sse();
        for (round, word) in reply_words.iter().enumerate() {
            for model in self.models.iter().filter(|m| !m.failed) {
                reply = event(reply, "delta", &json!({"model": model.id, "delta": word}));
            }
            if round == 0 {
                for model in self.models.iter().filter(|m| m.failed) {
                    let frame = json!({
                        "model": model.id,
                        "error": Plan::error_text(model),
                        "error_code": "upstream_error",
                        "latency_ms": model.latency_ms,
                    });
                    reply = event(reply, "model_error", &frame);
                }
            }
        }
        for model in self.models.iter().filter(|m| !m.failed) {
            let frame = json!({
                "model": model.id,
                "latency_ms": model.latency_ms,
                "finish_reason": "stop",
                "usage": self.usage(&self.text),
            });
            reply = event(reply, "model_done", &frame);
        }
        if let Some((model, text)) = &self.comparison {
            for word in words(text) {
                let frame = json!({"comparison_model": model, "delta": word});
                reply = event(reply, "comparison", &frame);
            }
        }
        let mut done = json!({
            "comparison_id": comparison_id,
            "models": self.models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            "total_latency_ms": self.total_latency_ms(),
            "partial": self.partial(),
            "skip_comparison": self.skip_comparison,
        });
        if let Some((model, text)) = &self.comparison {
            done["comparison_model"] = json!(model);
            done["comparison_usage"] = self.usage(text);
            done["comparison_fallback_used"] = json!(false);
        }
        event(reply, "done", &done).done()
    }
}

/// One SSE frame with an `event:` line.
fn event(reply: MockReply, name: &str, data: &Value) -> MockReply {
    reply.raw(format!("event: {name}\ndata: {data}\n\n"))
}

/// `text` cut before each space, so the pieces concatenate back to it (the chat mock's chunks).
pub(super) fn words(text: &str) -> Vec<String> {
    text.split(' ')
        .enumerate()
        .map(|(i, word)| {
            if i == 0 {
                word.to_owned()
            } else {
                format!(" {word}")
            }
        })
        .collect()
}
