//! Request and response types of speech, transcription, translation and voices (`/v1/audio`).
