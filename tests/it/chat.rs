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

#[test]
fn unknown_response_fields_are_kept_in_extra() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut body: serde_json::Value = serde_json::from_str(FIXTURE_RESPONSE).unwrap();
    body["routing"] = serde_json::json!({"provider": "openai", "fallback": false});
    mock.enqueue(MockReply::json(200, body.to_string()));
    let reply = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    assert_eq!(reply.extra["routing"]["provider"], "openai");
    assert!(!reply.extra.contains_key("id"));

    let chunk = |extra: &str| {
        let mut value: serde_json::Value = serde_json::from_str(&common::chunk("hi")).unwrap();
        value["provider_latency_ms"] = serde_json::json!(extra);
        value.to_string()
    };
    mock.enqueue(
        MockReply::sse()
            .data(&chunk("12"))
            .data(&chunk("34"))
            .done(),
    );
    let chunks: Vec<_> = client
        .chat()
        .completions()
        .stream(&common::params())
        .map(Result::unwrap)
        .collect();
    assert_eq!(chunks[0].extra["provider_latency_ms"], "12");
    let mut accumulator = meshapi::types::chat::ChatCompletionAccumulator::new();
    chunks.iter().for_each(|c| accumulator.push(c));
    assert_eq!(accumulator.finish().extra["provider_latency_ms"], "34");
}

mod parse {
    use meshapi::ErrorCode;
    use meshapi::mock::MockReply;
    use meshapi::types::chat::StructuredOutput;
    use serde::Deserialize;
    use serde_json::{Value, json};

