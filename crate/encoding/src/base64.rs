//! Base64 (RFC 4648): the standard alphabet with padding for SECRET_HASH and SRP, base64url
//! without padding for JWTs and JWKs. Sixty lines instead of a crate: none of these values is
//! secret-dependent in its length or position, so a constant-time decoder buys nothing here.

use alloc::string::String;
use alloc::vec::Vec;

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Character to value, 0xff for characters outside the alphabet: token payloads are a
/// kilobyte, decoded on every verification.
static STD_VALUES: [u8; 256] = values(STD);
static URL_VALUES: [u8; 256] = values(URL);

#[allow(
    clippy::indexing_slicing,
    reason = "const evaluation: i < 64 and a u8 index into 256 entries"
)]
const fn values(table: &[u8; 64]) -> [u8; 256] {
    let mut v = [0xff; 256];
    let mut i = 0;
    while i < 64 {
        v[table[i] as usize] = i as u8;
        i += 1;
    }
    v
}

/// Which alphabet, and whether the encoding pads to a multiple of four.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Alphabet {
    /// `+/`, padded with `=`.
    Standard,
    /// `-_`, unpadded (JWS, JWK).
    UrlUnpadded,
}

/// `bytes` in `alphabet`.
pub fn encode(bytes: &[u8], alphabet: Alphabet) -> String {
    let table = match alphabet {
        Alphabet::Standard => STD,
        Alphabet::UrlUnpadded => URL,
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            #[allow(
                clippy::indexing_slicing,
                reason = "masked to 0..64, the table's length"
            )]
            out.push(table[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
        if alphabet == Alphabet::Standard {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes strictly in one alphabet: no whitespace, padding exactly as the alphabet wants
/// it, and unused trailing bits zero (so each byte string has one encoding: a signature
/// cannot be re-encoded into a different-looking token).
pub fn decode(text: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let body = match alphabet {
        Alphabet::Standard => {
            if text.len() % 4 != 0 {
                return None;
            }
            // The padding off (a byte scan: `str` patterns cost wasm); at most two `=`.
            let b = text.as_bytes();
            let pad = b.iter().rev().take(2).take_while(|&&c| c == b'=').count();
            text.get(..text.len() - pad).unwrap_or(text)
        }
        Alphabet::UrlUnpadded => text,
    };
    let values = match alphabet {
        Alphabet::Standard => &STD_VALUES,
        Alphabet::UrlUnpadded => &URL_VALUES,
    };
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            #[allow(clippy::indexing_slicing, reason = "a u8 indexes 256 entries")]
            let v = values[c as usize];
            if v == 0xff {
                return None;
            }
            n |= (v as u32) << (18 - 6 * i);
        }
        let len = chunk.len() * 6 / 8;
        if n << (8 * len) & 0xff_ffff != 0 {
            return None; // non-zero unused bits
        }
        for i in 0..len {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

// Natively only: the reference implementation is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use base64ct::{Base64, Base64UrlUnpadded, Encoding};
    use std::vec;

    #[test]
    fn matches_a_reference_implementation() {
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..70 {
            for start in [0, 1, 100, 250] {
                let bytes = &data[start..start + len];
                let std = encode(bytes, Alphabet::Standard);
                let url = encode(bytes, Alphabet::UrlUnpadded);
                assert_eq!(std, Base64::encode_string(bytes));
                assert_eq!(url, Base64UrlUnpadded::encode_string(bytes));
                assert_eq!(decode(&std, Alphabet::Standard).as_deref(), Some(bytes));
                assert_eq!(decode(&url, Alphabet::UrlUnpadded).as_deref(), Some(bytes));
            }
        }
    }

    #[test]
    fn refuses_what_is_not_canonical() {
        for (text, alphabet) in [
            ("QQ", Alphabet::Standard),        // padding missing
            ("QQ==", Alphabet::UrlUnpadded),   // padding present
            ("QR==", Alphabet::Standard),      // unused bits set
            ("QR", Alphabet::UrlUnpadded),     // unused bits set
            ("Q", Alphabet::UrlUnpadded),      // impossible length
            ("a+b/", Alphabet::UrlUnpadded),   // wrong alphabet
            ("a-b_", Alphabet::Standard),      // wrong alphabet
            ("QQ= =", Alphabet::Standard),     // space
            ("=QQ=", Alphabet::Standard),      // padding in the middle
            ("QUJD\n", Alphabet::UrlUnpadded), // newline
        ] {
            assert_eq!(decode(text, alphabet), None, "{text:?}");
        }
        assert_eq!(decode("", Alphabet::Standard), Some(vec![]));
    }
}
