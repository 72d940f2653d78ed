//! Amazon Cognito user pools from the browser: sign-up, SRP sign-in and token verification,
//! in Rust compiled to WebAssembly. The core builds and tests natively too.
#![deny(missing_docs)]

mod crypto;
pub mod secret_hash;
pub mod srp;

pub use secret_hash::secret_hash;
