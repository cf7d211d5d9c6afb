//! Run with `cargo run --example embeddings`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` and
//! `MESHAPI_EMBEDDING_MODEL` are honoured); without, it starts the embedded mock gateway and
//! says so on stderr. It embeds three texts twice, as float arrays and as base64, checks that
//! both encodings give the same vectors, and prints the cosine similarity of each pair.

mod support;

use meshapi::types::embeddings::{EmbeddingsParams, EncodingFormat};

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;
    let model = std::env::var("MESHAPI_EMBEDDING_MODEL")
        .unwrap_or_else(|_| "openai/text-embedding-3-small".into());
    let texts = [
        "The cat sat on the mat.",
        "A cat was sitting on a mat.",
        "Quarterly revenue grew by four percent.",
    ];

    let params = EmbeddingsParams::new(texts.to_vec())
        .model(model)
        .dimensions(256);
    let floats = client.embeddings().create(&params)?;
    let base64 = client
        .embeddings()
        .create(&params.clone().encoding_format(EncodingFormat::Base64))?;
    println!(
        "model {}: {} vectors of {} dimensions",
        floats.model,
        floats.data.len(),
        floats.data.first().map_or(0, |item| item.embedding.len())
    );
    for (float, b64) in floats.data.iter().zip(&base64.data) {
        // Providers may round differently per encoding, so compare by similarity.
        println!(
            "  #{}: float vs base64 cosine {:.6}",
            float.index,
            cosine(&float.embedding, &b64.embedding)
        );
    }
    if let Some(usage) = &floats.usage {
        println!("  usage: {:?} tokens", usage.total_tokens);
    }

    let vector = |i: usize| floats.data.get(i).map(|item| item.embedding.as_slice());
    for (i, j) in [(0, 1), (0, 2), (1, 2)] {
        if let (Some(a), Some(b)) = (vector(i), vector(j)) {
            println!(
                "cosine({:?}, {:?}) = {:.4}",
                texts[i],
                texts[j],
                cosine(a, b)
            );
        }
    }
    Ok(())
}
