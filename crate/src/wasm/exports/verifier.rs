//! `TokenVerifier`'s core: the token checks, the JWKS and its refetch rule, the prepared keys'
//! indices. The driver fetches, waits, imports keys and runs WebCrypto when this says so.

use crate::prelude::*;

use core::cell::Cell;

use super::errors::{invalid_input, verify_err};
use super::mailbox::{call, free, split, text, Reply};
use super::objects::{Driver, VerifierCore, Waiting};
use super::options::{response, Options};

use crate::json::{self, ObjectWriter, Value};

use crate::verify::jwks::Jwk;
use crate::verify::{
    check_length, read_jwks, Next, TokenUse, Verifier, VerifierConfig, VerifyError,
};

/// Runs one call on the verifier `verifier`.
fn with_verifier<R: Into<Reply>>(
    verifier: u32,
    f: impl FnOnce(&[u8], &mut VerifierCore) -> Result<R, String>,
) -> u32 {
    call(|inbox, o| f(inbox, o.verifiers.get(verifier)?).map(Into::into))
}

/// A verifier for the options (`TokenVerifierOptions`, JSON) in the inbox; fetches nothing.
/// Replies `handle \n JWKS URI`.
#[export_name = "cw_verifier_new"]
pub extern "C" fn verifier_new() -> u32 {
    call(|inbox, o| {
        let options = Options::read(
            "TokenVerifier options",
            text(inbox)?,
            &[&[
                "userPoolId",
                "clientId",
                "tokenUse",
                "graceSeconds",
                "groups",
                "issuer",
                "jwksUri",
                "timeoutMs",
            ]],
        )?;
        // Required, possibly null: being explicit about which tokens are accepted is the point.
        let token_use = match options.o.get("tokenUse") {
            Some(Value::Null) => None,
            Some(Value::String(s)) if s == "id" => Some(TokenUse::Id),
            Some(Value::String(s)) if s == "access" => Some(TokenUse::Access),
            _ => return Err(options.wrong("tokenUse", "\"id\", \"access\" or null")),
        };
        options.opt_count("timeoutMs")?;
        let user_pool_id = options.req_str("userPoolId")?;
        let client_ids = options
            .strings("clientId")?
            .ok_or_else(|| options.wrong("clientId", "a string or a list of strings"))?;
        let config = VerifierConfig {
            grace_seconds: options.opt_count("graceSeconds")?.unwrap_or(0).into(),
            groups: options.strings("groups")?,
            issuer: options.opt_str("issuer")?,
            jwks_uri: options.opt_str("jwksUri")?,
            ..VerifierConfig::new(user_pool_id, client_ids, token_use)
        };
        let driver = Driver {
            now: Cell::new(0.0),
        };
        let inner = Verifier::new(config, driver).map_err(|e| verify_err(&e))?;
        let uri = inner.jwks_uri().to_owned();
        let core = VerifierCore {
            inner,
            waiting: Vec::new(),
        };
        let handle = o.verifiers.add(core);
        Ok(concat(&[&handle, "\n", &uri]))
    })
}

/// For the token in the inbox, when its key is prepared, what WebCrypto is to check, the
/// rest kept under `id` for `verifier_finish`: five little-endian u32s, the key, the signed
/// input's address and length, the signature's address and length (in this module's memory,
/// valid until `verifier_finish`). Nothing (2) when the key is not prepared (see
/// `verifier_import_key`). Fails with what the token's shape and header already refuse.
#[export_name = "cw_verifier_verify"]
pub extern "C" fn verifier_verify(verifier: u32, id: u32) -> u32 {
    with_verifier(verifier, |inbox, v| {
        let started = v.inner.start(text(inbox)?).map_err(|e| verify_err(&e))?;
        let Some((key, length)) = started.key else {
            return Ok(Reply::Nothing);
        };
        let jws = started.jws;
        check_length(&jws.signature, length).map_err(|e| verify_err(&e))?;
        let w = Waiting {
            signed: jws.signed.as_bytes().into(),
            signature: jws.signature,
            payload: jws.payload,
            json: jws.payload_json,
        };
        // wasm32: addresses and lengths fit in u32. The boxed slice and the vector's buffer
        // do not move when the list grows.
        let plan = [
            *key,
            w.signed.as_ptr() as u32,
            w.signed.len() as u32,
            w.signature.as_ptr() as u32,
            w.signature.len() as u32,
        ];
        v.waiting.push((id, w));
        let mut out = Vec::with_capacity(20);
        for n in plan {
            out.extend_from_slice(&n.to_le_bytes());
        }
        Ok(Reply::Bytes(out))
    })
}

/// The claims (JSON) of the verification kept under `id`, now that WebCrypto has answered:
/// `outcome` 1 if its promise gave `true`, 0 if anything else, 2 if it was rejected (the
/// inbox then says why). `now` is the time, in seconds since the epoch.
#[export_name = "cw_verifier_finish"]
pub extern "C" fn verifier_finish(
    verifier: u32,
    id: u32,
    outcome: u32,
    now: f64,
    clock: u32,
) -> u32 {
    with_verifier(verifier, |inbox, v| {
        let at = v.waiting.iter().position(|(i, _)| *i == id);
        let w = at
            .map(|at| v.waiting.swap_remove(at).1)
            .ok_or_else(|| verify_err(&VerifyError::Platform("no such verification".into())))?;
        if outcome == 2 {
            return Err(verify_err(&VerifyError::Platform(text(inbox)?.to_owned())));
        }
        v.inner.platform().now.set(now);
        v.inner
            .check(&w.payload, outcome == 1, clock != 0)
            .map_err(|e| verify_err(&e))?;
        Ok(w.json)
    })
}

