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
//! module imports nothing of its own (only wasm-bindgen's two, for `compiled_module`): the
//! driver passes in the time and SRP's random bytes. wasm-bindgen's glue and shims were 4 KB
//! of the package's gzip for string passing this does in a few lines (docs/benchmarks.md).
//!
//! `mailbox` is the protocol, `options` reads what the driver passes; `client`, `verifier`
//! and `srp` are the exports of `CognitoClient`, `TokenVerifier` and `SrpSession` (with the
//! package's small functions), each keeping its own objects.

mod client;
mod mailbox;
mod options;
mod srp;
mod verifier;

/// This module, compiled: the driver sends it to the SRP worker, which then needs no second
/// fetch or compile (and no guess where the wasm file lives). The one wasm-bindgen export:
/// wasm-pack's wasm-bindgen step needs its runtime in the module, and its glue (`init`, the
/// module) is what the driver loads the module with.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = compiledModule)]
pub fn compiled_module() -> wasm_bindgen::JsValue {
    wasm_bindgen::module()
}
