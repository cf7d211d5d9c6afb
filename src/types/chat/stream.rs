//! The chunks of a streamed call, and the accumulator that folds them into a whole reply.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::response::{
    ChatCompletionMessage, ChatCompletionResponse, Choice, FunctionCall, ToolCall, content_text,
    function_type,
};
use crate::types::shared::Usage;

/// One event of a streamed chat completion (`chat.completion.chunk`).
///
/// The last chunk before `[DONE]` usually has empty `choices` and carries `usage` and `cost`.
///
/// ```
/// use meshapi::ChatCompletionChunk;
///
/// let chunk: ChatCompletionChunk = serde_json::from_str(r#"{
///     "id": "chatcmpl-abc123", "object": "chat.completion.chunk", "created": 1712345678,
///     "model": "openai/gpt-4o-mini",
///     "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hello"},
///                  "finish_reason": null}]
/// }"#)?;
/// assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("Hello"));
/// assert_eq!(chunk.choices[0].finish_reason, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ChatCompletionChunk {
    /// Completion id, the same on every chunk of a stream.
    pub id: String,
    /// `chat.completion.chunk`.
    pub object: String,
    /// Creation time, Unix seconds.
    pub created: u64,
    /// The model that answers.
    pub model: String,
    /// Deltas, one per choice that advanced; empty on the final usage chunk.
    pub choices: Vec<ChunkChoice>,
    /// Token counts, on the final chunk. Boxed, because only that chunk has them: every other
    /// chunk is smaller by the size of a `Usage`, and a stream moves each chunk several times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<Box<Usage>>,
    /// Price of the request in USD as a decimal string, on the final chunk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    /// Provider backend fingerprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One choice's progress in a [`ChatCompletionChunk`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ChunkChoice {
    /// Which choice advanced.
    pub index: u32,
    /// What was added (empty when the server sends none).
    pub delta: Delta,
    /// Set on the choice's last chunk: `stop`, `length`, `tool_calls`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    /// Log probabilities of this delta's tokens, when requested. Boxed, like
    /// [`ChatCompletionChunk::usage`], so that a chunk without them stays small.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<Box<Value>>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The fragment of a message carried by one [`ChunkChoice`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Delta {
    /// Role, usually only on the first chunk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Text to append (content-part arrays are joined as in [`ChatCompletionMessage::content`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Tool-call fragments, to be joined per [`ToolCallDelta::index`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCallDelta>>,
    /// Audio fragment, when audio output was requested. Boxed, like
    /// [`ChatCompletionChunk::usage`], so that a delta without one stays small.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<Box<Value>>,
    /// Reasoning blocks, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning_details: Option<Vec<Value>>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A fragment of one tool call in a [`Delta`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ToolCallDelta {
    /// Which tool call of the message this fragment belongs to.
    pub index: u32,
    /// Call id, usually on the call's first fragment only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `function`, usually on the call's first fragment only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Name and argument fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionCallDelta>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The function part of a [`ToolCallDelta`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FunctionCallDelta {
    /// Function name, usually on the call's first fragment only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Piece of the arguments' JSON text, to append to the previous ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// Every streamed chunk is made of these five types, so they decode by hand. For a struct with
// a flattened `extra` map, serde's derive buffers each unknown field's value into an
// intermediate tree to decode it again at the end, and carries every field name through an
// enum as large as that tree; a chunk decoded by hand takes about a tenth less time. They accept
// and reject what the derive did, with its messages: a known field twice is an error, an unknown
// field twice keeps its last value, a missing `Option` is `None`.

