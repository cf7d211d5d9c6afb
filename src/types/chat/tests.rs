//! Unit tests of the chat types: decoding fixtures, serializing params, accumulating chunks.

use super::*;
use serde_json::{Value, json};

fn chunk(value: Value) -> ChatCompletionChunk {
    serde_json::from_value(value).unwrap()
}

fn chunk_with_choices(choices: Value) -> ChatCompletionChunk {
    chunk(json!({
        "id": "chatcmpl-s", "object": "chat.completion.chunk", "created": 1712345678,
        "model": "openai/gpt-4o-mini", "choices": choices
    }))
}

fn assert_fixture_response(reply: &ChatCompletionResponse) {
    assert_eq!(reply.id, "chatcmpl-abc123");
    assert_eq!(reply.object, "chat.completion");
    assert_eq!(reply.created, 1712345678);
    assert_eq!(reply.model, "openai/gpt-4o-mini");
    assert_eq!(reply.choices.len(), 1);
    let choice = &reply.choices[0];
    assert_eq!(choice.index, 0);
    assert_eq!(choice.message.role, "assistant");
    assert_eq!(choice.message.content.as_deref(), Some("2 + 2 equals 4."));
    assert_eq!(choice.message.tool_calls, None);
    assert_eq!(choice.finish_reason.as_deref(), Some("stop"));
    assert_eq!(choice.logprobs, None);
    let usage = reply.usage.as_ref().unwrap();
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (14, 7, 21)
    );
    assert_eq!(usage.prompt_tokens_details, None);
    assert_eq!(reply.system_fingerprint, None);
    assert_eq!(reply.cost, None);
}

#[test]
fn py_response_fixture_decodes_with_null_fingerprint() {
    let reply: ChatCompletionResponse = serde_json::from_str(include_str!(
        "../../../tests/fixtures/py_chat_completion_response.json"
    ))
    .unwrap();
    assert_fixture_response(&reply);
}

#[test]
fn go_response_fixture_decodes_without_fingerprint() {
    let reply: ChatCompletionResponse = serde_json::from_str(include_str!(
        "../../../tests/fixtures/go_chat_completion_response.json"
    ))
    .unwrap();
    assert_fixture_response(&reply);
}

fn assert_fixture_first_chunk(chunk: &ChatCompletionChunk) {
    assert_eq!(chunk.id, "chatcmpl-abc123");
    assert_eq!(chunk.object, "chat.completion.chunk");
    assert_eq!(chunk.created, 1712345678);
    assert_eq!(chunk.model, "openai/gpt-4o-mini");
    assert_eq!(chunk.choices.len(), 1);
    let choice = &chunk.choices[0];
    assert_eq!(choice.index, 0);
    assert_eq!(choice.delta.role.as_deref(), Some("assistant"));
    assert_eq!(choice.delta.content.as_deref(), Some("Hello"));
    assert_eq!(choice.delta.tool_calls, None);
    assert_eq!(choice.finish_reason, None);
    assert_eq!(chunk.usage, None);
    assert_eq!(chunk.cost, None);
}

#[test]
fn py_chunk_fixture_decodes() {
    let chunk: ChatCompletionChunk = serde_json::from_str(include_str!(
        "../../../tests/fixtures/py_chat_completion_chunk.json"
    ))
    .unwrap();
    assert_fixture_first_chunk(&chunk);
}

#[test]
fn go_chunk_fixture_decodes() {
    let chunk: ChatCompletionChunk = serde_json::from_str(include_str!(
        "../../../tests/fixtures/go_chat_completion_chunk.json"
    ))
    .unwrap();
    assert_fixture_first_chunk(&chunk);
}

#[test]
fn usage_chunk_fixture_has_no_choices_and_a_string_cost() {
    let chunk: ChatCompletionChunk = serde_json::from_str(include_str!(
        "../../../tests/fixtures/py_chat_completion_chunk_usage.json"
    ))
    .unwrap();
    assert_eq!(chunk.id, "chatcmpl-abc123");
    assert_eq!(chunk.choices, vec![]);
    assert_eq!(chunk.cost.as_deref(), Some("0.0000021"));
    let usage = chunk.usage.unwrap();
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (14, 7, 21)
    );
    assert_eq!(
        usage.prompt_tokens_details,
        Some(json!({"cached_tokens": 0}))
    );
    assert_eq!(usage.completion_tokens_details, None);
}

