//! Default answers for `/v1/audio/...`: speech as a small WAV file, transcriptions and
//! translations that describe the upload, stored transcriptions, and a fixed set of voices.

use std::time::Duration;

use serde_json::{Value, json};

use super::{State, invalid_field, not_found, ok, query_pairs};
use crate::mock::{FormPart, MockReply, RecordedRequest};

/// The mock's WAV: 8-bit mono PCM at this rate, this many samples per byte of input.
const SAMPLE_RATE: u32 = 8000;
const SAMPLES_PER_BYTE: usize = 64;
/// Only this much of `input` is voiced. Every input byte becomes 64 samples, so a 64 MiB body
/// would otherwise ask for 4 GiB of audio, more than a WAV's 32-bit sizes can describe.
const MAX_SPEECH_INPUT: usize = 64 * 1024;
/// A streamed speech answer is sent in chunks of this size.
const SPEECH_CHUNK: usize = 1024;
const DEFAULT_PAGE_SIZE: usize = 10;
const MAX_PAGE_SIZE: usize = 100;
const PAGE_TOKEN_PREFIX: &str = "vp_";

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    let rest = request.path.strip_prefix("/v1/audio/")?;
    let reply = match (request.method.as_str(), rest) {
        ("POST", "speech") => speech(request),
        ("POST", "transcriptions") => transcribe(request, state),
        ("POST", "transcriptions/translate") => translate(request, false),
        ("POST", "translations") => translate(request, true),
        ("GET", "voices") => list_voices(&request.query),
        ("GET", rest) => {
            if let Some(id) = rest.strip_prefix("transcriptions/") {
                get_transcription(id, state)
            } else if let Some(id) = rest.strip_prefix("voices/") {
                get_voice(id)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(reply)
}

/// `POST /v1/audio/speech`: a WAV file derived from `input`; chunked when `stream` is true.
fn speech(request: &RecordedRequest) -> MockReply {
    let body = request.body_json().unwrap_or(Value::Null);
    let Some(input) = body.get("input").and_then(Value::as_str) else {
        return invalid_field("input", "Field required");
    };
    let audio = wav(input);
    let reply = MockReply::new(200).header("Content-Type", "audio/wav");
    if body.get("stream") == Some(&Value::Bool(true)) {
        audio
            .chunks(SPEECH_CHUNK)
            .fold(reply, |reply, chunk| reply.raw(chunk.to_vec()))
            // A pause makes the reply chunked, as a provider streaming audio would send it.
            .pause(Duration::ZERO)
    } else {
        reply.body(audio)
    }
}

/// A playable 8-bit mono WAV: per byte of `text` (of its first [`MAX_SPEECH_INPUT`] bytes), a
/// burst of a triangle wave whose pitch depends on the byte, so the same text always gives the
/// same file.
fn wav(text: &str) -> Vec<u8> {
    let samples: Vec<u8> = text
        .bytes()
        .take(MAX_SPEECH_INPUT)
        .flat_map(|byte| {
            let step = 1 + usize::from(byte % 8);
            (0..SAMPLES_PER_BYTE).map(move |i| {
                let phase = (i * step) % 64;
                let level = if phase < 32 { phase } else { 63 - phase };
                // 96..=158, centred on the 8-bit silence level 128.
                (96 + level * 2) as u8
            })
        })
        .collect();
    // At most 64 Ki × 64 = 4 MiB of samples, so both sizes fit the header's u32s.
    let data_len = u32::try_from(samples.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(44 + samples.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes()); // bytes per second
    out.extend_from_slice(&1u16.to_le_bytes()); // bytes per sample frame
    out.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.extend_from_slice(&samples);
    out
}

/// The form's parts, or the 422 FastAPI gives when the required `file` is missing.
fn form(request: &RecordedRequest) -> Result<Vec<FormPart>, MockReply> {
    let parts = request.multipart().unwrap_or_default();
    if parts
        .iter()
        .any(|p| p.name == "file" && p.filename.is_some())
    {
        Ok(parts)
    } else {
        Err(invalid_field("file", "Field required"))
    }
}

fn text_part(parts: &[FormPart], name: &str) -> Option<String> {
    parts
        .iter()
        .find(|p| p.name == name && p.filename.is_none())
        .map(FormPart::text)
        .filter(|text| !text.is_empty())
}

/// The upload's size and file name, for the answer's text.
fn describe(parts: &[FormPart]) -> (usize, String) {
    parts
        .iter()
        .find(|p| p.name == "file")
        .map(|p| (p.data.len(), p.filename.clone().unwrap_or_default()))
        .unwrap_or_default()
}

/// `POST /v1/audio/transcriptions`: `{"text": "Transcribed N bytes from <filename>",
/// "transcription_id": …}`; the transcription is remembered for `GET`.
fn transcribe(request: &RecordedRequest, state: &State) -> MockReply {
    let parts = match form(request) {
        Ok(parts) => parts,
        Err(reply) => return reply,
    };
    if text_part(&parts, "model").is_none() {
        return invalid_field("model", "Field required");
    }
    let (size, filename) = describe(&parts);
    let text = format!("Transcribed {size} bytes from {filename}");
    let id = state.next_id("tr_mock");
    let stored = json!({ "id": id, "status": "completed", "text": text });
    state.with("audio", |memory| {
        if !memory.is_object() {
            *memory = json!({});
        }
        memory[id.as_str()] = stored;
    });
    ok(&json!({ "text": text, "transcription_id": id }))
}

/// Both translation endpoints: `{"text": "Translated N bytes from <filename> to English."}`;
/// `/v1/audio/translations` also requires `model`.
fn translate(request: &RecordedRequest, model_required: bool) -> MockReply {
    let parts = match form(request) {
        Ok(parts) => parts,
        Err(reply) => return reply,
    };
    if model_required && text_part(&parts, "model").is_none() {
        return invalid_field("model", "Field required");
    }
    let (size, filename) = describe(&parts);
    ok(&json!({ "text": format!("Translated {size} bytes from {filename} to English.") }))
}

/// The id after a route's prefix: one segment, percent-decoded.
fn segment(raw: &str) -> Option<String> {
    (!raw.is_empty() && !raw.contains('/')).then(|| super::decode(raw))
}

/// Starlette's answer for a path no route matches.
fn no_route() -> MockReply {
    MockReply::json(404, json!({ "detail": "Not Found" }).to_string())
}

fn get_transcription(raw_id: &str, state: &State) -> MockReply {
    let Some(id) = segment(raw_id) else {
        return no_route();
    };
    match state.with("audio", |memory| memory.get(&id).cloned()) {
        Some(stored) => ok(&stored),
        None => not_found("Transcription"),
    }
}

fn get_voice(raw_id: &str) -> MockReply {
    let Some(id) = segment(raw_id) else {
        return no_route();
    };
    match voices().into_iter().find(|v| v["voice_id"] == id.as_str()) {
        Some(voice) => ok(&voice),
        None => not_found("Voice"),
    }
}

/// A FastAPI 422 for a bad query parameter.
fn invalid_query(field: &str, msg: &str) -> MockReply {
    MockReply::json(
        422,
        json!({ "detail": [{ "type": "value_error", "loc": ["query", field], "msg": msg }] })
            .to_string(),
    )
}

/// `GET /v1/audio/voices`: filter, sort, then one page; the token is an offset in disguise.
fn list_voices(query: &str) -> MockReply {
    let pairs = query_pairs(query);
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let page_size = match value("page_size").map(str::parse::<usize>) {
        None => DEFAULT_PAGE_SIZE,
        Some(Ok(n)) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
        Some(_) => return invalid_query("page_size", "Input should be between 1 and 100"),
    };
    let offset = match value("next_page_token") {
        None | Some("") => 0,
        Some(token) => match token
            .strip_prefix(PAGE_TOKEN_PREFIX)
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(offset) => offset,
            None => return invalid_query("next_page_token", "Invalid page token"),
        },
    };
    let ids: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "voice_ids")
        .map(|(_, v)| v.as_str())
        .collect();
    let search = value("search").map(str::to_lowercase);
    let field = |voice: &Value, key: &str| voice[key].as_str().unwrap_or_default().to_owned();
    let mut matching: Vec<Value> = voices()
        .into_iter()
        .filter(|voice| ids.is_empty() || ids.contains(&field(voice, "voice_id").as_str()))
        .filter(|voice| value("category").is_none_or(|c| field(voice, "category") == c))
        .filter(|voice| {
            search.as_deref().is_none_or(|s| {
                field(voice, "name").to_lowercase().contains(s)
                    || field(voice, "description").to_lowercase().contains(s)
            })
        })
        .collect();
    if value("sort") == Some("name") {
        matching.sort_by_key(|voice| field(voice, "name"));
    }
    if value("sort_direction") == Some("desc") {
        matching.reverse();
    }
    let total = matching.len();
    let page: Vec<Value> = matching.into_iter().skip(offset).take(page_size).collect();
    let end = offset.saturating_add(page.len());
    let has_more = end < total;
    let mut body = json!({
        "voices": page,
        "has_more": has_more,
        "next_page_token": has_more.then(|| format!("{PAGE_TOKEN_PREFIX}{end}")),
    });
    if value("include_total_count") == Some("true") {
        body["total_count"] = json!(total);
    }
    ok(&body)
}

/// The mock's voices, in their default order; the last is a minimal one (id and name only).
fn voices() -> Vec<Value> {
    let preview = |id: &str| format!("https://previews.meshapi.invalid/voices/{id}.mp3");
    vec![
        json!({
            "voice_id": "21m00Tcm4TlvDq8ikWAM",
            "name": "Rachel",
            "category": "premade",
            "description": "Calm young American narrator.",
            "preview_url": preview("21m00Tcm4TlvDq8ikWAM"),
            "labels": {"accent": "american", "age": "young", "gender": "female",
                       "use_case": "narration", "featured": true},
        }),
        json!({
            "voice_id": "meera",
            "name": "Meera",
            "category": "premade",
            "description": "Warm Hindi and Indian English voice.",
            "preview_url": preview("meera"),
            "labels": {"gender": "female", "languages": ["hi-IN", "en-IN"]},
        }),
        json!({
            "voice_id": "arvind",
            "name": "Arvind",
            "category": "premade",
            "description": "Clear Indian English newsreader.",
            "preview_url": preview("arvind"),
            "labels": {"gender": "male", "languages": ["en-IN"], "rating": 4.5},
        }),
        json!({
            "voice_id": "ErXwobaYiN019PkySvjV",
            "name": "Antoni",
            "category": "cloned",
            "description": "Well-rounded conversational voice.",
            "preview_url": preview("ErXwobaYiN019PkySvjV"),
            "labels": {"accent": "american", "age": "middle aged", "gender": "male"},
        }),
        json!({ "voice_id": "vc_mock_minimal", "name": "Studio Clone" }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_is_a_valid_header_plus_samples_and_deterministic() {
        let audio = wav("Hi");
        assert_eq!(audio.len(), 44 + 2 * SAMPLES_PER_BYTE);
        assert_eq!(&audio[..4], b"RIFF");
        assert_eq!(&audio[8..16], b"WAVEfmt ");
        assert_eq!(
            u32::from_le_bytes(audio[4..8].try_into().unwrap()),
            36 + 128
        );
        assert_eq!(&audio[36..40], b"data");
        assert_eq!(u32::from_le_bytes(audio[40..44].try_into().unwrap()), 128);
        assert!(audio[44..].iter().all(|&s| (96..=158).contains(&s)));
        assert_eq!(audio, wav("Hi"));
        assert_ne!(audio, wav("Ho"));
        assert_eq!(wav("").len(), 44);
    }

    #[test]
    fn a_body_sized_input_is_voiced_only_up_to_the_cap() {
        // Just over 64 MiB / 64: uncapped, its sample count would not fit the header's u32.
        let input = "a".repeat((u32::MAX as usize).div_ceil(SAMPLES_PER_BYTE) + 1);
        let audio = wav(&input);
        let data_len = MAX_SPEECH_INPUT * SAMPLES_PER_BYTE;
        assert_eq!(audio.len(), 44 + data_len);
        let size = |at: usize| u32::from_le_bytes(audio[at..at + 4].try_into().unwrap());
        assert_eq!(size(4) as usize, 36 + data_len);
        assert_eq!(size(40) as usize, data_len);
    }

    #[test]
    fn voice_ids_are_unique_and_every_voice_has_a_name() {
        let voices = voices();
        for (i, voice) in voices.iter().enumerate() {
            assert!(voice["name"].is_string());
            assert!(
                voices[..i]
                    .iter()
                    .all(|v| v["voice_id"] != voice["voice_id"])
            );
        }
    }
}
