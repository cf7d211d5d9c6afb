//! Request and response bodies, one module per API resource.
//!
//! These are plain serde types with no I/O, so they can be built, inspected and tested without a
//! client. Field names are exactly the wire names of the MeshAPI gateway.
//!
//! - Requests hold their optional fields as `Option`s that are left out of the JSON body when
//!   unset (never sent as `null`), and are built with `new(..)` plus chainable setters named
//!   after the field.
//! - Responses tolerate fields they do not know, so a gateway that adds fields does not break
//!   older SDK versions. Money values the gateway sends as decimal strings (such as `cost`) stay
//!   strings, so no precision is lost to floating point.
//! - Structs and enums are `#[non_exhaustive]`: new API fields arrive without a breaking change.
//!   Build requests with their constructors and setters; read responses through their public
//!   fields.

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
pub mod realtime;
pub mod responses;
pub mod router;
pub mod shared;
pub mod templates;
pub mod usage;
pub mod versions;
pub mod videos;
pub mod web;