impl<'de> Deserialize<'de> for ChatCompletionChunk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ChunkVisitor;

        impl<'de> Visitor<'de> for ChunkVisitor {
            type Value = ChatCompletionChunk;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("struct ChatCompletionChunk")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut id, mut object, mut created, mut model) = (None, None, None, None);
                let mut choices = None::<Items<_>>;
                let (mut usage, mut cost, mut system_fingerprint) = (None, None, None);
                let mut extra = Map::new();
                while let Some(FieldName(name)) = map.next_key()? {
                    match &*name {
                        "id" => field(&mut map, &mut id, "id")?,
                        "object" => field(&mut map, &mut object, "object")?,
                        "created" => field(&mut map, &mut created, "created")?,
                        "model" => field(&mut map, &mut model, "model")?,
                        "choices" => field(&mut map, &mut choices, "choices")?,
                        "usage" => field(&mut map, &mut usage, "usage")?,
                        "cost" => field(&mut map, &mut cost, "cost")?,
                        "system_fingerprint" => {
                            field(&mut map, &mut system_fingerprint, "system_fingerprint")?
                        }
                        _ => unknown(&mut map, &mut extra, name)?,
                    }
                }
                Ok(ChatCompletionChunk {
                    id: required(id, "id")?,
                    object: required(object, "object")?,
                    created: required(created, "created")?,
                    model: required(model, "model")?,
                    choices: required(choices, "choices").map(|Items(choices)| choices)?,
                    usage: usage.flatten(),
                    cost: cost.flatten(),
                    system_fingerprint: system_fingerprint.flatten(),
                    extra,
                })
            }
        }

        deserializer.deserialize_map(ChunkVisitor)
    }
}

impl<'de> Deserialize<'de> for ChunkChoice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ChoiceVisitor;

        impl<'de> Visitor<'de> for ChoiceVisitor {
            type Value = ChunkChoice;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("struct ChunkChoice")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut index, mut delta, mut finish_reason, mut logprobs) =
                    (None, None, None, None);
                let mut extra = Map::new();
                while let Some(FieldName(name)) = map.next_key()? {
                    match &*name {
                        "index" => field(&mut map, &mut index, "index")?,
                        "delta" => field(&mut map, &mut delta, "delta")?,
                        "finish_reason" => field(&mut map, &mut finish_reason, "finish_reason")?,
                        "logprobs" => field(&mut map, &mut logprobs, "logprobs")?,
                        _ => unknown(&mut map, &mut extra, name)?,
                    }
                }
                Ok(ChunkChoice {
                    index: required(index, "index")?,
                    delta: delta.unwrap_or_default(),
                    finish_reason: finish_reason.flatten(),
                    logprobs: logprobs.flatten(),
                    extra,
                })
            }
        }

        deserializer.deserialize_map(ChoiceVisitor)
    }
}

impl<'de> Deserialize<'de> for Delta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DeltaVisitor;

        impl<'de> Visitor<'de> for DeltaVisitor {
            type Value = Delta;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("struct Delta")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut role, mut content) = (None, None::<ContentText>);
                let mut tool_calls = None::<Option<Items<_>>>;
                let (mut audio, mut reasoning_details) = (None, None);
                let mut extra = Map::new();
                while let Some(FieldName(name)) = map.next_key()? {
                    match &*name {
                        "role" => field(&mut map, &mut role, "role")?,
                        "content" => field(&mut map, &mut content, "content")?,
                        "tool_calls" => field(&mut map, &mut tool_calls, "tool_calls")?,
                        "audio" => field(&mut map, &mut audio, "audio")?,
                        "reasoning_details" => {
                            field(&mut map, &mut reasoning_details, "reasoning_details")?
                        }
                        _ => unknown(&mut map, &mut extra, name)?,
                    }
                }
                Ok(Delta {
                    role: role.flatten(),
                    content: content.and_then(|ContentText(text)| text),
                    tool_calls: tool_calls.flatten().map(|Items(calls)| calls),
                    audio: audio.flatten(),
                    reasoning_details: reasoning_details.flatten(),
                    extra,
                })
            }
        }

        deserializer.deserialize_map(DeltaVisitor)
    }
}

impl<'de> Deserialize<'de> for ToolCallDelta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ToolCallVisitor;

        impl<'de> Visitor<'de> for ToolCallVisitor {
            type Value = ToolCallDelta;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("struct ToolCallDelta")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut index, mut id, mut r#type, mut function) = (None, None, None, None);
                let mut extra = Map::new();
                while let Some(FieldName(name)) = map.next_key()? {
                    match &*name {
                        "index" => field(&mut map, &mut index, "index")?,
                        "id" => field(&mut map, &mut id, "id")?,
                        "type" => field(&mut map, &mut r#type, "type")?,
                        "function" => field(&mut map, &mut function, "function")?,
                        _ => unknown(&mut map, &mut extra, name)?,
                    }
                }
                Ok(ToolCallDelta {
                    index: required(index, "index")?,
                    id: id.flatten(),
                    r#type: r#type.flatten(),
                    function: function.flatten(),
                    extra,
                })
            }
        }

        deserializer.deserialize_map(ToolCallVisitor)
    }
}

