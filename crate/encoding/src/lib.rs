//! The JSON and base64 of cognito-wasm: what every request, answer, token and key set goes
//! through (see each module for why not serde_json or base64ct).
//!
//! A crate of its own for its compile profile: it is on the hot path of every token
//! verification (base64url and JSON of a token's parts), so the release profile compiles it
//! for speed at `opt-level = "s"` while the rest of cognito-wasm is compiled at `"z"`
//! (measured: verification 20% slower with this at `"z"`). It is cognito-wasm's internals,
//! not an API: none of cognito-wasm's public signatures names its types.
#![deny(missing_docs)]
// No panic reachable from input (the brief's rule), enforced; the few indexings into
// fixed-size tables carry a local `allow` that says why they are in bounds.
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

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod base64;
pub mod json;
