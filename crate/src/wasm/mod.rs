//! Everything that exists only in the browser: the [`WebPlatform`] and the JS bindings.
//! Kept apart so the core builds and tests natively.

#[cfg(feature = "js")]
mod bindings;
mod platform;
#[cfg(feature = "js")]
mod srp_worker;
#[cfg(not(feature = "rust-rsa"))]
mod webcrypto;

#[cfg(feature = "js")]
pub use bindings::{
    decode_jwt, precompute_srp, secret_hash, srp_timestamp, JsClient, JsSrpSession, JsVerifier,
};
pub use platform::WebPlatform;
