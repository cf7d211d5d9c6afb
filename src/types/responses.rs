//! Request and response types of the Responses API (`/v1/responses`).
