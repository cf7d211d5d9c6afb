//! audio: what the server received and what the caller got.

use std::io::Read;

use meshapi::mock::{FormPart, MockReply, MockServer, RecordedRequest};
use meshapi::types::audio::{
    ListVoicesParams, PronunciationDictionaryLocator, SpeechParams, TranscriptionParams,
    TranslateTranscriptionParams, TranslationParams, VoiceSettings,
};
use meshapi::{ErrorCode, Method};
use serde_json::json;

use crate::common::{self, TOKEN};

const TRANSLATION_FIXTURE: &str = include_str!("../fixtures/go_audio_translation_response.json");

/// Audio bytes that look like multipart framing: CRLFs, `--`, a fake delimiter, NUL and 0xFF.
const TRICKY_AUDIO: &[u8] = b"RIFF\x00\xff\r\n--\r\n--meshapi-fake\r\n\r\n--\r\n";

fn only_request(mock: &MockServer) -> RecordedRequest {
    let requests = mock.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.into_iter().next().unwrap()
}

/// The parts as `(name, filename, content type, text)`, for exact comparisons.
fn summary(parts: &[FormPart]) -> Vec<(String, Option<String>, Option<String>, String)> {
    parts
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.filename.clone(),
                p.content_type.clone(),
                p.text(),
            )
        })
        .collect()
}

fn text(name: &str, value: &str) -> (String, Option<String>, Option<String>, String) {
    (name.into(), None, None, value.into())
}

fn assert_multipart_post(request: &RecordedRequest, path: &str) -> Vec<FormPart> {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, path);
    assert_eq!(request.query, "");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let content_type = request.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    request.multipart().expect("a well-formed multipart body")
}

fn file_part(parts: &[FormPart]) -> &FormPart {
    let file = parts.last().unwrap();
    assert_eq!(file.name, "file");
    assert_eq!(
        file.content_type.as_deref(),
        Some("application/octet-stream")
    );
    file
}

// ---- speech ----

#[test]
fn synthesize_posts_every_field_as_json_and_returns_the_audio_bytes() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = SpeechParams::new("Hello!")
        .model("sarvam/bulbul:v2")
        .voice("meera")
        .response_format("mp3")
        .language_code("en-IN")
        .voice_settings(
            VoiceSettings::new()
                .stability(0.5)
                .similarity_boost(0.75)
                .style(0.0)
                .use_speaker_boost(false)
                .speed(1.1),
        )
        .pronunciation_dictionary_locators([PronunciationDictionaryLocator::new("d1", "v2")])
        .seed(42)
        .previous_text("Before.")
        .next_text("After.")
        .previous_request_ids(["req_a"])
        .next_request_ids(["req_b", "req_c"])
        .apply_text_normalization("auto")
        .apply_language_text_normalization(true)
        .use_pvc_as_ivc(false)
        .enable_logging(false)
        .enable_preprocessing(true)
        .optimize_streaming_latency(3)
        .speaker("anushka")
        .target_language_code("hi-IN")
        .pitch(-0.25)
        .pace(1.5)
        .loudness(1.0)
        .speech_sample_rate(22050);
    let audio = client.audio().speech().create(&params).unwrap();

    let request = only_request(&mock);
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/audio/speech")
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("*/*"));
    assert_eq!(
        request.body_json().unwrap(),
        json!({
            "input": "Hello!",
            "model": "sarvam/bulbul:v2",
            "voice": "meera",
            "response_format": "mp3",
            "language_code": "en-IN",
            "voice_settings": {
                "stability": 0.5, "similarity_boost": 0.75, "style": 0.0,
                "use_speaker_boost": false, "speed": 1.1
            },
            "pronunciation_dictionary_locators": [
                {"pronunciation_dictionary_id": "d1", "version_id": "v2"}
            ],
            "seed": 42,
            "previous_text": "Before.",
            "next_text": "After.",
            "previous_request_ids": ["req_a"],
            "next_request_ids": ["req_b", "req_c"],
            "apply_text_normalization": "auto",
            "apply_language_text_normalization": true,
            "use_pvc_as_ivc": false,
            "enable_logging": false,
            "enable_preprocessing": true,
            "optimize_streaming_latency": 3,
            "speaker": "anushka",
            "target_language_code": "hi-IN",
            "pitch": -0.25,
            "pace": 1.5,
            "loudness": 1.0,
            "speech_sample_rate": 22050,
        })
    );
    // The default route's WAV: a 44-byte header, 64 samples per byte of input.
    assert_eq!(&audio[..4], b"RIFF");
    assert_eq!(&audio[8..12], b"WAVE");
    assert_eq!(audio.len(), 44 + 64 * "Hello!".len());
}

