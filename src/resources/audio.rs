//! `client.audio()`: speech, transcription, translation and voices (`/v1/audio`).
//!
//! `client.audio()` has one handle per sub-resource: [`speech`](Audio::speech),
//! [`transcriptions`](Audio::transcriptions), [`translations`](Audio::translations) and
//! [`voices`](Audio::voices). Uploads (`transcriptions().create`, `transcriptions().translate`,
//! `translations().create`) are `multipart/form-data` bodies built
//! once in memory, so a retry (on 429, 502, 503 or 504) sends exactly the same bytes.

use crate::client::Client;
use crate::error::MeshApiError;
use crate::multipart::Form;
use crate::pagination::{Cursor, Page, Paginator};
use crate::path::{self, Query};
use crate::resources::WithStream;
use crate::stream::ByteStream;
use crate::types::audio::{
    ListVoicesParams, SpeechParams, Transcription, TranscriptionParams, TranscriptionResponse,
    TranslateTranscriptionParams, TranslationParams, TranslationResponse, Voice, VoiceList,
};

const SPEECH: &str = "/v1/audio/speech";
const TRANSCRIPTIONS: &str = "/v1/audio/transcriptions";
const TRANSCRIPTIONS_TRANSLATE: &str = "/v1/audio/transcriptions/translate";
const TRANSLATIONS: &str = "/v1/audio/translations";
const VOICES: &str = "/v1/audio/voices";

/// The file name sent for an upload whose caller passed an empty one.
///
/// An empty `filename=""` reads as "no file chosen" to many form parsers; a name without an
/// extension leaves the format to the server's own detection instead of claiming one.
///
/// ```no_run
/// use meshapi::Client;
/// use meshapi::resources::audio::DEFAULT_FILENAME;
/// use meshapi::types::audio::TranscriptionParams;
///
/// let client = Client::from_env()?;
/// let params = TranscriptionParams::new("sarvam/saaras:v3");
/// // Sent with `filename="audio"`.
/// client.audio().transcriptions().create(b"RIFF...", "", &params)?;
/// assert_eq!(DEFAULT_FILENAME, "audio");
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
pub const DEFAULT_FILENAME: &str = "audio";

/// Every file part is sent as opaque bytes; the file name's extension tells the format.
const FILE_CONTENT_TYPE: &str = "application/octet-stream";

/// Speech, transcription, translation and voices (`/v1/audio`); made by [`Client::audio`].
///
/// Uploads take the audio as bytes plus its file name. The name matters: the gateway and the
/// providers behind it tell the audio format from its extension (`clip.wav`, `talk.mp3`), so
/// pass the real one (e.g. from [`Path::file_name`](std::path::Path::file_name)); an empty name
/// is sent as [`DEFAULT_FILENAME`]. Names are escaped as browsers do (`"` as `%22`, CR and LF
/// as `%0D` and `%0A`), so no name can break the form.
///
/// ```no_run
/// use meshapi::Client;
/// use meshapi::types::audio::{SpeechParams, TranscriptionParams};
///
/// let client = Client::from_env()?;
/// let audio = client.audio();
/// let speech = audio.speech().create(&SpeechParams::new("Round trip.").model("sarvam/bulbul:v2"))?;
/// // bulbul's default output can be fed straight to transcription.
/// let params = TranscriptionParams::new("sarvam/saaras:v3").language_code("en-IN");
/// let text = audio.transcriptions().create(&speech, "speech.wav", &params)?;
/// println!("{}", text.text);
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Audio<'a> {
    client: &'a Client,
}

impl<'a> Audio<'a> {
    pub(crate) fn new(client: &'a Client) -> Audio<'a> {
        Audio { client }
    }

    /// Text to speech: `POST /v1/audio/speech`, whole or as it arrives.
    pub fn speech(&self) -> Speech<'a> {
        Speech {
            client: self.client,
        }
    }

