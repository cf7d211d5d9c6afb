//! Resource handles: one per API resource, borrowed from a [`Client`](crate::Client).
//!
//! A handle is a cheap copy of a reference to the client; make one per call
//! (`client.models().list(..)`) or keep it, as you like.

pub mod audio;
pub mod batches;
pub mod chat;
pub mod compare;
pub mod embeddings;
pub mod images;
pub mod messages;
pub mod models;
pub mod moderations;
pub mod rag;
#[cfg(feature = "realtime")]
pub mod realtime;
pub mod responses;
pub mod router;
pub mod templates;
pub mod usage;
pub mod videos;
pub mod web;

use serde::Serialize;

/// A request body: the caller's params with the `stream` flag, which the method decides, so
/// that one params type serves the whole and the streamed call.
#[derive(Serialize)]
pub(crate) struct WithStream<'a, P> {
    #[serde(flatten)]
    params: &'a P,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<bool>,
}

impl<'a, P> WithStream<'a, P> {
    /// `params` with `"stream": stream`.
    pub(crate) fn new(params: &'a P, stream: bool) -> WithStream<'a, P> {
        WithStream {
            params,
            stream: Some(stream),
        }
    }

    /// `params` without a `stream` field, for endpoints whose default is not to stream.
    pub(crate) fn unset(params: &'a P) -> WithStream<'a, P> {
        WithStream {
            params,
            stream: None,
        }
    }
}
