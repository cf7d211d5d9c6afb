//! Request and response types of video generation tasks (`/v1/video/generations`).
