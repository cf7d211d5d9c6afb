//! Standard base64 (RFC 4648 §4), for embedding vectors, images and realtime audio.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `bytes` with `=` padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    // Only a hint: `with_capacity` panics past isize::MAX bytes (an input over 3/4 of that),
    // where `try_reserve` reports it; the pushes then fail as any impossible allocation does.
    if let Some(len) = bytes.len().div_ceil(3).checked_mul(4) {
        let _ = out.try_reserve_exact(len);
    }
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = byte(0) << 16 | byte(1) << 8 | byte(2);
        // A chunk holds 1 to 3 bytes: 2 to 4 digits, then padding.
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn value(byte: u8) -> Option<u32> {
    let v = match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes base64 with or without `=` padding; whitespace (line-wrapped payloads) is skipped.
///
/// The error names the first offending byte offset.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut padding = 0usize;
    for (offset, byte) in text.bytes().enumerate() {
        if byte.is_ascii_whitespace() {
            continue;
        }
        if byte == b'=' {
            padding += 1;
            if padding > 2 {
                return Err(format!("too much padding at byte {offset}"));
            }
            continue;
        }
        if padding > 0 {
            return Err(format!("data after padding at byte {offset}"));
        }
        let v = value(byte).ok_or_else(|| format!("invalid base64 byte at offset {offset}"))?;
        // `acc` keeps fewer than 8 bits between digits, so it stays below 2^14.
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Six leftover bits can never form a byte: the input was cut mid-quantum.
    if bits >= 6 {
        return Err("truncated base64 input".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..70 {
            let encoded = encode(&data[..len]);
            assert_eq!(encoded.len() % 4, 0);
            assert_eq!(decode(&encoded).unwrap(), &data[..len], "len {len}");
            let unpadded = encoded.trim_end_matches('=');
            assert_eq!(decode(unpadded).unwrap(), &data[..len], "len {len}");
        }
    }

    #[test]
    fn matches_the_rfc_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in vectors {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded).unwrap(), plain.as_bytes());
        }
        assert_eq!(decode("Zm9v\nYmFy").unwrap(), b"foobar");
    }

    #[test]
    fn every_length_and_byte_of_input_decodes_or_errors() {
        // Lengths 1 and 5 leave six bits: cut mid-quantum. The others decode (padding is
        // optional), and multi-byte UTF-8 is an error at its first byte.
        for len in 0..=13 {
            let text = "Q".repeat(len);
            let decoded = decode(&text);
            if len % 4 == 1 {
                assert_eq!(decoded.unwrap_err(), "truncated base64 input", "len {len}");
            } else {
                assert_eq!(decoded.unwrap().len(), len * 3 / 4, "len {len}");
            }
        }
        assert!(decode("Zm9vé").unwrap_err().contains("offset 4"));
        for byte in 0..=255u8 {
            let _ = decode(&String::from_utf8_lossy(&[b'Q', b'Q', byte, b'=']));
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)).unwrap(), all);
    }

    #[test]
    fn rejects_garbage() {
        assert!(decode("Zm9v!").unwrap_err().contains("offset 4"));
        assert!(decode("Zg===").is_err());
        assert!(decode("Zg==Zg").is_err());
        assert!(decode("Z").is_err());
    }
}