#[test]
fn response_tolerates_unknown_fields_everywhere() {
    let reply: ChatCompletionResponse = serde_json::from_value(json!({
        "id": "x", "object": "chat.completion", "created": 5, "model": "m",
        "provider": "openai", "routing": {"strategy": "auto"},
        "choices": [{
            "index": 0, "native_finish_reason": "end_turn", "finish_reason": "stop",
            "message": {"role": "assistant", "content": "ok", "refusal": null,
                        "annotations": []}
        }],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                  "cost_details": {"x": 1}},
        "cost": "0.5"
    }))
    .unwrap();
    assert_eq!(reply.choices[0].message.content.as_deref(), Some("ok"));
    assert_eq!(reply.choices[0].finish_reason.as_deref(), Some("stop"));
    assert_eq!(reply.usage.unwrap().total_tokens, 3);
    assert_eq!(reply.cost.as_deref(), Some("0.5"));
}

#[test]
fn response_keeps_unknown_fields_at_every_nested_level() {
    let reply: ChatCompletionResponse = serde_json::from_value(json!({
        "id": "x", "object": "chat.completion", "created": 5, "model": "m",
        "choices": [{
            "index": 0, "finish_reason": "tool_calls", "native_finish_reason": "end_turn",
            "message": {
                "role": "assistant", "content": null, "refusal": null,
                "annotations": [{"type": "url_citation"}],
                "tool_calls": [{
                    "id": "call_1", "type": "function",
                    "function": {"name": "f", "arguments": "{}", "strict": true},
                    "extra_content": {"google": {"thought_signature": "c2ln"}}
                }]
            }
        }],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                  "cost_details": {"upstream": "0.1"}}
    }))
    .unwrap();
    let choice = &reply.choices[0];
    assert_eq!(choice.extra["native_finish_reason"], "end_turn");
    assert_eq!(choice.extra.len(), 1);
    assert_eq!(choice.message.extra["refusal"], Value::Null);
    assert_eq!(
        choice.message.extra["annotations"],
        json!([{"type": "url_citation"}])
    );
    assert_eq!(choice.message.extra.len(), 2);
    let call = &choice.message.tool_calls.as_ref().unwrap()[0];
    assert_eq!(
        call.extra["extra_content"],
        json!({"google": {"thought_signature": "c2ln"}})
    );
    assert_eq!(call.function.extra["strict"], true);
    let usage = reply.usage.as_ref().unwrap();
    assert_eq!(usage.extra["cost_details"], json!({"upstream": "0.1"}));
    assert!(reply.extra.is_empty());
}

#[test]
fn chunk_keeps_unknown_fields_at_every_nested_level() {
    let chunk = chunk(json!({
        "id": "x", "object": "chat.completion.chunk", "created": 5, "model": "m",
        "choices": [{
            "index": 0, "native_finish_reason": null,
            "delta": {
                "reasoning": "hm",
                "tool_calls": [{"index": 0, "id": "call_1", "extra_content": {"a": 1},
                                "function": {"name": "f", "arguments": "", "strict": true}}]
            }
        }],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                  "cost_details": {"upstream": "0.1"}}
    }));
    let choice = &chunk.choices[0];
    assert_eq!(choice.extra["native_finish_reason"], Value::Null);
    assert_eq!(choice.delta.extra["reasoning"], "hm");
    let call = &choice.delta.tool_calls.as_ref().unwrap()[0];
    assert_eq!(call.extra["extra_content"], json!({"a": 1}));
    assert_eq!(call.function.as_ref().unwrap().extra["strict"], true);
    assert_eq!(
        chunk.usage.as_ref().unwrap().extra["cost_details"],
        json!({"upstream": "0.1"})
    );
}

