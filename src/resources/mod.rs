//! Resource handles: thin borrowers of a [`Client`](crate::Client), one module per API resource.
//!
//! A handle only knows its paths and which request shape each method sends; the client does the
//! sending, retrying and decoding.

pub mod chat;