    /// Speech to text (`/v1/audio/transcriptions`): transcribe, fetch a stored transcription,
    /// or transcribe into English.
    pub fn transcriptions(&self) -> Transcriptions<'a> {
        Transcriptions {
            client: self.client,
        }
    }

    /// Speech to English text, OpenAI-style: `POST /v1/audio/translations`.
    pub fn translations(&self) -> Translations<'a> {
        Translations {
            client: self.client,
        }
    }

    /// The voice catalogue (`/v1/audio/voices`).
    pub fn voices(&self) -> Voices<'a> {
        Voices {
            client: self.client,
        }
    }
}

/// Text to speech (`POST /v1/audio/speech`); made by [`Audio::speech`].
#[derive(Debug, Clone, Copy)]
pub struct Speech<'a> {
    client: &'a Client,
}

impl Speech<'_> {
    /// Turns text into speech and returns the whole audio file (`POST /v1/audio/speech`).
    ///
    /// The bytes are returned as sent, in the format the model produces (see
    /// [`SpeechParams::response_format`]); their content type is not checked. A connection that
    /// breaks before the body is complete is a `stream_interrupted` error, never short audio.
    /// Retried on 429, 502, 503 and 504 per the client's retry policy.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::audio::SpeechParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = SpeechParams::new("Hello from Rust!").model("sarvam/bulbul:v2").voice("meera");
    /// let audio: Vec<u8> = client.audio().speech().create(&params)?;
    /// println!("{} bytes of audio", audio.len());
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(&self, params: &SpeechParams) -> Result<Vec<u8>, MeshApiError> {
        let body = WithStream::unset(params);
        self.client.bytes(SPEECH, &body)?.into_vec()
    }

    /// Turns text into speech and returns the audio as it arrives, to read at your own pace
    /// (`POST /v1/audio/speech` with `"stream": true`).
    ///
    /// The request, including its retries on 429, 502, 503 and 504, is done when this returns;
    /// reading the [`ByteStream`] has no overall deadline, only the client's idle timeout
    /// between reads. A connection that breaks before the end is a read error, never a
    /// silently short file.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::audio::SpeechParams;
    ///
    /// let client = Client::from_env()?;
    /// let mut audio = client.audio().speech().stream(&SpeechParams::new("Hello!"))?;
    /// println!("format: {:?}", audio.content_type());
    /// let mut file = std::fs::File::create("hello.audio")?;
    /// std::io::copy(&mut audio, &mut file)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stream(&self, params: &SpeechParams) -> Result<ByteStream, MeshApiError> {
        let body = WithStream::new(params, true);
        self.client.bytes(SPEECH, &body)
    }
}

/// Speech to text (`/v1/audio/transcriptions`); made by [`Audio::transcriptions`].
#[derive(Debug, Clone, Copy)]
pub struct Transcriptions<'a> {
    client: &'a Client,
}