    use crate::common;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Verdict {
        positive: bool,
        confidence: f64,
        label: String,
    }

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "positive": {"type": "boolean"},
                "confidence": {"type": "number"},
                "label": {"type": "string"}
            },
            "required": ["positive", "confidence", "label"]
        })
    }

    /// A completion whose reply text is `content`.
    fn reply(content: &str) -> MockReply {
        MockReply::json(
            200,
            json!({
                "id": "chatcmpl-1", "object": "chat.completion", "created": 1,
                "model": "openai/gpt-4o-mini",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                             "finish_reason": "stop"}]
            })
            .to_string(),
        )
    }

    #[test]
    fn a_fitting_reply_is_decoded_and_the_schema_is_sent() {
        let mock = common::mock();
        let client = common::client(&mock);
        let output = StructuredOutput::new(schema()).name("verdict").strict(true);
        let parsed = client
            .chat()
            .completions()
            .parse::<Verdict>(&common::params(), &output)
            .unwrap();
        // The mock's default route answers a json_schema format with a value that follows it.
        assert_eq!(parsed.parsed.label, "What is 2 + 2?");
        assert!(parsed.parsed.positive);
        assert_eq!(parsed.calls, 1);
        assert_eq!(parsed.response.model, "openai/gpt-4o-mini");

        let requests = mock.requests();
        assert_eq!(requests.len(), 1);
        let body = requests[0].body_json().unwrap();
        assert_eq!(requests[0].path, "/v1/chat/completions");
        assert_eq!(body["stream"], false);
        assert_eq!(
            body["response_format"],
            json!({"type": "json_schema",
                   "json_schema": {"name": "verdict", "schema": schema(), "strict": true}})
        );
    }

    #[test]
    fn a_whole_response_format_is_sent_untouched() {
        let mock = common::mock();
        let client = common::client(&mock);
        let format =
            json!({"type": "json_schema", "json_schema": {"name": "mine", "schema": schema()}});
        client
            .chat()
            .completions()
            .parse::<Verdict>(&common::params(), &StructuredOutput::new(format.clone()))
            .unwrap();
        assert_eq!(
            mock.requests()[0].body_json().unwrap()["response_format"],
            format
        );
    }

    #[test]
    fn text_that_is_not_json_fails_without_a_reask_by_default() {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(reply("Sure! It is positive."));
        let err = client
            .chat()
            .completions()
            .parse::<Verdict>(&common::params(), &StructuredOutput::new(schema()))
            .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::StructuredOutputParseError);
        assert_eq!(err.status(), None);
        assert!(
            err.message().contains("is not valid JSON"),
            "{}",
            err.message()
        );
        assert!(err.message().ends_with("Reply: Sure! It is positive."));
        assert_eq!(mock.requests().len(), 1);
    }

    #[test]
    fn reasks_send_the_bad_reply_back_with_a_correction_until_one_fits() {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(reply("positive!"));
        mock.enqueue(reply(r#"{"positive": true}"#));
        let output = StructuredOutput::new(schema()).max_reasks(2);
        let parsed = client
            .chat()
            .completions()
            .parse::<Verdict>(&common::params(), &output)
            .unwrap();
        assert_eq!(parsed.calls, 3);
        assert_eq!(parsed.parsed.confidence, 1.0);

        let bodies: Vec<Value> = mock
            .requests()
            .iter()
            .map(|r| r.body_json().unwrap())
            .collect();
        assert_eq!(bodies.len(), 3);
        let second = bodies[1]["messages"].as_array().unwrap();
        assert_eq!(second.len(), 3);
        assert_eq!(
            second[1],
            json!({"role": "assistant", "content": "positive!"})
        );
        assert_eq!(second[2]["role"], "user");
        let correction = second[2]["content"].as_str().unwrap();
        assert!(correction.contains("is not valid JSON"), "{correction}");
        let third = bodies[2]["messages"].as_array().unwrap();
        assert_eq!(third.len(), 5);
        let correction = third[4]["content"].as_str().unwrap();
        assert!(
            correction.contains("missing field `confidence`"),
            "{correction}"
        );
        for body in &bodies {
            assert_eq!(body["response_format"]["type"], "json_schema");
        }
    }

    #[test]
    fn reasks_run_out_with_the_last_reply_in_the_error() {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(reply("nope"));
        mock.enqueue(reply(r#"{"positive": "yes"}"#));
        let err = client
            .chat()
            .completions()
            .parse::<Verdict>(
                &common::params(),
                &StructuredOutput::new(schema()).max_reasks(1),
            )
            .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::StructuredOutputParseError);
        assert!(
            err.message().contains("is JSON but does not fit"),
            "{}",
            err.message()
        );
        assert!(err.message().contains("after 2 call(s)"));
        assert!(err.message().ends_with(r#"Reply: {"positive": "yes"}"#));
        assert_eq!(mock.requests().len(), 2);
    }

    #[test]
    fn an_http_error_is_returned_as_is() {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(reply("nope"));
        mock.enqueue(MockReply::error(
            402,
            "spend_limit_exceeded",
            "Balance is zero.",
        ));
        let err = client
            .chat()
            .completions()
            .parse::<Verdict>(
                &common::params(),
                &StructuredOutput::new(schema()).max_reasks(3),
            )
            .unwrap_err();
        assert_eq!(err.code(), &ErrorCode::SpendLimitExceeded);
        assert_eq!(err.status(), Some(402));
        assert_eq!(mock.requests().len(), 2);
    }
}

#[test]
fn nested_unknown_fields_are_kept_in_extra_and_only_tool_calls_replay_them() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        serde_json::json!({
            "id": "chatcmpl-n", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{
                "index": 0, "finish_reason": "tool_calls", "native_finish_reason": "end_turn",
                "message": {
                    "role": "assistant", "content": "Calling.", "refusal": null,
                    "annotations": [{"type": "url_citation", "url": "https://x"}],
                    "tool_calls": [{
                        "id": "call_1", "type": "function",
                        "function": {"name": "weather", "arguments": "{}", "parsed": {}},
                        "extra_content": {"google": {"thought_signature": "c2ln"}}
                    }]
                }
            }],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                      "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                      "cost_details": {"upstream_inference_cost": "0.001"}}
        })
        .to_string(),
    ));
    let reply = client
        .chat()
        .completions()
        .create(&common::params())
        .unwrap();
    let choice = &reply.choices[0];
    assert_eq!(choice.extra["native_finish_reason"], "end_turn");
    let message = &choice.message;
    assert_eq!(message.extra["refusal"], serde_json::Value::Null);
    assert_eq!(message.extra["annotations"][0]["url"], "https://x");
    assert!(!message.extra.contains_key("content"));
    let call = &message.tool_calls.as_ref().unwrap()[0];
    assert_eq!(
        call.extra["extra_content"]["google"]["thought_signature"],
        "c2ln"
    );
    assert_eq!(call.function.extra["parsed"], serde_json::json!({}));
    let usage = reply.usage.as_ref().unwrap();
    assert_eq!(
        usage.extra["cost_details"]["upstream_inference_cost"],
        "0.001"
    );
    assert_eq!(
        usage.prompt_tokens_details,
        Some(serde_json::json!({"cached_tokens": 0, "audio_tokens": 0}))
    );

    // Replaying the turn: the tool call goes back as received, the message's extras do not.
    let mut params = common::params();
    params
        .messages
        .push(meshapi::ChatMessage::from(message.clone()));
    client.chat().completions().create(&params).unwrap();
    let body = mock.requests()[1].body_json().unwrap();
    assert_eq!(
        body["messages"][1],
        serde_json::json!({
            "role": "assistant", "content": "Calling.",
            "tool_calls": [{
                "id": "call_1", "type": "function",
                "function": {"name": "weather", "arguments": "{}", "parsed": {}},
                "extra_content": {"google": {"thought_signature": "c2ln"}}
            }]
        })
    );
}

