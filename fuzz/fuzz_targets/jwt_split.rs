//! The verifier's JWT split (crate/src/verify/jwt.rs) against one written here from the RFCs
//! with base64ct and the serde_json reference: three dot-separated segments, strict base64url,
//! header and payload UTF-8 JSON objects (strict as ours: no repeated keys), any signature
//! bytes. Same verdict; and the parts are the token's: what is signed is `header.payload` as
//! sent, the signature its bytes, the JSON the same documents.
#![no_main]

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_wasm::fuzzing::jwt_split;
use cognito_wasm::VerifyError;
use cognito_wasm_fuzz::reference::{self, Doc};
use encoding::json;
use libfuzzer_sys::fuzz_target;

struct Parts {
    header: Doc,
    payload_text: String,
    payload: Doc,
    signature: Vec<u8>,
}

fn reference_split(token: &str) -> Option<Parts> {
    let segments: Vec<&str> = token.split('.').collect();
    let [h, p, s] = segments[..] else {
        return None;
    };
    let text = |segment: &str| String::from_utf8(Base64UrlUnpadded::decode_vec(segment).ok()?).ok();
    let object = |text: &str| match reference::parse(text) {
        Ok(doc @ Doc::Object(_)) => Some(doc),
        _ => None,
    };
    let header = object(&text(h)?)?;
    let payload_text = text(p)?;
    let payload = object(&payload_text)?;
    let signature = Base64UrlUnpadded::decode_vec(s).ok()?;
    Some(Parts {
        header,
        payload_text,
        payload,
        signature,
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let ours = jwt_split(token);
    let theirs = reference_split(token);
    let (parts, want) = match (ours, theirs) {
        (Err(VerifyError::Malformed(_)), None) => return,
        (Ok(parts), Some(want)) => (parts, want),
        (ours, theirs) => panic!(
            "{token:?}: we say {ours:?}, the reference {}",
            if theirs.is_some() {
                "accepts"
            } else {
                "refuses"
            }
        ),
    };
    let Some(parts) = parts else {
        return; // the header rules refused it; the split's verdict was checked
    };
    let (h, rest) = token.split_once('.').expect("three segments");
    let (p, _) = rest.split_once('.').expect("three segments");
    assert_eq!(parts.signed, format!("{h}.{p}"));
    assert_eq!(parts.signature, want.signature);
    assert_eq!(parts.payload_json, want.payload_text);
    let header = json::parse(&parts.header).expect("our own JSON reads back");
    assert!(want.header.matches(&header), "header {token:?}");
    let payload = json::parse(&parts.payload).expect("our own JSON reads back");
    assert!(want.payload.matches(&payload), "payload {token:?}");
});
