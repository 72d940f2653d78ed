//! The verifier against forgeries: real RS256 tokens signed by the fixture's key, changed as
//! the input says (header and payload members, raw JSON, the signature's bytes, the encoded
//! text itself; optionally signed again with the key), then verified with that key's JWKS.
//! RS256 is checked by the fixture's ideal scheme (see `fixture`: RSA under coverage
//! instrumentation ran 70 inputs a second).
//!
//! The one property: a token is accepted only if its bytes are exactly those of a token the
//! key signed (a base token, or the one this input had signed). Whatever else changed its
//! signing input or its signature must be refused, and nothing panics.
#![no_main]

use arbitrary::Arbitrary;
use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_wasm_fuzz::fixture::{self, fixture, to_bytes, Rs256, CLIENT, ISSUER, KID, NOW};
use cognito_wasm_fuzz::now_or_never;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

#[derive(Arbitrary, Debug)]
enum Field {
    Alg,
    Kid,
    Typ,
    Crit,
    Jku,
    Sub,
    Iss,
    Aud,
    ClientId,
    TokenUse,
    Exp,
    Iat,
    Nbf,
    AuthTime,
    Username,
    Groups,
    Other(String),
}

impl Field {
    fn name(&self) -> &str {
        match self {
            Field::Alg => "alg",
            Field::Kid => "kid",
            Field::Typ => "typ",
            Field::Crit => "crit",
            Field::Jku => "jku",
            Field::Sub => "sub",
            Field::Iss => "iss",
            Field::Aud => "aud",
            Field::ClientId => "client_id",
            Field::TokenUse => "token_use",
            Field::Exp => "exp",
            Field::Iat => "iat",
            Field::Nbf => "nbf",
            Field::AuthTime => "auth_time",
            Field::Username => "username",
            Field::Groups => "cognito:groups",
            Field::Other(name) => name,
        }
    }
}

/// Values that mean something to the verifier, and anything else.
#[derive(Arbitrary, Debug)]
enum Val {
    Rs256,
    None,
    Hs256,
    Kid,
    ShortKid,
    Issuer,
    Client,
    Id,
    Access,
    Now(i32),
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<String>),
    Object,
}

impl Val {
    fn json(&self) -> Value {
        match self {
            Val::Rs256 => json!("RS256"),
            Val::None => json!("none"),
            Val::Hs256 => json!("HS256"),
            Val::Kid => json!(KID),
            Val::ShortKid => json!("short"),
            Val::Issuer => json!(ISSUER),
            Val::Client => json!(CLIENT),
            Val::Id => json!("id"),
            Val::Access => json!("access"),
            Val::Now(delta) => json!(NOW + i64::from(*delta)),
            Val::Text(s) => json!(s),
            Val::Int(n) => json!(n),
            Val::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Val::Bool(b) => json!(b),
            Val::Null => Value::Null,
            Val::List(items) => json!(items),
            Val::Object => json!({ "a": 1 }),
        }
    }
}

/// A change to the token, before it is encoded (JSON), or after (text).
#[derive(Arbitrary, Debug)]
enum Edit {
    SetHeader(Field, Val),
    RemoveHeader(Field),
    SetClaim(Field, Val),
    RemoveClaim(Field),
    /// The header's or payload's JSON replaced by these bytes.
    RawHeader(Vec<u8>),
    RawPayload(Vec<u8>),
    /// The signature's bytes changed.
    FlipSignature {
        at: u16,
        bits: u8,
    },
    TruncateSignature(u16),
    ExtendSignature(Vec<u8>),
    /// Another base token's signature.
    SignatureOf(u8),
    /// The encoded token's text changed at a byte.
    SetByte {
        at: u16,
        byte: u8,
    },
    InsertByte {
        at: u16,
        byte: u8,
    },
    RemoveByte(u16),
    /// A segment of another base token in place of this one's.
    SegmentOf {
        token: u8,
        segment: u8,
    },
}

#[derive(Arbitrary, Debug)]
struct Recipe {
    base: u8,
    /// Sign the changed header and payload with the fixture's key (then the JSON edits are
    /// signed, and only the text edits after signing make a forgery).
    sign: bool,
    edits: Vec<Edit>,
}

