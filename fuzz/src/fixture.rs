//! The token target's world: one RSA-2048 key generated from a fixed seed (so a crash
//! reproduces), the JWKS that publishes it, Cognito-shaped ID and access tokens it signed, and
//! a platform that serves that JWKS, verifies RS256 as the native platform does, and stops
//! its clock when the tokens are fresh.

use std::sync::OnceLock;

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
use sha2::Sha256;

pub const POOL: &str = "us-east-1_FuzzPool1";
pub const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_FuzzPool1";
pub const CLIENT: &str = "fuzzclient0000000000000001";
pub const KID: &str = "fuzz-kid-1";
/// The clock: the tokens were issued at this second, and expire an hour later.
pub const NOW: i64 = 1_700_000_000;

pub struct Fixture {
    pub key: SigningKey<Sha256>,
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
        let fixture = Fixture { key, jwks, tokens };
        for (_, _, token) in &fixture.tokens {
            let verdict = crate::now_or_never(verifier(&fixture.jwks).verify(token));
            assert!(verdict.is_ok(), "a base token is refused: {verdict:?}");
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

/// A verifier of the pool's tokens (either use) with `jwks` cached.
pub fn verifier(jwks: &str) -> Verifier<FixturePlatform> {
    let config = VerifierConfig::new(POOL, [CLIENT], None::<TokenUse>);
    let platform = FixturePlatform {
        jwks: jwks.to_owned(),
        native: NativePlatform::default(),
    };
    let verifier = Verifier::new(config, platform).expect("a valid configuration");
    verifier
        .cache_jwks(jwks)
        .expect("the fixture's JWKS parses");
    verifier
}

/// Serves the JWKS, verifies with the native platform's RS256, and reads [`NOW`].
pub struct FixturePlatform {
    jwks: String,
    native: NativePlatform,
}

impl Platform for FixturePlatform {
    type Key = <NativePlatform as Platform>::Key;

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
        self.native.import_rsa_key(modulus, exponent).await
    }

    async fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, String> {
        self.native.verify_rs256(key, message, signature).await
    }
}