#[test]
fn synthesize_sends_only_input_by_default_and_returns_bytes_verbatim() {
    let mock = common::mock();
    let client = common::client(&mock);
    let raw: Vec<u8> = (0..=255u8).chain(*b"\r\n--\r\n").collect();
    mock.enqueue(
        MockReply::new(200)
            .header("Content-Type", "audio/mpeg")
            .body(raw.clone()),
    );
    let audio = client
        .audio()
        .speech()
        .create(&SpeechParams::new("Hi"))
        .unwrap();
    assert_eq!(audio, raw);
    // No "stream" key: the non-streaming request is what both official SDKs send.
    assert_eq!(
        only_request(&mock).body_json().unwrap(),
        json!({"input": "Hi"})
    );
}

#[test]
fn synthesize_stream_sends_stream_true_and_reads_in_small_pieces() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = SpeechParams::new("A sentence long enough to need several chunks. ".repeat(3));
    let whole = client.audio().speech().create(&params).unwrap();
    assert!(whole.len() > 2048, "the default route chunks by 1 KiB");

    let mut stream = client.audio().speech().stream(&params).unwrap();
    assert_eq!(stream.content_type(), Some("audio/wav"));
    assert!(stream.request_id().unwrap().starts_with("req_"));
    let mut read = Vec::new();
    let mut piece = [0u8; 7];
    loop {
        let n = stream.read(&mut piece).unwrap();
        if n == 0 {
            break;
        }
        read.extend_from_slice(&piece[..n]);
    }
    assert_eq!(read, whole);

    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body_json().unwrap().get("stream"), None);
    let body = requests[1].body_json().unwrap();
    assert_eq!(body["stream"], true);
    assert_eq!(body["input"], params.input.as_str());

    // The Vec path of the same stream.
    let again = client.audio().speech().stream(&params).unwrap();
    assert_eq!(again.into_vec().unwrap(), whole);
}

#[test]
fn a_chunked_speech_body_cut_short_is_an_error_not_short_audio() {
    let mock = common::mock();
    let client = common::client(&mock);
    let cut = || {
        MockReply::new(200)
            .header("Content-Type", "audio/wav")
            .raw(&b"RIFF\x24\x08\x00\x00WAVE"[..])
            .drop_connection()
    };
    mock.enqueue(cut());
    let err = client
        .audio()
        .speech()
        .create(&SpeechParams::new("Hi"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::StreamInterrupted, "{err}");
    assert!(err.request_id().is_some_and(|id| id.starts_with("req_")));

    mock.enqueue(cut());
    let mut stream = client
        .audio()
        .speech()
        .stream(&SpeechParams::new("Hi"))
        .unwrap();
    let mut read = Vec::new();
    assert!(stream.read_to_end(&mut read).is_err());
    assert_eq!(read, b"RIFF\x24\x08\x00\x00WAVE");
    // A body error is not retried: the 200 had been received.
    assert_eq!(mock.requests().len(), 2);
}

#[test]
fn a_sized_speech_body_cut_short_is_an_error_not_short_audio() {
    let mock = common::mock();
    let client = common::client(&mock);
    let cut = || {
        MockReply::new(200)
            .header("Content-Type", "audio/wav")
            .header("Content-Length", "100")
            .body(&b"RIFF0123456789"[..])
            .close_delimited()
    };
    mock.enqueue(cut());
    let err = client
        .audio()
        .speech()
        .create(&SpeechParams::new("Hi"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::StreamInterrupted, "{err}");

    mock.enqueue(cut());
    let mut stream = client
        .audio()
        .speech()
        .stream(&SpeechParams::new("Hi"))
        .unwrap();
    let mut read = Vec::new();
    assert!(stream.read_to_end(&mut read).is_err());
    assert!(read.len() < 100);
}

#[test]
fn speech_errors_map_from_envelopes_and_fastapi_bodies() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        401,
        include_str!("../fixtures/py_error_401.json"),
    ));
    let err = client
        .audio()
        .speech()
        .create(&SpeechParams::new("Hi"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert_eq!(err.status(), Some(401));

    mock.enqueue(MockReply::error(
        422,
        "validation_error",
        "wav is not supported",
    ));
    let err = client
        .audio()
        .speech()
        .stream(&SpeechParams::new("Hi").response_format("wav"))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.message(), "wav is not supported");

    // The default route wants `input`.
    let err = client
        .request(Method::Post, "/v1/audio/speech")
        .json(&json!({"voice": "meera"}))
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.details()[0]["loc"], json!(["body", "input"]));
}

