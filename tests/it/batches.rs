//! batches: what the server received and what the caller got.
