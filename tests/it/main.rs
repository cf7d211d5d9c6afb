//! Everything that crosses the wire, against the crate's own mock gateway: what the server
//! received and what the caller got.

mod audio;
mod batches;
mod chat;
mod client;
mod common;
mod compare;
mod control;
mod embeddings;
mod errors;
mod fields;
mod hostile;
mod hostile_accessors;
mod images;
mod messages;
mod mock;
mod mock_script;
mod models;
mod moderations;
mod providers;
mod proxy;
mod rag;
mod realtime;
mod responses;
mod retries;
mod router;
mod streams;
mod templates;
mod usage;
mod videos;
mod web;