#[test]
fn streamed_nested_unknown_fields_are_kept_and_accumulated() {
    let frame = |choice: serde_json::Value| {
        serde_json::json!({
            "id": "chatcmpl-n", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [choice]
        })
        .to_string()
    };
    let usage = serde_json::json!({
        "id": "chatcmpl-n", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                  "cost_details": {"upstream_inference_cost": "0.001"}}
    })
    .to_string();
    let reply = || {
        MockReply::sse()
            .data(&frame(serde_json::json!({
                "index": 0, "native_finish_reason": null,
                "delta": {"role": "assistant", "reasoning": "Think", "refusal": null,
                          "tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                          "extra_content": {"k": 1},
                                          "function": {"name": "f", "arguments": "{", "v": 1}}]}
            })))
            .data(&frame(serde_json::json!({
                "index": 0, "native_finish_reason": "end_turn", "finish_reason": "tool_calls",
                "delta": {"reasoning": "ing.",
                          "tool_calls": [{"index": 0, "function": {"arguments": "}"}}]}
            })))
            .data(&usage)
            .done()
    };
    let mock = common::mock();
    let client = common::client(&mock);

    mock.enqueue(reply());
    let chunks: Vec<_> = client
        .chat()
        .completions()
        .stream(&common::params())
        .collect::<Result<_, _>>()
        .unwrap();
    let first = &chunks[0].choices[0];
    assert_eq!(first.extra["native_finish_reason"], serde_json::Value::Null);
    assert_eq!(first.delta.extra["reasoning"], "Think");
    assert_eq!(first.delta.extra["refusal"], serde_json::Value::Null);
    let call = &first.delta.tool_calls.as_ref().unwrap()[0];
    assert_eq!(call.extra["extra_content"], serde_json::json!({"k": 1}));
    assert_eq!(call.function.as_ref().unwrap().extra["v"], 1);
    assert_eq!(
        chunks[2].usage.as_ref().unwrap().extra["cost_details"]["upstream_inference_cost"],
        "0.001"
    );

    mock.enqueue(reply());
    let whole = client
        .chat()
        .completions()
        .stream(&common::params())
        .accumulate()
        .unwrap();
    let choice = &whole.choices[0];
    assert_eq!(choice.extra["native_finish_reason"], "end_turn");
    assert_eq!(choice.message.extra["reasoning"], "Thinking.");
    assert_eq!(choice.message.extra["refusal"], serde_json::Value::Null);
    let call = &choice.message.tool_calls.as_ref().unwrap()[0];
    assert_eq!(call.function.arguments, "{}");
    assert_eq!(call.extra["extra_content"], serde_json::json!({"k": 1}));
    assert_eq!(call.function.extra["v"], 1);
    assert_eq!(
        whole.usage.as_ref().unwrap().extra["cost_details"]["upstream_inference_cost"],
        "0.001"
    );
}
