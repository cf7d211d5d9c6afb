//! Request and response types of speech, transcription, translation and voices (`/v1/audio`).
//!
//! - Speech: [`SpeechParams`] (with [`VoiceSettings`] and [`PronunciationDictionaryLocator`]);
//!   the answer is raw audio bytes.
//! - Transcription: [`TranscriptionParams`] → [`TranscriptionResponse`]; a stored transcription
//!   is a [`Transcription`].
//! - Translation to English: [`TranslateTranscriptionParams`] and [`TranslationParams`]
//!   (two gateway endpoints) → [`TranslationResponse`].
//! - Voices: [`ListVoicesParams`] → [`VoiceList`] of [`Voice`]s.
//!
//! Transcription and translation parameters travel as `multipart/form-data` text parts, not as
//! JSON: unset fields are not sent, booleans are `true`/`false`, numbers are in their shortest
//! decimal form, and `keyterms` is one part per term.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of a text-to-speech request (`POST /v1/audio/speech`).
///
/// Only `input` is required; every field left unset is omitted from the JSON body, so the
/// gateway's (or the model's) default applies. There is no `stream` field: the client's
/// `speech().create` and `speech().stream` methods choose it.
///
/// ```
/// use meshapi::types::audio::{PronunciationDictionaryLocator, SpeechParams, VoiceSettings};
/// use serde_json::json;
///
/// let params = SpeechParams::new("Namaste!")
///     .model("sarvam/bulbul:v2")
///     .voice("meera")
///     .language_code("hi-IN")
///     .voice_settings(VoiceSettings::new().stability(0.5).use_speaker_boost(true))
///     .pronunciation_dictionary_locators([PronunciationDictionaryLocator::new("dict_1", "v3")])
///     .pace(1.25);
/// assert_eq!(
///     serde_json::to_value(&params)?,
///     json!({
///         "input": "Namaste!",
///         "model": "sarvam/bulbul:v2",
///         "voice": "meera",
///         "language_code": "hi-IN",
///         "voice_settings": {"stability": 0.5, "use_speaker_boost": true},
///         "pronunciation_dictionary_locators": [
///             {"pronunciation_dictionary_id": "dict_1", "version_id": "v3"}
///         ],
///         "pace": 1.25,
///     }),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct SpeechParams {
    /// The text to speak.
    pub input: String,
    /// Model id, e.g. `sarvam/bulbul:v2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Voice name or id, e.g. `meera`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
    /// Audio format, e.g. `mp3` or `wav`. Some models reject formats they do not produce
    /// (`sarvam/bulbul:v2` answers 422 to an explicit `wav`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    /// Language of the input, e.g. `en-IN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// Voice tuning (stability, similarity, style, speaker boost, speed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_settings: Option<VoiceSettings>,
    /// Pronunciation dictionaries to apply, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronunciation_dictionary_locators: Option<Vec<PronunciationDictionaryLocator>>,
    /// Seed for best-effort deterministic output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Text spoken before this input, for continuity of prosody.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_text: Option<String>,
    /// Text spoken after this input, for continuity of prosody.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_text: Option<String>,
    /// Request ids of the speech generated before this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_request_ids: Option<Vec<String>>,
    /// Request ids of the speech generated after this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_request_ids: Option<Vec<String>>,
    /// Text normalisation mode, e.g. `auto`, `on` or `off`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_text_normalization: Option<String>,
    /// Language-specific text normalisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_language_text_normalization: Option<bool>,
    /// Use a professional voice clone as an instant one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_pvc_as_ivc: Option<bool>,
    /// Whether the provider may log the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_logging: Option<bool>,
    /// Provider-side preprocessing of the input text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_preprocessing: Option<bool>,
    /// Latency optimisation level for streaming (provider-specific, e.g. 0 to 4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimize_streaming_latency: Option<u32>,
    /// Speaker name (Sarvam models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Language to speak the input in, e.g. `hi-IN` (Sarvam models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_language_code: Option<String>,
    /// Pitch adjustment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitch: Option<f64>,
    /// Speaking pace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pace: Option<f64>,
    /// Loudness adjustment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loudness: Option<f64>,
    /// Output sample rate in Hz, e.g. `22050`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_sample_rate: Option<u32>,
}