#[test]
fn empty_extra_maps_add_nothing_to_a_request_body() {
    let call = ToolCall::function("call_1", "f", "{}");
    assert!(call.extra.is_empty() && call.function.extra.is_empty());
    assert_eq!(
        serde_json::to_string(&call).unwrap(),
        r#"{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}"#
    );
    assert_eq!(
        serde_json::to_value(ChatCompletionMessage::default()).unwrap(),
        json!({"role": "assistant"})
    );
    assert_eq!(serde_json::to_value(Delta::default()).unwrap(), json!({}));
}

#[test]
fn replay_keeps_tool_call_extras_and_drops_message_extras() {
    let message: ChatCompletionMessage = serde_json::from_value(json!({
        "role": "assistant", "content": "ok", "refusal": null, "annotations": [],
        "tool_calls": [{"id": "call_1", "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                        "extra_content": {"google": {"thought_signature": "c2ln"}}}]
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(ChatMessage::from(message)).unwrap(),
        json!({
            "role": "assistant", "content": "ok",
            "tool_calls": [{"id": "call_1", "type": "function",
                            "function": {"name": "f", "arguments": "{}"},
                            "extra_content": {"google": {"thought_signature": "c2ln"}}}]
        })
    );
}

#[test]
fn chunk_tolerates_unknown_fields_and_null_error() {
    let chunk = chunk(json!({
        "id": "x", "object": "chat.completion.chunk", "created": 5, "model": "m",
        "error": null, "provider": "openai",
        "choices": [{"index": 1, "native_finish_reason": null,
                     "delta": {"content": "a", "refusal": null}, "logprobs": null}]
    }));
    assert_eq!(chunk.choices[0].index, 1);
    assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("a"));
    assert_eq!(chunk.choices[0].logprobs, None);
}

#[test]
fn response_requires_the_fields_python_requires() {
    let err = serde_json::from_value::<ChatCompletionResponse>(json!({
        "id": "x", "object": "chat.completion", "model": "m", "choices": []
    }))
    .unwrap_err();
    assert_eq!(err.to_string(), "missing field `created`");
    let err = serde_json::from_value::<ChatCompletionChunk>(json!({
        "id": "x", "object": "chat.completion.chunk", "created": 1, "model": "m"
    }))
    .unwrap_err();
    assert_eq!(err.to_string(), "missing field `choices`");
}

#[test]
fn array_content_joins_text_parts_and_skips_others() {
    let message: ChatCompletionMessage = serde_json::from_value(json!({
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Here is "},
            {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
            {"type": "text", "text": "a cat.", "annotations": []}
        ]
    }))
    .unwrap();
    assert_eq!(message.content.as_deref(), Some("Here is a cat."));

    let images_only: ChatCompletionMessage = serde_json::from_value(json!({
        "role": "assistant",
        "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]
    }))
    .unwrap();
    assert_eq!(images_only.content, None);
}

#[test]
fn null_or_absent_content_is_none() {
    for message in [
        json!({"role": "assistant", "content": null}),
        json!({"role": "assistant"}),
    ] {
        let message: ChatCompletionMessage = serde_json::from_value(message).unwrap();
        assert_eq!(message.content, None);
    }
    // from_str exercises serde_json's borrowed-string and null paths, unlike from_value.
    let message: ChatCompletionMessage =
        serde_json::from_str(r#"{"role":"assistant","content":null}"#).unwrap();
    assert_eq!(message.content, None);
    let delta: Delta = serde_json::from_str(r#"{"content":"a\"b"}"#).unwrap();
    assert_eq!(delta.content.as_deref(), Some("a\"b"));
}

#[test]
fn content_of_another_type_is_rejected() {
    let err = serde_json::from_str::<ChatCompletionMessage>(r#"{"role":"assistant","content":7}"#)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid type: integer `7`, expected a string, null or an array of content parts at line 1 column 31"
    );
}

#[test]
fn missing_message_and_delta_default_to_empty() {
    let choice: Choice =
        serde_json::from_value(json!({"index": 0, "finish_reason": "length"})).unwrap();
    assert_eq!(choice.message, ChatCompletionMessage::default());
    assert_eq!(choice.message.role, "assistant");
    let chunk_choice: ChunkChoice = serde_json::from_value(json!({"index": 2})).unwrap();
    assert_eq!(chunk_choice.delta, Delta::default());
    assert_eq!(chunk_choice.finish_reason, None);
}

#[test]
fn tool_calls_decode_and_replay_into_a_request_message() {
    let message: ChatCompletionMessage = serde_json::from_value(json!({
        "role": "assistant",
        "content": null,
        "tool_calls": [{
            "id": "call_1", "type": "function",
            "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
            "thought_signature": "sig=="
        }],
        "reasoning_details": [{"type": "reasoning.text", "text": "hmm"}]
    }))
    .unwrap();
    let replayed = ChatMessage::from(message);
    assert_eq!(
        serde_json::to_value(&replayed).unwrap(),
        json!({
            "role": "assistant",
            "tool_calls": [{
                "id": "call_1", "type": "function",
                "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
                "thought_signature": "sig=="
            }],
            "reasoning_details": [{"type": "reasoning.text", "text": "hmm"}]
        })
    );
}

#[test]
fn replayed_roles_are_parsed_and_unknown_ones_become_assistant() {
    for (wire, role) in [
        ("system", Role::System),
        ("user", Role::User),
        ("assistant", Role::Assistant),
        ("tool", Role::Tool),
        ("model", Role::Assistant),
    ] {
        let message: ChatCompletionMessage =
            serde_json::from_value(json!({"role": wire, "content": "x"})).unwrap();
        let replayed = ChatMessage::from(message);
        assert_eq!(replayed.role, role);
        assert_eq!(replayed.content, Some(MessageContent::Text("x".into())));
    }
}

#[test]
fn new_params_serialize_only_model_and_messages() {
    let params = ChatCompletionParams::new("openai/gpt-4o-mini", vec![ChatMessage::user("Hi")]);
    assert_eq!(
        serde_json::to_string(&params).unwrap(),
        r#"{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"#
    );
}

#[test]
fn from_template_omits_model() {
    let params = ChatCompletionParams::from_template("greeting", vec![]);
    assert_eq!(
        serde_json::to_string(&params).unwrap(),
        r#"{"messages":[],"template":"greeting"}"#
    );
    assert_eq!(
        serde_json::to_value(params.model("m")).unwrap(),
        json!({"model": "m", "messages": [], "template": "greeting"})
    );
}

#[test]
fn every_setter_serializes_under_its_wire_name() {
    let params = ChatCompletionParams::new("m", vec![ChatMessage::system("be brief")])
        .models(["a/1", "b/2"])
        .template("t")
        .variables([("x", "1")])
        .variable("y", "2")
        .session_id("sess")
        .temperature(0.5)
        .max_tokens(64)
        .top_p(0.25)
        .frequency_penalty(0.125)
        .presence_penalty(-0.5)
        .stop("END")
        .seed(-7)
        .tools(vec![Tool::function(
            "f",
            "does f",
            json!({"type": "object"}),
        )])
        .tool_choice(ToolChoice::Required)
        .response_format(json!({"type": "json_object"}))
        .user("u-1")
        .modality("image")
        .image(
            ImageOptions::new()
                .n(2)
                .size("512x512")
                .quality("low")
                .response_format("b64_json"),
        )
        .async_mode(true)
        .modalities(["text", "audio"])
        .audio(AudioOptions::new().voice("alloy").format("mp3"))
        .timeout(12.5)
        .cache(false)
        .transforms(["middle-out"])
        .reasoning_effort("low");
    assert_eq!(
        serde_json::to_value(&params).unwrap(),
        json!({
            "model": "m",
            "messages": [{"role": "system", "content": "be brief"}],
            "models": ["a/1", "b/2"],
            "template": "t",
            "variables": {"x": "1", "y": "2"},
            "session_id": "sess",
            "temperature": 0.5,
            "max_tokens": 64,
            "top_p": 0.25,
            "frequency_penalty": 0.125,
            "presence_penalty": -0.5,
            "stop": "END",
            "seed": -7,
            "tools": [{"type": "function", "function": {
                "name": "f", "description": "does f", "parameters": {"type": "object"}}}],
            "tool_choice": "required",
            "response_format": {"type": "json_object"},
            "user": "u-1",
            "modality": "image",
            "image": {"n": 2, "size": "512x512", "quality": "low", "response_format": "b64_json"},
            "async_mode": true,
            "modalities": ["text", "audio"],
            "audio": {"voice": "alloy", "format": "mp3"},
            "timeout": 12.5,
            "cache": false,
            "transforms": ["middle-out"],
            "reasoning_effort": "low"
        })
    );
    // The mock gateway reads requests back with the same types.
    let echoed: ChatCompletionParams =
        serde_json::from_value(serde_json::to_value(&params).unwrap()).unwrap();
    assert_eq!(echoed, params);
}

#[test]
fn variables_replaces_and_variable_inserts() {
    let params = ChatCompletionParams::from_template("t", vec![])
        .variable("old", "gone")
        .variables([("a".to_owned(), "1".to_owned())])
        .variable("b", "2")
        .variable("a", "3");
    assert_eq!(
        serde_json::to_value(&params).unwrap()["variables"],
        json!({"a": "3", "b": "2"})
    );
}

#[test]
fn empty_sub_options_serialize_as_empty_objects() {
    let params = ChatCompletionParams::new("m", vec![])
        .image(ImageOptions::new())
        .audio(AudioOptions::new());
    assert_eq!(
        serde_json::to_string(&params).unwrap(),
        r#"{"model":"m","messages":[],"image":{},"audio":{}}"#
    );
}

#[test]
fn stop_variants_serialize_to_string_or_array() {
    let wire = |stop: Stop| serde_json::to_string(&stop).unwrap();
    assert_eq!(wire(Stop::from("a")), r#""a""#);
    assert_eq!(wire(Stop::from("a".to_owned())), r#""a""#);
    assert_eq!(
        wire(Stop::from(vec!["a".to_owned(), "b".to_owned()])),
        r#"["a","b"]"#
    );
    assert_eq!(wire(Stop::from(vec!["x"])), r#"["x"]"#);
    assert_eq!(
        serde_json::from_str::<Stop>(r#"["a"]"#).unwrap(),
        Stop::Many(vec!["a".into()])
    );
}

#[test]
fn tool_choice_variants_round_trip_the_wire_json() {
    for (choice, wire) in [
        (ToolChoice::Auto, r#""auto""#),
        (ToolChoice::None, r#""none""#),
        (ToolChoice::Required, r#""required""#),
        (
            ToolChoice::function("get_weather"),
            r#"{"type":"function","function":{"name":"get_weather"}}"#,
        ),
    ] {
        assert_eq!(serde_json::to_string(&choice).unwrap(), wire);
        assert_eq!(serde_json::from_str::<ToolChoice>(wire).unwrap(), choice);
    }
}

#[test]
fn tool_choice_rejects_unknown_values() {
    let err = serde_json::from_str::<ToolChoice>(r#""sometimes""#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown variant `sometimes`, expected one of `auto`, `none`, `required` at line 1 column 11"
    );
    let err = serde_json::from_str::<ToolChoice>(r#"{"type":"web","function":{"name":"f"}}"#)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"invalid value: string "web", expected "function" at line 1 column 38"#
    );
}

#[test]
fn content_parts_serialize_to_the_wire_json() {
    let message = ChatMessage::user_parts(vec![
        ContentPart::text("Describe these."),
        ContentPart::image_url("data:image/png;base64,AAAA"),
        ContentPart::ImageUrl {
            image_url: ImageUrl::new("https://x/y.png").detail("high"),
        },
        ContentPart::input_audio_base64("UklGRg==", "wav"),
        ContentPart::InputAudio {
            input_audio: InputAudio::new("mp3").url("https://x/a.mp3"),
        },
        ContentPart::video_url("https://x/v.mp4"),
        ContentPart::VideoUrl {
            video_url: VideoUrl::new("https://x/w.mp4"),
            fps: Some("0.5".into()),
        },
    ]);
    let wire = json!({
        "role": "user",
        "content": [
            {"type": "text", "text": "Describe these."},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "high"}},
            {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
            {"type": "input_audio", "input_audio": {"url": "https://x/a.mp3", "format": "mp3"}},
            {"type": "video_url", "video_url": {"url": "https://x/v.mp4"}},
            {"type": "video_url", "video_url": {"url": "https://x/w.mp4"}, "fps": "0.5"}
        ]
    });
    assert_eq!(serde_json::to_value(&message).unwrap(), wire);
    assert_eq!(
        serde_json::from_value::<ChatMessage>(wire).unwrap(),
        message
    );
}

#[test]
fn message_constructors_serialize_to_the_wire_json() {
    let call = ToolCall::function("call_9", "now", "{}");
    let messages = vec![
        ChatMessage::system("s"),
        ChatMessage::user("u").name("ann"),
        ChatMessage::assistant("a"),
        ChatMessage {
            content: None,
            ..ChatMessage::assistant("")
                .tool_calls(vec![call])
                .reasoning_details(vec![json!({"type": "reasoning.encrypted"})])
        },
        ChatMessage::tool("call_9", "12:00"),
    ];
    assert_eq!(
        serde_json::to_value(&messages).unwrap(),
        json!([
            {"role": "system", "content": "s"},
            {"role": "user", "content": "u", "name": "ann"},
            {"role": "assistant", "content": "a"},
            {"role": "assistant",
             "tool_calls": [{"id": "call_9", "type": "function",
                             "function": {"name": "now", "arguments": "{}"}}],
             "reasoning_details": [{"type": "reasoning.encrypted"}]},
            {"role": "tool", "content": "12:00", "tool_call_id": "call_9"}
        ])
    );
}

#[test]
fn message_content_conversions() {
    assert_eq!(MessageContent::from("a"), MessageContent::Text("a".into()));
    assert_eq!(
        MessageContent::from("a".to_owned()),
        MessageContent::Text("a".into())
    );
    assert_eq!(
        MessageContent::from(vec![ContentPart::text("a")]),
        MessageContent::Parts(vec![ContentPart::Text { text: "a".into() }])
    );
}

#[test]
fn accumulates_text_across_three_chunks() {
    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk_with_choices(json!([
        {"index": 0, "delta": {"role": "assistant", "content": "Hel"}, "finish_reason": null}
    ])));
    acc.push(&chunk_with_choices(json!([
        {"index": 0, "delta": {"content": "lo, "}, "finish_reason": null}
    ])));
    acc.push(&chunk_with_choices(json!([
        {"index": 0, "delta": {"content": "world"}, "finish_reason": "stop"}
    ])));
    let reply = acc.finish();
    assert_eq!(
        serde_json::to_value(&reply).unwrap(),
        json!({
            "id": "chatcmpl-s", "object": "chat.completion", "created": 1712345678,
            "model": "openai/gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "Hello, world"}}]
        })
    );
}

#[test]
fn accumulates_interleaved_parallel_tool_calls() {
    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk_with_choices(
        json!([{"index": 0, "delta": {"role": "assistant",
        "tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                        "function": {"name": "get_weather", "arguments": ""}}]}}]),
    ));
    acc.push(&chunk_with_choices(json!([{"index": 0, "delta": {
        "tool_calls": [{"index": 1, "id": "call_b", "type": "function",
                        "function": {"name": "get_time", "arguments": "{\"tz\":"}}]}}])));
    acc.push(&chunk_with_choices(json!([{"index": 0, "delta": {
        "tool_calls": [{"index": 0, "function": {"arguments": "{\"city\":"}}]}}])));
    acc.push(&chunk_with_choices(json!([{"index": 0, "delta": {
        "tool_calls": [{"index": 1, "function": {"arguments": "\"CET\"}"}},
                       {"index": 0, "function": {"arguments": "\"Paris\"}"}}]}}])));
    acc.push(&chunk_with_choices(json!([
        {"index": 0, "delta": {}, "finish_reason": "tool_calls"}
    ])));
    let reply = acc.finish();
    let message = &reply.choices[0].message;
    assert_eq!(message.content, None);
    assert_eq!(
        message.tool_calls,
        Some(vec![
            ToolCall::function("call_a", "get_weather", r#"{"city":"Paris"}"#),
            ToolCall::function("call_b", "get_time", r#"{"tz":"CET"}"#),
        ])
    );
    assert_eq!(
        reply.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
}

#[test]
fn accumulates_two_choices_sorted_by_index() {
    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk_with_choices(json!([
        {"index": 1, "delta": {"role": "assistant", "content": "B"}},
        {"index": 0, "delta": {"role": "assistant", "content": "A"}}
    ])));
    acc.push(&chunk_with_choices(json!([
        {"index": 0, "delta": {"content": "a"}, "finish_reason": "stop"}
    ])));
    acc.push(&chunk_with_choices(json!([
        {"index": 1, "delta": {"content": "b"}, "finish_reason": "length"}
    ])));
    let reply = acc.finish();
    let summary: Vec<_> = reply
        .choices
        .iter()
        .map(|c| {
            (
                c.index,
                c.message.content.as_deref(),
                c.finish_reason.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (0, Some("Aa"), Some("stop")),
            (1, Some("Bb"), Some("length"))
        ]
    );
}

#[test]
fn takes_usage_cost_and_fingerprint_from_the_chunks_that_carry_them() {
    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk(json!({
        "id": "chatcmpl-abc123", "object": "chat.completion.chunk", "created": 1712345678,
        "model": "openai/gpt-4o-mini", "system_fingerprint": "fp_1",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"},
                     "finish_reason": "stop"}]
    })));
    acc.push(
        &serde_json::from_str(include_str!(
            "../../../tests/fixtures/py_chat_completion_chunk_usage.json"
        ))
        .unwrap(),
    );
    let reply = acc.finish();
    assert_eq!(reply.id, "chatcmpl-abc123");
    assert_eq!(reply.created, 1712345678);
    assert_eq!(reply.model, "openai/gpt-4o-mini");
    assert_eq!(reply.system_fingerprint.as_deref(), Some("fp_1"));
    assert_eq!(reply.cost.as_deref(), Some("0.0000021"));
    assert_eq!(reply.choices.len(), 1);
    assert_eq!(reply.choices[0].message.content.as_deref(), Some("Hi"));
    let usage = reply.usage.unwrap();
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (14, 7, 21)
    );
    assert_eq!(
        usage.prompt_tokens_details,
        Some(json!({"cached_tokens": 0}))
    );
}

#[test]
fn no_content_delta_means_no_content_and_the_default_role() {
    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk_with_choices(json!([{"index": 0, "delta": {}}])));
    acc.push(&chunk_with_choices(json!([
        {"index": 0, "delta": {}, "finish_reason": "stop"}
    ])));
    let reply = acc.finish();
    assert_eq!(reply.choices[0].message.role, "assistant");
    assert_eq!(reply.choices[0].message.content, None);
    assert_eq!(reply.choices[0].message.tool_calls, None);

    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk_with_choices(
        json!([{"index": 0, "delta": {"content": ""}}]),
    ));
    assert_eq!(acc.finish().choices[0].message.content.as_deref(), Some(""));
}

#[test]
fn an_empty_stream_gives_an_empty_completion() {
    let reply = ChatCompletionAccumulator::new().finish();
    assert_eq!(
        serde_json::to_value(&reply).unwrap(),
        json!({"id": "", "object": "chat.completion", "created": 0, "model": "", "choices": []})
    );
}

#[test]
fn accumulates_unknown_fields_of_choices_deltas_and_tool_calls() {
    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk_with_choices(json!([{
        "index": 0, "native_finish_reason": null, "provider_rank": 1,
        "delta": {"role": "assistant", "refusal": null, "reasoning": "Let me ",
                  "annotations": [{"n": 1}], "mood": 1,
                  "tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                  "thought_signature": "c2ln", "extra_content": {"v": 1},
                                  "function": {"name": "f", "arguments": "{", "tag": "a"}}]}
    }])));
    acc.push(&chunk_with_choices(json!([{
        "index": 0, "native_finish_reason": "end_turn", "provider_rank": null,
        "delta": {"refusal": "I can", "reasoning": "think.", "annotations": [{"n": 2}],
                  "mood": null,
                  "tool_calls": [{"index": 0, "thought_signature": "Zw==",
                                  "extra_content": {"v": 2},
                                  "function": {"arguments": "}", "tag": "b"}}]}
    }])));
    acc.push(&chunk_with_choices(json!([{
        "index": 0, "native_finish_reason": null, "finish_reason": "tool_calls",
        "delta": {"refusal": "not.", "mood": 2}
    }])));
    let choice = acc.finish().choices.remove(0);
    // Choice level: the latest non-null value.
    assert_eq!(
        Value::Object(choice.extra),
        json!({"native_finish_reason": "end_turn", "provider_rank": 1})
    );
    // Delta level: fragments joined; null only fills a gap; other values replaced.
    assert_eq!(
        Value::Object(choice.message.extra),
        json!({"refusal": "I cannot.", "reasoning": "Let me think.",
               "annotations": [{"n": 1}, {"n": 2}], "mood": 2})
    );
    let call = choice.message.tool_calls.unwrap().remove(0);
    assert_eq!(call.function.arguments, "{}");
    assert_eq!(call.thought_signature.as_deref(), Some("c2lnZw=="));
    assert_eq!(
        Value::Object(call.extra.clone()),
        json!({"extra_content": {"v": 2}})
    );
    assert_eq!(
        Value::Object(call.function.extra.clone()),
        json!({"tag": "ab"})
    );
    assert_eq!(
        serde_json::to_value(&call).unwrap(),
        json!({"id": "call_1", "type": "function", "thought_signature": "c2lnZw==",
               "extra_content": {"v": 2},
               "function": {"name": "f", "arguments": "{}", "tag": "ab"}})
    );
}

#[test]
fn accumulated_usage_keeps_its_unknown_fields() {
    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk(json!({
        "id": "x", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                  "cost_details": {"upstream": "0.1"}}
    })));
    assert_eq!(
        acc.finish().usage.unwrap().extra["cost_details"],
        json!({"upstream": "0.1"})
    );
}

#[test]
fn accumulates_reasoning_audio_and_logprobs() {
    let mut acc = ChatCompletionAccumulator::new();
    acc.push(&chunk_with_choices(json!([{
        "index": 0,
        "delta": {"role": "assistant",
                  "reasoning_details": [{"type": "reasoning.text", "text": "a"}],
                  "audio": {"id": "audio_1", "data": "UklG", "transcript": "He"}},
        "logprobs": {"content": [{"token": "He", "logprob": -0.5}]}
    }])));
    acc.push(&chunk_with_choices(json!([{
        "index": 0,
        "delta": {"reasoning_details": [{"type": "reasoning.text", "text": "b"}],
                  "audio": {"data": "Rg==", "transcript": "llo", "expires_at": 9}},
        "logprobs": {"content": [{"token": "llo", "logprob": -0.25}]}
    }])));
    let choice = acc.finish().choices.remove(0);
    assert_eq!(
        choice.message.reasoning_details,
        Some(vec![
            json!({"type": "reasoning.text", "text": "a"}),
            json!({"type": "reasoning.text", "text": "b"}),
        ])
    );
    assert_eq!(
        choice.message.audio,
        Some(json!({"id": "audio_1", "data": "UklGRg==", "transcript": "Hello", "expires_at": 9}))
    );
    assert_eq!(
        choice.logprobs,
        Some(json!({"content": [{"token": "He", "logprob": -0.5},
                                {"token": "llo", "logprob": -0.25}]}))
    );
}
