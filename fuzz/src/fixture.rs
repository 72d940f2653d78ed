//! The token target's world: one RSA-2048 key generated from a fixed seed (so a crash
//! reproduces), the JWKS that publishes it, Cognito-shaped ID and access tokens it signed, and
//! a platform that serves that JWKS, verifies RS256, and stops its clock when the tokens are
//! fresh.
//!
//! Two ways to verify ([`Rs256`]): the native platform's RSA, or an ideal signature scheme
//! that stands in for it in the fuzz loop. RSA signing and verifying under libFuzzer's
//! coverage instrumentation ran the target at 70 inputs a second; the ideal scheme accepts a
//! signature exactly when this process signed that signing input with the fixture's key
//! (the modulus it was imported with must be the fixture's), which is what an unforgeable
//! RS256 does, so the property under test (only what the key signed is accepted) is the
//! same, and what the verifier does around the platform call (which key, which bytes, which
//! claims) is all still ours. RSA itself is WebCrypto's or the rsa crate's, tested by the
//! key-rules suites; the base tokens are real RS256, checked with it when the fixture is made.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_wasm::{
    Error, HttpResponse, NativePlatform, Platform, TokenUse, Verifier, VerifierConfig,
};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

pub const POOL: &str = "us-east-1_FuzzPool1";
pub const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FuzzPool1";
pub const CLIENT: &str = "fuzzclient0000000000000001";
pub const KID: &str = "fuzz-kid-1";
/// The clock: the tokens were issued at this second, and expire an hour later.
pub const NOW: i64 = 1_700_000_000;

pub struct Fixture {
    pub key: SigningKey<Sha256>,
    /// The key's modulus, big-endian: the one key the ideal scheme verifies with.
    pub modulus: Vec<u8>,
    /// The JWKS: the key under [`KID`], and a key too short to use under `short`.
    pub jwks: String,
    /// `(header, claims)` of each base token, and the token signed.
    pub tokens: Vec<(Map<String, Value>, Map<String, Value>, String)>,
}

/// Built once per process (RSA key generation is the slow part).
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        let private = RsaPrivateKey::new(&mut rng, 2048).expect("RSA key generation");
        let b64 = |bytes: &[u8]| Base64UrlUnpadded::encode_string(bytes);
        let jwks = json!({ "keys": [
            {
                "alg": "RS256", "e": b64(&private.e().to_bytes_be()), "kid": KID,
                "kty": "RSA", "n": b64(&private.n().to_bytes_be()), "use": "sig",
            },
            // A 64-bit modulus: refused by size, whatever signs with it.
            { "alg": "RS256", "e": "AQAB", "kid": "short", "kty": "RSA", "n": "xAAAAAAAAAE", "use": "sig" },
        ]})
        .to_string();
        let key = SigningKey::<Sha256>::new(private);
        let mut tokens = Vec::new();
        for (header, claims) in [
            (json!({ "kid": KID, "alg": "RS256" }), id_claims()),
            (json!({ "kid": KID, "alg": "RS256" }), access_claims()),
        ] {
            let (header, claims) = (object(header), object(claims));
            let token = sign(&key, &to_bytes(&header), &to_bytes(&claims));
            tokens.push((header, claims, token));
        }
        let modulus = key.as_ref().n().to_bytes_be();
        let fixture = Fixture { key, modulus, jwks, tokens };
        for (_, _, token) in &fixture.tokens {
            let verdict =
                crate::now_or_never(verifier(&fixture.jwks, Rs256::Native).verify(token));
            assert!(verdict.is_ok(), "a base token is refused: {verdict:?}");
            let mut signed = ideal_signed().lock().unwrap_or_else(|e| e.into_inner());
            signed.0.insert(split_signed(token));
        }
        fixture
    })
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("a literal object"),
    }
}

/// How the fixture's platform checks an RS256 signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rs256 {
    /// The native platform's RSA (the rsa crate).
    Native,
    /// The ideal scheme: `(signing input, signature)` pairs this process signed (see the
    /// module's docs).
    Ideal,
}

type Signed = (Vec<u8>, Vec<u8>);

/// What the ideal scheme has signed, as `(signing input, signature)`: the base tokens, and the
/// one token signed for the current input (one, or the set would grow by a token per input).
fn ideal_signed() -> &'static Mutex<(HashSet<Signed>, Option<Signed>)> {
    static SIGNED: OnceLock<Mutex<(HashSet<Signed>, Option<Signed>)>> = OnceLock::new();
    SIGNED.get_or_init(Default::default)
}

fn split_signed(token: &str) -> Signed {
    let (input, signature) = token.rsplit_once('.').expect("a token we made");
    let signature = Base64UrlUnpadded::decode_vec(signature).expect("a signature we encoded");
    (input.as_bytes().to_vec(), signature)
}

