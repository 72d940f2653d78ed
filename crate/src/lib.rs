//! Amazon Cognito user pools from Rust, in the browser (wasm32) and natively: sign-up,
//! confirmation, sign-in with a password or with `USER_SRP_AUTH` (the password never leaves
//! the device), refresh, sign-out, password reset, account self-service, and verification of
//! ID and access tokens against the pool's JWKS with every check aws-jwt-verify makes.
//!
//! A [`Client`] makes the calls, a [`Verifier`] checks tokens, and a
//! [`SessionClient`](session::SessionClient) keeps a signed-in user's session over both
//! (stored, refreshed before expiry, every token verified). Both run over a [`Platform`],
//! the host's network, clock and RS256: [`WebPlatform`] in the browser (fetch, `Date.now`,
//! WebCrypto; on `wasm32`), [`NativePlatform`] on a server (blocking HTTP with ureq, the `rsa`
//! crate; the `native` feature). Another host implements the trait.
//!
//! ```no_run
//! # #[cfg(not(target_arch = "wasm32"))] // the native platform
//! # mod example {
//! use cognito_wasm::{
//!     Client, ClientConfig, NativePlatform, SignInResult, TokenUse, Verifier, VerifierConfig,
//! };
//!
//! # async fn sign_in() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(
//!     ClientConfig {
//!         user_pool_id: "us-east-1_AbC123xyz".into(),
//!         client_id: "4tq8a9c1h2e3f4g5h6i7j8k9l0".into(),
//!         ..ClientConfig::default()
//!     },
//!     NativePlatform::default(),
//! )?;
//! let tokens = match client.sign_in_srp("alice", "Correct-Horse-9").await? {
//!     SignInResult::Tokens(tokens) => tokens,
//!     // MFA, a new password, ...: answered with `client.respond_to_challenge`.
//!     SignInResult::Challenge(challenge) => return Err(challenge.name.into()),
//! };
//!
//! let verifier = Verifier::new(
//!     VerifierConfig::new(
//!         "us-east-1_AbC123xyz",
//!         ["4tq8a9c1h2e3f4g5h6i7j8k9l0"],
//!         Some(TokenUse::Id),
//!     ),
//!     NativePlatform::default(),
//! )?;
//! let claims = verifier.verify(&tokens.id_token).await?;
//! println!("{:?} {:?}", claims.username, claims.claim("email_verified"));
//! # Ok(())
//! # }
//! # }
//! ```
//!
//! # Features
//!
//! - `std` (default): the Rust API. Without it the crate is `no_std` and builds only as the
//!   npm package's wasm core (`--no-default-features --features js`).
//! - `native`: [`NativePlatform`]; `native-tls` adds https (rustls), for real Cognito.
//! - `serde`: `Serialize` and `Deserialize` for the answers ([`Tokens`], [`SignInResult`],
//!   [`Challenge`], [`User`], [`SignUpResult`], [`CodeDelivery`], [`Claims`],
//!   [`ClaimValue`]), and the claims decoded into your own type
//!   (`Claims::deserialize_into`, `Verifier::verify_as`).
//! - `rust-rsa`: in the browser, RS256 with the `rsa` crate instead of WebCrypto, for pages
//!   without a secure context (slower and larger).
//! - `srp-server`: Cognito's SRP as a public module, its server side and each step, for
//!   emulators and tests. Signing in needs none of it.
//! - `js`: the npm package's exports; only the package's build turns it on.
//!
//! Each platform exists on its own target (docs.rs shows both).
//!
// Where the docs are built without one of the platforms, their names link to docs.rs.
#![cfg_attr(
    not(all(feature = "native", not(target_arch = "wasm32"))),
    doc = "[`NativePlatform`]: https://docs.rs/cognito-wasm/latest/cognito_wasm/struct.NativePlatform.html"
)]
#![cfg_attr(
    not(all(feature = "std", target_arch = "wasm32")),
    doc = "[`WebPlatform`]: https://docs.rs/cognito-wasm/latest/wasm32-unknown-unknown/cognito_wasm/struct.WebPlatform.html"
)]
#![deny(missing_docs)]
// No panic reachable from input: a panic in wasm kills the module instance for the page.
// Errors are returned; an index is `get`; tests may unwrap.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

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
pub mod session;
// Cognito's SRP: its steps and server side are public only for emulators and tests.
#[cfg(feature = "srp-server")]
#[cfg_attr(docsrs, doc(cfg(feature = "srp-server")))]
pub mod srp;
#[cfg(not(feature = "srp-server"))]
mod srp;
pub mod verify;

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "native", not(target_arch = "wasm32")))))]
pub mod native;

#[cfg(any(
    feature = "rust-rsa",
    all(feature = "native", not(target_arch = "wasm32"))
))]
mod rs256;

#[cfg(target_arch = "wasm32")]
#[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
pub mod wasm;
// The npm package's allocator's logic (`wasm/allocator.rs` is its wasm half), natively
// testable over a simulated memory.
#[cfg(any(
    test,
    feature = "fuzzing",
    all(target_arch = "wasm32", feature = "js", not(feature = "std"))
))]
mod size_classes;

// Not an API: the internals the fuzz targets drive (fuzz/), behind the `fuzzing` feature.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use api::{
    totp_uri, Challenge, ChallengeStep, Client, ClientConfig, CodeDelivery, SignInResult,
    SignUpResult, SoftwareToken, Tokens, User,
};
pub use error::{CognitoException, Error};
pub use platform::{HttpResponse, Platform};
pub use secret_hash::secret_hash;
pub use srp::precompute as precompute_srp;
pub use verify::{ClaimValue, Claims, TokenUse, Verifier, VerifierConfig, VerifyError};

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "native", not(target_arch = "wasm32")))))]
pub use native::NativePlatform;
#[cfg(all(feature = "std", target_arch = "wasm32"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "std", target_arch = "wasm32"))))]
pub use wasm::WebPlatform;