impl SpeechParams {
    /// A request to speak `input`; everything else unset.
    pub fn new(input: impl Into<String>) -> Self {
        Self {
            input: input.into(),
            model: None,
            voice: None,
            response_format: None,
            language_code: None,
            voice_settings: None,
            pronunciation_dictionary_locators: None,
            seed: None,
            previous_text: None,
            next_text: None,
            previous_request_ids: None,
            next_request_ids: None,
            apply_text_normalization: None,
            apply_language_text_normalization: None,
            use_pvc_as_ivc: None,
            enable_logging: None,
            enable_preprocessing: None,
            optimize_streaming_latency: None,
            speaker: None,
            target_language_code: None,
            pitch: None,
            pace: None,
            loudness: None,
            speech_sample_rate: None,
        }
    }

    /// Replaces the text to speak.
    ///
    /// Defaults to the `new` argument.
    pub fn input(mut self, input: impl Into<String>) -> Self {
        self.input = input.into();
        self
    }

    /// Sets the model id.
    ///
    /// Defaults to unset (the gateway's default model).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the voice.
    ///
    /// Defaults to unset (the model's default voice).
    pub fn voice(mut self, voice: impl Into<String>) -> Self {
        self.voice = Some(voice.into());
        self
    }

    /// Sets the audio format.
    ///
    /// Defaults to unset (the model's default format).
    pub fn response_format(mut self, response_format: impl Into<String>) -> Self {
        self.response_format = Some(response_format.into());
        self
    }

    /// Sets the language of the input.
    ///
    /// Defaults to unset (the server's default).
    pub fn language_code(mut self, language_code: impl Into<String>) -> Self {
        self.language_code = Some(language_code.into());
        self
    }

    /// Sets the voice tuning.
    ///
    /// Defaults to unset (the voice's own settings).
    pub fn voice_settings(mut self, voice_settings: VoiceSettings) -> Self {
        self.voice_settings = Some(voice_settings);
        self
    }

    /// Sets the pronunciation dictionaries.
    ///
    /// Defaults to unset (none).
    pub fn pronunciation_dictionary_locators(
        mut self,
        locators: impl IntoIterator<Item = PronunciationDictionaryLocator>,
    ) -> Self {
        self.pronunciation_dictionary_locators = Some(locators.into_iter().collect());
        self
    }

    /// Sets the seed.
    ///
    /// Defaults to unset (random).
    pub fn seed(mut self, seed: i64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Sets the text spoken before this input.
    ///
    /// Defaults to unset (none).
    pub fn previous_text(mut self, previous_text: impl Into<String>) -> Self {
        self.previous_text = Some(previous_text.into());
        self
    }

    /// Sets the text spoken after this input.
    ///
    /// Defaults to unset (none).
    pub fn next_text(mut self, next_text: impl Into<String>) -> Self {
        self.next_text = Some(next_text.into());
        self
    }

    /// Sets the request ids of the speech generated before this one.
    ///
    /// Defaults to unset (none).
    pub fn previous_request_ids(
        mut self,
        ids: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.previous_request_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the request ids of the speech generated after this one.
    ///
    /// Defaults to unset (none).
    pub fn next_request_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.next_request_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the text normalisation mode.
    ///
    /// Defaults to unset (the server's default).
    pub fn apply_text_normalization(mut self, mode: impl Into<String>) -> Self {
        self.apply_text_normalization = Some(mode.into());
        self
    }

    /// Turns language-specific text normalisation on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn apply_language_text_normalization(mut self, on: bool) -> Self {
        self.apply_language_text_normalization = Some(on);
        self
    }

    /// Uses a professional voice clone as an instant one, or not.
    ///
    /// Defaults to unset (the server's default).
    pub fn use_pvc_as_ivc(mut self, on: bool) -> Self {
        self.use_pvc_as_ivc = Some(on);
        self
    }

    /// Allows or forbids provider-side logging.
    ///
    /// Defaults to unset (the server's default).
    pub fn enable_logging(mut self, on: bool) -> Self {
        self.enable_logging = Some(on);
        self
    }

    /// Turns provider-side preprocessing on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn enable_preprocessing(mut self, on: bool) -> Self {
        self.enable_preprocessing = Some(on);
        self
    }