impl<'de> Deserialize<'de> for FunctionCallDelta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FunctionVisitor;

        impl<'de> Visitor<'de> for FunctionVisitor {
            type Value = FunctionCallDelta;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("struct FunctionCallDelta")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut name, mut arguments) = (None, None);
                let mut extra = Map::new();
                while let Some(FieldName(key)) = map.next_key()? {
                    match &*key {
                        "name" => field(&mut map, &mut name, "name")?,
                        "arguments" => field(&mut map, &mut arguments, "arguments")?,
                        _ => unknown(&mut map, &mut extra, key)?,
                    }
                }
                Ok(FunctionCallDelta {
                    name: name.flatten(),
                    arguments: arguments.flatten(),
                    extra,
                })
            }
        }

        deserializer.deserialize_map(FunctionVisitor)
    }
}

/// A chunk's `choices` or a delta's `tool_calls`: a `Vec` the size of one item until a second
/// arrives. A chunk almost always carries one of each, and a `Vec`'s first growth makes room
/// for four.
struct Items<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ItemsVisitor<T> {
            type Value = Items<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(1);
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Items(items))
            }
        }

        deserializer.deserialize_seq(ItemsVisitor(PhantomData))
    }
}

/// A field name, borrowed from the input unless it had to be unescaped.
struct FieldName<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = FieldName<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Borrowed(name)))
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(name.to_owned())))
            }

            fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(name)))
            }
        }

        deserializer.deserialize_identifier(NameVisitor)
    }
}

/// `content` read as [`ChatCompletionMessage::content`] reads it.
struct ContentText(Option<String>);

impl<'de> Deserialize<'de> for ContentText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        content_text(deserializer).map(ContentText)
    }
}

/// Decodes the value of the known field `name` into its empty `slot`.
fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps the value of a field the type does not name in `extra`.
fn unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut Map<String, Value>,
    name: Cow<'de, str>,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    extra.insert(name.into_owned(), value);
    Ok(())
}

/// The value of the field `name`, which the type cannot do without.
fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// Folds the chunks of a stream into the [`ChatCompletionResponse`] a non-streaming call would
/// have returned.
///
/// Per choice `index`: the first role, the concatenated text, the last finish reason, and the
/// tool calls joined per tool-call `index` (argument fragments concatenated in order).
/// Reasoning blocks are kept in order; audio fragments have their `data` and `transcript`
/// concatenated; log-probability arrays are appended. `usage` (with its `extra`) and `cost`
/// come from the chunk that carries them.
///
/// Unknown fields (`extra`) are carried over level by level:
/// - a chunk's go to the response, each as the latest chunk sent it;
/// - a choice's go to the [`Choice`], each with its latest non-null value;
/// - a [`Delta`]'s go to the [`ChatCompletionMessage`], a [`ToolCallDelta`]'s to the
///   [`ToolCall`] and a [`FunctionCallDelta`]'s to the [`FunctionCall`]. These are fragments,
///   like `content` and `arguments`: strings are appended (so a streamed `refusal` or
///   `reasoning` text arrives whole), arrays are extended, `null` only fills a gap, and any
///   other value replaces the previous one. A streamed `thought_signature` string becomes
///   [`ToolCall::thought_signature`].
///
/// ```
/// use meshapi::ChatCompletionChunk;
/// use meshapi::types::chat::ChatCompletionAccumulator;
///
/// let frames = [
///     r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
///         "choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"#,
///     r#"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",
///         "choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}"#,
/// ];
/// let mut acc = ChatCompletionAccumulator::new();
/// for frame in frames {
///     acc.push(&serde_json::from_str::<ChatCompletionChunk>(frame)?);
/// }
/// let reply = acc.finish();
/// assert_eq!(reply.object, "chat.completion");
/// assert_eq!(reply.choices[0].message.content.as_deref(), Some("Hello"));
/// assert_eq!(reply.choices[0].finish_reason.as_deref(), Some("stop"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct ChatCompletionAccumulator {
    id: String,
    created: u64,
    model: String,
    system_fingerprint: Option<String>,
    choices: BTreeMap<u32, ChoiceState>,
    usage: Option<Usage>,
    cost: Option<String>,
    extra: Map<String, Value>,
}

