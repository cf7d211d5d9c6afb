//! Run with `cargo run --example realtime`.
//!
//! With `MESHAPI_TOKEN` set it talks to the real gateway (`MESHAPI_BASE_URL` and
//! `MESHAPI_REALTIME_MODEL` are honoured); without, it starts the embedded mock gateway, which
//! echoes the audio it receives. It configures the session, sends half a second of a 440 Hz
//! tone as 24 kHz PCM16, asks for a response, and prints the events and how much audio came
//! back.

mod support;

use meshapi::types::realtime::{SAMPLE_RATE, SessionConfig};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;
    let model = std::env::var("MESHAPI_REALTIME_MODEL")
        .unwrap_or_else(|_| "openai/gpt-realtime-mini".into());

    let mut session = client.realtime().connect(&model)?;
    session.update_session(
        &SessionConfig::new()
            .instructions("Repeat what you hear.")
            .output_modalities(["audio"])
            .audio(json!({
                "input": {"format": {"type": "audio/pcm", "rate": SAMPLE_RATE}},
                "output": {"format": {"type": "audio/pcm", "rate": SAMPLE_RATE}, "voice": "alloy"}
            })),
    )?;

    let tone = tone(440.0, 0.5);
    // Sent in 100 ms pieces, as a microphone would deliver it.
    for piece in tone.chunks(SAMPLE_RATE as usize / 10 * 2) {
        session.send_audio(piece)?;
    }
    session.send(&json!({"type": "input_audio_buffer.commit"}))?;
    session.create_response()?;
    println!("sent {} bytes of audio", tone.len());

    let mut received = 0;
    for event in &mut session {
        let event = event?;
        match &event.audio {
            Some(audio) => {
                received += audio.len();
                println!("{:<40} {} bytes", event.r#type, audio.len());
            }
            None => println!("{}", event.r#type),
        }
        if event.r#type == "response.done" {
            break;
        }
    }
    println!("received {received} bytes of audio");
    session.close()?;
    Ok(())
}

/// `seconds` of a sine at `hertz`, as 16-bit little-endian mono PCM at [`SAMPLE_RATE`].
fn tone(hertz: f64, seconds: f64) -> Vec<u8> {
    let samples = (f64::from(SAMPLE_RATE) * seconds) as usize;
    (0..samples)
        .flat_map(|i| {
            let t = i as f64 / f64::from(SAMPLE_RATE);
            let sample = (t * hertz * std::f64::consts::TAU).sin() * 0.3 * f64::from(i16::MAX);
            (sample as i16).to_le_bytes()
        })
        .collect()
}
