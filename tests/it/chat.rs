//! Chat completions over the wire: golden fixtures in, typed values out.

use meshapi::mock::MockReply;

use crate::common::{self, FIXTURE_RESPONSE};

#[test]
fn create_decodes_both_golden_responses() {
    let go = include_str!("../fixtures/go_chat_completion_response.json");
    for body in [FIXTURE_RESPONSE, go] {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(MockReply::json(200, body));
        let reply = client
            .chat()
            .completions()
            .create(&common::params())
            .unwrap();
        assert_eq!(reply.id, "chatcmpl-abc123");
        assert_eq!(reply.object, "chat.completion");
        assert_eq!(reply.created, 1712345678);
        assert_eq!(reply.model, "openai/gpt-4o-mini");
        assert_eq!(reply.choices.len(), 1);
        assert_eq!(reply.choices[0].message.role, "assistant");
        assert_eq!(
            reply.choices[0].message.content.as_deref(),
            Some("2 + 2 equals 4.")
        );
        assert_eq!(reply.choices[0].finish_reason.as_deref(), Some("stop"));
        let usage = reply.usage.unwrap();
        assert_eq!(
            (
                usage.prompt_tokens,
                usage.completion_tokens,
                usage.total_tokens
            ),
            (14, 7, 21)
        );
        assert_eq!(reply.system_fingerprint, None);
    }
}

#[test]
fn streamed_golden_chunks_decode() {
    let first = include_str!("../fixtures/py_chat_completion_chunk.json").replace('\n', "");
    let go = include_str!("../fixtures/go_chat_completion_chunk.json").replace('\n', "");
    let usage = include_str!("../fixtures/py_chat_completion_chunk_usage.json").replace('\n', "");
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::sse().data(&first).data(&go).data(&usage).done());
    let chunks: Vec<_> = client
        .chat()
        .completions()
        .stream(&common::params())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(chunks.len(), 3);
    assert_eq!(
        chunks[0], chunks[1],
        "the Py and Go fixtures are the same chunk"
    );
    assert_eq!(chunks[0].choices[0].delta.content.as_deref(), Some("Hello"));
    assert_eq!(
        chunks[0].choices[0].delta.role.as_deref(),
        Some("assistant")
    );
    assert!(chunks[2].choices.is_empty());
    assert_eq!(chunks[2].cost.as_deref(), Some("0.0000021"));
    assert_eq!(chunks[2].usage.as_ref().unwrap().total_tokens, 21);
}

#[test]
fn streamed_tool_calls_accumulate_per_index() {
    let frame = |delta: serde_json::Value, finish: Option<&str>| {
        serde_json::json!({
            "id": "chatcmpl-t", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]
        })
        .to_string()
    };
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(
        MockReply::sse()
            .data(&frame(serde_json::json!({"role": "assistant", "tool_calls": [
                {"index": 0, "id": "call_a", "type": "function", "function": {"name": "weather", "arguments": "{\"ci"}},
                {"index": 1, "id": "call_b", "type": "function", "function": {"name": "time", "arguments": ""}}
            ]}), None))
            .data(&frame(serde_json::json!({"tool_calls": [
                {"index": 1, "function": {"arguments": "{\"tz\":\"UTC\"}"}},
                {"index": 0, "function": {"arguments": "ty\":\"Oslo\"}"}}
            ]}), None))
            .data(&frame(serde_json::json!({}), Some("tool_calls")))
            .done(),
    );
    let reply = client
        .chat()
        .completions()
        .stream(&common::params())
        .accumulate()
        .unwrap();
    let choice = &reply.choices[0];
    assert_eq!(choice.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(choice.message.content, None);
    let calls = choice.message.tool_calls.as_ref().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        (calls[0].id.as_str(), calls[0].function.name.as_str()),
        ("call_a", "weather")
    );
    assert_eq!(calls[0].function.arguments, r#"{"city":"Oslo"}"#);
    assert_eq!(
        (calls[1].id.as_str(), calls[1].function.name.as_str()),
        ("call_b", "time")
    );
    assert_eq!(calls[1].function.arguments, r#"{"tz":"UTC"}"#);
}