#[test]
fn synthesize_is_retried_on_503() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(503, "upstream_error", "Try again."));
    let audio = client
        .audio()
        .speech()
        .create(&SpeechParams::new("Hi"))
        .unwrap();
    assert_eq!(&audio[..4], b"RIFF");
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

// ---- transcription ----

#[test]
fn transcribe_sends_text_parts_in_order_then_the_file() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = TranscriptionParams::new("sarvam/saaras:v3")
        .language_code("en-IN")
        .tag_audio_events(true)
        .diarize(false)
        .webhook(false)
        .use_multi_channel(true)
        .no_verbatim(false)
        .detect_speaker_roles(true)
        .with_timestamps(true)
        .debug_mode(false)
        .num_speakers(2)
        .seed(-7)
        .diarization_threshold(0.25)
        .temperature(1.0)
        .timestamps_granularity("word")
        .additional_formats(r#"[{"format":"srt"}]"#)
        .file_format("other")
        .cloud_storage_url("gs://bucket/a.wav")
        .source_url("https://example.com/a.wav")
        .webhook_id("wh_1")
        .webhook_metadata(r#"{"k":"v"}"#)
        .entity_detection("pii")
        .entity_redaction("pii")
        .entity_redaction_mode("mask")
        .keyterms(["MeshAPI", "Rust", "MeshAPI"]);
    let reply = client
        .audio()
        .transcriptions()
        .create(TRICKY_AUDIO, "clip.wav", &params)
        .unwrap();

    let request = only_request(&mock);
    let parts = assert_multipart_post(&request, "/v1/audio/transcriptions");
    let mut want = vec![
        text("model", "sarvam/saaras:v3"),
        text("language_code", "en-IN"),
        text("tag_audio_events", "true"),
        text("diarize", "false"),
        text("webhook", "false"),
        text("use_multi_channel", "true"),
        text("no_verbatim", "false"),
        text("detect_speaker_roles", "true"),
        text("with_timestamps", "true"),
        text("debug_mode", "false"),
        text("num_speakers", "2"),
        text("seed", "-7"),
        text("diarization_threshold", "0.25"),
        text("temperature", "1"),
        text("timestamps_granularity", "word"),
        text("additional_formats", r#"[{"format":"srt"}]"#),
        text("file_format", "other"),
        text("cloud_storage_url", "gs://bucket/a.wav"),
        text("source_url", "https://example.com/a.wav"),
        text("webhook_id", "wh_1"),
        text("webhook_metadata", r#"{"k":"v"}"#),
        text("entity_detection", "pii"),
        text("entity_redaction", "pii"),
        text("entity_redaction_mode", "mask"),
        text("keyterms", "MeshAPI"),
        text("keyterms", "Rust"),
        text("keyterms", "MeshAPI"),
    ];
    want.push((
        "file".into(),
        Some("clip.wav".into()),
        Some("application/octet-stream".into()),
        String::from_utf8_lossy(TRICKY_AUDIO).into_owned(),
    ));
    assert_eq!(summary(&parts), want);
    assert_eq!(file_part(&parts).data, TRICKY_AUDIO);

    let size = TRICKY_AUDIO.len();
    assert_eq!(
        reply.text,
        format!("Transcribed {size} bytes from clip.wav")
    );
    assert_eq!(reply.extra["transcription_id"], "tr_mock1");
}

#[test]
fn transcribe_with_only_a_model_sends_two_parts_and_keeps_unknown_fields() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"{"text":"Hello there.","language_code":"en-IN","words":[{"text":"Hello"}]}"#,
    ));
    let reply = client
        .audio()
        .transcriptions()
        .create(
            b"ID3abc",
            "talk.mp3",
            &TranscriptionParams::new("sarvam/saaras:v3"),
        )
        .unwrap();
    assert_eq!(reply.text, "Hello there.");
    assert_eq!(reply.extra["language_code"], "en-IN");
    assert_eq!(reply.extra["words"][0]["text"], "Hello");

    let request = only_request(&mock);
    let parts = assert_multipart_post(&request, "/v1/audio/transcriptions");
    assert_eq!(
        summary(&parts),
        [
            text("model", "sarvam/saaras:v3"),
            (
                "file".into(),
                Some("talk.mp3".into()),
                Some("application/octet-stream".into()),
                "ID3abc".into()
            )
        ]
    );
}

