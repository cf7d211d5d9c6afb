//! Everything that crosses the wire, against the crate's own mock gateway: what the server
//! received and what the caller got.

mod chat;
mod client;
mod common;
mod errors;
mod retries;
mod streams;