impl Transcriptions<'_> {
    /// Turns speech into text (`POST /v1/audio/transcriptions`, multipart).
    ///
    /// `file` is the audio and `filename` its name, whose extension tells the server the format
    /// (see [`Audio`]). The set fields of `params` go first as text parts, then the audio as the
    /// `file` part (`Content-Type: application/octet-stream`).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::audio::TranscriptionParams;
    ///
    /// let client = Client::from_env()?;
    /// let audio = std::fs::read("meeting.wav")?;
    /// let params = TranscriptionParams::new("sarvam/saaras:v3").language_code("en-IN");
    /// let reply = client.audio().transcriptions().create(&audio, "meeting.wav", &params)?;
    /// println!("{}", reply.text);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(
        &self,
        file: &[u8],
        filename: &str,
        params: &TranscriptionParams,
    ) -> Result<TranscriptionResponse, MeshApiError> {
        let mut form = Form::new();
        form.text("model", &params.model)
            .opt("language_code", params.language_code.as_ref())
            .opt("tag_audio_events", params.tag_audio_events)
            .opt("diarize", params.diarize)
            .opt("webhook", params.webhook)
            .opt("use_multi_channel", params.use_multi_channel)
            .opt("no_verbatim", params.no_verbatim)
            .opt("detect_speaker_roles", params.detect_speaker_roles)
            .opt("with_timestamps", params.with_timestamps)
            .opt("debug_mode", params.debug_mode)
            .opt("num_speakers", params.num_speakers)
            .opt("seed", params.seed)
            .opt("diarization_threshold", params.diarization_threshold)
            .opt("temperature", params.temperature)
            .opt(
                "timestamps_granularity",
                params.timestamps_granularity.as_ref(),
            )
            .opt("additional_formats", params.additional_formats.as_ref())
            .opt("file_format", params.file_format.as_ref())
            .opt("cloud_storage_url", params.cloud_storage_url.as_ref())
            .opt("source_url", params.source_url.as_ref())
            .opt("webhook_id", params.webhook_id.as_ref())
            .opt("webhook_metadata", params.webhook_metadata.as_ref())
            .opt("entity_detection", params.entity_detection.as_ref())
            .opt("entity_redaction", params.entity_redaction.as_ref())
            .opt(
                "entity_redaction_mode",
                params.entity_redaction_mode.as_ref(),
            )
            .list("keyterms", params.keyterms.iter().flatten());
        self.client
            .multipart(TRANSCRIPTIONS, attach(&mut form, file, filename))
    }

    /// Fetches a stored transcription (`GET /v1/audio/transcriptions/{transcription_id}`).
    ///
    /// The id is sent as one percent-encoded path segment; an empty id is refused without a
    /// request.
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let stored = client.audio().transcriptions().get("tr_123")?;
    /// println!("{:?}: {:?}", stored.status, stored.text);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self, transcription_id: &str) -> Result<Transcription, MeshApiError> {
        let path = path::with_id(TRANSCRIPTIONS, "transcription id", transcription_id)?;
        self.client.get(&path)
    }

    /// Transcribes speech in any language into English text
    /// (`POST /v1/audio/transcriptions/translate`, multipart).
    ///
    /// Sends the set `model` and `prompt` parts, then the audio as the `file` part; see
    /// [`Audio`] for `filename`.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::audio::TranslateTranscriptionParams;
    ///
    /// let client = Client::from_env()?;
    /// let audio = std::fs::read("namaste.mp3")?;
    /// let reply = client.audio().transcriptions().translate(
    ///     &audio,
    ///     "namaste.mp3",
    ///     &TranslateTranscriptionParams::new(),
    /// )?;
    /// println!("{}", reply.text);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn translate(
        &self,
        file: &[u8],
        filename: &str,
        params: &TranslateTranscriptionParams,
    ) -> Result<TranslationResponse, MeshApiError> {
        let mut form = Form::new();
        form.opt("model", params.model.as_ref())
            .opt("prompt", params.prompt.as_ref());
        self.client
            .multipart(TRANSCRIPTIONS_TRANSLATE, attach(&mut form, file, filename))
    }
}

/// Speech to English text (`POST /v1/audio/translations`); made by [`Audio::translations`].
#[derive(Debug, Clone, Copy)]
pub struct Translations<'a> {
    client: &'a Client,
}

impl Translations<'_> {
    /// Translates speech into English text, OpenAI-style (`POST /v1/audio/translations`,
    /// multipart). A different endpoint from [`Transcriptions::translate`].
    ///
    /// Sends `model` and the set `prompt`, `response_format` and `temperature` parts, then the
    /// audio as the `file` part; see [`Audio`] for `filename`.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::audio::TranslationParams;
    ///
    /// let client = Client::from_env()?;
    /// let audio = std::fs::read("bonjour.m4a")?;
    /// let params = TranslationParams::new("openai/whisper-large-v3").temperature(0.0);
    /// let reply = client.audio().translations().create(&audio, "bonjour.m4a", &params)?;
    /// println!("{}", reply.text);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(
        &self,
        file: &[u8],
        filename: &str,
        params: &TranslationParams,
    ) -> Result<TranslationResponse, MeshApiError> {
        let mut form = Form::new();
        form.text("model", &params.model)
            .opt("prompt", params.prompt.as_ref())
            .opt("response_format", params.response_format.as_ref())
            .opt("temperature", params.temperature);
        self.client
            .multipart(TRANSLATIONS, attach(&mut form, file, filename))
    }
}

