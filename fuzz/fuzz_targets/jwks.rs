//! The JWKS parser (crate/src/verify/jwks.rs) on arbitrary documents: no panic; it accepts
//! only what the serde_json reference reads as an object whose `keys` is a list of objects, one
//! key each, with their `kid`s; and a key it lets verify RS256 is one the rules allow (2048 to
//! 8192 bits without leading zeros, an odd exponent from 3 to 2^32 - 1), as base64ct decodes
//! its `n` and `e`.
#![no_main]

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_wasm::fuzzing::jwks;
use cognito_wasm_fuzz::reference::{self, Doc};
use libfuzzer_sys::fuzz_target;

fn member<'a>(members: &'a [(String, Doc)], key: &str) -> Option<&'a Doc> {
    members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn text<'a>(members: &'a [(String, Doc)], key: &str) -> Option<&'a str> {
    match member(members, key) {
        Some(Doc::String(s)) => Some(s),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(keys) = jwks(body) else {
        return;
    };
    let Ok(Doc::Object(doc)) = reference::parse(body) else {
        panic!("{body:?}: we accept what the reference does not read as an object");
    };
    let Some(Doc::Array(listed)) = member(&doc, "keys") else {
        panic!("{body:?}: accepted without a keys list");
    };
    assert_eq!(keys.len(), listed.len(), "{body:?}");
    for (key, listed) in keys.iter().zip(listed) {
        let Doc::Object(listed) = listed else {
            panic!("{body:?}: a key that is not an object");
        };
        assert_eq!(key.kid.as_deref(), text(listed, "kid"), "{body:?}");
        let Ok((n, e)) = &key.rs256 else {
            continue;
        };
        assert_eq!(text(listed, "kty"), Some("RSA"));
        assert!(matches!(text(listed, "use"), None | Some("sig")));
        assert!(matches!(text(listed, "alg"), None | Some("RS256")));
        let decode = |k| {
            Base64UrlUnpadded::decode_vec(text(listed, k).expect("present")).expect("base64url")
        };
        let strip = |mut b: Vec<u8>| {
            let zeros = b.iter().take_while(|&&x| x == 0).count();
            b.drain(..zeros);
            b
        };
        assert_eq!(*n, strip(decode("n")), "{body:?}");
        assert_eq!(*e, strip(decode("e")), "{body:?}");
        let bits = n.len() * 8 - n[0].leading_zeros() as usize;
        assert!((2048..=8192).contains(&bits), "{bits}-bit modulus accepted");
        assert!(e.len() <= 4, "exponent {e:?}");
        let exponent = e.iter().fold(0u64, |v, &b| v << 8 | u64::from(b));
        assert!(exponent >= 3 && exponent % 2 == 1, "exponent {exponent}");
    }
});