fn encode(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

fn set(m: &mut Map<String, Value>, field: &Field, val: &Val) {
    m.insert(field.name().to_owned(), val.json());
}

fuzz_target!(|recipe: Recipe| {
    let fx = fixture();
    fixture::forget_last();
    let (header, claims, base) = &fx.tokens[usize::from(recipe.base) % fx.tokens.len()];
    let (mut header, mut claims) = (header.clone(), claims.clone());
    let (mut header_bytes, mut claims_bytes) = (None, None);
    let mut signature = Base64UrlUnpadded::decode_vec(base.rsplit('.').next().unwrap_or_default())
        .expect("the base token's signature");
    // The JSON edits, then the signature's.
    for edit in &recipe.edits {
        match edit {
            Edit::SetHeader(f, v) => set(&mut header, f, v),
            Edit::RemoveHeader(f) => drop(header.shift_remove(f.name())),
            Edit::SetClaim(f, v) => set(&mut claims, f, v),
            Edit::RemoveClaim(f) => drop(claims.shift_remove(f.name())),
            Edit::RawHeader(bytes) => header_bytes = Some(bytes.clone()),
            Edit::RawPayload(bytes) => claims_bytes = Some(bytes.clone()),
            Edit::FlipSignature { at, bits } => {
                if !signature.is_empty() {
                    let len = signature.len();
                    signature[usize::from(*at) % len] ^= bits | 1;
                }
            }
            Edit::TruncateSignature(len) => signature.truncate(usize::from(*len)),
            Edit::ExtendSignature(bytes) => signature.extend_from_slice(bytes),
            Edit::SignatureOf(i) => {
                let other = &fx.tokens[usize::from(*i) % fx.tokens.len()].2;
                signature =
                    Base64UrlUnpadded::decode_vec(other.rsplit('.').next().unwrap_or_default())
                        .expect("a base token's signature");
            }
            _ => {}
        }
    }
    let header_bytes = header_bytes.unwrap_or_else(|| to_bytes(&header));
    let claims_bytes = claims_bytes.unwrap_or_else(|| to_bytes(&claims));
    let mut signed: Vec<String> = fx.tokens.iter().map(|t| t.2.clone()).collect();
    let mut token = if recipe.sign {
        let token = fixture::sign_ideal(&header_bytes, &claims_bytes);
        signed.push(token.clone());
        token
    } else {
        format!(
            "{}.{}.{}",
            encode(&header_bytes),
            encode(&claims_bytes),
            encode(&signature)
        )
    };
    // The text edits.
    let mut bytes = std::mem::take(&mut token).into_bytes();
    for edit in &recipe.edits {
        match edit {
            Edit::SetByte { at, byte } if !bytes.is_empty() => {
                let len = bytes.len();
                bytes[usize::from(*at) % len] = *byte;
            }
            Edit::InsertByte { at, byte } => {
                let at = usize::from(*at) % (bytes.len() + 1);
                bytes.insert(at, *byte);
            }
            Edit::RemoveByte(at) if !bytes.is_empty() => {
                let len = bytes.len();
                bytes.remove(usize::from(*at) % len);
            }
            Edit::SegmentOf { token: i, segment } => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let other = &fx.tokens[usize::from(*i) % fx.tokens.len()].2;
                let mut parts: Vec<&str> = text.split('.').collect();
                let theirs: Vec<&str> = other.split('.').collect();
                let at = usize::from(*segment) % 3;
                if parts.len() == 3 {
                    parts[at] = theirs[at];
                    bytes = parts.join(".").into_bytes();
                }
            }
            _ => {}
        }
    }
    let Ok(token) = String::from_utf8(bytes) else {
        return; // the verifier takes text
    };
    let verifier = fixture::verifier(&fx.jwks, Rs256::Ideal);
    if let Ok(claims) = now_or_never(verifier.verify(&token)) {
        assert!(
            signed.contains(&token),
            "accepted a token the key did not sign: {token:?} ({claims:?}), from {recipe:?}"
        );
    }
});