#[derive(Debug, Default)]
struct ChoiceState {
    role: Option<String>,
    content: Option<String>,
    finish_reason: Option<String>,
    logprobs: Option<Value>,
    tool_calls: BTreeMap<u32, ToolCallState>,
    audio: Option<Value>,
    reasoning_details: Option<Vec<Value>>,
    extra: Map<String, Value>,
    message_extra: Map<String, Value>,
}

#[derive(Debug, Default)]
struct ToolCallState {
    id: Option<String>,
    r#type: Option<String>,
    name: Option<String>,
    arguments: String,
    extra: Map<String, Value>,
    function_extra: Map<String, Value>,
}

impl ChatCompletionAccumulator {
    /// An accumulator that has seen no chunk.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one chunk, in stream order.
    pub fn push(&mut self, chunk: &ChatCompletionChunk) {
        if self.id.is_empty() {
            self.id.clone_from(&chunk.id);
        }
        if self.model.is_empty() {
            self.model.clone_from(&chunk.model);
        }
        if self.created == 0 {
            self.created = chunk.created;
        }
        if chunk.system_fingerprint.is_some() {
            self.system_fingerprint
                .clone_from(&chunk.system_fingerprint);
        }
        if let Some(usage) = &chunk.usage {
            self.usage = Some(Usage::clone(usage));
        }
        if chunk.cost.is_some() {
            self.cost.clone_from(&chunk.cost);
        }
        for choice in &chunk.choices {
            self.choices.entry(choice.index).or_default().push(choice);
        }
        // Unknown fields are kept as the latest chunk sent them.
        for (key, value) in &chunk.extra {
            self.extra.insert(key.clone(), value.clone());
        }
    }

    /// The response assembled from every chunk pushed so far.
    pub fn finish(mut self) -> ChatCompletionResponse {
        // Chunks carry these as fields the chunk type does not name; the whole response does.
        // A value of another type stays in `extra`.
        let extra = &mut self.extra;
        let service_tier = take_typed(extra, "service_tier");
        let x_auto_routed = take_typed(extra, "x_auto_routed");
        let x_resolved_model_id = take_typed(extra, "x_resolved_model_id");
        let x_auto_routed_fallback = take_typed(extra, "x_auto_routed_fallback");
        let x_auto_routed_fallback_reason = take_typed(extra, "x_auto_routed_fallback_reason");
        let x_classifier_usage = take_typed(extra, "x_classifier_usage");
        ChatCompletionResponse {
            meta: crate::meta::Meta::default(),
            service_tier,
            x_auto_routed,
            x_resolved_model_id,
            x_auto_routed_fallback,
            x_auto_routed_fallback_reason,
            x_classifier_usage,
            id: self.id,
            object: "chat.completion".to_owned(),
            created: self.created,
            model: self.model,
            choices: self
                .choices
                .into_iter()
                .map(|(index, state)| state.finish(index))
                .collect(),
            usage: self.usage,
            system_fingerprint: self.system_fingerprint,
            cost: self.cost,
            extra: self.extra,
        }
    }
}

/// `extra[key]` as a `T`, removed from `extra`, when it is one.
fn take_typed<T: serde::de::DeserializeOwned>(
    extra: &mut Map<String, Value>,
    key: &str,
) -> Option<T> {
    let value = T::deserialize(extra.get(key)?).ok()?;
    extra.remove(key);
    Some(value)
}

impl ChoiceState {
    fn push(&mut self, choice: &ChunkChoice) {
        let delta = &choice.delta;
        if self.role.is_none() {
            self.role.clone_from(&delta.role);
        }
        if let Some(text) = &delta.content {
            self.content.get_or_insert_with(String::new).push_str(text);
        }
        if choice.finish_reason.is_some() {
            self.finish_reason.clone_from(&choice.finish_reason);
        }
        for call in delta.tool_calls.iter().flatten() {
            self.tool_calls.entry(call.index).or_default().push(call);
        }
        if let Some(details) = &delta.reasoning_details {
            self.reasoning_details
                .get_or_insert_with(Vec::new)
                .extend_from_slice(details);
        }
        if let Some(audio) = &delta.audio {
            merge_fragment(&mut self.audio, audio);
        }
        if let Some(logprobs) = &choice.logprobs {
            merge_fragment(&mut self.logprobs, logprobs);
        }
        merge_latest(&mut self.extra, &choice.extra);
        merge_delta(&mut self.message_extra, &delta.extra);
    }

