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

pub use message::{
    ChatMessage, ContentPart, FunctionCall, ImageUrl, InputAudio, MessageContent, Role, ToolCall,
    VideoUrl,
};
pub use params::{
    AudioOptions, ChatCompletionParams, ImageOptions, Stop, Tool, ToolChoice, ToolFunction,
};
pub use response::{ChatCompletionMessage, ChatCompletionResponse, Choice};
pub use stream::{
    ChatCompletionAccumulator, ChatCompletionChunk, ChunkChoice, Delta, FunctionCallDelta,
    ToolCallDelta,
};
pub use structured::{ParsedCompletion, StructuredOutput};

// Shared between the request and response sides.
use message::function_type;
use response::content_text;

#[cfg(test)]
mod tests;