    /// Sets the streaming latency optimisation level.
    ///
    /// Defaults to unset (the server's default).
    pub fn optimize_streaming_latency(mut self, level: u32) -> Self {
        self.optimize_streaming_latency = Some(level);
        self
    }

    /// Sets the speaker.
    ///
    /// Defaults to unset (the model's default speaker).
    pub fn speaker(mut self, speaker: impl Into<String>) -> Self {
        self.speaker = Some(speaker.into());
        self
    }

    /// Sets the language to speak in.
    ///
    /// Defaults to unset (the server's default).
    pub fn target_language_code(mut self, code: impl Into<String>) -> Self {
        self.target_language_code = Some(code.into());
        self
    }

    /// Sets the pitch adjustment.
    ///
    /// Defaults to unset (the server's default).
    pub fn pitch(mut self, pitch: f64) -> Self {
        self.pitch = Some(pitch);
        self
    }

    /// Sets the speaking pace.
    ///
    /// Defaults to unset (the server's default).
    pub fn pace(mut self, pace: f64) -> Self {
        self.pace = Some(pace);
        self
    }

    /// Sets the loudness adjustment.
    ///
    /// Defaults to unset (the server's default).
    pub fn loudness(mut self, loudness: f64) -> Self {
        self.loudness = Some(loudness);
        self
    }

    /// Sets the output sample rate in Hz.
    ///
    /// Defaults to unset (the model's default rate).
    pub fn speech_sample_rate(mut self, hz: u32) -> Self {
        self.speech_sample_rate = Some(hz);
        self
    }
}

/// Voice tuning for [`SpeechParams::voice_settings`]; unset fields are omitted.
///
/// ```
/// use meshapi::types::audio::VoiceSettings;
/// use serde_json::json;
///
/// let settings = VoiceSettings::new().similarity_boost(0.75).speed(1.1);
/// assert_eq!(
///     serde_json::to_value(&settings)?,
///     json!({"similarity_boost": 0.75, "speed": 1.1}),
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct VoiceSettings {
    /// Stability of the voice, typically 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stability: Option<f64>,
    /// How closely to follow the original voice, typically 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity_boost: Option<f64>,
    /// Style exaggeration, typically 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<f64>,
    /// Boost similarity to the original speaker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_speaker_boost: Option<bool>,
    /// Speaking speed multiplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
}

impl VoiceSettings {
    /// Settings with every field unset.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the stability.
    ///
    /// Defaults to unset (the voice's own setting).
    pub fn stability(mut self, stability: f64) -> Self {
        self.stability = Some(stability);
        self
    }

    /// Sets the similarity boost.
    ///
    /// Defaults to unset (the voice's own setting).
    pub fn similarity_boost(mut self, similarity_boost: f64) -> Self {
        self.similarity_boost = Some(similarity_boost);
        self
    }

    /// Sets the style exaggeration.
    ///
    /// Defaults to unset (the voice's own setting).
    pub fn style(mut self, style: f64) -> Self {
        self.style = Some(style);
        self
    }

    /// Turns the speaker boost on or off.
    ///
    /// Defaults to unset (the voice's own setting).
    pub fn use_speaker_boost(mut self, on: bool) -> Self {
        self.use_speaker_boost = Some(on);
        self
    }

    /// Sets the speed multiplier.
    ///
    /// Defaults to unset (the voice's own setting).
    pub fn speed(mut self, speed: f64) -> Self {
        self.speed = Some(speed);
        self
    }
}

/// A pronunciation dictionary, by id and version, for
/// [`SpeechParams::pronunciation_dictionary_locators`].
///
/// ```
/// use meshapi::types::audio::PronunciationDictionaryLocator;
///
/// let locator = PronunciationDictionaryLocator::new("dict_1", "v3");
/// assert_eq!(
///     serde_json::to_string(&locator)?,
///     r#"{"pronunciation_dictionary_id":"dict_1","version_id":"v3"}"#,
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PronunciationDictionaryLocator {
    /// The dictionary's id.
    pub pronunciation_dictionary_id: String,
    /// The dictionary version's id.
    pub version_id: String,
}