    fn finish(self, index: u32) -> Choice {
        let tool_calls = (!self.tool_calls.is_empty()).then(|| {
            self.tool_calls
                .into_values()
                .map(ToolCallState::finish)
                .collect()
        });
        Choice {
            index,
            message: ChatCompletionMessage {
                role: self.role.unwrap_or_else(|| "assistant".to_owned()),
                content: self.content,
                tool_calls,
                audio: self.audio,
                reasoning_details: self.reasoning_details,
                extra: self.message_extra,
            },
            finish_reason: self.finish_reason,
            logprobs: self.logprobs,
            extra: self.extra,
        }
    }
}

impl ToolCallState {
    fn push(&mut self, call: &ToolCallDelta) {
        if call.id.is_some() {
            self.id.clone_from(&call.id);
        }
        if call.r#type.is_some() {
            self.r#type.clone_from(&call.r#type);
        }
        if let Some(function) = &call.function {
            if function.name.is_some() {
                self.name.clone_from(&function.name);
            }
            if let Some(arguments) = &function.arguments {
                self.arguments.push_str(arguments);
            }
            merge_delta(&mut self.function_extra, &function.extra);
        }
        merge_delta(&mut self.extra, &call.extra);
    }

    fn finish(mut self) -> ToolCall {
        // A known field of ToolCall, but not of ToolCallDelta: left in `extra` it would be
        // serialized twice on replay.
        let thought_signature = match self.extra.remove("thought_signature") {
            Some(Value::String(signature)) => Some(signature),
            Some(other) => {
                self.extra.insert("thought_signature".to_owned(), other);
                None
            }
            None => None,
        };
        ToolCall {
            id: self.id.unwrap_or_default(),
            r#type: self.r#type.unwrap_or_else(function_type),
            function: FunctionCall {
                name: self.name.unwrap_or_default(),
                arguments: self.arguments,
                extra: self.function_extra,
            },
            thought_signature,
            extra: self.extra,
        }
    }
}

/// Folds the unknown fields of one choice into those seen before: each takes its latest
/// non-null value, as `finish_reason` does.
fn merge_latest(accumulated: &mut Map<String, Value>, fields: &Map<String, Value>) {
    for (key, value) in fields {
        if value.is_null() && accumulated.contains_key(key) {
            continue;
        }
        accumulated.insert(key.clone(), value.clone());
    }
}

