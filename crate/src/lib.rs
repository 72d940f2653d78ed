//! Amazon Cognito user pools from the browser: sign-up, SRP sign-in and client-side token
//! verification, in Rust compiled to WebAssembly.
//!
//! The core ([`api`], [`verify`], SRP, [`secret_hash`](mod@secret_hash)) is
//! platform-neutral: it reaches the network, the clock and RS256 through the [`Platform`]
//! trait. In the browser the `wasm` module supplies fetch, `Date.now` and WebCrypto, and the
//! npm package's core; natively the `native` feature supplies `native::NativePlatform`.
//!
//! `no_std` underneath: with the `std` feature (the default) the standard library is linked
//! and everything is there; without it only the JS package's core builds (see the `std`
//! feature), so that its wasm carries no `std` runtime.
#![deny(missing_docs)]
#![no_std]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

#[cfg(all(not(feature = "std"), not(all(target_arch = "wasm32", feature = "js"))))]
compile_error!(
    "without the `std` feature, cognito-wasm builds only as the JS package's core (wasm32, `js`)"
);

/// What the standard prelude gives, for a `no_std` crate.
mod prelude {
    pub(crate) use crate::concat;
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::string::String;
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
    // And what the tests use of it.
    #[cfg(test)]
    #[allow(unused_imports)] // some only in the native tests
    pub(crate) use std::{boxed::Box, format, string::ToString};
}

/// `parts` joined: `[a, b].concat()` without `join`'s capacity `expect`, whose message would
/// link `core::fmt`'s string padding into the JS package (about 1 KB of gzip).
pub(crate) fn concat(parts: &[&str]) -> alloc::string::String {
    let mut out = alloc::string::String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `s` split at the first `separator`, an ASCII byte (so both sides are `str`s): what
/// `split_once(char)` does without `core`'s char searcher, 0.6 KB of the package's wasm.
pub(crate) fn split_at_byte(s: &str, separator: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == separator)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

pub mod api;
mod crypto;
pub mod error;
mod lock;
pub(crate) use encoding::base64;
// The library's own strict JSON: its inputs, answers and claims are Rust types instead.
pub(crate) use encoding::json;
pub mod password_policy;
pub mod platform;
pub mod secret_hash;
#[cfg(feature = "serde")]
mod serde_impls;
// Cognito's SRP: its steps and server side are public only for emulators and tests.
#[cfg(feature = "srp-server")]
pub mod srp;
#[cfg(not(feature = "srp-server"))]
mod srp;
pub mod verify;

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub mod native;

#[cfg(any(
    feature = "rust-rsa",
    all(feature = "native", not(target_arch = "wasm32"))
))]
mod rs256;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use api::{
    Challenge, Client, ClientConfig, CodeDelivery, SignInResult, SignUpResult, Tokens, User,
};
pub use error::{CognitoException, Error};
pub use platform::{HttpResponse, Platform};
pub use secret_hash::secret_hash;
pub use srp::precompute as precompute_srp;
pub use verify::{ClaimValue, Claims, TokenUse, Verifier, VerifierConfig, VerifyError};

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub use native::NativePlatform;
#[cfg(all(feature = "std", target_arch = "wasm32"))]
pub use wasm::WebPlatform;
