//! The stored session's reader (crate/src/session/record.rs) on arbitrary text, which any
//! script of the origin can write into storage, against one written here from its rules over
//! the serde_json reference: version 1, no other member, three non-empty tokens within the
//! token cap, a drift in milliseconds written as a whole number within its bound, nothing
//! longer than the record cap. Same verdict and the same values; and what it reads is written
//! back as the same record.
#![no_main]

use cognito_wasm::session::{StoredSession, MAX_CLOCK_DRIFT_MS, MAX_RECORD_BYTES};
use cognito_wasm::verify::MAX_TOKEN_BYTES;
use cognito_wasm_fuzz::reference::{self, Doc};
use libfuzzer_sys::fuzz_target;

/// A JSON number written as a whole number (`-`? digits) that fits in an `i64`.
fn integer(number: &str) -> Option<i64> {
    let digits = number.strip_prefix('-').unwrap_or(number);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

fn reference_parse(text: &str) -> Option<StoredSession> {
    if text.len() > MAX_RECORD_BYTES {
        return None;
    }
    let Ok(Doc::Object(members)) = reference::parse(text) else {
        return None;
    };
    let get = |name: &str| members.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let number = |name: &str| match get(name) {
        Some(Doc::Number(n)) => integer(n),
        _ => None,
    };
    let token = |name: &str| match get(name) {
        // Visible ASCII only: a line break would end a line of the package's core-to-driver text.
        Some(Doc::String(t))
            if !t.is_empty()
                && t.len() <= MAX_TOKEN_BYTES
                && t.bytes().all(|b| (0x21..=0x7e).contains(&b)) =>
        {
            Some(t.clone())
        }
        _ => None,
    };
    if number("v") != Some(1) {
        return None;
    }
    let known = ["v", "idToken", "accessToken", "refreshToken", "clockDriftMs"];
    if members.iter().any(|(k, _)| !known.contains(&k.as_str())) {
        return None;
    }
    Some(StoredSession {
        id_token: token("idToken")?,
        access_token: token("accessToken")?,
        refresh_token: token("refreshToken")?,
        clock_drift_ms: number("clockDriftMs").filter(|ms| ms.unsigned_abs() <= MAX_CLOCK_DRIFT_MS)?,
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if reference::ambiguous(text) {
        return;
    }
    let ours = StoredSession::parse(text).ok();
    assert_eq!(ours, reference_parse(text), "{text:?}");
    if let Some(stored) = ours {
        let tokens = stored.clone().verified("alice".into(), 1.8e9 + 3600.0, 1.8e9);
        let written = StoredSession::record(&tokens);
        assert_eq!(StoredSession::parse(&written).ok(), Some(stored), "{written}");
    }
});