/// Folds the unknown fields of one delta into those seen before, as fragments: strings are
/// appended and arrays extended (the way `content` and `arguments` are joined), `null` only
/// fills a gap, and any other value replaces the previous one.
fn merge_delta(accumulated: &mut Map<String, Value>, fragment: &Map<String, Value>) {
    for (key, value) in fragment {
        match (accumulated.get_mut(key), value) {
            (Some(Value::String(acc)), Value::String(more)) => acc.push_str(more),
            (Some(Value::Array(acc)), Value::Array(more)) => acc.extend_from_slice(more),
            (Some(_), Value::Null) => {}
            _ => {
                accumulated.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Merges one streamed fragment object into the accumulated one, the way OpenAI-style streams
/// split them: arrays (log-probability lists) are appended, the audio `data` and `transcript`
/// strings are concatenated, and any other key takes its latest value.
fn merge_fragment(accumulated: &mut Option<Value>, fragment: &Value) {
    let (Some(Value::Object(acc)), Value::Object(fragment)) = (accumulated.as_mut(), fragment)
    else {
        *accumulated = Some(fragment.clone());
        return;
    };
    for (key, value) in fragment {
        match (acc.get_mut(key), value) {
            (Some(Value::Array(acc)), Value::Array(more)) => acc.extend_from_slice(more),
            (Some(Value::String(acc)), Value::String(more))
                if key == "data" || key == "transcript" =>
            {
                acc.push_str(more);
            }
            _ => {
                acc.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chunk(value: Value) -> ChatCompletionChunk {
        serde_json::from_value(value).unwrap()
    }

    fn chunk_with_choices(choices: Value) -> ChatCompletionChunk {
        chunk(json!({
            "id": "chatcmpl-s", "object": "chat.completion.chunk", "created": 1712345678,
            "model": "openai/gpt-4o-mini", "choices": choices
        }))
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
    fn chunk_decoding_accepts_and_rejects_what_the_derive_did() {
        let decode = |text: &str| {
            serde_json::from_str::<ChatCompletionChunk>(text).map_err(|error| error.to_string())
        };
        let head = r#""id":"c","object":"o","created":1,"model":"m""#;

        let chunk = decode(
            r#"{"\u0069d":"c","object":"o","created":1,"model":"m","z":1,"z":2,"cost":null,
                "choices":[{"index":0,"delta":{"content":[{"type":"text","text":"a"},
                {"type":"text","text":"b"}],"role":null,"tool_calls":[{"index":0,"id":null,
                "function":{"arguments":"{","x":1}}]}},{"index":1}]}"#,
        )
        .unwrap();
        assert_eq!(chunk.id, "c");
        assert_eq!(Value::Object(chunk.extra.clone()), json!({"z": 2}));
        assert_eq!(chunk.cost, None);
        assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("ab"));
        assert_eq!(chunk.choices[0].delta.role, None);
        assert_eq!(chunk.choices[1].delta, Delta::default());
        let calls = chunk.choices[0].delta.tool_calls.as_ref().unwrap();
        assert_eq!((calls.len(), calls.capacity()), (1, 1));
        assert_eq!(calls[0].id, None);
        assert_eq!(
            serde_json::to_value(&chunk).unwrap(),
            json!({"id": "c", "object": "o", "created": 1, "model": "m", "z": 2,
                   "choices": [{"index": 0, "delta": {"content": "ab", "tool_calls": [
                                    {"index": 0, "function": {"arguments": "{", "x": 1}}]}},
                               {"index": 1, "delta": {}}]})
        );
        let one = decode(&format!(r#"{{{head},"choices":[{{"index":0}}]}}"#)).unwrap();
        assert_eq!(one.choices.capacity(), 1);

        for (text, error) in [
            (r#"{"id":"c","id":"d"}"#.to_owned(), "duplicate field `id`"),
            (
                format!(r#"{{{head},"cost":"1","cost":"2","choices":[]}}"#),
                "duplicate field `cost`",
            ),
            (
                format!(r#"{{{head},"choices":[{{"index":0,"index":1}}]}}"#),
                "duplicate field `index`",
            ),
            (
                format!(
                    r#"{{{head},"choices":[{{"index":0,"delta":{{"content":"a","content":"b"}}}}]}}"#
                ),
                "duplicate field `content`",
            ),
            (format!(r#"{{{head}}}"#), "missing field `choices`"),
            (
                format!(r#"{{{head},"choices":[{{"delta":{{}}}}]}}"#),
                "missing field `index`",
            ),
            (
                format!(r#"{{{head},"choices":[{{"index":0,"delta":null}}]}}"#),
                "invalid type: null, expected struct Delta",
            ),
            (
                format!(r#"{{{head},"choices":[{{"index":0,"delta":{{"tool_calls":[{{}}]}}}}]}}"#),
                "missing field `index`",
            ),
            (
                format!(
                    r#"{{{head},"choices":[{{"index":0,"delta":{{"tool_calls":[{{"index":0,
                        "function":{{"name":"a","name":"b"}}}}]}}}}]}}"#
                ),
                "duplicate field `name`",
            ),
            (
                format!(r#"{{{head},"choices":null}}"#),
                "invalid type: null, expected a sequence",
            ),
            (
                r#"["c"]"#.to_owned(),
                "invalid type: sequence, expected struct ChatCompletionChunk",
            ),
        ] {
            let got = decode(&text).unwrap_err();
            assert!(got.starts_with(error), "{text}: {got}");
        }
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
            Some(
                json!({"id": "audio_1", "data": "UklGRg==", "transcript": "Hello", "expires_at": 9})
            )
        );
        assert_eq!(
            choice.logprobs,
            Some(json!({"content": [{"token": "He", "logprob": -0.5},
                                    {"token": "llo", "logprob": -0.25}]}))
        );
    }
}
