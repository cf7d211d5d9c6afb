//! Request and response types of image generation and editing (`/v1/images`).