#[test]
fn file_names_are_escaped_and_an_empty_one_becomes_audio() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = TranscriptionParams::new("m");
    let evil = "say \"hi\"\r\nX-Injected: 1; name=\"model\".wav";
    let reply = client
        .audio()
        .transcriptions()
        .create(b"abc", evil, &params)
        .unwrap();
    client
        .audio()
        .transcriptions()
        .create(b"abc", "", &params)
        .unwrap();
    client
        .audio()
        .transcriptions()
        .create(b"", "caf\u{e9}.ogg", &params)
        .unwrap();

    let requests = mock.requests();
    let names: Vec<Option<String>> = requests
        .iter()
        .map(|r| file_part(&r.multipart().unwrap()).filename.clone())
        .collect();
    let escaped = "say %22hi%22%0D%0AX-Injected: 1; name=%22model%22.wav";
    assert_eq!(
        names,
        [
            Some(escaped.to_owned()),
            Some("audio".to_owned()),
            Some("caf\u{e9}.ogg".to_owned())
        ]
    );
    // The name could not add a header, a part or a second `model`.
    let parts = requests[0].multipart().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].text(), "m");
    assert_eq!(reply.text, format!("Transcribed 3 bytes from {escaped}"));
}

#[test]
fn a_retried_upload_sends_byte_identical_bodies() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::error(503, "upstream_error", "Try again."));
    mock.enqueue(MockReply::error(429, "rate_limit_exceeded", "Slow down.").retry_after(0));
    let params = TranscriptionParams::new("sarvam/saaras:v3").keyterms(["a", "b"]);
    let reply = client
        .audio()
        .transcriptions()
        .create(TRICKY_AUDIO, "clip.wav", &params)
        .unwrap();
    assert!(reply.text.starts_with("Transcribed"));

    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    for retry in &requests[1..] {
        assert_eq!(retry.body, requests[0].body);
        assert_eq!(
            retry.header("content-type"),
            requests[0].header("content-type")
        );
        assert_eq!(retry.path, "/v1/audio/transcriptions");
    }
    assert_eq!(requests[2].multipart().unwrap().len(), 4);
}

#[test]
fn the_default_transcription_route_wants_a_model_and_a_file() {
    let mock = common::mock();
    let client = common::client(&mock);
    let err = client
        .audio()
        .transcriptions()
        .create(b"abc", "a.wav", &TranscriptionParams::new(""))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.details()[0]["loc"], json!(["body", "model"]));

    // A JSON body instead of a form has no `file`.
    let err = client
        .request(Method::Post, "/v1/audio/transcriptions")
        .json(&json!({"model": "m"}))
        .send::<serde_json::Value>()
        .unwrap_err();
    assert_eq!(err.details()[0]["loc"], json!(["body", "file"]));
}

