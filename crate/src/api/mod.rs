//! The Cognito user-pool client: the calls a browser app makes, over the host's HTTP.
//!
//! Every call is one POST of Cognito's JSON 1.1 protocol, unsigned (these operations need no
//! AWS credentials), described once by its row in the [`operation`] registry. Without I/O,
//! the crate builds a call's request from its row (the members, SECRET_HASH wherever Cognito
//! wants it when a client secret is configured, ClientMetadata where the call takes it, what
//! must not be empty) and reads its answer into the types here. [`Client`] sends them over a
//! [`Platform`](crate::Platform); the JS package's driver sends them with `fetch` (no futures
//! in its wasm). Nothing here logs or stores tokens or passwords.

mod answers;
mod client;
pub mod operation;
mod requests;
#[cfg(any(test, feature = "fuzzing", all(target_arch = "wasm32", feature = "js")))]
pub(crate) mod shapes;
mod totp;
mod types;

pub use client::Client;
pub use operation::{Answer, Operation, MAX_ANSWER_BYTES};
pub(crate) use requests::parse_pool_id;
pub use totp::totp_uri;
pub use types::{
    Challenge, ChallengeStep, ClientConfig, CodeDelivery, Pairs, SignInResult, SignUpResult,
    SoftwareToken, Tokens, User,
};

// The npm package's core builds the requests and reads the answers itself (its driver does
// the fetches).
#[cfg(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa")))]
pub(crate) use answers::read_answer;
#[cfg(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa")))]
pub(crate) use requests::Requests;
#[cfg(all(target_arch = "wasm32", feature = "js", not(feature = "rust-rsa")))]
pub(crate) use types::lookup;
