//! RS256 JWTs as Cognito issues them, and their checks.
//!
//! One RSA-2048 key per emulator process, made in the background at start (`Keys::generate`
//! takes 0.1-1 s), so the emulator answers `/health` at once and only the first token waits.

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub struct Keys {
    kid: String,
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    jwk: Value,
}

impl Keys {
    pub fn generate() -> Result<Keys, rsa::Error> {
        let private = RsaPrivateKey::new(&mut rand_core::OsRng, 2048)?;
        let public = private.to_public_key();
        let n = public.n().to_bytes_be();
        let e = public.e().to_bytes_be();
        // Cognito's kids are base64 SHA-256-sized strings; ours is the key's own fingerprint.
        let kid =
            Base64::encode_string(&Sha256::new().chain_update(&n).chain_update(&e).finalize());
        let jwk = json!({
            "alg": "RS256",
            "e": Base64UrlUnpadded::encode_string(&e),
            "kid": kid,
            "kty": "RSA",
            "n": Base64UrlUnpadded::encode_string(&n),
            "use": "sig",
        });
        Ok(Keys {
            kid,
            signing: SigningKey::new(private),
            verifying: VerifyingKey::new(public),
            jwk,
        })
    }

    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk] })
    }

    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "kid": self.kid, "alg": "RS256" });
        let signing_input = format!(
            "{}.{}",
            Base64UrlUnpadded::encode_string(header.to_string().as_bytes()),
            Base64UrlUnpadded::encode_string(claims.to_string().as_bytes())
        );
        let signature = self.signing.sign(signing_input.as_bytes()).to_bytes();
        format!(
            "{signing_input}.{}",
            Base64UrlUnpadded::encode_string(&signature)
        )
    }

    /// The claims of a token this process signed, if its header and signature check out.
    /// Expiry, issuer, use and revocation are the caller's checks.
    pub fn verified_claims(&self, token: &str) -> Option<Value> {
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: Value =
            serde_json::from_slice(&Base64UrlUnpadded::decode_vec(header).ok()?).ok()?;
        if header.get("alg")? != "RS256" || header.get("kid")? != self.kid.as_str() {
            return None;
        }
        let signature =
            Signature::try_from(Base64UrlUnpadded::decode_vec(signature).ok()?.as_slice()).ok()?;
        let signing_input = &token[..header_len(token)?];
        self.verifying
            .verify(signing_input.as_bytes(), &signature)
            .ok()?;
        serde_json::from_slice(&Base64UrlUnpadded::decode_vec(payload).ok()?).ok()
    }
}

/// Length of `header.payload`, the signed part.
fn header_len(token: &str) -> Option<usize> {
    token.rfind('.')
}