#[test]
fn get_transcription_reads_back_a_stored_one() {
    let mock = common::mock();
    let client = common::client(&mock);
    let reply = client
        .audio()
        .transcriptions()
        .create(b"12345", "a.wav", &TranscriptionParams::new("m"))
        .unwrap();
    let id = reply.extra["transcription_id"].as_str().unwrap();
    let stored = client.audio().transcriptions().get(id).unwrap();
    assert_eq!(stored.id.as_deref(), Some(id));
    assert_eq!(stored.status.as_deref(), Some("completed"));
    assert_eq!(
        stored.text.as_deref(),
        Some("Transcribed 5 bytes from a.wav")
    );

    let request = &mock.requests()[1];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, format!("/v1/audio/transcriptions/{id}"));
    assert!(request.body.is_empty());
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[test]
fn get_transcription_decodes_any_object_and_maps_404() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"{"status":"processing","progress":0.5}"#,
    ));
    let stored = client.audio().transcriptions().get("tr_9").unwrap();
    assert_eq!(stored.status.as_deref(), Some("processing"));
    assert_eq!((stored.id, stored.text), (None, None));
    assert_eq!(stored.extra["progress"], 0.5);

    let err = client
        .audio()
        .transcriptions()
        .get("tr_missing")
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::NotFound);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.message(), "Transcription not found");
}

#[test]
fn ids_are_sent_as_one_encoded_segment() {
    let mock = common::mock();
    let client = common::client(&mock);
    let cases = [
        ("a/b", "a%2Fb"),
        ("what?", "what%3F"),
        ("x#y", "x%23y"),
        ("..", "%2E%2E"),
        ("my voice", "my%20voice"),
    ];
    for (id, _) in cases {
        let err = client.audio().transcriptions().get(id).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::NotFound, "{id}");
        let err = client.audio().voices().get(id).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::NotFound, "{id}");
        assert_eq!(err.message(), "Voice not found", "{id}");
    }
    let requests = mock.requests();
    assert_eq!(requests.len(), 2 * cases.len());
    for (i, (_, encoded)) in cases.iter().enumerate() {
        assert_eq!(
            requests[2 * i].path,
            format!("/v1/audio/transcriptions/{encoded}")
        );
        assert_eq!(requests[2 * i].query, "");
        assert_eq!(
            requests[2 * i + 1].path,
            format!("/v1/audio/voices/{encoded}")
        );
    }

    for err in [
        client.audio().transcriptions().get("").unwrap_err(),
        client.audio().voices().get("").unwrap_err(),
    ] {
        assert_eq!(err.code(), &ErrorCode::InvalidConfig);
    }
    assert_eq!(
        mock.requests().len(),
        2 * cases.len(),
        "empty ids are not sent"
    );
}

// ---- translation ----

#[test]
fn translate_sends_its_optional_parts_then_the_file() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = TranslateTranscriptionParams::new()
        .model("sarvam/saaras:v2.5")
        .prompt("A \"quoted\"\r\nprompt");
    let reply = client
        .audio()
        .transcriptions()
        .translate(TRICKY_AUDIO, "namaste.mp3", &params)
        .unwrap();
    client
        .audio()
        .transcriptions()
        .translate(b"xyz", "b.mp3", &TranslateTranscriptionParams::new())
        .unwrap();

    let requests = mock.requests();
    let parts = assert_multipart_post(&requests[0], "/v1/audio/transcriptions/translate");
    assert_eq!(
        summary(&parts[..2]),
        [
            text("model", "sarvam/saaras:v2.5"),
            text("prompt", "A \"quoted\"\r\nprompt")
        ]
    );
    assert_eq!(file_part(&parts).filename.as_deref(), Some("namaste.mp3"));
    assert_eq!(file_part(&parts).data, TRICKY_AUDIO);
    let size = TRICKY_AUDIO.len();
    assert_eq!(
        reply.text,
        format!("Translated {size} bytes from namaste.mp3 to English.")
    );

    let bare = assert_multipart_post(&requests[1], "/v1/audio/transcriptions/translate");
    assert_eq!(bare.len(), 1, "unset parts are not sent");
    assert_eq!(file_part(&bare).data, b"xyz");
}

