//! RS256 (RSASSA-PKCS1-v1_5 with SHA-256) verification with RustCrypto's `rsa` crate: the
//! native platform's, and the browser's when built with `rust-rsa` (no WebCrypto).

use crate::prelude::*;
use alloc::string::ToString;

use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier as _;
use rsa::{BigUint, RsaPublicKey};
use sha2::Sha256;

/// A public key ready to verify.
pub(crate) type Key = VerifyingKey<Sha256>;

/// A key from its big-endian modulus and exponent.
pub(crate) fn import(modulus: &[u8], exponent: &[u8]) -> Result<Key, String> {
    RsaPublicKey::new(
        BigUint::from_bytes_be(modulus),
        BigUint::from_bytes_be(exponent),
    )
    .map(VerifyingKey::new)
    .map_err(|e| e.to_string())
}

/// Whether `signature` signs `message` (a malformed signature simply does not).
pub(crate) fn verify(key: &Key, message: &[u8], signature: &[u8]) -> bool {
    Signature::try_from(signature).is_ok_and(|s| key.verify(message, &s).is_ok())
}
