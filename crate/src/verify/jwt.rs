//! A JWS in compact serialisation (RFC 7515 section 7.1), taken apart before anything about
//! it is trusted: three base64url segments, a JSON-object header and payload, the signature's
//! bytes and the exact bytes it signs.
//!
//! Forty lines of our own instead of `jwt-compact`: its claim types pull `serde_json`,
//! `chrono` and `anyhow` into every page, and the verifier needs none of its signing side.

use crate::prelude::*;

use super::error::VerifyError;
use crate::base64::{decode, Alphabet};
use crate::json::{self, Object};

/// [`MAX_TOKEN_BYTES`] in KiB, written once for the constant and its error's message.
macro_rules! max_token_kib {
    () => {
        64
    };
}

/// The longest token taken apart, in bytes (64 KiB); a longer one is refused as malformed
/// ([`VerifyError::Malformed`]) before any of it is decoded, so that no token costs more than
/// this much work and memory. Cognito's access tokens are about 1 KB and its ID tokens a few;
/// many custom attributes and groups make them 10-20 KB, where they no longer fit the
/// request headers most servers accept (8 to 16 KB). This is three times that.
pub const MAX_TOKEN_BYTES: usize = max_token_kib!() * 1024;

/// The parts of a token, none of them verified.
#[derive(Debug)]
pub(crate) struct Jws<'a> {
    /// The protected header.
    pub header: Object,
    /// The payload as sent (JSON text).
    pub payload_json: String,
    /// The payload, parsed.
    pub payload: Object,
    /// `header.payload`, as it appears in the token: what the signature covers.
    pub signed: &'a str,
    /// The signature's bytes.
    pub signature: Vec<u8>,
}

fn malformed(what: &str) -> VerifyError {
    VerifyError::Malformed(what.to_owned())
}

