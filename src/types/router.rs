//! Request and response types of the auto-router's model choice (`POST /v1/router/select`).