impl PronunciationDictionaryLocator {
    /// The locator of version `version_id` of dictionary `pronunciation_dictionary_id`.
    pub fn new(
        pronunciation_dictionary_id: impl Into<String>,
        version_id: impl Into<String>,
    ) -> Self {
        Self {
            pronunciation_dictionary_id: pronunciation_dictionary_id.into(),
            version_id: version_id.into(),
        }
    }
}

/// The text parts of a transcription request (`POST /v1/audio/transcriptions`); the audio goes
/// along as the `file` part.
///
/// Only `model` is required. Each set field becomes one text part, in the order of the fields
/// below, and unset fields are not sent at all: booleans as `true`/`false` (never Python's
/// `True`), numbers in shortest decimal form (`0.5`, `2`), `keyterms` as one part per term.
///
/// ```
/// use meshapi::types::audio::TranscriptionParams;
///
/// let params = TranscriptionParams::new("sarvam/saaras:v3")
///     .language_code("en-IN")
///     .diarize(true)
///     .num_speakers(2)
///     .keyterms(["MeshAPI", "Rust"]);
/// assert_eq!(params.diarize, Some(true));
/// assert_eq!(params.keyterms.as_deref(), Some(&["MeshAPI".to_owned(), "Rust".to_owned()][..]));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct TranscriptionParams {
    /// Model id, e.g. `sarvam/saaras:v3`.
    pub model: String,
    /// Language of the audio; model-specific (Sarvam expects e.g. `en-IN`, not `en`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// Tag non-speech events such as laughter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_audio_events: Option<bool>,
    /// Label who speaks when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diarize: Option<bool>,
    /// Deliver the result to a webhook instead of in the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<bool>,
    /// Transcribe each channel separately.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_multi_channel: Option<bool>,
    /// Leave out filler words and false starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_verbatim: Option<bool>,
    /// Name the speakers' roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detect_speaker_roles: Option<bool>,
    /// Include timestamps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with_timestamps: Option<bool>,
    /// Provider debug output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug_mode: Option<bool>,
    /// Expected number of speakers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_speakers: Option<u32>,
    /// Seed for best-effort deterministic output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Diarization sensitivity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diarization_threshold: Option<f64>,
    /// Sampling temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Timestamp granularity, e.g. `word` or `character`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamps_granularity: Option<String>,
    /// Extra export formats, as the provider expects them (e.g. a JSON array as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_formats: Option<String>,
    /// Format of the upload, e.g. `pcm_s16le_16` or `other`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_format: Option<String>,
    /// Cloud storage URL to transcribe instead of the upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_storage_url: Option<String>,
    /// Public URL to transcribe instead of the upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Id of the webhook to deliver to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<String>,
    /// Metadata passed through to the webhook (typically a JSON object as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_metadata: Option<String>,
    /// Entity types to detect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_detection: Option<String>,
    /// Entity types to redact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_redaction: Option<String>,
    /// How redacted entities are shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_redaction_mode: Option<String>,
    /// Terms to bias recognition towards; one form part per term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyterms: Option<Vec<String>>,
}

