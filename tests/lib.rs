//! Helpers for the cross-crate tests in this folder: running the independent reference
//! implementations (amazon-cognito-identity-js under Node, Python's `hmac`) on our inputs.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// `tests/interop`, where the Node and Python references live.
pub fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

/// Runs `program args...` in `tests/interop` with `input` as JSON on stdin; returns its JSON
/// stdout. Panics with a clear message when the reference cannot run (tests only).
pub fn reference(program: &str, args: &[&str], input: &Value) -> Value {
    let dir = interop_dir();
    if program == "node" && !dir.join("node_modules/amazon-cognito-identity-js").exists() {
        panic!("amazon-cognito-identity-js is not installed: run `cargo xtask test` (or `npm ci` in tests/interop)");
    }
    let mut child = Command::new(program)
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("reference output");
    assert!(out.status.success(), "{program} {args:?} failed");
    serde_json::from_slice(&out.stdout).expect("reference printed JSON")
}

/// Minimal lowercase hex of a big-endian integer, as `BigInteger.toString(16)` prints it.
pub fn minimal_hex(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    match hex.trim_start_matches('0') {
        "" => "0".into(),
        h => h.into(),
    }
}

/// Deterministic pseudo-random bytes (SHA-256 in counter mode over a seed is overkill; a
/// xorshift is enough to vary test inputs reproducibly).
pub fn bytes_from_seed(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
