//! The encoding crate's base64 against base64ct, in each of its alphabets (standard with
//! padding, base64url without): the same texts accepted (both strict: canonical trailing
//! bits, padding exactly as the alphabet wants), the same bytes, the same encodings.
#![no_main]

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use encoding::base64::{decode, encode, Alphabet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The bytes as data to encode.
    assert_eq!(
        encode(data, Alphabet::Standard),
        Base64::encode_string(data)
    );
    assert_eq!(
        encode(data, Alphabet::UrlUnpadded),
        Base64UrlUnpadded::encode_string(data)
    );
    // And as text to decode.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (alphabet, theirs) in [
        (Alphabet::Standard, Base64::decode_vec(text).ok()),
        (
            Alphabet::UrlUnpadded,
            Base64UrlUnpadded::decode_vec(text).ok(),
        ),
    ] {
        let ours = decode(text, alphabet);
        assert_eq!(ours, theirs, "{alphabet:?} {text:?}");
        // One encoding per byte string: what decodes re-encodes to the same text.
        if let Some(bytes) = ours {
            assert_eq!(encode(&bytes, alphabet), text, "{alphabet:?}");
        }
    }
});