impl TranscriptionParams {
    /// A transcription with `model`; everything else unset.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            language_code: None,
            tag_audio_events: None,
            diarize: None,
            webhook: None,
            use_multi_channel: None,
            no_verbatim: None,
            detect_speaker_roles: None,
            with_timestamps: None,
            debug_mode: None,
            num_speakers: None,
            seed: None,
            diarization_threshold: None,
            temperature: None,
            timestamps_granularity: None,
            additional_formats: None,
            file_format: None,
            cloud_storage_url: None,
            source_url: None,
            webhook_id: None,
            webhook_metadata: None,
            entity_detection: None,
            entity_redaction: None,
            entity_redaction_mode: None,
            keyterms: None,
        }
    }

    /// Replaces the model id.
    ///
    /// Defaults to the `new` argument.
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = model.into();
        self
    }

    /// Sets the language of the audio.
    ///
    /// Defaults to unset (the model detects it).
    pub fn language_code(mut self, language_code: impl Into<String>) -> Self {
        self.language_code = Some(language_code.into());
        self
    }

    /// Turns audio-event tagging on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn tag_audio_events(mut self, on: bool) -> Self {
        self.tag_audio_events = Some(on);
        self
    }

    /// Turns speaker diarization on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn diarize(mut self, on: bool) -> Self {
        self.diarize = Some(on);
        self
    }

    /// Turns webhook delivery on or off.
    ///
    /// Defaults to unset (the server's default: the answer carries the text).
    pub fn webhook(mut self, on: bool) -> Self {
        self.webhook = Some(on);
        self
    }

    /// Turns per-channel transcription on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn use_multi_channel(mut self, on: bool) -> Self {
        self.use_multi_channel = Some(on);
        self
    }

    /// Turns non-verbatim output on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn no_verbatim(mut self, on: bool) -> Self {
        self.no_verbatim = Some(on);
        self
    }

    /// Turns speaker-role detection on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn detect_speaker_roles(mut self, on: bool) -> Self {
        self.detect_speaker_roles = Some(on);
        self
    }

    /// Turns timestamps on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn with_timestamps(mut self, on: bool) -> Self {
        self.with_timestamps = Some(on);
        self
    }

    /// Turns provider debug output on or off.
    ///
    /// Defaults to unset (the server's default).
    pub fn debug_mode(mut self, on: bool) -> Self {
        self.debug_mode = Some(on);
        self
    }

    /// Sets the expected number of speakers.
    ///
    /// Defaults to unset (the model decides).
    pub fn num_speakers(mut self, num_speakers: u32) -> Self {
        self.num_speakers = Some(num_speakers);
        self
    }

    /// Sets the seed.
    ///
    /// Defaults to unset (random).
    pub fn seed(mut self, seed: i64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Sets the diarization threshold.
    ///
    /// Defaults to unset (the server's default).
    pub fn diarization_threshold(mut self, threshold: f64) -> Self {
        self.diarization_threshold = Some(threshold);
        self
    }

    /// Sets the sampling temperature.
    ///
    /// Defaults to unset (the server's default).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the timestamp granularity.
    ///
    /// Defaults to unset (the server's default).
    pub fn timestamps_granularity(mut self, granularity: impl Into<String>) -> Self {
        self.timestamps_granularity = Some(granularity.into());
        self
    }

    /// Sets the extra export formats, as the provider expects them.
    ///
    /// Defaults to unset (none).
    pub fn additional_formats(mut self, formats: impl Into<String>) -> Self {
        self.additional_formats = Some(formats.into());
        self
    }

    /// Sets the format of the upload.
    ///
    /// Defaults to unset (the server detects it).
    pub fn file_format(mut self, file_format: impl Into<String>) -> Self {
        self.file_format = Some(file_format.into());
        self
    }

    /// Sets a cloud storage URL to transcribe.
    ///
    /// Defaults to unset (the upload is transcribed).
    pub fn cloud_storage_url(mut self, url: impl Into<String>) -> Self {
        self.cloud_storage_url = Some(url.into());
        self
    }

    /// Sets a public URL to transcribe.
    ///
    /// Defaults to unset (the upload is transcribed).
    pub fn source_url(mut self, url: impl Into<String>) -> Self {
        self.source_url = Some(url.into());
        self
    }

    /// Sets the webhook to deliver to.
    ///
    /// Defaults to unset (every configured webhook).
    pub fn webhook_id(mut self, webhook_id: impl Into<String>) -> Self {
        self.webhook_id = Some(webhook_id.into());
        self
    }

    /// Sets the metadata passed through to the webhook.
    ///
    /// Defaults to unset (none).
    pub fn webhook_metadata(mut self, metadata: impl Into<String>) -> Self {
        self.webhook_metadata = Some(metadata.into());
        self
    }

    /// Sets the entity types to detect.
    ///
    /// Defaults to unset (none).
    pub fn entity_detection(mut self, entities: impl Into<String>) -> Self {
        self.entity_detection = Some(entities.into());
        self
    }

    /// Sets the entity types to redact.
    ///
    /// Defaults to unset (none).
    pub fn entity_redaction(mut self, entities: impl Into<String>) -> Self {
        self.entity_redaction = Some(entities.into());
        self
    }

    /// Sets how redacted entities are shown.
    ///
    /// Defaults to unset (the server's default).
    pub fn entity_redaction_mode(mut self, mode: impl Into<String>) -> Self {
        self.entity_redaction_mode = Some(mode.into());
        self
    }

    /// Sets the terms to bias recognition towards.
    ///
    /// Defaults to unset (none).
    pub fn keyterms(mut self, keyterms: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.keyterms = Some(keyterms.into_iter().map(Into::into).collect());
        self
    }
}

