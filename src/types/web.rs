//! Request and response types of web search (`POST /v1/web/search`).
