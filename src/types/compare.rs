//! Request and response types of `POST /v1/chat/compare`: one prompt fanned out to several models.