#[test]
fn audio_translate_decodes_the_golden_response() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, TRANSLATION_FIXTURE));
    let params = TranslationParams::new("openai/whisper-large-v3")
        .prompt("Greetings.")
        .response_format("json")
        .temperature(0.2);
    let reply = client
        .audio()
        .translations()
        .create(b"\x1aE\xdf\xa3", "bonjour.webm", &params)
        .unwrap();
    assert_eq!(reply.text, "Hello, this is a translated audio message.");
    assert!(reply.extra.is_empty());

    let request = only_request(&mock);
    let parts = assert_multipart_post(&request, "/v1/audio/translations");
    assert_eq!(
        summary(&parts[..4]),
        [
            text("model", "openai/whisper-large-v3"),
            text("prompt", "Greetings."),
            text("response_format", "json"),
            text("temperature", "0.2"),
        ]
    );
    assert_eq!(parts.len(), 5);
    assert_eq!(file_part(&parts).filename.as_deref(), Some("bonjour.webm"));
    assert_eq!(file_part(&parts).data, b"\x1aE\xdf\xa3");
}

#[test]
fn audio_translate_default_route_and_unknown_fields() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = TranslationParams::new("openai/whisper-large-v3");
    let reply = client
        .audio()
        .translations()
        .create(b"1234", "", &params)
        .unwrap();
    assert_eq!(reply.text, "Translated 4 bytes from audio to English.");
    let parts = only_request(&mock).multipart().unwrap();
    assert_eq!(parts.len(), 2);

    mock.enqueue(MockReply::json(200, r#"{"text":"Hi.","duration":1.5}"#));
    let reply = client
        .audio()
        .translations()
        .create(b"1", "a.wav", &params)
        .unwrap();
    assert_eq!(reply.extra["duration"], 1.5);

    let err = client
        .audio()
        .translations()
        .create(b"1", "a.wav", &TranslationParams::new(""))
        .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
}

// ---- voices ----

#[test]
fn list_voices_sends_every_query_parameter() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        json!({
            "voices": [
                {"voice_id": "v1", "name": "Ada", "category": "premade",
                 "description": "Calm.", "preview_url": "https://x.invalid/v1.mp3",
                 "labels": {"accent": "british", "featured": true, "rating": 4.5},
                 "settings": {"stability": 0.5}},
                {"voice_id": "v2", "name": "Bo"}
            ],
            "total_count": 12,
            "next_page_token": "tok 2/3",
            "has_more": true,
            "extra_field": 1
        })
        .to_string(),
    ));
    let params = ListVoicesParams::new()
        .next_page_token("tok 1&x")
        .page_size(2)
        .search("calm voice")
        .sort("name")
        .sort_direction("desc")
        .voice_type("personal")
        .category("premade")
        .include_total_count(true)
        .voice_ids(["v1", "v/2"]);
    let page = client.audio().voices().list(&params).unwrap();

    let request = only_request(&mock);
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/v1/audio/voices")
    );
    assert_eq!(
        request.query,
        "next_page_token=tok%201%26x&page_size=2&search=calm%20voice&sort=name&sort_direction=desc\
         &voice_type=personal&category=premade&include_total_count=true&voice_ids=v1&voice_ids=v%2F2"
    );
    assert!(request.body.is_empty());

    assert_eq!(page.voices.len(), 2);
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.total_count, Some(12));
    assert_eq!(page.next_page_token.as_deref(), Some("tok 2/3"));
    assert_eq!(page.extra["extra_field"], 1);
    let ada = &page.voices[0];
    assert_eq!((ada.voice_id.as_str(), ada.name.as_str()), ("v1", "Ada"));
    assert_eq!(ada.category.as_deref(), Some("premade"));
    assert_eq!(ada.description.as_deref(), Some("Calm."));
    assert_eq!(ada.preview_url.as_deref(), Some("https://x.invalid/v1.mp3"));
    let labels = ada.labels.as_ref().unwrap();
    assert_eq!(labels["accent"], "british");
    assert_eq!(labels["featured"], true);
    assert_eq!(labels["rating"], 4.5);
    assert_eq!(ada.extra["settings"]["stability"], 0.5);
    let bo = &page.voices[1];
    assert_eq!((bo.category.as_ref(), bo.labels.as_ref()), (None, None));
    assert!(bo.extra.is_empty());
}