/// Forgets the token signed for the previous input: call first for each input.
pub fn forget_last() {
    ideal_signed().lock().unwrap_or_else(|e| e.into_inner()).1 = None;
}

/// `header.claims.signature` under the ideal scheme: 256 bytes (the modulus's length, which
/// the verifier checks before the platform) derived from the signing input, and remembered.
pub fn sign_ideal(header: &[u8], claims: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header),
        Base64UrlUnpadded::encode_string(claims)
    );
    let signature: Vec<u8> = (0u8..8)
        .flat_map(|i| {
            Sha256::new()
                .chain_update([i])
                .chain_update(&input)
                .finalize()
        })
        .collect();
    let token = format!("{input}.{}", Base64UrlUnpadded::encode_string(&signature));
    ideal_signed().lock().unwrap_or_else(|e| e.into_inner()).1 = Some(split_signed(&token));
    token
}

pub fn to_bytes(m: &Map<String, Value>) -> Vec<u8> {
    serde_json::to_vec(m).expect("a map of JSON values serialises")
}

/// `header.claims.signature`, signed RS256 with `key`.
pub fn sign(key: &SigningKey<Sha256>, header: &[u8], claims: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header),
        Base64UrlUnpadded::encode_string(claims)
    );
    let signature = key.sign(input.as_bytes()).to_bytes();
    format!("{input}.{}", Base64UrlUnpadded::encode_string(&signature))
}

fn id_claims() -> Value {
    json!({
        "sub": "a1b2c3d4-0000-4000-8000-00000000a11c",
        "cognito:groups": ["editors"],
        "email_verified": true,
        "iss": ISSUER,
        "cognito:username": "alice",
        "aud": CLIENT,
        "token_use": "id",
        "auth_time": NOW,
        "exp": NOW + 3600,
        "iat": NOW,
        "jti": "5f6e7d8c-3333-4333-8333-333333333333",
        "email": "alice@example.com",
    })
}

fn access_claims() -> Value {
    json!({
        "sub": "a1b2c3d4-0000-4000-8000-00000000a11c",
        "iss": ISSUER,
        "client_id": CLIENT,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": NOW,
        "exp": NOW + 3600,
        "iat": NOW,
        "jti": "6a7b8c9d-4444-4444-8444-444444444444",
        "username": "alice",
    })
}

/// A verifier of the pool's tokens (either use) with `jwks` cached, checking RS256 as `rs256`
/// says.
pub fn verifier(jwks: &str, rs256: Rs256) -> Verifier<FixturePlatform> {
    let config = VerifierConfig::new(POOL, [CLIENT], None::<TokenUse>);
    let platform = FixturePlatform {
        jwks: jwks.to_owned(),
        native: NativePlatform::default(),
        rs256,
    };
    let verifier = Verifier::new(config, platform).expect("a valid configuration");
    verifier
        .cache_jwks(jwks)
        .expect("the fixture's JWKS parses");
    verifier
}

/// Serves the JWKS, verifies RS256 (natively or ideally), and reads [`NOW`].
pub struct FixturePlatform {
    jwks: String,
    native: NativePlatform,
    rs256: Rs256,
}

/// A key as the fixture's platform imported it.
pub enum FixtureKey {
    Native(<NativePlatform as Platform>::Key),
    /// The modulus, big-endian, without leading zeros (as the verifier hands it over).
    Ideal(Vec<u8>),
}

impl Platform for FixturePlatform {
    type Key = FixtureKey;

    async fn post_json(&self, _: &str, _: &str, _: String) -> Result<HttpResponse, Error> {
        Err(Error::Network("the token fixture makes no calls".into()))
    }

    async fn get(&self, _: &str) -> Result<HttpResponse, Error> {
        Ok(HttpResponse {
            status: 200,
            body: self.jwks.clone(),
            error_type: None,
        })
    }

    fn now(&self) -> f64 {
        NOW as f64
    }

    async fn import_rsa_key(&self, modulus: &[u8], exponent: &[u8]) -> Result<Self::Key, String> {
        match self.rs256 {
            Rs256::Native => Ok(FixtureKey::Native(
                self.native.import_rsa_key(modulus, exponent).await?,
            )),
            Rs256::Ideal => Ok(FixtureKey::Ideal(modulus.to_vec())),
        }
    }

    async fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, String> {
        match key {
            FixtureKey::Native(key) => self.native.verify_rs256(key, message, signature).await,
            FixtureKey::Ideal(modulus) => {
                let pair = (message.to_vec(), signature.to_vec());
                let signed = ideal_signed().lock().unwrap_or_else(|e| e.into_inner());
                let known = signed.0.contains(&pair) || signed.1.as_ref() == Some(&pair);
                Ok(*modulus == fixture().modulus && known)
            }
        }
    }
}
