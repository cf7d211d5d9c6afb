//! Request and response types of `POST /v1/embeddings`.
