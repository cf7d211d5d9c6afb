//! Chat completions: `POST /v1/chat/completions`, whole and streamed.
//!
//! - Request: [`ChatCompletionParams`] with [`ChatMessage`]s, [`ContentPart`]s and [`Tool`]s.
//! - Response: [`ChatCompletionResponse`].
//! - Stream: one [`ChatCompletionChunk`] per event; [`ChatCompletionAccumulator`] folds the
//!   chunks back into a [`ChatCompletionResponse`].

mod message;
mod params;
mod response;
mod stream;
mod structured;

pub use message::{ChatMessage, ContentPart, ImageUrl, InputAudio, MessageContent, Role, VideoUrl};
pub use params::{
    AudioOptions, ChatCompletionParams, ImageOptions, Stop, StreamOptions, Tool, ToolChoice,
    ToolFunction,
};
pub use response::{ChatCompletionMessage, ChatCompletionResponse, Choice, FunctionCall, ToolCall};
pub use stream::{
    ChatCompletionAccumulator, ChatCompletionChunk, ChunkChoice, Delta, FunctionCallDelta,
    ToolCallDelta,
};
pub use structured::{ParsedCompletion, StructuredOutput};
