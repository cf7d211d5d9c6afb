//! Request and response types of the model catalogue (`/v1/models`).
