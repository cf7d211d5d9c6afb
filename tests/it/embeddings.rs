//! embeddings: what the server received and what the caller got.