/// The JWK (JSON, as `crypto.subtle.importKey("jwk", ...)` takes it, with its `kid`), checked,
/// for the kid
/// of the token in the inbox when the cached JWKS lists it; nothing (2) when it does not
/// (fetch the JWKS, then ask again with `fetched` 1: a kid still missing is then
/// KidNotFoundInJwksError).
#[export_name = "cw_verifier_import_key"]
pub extern "C" fn verifier_import_key(verifier: u32, fetched: u32) -> u32 {
    with_verifier(verifier, |inbox, v| {
        use crate::base64::{encode, Alphabet::UrlUnpadded};
        let started = v.inner.start(text(inbox)?).map_err(|e| verify_err(&e))?;
        match v
            .inner
            .key_material(&started.kid, &started.alg, fetched == 1)
        {
            Ok(Some(rsa)) => Ok(ObjectWriter::new()
                .string("kid", &started.kid)
                .string("kty", "RSA")
                .string("alg", "RS256")
                .string("n", &encode(&rsa.modulus, UrlUnpadded))
                .string("e", &encode(&rsa.exponent, UrlUnpadded))
                .finish()
                .into()),
            Ok(None) if fetched == 1 => Err(verify_err(&VerifyError::KidNotFound(started.kid))),
            Ok(None) => Ok(Reply::Nothing),
            Err(e) => Err(verify_err(&e)),
        }
    })
}

/// Keeps `key`, the index of the driver's `CryptoKey` imported from the JWK in the inbox (as
/// `verifier_import_key` gave it): bound to that JWK's kid, modulus and exponent, and kept
/// only if the cached JWKS still lists them (else JwksValidationError).
#[export_name = "cw_verifier_add_key"]
pub extern "C" fn verifier_add_key(verifier: u32, key: u32) -> u32 {
    with_verifier(verifier, |inbox, v| {
        let added = json::parse_object(text(inbox)?)
            .map_err(|e| VerifyError::JwksInvalid(e.message()))
            .and_then(|o| Jwk::from_json(&o))
            .and_then(|jwk| {
                let rsa = jwk.components()?;
                v.inner
                    .add_key(jwk.kid.as_deref().unwrap_or_default(), rsa, key)
            });
        added.map_err(|e| verify_err(&e))?;
        Ok(String::new())
    })
}

/// What to do for a token whose kid the cached JWKS lacks (or for a prefetch, `force` 1),
/// at `now` (seconds since the epoch): `fetch` (then report with `verifier_jwks_fetched`),
/// `wait` (for the fetch under way, then look again), nothing (2: in the pause after a fetch
/// that lacked the kid) or the error of the fetch whose pause this is. The rule is
/// the key cache's (`verify::key_cache`), the Rust `Verifier`'s own.
#[export_name = "cw_verifier_jwks_next"]
pub extern "C" fn verifier_jwks_next(verifier: u32, force: u32, now: f64) -> u32 {
    with_verifier(verifier, |_, v| {
        v.inner
            .with_cache(|cache| match cache.next(now, force == 1) {
                Next::Fetch => Ok(Reply::from(String::from("fetch"))),
                Next::Wait { .. } => Ok(Reply::from(String::from("wait"))),
                Next::Paused => cache
                    .last_error()
                    .map_or(Ok(Reply::Nothing), |e| Err(verify_err(e))),
            })
    })
}

/// A JWKS fetch's outcome (as `client_answer` takes one; the inbox `kind \n body`), stored
/// when it is a JWKS, told to the key cache either way.
#[export_name = "cw_verifier_jwks_fetched"]
pub extern "C" fn verifier_jwks_fetched(verifier: u32, status: u32) -> u32 {
    with_verifier(verifier, |inbox, v| {
        let (kind, body) = split(inbox)?;
        let status = u16::try_from(status).map_err(|_| invalid_input(&["an HTTP status"]))?;
        let jwks = read_jwks(v.inner.jwks_uri(), response(status, kind, body));
        v.inner
            .with_cache(|cache| cache.fetched(jwks).map_err(verify_err))?;
        Ok(String::new())
    })
}

/// Uses the JWKS document in the inbox instead of fetching one.
#[export_name = "cw_verifier_cache_jwks"]
pub extern "C" fn verifier_cache_jwks(verifier: u32) -> u32 {
    with_verifier(verifier, |inbox, v| {
        v.inner
            .cache_jwks(text(inbox)?)
            .map_err(|e| verify_err(&e))?;
        Ok(String::new())
    })
}

/// Forgets a verifier.
#[export_name = "cw_verifier_free"]
pub extern "C" fn verifier_free(verifier: u32) {
    free(|o| o.verifiers.free(verifier));
}
