//! Request and response types of batch jobs (`/v1/batches`).
