//! Request and response types of RAG files: upload, embed and search (`/v1/files`).
