//! Events of the realtime WebSocket API (`/v1/realtime`).
