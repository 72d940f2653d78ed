//! Everything that exists only in the browser: the [`WebPlatform`] (the Rust API's fetch,
//! clock and WebCrypto) and the wasm half of the JS package. Kept apart so the core builds
//! and tests natively.

#[cfg(all(feature = "js", not(feature = "rust-rsa")))]
mod bindings;
mod platform;
#[cfg(not(feature = "rust-rsa"))]
mod webcrypto;

#[cfg(all(feature = "js", not(feature = "rust-rsa")))]
pub use bindings::{
    decode_jwt, precompute_srp, secret_hash, srp_timestamp, wasm_module, JsClientCore, JsSrpCore,
    JsVerifierCore,
};
pub use platform::WebPlatform;

#[cfg(all(feature = "js", not(feature = "rust-rsa")))]
mod allocator;

#[cfg(all(feature = "js", not(feature = "rust-rsa")))]
#[global_allocator]
static ALLOCATOR: allocator::Classes = allocator::Classes::new();
