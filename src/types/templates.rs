//! Request and response types of prompt templates (`/v1/templates`).