/// Splits and decodes a token; refuses anything that is not three strict base64url segments
/// around two JSON objects, or longer than [`MAX_TOKEN_BYTES`]. Linear in the token's length,
/// as the JSON parser is (it bounds its objects' members).
pub(crate) fn split(token: &str) -> Result<Jws<'_>, VerifyError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(malformed(concat!(
            "a JWT is at most ",
            max_token_kib!(),
            " KiB"
        )));
    }
    let three = || {
        let (h, rest) = crate::split_at_byte(token, b'.')?;
        let (p, s) = crate::split_at_byte(rest, b'.')?;
        Some((h, p, s)).filter(|_| !s.bytes().any(|b| b == b'.'))
    };
    let Some((h, p, s)) = three() else {
        return Err(malformed("a JWT has three dot-separated parts"));
    };
    let text = |segment: &str, what: &str| {
        decode(segment, Alphabet::UrlUnpadded)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| {
                let mut m = what.to_owned();
                m.push_str(" is not base64url-encoded UTF-8");
                malformed(&m)
            })
    };
    let object = |text: &str, what: &str| {
        json::parse_object(text).map_err(|e| {
            let mut m = what.to_owned();
            m.push_str(": ");
            m.push_str(&e.message());
            malformed(&m)
        })
    };
    let header = object(&text(h, "header")?, "header")?;
    let payload_json = text(p, "payload")?;
    let payload = object(&payload_json, "payload")?;
    // An empty signature parses: it is refused as a signature that does not verify (or, with
    // `alg: none`, as the algorithm), which says more than "malformed".
    let signature = decode(s, Alphabet::UrlUnpadded)
        .ok_or_else(|| malformed("the signature is not base64url"))?;
    Ok(Jws {
        header,
        payload_json,
        payload,
        // h and p are prefixes of the token, one dot apart, so this is a char boundary and
        // `get` never gives the default. // invariant (`get`, not indexing: a panic path
        // would link `core::fmt`'s char formatting into the package.)
        signed: token.get(..h.len() + 1 + p.len()).unwrap_or_default(),
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64::encode;

    fn seg(text: &str) -> String {
        encode(text.as_bytes(), Alphabet::UrlUnpadded)
    }

    fn token(header: &str, payload: &str, sig: &[u8]) -> String {
        let mut t = seg(header);
        t.push('.');
        t.push_str(&seg(payload));
        t.push('.');
        t.push_str(&encode(sig, Alphabet::UrlUnpadded));
        t
    }

    fn err(t: &str) -> String {
        match split(t) {
            Err(VerifyError::Malformed(m)) => m,
            other => panic!("{t}: expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn takes_a_token_apart() {
        let t = token(
            r#"{"alg":"RS256","kid":"k1"}"#,
            r#"{"sub":"u"}"#,
            &[1, 2, 3],
        );
        let jws = split(&t).unwrap();
        assert_eq!(jws.header.get("kid").and_then(|v| v.as_str()), Some("k1"));
        assert_eq!(jws.payload.get("sub").and_then(|v| v.as_str()), Some("u"));
        assert_eq!(jws.payload_json, r#"{"sub":"u"}"#);
        assert_eq!(jws.signature, [1, 2, 3]);
        assert_eq!(jws.signed, t.rsplit_once('.').unwrap().0);
    }

    #[test]
    fn an_empty_signature_is_left_to_the_signature_check() {
        let t = token(r#"{"alg":"none"}"#, "{}", &[]);
        assert!(split(&t).unwrap().signature.is_empty());
    }

    #[test]
    fn refuses_malformed_tokens() {
        let good_h = seg(r#"{"alg":"RS256"}"#);
        let good_p = seg(r#"{"sub":"u"}"#);
        let cases = [
            ("".to_owned(), "three dot-separated parts"),
            ("a.b".to_owned(), "three dot-separated parts"),
            ("a.b.c.d".to_owned(), "three dot-separated parts"),
            (
                format!("{good_h}.{good_p}.AQ=="),
                "signature is not base64url",
            ),
            (format!("{good_h}.{good_p}.A"), "signature is not base64url"),
            (format!("{good_h}=.{good_p}.AQ"), "header is not base64url"),
            (
                format!("{good_h}.{}.AQ", seg("[1]")),
                "payload: not a JSON object",
            ),
            (
                format!("{}.{good_p}.AQ", seg("{\"a\":1,\"a\":2}")),
                "header: duplicate key",
            ),
            (
                format!(
                    "{good_h}.{}.AQ",
                    encode(&[0xff, 0xfe], Alphabet::UrlUnpadded)
                ),
                "payload is not base64url-encoded UTF-8",
            ),
            (
                format!("{good_h}.{}.AQ", seg("{\"exp\":1")),
                "payload: expected ',' or '}'",
            ),
        ];
        for (t, want) in cases {
            let m = err(&t);
            assert!(m.contains(want), "{t}: {m:?} lacks {want:?}");
        }
    }

    #[test]
    fn a_token_longer_than_the_cap_is_refused_before_it_is_decoded() {
        let header = seg(r#"{"alg":"RS256","kid":"k"}"#);
        // The signature fills the token up to `len`; the payload's padding makes its length
        // one base64url can have (not 1 mod 4).
        let at = |len: usize| {
            (0..4)
                .map(|pad| {
                    let payload = seg(&concat(&[r#"{"pad":""#, &"x".repeat(pad), r#""}"#]));
                    concat(&[&header, ".", &payload, "."])
                })
                .find(|t| (len - t.len()) % 4 != 1)
                .map(|t| concat(&[&t, &"A".repeat(len - t.len())]))
                .unwrap()
        };
        let longest = at(MAX_TOKEN_BYTES);
        assert_eq!(longest.len(), MAX_TOKEN_BYTES);
        assert!(split(&longest).is_ok());
        assert_eq!(err(&at(MAX_TOKEN_BYTES + 1)), "a JWT is at most 64 KiB");
    }

    /// A header of 37,500 keys in descending order (the worst case of the JSON parser's
    /// sorted insert per key): 550 KB of token, refused by its length at once. Taken apart,
    /// it cost 110-160 ms natively before the caps (the JSON parser now refuses such an object
    /// at its 1025th member, too).
    #[test]
    fn a_token_of_37500_header_keys_is_refused_in_microseconds() {
        let mut header = String::from("{");
        for i in (0..37_500).rev() {
            header.push_str(&std::format!("\"k{i:05}\":0,"));
        }
        header.push_str(r#""alg":"RS256","kid":"k"}"#);
        let t = token(&header, r#"{"sub":"u"}"#, &[1; 256]);
        let fastest = (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                assert!(matches!(split(&t), Err(VerifyError::Malformed(_))));
                start.elapsed()
            })
            .min()
            .unwrap();
        std::println!("{} B token refused in {fastest:?}", t.len());
        assert!(fastest < std::time::Duration::from_millis(5), "{fastest:?}");
    }
}