/// The answer of a transcription: the text.
///
/// ```
/// use meshapi::types::audio::TranscriptionResponse;
///
/// let reply: TranscriptionResponse =
///     serde_json::from_str(r#"{"text":"Hello there.","language_code":"en-IN"}"#)?;
/// assert_eq!(reply.text, "Hello there.");
/// assert_eq!(reply.extra["language_code"], "en-IN");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TranscriptionResponse {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The transcribed (or translated) text.
    pub text: String,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of both translation endpoints, `{"text": …}`: the same shape as a
/// transcription's.
///
/// ```
/// use meshapi::types::audio::TranslationResponse;
///
/// let reply: TranslationResponse =
///     serde_json::from_str(r#"{"text":"Hello, this is a translated audio message."}"#)?;
/// assert_eq!(reply.text, "Hello, this is a translated audio message.");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub type TranslationResponse = TranscriptionResponse;

/// A stored transcription (`GET /v1/audio/transcriptions/{id}`).
///
/// The gateway documents no fixed shape for it, so every field is optional and anything else
/// lands in `extra`.
///
/// ```
/// use meshapi::types::audio::Transcription;
///
/// let stored: Transcription = serde_json::from_str(
///     r#"{"id":"tr_1","status":"completed","text":"Hi.","words":[]}"#,
/// )?;
/// assert_eq!(stored.status.as_deref(), Some("completed"));
/// assert_eq!(stored.text.as_deref(), Some("Hi."));
/// assert!(stored.extra["words"].is_array());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transcription {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The transcription's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its state, e.g. `processing` or `completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The text, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The text parts of `POST /v1/audio/transcriptions/translate` (speech in any language to
/// English text); every part is optional.
///
/// ```
/// use meshapi::types::audio::TranslateTranscriptionParams;
///
/// let params = TranslateTranscriptionParams::new()
///     .model("sarvam/saaras:v2.5")
///     .prompt("A talk about Rust.");
/// assert_eq!(params.model.as_deref(), Some("sarvam/saaras:v2.5"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct TranslateTranscriptionParams {
    /// Model id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Context to guide the translation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
}

impl TranslateTranscriptionParams {
    /// Parameters with every part unset.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the model id.
    ///
    /// Defaults to unset (the gateway's default model).
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the context prompt.
    ///
    /// Defaults to unset (no prompt).
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = Some(prompt.into());
        self
    }
}

/// The text parts of `POST /v1/audio/translations` (OpenAI-style speech translation to
/// English); `model` is required.
///
/// ```
/// use meshapi::types::audio::TranslationParams;
///
/// let params = TranslationParams::new("openai/whisper-large-v3")
///     .response_format("json")
///     .temperature(0.2);
/// assert_eq!(params.temperature, Some(0.2));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct TranslationParams {
    /// Model id, e.g. `openai/whisper-large-v3`.
    pub model: String,
    /// Context to guide the translation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Output format, e.g. `json` or `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    /// Sampling temperature, 0 to 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
}

impl TranslationParams {
    /// A translation with `model`; everything else unset.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            prompt: None,
            response_format: None,
            temperature: None,
        }
    }

    /// Replaces the model id.
    ///
    /// Defaults to the `new` argument.
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = model.into();
        self
    }

    /// Sets the context prompt.
    ///
    /// Defaults to unset (no prompt).
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = Some(prompt.into());
        self
    }

    /// Sets the output format. The answer is decoded as `{"text": …}`, so keep to the JSON
    /// formats.
    ///
    /// Defaults to unset (the server's default, JSON).
    pub fn response_format(mut self, response_format: impl Into<String>) -> Self {
        self.response_format = Some(response_format.into());
        self
    }

    /// Sets the sampling temperature (0 to 2).
    ///
    /// Defaults to unset (the server's default).
    pub fn temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }
}

