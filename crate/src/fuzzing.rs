//! Not an API: what the fuzz targets (`fuzz/`) drive that the crate does not export, as thin
//! wrappers, so the modules stay private. Only with the `fuzzing` feature, hidden from the
//! docs, and free to change with any commit.
//!
//! The answer readers need nothing here: the targets reach them through [`crate::Client`] over
//! a platform that answers with the fuzzer's bytes, the path real answers take.

use crate::prelude::*;

use crate::error::Error;
use crate::platform::{HttpResponse, Platform};
use crate::size_classes::{Arena, SizeClasses, PAGE};
use crate::verify::jwks::Jwks;
use crate::verify::{Verifier, VerifierConfig, VerifyError};

/// An answer body read by the npm package's shapes (`api/shapes.rs`) and by the typed readers
/// they stand for, as the kind of answer `kind` picks: `None` when the body is not a JSON
/// object (neither reads it), else the two results, which must be equal.
pub fn answer_shapes(
    kind: u8,
    body: &str,
) -> Option<(Result<String, Error>, Result<String, Error>)> {
    use crate::api::shapes::{self, reference};
    let o = crate::json::parse_object(body).ok()?;
    let kinds = reference::KINDS;
    let kind = *kinds.get(usize::from(kind) % kinds.len())?;
    Some((shapes::answer(kind, &o), reference::answer(kind, &o)))
}

/// A token's parts as the verifier's split (`verify/jwt.rs`) gives them.
#[derive(Debug)]
pub struct JwtParts {
    /// The header, parsed and written back as compact JSON.
    pub header: String,
    /// The payload's JSON text, as sent.
    pub payload_json: String,
    /// The payload, parsed and written back as compact JSON.
    pub payload: String,
    /// What the signature covers: `header.payload` as in the token.
    pub signed: String,
    /// The signature's bytes.
    pub signature: Vec<u8>,
}

/// The JWT split's verdict on `token`: its error, or `Ok(None)` when the split accepts it but
/// the header rules (alg, crit, kid) refuse it (the split's parts are reached through the
/// verifier's first step, which applies them), or the parts.
pub fn jwt_split(token: &str) -> Result<Option<JwtParts>, VerifyError> {
    // The split alone: what `decode_unverified_json` is.
    let payload_json = crate::verify::decode_unverified_json(token)?;
    let verifier = Verifier::new(
        VerifierConfig::new("us-east-1_fuzz", ["fuzz"], None),
        Offline,
    )?;
    let Ok(started) = verifier.start(token) else {
        return Ok(None);
    };
    let jws = started.jws;
    debug_assert_eq!(jws.payload_json, payload_json);
    Ok(Some(JwtParts {
        header: crate::json::Value::Object(jws.header).to_json(),
        payload_json: jws.payload_json,
        payload: crate::json::Value::Object(jws.payload).to_json(),
        signed: jws.signed.to_owned(),
        signature: jws.signature,
    }))
}

/// One key of a parsed JWKS: its id, and its RSA components for RS256 or why it may not
/// verify RS256 tokens.
#[derive(Debug)]
pub struct JwkVerdict {
    /// The `kid`.
    pub kid: Option<String>,
    /// `(modulus, exponent)`, big-endian, or the refusal.
    pub rs256: Result<(Vec<u8>, Vec<u8>), VerifyError>,
}

/// The JWKS parser (`verify/jwks.rs`) on `body`, and each key's check for RS256.
pub fn jwks(body: &str) -> Result<Vec<JwkVerdict>, VerifyError> {
    let jwks = Jwks::parse(body)?;
    Ok(jwks
        .keys
        .iter()
        .map(|k| JwkVerdict {
            kid: k.kid.clone(),
            rs256: k.rsa_for("RS256").map(|r| (r.modulus, r.exponent)),
        })
        .collect())
}

/// The npm package's allocator (`size_classes.rs`, as `wasm/allocator.rs` runs it) over a
/// simulated memory of `max_pages` at most, one page of it the "module".
pub struct Allocator(SizeClasses<Arena>);

impl Allocator {
    /// A fresh allocator; its memory may grow to `max_pages` pages of 64 KiB.
    pub fn new(max_pages: usize) -> Allocator {
        Allocator(SizeClasses::new(Arena::new(1, max_pages)))
    }

    /// The page size.
    pub const PAGE: usize = PAGE;

    /// `alloc(size, align)`: an address, or `None` for null.
    pub fn alloc(&mut self, size: usize, align: usize) -> Option<usize> {
        self.0.alloc(size, align)
    }

    /// `dealloc`: the caller passes what `alloc` or `realloc` gave, with its layout.
    pub fn free(&mut self, addr: usize, size: usize, align: usize) {
        // SAFETY: the memory is a `Vec`: a wrong address is a panic, never undefined behaviour.
        unsafe { self.0.free(addr, size, align) }
    }

    /// `realloc`: the new address, or `None` (the block untouched).
    pub fn realloc(
        &mut self,
        addr: usize,
        size: usize,
        align: usize,
        new_size: usize,
    ) -> Option<usize> {
        // SAFETY: as `free`.
        unsafe { self.0.realloc(addr, size, align, new_size) }
    }

    /// The simulated memory's bytes (blocks are ranges of it).
    pub fn memory(&mut self) -> &mut [u8] {
        &mut self.0.memory().bytes
    }
}

/// A platform with no network, no keys and no clock, for the verifier's first step.
struct Offline;

impl Platform for Offline {
    type Key = ();

    async fn post_json(&self, _: &str, _: &str, _: String) -> Result<HttpResponse, Error> {
        Err(Error::Network("offline".into()))
    }

    async fn get(&self, _: &str) -> Result<HttpResponse, Error> {
        Err(Error::Network("offline".into()))
    }

    fn now(&self) -> f64 {
        0.0
    }

    async fn import_rsa_key(&self, _: &[u8], _: &[u8]) -> Result<(), String> {
        Err("offline".into())
    }

    async fn verify_rs256(&self, _: &(), _: &[u8], _: &[u8]) -> Result<bool, String> {
        Ok(false)
    }
}