#[test]
fn list_voices_default_route_answers_a_plain_call() {
    let mock = common::mock();
    let client = common::client(&mock);
    let page = client
        .audio()
        .voices()
        .list(&ListVoicesParams::new())
        .unwrap();
    assert_eq!(only_request(&mock).query, "");
    assert_eq!(page.voices.len(), 5);
    assert_eq!(page.has_more, Some(false));
    assert_eq!(page.next_page_token, None);
    assert_eq!(page.total_count, None);
    assert!(page.voices.iter().any(|v| v.labels.is_none()));

    let found = client
        .audio()
        .voices()
        .list(
            &ListVoicesParams::new()
                .search("INDIAN")
                .include_total_count(true),
        )
        .unwrap();
    let names: Vec<&str> = found.voices.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Meera", "Arvind"]);
    assert_eq!(found.total_count, Some(2));
}

#[test]
fn paginate_voices_follows_tokens_and_keeps_the_page_size() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = ListVoicesParams::new().page_size(2).sort("name");
    let mut pager = client.audio().voices().paginate(&params);
    let names: Vec<String> = pager.by_ref().map(|v| v.unwrap().name).collect();
    assert_eq!(
        names,
        ["Antoni", "Arvind", "Meera", "Rachel", "Studio Clone"]
    );
    assert_eq!(pager.pages_fetched(), 3);

    let queries: Vec<String> = mock.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        [
            "page_size=2&sort=name",
            "next_page_token=vp_2&page_size=2&sort=name",
            "next_page_token=vp_4&page_size=2&sort=name",
        ]
    );
}

#[test]
fn paginate_voices_stops_on_has_more_false_even_with_a_token() {
    let mock = common::mock();
    let client = common::client(&mock);
    let page = |ids: &[&str], has_more: Option<bool>, token: Option<&str>| {
        let voices: Vec<_> = ids
            .iter()
            .map(|id| json!({"voice_id": id, "name": id}))
            .collect();
        let mut body = json!({"voices": voices, "next_page_token": token});
        if let Some(more) = has_more {
            body["has_more"] = json!(more);
        }
        MockReply::json(200, body.to_string())
    };
    // has_more absent with a token: keep going; has_more false: stop despite the token.
    mock.enqueue(page(&["a", "b"], None, Some("t1")));
    mock.enqueue(page(&["c"], Some(false), Some("t2")));
    let ids: Vec<String> = client
        .audio()
        .voices()
        .paginate(&ListVoicesParams::new().next_page_token("t0"))
        .map(|v| v.unwrap().voice_id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let queries: Vec<String> = mock.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(queries, ["next_page_token=t0", "next_page_token=t1"]);
}

#[test]
fn paginate_voices_stops_after_an_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    let mut pager = client
        .audio()
        .voices()
        .paginate(&ListVoicesParams::new().next_page_token("bogus"));
    let err = pager.next().unwrap().unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(err.details()[0]["loc"], json!(["query", "next_page_token"]));
    assert!(pager.next().is_none());
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn get_voice_returns_a_voice_with_mixed_labels() {
    let mock = common::mock();
    let client = common::client(&mock);
    let voice = client.audio().voices().get("arvind").unwrap();
    assert_eq!(voice.name, "Arvind");
    let labels = voice.labels.unwrap();
    assert_eq!(labels["languages"], json!(["en-IN"]));
    assert_eq!(labels["rating"], 4.5);
    let request = only_request(&mock);
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/v1/audio/voices/arvind")
    );

    mock.enqueue(MockReply::json(
        200,
        r#"{"voice_id":"x","name":"X","high_quality_base_model_ids":["m1"]}"#,
    ));
    let voice = client.audio().voices().get("x").unwrap();
    assert_eq!(voice.extra["high_quality_base_model_ids"][0], "m1");
}
