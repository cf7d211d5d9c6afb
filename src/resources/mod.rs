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
pub mod models;
pub mod moderations;
pub mod rag;
#[cfg(feature = "realtime")]
pub mod realtime;
pub mod responses;
pub mod router;
pub mod templates;
pub mod videos;
pub mod web;
