//! Run with `cargo run --example audio`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` is honoured;
//! `MESHAPI_TTS_MODEL` and `MESHAPI_STT_MODEL` pick the models); without, it starts the embedded
//! mock gateway and says so on stderr. It synthesizes speech into memory, streams the same
//! speech into a file in the temp directory, transcribes the synthesized audio, and lists the
//! first voices.

mod support;

use std::fs::File;
use std::io::{BufWriter, Write};

use meshapi::types::audio::{ListVoicesParams, SpeechParams, TranscriptionParams};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;
    let tts_model =
        std::env::var("MESHAPI_TTS_MODEL").unwrap_or_else(|_| "sarvam/bulbul:v2".into());
    let stt_model =
        std::env::var("MESHAPI_STT_MODEL").unwrap_or_else(|_| "sarvam/saaras:v3".into());
    let audio = client.audio();

    // Left to the model's default format: bulbul's can be fed straight to transcription.
    let speech = SpeechParams::new("Hello from the MeshAPI Rust SDK!")
        .model(tts_model)
        .language_code("en-IN");
    let bytes = audio.speech().create(&speech)?;
    println!("synthesize: {} bytes", bytes.len());

    let mut stream = audio.speech().stream(&speech)?;
    let kind = stream.content_type().unwrap_or("unknown").to_owned();
    let extension = if kind.contains("wav") { "wav" } else { "mp3" };
    let path = std::env::temp_dir().join(format!("meshapi-example-speech.{extension}"));
    let mut file = BufWriter::new(File::create(&path)?);
    let copied = std::io::copy(&mut stream, &mut file)?;
    file.flush()?;
    println!(
        "stream:     {copied} bytes of {kind} written to {}",
        path.display()
    );

    let params = TranscriptionParams::new(stt_model).language_code("en-IN");
    let text = audio
        .transcriptions()
        .create(&bytes, &format!("speech.{extension}"), &params)?;
    println!("transcribe: {}", text.text);

    let voices = audio.voices().list(&ListVoicesParams::new().page_size(5))?;
    println!("voices:");
    for voice in &voices.voices {
        let category = voice.category.as_deref().unwrap_or("-");
        println!("  {:<24} {:<16} {category}", voice.voice_id, voice.name);
    }
    if voices.next_page_token.is_some() {
        println!("  … and more (see paginate_voices)");
    }
    Ok(())
}
