//! RS256 with WebCrypto: the browser's own RSA, in native code, no bytes in our module.

use crate::prelude::*;

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey, SubtleCrypto};

use super::js_text::js_text;

/// `crypto.subtle` and the RS256 algorithm object, looked up and built once per module
/// instance: finding them anew on every verification was a quarter of its time.
fn handles() -> Result<(SubtleCrypto, Object), String> {
    std::thread_local! {
        static HANDLES: core::cell::RefCell<Option<(SubtleCrypto, Object)>> =
            const { core::cell::RefCell::new(None) };
    }
    if let Some(h) = HANDLES.with(|cell| cell.borrow().clone()) {
        return Ok(h);
    }
    let h = (subtle()?, rs256_algorithm()?);
    HANDLES.with(|cell| *cell.borrow_mut() = Some(h.clone()));
    Ok(h)
}

fn subtle() -> Result<SubtleCrypto, String> {
    Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .and_then(|c| c.dyn_into::<Crypto>().ok())
        .map(|c| c.subtle())
        .ok_or_else(|| {
            "WebCrypto (crypto.subtle) is not available: serve the page over https or localhost"
                .to_owned()
        })
}

fn rs256_algorithm() -> Result<Object, String> {
    let alg = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&alg, &k.into(), v).map(drop);
    set("name", &"RSASSA-PKCS1-v1_5".into())
        .and_then(|_| set("hash", &"SHA-256".into()))
        .map_err(|e| js_text(&e))?;
    Ok(alg)
}

/// `crypto.subtle.importKey("jwk", ...)` for RSASSA-PKCS1-v1_5 / SHA-256, verify only.
pub(super) async fn import(modulus: &[u8], exponent: &[u8]) -> Result<CryptoKey, String> {
    use crate::base64::{encode, Alphabet::UrlUnpadded};
    let jwk = Object::new();
    for (k, v) in [
        ("kty", "RSA".to_owned()),
        ("alg", "RS256".to_owned()),
        ("n", encode(modulus, UrlUnpadded)),
        ("e", encode(exponent, UrlUnpadded)),
    ] {
        Reflect::set(&jwk, &k.into(), &v.into()).map_err(|e| js_text(&e))?;
    }
    let usages = js_sys::Array::of1(&"verify".into());
    let (subtle, algorithm) = handles()?;
    let promise = subtle
        .import_key_with_object("jwk", &jwk, &algorithm, false, &usages)
        .map_err(|e| js_text(&e))?;
    JsFuture::from(promise)
        .await
        .map_err(|e| js_text(&e))?
        .dyn_into()
        .map_err(|_| "importKey did not give a CryptoKey".to_owned())
}

/// `crypto.subtle.verify(...)`: whether `signature` signs `message`.
pub(super) async fn verify(
    key: &CryptoKey,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    let (subtle, algorithm) = handles()?;
    // SAFETY: the views alias wasm memory only until `verify` returns, and WebCrypto copies
    // its inputs before it returns (WebCrypto's "get a copy of the bytes held by" step).
    // Nothing in between allocates in wasm, so the memory cannot grow and detach them.
    // (Copying into fresh Uint8Arrays instead was 6% of a verification.)
    let (signature, message) = unsafe {
        (
            js_sys::Uint8Array::view(signature),
            js_sys::Uint8Array::view(message),
        )
    };
    let promise = subtle
        .verify_with_object_and_buffer_source_and_buffer_source(
            &algorithm, key, &signature, &message,
        )
        .map_err(|e| js_text(&e))?;
    Ok(JsFuture::from(promise)
        .await
        .map_err(|e| js_text(&e))?
        .as_bool()
        .unwrap_or(false))
}