/// The voice catalogue (`/v1/audio/voices`); made by [`Audio::voices`].
#[derive(Debug, Clone, Copy)]
pub struct Voices<'a> {
    client: &'a Client,
}

impl<'a> Voices<'a> {
    /// Lists one page of voices (`GET /v1/audio/voices`); only set parameters are sent,
    /// `voice_ids` as repeated keys. To walk every page, use
    /// [`paginate`](Self::paginate).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::audio::ListVoicesParams;
    ///
    /// let client = Client::from_env()?;
    /// let page = client.audio().voices().list(&ListVoicesParams::new().search("calm"))?;
    /// for voice in &page.voices {
    ///     println!("{} {}", voice.voice_id, voice.name);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn list(&self, params: &ListVoicesParams) -> Result<VoiceList, MeshApiError> {
        let path = Query::new()
            .opt("next_page_token", params.next_page_token.as_ref())
            .opt("page_size", params.page_size)
            .opt("search", params.search.as_ref())
            .opt("sort", params.sort.as_ref())
            .opt("sort_direction", params.sort_direction.as_ref())
            .opt("voice_type", params.voice_type.as_ref())
            .opt("category", params.category.as_ref())
            .opt("include_total_count", params.include_total_count)
            .list("voice_ids", params.voice_ids.iter().flatten())
            .to_path(VOICES);
        self.client.get(&path)
    }

    /// Every voice matching `params`, fetched a page at a time as the iteration reaches them
    /// (`GET /v1/audio/voices`, following `next_page_token`).
    ///
    /// The first request is `params` as given (a set `next_page_token` resumes there); each
    /// later one carries the previous page's token and keeps your `page_size`. The iteration
    /// ends on a page without a token or with `has_more: false`.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::audio::ListVoicesParams;
    ///
    /// let client = Client::from_env()?;
    /// for voice in client.audio().voices().paginate(&ListVoicesParams::new().page_size(50)) {
    ///     let voice = voice?;
    ///     println!("{} {}", voice.voice_id, voice.name);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn paginate(&self, params: &ListVoicesParams) -> Paginator<'a, Voice> {
        let voices = *self;
        let params = params.clone();
        Paginator::new(move |cursor: &Cursor| {
            let mut page = params.clone();
            if let Cursor::Token(token) = cursor {
                page.next_page_token = Some(token.clone());
            }
            let list = voices.list(&page)?;
            Ok(Page::by_token(
                list.voices,
                list.has_more,
                list.next_page_token,
            ))
        })
    }

    /// Fetches one voice (`GET /v1/audio/voices/{voice_id}`).
    ///
    /// The id is sent as one percent-encoded path segment; an empty id is refused without a
    /// request.
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let voice = client.audio().voices().get("21m00Tcm4TlvDq8ikWAM")?;
    /// println!("{} ({:?})", voice.name, voice.category);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self, voice_id: &str) -> Result<Voice, MeshApiError> {
        let path = path::with_id(VOICES, "voice id", voice_id)?;
        self.client.get(&path)
    }
}

/// Adds the audio as the form's last part, the `file` part.
fn attach<'f>(form: &'f mut Form, file: &[u8], filename: &str) -> &'f Form {
    let filename = if filename.is_empty() {
        DEFAULT_FILENAME
    } else {
        filename
    };
    form.file("file", filename, FILE_CONTENT_TYPE, file)
}
