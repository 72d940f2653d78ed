//! The wasm half of the JS package: what the hand-written driver (`crate/js/`) calls.
//!
//! The driver owns I/O and timing (fetch, WebCrypto, promises, the SRP worker); this side
//! owns every rule: options, requests, answers, errors, SRP, the token checks, and when the
//! JWKS may be fetched.
//!
//! The interface is a mailbox, not wasm-bindgen: the driver writes a call's text into the
//! inbox (`cw_inbox`), calls an export (`cw_*`) with numbers only, and reads the outbox
//! (`cw_outbox`, `cw_outbox_len`). An export answers 0 (the outbox holds the result), 1 (it
//! holds the error, `name \n status \n message`, which the driver turns into an `Error` whose
//! `name` is Cognito's exception name or ours), 2 (nothing: no prepared key, no such kid) or
//! 3 (the module stopped: an earlier call trapped). Objects are handles, positions in lists
//! kept here, never pointers: a stale or made-up handle is an error, not memory unsafety. The
//! module imports nothing (the driver passes in the time and SRP's random bytes) and uses no
//! wasm-bindgen: the driver instantiates it with `WebAssembly.instantiate(module, {})` and
//! keeps the compiled module for the SRP worker. wasm-bindgen's glue, shims and runtime were
//! 4 KB, then 1.5 KB, of the package's gzip for what this does in a few lines
//! (docs/benchmarks.md).
//!
//! `mailbox` is the protocol and the module's state, `objects` what the driver holds handles
//! to, `options` reads what the driver passes, `errors` is how errors reach it; `client`,
//! `verifier`, `srp` and `session` are the exports of `CognitoClient`, `TokenVerifier`,
//! `SrpSession` (with the package's small functions) and `CognitoSession`.

mod client;
mod errors;
mod mailbox;
mod objects;
mod options;
mod session;
mod srp;
mod verifier;