/// The query of `GET /v1/audio/voices`; every parameter is optional and only set ones are sent.
///
/// ```
/// use meshapi::types::audio::ListVoicesParams;
///
/// let params = ListVoicesParams::new()
///     .search("narrator")
///     .page_size(20)
///     .voice_ids(["v1", "v2"])
///     .include_total_count(true);
/// assert_eq!(params.page_size, Some(20));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
#[must_use]
pub struct ListVoicesParams {
    /// Token of the page to fetch, from a previous [`VoiceList::next_page_token`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
    /// Voices per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Text to look for in the voices' names and descriptions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// Sort key, e.g. `name` or `created_at_unix`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// `asc` or `desc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_direction: Option<String>,
    /// Kind of voice, e.g. `personal`, `community` or `default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_type: Option<String>,
    /// Category, e.g. `premade`, `cloned` or `generated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Ask for [`VoiceList::total_count`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_total_count: Option<bool>,
    /// Only these voices (sent as repeated `voice_ids` keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_ids: Option<Vec<String>>,
}

impl ListVoicesParams {
    /// A query with every parameter unset: the first page, in the server's default order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the token of the page to fetch.
    ///
    /// Defaults to unset (the first page).
    pub fn next_page_token(mut self, token: impl Into<String>) -> Self {
        self.next_page_token = Some(token.into());
        self
    }

    /// Sets the number of voices per page.
    ///
    /// Defaults to unset (the server's default page size).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Sets the text to look for.
    ///
    /// Defaults to unset (every voice).
    pub fn search(mut self, search: impl Into<String>) -> Self {
        self.search = Some(search.into());
        self
    }

    /// Sets the sort key.
    ///
    /// Defaults to unset (the server's default order).
    pub fn sort(mut self, sort: impl Into<String>) -> Self {
        self.sort = Some(sort.into());
        self
    }

    /// Sets the sort direction, `asc` or `desc`.
    ///
    /// Defaults to unset (the server's default).
    pub fn sort_direction(mut self, direction: impl Into<String>) -> Self {
        self.sort_direction = Some(direction.into());
        self
    }

    /// Sets the kind of voice.
    ///
    /// Defaults to unset (every kind).
    pub fn voice_type(mut self, voice_type: impl Into<String>) -> Self {
        self.voice_type = Some(voice_type.into());
        self
    }

    /// Sets the category.
    ///
    /// Defaults to unset (every category).
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// Asks for the total count, or not.
    ///
    /// Defaults to unset (the server's default, no count).
    pub fn include_total_count(mut self, on: bool) -> Self {
        self.include_total_count = Some(on);
        self
    }

    /// Restricts the list to these voice ids.
    ///
    /// Defaults to unset (every voice).
    pub fn voice_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.voice_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }
}

/// One page of voices (`GET /v1/audio/voices`).
///
/// ```
/// use meshapi::types::audio::VoiceList;
///
/// let page: VoiceList = serde_json::from_str(
///     r#"{"voices":[{"voice_id":"v1","name":"Ada"}],"next_page_token":null}"#,
/// )?;
/// assert_eq!(page.voices[0].name, "Ada");
/// assert_eq!(page.has_more, None); // absent, which is not the same as false
/// assert_eq!(page.next_page_token, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VoiceList {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The voices of this page.
    pub voices: Vec<Voice>,
    /// Whether another page follows; `None` when the server did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// How many voices match in all, when asked for with `include_total_count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The token of the next page, `None` on the last one.
    #[serde(default)]
    pub next_page_token: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A voice for speech synthesis.
///
/// Minimal voices carry only `voice_id` and `name`. `labels` values are usually strings but not
/// always, so they stay JSON values.
///
/// ```
/// use meshapi::types::audio::Voice;
///
/// let voice: Voice = serde_json::from_str(
///     r#"{"voice_id":"v1","name":"Ada","category":"premade",
///         "labels":{"accent":"british","featured":true},"settings":null}"#,
/// )?;
/// let labels = voice.labels.unwrap();
/// assert_eq!(labels["accent"], "british");
/// assert_eq!(labels["featured"], true);
/// assert!(voice.extra.contains_key("settings"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Voice {
    #[serde(skip)]
    pub(crate) meta: crate::meta::Meta,
    /// The voice's id, for [`SpeechParams::voice`] and `voices().get`.
    pub voice_id: String,
    /// Display name.
    pub name: String,
    /// Category, e.g. `premade` or `cloned`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// URL of a short sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    /// Descriptive labels such as accent, age or use case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Map<String, Value>>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
